"""``symxent derive``: the engine's derivation, every step checked, as text,
Markdown or LaTeX (``--standalone`` is added by :mod:`symxent.cli.plot`)."""

from __future__ import annotations

import sympy

from symxent import budget
from symxent.cli.common import (_ARITY, _given_note, _latex_escape, _md_escape, _parse_base, _parse_rvs,
                                _quantity, _rv_latex, _rv_text)
from symxent.cli.errors import CheckFailed, NoClosedFormFound, bounded, one_line as _one_line
from symxent.cli.prove import _render_any
from symxent.derivation.core import derive
from symxent.engine.core import NoClosedForm

__all__ = ["cmd_derive"]


def cmd_derive(args):
    with bounded(args.timeout):
        kind = args.quantity
        if kind not in _ARITY:  # the divergence family (symxent.cli.divergence_cli)
            from symxent.cli.divergence_cli import cmd_derive as derive_divergence
            return derive_divergence(args, _parse_base(args.base), _render_any)
        eliminated = {}
        rvs = _parse_rvs(kind, args.distributions, eliminated)
        base = _parse_base(args.base)
        quantity = _quantity(kind, rvs, base)
        try:
            derivation = derive(quantity, check=not args.no_check)
        except NoClosedForm as exc:
            reason = _one_line(exc)
            derivation = None
        # a check cut short by the budget is a timeout, not a failed step
        budget.check()
        text = (_render_unevaluated(quantity, rvs, args.format, reason) if derivation is None
                else _render_any(derivation, args.format))
        problems = _not_verified(derivation) if derivation is not None else None
        if problems:
            text = _mark_not_verified(text, problems, args.format)
        if eliminated:  # the precondition the chain holds under, in the output itself
            text = f"{text}\n{_given_note(eliminated, args.format)}"
    print(text)
    if derivation is None:
        raise NoClosedFormFound(f"no closed form found for {quantity} ({reason})")
    if problems:
        raise CheckFailed(f"derivation NOT VERIFIED: {problems}")
    return 0


def _not_verified(derivation):
    """A one-line summary of the steps that failed or escaped their check, or ''."""
    report = derivation.report
    if report is None or report.ok:
        return ""
    parts = []
    for r in report.problems:
        what = "failed its check" if r.status == "failed" else "could not be checked"
        parts.append(f"step {r.index} ({r.justification}) {what}"
                     + (f": {_one_line(r.detail)}" if r.detail else ""))
    return "; ".join(parts)


def _mark_not_verified(text, problems, fmt):
    """The rendered chain with a warning no reader (nor a LaTeX export) can miss."""
    line = f"NOT VERIFIED: {problems}"
    if fmt == "latex":
        banner = "% " + line + "\n% Do not use this chain as a proof.\n"
        return banner + "\\textbf{NOT VERIFIED:} " + _latex_escape(problems) + "\n" + text
    if fmt == "markdown":
        return f"> **{_md_escape(line)}**\n{text}"
    return f"{text}\n{line}"


def _render_unevaluated(quantity, rvs, fmt, reason):
    """The quantity left unevaluated, with a note saying why."""
    note = f"no closed form found ({reason}); the quantity is left unevaluated"
    if fmt == "text":
        return "\n".join([_rv_text(rv) for rv in rvs] + [f"{quantity}", f"note: {note}"])
    if fmt == "latex":
        return "\n".join([f"% {_rv_text(rv)}" for rv in rvs] + [f"% note: {note}",
                                                                sympy.latex(quantity)])
    where = ", ".join(f"${_rv_latex(rv)}$" for rv in rvs)
    return f"For {where}:\n\n$$\n{sympy.latex(quantity)}\n$$\n\n_Note: {_md_escape(note)}._"
