r"""The three measures: entropy, cross-entropy and Kullback-Leibler divergence.

For random variables P, Q with densities (or mass functions) p, q:

.. math::

    S(P) = -E_P[\log p], \qquad H(P, Q) = -E_P[\log q], \qquad
    D_{KL}(P \| Q) = E_P[\log p - \log q] = H(P, Q) - S(P).

H and D_KL are ``+oo`` when P gives mass where q vanishes.  With ``base`` b
every value is divided by ``log b`` (bits for b = 2).

:class:`Entropy`, :class:`CrossEntropy` and :class:`KLDivergence` are
unevaluated SymPy expressions (printing as S, H and D_KL); ``.doit()`` asks the
engine for a closed form.  The functions :func:`entropy`,
:func:`cross_entropy` and :func:`kl_divergence` do the same in one call.  When
no closed form is found within the time budget the unevaluated object comes
back, with a :class:`NoClosedFormWarning`; never a guess.

**No result leaves unchecked.**  Before a closed form is returned it is
compared with :func:`symxent.numeric.evaluate` -- the *definition* integrated
or summed with mpmath, independently of the engine -- at one random admissible
parameter point (:func:`~symxent.laws.domain.sample_point`, seeded by the
quantity, so a call is reproducible; two points when the closed form is a
``Piecewise``), at 10 digits, with a tolerance of
``1e-6`` relative (absolute below 1) plus ten times the reference's error
estimate: far above quadrature error, far below any wrong formula.  ``oo``
must meet ``inf``; a ``Piecewise`` is evaluated at the point; a residual
``Sum`` is summed by ``mpmath.nsum``.  Outcomes:

* agreement: the closed form is returned (and cached);
* disagreement: the unevaluated object, with a :class:`VerificationWarning`
  naming the point and both values -- never the wrong formula;
* undecided (the definition cannot be evaluated there, not accurately enough,
  or not within the check's share of the budget): the closed form is returned
  with an :class:`UnverifiedWarning` saying why; it is never counted as
  agreement.  (Returning the unevaluated object here would throw away results
  the engine derived for every law the numeric layer cannot integrate.)

The check runs inside the call's time budget (at most a quarter of it, at
least 2 s).  ``verify=False`` per call, or :func:`set_verify` globally, skips
it.  Results cut short by the budget are never cached.

Parameters on the boundary of a closed domain condition (``Geometric(1)``:
p <= 1 holds with equality) are replaced by a symbol and the closed form is
the one-sided limit there (0 log 0 = 0), never a raw substitution; a result
containing ``nan`` is never returned.
"""
from __future__ import annotations

import random
import threading
import warnings
import zlib
from collections import OrderedDict

import mpmath
import sympy as sp
from sympy.core.sympify import SympifyError, _sympify
from sympy.printing.pretty.stringpict import prettyForm
from sympy.stats.rv import RandomSymbol

from symxent import budget
from symxent.errors import ParameterError, SymxentError, UnsupportedError, strict_sympify
from symxent.laws.domain import boundary_parameters, sample_point
from symxent.laws.support import describe, support_bounds
from symxent.engine.canonical import canonical
from symxent.engine.core import NoClosedForm, compute
from symxent.laws.boundary import finite_rational, one_sided_limit
from symxent.precision import exclusive, workdps

__all__ = ["Entropy", "CrossEntropy", "KLDivergence", "entropy", "cross_entropy",
           "kl_divergence", "NoClosedFormWarning", "VerificationWarning", "UnverifiedWarning",
           "set_verify", "get_verify"]


class NoClosedFormWarning(UserWarning):
    """No closed form was found (or the time budget ran out); the unevaluated object
    is returned."""


class VerificationWarning(NoClosedFormWarning):
    """The engine's candidate closed form disagreed with the numeric evaluation of
    the definition at a parameter point; the unevaluated object is returned."""


class UnverifiedWarning(UserWarning):
    """The numeric check could not decide (the definition could not be evaluated,
    not accurately enough, or not within the budget); the closed form is returned
    unverified."""


def _refuse_string(what, value):
    if isinstance(value, (str, bytes, bytearray)):
        strict_sympify(value, what)  # raises, naming the argument


