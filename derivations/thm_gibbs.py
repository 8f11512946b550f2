"""Gibbs' inequality: D_KL(P || Q) >= 0, with equality iff P = Q.

Proof through log t <= t - 1 (t > 0), for three outcomes, for n outcomes and for
densities.  Reference: Cover & Thomas, Elements of Information Theory (2nd ed.),
Theorem 2.6.3; the log t <= t - 1 route is their Problem 2.x / MacKay,
Information Theory, Inference, and Learning Algorithms, sec. 2.6.
"""
import sympy as sp

from _common import Theorem, main
from symxent.derivation.core import Derivation
from symxent.derivation.render import Ratio, Terms, kl_notation

U = sp.UnevaluatedExpr
t = sp.Symbol("t", positive=True)


def lemma():
    return Derivation(sp.log(t), [
        ("<=", t - 1, "g(t) = t - 1 - log t is convex with g(1) = g'(1) = 0")],
        title="log t <= t - 1")


def three_outcomes():
    p1, p2, p3, q1, q2, q3 = sp.symbols("p1:4 q1:4", positive=True)
    p, q = (p1, p2, p3), (q1, q2, q3)
    return Derivation(
        kl_notation(sp.Add(*[a * sp.log(a / b) for a, b in zip(p, q)])),
        [("=", Terms(*[a * sp.log(Ratio(a, b)) for a, b in zip(p, q)]), "definition"),
         ("=", Terms(*[-a * sp.log(Ratio(b, a)) for a, b in zip(p, q)]),
          "log(a/b) = -log(b/a)"),
         (">=", Terms(*[-a * U(Ratio(b, a) - 1) for a, b in zip(p, q)]),
          "lemma with t = q_i/p_i, times -p_i < 0"),
         ("=", Terms(U(p1 + p2 + p3), -U(q1 + q2 + q3)), "expand and regroup"),
         ("=", Terms(U(1), -U(1)), "P and Q are probability vectors"),
         ("=", 0, "arithmetic")],
        given={p3: 1 - p1 - p2, q3: 1 - q1 - q2},
        constraints=[p1 + p2 < 1, q1 + q2 < 1],
        ranges={s: (0, 1) for s in (p1, p2, q1, q2)}, title="Gibbs, three outcomes")


def n_outcomes():
    n = sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    p = sp.IndexedBase("p", positive=True)
    q = sp.IndexedBase("q", positive=True)

    def S(f):
        return sp.Sum(f, (i, 1, n))
    # test probability vectors for any n: i/(n(n+1)/2), uniform 1/n, i^2/(n(n+1)(2n+1)/6)
    lin = sp.Lambda(i, 2 * i / (n * (n + 1)))
    uni = sp.Lambda(i, 1 / n)
    sq = sp.Lambda(i, 6 * i**2 / (n * (n + 1) * (2 * n + 1)))
    return Derivation(
        kl_notation(S(p[i] * sp.log(p[i] / q[i]))),
        [("=", S(p[i] * sp.log(p[i] / q[i])), "definition"),
         ("=", -S(p[i] * sp.log(q[i] / p[i])), "log(a/b) = -log(b/a)"),
         (">=", -S(p[i] * (q[i] / p[i] - 1)), "lemma with t = q_i/p_i"),
         ("=", Terms(S(p[i]), -S(q[i])), "linearity of the sum"),
         ("=", 0, "both sum to 1")],
        models=[{p: lin, q: uni}, {p: uni, q: sq}, {p: sq, q: lin}],
        title="Gibbs, n outcomes")


def densities():
    x = sp.Symbol("x", real=True)
    p = sp.Function("p", positive=True)
    q = sp.Function("q", positive=True)

    def I(f):
        return sp.Integral(f, (x, -sp.oo, sp.oo))
    normal = sp.Lambda(x, sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi))
    laplace = sp.Lambda(x, sp.exp(-sp.Abs(x - 1)) / 2)
    cauchy = sp.Lambda(x, 1 / (sp.pi * (1 + x**2)))
    return Derivation(
        kl_notation(I(p(x) * sp.log(p(x) / q(x)))),
        [("=", I(p(x) * sp.log(p(x) / q(x))), "definition"),
         ("=", -I(p(x) * sp.log(q(x) / p(x))), "log(a/b) = -log(b/a)"),
         (">=", -I(p(x) * (q(x) / p(x) - 1)), "lemma with t = q(x)/p(x)"),
         ("=", Terms(I(p(x)), -I(q(x))), "linearity of the integral"),
         ("=", 0, "both densities integrate to 1")],
        models=[{p: normal, q: laplace}, {p: laplace, q: cauchy}],
        title="Gibbs, densities")


def build():
    th = Theorem("gibbs", "Gibbs' inequality: the KL divergence is never negative")
    th.text("Lemma: $\\log t \\le t - 1$ for every $t > 0$, with equality only at $t = 1$.  "
            "Proof: $g(t) = t - 1 - \\log t$ has $g'(t) = 1 - 1/t$ and $g''(t) = 1/t^2 > 0$, "
            "so $g$ is strictly convex and its only stationary point $t = 1$ is the global "
            "minimum, $g(1) = 0$.  The facts used are checked by SymPy:")
    g = t - 1 - sp.log(t)
    th.fact("$g(1) = 0$.", sp.Eq(g.subs(t, 1), 0))
    th.fact("$g'(t) = 0$ only at $t = 1$.", sp.solve(sp.diff(g, t), t) == [1])
    th.fact("$g''(t) = 1/t^2 > 0$ for $t > 0$.", sp.diff(g, t, 2) > 0)
    th.derivation(lemma(), "and the inequality itself, spot-checked at random points:")
    th.text("Applying the lemma to $t = q_i / p_i$ for each outcome with $p_i > 0$ gives the "
            "inequality.  Three outcomes, with $p_3 = 1 - p_1 - p_2$ and $q_3 = 1 - q_1 - q_2$:")
    th.derivation(three_outcomes())
    th.text("Any number $n$ of outcomes (the last step uses $\\sum_i p_i = \\sum_i q_i = 1$, "
            "so it is checked numerically on several probability vectors of every sampled "
            "length $n$):")
    th.derivation(n_outcomes())
    th.text("The same argument works for densities, with integrals in place of sums:")
    th.derivation(densities())
    th.text("Equality.  If $Q = P$ every logarithm is $\\log 1 = 0$, so the divergence is 0.  "
            "Conversely, the divergence is the sum of the non-negative terms "
            "$p_i\\, g(q_i/p_i)$ (the step where the lemma was used) plus "
            "$1 - \\sum_{p_i > 0} q_i \\ge 0$.  If the total is 0, every term is 0, so "
            "$q_i = p_i$ wherever $p_i > 0$, and the $q_i$ for outcomes with $p_i = 0$ must "
            "sum to 0.  Hence $Q = P$.  For densities the same argument gives $q = p$ "
            "almost everywhere.")
    th.text("So the note is right that the KL divergence is non-negative.  Unlike the "
            "divergence, entropy and cross-entropy are non-negative only for discrete "
            "distributions; see the section on differential entropy.")
    return th


if __name__ == "__main__":
    main(build)
