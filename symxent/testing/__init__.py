"""Helpers for checking formulas in tests: ``assert_formula``, ``check_formula``,
``refute``, Hypothesis strategies and the pytest plugin.

``formula`` compares a hand-written closed form with the engine symbolically and
with the numeric layer at random admissible points; ``refute`` searches for
counterexamples to a claim; ``strategies`` (needs ``hypothesis``) draws
admissible parameter points; ``catalogue`` lists the reference cases.

May import: anything of symxent except the CLI.
"""
from symxent.testing.formula import FormulaReport, PointCheck, assert_formula, check_formula

__all__ = ["assert_formula", "check_formula", "FormulaReport", "PointCheck"]
