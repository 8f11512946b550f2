r"""Products of independent random variables: ``independent(X, (i, a, b))``.

``independent(Normal('Z', mu[i], sigma[i]), (i, 1, n))`` is the joint law of
``Z_a, ..., Z_b``, independent, the i-th with the parameters of ``X`` at index
``i``.  Its density is the product of the factors' densities,

.. math::  p(z_a, \dots, z_b) = \prod_{i=a}^{b} p_i(z_i),

so ``log p`` is a sum over the factors and, by linearity of expectation and
independence, S, H and D_KL of two such products over the same range are the
sums of the per-factor quantities (Cover & Thomas, *Elements of Information
Theory*, 2nd ed., Thm. 2.6.6 and eq. 2.67 for entropy; the chain rule for
relative entropy, Thm. 2.5.3, for D_KL).  The engine computes that sum in
:mod:`symxent.engine.products`.

The parameters of ``X`` may depend on the index only through ``Indexed``
objects (``IndexedBase('sigma', positive=True)[i]``): the assumptions of the
``IndexedBase`` are those of every factor's parameter.  The range must be
integer and non-empty.
"""
from __future__ import annotations

import sympy as sp
from sympy.stats.rv import PSpace, RandomSymbol, random_symbols

from symxent.errors import ParameterError, UnsupportedError

__all__ = ["independent", "IndependentProduct", "IndependentPSpace", "indexed_parameters",
           "factors", "MAX_CHECKED_FACTORS"]

#: most factors :func:`factors` writes out (numeric checks of products use it)
MAX_CHECKED_FACTORS = 16


class _ProductDistribution(sp.Basic):
    """Stand-in ``distribution`` of a product, for code that reads ``pspace.distribution``:
    its domain conditions are those of the factors, checked on a representative factor."""

    @property
    def factor(self):
        return self.args[0]

    def check(self, *args):
        return None


class IndependentPSpace(PSpace):
    """The probability space of independent copies ``X_i``, ``i = a, ..., b``."""

    def __new__(cls, factor, limits):
        return sp.Basic.__new__(cls, factor, sp.Tuple(*limits))

    @property
    def factor(self):
        return self.args[0]

    @property
    def limits(self):
        return self.args[1]

    @property
    def distribution(self):
        return _ProductDistribution(self.factor)

    @property
    def symbols(self):
        return sp.FiniteSet()


class IndependentProduct(RandomSymbol):
    """The random vector ``(X_a, ..., X_b)`` of independent factors (see module docstring)."""

    @property
    def factor(self):
        return self.pspace.factor

    @property
    def index(self):
        return self.pspace.limits[0]

    @property
    def lower(self):
        return self.pspace.limits[1]

    @property
    def upper(self):
        return self.pspace.limits[2]

    @property
    def limits(self):
        return tuple(self.pspace.limits)

    def _sympystr(self, printer):
        i, a, b = (printer._print(e) for e in self.limits)
        return f"independent({printer._print(self.factor)}, ({i}, {a}, {b}))"

    def _latex(self, printer):
        i, a, b = (printer._print(e) for e in self.limits)
        return r"\prod_{%s=%s}^{%s} %s_{%s}" % (i, a, b, printer._print(self.factor), i)

    def _pretty(self, printer):
        from sympy.printing.pretty.stringpict import prettyForm
        return prettyForm(self._sympystr(printer))


def indexed_parameters(dist, index):
    """The ``Indexed`` objects of ``dist`` whose indices involve ``index``."""
    return sorted((a for a in dist.atoms(sp.Indexed) if index in a.free_symbols),
                  key=sp.default_sort_key)


def factors(rvs, subs, value_of):
    """The factors of independent products over one numeric range, written out.

    ``rvs`` are products over the same range (P, or P and Q); ``subs`` maps
    plain symbols (the bounds, shared parameters) to numbers; ``value_of(a)``
    gives the number for an ``Indexed`` parameter ``a`` such as ``sigma[3]``
    (the caller draws it, so that the same ``sigma[3]`` gets the same value
    everywhere).  Returns one tuple of factor random variables per index
    ``k = a, ..., b``, the k-th with the index set to ``k`` and every parameter
    a number.  Raises :class:`~symxent.errors.UnsupportedError` when the range
    is not numeric under ``subs``, or longer than :data:`MAX_CHECKED_FACTORS`.
    """
    i, lo, hi = rvs[0].limits
    lo, hi = (sp.sympify(e).xreplace(subs) for e in (lo, hi))
    if not (lo.is_Integer and hi.is_Integer):
        raise UnsupportedError(f"the range {lo}..{hi} of {rvs[0]} is not numeric")
    if hi - lo + 1 > MAX_CHECKED_FACTORS:
        raise UnsupportedError(f"{hi - lo + 1} factors: more than {MAX_CHECKED_FACTORS}")
    out = []
    for k in range(int(lo), int(hi) + 1):
        row = []
        for rv in rvs:
            f = rv.factor.xreplace({rv.index: sp.Integer(k)})
            law = f.pspace
            values = {a: value_of(a) for a in law.atoms(sp.Indexed)}
            row.append(f.xreplace(values).xreplace(subs))
        out.append(tuple(row))
    return out


