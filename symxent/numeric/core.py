"""Independent numeric reference values of S(P), H(P, Q) and D_KL(P || Q).

Everything here is computed straight from the definitions (as in Cover &
Thomas, *Elements of Information Theory*, 2nd ed., Sections 2.1, 2.3, 8.1, 8.5)::

    S(P)         = -E_P[log p]
    H(P, Q)      = -E_P[log q]
    D_KL(P || Q) =  E_P[log p - log q]

using only the densities and supports that :func:`symxent.laws.support.describe`
reads from ``sympy.stats``; no closed form of the engine is ever used.  All
arithmetic runs inside ``workdps(...)``.

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

Bad input is refused, never answered: nan, +-inf and complex parameter
values, a base that is not a positive real number other than 1, and ``dps``
outside ``[5, 5000]`` raise :class:`~symxent.errors.ParameterError`.  Float
parameters (and a float base) are used at their exact binary value, and the
error bound includes what their own rounding (half an ulp, ``2**-53``
relative for a Python float) can change in the result, measured by a second
evaluation at a nudged value.  Every evaluation runs under the time budget
(:mod:`symxent.budget`; ``timeout=`` or the default): past it
:class:`~symxent.budget.BudgetExceeded` is raised.

Precision: set-up at ``dps + 8`` digits plus the decimal magnitude of the
largest/smallest parameter (so ``1e-30`` or ``1e30`` do not eat the digits),
quadrature at ``dps + 4``.  The returned ``error`` sums the rules' error
estimates (assuming only a 1.5-power gain per halving of the step) and a
rounding allowance; ``tests/test_numeric.py`` checks it against known values.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import mpmath
import sympy as sp

from symxent.budget import BudgetExceeded, budget
from symxent.errors import ParameterError, UnsupportedError
from symxent.laws.support import describe
from symxent.numeric.discrete import discrete as _discrete
from symxent.numeric.discrete import series as _series  # noqa: F401  (tests use it)
from symxent.numeric.expressions import closed_value
from symxent.numeric.mpcompile import (CANNOT_EVALUATE, NumericError, _const,  # noqa: F401
                                       _expand_log, compile_mp, deep_cancellation, exact,
                                       log_form, real_part)
from symxent.numeric.multivariate import multinomial, multivariate_t
from symxent.numeric.quadrature import continuous, dirichlet, mvnormal
from symxent.precision import workdps

__all__ = ["NumericValue", "NumericError", "evaluate", "evaluate_expression",
           "entropy_value", "cross_entropy_value", "kl_value", "KINDS", "MAX_DPS"]

KINDS = ("entropy", "cross_entropy", "kl")
_INF = mpmath.inf
_GUARD = 8   # guard digits on top of dps and the parameters' magnitude
MIN_DPS, MAX_DPS = 5, 5000
_NUDGE = mpmath.mpf(2) ** -20   # relative step for the sensitivity to a float parameter


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
def _check_dps(dps):
    if isinstance(dps, bool) or not isinstance(dps, numbers.Integral):
        raise ParameterError(f"dps must be an integer number of digits, got {dps!r}")
    if not MIN_DPS <= dps <= MAX_DPS:
        raise ParameterError(f"dps must be between {MIN_DPS} and {MAX_DPS}, got {dps}")
    return int(dps)


def _base(base):
    """(exact base or None for e, relative uncertainty) of a logarithm base."""
    if base is None or base is sp.E:
        return None, 0
    b, rel = exact(base, "the base of the logarithm")
    if b.free_symbols:
        raise ParameterError(f"the base of the logarithm must be a number, got {base}")
    if not (b.is_positive and b != 1):
        raise ParameterError(f"the base of the logarithm must be a positive real number "
                             f"other than 1, got {base}")
    return (None, 0) if b == sp.E else (b, rel)


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
        base = quantity[n] if len(quantity) > n else None
        return kind, P, Q, base
    if not is_measure(quantity):
        raise UnsupportedError(f"not an Entropy/CrossEntropy/KLDivergence: {quantity!r}")
    return quantity.kind, quantity.p, getattr(quantity, "q", None), getattr(quantity, "base", None)


def _exact(v):
    """An exact sympy number for a parameter value (floats keep their binary value)."""
    return exact(v)[0]


def _point(subs, rvs):
    """(exact point restricted to the parameters of ``rvs``, {symbol: relative
    uncertainty} of the float values among them)."""
    subs = dict(subs or {})
    params = {s for rv in rvs for s in describe(rv).params}
    byname = {str(s): s for s in params}
    out, fuzzy = {}, {}
    for k, v in subs.items():
        k = byname.get(k, k) if isinstance(k, str) else k
        if k in params:
            out[k], rel = exact(v, f"the value of {k}")
            if rel and out[k] != 0:
                fuzzy[k] = rel
    # float numbers written into the distributions themselves (Normal('X', 1e300, 1)):
    # exact binary values, and their rounding carried like that of float parameters
    for rv in rvs:
        for f in _numbers(describe(rv)):
            if isinstance(f, sp.Float) and f not in out:
                out[f], rel = exact(f, f"the parameter value {f} of {rv}")
                if rel and out[f] != 0:
                    fuzzy[f] = rel
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
    return out, fuzzy


def _numbers(d):
    """The numbers written into a law's density, support and parameters."""
    out = set()
    for attr in ("pdf", "support", "mean", "cov", "alpha", "values"):
        v = getattr(d, attr, None)
        if isinstance(v, dict):
            v = list(v.keys()) + list(v.values())
        for part in (v if isinstance(v, (list, tuple)) else [v]):
            if isinstance(part, sp.Basic):
                out |= part.atoms(sp.Number)
            elif isinstance(part, (int, float)):
                out.add(sp.sympify(part))
    return out


