"""Parameter domains: validate parameters and sample admissible points.

``sympy.stats`` distributions state their parameter domain in a ``check``
function made of ``_value_check(condition, message)`` calls, which raise only
when a condition is *known* to be false.  We read those conditions by running
a *private copy* of ``check`` whose globals map ``_value_check`` to a recorder
(``types.FunctionType`` over the same code object with a copied globals dict).
Nothing shared is patched: other threads constructing distributions at the
same time still get SymPy's own ``_value_check`` (issue 9, item 4).  Every
family's own domain is used and none is typed in again here.

* :func:`domain_conditions` -> the list of ``(condition, message)``.
* :func:`validate` raises :class:`~symxent.errors.ParameterError` for a
  parameter outside its domain (including complex, infinite and nan values)
  and :class:`~symxent.errors.MissingAssumptionError` when a symbol lacks the
  sign assumption needed to decide it.
* :func:`sample_point` draws random admissible parameter values (exact
  rationals) respecting symbol assumptions and all domain conditions, in the
  interior of the domain; probabilities of finite laws are drawn on their
  simplex; ``spread=True`` also draws magnitudes across many decades.
"""
from __future__ import annotations

import math
import random
import types
from functools import lru_cache

import sympy as sp
from sympy.core.relational import Relational
from sympy.utilities.iterables import iterable

from symxent.errors import (MissingAssumptionError, NegativeDensityError, NotNormalizedError,
                            ParameterError)
from symxent.laws.support import describe

__all__ = ["domain_conditions", "validate", "sample_point", "facts", "boundary_parameters"]


def _recorder(found):
    def record(condition, message):
        conds = list(condition) if iterable(condition) else [condition]
        for c in conds:
            if c is None:  # e.g. a fuzzy ``k.is_integer`` that is undecided
                continue
            c = sp.sympify(c)
            if c in (True, False):
                c = sp.true if c else sp.false
            found.append((c, message))
        return True
    return record


def _run_check(dist_type, args, record):
    """Run ``dist_type.check(*args)`` as a private copy whose ``_value_check`` is
    ``record``.  The copy has its own globals dict, so no module attribute is
    touched and other threads are unaffected."""
    fn = getattr(dist_type, "check", None)
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        return
    env = dict(fn.__globals__)
    env["_value_check"] = record
    private = types.FunctionType(code, env, fn.__name__, fn.__defaults__, fn.__closure__)
    private.__kwdefaults__ = fn.__kwdefaults__
    try:
        private(*args)
    except (TypeError, ValueError):  # a check that raises by itself (Die with 0 sides)
        pass


def conditions_of(dist_type, args) -> tuple:
    """``(condition, message)`` pairs of ``dist_type.check(*args)``."""
    found = []
    _run_check(dist_type, args, _recorder(found))
    return tuple(found)


@lru_cache(maxsize=512)
def domain_conditions(rv) -> tuple:
    """``(condition, message)`` pairs of the distribution's own ``check``."""
    dist = rv.pspace.distribution
    if type(dist).__name__ in ("ContinuousDistributionHandmade",
                               "DiscreteDistributionHandmade"):
        # their ``check`` is SymPy integrating (summing) the density, which can take
        # seconds; :mod:`symxent.engine.validation` tests the normalisation instead
        return ()
    return conditions_of(type(dist), dist.args)


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


def _values(arg):
    """The scalar parameter values inside one distribution argument."""
    if isinstance(arg, (sp.Lambda, sp.Set)):
        return []                        # a user density and its support: checked elsewhere
    if isinstance(arg, sp.Dict):
        return list(arg.values())        # a FiniteRV's table: the probabilities
    if isinstance(arg, (sp.MatrixBase, sp.Tuple, list, tuple)):
        return [v for a in arg for v in _values(a)]
    if isinstance(arg, sp.MatrixExpr):
        return []                        # MatrixSymbol mean/covariance: no scalar entries
    if isinstance(arg, sp.Expr):
        return [arg]
    return []


def _check_values(rv):
    """Refuse nan, infinite and complex parameter values (issue 9, item 7)."""
    dist = getattr(rv.pspace, "distribution", None)
    if dist is None:
        return
    for v in _values(dist.args):
        if v.has(sp.nan):
            raise ParameterError(f"parameter {v} of {rv} is not a number (nan)")
        if v.has(sp.oo, -sp.oo, sp.zoo) or v.is_finite is False:
            raise ParameterError(
                f"parameter {v} of {rv} is infinite; parameters must be finite numbers or "
                f"symbols")
        if v.is_real is False or (v.has(sp.I) and v.is_real is not True):
            raise ParameterError(
                f"parameter {v} of {rv} is not real; symxent's laws take real parameters")


