"""Time budgets for public calls.

Every public call runs under a wall-clock budget (default
:data:`DEFAULT_SECONDS`, changed with :func:`set_default_timeout` or per call
with ``timeout=``).  When it runs out, the derivation stops and the caller
returns the unevaluated object with a warning.

In the main thread the budget interrupts SymPy through ``SIGALRM``; elsewhere
(threads, Windows) it is checked cooperatively between engine rules.  Budgets
nest: an inner budget never extends an outer one.
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time

__all__ = ["BudgetExceeded", "budget", "check", "set_default_timeout", "get_default_timeout"]

DEFAULT_SECONDS = 20.0
_state = threading.local()


class BudgetExceeded(Exception):
    """Raised inside the engine when the time budget has run out."""


def set_default_timeout(seconds: float) -> None:
    """Set the default budget (seconds) of every public call."""
    global DEFAULT_SECONDS
    if not seconds > 0:
        raise ValueError("timeout must be positive")
    DEFAULT_SECONDS = float(seconds)


def get_default_timeout() -> float:
    return DEFAULT_SECONDS


def _deadline():
    return getattr(_state, "deadline", None)


def share(fraction, minimum):
    """Seconds for one costly attempt: ``fraction`` of the outermost budget, at least
    ``minimum`` (an inner :func:`budget` never outlasts the outer one anyway)."""
    return max(minimum, fraction * (getattr(_state, "total", None) or DEFAULT_SECONDS))


def check() -> None:
    """Raise :class:`BudgetExceeded` if the current budget has run out."""
    d = _deadline()
    if d is not None and time.monotonic() > d:
        raise BudgetExceeded()


def _alarm(signum, frame):
    raise BudgetExceeded()


@contextlib.contextmanager
def budget(seconds=None):
    """Run the body under a budget of ``seconds`` (default: the global default)."""
    seconds = DEFAULT_SECONDS if seconds is None else float(seconds)
    outer = _deadline()
    now = time.monotonic()
    deadline = now + seconds if outer is None else min(outer, now + seconds)
    use_signal = (threading.current_thread() is threading.main_thread()
                  and hasattr(signal, "setitimer"))
    _state.deadline = deadline
    if outer is None:
        _state.total = seconds
    old = None
    if use_signal:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, max(deadline - now, 1e-3))
    try:
        yield
    finally:
        if use_signal:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
            if outer is not None:  # re-arm the enclosing budget's alarm
                signal.setitimer(signal.ITIMER_REAL, max(outer - time.monotonic(), 1e-3))
        _state.deadline = outer
        if outer is None:
            _state.total = None
