"""How a derivation step is checked: symbolic proof first, then numbers.

:class:`_Checker` verifies one step of a :class:`~symxent.derivation.core.Derivation`:
cheap rewritings (``expand``, ``expand_log``, ``cancel``) and, on small
expressions and for at most ``_SYMBOLIC`` seconds, ``simplify`` must prove
``prev - new == 0`` (or the sign of the difference for an inequality);
otherwise both sides are evaluated with :mod:`symxent.numeric` at random
admissible parameter points, measures and expectations as integrals of their
definitions, unknown functions replaced by concrete test densities.

May import: sympy, mpmath, :mod:`symxent.budget`, :mod:`symxent.errors`,
:mod:`symxent.precision`, :mod:`symxent.numeric` and
:mod:`symxent.derivation.render`; never the engine or the measures.
"""
from __future__ import annotations

import random

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef, UndefinedFunction

from symxent.budget import BudgetExceeded, budget
from symxent.derivation.render import is_measure, unfold, unfold_measures
from symxent.errors import SymxentError
from symxent.numeric.expressions import (AGREE, MISMATCH, closed_value, compare,
                                        expectations_as_integrals, prefetch_integrals)
from symxent.numeric.mpcompile import NumericError
from symxent.precision import workdps

_BOUND_TYPES = (sp.Integral, sp.Sum)
_GUARD = 6           # extra working digits of the numeric checks beyond the requested ones
_SYMBOLIC = 2.0      # seconds of SymPy simplification per step before numbers take over
# The SymPy failures that mean "this rewriting does not apply / cannot be decided":
# the step is then checked numerically.  Anything else is a bug and propagates.
_SYMPY_CANNOT = (TypeError, ValueError, NotImplementedError, AttributeError, RecursionError,
                 sp.PolynomialError, sp.polys.polyerrors.PolificationFailed,
                 sp.polys.polyerrors.CoercionFailed)


class _Trouble(Exception):
    """A value could not be computed reliably (the point is skipped, not passed)."""


_CANON = {}


def _canonical(obj):
    """(key, body) of an Integral/Sum with its bound variables renamed canonically."""
    body, key, ren = obj.function, [type(obj)], {}
    for n, lim in enumerate(obj.limits):
        if len(lim) != 3:
            return None
        v = lim[0]
        tag = (n, tuple(sorted(v.assumptions0.items())))
        d = _CANON.setdefault(tag, sp.Dummy(f"b{n}", **v.assumptions0))
        ren[v] = d
        key.append((lim[1].xreplace(ren), lim[2].xreplace(ren)))
    return tuple(key), body.xreplace(ren)


def _linear_parts(d):
    """``d`` as ``rest + sum_k Integral_k(g_k)`` with integrals over equal limits combined."""
    d = sp.expand_mul(d)
    groups, rest = {}, sp.S.Zero
    for term in sp.Add.make_args(d):
        factors = sp.Mul.make_args(term)
        bound = [f for f in factors if isinstance(f, _BOUND_TYPES)]
        canon = _canonical(bound[0]) if len(bound) == 1 else None
        if canon is None:
            rest += term
            continue
        coeff = sp.Mul(*[f for f in factors if f is not bound[0]])
        groups[canon[0]] = groups.get(canon[0], sp.S.Zero) + coeff * canon[1]
    return rest, groups


def _opaque(e):
    """Integrals, sums and products replaced by symbols (the same object by the
    same symbol): a proof that treats them as unknowns is still a proof, and
    simplify() neither evaluates closed ones numerically (slowly, through its
    term ordering) nor rewrites their insides.  Integrals over equal limits are
    compared by :func:`_linear_parts` instead."""
    bound = e.atoms(sp.Integral, sp.Sum, sp.Product)
    return e.xreplace({a: sp.Dummy("c") for a in bound}) if bound else e


_SIMPLIFY_OPS = 250  # beyond this size simplify() is slow; numeric checks take over
_SIMPLIFY_DIGITS = 10 ** 6  # rationals with larger terms are left to the numeric check


def _simplified_forms(e, cheap):
    e = _opaque(e)
    if cheap:
        yield e
        yield sp.expand(e)
        el = sp.expand(sp.expand_log(e, force=False))
        yield el
        if sp.count_ops(el) <= _SIMPLIFY_OPS:
            yield sp.cancel(el)
        return
    if sp.count_ops(e) > _SIMPLIFY_OPS or any(
            max(abs(r.p), abs(r.q)) > _SIMPLIFY_DIGITS for r in e.atoms(sp.Rational)):
        # logcombine raises such rationals to powers made of them: one C-level
        # integer power (uninterruptible, gigabytes) for a parameter 1/99999999
        return
    s = sp.simplify(e, doit=False)  # doit=True would try to integrate every Integral
    yield s
    yield sp.simplify(sp.expand_log(s, force=False), doit=False)


