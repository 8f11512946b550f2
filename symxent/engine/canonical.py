"""Canonical, textbook-shaped forms of closed-form results.

Every transformation here is an identity under the symbols' assumptions:

* logarithms of positive quantities are combined into one logarithm of a
  ratio, ``log(sigma2) - log(sigma1) -> log(sigma2/sigma1)`` (SymPy's
  ``logcombine``, which only combines when the arguments are positive);
* the rational part is put over one denominator, keeping the pure-number
  constant apart: ``(sigma1**2 + (mu1 - mu2)**2)/(2*sigma2**2) - 1/2``;
* a polynomial in two real locations that depends only on their difference
  is written in that difference, ``mu1**2 - 2*mu1*mu2 + mu2**2 -> (mu1 - mu2)**2``;
* a ``Piecewise`` over ``u <= v`` / otherwise whose branches are mirror
  images is written with ``Abs(u - v)``.
"""
from __future__ import annotations

import itertools

import sympy as sp

from symxent.laws.support import linear_roots

__all__ = ["canonical", "mark_canonical"]

_FINAL = {}  # results a rule already wrote in their textbook shape (per-coordinate sums)


def mark_canonical(expr):
    """Declare ``expr`` canonical: :func:`canonical` returns it unchanged (keeps the
    per-coordinate sums of :mod:`symxent.engine.multivariate` linear in size)."""
    if len(_FINAL) > 4096:
        _FINAL.clear()
    _FINAL[expr] = True
    return expr


def canonical(expr):
    """The textbook shape of ``expr`` (mathematically the same expression)."""
    if not isinstance(expr, sp.Basic) or expr.is_Number or expr in (sp.oo, -sp.oo):
        return expr
    if expr in _FINAL:
        return expr
    if expr.has(sp.Piecewise) and not isinstance(expr, sp.Piecewise):
        expr = sp.piecewise_fold(expr)
    if isinstance(expr, sp.Piecewise):
        expr = _flatten(expr)
        branches = [(canonical(e), _tighten(c)) for e, c in expr.args]
        merged = _merge_abs(branches)
        return merged if merged is not None else sp.Piecewise(*branches)
    if expr.has(sp.Sum, sp.Integral, sp.Piecewise):
        return expr
    e = sp.expand_mul(expr)
    lg = sorted(e.atoms(sp.log), key=sp.default_sort_key)
    if lg:
        with_log = sp.Add(*[t for t in sp.Add.make_args(e) if t.has(sp.log)])
        without = sp.Add(*[t for t in sp.Add.make_args(e) if not t.has(sp.log)])
        e = sp.expand_mul(sp.collect(with_log, lg, func=sp.cancel)) + without
    logpart, e = _group_logs(e)
    logs, rational, other, const = [logpart], [], [], []
    for t in sp.Add.make_args(e):
        if t.is_number and not t.has(sp.log):
            const.append(t)
        elif t.is_rational_function(*t.free_symbols) and not t.has(sp.log):
            rational.append(t)
        else:
            other.append(t)
    out = list(logs)
    if rational:
        out.append(_rational(sp.Add(*rational)))
    out.extend(_collect_other(other))
    out.extend(const)
    return sp.Add(*out)


def _flatten(pw):
    """Piecewise whose branches are Piecewise -> one level, conditions conjoined."""
    out = []
    for e, c in pw.args:
        if isinstance(e, sp.Piecewise):
            for e2, c2 in e.args:
                out.append((e2, sp.And(c, c2)))
        else:
            out.append((e, c))
    # drop branches made impossible by earlier ones, keep order
    res = sp.Piecewise(*out)
    return res if isinstance(res, sp.Piecewise) else res


def _tighten(cond):
    """``(a > 1) & (a > 2) -> a > 2``: of several numeric bounds on one symbol in a
    conjunction, keep the tightest lower and the tightest upper one."""
    if not isinstance(cond, sp.And):
        return cond
    best, rest = {}, []
    for c in cond.args:
        if isinstance(c, (sp.Gt, sp.Ge, sp.Lt, sp.Le)) and c.lhs.is_Symbol and c.rhs.is_number \
                and c.rhs.is_real:
            lower = isinstance(c, (sp.Gt, sp.Ge))
            key = (c.lhs, lower)
            old = best.get(key)
            # tighter: larger lower bound (strict wins a tie), smaller upper bound
            if old is None or (c.rhs > old.rhs if lower else c.rhs < old.rhs) or (
                    c.rhs == old.rhs and isinstance(c, (sp.Gt, sp.Lt))):
                best[key] = c
        else:
            rest.append(c)
    return sp.And(*rest, *best.values())


