"""Checked derivations: calc-chains of (in)equalities, each step verified.

A :class:`Derivation` starts from an expression and lists :class:`Step` objects,
like a ``calc`` block in Lean's mathlib: each step relates the previous
expression to a new one by ``=``, ``<=`` or ``>=`` and says why.

:meth:`Derivation.check` verifies every step, first symbolically (SymPy must
*prove* ``prev - new == 0``, or the sign of the difference for an inequality),
otherwise numerically with mpmath at ``dps`` significant digits at random
admissible parameter points.  Each step records how it was checked:

``"symbolic"``  proved by SymPy;
``"numeric"``   agreed to ``dps`` digits at every sampled point (and is shown as
                "checked numerically at <dps> digits" when rendered);
``"failed"``    a sampled point contradicts it;
``"unchecked"`` it could be neither proved nor evaluated.

Only a derivation whose steps are all ``symbolic`` or ``numeric`` is valid;
:meth:`Derivation.verify` raises :class:`DerivationError` naming the first
step that is not.

Every check runs under a time budget (``timeout=``, default the global one,
:mod:`symxent.budget`): cheap rewritings (``expand``, ``expand_log``,
``cancel``) are tried first, ``simplify`` only on small expressions and for at
most a couple of seconds a step, then numbers (:mod:`symxent.numeric`) take
over; steps the budget leaves no time for are ``unchecked``.

Unknown functions (``Function('p')``) are checked numerically by substituting
the concrete test densities listed in ``models``; ``given`` eliminates symbols
tied by equations (e.g. ``{p3: 1 - p1 - p2}``); ``constraints`` are extra
relations the sampled points must satisfy (rejection sampling).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from symxent.precision import exclusive
from symxent.budget import BudgetExceeded, budget
from symxent.derivation.checking import _Checker
from symxent.errors import ParameterError, SymxentError, strict_sympify

__all__ = ["Step", "Derivation", "DerivationError", "CheckReport", "StepResult", "derive",
           "RELATIONS", "STATUSES"]

RELATIONS = ("=", "<=", ">=")
STATUSES = ("symbolic", "numeric", "failed", "unchecked")


class DerivationError(SymxentError):
    """A derivation step failed its check (or could not be checked)."""

    def __init__(self, message, step=None, justification=None):
        super().__init__(message)
        self.step = step
        self.justification = justification


@dataclass(frozen=True)
class Step:
    """``<relation> expr`` with a justification, plus how it was checked."""

    relation: str
    expr: sp.Basic
    justification: str
    checked: str = "unchecked"
    detail: str = ""

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, got {self.relation!r}")
        if self.checked not in STATUSES:
            raise ValueError(f"checked must be one of {STATUSES}, got {self.checked!r}")
        if not isinstance(self.justification, str) or not self.justification.strip():
            raise ValueError("every step needs a non-empty justification")
        object.__setattr__(self, "expr", strict_sympify(self.expr, "Step"))


@dataclass(frozen=True)
class StepResult:
    index: int          # 1-based step number
    justification: str
    status: str
    detail: str


@dataclass
class CheckReport:
    """Outcome of :meth:`Derivation.check`."""

    results: list
    dps: int

    @property
    def ok(self) -> bool:
        return all(r.status in ("symbolic", "numeric") for r in self.results)

    @property
    def problems(self) -> list:
        return [r for r in self.results if r.status not in ("symbolic", "numeric")]

    def __str__(self):
        lines = []
        for r in self.results:
            how = {"numeric": f"numeric ({self.dps} digits)"}.get(r.status, r.status)
            lines.append(f"step {r.index}: {how:<22} {r.justification}"
                         + (f" -- {r.detail}" if r.detail and r.status != "symbolic" else ""))
        lines.append("valid" if self.ok else "INVALID")
        return "\n".join(lines)


def _combine_relations(rels):
    """The relation a chain of relations proves (``None`` for an empty chain)."""
    strict = {r for r in rels if r != "="}
    if len(strict) > 1:
        raise ValueError("a chain cannot mix <= and >= steps: it would prove nothing")
    return strict.pop() if strict else ("=" if rels else None)


class Derivation:
    """A chain ``start R1 e1 R2 e2 ...``; see the module docstring.

    ``steps`` may hold :class:`Step` objects or ``(relation, expr, why)`` tuples.
    ``models`` is a list of dicts mapping undefined functions (or IndexedBase
    objects, or symbols) to ``Lambda`` objects (or values); every numeric
    check is repeated under each model.  ``ranges`` maps symbols to open
    intervals ``(lo, hi)`` to sample from.  ``sampler(rng)`` may supply part of
    each point (e.g. :func:`symxent.laws.domain.sample_point`).
    """

    def __init__(self, start, steps=(), *, constraints=(), models=(), given=None,
                 ranges=None, sampler=None, title=None):
        self.start = strict_sympify(start, "Derivation")
        self.steps = []
        self.constraints = [strict_sympify(c, "Derivation") for c in constraints]
        self.models = [dict(m) for m in models]
        self.given = {strict_sympify(k, "Derivation"): strict_sympify(v, "Derivation")
                      for k, v in (given or {}).items()}
        self.ranges = {k: (sp.Rational(a), sp.Rational(b)) for k, (a, b) in (ranges or {}).items()}
        self.sampler = sampler
        self.title = title
        self.report = None
        for s in steps:
            self.step(*s) if isinstance(s, tuple) else self._append(s)

    # ---- building
    def _append(self, step):
        if not isinstance(step, Step):
            raise TypeError(f"expected a Step, got {step!r}")
        _combine_relations([s.relation for s in self.steps] + [step.relation])
        self.steps.append(step)
        self.report = None
        return self

    def step(self, relation, expr, justification):
        """Append ``relation expr`` (justified); returns ``self`` for chaining."""
        return self._append(Step(relation, expr, justification))

    @property
    def end(self):
        return self.steps[-1].expr if self.steps else self.start

    @property
    def relation(self):
        """The relation between ``start`` and ``end`` that the chain proves."""
        return _combine_relations([s.relation for s in self.steps])

    @property
    def conclusion(self):
        """``start <rel> end`` as a SymPy relational (unevaluated)."""
        cls = {"=": sp.Eq, "<=": sp.Le, ">=": sp.Ge}[self.relation]
        return cls(self.start, self.end, evaluate=False)

    @property
    def is_valid(self) -> bool:
        return bool(self.steps) and all(s.checked in ("symbolic", "numeric") for s in self.steps)

    # ---- checking
    def check(self, dps=30, points=3, seed=0, timeout=None) -> CheckReport:
        """Check every step; fills in each step's ``checked`` status.

        The whole check runs under a budget of ``timeout`` seconds (default: the
        global default); steps not reached in time are ``unchecked``."""
        if isinstance(dps, bool) or not isinstance(dps, int) or not 15 <= dps <= 5000:
            raise ValueError(f"numeric checks use between 15 and 5000 digits, got {dps!r}")
        results, new_steps = [], []
        try:
            with budget(timeout), exclusive():
                checker = _Checker(self, dps=dps, points=points, seed=seed)
                for i, step in enumerate(self.steps, 1):
                    status, detail = checker.check_step(i)
                    new_steps.append(replace(step, checked=status, detail=detail))
                    results.append(StepResult(i, step.justification, status, detail))
        except BudgetExceeded:
            for i, step in enumerate(self.steps[len(new_steps):], len(new_steps) + 1):
                detail = "the time budget of the check ran out"
                new_steps.append(replace(step, checked="unchecked", detail=detail))
                results.append(StepResult(i, step.justification, "unchecked", detail))
        self.steps = new_steps
        self.dps = dps
        self.report = CheckReport(results, dps)
        return self.report

    def verify(self, dps=30, points=3, seed=0, timeout=None):
        """Check, and raise :class:`DerivationError` at the first bad step; returns self."""
        if not self.steps:
            raise DerivationError("an empty derivation proves nothing")
        report = self.check(dps=dps, points=points, seed=seed, timeout=timeout)
        for r in report.results:
            if r.status == "failed":
                raise DerivationError(
                    f"step {r.index} ({r.justification}) is wrong: {r.detail}",
                    r.index, r.justification)
            if r.status == "unchecked":
                raise DerivationError(
                    f"step {r.index} ({r.justification}) could not be checked: {r.detail}",
                    r.index, r.justification)
        return self

    # ---- rendering (see symxent.derivation.render)
    def to_latex(self, **options):
        from symxent.derivation.render import to_latex
        return to_latex(self, **options)

    def to_markdown(self, **options):
        from symxent.derivation.render import to_markdown
        return to_markdown(self, **options)

    def to_text(self, **options):
        from symxent.derivation.render import to_text
        return to_text(self, **options)

    def __str__(self):
        return self.to_text()

    def __repr__(self):
        return (f"Derivation({self.start!s}, {len(self.steps)} steps, "
                f"{'valid' if self.is_valid else 'not verified'})")

    def _repr_latex_(self):
        from symxent.derivation.render import to_latex
        return to_latex(self, environment="aligned", display=True)

    def _repr_markdown_(self):
        return self.to_markdown()


def derive(quantity, *, check=True, dps=30, points=3, seed=0, timeout=None):
    """The engine's derivation of an unevaluated Entropy/CrossEntropy/KLDivergence.

    Built from :func:`symxent.engine.core.trace` (``(relation, expr, why)`` tuples
    from the definition to the closed form) and checked unless ``check`` is
    false; numeric checks draw parameters with :func:`symxent.laws.domain.sample_point`
    and evaluate the measures with :func:`symxent.numeric.core.evaluate`.
    The whole call, derivation and checks, runs under one budget of
    ``timeout`` seconds (default: the global default); checks the budget leaves
    no time for are ``unchecked``.
    """
    from symxent.engine import core as engine
    from symxent.laws.domain import boundary_parameters
    for rv in getattr(quantity, "rvs", ()):
        for index, value, _side in boundary_parameters(rv):
            # Geometric(1): the closed form there is a limit (0 log 0 = 0); a chain
            # of substitutions would show nan or an undefined series
            raise ParameterError(
                f"{rv}: parameter {index + 1} = {value} is on the boundary of its domain, "
                f"where the measure is a limit; derive it with a symbolic parameter, or "
                f"use entropy()/kl_divergence(), which take the limit")
    with budget(timeout), exclusive():
        steps = (quantity._symxent_trace() if hasattr(quantity, "_symxent_trace")  # divergences
                 else engine.trace(quantity))
        d = Derivation(quantity, [tuple(s) for s in steps], title=str(quantity))
        if check:
            d.check(dps=dps, points=points, seed=seed, timeout=timeout)
    return d


# ===================================================================== checking