class _Measure(sp.Expr):
    kind = None
    symbol = None
    latex_symbol = None

    is_real = True
    is_commutative = True

    def __new__(cls, *args, base=sp.E):
        for a in args:
            _refuse_string(cls.__name__, a)
            if not isinstance(a, RandomSymbol):
                raise UnsupportedError(
                    f"{cls.__name__} takes sympy.stats random variables, got {a!r}")
        _refuse_string(f"{cls.__name__}(base=...)", base)
        try:
            base = sp.E if base is None else _sympify(base)  # strict: no parsing
        except SympifyError:
            raise UnsupportedError(
                f"the logarithm base must be a number or a SymPy expression, got {base!r}"
            ) from None
        if not (base.is_positive and base.is_finite and base != 1):
            raise ValueError(
                f"the logarithm base must be positive and not 1 (and finite), got {base}")
        return sp.Expr.__new__(cls, *args, base)

    @property
    def p(self):
        return self.args[0]

    @property
    def q(self):
        return self.args[1] if len(self.args) == 3 else None

    @property
    def base(self):
        return self.args[-1]

    @property
    def rvs(self):
        return self.args[:-1]

    def doit(self, deep=False, timeout=None, verify=None, **hints):
        return _evaluate(self, timeout, verify)

    # ---- printing
    def _sub(self):
        return "" if self.base == sp.E else f"_{self.base}"

    def _sympystr(self, printer):
        inner = self.sep.join(printer._print(a) for a in self.rvs)
        return f"{self.symbol}{self._sub()}({inner})"

    def _latex(self, printer):
        inner = self.latex_sep.join(printer._print(a) for a in self.rvs)
        sub = "" if self.base == sp.E else "_{%s}" % printer._print(self.base)
        return rf"{self.latex_symbol}{sub}\left({inner}\right)"

    def _pretty(self, printer):
        inner = self.sep.join(str(a) for a in self.rvs)
        text = f"{self.symbol}{self._sub()}({inner})"
        if printer._use_unicode:
            text = text.replace("||", "\N{DOUBLE VERTICAL LINE}")
        return prettyForm(text)

    # ---- the defining integral or sum
    def _definition(self, kind_of_sum):
        dp = describe(self.p)
        if dp.kind not in ("continuous", "discrete", "finite"):
            raise UnsupportedError("the defining integral is shown for univariate laws only")
        x = dp.var
        p = dp.pdf if dp.kind != "finite" else sp.Function("p")(x)
        q = p
        if self.q is not None:
            dq = describe(self.q)
            q = dq.pdf.subs(dq.var, x) if dq.kind != "finite" else sp.Function("q")(x)
        g = {"entropy": -sp.log(p), "cross_entropy": -sp.log(q),
             "kl": sp.log(p) - sp.log(q)}[self.kind] * p
        if dp.kind == "finite":
            return sp.Add(*[g.subs(x, v).subs({sp.Function("p")(v): pv}) for v, pv in
                            dp.values.items()])
        lo, hi = support_bounds(dp.support)
        out = kind_of_sum(g, (x, lo, hi))
        return out if self.base == sp.E else out / sp.log(self.base)

    def _eval_rewrite_as_Integral(self, *args, **kwargs):
        return self._definition(sp.Integral)

    def _eval_rewrite_as_Sum(self, *args, **kwargs):
        return self._definition(sp.Sum)


class Entropy(_Measure):
    """Shannon (differential) entropy ``S(P) = -E_P[log p]``."""

    kind, symbol, latex_symbol, sep, latex_sep = "entropy", "S", "S", ", ", ", "

    def __new__(cls, p, base=sp.E):
        return super().__new__(cls, p, base=base)


class CrossEntropy(_Measure):
    """Cross-entropy ``H(P, Q) = -E_P[log q]``."""

    kind, symbol, latex_symbol, sep, latex_sep = "cross_entropy", "H", "H", ", ", ", "

    def __new__(cls, p, q, base=sp.E):
        return super().__new__(cls, p, q, base=base)


class KLDivergence(_Measure):
    """Kullback-Leibler divergence ``D_KL(P || Q) = E_P[log p - log q]``."""

    kind, symbol, latex_symbol = "kl", "D_KL", r"D_{\mathrm{KL}}"
    sep, latex_sep = " || ", r" \,\middle\|\, "

    def __new__(cls, p, q, base=sp.E):
        return super().__new__(cls, p, q, base=base)


# ------------------------------------------------------------------ verification
_VERIFY = {"enabled": True, "points": 1, "dps": 10}
_VERIFY_LOCK = threading.Lock()


