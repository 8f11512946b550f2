r"""Numeric reference values of the divergence family, from the definitions.

``M_a(P, Q) = int p**a q**(1-a)`` (a sum for discrete laws) is integrated
(summed) directly with mpmath from the densities that
:func:`symxent.laws.support.describe` reads; nothing from the engine is used.
The measures are then, by their definitions (Renyi 1961; Tsallis 1988;
Bhattacharyya 1943; Pearson chi^2; Cichocki & Amari 2010):

* ``renyi``  ``log M_a / (a - 1)``; ``renyi_entropy`` ``log M_a(P, P-weightless) / (1 - a)``
  with ``M = int p**a``; ``tsallis`` ``(1 - int p**q)/(q - 1)``;
* ``bc`` ``M_{1/2}``, ``bd`` ``-log M_{1/2}``, ``hellinger`` ``sqrt(1 - M_{1/2})``;
* ``chi2`` ``M_2 - 1``, ``amari`` ``(M_a - 1)/(a (a - 1))``;
* ``f`` ``D_f(P||Q) = int q f(p/q)`` (Csiszar 1967) for a ``Lambda`` ``f``, on laws
  with equal supports, as ``int q g(p/q)`` with ``g(t) = f(t) - f'(1)(t - 1) >= 0``
  (the same integral, since ``int p = int q = 1``; ``g`` is non-negative for a convex
  ``f``, so the log-domain quadrature below applies).

Multivariate normals and Dirichlet laws: :func:`_mvnormal` (exact Fubini, one
Gaussian integral per coordinate) and :func:`_dirichlet` (stick-breaking
coordinates, a product of Euler Beta integrals).  Other multivariate laws have
no numeric value here: :class:`UnsupportedError` says so (no value is ever
guessed).  An order ``a <= 0`` is the same integral with the roles exchanged,
``M_(1-a)(Q, P)``.

All arithmetic runs inside ``mpmath.workdps`` (dps + 10 digits, more for
parameters of large or small magnitude).  The integrand is
``exp(a log p + (1-a) log q)`` with the logarithms opened by
:func:`~symxent.numeric.mpcompile.log_form` (no underflow of the factors) and
compiled by :func:`~symxent.numeric.mpcompile.compile_mp`; the real line or the
support is mapped onto a chart (``x = lo + e**u`` and ``x = hi - e**u`` on
halves, ``sinh``), the top found on a grid and refined (golden section), the
integral cut where it is ``(dps + 20) log 10`` below the top and split at the
top and the kinks (:func:`_integrate_h`); each piece by tanh-sinh quadrature at
dps + 5 digits, scaled to 1 at the top; the error is mpmath's estimate, never
below the rounding at that precision.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from symxent.errors import UnsupportedError
from symxent.laws.support import describe, support_bounds
from symxent.numeric.mpcompile import CANNOT_EVALUATE, compile_mp, log_form
from symxent.numeric.quadrature import _test_points
from symxent.precision import workdps

__all__ = ["mellin_value", "divergence_value", "f_divergence_value", "measure_value",
           "DIV_KINDS"]

DIV_KINDS = ("renyi", "renyi_entropy", "tsallis", "bc", "bd", "hellinger", "chi2", "amari", "f")


def _subs(e, subs):
    return sp.sympify(e).xreplace({k: sp.nsimplify(v) if isinstance(v, float) else sp.sympify(v)
                                   for k, v in (subs or {}).items()})


def _magnitude(subs):
    """Decimal digits spanned by the parameter values: terms like ``(x - mu)**2/sigma**2``
    expanded in a log-density cancel about twice that many digits."""
    mag = 0
    for v in (subs or {}).values():
        v = sp.sympify(v)
        if v.is_number and v.is_real and v != 0:
            mag = max(mag, abs(int(mpmath.floor(mpmath.log10(abs(mpmath.mpf(sp.N(v, 15))))))))
    return mag


def _bounds(d, subs):
    lo, hi = support_bounds(d.support)
    return _subs(lo, subs), _subs(hi, subs)


def _kinks(e, x):
    pts = set()
    for a in e.atoms(sp.Abs):
        if a.args[0].has(x):
            pts |= set(sp.solve(a.args[0], x))
    for pw in e.atoms(sp.Piecewise):
        for _, c in pw.args:
            for rel in c.atoms(sp.core.relational.Relational):
                if rel.has(x):
                    pts |= set(sp.solve(rel.lhs - rel.rhs, x))
    return pts


def mellin_value(P, Q, alpha, subs=None, dps=30):
    """``(value, error)`` of ``int p**alpha q**(1-alpha)`` (``Q = None``: ``int p**alpha``)
    at the parameter values ``subs``, by mpmath at ``dps`` digits."""
    a = _subs(alpha, subs)
    if Q is not None and a.is_number and a <= 0:
        # int p**a q**(1-a) with a <= 0 is infinite where q > 0 = p: the same integral
        # read with the roles exchanged, at 1 - a >= 1 (Amari orders, f = t**s, s < 0)
        return mellin_value(Q, P, 1 - a, subs, dps)
    dp = describe(P)
    dq = describe(Q) if Q is not None else None
    wq = 0 if Q is None else 1 - a
    if dp.kind == "finite" or (dq is not None and dq.kind == "finite"):
        return _finite(dp, dq, a, wq, subs, dps)
    kinds = {dp.kind} | ({dq.kind} if dq is not None else set())
    if kinds & {"mvnormal", "dirichlet"}:
        if len(kinds) > 1:
            raise UnsupportedError(f"cannot compare a {dp.kind} with a {dq.kind} law")
        with workdps(dps + 10):
            return (_mvnormal if dp.kind == "mvnormal" else _dirichlet)(dp, dq, a, wq, subs)
    if dp.kind not in ("continuous", "discrete"):
        raise UnsupportedError("numeric values of the divergence family: univariate, "
                               "multivariate normal and Dirichlet laws only")
    x = dp.var
    p = _subs(dp.pdf, subs)
    q = _subs(dq.pdf.subs(dq.var, x), subs) if dq is not None else sp.S.One
    lo, hi = _bounds(dp, subs)
    if dq is not None:
        qlo, qhi = _bounds(dq, subs)
        if dp.kind == "continuous":
            lo, hi = sp.Max(lo, qlo), sp.Min(hi, qhi)
            if (sp.sympify(hi) - lo).is_nonpositive:
                return mpmath.mpf(0), mpmath.mpf(0)
            pin = (qlo <= _bounds(dp, subs)[0]) == sp.true and \
                (_bounds(dp, subs)[1] <= qhi) == sp.true
            if not pin and a > 1:
                return mpmath.inf, mpmath.mpf(0)
    with workdps(dps + 10 + 2 * _magnitude(subs)):
        fp = compile_mp(p, (x,))
        fq = compile_mp(q, (x,))
        am, wm = mpmath.mpf(sp.N(a, dps + 10)), mpmath.mpf(sp.N(wq, dps + 10))

        def slow(t):
            pv = fp(t)
            if pv == 0:
                return -mpmath.inf
            return am * mpmath.log(pv) + wm * mpmath.log(fq(t))

        pts = [lo + j for j in (0, 1, 3)] if dp.kind == "discrete" else _test_points(lo, hi)
        fast = _fast_log(p, q, x, a, wq, lo, hi, slow, pts)
        logg = fast[0] if fast else slow

        if dp.kind == "discrete":
            lo_i = int(lo)
            g = lambda k: mpmath.exp(logg(k))  # noqa: E731
            if hi.is_finite:
                total = mpmath.fsum(g(k) for k in range(lo_i, int(hi) + 1))
                return +total, mpmath.mpf(0)
            total = mpmath.nsum(g, [lo_i, mpmath.inf])
            return +total, mpmath.mpf(10) ** (-dps)
        kinks = [k for k in _kinks(p + q, x) if (lo < k) == sp.true and (k < hi) == sp.true]
        if fast and lo.is_finite:
            return _halves(fast[1], x, lo, hi, dps)
        return _integrate(logg, lo, hi, kinks, dps)


def _halves(e, x, lo, hi, dps):
    """``int exp(e)`` with ``x = lo + exp(u)`` (and ``x = hi - exp(u)`` on the upper half of a
    bounded interval) substituted symbolically, so ``x - lo`` and ``hi - x`` are exact."""
    u = sp.Dummy("u", real=True)
    if hi.is_finite:
        mid = (lo + hi) / 2
        charts = [(lo + sp.exp(u), sp.log(mid - lo)), (hi - sp.exp(u), sp.log(hi - mid))]
    else:
        charts = [(lo + sp.exp(u), None)]
    total, err = mpmath.mpf(0), mpmath.mpf(0)
    for x_of, umax in charts:
        h = compile_mp(e.xreplace({x: x_of}) + u, (u,))
        um = mpmath.mpf(sp.N(umax, mpmath.mp.dps)) if umax is not None else None
        v, r = _integrate_h(h, um, [], dps)
        if not mpmath.isfinite(v):
            return v, r
        total, err = total + v, err + r
    return +total, err



def _fast_log(p, q, x, a, wq, lo, hi, slow, pts):
    """``a log p + wq log q`` as one compiled expression (each logarithm opened up by
    :func:`~symxent.numeric.mpcompile.log_form`, itself checked against the density),
    used only if it matches the direct evaluation at test points; else None."""
    if p.has(sp.Abs, sp.Piecewise) or q.has(sp.Abs, sp.Piecewise):
        return None
    try:
        e = a * log_form(p, x, pts) + (wq * log_form(q, x, pts) if wq != 0 else 0)
    except CANNOT_EVALUATE:
        return None
    # constants (log(sqrt(2 pi) sigma), ...) evaluated once, not at every call; the
    # comparison below still guards the compiled expression
    f = compile_mp(e, (x,))
    for t in (sp.Rational(1, 3), sp.Rational(7, 5), sp.Rational(-5, 2), sp.Rational(29, 7)):
        if (lo < t) != sp.true or (t < hi) != sp.true:
            continue
        tm = mpmath.mpf(t)
        try:
            u, v = f(tm), slow(tm)
        except (ValueError, ZeroDivisionError, TypeError):
            return None
        if not (mpmath.isfinite(v) and abs(u - v) <= mpmath.mpf(10) ** (-mpmath.mp.dps + 8)
                * max(1, abs(v))) or mpmath.im(u) != 0:
            return None
    return f, e


def _chart(lo, hi):
    """``(x(u), log|x'(u)|, u(x))`` mapping the real line onto ``(lo, hi)``."""
    mp = lambda v: mpmath.mpf(sp.N(v, mpmath.mp.dps))  # noqa: E731
    if lo.is_infinite and hi.is_infinite:
        return (mpmath.sinh, lambda u: mpmath.log(mpmath.cosh(u)), mpmath.asinh)
    if hi.is_infinite:
        L = mp(lo)
        return (lambda u: L + mpmath.exp(u), lambda u: u, lambda x: mpmath.log(x - L))
    if lo.is_infinite:
        H = mp(hi)
        return (lambda u: H - mpmath.exp(u), lambda u: u, lambda x: mpmath.log(H - x))
    L, H = mp(lo), mp(hi)

    def x_of(u):
        return L + (H - L) / (1 + mpmath.exp(-u))

    def logjac(u):
        return mpmath.log(H - L) - u - 2 * mpmath.log(1 + mpmath.exp(-u))
    return x_of, logjac, lambda x: mpmath.log((x - L) / (H - x))


def _integrate(logg, lo, hi, kinks, dps):
    """``int exp(logg)`` on ``(lo, hi)``: mapped to the real line, cut around the peak
    (found on a grid) and at the kinks, each piece by tanh-sinh quadrature."""
    x_of, logjac, u_of = _chart(lo, hi)

    def h(u):
        xv = x_of(u)
        if not (mpmath.isfinite(xv)) or (lo.is_finite and xv <= lo) or (hi.is_finite and xv >= hi):
            return -mpmath.inf
        return logg(xv) + logjac(u)
    kinks_u = [u_of(mpmath.mpf(sp.N(k, mpmath.mp.dps))) for k in kinks]
    return _integrate_h(h, None, kinks_u, dps)


_WALK = 2 ** 10   # u = 1000 in the charts is x ~ e**1000: no sampled law has mass there


def _integrate_h(h, umax, kinks_u, dps):
    """``int exp(h(u)) du`` on ``(-oo, umax)`` (``umax`` None: the real line).

    A coarse grid (step 1 on a 120-wide window) finds the top and any other bump;
    the top is refined by golden-section search and its width ``d`` found by
    shrinking a step until ``h`` falls by a few units, so a peak far narrower than
    the grid (``Normal(500, 1/200)`` in the sinh chart has width 1e-5) is
    located.  The integral is cut where ``h`` is ``(dps + 20) log 10`` below the
    top, walking outwards from the peak in doubling steps (and beyond the last
    grid point that is not that far below), and split at the peak, at other
    grid-level bumps and at the kinks: each piece then has its mass at an end,
    where tanh-sinh quadrature puts its nodes."""
    one = mpmath.mpf(1)
    if umax is None:
        grid = [mpmath.mpf(j) for j in range(-60, 61)]
    else:
        grid = [umax - 60 + j for j in range(61)]
    big = mpmath.inf if umax is None else umax

    def hv(u):
        if umax is not None and u > umax:
            return -mpmath.inf
        v = h(u)
        return -mpmath.inf if mpmath.isnan(v) else v
    vals = [hv(u) for u in grid]
    i = max(range(len(grid)), key=lambda j: vals[j])
    if vals[i] == -mpmath.inf:
        return mpmath.mpf(0), mpmath.mpf(0)
    # golden-section refinement of the top inside the grid cell around it
    a = grid[max(i - 1, 0)]
    b = grid[min(i + 1, len(grid) - 1)]
    r = (mpmath.sqrt(5) - 1) / 2
    c, e = b - r * (b - a), a + r * (b - a)
    hc, he = hv(c), hv(e)
    for _ in range(40):
        if hc >= he:
            b, e, he = e, c, hc
            c = b - r * (b - a)
            hc = hv(c)
        else:
            a, c, hc = c, e, he
            e = a + r * (b - a)
            he = hv(e)
    u0, top = max(((grid[i], vals[i]), (c, hc), (e, he)), key=lambda t: t[1])
    drop = (dps + 20) * mpmath.log(10)
    # width of the top: a step after which h has fallen by a few units
    d = one / 2
    while d > mpmath.mpf(10) ** (-mpmath.mp.dps // 2) and \
            max(hv(u0 - d), hv(u0 + d)) < top - 4:
        d /= 4
    ends = []
    for sgn in (-1, 1):
        # the furthest grid point not far below the top, then one grid step more
        far = [g for g, v in zip(grid, vals) if v >= top - drop and sgn * (g - u0) > 0]
        floor = (max(far, key=lambda g: sgn * g) + sgn) if far else u0
        if umax is not None and sgn == 1:
            floor = min(floor, umax)
        step, end = d, None
        while step <= _WALK:
            u = u0 + sgn * step
            if umax is not None and sgn == 1 and u >= umax:
                end = umax
                break
            if hv(u) < top - drop and sgn * (u - floor) >= 0:
                end = u
                break
            step *= 2
        if end is None and hv(u0 + sgn * _WALK) > top - 5:
            # the integrand does not decay at this end (in the mapped variable, where
            # a convergent integrand must): the integral diverges
            return mpmath.inf, mpmath.mpf(0)
        ends.append(end if end is not None else sgn * big if sgn == 1 else -mpmath.inf)
    left, right = ends
    pts = {left, u0, right}
    for j in range(1, len(grid) - 1):   # other bumps the grid sees
        if vals[j] >= top - drop and vals[j] >= vals[j - 1] and vals[j] >= vals[j + 1]:
            pts.add(grid[j])
    pts |= {uk for uk in kinks_u if left < uk < right}
    pts = sorted(p for p in pts if left <= p <= right)
    wdps = mpmath.mp.dps

    def g(u):
        with workdps(wdps):
            y = mpmath.exp(hv(u) - top)
        return +y
    # the nodes and sums at dps + 5 digits (what the result needs), the integrand at
    # the working precision (its logarithm may cancel large terms), scaled to 1 at the
    # top (mpmath's error estimate is unreliable for integrands of size 1e-20)
    with workdps(dps + 5):
        val, err = mpmath.quad(g, [+p for p in pts], error=True, maxdegree=10)
        # mpmath's estimate (the last two levels' difference) can be optimistic:
        # never below the rounding of the sum at this precision
        err = max(err, abs(val) * mpmath.mpf(10) ** (-dps - 3))
    with workdps(wdps):
        scale = mpmath.exp(top)
        val, err = val * scale, err * scale
    # beyond the cut points the integrand is below 10**-(dps+20) of its peak
    return +val, err


def _mvnormal(dp, dq, a, wq, subs):
    """``int p**a q**wq`` over R^n for multivariate normals, by Fubini: the exponent
    ``a log p + wq log q`` is a quadratic polynomial in x (the normal density
    ``(2 pi)**(-n/2) det(S)**(-1/2) exp(-(x - m)^T S^-1 (x - m)/2)``, Cover & Thomas,
    *Elements of Information Theory*, 2nd ed., Sec. 8.4), and the coordinates are
    integrated out one at a time with the one-variable Gaussian integral
    ``int exp(c2 z**2 + c1 z + c0) dz = sqrt(pi/(-c2)) exp(c0 - c1**2/(4 c2))`` for
    ``c2 < 0`` (Abramowitz & Stegun 7.4.2), in exact arithmetic at the point; with
    ``c2 >= 0`` the positive integrand does not decay in that coordinate, whatever
    the others are: ``+oo``.  (The engine instead uses the determinant and adjugate
    of the combined precision matrix.)"""
    laws = [dp] + ([dq] if dq is not None else [])
    n = dp.mean.shape[0]
    if any(d.mean.shape[0] != n for d in laws):
        raise UnsupportedError("multivariate normals of different dimensions")
    xs = sp.symbols(f"x0:{n}", real=True, cls=sp.Dummy)
    X = sp.Matrix(xs)
    quad, logc = sp.S.Zero, sp.S.Zero
    for d, w in zip(laws, (a, wq)):
        m, S = _subs(d.mean, subs), _subs(d.cov, subs)
        if S.free_symbols or m.free_symbols:
            raise UnsupportedError(f"no value given for {sorted(map(str, S.free_symbols))}")
        if not (S.is_symmetric() and all(S[:i, :i].det() > 0 for i in range(1, n + 1))):
            raise UnsupportedError(f"{d.rv}: the covariance {S} is not positive definite here")
        r = X - m
        quad += -w * (r.T * S.inv() * r)[0, 0] / 2
        logc += w * (-sp.Rational(n, 2) * sp.log(2 * sp.pi) - sp.log(S.det()) / 2)
    quad = sp.Poly(sp.expand(quad), *xs)
    for z in reversed(xs):
        p = sp.Poly(quad.as_expr(), z)
        c2 = p.coeff_monomial(z ** 2)
        c1, c0 = p.coeff_monomial(z), p.coeff_monomial(1)
        if (c2 < 0) is not sp.true:
            return mpmath.inf, mpmath.mpf(0)
        logc += sp.log(sp.pi / (-c2)) / 2
        quad = sp.Poly(sp.expand(c0 - c1 ** 2 / (4 * c2)), *xs)
    val = mpmath.exp(compile_mp(logc + quad.as_expr(), ())())
    return +val, abs(val) * mpmath.mpf(10) ** (-mpmath.mp.dps + 5)


def _dirichlet(dp, dq, a, wq, subs):
    """``int p**a q**wq`` over the simplex for Dirichlet laws, in stick-breaking
    coordinates ``x_i = u_i prod_(j<i) (1 - u_j)``, ``x_K = prod_(j<K) (1 - u_j)``, where
    the density ``Gamma(sum a) / prod Gamma(a_i) prod x_i**(a_i - 1)`` (Kotz, Balakrishnan
    & Johnson, *Continuous Multivariate Distributions* 1, 2nd ed., eq. 49.1) times the
    Jacobian ``prod_j (1 - u_j)**(K - 2 - j)`` is a product of one-variable factors
    ``u_j**c_j (1 - u_j)**d_j``: the integral is a product of Euler Beta integrals
    ``int_0^1 u**c (1 - u)**d du = B(c + 1, d + 1)`` (DLMF 5.12.1), ``+oo`` unless
    ``c, d > -1``.  (The engine instead uses the K-variate Dirichlet integral.)"""
    laws = [dp] + ([dq] if dq is not None else [])
    K = len(dp.alpha)
    if any(len(d.alpha) != K for d in laws):
        raise UnsupportedError("Dirichlet laws with different numbers of components")
    e = [sp.S.Zero] * K            # exponent of x_i in the integrand
    logc = sp.S.Zero
    for d, w in zip(laws, (a, wq)):
        al = [_subs(v, subs) for v in d.alpha]
        if any(v.free_symbols or not v.is_positive for v in al):
            raise UnsupportedError(f"{d.rv}: no admissible parameter values {al}")
        logc += w * (sp.loggamma(sp.Add(*al)) - sp.Add(*[sp.loggamma(v) for v in al]))
        e = [ei + w * (v - 1) for ei, v in zip(e, al)]
    total = compile_mp(logc, ())()
    for j in range(K - 1):
        c = e[j]
        dj = sp.Add(*e[j + 1:]) + (K - 2 - j)
        if not (c > -1 and dj > -1):
            return mpmath.inf, mpmath.mpf(0)
        total += mpmath.log(mpmath.beta(compile_mp(c + 1, ())(), compile_mp(dj + 1, ())()))
    val = mpmath.exp(total)
    return +val, abs(val) * mpmath.mpf(10) ** (-mpmath.mp.dps + 5)


def _finite(dp, dq, a, wq, subs, dps):
    def atoms(d):
        if d.kind == "finite":
            return {k: _subs(v, subs) for k, v in d.values.items()}
        lo, hi = _bounds(d, subs)
        return {k: _subs(d.pdf.subs(d.var, k), subs) for k in range(int(lo), int(hi) + 1)}
    ap = atoms(dp)
    aq = atoms(dq) if dq is not None else {}
    with workdps(dps + 10):
        total = mpmath.mpf(0)
        for k, pv in ap.items():
            if pv == 0:
                continue
            if dq is None:
                total += mpmath.mpf(sp.N(pv, dps + 15)) ** mpmath.mpf(sp.N(a, dps + 15))
                continue
            qv = aq.get(k, 0)
            if qv == 0:
                if a > 1:
                    return mpmath.inf, mpmath.mpf(0)
                continue
            total += mpmath.exp(mpmath.mpf(sp.N(a, dps + 15)) * mpmath.log(sp.N(pv, dps + 15))
                                + mpmath.mpf(sp.N(wq, dps + 15)) * mpmath.log(sp.N(qv, dps + 15)))
        return +total, mpmath.mpf(0)


def divergence_value(kind, P, Q=None, order=None, subs=None, dps=30):
    """``(value, error)`` of a measure of the family from its definition (``kind`` as
    in :mod:`symxent.divergences`: renyi, renyi_entropy, tsallis, bc, bd, hellinger,
    chi2, amari)."""
    a = {"bc": sp.S.Half, "bd": sp.S.Half, "hellinger": sp.S.Half, "chi2": sp.S(2)}.get(kind, order)
    a = _subs(a, subs)
    M, err = mellin_value(P, None if kind in ("renyi_entropy", "tsallis") else Q, a, subs, dps)
    with workdps(dps + 15):
        am = mpmath.mpf(sp.N(a, dps + 15))
        if kind == "renyi":
            return (mpmath.log(M) / (am - 1), err / M / abs(am - 1)) if M > 0 else (mpmath.inf, 0)
        if kind == "renyi_entropy":
            return mpmath.log(M) / (1 - am), err / M / abs(1 - am)
        if kind == "tsallis":
            return (1 - M) / (am - 1), err / abs(am - 1)
        if kind == "bc":
            return M, err
        if kind == "bd":
            return -mpmath.log(M), err / M
        if kind == "hellinger":
            return mpmath.sqrt(max(1 - M, 0)), err
        if kind == "chi2":
            return M - 1, err
        if kind == "amari":
            return (M - 1) / (am * (am - 1)), err / abs(am * (am - 1))
    raise UnsupportedError(f"unknown measure {kind}")


def _equal_supports(dp, dq, subs):
    if {dp.kind, dq.kind} <= {"finite"}:
        return True
    if dp.kind != dq.kind or dp.kind not in ("continuous", "discrete"):
        return False
    return all(u == v if (u.is_infinite or v.is_infinite) else sp.simplify(u - v) == 0
               for u, v in zip(_bounds(dp, subs), _bounds(dq, subs)))


def f_divergence_value(P, Q, f, subs=None, dps=30):
    """``(value, error)`` of ``D_f(P||Q) = int q f(p/q)`` (a sum for discrete laws) at the
    parameter values ``subs``, for a one-variable ``Lambda`` ``f``, by mpmath at ``dps``
    digits.  Laws with equal supports only (else :class:`UnsupportedError`)."""
    if not isinstance(f, sp.Lambda) or len(f.variables) != 1:
        raise UnsupportedError(f"f must be a SymPy Lambda of one variable, got {f!r}")
    dp, dq = describe(P), describe(Q)
    if not _equal_supports(dp, dq, subs):
        raise UnsupportedError("numeric f-divergence: univariate laws with equal supports only")
    t = sp.Dummy("t", positive=True)
    ft = _subs(f(t), subs)
    if ft.free_symbols - {t}:
        raise UnsupportedError(f"no value given for {sorted(map(str, ft.free_symbols - {t}))}")
    slope = sp.diff(ft, t).subs(t, 1)
    with mpmath.workdps(dps + 10):
        gf = compile_mp(ft, (t,))
        c = mpmath.mpf(sp.N(slope, dps + 10))

        def g(r):  # f(r) - f'(1)(r - 1) >= 0 for a convex f
            return max(gf(r) - c * (r - 1), 0)

        if dp.kind == "finite" or dq.kind == "finite":
            vals = lambda d: {k: _subs(v, subs) for k, v in d.values.items()}  # noqa: E731
            ap, aq = vals(dp), vals(dq)
            if {k for k, v in ap.items() if v != 0} - {k for k, v in aq.items() if v != 0}:
                raise UnsupportedError("numeric f-divergence: P has mass where Q has none")
            total = mpmath.fsum(mpmath.mpf(sp.N(qv, dps + 10)) *
                                g(mpmath.mpf(sp.N(ap.get(k, 0), dps + 10)) /
                                  mpmath.mpf(sp.N(qv, dps + 10)))
                                for k, qv in aq.items() if qv != 0)
            return +total, mpmath.mpf(0)
        x = dp.var
        fp = compile_mp(_subs(dp.pdf, subs), (x,))
        fq = compile_mp(_subs(dq.pdf.subs(dq.var, x), subs), (x,))

        def term(v):
            qv = fq(v)
            return qv * g(fp(v) / qv) if qv != 0 else mpmath.mpf(0)
        lo, hi = _bounds(dp, subs)
        if dp.kind == "discrete":
            if hi.is_finite:
                return +mpmath.fsum(term(k) for k in range(int(lo), int(hi) + 1)), mpmath.mpf(0)
            return +mpmath.nsum(term, [int(lo), mpmath.inf]), mpmath.mpf(10) ** (-dps)

        p, q = _subs(dp.pdf, subs), _subs(dq.pdf.subs(dq.var, x), subs)

        def slow_lr(v):
            pv, qv = fp(v), fq(v)
            return mpmath.log(pv) - mpmath.log(qv) if pv > 0 and qv > 0 else mpmath.nan

        def slow_lq(v):
            qv = fq(v)
            return mpmath.log(qv) if qv > 0 else -mpmath.inf
        # log(p/q) and log q compiled with the logarithms expanded (checked against the
        # direct evaluation at test points by _fast_log; else the direct evaluation)
        pts = _test_points(lo, hi)
        lr = (_fast_log(p, q, x, 1, -1, lo, hi, slow_lr, pts) or (slow_lr,))[0]
        lq = (_fast_log(q, sp.S.One, x, 1, 0, lo, hi, slow_lq, pts) or (slow_lq,))[0]

        def logg(v):
            w, r = lq(v), lr(v)
            if not (mpmath.isfinite(w) and mpmath.isfinite(r)):
                tv = term(v)
                return mpmath.log(tv) if tv > 0 else -mpmath.inf
            gv = g(mpmath.exp(r))
            return w + mpmath.log(gv) if gv > 0 else -mpmath.inf
        kinks = [k for k in _kinks(dp.pdf.subs(subs) + dq.pdf.subs(dq.var, x).subs(subs), x)
                 if (lo < k) == sp.true and (k < hi) == sp.true]
        return _integrate(logg, lo, hi, kinks, dps)


def measure_value(m, subs=None, dps=30):
    """``(value, error)`` of a measure object of :mod:`symxent.divergences` (duck-typed:
    ``kind``, ``p``, ``q``, ``order``, ``base``) at the parameter values ``subs``."""
    if m.kind not in DIV_KINDS:
        raise UnsupportedError(f"no numeric reference for {m}")
    subs = {(sp.Symbol(k) if isinstance(k, str) else k): v for k, v in (subs or {}).items()}
    if m.kind == "f":
        return f_divergence_value(m.p, m.q, m.f, subs, dps)
    order = _subs(m.order, subs) if m.order is not None else None
    if order is not None and order.free_symbols:
        raise UnsupportedError(f"no value given for {sorted(map(str, order.free_symbols))}")
    val, err = divergence_value(m.kind, m.p, m.q, order, subs, dps)
    base = getattr(m, "base", sp.E)
    if base != sp.E and mpmath.isfinite(val):
        with workdps(dps + 10):
            lb = mpmath.log(mpmath.mpf(sp.N(_subs(base, subs), dps + 10)))
            val, err = val / lb, err / abs(lb)
    return val, err
