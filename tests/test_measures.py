"""The public API: objects, printing, rewriting, bases, caching, budgets, +oo rows."""
import time
import warnings

import pytest
import sympy as sp
from sympy.stats import (Bernoulli, ContinuousRV, Exponential, FiniteRV, Gamma, Kumaraswamy,
                         Normal, Pareto, Poisson, Uniform)

import symxent
from symxent import (CrossEntropy, Entropy, KLDivergence, NoClosedFormWarning, cross_entropy,
                     entropy, kl_divergence)
from symxent.testing.catalogue import NO_CLOSED_FORM, _E

mu1, mu2 = sp.symbols("mu1 mu2", real=True)
s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
X, Y = Normal("X", mu1, s1), Normal("Y", mu2, s2)


def test_public_surface_is_explicit():
    assert set(symxent.__all__) >= {"entropy", "cross_entropy", "kl_divergence", "Entropy",
                                    "CrossEntropy", "KLDivergence", "Categorical"}
    assert "S" not in symxent.__all__ and "H" not in symxent.__all__


def test_gaussian_kl_textbook_shape():
    # reference: Cover & Thomas (2006), Elements of Information Theory, eq. 8.x / Penny (2001)
    ref = sp.log(s2 / s1) + (s1**2 + (mu1 - mu2)**2) / (2 * s2**2) - sp.Rational(1, 2)
    d = kl_divergence(X, Y)
    assert sp.simplify(d - ref) == 0
    assert str(d) == "log(sigma2/sigma1) - 1/2 + (sigma1**2 + (mu1 - mu2)**2)/(2*sigma2**2)"


def test_unevaluated_objects_print_and_doit():
    k = KLDivergence(X, Y)
    assert str(k) == "D_KL(X || Y)"
    assert str(Entropy(X)) == "S(X)" and str(CrossEntropy(X, Y)) == "H(X, Y)"
    assert "\u2016" in sp.pretty(k, use_unicode=True)
    assert sp.latex(k) == r"D_{\mathrm{KL}}\left(X \,\middle\|\, Y\right)"
    assert sp.latex(Entropy(X, base=2)) == r"S_{2}\left(X\right)"
    assert sp.simplify(k.doit() - kl_divergence(X, Y)) == 0


def test_rewrite_shows_the_definition():
    i = Entropy(Exponential("E", 2)).rewrite(sp.Integral)
    assert isinstance(i, sp.Integral)
    assert sp.Abs(i.evalf(30) - (1 - sp.log(2))).evalf() < 1e-25
    s = Entropy(Poisson("P", 2)).rewrite(sp.Sum)
    assert isinstance(s, sp.Sum)


def test_decomposition_and_self_cross_entropy():
    assert sp.simplify(cross_entropy(X, Y) - entropy(X) - kl_divergence(X, Y)) == 0
    assert sp.simplify(cross_entropy(X, X) - entropy(X)) == 0


def test_base_two_is_nats_over_log2():
    b = entropy(X, base=2)
    assert sp.simplify(b - entropy(X) / sp.log(2)) == 0
    with pytest.raises(ValueError, match="base must be positive and not 1"):
        entropy(X, base=1)


def test_warm_repeat_is_served_from_cache():
    kl_divergence(X, Y)
    t = time.perf_counter()
    for _ in range(100):
        kl_divergence(X, Y)
    assert (time.perf_counter() - t) / 100 < 0.01


def test_support_not_nested_gives_oo():
    assert kl_divergence(Normal("N", 0, 1), Exponential("E", 1)) == sp.oo
    assert cross_entropy(Normal("N", 0, 1), Uniform("U", 0, 1)) == sp.oo
    assert kl_divergence(Poisson("P", 1), Bernoulli("B", sp.Rational(1, 2))) == sp.oo
    # an atom of P where Q has none
    p = FiniteRV("F", {0: sp.Rational(1, 2), 1: sp.Rational(1, 2)})
    q = FiniteRV("G", {0: 1, 1: 0})
    assert kl_divergence(p, q) == sp.oo


def test_zero_atoms_follow_0_log_0():
    f = FiniteRV("F", {0: sp.Rational(1, 2), 1: sp.Rational(1, 2), 2: 0})
    assert sp.simplify(entropy(f) - sp.log(2)) == 0


def test_containment_depending_on_parameters_is_piecewise():
    a1, b1, a2, b2 = sp.symbols("a1 b1 a2 b2", real=True)
    d = kl_divergence(Uniform("U", a1, b1), Uniform("V", a2, b2))
    assert isinstance(d, sp.Piecewise)
    inside = {a1: 1, b1: 2, a2: 0, b2: 4}
    assert sp.simplify(d.subs(inside) - sp.log(4)) == 0
    assert d.subs({a1: -1, b1: 2, a2: 0, b2: 4}) == sp.oo


def test_moment_existing_only_for_some_parameters():
    xm, alpha = sp.symbols("x_m alpha", positive=True)
    d = kl_divergence(Pareto("P", xm, alpha), Normal("N", mu2, s2))
    assert isinstance(d, sp.Piecewise)
    assert d.subs({alpha: sp.Rational(3, 2), xm: 1, mu2: 0, s2: 1}) == sp.oo
    assert d.subs({alpha: 3, xm: 1, mu2: 0, s2: 1}).is_finite


def test_no_closed_form_comes_back_unevaluated_with_a_warning():
    p, q = NO_CLOSED_FORM[0]
    P, Q = _E[p]("1", "P")[0], _E[q]("2", "Q")[0]
    with pytest.warns(NoClosedFormWarning, match="returning it unevaluated"):
        r = kl_divergence(P, Q, timeout=3)
    assert isinstance(r, KLDivergence)


def test_budget_on_a_density_sympy_cannot_integrate():
    x = sp.Symbol("x")
    z = sp.Integral(sp.exp(-x**4 + x), (x, -sp.oo, sp.oo))
    R = ContinuousRV(x, sp.exp(-x**4 + x) / z, set=sp.Reals)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        t = time.perf_counter()
        r = entropy(R, timeout=2)
        assert time.perf_counter() - t < 10
    assert isinstance(r, Entropy)
    assert any("time budget of 2 s exceeded" in str(m.message) for m in w)


def test_kumaraswamy_support_is_corrected():
    a, b = sp.symbols("a b", positive=True)
    s = entropy(Kumaraswamy("K", a, b))
    assert not isinstance(s, Entropy) and not s.has(sp.I)


def test_default_timeout_is_configurable():
    old = symxent.get_default_timeout()
    try:
        symxent.set_default_timeout(5)
        assert symxent.get_default_timeout() == 5
        with pytest.raises(ValueError, match="timeout must be positive"):
            symxent.set_default_timeout(0)
    finally:
        symxent.set_default_timeout(old)


def test_gamma_kl_different_shapes():
    k1, k2, t1, t2 = sp.symbols("k1 k2 theta1 theta2", positive=True)
    d = kl_divergence(Gamma("G1", k1, t1), Gamma("G2", k2, t2))
    # Penny (2001), eq. for KL between Gammas, rewritten in shape/scale:
    ref = ((k1 - k2) * sp.polygamma(0, k1) - sp.loggamma(k1) + sp.loggamma(k2)
           + k2 * (sp.log(t2) - sp.log(t1)) + k1 * (t1 - t2) / t2)
    pt = {k1: sp.Rational(7, 3), k2: sp.Rational(1, 2), t1: sp.Rational(3, 2), t2: 5}
    assert abs(sp.N((d - ref).subs(pt), 40)) < 1e-35
