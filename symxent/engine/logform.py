"""Log-linear forms: a log-density as a sum ``c0 + sum_j c_j * phi_j(x)``.

The engine works with log-densities, never with densities: ``log p`` of every
family in the catalogue is a short sum of *features* ``phi_j(x)`` (``log x``,
``x``, ``x**c``, ``log(1 - x)``, ``exp(k*x)``, ``|x - m|``, ...) with
coefficients free of ``x``.  :func:`log_terms` expands a positive expression's
logarithm into such a sum without ever splitting a logarithm whose argument
could be negative on the support; :class:`LogForm` groups the terms by feature.

Logarithms of linear arguments are normalised so that the feature itself is
positive on the support: ``log(2*x - 2*a) -> log(2) + log(x - a)`` and
``log(1 - x)`` stays ``log(1 - x)`` (written ``log(u - x)`` for an upper end
``u``); a monic quadratic stays whole (``log(x**2 - 2*m*x + m**2 + s**2)``).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symxent.laws.support import known_le

__all__ = ["LogForm", "log_terms", "positive_on"]


def positive_on(f, x, lo, hi, facts=()):
    """Is ``f`` (an expression possibly in ``x``) positive on ``(lo, hi)``?"""
    if not f.has(x):
        if f.is_positive:
            return True
        # nonnegative suffices: where f = 0 the term's weight vanishes too
        return known_le(0, f, facts) is sp.true
    if lo.is_nonnegative or known_le(0, lo, facts) is sp.true:
        xp = sp.Dummy("xp", positive=True)
        if f.subs(x, xp).is_positive:
            return True
    if f.is_positive:
        return True
    poly = f.as_poly(x)
    if poly is not None and poly.degree() == 1:
        a, b = poly.all_coeffs()
        if not (a.is_positive or a.is_negative):
            return False
        end = lo if a.is_positive else hi  # a linear f is smallest at this end
        return end.is_finite and known_le(0, f.subs(x, end), facts) is sp.true
    # f = c0 + c1*h(x) with h monotone (x**s on x > 0, exp(k*x)): check the ends
    hs = [a for a in f.atoms(sp.Pow, sp.exp) if a.has(x)]
    if len(hs) == 1 and lo.is_finite and hi.is_finite:
        h = hs[0]
        mono = isinstance(h, sp.exp) or (h.base == x and not h.exp.has(x)
                                         and known_le(0, lo, facts) is sp.true)
        t = sp.Dummy("t")
        g = f.xreplace({h: t})
        if mono and not g.has(x) and (g.as_poly(t) is not None and g.as_poly(t).degree() == 1):
            ends = [f.subs(x, e) for e in (lo, hi)]
            return all(known_le(0, sp.powsimp(v), facts) is sp.true for v in ends)
    return False


def _linear_log(arg, x, lo, hi, facts):
    """log of a linear ``arg`` positive on the support -> list of terms."""
    poly = arg.as_poly(x)
    a, b = poly.all_coeffs()
    r = -b / a
    if a.is_positive or (a.is_negative is None and known_le(0, a, facts) is sp.true):
        return [sp.log(a), sp.log(x - r)] if a != 1 else [sp.log(x - r)]
    if a.is_negative:
        return [sp.log(-a), sp.log(r - x)] if a != -1 else [sp.log(r - x)]
    return None


def log_terms(expr, x, lo, hi, facts=()):
    """``log(expr)`` as a list of terms, split only where it is valid.

    ``expr`` must be positive on ``(lo, hi)``; factors that cannot be shown
    positive are kept together inside one logarithm.
    """
    t = _terms(expr, x, lo, hi, facts)
    if t is None and isinstance(expr, sp.Mul):
        # expr > 0 (the contract) and its x-part shown > 0: the constant factor is > 0
        # too, even when its sign is beyond SymPy (1 - (l/h)**a of BoundedPareto with
        # expression parameters); it stays one logarithm
        const, rest = expr.as_independent(x, as_Add=False)
        # (not for a constant written with a minus sign, -1/log(1 - p): a later forced
        # expand_log would split off log(-1))
        if const != 1 and rest != 1 and not const.could_extract_minus_sign():
            tr = _terms(rest, x, lo, hi, facts)
            if tr is not None:
                return [sp.log(const)] + tr
    return t if t is not None else [sp.log(expr)]


def _terms(expr, x, lo, hi, facts):
    """Terms of ``log(expr)``, or None when ``expr`` is not known positive."""
    if isinstance(expr, sp.Add) and expr.has(x):
        # a*exp(b*x) + c*exp(b*x) = (a + c)*exp(b*x): a common factor comes out first
        common = sp.factor_terms(expr)
        if isinstance(common, sp.Mul):
            return _terms(common, x, lo, hi, facts)
    if isinstance(expr, sp.exp):
        return [sp.expand(expr.args[0])]
    if expr.is_Pow:
        base, e = expr.args
        if base == sp.E:
            return [sp.expand(e)]
        if isinstance(base, sp.Add) and base.has(x):
            # SymPy writes x**(-a-1)/(1 - r) as 1/(x**a*x - x**a*x*r) (BoundedPareto with
            # expression parameters): pull the common power of x out of the sum
            common = sp.factor_terms(base)
            if isinstance(common, sp.Mul):
                base = common
        inner = _terms(base, x, lo, hi, facts)
        if inner is None:
            return None
        return [sp.expand(e * t) for t in inner]
    if isinstance(expr, sp.Mul):
        out, rest, sign = [], [], 1
        for f in expr.args:
            if f.is_Number and f.is_negative:
                sign, f = -sign, -f
            base, n = (f.base, f.exp) if f.is_Pow else (f, sp.S.One)
            if n.is_integer and base.has(x) and base.is_polynomial(x) and \
                    sp.degree(base, x) == 1 and not positive_on(base, x, lo, hi, facts) \
                    and positive_on(-base, x, lo, hi, facts):
                sign, f = sign * (-1) ** int(n), (-base) ** n  # orient the linear factor
            if f == 1:
                continue
            t = _terms(f, x, lo, hi, facts)
            if t is None:
                rest.append(f)
            else:
                out.extend(t)
        if sign < 0:
            return None
        if rest:
            r = sp.Mul(*rest)
            return None if not positive_on(r, x, lo, hi, facts) else out + [sp.log(r)]
        return out
    if isinstance(expr, (sp.gamma, sp.beta, sp.factorial, sp.binomial)) and all(
            a.is_nonnegative for a in expr.args):
        return [sp.log(expr)]
    if isinstance(expr, sp.binomial) and expr.args[1].is_nonnegative and \
            expr.args[1].is_integer and (expr.args[0] - expr.args[1] + 1).is_positive:
        return [sp.log(expr)]  # Gamma(n+1)/(Gamma(k+1)*Gamma(n-k+1)) > 0
    if not expr.has(x):
        if expr.is_Rational:
            if not expr.is_positive:
                return None  # the log of a non-positive number is not a real feature
            return [sp.log(expr.p), -sp.log(expr.q)] if expr.q != 1 else [sp.log(expr)]
        return [sp.log(expr)] if positive_on(expr, x, lo, hi, facts) else None
    poly = expr.as_poly(x)
    if poly is not None and poly.degree() == 1:
        if positive_on(expr, x, lo, hi, facts):
            return _linear_log(expr, x, lo, hi, facts)
        return None
    if poly is not None and poly.degree() == 2:
        rts = sp.roots(poly)
        if sum(rts.values()) == 2 and all(r.is_real for r in rts):
            lc = poly.LC()
            lin = [x - r for r, m in rts.items() for _ in range(m)]
            if len(lin) == 2 and lin[0] == lin[1] and positive_on(-lin[0], x, lo, hi, facts):
                lin = [-lin[0], -lin[1]]  # (x - r)**2 = (r - x)**2
            elif len(lin) == 2 and lin[0] == lin[1] and \
                    not positive_on(lin[0], x, lo, hi, facts):
                # a double root that may lie inside (lo, hi): log((x - r)**2) =
                # 2*log|x - r|, whose break point r the Split rule cuts at
                if not positive_on(lc, x, lo, hi, facts):
                    return None
                return ([sp.log(lc)] if lc != 1 else []) + [2 * sp.log(sp.Abs(lin[0]))]
            if lc.is_negative or (lc.is_negative is None and sp.sign(lc) == -1):
                lc, lin[0] = -lc, -lin[0]
            if all(positive_on(li, x, lo, hi, facts) for li in lin):
                out = [sp.log(lc)] if lc != 1 else []
                for li in lin:
                    out += _linear_log(li, x, lo, hi, facts)
                return out
    if not positive_on(expr, x, lo, hi, facts):
        return None
    if poly is not None and poly.degree() >= 2:
        lc = poly.LC()
        if lc != 1 and positive_on(lc, x, lo, hi, facts):
            return [sp.log(lc), sp.log(sp.expand(expr / lc))]
    return [sp.log(expr)]


def _normal_feature(f, x):
    """Write ``(alpha*x + beta)**n`` (integer n) as ``alpha**n * (x - r)**n``."""
    if f.is_Pow and f.exp.is_integer and f.base.has(x):
        poly = f.base.as_poly(x)
        if poly is not None and poly.degree() == 1:
            a, b = poly.all_coeffs()
            if a != 1:
                return (x + b / a) ** f.exp, a ** f.exp
    return f, sp.S.One


@dataclass
class LogForm:
    """``c0 + sum(coeff[phi] * phi)`` with features ``phi`` in ``x``."""

    x: object
    const: object
    coeff: dict

    @classmethod
    def from_terms(cls, terms, x, lo=None, hi=None, facts=()):
        """Group ``terms`` by feature; with an interval, normalise their logs."""
        const, coeff = sp.S.Zero, {}
        for t in terms:
            t = sp.expand(t)
            if lo is not None:
                reps = {}
                for lg in t.atoms(sp.log):
                    if lg.has(x):
                        arg = lg.args[0]
                        if isinstance(arg, sp.Add) and any(
                                sp.denom(a).has(x) for a in arg.args):
                            arg = sp.factor(sp.together(arg))
                        new = sp.Add(*log_terms(arg, x, lo, hi, facts))
                        if new != lg:
                            reps[lg] = new
                if reps:
                    t = sp.expand(t.xreplace(reps))
            for a in sp.Add.make_args(t):
                c, f = a.as_independent(x, as_Add=False)
                f, c2 = _normal_feature(f, x)
                c = c * c2
                if f == 1:
                    const += c
                else:
                    coeff[f] = coeff.get(f, 0) + c
        coeff = {f: c for f, c in coeff.items() if c != 0}
        const = sp.expand_log(const, force=True) if const.has(sp.log) else const
        return cls(x, const, coeff)

    @classmethod
    def of_density(cls, pdf, x, lo, hi, facts=()):
        return cls.from_terms(log_terms(pdf, x, lo, hi, facts), x)

    def features(self):
        return set(self.coeff)

    def add(self, feature_expr, eps):
        """The form of ``L + eps * feature_expr`` (``feature_expr`` linear in features)."""
        other = LogForm.from_terms([feature_expr], self.x)
        coeff = dict(self.coeff)
        for f, c in other.coeff.items():
            coeff[f] = coeff.get(f, 0) + eps * c
        return LogForm(self.x, self.const + eps * other.const, coeff)

    def expr(self):
        return self.const + sum((c * f for f, c in self.coeff.items()), sp.S.Zero)

    def change_variable(self, x_of_y, y, lo, hi, facts=()):
        """Change of variables ``x = x_of_y(y)`` with ``y`` in ``(lo, hi)``.

        Adds ``log|dx/dy|`` (the Jacobian, in absolute value: a reflection
        ``x = hi - y`` has dx/dy = -1 and adds log 1 = 0, not log(-1)) to the form.
        """
        jac = sp.factor(sp.together(sp.diff(x_of_y, y)))
        if jac.is_negative:
            jac = -jac
        jac_terms = _terms(jac, y, lo, hi, facts)
        if jac_terms is None:
            jac_terms = _terms(sp.factor(-jac), y, lo, hi, facts)
        if jac_terms is None or any(t.has(sp.I) for t in jac_terms):
            raise ValueError(f"cannot decide the sign of the Jacobian {jac}")
        terms = [sp.expand(self.expr().subs(self.x, x_of_y))] + jac_terms
        return LogForm.from_terms(terms, y, lo, hi, facts)
