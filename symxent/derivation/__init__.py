"""Derivations: checked chains from a definition to its closed form, and rendering.

``core.derive`` turns the engine's trace into a :class:`Derivation`, a list of
(relation, expression, justification) steps, each checked symbolically or
with the numeric layer; ``render`` prints derivations and measures as text,
LaTeX and Markdown.

May import: sympy, mpmath, :mod:`symxent.errors`, :mod:`symxent.budget`,
:mod:`symxent.laws`, :mod:`symxent.engine`, :mod:`symxent.numeric`.  Never the
CLI or the testing helpers.
"""
from symxent.derivation.core import (CheckReport, Derivation, DerivationError, Step,
                                     StepResult, derive)

__all__ = ["Step", "Derivation", "DerivationError", "CheckReport", "StepResult", "derive"]
