r"""Additivity over independent factors, and representative factors.

*Products.*  For ``P = prod_i P_i`` and ``Q = prod_i Q_i`` over the same
index range, ``log p = sum_i log p_i(x_i)`` and each ``x_i`` has law ``P_i``
under P, so by linearity of expectation

.. math::  S(P) = \sum_i S(P_i), \quad H(P, Q) = \sum_i H(P_i, Q_i), \quad
           D_{KL}(P \| Q) = \sum_i D_{KL}(P_i \| Q_i)

(Cover & Thomas, *Elements of Information Theory*, 2nd ed., eq. 2.67 and
Thm. 2.5.3).  The per-factor quantity comes from the engine, once, on a
*representative factor*: every ``Indexed`` parameter ``sigma[i]`` is replaced
by a fresh symbol with the assumptions of its ``IndexedBase``, the engine
derives the closed form, and the symbols are mapped back.  With symbolic
bounds the result is ``Sum(term, (i, a, b))``; with numeric bounds the sum is
written out; a term free of ``i`` is multiplied by the number of factors.

*Representatives for large numbers.*  A Binomial (NegativeBinomial) with a
large numeric ``n`` (``r``) is handled with ``n`` replaced by a positive integer symbol and put back in the
closed form: the exponential-family path then costs the same for every ``n``,
and ``E[log C(n, k)]`` stays an exact residual ``Sum`` (like the Poisson
entropy's ``E[log k!]``) instead of ``n + 1`` explicit terms.
"""
from __future__ import annotations

import sympy as sp

from symxent.errors import MissingAssumptionError, ParameterError, UnsupportedError
from symxent.laws.independent import IndependentProduct, indexed_parameters
from symxent.laws.support import LARGE_COUNT

__all__ = ["product", "large_count", "is_large_count", "LARGE_COUNT", "fresh_like",
           "is_many_atoms", "many_atoms"]

# a finite law with at least this many atoms is summed atom by atom, each log kept whole
MANY_ATOMS = 6


_ASSUMPTIONS = ("integer", "positive", "nonnegative", "negative", "nonpositive", "real")

_NAME = {"entropy": "S", "cross_entropy": "H", "kl": "D_KL"}
_WHY = {"entropy": "the entropy of independent factors is the sum of their entropies",
        "cross_entropy": "the cross-entropy of independent products is the sum over factors",
        "kl": "D_KL of independent products is the sum of the factors' D_KL"}


def fresh_like(e, name=None):
    """A fresh symbol with the sign/integer assumptions that ``e`` is known to have."""
    assumptions = {}
    for a in _ASSUMPTIONS:
        if getattr(e, f"is_{a}") is True:
            assumptions[a] = True
    return sp.Dummy(name or str(e), **assumptions)


# ------------------------------------------------------------------ products

def _ranges_match(p, q):
    if q is None:
        return True
    d = [sp.simplify(u - v) for u, v in ((p.lower, q.lower), (p.upper, q.upper))]
    return all(x == 0 for x in d)


def product(kind, p, q, tr, compute):
    """S, H or D_KL of independent products as a sum of per-factor quantities."""
    if q is not None and not (isinstance(p, IndependentProduct)
                              and isinstance(q, IndependentProduct)):
        other = q if isinstance(p, IndependentProduct) else p
        raise UnsupportedError(
            f"cannot compare a product of independent variables with {other}: write both "
            "as independent(..., (i, a, b)) over the same range")
    if not _ranges_match(p, q):
        raise UnsupportedError(
            f"the products {p} and {q} run over different index ranges "
            f"({p.lower}..{p.upper} and {q.lower}..{q.upper})")
    i, a, b = p.limits
    factors = [p.factor]
    if q is not None:
        factors.append(q.factor.xreplace({q.index: i}) if q.index != i else q.factor)
    law = [f.pspace for f in factors]
    indexed = sorted({ix for d in law for ix in indexed_parameters(d, i)},
                     key=sp.default_sort_key)
    reps = {ix: fresh_like(ix, str(ix).replace("[", "_").replace("]", "")) for ix in indexed}
    back = {v: k for k, v in reps.items()}
    rep = [f.xreplace(reps) for f in factors]
    for f in rep:
        if i in f.pspace.free_symbols:
            raise ParameterError(
                f"a parameter of {f} depends on the index {i} other than through an "
                "Indexed object")
    sub = _sub_trace(tr)
    try:
        value = compute(kind, rep[0], rep[1] if q is not None else None, sub)
    except MissingAssumptionError as e:
        msg = str(e)
        for d, ix in back.items():
            msg = msg.replace(f"Symbol('{d}'", f"IndexedBase('{ix.base}'").replace(str(d),
                                                                               str(ix))
        raise MissingAssumptionError(
            f"{msg} (for an Indexed parameter, declare the IndexedBase with it, e.g. "
            "IndexedBase('sigma', positive=True))") from None
    from symxent.engine.canonical import canonical
    term = _tidy(canonical(value).xreplace(back))
    total = _sum(term, i, a, b)
    _lift_steps(tr, sub, i, a, b, back, kind, rep)  # none without a trace (sub is empty)
    tr.step(total, lambda: "sum over the factors" if total.has(sp.Sum) else
            "sum over the factors, written out")
    return total


def _tidy(term):
    """One factor's closed form over one denominator when that is short (Normal KL:
    ``(mu**2 + sigma**2 - 2*log(sigma) - 1)/2``)."""
    if term.has(sp.Piecewise) or not isinstance(term, sp.Add):
        return term
    t = sp.together(term)
    return t if sp.fraction(t)[1].is_number else term


