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

The multivariate normal and other multivariate laws have no numeric value here:
:class:`UnsupportedError` says so (no value is ever guessed).

All arithmetic runs inside ``mpmath.workdps``.  The integrand is
``exp(a log p + (1-a) log q)`` (no underflow of the factors); the support
is cut at the kinks of the densities (``Abs``/``Piecewise``) and at the
parameters' values, and each piece is integrated by tanh-sinh quadrature;
the returned error is mpmath's estimate.  Continuous univariate and
discrete/finite laws only.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from symxent.errors import UnsupportedError
from symxent.laws.support import describe, support_bounds
from symxent.precision import workdps

__all__ = ["mellin_value", "divergence_value", "f_divergence_value", "measure_value",
           "DIV_KINDS"]

DIV_KINDS = ("renyi", "renyi_entropy", "tsallis", "bc", "bd", "hellinger", "chi2", "amari", "f")


def _subs(e, subs):
    return sp.sympify(e).xreplace({k: sp.nsimplify(v) if isinstance(v, float) else sp.sympify(v)
                                   for k, v in (subs or {}).items()})


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
    dp = describe(P)
    dq = describe(Q) if Q is not None else None
    a = _subs(alpha, subs)
    wq = 0 if Q is None else 1 - a
    if dp.kind == "finite" or (dq is not None and dq.kind == "finite"):
        return _finite(dp, dq, a, wq, subs, dps)
    if dp.kind not in ("continuous", "discrete"):
        raise UnsupportedError("numeric values of the divergence family: univariate laws only")
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
    with workdps(dps + 10):
        fp = sp.lambdify(x, p, "mpmath")
        fq = sp.lambdify(x, q, "mpmath")
        am, wm = mpmath.mpf(sp.N(a, dps + 10)), mpmath.mpf(sp.N(wq, dps + 10))

        def slow(t):
            pv = fp(t)
            if pv == 0:
                return -mpmath.inf
            return am * mpmath.log(pv) + wm * mpmath.log(fq(t))

        fast = _fast_log(p, q, x, a, wq, lo, hi, slow)
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
        h = sp.lambdify(u, e.subs(x, x_of) + u, "mpmath")
        um = mpmath.mpf(sp.N(umax, mpmath.mp.dps)) if umax is not None else None
        v, r = _integrate_h(h, um, [], dps)
        if not mpmath.isfinite(v):
            return v, r
        total, err = total + v, err + r
    return +total, err



def _fast_log(p, q, x, a, wq, lo, hi, slow):
    """``a log p + wq log q`` as one compiled expression (logs expanded symbolically),
    used only if it matches the direct evaluation at test points; else None."""
    if p.has(sp.Abs, sp.Piecewise) or q.has(sp.Abs, sp.Piecewise):
        return None
    e = sp.expand(a * sp.expand_log(sp.log(p), force=True)
                  + wq * sp.expand_log(sp.log(q), force=True))
    # constants (log(sqrt(2 pi) sigma), ...) evaluated once, not at every call; the
    # comparison below still guards the compiled expression
    f = sp.lambdify(x, sp.N(e, mpmath.mp.dps + 5), "mpmath")
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


def _integrate_h(h, umax, kinks_u, dps):
    """``int exp(h(u)) du`` on ``(-oo, umax)`` (``umax`` None: the real line)."""
    grid = [mpmath.mpf(j) / 4 for j in range(-240, 241)]
    if umax is not None:
        grid = [g + umax - 60 for g in grid if g + umax - 60 <= umax]
    big = mpmath.inf if umax is None else umax
    vals = [h(u) for u in grid]
    i = max(range(len(grid)), key=lambda j: vals[j])
    top = vals[i]
    drop = (dps + 20) * mpmath.log(10)
    left = next((grid[j] for j in range(i, -1, -1) if vals[j] < top - drop), None)
    right = next((grid[j] for j in range(i, len(grid)) if vals[j] < top - drop), None)
    # a slow decay: walk outwards geometrically until the integrand has dropped
    for j in range(7, 18):
        if left is None and h(grid[0] - mpmath.mpf(2) ** j) < top - drop:
            left = grid[0] - mpmath.mpf(2) ** j
        if right is None and umax is None and h(mpmath.mpf(2) ** j) < top - drop:
            right = mpmath.mpf(2) ** j
    if right is None and umax is not None:
        right = umax
    for end, u in ((left, grid[0] - mpmath.mpf(2) ** 17), (right, mpmath.mpf(2) ** 17)):
        if end is None and h(u) > top - 5:
            # the integrand does not decay at this end (in the mapped variable, where
            # a convergent integrand must): the integral diverges
            return mpmath.inf, mpmath.mpf(0)
    lo_u = left if left is not None else -mpmath.inf
    hi_u = right if right is not None else big
    pts = {grid[i]}
    if left is not None and right is not None:
        inner = [v for v in (grid[0], grid[-1]) if left < v < right]
        pts |= set(inner)
        a0, b0 = max(left, grid[0]), min(right, grid[-1])
        step = (b0 - a0) / 6
        pts |= {a0 + j * step for j in range(7)}
    pts |= {lo_u, hi_u}
    for uk in kinks_u:
        if lo_u < uk < hi_u:
            pts.add(uk)
    pts = sorted(pts)
    val, err = mpmath.quad(lambda u: mpmath.exp(h(u)), pts, error=True, maxdegree=10)
    # beyond the cut points the integrand is below 10**-(dps+20) of its peak
    return +val, err


def _finite(dp, dq, a, wq, subs, dps):
    def atoms(d, at=None):
        if d.kind == "finite":
            return {k: _subs(v, subs) for k, v in d.values.items()}
        lo, hi = _bounds(d, subs)
        if at is not None:  # Q with infinitely many atoms: only where P has mass
            return {k: _subs(d.pdf.subs(d.var, k), subs) for k in at
                    if sp.sympify(k).is_integer and lo <= k <= hi}
        return {k: _subs(d.pdf.subs(d.var, k), subs) for k in range(int(lo), int(hi) + 1)}
    ap = atoms(dp)
    aq = atoms(dq, list(ap)) if dq is not None else {}
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
        gf = sp.lambdify(t, ft, "mpmath")
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
        fp = sp.lambdify(x, _subs(dp.pdf, subs), "mpmath")
        fq = sp.lambdify(x, _subs(dq.pdf.subs(dq.var, x), subs), "mpmath")

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
        lr = (_fast_log(p, q, x, 1, -1, lo, hi, slow_lr) or (slow_lr,))[0]
        lq = (_fast_log(q, sp.S.One, x, 1, 0, lo, hi, slow_lq) or (slow_lq,))[0]

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
