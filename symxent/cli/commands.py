"""Command-line interface: ``symxent`` / ``python -m symxent``.

Commands::

    symxent derive kl "Normal(mu1, sigma1)" "Normal(mu2, sigma2)" --format latex
    symxent derive entropy "Beta(a, b)"
    symxent prove decomposition            # or: symxent prove --list / all
    symxent table --format markdown [-k Normal]
    symxent check kl "Normal(0, 1)" "Laplace(1, 2)" --dps 50
    symxent check entropy "Normal(mu, sigma)" --at mu=1/2 --at sigma=2

Distribution texts are read by :mod:`symxent.cli.parsing` (never ``eval``).
Exit codes: 0 success; 1 a check failed, a case failed or no closed form was
found; 2 usage or parse error; 3 internal error (use ``--traceback``).
"""

from __future__ import annotations

import argparse
import sys
import warnings

import sympy

from symxent.cli.errors import CheckFailed, UsageError, one_line as _one_line
from symxent.cli.prove import _render_any, cmd_prove
from symxent.errors import ParseError, SymxentError
from symxent.cli.parsing import FAMILIES, parse_distribution, parse_number, parse_pair

__all__ = ["main", "build_parser"]

_KINDS = {
    "entropy": "entropy", "S": "entropy",
    "cross-entropy": "cross_entropy", "cross_entropy": "cross_entropy", "H": "cross_entropy",
    "kl": "kl", "KL": "kl",
}
_ARITY = {"entropy": 1, "cross_entropy": 2, "kl": 2}
_FORMATS = ("text", "markdown", "latex")


def _engine_function(kind):
    import symxent

    name = {"entropy": "entropy", "cross_entropy": "cross_entropy", "kl": "kl_divergence"}[kind]
    try:
        return getattr(symxent, name)
    except AttributeError:
        raise CheckFailed(f"the engine function symxent.{name} is not available") from None


def _measure_classes():
    from symxent.measures import CrossEntropy, Entropy, KLDivergence

    return {"entropy": Entropy, "cross_entropy": CrossEntropy, "kl": KLDivergence}


def _quantity(kind, rvs, base):
    """The unevaluated measure object, e.g. ``KLDivergence(P, Q, base=E)``."""
    try:
        cls = _measure_classes()[kind]
    except ImportError as exc:
        raise CheckFailed(f"the measures module is not available ({exc})") from None
    return cls(*rvs, base=sympy.E if base is None else base)


def _is_unevaluated(expr):
    try:
        classes = tuple(_measure_classes().values())
    except ImportError:
        return False
    return isinstance(expr, classes) or (isinstance(expr, sympy.Basic) and expr.has(*classes))


def _closed_form(kind, rvs, base, timeout):
    kwargs = {"base": base}
    if timeout is not None:
        kwargs["timeout"] = timeout
    return _engine_function(kind)(*rvs, **kwargs)


def _apply_timeout(args):
    """--timeout sets the engine's default budget for every call of this run."""
    if getattr(args, "timeout", None) is None:
        return
    if not args.timeout > 0:
        raise UsageError("--timeout must be positive")
    try:
        from symxent.budget import set_default_timeout
    except ImportError:
        return
    set_default_timeout(args.timeout)


def _budget_exceeded_class():
    try:
        from symxent.budget import BudgetExceeded
    except ImportError:
        return None
    return BudgetExceeded


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
    try:
        return _KINDS[text]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"unknown quantity {text!r}; choose entropy, cross-entropy or kl") from None


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
    kind = args.quantity
    rvs = _parse_rvs(kind, args.distributions)
    base = _parse_base(args.base)
    _apply_timeout(args)
    quantity = _quantity(kind, rvs, base)
    try:
        from symxent.derivation.core import derive
    except ImportError as exc:
        print(f"symxent: note: step-by-step derivations unavailable ({exc}); "
              "showing the closed form only", file=sys.stderr)
        derive = None
    if derive is not None:
        derivation = derive(quantity, check=not args.no_check)
        print(_render_any(derivation, args.format))
        return 0
    closed = _closed_form(kind, rvs, base, args.timeout)
    print(_render_equation(quantity, closed, rvs, args.format))
    if _is_unevaluated(closed):
        raise CheckFailed("no closed form was found")
    return 0


