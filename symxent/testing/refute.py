"""Search for counterexamples to claims about entropies and divergences.

``refute(claim)`` takes a SymPy relation between expressions built from
:class:`~symxent.Entropy`, :class:`~symxent.CrossEntropy` and
:class:`~symxent.KLDivergence` (and numbers or parameters), e.g.
``Eq(KLDivergence(P, Q), KLDivergence(Q, P))`` or ``CrossEntropy(P, Q) >= 0``,
and searches admissible parameter points for one where it fails.

Candidates are random admissible points (:func:`symxent.laws.domain.sample_point`)
and the same points with every positive parameter and every real parameter
scaled by 10**-3, 10**-2, 10**2 or 10**3 (narrow or wide distributions, kept
only when still admissible).  When the engine has closed forms for all the
measures, they screen all candidates quickly (lambdified once, evaluated in
``mpmath.workdps``); the most violating candidates -- and a few random ones
regardless -- are then checked with :mod:`symxent.numeric.core`, the definitions
integrated or summed independently of the engine.  Only a violation confirmed
by the numeric reference, beyond ``10**(-dps+5)`` (relative) plus ten times the
references' error estimates, is reported as a :class:`Witness`.

For ``>``/``<`` only a clear reversal counts (equality cannot be shown with
numbers); ``!=`` is not supported for the same reason.

Only SymPy, mpmath and symxent are needed: the sampler is
:func:`symxent.laws.domain.sample_point` (Hypothesis is a test extra; its
strategies live in :mod:`symxent.testing.strategies`, for tests only).
"""
from __future__ import annotations

import random
import warnings
from dataclasses import dataclass, field

import mpmath
import sympy as sp
from sympy.core.relational import Relational

from symxent.budget import BudgetExceeded
from symxent.errors import SymxentError, UnsupportedError
from symxent.precision import exclusive, workdps

__all__ = ["refute", "Witness", "admissible"]

_SCALES = (sp.Rational(1, 1000), sp.Rational(1, 100), 100, 1000)


@dataclass(frozen=True)
class Witness:
    """A parameter point where the claim fails, with both sides' reference values."""

    point: dict
    lhs: object
    rhs: object
    lhs_error: object = 0
    rhs_error: object = 0
    claim: object = field(default=None, compare=False)

    def __str__(self):
        pt = ", ".join(f"{k} = {v}" for k, v in sorted(self.point.items(), key=lambda kv: str(kv[0])))
        return (f"{self.claim} fails at {pt}: lhs = {mpmath.nstr(self.lhs, 15)}, "
                f"rhs = {mpmath.nstr(self.rhs, 15)}")


def _measures(expr):
    from symxent.numeric.core import is_measure
    return list(dict.fromkeys(a for a in sp.preorder_traversal(expr) if is_measure(a)))


def _violation(rel, l, r, el, er, dps):
    """How clearly ``rel(l, r)`` fails (> 0), from values with error estimates."""
    with workdps(dps + 10):
        if mpmath.isinf(l) or mpmath.isinf(r):
            if mpmath.isinf(l) and mpmath.isinf(r) and (l > 0) == (r > 0):
                return mpmath.mpf(0) if rel is sp.Eq else None   # oo vs oo: cannot order
            if rel is sp.Eq:
                return mpmath.inf
            gap = r - l if rel in (sp.Ge, sp.Gt) else l - r
            return mpmath.inf if gap > 0 else mpmath.mpf(0)
        tol = mpmath.mpf(10) ** (-dps + 5) * max(1, abs(l), abs(r)) + 10 * (el + er)
        if rel is sp.Eq:
            gap = abs(l - r)
        elif rel in (sp.Ge, sp.Gt):
            gap = r - l
        else:
            gap = l - r
        return max(mpmath.mpf(0), gap - tol)


def admissible(rvs, point) -> bool:
    """Does ``point`` satisfy every domain condition of ``rvs`` (and give usable supports)?"""
    from symxent.laws.domain import domain_conditions
    from symxent.laws.support import describe, support_bounds
    for rv in rvs:
        for cond, _ in domain_conditions(rv):
            if isinstance(cond, sp.Basic) and cond.xreplace(point) is not sp.true:
                return False
            # the interior of the domain: closed forms are limits on its boundary
            # (0 log 0 at p = 1), so p <= 1 is drawn as p < 1
            if isinstance(cond, (sp.Le, sp.Ge)) and sp.Eq(cond.lhs, cond.rhs).xreplace(point) \
                    is sp.true:
                return False
        d = describe(rv)
        if d.kind in ("continuous", "discrete") and d.support is not None:
            lo, hi = (sp.sympify(e).xreplace(point) for e in support_bounds(d.support))
            if sp.Lt(lo, hi) is not sp.true and not (d.kind == "discrete" and lo == hi):
                return False
        if d.kind == "mvnormal" and d.cov.xreplace(point).is_positive_definite is not True:
            return False
        if d.kind == "finite" and any(not sp.sympify(p).xreplace(point).is_positive
                                      for p in d.values.values()):
            return False
    return True


