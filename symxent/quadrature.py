"""Quadrature of the defining integrals, for :mod:`symxent.numeric`.

Continuous case: ``integral over the support of p(x) * D(x) dx`` with
``D = -log p`` (entropy), ``-log q`` (cross-entropy) or ``log p - log q`` (KL).
See :mod:`symxent.numeric` for the strategy; every function here must be
called inside ``mpmath.workdps``.  Multivariate normals (2-D) are integrated
in polar coordinates of the whitened variable ``z = L^-1 (x - mu_P)``
(trapezoidal rule in the angle, tanh-sinh in the radius); Dirichlet
distributions (3 components) over the simplex as a product of two 1-D
tanh-sinh rules in ``x1 = u``, ``x2 = (1 - u) t``.
"""
from __future__ import annotations

import mpmath
import sympy as sp
from sympy.core.relational import Relational

from .errors import ParameterError, UnsupportedError
from .numeric import NumericError, _exact, compile_mp, log_form, real_part
from .support import support_bounds

__all__ = ["continuous", "mvnormal", "dirichlet"]

_DELTA = mpmath.mpf("0.01")   # slowest decay rate (of v f(v)) we integrate
_PROBE = (512, 1024)         # probe at v* 2**(-+j), j in _PROBE
_FLAT = mpmath.mpf("0.001")   # mode bracket: log p varies less than this across it
_KINKED = (sp.Piecewise, sp.Abs, sp.sign, sp.Heaviside, sp.Min, sp.Max)


# ------------------------------------------------------------------ symbolic prep
def _inst(d, point, x):
    pdf = d.pdf.xreplace({d.var: x}).xreplace(point)
    lo, hi = (sp.sympify(e).xreplace(point) for e in support_bounds(d.support))
    left = pdf.free_symbols - {x}
    if left or lo.free_symbols or hi.free_symbols:
        raise ParameterError(f"{d.rv}: no value given for "
                             f"{sorted(map(str, left | lo.free_symbols | hi.free_symbols))}")
    if not sp.Lt(lo, hi):
        raise ParameterError(f"{d.rv}: empty support [{lo}, {hi}] at {point}")
    return pdf, lo, hi


def _roots(f, x):
    sol = sp.solveset(f, x, sp.S.Reals)
    if isinstance(sol, sp.FiniteSet):
        return [r for r in sol if r.is_real]
    if sol is sp.S.EmptySet:
        return []
    raise UnsupportedError(f"cannot locate the kinks of the density ({f} = 0 gives {sol})")


def _kinks(e, x):
    pts = []
    for a in e.atoms(sp.Abs, sp.sign, sp.Heaviside):
        if a.args[0].has(x):
            pts += _roots(a.args[0], x)
    for m in e.atoms(sp.Min, sp.Max):
        args = [a for a in m.args]
        pts += [r for i, a in enumerate(args) for b in args[i + 1:] if (a - b).has(x)
                for r in _roots(a - b, x)]
    for pw in e.atoms(sp.Piecewise):
        for _, c in pw.args:
            for rel in c.atoms(Relational):
                if rel.has(x):
                    pts += _roots(rel.lhs - rel.rhs, x)
    return pts


def _num_sign(val):
    if val.is_positive:
        return 1
    if val.is_negative:
        return -1
    if val.is_zero:
        return 0
    v = sp.N(val, 40)
    return 1 if v > 0 else (-1 if v < 0 else 0)


def _pick(a, x, rep):
    at = {x: rep}
    if isinstance(a, sp.Piecewise):
        for expr, cond in a.args:
            c = cond.xreplace(at)
            if c is sp.true:
                return expr
            if c is not sp.false:
                raise UnsupportedError(f"cannot decide the condition {cond} at {x} = {rep}")
        return sp.nan
    if isinstance(a, (sp.Min, sp.Max)):
        vals = [(sp.N(b.xreplace(at), 40), b) for b in a.args]
        return (min if isinstance(a, sp.Min) else max)(vals, key=lambda t: t[0])[1]
    sg = _num_sign(a.args[0].xreplace(at))
    if isinstance(a, sp.Abs):
        return sg * a.args[0]
    if isinstance(a, sp.sign):
        return sp.Integer(sg)
    return sp.Integer(1 if sg > 0 else 0)   # Heaviside


