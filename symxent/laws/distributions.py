"""Small helpers for building random variables that ``sympy.stats`` lacks."""
from __future__ import annotations

import sympy as sp
from sympy.stats import FiniteRV

from symxent.errors import ParameterError, strict_sympify

__all__ = ["Categorical"]


def Categorical(name, probs, prefix=None):
    """A categorical random variable on ``{0, 1, ..., n-1}``.

    ``probs`` is a sequence of probabilities (symbols allowed), or an integer
    ``n``: then ``p1_<name>, ..., p(n-1)_<name>`` are positive symbols named after
    the variable (so that two categoricals are independent by default; pass
    ``prefix`` to choose another stem) and the last probability is one minus
    their sum.

    >>> from symxent import Categorical, entropy
    >>> entropy(Categorical('C', [sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 4)]))
    log(2*sqrt(2))
    """
    if isinstance(probs, int):
        if probs < 2:
            raise ParameterError(f"Categorical({name!r}, {probs}): a categorical distribution "
                                 f"needs at least 2 categories")
        stem = f"p{{}}_{name}" if prefix is None else f"{prefix}{{}}"
        ps = [sp.Symbol(stem.format(i), positive=True) for i in range(1, probs)]
        probs = ps + [1 - sp.Add(*ps)]
    if isinstance(probs, (str, bytes, bytearray)):
        strict_sympify(probs, "Categorical")  # raises: a string is never parsed
    probs = [strict_sympify(p, "Categorical") for p in probs]
    return FiniteRV(name, {i: p for i, p in enumerate(probs)})
