"""Verify hand-typed formulas for S, H and D_KL in tests.

``assert_formula(formula, quantity)`` checks a closed form ``formula`` (a SymPy
expression in the distributions' parameters) against ``quantity``, an
unevaluated :class:`~symxent.Entropy`, :class:`~symxent.CrossEntropy` or
:class:`~symxent.KLDivergence`:

1. symbolically, against the engine's closed form (``quantity.doit()``), by
   ``simplify(formula - closed) == 0`` under a short time budget; the outcome is
   recorded as ``equal``, ``differs``, ``not decided`` or ``no closed form``;
2. always numerically, at ``points`` random admissible parameter points
   (:func:`symxent.laws.domain.sample_point`: symbol assumptions and each
   distribution's own domain; every other point drawn at large, small or mixed
   scales, log-uniformly in 10**2 .. 10**3 or 10**-3 .. 10**-2, so that a formula
   wrong only at large or small scales is caught; where the definition cannot be
   evaluated at such an extreme point, one at mixed scales and then a moderate
   one are tried, and the skipped ones listed in ``report.skipped``), comparing
   the formula (evaluated at ``dps + 10`` digits) with :func:`symxent.numeric.core.evaluate` of the *definition* -- an
   mpmath integral or sum that does not use the engine.

At a point the formula *agrees* when it is within ``10**(-dps+5)`` (relative to
the value's size) of the reference; the reference's own error estimate must be
below that tolerance, otherwise the point is *inconclusive* -- unless the two
values differ by more than 10 error estimates, which is a *mismatch* either way.
Where the definition is ``+oo`` the formula must be ``oo`` too (give formulas
that hold only under conditions as ``Piecewise((f, cond), (oo, True))``).

An exact nonzero symbolic difference (``differs``, e.g. by ``1/10**25``) fails
the check even when every point agrees.  Strings are refused (never sympified).

``assert_formula`` raises :class:`AssertionError` on a mismatch (naming the point
and both values to ``dps`` digits) and on an inconclusive point (the message
says *inconclusive*; it never reports agreement it could not establish).
:func:`check_formula` returns a :class:`FormulaReport` instead of raising.
"""
from __future__ import annotations

import random
import warnings
import zlib
from dataclasses import dataclass, field

import mpmath
import sympy as sp
from symxent.engine.rulebase import DOES_NOT_APPLY, SYMPY_BUGS, unexpected
from symxent.errors import SymxentError
from symxent.precision import exclusive, workdps

__all__ = ["assert_formula", "check_formula", "FormulaReport", "PointCheck"]

AGREE, MISMATCH, INCONCLUSIVE = "agree", "mismatch", "inconclusive"


@dataclass
class PointCheck:
    """The comparison at one parameter point."""

    point: dict
    formula_value: object      # mpf, +-inf, or None when the formula is not real there
    reference_value: object    # mpf or +inf (None when the definition could not be evaluated)
    error: object              # the reference's error estimate
    status: str                # "agree", "mismatch" or "inconclusive"
    note: str = ""


@dataclass
class FormulaReport:
    """Outcome of :func:`check_formula`."""

    passed: bool
    symbolic: str
    points: list = field(default_factory=list)
    formula: object = None
    quantity: object = None
    dps: int = 30
    closed_form: object = None
    skipped: list = field(default_factory=list)   # extreme points the reference could
                                                  # not decide, replaced by others

    def failures(self):
        return [p for p in self.points if p.status != AGREE]

    def message(self) -> str:
        """Why the check failed (empty when it passed)."""
        if self.passed:
            return ""
        bad = [p for p in self.points if p.status == MISMATCH]
        if bad:
            p = bad[0]
            return (f"formula {self.formula} does not match {self.quantity} at "
                    f"{_fmt_point(p.point)}: formula = {_fmt(p.formula_value, self.dps)}, "
                    f"definition = {_fmt(p.reference_value, self.dps)} "
                    f"(+- {_fmt(p.error, 3)}){_note(p)}; symbolic check: {self.symbolic}; "
                    f"{len(bad)} of {len(self.points)} points mismatch")
        if not self.failures() and self.symbolic.startswith("differs"):
            return (f"formula {self.formula} does not match {self.quantity}: the symbolic check "
                    f"says it {self.symbolic} from the engine's closed form {self.closed_form}, "
                    f"although all {len(self.points)} points agree to {self.dps} digits")
        p = self.failures()[0]
        return (f"inconclusive: cannot decide whether {self.formula} equals {self.quantity} at "
                f"{_fmt_point(p.point)}: formula = {_fmt(p.formula_value, self.dps)}, "
                f"definition = {_fmt(p.reference_value, self.dps)} (+- {_fmt(p.error, 3)})"
                f"{_note(p)}; symbolic check: {self.symbolic}")


