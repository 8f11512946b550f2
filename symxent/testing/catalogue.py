"""The catalogue: every case symxent promises to derive in closed form.

Each :class:`Case` builds fresh ``sympy.stats`` random variables with symbolic
parameters (scales, rates and shapes ``positive=True``; locations
``real=True``).  The benchmark, the property tests, the document's table and
the CLI's ``table`` command all read this list, so coverage is stated once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp
from sympy.stats import (
    Arcsin, Bernoulli, Beta, Binomial, Cauchy, Chi, ChiSquared, ContinuousRV, Die,
    Erlang, Exponential, FiniteRV, Gamma, GammaInverse, Geometric, Gumbel,
    Kumaraswamy, Laplace, Levy, Logarithmic, Logistic, LogNormal, Maxwell,
    MultivariateBeta, MultivariateNormal, Nakagami, NegativeBinomial, Normal, Pareto,
    Poisson, Rayleigh, StudentT, Triangular, Uniform, Weibull)

__all__ = ["Case", "CASES", "case"]


@dataclass(frozen=True)
class Case:
    """One catalogue entry: ``kind`` is ``entropy``, ``kl`` or ``cross_entropy``."""

    name: str
    kind: str
    build: Callable[[], tuple]


def _pos(names):
    return sp.symbols(names, positive=True)


def _real(names):
    return sp.symbols(names, real=True)


def _one(family, pos="", real="", order=None):
    def build(suffix="", name="X"):
        syms = {n: sp.Symbol(n + suffix, positive=True) for n in pos.split()}
        syms.update({n: sp.Symbol(n + suffix, real=True) for n in real.split()})
        names = order or (real.split() + pos.split())
        return (family(name, *[syms[n] for n in names]),)
    return build


def _pair(family, pos="", real="", order=None):
    """Two members of one family, parameters suffixed 1 and 2."""
    one = _one(family, pos, real, order)
    return lambda: one("1", "X1") + one("2", "X2")


def _prob(name):
    return sp.Symbol(name, positive=True)


# ---------------------------------------------------------------- entropy
_E = {
    "Normal": _one(Normal, "sigma", "mu"),
    "Exponential": _one(Exponential, "lamda"),
    "Gamma": _one(Gamma, "k theta", order=["k", "theta"]),
    "Beta": _one(Beta, "a b", order=["a", "b"]),
    "Laplace": _one(Laplace, "b", "mu"),
    "Uniform": _one(Uniform, "", "a b"),
    "Cauchy": _one(Cauchy, "gamma", "x0"),
    "StudentT": _one(StudentT, "nu"),
    "Logistic": _one(Logistic, "s", "mu"),
    "LogNormal": _one(LogNormal, "sigma", "mu"),
    "Weibull": _one(Weibull, "lamda k", order=["lamda", "k"]),
    "Rayleigh": _one(Rayleigh, "sigma"),
    "Pareto": _one(Pareto, "x_m alpha", order=["x_m", "alpha"]),
    "Gumbel": _one(Gumbel, "beta", "mu", order=["beta", "mu"]),
    "ChiSquared": _one(ChiSquared, "k"),
    "Chi": _one(Chi, "k"),
    "Maxwell": _one(Maxwell, "a"),
    "Erlang": lambda: (Erlang("X", sp.Symbol("k", positive=True, integer=True),
                              sp.Symbol("lamda", positive=True)),),
    "GammaInverse": _one(GammaInverse, "a b", order=["a", "b"]),
    "Nakagami": _one(Nakagami, "m omega", order=["m", "omega"]),
    "Levy": _one(Levy, "c", "mu"),
    "Arcsin": _one(Arcsin, "", "a b"),
    "Triangular": _one(Triangular, "", "a b c"),
    "Kumaraswamy": _one(Kumaraswamy, "a b", order=["a", "b"]),
    "Bernoulli": lambda: (Bernoulli("X", _prob("p")),),
    "Binomial(4)": lambda: (Binomial("X", 4, _prob("p")),),
    "Geometric": lambda: (Geometric("X", _prob("p")),),
    "Die(6)": lambda: (Die("X", 6),),
    "FiniteRV": lambda: (FiniteRV("X", {0: _prob("p1"), 1: _prob("p2"),
                                        2: 1 - _prob("p1") - _prob("p2")}),),
    "Poisson": _one(Poisson, "lamda"),
    "NegativeBinomial": lambda: (NegativeBinomial("X", sp.Symbol("r", positive=True),
                                                  _prob("p")),),
    "Logarithmic": lambda: (Logarithmic("X", _prob("p")),),
    "MultivariateNormal": lambda: (MultivariateNormal(
        "X", sp.Matrix(_real("mu1 mu2")),
        sp.Matrix([[sp.Symbol("s1", positive=True), sp.Symbol("rho", real=True)],
                   [sp.Symbol("rho", real=True), sp.Symbol("s2", positive=True)]])),),
    "Dirichlet": lambda: (MultivariateBeta("X", list(_pos("a1 a2 a3"))),),
}

# ---------------------------------------------------------------- KL, same family
_K = {
    "Normal": _pair(Normal, "sigma", "mu"),
    "Exponential": _pair(Exponential, "lamda"),
    "Gamma": _pair(Gamma, "k theta", order=["k", "theta"]),
    "Beta": _pair(Beta, "a b", order=["a", "b"]),
    "Laplace": _pair(Laplace, "b", "mu"),
    "Uniform": lambda: (Uniform("X1", *_real("a1 b1")), Uniform("X2", *_real("a2 b2"))),
    "Cauchy": _pair(Cauchy, "gamma", "x0"),
    "LogNormal": _pair(LogNormal, "sigma", "mu"),
    "Weibull": _pair(Weibull, "lamda k", order=["lamda", "k"]),
    "Rayleigh": _pair(Rayleigh, "sigma"),
    "Pareto": _pair(Pareto, "x_m alpha", order=["x_m", "alpha"]),
    "Gumbel": _pair(Gumbel, "beta", "mu", order=["beta", "mu"]),
    "ChiSquared": _pair(ChiSquared, "k"),
    "Chi": _pair(Chi, "k"),
    "Maxwell": _pair(Maxwell, "a"),
    "Erlang": lambda: tuple(Erlang(f"X{i}", sp.Symbol(f"k{i}", positive=True, integer=True),
                                   sp.Symbol(f"lamda{i}", positive=True)) for i in (1, 2)),
    "GammaInverse": _pair(GammaInverse, "a b", order=["a", "b"]),
    "Nakagami": _pair(Nakagami, "m omega", order=["m", "omega"]),
    "Levy": lambda: (Levy("X1", sp.Symbol("mu", real=True), sp.Symbol("c1", positive=True)),
                     Levy("X2", sp.Symbol("mu", real=True), sp.Symbol("c2", positive=True))),
    "Bernoulli": lambda: (Bernoulli("X1", _prob("p1")), Bernoulli("X2", _prob("p2"))),
    "Binomial": lambda: (Binomial("X1", sp.Symbol("n", positive=True, integer=True), _prob("p1")),
                         Binomial("X2", sp.Symbol("n", positive=True, integer=True), _prob("p2"))),
    "Geometric": lambda: (Geometric("X1", _prob("p1")), Geometric("X2", _prob("p2"))),
    "Poisson": _pair(Poisson, "lamda"),
    "MultivariateNormal": lambda: tuple(MultivariateNormal(
        f"X{i}", sp.Matrix(_real(f"m{i}1 m{i}2")),
        sp.Matrix([[sp.Symbol(f"s{i}1", positive=True), 0],
                   [0, sp.Symbol(f"s{i}2", positive=True)]])) for i in (1, 2)),
    "Dirichlet": lambda: tuple(MultivariateBeta(f"X{i}", list(_pos(f"a{i}1 a{i}2 a{i}3")))
                               for i in (1, 2)),
}


def _x(fam_p, fam_q):
    """Cross-family pair built from the entropy catalogue's parametrisations."""
    def build():
        return _E[fam_p]("1", "X1") + _E[fam_q]("2", "X2")
    return build


