"""A rule for piecewise-polynomial densities: ``int_a^b P(x) log Q(x) dx`` with P and
Q polynomials with numeric coefficients and a, b numbers (the pieces of the
Irwin-Hall density of ``UniformSum(n)``, split at the integers by
:func:`symxent.laws.support.describe`).

By parts, with A an antiderivative of P (Apostol, Calculus I, Sec. 5.9):

    int_a^b P log Q = [A log Q]_a^b - int_a^b A Q'/Q dx,

and A Q'/Q is a rational function, integrated exactly by SymPy's ``ratint``
(partial fractions: logs and arctangents, Bronstein, "Symbolic Integration I",
Ch. 2).  The value is kept only when it is real and admissible
(:func:`~symxent.engine.rulebase.admissible`): a ``RootSum`` or complex logs of an
irreducible cubic make the rule not apply.  Registered at import through the public
rule registry.
"""
from __future__ import annotations

import sympy as sp

from symxent.engine.expectation import register_rule
from symxent.engine.rulebase import Rule, admissible, attempt, real_logs
from symxent.engine.sympy_rules import load_factor

__all__ = ["PolynomialTimesLogPolynomial"]


def _numeric_poly(e, x):
    return e.is_polynomial(x) and not (e.free_symbols - {x})


class PolynomialTimesLogPolynomial(Rule):
    """E[log Q(X)] under a polynomial density P on a numeric interval (a, b):
    ``[A log Q]_a^b - int_a^b A Q'/Q``, A' = P, the rest a rational integral."""

    name = "polynomial density: integration by parts, rational integral"

    def step(self, region, f):
        x, lo, hi = region.x, region.lo, region.hi
        if not (lo.is_Number and hi.is_Number and lo.is_finite and hi.is_finite):
            return None
        if not isinstance(f, sp.log):
            return None
        Q = f.args[0]
        if not _numeric_poly(Q, x) or Q.is_number:
            return None
        P = sp.expand(sp.powsimp(sp.exp(region.L.expr())))
        if not _numeric_poly(P, x):
            return None
        value = None
        # 2 s of CPU (UniformSum(4)'s pieces take up to ~1 s idle), in wall-clock
        # seconds at this machine's load: a fixed 2 s missed it under load in CI
        with attempt(2 * load_factor()):
            A = sp.integrate(P, x)
            ends = sp.expand_log(A.subs(x, hi) * sp.log(Q.subs(x, hi))
                                 - A.subs(x, lo) * sp.log(Q.subs(x, lo)))
            rat = sp.cancel(A * sp.diff(Q, x) / Q)
            F = sp.integrate(rat, x)
            if F.has(sp.Integral, sp.RootSum):
                return None
            v = ends - (F.subs(x, hi) - F.subs(x, lo))
            value = sp.expand(real_logs(v, region))
        if value is None or not admissible(value, region):
            return None
        return self.answer(f, value)


register_rule(PolynomialTimesLogPolynomial())
