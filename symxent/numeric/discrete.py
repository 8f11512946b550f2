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
from symxent.numeric.mpcompile import (NumericError, compile_mp, deep_cancellation, log_form,
                                       real_part)

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
    smooth = _smooth_term(kind, dp, dq, point)
    total, err = mpmath.mpf(0), mpmath.mpf(0)
    for start, step in _directions(lo, hi):
        tail = None
        if smooth is not None:
            tail = lambda K, _st=step: em_tail(lambda t: smooth(_st * t), _st * K, eps)  # noqa: E731
        s, e = series(term, start, step, eps, tail)
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


def _smooth_term(kind, dp, dq, point):
    """The summand as a function of a real k (the mass functions' expressions are
    analytic in k: Zeta's k**-s/zeta(s), YuleSimon's rho B(k, rho + 1)), for the
    Euler-Maclaurin tail of a slowly decaying series; None where it has no such
    form (finite tables, inner sums, Piecewise)."""
    ds = [d for d in (dp, dq) if d is not None]
    if any(d.kind != "discrete" or d.pdf.has(sp.Sum, sp.Piecewise, sp.floor) for d in ds):
        return None
    x = sp.Dummy("x", positive=True)
    logs = []
    for d in ds:
        lo = int_bounds(d.support.xreplace(point))[0]
        first = sp.Integer(lo if lo is not None else 0)
        pmf = d.pdf.xreplace(point).xreplace({d.var: x})
        try:
            logs.append(compile_mp(log_form(pmf, x, [first + 1, first + 2, first + 5]), (x,)))
        except (NumericError, ParameterError, ValueError, TypeError, ZeroDivisionError):
            return None
    lp = logs[0]

    def f(t):
        a = real_part(lp(t))
        d = {"entropy": lambda: -a, "cross_entropy": lambda: -real_part(logs[1](t)),
             "kl": lambda: a - real_part(logs[1](t))}[kind]()
        return mpmath.exp(a) * d
    return f


def em_tail(g, K, eps):
    """(sum_{k >= K} g(k), error) by the Euler-Maclaurin formula (DLMF 2.10.1):
    int_K^oo g + g(K)/2 - sum_j B_2j/(2j)! g^(2j-1)(K).  For a tail like
    c k**-a (log k)**b the derivatives alternate in sign and the terms of the
    formula decrease and alternate; the remainder is then bounded by the first
    omitted term (Olver, "Asymptotics and Special Functions", Ch. 8, Sec. 2), here
    bounded by the last term used.  Terms that do not alternate and decrease
    raise NumericError: no value is guessed.  ``g`` must take real arguments."""
    with deep_cancellation():   # log p at x ~ 1e200 cancels ~200 digits (loggamma)
        return _em_tail(g, mpmath.mpf(K), eps)


def _em_tail(g, K, eps):
    # x = K e**u: a power-law tail becomes an exponentially decaying integrand h(u),
    # cut at U where it is far below eps (no quadrature node at an astronomically
    # large x, where YuleSimon's loggamma needs as many digits as x has); beyond U
    # the rest is bounded by |h(U)| / r for the decay rate r measured on [16, 64],
    # doubled (a logarithmic factor slows the decay a little)
    h = lambda u: g(K * mpmath.exp(u)) * K * mpmath.exp(u)  # noqa: E731
    h16, h64 = abs(h(16)), abs(h(64))
    if not (h16 and h64) or h64 >= h16:
        raise NumericError("the series' tail does not decay like a power: cannot bound it")
    r = (mpmath.log(h16) - mpmath.log(h64)) / 48
    U = 64 + 1.25 * (mpmath.log(h64) - mpmath.log(eps * (1 + abs(h64)) / 1000)) / r
    if U > 3000:
        raise NumericError(f"the series' tail decays too slowly (like k**-(1 + "
                           f"{mpmath.nstr(r, 3)})) to sum numerically")
    integral, qerr = mpmath.quad(h, [0, 1, 4, 16, 64, (64 + U) / 2, U], error=True)
    qerr += 2 * abs(h(U)) / r
    total = integral + g(K) / 2
    prev = None
    for j in range(1, 12):
        _budget.check()
        t = mpmath.bernoulli(2 * j) / mpmath.factorial(2 * j) * mpmath.diff(g, K, 2 * j - 1)
        if prev is not None and (abs(t) > abs(prev) or (t and prev and
                                                        mpmath.sign(t) == mpmath.sign(prev))):
            raise NumericError("the Euler-Maclaurin terms of the series' tail do not "
                               "alternate and decrease: cannot bound the tail")
        total -= t
        prev = t
        if abs(t) <= eps * (1 + abs(total)):
            break
    else:
        raise NumericError("the Euler-Maclaurin tail of the series does not converge")
    err = 2 * abs(prev) + 10 * abs(qerr)
    if not err <= abs(eps) ** mpmath.mpf(0.5) * (1 + abs(total)):
        raise NumericError("the Euler-Maclaurin tail of the series is not accurate enough")
    return total, err


SLOW_AFTER = 2000   # terms summed directly before a slowly decaying tail goes to em_tail


def series(term, start, step, eps, tail=None):
    """Sum term(k), k = start, start + step, ..., with a ratio-test tail bound;
    ``tail(K)`` (optional) gives (sum of the terms from K on, error) for a tail that
    decays like a power (term ratios tending to 1), after SLOW_AFTER terms."""
    terms, small, k = [], 0, start
    s = mpmath.mpf(0)
    while len(terms) < MAX_TERMS:
        if not len(terms) % 256:
            _budget.check()
        if tail is not None and len(terms) >= SLOW_AFTER and terms[-1] and terms[-2]:
            if abs(terms[-1] / terms[-2]) > 0.99:   # power-law decay: no ratio bound
                tv, te = tail(k)
                return mpmath.fsum(terms) + tv, te + eps * (1 + abs(s))
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
