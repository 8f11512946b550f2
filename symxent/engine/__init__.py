"""The symbolic engine: closed forms of E_P[log p], E_P[log q] by rules.

``core.compute(kind, P, Q)`` expands ``log p`` and ``log q`` into features
(``logform``), takes the expectation of each under P from the
exponential-family structure (``expfamily``), kernel integrals (``kernels``),
expectation rules (``expectation``), the multivariate laws
(``multivariate``), and brings the result to a canonical form
(``canonical``).  ``validation`` checks user-made densities.  Rules and
kernels share one calling convention, ``step(region, f) -> (value, step)``
(``rulebase``); the step records (``steps``) form the tree the derivation's
reasons are read from.

May import: sympy, mpmath, :mod:`symxent.errors`, :mod:`symxent.budget`,
:mod:`symxent.laws`.  Never the numeric layer, the measures, derivations,
the CLI or the testing helpers.
"""
from symxent.engine.core import NoClosedForm, compute
import symxent.engine.special  # noqa: F401,E402 - registers the special-function kernels
import symxent.engine.polydensity  # noqa: F401,E402 - registers its rule (UniformSum pieces)

__all__ = ["NoClosedForm", "compute"]
