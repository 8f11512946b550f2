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

May import: mpmath and :mod:`symxent.budget` (whose ``shielded`` keeps a
budget's asynchronous exception from landing between taking the lock and
entering the block, or inside the release: either would leave the lock held
and every later check in the process waiting for it).
"""
from __future__ import annotations

import threading

import mpmath

from symxent.budget import register_resource, shielded

__all__ = ["workdps", "exclusive"]

_LOCK = threading.RLock()
_held = threading.local()  # .stack: this thread's workdps blocks that hold the lock


def _stack():
    st = getattr(_held, "stack", None)
    if st is None:
        st = _held.stack = []
    return st


def _restore(mark):
    """Give back the blocks entered after ``mark`` and never left (a budget's
    exception landed at the first bytecode of ``__exit__``)."""
    st = _stack()
    while len(st) > mark:
        st[-1]._leave(None, None, None)


register_resource(lambda: len(_stack()), _restore)


def exclusive():
    """The precision lock without a change of precision: SymPy's own numeric
    evaluation (``evalf`` of a function sets ``mpmath.workprec`` for its call) runs
    all through the engine, and in another thread it would change the precision
    under a numeric check.  :func:`symxent.measures` holds this for a whole
    computation, engine and check, so one symxent computation at a time touches
    mpmath's precision (Python's GIL runs one at a time anyway)."""
    return workdps(None)


class workdps:
    """``mpmath.workdps(dps)`` under the process-wide precision lock (a context
    manager; ``dps=None`` keeps the precision).  The lock is taken by polling, 50 ms at a time, each try shielded
    from the budget's exception; between tries the budget can interrupt.  The
    exception can still land on the way into or out of a shielded block; the
    handlers below then finish what the block did (the watchdog repeats an
    exception only every 50 ms, so a handler is not interrupted again), and
    where it lands at the first bytecode of ``__exit__`` (before any handler),
    the budget's own exit gives the lock back (``budget.register_resource``)."""

    __slots__ = ("dps", "_inner", "_held")

    def __init__(self, dps):
        self.dps = dps
        self._inner = None
        self._held = False

    def __enter__(self):
        while True:
            try:
                with shielded():
                    if _LOCK.acquire(timeout=0.05):
                        self._held = True
                        _stack().append(self)
                        if self.dps is not None:
                            self._inner = mpmath.workdps(self.dps)
                            self._inner.__enter__()
            except BaseException:
                self._leave(None, None, None)
                raise
            if self._held:
                return self

    def _leave(self, exc_type, exc, tb):
        with shielded():
            if self._held:
                try:
                    if self._inner is not None:
                        self._inner.__exit__(exc_type, exc, tb)
                        self._inner = None
                finally:
                    self._held = False
                    st = _stack()
                    if st and st[-1] is self:
                        st.pop()
                    elif self in st:
                        st.remove(self)
                    _LOCK.release()

    def __exit__(self, exc_type, exc, tb):
        try:
            self._leave(exc_type, exc, tb)
        except BaseException:
            self._leave(exc_type, exc, tb)  # interrupted before the release
            raise
        return False
