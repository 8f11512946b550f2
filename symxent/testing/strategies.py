"""Hypothesis strategies: admissible parameter points and catalogue cases.

``parameter_points(rvs)`` draws ``{symbol: exact number}`` for every parameter
of the random variables ``rvs``: each symbol from a range matching its
assumptions (integers 1..7 for positive integers, rationals in [0.05, 5] for
positive reals, in [-3, 3] for real ones -- the same ranges as
:func:`symxent.laws.domain.sample_point`), filtered by :func:`admissible`: every
distribution's own domain conditions, a nonempty support, and a positive
definite covariance for multivariate normals.

For tests only: ``hypothesis`` is a test extra, and nothing outside the tests
imports this module (``refute`` samples with
:func:`symxent.laws.domain.sample_point`).

``catalogue_cases(kind=None)`` draws entries of :data:`symxent.testing.catalogue.CASES`.
"""
from __future__ import annotations

import sympy as sp
from hypothesis import strategies as st

from symxent.testing.refute import admissible  # noqa: F401  (one definition, re-exported)

__all__ = ["parameter_points", "catalogue_cases", "admissible", "symbol_values"]


def symbol_values(sym):
    """Strategy for one parameter, respecting its assumptions."""
    if sym.is_integer:
        lo = 1 if sym.is_positive else (0 if sym.is_nonnegative else -4)
        return st.integers(lo, 7).map(sp.Integer)
    thousandths = st.one_of(st.integers(50, 1000), st.integers(1000, 5000))
    if sym.is_positive or sym.is_nonnegative:
        return thousandths.map(lambda n: sp.Rational(n, 1000))
    if sym.is_negative or sym.is_nonpositive:
        return thousandths.map(lambda n: -sp.Rational(n, 1000))
    # 0 and 1 are left out: they bound the supports (0, oo) and (0, 1), so they are
    # boundaries of containment conditions (a1 >= 0, b1 <= 1) where closed forms are limits
    return st.integers(-3000, 3000).filter(lambda n: n not in (0, 1000)).map(
        lambda n: sp.Rational(n, 1000))


def parameter_points(rvs):
    """Strategy of admissible points ``{symbol: value}`` for the parameters of ``rvs``."""
    from symxent.laws.support import describe
    rvs = tuple(rvs) if isinstance(rvs, (list, tuple)) else (rvs,)
    syms = sorted({s for rv in rvs for s in describe(rv).params}, key=str)
    return st.fixed_dictionaries({s: symbol_values(s) for s in syms}).filter(
        lambda point: admissible(rvs, point))


def catalogue_cases(kind=None):
    """Strategy of catalogue cases (optionally only those of one ``kind``)."""
    from symxent.testing.catalogue import CASES
    cases = [c for c in CASES if kind is None or c.kind == kind]
    return st.sampled_from(cases)
