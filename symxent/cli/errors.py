"""Exit codes, and the exceptions and messages shared by the CLI modules."""
from __future__ import annotations

import contextlib

from symxent import budget

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_NO_CLOSED_FORM = 4
EXIT_TIMEOUT = 5
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as the shell reports a command killed by it

STATUS_TABLE = """\
exit status:
  0    success (derive with checks: every step verified)
  1    a check failed: a derivation step failed or could not be checked, the
       closed form and the numeric value disagree (or the comparison is
       inconclusive), a proof script or a catalogue case failed
  2    usage or input error: command line, distribution text, parameter value
  3    internal error, a bug (rerun with --traceback and report it)
  4    no closed form found: the quantity is printed unevaluated, with a note
  5    the time budget ran out (--timeout, which bounds the whole command)
  130  interrupted (Ctrl-C)
  141  the reader of the output went away (e.g. `| head`)"""


class UsageError(Exception):
    """A mistake in the command line itself (exit code 2)."""


class CheckFailed(Exception):
    """Work was done but the outcome is a failure (exit code 1)."""


class NoClosedFormFound(Exception):
    """The engine found no closed form; the unevaluated quantity was printed (exit code 4)."""


def one_line(exc):
    """The first line of an exception's message (or its type's name)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def bounded(timeout):
    """The whole-command budget of ``--timeout`` (none when it is not given).

    Commands compute under it and print after it, so that a budget running
    out never cuts a line of output in half."""
    return budget.budget(timeout) if timeout is not None else contextlib.nullcontext()
