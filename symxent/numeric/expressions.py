"""Values of closed SymPy expressions with integrals, sums and expectations.

:func:`closed_value` gives ``(value, error)`` of an expression without free
parameters that may contain ``Integral``, ``Sum``, ``Product`` and
``sympy.stats`` ``Expectation`` objects (and stand-ins for values already
known with an error, such as the measures of :mod:`symxent.numeric.core`).
It is what derivation steps are checked with, so it uses the same machinery
as the definitions of S, H and D_KL:

* an integral ``Integral(f, (x, a, b))`` is cut at the kinks of ``f``
  (:func:`symxent.numeric.quadrature.kinks`) and ``f`` is written as
  ``exp(L) * D``, ``L`` the log of its power and exponential factors, then
  integrated by :func:`symxent.numeric.quadrature.integrate` (anchored
  log-space double-exponential quadrature, with an error estimate);
* an infinite sum term by term with a ratio-test tail bound
  (:func:`symxent.numeric.discrete.series`), a finite one exactly;
* a multiple integral by Fubini when its integrand separates.

Why not ``mpmath.quad`` on a ``lambdify``-ed integrand (as before): measured
on the Beta entropy derivation (``tests/test_numeric_layer.py`` keeps the
timing), ``mpmath.quad`` at 36 digits needed ~5,000 integrand calls per
integral and still missed the digits near ``x = 1``, where ``1 - x`` is
formed from a rounded ``x`` (``(1 - x)**(b - 1)`` with ``b < 1``), so each
check was run twice more at higher precision: ~100 s for the derivation.
Substituting ``x = 1 - v`` symbolically keeps ``v`` exact and the same
integrals take ~0.1 s each.

:func:`compare` is the one comparison of a value with a reference used by the
derivation checker, the formula checker and the CLI.
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from symxent import budget as _budget
from symxent.errors import DensityError, UnsupportedError
from symxent.numeric.discrete import MAX_TERMS, series
from symxent.numeric.mpcompile import (CANNOT_EVALUATE, NumericError, compile_mp,
                                       deep_cancellation, log_form)
from symxent.numeric.quadrature import _resolve, _test_points, integrate, kinks
from symxent.precision import workdps

__all__ = ["closed_value", "prefetch_integrals", "compare", "Comparison", "expectations_as_integrals",
           "AGREE", "MISMATCH", "INCONCLUSIVE"]

AGREE, MISMATCH, INCONCLUSIVE = "agree", "mismatch", "inconclusive"
_BOUND = (sp.Integral, sp.Sum, sp.Product)


# ------------------------------------------------------------------ comparison
@dataclass(frozen=True)
class Comparison:
    """Outcome of :func:`compare`: ``status`` is ``agree``, ``mismatch`` or
    ``inconclusive``; ``difference`` and ``tolerance`` are absolute."""

    status: str
    difference: object = None
    tolerance: object = None
    note: str = ""

    def __bool__(self):
        return self.status == AGREE


def compare(value, reference, error=0, dps=30, tol=None, relation="="):
    """Compare ``value`` with ``reference`` whose (combined) error bound is ``error``.

    ``tol`` is a relative tolerance (default ``10**(-dps + 5)``), scaled by
    ``max(1, |value|, |reference|)``.  ``relation`` is ``"="`` (the default),
    ``"<="`` (``value <= reference``) or ``">="``.  The result is a
    :class:`Comparison`:

    * ``mismatch`` when the relation fails by more than the tolerance plus ten
      error bounds (whatever the error bound);
    * ``inconclusive`` when ten error bounds exceed the tolerance (the values
      are not known well enough to confirm it), or a value is nan, or an
      ordering involves a complex value;
    * ``agree`` otherwise.

    Infinite values agree only with the same infinity (or, for an ordering,
    when the ordering of the infinities holds).
    """
    if relation not in ("=", "<=", ">="):
        raise ValueError(f"relation must be '=', '<=' or '>=', got {relation!r}")
    with workdps(dps + 10):
        a, b = mpmath.mpmathify(value), mpmath.mpmathify(reference)
        err = abs(mpmath.mpmathify(error or 0))
        if mpmath.isnan(a) or mpmath.isnan(b) or mpmath.isnan(err):
            return Comparison(INCONCLUSIVE, note="a value is not a number")
        if relation != "=" and (isinstance(a, mpmath.mpc) and a.imag or
                                isinstance(b, mpmath.mpc) and b.imag):
            return Comparison(INCONCLUSIVE, note="complex values have no order")
        if relation != "=":
            a, b = mpmath.re(a), mpmath.re(b)
        if mpmath.isinf(a) or mpmath.isinf(b):
            if relation == "=":
                ok = a == b
            else:
                ok = a <= b if relation == "<=" else a >= b
            return Comparison(AGREE if ok else MISMATCH, note="infinite values")
        scale = max(mpmath.mpf(1), abs(a), abs(b))
        tol_abs = (mpmath.mpf(10) ** (-dps + 5) if tol is None else mpmath.mpf(tol)) * scale
        if relation == "=":
            gap = abs(a - b)
        else:
            gap = a - b if relation == "<=" else b - a
        if gap > tol_abs + 10 * err:
            return Comparison(MISMATCH, abs(a - b), tol_abs)
        if 10 * err > tol_abs:
            return Comparison(INCONCLUSIVE, abs(a - b), tol_abs,
                              "the error bound is too large to confirm the relation")
        return Comparison(AGREE, abs(a - b), tol_abs)


# ------------------------------------------------------------------ expectations
def expectations_as_integrals(e):
    """``E[f(X)]`` of a univariate law as the integral (or sum) of ``f * p`` over its support."""
    from sympy.stats import Expectation
    from sympy.stats.rv import random_symbols
    from symxent.laws.support import describe, support_bounds

    def convert(ex):
        rvs = random_symbols(ex.args[0])
        if len(rvs) != 1:
            return ex
        d = describe(rvs[0])
        if d.kind not in ("continuous", "discrete"):
            return ex
        lo, hi = support_bounds(d.support)
        kind = sp.Integral if d.kind == "continuous" else sp.Sum
        return kind(ex.args[0].xreplace({rvs[0]: d.var}) * d.pdf, (d.var, lo, hi))
    return e.replace(lambda a: isinstance(a, Expectation), convert)


# ------------------------------------------------------------------ integrals
def _split(f, x):
    """``f`` as ``(L, D)`` with ``f = exp(L) * D``: ``L`` the log of the factors
    that must be positive (exponentials, non-integer powers of expressions in
    ``x``, powers with ``x`` in the exponent), ``D`` the rest."""
    dens, rest = [], []
    for fac in sp.Mul.make_args(f):
        if fac.has(x) and (isinstance(fac, sp.exp) or fac.is_Pow and (
                fac.exp.has(x) or fac.base.has(x) and not fac.exp.is_integer)):
            dens.append(fac)
        else:
            rest.append(fac)
    return sp.Mul(*dens), sp.Mul(*rest)


_X = sp.Dummy("x", real=True)   # one integration variable, so that integrals can share nodes


def _open_logs(D, x, pts):
    """``D`` with each ``log(product or power or exp)`` in ``x`` expanded like a
    log-density (:func:`log_form`, checked at ``pts``): ``log(exp(-exp(v)))`` must
    not be formed through ``exp(-exp(v))``, which overflows far out."""
    sub = {}
    for lg in D.atoms(sp.log):
        a = lg.args[0]
        if a.has(x) and (a.is_Mul or a.is_Pow or isinstance(a, sp.exp)):
            try:
                sub[lg] = log_form(a, x, pts)
            except DensityError:
                continue
    return D.xreplace(sub) if sub else D


def _pieces(f, x, a, b):
    """``[(lo, hi, L, D)]``: (a, b) cut at the kinks of ``f``, with ``f = exp(L) D``
    on each piece (pieces where ``f`` vanishes are left out)."""
    try:
        pts = kinks(f, x)
    except UnsupportedError as exc:
        raise NumericError(str(exc)) from exc
    inner = sorted({k for k in pts if sp.Lt(a, k) is sp.true and sp.Lt(k, b) is sp.true},
                   key=lambda k: sp.N(k, 50))
    edges = [a, *inner, b]
    out = []
    for lo, hi in zip(edges, edges[1:]):
        rep = (lo + hi) / 2 if lo.is_finite and hi.is_finite else \
            (lo + 1 if lo.is_finite else (hi - 1 if hi.is_finite else sp.Integer(0)))
        fe = _resolve(f, x, rep)
        if fe == 0:
            continue
        dens, D = _split(fe, x)
        D = _open_logs(D, x, _test_points(lo, hi))
        L = sp.S.Zero
        if dens != 1:
            try:
                L = log_form(dens, x, _test_points(lo, hi))
            except DensityError:        # not positive after all: integrate f as it is
                L, D = sp.S.Zero, fe
        out.append((lo, hi, L, D))
    return out


def _integrals_1d(jobs, prec):
    """``{key: (value, error)}`` of the integrals ``(key, f, a, b)`` in ``jobs``
    (integrand in :data:`_X`).  Pieces with the same interval and the same
    log-density factor are integrated together, sharing their nodes."""
    groups = {}
    for key, f, a, b in jobs:
        sign = 1
        if sp.Lt(b, a) is sp.true:
            a, b, sign = b, a, -1
        elif a == b:
            continue
        for lo, hi, L, D in _pieces(f, _X, a, b):
            groups.setdefault((lo, hi, L), []).append((key, sign * D))
    out = {key: (mpmath.mpf(0), mpmath.mpf(0)) for key, *_ in jobs}
    for (lo, hi, L), items in groups.items():
        _budget.check()
        res = integrate(L, [D for _, D in items], _X, lo, hi, prec)
        for (key, _), (v, e) in zip(items, res):
            tv, te = out[key]
            out[key] = (tv + v, te + e) if not mpmath.isinf(tv) else (tv, te)
    return out


def _integral(obj, prec):
    """(value, error) of one Integral (Fubini for a separable multiple integral)."""
    lims = obj.limits
    if any(len(l) != 3 for l in lims):
        raise NumericError("indefinite integral")
    vs = [l[0] for l in lims]
    if any((l[1].free_symbols | l[2].free_symbols) & set(vs) for l in lims):
        raise NumericError("integration limits depend on other integration variables")
    if len(lims) == 1:
        (x, a, b), = lims
        return _integrals_1d([(0, obj.function.xreplace({x: _X}), a, b)], prec)[0]
    terms = sp.Add.make_args(sp.expand(obj.function, mul=True, power_exp=True, log=False,
                                       multinomial=False, power_base=False))
    total, err = mpmath.mpf(0), mpmath.mpf(0)
    for t in terms:
        # Fubini/Tonelli term by term: a product of one-dimensional integrals each
        sep = sp.separatevars(t, symbols=vs, dict=True)
        if sep is None:
            raise NumericError("multiple integral of a non-separable integrand")
        val, e = _number(sep.pop("coeff")), mpmath.mpf(0)
        for v, a, b in lims:
            f = sep.get(v, sp.S.One).xreplace({v: _X})
            iv, ie = _integrals_1d([(0, f, a, b)], prec)[0]
            val, e = val * iv, abs(val) * ie + abs(iv) * e + e * ie
        total, err = total + val, err + e
    return total, err


# ------------------------------------------------------------------ sums
def _lg_binomial(n, k):
    return sp.loggamma(n + 1) - sp.loggamma(k + 1) - sp.loggamma(n - k + 1)


def _loggamma_form(f):
    """Binomial coefficients of a series' term through ``loggamma``: mpmath's
    ``binomial`` of non-integer arguments goes through ``gammaprod`` at the
    precision of each cancellation check, ~50 times slower (a negative binomial
    entropy series: 10 s -> 0.2 s).  Where a coefficient is not positive the
    ``loggamma`` values are complex or poles, so the term cannot be evaluated:
    an error, never a wrong number."""
    f = f.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.binomial),
                  lambda e: _lg_binomial(*e.args[0].args))
    return f.replace(lambda e: isinstance(e, sp.binomial),
                     lambda e: sp.exp(_lg_binomial(*e.args)))


def _sum(obj, wdps):
    if len(obj.limits) != 1:
        raise NumericError("multiple sum")
    k, a, b = obj.limits[0]
    f = obj.function if a.is_finite and b.is_finite else _loggamma_form(obj.function)
    fn = compile_mp(f, (k,))

    def term(i):
        return fn(mpmath.mpf(int(i)))
    eps = mpmath.mpf(10) ** (-wdps + 2)
    if a.is_finite and b.is_finite:
        n = int(b) - int(a) + 1
        if n > MAX_TERMS:
            raise NumericError(f"finite sum too long ({n} terms)")
        terms = [term(i) for i in range(int(a), int(b) + 1)]
        return mpmath.fsum(terms), eps * (1 + mpmath.fsum(abs(t) for t in terms))
    parts = []
    if a.is_finite:
        parts.append((int(a), 1))
    elif b.is_finite:
        parts.append((int(b), -1))
    else:
        parts += [(0, 1), (-1, -1)]
    total, err = mpmath.mpf(0), mpmath.mpf(0)
    for start, step in parts:
        s, e = series(term, start, step, eps)
        total, err = total + s, err + e
    return total, err


# ------------------------------------------------------------------ expressions
def _number(e):
    """A closed SymPy number as an mpmath number (inside workdps)."""
    if e.free_symbols:
        raise NumericError(f"no value for {sorted(map(str, e.free_symbols))}")
    try:
        return compile_mp(e, ())()
    except CANNOT_EVALUATE as exc:
        raise NumericError(f"cannot evaluate {e}: {type(exc).__name__}: {exc}") from exc


def _simple_integrals(e):
    """The one-dimensional definite integrals of ``e`` without free symbols or
    inner integrals, sums or products (those :func:`closed_value` does first)."""
    return [a for a in e.atoms(sp.Integral) if len(a.limits) == 1 and len(a.limits[0]) == 3
            and not a.free_symbols and not a.function.has(*_BOUND)]


def _jobs(integrals):
    return [(a, a.function.xreplace({a.limits[0][0]: _X}), *a.limits[0][1:]) for a in integrals]


def prefetch_integrals(exprs, wdps, cache):
    """Integrate the simple integrals of all ``exprs`` in one pass (those over one
    interval with one log-density factor share their nodes) into ``cache``,
    for later :func:`closed_value` calls at the same ``wdps`` with ``cache=``.

    The derivation checker compares neighbouring expressions of a chain at the
    same point, e.g. the definition ``-int p log p`` and ``E[log X]``, ``E[log(1 - X)]``
    under the same density: integrated together they cost about as much as
    one.  Each integral keeps its own error estimate.  If the joint pass fails
    (an integral whose convergence cannot be decided), nothing is stored and
    each expression meets the failure on its own."""
    todo = []
    for e in exprs:
        e = expectations_as_integrals(sp.sympify(e))
        if e.atoms(AppliedUndef):   # closed_value refuses it
            continue
        todo += [a for a in _simple_integrals(e) if a not in cache]
    todo = list(dict.fromkeys(todo))
    if len(todo) < 2:
        return
    prec = (wdps, wdps - 4, wdps - 4)
    try:
        with workdps(wdps), deep_cancellation():
            values = _integrals_1d(_jobs(todo), prec)
    except NumericError:
        return
    cache.update(values)


def closed_value(e, known=None, wdps=38, cache=None):
    """``(value, error)`` of a closed expression at ``wdps`` working digits.

    ``known`` maps stand-in symbols in ``e`` to ``(value, error)`` pairs.  The
    value may be complex or infinite; the error is a bound propagated to first
    order plus a rounding allowance.  Raises :class:`NumericError` when the
    expression cannot be evaluated (an unknown function, a free symbol, an
    integral whose convergence cannot be decided, ...).  ``cache`` (a dict,
    optional) holds values of integrals computed at the same ``wdps``
    (:func:`prefetch_integrals`); new ones are added to it.
    """
    known = dict(known or {})
    cache = {} if cache is None else cache
    e = expectations_as_integrals(sp.sympify(e))
    undef = e.atoms(AppliedUndef)
    if undef:
        raise NumericError(f"unknown function {sorted(map(str, undef))[0]} has no model")
    prec = (wdps, wdps - 4, wdps - 4)
    with workdps(wdps), deep_cancellation():
        for _ in range(50):
            inner = [a for a in e.atoms(*_BOUND) if not a.function.has(*_BOUND)
                     and not a.free_symbols - set(known)]
            if not inner:
                break
            sub, values = {}, {}
            if any(a.free_symbols for a in inner):
                raise NumericError("an integral or sum of an already evaluated value")
            # one-dimensional integrals together (those over one interval share nodes)
            simple = [a for a in inner if isinstance(a, sp.Integral) and len(a.limits) == 1
                      and len(a.limits[0]) == 3]
            values.update({a: cache[a] for a in simple if a in cache})
            fresh = _integrals_1d(_jobs([a for a in simple if a not in cache]), prec)
            cache.update(fresh)
            values.update(fresh)
            for a in inner:
                _budget.check()
                if a in values:
                    continue
                if isinstance(a, sp.Product):
                    values[a] = _number(a.doit()), mpmath.mpf(0)
                elif isinstance(a, sp.Integral):
                    values[a] = _integral(a, prec)
                else:
                    values[a] = _sum(a, wdps)
            for a in inner:
                d = sp.Dummy("n")
                known[d] = values[a]
                sub[a] = d
            e = e.xreplace(sub)
        else:
            raise NumericError("integrals nested too deeply")
        left = e.free_symbols - set(known)
        if left or e.has(*_BOUND):
            raise NumericError(f"no value for {sorted(map(str, left)) or e}")
        return _combine(e, known, wdps)


def _combine(e, known, wdps):
    syms = sorted(e.free_symbols, key=str)
    vals = [known[s] for s in syms]
    if any(mpmath.isinf(v) for v, _ in vals):
        sub = {s: (sp.oo if v > 0 else -sp.oo) if mpmath.isinf(v) else
               sp.Float(mpmath.nstr(mpmath.re(v), wdps), wdps) for s, (v, _) in zip(syms, vals)}
        r = e.xreplace(sub)
        if r in (sp.oo, -sp.oo):
            return (mpmath.inf if r == sp.oo else -mpmath.inf), mpmath.mpf(0)
        if r.is_finite and not r.free_symbols:
            return _number(r), mpmath.mpf(0)
        raise NumericError(f"the expression is undefined (inf - inf or similar): {e} -> {r}")
    try:
        value = compile_mp(e, syms)(*[v for v, _ in vals])
        err = mpmath.mpf(0)
        for s, (v, ev) in zip(syms, vals):
            if ev:
                d = compile_mp(sp.diff(e, s), syms)(*[w for w, _ in vals])
                err += abs(d) * ev
    except CANNOT_EVALUATE as exc:
        raise NumericError(f"cannot evaluate {e}: {type(exc).__name__}: {exc}") from exc
    if isinstance(value, mpmath.mpc) and not value.imag:
        value = value.real
    err += abs(value) * mpmath.mpf(10) ** (-wdps + 3)
    return value, err

