"""The rules that ask SymPy to integrate: an antiderivative on a bounded interval,
and the last resort, ``integrate`` on the region under a share of the time budget.
Their results pass :func:`~symxent.engine.rulebase.real_logs` and are rejected
when they are not real."""
from __future__ import annotations

import sympy as sp

from symxent import budget
from symxent.engine.rulebase import Rule, _cond_value, attempt, real_logs
from symxent.laws.support import expand_positive_logs

__all__ = ["Elementary", "Integrate"]


class Elementary(Rule):
    """On a bounded interval: int_a^b exp(L) f = F(b) - F(a) with F an antiderivative.

    Used when exp(L) * f is elementary (polynomial, log and exponential
    pieces: Uniform, Triangular, the middle piece of a Laplace).  End values
    are limits where F is singular at an end point (x log x at 0).
    """

    name = "antiderivative on a bounded interval"

    def apply(self, region, f):
        x, lo, hi = region.x, region.lo, region.hi
        if not (lo.is_finite and hi.is_finite):
            return None
        # exp(L) * f must have a continuous antiderivative on [lo, hi]: exp(L) a
        # polynomial times exp(polynomial), f a polynomial, exp or log of a
        # linear function positive on the interval
        for ff, c in region.L.coeff.items():
            if not (ff.is_polynomial(x) or (isinstance(ff, sp.log) and c.is_integer
                                            and c.is_nonnegative
                                            and ff.args[0].is_polynomial(x)
                                            and sp.degree(ff.args[0], x) == 1)):
                return None
        for t in sp.Add.make_args(sp.expand(f)):
            for a in t.atoms(sp.Function):
                if a.has(x) and not (isinstance(a, (sp.log, sp.exp))
                                     and a.args[0].is_polynomial(x)
                                     and sp.degree(a.args[0], x) <= 1):
                    return None
        integrand = sp.exp(region.L.expr()) * f
        ends = []
        with attempt(3):
            F = sp.integrate(sp.expand(integrand), x)
            if F.has(sp.Integral, sp.Piecewise, sp.I):
                return None
            for e, d in ((hi, "-"), (lo, "+")):
                v = F.subs(x, e)
                if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
                    v = sp.limit(F, x, e, d)
                ends.append(v)
        if len(ends) != 2:
            return None
        res = real_logs(sp.expand(ends[0] - ends[1]), region)
        return None if res.has(sp.I) else sp.expand(expand_positive_logs(res, region.facts))


class Integrate(Rule):
    """Last resort: SymPy's ``integrate`` on the region, under a share of the time budget.

    Accepted only when the result is free of unevaluated integrals and of
    unresolved convergence conditions.  SymPy gets a quarter of the call's
    budget (at least 5 s): where it has not found an antiderivative by then it
    seldom does later, and the caller gets its unevaluated answer sooner.
    """

    name = "direct integration (SymPy)"

    def apply(self, region, f):
        x = region.x
        integrand = sp.exp(region.L.expr()) * f
        res = None
        with attempt(budget.share(0.25, 5)):
            res = sp.integrate(integrand, (x, region.lo, region.hi), conds="piecewise")
        if res is None:
            return None
        res = real_logs(res, region)
        if res.has(sp.Integral, sp.nan, sp.zoo, sp.I):
            return None
        if isinstance(res, sp.Piecewise):
            val, cond = res.args[0]
            if _cond_value(cond) is not sp.true:
                return None
            res = val
        if res.has(sp.Piecewise):
            return None
        return res
