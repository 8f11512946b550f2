"""Boundary points of symbolic parameter domains.

A closed form is derived for parameters in the interior of their domain.  A
symbolic parameter may still be allowed, by its assumptions and its law's
domain, to sit on a closed boundary: ``Bernoulli(p)`` with ``p`` positive
allows ``p = 1`` (``p <= 1``), a categorical ``[p, q, 1 - p - q]`` allows
``p + q = 1``, a ``nonnegative`` symbol allows 0.  There a closed form such as
``-p log p - (1 - p) log(1 - p)`` evaluates to ``nan`` (``0 * log 0``) or ``zoo``
(``log 0``), while the quantity is the value for the boundary law (``0`` here;
``+oo`` for ``D_KL(Bernoulli(p1) || Binomial(4, p2))`` at ``p2 = 1``, whose
support shrinks to ``{4}``).

:func:`boundary_points` lists, for random variables, the substitutions that
put a symbolic parameter on a closed boundary, with the strict condition that
describes the interior (``p < 1``); :func:`on_boundary` rebuilds a random
variable with a substitution.  The measures use them to state the boundary
explicitly (a ``Piecewise``) wherever the interior closed form is undefined
there, with the boundary value computed for the boundary law itself.
"""
from __future__ import annotations

import random

import sympy as sp

from symxent.laws.domain import domain_conditions, sample_point
from symxent.laws.support import describe

__all__ = ["boundary_points", "on_boundary", "undefined_at", "with_boundary", "positive_where",
           "atom_sum", "continuous_at", "finite_rational", "one_sided_limit"]


def _closed_parts(rv):
    for cond, _ in domain_conditions(rv):
        for c in (cond.args if isinstance(cond, sp.And) else (cond,)):
            if isinstance(c, (sp.Le, sp.Ge)) and c.free_symbols:
                yield c


def _strict(c):
    return sp.Lt(c.lhs, c.rhs) if isinstance(c, sp.Le) else sp.Gt(c.lhs, c.rhs)


def _allowed(s, v):
    """Can ``s`` take the value ``v`` under its own assumptions (not decided: yes)?"""
    if not v.is_number:
        return True
    checks = [("positive", v.is_positive), ("nonnegative", v.is_nonnegative),
              ("negative", v.is_negative), ("nonpositive", v.is_nonpositive),
              ("integer", v.is_integer), ("nonzero", v.is_nonzero)]
    return all(ok is not False for name, ok in checks if getattr(s, f"is_{name}"))


def boundary_points(rvs) -> list:
    """``[(subs, interior)]``: ``subs`` ({symbol: value}) puts one symbolic parameter
    on a closed boundary of its domain that its assumptions allow; ``interior`` is
    the strict condition of the interior on that side (``p < 1``, ``p > 0``,
    ``p + q < 1``)."""
    rvs = [rv for rv in rvs if rv is not None]
    conds = [(rv, c) for rv in rvs for c in _closed_parts(rv)]
    params = sorted({s for rv in rvs for s in describe(rv).params}, key=str)
    out, seen = [], set()
    for s in params:  # a symbol that may be 0 by its assumptions: s >= 0 is closed
        if s.is_nonnegative and not s.is_positive and not s.is_integer:
            conds.append((None, sp.Ge(s, 0, evaluate=False)))
    for _, c in conds:
        e = sp.expand(c.lhs - c.rhs)
        for s in sorted(e.free_symbols, key=str, reverse=True):
            if s not in params:
                continue
            a = sp.diff(e, s)
            if a == 0 or a.free_symbols or sp.diff(e, s, 2) != 0:
                continue  # not linear in s with a numeric slope
            v = sp.expand(s - e / a)
            if v.has(s) or not _allowed(s, v) or (s, v) in seen:
                continue
            if any(c2.xreplace({s: v}) is sp.false for _, c2 in conds):
                continue
            seen.add((s, v))
            out.append(({s: v}, _strict(c)))
            break
    return out


def on_boundary(rv, subs):
    """``rv`` with its parameters substituted (same name, same kind of law)."""
    return None if rv is None else rv.xreplace(subs)