def _note(p):
    return f" [{p.note}]" if p.note else ""


def _fmt(v, digits):
    if v is None:
        return "undefined"
    if isinstance(v, str):
        return v
    return mpmath.nstr(v, digits)


def _fmt_point(point):
    return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(point.items(), key=lambda kv: str(kv[0]))) \
        + "}"


def _measure_parts(quantity):
    from symxent.numeric.core import is_measure
    if not is_measure(quantity):
        from symxent.errors import UnsupportedError
        raise UnsupportedError(
            f"quantity must be an unevaluated Entropy, CrossEntropy or KLDivergence, "
            f"got {quantity!r}")
    rvs = (quantity.p,) if quantity.q is None else (quantity.p, quantity.q)
    return rvs


def _symbolic(formula, quantity, timeout):
    """(verdict, closed form) of simplify(formula - engine's closed form) == 0."""
    from symxent.budget import BudgetExceeded, budget
    from symxent.numeric.core import is_measure
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            closed = quantity.doit(timeout=timeout)
    except (SymxentError, BudgetExceeded) as exc:  # the engine declined: no comparison
        return f"no closed form ({type(exc).__name__})", None
    if any(is_measure(a) for a in sp.preorder_traversal(closed)):
        return "no closed form", None
    try:
        with budget(timeout):
            d = sp.simplify(formula - closed)
    except BudgetExceeded:
        return "not decided (time budget)", closed
    except DOES_NOT_APPLY:  # simplify failed: the numeric comparison decides
        return "not decided", closed
    except SYMPY_BUGS as exc:
        unexpected(exc)
        return "not decided", closed
    if d == 0:
        return "equal", closed
    if d.is_number and d.is_zero is False:
        if d.has(sp.Float):  # floats in the formula: not an exact difference
            return f"not decided (differs by {d}, a difference of floating-point numbers)", closed
        return f"differs (by {d})", closed
    return "not decided", closed


def _formula_value(formula, point, dps):
    """The formula at ``point``, evaluated at ``dps + 10`` digits: mpf, +-inf or None."""
    e = formula.xreplace(point)
    if e in (sp.oo, -sp.oo):
        return mpmath.inf if e == sp.oo else -mpmath.inf
    if e.has(sp.zoo, sp.nan):
        return None
    try:
        v = e.evalf(dps + 10)
    except (*DOES_NOT_APPLY, ArithmeticError):  # no value there: the point decides nothing
        return None
    except SYMPY_BUGS as exc:
        unexpected(exc)
        return None
    if v in (sp.oo, -sp.oo):
        return mpmath.inf if v == sp.oo else -mpmath.inf
    re, im = v.as_real_imag()
    if not re.is_Number or not im.is_Number or im != 0 and abs(im) > abs(re) * 10 ** (-dps):
        return None
    with workdps(dps + 10):
        return mpmath.mpf(sp.Float(re, dps + 10)._mpf_)


def _compare(fv, ref, dps):
    """Status at one point (mpf values; ref = NumericValue), by the numeric layer's
    one comparison rule (:func:`symxent.numeric.compare`)."""
    from symxent.numeric import compare
    if fv is None:
        return MISMATCH, "the formula is not a real number here"
    c = compare(fv, ref.value, ref.error, dps=dps)
    if c.status == "inconclusive":
        return INCONCLUSIVE, "the numeric reference is not accurate enough at this dps"
    return (AGREE, "") if c.status == "agree" else (MISMATCH, "")


def _default_seed(formula, quantity):
    return zlib.crc32(f"{formula}|{quantity}".encode())


FORMULA_TIMEOUT = 120.0  # seconds for a whole check: many evaluations, not one


