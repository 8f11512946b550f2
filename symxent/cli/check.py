"""``symxent check``: the closed form against an mpmath evaluation of the
definition (:func:`symxent.numeric.core.evaluate`), compared by
:func:`symxent.numeric.expressions.compare`."""

from __future__ import annotations

import sympy

from symxent.cli.common import (_ARITY, _assignments, _closed_form, _given_note, _is_unevaluated,
                                _parameters, _parse_base, _parse_rvs, _quantity, _rv_text)
from symxent.cli.errors import CheckFailed, NoClosedFormFound, UsageError, bounded
from symxent.cli.errors import one_line as _one_line
from symxent.cli.parsing import parse_number
from symxent.errors import ParseError
from symxent.precision import workdps

__all__ = ["cmd_check"]


def _check_domains(rvs, subs):
    for rv in rvs:
        dist = rv.pspace.distribution
        check = getattr(type(dist), "check", None)
        if check is None:
            continue
        try:
            check(*[a.subs(subs) if isinstance(a, sympy.Basic) else a for a in dist.args])
        except (ValueError, TypeError) as exc:
            raise UsageError(f"parameter values outside the domain of {_rv_text(rv)}: "
                             f"{_one_line(exc)}") from None


def _to_mpf(expr, dps):
    import mpmath

    if expr == sympy.oo:
        return mpmath.inf
    if expr == -sympy.oo:
        return -mpmath.inf
    value = sympy.N(expr, dps)
    if value.free_symbols or not value.is_real or not value.is_Number:
        raise CheckFailed(f"the closed form did not evaluate to a real number: {value}")
    return mpmath.mpf(value)


def _parse_tol(text):
    if text is None:
        return None
    try:
        tol = parse_number(text)
    except ParseError as exc:
        raise UsageError(f"--tol: {exc}") from None
    if tol.is_positive is not True:
        raise UsageError(f"--tol must be a positive number, got {text!r}")
    return tol


def cmd_check(args):
    import mpmath

    from symxent.numeric.core import evaluate

    kind = args.quantity
    if kind not in _ARITY:  # the divergence family: derive checks every step numerically
        raise UsageError(f"check supports entropy, cross-entropy and kl; for {kind} use "
                         "'symxent derive', whose steps are checked at 30 digits")
    if args.dps < 5 or args.dps > 2000:
        raise UsageError("--dps must be between 5 and 2000")
    tol = _parse_tol(args.tol)
    with bounded(args.timeout):
        eliminated = {}
        rvs = _parse_rvs(kind, args.distributions, eliminated)
        base = _parse_base(args.base)
        subs = _assignments(args.at or [], _parameters(rvs), eliminated)
        _check_domains(rvs, subs)
        quantity = _quantity(kind, rvs, base)
        closed = _closed_form(kind, rvs, base)
        if _is_unevaluated(closed):
            print("\n".join([_rv_text(rv) for rv in rvs] + [f"{quantity}",
                             "note: no closed form found; nothing to check"]))
            raise NoClosedFormFound(f"no closed form was found for {quantity}; nothing to check")
        dps = args.dps
        numeric = evaluate(quantity, subs=subs, dps=dps)
        lines = [_rv_text(rv) for rv in rvs]
        if eliminated:
            lines.append(_given_note(eliminated, "text"))
        if subs:
            lines.append("at:        " + ", ".join(f"{k} = {v}" for k, v in sorted(
                subs.items(), key=lambda kv: kv[0].name)))
        with workdps(dps + 10):
            exact = _to_mpf(closed.subs(subs), dps + 10)
            value = mpmath.mpf(numeric.value) if not isinstance(numeric.value, mpmath.mpc) \
                else numeric.value
            err = mpmath.mpf(0) if numeric.error is None else abs(mpmath.mpf(numeric.error))
            lines.append(f"{quantity} = {closed}")
            lines.append(f"closed form: {mpmath.nstr(exact, dps)}")
            lines.append(f"numeric:     {mpmath.nstr(value, dps)}  "
                         f"(error estimate {mpmath.nstr(err, 3)})")
            ok, verdict, detail = _compare(exact, value, err, dps, tol)
    print("\n".join(lines + ([detail] if detail else []) + [verdict]))
    if not ok:
        raise CheckFailed(verdict)
    return 0


def _compare(exact, value, err, dps, tol=None):
    """(ok, verdict, detail) comparing the closed form's value ``exact`` with the
    numeric one ``value`` (error bound ``err``), by the numeric layer's one
    comparison, :func:`symxent.numeric.expressions.compare`.

    ``tol`` is the absolute tolerance of ``--tol`` (a positive SymPy number), or
    None: then the values must agree to half of the ``dps`` digits, relative to
    ``max(1, |exact|, |value|)``.  Either way the error bound must be ten times
    smaller than the tolerance, or the comparison is inconclusive."""
    import mpmath

    from symxent.numeric.expressions import AGREE, MISMATCH, compare

    if isinstance(value, mpmath.mpc) and value.imag:
        return False, "DISAGREE: the numeric value is complex", ""
    with workdps(dps + 10):
        if tol is None:
            rel = mpmath.mpf(10) ** (-(dps // 2))
        else:  # compare() scales a relative tolerance by max(1, |exact|, |value|)
            scale = max(mpmath.mpf(1), abs(mpmath.mpmathify(exact)), abs(mpmath.mpmathify(value)))
            rel = mpmath.mpf(tol.evalf(dps + 10)._mpf_) / scale
        result = compare(exact, value, err, dps=dps, tol=rel)
        detail = ("difference:  0 (both infinite)" if result.difference is None and result
                  else "" if result.difference is None
                  else f"difference:  {mpmath.nstr(result.difference, 5)}  "
                       f"(tolerance {mpmath.nstr(result.tolerance, 3)})")
        if result.status == AGREE:
            return True, "agree (both infinite)" if result.difference is None else "agree", detail
        if result.status == MISMATCH:
            if result.difference is None:
                return False, "DISAGREE: one value is infinite, the other is not", detail
            return False, f"DISAGREE: the values differ by {mpmath.nstr(result.difference, 5)}", \
                detail
        why = result.note or "the numeric error estimate is too large to confirm the closed form"
        if why.startswith("the error bound"):
            why = "the numeric error estimate is too large to confirm the closed form"
        return False, f"INCONCLUSIVE: {why}", detail
