"""The divergence family's closed forms are checked against the numeric definition
before they are returned (symxent.divergences, via symxent.measures._check), and
symxent.numeric evaluates f-divergences from their definition."""
import warnings

import mpmath
import pytest
import sympy as sp
from sympy.stats import Bernoulli, Exponential, MultivariateNormal, Normal, Poisson

import symxent
from symxent import divergences
from symxent.errors import UnsupportedError
from symxent.measures import NoClosedFormWarning, UnverifiedWarning, VerificationWarning
from symxent.numeric import evaluate

t = sp.Symbol("t")
a = sp.Symbol("alpha", positive=True)
l1, l2 = sp.symbols("lambda1 lambda2", positive=True)


def _call(fn, *args, **kw):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        v = fn(*args, **kw)
    return v, [x for x in w if issubclass(x.category, (NoClosedFormWarning, UnverifiedWarning))]


@pytest.fixture
def wrong_closed_form(monkeypatch):
    """The engine returns the right closed form plus a small wrong term."""
    real = divergences._value

    def wrong(kind, rvs, order):
        return real(kind, rvs, order) + sp.Rational(1, 1000)
    monkeypatch.setattr(divergences, "_value", wrong)
    monkeypatch.setattr(symxent.measures, "_CACHE", type(symxent.measures._CACHE)())


@pytest.mark.parametrize("call", [
    lambda X, Y: symxent.renyi_divergence(X, Y, a),
    lambda X, Y: symxent.renyi_divergence(X, Y, 2, base=2),
    lambda X, Y: symxent.bhattacharyya_coefficient(X, Y),
    lambda X, Y: symxent.chi2_divergence(X, Y),
    lambda X, Y: symxent.tsallis_entropy(X, a),
    lambda X, Y: symxent.f_divergence(X, Y, sp.Lambda(t, (t - 1) ** 2)),
], ids=["renyi-symbolic-order", "renyi-base2", "bc", "chi2", "tsallis", "f"])
def test_a_wrong_closed_form_is_refused(wrong_closed_form, call):
    X, Y = Exponential("X", l1), Exponential("Y", l2)
    v, w = _call(call, X, Y)
    assert isinstance(v, divergences._Divergence), v          # the unevaluated object
    assert any(x.category is VerificationWarning for x in w), [str(x.message) for x in w]
    assert "failed its numeric check" in str(w[0].message)


def test_verify_false_skips_the_check(wrong_closed_form):
    X, Y = Exponential("X", l1), Exponential("Y", l2)
    v, w = _call(symxent.bhattacharyya_coefficient, X, Y, verify=False)
    assert not isinstance(v, divergences._Divergence) and not w
    with pytest.raises(TypeError):
        symxent.chi2_divergence(X, Y, verify="yes")


def test_global_switch(wrong_closed_form):
    X, Y = Poisson("X", l1), Poisson("Y", l2)
    symxent.set_verify(False)
    try:
        v, w = _call(symxent.hellinger_distance, X, Y)
        assert not isinstance(v, divergences._Divergence) and not w
    finally:
        symxent.set_verify(True)
    v, w = _call(symxent.hellinger_distance, X, Y)
    assert isinstance(v, divergences._Divergence)
    assert [x.category for x in w] == [VerificationWarning]


def test_right_closed_forms_pass_silently():
    X, Y = Exponential("X", l1), Exponential("Y", l2)
    for fn, args in [(symxent.renyi_divergence, (X, Y, a)),
                     (symxent.alpha_divergence, (X, Y, sp.Symbol("r", real=True))),
                     (symxent.renyi_entropy, (Normal("Z", 0, l1), a))]:
        v, w = _call(fn, *args)
        assert not isinstance(v, divergences._Divergence) and not w, [str(x.message) for x in w]


