"""``symxent table``: the catalogue of closed forms (``--measure``: the
divergence family, :mod:`symxent.cli.divergence_cli`)."""

from __future__ import annotations

import sympy

from symxent import budget
from symxent.cli.common import (_closed_form, _is_unevaluated, _latex_escape, _quantity,
                                _rv_latex, _rv_text)
from symxent.cli.errors import CheckFailed, UsageError, bounded, one_line as _one_line
from symxent.errors import SymxentError

__all__ = ["cmd_table"]


def cmd_table(args):
    if getattr(args, "measure", None):  # the divergence family (symxent.cli.divergence_cli)
        from symxent.cli.divergence_cli import cmd_table as divergence_table
        with bounded(args.timeout):
            return divergence_table(args)
    from symxent.testing.catalogue import CASES

    cases = [c for c in CASES if not args.k or args.k.lower() in c.name.lower()]
    if not cases:
        raise UsageError(f"no catalogue case matches {args.k!r}")
    caught = (SymxentError, ValueError, TypeError, NotImplementedError)
    rows, failures = [], 0
    try:
        with bounded(args.timeout):
            for case in cases:
                try:
                    rvs = case.build()
                    closed = _closed_form(case.kind, rvs, None)
                    quantity = _quantity(case.kind, rvs, None)
                    if _is_unevaluated(closed):
                        failures += 1
                        closed = None
                    rows.append((case, rvs, quantity, closed, None))
                except caught as exc:
                    failures += 1
                    rows.append((case, None, None, None, _one_line(exc)))
    except budget.BudgetExceeded:
        timed_out = True
    else:
        timed_out = False
    for case in cases[len(rows):]:  # (a budget that ran out leaves cases not computed)
        rows.append((case, None, None, None, "not computed: the time budget ran out"))
    print(_render_table(rows, args.format))
    if timed_out:
        raise budget.BudgetExceeded()
    if failures:
        raise CheckFailed(f"{failures} of {len(cases)} catalogue cases failed "
                          "or have no closed form")
    return 0


def _cell(case, rvs, quantity, closed, error, fmt):
    """(case, distributions, quantity, closed form) strings for one row."""
    if fmt == "text":
        dists = "; ".join(_rv_text(rv) for rv in rvs) if rvs else ""
        value = f"error: {error}" if error else ("(no closed form)" if closed is None else str(closed))
        return case.name, dists, str(quantity) if quantity is not None else "", value
    dists = ", ".join(f"${_rv_latex(rv)}$" for rv in rvs) if rvs else ""
    q = f"${sympy.latex(quantity)}$" if quantity is not None else ""
    if error:
        value = f"error: {error}"
    elif closed is None:
        value = "(no closed form)"
    else:
        value = f"${sympy.latex(closed)}$"
    if fmt == "markdown":
        fix = lambda s: s.replace(r"\|", r"\Vert ").replace("|", r"\vert ")
        return case.name.replace("|", r"\|"), fix(dists), fix(q), fix(value)
    return _latex_escape(case.name), dists, q, (value if not error and closed is not None
                                                else _latex_escape(value))


def _render_table(rows, fmt):
    cells = [_cell(*row, fmt) for row in rows]
    if fmt == "text":
        blocks = []
        for name, dists, q, value in cells:
            blocks.append(f"{name}\n  {dists}\n  {q} = {value}" if q else f"{name}\n  {value}")
        return "\n\n".join(blocks)
    if fmt == "markdown":
        lines = ["| Case | Distributions | Quantity | Closed form |", "|---|---|---|---|"]
        lines += [f"| {' | '.join(c)} |" for c in cells]
        return "\n".join(lines)
    lines = [r"\begin{longtable}{llll}", r"\hline",
             r"Case & Distributions & Quantity & Closed form \\", r"\hline", r"\endhead"]
    lines += [" & ".join(c) + r" \\" for c in cells]
    lines += [r"\hline", r"\end{longtable}"]
    return "\n".join(lines)
