"""Small helpers for building random variables that ``sympy.stats`` lacks."""
from __future__ import annotations

import sympy as sp
from sympy.stats import FiniteRV

__all__ = ["Categorical"]


def Categorical(name, probs):
    """A categorical random variable on ``{0, 1, ..., n-1}``.

    ``probs`` is a sequence of probabilities (symbols allowed), or an integer
    ``n``: then ``p1, ..., p(n-1)`` are positive symbols and the last
    probability is ``1 - p1 - ... - p(n-1)``.

    >>> from symxent import Categorical, entropy
    >>> entropy(Categorical('C', [sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 4)]))
    log(2*sqrt(2))
    """
    if isinstance(probs, int):
        if probs < 2:
            raise ValueError("a categorical distribution needs at least 2 categories")
        ps = list(sp.symbols(f"p1:{probs}", positive=True))
        probs = ps + [1 - sp.Add(*ps)]
    probs = [sp.sympify(p) for p in probs]
    return FiniteRV(name, {i: p for i, p in enumerate(probs)})
