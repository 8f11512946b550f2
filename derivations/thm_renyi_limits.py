"""Renyi divergence tends to D_KL, and Renyi entropy to Shannon entropy, as alpha -> 1.

General step (Renyi 1961; van Erven & Harremoes 2014, Thm. 5): with
M(alpha) = int p**alpha q**(1-alpha), M(1) = 1 and M'(1) = int p log(p/q), so by
l'Hopital lim_{alpha->1} log M(alpha)/(alpha - 1) = M'(1)/M(1) = D_KL(P||Q).
Concrete families: the engine's closed forms of D_alpha (checked against the
definitions at random admissible points) and SymPy's limit of them.
"""
import sympy as sp
from sympy.stats import Gamma, Normal, Poisson

from _common import Theorem, main
from symxent import RenyiDivergence, RenyiEntropy, entropy, kl_divergence, renyi_divergence, \
    renyi_entropy
from symxent.derivation.core import Derivation

a = sp.Symbol("alpha", positive=True)
m1, m2 = sp.symbols("mu1 mu2", real=True)
s1, s2, k1, k2, t1, t2, l1, l2 = sp.symbols("sigma1 sigma2 k1 k2 theta1 theta2 lambda1 lambda2",
                                            positive=True)
PAIRS = [("two Normals", Normal("X", m1, s1), Normal("Y", m2, s2)),
         ("two Gamma laws", Gamma("X", k1, t1), Gamma("Y", k2, t2)),
         ("two Poisson laws", Poisson("X", l1), Poisson("Y", l2))]


def _branch(v):
    return v.args[0] if isinstance(v, sp.Piecewise) else (v, sp.true)


def _equal(x, y):
    d = x - y
    return any(f(d) == 0 for f in (sp.simplify, lambda e: sp.simplify(
        sp.expand_log(sp.expand_func(e), force=True))))


def build():
    t = Theorem("renyi-limits", "Renyi divergence tends to the KL divergence as alpha -> 1")
    t.text("Write $M(\\alpha) = \\int p^{\\alpha} q^{1-\\alpha}$, so that "
           "$D_{\\alpha}(P \\,\\|\\, Q) = \\log M(\\alpha) / (\\alpha - 1)$.  Since $M(1) = 1$ "
           "and $M'(1) = \\int p \\log(p/q) = D_{\\mathrm{KL}}(P \\,\\|\\, Q)$, l'Hopital's "
           "rule gives $\\lim_{\\alpha \\to 1} D_{\\alpha} = D_{\\mathrm{KL}}$ whenever $M$ is "
           "finite near $\\alpha = 1$.  For each pair below the engine derives $D_{\\alpha}$ "
           "(checked against the definition at random admissible points, inside the "
           "finiteness condition), and SymPy's limit of the closed form equals the engine's "
           "$D_{\\mathrm{KL}}$.")
    for name, X, Y in PAIRS:
        value, cond = _branch(renyi_divergence(X, Y, a))
        t.derivation(Derivation(RenyiDivergence(X, Y, a), [
            ("=", value, "symxent.renyi_divergence (engine), where " + sp.sstr(cond))],
            constraints=[cond, sp.Ne(a, 1)], title=f"D_alpha for {name}"),
            f"For {name}:")
        lim = sp.limit(value, a, 1)
        kl = kl_divergence(X, Y)
        t.fact(f"for {name}, $\\lim_{{\\alpha \\to 1}} D_{{\\alpha}} = " + sp.latex(lim)
               + " = D_{\\mathrm{KL}}$.", _equal(lim, kl))
    t.text("The same step for entropies: $H_{\\alpha}(P) = \\log \\int p^{\\alpha} / (1 - "
           "\\alpha)$ tends to $S(P)$.")
    for name, X in [("a Normal", PAIRS[0][1]), ("a Gamma law", PAIRS[1][1])]:
        value, cond = _branch(renyi_entropy(X, a))
        t.derivation(Derivation(RenyiEntropy(X, a), [
            ("=", value, "symxent.renyi_entropy (engine)")], constraints=[cond, sp.Ne(a, 1)],
            title=f"H_alpha of {name}"), f"For {name}:")
        lim = sp.limit(value, a, 1)
        t.fact(f"for {name}, $\\lim_{{\\alpha \\to 1}} H_{{\\alpha}} = " + sp.latex(lim)
               + " = S$.", _equal(lim, entropy(X)))
    return t


if __name__ == "__main__":
    main(build)
