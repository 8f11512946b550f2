"""The divergence family as functions of ``M(alpha) = int p**alpha q**(1-alpha)``, and
f-divergences ``D_f(P||Q) = int q f(p/q)`` term by term.

:func:`value` turns ``M`` (:func:`symxent.engine.mellin.mellin`, a ``Piecewise``
with ``+oo`` where it diverges) into each measure's closed form branch by branch
(the definitions are in :mod:`symxent.divergences`); logarithms are split only
over factors known to be positive (:func:`safe_log`), so every step is an
identity on the parameters' domain.


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

from symxent.engine.canonical import canonical
from symxent.engine.core import NoClosedForm, compute
from symxent.engine.mellin import mellin
from symxent.errors import ParameterError, UnsupportedError
from symxent.laws.domain import facts as domain_facts
from symxent.laws.support import describe, known_positive, support_contains

__all__ = ["check_f", "f_value", "value", "canonical_branches", "safe_log", "mellin_real"]


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
            v = mellin_real(P, Q, g.exp)
        else:
            raise NoClosedForm(f"no rule for the term {term} of f")
        total += c * v
    return sp.piecewise_fold(total)


# ------------------------------------------------------------ the family from M

def _real(e):
    """Real wherever defined: real symbols, no imaginary unit."""
    return e.is_real or (not e.has(sp.I) and all(s.is_real for s in e.free_symbols))


def _positive_in(e, facts, depth=0):
    """Is ``e`` positive, by assumptions, the facts, or its factors?"""
    if e.is_positive or (isinstance(e, sp.exp) and _real(e.args[0])):
        return True
    if e.is_Pow and e.exp.is_real:
        return _positive_in(e.base, facts, depth)
    if isinstance(e, (sp.gamma, sp.beta)):  # Gamma and Beta are positive for positive arguments
        return all(_positive_in(x, facts, depth) for x in e.args)
    if isinstance(e, sp.Mul):
        return all(_positive_in(f, facts, depth) for f in e.args)
    if known_positive(e, facts) is sp.true:
        return True
    if depth == 0 and isinstance(e, sp.Add):
        n, d = sp.fraction(sp.together(e))
        return _positive_in(sp.expand(n), facts, 1) and _positive_in(d, facts, 1) or \
            _positive_in(sp.expand(-n), facts, 1) and _positive_in(-d, facts, 1)
    return False


def safe_log(m, facts=()):
    """``log m`` split into a sum of logarithms only over factors known positive."""
    m = sp.sympify(m)
    if isinstance(m, sp.exp) and _real(m.args[0]):
        return m.args[0]
    if m.is_Pow and m.exp.is_real and _positive_in(m.base, facts):
        return m.exp * safe_log(m.base, facts)
    if isinstance(m, sp.Mul):
        if all(_positive_in(f.base if f.is_Pow else f, facts) or
               (isinstance(f, sp.exp) and _real(f.args[0])) for f in m.args):
            return sp.Add(*[safe_log(f, facts) for f in m.args])
    return sp.log(m)


def _cond_facts(cond):
    from sympy.core.relational import Relational
    if isinstance(cond, sp.And):
        return tuple(c for c in cond.args if isinstance(c, Relational))
    return (cond,) if isinstance(cond, Relational) else ()


def _map_f(M, finite, infinite, facts=()):
    """Apply ``finite(m, facts)`` to each finite branch of ``M`` (``facts``: the domain
    relations and the branch's condition) and ``infinite(cond)`` to the ``+oo`` branches."""
    if M.has(sp.Piecewise) and not isinstance(M, sp.Piecewise):
        M = sp.piecewise_fold(M)
    if isinstance(M, sp.Piecewise):
        out = []
        for v, c in M.args:
            out.append((infinite(c) if v is sp.oo else
                        _map_f(v, finite, infinite, facts + _cond_facts(c)), c))
        return sp.Piecewise(*out)
    if M is sp.oo:
        return infinite(sp.true)
    return finite(M, facts)


def _renyi(M, a, facts):
    def fin(m, fs):
        if m == 0:
            return sp.oo
        return safe_log(m, fs) / (a - 1)
    return _map_f(M, fin, lambda c: sp.oo, facts)


def value(kind, rvs, order):
    """The measure ``kind`` (renyi, renyi_entropy, tsallis, bc, bd, hellinger, chi2, amari,
    f) of the laws ``rvs`` at ``order``, in nats, from ``M``: a ``Piecewise`` with ``+oo``
    (or the measure's limit) where ``M`` diverges, before :func:`canonical_branches`."""
    facts = domain_facts(*rvs)
    if order is not None and not isinstance(order, sp.Lambda) and order.free_symbols:
        facts = facts + (sp.Gt(order, 0),)

    def _map(M, fin, inf):
        return _map_f(M, fin, inf, facts)
    P = rvs[0]
    Q = rvs[1] if len(rvs) > 1 else None
    if kind == "renyi":
        return _renyi(_tidy(mellin(P, Q, order)), order, facts)
    if kind == "renyi_entropy":
        M = _tidy(mellin(P, None, order))
        return _map(M, lambda m, fs: safe_log(m, fs) / (1 - order),
                    lambda c: -sp.oo if order.is_number and order > 1 else sp.Piecewise(
                        (-sp.oo, order > 1), (sp.oo, True)))
    if kind == "tsallis":
        M = _tidy(mellin(P, None, order))
        return _map(M, lambda m, fs: (1 - m) / (order - 1),
                    lambda c: sp.Piecewise((-sp.oo, order > 1), (sp.oo, True))
                    if not order.is_number else (-sp.oo if order > 1 else sp.oo))
    if kind in ("bc", "bd", "hellinger"):
        M = _finite_bc(_tidy(mellin(P, Q, sp.S.Half)))
        if kind == "bc":
            return M
        if kind == "bd":
            return _map(M, lambda m, fs: sp.oo if m == 0 else -safe_log(m, fs),
                        lambda c: sp.oo)
        return _map(M, lambda m, fs: sp.sqrt(1 - m), lambda c: sp.nan)
    if kind == "chi2":
        M = _tidy(mellin(P, Q, sp.S(2)))
        return _map(M, lambda m, fs: m - 1, lambda c: sp.oo)
    if kind == "amari":
        M = _tidy(mellin_real(P, Q, order))
        return _map(M, lambda m, fs: (m - 1) / (order * (order - 1)), lambda c: sp.oo)
    if kind == "f":
        return f_value(P, Q, order, facts)
    raise UnsupportedError(f"unknown measure {kind}")


def mellin_real(P, Q, a):
    """``M_a(P, Q) = int p**a q**(1-a)`` for any real ``a`` (Amari orders, ``t**s`` terms
    of f).  :func:`mellin` assumes ``a > 0`` (where p = 0, ``p**a = 0``); for ``a <= 0``
    the definition is the same integral with the roles exchanged,
    ``M_a(P, Q) = M_(1-a)(Q, P)`` with ``1 - a >= 1`` -- ``+oo`` where Q has mass and P
    none.  A symbolic order of unknown sign gives both cases."""
    a = sp.sympify(a)
    if a.is_positive:
        return mellin(P, Q, a)
    if a.is_nonpositive:
        return mellin(Q, P, 1 - a)
    return sp.piecewise_fold(sp.Piecewise((mellin(P, Q, a), a > 0),
                                          (mellin(Q, P, 1 - a), True)))


def _finite_bc(M):
    """``M_1/2 = int sqrt(p q) <= 1`` (Cauchy-Schwarz): a ``+oo`` branch of it (a power
    series' convergence condition the engine could not prove, e.g. ``|sqrt((1 - p1)(1 - p2))|
    < 1`` for two Geometric laws) never holds on the domain, so it is dropped."""
    if not isinstance(M, sp.Piecewise):
        return M
    kept = [(v, c) for v, c in M.args if v is not sp.oo]
    if not kept:
        raise NoClosedForm("the Bhattacharyya coefficient's series was not summed")
    return kept[0][0] if len(kept) == 1 else sp.Piecewise(*kept[:-1], (kept[-1][0], True))


def _tidy(M):
    """A shorter equal form of M: powers gathered (an identity for positive bases)."""
    def tidy(e):
        if e in (sp.oo, sp.S.Zero) or e.has(sp.Piecewise):
            return e
        cand = sp.powsimp(sp.factor_terms(e))
        return cand if sp.count_ops(cand) <= sp.count_ops(e) else e
    if isinstance(M, sp.Piecewise):
        return sp.Piecewise(*[(tidy(v), c) for v, c in M.args])
    return tidy(M)


def canonical_branches(value):
    """:func:`canonical` on each branch (the conditions stay as derived; canonical's
    mirror-branch merging, which solves for break points, is not needed here)."""
    if isinstance(value, sp.Basic) and value.has(sp.Piecewise) and \
            not isinstance(value, sp.Piecewise):
        value = sp.piecewise_fold(value)
    try:
        if isinstance(value, sp.Piecewise):
            return sp.Piecewise(*[(canonical(v), c) for v, c in value.args])
        return canonical(value)
    except NotImplementedError:
        return value
