"""Identities of the divergence family, each side derived by the engine.

D_{1/2} = -2 log BC; d_H**2 = 1 - BC (the normalisation d_H**2 = (1/2) int (sqrt p - sqrt q)**2);
chi^2 = exp(D_2) - 1 (all from the definitions: BC = M(1/2), chi^2 = M(2) - 1,
D_alpha = log M(alpha)/(alpha - 1); e.g. van Erven & Harremoes 2014, Sec. II and
Nielsen & Nock 2011, Sec. 2).
"""
import sympy as sp
from sympy.stats import Exponential, Normal, Poisson

from _common import Theorem, main
from symxent import (BhattacharyyaCoefficient, Chi2Divergence, HellingerDistance,
                     RenyiDivergence, bhattacharyya_coefficient, chi2_divergence,
                     hellinger_distance, renyi_divergence)
from symxent.derivation.core import Derivation

half = sp.Rational(1, 2)
m1, m2 = sp.symbols("mu1 mu2", real=True)
s1, s2, l1, l2 = sp.symbols("sigma1 sigma2 lambda1 lambda2", positive=True)
PAIRS = [("two Normals", Normal("X", m1, s1), Normal("Y", m2, s2)),
         ("two Exponentials", Exponential("X", l1), Exponential("Y", l2)),
         ("two Poisson laws", Poisson("X", l1), Poisson("Y", l2))]


def _branch(v):
    return v.args[0] if isinstance(v, sp.Piecewise) else (v, sp.true)


def build():
    t = Theorem("renyi-identities", "Bhattacharyya, Hellinger and chi-squared from M(alpha)")
    t.text("With $M(\\alpha) = \\int p^{\\alpha} q^{1-\\alpha}$: the Bhattacharyya "
           "coefficient is $\\mathrm{BC} = M(1/2)$, so $D_{1/2} = -2 \\log \\mathrm{BC}$; the "
           "Hellinger distance, normalised so that $d_{\\mathrm{H}}^2 = \\frac{1}{2} \\int "
           "(\\sqrt{p} - \\sqrt{q})^2 \\le 1$, is $d_{\\mathrm{H}}^2 = 1 - \\mathrm{BC}$; and "
           "$\\chi^2 = \\int p^2/q - 1 = M(2) - 1 = e^{D_2} - 1$.  Each chain below starts "
           "and ends with a measure; every step is checked symbolically or against the "
           "definitions integrated numerically at 30 digits.")
    for name, X, Y in PAIRS:
        bc = bhattacharyya_coefficient(X, Y)
        t.derivation(Derivation(RenyiDivergence(X, Y, half), [
            ("=", renyi_divergence(X, Y, half), "symxent.renyi_divergence (engine)"),
            ("=", -2 * sp.log(bc), "symxent.bhattacharyya_coefficient (engine)"),
            ("=", -2 * sp.log(BhattacharyyaCoefficient(X, Y)), "definition of BC")],
            title=f"D_1/2 for {name}"), f"For {name}:")
        t.derivation(Derivation(HellingerDistance(X, Y) ** 2, [
            ("=", hellinger_distance(X, Y) ** 2, "symxent.hellinger_distance (engine)"),
            ("=", 1 - BhattacharyyaCoefficient(X, Y), "BC = M(1/2)")],
            title=f"Hellinger for {name}"))
        chi, cond = _branch(chi2_divergence(X, Y))
        d2, _ = _branch(renyi_divergence(X, Y, 2))
        t.derivation(Derivation(Chi2Divergence(X, Y), [
            ("=", chi, "symxent.chi2_divergence (engine), where " + sp.sstr(cond)),
            ("=", sp.exp(d2) - 1, "symxent.renyi_divergence at alpha = 2 (engine)"),
            ("=", sp.exp(RenyiDivergence(X, Y, 2)) - 1, "definition of D_2")],
            constraints=[cond], title=f"chi^2 for {name}"))
    return t


if __name__ == "__main__":
    main(build)