def undefined_at(value, subs, rvs=()) -> bool:
    """Does the closed form become undefined (nan, zoo, not real) at ``subs``?

    Tested symbolically and at a random admissible point of the other parameters
    (``0 * log(zoo*(1 - p2))`` stays unevaluated with ``p2`` symbolic and is nan at
    any number)."""
    from symxent.errors import ParameterError
    try:
        v = value.xreplace(subs)
        if _bad(v):
            return True
        rvs = [on_boundary(rv, subs) for rv in rvs if rv is not None]
        if rvs and v.free_symbols:
            point = sample_point(rvs, random.Random(0))
            # both orders: 0 * log(.../(1 - p1)) is 0 if p1 = 1 comes first, nan after
            first = value.xreplace(point).xreplace(subs).xreplace(point)
            if _bad(v.xreplace(point)) or _bad(first):
                return True
            # symbols of the measure itself (an order alpha): both sides of 1
            rest = [s for s in v.xreplace(point).free_symbols if s.is_positive]
            return any(_bad(v.xreplace(point).xreplace({s: t for s in rest}))
                       for t in (sp.Integer(3), sp.Rational(1, 3)) if rest)
    except ParameterError:
        return False
    except (TypeError, ValueError, ArithmeticError, ZeroDivisionError):
        return True
    return False


#: distances from the boundary at which the interior closed form is evaluated
_EPS = (sp.Rational(1, 10**12), sp.Rational(1, 10**24), sp.Rational(1, 10**36))


def continuous_at(value, subs, interior, edge, rvs=()):
    """Is ``edge`` (the quantity of the boundary law) the limit of the interior closed
    form ``value`` as the parameter of ``subs`` approaches the boundary from the side
    ``interior``?  Then ``value`` already says it, with the usual convention that a
    formula undefined at a point (``0 log 0``, ``log 0``) means its limit there, and no
    ``Piecewise`` branch is needed: ``-p log p - (1 - p) log(1 - p)`` tends to 0 as
    ``p -> 1`` (the entropy of Bernoulli(1)), ``(1 - p) log((1 - p)/(1 - q))`` to
    ``+oo`` as ``q -> 1`` (KL against Bernoulli(1)).  A jump (``D_alpha(Bernoulli(p) ||
    Bernoulli(1))`` is ``+oo`` for ``p < 1`` and 0 at ``p = 1``) keeps its branch.

    Decided numerically, at 60 digits, at a random admissible point of the other
    parameters (other positive symbols, such as an order, at 3 and 1/3), from the
    interior at distances 1e-12, 1e-24 and 1e-36: a finite ``edge`` must be matched
    to 1e-8 (relative) at the last; ``+oo`` (``-oo``) needs values that grow (fall)
    by at least a fixed amount at each step, as ``c log(1/eps)`` does.  Anything that
    cannot be evaluated counts as not continuous (the branch is kept), except an
    ``edge`` that has no real value at the point (``0**(n - k) log 0**(n - k)`` left in
    a residual sum): then ``None``, and the caller adds no branch of that value."""
    from symxent.errors import ParameterError
    if len(subs) != 1:
        return False
    (s, v), = subs.items()
    try:
        brvs = [on_boundary(rv, subs) for rv in rvs if rv is not None]
        point = sample_point(brvs, random.Random(1)) if brvs else {}
        base = value.xreplace(point)
        vv, cond, ed = (sp.sympify(x).xreplace(point) for x in (v, interior, edge))
        rest = sorted((base.free_symbols | ed.free_symbols | vv.free_symbols) - {s}, key=str)
        if any(not r.is_positive for r in rest):
            return False
        for t in ((sp.Integer(3), sp.Rational(1, 3)) if rest else (None,)):
            extra = {r: t for r in rest} if rest else {}
            vt, ct, et = (x.xreplace(extra) for x in (vv, cond, ed))
            side = next((sg for sg in (-1, 1)
                         if ct.xreplace({s: vt + sg * _EPS[0]}) is sp.true), None)
            if side is None:
                return False
            if et not in (sp.oo, -sp.oo):
                try:
                    en = sp.N(et, 60)
                except (TypeError, ValueError, ArithmeticError):
                    return None  # the boundary law's value has no number here: no branch
            f = [sp.N(base.xreplace(extra).xreplace({s: vt + side * e}), 60) for e in _EPS]
            if et in (sp.oo, -sp.oo):
                if not all(x.is_number and x.is_extended_real and x.is_finite for x in f):
                    return False
                sg = 1 if et is sp.oo else -1
                d1, d2 = sg * (f[1] - f[0]), sg * (f[2] - f[1])
                if not (d1 > sp.Rational(1, 100) and d2 > sp.Rational(1, 100)):
                    return False
                continue
            if not (en.is_number and en.is_extended_real and en.is_finite):
                return None  # the boundary law's value has no number here: no branch
            if not all(x.is_number and x.is_extended_real and x.is_finite for x in f):
                return False
            if abs(f[2] - en) > sp.Float("1e-8", 60) * max(1, abs(en)):
                return False
        return True
    except ParameterError:
        return False
    except (TypeError, ValueError, ArithmeticError, ZeroDivisionError, AttributeError):
        return False


