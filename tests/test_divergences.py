"""The divergence family (symxent.divergences) against cited references and the definitions.

For every family row:
  (1) symbolic -- the engine's Renyi divergence D_a(P||Q), with a a positive symbol, equals
      the reference of tests/references_divergence.py (simplify of the difference is 0, or
      .equals), and its finiteness condition agrees with the reference's at random points,
      on both sides of the edge;
  (2) numeric  -- at random admissible points, at a in (0, 1), a in (1, 3) and a just inside
      the edge of the finiteness condition, the closed form agrees to 25 digits with mpmath
      quadrature/summation of the definition (symxent.numeric.divergence, 30 digits); past
      the edge the closed form is +oo.
Then the identities (D_1/2 = -2 log BC, chi^2 = exp(D_2) - 1, the Hellinger normalisation,
a -> 1 limits), Renyi entropies, the other measures, printing, caching and bad input.
"""
import os
import random
import sys
import warnings

import mpmath
import pytest
import sympy as sp
from sympy import Matrix, Rational, Symbol, log, oo
from sympy.stats import (Bernoulli, Beta, Binomial, Chi, ChiSquared, Erlang, Exponential,
                         Gamma, Geometric, Gumbel, Laplace, Levy, LogNormal, Maxwell,
                         MultivariateBeta, MultivariateNormal, Normal, Pareto, Poisson,
                         Rayleigh, Uniform, Weibull)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import references_divergence as R  # noqa: E402

from symxent import (AlphaDivergence, BhattacharyyaCoefficient, Chi2Divergence,  # noqa: E402
                     FDivergence, HellingerDistance, MissingAssumptionError,
                     NoClosedFormWarning, ParameterError, RenyiDivergence, RenyiEntropy,
                     TsallisEntropy, UnsupportedError, alpha_divergence,
                     bhattacharyya_coefficient, bhattacharyya_distance, chi2_divergence,
                     entropy, f_divergence, hellinger_distance, kl_divergence,
                     renyi_divergence, renyi_entropy, tsallis_entropy)
from symxent.laws.domain import sample_point  # noqa: E402
from symxent.numeric.divergence import divergence_value  # noqa: E402

a = Symbol("alpha", positive=True)


def P(n):
    return Symbol(n, positive=True)


def PI(n):
    return Symbol(n, positive=True, integer=True)


def Re(n):
    return Symbol(n, real=True)


l1, l2, s1, s2, k1, k2, t1, t2, b, m = (P(n) for n in "l1 l2 s1 s2 k1 k2 t1 t2 b m".split())
a1, a2, b1, b2, p1, p2, c1, c2 = (P(n) for n in "a1 a2 b1 b2 p1 p2 c1 c2".split())
m1, m2 = Re("m1"), Re("m2")
kk, n = PI("k"), PI("n")

# name -> (P, Q, reference (value, condition) in alpha)
CASES = {
    "Exponential": (Exponential("X", l1), Exponential("Y", l2),
                    R.renyi_exponential(a, l1, l2)),
    "Normal": (Normal("X", m1, s1), Normal("Y", m2, s2), R.renyi_normal(a, m1, s1, m2, s2)),
    "LogNormal": (LogNormal("X", m1, s1), LogNormal("Y", m2, s2),
                  R.renyi_normal(a, m1, s1, m2, s2)),
    "Gamma": (Gamma("X", k1, t1), Gamma("Y", k2, t2), R.renyi_gamma(a, k1, t1, k2, t2)),
    "Beta": (Beta("X", a1, b1), Beta("Y", a2, b2), R.renyi_beta(a, a1, b1, a2, b2)),
    "Chi": (Chi("X", PI("k1")), Chi("Y", PI("k2")), R.renyi_chi(a, PI("k1"), PI("k2"))),
    "ChiSquared": (ChiSquared("X", PI("k1")), ChiSquared("Y", PI("k2")),
                   R.renyi_chisquared(a, PI("k1"), PI("k2"))),
    "Laplace": (Laplace("X", 0, b1), Laplace("Y", 0, b2), R.renyi_laplace0(a, b1, b2)),
    "Pareto": (Pareto("X", m, a1), Pareto("Y", m, a2), R.renyi_pareto(a, m, a1, a2)),
    "Weibull": (Weibull("X", l1, kk), Weibull("Y", l2, kk), R.renyi_weibull(a, l1, l2, kk)),
    "Rayleigh": (Rayleigh("X", s1), Rayleigh("Y", s2), R.renyi_rayleigh(a, s1, s2)),
    "Gumbel": (Gumbel("X", b, m1), Gumbel("Y", b, m2), R.renyi_gumbel(a, b, m1, m2)),
    "Erlang": (Erlang("X", kk, l1), Erlang("Y", kk, l2), R.renyi_erlang(a, kk, l1, l2)),
    "Maxwell": (Maxwell("X", a1), Maxwell("Y", a2), R.renyi_maxwell(a, a1, a2)),
    "Levy": (Levy("X", 0, c1), Levy("Y", 0, c2), R.renyi_levy(a, c1, c2)),
    "Poisson": (Poisson("X", l1), Poisson("Y", l2), R.renyi_poisson(a, l1, l2)),
    "Bernoulli": (Bernoulli("X", p1), Bernoulli("Y", p2), R.renyi_bernoulli(a, p1, p2)),
    "Binomial": (Binomial("X", n, p1), Binomial("Y", n, p2), R.renyi_binomial(a, n, p1, p2)),
    "Geometric": (Geometric("X", p1), Geometric("Y", p2), R.renyi_geometric(a, p1, p2)),
}


