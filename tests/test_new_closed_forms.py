"""Closed forms reached through the special-function kernels (symxent/engine/special.py).

For every row of tests/references_new.py:
  * the engine's answer is a closed form, equal to the cited reference symbolically
    (``simplify(expand_func(answer - reference)) == 0``);
  * at seeded admissible points (across magnitudes, near the domain boundaries) both the
    answer and the reference agree to >= 25 digits with mpmath quadrature of the
    *definition* at 40 digits, computed here from the sympy.stats densities alone;
  * points where the quantity is +oo give oo.
Each new kernel's log Z is checked against its Z and against quadrature, and the pairs with
no closed form come back unevaluated within 5 s.
"""
import os
import random
import sys
import time
import warnings

import mpmath
import pytest
import sympy as sp
from sympy.stats import Logistic, LogitNormal, Normal, StudentT, density

from symxent import Entropy, KLDivergence, NoClosedFormWarning, entropy, kl_divergence
from symxent.engine.kernels import KERNELS, register_kernel
from symxent.engine.logform import LogForm
from symxent.engine.special import (BesselKIntegral, BetaPrimeIntegral, FactoredBetaIntegral,
                                    RaisedCosineIntegral, VonMisesIntegral, besselk,
                                    besselk_dnu)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from references_new import NO_CLOSED_FORM, ROWS  # noqa: E402

SEED = 20261202
POINTS = 2
DPS = 34
DIGITS = 25
STEPS = [-256, -64, -16, -4, -1, 0, 1, 4, 16, 64, 256]   # cut points, in widths of the peak


# ------------------------------------------------------------ the definition, numerically

def _support(rv):
    s = rv.pspace.domain.set
    return s.inf, s.sup


def _logdensity(rv, x, point):
    return sp.log(density(rv)(x).subs(point))


def _definition(kind, rvs, point):
    """S or D_KL from the densities by mpmath quadrature, on the whole line in a variable u:
    x = exp(u) on (0, oo), x = lo + (hi - lo) e^u/(1 + e^u) on (lo, hi).  The log-density is
    rewritten in u exactly (1 - x = 1/(1 + e^u)), so that mass piled up within 1e-40 of an
    end (Beta(a, 1/50)) is still resolved."""
    P = rvs[0]
    x = sp.Dummy("x", real=True)
    u = sp.Dummy("u", real=True)
    lp = _logdensity(P, x, point)
    g = -lp if kind == "entropy" else lp - _logdensity(rvs[1], x, point)
    lo, hi = (sp.sympify(e).subs(point) for e in _support(P))
    if lo == 0 and hi is sp.oo:
        x_of_u, logjac = sp.exp(u), u
    elif lo is sp.S.NegativeInfinity and hi is sp.oo:
        x_of_u, logjac = sp.sinh(u), sp.log(sp.cosh(u))
    else:
        x_of_u = lo + (hi - lo) * sp.exp(u) / (1 + sp.exp(u))
        logjac = sp.log(hi - lo) + u - 2 * sp.log(1 + sp.exp(u))

    def in_u(e):
        e = sp.expand_log(e, force=True).subs(x, x_of_u)   # every factor is positive here
        e = e.replace(lambda t: isinstance(t, sp.log),
                      lambda t: sp.expand_log(sp.log(sp.factor(sp.together(t.args[0]))),
                                              force=True))
        return e

    lf, gu = in_u(lp) + logjac, in_u(g)
    consts = {f: sp.Float(sp.N(f, DPS + 10), DPS + 10) for e in (lf, gu)
              for f in e.atoms(sp.Function) if not f.free_symbols}   # I0(k), B(a, b), ...
    lf, gu = lf.xreplace(consts), gu.xreplace(consts)
    with mpmath.workdps(DPS):
        ff = sp.lambdify(u, lf, "mpmath", cse=True)
        fg = sp.lambdify(u, gu, "mpmath", cse=True)

        def dens(t):
            v = mpmath.exp(ff(t))
            return v if mpmath.isfinite(v) else mpmath.mpf(0)

        def h(t):
            v = dens(t)
            return v * fg(t) if v > 0 else mpmath.mpf(0)
        return mpmath.quad(h, _cuts(dens, lambda t: abs(h(t))))