# PyTorch's torch.distributions.kl registry (finite cross-family pairs), the
# pairs it leaves as TODO with Laplace as q, and +oo rows for non-nested supports.
_CROSS = [
    ("Beta", "Exponential"), ("Beta", "Gamma"), ("Beta", "Normal"), ("Beta", "Uniform"),
    ("Exponential", "Gamma"), ("Exponential", "Gumbel"), ("Exponential", "Normal"),
    ("Gamma", "Exponential"), ("Gamma", "Gumbel"), ("Gamma", "Normal"),
    ("Gumbel", "Normal"), ("Laplace", "Normal"), ("Normal", "Gumbel"), ("Normal", "Laplace"),
    ("Pareto", "Exponential"), ("Pareto", "Gamma"), ("Pareto", "Normal"),
    ("Uniform", "Beta"), ("Uniform", "Exponential"), ("Uniform", "Gamma"),
    ("Uniform", "Gumbel"), ("Uniform", "Normal"), ("Uniform", "Pareto"),
    ("Exponential", "Laplace"), ("Gamma", "Laplace"), ("Uniform", "Laplace"),
    ("Normal", "Exponential"), ("Exponential", "Beta"), ("Normal", "Uniform"),
    ("Laplace", "Gamma"), ("Gumbel", "Pareto"), ("Gamma", "Pareto"),
    ("Exponential", "Weibull"), ("Cauchy", "Normal"), ("Cauchy", "Laplace"),
    ("Gamma", "LogNormal"), ("LogNormal", "Gamma"), ("Weibull", "Gamma"),
]

# Pairs with no closed form (E_Normal[log(1 + x**2)] is not elementary): the
# engine must return them unevaluated.  Tests and the benchmark use this list.
# (StudentT || Normal is not here: it needs only E[X**2] = nu/(nu - 2), finite for
# nu > 2, and the engine returns that Piecewise.)
NO_CLOSED_FORM = [("Normal", "Cauchy"), ("Normal", "StudentT")]

CASES: list[Case] = (
    [Case(f"S {n}", "entropy", b) for n, b in _E.items()]
    + [Case(f"KL {n} || {n}", "kl", b) for n, b in _K.items()]
    + [Case(f"KL {p} || {q}", "kl", _x(p, q)) for p, q in _CROSS]
    + [
        Case("S half-normal (ContinuousRV)", "entropy", lambda: (ContinuousRV(
            sp.Symbol("x"), sp.sqrt(2) / (sp.Symbol("sigma", positive=True) * sp.sqrt(sp.pi))
            * sp.exp(-sp.Symbol("x")**2 / (2 * sp.Symbol("sigma", positive=True)**2)),
            set=sp.Interval(0, sp.oo)),)),
        Case("S power law (a+1) x^a (ContinuousRV)", "entropy", lambda: (ContinuousRV(
            sp.Symbol("x"), (sp.Symbol("a", positive=True) + 1) * sp.Symbol("x")
            ** sp.Symbol("a", positive=True), set=sp.Interval(0, 1)),)),
    ]
)


def case(name: str) -> Case:
    """Look a case up by name."""
    for c in CASES:
        if c.name == name:
            return c
    raise KeyError(name)