def _group_logs(e):
    """sum c_i log(a_i) -> c log(a_1 / a_2 ...) for logs sharing a coefficient up to sign.

    Only logarithms produced from densities reach here, so their arguments are
    positive on the parameters' domain and log(a) - log(b) = log(a/b).
    """
    terms = sp.Add.make_args(e)
    coeff, rest = {}, []
    for t in terms:
        c, f = t.as_independent(sp.log, as_Add=False) if t.has(sp.log) else (t, sp.S.One)
        if isinstance(f, sp.log) and not c.has(sp.log):
            coeff[f] = coeff.get(f, 0) + c
        else:
            rest.append(t)
    groups = {}
    for f, c in coeff.items():
        c = sp.factor(c)
        if c == 0:
            continue
        neg = c.could_extract_minus_sign()
        key = -c if neg else c
        groups.setdefault(key, []).append((f.args[0], -1 if neg else 1))
    out, rational = [], []
    for key, args in groups.items():
        if key.is_Rational:
            rational += [s * key * sp.log(a) for a, s in args]
            continue
        num = sp.Mul(*[a for a, s in args if s > 0])
        den = sp.Mul(*[a for a, s in args if s < 0])
        if num == 1 and den != 1:
            out.append(-key * sp.log(den))
        else:
            out.append(key * sp.log(num / den))
    if rational:
        out.append(sp.logcombine(sp.Add(*rational), force=False))
    return sp.Add(*out), sp.Add(*rest)


def _rational(r):
    r = sp.cancel(sp.together(r))
    num, den = sp.fraction(r)
    num = _differences(sp.expand(num))
    return num / sp.factor(den)


def _differences(poly):
    """Rewrite a polynomial that depends only on ``m1 - m2`` in that difference."""
    reals = sorted((s for s in poly.free_symbols if s.is_real and not s.is_positive), key=str)
    back = {}
    for m1, m2 in itertools.combinations(reals, 2):
        if m1 not in poly.free_symbols or m2 not in poly.free_symbols:
            continue
        d = sp.Dummy("d")
        shifted = sp.expand(poly.subs(m1, m2 + d))
        if not shifted.has(m2):
            poly, back[d] = shifted, m1 - m2
    if back:
        return sp.factor(poly).subs(back)
    return sp.factor(poly) if poly.is_polynomial() else poly


def _collect_other(terms):
    if not terms:
        return []
    s = sp.powsimp(sp.Add(*terms), combine="exp")
    s = s.replace(lambda a: isinstance(a, sp.exp), lambda a: sp.exp(_differences(
        sp.factor(a.args[0]) if a.args[0].is_rational_function() else a.args[0])))
    fs = sorted(s.atoms(sp.polygamma), key=sp.default_sort_key)
    if not fs:
        return [s]
    return [sp.collect(s, fs, evaluate=True, func=sp.factor)]


def _merge_abs(branches):
    """``Piecewise((A, u <= v), (B, True))`` with B = A mirrored -> A in ``Abs(v - u)``."""
    if len(branches) != 2 or branches[1][1] is not sp.true:
        return None
    (a, cond), (b, _) = branches
    if any(e.has(sp.Sum, sp.Integral, sp.oo, -sp.oo, sp.zoo) for e in (a, b)):
        return None  # not mirror images (and evaluating a series here would be slow)
    if not isinstance(cond, (sp.Le, sp.Lt, sp.Ge, sp.Gt)):
        return None
    u, v = (cond.lhs, cond.rhs) if isinstance(cond, (sp.Le, sp.Lt)) else (cond.rhs, cond.lhs)
    syms = [s for s in (v - u).free_symbols if s.is_real]
    if not syms:
        return None
    s = syms[0]
    t = sp.Dummy("t", positive=True)
    sol = linear_roots(v - u - t, s)
    if len(sol) != 1:
        return None
    at = a.subs(s, sol[0])
    bt = b.subs(s, linear_roots(v - u + t, s)[0])
    if _clearly_nonzero(at - bt):
        return None
    if sp.expand(sp.powsimp(sp.expand(at - bt))) != 0 and sp.simplify(at - bt) != 0:
        return None
    return canonical(at.subs(t, sp.Abs(v - u)))


def _clearly_nonzero(d):
    """A quick numeric look before ``simplify``: True when ``d`` is far from 0 at a
    point (only ever used to *skip* a merge, never to make one)."""
    point = {sym: sp.Rational(7 + 3 * i, 5 + 2 * i) for i, sym in
             enumerate(sorted(d.free_symbols, key=str))}
    try:
        val = complex(d.xreplace(point).evalf(20))
    except (TypeError, ValueError):
        return False
    return abs(val) > 1e-8