def _check_domain(rv, point):
    from symxent.laws.domain import domain_conditions
    for cond, message in domain_conditions(rv):
        if isinstance(cond, sp.Basic) and cond.xreplace(point) is sp.false:
            raise ParameterError(f"{rv}: {message} (fails at {point})")


def _magnitude(values) -> int:
    """Decimal digits spanned by the nonzero finite numbers in ``values``."""
    mag = 0
    for v in values:
        v = sp.sympify(v)
        if v.is_Rational:  # from the integers' sizes: no SymPy log per number
            if v != 0:
                mag = max(mag, abs(int(math.floor(math.log10(abs(v.p)) - math.log10(v.q)))))
        elif v.is_number and v.is_finite and v != 0 and v.is_real:
            mag = max(mag, abs(int(math.floor(float(sp.log(abs(v), 10).evalf(5))))))
    return mag


def _scale(dp, dq, point):
    """Decimal magnitude of the parameter values and of the numbers inside the laws
    (``Normal('X', 10**60, 1)`` needs 60 more digits, like a parameter 10**60)."""
    nums = [n for d in (dp, dq) if d is not None for n in _numbers(d)
            if not isinstance(n, sp.Float) or n not in point]
    return _magnitude(list(point.values()) + nums)


# ------------------------------------------------------------------ entry points
def evaluate(quantity, subs=None, dps=30, timeout=None) -> NumericValue:
    """Numeric value of an Entropy/CrossEntropy/KLDivergence from its definition.

    ``quantity`` is a measure object (``.kind``, ``.p``, ``.q``, ``.base``) or a
    tuple ``(kind, P[, Q][, base])`` with kind ``entropy``, ``cross_entropy`` or
    ``kl``.  ``subs`` maps parameter symbols (or their names) to numbers.
    Runs under a time budget of ``timeout`` seconds (default: the global
    default); raises :class:`~symxent.budget.BudgetExceeded` past it.
    """
    dps = _check_dps(dps)
    from symxent.numeric.divergence import DIV_KINDS, measure_value
    if getattr(type(quantity), "kind", None) in DIV_KINDS:  # the divergence family
        with budget(timeout), workdps(dps + _GUARD):
            val, err = measure_value(quantity, subs, dps)
            return NumericValue(+val, +err, dps)
    kind, P, Q, base = _unpack(quantity)
    base, base_rel = _base(base)
    rvs = (P,) if Q is None else (P, Q)
    point, fuzzy = _point(subs, rvs)
    dp = describe(P)
    dq = describe(Q) if Q is not None else None
    kinds = {dp.kind} | ({dq.kind} if dq else set())
    if not (kinds <= {"continuous"} or kinds <= {"discrete", "finite"}
            or kinds in ({"mvnormal"}, {"dirichlet"}, {"multinomial"}, {"multivariatet"})):
        raise UnsupportedError(
            f"no numeric definition for a {dp.kind} distribution" if dq is None else
            f"cannot compare a {dp.kind} with a {dq.kind} distribution")
    try:
        return _evaluate(kind, dp, dq, point, fuzzy, base, base_rel, dps, timeout)
    except BudgetExceeded:
        raise BudgetExceeded(f"the numeric evaluation of {kind} ran out of its time budget"
                             + (f" of {timeout} s" if timeout is not None else "")) from None


def _evaluate(kind, dp, dq, point, fuzzy, base, base_rel, dps, timeout):
    with budget(timeout):
        val, err = _nats(kind, dp, dq, point, dps)
        mag = _scale(dp, dq, point)
        with workdps(dps + _GUARD + mag):
            if fuzzy and mpmath.isfinite(val):
                err += _float_error(kind, dp, dq, point, fuzzy, val)
            if base is not None:
                lb = mpmath.log(_const(base))
                val, err = val / lb, err / abs(lb)
                if base_rel and mpmath.isfinite(val):
                    # log(b (1 + d)) = log b + d: the value in base b moves by |val| d / |log b|
                    err += 2 * abs(val) * base_rel / abs(lb)
            return NumericValue(+val, +err, dps)