def test_undecidable_check_returns_the_result_with_a_warning():
    # the numeric layer has no value for multivariate laws: the closed form comes back,
    # flagged as unverified (never counted as agreement)
    X = MultivariateNormal("X", [0, 0], [[1, 0], [0, 1]])
    Y = MultivariateNormal("Y", [1, 0], [[2, 0], [0, 1]])
    v, w = _call(symxent.renyi_divergence, X, Y, sp.Rational(1, 2))
    assert not isinstance(v, divergences._Divergence)
    assert [x.category for x in w] == [UnverifiedWarning]
    # D_1/2 between N(m1, S1), N(m2, S2) (Gil, Alajaji & Linder 2013, Table 2 /
    # Pardo 2006, p. 51): (a/2) dm' S_a^-1 dm - log(det S_a / (det S1^(1-a) det S2^a))/(2(a-1)),
    # S_a = a S2 + (1-a) S1; here S_a = diag(3/2, 1), dm = (1, 0)
    ref = sp.Rational(1, 4) * sp.Rational(2, 3) + sp.log(sp.Rational(3, 2) / sp.sqrt(2))
    assert sp.simplify(v - ref) == 0


# ------------------------------------------------------------ numeric f-divergences
def test_numeric_f_divergence_matches_cited_formulas():
    with mpmath.workdps(40):
        # t log t: D_KL(N(0,1) || N(1,2)) = log(s2/s1) + (s1^2 + dm^2)/(2 s2^2) - 1/2
        # (Cover & Thomas 2006, Ex. 8.x / Bishop 2006, (1.113) specialised)
        X, Y = Normal("X", 0, 1), Normal("Y", 1, 2)
        v = evaluate(symxent.FDivergence(X, Y, sp.Lambda(t, t * sp.log(t))), {}, dps=30)
        ref = mpmath.log(2) + mpmath.mpf(2) / 8 - mpmath.mpf(1) / 2
        assert abs(v.value - ref) < mpmath.mpf(10) ** -25
        # (t - 1)**2: chi^2(Exp(l1) || Exp(l2)) = l1^2 / (l2 (2 l1 - l2)) - 1 for 2 l1 > l2
        # (direct integration of l1^2 exp(-(2 l1 - l2) x) / l2; Gil et al. 2013, Table 3, D_2)
        for p1, p2 in [(2, 3), (sp.Rational(1, 1000), sp.Rational(3, 2000)), (500, 7)]:
            E1, E2 = Exponential("E", l1), Exponential("F", l2)
            v = evaluate(symxent.FDivergence(E1, E2, sp.Lambda(t, (t - 1) ** 2)),
                         {l1: p1, l2: p2}, dps=30)
            ref = mpmath.mpf(p1) ** 2 / (mpmath.mpf(p2) * (2 * mpmath.mpf(p1) - mpmath.mpf(p2))) - 1
            assert abs(v.value - ref) < mpmath.mpf(10) ** -20 * max(1, abs(ref)), (p1, p2)
        # -log t on Poisson laws: D_KL(Q || P) = l2 log(l2/l1) + l1 - l2 (a standard identity)
        A, B = Poisson("A", 2), Poisson("B", 3)
        v = evaluate(symxent.FDivergence(A, B, sp.Lambda(t, -sp.log(t))), {}, dps=30)
        ref = 3 * mpmath.log(mpmath.mpf(3) / 2) + 2 - 3
        assert abs(v.value - ref) < mpmath.mpf(10) ** -20
        # finite laws, total variation f = |t - 1| / 2: TV(Bern(1/3), Bern(1/2)) = 1/6
        C, D = Bernoulli("C", sp.Rational(1, 3)), Bernoulli("D", sp.Rational(1, 2))
        v = evaluate(symxent.FDivergence(C, D, sp.Lambda(t, sp.Abs(t - 1) / 2)), {}, dps=30)
        assert abs(v.value - mpmath.mpf(1) / 6) < mpmath.mpf(10) ** -25


def test_numeric_f_divergence_refuses_what_it_cannot_do():
    X = Exponential("X", 1)
    with pytest.raises(UnsupportedError):   # different supports
        evaluate(symxent.FDivergence(X, Normal("Y", 0, 1), sp.Lambda(t, (t - 1) ** 2)), {})
    P = MultivariateNormal("P", [0, 0], [[1, 0], [0, 1]])
    with pytest.raises(UnsupportedError):   # multivariate: says so, never guesses
        evaluate(symxent.RenyiDivergence(P, P, 2), {})