def _resolve(e, x, rep):
    """``e`` with Abs/Piecewise/... replaced by the branch valid around ``rep``."""
    while True:
        cands = [a for a in e.atoms(*_KINKED) if a.has(x)]
        if not cands:
            return e
        a = next(c for c in cands if not any(o is not c and o != c and c.has(o) for o in cands))
        e = e.xreplace({a: _pick(a, x, rep)})


def _test_points(a, b):
    if a.is_finite and b.is_finite:
        return [a + (b - a) * sp.Rational(k, 7) for k in (1, 3, 6)]
    if a.is_finite:
        return [a + sp.Rational(1, 3), a + 1, a + 7]
    if b.is_finite:
        return [b - sp.Rational(1, 3), b - 1, b - 7]
    return [sp.Integer(-3), sp.Rational(1, 3), sp.Integer(5)]


def _mp(e):
    return compile_mp(sp.sympify(e), ())() if not isinstance(e, mpmath.mpf) else e


def _positive_somewhere(p, x, l, r):
    """Is p > 0 at some test point of (l, r)?  (r or l may be infinite)"""
    if l.is_finite and r.is_finite:
        pts = [l + (r - l) * sp.Rational(k, 8) for k in range(1, 8)]
    elif l.is_finite:
        pts = [l + sp.Integer(2) ** j for j in range(-10, 11, 2)]
    else:
        pts = [r - sp.Integer(2) ** j for j in range(-10, 11, 2)]
    for t in pts:
        pe = _resolve(p, x, t)
        try:
            if sp.N(pe.xreplace({x: t}), 30) > 0:
                return True
        except TypeError:
            continue
    return False


# ------------------------------------------------------------------ numeric pieces
def _sign(v):
    if isinstance(v, mpmath.mpc) or mpmath.isnan(v):
        return None
    return 1 if v > 0 else (-1 if v < 0 else 0)


def _modes(Lp, x, a, b, wdps):
    """Exact interior local maxima of ``Lp`` on ``(a, b)``."""
    dL = compile_mp(sp.diff(Lp, x), (x,))
    J = int(3.33 * wdps) + 8
    two = mpmath.mpf(2)
    if a.is_finite and b.is_finite:
        fa, fb = _mp(a), _mp(b)
        w = fb - fa
        xs = [fa + w * two ** -j for j in range(J, 1, -2)] + [fa + w / 2] + \
             [fb - w * two ** -j for j in range(2, J + 1, 2)]
    elif a.is_finite:
        fa = _mp(a)
        xs = [fa + two ** j for j in range(-J, J + 1, 2)]
    elif b.is_finite:
        fb = _mp(b)
        xs = [fb - two ** j for j in range(J, -J - 1, -2)]
    else:
        xs = [-two ** j for j in range(J, -J - 1, -2)] + [mpmath.mpf(0)] + \
             [two ** j for j in range(-J, J + 1, 2)]

    def slope(t):
        try:
            d = dL(t)
        except (ValueError, ZeroDivisionError):
            return None
        return None if _sign(d) is None else d

    out, prev = [], None
    for t in xs:
        d = slope(t)
        if d is None or not d:
            continue
        if prev is not None and prev[1] > 0 and d < 0:
            (lo, dlo), (hi, dhi) = prev, (t, d)
            # bisect until log p varies by < 1e-3 across the bracket: then any
            # point of it is as good a split point as the exact mode
            for _ in range(8 * mpmath.mp.prec):
                if (hi - lo) * max(abs(dlo), abs(dhi)) < _FLAT:
                    break
                m = (lo + hi) / 2
                dm = slope(m)
                if m == lo or m == hi or dm is None or not dm:
                    lo = hi = m
                    break
                if dm > 0:
                    lo, dlo = m, dm
                else:
                    hi, dhi = m, dm
            c = _simplest(_exact(lo), _exact(hi))
            if sp.Lt(a, c) is sp.true and sp.Lt(c, b) is sp.true:
                out.append(c)
        prev = (t, d)
    return out


