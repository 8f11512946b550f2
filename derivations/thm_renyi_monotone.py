"""D_alpha is non-decreasing in alpha (van Erven & Harremoes 2014, Thm. 3).

Checked by symxent.refute: a search over random admissible parameters and
orders alpha < alpha + delta finds no counterexample, every candidate confirmed
against the definitions integrated numerically.  In contrast, the claim that
D_1/2 >= D_KL (false: D_alpha <= D_KL for alpha < 1) is refuted.
"""
import sympy as sp
from sympy.stats import Exponential, Gamma, Normal

from _common import Theorem, main
from symxent import KLDivergence, RenyiDivergence, refute, renyi_divergence
from symxent.derivation.core import Derivation

a, d = sp.symbols("alpha delta", positive=True)
m1, m2 = sp.symbols("mu1 mu2", real=True)
s1, s2, k1, k2, t1, t2, l1, l2 = sp.symbols("sigma1 sigma2 k1 k2 theta1 theta2 lambda1 lambda2",
                                            positive=True)
PAIRS = [("two Normals", Normal("X", m1, s1), Normal("Y", m2, s2)),
         ("two Exponentials", Exponential("X", l1), Exponential("Y", l2)),
         ("two Gamma laws", Gamma("X", k1, t1), Gamma("Y", k2, t2))]


def build():
    t = Theorem("renyi-monotone", "The Renyi divergence is non-decreasing in its order")
    t.text("For $0 < \\alpha < \\beta$, $D_{\\alpha}(P \\,\\|\\, Q) \\le D_{\\beta}(P \\,\\|\\, "
           "Q)$.  We search for a counterexample with $\\beta = \\alpha + \\delta$ over random "
           "admissible parameters, $\\alpha$ and $\\delta$ (closed forms screen the "
           "candidates, the definitions integrated numerically confirm); none is found.")
    for name, X, Y in PAIRS:
        w = refute(RenyiDivergence(X, Y, a) <= RenyiDivergence(X, Y, a + d), points=60,
                   confirm=4)
        t.fact(f"no counterexample to $D_{{\\alpha}} \\le D_{{\\alpha + \\delta}}$ for {name}.",
               w is None)
    # one case in closed form: for Normals of one scale sigma the gap is
    # delta (mu1 - mu2)**2 / (2 sigma**2) >= 0 (Gil, Alajaji & Linder 2013, Table 3)
    s = sp.Symbol("sigma", positive=True)
    X1, Y1 = Normal("X", m1, s), Normal("Y", m2, s)
    gap = sp.factor(renyi_divergence(X1, Y1, a + d) - renyi_divergence(X1, Y1, a))
    t.derivation(Derivation(RenyiDivergence(X1, Y1, a + d) - RenyiDivergence(X1, Y1, a), [
        ("=", gap, "symxent.renyi_divergence at alpha + delta and at alpha (engine)"),
        (">=", sp.S.Zero, "delta > 0 and a square")],
        title="the gap for Normals of one scale"),
        "In closed form, for two Normals of one scale $\\sigma$:")
    X, Y = PAIRS[0][1], PAIRS[0][2]
    w = refute(RenyiDivergence(X, Y, sp.Rational(1, 2)) >= KLDivergence(X, Y), points=40)
    t.text("By contrast the claim $D_{1/2} \\ge D_{\\mathrm{KL}}$ is refuted (the order "
           "goes the other way below $\\alpha = 1$): " + (str(w).replace("||", "\\|")
                                                           .replace("$", "") if w else "") + ".")
    t.fact("refute finds a counterexample to $D_{1/2} \\ge D_{\\mathrm{KL}}$ for two Normals.",
           w is not None)
    return t


if __name__ == "__main__":
    main(build)