def _branch(v):
    """(finite value, condition) of the engine's answer."""
    if isinstance(v, sp.Piecewise):
        assert v.args[-1][0] is oo and v.args[-1][1] is sp.true, v
        assert len(v.args) == 2, v
        return v.args[0]
    return v, sp.true


def _same(x, y, rvs=(), cond=sp.true):
    """x == y: symbolically (simplify, after writing probabilities p = 1/(1 + r) so that
    1 - p is visibly positive), else -- as tests/test_closed_forms.py does when simplify is
    inconclusive -- at 50 digits at 6 random admissible points where cond holds."""
    d = (x - y).replace(sp.loggamma, lambda z: log(sp.gamma(z)))
    for f in (lambda e: e, lambda e: sp.expand_log(e, force=True), sp.simplify,
              lambda e: sp.simplify(sp.expand_log(sp.expand_func(e), force=True))):
        if f(d) == 0:
            return True
    probs = {s: 1 / (1 + Symbol(f"r_{s}", positive=True)) for s in d.free_symbols
             if str(s).startswith("p")}
    if probs:
        e = sp.expand_log(((a - 1) * d).xreplace(probs), force=True)
        if sp.simplify(sp.exp(e)) == 1:
            return True
    rng = random.Random(7)
    checked = 0
    for _ in range(30):
        pt = {**sample_point(list(rvs), rng), a: Rational(rng.randint(10, 300), 100)}
        if pt[a] == 1 or not _truth(cond, pt):
            continue
        with mpmath.workdps(50):
            if abs(_num(x, pt, 50) - _num(y, pt, 50)) > mpmath.mpf(10) ** -40 * max(
                    1, abs(_num(y, pt, 50))):
                return False
        checked += 1
        if checked == 6:
            return True
    return False


def _truth(c, pt):
    v = sp.sympify(c).subs(pt)
    return bool(sp.simplify(v)) if v not in (sp.true, sp.false) else bool(v)


def _num(e, pt, dps=40):
    with mpmath.workdps(dps):
        return mpmath.mpf(sp.N(e.subs(pt), dps))


def _agree(x, y, err, digits=25):
    tol = mpmath.mpf(10) ** (-digits) * max(1, abs(y)) + 10 * abs(err)
    return abs(x - y) <= tol


def _edge_alpha(cond, pt):
    """The largest alpha in (1, 64) with cond true, by bisection (None: true up to 64)."""
    f = lambda al: _truth(cond, {**pt, a: al})  # noqa: E731
    if f(64):
        return None
    lo, hi = sp.S.One, sp.S(64)
    for _ in range(22):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) else (lo, mid)
    return lo


@pytest.mark.parametrize("name", list(CASES))
def test_renyi_reference(name):
    Pv, Qv, (ref, ref_cond) = CASES[name]
    got = renyi_divergence(Pv, Qv, a)
    value, cond = _branch(got)
    assert _same(value, ref, (Pv, Qv), ref_cond), f"{name}: {value} != {ref}"
    rng = random.Random(hash(name) % 1000)
    for i in range(1):
        pt = sample_point([Pv, Qv], rng)
        for al in (Rational(rng.randint(5, 95), 100), Rational(rng.randint(105, 300), 100)):
            full = {**pt, a: al}
            assert _truth(cond, full) == _truth(ref_cond, full), (name, full)
            num, err = divergence_value("renyi", Pv, Qv, al, pt, dps=30) if _truth(
                cond, full) else (None, None)
            if num is None:
                assert got.subs(full) is oo
                continue
            assert _agree(_num(value, full), num, err), (name, full, _num(value, full), num)
        edge = _edge_alpha(cond, pt)
        if edge is not None:   # just inside the edge, and beyond it
            inside = 1 + (edge - 1) * Rational(97, 100)
            full = {**pt, a: sp.nsimplify(sp.Float(inside, 12))}
            assert _truth(ref_cond, full)
            num, err = divergence_value("renyi", Pv, Qv, full[a], pt, dps=30)
            assert _agree(_num(value, full), num, err, 20), (name, full)
            beyond = {**pt, a: sp.nsimplify(sp.Float(edge * Rational(103, 100), 12))}
            assert not _truth(ref_cond, beyond) and got.subs(beyond) is oo
