"""What every expectation rule shares: the region, the rule interface, and soundness.

* :class:`Region` (a log-density on an interval) and :class:`Rule`:
  ``step(region, f)`` returns ``(value, step)``, the value of ``int exp(L) f`` and
  its :class:`~symxent.engine.steps.RuleStep` record, or ``None`` when the rule does
  not apply (:func:`ask` puts any rule or legacy ``apply`` in that form);
* :func:`admissible`: no value with ``I``, ``nan``, ``zoo`` or the log of a quantity
  known to be non-positive leaves a rule; :func:`real_logs` rewrites SymPy's
  real-valued spellings with logs of negative numbers first;
* which exceptions mean "this rule does not apply" (:data:`DOES_NOT_APPLY`) and
  which are SymPy bugs (:data:`SYMPY_BUGS`, re-raised when ``SYMXENT_STRICT=1``
  unless identified in :data:`KNOWN_SYMPY_BUGS`), and
  :func:`attempt`, the one place that catches them.
"""
from __future__ import annotations

import os
from contextlib import contextmanager

import sympy as sp
from sympy.polys.polyerrors import CoercionFailed, PolynomialError

from symxent import budget
from symxent.engine.kernels import kernel_integral
from symxent.engine.steps import Region, RuleStep
from symxent.laws.support import known_le

__all__ = ["NoClosedForm", "Region", "Rule", "RuleStep", "ask", "admissible", "real_logs",
           "DOES_NOT_APPLY", "SYMPY_BUGS", "KNOWN_SYMPY_BUGS", "known_sympy_bug", "unexpected",
           "attempt", "strict"]


class NoClosedForm(Exception):
    """No rule found a closed form."""


#: SymPy's ways of saying "I cannot do this integral/sum/limit": for a rule, the
#: rule does not apply.  ``NotImplementedError`` (``integrate``, ``limit``, ``solve``
#: and the summation code say they have no method), ``PolynomialError`` and
#: ``CoercionFailed`` (an expression is not a polynomial over the domain a rule
#: needs), ``ValueError`` (``as_poly``/``degree`` of a non-polynomial, a Piecewise
#: condition SymPy cannot order) and ``ZeroDivisionError`` (a coefficient that
#: vanishes at the point a rule evaluates).
DOES_NOT_APPLY = (NotImplementedError, PolynomialError, CoercionFailed, ValueError,
                  ZeroDivisionError)
#: Failures inside SymPy that are bugs rather than answers.  Outside strict mode a
#: rule that meets one does not apply (never a wrong value); with the environment
#: variable ``SYMXENT_STRICT=1`` (CI) they propagate.
SYMPY_BUGS = (TypeError, AttributeError, IndexError, KeyError, RecursionError)


#: SymPy bugs met and identified, each ``(exception type, file of SymPy where it is
#: raised, message fragment)``: in strict mode too, meeting one means the rule does
#: not apply (strict mode is there to find the unknown ones).
KNOWN_SYMPY_BUGS = (
    # SymPy 1.14, param_rischDE: ``if n > 0`` on a Poly (integrate of
    # exp(L) * log(x log(x)**3) for L = log(2/(x log(x)**3)) on (e, oo))
    (TypeError, "sympy/integrals/rde.py", "'>' not supported between instances of 'Poly'"),
)


def known_sympy_bug(err):
    """Is ``err`` one of :data:`KNOWN_SYMPY_BUGS` (by type, message and the file of
    SymPy's that raised it)?"""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = tb.tb_frame.f_code.co_filename.replace("\\", "/") if tb is not None else ""
    return any(isinstance(err, kind) and where.endswith(path) and text in str(err)
               for kind, path, text in KNOWN_SYMPY_BUGS)


def strict():
    """Is ``SYMXENT_STRICT`` set (to anything but ``0``)?  Then SymPy bugs propagate."""
    return os.environ.get("SYMXENT_STRICT", "") not in ("", "0")


def unexpected(err):
    """Re-raise ``err`` in strict mode unless it is a known SymPy bug
    (:func:`known_sympy_bug`); otherwise the rule simply does not apply."""
    if strict() and not known_sympy_bug(err):
        raise err


@contextmanager
def attempt(seconds=None):
    """Run SymPy where its failure means "this rule does not apply".

    ``with attempt(): v = sympy_call()`` leaves the body at the first
    :data:`DOES_NOT_APPLY` exception, swallowing it, and likewise a
    :data:`SYMPY_BUGS` one unless in strict mode (:func:`unexpected`); the caller
    sees that its result was never assigned.  With ``seconds`` the body runs under
    that budget (:func:`symxent.budget.budget`): when that share runs out the
    attempt has failed, but when the call's own budget is out
    :class:`~symxent.budget.BudgetExceeded` propagates.  Anything else propagates.
    """
    try:
        if seconds is None:
            yield
        else:
            with budget.budget(seconds):
                yield
    except budget.BudgetExceeded:
        if seconds is None:
            raise
        budget.check()  # the call's own budget is out: stop; else only the share ran out
    except DOES_NOT_APPLY:
        pass
    except SYMPY_BUGS as err:
        unexpected(err)