def _bad(v):
    if v.has(sp.nan, sp.zoo):
        return True
    return bool(v.is_number and v.is_real is False and v.is_infinite is not True)


def _branches(e, cond):
    """Flattened ``(expr, condition)`` pairs of ``e`` under ``cond``."""
    if isinstance(e, sp.Piecewise):
        out = []
        for ei, ci in e.args:
            out += _branches(ei, sp.And(cond, ci))
        return out
    if e.is_Add and sp.oo in e.args:  # finite terms + oo (P's mass where q = 0)
        e = sp.oo
    if cond is not sp.true and e.has(sp.sign, sp.Abs):
        try:  # oo*sign(1 - p1) under p1 < 1 is oo (sign(n - n p1) = sign(1 - p1), n > 0)
            e = e.replace(lambda t: isinstance(t, sp.sign), lambda t: sp.sign(sp.factor(t.args[0])))
            e = sp.refine(e, cond)
        except (TypeError, ValueError, NotImplementedError, RecursionError):
            pass
    return [(e, cond)]


def with_boundary(value, interior, edge):
    """``Piecewise((value, interior), (edge, True))`` with nested Piecewise
    flattened (conditions conjoined, in order) and branch values refined under
    their conditions."""
    pairs = _branches(value, interior) + _branches(edge, sp.true)
    return sp.Piecewise(*pairs)


def positive_where(m):
    """The condition under which a probability ``m`` (>= 0) is positive: ``true`` when
    it is known positive, else one condition per factor that may vanish
    (``1 - p > 0`` written ``p < 1``)."""
    m = sp.sympify(m)
    if m.is_positive:
        return sp.true
    conds = []
    for f in sp.Mul.make_args(sp.factor_terms(m)):
        if f.is_Pow and f.exp.is_positive:
            f = f.base
        if f.is_positive:
            continue
        e = sp.expand(f)
        syms = e.free_symbols
        if len(syms) == 1:
            (x,) = syms
            a = sp.diff(e, x)
            if a.is_number and a != 0 and sp.diff(a, x) == 0:
                c = -e.subs(x, 0) / a
                conds.append(sp.Gt(x, c) if a > 0 else sp.Lt(x, c))
                continue
        conds.append(sp.Gt(f, 0))
    return sp.And(*conds)


def atom_sum(kind, atoms, term):
    """``sum_x term(p(x), q(x))`` over the atoms ``[(x, p(x), q(x))]`` of a finite law,
    right on the whole closed parameter domain ([CT] Cover & Thomas eq. 2.1, 2.26):
    an atom whose symbolic mass may vanish (``1 - p`` with ``p <= 1``) contributes 0
    where it does (``0 log 0 = 0``) and ``+oo`` where Q's mass vanishes and P's does
    not.  Returns ``oo`` when some atom of P certainly has no mass under Q."""
    plain, guarded = [], {}
    for _, pv, qv in atoms:
        pv = sp.sympify(pv)
        if pv == 0:
            continue
        if qv == 0:
            gp = positive_where(pv)
            if gp is sp.true:
                return sp.oo
            guarded.setdefault((gp, sp.false), []).append(sp.S.Zero)
            continue
        # a symbolic mass of P or Q that may vanish needs no guard: the term
        # (p log p, p log(p/q), -p log q) tends to what the boundary law gives
        # (0, or +oo where P keeps its mass), the limit that the formula means there
        gp = gq = sp.true
        t = term(pv, sp.sympify(qv))
        if gp is sp.true and gq is sp.true:
            plain.append(t)
        else:
            guarded.setdefault((gp, gq), []).append(t)
    total = sp.Add(*plain)
    for (gp, gq), ts in guarded.items():
        total += sp.Piecewise((sp.Add(*ts), sp.And(gp, gq)), (sp.oo, gp), (0, True))
    if 0 < len(guarded) <= 2:
        total = sp.piecewise_fold(total)
        # a branch "finite + oo" (the other atoms are finite under its condition) is oo
        total = total.replace(lambda e: e.is_Add and sp.oo in e.args, lambda e: sp.oo)
    return total


#: functions that may jump: a value at the end point says nothing about the limit there
_JUMPS = (sp.Piecewise, sp.floor, sp.ceiling, sp.frac, sp.sign, sp.Heaviside, sp.DiracDelta,
          sp.Integral, sp.Limit, sp.Derivative, sp.Subs, sp.Product)


def _written_out(s):
    """A ``Sum`` of numbers over numeric bounds as the sum of its terms (SymPy's
    ``doit`` first looks for a symbolic antidifference: 2 s for 201 terms)."""
    if len(s.limits) == 1:
        k, a, b = s.limits[0]
        if a.is_Integer and b.is_Integer and b - a <= 10**4:
            return sp.Add(*[s.function.xreplace({k: sp.Integer(j)}) for j in range(a, b + 1)])
    return s.doit()