def _cuts(f, integrand):
    """Break points for int_R f(u) g(u) du: around the mode of the density f, at multiples
    of its width (from the curvature of log f), so that narrow peaks are resolved."""
    def lf(u):
        v = f(u)
        return mpmath.log(v) if v > 0 else -mpmath.inf
    grid = [mpmath.mpf(i) for i in range(-100, 101)]
    i = max(range(len(grid)), key=lambda j: lf(grid[j]))
    lo, hi = grid[i] - 2, grid[i] + 2
    g = (mpmath.sqrt(5) - 1) / 2
    for _ in range(50):   # golden section: log f is unimodal around the grid's best point
        u1, u2 = hi - g * (hi - lo), lo + g * (hi - lo)
        if lf(u1) < lf(u2):
            lo = u1
        else:
            hi = u2
    u0 = (lo + hi) / 2
    d2 = mpmath.diff(lf, u0, 2)
    w = 1 / mpmath.sqrt(-d2) if d2 < 0 else mpmath.mpf(1)
    # finite outer ends, where the integrand has fallen below 1e-60 of its peak (at most
    # |u - u0| = 4096: there even a tail exp(-u/50) is below 1e-35); tanh-sinh nodes near
    # an infinite end would need exp(exp(1e30))
    top, ends = max(integrand(u0 + t * w) for t in STEPS), []
    for sign in (-1, 1):
        t = mpmath.mpf(8)
        while t < 4096 and not integrand(u0 + sign * t) < top * mpmath.mpf(10) ** -60:
            t *= 2
        ends.append(t)
    inner = [u0 + t * w for t in STEPS if -ends[0] < t * w < ends[1]]
    return [u0 - ends[0]] + inner + [u0 + ends[1]]


def _value(expr, point):
    return mpmath.mpf(sp.N(expr.subs(point), DPS + 10))


def _close(u, v):
    return abs(u - v) <= mpmath.mpf(10) ** -DIGITS * (1 + abs(v))


def _compute(row, rvs):
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoClosedFormWarning)
        if row.kind == "entropy":
            return entropy(rvs[0], timeout=20)
        return kl_divergence(rvs[0], rvs[1], timeout=20)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_closed_form_against_reference_and_quadrature(row):
    rvs = row.build()
    t0 = time.time()
    got = _compute(row, rvs)
    assert time.time() - t0 < 5, f"{row.id} took {time.time() - t0:.1f} s"
    assert not got.has(Entropy, KLDivergence, sp.Integral, sp.Derivative, sp.Subs), got
    finite = got.args[0][0] if isinstance(got, sp.Piecewise) else got
    diff = sp.simplify(sp.expand_log(sp.expand_func(finite - row.formula), force=True))
    assert diff == 0, f"{row.id}: answer - reference = {diff}"
    rng = random.Random(f"{SEED}-{row.id}")
    for _ in range(POINTS):
        point = row.draw(rng)
        if row.infinite_when(point):
            assert got.subs(point) is sp.oo, (point, got.subs(point))
            continue
        with mpmath.workdps(DPS):
            quad = _definition(row.kind, rvs, point)
            mine, ref = _value(got, point), _value(row.formula, point)
            assert _close(mine, quad), f"{row.id} at {point}: {mine} vs quadrature {quad}"
            assert _close(ref, quad), f"reference {row.id} at {point}: {ref} vs {quad}"


@pytest.mark.parametrize("which", NO_CLOSED_FORM)
def test_no_closed_form_comes_back_unevaluated_quickly(which):
    m, m2 = sp.symbols("m m2", real=True)
    s, b, nu = sp.symbols("s b nu", positive=True)
    t0 = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoClosedFormWarning)
        if which == "KL Normal||StudentT":
            got = kl_divergence(Normal("X", m, s), StudentT("Y", nu))
        elif which == "KL Normal||Logistic":
            got = kl_divergence(Normal("X", m, s), Logistic("Y", m2, b))
        else:
            got = entropy(LogitNormal("X", m, s))
    assert isinstance(got, (Entropy, KLDivergence)), got
    assert time.time() - t0 <= 5, f"{which}: {time.time() - t0:.2f} s"


