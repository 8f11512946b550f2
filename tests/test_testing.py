"""symxent.testing.formula (assert_formula / check_formula) and the pytest plugin.

The formulas below are textbook closed forms in sympy.stats' parametrisations;
each right one is paired with a typical mistake that assert_formula must catch.
"""
import mpmath
import pytest
import sympy as sp
from sympy import Abs, Piecewise, S, exp, log, loggamma, oo, polygamma
from sympy.stats import ContinuousRV, Gamma, Laplace, Normal, Uniform

from symxent import KLDivergence
from symxent.errors import ParameterError, UnsupportedError
from symxent.numeric.core import NumericValue
from symxent.testing.formula import FormulaReport, PointCheck, assert_formula, check_formula

pytest_plugins = ["pytester"]

POINTS = 4
m1, m2 = sp.symbols("mu1 mu2", real=True)
s1, s2, b1, b2, k1, k2, t1, t2 = sp.symbols("sigma1 sigma2 b1 b2 k1 k2 theta1 theta2",
                                            positive=True)

GAUSS = KLDivergence(Normal("X1", m1, s1), Normal("X2", m2, s2))
# Kullback, Information Theory and Statistics (1959):
# log(s2/s1) + (s1^2 + (m1 - m2)^2) / (2 s2^2) - 1/2
GAUSS_KL = log(s2 / s1) + (s1**2 + (m1 - m2)**2) / (2 * s2**2) - S.Half
GAMMA = KLDivergence(Gamma("G1", k1, t1), Gamma("G2", k2, t2))
# Penny, "KL-divergences of Normal, Gamma, Dirichlet and Wishart densities" (2001), rewritten
# for shape k and scale theta (sympy.stats.Gamma(k, theta)):
GAMMA_KL = ((k1 - k2) * polygamma(0, k1) - loggamma(k1) + loggamma(k2)
            + k2 * (log(t2) - log(t1)) + k1 * (t1 - t2) / t2)
LAPLACE = KLDivergence(Laplace("L1", m1, b1), Laplace("L2", m2, b2))
# Gil, Alajaji & Linder, "Renyi divergence measures for commonly used univariate continuous
# distributions", Information Sciences 249 (2013), Table (Laplace):
LAPLACE_KL = log(b2 / b1) + Abs(m1 - m2) / b2 + b1 / b2 * exp(-Abs(m1 - m2) / b1) - 1


# --------------------------------------------------------------------------- right formulas
@pytest.mark.parametrize("formula, quantity", [
    (GAUSS_KL, GAUSS), (GAMMA_KL, GAMMA), (LAPLACE_KL, LAPLACE)],
    ids=["gaussian", "gamma", "laplace"])
def test_right_formulas_pass(formula, quantity):
    report = assert_formula(formula, quantity, points=POINTS)
    assert isinstance(report, FormulaReport) and report.passed
    assert len(report.points) == POINTS
    assert all(p.status == "agree" for p in report.points)
    assert report.symbolic in ("equal", "not decided", "not decided (time budget)")


# --------------------------------------------------------------------------- wrong formulas
@pytest.mark.parametrize("formula, quantity", [
    (GAUSS_KL + S.Half, GAUSS),                                       # forgot the -1/2
    (GAMMA_KL.subs(polygamma(0, k1), polygamma(0, k2)), GAMMA),       # psi(k2) for psi(k1)
    (log(b2 / b1) + Abs(m1 - m2) / b2 - 1, LAPLACE),                  # no exponential term
], ids=["gaussian-without-half", "gamma-swapped-digamma", "laplace-without-exp"])
def test_wrong_formulas_are_caught(formula, quantity):
    with pytest.raises(AssertionError) as info:
        assert_formula(formula, quantity, points=POINTS)
    msg = str(info.value)
    assert msg.startswith(f"formula {formula} does not match {quantity} at {{")
    assert "formula = " in msg and "definition = " in msg and "points mismatch" in msg
    report = check_formula(formula, quantity, points=2)            # never raises
    assert not report.passed
    bad = [p for p in report.points if p.status == "mismatch"]
    assert bad and isinstance(bad[0], PointCheck)
    # the message prints both values to dps digits
    p = bad[0]
    assert mpmath.nstr(p.formula_value, 30) in msg and mpmath.nstr(p.reference_value, 30) in msg