def _check_total(rv, d):
    """A hand-made finite law with symbolic probabilities must sum to 1 identically.
    (SymPy's own finite families -- BetaBinomial, Hypergeometric, ... -- are
    normalised by construction; their sums of Beta functions are beyond
    ``simplify``.)"""
    if d.kind != "finite" or not d.params or not d.handmade:
        return
    total = sp.Add(*[sp.sympify(v) for v in d.values.values()])
    diff = sp.expand(total - 1)
    if diff != 0 and sp.simplify(diff) != 0 and sp.gammasimp(diff.rewrite(sp.gamma)) != 0:
        raise NotNormalizedError(
            f"the probabilities of {rv} sum to {total}, which is not 1 for every value of "
            f"{', '.join(map(str, d.params))}; write one probability as 1 minus the others")


def validate(rv) -> None:
    """Raise a clear error when a parameter of ``rv`` is outside its domain."""
    d = describe(rv)
    _check_values(rv)
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
    _check_total(rv, d)


@lru_cache(maxsize=256)
def _boundary(dist_type, args):
    out = []
    eps = sp.Rational(1, 10**6)
    for i, a in enumerate(args):
        if not (isinstance(a, sp.Expr) and a.is_number and a.is_real and a.is_finite):
            continue
        t = sp.Dummy("t", real=True)
        conds = conditions_of(dist_type, args[:i] + (t,) + args[i + 1:])
        for cond, _ in conds:
            parts = cond.args if isinstance(cond, sp.And) else (cond,)
            side = None
            for c in parts:
                if not isinstance(c, (sp.Le, sp.Ge)) or t not in c.free_symbols:
                    continue
                if sp.Eq(c.lhs, c.rhs).xreplace({t: a}) is not sp.true:
                    continue
                up, down = c.xreplace({t: a + eps}), c.xreplace({t: a - eps})
                if up is sp.true and down is sp.false:
                    side = "+"
                elif down is sp.true and up is sp.false:
                    side = "-"
            if side is not None:
                out.append((i, a, side))
                break
    return tuple(out)


def boundary_parameters(rv) -> tuple:
    """Numeric parameters of ``rv`` on the boundary of a closed domain condition.

    ``((index, value, side), ...)``: ``dist.args[index] == value`` makes a
    condition ``<=``/``>=`` hold with equality (``Geometric(1)``: p <= 1), and
    the interior of the domain lies on ``side`` (``'+'`` above, ``'-'`` below).
    There closed forms are limits (0 log 0 = 0), not substitutions.
    """
    dist = getattr(rv.pspace, "distribution", None)
    if dist is None or describe(rv).kind not in ("continuous", "discrete"):
        return ()
    if not all(isinstance(a, sp.Basic) for a in dist.args):
        return ()
    return _boundary(type(dist), tuple(dist.args))


def _moderate(rng):
    v = rng.uniform(0.05, 1) if rng.random() < 0.5 else rng.uniform(1, 5)
    return sp.Rational(round(v * 1000), 1000)


def _wide(rng, scale):
    """A positive value at the given ``scale``: ``"large"`` (log-uniform in
    10**2 .. 10**3, nine draws in ten), ``"small"`` (10**-3 .. 10**-2, nine in
    ten) or ``"mixed"`` (large 40 %, small 30 %, else moderate)."""
    u = rng.random()
    if scale == "large":
        lo = 2 if u < 0.9 else None
    elif scale == "small":
        lo = -3 if u < 0.9 else None
    else:
        lo = 2 if u < 0.4 else (-3 if u < 0.7 else None)
    if lo is None:
        return _moderate(rng)
    v = 10 ** rng.uniform(lo, lo + 1)
    e = math.floor(math.log10(v)) - 3           # four significant digits
    return sp.Rational(round(v / 10**e)) * sp.Rational(10) ** e


def _draw(sym, rng, spread=None):
    """One value for ``sym`` from its assumptions; ``spread``: None (moderate),
    ``"large"``, ``"small"`` or ``"mixed"`` scales (see :func:`sample_point`)."""
    if spread is True:
        spread = "mixed"
    if sym.is_integer:
        lo = 1 if sym.is_positive else (0 if sym.is_nonnegative else -4)
        return sp.Integer(rng.randint(lo, 40 if spread in ("large", "mixed") else 7))
    if sym.is_positive or sym.is_nonnegative:
        return _wide(rng, spread) if spread else _moderate(rng)
    if sym.is_negative or sym.is_nonpositive:
        return -(_wide(rng, spread) if spread else _moderate(rng))
    if spread:
        return _wide(rng, spread) * rng.choice((1, -1))
    while True:
        # 0 and 1 bound the supports (0, oo) and (0, 1): avoid them as locations
        v = sp.Rational(round(rng.uniform(-3, 3) * 1000), 1000)
        if v not in (0, 1):
            return v


