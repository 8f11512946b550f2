"""The numeric layer: S, H and D_KL from their *definitions*, with mpmath.

``core.evaluate`` gives a value and an error bound for a measure at a
parameter point, or raises :class:`NumericError` -- never a guess.  It is the
independent reference against which the engine's closed forms, derivation
steps and user formulas are checked.

May import: sympy, mpmath, :mod:`symxent.errors`, :mod:`symxent.budget`,
:mod:`symxent.laws`.  Never the engine, the measures, derivations, the CLI or
the testing helpers: a reference that can reach the engine could end up
checking the engine against itself (``tests/test_layers.py`` enforces this).
"""
from symxent.numeric.core import (KINDS, NumericError, NumericValue, cross_entropy_value,
                                  entropy_value, evaluate, evaluate_expression,
                                  is_measure, kl_value)

__all__ = ["NumericValue", "NumericError", "evaluate", "evaluate_expression",
           "entropy_value", "cross_entropy_value", "kl_value", "KINDS", "is_measure"]