def set_verify(enabled=True, *, points=None, dps=None) -> None:
    """Turn the numeric check of every closed form on or off (default: on).

    ``points`` (default 1; one more for a ``Piecewise``) random admissible
    parameter points are checked
    against the definition evaluated by :mod:`symxent.numeric` at ``dps``
    (default 10) digits.  Per call, ``verify=False`` skips the check.
    """
    if not isinstance(enabled, bool):
        raise TypeError(f"set_verify takes True or False, got {enabled!r}")
    with _VERIFY_LOCK:
        if points is not None:
            if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 20:
                raise ValueError(f"points must be an integer from 1 to 20, got {points!r}")
            _VERIFY["points"] = points
        if dps is not None:
            if not isinstance(dps, int) or isinstance(dps, bool) or not 8 <= dps <= 100:
                raise ValueError(f"dps must be an integer from 8 to 100, got {dps!r}")
            _VERIFY["dps"] = dps
        _VERIFY["enabled"] = enabled


def get_verify() -> bool:
    """Is the numeric check of closed forms on (see :func:`set_verify`)?"""
    return _VERIFY["enabled"]


AGREE, MISMATCH, UNDECIDED = "agree", "mismatch", "undecided"


def _seed(kind, p, q):
    """Deterministic per quantity: the same call checks the same point in every run."""
    text = f"{kind}|{p.pspace.distribution}|{q.pspace.distribution if q is not None else ''}"
    return zlib.crc32(text.encode())


class _NotSummed(Exception):
    pass


def _sum_numerically(s, dps):
    """A residual ``Sum`` with numeric bounds, summed by ``mpmath.nsum`` at
    ``dps + 5`` digits, ``strict``: it raises unless its extrapolation reached that
    accuracy.  (SymPy's ``evalf`` of such sums can take minutes.)"""
    if len(s.limits) != 1:
        raise _NotSummed("a multiple sum")
    k, lo, hi = s.limits[0]
    if s.function.free_symbols - {k} or not (lo.is_number and hi.is_number):
        raise _NotSummed("a sum with free symbols")
    with workdps(dps + 5):
        from symxent.numeric.mpcompile import compile_mp  # its besseli: Skellam in ms
        f = compile_mp(s.function, (k,)) if not s.function.has(sp.Sum) else \
            _nested_terms(s.function, k, dps)
        ends = [-mpmath.inf if e == -sp.oo else mpmath.inf if e == sp.oo else mpmath.mpf(int(e))
                for e in (lo, hi)]
        try:
            val = mpmath.nsum(f, ends, strict=True)
        except mpmath.libmp.NoConvergence:
            raise _NotSummed("the series did not converge numerically") from None
        except (ValueError, ZeroDivisionError, TypeError, OverflowError) as exc:
            raise _NotSummed(f"{type(exc).__name__}: {exc}") from None
        if not mpmath.isfinite(val):
            raise _NotSummed("the series sum is not finite")
        return sp.Float(val, dps + 5)


def _nested_terms(function, k, dps):
    """Terms of a series whose summand holds finite sums ranging up to a function of k
    (Hermite's mass: j up to floor(k/2)): at each integer k the inner sums have integer
    limits and are added up exactly, then evaluated."""
    def expand(t):
        (j, a, b), = t.limits
        return sp.Add(*[t.function.xreplace({j: sp.Integer(i)}) for i in range(int(a), int(b) + 1)])

    def term(kk):
        e = function.xreplace({k: sp.Integer(int(kk))})
        e = e.replace(lambda t: isinstance(t, sp.Sum), expand).evalf(dps + 10)
        if not e.is_number or not e.is_real:
            raise TypeError(f"the term at {k} = {int(kk)} is {e}")
        return mpmath.mpf(e)
    return term


def _candidate_at(value, point, dps):
    """(mpf or +-inf, None) or (None, why) for the closed form at ``point``;
    ``why`` starts with ``bad`` when the candidate is not a real number there."""
    e = value.xreplace(point)
    if e in (sp.oo, -sp.oo):
        return (mpmath.inf if e == sp.oo else -mpmath.inf), None
    if e.has(sp.nan, sp.zoo):
        return None, "bad: the candidate is undefined (nan) there"
    if e.free_symbols:
        return None, (f"bad: the candidate has symbols that are not parameters "
                      f"{sorted(map(str, e.free_symbols))}")
    try:
        if e.has(sp.Sum):
            sums = e.atoms(sp.Sum)  # the outermost ones (an inner one ranges with k)
            e = e.xreplace({a: _sum_numerically(a, dps) for a in sums
                            if not any(b != a and b.function.has(a) for b in sums)})
        v = e.evalf(dps + 5)
    except _NotSummed as exc:
        return None, f"the candidate's residual series could not be summed ({exc})"
    except (ValueError, TypeError, ArithmeticError, RecursionError) as exc:
        return None, f"the candidate could not be evaluated ({type(exc).__name__})"
    if v in (sp.oo, -sp.oo):
        return (mpmath.inf if v == sp.oo else -mpmath.inf), None
    if v.has(sp.nan, sp.zoo):
        return None, "bad: the candidate is undefined (nan) there"
    re, im = v.as_real_imag()
    if not (re.is_Number and im.is_Number):
        return None, "the candidate could not be evaluated numerically"
    if im != 0 and abs(im) > abs(re) * sp.Float(10) ** (-dps) + sp.Float(10) ** (-dps - 3):
        return None, f"bad: the candidate is not real there ({sp.N(v, 8)})"
    with workdps(dps + 5):
        return mpmath.mpf(sp.Float(re, dps + 5)._mpf_), None


