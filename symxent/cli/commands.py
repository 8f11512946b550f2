"""Command-line interface: ``symxent`` / ``python -m symxent``.

Commands::

    symxent derive kl "Normal(mu1, sigma1)" "Normal(mu2, sigma2)" --format latex
    symxent derive entropy "Beta(a, b)"
    symxent prove decomposition            # or: symxent prove --list / all
    symxent table --format markdown [-k Normal]
    symxent check kl "Normal(0, 1)" "Laplace(1, 2)" --dps 50
    symxent check entropy "Normal(mu, sigma)" --at mu=1/2 --at sigma=2

Each command has its module: :mod:`symxent.cli.derive`, :mod:`symxent.cli.check`,
:mod:`symxent.cli.table`, :mod:`symxent.cli.prove`, :mod:`symxent.cli.plot`
(what they share is in :mod:`symxent.cli.common`); this one builds the
argument parser and runs a command.  Distribution texts are read by
:mod:`symxent.cli.parsing` (never ``eval``).
``--timeout SECONDS`` bounds the whole command, checks included (see
:mod:`symxent.budget`).  Exit codes: :data:`symxent.cli.errors.STATUS_TABLE`
(also shown by ``--help``).
"""

from __future__ import annotations

import argparse
import sys
import warnings

from symxent import budget
from symxent.cli.check import cmd_check
from symxent.cli.common import _FORMATS, _kind, _timeout_arg
from symxent.cli.derive import cmd_derive
from symxent.cli.errors import (EXIT_BROKEN_PIPE, EXIT_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED,
                                EXIT_NO_CLOSED_FORM, EXIT_TIMEOUT, EXIT_USAGE, STATUS_TABLE,
                                CheckFailed, NoClosedFormFound, UsageError,
                                one_line as _one_line)
from symxent.cli.parsing import FAMILIES
from symxent.cli.prove import cmd_prove
from symxent.cli.supervise import run_isolated
from symxent.cli.table import cmd_table
from symxent.errors import ParseError, SymxentError

__all__ = ["main", "build_parser"]


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