def _render_equation(quantity, closed, rvs, fmt):
    if _is_unevaluated(closed):
        head = "\n".join(_rv_text(rv) for rv in rvs)
        return f"{head}\n{quantity}: no closed form found"
    if fmt == "text":
        lines = [_rv_text(rv) for rv in rvs]
        lines.append(f"{quantity} = {closed}")
        return "\n".join(lines)
    equation = f"{sympy.latex(quantity)} = {sympy.latex(closed)}"
    if fmt == "latex":
        return "\n".join([f"% {_rv_text(rv)}" for rv in rvs] + [equation])
    where = ", ".join(f"${_rv_latex(rv)}$" for rv in rvs)
    return f"For {where}:\n\n$$\n{equation}\n$$"


# --------------------------------------------------------------------------
# prove
# --------------------------------------------------------------------------
def cmd_table(args):
    from symxent.testing.catalogue import CASES

    cases = [c for c in CASES if not args.k or args.k.lower() in c.name.lower()]
    if not cases:
        raise UsageError(f"no catalogue case matches {args.k!r}")
    _apply_timeout(args)
    budget = _budget_exceeded_class()
    caught = (SymxentError, ValueError, TypeError, NotImplementedError) + (
        (budget,) if budget else ())
    rows, failures = [], 0
    for case in cases:
        try:
            rvs = case.build()
            closed = _closed_form(case.kind, rvs, None, args.timeout)
            quantity = _quantity(case.kind, rvs, None)
            if _is_unevaluated(closed):
                failures += 1
                closed = None
            rows.append((case, rvs, quantity, closed, None))
        except caught as exc:
            failures += 1
            rows.append((case, None, None, None, _one_line(exc)))
    print(_render_table(rows, args.format))
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


def cmd_check(args):
    import mpmath

    kind = args.quantity
    if args.dps < 5 or args.dps > 2000:
        raise UsageError("--dps must be between 5 and 2000")
    rvs = _parse_rvs(kind, args.distributions)
    base = _parse_base(args.base)
    subs = _assignments(args.at or [], _parameters(rvs))
    _check_domains(rvs, subs)
    _apply_timeout(args)
    try:
        from symxent.numeric.core import evaluate
    except ImportError as exc:
        raise CheckFailed(f"numeric evaluation unavailable ({exc})") from None

    quantity = _quantity(kind, rvs, base)
    closed = _closed_form(kind, rvs, base, args.timeout)
    if _is_unevaluated(closed):
        raise CheckFailed(f"no closed form was found for {quantity}; nothing to check")
    dps = args.dps
    numeric = evaluate(quantity, subs=subs, dps=dps)
    with mpmath.workdps(dps + 10):
        exact = _to_mpf(closed.subs(subs), dps + 10)
        value = mpmath.mpf(numeric.value) if not isinstance(numeric.value, mpmath.mpc) \
            else numeric.value
        err = mpmath.mpf(0) if numeric.error is None else abs(mpmath.mpf(numeric.error))
        for rv in rvs:
            print(_rv_text(rv))
        if subs:
            print("at:        " + ", ".join(f"{k} = {v}" for k, v in sorted(
                subs.items(), key=lambda kv: kv[0].name)))
        print(f"{quantity} = {closed}")
        print(f"closed form: {mpmath.nstr(exact, dps)}")
        print(f"numeric:     {mpmath.nstr(value, dps)}  (error estimate {mpmath.nstr(err, 3)})")
        verdict = _compare(exact, value, err, dps, args.tol)
    print(verdict[1])
    if not verdict[0]:
        raise CheckFailed(verdict[1])
    return 0