def _simplest(lo, hi):
    """The rational with the smallest denominator in [lo, hi] (continued fractions)."""
    if lo > hi:
        lo, hi = hi, lo
    if lo <= 0 <= hi:
        return sp.Integer(0)
    if hi < 0:
        return -_simplest(-hi, -lo)
    fl = sp.floor(lo)
    if fl == lo or fl + 1 <= hi:
        return fl if fl == lo else fl + 1
    return fl + 1 / _simplest(1 / (hi - fl), 1 / (lo - fl))


def _halves(Lp, x, a, b, wdps):
    """(anchor, direction, length) triples covering (a, b) outward from exact anchors."""
    edges = [a, *_modes(Lp, x, a, b, wdps), b]
    out = []
    for l, r in zip(edges, edges[1:]):
        if l.is_finite and r.is_finite:
            m = (l + r) / 2
            out += [(l, 1, m - l), (r, -1, r - m)]
        elif l.is_finite:
            out.append((l, 1, sp.oo))
        elif r.is_finite:
            out.append((r, -1, sp.oo))
        else:
            out += [(sp.Integer(0), 1, sp.oo), (sp.Integer(0), -1, sp.oo)]
    return out


def _half(Lp, D, x, anchor, s, length, wdps, qdps):
    """Integral of exp(Lp) * D over x = anchor + s v, 0 < v < length."""
    v = sp.Dummy("v", positive=True)
    sub = {x: anchor + s * v}
    Lv, Dv = Lp.xreplace(sub), D.xreplace(sub)
    if Dv == 0:
        return mpmath.mpf(0), mpmath.mpf(0)
    fL = compile_mp(Lv, (v,))
    fD = (lambda t, lp: -lp) if D == -Lp else \
        (lambda t, lp, _f=compile_mp(Dv, (v,)): _f(t))
    fdL = compile_mp(sp.diff(Lv, v), (v,))
    finite = length.is_finite
    flen = _mp(length) if finite else mpmath.inf
    two = mpmath.mpf(2)
    # v*: where the mass per log-scale, v p(anchor + s v), peaks (to a factor 4)
    vstar = None
    J = int(3.33 * wdps) + 8
    for j in range(-J, J + 1, 2):
        t = two ** j
        if t >= flen:
            break
        try:
            h = 1 + t * fdL(t)
        except (ValueError, ZeroDivisionError):
            continue
        if _sign(h) == -1:
            vstar = t
            break
    if vstar is None:
        vstar = flen if finite else mpmath.mpf(1)

    def f(t):
        with mpmath.workdps(wdps):
            lp = real_part(fL(t), "log-density")
            if lp == -mpmath.inf:
                return mpmath.mpf(0)
            r = real_part(mpmath.exp(lp) * fD(t, lp), "integrand")
        return +r

    def rate(ts):
        """Decay rate of log|v f(v)| per factor 2 of v over the probe points."""
        g = []
        for t in ts:
            lp = real_part(fL(t))
            d = real_part(fD(t, lp))
            if d == 0 or lp == -mpmath.inf:
                return mpmath.mpf(1), 0
            g.append(mpmath.log(t) + lp + mpmath.log(abs(d)))
        r = -(g[1] - g[0]) / ((_PROBE[1] - _PROBE[0]) * mpmath.log(2))
        return r, _sign(d)

    ends = [("near", [vstar * two ** -j for j in _PROBE])]
    if not finite:
        ends.append(("far from", [vstar * two ** j for j in _PROBE]))
    rates = []
    for where, ts in ends:
        r, sg = rate(ts)
        if r > _DELTA:
            rates.append(min(r, mpmath.mpf(1)))
            continue
        if r <= mpmath.mpf(10) ** (-wdps // 2) and sg:
            return sg * mpmath.inf, mpmath.mpf(0)
        raise NumericError(
            f"cannot decide whether the integral converges {where} x = {anchor} "
            f"(|v f(v)| decays like v**{mpmath.nstr(-r, 3)}); refusing to guess")
    # log variables t: v = v0 exp(-t / r0) near the anchor, v = v* exp(t / rinf)
    # beyond v*; the integrand in t then decays like exp(-t), so it is below
    # 10**-wdps beyond T (where evaluating it could mean exp(exp(huge))): cut there.
    T = mpmath.mpf(2.31) * (wdps + 10) + 10

    def logvar(v0, sgn, r):
        def g(t):
            if t > T:
                return mpmath.mpf(0)
            vv = v0 * mpmath.exp(sgn * t / r)
            return f(vv) * vv / r
        return g

    with mpmath.workdps(qdps):
        v0 = min(vstar, flen)
        g = logvar(v0, -1, rates[0])
        total, err = mpmath.quad(g, [0, mpmath.inf], error=True)
        err += abs(g(T))
        if v0 < flen:
            g = logvar(v0, 1, rates[1] if not finite else 1)
            top = mpmath.log(flen / v0) if finite else mpmath.inf
            i, e = mpmath.quad(g, [0, top], error=True)
            total, err = total + i, err + e + (0 if finite else abs(g(T)))
    return total, err


# ------------------------------------------------------------------ continuous
def continuous(kind, dp, dq, point, wdps, qdps):
    """(value, error) of the defining integral for continuous P (and Q)."""
    x = sp.Dummy("x", real=True)
    p, lo, hi = _inst(dp, point, x)
    q = None
    if dq is not None:
        q, qlo, qhi = _inst(dq, point, x)
        for l, r in ((lo, sp.Min(qlo, hi)), (sp.Max(qhi, lo), hi)):
            if sp.Lt(l, r) is sp.true and _positive_somewhere(p, x, l, r):
                return mpmath.inf, mpmath.mpf(0)   # P puts mass where q = 0
        lo, hi = sp.Max(lo, qlo), sp.Min(hi, qhi)
    kinks = _kinks(p, x) + (_kinks(q, x) if q is not None else [])
    inner = sorted({k for k in kinks if sp.Lt(lo, k) is sp.true and sp.Lt(k, hi) is sp.true},
                   key=lambda k: sp.N(k, 50))
    edges = [lo, *inner, hi]
    total, err = mpmath.mpf(0), mpmath.mpf(0)
    infinite = set()
    for a, b in zip(edges, edges[1:]):
        rep = (a + b) / 2 if a.is_finite and b.is_finite else \
            (a + 1 if a.is_finite else (b - 1 if b.is_finite else sp.Integer(0)))
        pe = _resolve(p, x, rep)
        if pe == 0:
            continue
        Lp = log_form(pe, x, _test_points(a, b))
        if q is not None:
            qe = _resolve(q, x, rep)
            if qe == 0:
                return mpmath.inf, mpmath.mpf(0)
            Lq = log_form(qe, x, _test_points(a, b))
        D = {"entropy": lambda: -Lp, "cross_entropy": lambda: -Lq,
             "kl": lambda: Lp - Lq}[kind]()
        for anchor, s, length in _halves(Lp, x, a, b, wdps):
            i, e = _half(Lp, D, x, anchor, s, length, wdps, qdps)
            if mpmath.isinf(i):
                infinite.add(i)
            else:
                total, err = total + i, err + e
    if infinite:
        if len(infinite) > 1:
            raise NumericError("the integral has divergent parts of both signs")
        return infinite.pop(), mpmath.mpf(0)
    if mpmath.isnan(total):
        raise NumericError("the quadrature produced nan")
    return total, err


# ------------------------------------------------------------------ multivariate normal
def mvnormal(kind, dp, dq, point):
    raise UnsupportedError("multivariate normal: not yet")


def dirichlet(kind, dp, dq, point):
    raise UnsupportedError("Dirichlet: not yet")