def test_symbolic_verdicts():
    assert check_formula(GAUSS_KL, GAUSS, points=1).symbolic == "equal"
    assert check_formula(GAUSS_KL + 1, GAUSS, points=1).symbolic == "differs (by 1)"


def test_exact_nonzero_symbolic_difference_fails():
    # 1/10**25 is invisible at 30 digits for values of order 1, but the formula is wrong
    tiny = sp.Rational(1, 10**25)
    report = check_formula(GAUSS_KL + tiny, GAUSS, points=2)
    assert report.symbolic == f"differs (by {tiny})"
    assert not report.passed
    with pytest.raises(AssertionError, match=r"differs \(by 1/10000000000000000000000000\)"):
        assert_formula(GAUSS_KL + tiny, GAUSS, points=2)


def test_formula_wrong_only_at_large_scales_is_caught():
    # right for sigma2 < 100, off by 1 beyond: default points must reach large scales
    # (points 1, 3, 5 are drawn at large, small and mixed scales)
    wrong = GAUSS_KL + Piecewise((1, s2 >= 100), (0, True))
    with pytest.raises(AssertionError, match="does not match"):
        assert_formula(wrong, GAUSS, points=4, symbolic_timeout=1)
    wrong_small = GAUSS_KL + Piecewise((1, s1 <= S(1) / 100), (0, True))
    with pytest.raises(AssertionError, match="does not match"):
        assert_formula(wrong_small, GAUSS, points=4, symbolic_timeout=1)


def test_points_include_large_and_small_scales():
    report = check_formula(GAUSS_KL, GAUSS, points=4, symbolic_timeout=1)
    assert report.passed
    values = [v for p in report.points for k, v in p.point.items() if k in (s1, s2)]
    assert max(values) >= 100 and min(values) <= S(1) / 100


def test_strings_are_refused_before_any_sympify(tmp_path):
    code = f"__import__('os').system('touch {tmp_path / 'pwned'}')"
    with pytest.raises(UnsupportedError, match="never parsed"):
        assert_formula(code, GAUSS)
    with pytest.raises(UnsupportedError, match="never parsed"):
        check_formula(code, GAUSS)
    assert not (tmp_path / "pwned").exists()


# --------------------------------------------------------------------------- +oo rows
a1, c1, a2, c2 = sp.symbols("a1 c1 a2 c2", real=True)
UNIFORM = KLDivergence(Uniform("U1", a1, c1), Uniform("U2", a2, c2))


def test_formula_with_infinite_branch():
    # log((c2 - a2)/(c1 - a1)) when [a1, c1] lies inside [a2, c2], +oo otherwise
    right = Piecewise((log((c2 - a2) / (c1 - a1)), (a2 <= a1) & (c1 <= c2)), (oo, True))
    # seed 1: points 0, 1 and 6 have [a1, c1] inside [a2, c2], the others not
    report = assert_formula(right, UNIFORM, points=8, seed=1)
    statuses = {(p.reference_value == mpmath.inf) for p in report.points}
    assert statuses == {True, False}          # both branches were exercised
    with pytest.raises(AssertionError, match="does not match"):
        assert_formula(log((c2 - a2) / (c1 - a1)), UNIFORM, points=8, seed=1)


