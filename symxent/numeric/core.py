"""Independent numeric reference values of S(P), H(P, Q) and D_KL(P || Q).

Everything here is computed straight from the definitions (as in Cover &
Thomas, *Elements of Information Theory*, 2nd ed., Sections 2.1, 2.3, 8.1, 8.5)::

    S(P)         = -E_P[log p]
    H(P, Q)      = -E_P[log q]
    D_KL(P || Q) =  E_P[log p - log q]

using only the densities and supports that :func:`symxent.laws.support.describe`
reads from ``sympy.stats``; no closed form of the engine is ever used.  All
arithmetic runs inside ``mpmath.workdps(...)``.

Continuous case (:mod:`symxent.numeric.quadrature`):

* parameters are substituted *exactly*; ``log p`` is formed symbolically,
  factor by factor, and checked against ``p`` (:func:`symxent.numeric.mpcompile.log_form`),
  so tiny densities never underflow and ``0 log 0`` is ``0``;
* if P puts mass where ``q = 0`` (support of P not inside Q's, or ``q``'s
  Piecewise is 0 on a piece) the value is ``+oo``;
* the support is cut at every kink (``Abs``/``Piecewise``) of ``p`` and ``q``
  and at every mode of ``p`` (bisection on ``d log p / dx``); each piece is
  integrated outward from exact anchors in a distance variable ``v``
  (``x = anchor +- v`` substituted symbolically, so ``1 - x`` near 1 is ``v``);
* before integrating, ``|v f(v)|`` is probed at ``v = v* 2**(-+j)``,
  ``j = 256 ... 2048``, and fitted twice by ``v**-r (log v)**beta``: a clearly
  decaying integrand is integrated, one that does not decay means the integral
  diverges (the value is ``+-oo``), anything in between raises
  :class:`NumericError` -- never a wrong number;
* near and far parts use logarithmic variables ``v = v* exp(-+t / r)`` (``r``
  the measured decay rate) and double-exponential rules (exp-sinh,
  tanh-sinh), halving the step until converged;
* integrands are evaluated by :func:`symxent.numeric.mpcompile.compile_mp`, which
  recomputes cancelling sums at the precision they need.

Discrete and finite cases: exact finite sums, or term-by-term sums with a
ratio-test bound on the tail.  Multivariate normals (any dimension) are
whitened by P's Cholesky factor and Dirichlet distributions (any number of
components) written in stick-breaking coordinates; the log-density is then a
sum of one-variable terms, and by Fubini the integral is a sum of products of
1-D integrals done as above.

Precision: set-up at ``dps + 8`` digits plus the decimal magnitude of the
largest/smallest parameter (so ``1e-30`` or ``1e30`` do not eat the digits),
quadrature at ``dps + 4``.  The returned ``error`` sums the rules' error
estimates (assuming only a 1.5-power gain per halving of the step) and a
rounding allowance; ``tests/test_numeric.py`` checks it against known values.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import sympy as sp

from symxent.errors import ParameterError, UnsupportedError
from symxent.numeric.mpcompile import (NumericError, _const, _expand_log, compile_mp,  # noqa: F401
                        deep_cancellation, log_form, real_part)
from symxent.laws.support import describe

__all__ = ["NumericValue", "NumericError", "evaluate", "evaluate_expression",
           "entropy_value", "cross_entropy_value", "kl_value", "KINDS"]

KINDS = ("entropy", "cross_entropy", "kl")
_INF = mpmath.inf
_GUARD = 8   # guard digits on top of dps and the parameters' magnitude


@dataclass(frozen=True)
class NumericValue:
    """A reference value with an error estimate (``value`` may be ``mpf('inf')``)."""

    value: object
    error: object
    dps: int

    @property
    def is_finite(self) -> bool:
        return bool(mpmath.isfinite(self.value))

    def __str__(self):
        return f"{mpmath.nstr(self.value, self.dps)} (+- {mpmath.nstr(self.error, 3)})"


# ------------------------------------------------------------------ inputs
def _unpack(quantity):
    """(kind, P, Q, base) of a measure object or of a tuple ``(kind, P[, Q][, base])``."""
    if isinstance(quantity, tuple):
        if not quantity or quantity[0] not in KINDS:
            raise UnsupportedError(f"expected (kind, P[, Q][, base]) with kind in {KINDS}, "
                                   f"got {quantity!r}")
        kind = quantity[0]
        n = 2 if kind == "entropy" else 3
        if len(quantity) < n:
            raise UnsupportedError(f"{kind} needs {n - 1} random variable(s): {quantity!r}")
        P, Q = quantity[1], (None if kind == "entropy" else quantity[2])
        base = quantity[n] if len(quantity) > n else sp.E
        return kind, P, Q, (sp.E if base is None else sp.sympify(base))
    if not is_measure(quantity):
        raise UnsupportedError(f"not an Entropy/CrossEntropy/KLDivergence: {quantity!r}")
    kind = quantity.kind
    base = getattr(quantity, "base", None)
    return kind, quantity.p, getattr(quantity, "q", None), sp.E if base is None else base


def _exact(v):
    """An exact sympy number for a parameter value (floats keep their binary value)."""
    if isinstance(v, mpmath.mpf):
        if not mpmath.isfinite(v):
            return sp.oo if v > 0 else (-sp.oo if v < 0 else sp.nan)
        sign, man, exp, _ = v._mpf_
        return (-1) ** sign * sp.Integer(man) * sp.Integer(2) ** exp
    if isinstance(v, float):
        return sp.Rational(v)
    v = sp.sympify(v)
    return sp.Rational(v) if isinstance(v, sp.Float) else v


def _point(subs, rvs):
    """The substitution dict restricted to the parameters of ``rvs``, exact."""
    subs = dict(subs or {})
    params = {s for rv in rvs for s in describe(rv).params}
    byname = {str(s): s for s in params}
    out = {}
    for k, v in subs.items():
        k = byname.get(k, k) if isinstance(k, str) else k
        if k in params:
            out[k] = _exact(v)
    missing = params - out.keys()
    if missing:
        raise ParameterError(f"no value given for parameter(s) {sorted(map(str, missing))}")
    for k, v in out.items():
        for assumption in ("real", "integer", "positive", "nonnegative", "negative",
                           "nonpositive"):
            if getattr(k, "is_" + assumption) and getattr(v, "is_" + assumption) is False:
                raise ParameterError(f"{k} = {v} contradicts the assumption {assumption}=True")
    for rv in rvs:
        _check_domain(rv, out)
    return out


def _check_domain(rv, point):
    from symxent.laws.domain import domain_conditions
    try:
        conds = domain_conditions(rv)
    except Exception:  # domain unreadable: the density checks below still apply
        return
    for cond, message in conds:
        if isinstance(cond, sp.Basic) and cond.xreplace(point) is sp.false:
            raise ParameterError(f"{rv}: {message} (fails at {point})")


def _magnitude(values) -> int:
    """Decimal digits spanned by the nonzero finite numbers in ``values``."""
    mag = 0
    for v in values:
        v = sp.sympify(v)
        if v.is_number and v.is_finite and v != 0 and v.is_real:
            mag = max(mag, abs(int(math.floor(float(sp.log(abs(v), 10).evalf(5))))))
    return mag


# ------------------------------------------------------------------ entry points
def evaluate(quantity, subs=None, dps=30) -> NumericValue:
    """Numeric value of an Entropy/CrossEntropy/KLDivergence from its definition.

    ``quantity`` is a measure object (``.kind``, ``.p``, ``.q``, ``.base``) or a
    tuple ``(kind, P[, Q][, base])`` with kind ``entropy``, ``cross_entropy`` or
    ``kl``.  ``subs`` maps parameter symbols (or their names) to numbers.
    """
    from symxent.numeric.divergence import DIV_KINDS, measure_value
    if getattr(type(quantity), "kind", None) in DIV_KINDS:  # the divergence family
        val, err = measure_value(quantity, subs, dps)
        return NumericValue(+val, +err, dps)
    kind, P, Q, base = _unpack(quantity)
    rvs = (P,) if Q is None else (P, Q)
    point = _point(subs, rvs)
    dp = describe(P)
    dq = describe(Q) if Q is not None else None
    kinds = {dp.kind} | ({dq.kind} if dq else set())
    mag = _magnitude(list(point.values()))
    wdps = dps + _GUARD + mag
    with mpmath.workdps(wdps):
        if kinds <= {"continuous"}:
            from symxent.numeric.quadrature import continuous
            val, err = continuous(kind, dp, dq, point, wdps, dps + 4, dps + 4 + mag)
        elif kinds <= {"discrete", "finite"}:
            val, err = _discrete(kind, dp, dq, point, wdps)
        elif kinds == {"mvnormal"}:
            from symxent.numeric.quadrature import mvnormal
            val, err = mvnormal(kind, dp, dq, point, wdps, dps + 4, dps + 4 + mag)
        elif kinds == {"dirichlet"}:
            from symxent.numeric.quadrature import dirichlet
            val, err = dirichlet(kind, dp, dq, point, wdps, dps + 4, dps + 4 + mag)
        else:
            raise UnsupportedError(f"cannot compare a {dp.kind} with a {dq.kind} distribution")
        if base != sp.E:
            lb = compile_mp(sp.log(base), ())()
            val, err = val / lb, err / abs(lb)
        err = abs(err) + (0 if mpmath.isinf(val) else abs(val) * mpmath.mpf(10) ** (-wdps + 3))
        return NumericValue(+val, +err, dps)


def entropy_value(P, subs=None, dps=30, base=None) -> NumericValue:
    """S(P) from its definition."""
    return evaluate(("entropy", P, base), subs, dps)


def cross_entropy_value(P, Q, subs=None, dps=30, base=None) -> NumericValue:
    """H(P, Q) from its definition."""
    return evaluate(("cross_entropy", P, Q, base), subs, dps)


def kl_value(P, Q, subs=None, dps=30, base=None) -> NumericValue:
    """D_KL(P || Q) from its definition."""
    return evaluate(("kl", P, Q, base), subs, dps)


def is_measure(e) -> bool:
    """Is ``e`` one of the information measures (Entropy, CrossEntropy,
    KLDivergence, ...)?  Duck-typed on the class attribute ``kind`` so that this
    layer never imports the measures (sympy's own ``.kind`` of ordinary
    expressions is not touched: it fails on sums of measures)."""
    from symxent.numeric.divergence import DIV_KINDS
    return (isinstance(e, sp.Expr) and getattr(type(e), "kind", None) in KINDS + DIV_KINDS
            and hasattr(e, "p"))


def evaluate_expression(expr, subs=None, dps=30) -> NumericValue:
    """Numeric value of an expression built from measures and parameters.

    Each measure is replaced by its reference value; the error is propagated
    to first order (``sum |d expr / d m_i| * error_i``).
    """
    expr = sp.sympify(expr)
    measures = [m for m in sp.preorder_traversal(expr) if is_measure(m)]
    measures = list(dict.fromkeys(measures))
    if is_measure(expr):
        return evaluate(expr, subs, dps)
    point = {(_k if not isinstance(_k, str) else sp.Symbol(_k)): _exact(v)
             for _k, v in (subs or {}).items()}
    vals = [evaluate(m, subs, dps) for m in measures]
    stand = [sp.Dummy(f"m{i}") for i in range(len(measures))]
    e = expr.xreplace(dict(zip(measures, stand))).xreplace(point)
    wdps = dps + 10
    with mpmath.workdps(wdps):
        if any(not v.is_finite for v in vals):
            return _inf_combination(e, stand, vals, dps)
        f = compile_mp(e, stand)
        value = f(*[v.value for v in vals])
        err = mpmath.mpf(0)
        for s, v in zip(stand, vals):
            d = compile_mp(sp.diff(e, s), stand)(*[w.value for w in vals])
            err += abs(d) * v.error
        err += abs(value) * mpmath.mpf(10) ** (-wdps + 3)
        return NumericValue(+value, +err, dps)


def _inf_combination(e, stand, vals, dps):
    sub = {s: (sp.oo if v.value > 0 else -sp.oo) if not v.is_finite else
           sp.Float(mpmath.nstr(v.value, dps + 5), dps + 5) for s, v in zip(stand, vals)}
    r = e.xreplace(sub)
    if r in (sp.oo, -sp.oo):
        return NumericValue(mpmath.inf if r == sp.oo else -mpmath.inf, mpmath.mpf(0), dps)
    if r.is_finite:
        return NumericValue(mpmath.mpf(sp.Float(r, dps + 5)._mpf_), mpmath.mpf(0), dps)
    raise NumericError(f"the expression is undefined (inf - inf or similar): {e} -> {r}")


# ------------------------------------------------------------------ discrete
_MAX_TERMS = 200000


def _atoms(d, point):
    """Finite atoms {k: prob} or (pmf(k) expression, var, support) of a discrete Dist."""
    if d.kind == "finite":
        return {sp.sympify(k).xreplace(point): sp.sympify(p).xreplace(point)
                for k, p in d.values.items()}
    return d.pdf.xreplace(point), d.var, d.support.xreplace(point)


def _in_support(k, support):
    try:
        r = support.contains(k)
    except Exception:
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
    lo = _int_bounds(sup)[0]
    first = sp.Integer(lo if lo is not None else 0)
    f = compile_mp(log_form(pmf, var, [first, first + 1, first + 3]), (var,))

    def lp(k):
        if not _in_support(k, sup):
            return -_INF
        r = real_part(f(mpmath.mpf(int(k))), "log-probability")
        return r
    return lp


def _discrete(kind, dp, dq, point, wdps):
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
    lo, hi = _int_bounds(P[2])
    if hi is not None and lo is not None and hi - lo < _MAX_TERMS:
        terms = [term(sp.Integer(k)) for k in range(lo, hi + 1)]
        if _INF in terms:
            return _INF, mpmath.mpf(0)
        return mpmath.fsum(terms), eps * (1 + mpmath.fsum(abs(t) for t in terms))
    total, err = mpmath.mpf(0), mpmath.mpf(0)
    for start, step in _directions(lo, hi):
        s, e = _series(term, start, step, eps)
        if mpmath.isinf(s):
            return s, mpmath.mpf(0)
        total, err = total + s, err + e
    return total, err


def _int_bounds(sup):
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


def _series(term, start, step, eps):
    """Sum term(k), k = start, start + step, ..., with a ratio-test tail bound."""
    terms, small, k = [], 0, start
    s = mpmath.mpf(0)
    while len(terms) < _MAX_TERMS:
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
