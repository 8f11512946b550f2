"""The numeric layer: S, H and D_KL from their *definitions*, with mpmath.

``core.evaluate`` gives a value and an error bound for a measure at a
parameter point, or raises :class:`NumericError` -- never a guess.  It is the
independent reference against which the engine's closed forms, derivation
steps and user formulas are checked.

Modules (imports run downwards only, no cycle): ``mpcompile`` (SymPy ->
mpmath closures, exact parameter values), ``dequad`` (double-exponential
rules), ``quadrature`` (anchored log-space integrals of the definitions),
``discrete`` (sums), ``expressions`` (closed expressions with integrals, sums
and expectations; the one :func:`compare`), ``core`` (``evaluate``).

May import: sympy, mpmath, :mod:`symxent.errors`, :mod:`symxent.budget`,
:mod:`symxent.laws`.  Never the engine, the measures, derivations, the CLI or
the testing helpers: a reference that can reach the engine could end up
checking the engine against itself (``tests/test_layers.py`` enforces this).
"""
from symxent.numeric.core import (KINDS, MAX_DPS, NumericError, NumericValue,
                                  cross_entropy_value, entropy_value, evaluate,
                                  evaluate_expression, is_measure, kl_value)
from symxent.numeric.expressions import Comparison, closed_value, compare

__all__ = ["NumericValue", "NumericError", "evaluate", "evaluate_expression",
           "entropy_value", "cross_entropy_value", "kl_value", "KINDS", "is_measure",
           "compare", "Comparison", "closed_value", "MAX_DPS"]
