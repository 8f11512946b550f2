"""Bad and hostile input: each gets a clear exception (exact type and message), never a number."""
import re

import pytest
import sympy as sp
from sympy.stats import (Bernoulli, ContinuousRV, DiscreteRV, Exponential, FiniteRV, Normal,
                         Poisson)

from symxent import (KLDivergence, MissingAssumptionError, NegativeDensityError,
                     NotNormalizedError, UnsupportedError, cross_entropy, entropy,
                     kl_divergence)

x, k = sp.Symbol("x"), sp.Symbol("k")


def test_density_that_does_not_integrate_to_one():
    X = ContinuousRV(x, 3 * x, set=sp.Interval(0, 1))
    with pytest.raises(NotNormalizedError, match=re.escape(
            "the density of x integrates to something other than 1 on its declared support "
            "Interval(0, 1)")):
        entropy(X)


def test_wrong_declared_support_is_caught_by_normalisation():
    # exp(-x) is a density on (0, oo), not on (0, 2)
    X = ContinuousRV(x, sp.exp(-x), set=sp.Interval(0, 2))
    with pytest.raises(NotNormalizedError, match="integrates to something other than 1"):
        entropy(X)


def test_mass_function_that_does_not_sum_to_one():
    K = DiscreteRV(k, sp.Rational(1, 2) ** k, set=sp.S.Naturals0)
    with pytest.raises(NotNormalizedError, match=re.escape(
            "the mass function of k sums to something other than 1 on its declared support "
            "Naturals0")):
        entropy(K)


def test_negative_density():
    X = ContinuousRV(x, 4 * x - 1, set=sp.Interval(0, 1))  # integrates to 1, negative near 0
    with pytest.raises(NegativeDensityError, match=r"the density of x is negative at x = 0\.\d+"):
        entropy(X)


def test_negative_probability():
    F = FiniteRV("F", {0: sp.Rational(3, 2), 1: -sp.Rational(1, 2)})
    with pytest.raises(NegativeDensityError, match=re.escape("F has probability -1/2 < 0 at 1")):
        entropy(F)


def test_probabilities_that_do_not_sum_to_one():
    F = FiniteRV("F", {0: sp.Rational(1, 2), 1: sp.Rational(1, 3)})
    with pytest.raises(NotNormalizedError, match=re.escape(
            "the probabilities of F sum to something other than 1")):
        entropy(F)


def test_parameter_without_assumptions():
    with pytest.raises(MissingAssumptionError, match=re.escape(
            "parameter m of N has no assumptions; declare it real, e.g. Symbol('m', real=True)")):
        entropy(Normal("N", sp.Symbol("m"), 1))


def test_scale_without_sign_assumption():
    with pytest.raises(MissingAssumptionError, match=re.escape(
            "N: cannot decide t > 0 (Standard deviation must be positive); declare "
            "Symbol('t', positive=True)")):
        entropy(Normal("N", 0, sp.Symbol("t", real=True)))


def test_out_of_domain_values():
    # sympy.stats itself refuses these at construction, with its own clear message
    with pytest.raises(ValueError, match="Standard deviation must be positive"):
        Normal("N", 0, -1)
    with pytest.raises(ValueError, match=re.escape("p should be in range [0, 1].")):
        Bernoulli("B", sp.Rational(3, 2))
    with pytest.raises(ValueError, match="Standard deviation must be positive"):
        Normal("N", 0, sp.Symbol("s", negative=True))


def test_mismatched_discrete_and_continuous():
    with pytest.raises(UnsupportedError, match=re.escape(
            "cannot compare the continuous N with the discrete P: one is continuous and the "
            "other discrete")):
        kl_divergence(Normal("N", 0, 1), Poisson("P", 1))
    with pytest.raises(UnsupportedError, match="one is continuous and the other discrete"):
        cross_entropy(Poisson("P", 1), Exponential("E", 1))


def test_not_a_random_variable():
    with pytest.raises(UnsupportedError, match="takes sympy.stats random variables"):
        KLDivergence(sp.Symbol("p"), sp.Symbol("q"))
