"""Command-line interface: ``symxent`` / ``python -m symxent``.

Commands::

    symxent derive kl "Normal(mu1, sigma1)" "Normal(mu2, sigma2)" --format latex
    symxent derive entropy "Beta(a, b)"
    symxent prove decomposition            # or: symxent prove --list / all
    symxent table --format markdown [-k Normal]
    symxent check kl "Normal(0, 1)" "Laplace(1, 2)" --dps 50
    symxent check entropy "Normal(mu, sigma)" --at mu=1/2 --at sigma=2

Distribution texts are read by :mod:`symxent.cli.parsing` (never ``eval``).
``--timeout SECONDS`` bounds the whole command, checks included (see
:mod:`symxent.budget`).  Exit codes: :data:`symxent.cli.errors.STATUS_TABLE`
(also shown by ``--help``).
"""

from __future__ import annotations

import argparse
import sys
import warnings

import sympy

from symxent import budget
from symxent.cli.errors import (EXIT_BROKEN_PIPE, EXIT_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED,
                                EXIT_NO_CLOSED_FORM, EXIT_TIMEOUT, EXIT_USAGE, STATUS_TABLE,
                                CheckFailed, NoClosedFormFound, UsageError, bounded,
                                one_line as _one_line)
from symxent.cli.parsing import FAMILIES, parse_distribution, parse_number, parse_pair
from symxent.cli.prove import _render_any, cmd_prove
from symxent.cli.supervise import run_isolated
from symxent.derivation.core import derive
from symxent.engine.core import NoClosedForm
from symxent.errors import ParseError, SymxentError
from symxent.measures import (CrossEntropy, Entropy, KLDivergence, cross_entropy, entropy,
                              kl_divergence)
from symxent.precision import workdps

__all__ = ["main", "build_parser"]

_KINDS = {
    "entropy": "entropy", "S": "entropy",
    "cross-entropy": "cross_entropy", "cross_entropy": "cross_entropy", "H": "cross_entropy",
    "kl": "kl", "KL": "kl",
}
_ARITY = {"entropy": 1, "cross_entropy": 2, "kl": 2}
_FORMATS = ("text", "markdown", "latex")
_MEASURES = {"entropy": Entropy, "cross_entropy": CrossEntropy, "kl": KLDivergence}
_FUNCTIONS = {"entropy": entropy, "cross_entropy": cross_entropy, "kl": kl_divergence}


def _quantity(kind, rvs, base):
    """The unevaluated measure object, e.g. ``KLDivergence(P, Q, base=E)``."""
    return _MEASURES[kind](*rvs, base=sympy.E if base is None else base)


def _is_unevaluated(expr):
    classes = tuple(_MEASURES.values())
    return isinstance(expr, classes) or (isinstance(expr, sympy.Basic) and expr.has(*classes))


def _closed_form(kind, rvs, base):
    """The engine's closed form, or the unevaluated quantity (with a warning).

    Under a whole-command budget the call is cut short when it runs out; that
    is reported as a timeout, not as "no closed form"."""
    value = _FUNCTIONS[kind](*rvs, base=base)
    budget.check()
    return value


