"""Parameter domains: validate parameters and sample admissible points.

``sympy.stats`` distributions state their parameter domain in a ``check``
method made of ``_value_check(condition, message)`` calls, which raise only
when a condition is *known* to be false.  We read those conditions by running
``check`` with a recorder in place of ``_value_check`` (inside a lock, for the
duration of one call), so every family's own domain is used and none is typed
in again here.

* :func:`domain_conditions` -> the list of ``(condition, message)``.
* :func:`validate` raises :class:`~symxent.errors.ParameterError` for a
  parameter outside its domain and :class:`~symxent.errors.MissingAssumptionError`
  when a symbol lacks the sign assumption needed to decide it.
* :func:`sample_point` draws random admissible parameter values (exact
  rationals) respecting symbol assumptions and all domain conditions.
"""
from __future__ import annotations

import random
import threading
from functools import lru_cache

import sympy as sp
from sympy.core.relational import Relational
from sympy.utilities.iterables import iterable
from sympy.stats import crv_types, drv_types, frv_types, joint_rv_types

from symxent.errors import (MissingAssumptionError, NegativeDensityError, NotNormalizedError,
                     ParameterError)
from symxent.laws.support import describe

__all__ = ["domain_conditions", "validate", "sample_point", "facts"]

_LOCK = threading.Lock()
_MODULES = (crv_types, drv_types, frv_types, joint_rv_types)


@lru_cache(maxsize=512)
def domain_conditions(rv) -> tuple:
    """``(condition, message)`` pairs of the distribution's own ``check``."""
    dist = rv.pspace.distribution
    if type(dist).__name__ in ("ContinuousDistributionHandmade",
                               "DiscreteDistributionHandmade"):
        # their ``check`` is SymPy integrating (summing) the density, which can take
        # seconds; :mod:`symxent.engine.validation` tests the normalisation instead
        return ()
    found = []

    def recorder(condition, message):
        conds = list(condition) if iterable(condition) else [condition]
        for c in conds:
            if c is None:  # e.g. a fuzzy ``k.is_integer`` that is undecided
                continue
            c = sp.sympify(c)
            if c in (True, False):
                c = sp.true if c else sp.false
            found.append((c, message))
        return True

    with _LOCK:
        saved = [m.__dict__.get("_value_check") for m in _MODULES]
        try:
            for m in _MODULES:
                if "_value_check" in m.__dict__:
                    m._value_check = recorder
            try:
                dist.check(*dist.args)
            except (TypeError, ValueError):
                pass
        finally:
            for m, f in zip(_MODULES, saved):
                if f is not None:
                    m._value_check = f
    return tuple(found)


def facts(*rvs) -> tuple:
    """Domain relations known to hold for the given random variables."""
    out = []
    for rv in rvs:
        for c, _ in domain_conditions(rv):
            out.extend(c.args if isinstance(c, sp.And) else [c])
        sup = describe(rv).support
        if isinstance(sup, sp.Interval) and sup.start.is_finite and sup.end.is_finite:
            out.append(sp.Lt(sup.start, sup.end))  # an interval support presupposes lo < hi
    return tuple(c for c in out if isinstance(c, Relational))


def _sign_condition(cond):
    """The symbol and assumption that would decide a one-symbol sign condition."""
    if not isinstance(cond, Relational):
        return None
    syms = cond.free_symbols
    if len(syms) != 1:
        return None
    (s,) = syms
    d = sp.expand(cond.lhs - cond.rhs)
    if d not in (s, -s):
        return None
    strict = isinstance(cond, (sp.Gt, sp.Lt))
    return s, "positive" if strict else "nonnegative"


def validate(rv) -> None:
    """Raise a clear error when a parameter of ``rv`` is outside its domain."""
    d = describe(rv)
    for s in d.params:
        if s.is_real is False:
            raise ParameterError(f"parameter {s} of {rv} is not real")
        if s.is_real is None:
            raise MissingAssumptionError(
                f"parameter {s} of {rv} has no assumptions; declare it real, e.g. "
                f"Symbol('{s}', real=True), or positive=True for a scale, rate or shape")
    if d.kind == "finite":
        for k, v in d.values.items():
            if sp.sympify(v).is_negative:
                raise NegativeDensityError(f"{rv} has probability {v} < 0 at {k}")
    for cond, message in domain_conditions(rv):
        if cond is sp.false and (d.handmade or d.kind == "finite") and (
                "pdf" in message or "Probability" in message):
            what = {"finite": "probabilities of {} sum", "discrete": "mass function of {} sums"
                    }.get(d.kind, "density of {} integrates").format(rv)
            raise NotNormalizedError(
                f"the {what} to something other than 1 on its declared support {d.support}")
        if cond is sp.false:
            raise ParameterError(f"{rv}: {message} (condition {cond} fails)")
        if cond is sp.true:
            continue
        sc = _sign_condition(cond)
        if sc is not None:
            s, need = sc
            raise MissingAssumptionError(
                f"{rv}: cannot decide {cond} ({message}); declare "
                f"Symbol('{s}', {need}=True)")


def _draw(sym, rng):
    if sym.is_integer:
        lo = 1 if sym.is_positive else (0 if sym.is_nonnegative else -4)
        return sp.Integer(rng.randint(lo, 7))
    if sym.is_positive or sym.is_nonnegative:
        v = rng.uniform(0.05, 1) if rng.random() < 0.5 else rng.uniform(1, 5)
        return sp.Rational(round(v * 1000), 1000)
    if sym.is_negative:
        return -sp.Rational(round(rng.uniform(0.05, 5) * 1000), 1000)
    return sp.Rational(round(rng.uniform(-3, 3) * 1000), 1000)


def sample_point(rvs, rng=None, tries=500) -> dict:
    """A random admissible parameter point ``{symbol: Rational}``.

    ``rvs`` is a random variable or a sequence of them.  Every symbol is drawn
    according to its assumptions; the point is redrawn until every domain
    condition of every distribution holds at it.
    """
    if not isinstance(rvs, (list, tuple)):
        rvs = (rvs,)
    if rng is None or isinstance(rng, int):
        rng = random.Random(rng)
    syms = sorted({s for rv in rvs for s in describe(rv).params}, key=str)
    conds = [c for rv in rvs for c, _ in domain_conditions(rv)] + list(facts(*rvs))
    covs = [describe(rv).cov for rv in rvs if describe(rv).kind == "mvnormal"]
    for _ in range(tries):
        point = {s: _draw(s, rng) for s in syms}
        if all(bool(c.subs(point)) for c in conds) and all(
                c.subs(point).is_positive_definite for c in covs):
            return point
    raise ParameterError(f"no admissible parameter point found for {rvs}")