def independent(X, limits):
    """The product of independent copies of ``X`` over ``limits = (i, a, b)``.

    ``X`` is a ``sympy.stats`` random variable whose parameters may be
    ``Indexed`` by ``i``; ``a <= b`` are integers (symbols declared
    ``integer=True``; with a symbolic ``b`` the range must be known to be
    non-empty, e.g. ``a = 1`` and ``b`` declared ``positive=True``).

    >>> from sympy import Idx, IndexedBase, symbols
    >>> from sympy.stats import Normal
    >>> n = symbols('n', integer=True, positive=True); i = Idx('i')
    >>> sigma = IndexedBase('sigma', positive=True)
    >>> independent(Normal('Z', 0, sigma[i]), (i, 1, n))
    independent(Z, (i, 1, n))

    Raises :class:`~symxent.errors.ParameterError` for a bad range or a
    parameter that depends on ``i`` other than through an ``Indexed`` object,
    :class:`~symxent.errors.UnsupportedError` when ``X`` is not one random
    variable or its parameters are themselves random (dependent factors).
    """
    if not isinstance(limits, (tuple, list, sp.Tuple)) or len(limits) != 3:
        raise ParameterError(f"independent takes limits (i, a, b), got {limits!r}")
    i, a, b = (sp.sympify(e) for e in limits)
    if isinstance(X, IndependentProduct):
        raise UnsupportedError(f"independent({X}, ...): nested products are not supported; "
                               "use one product over all the factors")
    if not isinstance(X, RandomSymbol):
        raise UnsupportedError(
            f"independent takes one sympy.stats random variable, got {X!r}: an expression "
            "of random variables (a transformed or dependent variable) is not supported")
    if not isinstance(i, (sp.Symbol, sp.Idx)):
        raise ParameterError(f"the index of independent(...) must be a Symbol or Idx, got {i!r}")
    if isinstance(i, sp.Symbol) and i.is_integer is not True:
        raise ParameterError(f"the index {i} must be an integer: Symbol('{i}', integer=True) "
                             f"or Idx('{i}')")
    for end in (a, b):
        if end.is_integer is not True:
            advice = (f"declare {end} integer=True" if end.free_symbols else
                      f"{end} is not an integer")
            raise ParameterError(
                f"the index range ({a}, {b}) of independent({X}, ...) is not integer: {advice}")
        if i in end.free_symbols:
            raise ParameterError(f"the index range ({a}, {b}) must not involve the index {i}")
    size = sp.expand(b - a + 1)
    if size.is_positive is not True:
        if size.is_nonpositive:
            raise ParameterError(f"the index range {i} = {a} .. {b} is empty")
        raise ParameterError(
            f"cannot tell that the index range {i} = {a} .. {b} is non-empty; declare the "
            "bounds so that it is (e.g. a = 1 and b a positive integer symbol)")
    dist = X.pspace
    inner = [r for r in random_symbols(getattr(dist, "distribution", dist)) if r != X]
    if inner:
        raise UnsupportedError(
            f"the parameters of {X} are random ({', '.join(map(str, inner))}): products of "
            "dependent variables are not supported")
    law = getattr(dist, "distribution", None)
    law = law if law is not None else dist
    rest = law.xreplace({ix: sp.Dummy() for ix in indexed_parameters(law, i)})
    if i in rest.free_symbols:
        raise ParameterError(
            f"a parameter of {X} depends on the index {i} other than through an Indexed "
            f"object; write it as IndexedBase('name', ...)[{i}]")
    return IndependentProduct(sp.Symbol(X.name if hasattr(X, "name") else str(X)),
                              IndependentPSpace(X, (i, a, b)))
