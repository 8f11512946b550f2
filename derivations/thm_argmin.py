"""For fixed P, D_KL(P || Q) and H(P, Q) have the same minimisers in Q, but
they are not equal: they differ by S(P).

Example: P = Bernoulli(1/2), Q_theta = Bernoulli(theta), 0 < theta < 1.
"""
import sympy as sp

from _common import Theorem, main
from symxent.derivation.core import Derivation
from symxent.derivation.render import Ratio, Terms, cross_entropy_notation, entropy_notation, kl_notation

R = sp.Rational
U = sp.UnevaluatedExpr
th = sp.Symbol("theta", positive=True)
Qt = sp.Symbol("Q_theta")
P = {1: R(1, 2), 0: R(1, 2)}
Q = {1: th, 0: 1 - th}
RANGES = {th: (0, 1)}


def H():
    return -sp.Add(*[P[k] * sp.log(Q[k]) for k in (1, 0)])


def D():
    return sp.Add(*[P[k] * sp.log(P[k] / Q[k]) for k in (1, 0)])


def S():
    return -sp.Add(*[P[k] * sp.log(P[k]) for k in (1, 0)])


def generic():
    """H(P, Q) - D_KL(P || Q) = S(P) for any discrete P, Q (three outcomes)."""
    p = sp.symbols("p1:4", positive=True)
    q = sp.symbols("q1:4", positive=True)
    h = -sp.Add(*[a * sp.log(b) for a, b in zip(p, q)])
    d = sp.Add(*[a * sp.log(a / b) for a, b in zip(p, q)])
    s = -sp.Add(*[a * sp.log(a) for a in p])
    return Derivation(Terms(cross_entropy_notation(h), -kl_notation(d)), [
        ("=", Terms(U(h), -U(d)), "definitions"),
        ("=", s, "log(a/b) = log a - log b; the log q_i cancel"),
        ("=", entropy_notation(s), "definition of S")], title="H - D = S")


def example():
    h = cross_entropy_notation(H(), "P", Qt)
    d = kl_notation(D(), "P", Qt)
    return Derivation(Terms(h, -d), [
        ("=", Terms(U(H()), -U(Terms(*[P[k] * sp.log(Ratio(P[k], Q[k])) for k in (1, 0)]))),
         "definitions, outcomes 1 and 0"),
        ("=", sp.log(2), "the log theta and log(1 - theta) cancel"),
        ("=", entropy_notation(S()), "S(Bernoulli(1/2)) = log 2")],
        ranges=RANGES, title="H - D for Bernoulli")


def gradients():
    return Derivation(sp.Derivative(kl_notation(D(), "P", Qt), th), [
        ("=", sp.diff(D(), th), "differentiate the definition"),
        ("=", sp.Derivative(cross_entropy_notation(H(), "P", Qt), th),
         "S(P) does not depend on theta")],
        ranges=RANGES, title="equal gradients")


def build():
    t = Theorem("argmin", "Same minimiser, different value: KL divergence versus cross-entropy")
    t.text("The note says that when $S(A)$ is a constant, $D_{\\mathrm{KL}}(A \\,\\|\\, B) = "
           "H(A, B)$.  That is not so.  By the decomposition, "
           "$H(P, Q) - D_{\\mathrm{KL}}(P \\,\\|\\, Q) = S(P)$ for every $Q$:")
    t.derivation(generic())
    t.text("For a fixed $P$ the difference $S(P)$ does not depend on $Q$, so the two "
           "functions of $Q$ differ by a constant: they have the same minimisers and, "
           "for a parametric family $Q_\\theta$, the same gradient in $\\theta$.  What is "
           "true is therefore $\\arg\\min_Q D_{\\mathrm{KL}}(P \\,\\|\\, Q) = "
           "\\arg\\min_Q H(P, Q)$, not $D_{\\mathrm{KL}} = H$.  The two values agree only "
           "when $S(P) = 0$, i.e. when $P$ is a point mass (for discrete $P$).")
    t.text("Example: $P = \\mathrm{Bernoulli}(1/2)$ and $Q_\\theta = \\mathrm{Bernoulli}"
           "(\\theta)$ with $0 < \\theta < 1$.")
    t.derivation(example())
    t.derivation(gradients(), "The gradients agree:")
    dD = sp.diff(D(), th)
    t.fact("Both are minimised at $\\theta = 1/2$, the only zero of the gradient.",
           sp.solve(dD, th) == [R(1, 2)])
    t.fact(f"At the minimum $D_{{\\mathrm{{KL}}}} = {sp.latex(sp.simplify(D().subs(th, R(1, 2))))}$"
           f" while $H = {sp.latex(sp.simplify(H().subs(th, R(1, 2))))} \\neq 0$.",
           sp.And(sp.Eq(sp.simplify(D().subs(th, R(1, 2))), 0),
                  sp.simplify(H().subs(th, R(1, 2)) - sp.log(2)) == 0))
    return t


if __name__ == "__main__":
    main(build)
