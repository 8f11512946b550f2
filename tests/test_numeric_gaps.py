"""Cases where the numeric reference (symxent.numeric) could not decide a check
(benchmarks/sweep.md, status "undecided"; issue 8), each now evaluated and tested
against an independent reference written out here: mpmath quadrature or summation
of the *definition* at >= 30 digits (or a cited formula).  Never the engine.
"""
import mpmath
import pytest
import sympy as sp
from sympy import Rational as R
from sympy.stats import Moyal, Uniform, WignerSemicircle

from symxent.numeric import evaluate

DPS = 30


def mp(x):
    x = sp.Rational(x)
    return mpmath.mpf(int(x.p)) / int(x.q)


def agree(res, ref, dps=DPS):
    """``res`` (a NumericValue) agrees with ``ref`` within its own error bound, and the
    bound is small: the error estimate itself is tested for honesty."""
    with mpmath.workdps(dps + 20):
        scale = max(1, abs(ref))
        assert res.error <= mpmath.mpf(10) ** (-dps + 5) * scale, res
        assert abs(res.value - ref) <= 10 * res.error + mpmath.mpf(10) ** (-dps - 2) * scale, \
            (res, mpmath.nstr(ref, dps + 5))


# ---------------------------------------------------------------- WignerSemicircle
# The density 2 sqrt(R^2 - x^2)/(pi R^2) on [-R, R].  Near x = +-R the numeric layer
# formed R^2 - (R - v)^2 from rounded constants (R = 149/40 is no binary fraction):
# rounding noise, possibly negative, whose log was complex.
r = sp.Symbol("r", positive=True)


def _wigner_pdf(Rv):
    return lambda t: 2 * mpmath.sqrt(Rv**2 - t**2) / (mpmath.pi * Rv**2)


@pytest.mark.parametrize("rv", ["149/40", "3/50", "254/125", "1000"])
def test_wigner_entropy(rv):
    with mpmath.workdps(DPS + 15):
        Rv = mp(rv)
        p = _wigner_pdf(Rv)
        ref = mpmath.quad(lambda t: -p(t) * mpmath.log(p(t)), [-Rv, 0, Rv])
    agree(evaluate(("entropy", WignerSemicircle("X", r)), {r: R(rv)}), ref)


def test_wigner_uniform_kl():
    # tests/test_new_closed_forms.py's "KL Wigner||Uniform" row at a1 = 254/125 warned
    # "NumericError: complex value" for the same reason
    rv = R(254, 125)
    with mpmath.workdps(DPS + 15):
        Rv = mp(rv)
        p = _wigner_pdf(Rv)
        ref = mpmath.quad(lambda t: p(t) * (mpmath.log(p(t)) + mpmath.log(2 * Rv)),
                          [-Rv, 0, Rv])
    agree(evaluate(("kl", WignerSemicircle("X", r), Uniform("Y", -r, r)), {r: rv}), ref)