def _candidates(rvs, extra, n, rng):
    from symxent.laws.domain import _draw, sample_point
    out = []
    for i in range(n):
        pt = sample_point(list(rvs), rng)
        pt.update({s: _draw(s, rng) for s in extra})
        k = i % (len(_SCALES) + 2)
        if 0 < k <= len(_SCALES):
            f = _SCALES[k - 1]
            scaled = {s: (v * f if not s.is_integer and (s.is_positive or s.is_real) else v)
                      for s, v in pt.items()}
            # probabilities and other bounded parameters fall out here
            if admissible(rvs, scaled):
                pt = scaled
        out.append(pt)
    return out


def _closed_forms(measures, timeout):
    from symxent.numeric.core import is_measure
    out = {}
    for m in measures:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                c = m.doit(timeout=timeout)
        except (SymxentError, BudgetExceeded):  # no screen for this claim
            return None
        if any(is_measure(a) for a in sp.preorder_traversal(c)):
            return None
        out[m] = c
    return out


def refute(claim, *, points=200, seed=0, dps=30, timeout=60, confirm=8):
    """A :class:`Witness` where ``claim`` fails, or ``None`` if none was found.

    ``points`` candidate points are screened (see the module docstring); at most
    ``confirm`` of them (plus three random ones) are checked with the numeric
    reference when closed forms are available, otherwise all of them are.  The
    whole search runs under one budget of ``timeout`` seconds; when it runs out
    :class:`~symxent.budget.BudgetExceeded` is raised (a search cut short is not
    "no counterexample").
    """
    from symxent import budget
    timeout = budget.validate_timeout(timeout)
    try:
        with budget.budget(timeout), exclusive():
            return _refute(claim, points, seed, dps, timeout, confirm)
    except budget.BudgetExceeded:
        raise budget.BudgetExceeded(
            f"refute: the time budget of {timeout:g} s ran out before the search ended "
            f"(no counterexample found so far; this is not a proof)") from None


def budget_share(timeout):
    """Seconds for the closed forms: a third of the search's budget."""
    return max(timeout / 3, 0.1)


def _refute(claim, points, seed, dps, timeout, confirm):
    from symxent.numeric.core import NumericError, evaluate_expression
    from symxent.laws.support import describe

    if isinstance(claim, (str, bytes, bytearray)):  # never sympify a string: it runs code
        raise UnsupportedError(
            f"refute got the string {claim!r}: strings are never parsed (SymPy's sympify "
            f"would run them as code); pass a SymPy relation such as Eq(KLDivergence(P, Q), 0)")
    claim = sp.sympify(claim, strict=True)
    if claim in (sp.true, sp.false):
        raise UnsupportedError(f"the claim evaluated to {claim} before any parameter was chosen")
    if not isinstance(claim, Relational) or isinstance(claim, sp.Ne):
        raise UnsupportedError(
            f"refute takes ==, >=, >, <=, < between measures (Eq(a, b), a >= b, ...); "
            f"got {claim!r}" + (" (inequality != cannot be refuted with numbers)"
                                if isinstance(claim, sp.Ne) else ""))
    rel = {sp.Equality: sp.Eq, sp.GreaterThan: sp.Ge, sp.StrictGreaterThan: sp.Gt,
           sp.LessThan: sp.Le, sp.StrictLessThan: sp.Lt}[type(claim)]
    lhs, rhs = claim.lhs, claim.rhs
    measures = _measures(claim)
    if not measures:
        raise UnsupportedError(f"the claim {claim} involves no Entropy/CrossEntropy/KLDivergence")
    rvs = list(dict.fromkeys(rv for m in measures for rv in (m.p, m.q) if rv is not None))
    params = {s for rv in rvs for s in describe(rv).params}
    dummies = {m: sp.Dummy() for m in measures}
    extra = sorted((claim.xreplace(dummies).free_symbols - set(dummies.values())) - params,
                   key=str)
    rng = random.Random(seed)
    cands = _candidates(rvs, extra, points, rng)

    def numeric(pt):
        try:
            a, b = evaluate_expression(lhs, pt, dps), evaluate_expression(rhs, pt, dps)
        except (NumericError, SymxentError, ArithmeticError):
            return None
        v = _violation(rel, a.value, b.value, a.error, b.error, dps)
        if v:
            return Witness(pt, a.value, b.value, a.error, b.error, claim)
        return None

    closed = _closed_forms(measures, budget_share(timeout))
    if closed is None:
        to_check = cands
    else:
        from symxent.numeric.mpcompile import CANNOT_EVALUATE, compile_mp, exact
        syms = sorted(params | set(extra), key=str)
        scored = []
        with workdps(dps + 10):
            try:
                sides = [compile_mp(s.xreplace(closed), syms) for s in (lhs, rhs)]
            except CANNOT_EVALUATE:
                sides = None
            for i, pt in enumerate(cands if sides else ()):
                try:
                    args = [compile_mp(exact(pt[s])[0], ())() for s in syms]
                    a, b = (mpmath.mpf(f(*args)) for f in sides)
                except CANNOT_EVALUATE:
                    continue
                v = _violation(rel, a, b, 0, 0, dps)
                if v:
                    scored.append((v, i))
        scored.sort(key=lambda t: -t[0])
        picked = [i for _, i in scored[:confirm]]
        picked += [i for i in rng.sample(range(len(cands)), min(3, len(cands)))
                   if i not in picked]
        to_check = [cands[i] for i in picked]
    for pt in to_check:
        w = numeric(pt)
        if w is not None:
            return w
    return None