def _simplex(d, point, rng):
    """Redraw the symbols of a finite law's probabilities on the simplex.

    The symbolic atoms share the mass left by the numeric ones, split by
    normalised draws; each atom that is linear in one not yet assigned symbol
    fixes that symbol.  Atoms that are expressions of assigned symbols (the
    ``1 - p1 - ... - p(k-1)`` of a categorical) follow; the domain conditions
    are checked afterwards as for every point.
    """
    vals = [sp.sympify(v) for v in d.values.values()]
    free = [v for v in vals if v.free_symbols]
    if not free:
        return
    rest = 1 - sp.Add(*[v for v in vals if not v.free_symbols])
    if not (rest.is_number and rest > 0):
        return
    w = [rng.uniform(0.05, 1) for _ in free]
    total = sum(w)
    done = set()
    for v, wi in zip(free, w):
        syms = v.free_symbols - done
        if len(syms) != 1 or v.xreplace(point).free_symbols - syms:
            continue
        (s,) = syms
        c = sp.diff(v, s)
        if c.free_symbols or c == 0 or sp.diff(c, s) != 0:
            continue
        target = sp.Rational(round(wi / total * 10**6), 10**6) * rest
        point[s] = (target - v.xreplace({s: sp.S.Zero}).xreplace(point)) / c
        done.add(s)


def _interior(cond, point) -> bool:
    """False when a closed condition (<=, >=) holds with equality at ``point``."""
    for c in (cond.args if isinstance(cond, sp.And) else (cond,)):
        if isinstance(c, (sp.Le, sp.Ge)) and sp.Eq(c.lhs, c.rhs).xreplace(point) is sp.true:
            return False
    return True


def sample_point(rvs, rng=None, tries=500, *, spread=None) -> dict:
    """A random admissible parameter point ``{symbol: Rational}``.

    ``rvs`` is a random variable or a sequence of them.  Every symbol is drawn
    according to its assumptions (positive: in (0.05, 5); real: in (-3, 3),
    never 0 or 1; integers 1..7); the probabilities of finite laws are drawn
    on their simplex (any number of them).  The point is redrawn until every
    domain condition of every distribution holds at it, strictly: points on
    the boundary of a closed condition (p = 1 for p <= 1), where closed forms
    are limits, are not drawn.

    ``spread`` reaches other scales, for checks that must see them: ``"large"``
    draws nine real values in ten log-uniformly in 10**2 .. 10**3 (integers up
    to 40), ``"small"`` in 10**-3 .. 10**-2, ``"mixed"`` (or ``True``) each value
    large (40 %), small (30 %) or moderate; parameters whose domain is bounded
    (probabilities) fall back to moderate draws by rejection.  After a quarter
    of the tries without success ``"large"``/``"small"`` become ``"mixed"``, after
    half the draws are moderate.
    """
    if not isinstance(rvs, (list, tuple)):
        rvs = (rvs,)
    if rng is None or isinstance(rng, int):
        rng = random.Random(rng)
    syms = sorted({s for rv in rvs for s in describe(rv).params}, key=str)
    conds = [c for rv in rvs for c, _ in domain_conditions(rv)] + list(facts(*rvs))
    ds = [describe(rv) for rv in rvs]
    covs = [d.cov for d in ds if d.kind == "mvnormal"]
    finite = [d for d in ds if d.kind == "finite" and d.params]
    if spread not in (None, False, True, "large", "small", "mixed"):
        raise ValueError(f"spread must be None, 'large', 'small' or 'mixed', got {spread!r}")
    for i in range(tries):
        scale = (spread or None) if i < tries // 4 else (
            "mixed" if spread and i < tries // 2 else None)
        point = {s: _draw(s, rng, scale) for s in syms}
        for d in finite:
            _simplex(d, point, rng)
        if all(c.xreplace(point) is sp.true and _interior(c, point) for c in conds) and all(
                sp.sympify(v).xreplace(point).is_positive for d in finite
                for v in d.values.values() if sp.sympify(v) != 0) and all(
                c.xreplace(point).is_positive_definite for c in covs):
            return point
    raise ParameterError(f"no admissible parameter point found for {rvs}")