def _zero(e, cheap):
    try:
        return any(f == 0 for f in _simplified_forms(e, cheap))
    except _SYMPY_CANNOT:
        return False


def _nonnegative(e, cheap):
    try:
        return any(f.is_nonnegative for f in _simplified_forms(e, cheap))
    except _SYMPY_CANNOT:
        return False


def _ordered(key):
    """Every (lower, upper) pair in an integral/sum key runs upwards."""
    return all(hi == sp.oo or lo == -sp.oo or (hi - lo).is_nonnegative for lo, hi in key[1:])


def _proved(diff, relation):
    """True when SymPy proves ``diff == 0`` ("=") or ``diff >= 0`` (otherwise).

    Cheap rewritings are tried on the whole difference and on its integrands
    (integrals over equal limits combined) before simplify() is."""
    try:
        rest, groups = _linear_parts(diff)
    except _SYMPY_CANNOT:
        rest, groups = diff, {}
    if relation != "=" and not all(_ordered(k) for k in groups):
        groups = {}
    test = (_zero if relation == "=" else _nonnegative)
    for cheap in (True, False):
        if cheap:
            if test(diff, cheap) or groups and test(rest, cheap) and all(
                    test(g, cheap) for g in groups.values()):
                return True
            continue
        # simplify() can take minutes and gigabytes on some inputs (a parameter
        # 1/99999999): give it a short budget of its own, then let numbers decide
        try:
            with budget(_SYMBOLIC):
                if test(diff, cheap) or groups and test(rest, cheap) and all(
                        test(g, cheap) for g in groups.values()):
                    return True
        except BudgetExceeded:
            _budget_left()
    return False


def _budget_left():
    """Raise BudgetExceeded if the enclosing (whole-check) budget has run out."""
    from symxent.budget import check
    check()


# ---- numbers
def _apply_model(e, model):
    for key, val in model.items():
        if isinstance(key, UndefinedFunction):
            e = e.replace(lambda a, k=key: isinstance(a, AppliedUndef) and a.func == k,
                          lambda a, v=val: v(*a.args))
        elif isinstance(key, sp.IndexedBase):
            e = e.replace(lambda a, k=key: isinstance(a, sp.Indexed) and a.base == k,
                          lambda a, v=val: v(*a.indices))
        else:
            e = e.xreplace({key: val})
    return e


