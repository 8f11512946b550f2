"""A small, independent quadrature/summation of the *definitions* for tests.

Deliberately simple and separate from :mod:`symxent.numeric` (and from the
engine): the density is read from ``sympy.stats`` (``pdf``), parameters are
substituted exactly, and inside ``mpmath.workdps`` the definition

    S(P) = -int p log p,   H(P, Q) = -int p log q,   D(P || Q) = int p log(p/q)

is integrated with mpmath's tanh-sinh rule, the support cut at every kink and
jump (``Abs``/``Piecewise`` break points of p and q) and at the extra points
given.  ``second=True`` also integrates with Gauss-Legendre and returns both
values, so a disagreement with the engine can be double-checked before the
engine is called wrong.
"""
from __future__ import annotations

import mpmath
import sympy as sp
from sympy.core.relational import Relational
from sympy.stats import density
from sympy.stats.rv import RandomSymbol

__all__ = ["definition", "breaks_of", "close", "series"]


def breaks_of(expr, x):
    """Real roots of the arguments of Abs and of Piecewise conditions in ``x``."""
    pts = []
    for a in expr.atoms(sp.Abs):
        if a.args[0].has(x):
            pts += sp.solve(a.args[0], x)
    for pw in expr.atoms(sp.Piecewise):
        for _, c in pw.args:
            for rel in c.atoms(Relational):
                if rel.has(x):
                    pts += sp.solve(rel.lhs - rel.rhs, x)
    return pts


def series(g, a, b, N=3000):
    """``sum_{k=a}^{b} g(k)`` (ends may be infinite): the first ``N`` terms from each
    infinite end exactly, the rest by Euler-Maclaurin (integral, half the boundary
    term, and the first derivative correction).  Slowly decaying terms (k**-3 log k)
    are summed to ~1e-15 where mpmath's nsum extrapolation can be off by 1e-8."""
    def tail(k0, sign):  # sum_{k >= k0} g(sign * k)
        f = (lambda t: g(sign * t))
        # the integral over [k0, oo) as int_0^1 f(k0/u) k0/u^2 du, split towards u = 0:
        # a power-law decay k**-(1 + a) becomes an end-point singularity u**(a - 1),
        # which tanh-sinh takes to ~1e-14; over [k0, oo) directly it was off by 3e-10
        # for a = 0.277 (the YuleSimon masses summed to 0.99999999972)
        cuts = [mpmath.mpf(0)] + [mpmath.mpf(10) ** -e for e in (12, 6, 3)] + [mpmath.mpf(1)]
        integral = mpmath.quad(lambda u: f(k0 / u) * k0 / u ** 2, cuts)
        return integral + f(k0) / 2 - mpmath.diff(f, k0) / 12
    if a != -mpmath.inf and b != mpmath.inf:
        return mpmath.fsum(g(k) for k in range(int(a), int(b) + 1))
    if a != -mpmath.inf:
        return mpmath.fsum(g(k) for k in range(int(a), int(a) + N)) + tail(int(a) + N, 1)
    if b != mpmath.inf:
        return mpmath.fsum(g(k) for k in range(int(b) - N + 1, int(b) + 1)) + \
            tail(N - int(b), -1)
    return (mpmath.fsum(g(k) for k in range(-N + 1, N)) + tail(N, 1) + tail(N, -1))


def _law(rv, x, point):
    dist = rv.pspace.distribution
    pdf = sp.sympify(dist.pdf(x)).xreplace(point)
    dom = dist.set
    if type(dist).__name__ == "KumaraswamyDistribution":  # sympy declares (0, oo)
        dom = sp.Interval(0, 1)
    return pdf, dom


def definition(kind, P, Q=None, point=None, dps=30, extra=(), second=False):
    """The definition of ``kind`` ('entropy', 'cross_entropy', 'kl') at ``point``."""
    assert isinstance(P, RandomSymbol)
    point = point or {}
    x = sp.Dummy("x", real=True)
    p, dom = _law(P, x, point)
    q = p if Q is None else _law(Q, x, point)[0]
    lo, hi = (sp.sympify(e).xreplace(point) for e in (dom.inf, dom.sup))
    with mpmath.workdps(dps + 15):
        fp = sp.lambdify(x, p, "mpmath")
        fq = sp.lambdify(x, q, "mpmath")

        def g(t):
            pv = mpmath.re(fp(t))
            if pv == 0:
                return mpmath.mpf(0)
            lp = mpmath.log(pv)
            if kind == "entropy":
                return -pv * lp
            lq = mpmath.log(mpmath.re(fq(t)))
            return -pv * lq if kind == "cross_entropy" else pv * (lp - lq)

        if isinstance(P.pspace.distribution, sp.stats.drv.SingleDiscreteDistribution) or \
                getattr(P.pspace, "is_Finite", False) or isinstance(dom, (sp.Range,)) or \
                dom in (sp.S.Naturals0, sp.S.Naturals, sp.S.Integers):
            a = mpmath.mpf(lo) if lo.is_finite else -mpmath.inf
            b = mpmath.mpf(hi) if hi.is_finite else mpmath.inf
            v = series(g, a, b)
            return (v, v) if second else v
        L = mpmath.mpf(sp.N(lo, dps + 15)) if lo.is_finite else -mpmath.inf
        H = mpmath.mpf(sp.N(hi, dps + 15)) if hi.is_finite else mpmath.inf
        cuts = set()
        for e in breaks_of(p, x) + breaks_of(q, x) + [sp.sympify(e).xreplace(point)
                                                      for e in extra]:
            e = sp.sympify(e)
            if e.is_real:
                v = mpmath.mpf(sp.N(e, dps + 15))
                if L < v < H:
                    cuts.add(v)
        edges = [L] + sorted(cuts) + [H]
        if len(edges) == 2 and L == -mpmath.inf and H == mpmath.inf:
            edges = [L, mpmath.mpf(0), H]
        v1 = mpmath.quad(g, edges, method="tanh-sinh", maxdegree=10)
        if not second:
            return +v1
        v2 = mpmath.quad(g, edges, method="gauss-legendre", maxdegree=10)
        return +v1, +v2


def close(value, ref, rel=mpmath.mpf(10) ** -12):
    """Is the sympy number ``value`` within ``rel`` (relative, absolute near 0) of ``ref``?"""
    with mpmath.workdps(40):
        v = sp.N(value, 35)
        if not v.is_real:
            return False
        v = mpmath.mpf(str(v))
        return abs(v - ref) <= rel * max(1, abs(ref))