def _compare(cand, ref, dps):
    """AGREE, MISMATCH or UNDECIDED for a candidate value against the reference, by
    the numeric layer's one comparison rule at a relative tolerance of
    10**(4 - dps), far above quadrature error."""
    from symxent.numeric import compare
    status = compare(cand, ref.value, ref.error, dps=dps + 1).status
    return {"agree": AGREE, "mismatch": MISMATCH}.get(status, UNDECIDED)


def _fmt_point(point):
    return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(point.items(),
                                                          key=lambda kv: str(kv[0]))) + "}"


def _check(kind, p, q, value, points, dps, quantity=None, extra=None):
    """``(status, message, cacheable)`` of the candidate ``value`` (nats).

    ``quantity`` (default ``(kind, p[, q])``) is what :func:`symxent.numeric.evaluate`
    gets; ``extra(rng)`` draws values of further symbols (a divergence's order).

    The definition is evaluated independently by :func:`symxent.numeric.evaluate`
    at ``points`` admissible points drawn by :func:`sample_point` (seeded by the
    quantity).  A point where either side cannot be evaluated, or the reference is
    not accurate enough, leaves the check undecided -- never counted as agreement.
    """
    from symxent.numeric import NumericError, evaluate
    rvs = (p,) if q is None else (p, q)
    rng = random.Random(_seed(kind, p, q))
    if any(describe(rv).kind in ("product", "mvnormal_matrix") for rv in rvs):
        return (UNDECIDED, "the numeric definition has no value for a product over a "
                "symbolic range or a normal of symbolic dimension", True)
    rv_params = any(describe(rv).params for rv in rvs)
    has_params = rv_params or extra is not None
    if quantity is None:
        quantity = (kind, p) if q is None else (kind, p, q)
    undecided = None
    # a Piecewise may be right on one branch and wrong on another: one more point
    n = points + 1 if value.has(sp.Piecewise) else points
    for _ in range(n if has_params else 1):
        try:
            point = sample_point(list(rvs), rng) if rv_params else {}
            point.update(extra(rng) if extra is not None else {})
        except ParameterError as exc:
            return UNDECIDED, f"no admissible parameter point to check at ({exc})", True
        where = f"at {_fmt_point(point)}" if point else "(no free parameters)"
        ref = None
        try:
            with budget.budget(budget.share(0.25, 2)):
                cand, why = _candidate_at(value, point, dps)
                if why is None or not why.startswith("bad"):
                    ref = evaluate(quantity, point, dps=dps)
        except budget.BudgetExceeded:
            return UNDECIDED, f"the time budget ran out while evaluating both sides " \
                              f"{where}", False
        except (NumericError, SymxentError, ArithmeticError, ValueError, TypeError,
                LookupError) as exc:
            # the reference failed (the last three are defects of the numeric layer
            # on unusual input): the point decides nothing
            undecided = (f"the definition could not be evaluated {where}: "
                         f"{type(exc).__name__}: {exc}")
            continue
        if why is not None and why.startswith("bad"):
            # not a real number at an admissible point: wrong whatever the definition is
            return MISMATCH, f"{where}: {why[5:]}", True
        if why is not None:
            undecided = f"{why} {where}"
            continue
        status = _compare(cand, ref, dps)
        shown = f"candidate = {mpmath.nstr(cand, dps)}, definition = {ref}"
        if status == MISMATCH:
            return MISMATCH, f"{where}: {shown}", True
        if status == UNDECIDED:
            undecided = f"the numeric definition is not accurate enough {where} ({shown})"
    if undecided is not None:
        return UNDECIDED, undecided, True
    return AGREE, "", True