def real_logs(value, region):
    """Write ``log(u)`` with ``u`` known negative as ``log(-u) + I*pi`` (an identity on
    the principal branch) and expand: SymPy's antiderivatives often spell a real value
    ``log(b - 1) - log(a - 1)`` with ``a, b < 1``; the ``I*pi`` then cancel.  A value
    that is not real keeps its ``I`` and :func:`admissible` rejects it."""
    if not isinstance(value, sp.Basic):
        return value
    reps = {}
    for lg in value.atoms(sp.log):
        u = lg.args[0]
        if u.is_negative or (u.free_symbols and u.is_extended_real is not False
                             and _nonpositive(u, region.facts)):
            reps[lg] = sp.log(sp.expand(-u)) + sp.I * sp.pi
    return sp.expand(value.xreplace(reps)) if reps else value


def _nonpositive(u, facts):
    """``u <= 0`` from the facts: one fact's gap, or the sum of two (a chain)."""
    if known_le(u, 0, facts) is sp.true:
        return True
    gaps = [sp.expand(f.rhs - f.lhs) if isinstance(f, (sp.Le, sp.Lt)) else
            sp.expand(f.lhs - f.rhs) for f in facts if isinstance(f, (sp.Le, sp.Lt, sp.Ge, sp.Gt))]
    d = sp.expand(-u)
    return any(sp.expand(d - g1 - g2).is_nonnegative
               for i, g1 in enumerate(gaps) for g2 in gaps[i + 1:])


def admissible(value, region):
    """May ``value`` leave a rule?  Not with I, nan or zoo in it, nor with the
    log of a quantity known to be non-positive (or known not to be real): such a
    value is a complex antiderivative's, or a sign lost on the way."""
    if not isinstance(value, sp.Basic) or value.has(sp.I, sp.nan, sp.zoo):
        return False
    for lg in value.atoms(sp.log):
        arg = lg.args[0]
        if arg.is_nonpositive or arg.is_extended_real is False:
            return False
        if arg.free_symbols and known_le(arg, 0, region.facts) is sp.true:
            return False
    return True


def _cond_value(cond):
    """``cond`` with each inequality decided where the sign assumptions allow.

    A convergence condition built from a parameter expression may not evaluate by
    itself: ``2*u**2 - u*(2*u - 1) - u + 1 > 0`` is ``1 > 0`` once expanded (tilting
    BetaPrime(2*u, 1/u)); the difference is expanded and put over one denominator.
    """
    if isinstance(cond, sp.And):
        return sp.And(*[_cond_value(c) for c in cond.args])
    if isinstance(cond, (sp.Gt, sp.Ge, sp.Lt, sp.Le)) and cond.free_symbols:
        d = cond.gts - cond.lts
        d = sp.factor_terms(sp.together(sp.expand(d)))
        if d.is_positive or (d.is_nonnegative and isinstance(cond, (sp.Ge, sp.Le))):
            return sp.true
        if d.is_negative or (d.is_nonpositive and isinstance(cond, (sp.Gt, sp.Lt))):
            return sp.false
    return cond


def _guard(value, cond, sign):
    """Attach a convergence condition: ``value`` where ``cond``, ``sign*oo`` elsewhere."""
    cond = _cond_value(cond)
    if cond is sp.true:
        return value
    if sign is None:
        if cond is sp.false:
            raise NoClosedForm("divergent integral of unknown sign")
        raise NoClosedForm(f"convergence depends on {cond}")
    if cond is sp.false:
        return sign * sp.oo
    return sp.Piecewise((value, cond), (sign * sp.oo, True))


class Rule:
    """Base class of the expectation rules; a rule's docstring states the rule.

    ``step(region, f)`` returns ``(value, step)``: ``value = int exp(L) f`` on the
    region (``E[f]`` when it is normalised) and ``step`` its
    :class:`~symxent.engine.steps.RuleStep` (:meth:`answer` makes the pair), or
    ``None`` when the rule does not apply.  ``apply(region, f)`` gives the value
    alone.  A subclass may define ``apply`` only (returning the value): its steps
    are then recorded under its ``name``.
    """

    name = "rule"

    def step(self, region, f):
        if type(self).apply is Rule.apply:
            raise TypeError(f"{type(self).__name__} defines neither step() nor apply()")
        v = self.apply(region, f)
        return None if v is None else self.answer(f, v)

    def apply(self, region, f):
        out = self.step(region, f)
        return None if out is None else out[0]

    def answer(self, f, value, *children):
        """``(value, RuleStep)`` of this rule for ``f``, found with the steps ``children``."""
        return value, RuleStep(self.name, f, value, children)


def ask(rule, region, f):
    """The one calling convention: ``rule.step(region, f)``, ``(value, step)`` or
    ``None``.  An object with only ``apply(region, f) -> value`` (registered before
    rules recorded their steps) is asked through it, the step named after it."""
    step = getattr(rule, "step", None)
    if step is not None:
        return step(region, f)
    v = rule.apply(region, f)
    return None if v is None else (v, RuleStep(getattr(rule, "name", type(rule).__name__), f, v))


def _Z(form, region):
    """``(KernelResult, step)`` for ``int exp(form)`` on the region, or ``None``."""
    return kernel_integral(Region(form, region.lo, region.hi, region.facts))
