"""Quadrature of the defining integrals, for :mod:`symxent.numeric.core`.

Continuous case: the integral over the support of ``p(x) * D(x)`` with
``D = -log p`` (entropy), ``-log q`` (cross-entropy) or ``log p - log q`` (KL);
see :mod:`symxent.numeric.core` for the strategy.  :func:`integrate` integrates
``exp(L) * D`` over an interval (one or several ``D`` sharing the nodes),
:func:`separable` multiple integrals whose log-density splits into
one-variable terms (used for multivariate normals and Dirichlet
distributions), with the double-exponential rules of :mod:`symxent.numeric.dequad`.  Every
function here must be called inside ``mpmath.workdps``.
"""
from __future__ import annotations

import mpmath
import sympy as sp
from sympy.core.relational import Relational

from symxent import budget as _budget
from symxent.errors import ParameterError, UnsupportedError
from symxent.laws.support import support_bounds
from symxent.numeric.dequad import de_quad
from symxent.numeric.exact1d import beta_integrals, gaussian_integrals
from symxent.numeric.mpcompile import (NumericError, compile_mp, deep_cancellation,
                                       exact, log_form, real_part)
from symxent.precision import workdps

__all__ = ["continuous", "mvnormal", "dirichlet", "integrate", "integral", "separable", "kinks"]

_PROBE = (256, 512, 1024, 2048)   # probe the decay at v* 2**(-+j), j in _PROBE
_SCALES_NEAR = (1, 4, 16)   # ... and, while undecided, at j * scale (not further:
_SCALES_FAR = (1,)          # exp(1/v), exp(v) at v = 2**-+32768 already cost seconds)
_RTINY = mpmath.mpf(10) ** -9      # a fitted decay rate within this of 0 counts as 0
_FLAT = mpmath.mpf("0.001")   # mode bracket: log p varies less than this across it
_HUGE = 2 ** 20               # exp(-_HUGE) counts as 0 next to any integral
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


def kinks(e, x):
    """Real points where ``e`` may be non-smooth in ``x`` (roots of the arguments of
    Abs/sign/Heaviside, crossings of Min/Max arguments, Piecewise boundaries)."""
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
            c = _simplest(exact(lo)[0], exact(hi)[0])
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


def _cancel_polys(e, v):
    """``e`` with each log argument and power base that is a polynomial in ``v``
    expanded exactly: ``R**2 - (R - v)**2`` becomes ``2 R v - v**2``.  With R = 149/40
    (not a binary fraction) the unexpanded form cancels two rounded constants,
    and near the anchor (v ~ 2**-256) its value is rounding noise, possibly
    negative: log of it was complex (WignerSemicircle's entropy)."""
    reps = {}
    for a in e.atoms(sp.log, sp.Pow):
        arg = a.args[0]
        if arg.has(v) and arg.is_Add and arg.is_polynomial(v):
            new = sp.expand(arg)
            if new != arg:
                reps[arg] = new
    return e.xreplace(reps) if reps else e


