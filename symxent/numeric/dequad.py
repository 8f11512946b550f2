"""Double-exponential quadrature rules (Takahasi & Mori 1974) at mpmath precision.

Used by :mod:`symxent.numeric.quadrature`; call inside ``mpmath.workdps``.

Why hand-written and not ``mpmath.quad`` (measured 2026-12-02, same
log-variable integrands, 30 digits; script in the report of issue 10): both
need about the same number of integrand calls (1,030-3,092 vs 1,050-2,100)
and reach the same accuracy, ``mpmath.quad`` being ~30% faster in CPU, but
its error estimate (the difference of its last two levels) *under*-reported
the true error in 5 of 5 cases with known values -- S Beta(1/20, 3/10):
claimed 1.4e-36, true 5.9e-35; S Cauchy(3, 1e-30): claimed 2e-47, true
1e-34 -- while the estimate here (1.5-power gain per halving, rounding floor)
was above the true error in all five.  The error bound is what every check
relies on, so it must not be optimistic.  This rule also integrates several
integrands on one set of nodes (``n`` components), which ``mpmath.quad``
cannot: the derivation checker integrates all expectations under one density
in one pass.
"""
from __future__ import annotations

from collections import OrderedDict

import mpmath

__all__ = ["de_quad"]

_TAU = 7                      # nodes: |tau| <= _TAU

#: Node tables, as ``mpmath.quad``'s rules cache theirs: per working precision and
#: rule, ``tau -> (abscissa, weight)`` of the rule on (0, oo) or (0, 1) (scaled
#: to (0, length) by the caller).  Computing a node costs sinh, cosh and exp at
#: the working precision, a quarter of the time of a typical integral; the
#: same nodes recur in every integral at one precision.  A few precisions are
#: kept (least recently used first out).
_NODES = OrderedDict()
_PRECISIONS_KEPT = 6
_NODES_KEPT = 8192            # per table: the nodes of the first ~8 levels


def _table(finite):
    key = (mpmath.mp.prec, finite)
    table = _NODES.get(key)
    if table is None:
        table = _NODES[key] = {}
        while len(_NODES) > _PRECISIONS_KEPT:
            try:
                _NODES.popitem(last=False)
            except KeyError:   # emptied by another thread meanwhile
                break
    else:
        try:
            _NODES.move_to_end(key)
        except KeyError:   # dropped by another thread meanwhile: still usable
            pass
    return table


def de_quad(g, n, length=None, maxlevel=9):
    """[(value, error)] of the integrals of the n components of g over (0, length).

    Double-exponential rules (Takahasi & Mori 1974): exp-sinh
    ``t = exp(pi/2 sinh tau)`` on (0, oo), tanh-sinh on (0, length); the
    trapezoidal step h is halved until the error estimated from the last two
    levels is below the precision for every component (the error of these
    rules roughly squares when h halves; we assume only the power 1.5).
    """
    eps = mpmath.eps
    hp = mpmath.pi / 2
    table = _table(length is not None)

    def rule(tau):
        """(abscissa, weight) at tau: exp-sinh on (0, oo), tanh-sinh on (0, 1)."""
        e = hp * mpmath.sinh(tau)
        if length is None:
            t = mpmath.exp(e)
            return t, t * hp * mpmath.cosh(tau)
        return 1 / (1 + mpmath.exp(-2 * e)), hp * mpmath.cosh(tau) / (2 * mpmath.cosh(e) ** 2)

    def node(tau):
        key = tau._mpf_
        tw = table.get(key)
        if tw is None:
            tw = rule(tau)
            if len(table) < _NODES_KEPT:
                table[key] = tw
        t, w = tw
        if length is not None:
            t, w = length * t, length * w
        return [y * w for y in g(t)]

    # level 1 (h = 1/2) scans all of |tau| <= _TAU; later levels only the range
    # where level 1 saw non-negligible terms, widened by one unit on each side
    h = mpmath.mpf(1) / 2
    ks = range(-2 * _TAU, 2 * _TAU + 1)
    ys = [node(k * h) for k in ks]
    big = [max(abs(y[c]) for y in ys) for c in range(n)]
    live = [k for k, y in zip(ks, ys)
            if any(abs(y[c]) > eps * big[c] * mpmath.mpf(10) ** -10 for c in range(n))]
    lo, hi = (max(min(live) - 2, ks[0]), min(max(live) + 2, ks[-1])) if live else (0, 0)
    raw = [mpmath.fsum(y[c] for y in ys) for c in range(n)]
    absum = [mpmath.fsum(abs(y[c]) for y in ys) for c in range(n)]
    sums = [[r * h for r in raw]]
    for _ in range(maxlevel):
        h /= 2
        lo, hi = 2 * lo, 2 * hi
        more = [node(k * h) for k in range(lo + 1, hi, 2)]
        raw = [raw[c] + mpmath.fsum(y[c] for y in more) for c in range(n)]
        absum = [absum[c] + mpmath.fsum(abs(y[c]) for y in more) for c in range(n)]
        sums.append([r * h for r in raw])
        res, done = [], True
        for c in range(n):
            floor = eps * absum[c] * h * 100   # rounding in the nodes and the integrand
            d1 = abs(sums[-1][c] - sums[-2][c])
            est = d1 ** mpmath.mpf(1.5) if d1 < 1 else d1
            done = done and (est <= eps or d1 <= floor)
            res.append((sums[-1][c], max(est, floor)))
        if done:
            return res
    return [(sums[-1][c], abs(sums[-1][c] - sums[-2][c])) for c in range(n)]