def one_sided_limit(value, t, v, side):
    """``lim value`` as ``t -> v`` from ``side``.  The terms of ``value`` that hold a
    ``Sum`` of finitely many terms are summed at ``v``, term by term, when that value
    is defined and finite and nothing in them may jump (no Piecewise, floor, sign,
    ...): the limit of a finite sum of functions continuous where defined is the sum
    of their values.  So the residual sum over k = 0..200 of Binomial(200, t) masses
    is exact at t = 1 (0**(200 - k) is 0 or 1) instead of SymPy's ``limit`` over its
    201 expanded terms (25 s).  The other terms (``(t - 1) log(1 - t)``, whose
    pieces are infinite apart) go to ``sympy.limit`` together.  The boundary law's
    value is then checked against its numeric definition like any other."""
    rest, summed = [], []
    for term in sp.Add.make_args(value):
        if term.has(sp.Sum) and not term.has(*_JUMPS) and all(
                all(b.is_number and b.is_finite for b in s.limits[0][1:])
                for s in term.atoms(sp.Sum)):
            at = term.xreplace({t: v}).replace(lambda e: isinstance(e, sp.Sum), _written_out)
            if not at.has(sp.nan, sp.zoo, sp.oo, -sp.oo, t, sp.Sum) and at.is_finite:
                summed.append(at)
                continue
        rest.append(term)
    if not summed:
        return sp.limit(value, t, v, side)
    rest = sp.Add(*rest)
    return sp.Add(sp.limit(rest, t, v, side) if rest.has(t) else rest, *summed)


def finite_rational(rvs):
    """Are all laws finite, each mass a rational function of the parameters?  Then S, H
    and D_KL have no jump at a boundary of one parameter, and the interior closed form
    needs no branch there: each term ``p log p``, ``-p log q``, ``p log(p/q)`` tends to
    the boundary law's term -- 0 where p -> 0 (p and q vanish to finite orders a, b,
    and eps^a log eps^(a-b) -> 0), ``+oo`` where only q -> 0, which is the boundary
    law's +oo ([CT] eq. 2.1, 2.26, with 0 log 0 = 0 and p log(p/0) = +oo); no term
    tends to -oo, so the limits add.  The closed form equals the atom sum in the
    interior, so it has the same limits.  (Not so for masses such as exp(-1/t),
    which vanish faster than any power: they go the general way.)  A categorical of
    k symbolic probabilities has k such boundaries, each a boundary law to derive:
    O(k^2) where this is O(k)."""
    for rv in rvs:
        if rv is None:
            continue
        if type(rv.pspace).__name__ != "SingleFinitePSpace":
            return False
        dist = rv.pspace.distribution
        params = set().union(*(sp.sympify(a).free_symbols for a in dist.args))
        masses = _masses(dist)
        if masses is None or not all(_finite_order(w, params) for w in masses):
            return False
    return True


def _masses(dist):
    """The masses of a finite law: the mass function of a symbolic atom, piece by piece,
    for SymPy's named families (Binomial(10^4, p): building 10^4 masses takes a
    minute), else atom by atom; None when neither can be read."""
    pmf = getattr(dist, "pmf", None)
    if pmf is not None and type(dist).__module__ == "sympy.stats.frv_types" \
            and type(dist).__name__ != "FiniteDistributionHandmade":
        # a named family (Binomial, BetaBinomial, Hypergeometric, ...): its mass
        # function is one formula (SymPy's .set builds every mass first)
        k = sp.Dummy("k", integer=True)
        try:
            w = pmf(k)
        except (TypeError, ValueError):  # RobustSoliton's needs a number: atom by atom
            w = None
        if w is None:
            pass
        elif isinstance(w, sp.Piecewise):
            if any(c.free_symbols - {k} for _, c in w.args):
                return None
            return [e for e, _ in w.args]
        else:
            return [w]
    atoms = getattr(dist, "dict", None)
    try:
        return list(dict(atoms).values()) if atoms is not None else None
    except TypeError:
        return None


def _finite_order(w, params):
    """Does the mass ``w`` vanish to a finite order (a power of the distance) wherever it
    vanishes?  A product of factors free of the parameters, rational functions of them,
    and powers of those with an exponent free of them (p**k (1 - p)**(n - k))."""
    if not isinstance(w, sp.Expr):
        return False
    for f in sp.Mul.make_args(w):
        if not f.free_symbols & params:
            continue
        if f.is_Pow and not f.exp.free_symbols & params:
            f = f.base
        if not f.is_rational_function(*params):
            return False
    return True
