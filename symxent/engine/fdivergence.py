"""f-divergences ``D_f(P||Q) = int q f(p/q)`` term by term.

``f`` (a SymPy ``Lambda``) is checked: ``f(1) = 0`` and convex on ``t > 0``
(``f'' >= 0``: symbolically, else at sample points; a demonstrated negative
value is an error).  The closed form is assembled from the terms of ``f(t)``
(Csiszar 1967; Liese & Vajda 2006, Sec. II): ``t**s -> M_s = int p**s q**(1-s)``
(:mod:`symxent.engine.mellin`), ``t log t -> D_KL(P||Q)``, ``log t -> -D_KL(Q||P)``,
``t`` and constants ``-> 1`` (``int p = int q = 1``), on laws with equal supports.
Any other term raises :class:`NoClosedForm` (the caller returns the
unevaluated object).
"""
from __future__ import annotations

import sympy as sp

from symxent.engine.core import NoClosedForm, compute
from symxent.engine.mellin import mellin
from symxent.errors import ParameterError, UnsupportedError
from symxent.laws.support import describe, support_contains

__all__ = ["check_f", "f_value"]


def _supports_equal(P, Q, facts):
    dp, dq = describe(P), describe(Q)
    return (support_contains(dp.support, dq.support, facts) is sp.true and
            support_contains(dq.support, dp.support, facts) is sp.true)


def check_f(f):
    """``f`` must be a one-variable SymPy Lambda, ``f(1) = 0``, convex on ``t > 0``."""
    if isinstance(f, str) or not isinstance(f, sp.Lambda) or len(f.variables) != 1:
        raise UnsupportedError(f"f must be a SymPy Lambda of one variable, got {f!r}")
    t = sp.Dummy("t", positive=True)
    g = f(t)
    at1 = sp.simplify(g.subs(t, 1))
    if at1 != 0:
        raise ParameterError(f"f is not normalised: f(1) = {at1}, it must be 0 "
                             "(use f(t) - f(1))")
    d2 = sp.simplify(sp.diff(g, t, 2))
    if d2.is_negative:
        raise ParameterError(f"f is not convex: f''(t) = {d2} < 0")
    if d2.is_nonnegative is not True and not d2.free_symbols - {t}:
        for v in (sp.Rational(1, 1000), sp.Rational(1, 10), sp.Rational(1, 2), sp.Rational(3, 2),
                  2, 10, 1000):
            val = d2.subs(t, v).evalf(30)
            if val.is_number and (val < 0) is sp.true:
                raise ParameterError(f"f is not convex: f''({v}) = {val.evalf(6)} < 0")
    return f


def f_value(P, Q, f, facts):
    """``int q f(p/q)`` term by term: ``t**s -> M_s``, ``t log t -> D_KL(P||Q)``,
    ``log t -> -D_KL(Q||P)``, ``t -> 1``, constants (``int q = 1``), on equal supports."""
    if not _supports_equal(P, Q, facts):
        raise NoClosedForm("f-divergence between laws with different supports")
    t = sp.Dummy("t", positive=True)
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(f(t))):
        c, g = term.as_independent(t, as_Add=False)
        if g == 1:
            v = sp.S.One
        elif g == t:
            v = sp.S.One
        elif g == t * sp.log(t):
            v = compute("kl", P, Q)
        elif g == sp.log(t):
            v = -compute("kl", Q, P)
        elif g.is_Pow and g.base == t and not g.exp.has(t):
            v = mellin(P, Q, g.exp)
        else:
            raise NoClosedForm(f"no rule for the term {term} of f")
        total += c * v
    return sp.piecewise_fold(total)