def _timeout_arg(text):
    """``--timeout``: a finite number of seconds (see :func:`symxent.budget.validate_timeout`)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    try:
        return budget.validate_timeout(value, "--timeout")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parse_rvs(kind, texts):
    need = _ARITY[kind]
    if len(texts) != need:
        label = kind.replace("_", "-")
        raise UsageError(f"{label} needs {need} distribution{'s' if need > 1 else ''}, got {len(texts)}")
    if need == 1:
        return (parse_distribution(texts[0], name="X"),)
    return parse_pair(texts[0], texts[1], names=("P", "Q"))


def _parse_base(text):
    if text is None or text in ("e", "E"):
        return None
    value = parse_number(text)
    if not (value.is_positive and (value - 1).is_nonzero):
        raise UsageError(f"--base must be a positive number other than 1, got {text!r}")
    return value


def _kind(text):
    from symxent.cli.divergence_cli import KINDS as _DIV_KINDS  # the divergence family hook
    try:
        return _KINDS.get(text) or _DIV_KINDS[text]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"unknown quantity {text!r}; choose entropy, cross-entropy, kl, renyi, "
            "renyi-entropy, tsallis, bc, bhattacharyya, hellinger, chi2 or amari") from None


def _describe_rv(rv):
    """``Family(arg, ...)`` for a sympy.stats random variable (for tables)."""
    dist = rv.pspace.distribution
    family = type(dist).__name__
    for suffix in ("Distribution", "DistributionHandmade"):
        if family.endswith(suffix) and family != suffix:
            family = family[: -len(suffix)]
    args = dist.args
    known = FAMILIES.get(family)
    if known is not None and known.required == len(known.roles):
        args = args[: len(known.roles)]  # drop trailing defaults (succ/fail, minimum)
    return family, args


def _rv_text(rv):
    family, args = _describe_rv(rv)
    return f"{rv} ~ {family}({', '.join(str(a) for a in args)})"


def _rv_latex(rv):
    family, args = _describe_rv(rv)
    inner = ", ".join(sympy.latex(a) for a in args)
    return rf"{sympy.latex(rv)} \sim \mathrm{{{family}}}\left({inner}\right)"


# --------------------------------------------------------------------------
# derive
# --------------------------------------------------------------------------
def cmd_derive(args):
    with bounded(args.timeout):
        kind = args.quantity
        if kind not in _ARITY:  # the divergence family (symxent.cli.divergence_cli)
            from symxent.cli.divergence_cli import cmd_derive as derive_divergence
            return derive_divergence(args, _parse_base(args.base), _render_any)
        rvs = _parse_rvs(kind, args.distributions)
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


def _md_escape(text):
    return text.replace("*", "\\*").replace("_", "\\_").replace("|", "\\|")


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


# --------------------------------------------------------------------------
# table (prove is in symxent.cli.prove)
# --------------------------------------------------------------------------
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


_LATEX_ESCAPES = str.maketrans({**{c: "\\" + c for c in "&%$#_{}"},
                                "^": r"\^{}", "~": r"\~{}", "\\": r"\textbackslash{}"})


def _latex_escape(text):
    return text.translate(_LATEX_ESCAPES)


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


# --------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------
def _parameters(rvs):
    params = set()
    for rv in rvs:
        params |= rv.pspace.distribution.free_symbols
    return {s.name: s for s in params}


def _assignments(pairs, params):
    subs = {}
    for item in pairs:
        name, sep, value_text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--at expects NAME=VALUE, got {item!r}")
        if name not in params:
            known = ", ".join(sorted(params)) or "none"
            raise UsageError(f"--at {name}: no such parameter (parameters: {known})")
        sym = params[name]
        if sym in subs:
            raise UsageError(f"--at {name} given twice")
        try:
            value = parse_number(value_text.strip())
        except ParseError as exc:
            raise UsageError(f"--at {name}: {exc}") from None
        if sym.is_positive and value.is_positive is not True:
            raise UsageError(f"--at {name}: {name} must be positive, got {value}")
        if sym.is_integer and value.is_integer is not True:
            raise UsageError(f"--at {name}: {name} must be an integer, got {value}")
        subs[sym] = value
    missing = sorted(set(params) - {s.name for s in subs})
    if missing:
        raise UsageError(
            f"the distributions have symbolic parameters; give values with "
            f"{' '.join(f'--at {m}=VALUE' for m in missing)}")
    return subs


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
        rvs = _parse_rvs(kind, args.distributions)
        base = _parse_base(args.base)
        subs = _assignments(args.at or [], _parameters(rvs))
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
    """(ok, verdict, detail) comparing closed-form and numeric values at working
    precision; ``tol`` is a positive SymPy number (from ``--tol``) or None."""
    import mpmath

    if isinstance(value, mpmath.mpc):
        return False, "DISAGREE: the numeric value is complex", ""
    if mpmath.isinf(exact) or mpmath.isinf(value):
        if exact == value:
            return True, "agree (both infinite)", "difference:  0 (both infinite)"
        return False, "DISAGREE: one value is infinite, the other is not", ""
    if mpmath.isnan(exact) or mpmath.isnan(value):
        return False, "DISAGREE: a value is not a number", ""
    diff = abs(exact - value)
    scale = max(mpmath.mpf(1), abs(value))
    floor = mpmath.mpf(10) ** (-(dps // 2)) * scale
    limit = mpmath.mpf(tol.evalf(mpmath.mp.dps)._mpf_) if tol is not None \
        else max(floor, 10 * err)
    detail = f"difference:  {mpmath.nstr(diff, 5)}  (tolerance {mpmath.nstr(limit, 3)})"
    if diff > limit:
        return False, f"DISAGREE: the values differ by {mpmath.nstr(diff, 5)}", detail
    if tol is None and 10 * err > mpmath.mpf(10) ** (-(dps // 4)) * scale:
        return False, ("INCONCLUSIVE: the numeric error estimate is too large "
                       "to confirm the closed form"), detail
    return True, "agree", detail


# --------------------------------------------------------------------------
# argument parser and entry point
# --------------------------------------------------------------------------
def _families_epilog():
    import textwrap

    names = textwrap.fill("distributions: " + ", ".join(sorted(FAMILIES)), width=78,
                          subsequent_indent="  ")
    return (names + "\nparameters: names like mu1, sigma, lambda;"
            " numbers like 2, 1/3, 0.5, sqrt(2)")


def _epilog():
    return _families_epilog() + "\n\n" + STATUS_TABLE


def build_parser():
    parser = argparse.ArgumentParser(
        prog="symxent",
        description="Closed-form entropy, cross-entropy and KL divergence of sympy.stats "
                    "distributions.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--traceback", action="store_true",
                        help="show a Python traceback for internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    timeout_help = ("time budget of the whole command in seconds, checks included "
                    "(a finite number, at most 1e6)")

    def quantity_command(name, help_text):
        p = sub.add_parser(name, help=help_text, epilog=_epilog(),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("quantity", type=_kind, metavar="QUANTITY",
                       help="entropy, cross-entropy or kl")
        p.add_argument("distributions", nargs="+", metavar="DIST",
                       help='distribution text such as "Normal(mu, sigma)"')
        p.add_argument("--base", default=None,
                       help="logarithm base: e (default), 2, 10 or a positive number")
        p.add_argument("--timeout", type=_timeout_arg, default=None, help=timeout_help)
        return p

    p = derive_parser = quantity_command("derive", "derive a closed form step by step")
    p.add_argument("--format", choices=_FORMATS, default="text")
    p.add_argument("--no-check", action="store_true",
                   help="skip the symbolic/numeric check of each derivation step")
    p.set_defaults(func=cmd_derive)
    from symxent.cli.plot import add_parser  # symxent plot; derive --standalone
    add_parser(sub)

    p = quantity_command("check", "compare the closed form with mpmath quadrature/summation")
    p.add_argument("--dps", type=int, default=30, help="decimal digits (default 30)")
    p.add_argument("--at", action="append", metavar="NAME=VALUE",
                   help="value of a symbolic parameter, e.g. --at sigma1=2 (repeatable)")
    p.add_argument("--tol", default=None,
                   help="absolute tolerance, a positive number "
                        "(default: from --dps and the error estimate)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("prove", help="run a theorem script (thm_*.py) from derivations/",
                       epilog=STATUS_TABLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("theorem", nargs="?", help="theorem name (e.g. decomposition) or 'all'")
    p.add_argument("--list", action="store_true", help="list the available theorems")
    p.add_argument("--format", choices=_FORMATS, default="text")
    p.add_argument("--dir", default=None,
                   help="directory of the theorem scripts; outside the project's derivations/ "
                        "only thm_*.py files with the line '# symxent: theorem' are run")
    p.add_argument("--timeout", type=_timeout_arg, default=None, help=timeout_help)
    p.set_defaults(func=cmd_prove)

    p = sub.add_parser("table", help="print the catalogue of closed forms",
                       epilog=STATUS_TABLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--format", choices=_FORMATS, default="markdown")
    p.add_argument("-k", default=None, metavar="TEXT",
                   help="only the cases whose name contains TEXT")
    p.add_argument("--timeout", type=_timeout_arg, default=None, help=timeout_help)
    p.set_defaults(func=cmd_table)
    from symxent.cli.divergence_cli import add_arguments as add_divergence_arguments
    add_divergence_arguments(derive_parser, p)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None):
    print(f"symxent: warning: {_one_line(message)}", file=sys.stderr)


def main(argv=None, *, isolate=None):
    """Run one command; returns its exit status (see :data:`STATUS_TABLE`).

    From the command line (``argv`` None) the command runs in a child process
    that is killed if it outlives ``--timeout`` or ignores Ctrl-C
    (:mod:`symxent.cli.supervise`); with an explicit ``argv`` it runs
    in-process unless ``isolate`` is true."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if argv is None if isolate is None else isolate:
        return run_isolated(_run, args)
    return _run(args)


