"""Run one command in a forked child that the parent can always stop.

The in-process budget (:mod:`symxent.budget`) interrupts Python code at the
next bytecode, but not a single long C call: SymPy raising a huge rational to
a power inside ``simplify`` can hold the interpreter for minutes while memory
grows by gigabytes, and neither a budget nor Ctrl-C gets through.  So the
command line runs each command in a child process (``os.fork``, where it
exists): the child computes and prints as usual, under the in-process budget;
the parent only waits, and kills the child (``SIGKILL``) when ``--timeout``
plus :data:`GRACE` seconds have passed, or on Ctrl-C if the child does not
stop by itself within :data:`GRACE` seconds.  Where there is no ``fork``
(Windows), the command runs in-process.
"""
from __future__ import annotations

import os
import signal
import sys
import time
import traceback

from symxent.cli.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_TIMEOUT

__all__ = ["run_isolated", "GRACE"]

GRACE = 0.3  # seconds the child gets beyond its budget (or after Ctrl-C) to stop itself
_POLL = 0.01


def run_isolated(run, args):
    """``run(args)`` in a forked child; its exit status (see ``STATUS_TABLE``)."""
    if not hasattr(os, "fork"):
        return run(args)
    timeout = getattr(args, "timeout", None)
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: compute, print, and leave without running the parent's cleanup
        code = EXIT_INTERNAL
        try:
            _die_with_parent()
            code = run(args)
        except KeyboardInterrupt:
            code = EXIT_INTERRUPTED
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # --traceback re-raises internal errors: show them
            traceback.print_exc()
            code = EXIT_INTERNAL
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            os._exit(code)
    deadline = None if timeout is None else started + timeout + GRACE
    saved = signal.signal(signal.SIGTERM, _terminated)
    try:
        return _wait(pid, deadline)
    except KeyboardInterrupt:  # the child got the same SIGINT: give it a moment
        status = _wait(pid, time.monotonic() + GRACE, quiet=True)
        if status is not None:
            return status
        print("symxent: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except _Terminated:  # `kill`, or an outer timeout: take the child along
        _kill(pid)
        return 128 + signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, saved)


class _Terminated(Exception):
    pass


def _terminated(signum, frame):
    raise _Terminated()


def _die_with_parent():
    """Linux: the child gets SIGKILL if the parent dies (even by SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass


def _wait(pid, deadline, quiet=False):
    """The child's exit status; kill it at ``deadline`` (None with ``quiet``)."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return _exit_code(status)
        if deadline is not None and time.monotonic() > deadline:
            _kill(pid)
            if quiet:
                return None
            print("symxent: gave up: the time budget ran out and the computation had to be "
                  "killed (raise it with --timeout SECONDS)", file=sys.stderr)
            return EXIT_TIMEOUT
        time.sleep(_POLL)


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _exit_code(status):
    code = os.waitstatus_to_exitcode(status)
    if code >= 0:
        return code
    print(f"symxent: internal error: the computation was killed by signal {-code}",
          file=sys.stderr)
    return EXIT_INTERNAL
