"""Tests of the numeric reference (symxent.numeric.core) against independently known values.

Every reference value below is computed here in mpmath from a textbook formula
(source cited next to it), never from symxent's engine.  A value passes when it
is within its own claimed error: ``|value - reference| <= 10 * error + 10**-(dps+2)``
(so the error estimate itself is tested for honesty), and the claimed error must be
small (below ``10**(-dps+5)``).
"""
import mpmath
import pytest
import sympy as sp
from sympy import Rational as R
from sympy.stats import (
    Arcsin, Bernoulli, Beta, Binomial, Cauchy, ContinuousRV, Die, Exponential, FiniteRV,
    Gamma, GammaInverse, Geometric, Kumaraswamy, Laplace, Levy, MultivariateBeta,
    MultivariateNormal, Normal, Pareto, Poisson, Uniform)

from symxent.errors import ParameterError, UnsupportedError
from symxent.numeric.core import (
    NumericError, NumericValue, entropy_value, evaluate,
    evaluate_expression, kl_value)

mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)


def mp(x):
    """An exact sympy number as an mpf at the current precision."""
    x = sp.Rational(x)
    return mpmath.mpf(int(x.p)) / int(x.q)


def check(res, ref, dps):
    """``res`` agrees with ``ref`` within its own (small) error estimate."""
    assert isinstance(res, NumericValue)
    with mpmath.workdps(dps + 20):
        ref = +ref
        assert res.error >= 0
        assert res.error <= mpmath.mpf(10) ** (-dps + 5) * max(1, abs(ref)), res
        slack = 10 * res.error + mpmath.mpf(10) ** (-dps - 2) * max(1, abs(ref))
        assert abs(res.value - ref) <= slack, (res, mpmath.nstr(ref, dps + 3))


# ----------------------------------------------------------------------- Gaussian
@pytest.mark.parametrize("dps", [30, 50])
@pytest.mark.parametrize("m, s", [(0, 1), (R(-5, 2), R(7, 3))])
def test_normal_entropy(dps, m, s):
    X = Normal("X", mu, sigma)
    res = evaluate(("entropy", X), {mu: m, sigma: s}, dps=dps)
    # Cover & Thomas, Elements of Information Theory (2006), Example 8.1.2
    with mpmath.workdps(dps + 20):
        ref = mpmath.log(2 * mpmath.pi * mpmath.e * mp(s) ** 2) / 2
    check(res, ref, dps)


@pytest.mark.parametrize("m, s", [(3, R(1, 10**30)), (0, 10**30), (10**30, 1)])
def test_normal_entropy_extreme_parameters(m, s):
    res = entropy_value(Normal("X", mu, sigma), {mu: m, sigma: s}, dps=30)
    with mpmath.workdps(60):
        ref = mpmath.log(2 * mpmath.pi * mpmath.e * mp(s) ** 2) / 2
    check(res, ref, 30)


@pytest.mark.parametrize("dps", [30, 50])
def test_normal_kl(dps):
    X, Y = Normal("X", R(1, 3), 2), Normal("Y", R(-7, 4), R(5, 4))
    res = kl_value(X, Y, dps=dps)
    # Kullback, Information Theory and Statistics (1959): log(s2/s1) + (s1^2 + dm^2)/(2 s2^2) - 1/2
    with mpmath.workdps(dps + 20):
        s1, s2, dm = mp(2), mp(R(5, 4)), mp(R(1, 3) + R(7, 4))
        ref = mpmath.log(s2 / s1) + (s1 ** 2 + dm ** 2) / (2 * s2 ** 2) - mpmath.mpf(1) / 2
    check(res, ref, dps)


# ----------------------------------------------------------------------- other families
@pytest.mark.parametrize("rate", [R(3, 2), R(1, 10**30), 10**30])
def test_exponential_entropy(rate):
    res = entropy_value(Exponential("E", rate), dps=30)
    with mpmath.workdps(60):
        ref = 1 - mpmath.log(mp(rate))      # Lazo & Rathie (1978), Table 1
    check(res, ref, 30)