# ------------------------------------------------------------ the kernels themselves

x = sp.Symbol("x", real=True)
a, b, c, s, k = sp.symbols("a b c s k", positive=True)
m, d = sp.symbols("m d", real=True)

# (kernel, log-form, interval, a parameter point inside its convergence condition)
KERNEL_FORMS = [
    (BetaPrimeIntegral(), LogForm(x, s, {sp.log(x): a - 1, sp.log(1 + c * x**b): -a - 1}),
     (sp.S.Zero, sp.oo)),
    # the same feature in both orientations: log(c + x**b) = b log x + log(1 + c x**-b)
    (BetaPrimeIntegral(), LogForm(x, s, {sp.log(x): a, sp.log(c + x**b): -2,
                                         sp.log(1 + c * x**-b): -1}), (sp.S.Zero, sp.oo)),
    (BesselKIntegral(), LogForm(x, s, {sp.log(x): -sp.Rational(3, 2), x: -a, 1 / x: -b}),
     (sp.S.Zero, sp.oo)),
    (BesselKIntegral(), LogForm(x, s, {sp.log(x): a, x: -c, 1 / x: -b}), (sp.S.Zero, sp.oo)),
    (VonMisesIntegral(), LogForm(x, s, {sp.cos(x - m): k, sp.sin(x + d): -a, sp.cos(d - x): c}),
     (m, m + 2 * sp.pi)),
    (VonMisesIntegral(), LogForm(x, s, {sp.cos(3 * x / c - m): k}), (d, d + 4 * sp.pi * c / 3)),
    (RaisedCosineIntegral(), LogForm(x, s, {sp.log(1 + sp.cos(sp.pi * (x - m) / c)): a}),
     (m - c, m + c)),
    (RaisedCosineIntegral(), LogForm(x, s, {sp.log(c - c * sp.cos(x + d)): a}),
     (-d, 2 * sp.pi - d)),
    (FactoredBetaIntegral(), LogForm(x, s, {sp.log(c**2 - x**2): a, sp.log(c - x): b}),
     (-c, c)),
]
KPOINT = {a: sp.Rational(7, 5), b: sp.Rational(3, 2), c: sp.Rational(5, 3), s: sp.Rational(2, 3),
          k: sp.Rational(9, 4), m: sp.Rational(-1, 3), d: sp.Rational(4, 7)}


@pytest.mark.parametrize("kernel,form,ends", KERNEL_FORMS,
                         ids=[f"{f[0].name} {i}" for i, f in enumerate(KERNEL_FORMS)])
def test_kernel_log_normaliser_agrees_with_its_normaliser_and_quadrature(kernel, form, ends):
    r = kernel(form, *ends, ())
    assert r is not None and r.rule == kernel.name
    assert r.cond.subs(KPOINT) is sp.true
    assert any(type(k) is type(kernel) for k in KERNELS)   # registered
    with mpmath.workdps(30):
        logz = mpmath.mpf(sp.N(r.log_Z().subs(KPOINT), 40))
        z = mpmath.mpf(sp.N(r.Z.subs(KPOINT), 40))
        f = sp.lambdify(x, sp.exp(form.expr()).subs(KPOINT), "mpmath")
        lo, hi = (mpmath.mpf(sp.N(e.subs(KPOINT), 40)) if e.is_finite else mpmath.inf
                  for e in ends)
        cuts = ([lo + (hi - lo) * mpmath.mpf(i) / 6 for i in range(7)] if hi != mpmath.inf
                else [0, 1, 10, mpmath.inf])
        quad = mpmath.quad(f, cuts)
        assert abs(logz - mpmath.log(z)) < mpmath.mpf(10) ** -25
        assert abs(z - quad) < mpmath.mpf(10) ** -20 * abs(quad)


