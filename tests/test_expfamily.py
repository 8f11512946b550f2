"""Exponential families: expected statistics from the log-normaliser, and the Bregman KL."""
import sympy as sp
from sympy.stats import Gamma, Poisson

from symxent.engine.expfamily import detect
from symxent.engine.logform import LogForm
from symxent.laws.support import describe, support_bounds

k1, k2, t1, t2 = sp.symbols("k1 k2 theta1 theta2", positive=True)


def _family(rv):
    d = describe(rv)
    lo, hi = support_bounds(d.support)
    L = LogForm.of_density(d.pdf, d.var, lo, hi)
    return d, detect([L.expr()], [d.var], d.params)


def test_gamma_mean_statistics():
    d, ef = _family(Gamma("G", k1, t1))
    means = ef.mean_statistics()
    x = d.var
    # E[X] = k*theta, E[log X] = psi(k) + log(theta) (Johnson, Kotz & Balakrishnan, ch. 17)
    assert sp.simplify(means[x] - k1 * t1) == 0
    assert sp.simplify(means[sp.log(x)] - sp.polygamma(0, k1) - sp.log(t1)) == 0


def test_poisson_mean_statistic():
    lam = sp.Symbol("lamda", positive=True)
    d, ef = _family(Poisson("P", lam))
    assert sp.simplify(ef.mean_statistics()[d.var] - lam) == 0


def test_a_parameter_inside_a_statistic_is_not_free():
    # Logarithmic: log(-1/(k log(1-p))) contains p, so p is not a natural parameter
    from sympy.stats import Logarithmic
    _, ef = _family(Logarithmic("L", sp.Symbol("p", positive=True)))
    assert ef is None
