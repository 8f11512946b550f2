"""D_KL(P || Q) = H(P, Q) - S(P) for discrete distributions.

Checked twice: with three outcomes and symbolic probabilities, and for any
number n of outcomes with indexed probabilities p_i, q_i.
Reference for the definitions: Cover & Thomas, Elements of Information Theory
(2nd ed.), eqs. (2.1) and (2.26), and the cross-entropy identity in sec. 2.3.
"""
import sympy as sp

from _common import Theorem, main
from symxent.derivation.core import Derivation
from symxent.derivation.render import Terms, cross_entropy_notation, entropy_notation, kl_notation

U = sp.UnevaluatedExpr


def three_outcomes():
    p = sp.symbols("p1:4", positive=True)
    q = sp.symbols("q1:4", positive=True)
    kl = sp.Add(*[pi * sp.log(pi / qi) for pi, qi in zip(p, q)])
    plogq = sp.Add(*[pi * sp.log(qi) for pi, qi in zip(p, q)])
    plogp = sp.Add(*[pi * sp.log(pi) for pi in p])
    return Derivation(
        kl_notation(kl),
        [("=", kl, "definition of D_KL, three outcomes"),
         ("=", sp.Add(*[pi * sp.log(pi) - pi * sp.log(qi) for pi, qi in zip(p, q)]),
          "log(a/b) = log a - log b for a, b > 0"),
         ("=", Terms(-U(plogq), U(plogp)), "regroup the terms"),
         ("=", Terms(cross_entropy_notation(-plogq), -entropy_notation(-plogp)), "definitions of H and S")],
        title="decomposition, three outcomes")


def n_outcomes():
    n = sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    p = sp.IndexedBase("p", positive=True)
    q = sp.IndexedBase("q", positive=True)
    kl = sp.Sum(p[i] * sp.log(p[i] / q[i]), (i, 1, n))
    plogq = sp.Sum(p[i] * sp.log(q[i]), (i, 1, n))
    plogp = sp.Sum(p[i] * sp.log(p[i]), (i, 1, n))
    return Derivation(
        kl_notation(kl),
        [("=", kl, "definition of D_KL"),
         ("=", sp.Sum(p[i] * sp.log(p[i]) - p[i] * sp.log(q[i]), (i, 1, n)),
          "log of a quotient, termwise"),
         ("=", Terms(-plogq, plogp), "linearity of the finite sum"),
         ("=", Terms(cross_entropy_notation(-plogq), -entropy_notation(-plogp)), "definitions of H and S")],
        title="decomposition, n outcomes")


def build():
    t = Theorem("decomposition-discrete",
                "KL divergence = cross-entropy - entropy (discrete)")
    t.text("For probability vectors $P = (p_1, \\dots, p_n)$ and $Q = (q_1, \\dots, q_n)$ "
           "the three quantities are $S(P) = -\\sum_i p_i \\log p_i$, "
           "$H(P, Q) = -\\sum_i p_i \\log q_i$ and "
           "$D_{\\mathrm{KL}}(P \\,\\|\\, Q) = \\sum_i p_i \\log (p_i / q_i)$. "
           "The identity below is pure algebra, applied one outcome at a time; "
           "it does not even use that the probabilities sum to one. "
           "Outcomes with $p_i = 0$ contribute nothing (the convention $0 \\log 0 = 0$); "
           "if $q_i = 0 < p_i$ for some $i$, both $H(P, Q)$ and $D_{\\mathrm{KL}}$ are "
           "$+\\infty$ and the identity reads $\\infty = \\infty$.")
    t.derivation(three_outcomes(), "Three outcomes with symbolic probabilities:")
    t.derivation(n_outcomes(), "Any number $n$ of outcomes, with indexed probabilities:")
    t.text("So the note's formula $D_{\\mathrm{KL}}(A \\,\\|\\, B) = -S(A) + H(A, B)$ is "
           "right.  It does not make $D_{\\mathrm{KL}}$ and $H$ equal: they differ by "
           "$S(P)$, see the section on minimisation.")
    return t


if __name__ == "__main__":
    main(build)