def _sum(term, i, a, b):
    if not term.has(i):
        return sp.expand_mul((b - a + 1) * term) if (b - a).is_number else (b - a + 1) * term
    s = sp.Sum(term, (i, a, b))
    if a.is_number and b.is_number:
        from symxent.engine.canonical import mark_canonical
        return mark_canonical(s.doit())  # written out, one term per factor: O(b - a)
    return s


def _sub_trace(tr):
    return tr.fork()


def _lift_steps(tr, sub, i, a, b, back, kind, rep):
    """The factor's steps as steps on the sum: first the additivity step."""
    first = True
    names = sorted(((str(d), str(ix)) for d, ix in back.items()), key=lambda t: -len(t[0]))
    for rel, expr, why in sub:
        for d, ix in names:
            why = why.replace(d, ix)
        if expr in (sp.oo, -sp.oo):
            tr.step(expr, why, rel)
            continue
        lifted = sp.Sum(sp.sympify(expr).xreplace(back), (i, a, b))
        if first:
            tr.step(lifted, f"{_WHY[kind]} (log of a product density = sum of the logs; "
                            f"linearity of expectation); for each factor: {why}", rel)
            first = False
        else:
            tr.step(lifted, f"for each factor: {why}", rel)


# ------------------------------------------------------------------ large numbers

_COUNTS = {"BinomialDistribution": {"integer": True, "positive": True},
           "NegativeBinomialDistribution": {"positive": True}}


def _numeric_count(rv):
    """The numeric first parameter (``n``, ``r``) of a Binomial or NegativeBinomial above
    :data:`LARGE_COUNT`, else None."""
    dist = getattr(rv.pspace, "distribution", None)
    if type(dist).__name__ not in _COUNTS:
        return None
    n = dist.args[0]
    return n if n.is_Integer and n > LARGE_COUNT else None


def _same_count(p, q):
    """Two laws of one family with the same numeric count: H and D_KL cost nothing in n
    through the symbolic n (the log C(n, k) terms cancel or stay one residual sum)."""
    if q is None:
        return False
    dp, dq = (getattr(r.pspace, "distribution", None) for r in (p, q))
    return (type(dp).__name__ in _COUNTS and type(dp) is type(dq)
            and dp.args[0].is_Integer and dp.args[0] == dq.args[0] and dp.args[0] > 1
            and any(a.free_symbols for d in (dp, dq) for a in d.args[1:]))


def is_large_count(p, q=None):
    return _same_count(p, q) or any(_numeric_count(r) is not None for r in (p, q)
                                     if r is not None)


def large_count(kind, p, q, tr, compute):
    """Derive with each large numeric ``n`` replaced by a positive integer symbol."""
    counts = {}
    rep = []
    for rv in (p, q):
        if rv is None:
            rep.append(None)
            continue
        n = _numeric_count(rv) or (rv.pspace.distribution.args[0] if _same_count(p, q)
                                   else None)
        if n is None:
            rep.append(rv)
            continue
        dist = rv.pspace.distribution
        key = (n, type(dist).__name__)
        N = counts.setdefault(key, sp.Dummy("n", **_COUNTS[key[1]]))
        rep.append(type(rv.pspace)(rv.symbol, dist.func(N, *dist.args[1:])).value)
    back = {v: k[0] for k, v in counts.items()}
    sub = _sub_trace(tr)
    value = compute(kind, rep[0], rep[1], sub)
    for rel, expr, why in sub:  # none without a trace
        tr.step(sp.sympify(expr).xreplace(back), why, rel)
    out = sp.sympify(value).xreplace(back)
    tr.step(out, lambda: f"with n = {', '.join(map(str, back.values()))} put back "
                         "(the derivation holds for every positive integer n)")
    return out


# ------------------------------------------------------------------ many atoms

def _atoms(rv):
    if rv is None or type(rv.pspace).__name__ != "SingleFinitePSpace":
        return None
    d = getattr(rv.pspace.distribution, "dict", None)
    try:
        return dict(d) if d is not None else None
    except TypeError:
        return None


def is_many_atoms(p, q=None):
    """Finite laws (Categorical of many categories): O(k) atom by atom."""
    a = _atoms(p)
    return a is not None and len(a) >= MANY_ATOMS and (q is None or _atoms(q) is not None)


def many_atoms(kind, p, q, tr):
    """S, H or D_KL of finite laws as the sum over the atoms (0 log 0 = 0), each
    ``log`` expanded only where SymPy's assumptions make that an identity: linear in
    the number of atoms (the general path expands every log against the domain facts)."""
    from symxent.engine.validation import check_density
    from symxent.laws.domain import validate
    from symxent.laws.support import describe
    for rv in (p, q):
        if rv is not None:
            validate(rv)
            check_density(describe(rv))
    P = _atoms(p)
    Q = _atoms(q) if q is not None else P
    terms = []
    for v, pv in P.items():
        pv = sp.sympify(pv)
        if pv == 0:
            continue
        qv = sp.sympify(Q.get(v, 0))
        if qv == 0:
            tr.step(sp.oo, f"P({v}) > 0 where Q({v}) = 0")
            return sp.oo
        lp, lq = sp.expand_log(sp.log(pv)), sp.expand_log(sp.log(qv))
        terms.append({"entropy": -pv * lp, "cross_entropy": -pv * lq,
                      "kl": pv * (lp - lq)}[kind])
    total = sp.Add(*terms)
    tr.step(total, "sum over the finitely many atoms (0 log 0 = 0)")
    from symxent.engine.canonical import mark_canonical
    return mark_canonical(total)