def _compare(exact, value, err, dps, tol_text):
    """(ok, message) comparing closed-form and numeric values at working precision."""
    import mpmath

    if isinstance(value, mpmath.mpc):
        return False, "DISAGREE: the numeric value is complex"
    if mpmath.isinf(exact) or mpmath.isinf(value):
        if exact == value:
            print("difference:  0 (both infinite)")
            return True, "agree (both infinite)"
        return False, "DISAGREE: one value is infinite, the other is not"
    if mpmath.isnan(exact) or mpmath.isnan(value):
        return False, "DISAGREE: a value is not a number"
    diff = abs(exact - value)
    scale = max(mpmath.mpf(1), abs(value))
    floor = mpmath.mpf(10) ** (-(dps // 2)) * scale
    tol = mpmath.mpf(str(parse_number(tol_text))) if tol_text else max(floor, 10 * err)
    print(f"difference:  {mpmath.nstr(diff, 5)}  (tolerance {mpmath.nstr(tol, 3)})")
    if diff > tol:
        return False, f"DISAGREE: the values differ by {mpmath.nstr(diff, 5)}"
    if not tol_text and 10 * err > mpmath.mpf(10) ** (-(dps // 4)) * scale:
        return False, ("INCONCLUSIVE: the numeric error estimate is too large "
                       "to confirm the closed form")
    return True, "agree"


# --------------------------------------------------------------------------
# argument parser and entry point
# --------------------------------------------------------------------------
def _families_epilog():
    import textwrap

    names = textwrap.fill("distributions: " + ", ".join(sorted(FAMILIES)), width=78,
                          subsequent_indent="  ")
    return (names + "\nparameters: names like mu1, sigma, lambda;"
            " numbers like 2, 1/3, 0.5, sqrt(2)")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="symxent",
        description="Closed-form entropy, cross-entropy and KL divergence of sympy.stats "
                    "distributions.",
        epilog=_families_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--traceback", action="store_true",
                        help="show a Python traceback for internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def quantity_command(name, help_text):
        p = sub.add_parser(name, help=help_text, epilog=_families_epilog(),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("quantity", type=_kind, metavar="QUANTITY",
                       help="entropy, cross-entropy or kl")
        p.add_argument("distributions", nargs="+", metavar="DIST",
                       help='distribution text such as "Normal(mu, sigma)"')
        p.add_argument("--base", default=None,
                       help="logarithm base: e (default), 2, 10 or a positive number")
        p.add_argument("--timeout", type=float, default=None,
                       help="give up on the closed form after this many seconds")
        return p

    p = quantity_command("derive", "derive a closed form step by step")
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
                   help="absolute tolerance (default: from --dps and the error estimate)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("prove", help="run a derivation script from derivations/")
    p.add_argument("theorem", nargs="?", help="theorem name (e.g. decomposition) or 'all'")
    p.add_argument("--list", action="store_true", help="list the available theorems")
    p.add_argument("--format", choices=_FORMATS, default="text")
    p.add_argument("--dir", default=None, help="directory of the derivation scripts")
    p.set_defaults(func=cmd_prove)

    p = sub.add_parser("table", help="print the catalogue of closed forms")
    p.add_argument("--format", choices=_FORMATS, default="markdown")
    p.add_argument("-k", default=None, metavar="TEXT",
                   help="only the cases whose name contains TEXT")
    p.add_argument("--timeout", type=float, default=None, help="per-case timeout in seconds")
    p.set_defaults(func=cmd_table)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None):
    print(f"symxent: warning: {_one_line(message)}", file=sys.stderr)


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    saved = warnings.showwarning
    warnings.showwarning = _show_warning
    try:
        return args.func(args)
    except (ParseError, UsageError) as exc:
        print(f"symxent: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except CheckFailed as exc:
        print(f"symxent: {_one_line(exc)}", file=sys.stderr)
        return 1
    except (SymxentError, ValueError, TypeError, NotImplementedError) as exc:
        if args.traceback:
            raise
        print(f"symxent: error: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("symxent: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.traceback:
            raise
        budget = _budget_exceeded_class()
        if budget is not None and isinstance(exc, budget):
            print("symxent: gave up: the time budget ran out (raise it with --timeout SECONDS)",
                  file=sys.stderr)
            return 1
        print(f"symxent: internal error: {type(exc).__name__}: {_one_line(exc)} "
              "(rerun with --traceback for details)", file=sys.stderr)
        return 3
    finally:
        warnings.showwarning = saved
        sys.stdout.flush()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