# ------------------------------------------------------------------ the engine, once
def _open_boundary(rv, limits):
    """``rv`` with each parameter on the boundary of its domain (Geometric(1): p <= 1
    holds with equality) replaced by a fresh symbol; ``limits`` records where to
    take the limit.  Closed forms there are limits (0 log 0 = 0), not substitutions."""
    if rv is None:
        return None
    found = boundary_parameters(rv)
    if not found:
        return rv
    dist = rv.pspace.distribution
    args = list(dist.args)
    for i, v, side in found:
        inside_positive = v > 0 or (v == 0 and side == "+")
        inside_negative = v < 0 or (v == 0 and side == "-")
        t = sp.Dummy("t", positive=True) if inside_positive else (
            sp.Dummy("t", negative=True) if inside_negative else sp.Dummy("t", real=True))
        args[i] = t
        limits.append((t, v, side))
    ps = rv.pspace
    return type(ps)(ps.args[0], type(dist)(*args)).value


def _engine(kind, p, q):
    """The engine's candidate closed form (nats), limits taken at boundary points."""
    limits = []
    p2, q2 = _open_boundary(p, limits), _open_boundary(q, limits)
    value = canonical(compute(kind, p2, q2))
    if limits:
        for t, v, side in limits:
            budget.check()
            try:
                value = one_sided_limit(value, t, v, side)
            except (NotImplementedError, ValueError, TypeError, ArithmeticError) as exc:
                raise NoClosedForm(f"the limit at the boundary point {v} of the parameter "
                                   f"domain was not found ({type(exc).__name__})") from None
        if value.has(sp.Limit, sp.AccumBounds) or value.free_symbols & {t for t, _, _ in limits}:
            raise NoClosedForm("the limit at the boundary of the parameter domain was not found")
        value = canonical(value)
    return value


_CACHE: OrderedDict = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 4096


def _cache_get(key):
    with _CACHE_LOCK:
        return _CACHE.get(key)


def _cache_put(key, outcome):
    with _CACHE_LOCK:
        _CACHE[key] = outcome
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)


def _derive_checked(key, timeout, verify, derive, check, boundary=None):
    """``(value, warning class, message)``: the plumbing shared by every public measure
    (here and in :mod:`symxent.divergences`).

    ``derive()`` gives the engine's candidate in nats (raising :class:`NoClosedForm`
    when there is none); ``check(value, points, dps)`` gives ``(status, message,
    cacheable)`` (:func:`_check`); ``boundary(value)``, if given, states the closed
    boundaries of symbolic parameters (:func:`state_boundaries`).  Under the time budget; a candidate with nan is
    refused.  Cached under ``key`` and the check's settings -- warm calls are instant
    -- except results cut short by the time budget (a later call with a larger budget
    recomputes them).  A failed search is cached per budget (SymPy's integration gets
    a share of it).
    """
    total = budget.get_default_timeout() if timeout is None else float(timeout)
    cfg = (_VERIFY["points"], _VERIFY["dps"]) if verify else None
    key = key + (cfg,)
    hit = _cache_get(key) or _cache_get(key + (total,))
    if hit is not None:
        return hit
    cacheable = True
    try:
        with budget.budget(timeout), exclusive():
            value = derive()
            if isinstance(value, sp.Basic) and value.has(sp.nan, sp.zoo):
                out = (None, NoClosedFormWarning, "the engine's candidate is undefined (nan)")
            elif cfg is None:
                out = (value, None, "")
            else:
                status, msg, cacheable = check(value, *cfg)
                if status == AGREE:
                    out = (value, None, "")
                elif status == MISMATCH:
                    out = (None, VerificationWarning,
                           f"the engine's candidate {value} failed its numeric check {msg}")
                else:
                    out = (value, UnverifiedWarning,
                           f"the closed form could not be checked numerically: {msg}; it is "
                           f"returned unverified")
            if out[0] is not None and boundary is not None:
                out = (boundary(out[0]),) + out[1:]  # boundary parameters stated
    except NoClosedForm as e:
        out = (None, NoClosedFormWarning, f"no closed form found ({e})")
        key = key + (total,)
    except budget.BudgetExceeded:
        out = (None, NoClosedFormWarning, f"time budget of {total:g} s exceeded")
        cacheable = False
    if cacheable:
        _cache_put(key, out)
    return out


