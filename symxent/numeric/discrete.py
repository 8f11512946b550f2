"""Sums for discrete and finite laws, for :mod:`symxent.numeric.core`.

Finite tables and bounded supports are summed exactly term by term
(``mpmath.fsum``); infinite supports term by term with a ratio-test bound on
the tail (:func:`series`).  ``0 log 0`` is 0; mass of P where q = 0 gives +oo.
Call inside ``mpmath.workdps``.

Why not ``mpmath.nsum``: it extrapolates (Richardson/Shanks/Euler-Maclaurin)
and returns no error bound; for these series (terms ``p_k log p_k`` that decay
at least geometrically) plain summation with a ratio-test tail bound is exact
up to rounding and gives an honest bound, and it never accelerates a divergent
series into a finite number.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from symxent import budget as _budget
from symxent.errors import ParameterError
from symxent.numeric.mpcompile import NumericError, compile_mp, log_form, real_part

__all__ = ["discrete", "series", "int_bounds", "MAX_TERMS"]

_INF = mpmath.inf
MAX_TERMS = 200000


def _atoms(d, point):
    """Finite atoms {k: prob} or (pmf(k) expression, var, support) of a discrete Dist."""
    if d.kind == "finite":
        return {sp.sympify(k).xreplace(point): sp.sympify(p).xreplace(point)
                for k, p in d.values.items()}
    return d.pdf.xreplace(point), d.var, d.support.xreplace(point)


def _in_support(k, support):
    try:
        r = support.contains(k)
    except (TypeError, ValueError, NotImplementedError):  # undecidable membership
        return False
    return r is sp.true


def _pmf_log(atoms):
    """log-probability function k -> mpf of a finite table or a pmf on a support."""
    if isinstance(atoms, dict):
        table = {}
        for k, p in atoms.items():
            pv = real_part(compile_mp(p, ())(), "probability")
            if pv < 0:
                raise ParameterError(f"negative probability {p} at {k}")
            table[k] = mpmath.log(pv) if pv > 0 else -_INF
        return lambda k: table.get(k, -_INF)
    pmf, var, sup = atoms
    if any(var in lim.free_symbols for s in pmf.atoms(sp.Sum) for lim in s.limits[0][1:]):
        return _pmf_log_termwise(pmf, var, sup)
    lo = int_bounds(sup)[0]
    first = sp.Integer(lo if lo is not None else 0)
    f = compile_mp(log_form(pmf, var, [first, first + 1, first + 3]), (var,))

    def lp(k):
        if not _in_support(k, sup):
            return -_INF
        r = real_part(f(mpmath.mpf(int(k))), "log-probability")
        return r
    return lp


def _pmf_log_termwise(pmf, var, sup):
    """log-probability of a pmf holding a finite inner sum whose range depends on k
    (Hermite: a sum over j up to floor(k/2)).  Compiled with k as a variable, the
    range would be taken of an mpf.  Here ``pmf = c(k) * Sum(g(j, k), (j, lo(k),
    hi(k)))``: c and g are compiled once and called with mpf arguments (so that
    ``3**(2*j - 5)`` is never a Python float), the limits are exact integers;
    any other shape is summed exactly term by term."""
    sums = pmf.atoms(sp.Sum)
    fast = None
    if len(sums) == 1:
        (S,) = sums
        c = sp.cancel(pmf / S)
        if not c.has(sp.Sum) and len(S.limits) == 1:
            (j, lo, hi), = S.limits
            fast = (compile_mp(c, (var,)), compile_mp(S.function, (j, var)), j, lo, hi,
                    _term_ratio(S.function, j, var))

    def lp(k):
        if not _in_support(k, sup):
            return -_INF
        k = sp.Integer(k)
        if fast is not None:
            fc, fg, j, lo, hi, ratio = fast
            a, b = int(lo.xreplace({var: k})), int(hi.xreplace({var: k}))
            km = mpmath.mpf(int(k))
            if ratio is None or b - a < 8:
                inner = mpmath.fsum(real_part(fg(mpmath.mpf(i), km), "probability")
                                    for i in range(a, b + 1))
            else:
                inner = _by_ratio(fg, ratio, a, b, km)
            v = real_part(fc(km), "probability") * inner
        else:
            e = pmf.xreplace({var: k})
            e = e.replace(lambda t: isinstance(t, sp.Sum), _expand_sum)
            e = sp.sympify(e).evalf(mpmath.mp.dps + 10)
            if not e.is_Float:
                raise NumericError(f"the mass at {var} = {k} is not a real number: {e}")
            v = mpmath.mpf(e._mpf_)
        if v < 0:
            raise ParameterError(f"negative probability {v} at {var} = {k}")
        return mpmath.log(v) if v > 0 else -_INF
    return lp


def _term_ratio(g, j, k):
    """g(j + 1, k) / g(j, k) compiled in (j, k) when it is a rational function of j
    (a hypergeometric term: Hermite's a**(k - 2j) b**j / (j! (k - 2j)!)), else None."""
    try:
        r = sp.hypersimp(g, j)
    except (ValueError, TypeError, NotImplementedError, sp.PolynomialError):
        return None
    if r is None or r.has(sp.gamma, sp.factorial, sp.binomial, sp.RisingFactorial):
        return None
    return compile_mp(r, (j, k))


def _by_ratio(fg, ratio, a, b, km):
    """sum_{i=a}^{b} g(i, k) from g(a, k) and the term ratio: each term costs a few
    products instead of powers and factorials (a Hermite mass at k = 1500 has 750
    terms; a series over k of such masses was O(k**2) powers).  The terms are
    compared with directly computed ones at both ends; a mismatch (a ratio with a
    pole, a sign change lost) falls back on the direct sum."""
    t = real_part(fg(mpmath.mpf(a), km), "probability")
    terms = [t]
    for i in range(a, b):
        t = t * real_part(ratio(mpmath.mpf(i), km), "probability")
        terms.append(t)
    last = real_part(fg(mpmath.mpf(b), km), "probability")
    if abs(terms[-1] - last) > abs(last) * mpmath.mpf(2) ** (-mpmath.mp.prec + 20):
        return mpmath.fsum(real_part(fg(mpmath.mpf(i), km), "probability")
                           for i in range(a, b + 1))
    return mpmath.fsum(terms)


def _expand_sum(t):
    """A finite Sum with integer limits as the Add of its terms (exact)."""
    (j, lo, hi), = t.limits
    return sp.Add(*[t.function.xreplace({j: sp.Integer(i)}) for i in range(int(lo), int(hi) + 1)])


def discrete(kind, dp, dq, point, wdps):
    P = _atoms(dp, point)
    lp = _pmf_log(P)
    lq = _pmf_log(_atoms(dq, point)) if dq is not None else None

    def term(k):
        a = lp(k)
        if a == -_INF:
            return mpmath.mpf(0)          # 0 log 0 = 0
        if kind == "entropy":
            return -mpmath.exp(a) * a
        b = lq(k)
        if b == -_INF:
            return _INF                    # P puts mass where q = 0
        return mpmath.exp(a) * ((a - b) if kind == "kl" else -b)

    eps = mpmath.mpf(10) ** (-wdps + 2)
    if isinstance(P, dict):
        terms = [term(k) for k in P]
        if _INF in terms:
            return _INF, mpmath.mpf(0)
        return mpmath.fsum(terms), eps * (1 + mpmath.fsum(abs(t) for t in terms))
    lo, hi = int_bounds(P[2])
    if hi is not None and lo is not None and hi - lo < MAX_TERMS:
        terms = [term(sp.Integer(k)) for k in range(lo, hi + 1)]
        if _INF in terms:
            return _INF, mpmath.mpf(0)
        return mpmath.fsum(terms), eps * (1 + mpmath.fsum(abs(t) for t in terms))
    total, err = mpmath.mpf(0), mpmath.mpf(0)
    for start, step in _directions(lo, hi):
        s, e = series(term, start, step, eps)
        if mpmath.isinf(s):
            return s, mpmath.mpf(0)
        total, err = total + s, err + e
    return total, err


def int_bounds(sup):
    from symxent.laws.support import support_bounds
    lo, hi = support_bounds(sup)
    lo = None if lo.is_infinite else int(lo)
    hi = None if hi.is_infinite else int(hi)
    return lo, hi


def _directions(lo, hi):
    if lo is not None:
        return [(lo, 1)]
    if hi is not None:
        return [(hi, -1)]
    return [(0, 1), (-1, -1)]


def series(term, start, step, eps):
    """Sum term(k), k = start, start + step, ..., with a ratio-test tail bound."""
    terms, small, k = [], 0, start
    s = mpmath.mpf(0)
    while len(terms) < MAX_TERMS:
        if not len(terms) % 256:
            _budget.check()
        t = term(sp.Integer(k))
        if mpmath.isinf(t):
            return t, mpmath.mpf(0)
        terms.append(t)
        s += t
        k += step
        small = small + 1 if abs(t) <= eps * (abs(s) + eps) else 0
        if small >= 20:
            ratios = [abs(terms[-i] / terms[-i - 1]) for i in range(1, 10) if terms[-i - 1]]
            rho = max(ratios, default=mpmath.mpf(0))
            if rho < 1:
                tail = abs(terms[-1]) * rho / (1 - rho)
                return mpmath.fsum(terms), tail + eps * (1 + abs(s))
    raise NumericError(
        f"the series does not converge fast enough to sum numerically "
        f"({len(terms)} terms, last term {mpmath.nstr(terms[-1], 5)}); "
        f"it may diverge or the parameters are too extreme")
