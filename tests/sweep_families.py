"""Every univariate family of ``sympy.stats``, with symbolic parameters, for the sweep.

Each row is ``Family(name, kind, support, build)``: ``build(tag)`` returns the
random variable with parameters named after ``tag`` (so that ``P = build('1')``
and ``Q = build('2')`` share no parameter) and with the assumptions the
family's domain needs (scales positive, locations real, counts positive
integers).  Ends of an interval are written ``l`` and ``l + w`` with ``w > 0``
so that every symbolic point is admissible.  ``support`` is a coarse class
used to decide which mixed pairs nest (P's support inside Q's whatever the
parameters):

* continuous: ``R`` (the real line), ``R+`` (inside ``(0, oo)``), ``unit``
  (``(0, 1)``), ``param`` (ends that move with a real parameter: inside R only);
* discrete: ``Z``, ``N0`` (0, 1, ...), ``N1`` (1, 2, ...);
* finite: ``finite`` (numeric atoms; each pair is decided by the atoms).

Finite families whose atoms are not symbolic take numeric sizes (``Die(6)``),
with a second, different size for ``tag == '2'``.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
import sympy.stats as st

__all__ = ["Family", "FAMILIES", "NESTS", "by_name"]


@dataclass(frozen=True)
class Family:
    name: str
    kind: str
    support: str
    build: object


def _pos(*names):
    return sp.symbols(" ".join(names), positive=True)


def _real(name):
    return sp.Symbol(name, real=True)


def _posint(name):
    return sp.Symbol(name, positive=True, integer=True)


def C(name, support, params, make):
    """A continuous family: ``params`` is a list of (stem, kind) with kind in
    'pos', 'real', 'int'; ``make(X, *symbols)`` builds the variable."""
    def build(tag):
        syms = []
        for stem, kind in params:
            n = f"{stem}{tag}"
            syms.append({"pos": lambda: _pos(n), "real": lambda: _real(n),
                         "int": lambda: _posint(n)}[kind]())
        return make(f"X{tag}", *syms)
    return Family(name, "continuous", support, build)


def D(name, support, params, make):
    f = C(name, support, params, make)
    return Family(name, "discrete", support, f.build)


def F(name, make):
    return Family(name, "finite", "finite", lambda tag: make(f"X{tag}", tag == "2", tag))


P, R_, I_ = "pos", "real", "int"

FAMILIES = [
    # ---------------------------------------------------------------- continuous
    C("Arcsin", "param", [("l", R_), ("w", P)], lambda n, l, w: st.Arcsin(n, l, l + w)),
    C("Benini", "R+", [("al", P), ("be", P), ("sg", P)], st.Benini),
    C("Beta", "unit", [("a", P), ("b", P)], st.Beta),
    C("BetaNoncentral", "unit", [("a", P), ("b", P), ("lm", P)], st.BetaNoncentral),
    C("BetaPrime", "R+", [("a", P), ("b", P)], st.BetaPrime),
    C("BoundedPareto", "R+", [("al", P), ("l", P), ("w", P)],
      lambda n, al, l, w: st.BoundedPareto(n, al, l, l + w)),
    C("Cauchy", "R", [("m", R_), ("g", P)], st.Cauchy),
    C("Chi", "R+", [("k", P)], st.Chi),
    C("ChiNoncentral", "R+", [("k", P), ("lm", P)], st.ChiNoncentral),
    C("ChiSquared", "R+", [("k", P)], st.ChiSquared),
    C("Dagum", "R+", [("p", P), ("a", P), ("b", P)], st.Dagum),
    C("Davis", "R+", [("b", P), ("n", P), ("mu", P)], st.Davis),
    C("Erlang", "R+", [("k", I_), ("lm", P)], st.Erlang),
    C("ExGaussian", "R", [("m", R_), ("s", P), ("r", P)], st.ExGaussian),
    C("Exponential", "R+", [("lm", P)], st.Exponential),
    C("ExponentialPower", "R", [("m", R_), ("a", P), ("b", P)], st.ExponentialPower),
    C("FDistribution", "R+", [("d", P), ("e", P)], st.FDistribution),
    C("FisherZ", "R", [("d", P), ("e", P)], st.FisherZ),
    # location 0: sympy.stats declares Frechet's support (0, oo) whatever m is
    C("Frechet", "R+", [("a", P), ("s", P)], lambda n, a, s: st.Frechet(n, a, s, 0)),
    C("Gamma", "R+", [("k", P), ("th", P)], st.Gamma),
    C("GammaInverse", "R+", [("a", P), ("b", P)], st.GammaInverse),
    C("Gompertz", "R+", [("b", P), ("eta", P)], st.Gompertz),
    C("Gumbel", "R", [("be", P), ("m", R_)], st.Gumbel),
    C("Kumaraswamy", "unit", [("a", P), ("b", P)], st.Kumaraswamy),
    C("Laplace", "R", [("m", R_), ("b", P)], st.Laplace),
    C("Levy", "param", [("m", R_), ("c", P)], st.Levy),
    C("LogCauchy", "R+", [("m", R_), ("s", P)], st.LogCauchy),
    C("Logistic", "R", [("m", R_), ("s", P)], st.Logistic),
    C("LogLogistic", "R+", [("a", P), ("b", P)], st.LogLogistic),
    C("LogitNormal", "unit", [("m", R_), ("s", P)], st.LogitNormal),
    C("LogNormal", "R+", [("m", R_), ("s", P)], st.LogNormal),
    C("Lomax", "R+", [("al", P), ("lm", P)], st.Lomax),
    C("Maxwell", "R+", [("a", P)], st.Maxwell),
    C("Moyal", "R", [("m", R_), ("s", P)], st.Moyal),
    C("Nakagami", "R+", [("mu", P), ("om", P)], st.Nakagami),
    C("Normal", "R", [("m", R_), ("s", P)], st.Normal),
    C("GaussianInverse", "R+", [("mu", P), ("lm", P)], st.GaussianInverse),
    C("Pareto", "R+", [("xm", P), ("al", P)], st.Pareto),
    C("PowerFunction", "param", [("al", P), ("l", R_), ("w", P)],
      lambda n, al, l, w: st.PowerFunction(n, al, l, l + w)),
    C("QuadraticU", "param", [("l", R_), ("w", P)], lambda n, l, w: st.QuadraticU(n, l, l + w)),
    C("RaisedCosine", "param", [("m", R_), ("s", P)], st.RaisedCosine),
    C("Rayleigh", "R+", [("s", P)], st.Rayleigh),
    C("Reciprocal", "R+", [("l", P), ("w", P)], lambda n, l, w: st.Reciprocal(n, l, l + w)),
    C("StudentT", "R", [("nu", P)], st.StudentT),
    C("ShiftedGompertz", "R+", [("b", P), ("eta", P)], st.ShiftedGompertz),
    C("Trapezoidal", "param", [("l", R_), ("u", P), ("v", P), ("w", P)],
      lambda n, l, u, v, w: st.Trapezoidal(n, l, l + u, l + u + v, l + u + v + w)),
    C("Triangular", "param", [("l", R_), ("u", P), ("v", P)],
      lambda n, l, u, v: st.Triangular(n, l, l + u + v, l + u)),
    C("Uniform", "param", [("l", R_), ("w", P)], lambda n, l, w: st.Uniform(n, l, l + w)),
    C("UniformSum", "R+", [("n", I_)], st.UniformSum),
    C("VonMises", "R+", [("m", R_), ("k", P)], st.VonMises),
    C("Wald", "R+", [("mu", P), ("lm", P)], st.Wald),
    C("Weibull", "R+", [("a", P), ("b", P)], st.Weibull),
    C("WignerSemicircle", "param", [("r", P)], st.WignerSemicircle),
    # ---------------------------------------------------------------- discrete
    D("FlorySchulz", "N1", [("a", P)], st.FlorySchulz),
    D("Geometric", "N1", [("p", P)], st.Geometric),
    D("Hermite", "N0", [("a", P), ("b", P)], st.Hermite),
    D("Logarithmic", "N1", [("p", P)], st.Logarithmic),
    D("NegativeBinomial", "N0", [("r", P), ("p", P)], st.NegativeBinomial),
    D("Poisson", "N0", [("lm", P)], st.Poisson),
    D("Skellam", "Z", [("m", P), ("n", P)], st.Skellam),
    D("YuleSimon", "N1", [("rho", P)], st.YuleSimon),
    D("Zeta", "N1", [("s", P)], lambda n, s: st.Zeta(n, s + 1)),
    # ---------------------------------------------------------------- finite
    F("DiscreteUniform", lambda n, alt, t: st.DiscreteUniform(n, [0, 1, 2, 3] if alt else [0, 1, 2])),
    F("Die", lambda n, alt, t: st.Die(n, 8 if alt else 6)),
    F("Bernoulli", lambda n, alt, t: st.Bernoulli(n, _pos(f"p{t}"))),
    F("Coin", lambda n, alt, t: st.Coin(n, _pos(f"p{t}"))),
    F("Binomial", lambda n, alt, t: st.Binomial(n, 4, _pos(f"p{t}"))),
    F("BetaBinomial", lambda n, alt, t: st.BetaBinomial(n, 3, *_pos(f"a{t}", f"b{t}"))),
    F("Hypergeometric", lambda n, alt, t: st.Hypergeometric(n, 10, 5 if alt else 4, 3)),
    F("Rademacher", lambda n, alt, t: st.Rademacher(n)),
    F("IdealSoliton", lambda n, alt, t: st.IdealSoliton(n, 5 if alt else 4)),
    F("RobustSoliton", lambda n, alt, t: st.RobustSoliton(n, 5 if alt else 4, sp.Rational(1, 2),
                                                          sp.Rational(1, 10))),
]

#: support class of P -> the support classes of Q that contain it whatever the parameters
NESTS = {
    "R": {"R"}, "param": {"R"}, "R+": {"R", "R+"}, "unit": {"R", "R+", "unit"},
    "Z": {"Z"}, "N0": {"Z", "N0"}, "N1": {"Z", "N0", "N1"}, "finite": set(),
}

_BY_NAME = {f.name: f for f in FAMILIES}


def by_name(name):
    return _BY_NAME[name]