def test_laplace_entropy_huge_scale_and_location():
    res = entropy_value(Laplace("L", 10**30, 10**30), dps=30)
    with mpmath.workdps(60):
        ref = 1 + mpmath.log(2 * mpmath.mpf(10) ** 30)   # Lazo & Rathie (1978), Table 1
    check(res, ref, 30)


def test_cauchy_entropy_tiny_scale_heavy_tails():
    res = entropy_value(Cauchy("C", 3, R(1, 10**30)), dps=30)
    with mpmath.workdps(60):
        ref = mpmath.log(4 * mpmath.pi * mpmath.mpf(10) ** -30)   # Lazo & Rathie (1978)
    check(res, ref, 30)


@pytest.mark.parametrize("alpha", [R(3, 10), R(1, 1000)])
def test_pareto_entropy_heavy_tail(alpha):
    res = entropy_value(Pareto("P", 2, alpha), dps=30)
    with mpmath.workdps(60):
        a = mp(alpha)
        ref = mpmath.log(2 / a) + 1 / a + 1      # Lazo & Rathie (1978), Table 1
    check(res, ref, 30)


def test_beta_entropy_endpoint_singularities():
    a, b = R(1, 20), R(3, 10)
    res = entropy_value(Beta("B", a, b), dps=30)
    with mpmath.workdps(60):
        A, B = mp(a), mp(b)
        # Lazo & Rathie (1978): log B(a,b) - (a-1) psi(a) - (b-1) psi(b) + (a+b-2) psi(a+b)
        ref = (mpmath.log(mpmath.beta(A, B)) - (A - 1) * mpmath.digamma(A)
               - (B - 1) * mpmath.digamma(B) + (A + B - 2) * mpmath.digamma(A + B))
    check(res, ref, 30)


def test_arcsin_entropy():
    res = entropy_value(Arcsin("A", -1, 3), dps=30)
    with mpmath.workdps(60):
        ref = mpmath.log(mpmath.pi * 4 / 4)   # Michalowicz et al., Handbook of Diff. Entropy
    check(res, ref, 30)


def test_levy_entropy():
    res = entropy_value(Levy("L", 1, R(7, 5)), dps=30)
    with mpmath.workdps(60):
        c = mp(R(7, 5))
        # Michalowicz, Nichols & Bucholtz, Handbook of Differential Entropy (2013)
        ref = (1 + 3 * mpmath.euler + mpmath.log(16 * mpmath.pi * c ** 2)) / 2
    check(res, ref, 30)


def test_kumaraswamy_entropy_cancelling_density_near_one():
    # (1 - x**a)**(b - 1) with b < 1 cancels near x = 1
    a, b = R(451, 500), R(21, 100)
    res = entropy_value(Kumaraswamy("K", a, b), dps=30)
    with mpmath.workdps(60):
        A, B = mp(a), mp(b)
        # Michalowicz et al. (2013): (1 - 1/b) + (1 - 1/a) H_b - log(a b), H_b harmonic number
        ref = (1 - 1 / B) + (1 - 1 / A) * mpmath.harmonic(B) - mpmath.log(A * B)
    check(res, ref, 30)


def test_gamma_entropy_huge_scale():
    k = R(5, 2)
    res = entropy_value(Gamma("G", k, 10**30), dps=30)
    with mpmath.workdps(60):
        K = mp(k)
        # Lazo & Rathie (1978): k + log(theta) + log Gamma(k) + (1 - k) psi(k)
        ref = K + mpmath.log(mpmath.mpf(10) ** 30) + mpmath.loggamma(K) + (1 - K) * mpmath.digamma(K)
    check(res, ref, 30)


def test_half_normal_user_density():
    x = sp.Symbol("x")
    s = R(3, 2)
    X = ContinuousRV(x, sp.sqrt(2) / (s * sp.sqrt(sp.pi)) * sp.exp(-x**2 / (2 * s**2)),
                     set=sp.Interval(0, sp.oo))
    with mpmath.workdps(60):
        ref = mpmath.log(mpmath.pi * mpmath.e * mp(s) ** 2 / 2) / 2   # half of N(0, s) entropy - log 2
    check(entropy_value(X), ref, 30)