def _nats(kind, dp, dq, point, dps):
    """(value in nats, error) at an exact point."""
    kinds = {dp.kind} | ({dq.kind} if dq else set())
    mag = _scale(dp, dq, point)
    wdps = dps + _GUARD + mag
    prec = (wdps, dps + 4, dps + 4 + mag)
    with workdps(wdps):
        if kinds <= {"continuous"}:
            val, err = continuous(kind, dp, dq, point, *prec)
        elif kinds <= {"discrete", "finite"}:
            val, err = _discrete(kind, dp, dq, point, wdps)
        elif kinds == {"mvnormal"}:
            val, err = mvnormal(kind, dp, dq, point, *prec)
        elif kinds == {"multinomial"}:
            val, err = multinomial(kind, dp, dq, point, wdps)
        elif kinds == {"multivariatet"}:
            val, err = multivariate_t(kind, dp, dq, point, prec)
        else:
            val, err = dirichlet(kind, dp, dq, point, *prec)
        err = abs(err) + (0 if mpmath.isinf(val) else abs(val) * mpmath.mpf(10) ** (-wdps + 3))
        return +val, +err


def _float_error(kind, dp, dq, point, fuzzy, val):
    """Bound on what the rounding of float parameters can change in ``val``: for each
    float parameter v (relative uncertainty d), twice the change of the value when v
    is nudged by 2**-20 relative, scaled to d (a first-order sensitivity)."""
    total = mpmath.mpf(0)
    for s, rel in fuzzy.items():
        slope = None
        for sign in (1, -1):
            moved = dict(point)
            moved[s] = point[s] * (1 + sign * sp.Rational(1, 2 ** 20))
            try:
                _check_domain(dp.rv, moved)
                if dq is not None:
                    _check_domain(dq.rv, moved)
                v2, _ = _nats(kind, dp, dq, moved, 15)
            except (ParameterError, NumericError):
                continue
            if mpmath.isfinite(v2):
                slope = abs(v2 - val) / _NUDGE
                break
        if slope is None:
            raise NumericError(f"cannot bound the effect of the rounding of the float "
                               f"parameter {s} = {float(point[s])!r}; give it exactly "
                               f"(e.g. Rational('{float(point[s])!r}'))")
        total += 2 * slope * rel + abs(val) * mpmath.mpf(10) ** -12 * rel / _NUDGE
    return total


def entropy_value(P, subs=None, dps=30, base=None, timeout=None) -> NumericValue:
    """S(P) from its definition."""
    return evaluate(("entropy", P, base), subs, dps, timeout)


def cross_entropy_value(P, Q, subs=None, dps=30, base=None, timeout=None) -> NumericValue:
    """H(P, Q) from its definition."""
    return evaluate(("cross_entropy", P, Q, base), subs, dps, timeout)


def kl_value(P, Q, subs=None, dps=30, base=None, timeout=None) -> NumericValue:
    """D_KL(P || Q) from its definition."""
    return evaluate(("kl", P, Q, base), subs, dps, timeout)


def is_measure(e) -> bool:
    """Is ``e`` one of the information measures (Entropy, CrossEntropy,
    KLDivergence, ...)?  Duck-typed on the class attribute ``kind`` so that this
    layer never imports the measures (sympy's own ``.kind`` of ordinary
    expressions is not touched: it fails on sums of measures)."""
    from symxent.numeric.divergence import DIV_KINDS
    return (isinstance(e, sp.Expr) and getattr(type(e), "kind", None) in KINDS + DIV_KINDS
            and hasattr(e, "p"))


def evaluate_expression(expr, subs=None, dps=30, timeout=None) -> NumericValue:
    """Numeric value of an expression built from measures, parameters, integrals,
    sums and expectations.

    Each measure is replaced by its reference value (:func:`evaluate`), every
    integral, sum and expectation is evaluated by
    :func:`symxent.numeric.expressions.closed_value`; the error is propagated
    to first order (``sum |d expr / d m_i| * error_i``).
    """
    dps = _check_dps(dps)
    expr = sp.sympify(expr)
    if is_measure(expr):
        return evaluate(expr, subs, dps, timeout)
    measures = list(dict.fromkeys(m for m in sp.preorder_traversal(expr) if is_measure(m)))
    point, rels = {}, {}
    for k, v in (subs or {}).items():
        k = sp.Symbol(k) if isinstance(k, str) else k
        point[k], rel = exact(v, f"the value of {k}")
        if rel and point[k] != 0:
            rels[k] = rel
    with budget(timeout):
        vals = [evaluate(m, subs, dps) for m in measures]
        stand = [sp.Dummy(f"m{i}") for i in range(len(measures))]
        e = expr.xreplace(dict(zip(measures, stand)))
        wdps = dps + _GUARD
        with workdps(wdps):
            known = {s: (v.value, v.error) for s, v in zip(stand, vals)}
            # a float parameter used outside the measures: its own rounding
            fuzzy = {s: (_const(point[s]), rel) for s, rel in rels.items() if e.has(s)}
            pv = {s: sp.Dummy(str(s)) for s in fuzzy}
            e = e.xreplace(pv).xreplace(point)
            for s, (v, rel) in fuzzy.items():
                known[pv[s]] = (v, 2 * abs(v) * rel)
            value, err = closed_value(e, known, wdps)
            return NumericValue(+value, +err, dps)
