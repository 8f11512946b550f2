"""Describing random variables: kind, density, support and parameter domains.

``support`` reads a ``sympy.stats`` random variable into one description
(kind, variable, density or mass function, support); ``domain`` gives the
admissible parameter region of a law and draws points from it;
``distributions`` adds laws that sympy.stats lacks (``Categorical``).

May import: sympy, mpmath, :mod:`symxent.errors`, :mod:`symxent.budget`.
Nothing else of symxent: the engine and the numeric layer both stand on it.
"""