# ----------------------------------------------------------------------- discrete and finite
@pytest.mark.parametrize("dps", [30, 50])
def test_bernoulli_kl_by_hand(dps):
    p, q = R(1, 3), R(3, 4)
    res = kl_value(Bernoulli("A", p), Bernoulli("B", q), dps=dps)
    with mpmath.workdps(dps + 20):
        P, Q = mp(p), mp(q)
        ref = P * mpmath.log(P / Q) + (1 - P) * mpmath.log((1 - P) / (1 - Q))
    check(res, ref, dps)


def test_poisson_entropy_against_direct_sum():
    lam = R(9, 4)
    res = entropy_value(Poisson("P", lam), dps=30)
    with mpmath.workdps(60):
        L = mp(lam)

        def term(k):
            pk = mpmath.exp(-L) * L ** k / mpmath.factorial(k)
            return -pk * mpmath.log(pk)
        ref = mpmath.nsum(term, [0, mpmath.inf])
    check(res, ref, 30)


def test_geometric_entropy():
    p = R(2, 7)
    res = entropy_value(Geometric("G", p), dps=30)
    with mpmath.workdps(60):
        P = mp(p)
        ref = (-(1 - P) * mpmath.log(1 - P) - P * mpmath.log(P)) / P   # standard result
    check(res, ref, 30)


def test_finite_entropies_and_zero_atoms():
    F = FiniteRV("F", {0: R(1, 2), 1: R(1, 2), 2: 0})   # 0 log 0 = 0
    with mpmath.workdps(60):
        check(entropy_value(Die("D", 6)), mpmath.log(6), 30)
        check(entropy_value(F), mpmath.log(2), 30)


# ----------------------------------------------------------------------- +oo
@pytest.mark.parametrize("quantity", [
    ("kl", Normal("N", 0, 1), Exponential("E", 1)),            # support of P not inside Q's
    ("cross_entropy", Normal("N", 0, 1), Exponential("E", 1)),
    ("kl", Uniform("U", 0, 2), Uniform("V", 0, 1)),
    ("kl", Pareto("P", 2, R(3, 2)), Normal("N", 0, 1)),         # tail: E_P[x^2] = oo
    ("kl", Pareto("P", 2, 2), Normal("N", 0, 1)),               # borderline alpha = 2
    ("kl", Exponential("E", 1), GammaInverse("G", 2, 1)),       # -log q ~ 1/x at 0
    ("kl", Poisson("P", 2), Binomial("B", 3, R(1, 2))),
    ("kl", Bernoulli("A", R(1, 3)), Bernoulli("B", 1)),
], ids=lambda q: q[0] + " " + " || ".join(type(r.pspace.distribution).__name__ for r in q[1:]))
def test_infinite(quantity):
    res = evaluate(quantity, {}, dps=30)
    assert res.value == mpmath.inf and res.error == 0


def test_finite_just_beyond_the_divergence():
    # alpha = 5/2 > 2: E[x^2] finite; compare with plain mpmath.quad of the definition
    P, Q = Pareto("P", 2, R(5, 2)), Normal("N", 0, 1)
    res = kl_value(P, Q, dps=30)
    with mpmath.workdps(60):
        a = mpmath.mpf(5) / 2

        def f(x):
            lp = mpmath.log(a) + a * mpmath.log(2) - (a + 1) * mpmath.log(x)
            lq = -x ** 2 / 2 - mpmath.log(2 * mpmath.pi) / 2
            return mpmath.exp(lp) * (lp - lq)
        ref = mpmath.quad(f, [2, 4, 8, 32, 128, 1024, mpmath.inf])
    check(res, ref, 25)