def _state_boundaries(m, value, timeout, verify):
    """``value`` (derived for interior parameters) with each closed boundary of a
    symbolic parameter where it is undefined (``0 log 0``, ``log 0``) stated as a
    ``Piecewise`` branch: the quantity of the boundary law itself, derived and
    checked like any other (``D_KL(Bernoulli(p1) || Binomial(4, p2))`` is ``+oo`` at
    ``p2 = 1``; ``S(Geometric(p))`` is 0 at ``p = 1``)."""
    if finite_rational(m.rvs):
        return value
    def edge_of(subs):
        return _closed_form(type(m)(*[rv.xreplace(subs) for rv in m.rvs]), timeout, verify)[0]
    return state_boundaries(value, m.rvs, edge_of)



def state_boundaries(value, rvs, edge_of):
    """See :func:`_state_boundaries`; ``edge_of(subs)`` is the closed form with the
    parameters substituted (None when there is none)."""
    from symxent.laws.boundary import (boundary_points, continuous_at, undefined_at,
                                       with_boundary)
    if not isinstance(value, sp.Expr) or value.is_number:
        return value
    base = value
    for subs, interior in boundary_points(rvs):
        budget.check()
        if not undefined_at(value, subs, rvs):
            continue
        try:
            edge = edge_of(subs)
        except SymxentError:
            edge = None
        if edge is None:  # no closed form for the boundary law: left as it was (a known gap)
            continue
        if continuous_at(base, subs, interior, edge, rvs) is not False:
            # the formula's limit there is the boundary law's value (no branch
            # needed), or that value has no number (no branch can say it)
            continue
        value = with_boundary(value, interior, edge)
    return value


def _answer(m, timeout, verify, closed_form):
    """The checked closed form of the measure object ``m`` (nats), or None; the warning,
    if any, is issued for the caller's caller.  ``closed_form(m, timeout, verify)``
    gives ``(value, warning class, message)``."""
    if timeout is not None:  # refused at the call, before the cache sees it
        budget.validate_timeout(timeout)
    verify = get_verify() if verify is None else verify
    if not isinstance(verify, bool):
        raise TypeError(f"verify must be True or False, got {verify!r}")
    value, warning, message = closed_form(m, timeout, verify)
    if warning is not None:
        tail = "; returning it unevaluated" if value is None else ""
        warnings.warn(f"{m}: {message}{tail}", warning, stacklevel=4)
    return value


def _closed_form(m, timeout, verify):
    """``(value, warning class, message)`` for S, H or D_KL (see :func:`_derive_checked`)."""
    return _derive_checked((m.kind, m.p, m.q), timeout, verify,
                           lambda: _engine(m.kind, m.p, m.q),
                           lambda value, points, dps: _check(m.kind, m.p, m.q, value,
                                                             points, dps),
                           lambda value: _state_boundaries(m, value, timeout, verify))


def _residual(value, rvs):
    """Does ``value`` keep a Sum or Integral that is not the closed form itself?  The
    sum over the factors of an ``independent(...)`` product is the answer, not a
    residual series."""
    if not isinstance(value, sp.Basic):
        return False
    indices = {rv.index for rv in rvs if describe(rv).kind == "product"}
    return value.has(sp.Integral) or any(
        s.variables[0] not in indices or s.function.has(sp.Sum) for s in value.atoms(sp.Sum))


def _evaluate(m, timeout=None, verify=None):
    value = _answer(m, timeout, verify, _closed_form)
    if value is None:
        return m
    if _residual(value, m.rvs):
        warnings.warn(f"{m}: no closed form for part of it; an exact residual series "
                      "(or integral) is kept", NoClosedFormWarning, stacklevel=3)
    if m.base != sp.E:
        value = value / sp.log(m.base)
    return value


def entropy(p, base=None, *, timeout=None, verify=None):
    """``S(P)`` in closed form (nats, or the given ``base``), checked numerically
    unless ``verify=False`` (default: :func:`get_verify`)."""
    return _evaluate(Entropy(p, base=base), timeout, verify)


def cross_entropy(p, q, base=None, *, timeout=None, verify=None):
    """``H(P, Q)`` in closed form (nats, or the given ``base``), checked numerically
    unless ``verify=False``."""
    return _evaluate(CrossEntropy(p, q, base=base), timeout, verify)


def kl_divergence(p, q, base=None, *, timeout=None, verify=None):
    """``D_KL(P || Q)`` in closed form (nats, or the given ``base``), checked
    numerically unless ``verify=False``."""
    return _evaluate(KLDivergence(p, q, base=base), timeout, verify)
