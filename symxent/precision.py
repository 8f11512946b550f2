"""mpmath's working precision, shared safely between threads.

mpmath keeps one global context: ``mpmath.workdps(n)`` in one thread changes
the precision of every thread.  Two threads checking closed forms at once
(a thread pool, a web app) would then compute at each other's precision: a
30-digit reference could silently be worked out at 10 digits.  Every
symxent computation that sets the precision does it through :func:`workdps`
here, which holds one process-wide re-entrant lock for as long as the
precision is changed, so symxent's numeric work in one thread never sees
another's precision.  The lock is taken by polling, so a time budget can still
interrupt a thread waiting for it.  (Code outside symxent that changes
``mpmath.mp`` from another thread at the same time is not covered: mpmath
itself is not thread-safe.)

May import: mpmath only.
"""
from __future__ import annotations

import contextlib
import threading

import mpmath

__all__ = ["workdps"]

_LOCK = threading.RLock()


@contextlib.contextmanager
def workdps(dps):
    """``mpmath.workdps(dps)`` under the process-wide precision lock."""
    while not _LOCK.acquire(timeout=0.05):  # a budget's exception can land between tries
        pass
    try:
        with mpmath.workdps(dps):
            yield
    finally:
        _LOCK.release()
