"""The derivation of a measure of independent products is checked step by step
(issue 13): the additivity step S/H/D_KL(prod P_i) = sum_i of the per-factor
terms, and every per-factor step, are compared with the numeric definitions
(:meth:`symxent.derivation.checking._Checker._measure`: each factor's measure from
:func:`symxent.numeric.core.evaluate`, a symbolic number of factors set to 2
or 3).  A step off by a little fails its check; a product too long to write
out is reported unchecked, never passed.

References: Cover & Thomas, *Elements of Information Theory*, 2nd ed.: entropy
of Exp(lambda) is 1 - log(lambda) (Table 17.1), entropy of independent factors
is the sum of their entropies (eq. 2.67), D_KL of products is the sum
(chain rule, Thm. 2.5.3).
"""
import pytest
from sympy import Idx, IndexedBase, Rational as R, Sum, log, symbols
from sympy.stats import Exponential

from symxent import Entropy, KLDivergence, derive, independent
from symxent.derivation.core import Derivation

n = symbols("n", integer=True, positive=True)
i = Idx("i")
lam = IndexedBase("lam", positive=True)
kap = IndexedBase("kap", positive=True)


def _statuses(d):
    return [s.checked for s in d.steps]


@pytest.mark.timeout(120)
def test_engine_product_entropy_derivation_is_fully_checked():
    d = derive(Entropy(independent(Exponential("X", lam[i]), (i, 1, n))), timeout=120)
    assert d.is_valid, d.report
    assert "sum of their entropies" in d.steps[0].justification
    assert d.steps[0].checked == "numeric"            # additivity: against the definitions
    assert "agrees to 30 digits" in d.steps[0].detail


@pytest.mark.timeout(120)
def test_engine_product_kl_numeric_range_is_fully_checked():
    P = independent(Exponential("X", lam[i]), (i, 1, 2))
    Q = independent(Exponential("Y", kap[i]), (i, 1, 2))
    d = derive(KLDivergence(P, Q), timeout=120)
    assert d.is_valid, d.report
    assert d.steps[0].checked == "numeric"


def _entropy_chain(summand, upper=n):
    """S(prod Exp(lam_i)) = Sum(summand): the additivity step as one claimed step."""
    start = Entropy(independent(Exponential("X", lam[i]), (i, 1, upper)))
    return Derivation(start, [("=", Sum(summand, (i, 1, upper)), "additivity (claimed)")])


@pytest.mark.timeout(120)
def test_additivity_step_right_and_wrong_summand():
    right = _entropy_chain(1 - log(lam[i]))                              # [CT] Table 17.1
    right.check()
    assert _statuses(right) == ["numeric"], right.report
    wrong = _entropy_chain(1 - log(lam[i]) + R(1, 10**8))
    wrong.check()
    assert _statuses(wrong) == ["failed"], wrong.report


@pytest.mark.timeout(120)
def test_additivity_step_with_one_factor_for_all_is_refused():
    # n times the first factor's entropy is not the sum when the factors differ
    start = Entropy(independent(Exponential("X", lam[i]), (i, 1, n)))
    d = Derivation(start, [("=", n * (1 - log(lam[1])), "all factors alike (wrong)")])
    d.check()
    assert _statuses(d) == ["failed"], d.report


@pytest.mark.timeout(120)
def test_written_out_sum_is_checked_and_an_off_by_one_fails():
    good = _entropy_chain(1 - log(lam[i]), upper=3)
    good.check()
    assert _statuses(good) == ["numeric"], good.report
    start = Entropy(independent(Exponential("X", lam[i]), (i, 1, 3)))
    short = Derivation(start, [("=", Sum(1 - log(lam[i]), (i, 1, 2)), "one factor missing")])
    short.check()
    assert _statuses(short) == ["failed"], short.report


@pytest.mark.timeout(60)
def test_too_many_factors_to_write_out_is_unchecked_not_passed():
    d = _entropy_chain(1 - log(lam[i]), upper=40)
    d.check()
    assert _statuses(d) == ["unchecked"], d.report
    assert "more than" in d.steps[0].detail
