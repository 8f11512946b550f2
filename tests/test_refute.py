"""symxent.testing.refute: counterexamples to false claims, none for true ones."""
import mpmath
import pytest
import sympy as sp
from sympy import Eq
from sympy.stats import Bernoulli, Exponential, Gamma, Laplace, Normal, Poisson, Uniform

from symxent import CrossEntropy, Entropy, KLDivergence
from symxent.errors import UnsupportedError
from symxent.numeric.core import evaluate_expression
from symxent.testing.refute import Witness, refute

m1, m2 = sp.symbols("mu1 mu2", real=True)
s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
P, Q = Normal("P", m1, s1), Normal("Q", m2, s2)


def confirmed(w, lhs, rhs):
    """The witness's values are the numeric reference's at its point."""
    assert isinstance(w, Witness)
    a, b = evaluate_expression(lhs, w.point), evaluate_expression(rhs, w.point)
    assert a.value == w.lhs and b.value == w.rhs
    return a.value, b.value


def test_kl_is_not_symmetric():
    claim = Eq(KLDivergence(P, Q), KLDivergence(Q, P))
    w = refute(claim, points=40)
    a, b = confirmed(w, claim.lhs, claim.rhs)
    assert abs(a - b) > mpmath.mpf(10) ** -20
    assert "fails at" in str(w)


def test_cross_entropy_of_continuous_distributions_can_be_negative():
    w = refute(CrossEntropy(P, Q) >= 0, points=40)
    a, _ = confirmed(w, CrossEntropy(P, Q), sp.Integer(0))
    assert a < 0
    a1, b1 = sp.symbols("a1 b1", real=True)
    U = Uniform("U", a1, b1)          # e.g. Uniform(0, 1/2): H(U, U) = log(1/2) < 0
    w = refute(CrossEntropy(U, U) >= 0, points=40)
    assert w is not None and w.lhs < 0 and w.point[b1] - w.point[a1] < 1


def test_kl_is_not_the_cross_entropy():
    claim = Eq(KLDivergence(P, Q), CrossEntropy(P, Q))
    w = refute(claim, points=40)
    a, b = confirmed(w, claim.lhs, claim.rhs)
    assert abs(a - b) > mpmath.mpf(10) ** -20


k1, k2, l1, l2, b1, b2 = sp.symbols("k1 k2 lamda1 lamda2 b1 b2", positive=True)
p1, p2 = sp.symbols("p1 p2", positive=True)


@pytest.mark.parametrize("X, Y", [
    (P, Q),
    (Exponential("E1", l1), Exponential("E2", l2)),
    (Gamma("G1", k1, l1), Gamma("G2", k2, l2)),
    (Laplace("L1", m1, b1), Laplace("L2", m2, b2)),
    (Poisson("N1", l1), Poisson("N2", l2)),
    (Bernoulli("B1", p1), Bernoulli("B2", p2)),
    (Normal("N", m1, s1), Laplace("L", m2, b2)),
], ids=["normal", "exponential", "gamma", "laplace", "poisson", "bernoulli", "normal-laplace"])
def test_gibbs_inequality_has_no_counterexample(X, Y):
    assert refute(KLDivergence(X, Y) >= 0, points=60) is None


def test_true_identity_has_no_counterexample():
    claim = Eq(CrossEntropy(P, Q), Entropy(P) + KLDivergence(P, Q))
    assert refute(claim, points=30) is None


def test_bad_claims():
    with pytest.raises(UnsupportedError, match="cannot be refuted with numbers"):
        refute(sp.Ne(KLDivergence(P, Q), 0))
    with pytest.raises(UnsupportedError, match="involves no Entropy/CrossEntropy/KLDivergence"):
        refute(m1 >= m2)
    with pytest.raises(UnsupportedError, match="refute takes"):
        refute(KLDivergence(P, Q))