def test_undecidable_convergence_is_an_error_not_a_number():
    # p(x) = 2/(x log(x)^3) on (e, oo): x p(x) (-log p) ~ 2/log(x)^2 decays too slowly
    x = sp.Symbol("x")
    X = ContinuousRV(x, 2 / (x * sp.log(x) ** 3), set=sp.Interval(sp.E, sp.oo))
    with pytest.raises(NumericError, match="cannot decide whether the integral converges"):
        entropy_value(X)


# ----------------------------------------------------------------------- multivariate
def test_multivariate_normal_entropy_and_kl():
    S1, S2 = sp.Matrix([[2, 1], [1, 3]]), sp.Matrix([[1, 0], [0, 2]])
    X = MultivariateNormal("X", sp.Matrix([1, 2]), S1)
    Y = MultivariateNormal("Y", sp.Matrix([0, 1]), S2)
    with mpmath.workdps(60):
        # Cover & Thomas, Theorem 8.4.1: log((2 pi e)^n det S) / 2
        check(entropy_value(X), mpmath.log((2 * mpmath.pi * mpmath.e) ** 2 * 5) / 2, 30)
        # (tr(S2^-1 S1) + dm^T S2^-1 dm - n + log(det S2 / det S1)) / 2  (Kullback 1959)
        ref = (mp(R(2, 1) + R(3, 2)) + mp(1 + R(1, 2)) - 2 + mpmath.log(mpmath.mpf(2) / 5)) / 2
        check(kl_value(X, Y), ref, 30)


def test_dirichlet_entropy():
    a = [R(1, 2), 2, 3]
    with mpmath.workdps(60):
        A = [mp(x) for x in a]
        a0 = sum(A)
        # Kotz, Balakrishnan & Johnson, Continuous Multivariate Distributions (2000), ch. 49:
        # log B(a) + (a0 - K) psi(a0) - sum (a_j - 1) psi(a_j)
        ref = (sum(mpmath.loggamma(x) for x in A) - mpmath.loggamma(a0)
               + (a0 - 3) * mpmath.digamma(a0) - sum((x - 1) * mpmath.digamma(x) for x in A))
        check(entropy_value(MultivariateBeta("D", a)), ref, 30)


# ----------------------------------------------------------------------- API
def test_base_two_is_nats_over_log_two():
    X, Y = Normal("X", 0, 1), Normal("Y", 1, 2)
    nats, bits = kl_value(X, Y), kl_value(X, Y, base=2)
    with mpmath.workdps(40):
        check(bits, nats.value / mpmath.log(2), 30)


def test_measure_objects_and_tuples_agree_and_identity_holds():
    from symxent.measures import CrossEntropy, Entropy, KLDivergence
    X, Y = Normal("X", mu, sigma), Laplace("Y", 0, 1)
    at = {mu: R(1, 2), sigma: R(3, 2)}
    a, b = evaluate(KLDivergence(X, Y), at), evaluate(("kl", X, Y), at)
    assert a.value == b.value
    # H(P,Q) - S(P) - D(P||Q) = 0 straight from the three definitions, numerically
    res = evaluate_expression(CrossEntropy(X, Y) - Entropy(X) - KLDivergence(X, Y), at)
    assert abs(res.value) <= 10 * res.error + mpmath.mpf(10) ** -30


def test_precision_is_local():
    before = mpmath.mp.dps
    entropy_value(Normal("X", 0, 1), dps=45)
    assert mpmath.mp.dps == before


def test_bad_input():
    X = Normal("X", mu, sigma)
    with pytest.raises(ParameterError, match="no value given for parameter"):
        entropy_value(X, {mu: 0})
    with pytest.raises(ParameterError, match="contradicts the assumption positive=True"):
        entropy_value(X, {mu: 0, sigma: -1})
    with pytest.raises(UnsupportedError, match="cannot compare a continuous with a discrete"):
        kl_value(Normal("N", 0, 1), Poisson("P", 1))
    with pytest.raises(UnsupportedError, match="with kind in"):
        evaluate(("mutual_information", X), {mu: 0, sigma: 1})
    with pytest.raises(UnsupportedError, match="not an Entropy/CrossEntropy/KLDivergence"):
        evaluate(X, {mu: 0, sigma: 1})
