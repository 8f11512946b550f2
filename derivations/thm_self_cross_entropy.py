"""H(P, P) = S(P) and D_KL(P || P) = 0.

Generic densities (undefined functions) and a concrete Normal checked with
symxent's engine.  Definitions: Cover & Thomas, Elements of Information Theory
(2nd ed.), eqs. (8.1) and (8.46).
"""
import sympy as sp
from sympy.stats import Bernoulli, Normal

from _common import Theorem, main
from symxent import CrossEntropy, Entropy, KLDivergence, cross_entropy, entropy, kl_divergence
from symxent.derivation.core import Derivation
from symxent.derivation.render import Defined, Expect, Ratio, entropy_notation, kl_notation

x = sp.Symbol("x", real=True)
p = sp.Function("p", positive=True)
oo = sp.oo
MODELS = [{p: sp.Lambda(x, sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi))},
          {p: sp.Lambda(x, sp.exp(-sp.Abs(x - 1) / 3) / 6)}]


def generic():
    ent = sp.Integral(-p(x) * sp.log(p(x)), (x, -oo, oo))
    e = Expect(-sp.log(p(x)), (x, -oo, oo), p(x))
    start = Defined(ent, "H(P, P)", r"H\left(P, P\right)")
    return Derivation(start, [
        ("=", ent, "definition of H(P, Q) with q = p"),
        ("=", e, "integral against p is E_P"),
        ("=", entropy_notation(e), "definition of S")], models=MODELS, title="H(P,P) = S(P)")


def kl_self():
    ratio = Ratio(p(x), p(x))
    kl = sp.Integral(p(x) * sp.log(ratio), (x, -oo, oo))
    return Derivation(kl_notation(kl, "P", "P"), [
        ("=", kl, "definition of D_KL with q = p"),
        ("=", sp.Integral(p(x) * sp.log(sp.UnevaluatedExpr(1)), (x, -oo, oo)), "p(x)/p(x) = 1 where p(x) > 0"),
        ("=", 0, "log 1 = 0")], models=MODELS, title="D_KL(P||P) = 0")


def normal():
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    X, Y = Normal("X", mu, sigma), Normal("Y", mu, sigma)
    return Derivation(CrossEntropy(X, Y), [
        ("=", cross_entropy(X, Y), "symxent.cross_entropy (engine)"),
        ("=", entropy(X), "symxent.entropy (engine)"),
        ("=", Entropy(X), "definition of S")], title="H(X,Y) = S(X) for equal Normals")


def bernoulli():
    th = sp.Symbol("theta", positive=True)
    B, C = Bernoulli("B", th), Bernoulli("C", th)
    return Derivation(KLDivergence(B, C), [
        ("=", kl_divergence(B, C), "symxent.kl_divergence (engine)")],
        ranges={th: (0, 1)}, title="D_KL(B||C) = 0 for equal Bernoullis")


def build():
    t = Theorem("self-cross-entropy", "The cross-entropy of a distribution with itself")
    t.text("Putting $Q = P$ in the definitions gives $H(P, P) = S(P)$ and "
           "$D_{\\mathrm{KL}}(P \\,\\|\\, P) = 0$; both follow from the definitions alone.")
    t.derivation(generic())
    t.derivation(kl_self())
    t.text("The same with symxent for two Normal variables $X$, $Y$ with equal parameters "
           "(the closed forms come from the engine; the first and last steps are checked "
           "against numeric integration of the definitions):")
    t.derivation(normal())
    t.derivation(bernoulli(), "and for two Bernoulli variables with equal parameter:")
    sigma = sp.Symbol("sigma", positive=True)
    s_normal = entropy(Normal("Z", 0, sigma))
    t.text("The note adds that $H(A, A)$ is non-negative but not necessarily zero.  For a "
           "discrete distribution this is right: $S(P) \\ge 0$, with equality exactly when "
           "$P$ is a point mass.  For densities it is wrong: $S(P)$, and so $H(P, P)$, "
           "can be negative (see the section on differential entropy).  For example the "
           "Normal entropy above is $" + sp.latex(s_normal) + "$, which is negative for "
           "$\\sigma = 1/10$:")
    t.fact("$S(\\mathcal{N}(0, 1/100)) = " + sp.latex(s_normal.subs(sigma, sp.Rational(1, 10)))
           + " < 0$.", s_normal.subs(sigma, sp.Rational(1, 10)) < 0)
    return t


if __name__ == "__main__":
    main(build)
