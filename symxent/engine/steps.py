"""The records of the rule interface: the question a rule is asked and its answer.

* :class:`Region`, the question: a log-density ``L`` (a
  :class:`~symxent.engine.logform.LogForm`) on the interval ``(lo, hi)`` under the
  known ``facts``; a rule is asked for ``int exp(L) f`` on it (``E[f]`` when the
  region is normalised), a kernel for ``int exp(L)``;
* :class:`RuleStep`, the answer's record: which rule gave which value for which
  target, from which sub-steps.  A rule returns ``(value, step)``; the engine
  assembles the records it is handed back into a tree (as SymPy's
  ``integrals/manualintegrate.py`` does) and the derivation reads its
  justifications off that tree (:func:`symxent.engine.core.trace`).  Nothing is
  recorded as a side effect.

Both are immutable, and cheap to make: a record holds the objects the rule already
has (a feature, a log-form, a value); nothing is built for display until a
renderer asks.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Region", "RuleStep"]


@dataclass(frozen=True)
class Region:
    """A piece of the support: the log-density ``L`` on ``(lo, hi)``.

    ``normalized``: ``int exp(L) = 1`` on it, so that ``int exp(L) f = E[f]``.
    ``cache`` memoises the changes of variable tried on this region (one per
    substitution serves every feature); it is not part of the region's value.
    """

    L: object
    lo: object
    hi: object
    facts: tuple = ()
    normalized: bool = False
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def x(self):
        return self.L.x


@dataclass(frozen=True)
class RuleStep:
    """``rule`` found ``value`` for ``target``, using the steps ``children``.

    ``target`` is what the rule was asked: a feature ``f`` of the region's variable
    (its expectation on a normalised region, else ``int exp(L) f``), or for a
    kernel the :class:`~symxent.engine.logform.LogForm` ``L`` it integrated
    (``int exp(L)``).  ``rule`` is the rule's name, the justification of the step;
    an empty name marks a step that only assembles its children (linearity of the
    expectation).
    """

    rule: str
    target: object
    value: object
    children: tuple = ()

    def reasons(self):
        """The rules used, each named once, in the order they were applied (the
        steps a rule used before the rule itself)."""
        seen = {}
        self._collect(seen)
        return list(seen)

    def _collect(self, seen):
        for c in self.children:
            c._collect(seen)
        if self.rule:
            seen.setdefault(self.rule)

    def walk(self):
        """This step and all below it, parents first."""
        yield self
        for c in self.children:
            yield from c.walk()
