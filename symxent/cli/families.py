"""Distribution families accepted as text (see :mod:`symxent.cli.parsing`).

Each family names a ``sympy.stats`` constructor and the *role* of each
parameter (location -> real, scale/shape/rate -> positive, probability,
count -> positive integer), from which parsed symbols get their assumptions.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy.stats as st

from symxent.laws.distributions import Categorical

__all__ = ["FAMILIES", "Family"]

# Scalar roles, weakest to strongest; a symbol used in several roles gets the
# strongest one (each implies the weaker ones, so this never contradicts).
_ROLE_LEVEL = {"real": 1, "positive": 2, "prob": 2, "count": 3}
_LEVEL_ASSUMPTIONS = {
    1: {"real": True},
    2: {"positive": True},
    3: {"positive": True, "integer": True},
}
# Non-scalar roles: "vreal"/"vpositive" (vector of real/positive entries),
# "cov" (symmetric matrix: positive diagonal, real off-diagonal), "items"
# (vector of real values of a finite distribution), "probs" (vector of
# probabilities that must sum to 1, see symxent.cli.parsing).


@dataclass(frozen=True)
class Family:
    """A distribution name accepted in text, with the roles of its parameters."""

    name: str
    constructor: object
    roles: tuple  # role of each positional parameter
    required: int  # how many of them are mandatory
    labels: tuple  # parameter names, for messages and --help
    # a family whose one parameter is a vector may also take its entries as
    # separate arguments: Dirichlet(a1, a2, a3) is Dirichlet([a1, a2, a3])
    variadic: bool = False

    def signature(self) -> str:
        if self.variadic:
            return f"{self.name}({self.labels[0]}1, {self.labels[0]}2, ...)"
        parts = [
            lab if i < self.required else f"[{lab}]"
            for i, lab in enumerate(self.labels)
        ]
        return f"{self.name}({', '.join(parts)})"


def _fam(name, ctor, spec, required=None, variadic=False):
    labels = tuple(p.split(":")[0] for p in spec.split())
    roles = tuple(p.split(":")[1] for p in spec.split())
    req = len(roles) if required is None else required
    return Family(name, ctor, roles, req, labels, variadic)


_FAMILY_LIST = [
    # continuous, real line or half line
    _fam("Normal", st.Normal, "mean:real std:positive"),
    _fam("LogNormal", st.LogNormal, "mean:real std:positive"),
    _fam("Laplace", st.Laplace, "mu:real b:positive"),
    _fam("Cauchy", st.Cauchy, "x0:real gamma:positive"),
    _fam("Logistic", st.Logistic, "mu:real s:positive"),
    _fam("Gumbel", st.Gumbel, "beta:positive mu:real"),
    _fam("Levy", st.Levy, "mu:real c:positive"),
    _fam("Moyal", st.Moyal, "mu:real sigma:positive"),
    _fam("StudentT", st.StudentT, "nu:positive"),
    _fam("Exponential", st.Exponential, "rate:positive"),
    _fam("Gamma", st.Gamma, "k:positive theta:positive"),
    _fam("GammaInverse", st.GammaInverse, "a:positive b:positive"),
    _fam("Erlang", st.Erlang, "k:count rate:positive"),
    _fam("ChiSquared", st.ChiSquared, "k:positive"),
    _fam("Chi", st.Chi, "k:positive"),
    _fam("Rayleigh", st.Rayleigh, "sigma:positive"),
    _fam("Maxwell", st.Maxwell, "a:positive"),
    _fam("Weibull", st.Weibull, "scale:positive shape:positive"),
    _fam("Frechet", st.Frechet, "a:positive s:positive m:real", required=1),
    _fam("Pareto", st.Pareto, "xm:positive alpha:positive"),
    _fam("Lomax", st.Lomax, "alpha:positive lamda:positive"),
    _fam("Nakagami", st.Nakagami, "mu:positive omega:positive"),
    _fam("LogLogistic", st.LogLogistic, "alpha:positive beta:positive"),
    _fam("BetaPrime", st.BetaPrime, "alpha:positive beta:positive"),
    _fam("FDistribution", st.FDistribution, "d1:positive d2:positive"),
    _fam("Gompertz", st.Gompertz, "b:positive eta:positive"),
    _fam("ExGaussian", st.ExGaussian, "mean:real std:positive rate:positive"),
    # continuous, bounded support
    _fam("Uniform", st.Uniform, "left:real right:real"),
    _fam("Beta", st.Beta, "alpha:positive beta:positive"),
    _fam("Kumaraswamy", st.Kumaraswamy, "a:positive b:positive"),
    _fam("Triangular", st.Triangular, "a:real b:real c:real"),
    _fam("Arcsin", st.Arcsin, "a:real b:real", required=0),
    _fam("WignerSemicircle", st.WignerSemicircle, "R:positive"),
    _fam("RaisedCosine", st.RaisedCosine, "mu:real s:positive"),
    _fam("QuadraticU", st.QuadraticU, "a:real b:real"),
    _fam("VonMises", st.VonMises, "mu:real k:positive"),
    # discrete, infinite support
    _fam("Poisson", st.Poisson, "lamda:positive"),
    _fam("Geometric", st.Geometric, "p:prob"),
    _fam("NegativeBinomial", st.NegativeBinomial, "r:positive p:prob"),
    _fam("Logarithmic", st.Logarithmic, "p:prob"),
    _fam("Zeta", st.Zeta, "s:positive"),
    _fam("Skellam", st.Skellam, "mu1:positive mu2:positive"),
    _fam("YuleSimon", st.YuleSimon, "rho:positive"),
    # finite
    _fam("Bernoulli", st.Bernoulli, "p:prob"),
    _fam("Coin", st.Coin, "p:prob", required=0),
    _fam("Binomial", st.Binomial, "n:count p:prob"),
    _fam("BetaBinomial", st.BetaBinomial, "n:count alpha:positive beta:positive"),
    _fam("Hypergeometric", st.Hypergeometric, "N:count m:count n:count"),
    _fam("Die", st.Die, "sides:count", required=0),
    _fam("Rademacher", st.Rademacher, ""),
    _fam("DiscreteUniform", st.DiscreteUniform, "items:items", variadic=True),
    # symxent's own: FiniteRV on {0, ..., k-1}; Categorical(1/2, 1/3, 1/6)
    _fam("Categorical", Categorical, "p:probs", variadic=True),
    # multivariate
    _fam("MultivariateNormal", st.MultivariateNormal, "mu:vreal sigma:cov"),
    _fam("MultivariateBeta", st.MultivariateBeta, "alpha:vpositive", variadic=True),
    _fam("Dirichlet", st.MultivariateBeta, "alpha:vpositive", variadic=True),
]

#: Distribution names accepted by :func:`parse_distribution`.
FAMILIES: dict = {f.name: f for f in _FAMILY_LIST}