# --------------------------------------------------------------------------- inconclusive
def test_inconclusive_when_the_reference_is_too_inaccurate(monkeypatch):
    import symxent.numeric.core as numeric
    real = numeric.evaluate

    def blurred(quantity, subs=None, dps=30):
        v = real(quantity, subs, dps)
        return NumericValue(v.value, mpmath.mpf(10) ** -12, dps)   # claims only 12 digits
    monkeypatch.setattr(numeric, "evaluate", blurred)
    with pytest.raises(AssertionError, match=r"^inconclusive: cannot decide whether"):
        assert_formula(GAUSS_KL, GAUSS, points=2)
    report = check_formula(GAUSS_KL, GAUSS, points=2)
    assert not report.passed and {p.status for p in report.points} == {"inconclusive"}
    # a mismatch larger than the error bars is still reported as a mismatch
    with pytest.raises(AssertionError, match="does not match"):
        assert_formula(GAUSS_KL + S.Half, GAUSS, points=2)


def test_inconclusive_when_the_definition_cannot_be_evaluated():
    # p(x) = 2/(x log(x)^3) on (e, oo): the entropy integral decays too slowly to decide
    x = sp.Symbol("x")
    X = ContinuousRV(x, 2 / (x * log(x) ** 3), set=sp.Interval(sp.E, oo))
    from symxent import Entropy
    with pytest.raises(AssertionError, match="^inconclusive: .*could not be evaluated"):
        assert_formula(sp.Integer(1), Entropy(X), points=1)


# --------------------------------------------------------------------------- bad input
def test_bad_input():
    with pytest.raises(UnsupportedError, match="quantity must be an unevaluated Entropy"):
        assert_formula(GAUSS_KL, Normal("X", 0, 1))
    with pytest.raises(ParameterError, match=r"the formula has symbols \['z'\] that are not"):
        assert_formula(GAUSS_KL + sp.Symbol("z"), GAUSS)


# --------------------------------------------------------------------------- pytest plugin
PLUGIN_TEST = """
import pytest
from sympy import S, Symbol, log
from sympy.stats import Normal
from symxent import KLDivergence

m1, m2 = Symbol("mu1", real=True), Symbol("mu2", real=True)
s1, s2 = Symbol("sigma1", positive=True), Symbol("sigma2", positive=True)
KL = KLDivergence(Normal("X1", m1, s1), Normal("X2", m2, s2))
RIGHT = log(s2/s1) + (s1**2 + (m1 - m2)**2)/(2*s2**2) - S.Half

@pytest.mark.symxent_formula(RIGHT, KL, points=2)
def test_marker_right():
    pass

@pytest.mark.symxent_formula(RIGHT + S.Half, KL, points=2)
def test_marker_wrong():
    pass

def test_fixture_right(formula_check):
    formula_check(RIGHT, KL, points=2)

def test_fixture_wrong(formula_check):
    formula_check(RIGHT - 1, KL, points=2)
"""


def test_plugin_marker_and_fixture(pytester):
    pytester.makepyfile(PLUGIN_TEST)
    result = pytester.runpytest("--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*AssertionError: formula * does not match D_KL(X1 || X2) at {*",
                                 "*AssertionError: formula * does not match D_KL(X1 || X2) at {*",
                                 "FAILED *::test_marker_wrong - AssertionError*",
                                 "FAILED *::test_fixture_wrong - AssertionError*"])


def test_plugin_one_line_usage_and_registration(pytester):
    pytester.makepyfile("""
        import pytest, sympy as sp
        from sympy.stats import Exponential
        from symxent import Entropy
        lam = sp.Symbol("lamda", positive=True)

        @pytest.mark.symxent_formula(1 - sp.log(lam), Entropy(Exponential("E", lam)), points=2)
        def test_exponential_entropy(): pass
    """)
    pytester.runpytest("--strict-markers").assert_outcomes(passed=1)
    pytester.runpytest("--markers").stdout.fnmatch_lines(["*symxent_formula(formula, quantity*"])


def test_plugin_marker_needs_two_arguments(pytester):
    pytester.makepyfile("""
        import pytest
        @pytest.mark.symxent_formula(1)
        def test_x(): pass
    """)
    result = pytester.runpytest()
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*needs (formula, quantity)*"])
