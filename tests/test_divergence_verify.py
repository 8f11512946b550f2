"""The divergence family's closed forms are checked against the numeric definition
before they are returned (symxent.divergences, via symxent.measures._check), and
symxent.numeric evaluates f-divergences from their definition."""
import warnings

import mpmath
import pytest
import sympy as sp
from sympy.stats import (Bernoulli, Exponential, MultivariateBeta, MultivariateNormal, Normal,
                         Poisson)

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


def test_multivariate_normal_closed_forms_are_now_checked():
    # the numeric layer integrates int p**a q**(1-a) for multivariate normals (issue 11):
    # the closed form comes back verified, without a warning
    X = MultivariateNormal("X", [0, 0], [[1, 0], [0, 1]])
    Y = MultivariateNormal("Y", [1, 0], [[2, 0], [0, 1]])
    v, w = _call(symxent.renyi_divergence, X, Y, sp.Rational(1, 2))
    assert not isinstance(v, divergences._Divergence)
    assert not w, [str(x.message) for x in w]
    # D_1/2 between N(m1, S1), N(m2, S2) (Gil, Alajaji & Linder 2013, Table 2 /
    # Pardo 2006, p. 51): (a/2) dm' S_a^-1 dm - log(det S_a / (det S1^(1-a) det S2^a))/(2(a-1)),
    # S_a = a S2 + (1-a) S1; here S_a = diag(3/2, 1), dm = (1, 0)
    ref = sp.Rational(1, 4) * sp.Rational(2, 3) + sp.log(sp.Rational(3, 2) / sp.sqrt(2))
    assert sp.simplify(v - ref) == 0


def test_undecidable_check_returns_the_result_with_a_warning():
    # f with a parameter of its own: the check cannot draw a value for it; the closed
    # form comes back, flagged as unverified (never counted as agreement)
    c = sp.Symbol("c", positive=True)
    X, Y = Exponential("X", l1), Exponential("Y", l2)
    v, w = _call(symxent.f_divergence, X, Y, sp.Lambda(t, c * (t - 1) ** 2))
    assert not isinstance(v, divergences._Divergence)
    assert [x.category for x in w] == [UnverifiedWarning]


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
    with pytest.raises(UnsupportedError):   # multivariate f-divergence: says so, never guesses
        evaluate(symxent.FDivergence(P, P, sp.Lambda(t, (t - 1) ** 2)), {})


# ------------------------------------------------------------ numeric multivariate laws
def test_numeric_renyi_multivariate_normal_against_gil_alajaji_linder():
    """symxent.numeric integrates int p**a q**(1-a) for multivariate normals (exact
    Fubini, one Gaussian integral per coordinate) and agrees at 30 digits with the
    reference of Gil, Alajaji & Linder (2013), tests/references_divergence.py; where
    a S2 + (1-a) S1 is not positive definite the value is +oo."""
    import references_divergence as R
    S1 = sp.Matrix([[2, sp.Rational(1, 2), 0], [sp.Rational(1, 2), 1, sp.Rational(1, 3)],
                    [0, sp.Rational(1, 3), sp.Rational(3, 2)]])
    S2 = sp.Matrix([[1, -sp.Rational(1, 4), 0], [-sp.Rational(1, 4), 3, 0], [0, 0, sp.Rational(1, 5)]])
    m1, m2 = [1, 0, -2], [0, sp.Rational(1, 2), 3]
    X, Y = MultivariateNormal("X", m1, S1), MultivariateNormal("Y", m2, S2)
    for al in (sp.Rational(1, 100), sp.Rational(1, 2), sp.Rational(3, 2), sp.Rational(2), sp.Rational(10)):
        Sa = al * S2 + (1 - al) * S1
        v = evaluate(symxent.RenyiDivergence(X, Y, al), {}, dps=30)
        if all(Sa[:i, :i].det() > 0 for i in (1, 2, 3)):
            ref, _ = R.renyi_mvnormal(al, m1, S1, m2, S2)
            with mpmath.workdps(40):
                assert abs(v.value - mpmath.mpf(sp.N(ref, 40))) < mpmath.mpf(10) ** -28, al
        else:
            assert v.value == mpmath.inf, al


def test_numeric_renyi_dirichlet_against_gil_alajaji_linder():
    import references_divergence as R
    A, B = [2, sp.Rational(1, 3), 5, sp.Rational(7, 4)], [sp.Rational(1, 2), 3, 1, 2]
    X, Y = MultivariateBeta("X", A), MultivariateBeta("Y", B)
    for al in (sp.Rational(1, 100), sp.Rational(1, 2), sp.Rational(3, 2), sp.Rational(10)):
        v = evaluate(symxent.RenyiDivergence(X, Y, al), {}, dps=30)
        ref, cond = R.renyi_dirichlet(al, A, B)
        if cond == sp.true:
            with mpmath.workdps(40):
                assert abs(v.value - mpmath.mpf(sp.N(ref, 40))) < mpmath.mpf(10) ** -28, al
        else:
            assert cond == sp.false and v.value == mpmath.inf, al
    # Renyi entropy of a Dirichlet: log(int p**a)/(1 - a), int p**a = B(a(A - 1) + 1)/B(A)**a
    # (the Dirichlet integral, DLMF 5.14.2)
    def lB(v):
        return sum(sp.loggamma(x) for x in v) - sp.loggamma(sum(v))
    al = sp.Rational(3, 2)
    v = evaluate(symxent.RenyiEntropy(MultivariateBeta("Z", [2, 3, 5]), al), {}, dps=30)
    ref = (lB([al * (x - 1) + 1 for x in [2, 3, 5]]) - al * lB([2, 3, 5])) / (1 - al)
    with mpmath.workdps(40):
        assert abs(v.value - mpmath.mpf(sp.N(ref, 40))) < mpmath.mpf(10) ** -28


def test_multivariate_closed_forms_come_back_verified():
    a = sp.Symbol("alpha", positive=True)
    s1, s2 = sp.symbols("s1 s2", positive=True)
    X = MultivariateNormal("X", [0, 0], sp.Matrix([[s1, 0], [0, 1]]))
    Y = MultivariateNormal("Y", [1, 0], sp.Matrix([[s2, 0], [0, 1]]))
    a1, a2, b1, b2 = sp.symbols("a1 a2 b1 b2", positive=True)
    D1, D2 = MultivariateBeta("D", [a1, b1, 2]), MultivariateBeta("E", [a2, b2, 1])
    for fn, args in [(symxent.renyi_divergence, (X, Y, a)), (symxent.hellinger_distance, (X, Y)),
                     (symxent.renyi_divergence, (D1, D2, a)), (symxent.chi2_divergence, (D1, D2)),
                     (symxent.renyi_entropy, (D1, a))]:
        v, w = _call(fn, *args)
        assert not isinstance(v, divergences._Divergence), (fn, v)
        assert not w, [str(x.message) for x in w]