def _closer_fit(fit, fD, vstar, sgn, where, anchor):
    """The decay fit at v* 2**-+j for smaller j, when the probes at j = 256 ... overflow
    (Moyal: exp(-e**(-z)/2), and -log q = e**(-z2)/2 + ... with a small scale, is
    exp(e**(2**256))).  Accepted only when it shows a decay faster than any power;
    otherwise, as before, the integral is not evaluated."""
    for div in (4, 16, 32):
        probe = [j // div for j in _PROBE]
        try:
            r, beta, dr, db, sg = fit(fD, [vstar * 2 ** (sgn * j) for j in probe], probe)
        except OverflowError:
            continue
        if r > 1 and dr == 0:
            return r, beta, dr, db, sg
        break
    raise NumericError(f"the integrand overflows {where} x = {anchor}")


def _half(Lp, Ds, x, anchor, s, length, wdps, qdps, edps):
    """Integrals of exp(Lp) * D over x = anchor + s v, 0 < v < length, for D in Ds.

    Returns a list of (value, error), one per D (all share the nodes)."""
    v = sp.Dummy("v", positive=True)
    sub = {x: anchor + s * v}
    Lv = _cancel_polys(Lp.xreplace(sub), v)
    fL = compile_mp(Lv, (v,))
    fDs = {}
    for i, D in enumerate(Ds):
        Dv = _cancel_polys(D.xreplace(sub), v)
        if Dv != 0:
            fDs[i] = (lambda t, lp: -lp) if D == -Lp else \
                (lambda t, lp, _f=compile_mp(Dv, (v,)): _f(t))
    out = [(mpmath.mpf(0), mpmath.mpf(0))] * len(Ds)
    if not fDs:
        return out
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

    def fit(fD, ts, probe):
        """Fit |v f(v)| ~ v**-r (log v)**beta at v = ts (v* times successive squares
        2**j, j in ``probe``) twice, on overlapping triples; returns
        (r, beta, uncertainty of r, uncertainty of beta, sign of f far out)."""
        g = []
        for t in ts:
            lp = real_part(fL(t))
            d = real_part(fD(t, lp))
            if d == 0 or lp == -mpmath.inf:
                return mpmath.mpf(1), 0, 0, 0, 0
            g.append(mpmath.log(t) + lp + mpmath.log(abs(d)))
        ln2, fits = mpmath.log(2), []
        for k in (0, 1):
            j1 = probe[k]
            d1, d2 = g[k + 1] - g[k], g[k + 2] - g[k + 1]   # log log v grows by log 2
            r = (d1 - d2) / (j1 * ln2)
            fits.append((r, (d1 + r * j1 * ln2) / ln2))
        (r0, b0), (r1, b1) = fits
        if min(r0, r1) > 1 or max(r0, r1) < -1:   # faster than any power: clear either way
            return (r1, b1, 0, 0, _sign(d))
        return r1, b1, 2 * abs(r1 - r0) + tiny, 2 * abs(b1 - b0) + tiny, _sign(d)

    ends = [("near", -1, _SCALES_NEAR)]
    if not finite:
        ends.append(("far from", 1, _SCALES_FAR))
    rates = [mpmath.mpf(1)] * len(ends)
    tiny = mpmath.mpf(10) ** (-wdps // 3)
    for i in list(fDs):
        for e, (where, sgn, scales) in enumerate(ends):
            # a decay rate r hidden by the fit's uncertainty at v* 2**-+256 ... (a
            # Gamma shape 1e-5 puts its mass near v = exp(-1e5)) shows further out:
            # probe again at 16, 256, ... times the exponents before deciding
            for n, scale in enumerate(scales):
                _budget.check()
                probe = [j * scale for j in _PROBE]
                try:
                    r, beta, dr, db, sg = fit(fDs[i], [vstar * two ** (sgn * j)
                                                       for j in probe], probe)
                except OverflowError:   # mpmath's exponent limit: keep the last fit
                    if not n:
                        r, beta, dr, db, sg = _closer_fit(fit, fDs[i], vstar, sgn, where,
                                                          anchor)
                    break
                if r > dr or (sg and r < -dr) or dr < _RTINY:
                    break
            if r > dr:
                rates[e] = min(rates[e], r)
            elif sg and (r < -dr or (dr < _RTINY and beta > -1 + db)):
                # v f(v) grows, or r = 0 (to _RTINY) and (log v)**beta is not integrable
                out[i] = (sg * mpmath.inf, mpmath.mpf(0))
                del fDs[i]
                break
            else:
                raise NumericError(
                    f"cannot decide whether the integral converges {where} x = {anchor}: "
                    f"|v f(v)| behaves like v**{mpmath.nstr(-r, 3)} (log v)**"
                    f"{mpmath.nstr(beta, 3)} (+- {mpmath.nstr(dr, 2)}, {mpmath.nstr(db, 2)});"
                    f" refusing to guess")
    live = sorted(fDs)
    if not live:
        return out

    def f0(t):
        lp = real_part(fL(t), "log-density")
        if lp < -_HUGE:   # exp(lp) may not even be computable: work in logs
            ds = [real_part(fDs[i](t, lp)) for i in live]
            if lp == -mpmath.inf or all(not d or lp + mpmath.log(abs(d)) < -_HUGE for d in ds):
                return [mpmath.mpf(0)] * len(live)
        e = mpmath.exp(lp)
        return [real_part(e * fDs[i](t, lp), "integrand") for i in live]

    def f(t):
        if edps == qdps:
            return f0(t)
        with workdps(edps):
            r = f0(t)
        return [+y for y in r]

    # log variables t: v = v0 exp(-t / r0) near the anchor, v = v* exp(t / rinf)
    # beyond v*; the integrand in t then decays like exp(-t), so it is below
    # 10**-wdps beyond T (where evaluating it could mean exp(exp(huge))): cut there.
    T = mpmath.mpf(2.31) * (wdps + 10) + 10
    zero = [mpmath.mpf(0)] * len(live)

    def logvar(v0, sgn, r):
        def g(t):
            if t > T:
                return zero
            vv = v0 * mpmath.exp(sgn * t / r)
            w = vv / r
            return [y * w for y in f(vv)]
        return g

    with workdps(qdps):
        v0 = min(vstar, flen)
        g = logvar(v0, -1, min(rates[0], 1))
        parts = [de_quad(g, len(live)), [(0, abs(y)) for y in g(T)]]
        if v0 < flen:
            if finite:
                g = logvar(v0, 1, 1)
                parts.append(de_quad(g, len(live), mpmath.log(flen / v0)))
            else:
                g = logvar(v0, 1, min(rates[1], 1))
                parts += [de_quad(g, len(live)), [(0, abs(y)) for y in g(T)]]
    for k, i in enumerate(live):
        out[i] = (mpmath.fsum(p[k][0] for p in parts), mpmath.fsum(p[k][1] for p in parts))
    return out


# ------------------------------------------------------------------ continuous
def continuous(kind, dp, dq, point, wdps, qdps, edps):
    """(value, error) of the defining integral for continuous P (and Q)."""
    with deep_cancellation():
        return _continuous(kind, dp, dq, point, (wdps, qdps, edps))


def _D(kind, Lp, Lq):
    return {"entropy": lambda: -Lp, "cross_entropy": lambda: -Lq,
            "kl": lambda: Lp - Lq}[kind]()


def _continuous(kind, dp, dq, point, prec):
    x = sp.Dummy("x", real=True)
    p, lo, hi = _inst(dp, point, x)
    q = None
    if dq is not None:
        q, qlo, qhi = _inst(dq, point, x)
        for l, r in ((lo, sp.Min(qlo, hi)), (sp.Max(qhi, lo), hi)):
            if sp.Lt(l, r) is sp.true and _positive_somewhere(p, x, l, r):
                return mpmath.inf, mpmath.mpf(0)   # P puts mass where q = 0
        lo, hi = sp.Max(lo, qlo), sp.Min(hi, qhi)
    kpts = kinks(p, x) + (kinks(q, x) if q is not None else [])
    inner = sorted({k for k in kpts if sp.Lt(lo, k) is sp.true and sp.Lt(k, hi) is sp.true},
                   key=lambda k: sp.N(k, 50))
    edges = [lo, *inner, hi]
    parts = []
    for a, b in zip(edges, edges[1:]):
        rep = (a + b) / 2 if a.is_finite and b.is_finite else \
            (a + 1 if a.is_finite else (b - 1 if b.is_finite else sp.Integer(0)))
        pe = _resolve(p, x, rep)
        if pe == 0:
            continue
        Lp = log_form(pe, x, _test_points(a, b))
        Lq = None
        if q is not None:
            qe = _resolve(q, x, rep)
            if qe == 0:
                return mpmath.inf, mpmath.mpf(0)   # q = 0 on a piece where p > 0
            Lq = log_form(qe, x, _test_points(a, b))
        parts.append(integrate(Lp, _D(kind, Lp, Lq), x, a, b, prec))
    return _sum(parts)


def _sum(parts):
    infinite = {v for v, _ in parts if mpmath.isinf(v)}
    if infinite:
        if len(infinite) > 1:
            raise NumericError("the integral has divergent parts of both signs")
        return infinite.pop(), mpmath.mpf(0)
    total = mpmath.fsum(v for v, _ in parts)
    if mpmath.isnan(total):
        raise NumericError("the quadrature produced nan")
    return total, mpmath.fsum(e for _, e in parts)


def integrate(L, D, x, a, b, prec):
    """(value, error) of the integral of exp(L) * D over (a, b) (no kinks inside);
    ``D`` may be a list, then a list of (value, error) is returned."""
    wdps, qdps, edps = prec
    Ds = D if isinstance(D, (list, tuple)) else [D]
    halves = [_half(L, Ds, x, anchor, s, length, wdps, qdps, edps)
              for anchor, s, length in _halves(L, x, a, b, wdps)]
    out = [_sum([hv[i] for hv in halves]) for i in range(len(Ds))]
    return out if isinstance(D, (list, tuple)) else out[0]


# ------------------------------------------------------------------ product integrands
def _split(expr, ys):
    """``expr`` as a list of products ``{y: factor(y)}`` (one factor per variable)."""
    out = []
    yset = set(ys)
    for term in sp.Add.make_args(sp.expand(expr)):
        factors = {y: sp.S.One for y in ys}
        const = sp.S.One
        for f in sp.Mul.make_args(term):
            # the variables in f from its free symbols: one pass over f, not one
            # f.has(y) per variable (quadratic in the dimension; Dirichlet of k = 100)
            hit = list(f.free_symbols & yset)
            if len(hit) > 1:
                return None
            if hit:
                factors[hit[0]] *= f
            else:
                const *= f
        factors[ys[0]] *= const
        out.append(factors)
    return out


def separable(L, D, ranges, prec):
    """Integral of exp(L) D over a box when L = sum_i l_i(y_i) and D = sum of products.

    By Fubini the multiple integral is then a sum of products of 1-D integrals,
    each done by :func:`integrate`, or exactly by :func:`gaussian_integrals` when
    the factor is a Gaussian times a polynomial (normals) or a Beta integrand
    times a linear form in log u, log(1 - u) (Dirichlet), see
    :mod:`symxent.numeric.exact1d`.  ``ranges`` is ``[(y, a, b), ...]``.
    """
    ys = [y for y, _, _ in ranges]
    ls = _split(L, ys)
    if ls is None:
        raise UnsupportedError("the log-density does not split into one-variable terms")
    parts = {y: sp.S.Zero for y in ys}
    for t in ls:
        nonconst = [y for y in ys if t[y] is not sp.S.One and y in t[y].free_symbols]
        if len(nonconst) > 1:
            raise UnsupportedError("the log-density does not split into one-variable terms")
        key = nonconst[0] if nonconst else ys[0]
        parts[key] += sp.Mul(*t.values())
    terms = _split(D, ys)
    if terms is None:
        raise UnsupportedError("the integrand does not split into products")
    values = {}
    for y, a, b in ranges:                 # all 1-D integrals in y share their nodes
        factors = list(dict.fromkeys(t[y] for t in terms))
        res = gaussian_integrals(parts[y], factors, y) if (a, b) == (-sp.oo, sp.oo) else \
            beta_integrals(parts[y], factors, y) if (a, b) == (0, 1) else None
        if res is None:
            res = integrate(parts[y], factors, y, a, b, prec)
        values.update({(y, fac): r for fac, r in zip(factors, res)})
    # Most factors of a term are 1 (a Dirichlet of k components has ~2k terms, each
    # with one or two non-trivial factors): the product of the factor-1 integrals
    # is formed once, and each term divides out its own few, so that the sum costs
    # O(terms) instead of O(terms * dimension).  Error bounds to first order in the
    # relative errors (doubled); any zero or infinite value: the plain product.
    one = sp.S.One
    ones = {y: values[(y, one)] for y in ys if (y, one) in values}
    fast = all(mpmath.isfinite(v) and v != 0 for v, _ in ones.values())
    if fast:
        base_val = mpmath.fprod(v for v, _ in ones.values())
        base_rel = mpmath.fsum(ev / abs(v) for v, ev in ones.values())
    total, err = mpmath.mpf(0), mpmath.mpf(0)
    for t in terms:
        own = [(y, values[(y, t[y])]) for y in ys if t[y] is not one]
        if fast and all(mpmath.isfinite(v) and v != 0 for _, (v, _) in own):
            val, rel = base_val, base_rel
            for y, (v, ev) in own:
                if y in ones:
                    o, eo = ones[y]
                    val, rel = val / o, rel - eo / abs(o)
                val, rel = val * v, rel + ev / abs(v)
            total, err = total + val, err + 2 * abs(val) * max(rel, mpmath.mpf(0))
            continue
        val, e = mpmath.mpf(1), mpmath.mpf(0)
        for y in ys:
            v, ev = values[(y, t[y])]
            if mpmath.isinf(v):
                return v * mpmath.sign(val), mpmath.mpf(0)
            val, e = val * v, abs(val) * ev + abs(v) * e + e * ev
        total, err = total + val, err + e
    return total, err


# ------------------------------------------------------------------ multivariate
def mvnormal(kind, dp, dq, point, wdps, qdps, edps):
    """Multivariate normals, in coordinates z whitened by P: x = mu_P + C z."""
    mean, cov = dp.mean.xreplace(point), dp.cov.xreplace(point)
    n = mean.shape[0]
    try:
        C = cov.cholesky(hermitian=False)
    except ValueError as exc:
        raise ParameterError(f"{dp.rv}: covariance {cov} is not positive definite") from exc
    if any(C[i, i].is_positive is not True for i in range(n)):
        raise ParameterError(f"{dp.rv}: covariance {cov} is not positive definite")
    zs = sp.symbols(f"z0:{n}", real=True, cls=sp.Dummy)
    xs = list(mean + C * sp.Matrix(zs))
    jac = sp.Mul(*[C[i, i] for i in range(n)])

    def log_density(d):
        m, c = d.mean.xreplace(point), d.cov.xreplace(point)
        if m.shape[0] != n:
            raise UnsupportedError(f"{dp.rv} and {d.rv} have different dimensions")
        # the normal density (2 pi)^(-n/2) det(c)^(-1/2) exp(-(x-m)^T c^-1 (x-m) / 2),
        # (Cover & Thomas, Elements of Information Theory, 2nd ed., Section 8.4), in log form
        r = sp.Matrix(xs) - m
        return sp.expand(-(r.T * c.inv() * r)[0, 0] / 2 - n * sp.log(2 * sp.pi) / 2
                         - sp.log(c.det()) / 2)
    Lp = log_density(dp)
    Lq = log_density(dq) if dq is not None else None
    with deep_cancellation():
        return separable(Lp + sp.log(jac), sp.expand(_D(kind, Lp, Lq)),
                         [(z, -sp.oo, sp.oo) for z in zs], (wdps, qdps, edps))


def _dirichlet_alpha(d, point):
    """The concentration parameters of ``d`` at ``point``: (exact values, mpf values)."""
    exact_, out = [], []
    for a in d.alpha:
        v = sp.sympify(a).xreplace(point)
        if v.free_symbols:
            raise ParameterError(f"{d.rv}: no value given for {sorted(map(str, v.free_symbols))}")
        m = mpmath.mpf(v.p) / v.q if v.is_Rational else compile_mp(v, ())()
        if not isinstance(m, mpmath.mpf) or not m > 0:
            raise ParameterError(f"{d.rv}: the concentration parameter {v} is not positive")
        exact_.append(v)
        out.append(m)
    return exact_, out


def dirichlet(kind, dp, dq, point, wdps, qdps, edps):
    """Dirichlet: stick-breaking coordinates u in (0, 1)^(K-1) on the simplex,
    x_i = u_i prod_(j<i) (1 - u_j), x_K = prod_(j<K) (1 - u_j).

    The log-density log Gamma(sum a) - sum log Gamma(a_i) + sum (a_i - 1) log x_i
    (Kotz, Balakrishnan & Johnson, *Continuous Multivariate Distributions* 1,
    2nd ed., eq. 49.1) is written directly as a sum of log u_j and log(1 - u_j)
    terms, kept as their coefficients (numbers, O(K)), and checked against
    SymPy's ``MultivariateBeta`` density at one interior point.  The Jacobian is
    triangular (x_i depends on u_1..u_i only): the product of its diagonal
    prod_(j<i) (1 - u_j) = prod_j (1 - u_j)^(K - 1 - j) (1-based j).

    The integrand exp(L_P + log J) * D, with D = -L_P, -L_Q or L_P - L_Q linear in
    the log u_j, log(1 - u_j), is a product of one Beta integrand per u_j times a
    sum of one-variable terms, so by Fubini the K-1 dimensional integral is a sum
    of products of 1-D Beta integrals (Gradshteyn & Ryzhik 8.380.1, 4.253.1):
    int_0^1 u^A (1-u)^B du = B(A+1, B+1), and with log u (log(1 - u)) inside,
    B(A+1, B+1) (psi(A+1) - psi(A+B+2)) (psi(B+1) in place of psi(A+1)): O(K)
    digamma and log-gamma values.  The normaliser prod_j B(A_j+1, B_j+1) exp(c)
    is computed, not assumed to be 1."""
    from sympy.stats import MultivariateBeta
    ex_p, alpha = _dirichlet_alpha(dp, point)
    K = len(alpha)
    one = mpmath.mpf(1)
    ustar = [one / (3 + j) for j in range(K - 1)]
    xstar, rest = [], one
    for u in ustar:
        xstar.append(rest * u)
        rest = rest * (1 - u)
    xstar.append(rest)

    def log_density(d):
        """(c, A, B): L = c + sum_j A_j log u_j + B_j log(1 - u_j), j < K - 1."""
        ex, al = _dirichlet_alpha(d, point)
        if len(al) != K:
            raise UnsupportedError("Dirichlet distributions with different numbers of components")
        c = mpmath.loggamma(mpmath.fsum(al)) - mpmath.fsum(mpmath.loggamma(v) for v in al)
        A, B, tail = [None] * (K - 1), [None] * (K - 1), mpmath.mpf(0)
        for j in range(K - 1, -1, -1):   # tail = sum over i > j of (a_i - 1)
            if j < K - 1:
                A[j], B[j] = al[j] - 1, tail
            tail += al[j] - 1
        # the same density as SymPy's, at one interior point (x as floats of the
        # working precision: SymPy multiplies the K powers out numerically)
        got = c + mpmath.fsum(a * mpmath.log(u) + b * mpmath.log(1 - u)
                              for a, b, u in zip(A, B, ustar))
        prec = mpmath.mp.dps + 5
        pdf = MultivariateBeta("W", ex).pspace.distribution.pdf(
            *[sp.Float(x, prec) for x in xstar])
        ref = mpmath.log(compile_mp(pdf, ())())
        if abs(got - ref) > (1 + abs(ref)) * mpmath.mpf(2) ** (-mpmath.mp.prec // 2):
            raise NumericError("the Dirichlet log-density disagrees with SymPy's density")
        return c, A, B

    cp, Ap, Bp = log_density(dp)
    if kind == "entropy":
        d0, dA, dB = -cp, [-a for a in Ap], [-b for b in Bp]
    else:
        cq, Aq, Bq = log_density(dq)
        if kind == "cross_entropy":
            d0, dA, dB = -cq, [-a for a in Aq], [-b for b in Bq]
        else:
            d0, dA, dB = cp - cq, [a - b for a, b in zip(Ap, Aq)], \
                [a - b for a, b in zip(Bp, Bq)]
    # exponents of u_j and 1 - u_j in exp(L_P + log J)
    log_z, terms = cp, [d0]
    for j in range(K - 1):
        A, B = Ap[j], Bp[j] + (K - 2 - j)
        log_z += mpmath.log(mpmath.beta(A + 1, B + 1))
        psi_ab = mpmath.digamma(A + B + 2)
        terms += [dA[j] * (mpmath.digamma(A + 1) - psi_ab),
                  dB[j] * (mpmath.digamma(B + 1) - psi_ab)]
    z = mpmath.exp(log_z)
    tiny = mpmath.mpf(10) ** (-mpmath.mp.dps + 3)
    return z * mpmath.fsum(terms), z * mpmath.fsum(abs(t) for t in terms) * tiny * K