def test_kernels_decline_other_shapes():
    # a frequency that does not fit the interval a whole number of times; a power and a
    # polynomial root inside the interval
    assert VonMisesIntegral()(LogForm(x, 0, {sp.cos(x): k}), sp.S.Zero, sp.pi, ()) is None
    assert FactoredBetaIntegral()(LogForm(x, 0, {sp.log(c**2 - x**2): a}), -c, 2 * c, ()) is None
    assert BetaPrimeIntegral()(LogForm(x, 0, {sp.log(1 + x**b): -a, sp.log(1 + x): -1}),
                               sp.S.Zero, sp.oo, ()) is None
    assert BesselKIntegral()(LogForm(x, 0, {x: -a, x**2: -b}), sp.S.Zero, sp.oo, ()) is None


def test_bessel_k_order_derivative_and_half_orders():
    z = sp.Rational(7, 3)
    with mpmath.workdps(30):
        for nu in (sp.Rational(-1, 2), sp.Rational(1, 2)):
            ref = mpmath.diff(lambda t: mpmath.besselk(t, mpmath.mpf(7) / 3), mpmath.mpf(nu))
            assert abs(mpmath.mpf(sp.N(besselk_dnu(nu, z), 40)) - ref) < mpmath.mpf(10) ** -25
        for nu in (sp.Rational(-5, 2), sp.Rational(3, 2), sp.Rational(7, 2)):
            v = besselk(nu, z)
            assert not v.has(sp.besselk)                 # elementary
            ref = mpmath.besselk(mpmath.mpf(nu), mpmath.mpf(7) / 3)
            assert abs(mpmath.mpf(sp.N(v, 40)) - ref) < mpmath.mpf(10) ** -25
        p = sp.Symbol("p")
        assert sp.diff(besselk(p, z), p).func is besselk_dnu


def test_register_kernel_is_idempotent_and_checks_its_argument():
    n = len(KERNELS)
    assert register_kernel(KERNELS[-1]) is KERNELS[-1]
    assert len(KERNELS) == n
    with pytest.raises(TypeError):
        register_kernel("not a kernel")


def test_register_rule_is_idempotent_and_checks_its_argument():
    from symxent.engine.expectation import RULES, Elementary, register_rule
    n = len(RULES)
    rule = next(r for r in RULES if type(r).__name__ == "StudentMoments")
    assert register_rule(rule) is rule and len(RULES) == n
    assert RULES.index(rule) < next(i for i, r in enumerate(RULES) if type(r) is Elementary)
    with pytest.raises(TypeError):
        register_rule(object())


def _pmf_entropy(pmf, support):
    with mpmath.workdps(DPS):
        ps = [mpmath.mpf(sp.N(pmf(k), DPS + 10)) for k in support]
        assert abs(sum(ps) - 1) < mpmath.mpf(10) ** -30
        return -sum(p * mpmath.log(p) for p in ps if p > 0)


@pytest.mark.parametrize("law", ["Die", "BetaBinomial", "Hypergeometric", "Rademacher"])
def test_finite_laws_with_numeric_parameters(law):
    from sympy.stats import BetaBinomial, Die, Hypergeometric, Rademacher
    B, C = sp.beta, sp.binomial
    # pmfs from Wikipedia ("Beta-binomial distribution", "Hypergeometric distribution",
    # "Rademacher distribution", fair die), summed here independently of sympy.stats
    if law == "Die":
        rv, ref = Die("X", 6), _pmf_entropy(lambda k: sp.Rational(1, 6), range(1, 7))
    elif law == "BetaBinomial":
        n, al, be = 7, sp.Rational(5, 2), sp.Rational(1, 3)
        rv = BetaBinomial("X", n, al, be)
        ref = _pmf_entropy(lambda k: C(n, k) * B(k + al, n - k + be) / B(al, be), range(n + 1))
    elif law == "Hypergeometric":
        N, K, n = 20, 7, 9
        rv = Hypergeometric("X", N, K, n)
        ref = _pmf_entropy(lambda k: C(K, k) * C(N - K, n - k) / C(N, n), range(0, n + 1))
    else:
        rv, ref = Rademacher("X"), _pmf_entropy(lambda k: sp.Rational(1, 2), (-1, 1))
    got = entropy(rv, timeout=20)
    assert not got.has(Entropy) and not got.free_symbols
    with mpmath.workdps(DPS):
        assert _close(mpmath.mpf(sp.N(got, DPS + 10)), ref), (got, ref)
