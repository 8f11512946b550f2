"""Numeric evaluation for derivation checks: mpmath quadrature and sums, inside ``workdps``.

Closed SymPy expressions whose integrals, sums and expectations are evaluated
numerically at a requested number of digits, with an error estimate taken from
a second, more precise evaluation (mpmath's own estimate is unreliable at
endpoint singularities).  Used by :mod:`symxent.derivation.core` for steps SymPy
cannot decide symbolically.
"""
from __future__ import annotations

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

class _Trouble(Exception):
    """A value could not be computed reliably (the point is skipped, not passed)."""


_BOUND_TYPES = (sp.Integral, sp.Sum)


def _to_mp(x):
    """A SymPy constant as an mpmath number (call inside workdps)."""
    x = sp.sympify(x)
    if x in (sp.oo, -sp.oo):
        return mpmath.inf if x == sp.oo else -mpmath.inf
    v = x.evalf(mpmath.mp.dps)
    if v.free_symbols or not v.is_number or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise _Trouble(f"not a finite number: {x}")
    re, im = v.as_real_imag()
    re, im = [mpmath.mpf(sp.Float(t, mpmath.mp.dps)._mpf_) for t in (re, im)]
    return re if im == 0 else mpmath.mpc(re, im)


def _from_mp(v):
    if isinstance(v, mpmath.mpc):
        return _from_mp(v.real) + sp.I * _from_mp(v.imag)
    if mpmath.isinf(v):
        return sp.oo if v > 0 else -sp.oo
    if mpmath.isnan(v):
        raise _Trouble("nan")
    return sp.Float(v, mpmath.mp.dps)


def _compile(f, v):
    if f.atoms(AppliedUndef):
        raise _Trouble(f"unknown function {sorted(map(str, f.atoms(AppliedUndef)))[0]} "
                       "has no model")
    extra = f.free_symbols - {v}
    if extra:
        raise _Trouble(f"no value for {sorted(map(str, extra))}")
    return sp.lambdify([v], f, modules="mpmath")  # built inside workdps by the caller


_GUARD = 6  # extra working digits beyond the requested ones


def _small(err, val, wdps):
    """An error estimate small enough for a comparison at ``wdps - _GUARD`` digits."""
    return err <= mpmath.mpf(10) ** (-(wdps - _GUARD + 2)) * max(1, abs(val))


def _kinks(f, v):
    """Real points where ``f`` may be non-smooth in ``v`` (Abs, Piecewise, ...)."""
    where = [a.args[0] for a in f.atoms(sp.Abs, sp.sign, sp.Heaviside)]
    where += [r.lhs - r.rhs for r in f.atoms(sp.core.relational.Relational)]
    where += [m.args[0] - m.args[1] for m in f.atoms(sp.Max, sp.Min) if len(m.args) == 2]
    out = set()
    for w in where:
        if w.free_symbols == {v} and w.is_polynomial(v) and sp.degree(w, v) <= 2:
            out |= {r for r in sp.solve(w, v) if r.is_real}
    return out


def _quad1(f, v, a, b, wdps):
    a, b = _to_mp(a), _to_mp(b)
    fn = _compile(f, v)
    inner = {_to_mp(k) for k in _kinks(f, v)} | ({mpmath.mpf(0)} if a < 0 < b else set())
    pts = [a] + sorted(k for k in inner if a < k < b) + [b]
    val, err = mpmath.quad(fn, pts, error=True, maxdegree=10)
    # the estimate is unreliable at endpoint singularities (x**(k-1) log x): redo the
    # integral at a higher precision and take the difference as the error
    with mpmath.workdps(wdps + 15):
        fn2 = _compile(f, v)
        val2 = mpmath.quad(fn2, pts, maxdegree=12)
    err = max(err, abs(val2 - val))
    val = +val2
    if not _small(err, val, wdps):
        raise _Trouble(f"quadrature did not reach {wdps - _GUARD + 2} digits "
                       f"(error {mpmath.nstr(err, 3)})")
    return val


def _num_integral(I, wdps):
    lims = I.limits
    if any(len(l) != 3 for l in lims):
        raise _Trouble("indefinite integral")
    if len(lims) == 1:
        return _quad1(I.function, *lims[0], wdps)
    vs = [l[0] for l in lims]
    if any((l[1].free_symbols | l[2].free_symbols) & set(vs) for l in lims):
        raise _Trouble("integration limits depend on other integration variables")
    # Fubini/Tonelli term by term: a product of one-dimensional integrals each.
    total = mpmath.mpf(0)
    f = sp.expand(I.function, mul=True, power_exp=True, log=False, multinomial=False,
                  power_base=False)
    for t in sp.Add.make_args(f):
        sep = sp.separatevars(t, symbols=vs, dict=True)
        if sep is None:
            raise _Trouble("multiple integral of a non-separable integrand")
        val = _to_mp(sep.pop("coeff"))
        for v, a, b in lims:
            val *= _quad1(sep.get(v, sp.S.One), v, a, b, wdps)
        total += val
    return total


def _num_sum(s, wdps):
    if len(s.limits) != 1:
        raise _Trouble("multiple sum")
    i, a, b = s.limits[0]
    fn = _compile(s.function, i)
    a = _to_mp(a)
    b = _to_mp(b)
    if mpmath.isinf(b):
        val = mpmath.nsum(fn, [a, b])
        with mpmath.workdps(wdps + 10):  # nsum gives no error bound: redo more precisely
            fn2 = _compile(s.function, i)
            val2 = mpmath.nsum(fn2, [a, b])
        if not _small(abs(val2 - val), val, wdps):
            raise _Trouble("series did not converge to the working precision")
        return val
    if b - a > 100000:
        raise _Trouble("finite sum too long")
    return mpmath.fsum(fn(k) for k in range(int(a), int(b) + 1))


def _expectations_as_integrals(e):
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


def _numeric_value(e, wdps):
    """Value of a closed SymPy expression (integrals and sums by mpmath), inside workdps."""
    with mpmath.workdps(wdps):
        for _ in range(50):
            inner = [a for a in e.atoms(sp.Integral, sp.Sum, sp.Product)
                     if not a.function.has(sp.Integral, sp.Sum, sp.Product)]
            if not inner:
                return _to_mp(e)
            sub = {}
            for a in inner:
                if isinstance(a, sp.Product):
                    sub[a] = a.doit()
                else:
                    sub[a] = _from_mp((_num_integral if isinstance(a, sp.Integral)
                                       else _num_sum)(a, wdps))
            e = e.xreplace(sub)
        raise _Trouble("integrals nested too deeply")


def _draw(obj, rng, interval=None):
    """A random rational respecting the assumptions of ``obj`` (or ``interval``)."""
    frac = sp.Rational(rng.randint(1, 999), 1000)
    if interval is not None:
        lo, hi = interval
        return lo + (hi - lo) * frac
    if obj.is_integer:
        lo = 1 if obj.is_positive else (0 if obj.is_nonnegative else -6)
        hi = -1 if obj.is_negative else (0 if obj.is_nonpositive else 6)
        return sp.Integer(rng.randint(lo, hi))
    if obj.is_positive or obj.is_nonnegative:
        return 5 * frac
    if obj.is_negative or obj.is_nonpositive:
        return -5 * frac
    return 10 * frac - 5