def _run(args):
    saved = warnings.showwarning, budget.get_default_timeout()
    warnings.showwarning = _show_warning
    timeout = getattr(args, "timeout", None)
    try:
        if timeout is not None:  # every engine call of this run gets at most this
            budget.set_default_timeout(timeout)
        return args.func(args)
    except (ParseError, UsageError) as exc:
        print(f"symxent: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except SymxentError as exc:  # bad input found by the engine (domain, mismatched pair)
        print(f"symxent: error: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except CheckFailed as exc:
        print(f"symxent: {_one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except NoClosedFormFound as exc:
        print(f"symxent: note: {_one_line(exc)}", file=sys.stderr)
        return EXIT_NO_CLOSED_FORM
    except budget.BudgetExceeded:
        spent = f" of {timeout:g} s" if timeout is not None else ""
        print(f"symxent: gave up: the time budget{spent} ran out "
              "(raise it with --timeout SECONDS)", file=sys.stderr)
        return EXIT_TIMEOUT
    except KeyboardInterrupt:
        print("symxent: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `symxent ... | head`: stop quietly
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # a bug: reported as such, in one line unless --traceback
        if args.traceback:
            raise
        print(f"symxent: internal error: {type(exc).__name__}: {_one_line(exc)} "
              "(rerun with --traceback for details)", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        warnings.showwarning = saved[0]
        budget.set_default_timeout(saved[1])
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()


def _silence_stdout():
    """After a broken pipe: later writes (and the flush at exit) go nowhere."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture it)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