def check_formula(formula, quantity, *, dps=30, points=20, seed=None,
                  symbolic_timeout=10, timeout=FORMULA_TIMEOUT) -> FormulaReport:
    """Compare ``formula`` with ``quantity``; returns a :class:`FormulaReport`.

    ``seed`` fixes the random parameter points (default: derived from the text
    of the formula and the quantity, so reruns see the same points).  The whole
    check runs under one budget of ``timeout`` seconds (default 120: it makes many
    numeric evaluations); points the budget leaves no time for are inconclusive,
    so the check does not pass.
    """
    from symxent import budget
    timeout = budget.validate_timeout(timeout)
    with budget.budget(timeout), exclusive():
        try:
            return _check_formula(formula, quantity, dps, points, seed, symbolic_timeout)
        except budget.BudgetExceeded:
            pass
    return FormulaReport(False, f"the time budget of {timeout:g} s ran out",
                         [PointCheck({}, None, None, None, INCONCLUSIVE,
                                     f"the time budget of {timeout:g} s ran out")],
                         formula, quantity, dps, None, [])


def _check_formula(formula, quantity, dps, points, seed, symbolic_timeout):
    from symxent.laws.domain import sample_point
    from symxent.errors import ParameterError, SymxentError
    from symxent.numeric.core import evaluate
    from symxent.laws.support import describe

    if isinstance(formula, (str, bytes, bytearray)):
        from symxent.errors import UnsupportedError
        raise UnsupportedError(
            f"check_formula got the string {formula!r} as formula: strings are never parsed "
            f"(SymPy's sympify would run them as code); pass a SymPy expression")
    try:
        formula = sp.sympify(formula, strict=True)
    except sp.SympifyError:
        from symxent.errors import UnsupportedError
        raise UnsupportedError(
            f"the formula must be a SymPy expression or a number, got {formula!r}") from None
    rvs = _measure_parts(quantity)
    params = {s for rv in rvs for s in describe(rv).params}
    extra = formula.free_symbols - params
    if extra:
        raise ParameterError(
            f"the formula has symbols {sorted(map(str, extra))} that are not parameters of "
            f"{', '.join(map(str, rvs))} (parameters: {sorted(map(str, params))})")
    verdict, closed = _symbolic(formula, quantity, symbolic_timeout)
    rng = random.Random(_default_seed(formula, quantity) if seed is None else seed)
    checks = []
    scales = (None, "large", None, "small", None, "mixed")
    skipped = []
    for i in range(points):
        # every other point reaches large, small or mixed scales (10**-3 .. 10**3): a
        # formula wrong only at large or small scales must not pass.  Where the
        # numeric definition cannot decide at such an extreme point (two Gamma shapes
        # of 0.003), a point at mixed scales and then a moderate one are tried; the
        # skipped points are listed in the report, never counted as agreement.
        scale = scales[i % len(scales)]
        tries = (scale, "mixed", None) if scale else (None,)
        for attempt, spread in enumerate(tries):
            point = sample_point(list(rvs), rng, spread=spread)
            check = _point_check(formula, quantity, point, dps, evaluate,
                                 (SymxentError, ArithmeticError))
            if check.status != INCONCLUSIVE or attempt == len(tries) - 1:
                break
            skipped.append(check)
        checks.append(check)
    # an exact nonzero difference from the engine's closed form fails, whatever the
    # numbers say (1/10**25 is invisible at 30 digits but the formula is still wrong)
    passed = (bool(checks) and all(c.status == AGREE for c in checks)
              and not verdict.startswith("differs"))
    return FormulaReport(passed, verdict, checks, formula, quantity, dps, closed, skipped)


def _point_check(formula, quantity, point, dps, evaluate, failures):
    fv = _formula_value(formula, point, dps)
    try:
        ref = evaluate(quantity, point, dps=dps)
    except failures as exc:
        return PointCheck(point, fv, None, None, INCONCLUSIVE,
                          f"the definition could not be evaluated: {exc}")
    status, note = _compare(fv, ref, dps)
    return PointCheck(point, fv, ref.value, ref.error, status, note)


def assert_formula(formula, quantity, *, dps=30, points=20, seed=None,
                   symbolic_timeout=10, timeout=FORMULA_TIMEOUT) -> FormulaReport:
    """Assert that ``formula`` equals ``quantity`` (see the module docstring).

    Raises :class:`AssertionError` on a mismatch or an inconclusive point;
    returns the :class:`FormulaReport` when every point agrees.
    """
    report = check_formula(formula, quantity, dps=dps, points=points, seed=seed,
                           symbolic_timeout=symbolic_timeout, timeout=timeout)
    if not report.passed:
        raise AssertionError(report.message())
    return report
