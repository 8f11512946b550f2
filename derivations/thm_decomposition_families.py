"""H(P, Q) = S(P) + D_KL(P || Q) on concrete families, through symxent.

Every closed form here is derived by symxent's engine at run time; the chain
checks that the engine's three results fit the identity (symbolically) and
that each agrees with numeric integration (or summation) of its definition.
"""
import sympy as sp
from sympy.stats import Exponential, Normal, Poisson

from _common import Theorem, main
from symxent import CrossEntropy, Entropy, KLDivergence, cross_entropy, entropy, kl_divergence
from symxent.derivation.core import Derivation
from symxent.derivation.render import Terms


def pairs():
    m1, m2 = sp.symbols("mu1 mu2", real=True)
    s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
    l1, l2 = sp.symbols("lambda1 lambda2", positive=True)
    yield "two Normal distributions", Normal("X_1", m1, s1), Normal("X_2", m2, s2)
    yield "two Exponential distributions", Exponential("T_1", l1), Exponential("T_2", l2)
    yield "two Poisson distributions", Poisson("N_1", l1), Poisson("N_2", l2)


def chain(P, Q):
    return Derivation(CrossEntropy(P, Q), [
        ("=", cross_entropy(P, Q), "symxent.cross_entropy (engine)"),
        ("=", Terms(entropy(P), kl_divergence(P, Q)),
         "symxent.entropy + symxent.kl_divergence (engine)"),
        ("=", Terms(Entropy(P), KLDivergence(P, Q)), "definitions of S and D_KL")],
        title=f"H = S + D_KL for {P}, {Q}")


def build():
    t = Theorem("decomposition-families",
                "KL divergence = cross-entropy - entropy, on concrete families")
    t.text("The identity $H(P, Q) = S(P) + D_{\\mathrm{KL}}(P \\,\\|\\, Q)$ once more, now "
           "for concrete families with symbolic parameters.  The three closed forms are "
           "derived independently by symxent's engine; the middle step checks that they fit "
           "the identity, and the outer steps check each side against numeric integration "
           "(or summation) of the definitions at random parameter values.")
    for caption, P, Q in pairs():
        t.derivation(chain(P, Q), caption[0].upper() + caption[1:] + ":")
    return t


if __name__ == "__main__":
    main(build)
