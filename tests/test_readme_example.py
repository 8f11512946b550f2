import pytest
from sympy import S, log, symbols
from sympy.stats import Normal
from symxent import KLDivergence

m1, m2 = symbols("m1 m2", real=True)
s1, s2 = symbols("s1 s2", positive=True)
P, Q = Normal("P", m1, s1), Normal("Q", m2, s2)
my_formula = log(s2/s1) + (s1**2 + (m1 - m2)**2)/(2*s2**2) - S.Half

@pytest.mark.symxent_formula(my_formula, KLDivergence(P, Q), points=5)
def test_gaussian_kl():
    pass

def test_my_loss(formula_check):          # or the fixture
    formula_check(my_formula, KLDivergence(P, Q), points=5, dps=40)
