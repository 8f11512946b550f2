"""Is a density a density?  Normalisation and sign checks for user input.

``sympy.stats`` accepts any expression as a density: ``ContinuousRV(x, 3*x,
set=Interval(0, 1))`` builds without complaint.  Before the engine derives
anything from a user-defined density (``ContinuousRV``, ``DiscreteRV``,
``FiniteRV``) it checks that

* the density is real and non-negative on its declared support, and
* it integrates (sums) to 1 there,

symbolically when SymPy decides it quickly, otherwise numerically with mpmath
(inside ``workdps``) at random admissible parameter points.  A failure raises
:class:`~symxent.errors.NotNormalizedError` or
:class:`~symxent.errors.NegativeDensityError` naming the problem.
"""
from __future__ import annotations

import random
from functools import lru_cache

import mpmath
import sympy as sp

from symxent import budget
from symxent.laws.domain import sample_point
from symxent.engine.rulebase import attempt
from symxent.errors import NegativeDensityError, NotNormalizedError
from symxent.laws.support import linear_roots, support_bounds
from sympy.core.relational import Relational
from symxent.precision import workdps

__all__ = ["check_density"]

_TOL = mpmath.mpf("1e-10")


def check_density(d) -> None:
    """Raise when the described distribution ``d`` is not a probability law."""
    if d.handmade:  # sympy.stats' own families are probability laws by construction
        _check(d)


@lru_cache(maxsize=256)
def _check(d):
    if d.kind == "finite":
        return _check_finite(d)
    lo, hi = support_bounds(d.support)
    rng = random.Random(1)
    for _ in range(2):
        point = sample_point(d.rv, rng) if d.params else {}
        pdf = d.pdf.subs(point)
        # a support whose ends are parameters (ContinuousRV(x, pdf, Interval(c, oo))):
        # its ends at the same point
        lo_p, hi_p = (sp.sympify(e).subs(point) for e in (lo, hi))
        _check_sign(d, pdf, lo_p, hi_p, point, rng)
        total = _total(d, pdf, lo_p, hi_p)
        if total is None:
            continue
        if abs(total - 1) > _TOL:
            where = f" at {point}" if point else ""
            what = ("mass function of {} sums" if d.kind == "discrete"
                    else "density of {} integrates").format(d.rv)
            raise NotNormalizedError(
                f"the {what} to something other than 1 on its declared support "
                f"{d.support}: to {mpmath.nstr(total, 12)}{where}")
    return None


def _check_finite(d):
    vals = [sp.sympify(v) for v in d.values.values()]
    s = sp.expand(sp.Add(*vals) - 1)
    if s != 0:
        s = sp.simplify(s)
    if s.is_zero is False or (s.is_number and s != 0):
        raise NotNormalizedError(f"the probabilities of {d.rv} sum to {sp.Add(*vals)}, not 1")
    for k, v in d.values.items():
        if v.is_negative or (v.is_real is False):
            raise NegativeDensityError(f"{d.rv} has probability {v} < 0 at {k}")
    if d.params:
        point = sample_point(d.rv, random.Random(1))
        for k, v in d.values.items():
            if sp.sympify(v).subs(point) < 0:
                raise NegativeDensityError(
                    f"{d.rv} has a negative probability {v} at {k} for {point}")


def _grid(lo, hi, rng, n=24):
    lo_f = float(lo) if lo.is_finite else None
    hi_f = float(hi) if hi.is_finite else None
    pts = []
    for i in range(n):
        u = (i + 0.5 + rng.random() * 0.5) / (n + 1)
        if lo_f is not None and hi_f is not None:
            pts.append(lo_f + (hi_f - lo_f) * u)
        elif lo_f is not None:
            pts.append(lo_f + u / (1 - u) * 3)
        elif hi_f is not None:
            pts.append(hi_f - u / (1 - u) * 3)
        else:
            pts.append((u - 0.5) * 20)
    return pts


def _check_sign(d, pdf, lo, hi, point, rng):
    x = d.var
    if d.kind == "discrete":
        start = int(lo) if lo.is_finite else 0
        xs = [start + i for i in range(30) if not hi.is_finite or start + i <= hi]
    else:
        xs = _grid(lo, hi, rng)
    with workdps(20):
        f = sp.lambdify(x, pdf, "mpmath")
        for v in xs:
            try:
                val = mpmath.mpmathify(f(mpmath.mpf(v)))
            except (ValueError, ZeroDivisionError, TypeError):
                continue
            if isinstance(val, mpmath.mpc) and abs(val.imag) > 1e-15:
                raise NegativeDensityError(
                    f"the density of {d.rv} is not real at x = {v} (inside its declared "
                    f"support {d.support})")
            if mpmath.re(val) < 0:
                raise NegativeDensityError(
                    f"the density of {d.rv} is negative at x = {v}: {mpmath.nstr(val, 8)}")


def _exact_total(d, pdf, lo, hi):
    """The exact integral of a piecewise-polynomial density (cheap for SymPy), else None."""
    x = d.var
    if d.kind != "continuous" or pdf.free_symbols - {x}:
        return None
    flat = sp.piecewise_fold(pdf.rewrite(sp.Piecewise))
    pieces = [e for e, _ in flat.args] if isinstance(flat, sp.Piecewise) else [flat]
    if not all(e.is_polynomial(x) for e in pieces):
        return None
    v = None
    with attempt(2):
        v = sp.integrate(flat, (x, lo, hi))
    return v if v is not None and v.is_number and v.is_real else None


def _break_points(pdf, x, lo, hi):
    """Kinks and jumps of ``pdf`` inside ``(lo, hi)`` (Abs and Piecewise break points)."""
    pts = set()
    for a in pdf.atoms(sp.Abs):
        if a.args[0].has(x):
            pts.update(linear_roots(a.args[0], x))
    for pw in pdf.atoms(sp.Piecewise):
        for _, c in pw.args:
            for rel in c.atoms(Relational):
                if rel.has(x):
                    pts.update(linear_roots(rel.lhs - rel.rhs, x))
    out = []
    for p in pts:
        if p.is_number and p.is_real and (not lo.is_finite or p > lo) and \
                (not hi.is_finite or p < hi):
            out.append(p)
    return sorted(out)


def _total(d, pdf, lo, hi):
    x = d.var
    exact = _exact_total(d, pdf, lo, hi)
    if exact is not None:
        with workdps(20):
            return mpmath.mpf(sp.N(exact, 25))
    with workdps(20):
        f = sp.lambdify(x, pdf, "mpmath")
        try:
            if d.kind == "discrete":
                return mpmath.nsum(lambda k: f(k), [lo if lo.is_finite else -mpmath.inf,
                                                    hi if hi.is_finite else mpmath.inf])
            a = mpmath.mpf(lo) if lo.is_finite else -mpmath.inf
            b = mpmath.mpf(hi) if hi.is_finite else mpmath.inf
            # split at the kinks and jumps: tanh-sinh converges fast on each smooth piece
            cuts = [mpmath.mpf(sp.N(p, 25)) for p in _break_points(pdf, x, lo, hi)]
            return mpmath.re(mpmath.quad(f, [a] + cuts + [b]))
        except budget.BudgetExceeded:
            raise
        except (ValueError, ZeroDivisionError, TypeError):
            return None
