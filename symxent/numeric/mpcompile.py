"""SymPy expressions -> closures on mpmath numbers, with adaptive precision.

:func:`compile_mp` is much cheaper to build than ``lambdify`` (which prints and
execs source) and is always evaluated at the caller's precision; constants are
folded at build time, so build inside ``mpmath.workdps``.  Sums that cancel
(``1 - (1 - v)**a`` for tiny ``v``) and logarithms of numbers near 1 are
recomputed at the precision the cancellation needs (:func:`_precise`), so
densities written in cancelling forms keep their digits near support endpoints.
:func:`log_form` gives ``log p`` of a density in an expanded form that cannot
underflow, checked against ``p`` before use.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from symxent.errors import ParameterError, SymxentError

__all__ = ["compile_mp", "log_form", "real_part", "deep_cancellation", "NumericError",
           "exact", "CANNOT_EVALUATE"]


class NumericError(SymxentError, ArithmeticError):
    """The numeric reference cannot produce a trustworthy value."""


# The failures that mean "this expression cannot be evaluated here" (a pole, a
# complex intermediate, an mpmath function outside its domain, a SymPy object
# with no numeric value): callers turn them into NumericError or skip the point.
# Anything else is a bug and propagates.
CANNOT_EVALUATE = (ValueError, ZeroDivisionError, TypeError, OverflowError, ArithmeticError,
                   NotImplementedError)


def exact(v, what="value"):
    """``(exact sympy number, relative uncertainty)`` of a parameter value.

    Floats (Python's or ``sympy.Float``/``mpmath.mpf``) keep their binary value
    exactly; their uncertainty is half an ulp, ``2**-prec`` relative (``2**-53``
    for a Python float), so that error bounds can carry it.  Exact numbers have
    uncertainty 0.  nan, +-inf and complex values raise ``ParameterError``.
    """
    prec = 0
    if isinstance(v, bool):
        raise ParameterError(f"{what} must be a number, got {v!r}")
    if isinstance(v, (mpmath.mpc, complex)):
        raise ParameterError(f"{what} must be real, got {v!r}")
    if isinstance(v, mpmath.mpf):
        if not mpmath.isfinite(v):
            raise ParameterError(f"{what} must be finite, got {v}")
        prec = mpmath.mp.prec
        sign, man, exp_, _ = v._mpf_
        e = (-1) ** sign * sp.Integer(man) * sp.Integer(2) ** exp_
    elif isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise ParameterError(f"{what} must be finite, got {v!r}")
        prec = 53
        e = sp.Rational(v)
    else:
        if isinstance(v, str):
            raise ParameterError(f"{what} must be a number, not the string {v!r}")
        try:
            e = sp.sympify(v, strict=True)
        except (sp.SympifyError, TypeError, ValueError) as exc:
            raise ParameterError(f"{what} must be a number, got {v!r}") from exc
        if isinstance(e, sp.Float):
            if not e.is_finite or e != e:
                raise ParameterError(f"{what} must be finite, got {v!r}")
            prec = e._prec
            e = sp.Rational(e)
    if not isinstance(e, sp.Expr) or e.has(sp.nan) or e.has(sp.zoo):
        raise ParameterError(f"{what} is not a number: {v!r}")
    if e.is_number:
        if e.is_infinite or e.has(sp.oo, -sp.oo):
            raise ParameterError(f"{what} must be finite, got {v!r}")
        if e.is_real is False or e.has(sp.I):
            raise ParameterError(f"{what} must be real, got {v!r}")
        if e.has(sp.Float):
            prec = max(prec, max(f._prec for f in e.atoms(sp.Float)))
            e = e.xreplace({f: sp.Rational(f) for f in e.atoms(sp.Float)})
    rel = mpmath.mpf(2) ** (-prec) if prec else 0
    return e, rel


def _besseli(nu, z):
    """I_nu(z) for an integer order and a real z >= 0 by its power series
    (DLMF 10.25.2, I_-n = I_n by 10.27.1): every term is positive, so the sum
    has no cancellation, and it stops where the rest, bounded by a geometric
    series (term ratios fall below 1/2 and keep falling), is below the
    precision.  mpmath's ``besseli`` (hypercomb) failed to converge at high
    orders (Skellam masses at |k| ~ 100, 4094 bits) or took seconds per value.
    Other arguments go to mpmath."""
    if not (_plain(nu) and _plain(z) and nu == int(nu) and z >= 0):
        return mpmath.besseli(nu, z)
    n = abs(int(nu))
    if z == 0:
        return mpmath.mpf(1) if n == 0 else mpmath.mpf(0)
    h2 = (z / 2) ** 2
    term = mpmath.exp(n * mpmath.log(z / 2) - mpmath.loggamma(n + 1))
    total, j = term, 0
    eps = mpmath.eps
    while True:
        ratio = h2 / ((j + 1) * (j + 1 + n))
        term *= ratio
        total += term
        j += 1
        if ratio < 0.5 and term <= eps * total:
            return total
        if j > 10 ** 6:   # z ~ 1e6: the series would be too long
            return mpmath.besseli(nu, z)


_FUNCS = {
    sp.exp: mpmath.exp, sp.gamma: mpmath.gamma,
    sp.loggamma: mpmath.loggamma, sp.digamma: mpmath.digamma, sp.beta: mpmath.beta,
    sp.polygamma: mpmath.polygamma, sp.erf: mpmath.erf, sp.erfc: mpmath.erfc,
    sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tan: mpmath.tan, sp.atan: mpmath.atan,
    sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh, sp.tanh: mpmath.tanh,
    sp.asinh: mpmath.asinh, sp.acosh: mpmath.acosh, sp.Abs: abs,
    sp.factorial: mpmath.factorial, sp.binomial: mpmath.binomial, sp.zeta: mpmath.zeta,
    sp.sign: mpmath.sign, sp.besseli: _besseli, sp.besselk: mpmath.besselk,
    sp.LambertW: mpmath.lambertw, sp.harmonic: mpmath.harmonic,
    sp.uppergamma: lambda a, z: mpmath.gammainc(a, z),
    sp.lowergamma: lambda a, z: mpmath.gammainc(a, 0, z),
    sp.Max: max, sp.Min: min,
}
_CONSTS = {sp.pi: lambda: +mpmath.pi, sp.E: lambda: +mpmath.e,
           sp.EulerGamma: lambda: +mpmath.euler, sp.Catalan: lambda: +mpmath.catalan,
           sp.oo: lambda: mpmath.inf, -sp.oo: lambda: -mpmath.inf}
_LOST = 10          # bits of cancellation tolerated before recomputing
_MAX_EXTRA = 1 << 14


_FZERO = mpmath.libmp.fzero
_NEAR1 = mpmath.mpf(2) ** -_LOST


def _const(e):
    if e in _CONSTS:
        return _CONSTS[e]()
    if isinstance(e, sp.Integer):
        return mpmath.mpf(int(e))
    if isinstance(e, sp.Rational):
        return mpmath.mpf(int(e.p)) / int(e.q)
    if isinstance(e, sp.Float):
        return mpmath.mpf(e._mpf_)
    return _build_any(e, {})(())


def _build(e, idx):
    if e in idx:
        i = idx[e]
        return lambda v: v[i]
    if e.is_Number or e in _CONSTS or not (e.free_symbols & idx.keys()):
        if e.free_symbols:
            raise ParameterError(f"no value given for {sorted(e.free_symbols, key=str)}")
        c = _const(e) if (e.is_Number or e in _CONSTS) else _build_any(e, idx)(())
        return lambda v: c
    return _build_any(e, idx)


def _mag(x):
    """``n`` with ``2**(n-1) <= |x| < 2**n`` for a finite nonzero mpf, else None."""
    m = getattr(x, "_mpf_", None)
    if m is None or not m[1]:
        return None
    return m[2] + m[3]


def _plain(x):
    return isinstance(x, mpmath.mpf) and mpmath.isfinite(x)


class deep_cancellation:
    """Context: allow up to ``_MAX_EXTRA`` extra bits to resolve a cancellation.

    Used for integrals near support endpoints, where ``1 - (1 - v)**a`` at
    ``v = 2**-1000`` is a real cancellation; elsewhere (sums over integers) an
    exact 0 or 1 is accepted after one retry at twice the precision.
    """
    depth = 0

    def __enter__(self):
        deep_cancellation.depth += 1

    def __exit__(self, *exc):
        deep_cancellation.depth -= 1


def _precise(compute, lost_of):
    """Rerun ``compute()`` with more precision until the bits it loses are covered.

    ``lost_of(r)`` is the number of bits lost in ``r`` (``None``: all of them, an
    exact 0 or 1, accepted once enough extra bits confirm it).  Returns the
    (unrounded) high-precision result.
    """
    prec, extra = mpmath.mp.prec, 0
    cap = _MAX_EXTRA if deep_cancellation.depth else 2 * prec
    while True:
        with mpmath.workprec(prec + extra):
            r = compute()
            lost = lost_of(r)
        if lost is None:
            if extra >= cap // 2:
                return r
            extra = max(2 * extra, prec)
        elif lost + 16 <= extra or lost <= _LOST:
            return r
        else:
            extra = lost + 32
        if extra > cap:
            return r


def _lost_in_sum(r, big):
    m = getattr(r, "_mpf_", None)
    if m is None or big is None:
        return 0
    if not m[1]:
        return None if m == _FZERO else 0
    return max(0, big - (m[2] + m[3]))


def _build_add(fs, c0):
    cmag = _mag(c0)

    def raw(v):
        r = c0
        for f in fs:
            r = r + f(v)
        return r

    def add(v):
        r, big = c0, cmag
        for f in fs:
            t = f(v)
            r = r + t
            m = _mag(t)
            if m is not None and (big is None or m > big):
                big = m
        lost = _lost_in_sum(r, big)
        if lost is not None and lost <= _LOST:
            return r
        return _precise(lambda: raw(v), lambda y: _lost_in_sum(y, big))
    return add


def _build_log(f0):
    def lost(z):
        if not _plain(z) or z <= 0:
            return 0
        d = z - 1
        return None if not d else max(0, -_mag(d))

    def log(v):
        y = f0(v)
        if _plain(y) and y > 0 and abs(y - 1) < _NEAR1:
            y = _precise(lambda: f0(v), lost)
            k = lost(y)
            with mpmath.workprec(mpmath.mp.prec + (k or 0)):
                return +mpmath.log(y)
        return mpmath.log(y)
    return log


def _build_any(e, idx):
    if e.is_Add or e.is_Mul:
        keys = idx.keys()
        const = [a for a in e.args if not (a.free_symbols & keys)]
        fs = [_build(a, idx) for a in e.args if a.free_symbols & keys]
        if e.is_Add:
            c0 = mpmath.mpf(0)
            for a in const:
                c0 = c0 + _const(a)
            if not fs:
                return lambda v: c0
            return _build_add(fs, c0)
        c0 = mpmath.mpf(1)
        for a in const:
            c0 = c0 * _const(a)
        if not fs:
            return lambda v: c0

        def mul(v):
            r = c0
            for f in fs:
                r = r * f(v)
            return r
        return mul
    if e.is_Pow:
        b, x = e.args
        fb = _build(b, idx)
        if x.is_Integer:
            n = int(x)
            return lambda v: fb(v) ** n
        if x == sp.S.Half:
            return lambda v: mpmath.sqrt(fb(v))
        fx = _build(x, idx)
        return lambda v: mpmath.power(fb(v), fx(v))
    if e in _CONSTS or e.is_Number:
        c = _const(e)
        return lambda v: c
    if e.func == sp.log and len(e.args) == 1:
        a = e.args[0]
        flog = _build_log(_build(a, idx))
        if a.is_Add and sp.S.One in a.args:    # log(1 + w) = log1p(w) for small w
            fw = _build(a - 1, idx)

            def log1p(v):
                w = fw(v)
                return mpmath.log1p(w) if _plain(w) and abs(w) < 0.5 else flog(v)
            return log1p
        return flog
    g = _FUNCS.get(e.func)
    if g is not None:
        fs = [_build(a, idx) for a in e.args]
        if len(fs) == 1:
            f0 = fs[0]
            return lambda v: g(f0(v))
        return lambda v: g(*[f(v) for f in fs])
    # rare functions: fall back on sympy's printer (still called inside workdps)
    syms = sorted(idx, key=idx.get)
    lam = sp.lambdify(syms, e, modules="mpmath")
    return lambda v: lam(*v)


def compile_mp(expr, args):
    """Compile ``expr`` into ``f(*values)`` on mpmath numbers (build inside workdps)."""
    expr = sp.sympify(expr)
    if expr.has(sp.zoo, sp.nan):
        raise NumericError(f"the expression is undefined: {expr}")
    f = _build(expr, {a: i for i, a in enumerate(args)})
    if len(args) == 1:
        return lambda a: f((a,))
    return lambda *a: f(a)


def real_part(r, what="value"):
    """``r`` as a real mpf; a non-negligible imaginary part is an error."""
    if isinstance(r, mpmath.mpc):
        if r.imag and abs(r.imag) > abs(r.real) * mpmath.mpf(2) ** (-mpmath.mp.prec // 2):
            raise NumericError(f"complex {what}: {r}")
        return r.real
    return r


def _expand_log(e, at):
    """``log |e|`` split over products and powers; signs decided at the point ``at``."""
    if e.is_Mul:
        return sp.Add(*[_expand_log(f, at) for f in e.args])
    if e.is_Pow and (e.exp.is_integer or _sign_at(e.base, at) > 0):
        return e.exp * _expand_log(e.base, at)
    if isinstance(e, sp.exp):
        return e.args[0]
    if e.is_Number:
        return sp.log(abs(e))
    return sp.log(e) if _sign_at(e, at) >= 0 else sp.log(-e)


def _sign_at(e, at):
    keys = list(at)
    v = real_part(compile_mp(e, keys)(*[at[k] for k in keys]))
    return 1 if v > 0 else (-1 if v < 0 else 0)


def log_form(e, var, points):
    """``log e`` as an expression in ``var``, expanded so that it cannot underflow.

    ``log |f|`` is taken factor by factor (powers and ``exp`` opened up); the
    expanded form is used only if it agrees with ``log e`` at the test
    ``points`` (exact numbers inside the support), else ``log e`` itself.
    """
    from symxent.errors import NegativeDensityError
    pts = [_const(t) if t.is_Number else compile_mp(t, ())() for t in points]
    fe = compile_mp(e, (var,))
    for t in pts:
        try:
            pv = fe(t)
        except (ValueError, ZeroDivisionError, TypeError):
            continue
        if isinstance(pv, mpmath.mpc) and abs(pv.imag) > abs(pv.real) * mpmath.mpf(2) ** -20:
            raise NegativeDensityError(f"the density {e} is not real at {var} = {t}")
        if mpmath.re(pv) < 0:
            raise NegativeDensityError(f"the density {e} is negative at {var} = {t}")
    try:
        L = _expand_log(e, {var: pts[0]})
        fl = compile_mp(L, (var,))
        for t in pts:
            pv, lv = real_part(fe(t), "density"), real_part(fl(t))
            # both sides carry a relative error of about |log p| ulps (exp of a rounded
            # large exponent: Moyal's exp(-exp(48)/2) at a test point): the tolerance
            # grows with |log p|, capped far below the factor a wrong expansion (a lost
            # sign, a dropped factor) makes at the other test points
            tol = min(mpmath.mpf(2) ** (-mpmath.mp.prec // 2) * (1 + abs(lv)),
                      mpmath.mpf(2) ** -20)
            if pv > 0 and abs(mpmath.exp(lv) / pv - 1) > tol:
                return sp.log(e)
    except (ValueError, ZeroDivisionError, TypeError, NumericError):
        return sp.log(e)
    return L