class _Checker:
    """Shared state of one :meth:`Derivation.check` run (points, cached values)."""

    def __init__(self, deriv, dps, points, seed):
        self.d, self.dps, self.wdps = deriv, dps, dps + _GUARD
        self.rng = random.Random(seed)
        chain = [deriv.start] + [s.expr for s in deriv.steps]
        # E[f(X)] over the law's true support (sympy.stats' own rewrite uses the
        # family's declared set, (0, oo) for a Kumaraswamy law on (0, 1))
        self.raw = [unfold(expectations_as_integrals(e)) for e in chain]
        self.notation = [e.xreplace(deriv.given) for e in self.raw]
        self.symbolic = [None] * len(chain)
        self.models = deriv.models or [{}]
        self.points, self.indexed, self.cache, self.integrals = [], [], {}, {}
        self.symbols = self._symbols()
        self.sampler = deriv.sampler or self._measure_sampler()
        closed = not self.symbols and not any(a.atoms(sp.Indexed) for a in self.notation)
        self.needed = 1 if closed else points

    def _symbols(self):
        from sympy.stats.rv import RandomSymbol
        syms = set()
        exprs = list(self.notation) + [sp.sympify(v) for m in self.models for v in m.values()]
        for e in exprs:
            labels = {b.label for b in e.atoms(sp.IndexedBase)}
            # Indexed parameters (sigma[i], sigma[2]) are drawn per point in _value,
            # after sums over their index are written out, never as plain symbols
            syms |= {s for s in e.free_symbols
                     if s not in labels and not isinstance(s, (RandomSymbol, sp.Indexed))}
            for m in (a for a in sp.preorder_traversal(e) if is_measure(a)):
                from symxent.laws.support import describe
                for rv in m.rvs:
                    syms |= set(describe(rv).params)
        for m in self.models:
            syms -= {k for k in m if isinstance(k, sp.Symbol)}
        return sorted(syms - set(self.d.given), key=str)

    def _measure_sampler(self):
        """Points admissible for every distribution in the chain's measures."""
        rvs = []
        for e in self.notation:
            for m in (a for a in sp.preorder_traversal(e) if is_measure(a)):
                rvs += [rv for rv in m.rvs if rv not in rvs]
        if not rvs:
            return None
        from symxent.laws.domain import sample_point
        from symxent.laws.independent import IndependentProduct
        # a symbolic number of factors is checked with two or three of them (small
        # sums that test additivity): each factor's measure is one numeric
        # evaluation of its definition (see _measure)
        bounds = {s for rv in rvs if isinstance(rv, IndependentProduct)
                  for end in rv.limits[1:] for s in end.free_symbols
                  if s.is_integer and s.is_positive}

        def sampler(rng):
            pt = sample_point(rvs, rng)
            pt.update({s: sp.Integer(rng.choice((2, 3))) for s in sorted(bounds, key=str)})
            return pt
        return sampler

    def _sym(self, k, given):
        if self.symbolic[k] is None:
            self.symbolic[k] = unfold_measures(self.raw[k])
        return self.symbolic[k].xreplace(given)

    def _draw(self, s, interval):
        """A value for a plain symbol (or Indexed): from ``ranges`` when given, else by
        its assumptions (:func:`symxent.laws.domain` draws measure parameters)."""
        if interval is not None:
            lo, hi = interval
            return lo + (hi - lo) * sp.Rational(self.rng.randint(1, 999), 1000)
        from symxent.laws.domain import _draw
        return _draw(s, self.rng)

    def _point(self, pi):
        while len(self.points) <= pi:
            for _ in range(5000):
                pt = dict(self.sampler(self.rng)) if self.sampler else {}
                for s in self.symbols:
                    if s not in pt:
                        pt[s] = self._draw(s, self.d.ranges.get(s))
                if all(self._holds(c, pt) for c in self.d.constraints):
                    break
            else:
                raise _Trouble("no sampled point satisfies the constraints")
            self.points.append(pt)
            self.indexed.append({})
        return self.points[pi]

    def _holds(self, c, pt):
        v = c.xreplace(self.d.given).xreplace(pt)
        if v not in (sp.true, sp.false):
            v = sp.simplify(v, doit=False)
        if v not in (sp.true, sp.false):
            raise _Trouble(f"constraint {c} is not decidable at {pt}")
        return bool(v)

    def value(self, k, mi, pi):
        """(value, error bound) of chain expression ``k`` under model ``mi`` at point ``pi``."""
        key = (k, mi, pi)
        if key not in self.cache:
            try:
                self.cache[key] = self._value(k, mi, pi)
            except _Trouble as t:
                self.cache[key] = t
            except (NumericError, SymxentError) as t:   # the point proves nothing
                self.cache[key] = _Trouble(f"{type(t).__name__}: {t}")
        v = self.cache[key]
        if isinstance(v, _Trouble):
            raise v
        return v

    def _value(self, k, mi, pi):
        e, known = self._prepared(k, mi, pi)
        return closed_value(e, known, self.wdps + 2, cache=self.integrals)

    def prefetch(self, ks, mi, pi):
        """Integrate the integrals of chain expressions ``ks`` at point ``pi`` in one
        pass (integrals under one density share their nodes); the values are
        cached for :meth:`value`.  Expressions that cannot be prepared are left
        to :meth:`value`, which reports their trouble."""
        ks = [k for k in ks if (k, mi, pi) not in self.cache]
        if len(ks) < 2:
            return
        exprs = []
        for k in ks:
            try:
                exprs.append(self._prepared(k, mi, pi)[0])
            except _Trouble as t:   # recorded as value() would
                self.cache[(k, mi, pi)] = t
            except (NumericError, SymxentError) as t:
                self.cache[(k, mi, pi)] = _Trouble(f"{type(t).__name__}: {t}")
        if len(exprs) > 1:
            prefetch_integrals(exprs, self.wdps + 2, self.integrals)

    def _prepared(self, k, mi, pi):
        """Chain expression ``k`` at point ``pi`` under model ``mi``, its measures
        replaced by stand-ins with known values: ``(expression, known)``."""
        key = ("prepared", k, mi, pi)
        if key in self.cache:
            return self.cache[key]
        from symxent.numeric.core import evaluate
        pt = self._point(pi)
        e = _apply_model(self.notation[k], self.models[mi])
        ms = list(dict.fromkeys(a for a in sp.preorder_traversal(e) if is_measure(a)))
        known = {}
        if ms:
            stand = {m: sp.Dummy("m") for m in ms}
            for m, d in stand.items():
                known[d] = self._measure(m, pt, pi)
            e = e.xreplace(stand)
        e = e.xreplace(pt)
        e = e.replace(lambda a: isinstance(a, (sp.Sum, sp.Product)) and a.has(sp.Indexed)
                      and not {s for s in a.free_symbols if not isinstance(s, sp.Indexed)}
                      - {b.label for b in a.atoms(sp.IndexedBase)},
                      lambda a: a.doit(deep=False))  # written out; integrals stay numeric
        vals = self.indexed[pi]
        for a in sorted(e.atoms(sp.Indexed), key=str):
            # (an Indexed object is one of its own free symbols)
            if a not in vals and not a.free_symbols - {a, a.base.label} - set(a.indices):
                vals[a] = self._draw(a, self.d.ranges.get(a.base))
        e = e.xreplace(vals)
        left = e.free_symbols - set(known)
        if left:
            raise _Trouble(f"no value for {sorted(map(str, left))}")
        self.cache[key] = (e, known)
        return e, known

    def _measure(self, m, pt, pi):
        """(value, error bound) of a measure from its numeric definition at point ``pi``.

        A measure of independent products (:mod:`symxent.laws.independent`) over
        a range that is numeric at the point (a symbolic number of factors is set
        to 2 or 3, see _measure_sampler) is the sum of its factors' measures
        (Cover & Thomas, 2nd ed., eq. 2.67 and Thm. 2.5.3: the log of a product
        density is a sum, by Fubini each term integrates over its own factor),
        each from the numeric definition, with the ``Indexed`` parameters drawn as for the chain's
        expressions at that point, so that the additivity step and the per-factor
        steps of the engine's derivation are checked against the definitions."""
        from symxent.laws.independent import IndependentProduct, factors
        from symxent.numeric.core import evaluate
        if not any(isinstance(rv, IndependentProduct) for rv in m.rvs):
            v = evaluate(m, pt, dps=self.wdps)
            return v.value, v.error
        vals = self.indexed[pi]

        def value_of(a):
            if a not in vals:
                vals[a] = self._draw(a, self.d.ranges.get(a.base))
            return vals[a]
        values = [evaluate(type(m)(*row, base=m.base), {}, dps=self.wdps)
                  for row in factors(m.rvs, pt, value_of)]
        with workdps(self.wdps + 2):
            return (mpmath.fsum(v.value for v in values),
                    mpmath.fsum(v.error for v in values) + mpmath.mpf(10) ** -(self.wdps + 1))

    def check_step(self, i):
        rel = self.d.steps[i - 1].relation
        # an identity proved without the hypotheses in ``given`` holds a fortiori
        for given in ([{}, self.d.given] if self.d.given else [{}]):
            try:
                a, b = self._sym(i - 1, given), self._sym(i, given)
                diff = {"=": a - b, "<=": b - a, ">=": a - b}[rel]
                if _proved(diff, rel):
                    return "symbolic", "proved by SymPy"
            except _SYMPY_CANNOT + (SymxentError,):
                pass
        return self._numeric(i, rel)

    def _numeric(self, i, rel):
        troubles, tol = [], mpmath.mpf(10) ** (-self.dps)
        for mi in range(len(self.models)):
            good = 0
            for pi in range(4 * self.needed):
                try:
                    self.prefetch([i - 1, i], mi, pi)
                    (a, ea), (b, eb) = self.value(i - 1, mi, pi), self.value(i, mi, pi)
                except _Trouble as t:
                    troubles.append(str(t))
                    continue
                verdict = compare(a, b, ea + eb, self.wdps, tol, rel)
                if verdict.status not in (AGREE, MISMATCH):
                    troubles.append(verdict.note or "complex or undefined value")
                    continue
                if verdict.status == MISMATCH:
                    where = {str(s): v for s, v in self.points[pi].items()}
                    model = f" under model {mi + 1}" if len(self.models) > 1 else ""
                    with workdps(self.wdps):
                        return "failed", (f"at {where}{model}: previous = {mpmath.nstr(a, 15)}, "
                                          f"new = {mpmath.nstr(b, 15)}, difference "
                                          f"{mpmath.nstr(b - a, 5)}")
                good += 1
                if good == self.needed:
                    break
            if good < self.needed:
                return "unchecked", (troubles[0] if troubles else "no admissible point")
        n, k = self.needed, len(self.models)
        return "numeric", (f"agrees to {self.dps} digits at {n} point{'s' * (n > 1)}"
                           + (f" under each of {k} models" if k > 1 else ""))
