"""Time budgets for public calls, in any thread.

Every public call runs under a wall-clock budget (default
:data:`DEFAULT_SECONDS`, changed with :func:`set_default_timeout` or per call
with ``timeout=``).  When it runs out, the derivation stops and the caller
returns the unevaluated object with a warning.

How the budget interrupts a computation: one watchdog daemon thread (started
on the first budget, not at import) holds the deadlines of the active
budgets.  When a deadline passes it raises :class:`BudgetExceeded` in the
thread that owns the budget, through CPython's
``PyThreadState_SetAsyncExc``; the exception arrives at the next bytecode
boundary, in the main thread or in any other.  (It cannot interrupt a single
long C call, such as one huge integer power, until that call returns.)  If
code under the budget swallows the exception, the watchdog raises it again
every :data:`_REPEAT` seconds until the budget is left.  :func:`check` is a
cooperative test of the same deadline.

Nothing of the caller's process is touched: no signal handler, no
``setitimer``/``alarm`` timer, so the caller's own timers (pytest-timeout,
``signal.alarm``) keep running.  ``KeyboardInterrupt`` is never caught here.

It holds under a profile or trace hook (cProfile, coverage, a debugger): an
exception that is withdrawn is consumed, never cancelled with a NULL exception
(see :func:`_withdraw`), and a Python-level hook that CPython removed because
the exception landed inside it is put back when the budget ends.

Budgets nest: an inner budget never extends an outer one.  If a budget ends
just as the watchdog fires, the pending exception is withdrawn before the
``with`` block is left, so it never escapes into the caller's code.

A timeout is a finite real number of seconds, ``0 < timeout <= MAX_SECONDS``
(:func:`validate_timeout`); ``inf``, ``nan``, ``0``, negatives, strings and
booleans are refused with ``ValueError``/``TypeError`` before any state
changes.
"""
from __future__ import annotations

import ctypes
import heapq
import itertools
import math
import numbers
import os
import sys
import threading
import time

__all__ = ["BudgetExceeded", "budget", "check", "share", "set_default_timeout",
           "get_default_timeout", "validate_timeout", "MAX_SECONDS", "shielded",
           "register_resource"]

DEFAULT_SECONDS = 20.0
MAX_SECONDS = 1e6  # about 11.6 days: anything larger is almost surely a mistake
_REPEAT = 0.05  # seconds between repeated injections while a budget stays overrun
_state = threading.local()


class BudgetExceeded(Exception):
    """Raised inside the engine when the time budget has run out."""


def validate_timeout(seconds, name="timeout") -> float:
    """``seconds`` as a float, or ``TypeError``/``ValueError`` naming the problem.

    A timeout must be a finite real number with ``0 < seconds <= MAX_SECONDS``.
    ``inf`` is refused rather than read as "no budget": every public call is
    bounded, and an unbounded SymPy call can run for hours and use all memory.
    """
    if isinstance(seconds, bool) or not isinstance(seconds, numbers.Real):
        raise TypeError(f"{name} must be a number of seconds, got {seconds!r} "
                        f"({type(seconds).__name__})")
    try:
        value = float(seconds)
    except (OverflowError, ValueError):
        value = math.inf
    if math.isnan(value) or math.isinf(value) or not 0 < value <= MAX_SECONDS:
        raise ValueError(f"{name} must be positive, finite and at most {MAX_SECONDS:g} "
                         f"seconds, got {seconds!r}")
    return value


def set_default_timeout(seconds: float) -> None:
    """Set the default budget (seconds) of every public call (see :func:`validate_timeout`)."""
    global DEFAULT_SECONDS
    DEFAULT_SECONDS = validate_timeout(seconds)


def get_default_timeout() -> float:
    return DEFAULT_SECONDS


def _stack():
    stack = getattr(_state, "stack", None)
    if stack is None:
        stack = _state.stack = []
    return stack


def _deadline():
    stack = getattr(_state, "stack", None)
    while stack and not stack[-1].active:  # left behind by an exception at __exit__'s entry
        stack.pop()
    return stack[-1].deadline if stack else None


def share(fraction, minimum):
    """Seconds for one costly attempt: ``fraction`` of the outermost budget, at least
    ``minimum`` (an inner :func:`budget` never outlasts the outer one anyway)."""
    stack = getattr(_state, "stack", None)
    total = stack[0].seconds if stack else DEFAULT_SECONDS
    return max(minimum, fraction * total)


def check() -> None:
    """Raise :class:`BudgetExceeded` if the current budget has run out."""
    d = _deadline()
    if d is not None and time.monotonic() > d:
        raise BudgetExceeded()


# ----------------------------------------------------------------- the watchdog
_lock = threading.Lock()      # guards every field below and every _Budget.active
_wake = threading.Condition(_lock)
_heap = []                    # (deadline, seq, _Budget) of the budgets not yet ended
_seq = itertools.count()
_watchdog = None              # (thread, pid) of the running watchdog
_pending = {}                 # thread id -> True while an injected exception may be pending
_shields = {}                 # thread id -> depth of shielded() blocks: no injection there
_resources = []               # (mark, restore): per-thread resources a budget's exit restores
_injected = {}                # thread id -> number of exceptions injected into it so far


def register_resource(mark, restore):
    """A per-thread resource that an exception landing at the wrong bytecode could
    leave taken (``symxent.precision``'s lock: the exception can arrive at the
    first bytecode of a context manager's ``__exit__``, before any handler).
    ``mark()`` is taken when a budget is entered; when it is left, ``restore(mark)``
    gives back whatever was taken inside it and not given back."""
    _resources.append((mark, restore))

# A private prototype (not the shared ctypes.pythonapi attribute, whose argtypes
# and restype belong to everyone): PyThreadState_SetAsyncExc(unsigned long, PyObject *)
_set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))


class _Withdrawn(BaseException):
    """Replaces a pending BudgetExceeded and is caught at once (see :func:`_withdraw`);
    never seen outside this module."""


def _inject(tid):
    """Raise BudgetExceeded in thread ``tid`` (caller holds ``_lock``)."""
    if _set_async_exc(tid, BudgetExceeded) == 1:
        _pending[tid] = True
        _injected[tid] = _injected.get(tid, 0) + 1


def _restore_hooks(profile, trace):
    """Put back the thread's Python-level profile and trace functions if they are
    gone.  Such a function runs at every call (a debugger's, a pure-Python
    profiler's), so the budget's exception can land inside it, and CPython removes
    a profile or trace function that raises.  Only after an injection into this
    thread (see ``_Budget.__exit__``); a C-level hook (cProfile) runs no bytecode
    and is never hit (and is not callable: left alone)."""
    if profile is not None and callable(profile) and sys.getprofile() is None:
        sys.setprofile(profile)
    if trace is not None and callable(trace) and sys.gettrace() is None:
        sys.settrace(trace)


def _checkpoint():
    """A Python call: CPython tests for a pending asynchronous exception at a
    function's entry (RESUME), with or without a profile or trace hook."""


def _withdraw(tid):
    """Cancel an exception injected into the current thread ``tid`` and not yet
    raised (caller holds ``_lock``, so the watchdog cannot inject meanwhile).

    Not with ``PyThreadState_SetAsyncExc(tid, NULL)``: that clears the thread's
    exception but still raises the interpreter-wide "asynchronous exception
    pending" flag, which CPython clears only when a thread actually raises one.
    Untraced code then pays for a useless check at every call; under a profile or
    trace hook (cProfile, coverage, a debugger) CPython 3.11 re-tests the flag at
    the next function's entry without moving on, and spins there for ever.  So
    the pending exception is *replaced* by a private one, raised here at the next
    check and caught: that clears the flag the ordinary way.  Anything else raised
    meanwhile (Ctrl-C: the signal handler runs at the same checks) is re-raised
    once the private exception is consumed, so none is left pending behind it."""
    if not _pending.pop(tid, False):
        return
    if tid != threading.get_ident():  # not used so; keep the old, weaker way
        _set_async_exc(tid, ctypes.py_object())  # NULL: clears, leaves the flag up
        return
    armed = False
    interrupted = None
    for _ in range(1000):
        try:
            if not armed:
                _set_async_exc(tid, _Withdrawn)
                armed = True
            _checkpoint()
            for _ in range(2):  # a backward jump: checked there too
                pass
        except _Withdrawn:
            armed = None
            break
        except BaseException as exc:  # re-raised below, once ours is consumed
            interrupted = exc
    if armed is not None:  # never raised (not seen on CPython 3.11): cancel it
        _set_async_exc(tid, ctypes.py_object())
    if interrupted is not None:
        raise interrupted


def _with_body(frame):
    """``(frame, start, end)``: the bytecode offsets of the body of the ``with``
    statement that ``frame`` is entering (it is at its BEFORE_WITH), or None when
    the budget is not entered by a ``with`` statement (then never judged ended).

    The body is the span of the exception-table entries that lead to the ``with``
    statement's own handler (nested ``try`` blocks lie inside that span).  Why:
    the budget's exception can land at the very entry of ``__exit__``, before any
    ``try`` in it can catch it; it then leaves the ``with`` statement with the
    budget still active, and the watchdog would raise it again and again in the
    caller's later code.  The watchdog fires only while the frame is in the body
    (:func:`_inside`)."""
    try:
        code = frame.f_code
        if _BEFORE_WITH is None or code.co_code[frame.f_lasti] != _BEFORE_WITH:
            return None
        table = _parse_table(code)
        at = frame.f_lasti + 2
        handler = next(e.target for e in table if e.start <= at < e.end)
        spans = [(e.start, e.end) for e in table if e.target == handler]
        # from the BEFORE_WITH itself: __enter__ may still be running when the watchdog looks
        return frame, frame.f_lasti, max(b for _, b in spans)
    except (AttributeError, IndexError, StopIteration, ValueError, TypeError):
        return None


def _inside(b):
    """Is the budget's thread still in its ``with`` body (caller holds ``_lock``)?
    A frame suspended in the body (a generator) counts as inside."""
    body = b.body
    if body is None:
        return True
    frame, start, end = body
    return start <= frame.f_lasti < end


try:  # CPython's exception table (3.11+): private, so optional
    import dis as _dis
    _parse_table = _dis._parse_exception_table
    _BEFORE_WITH = _dis.opmap.get("BEFORE_WITH")
except (ImportError, AttributeError):
    _BEFORE_WITH = None


def _watch():
    with _lock:
        while True:
            now = time.monotonic()
            while _heap and not _heap[0][2].active:
                heapq.heappop(_heap)
            if not _heap:
                _wake.wait()
                continue
            deadline, _, b = _heap[0]
            if deadline > now:
                _wake.wait(deadline - now)
                continue
            heapq.heappop(_heap)
            if not _inside(b):  # its block has ended without __exit__: never fire
                b.active = False
                continue
            # fire for the innermost active budget of that thread: it has the
            # earliest deadline, so it is the one that is overrun (not inside a
            # shielded() block: tried again after _REPEAT)
            if not _shields.get(b.tid):
                _inject(b.tid)
                b.fired = True
            heapq.heappush(_heap, (now + _REPEAT, next(_seq), b))


def _ensure_watchdog():
    """Start the watchdog on first use (and again in a forked child); caller holds ``_lock``."""
    global _watchdog
    pid = os.getpid()
    if _watchdog is not None and _watchdog[1] == pid and _watchdog[0].is_alive():
        return
    t = threading.Thread(target=_watch, name="symxent-budget-watchdog", daemon=True)
    _watchdog = (t, pid)
    t.start()


def _after_fork():
    """In a forked child only the forking thread exists: keep watching its budgets
    (from the next budget entered on, which starts a new watchdog), drop the rest."""
    global _lock, _wake, _heap, _watchdog, _pending
    _lock = threading.Lock()
    _wake = threading.Condition(_lock)
    me = threading.get_ident()
    for _, _, b in _heap:
        if b.tid != me:
            b.active = False
    _heap = [(b.deadline, next(_seq), b) for _, _, b in _heap if b.active]
    heapq.heapify(_heap)
    # an exception injected into this thread and not yet raised came along: keep
    # knowing it, so that the budget's exit still withdraws it
    _pending = {me: True} if _pending.get(me) else {}
    _watchdog = None
    global _shields
    _shields = {tid: n for tid, n in _shields.items() if tid == me}


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


class _Budget:
    """One ``with budget(...)`` block; see :func:`budget`."""

    __slots__ = ("seconds", "deadline", "tid", "active", "fired", "stack", "marks", "hooks",
                 "injected", "body")

    def __init__(self, seconds):
        self.seconds = DEFAULT_SECONDS if seconds is None else validate_timeout(seconds)
        self.active = self.fired = False

    def __enter__(self):
        stack = _stack()
        now = time.monotonic()
        outer = stack[-1].deadline if stack else None
        self.deadline = now + self.seconds if outer is None else min(outer, now + self.seconds)
        if outer is not None and outer < now + self.seconds:
            # an inner budget never extends an outer one
            self.seconds = max(outer - now, 0.0)
        self.tid = threading.get_ident()
        self.stack = stack
        self.marks = [mark() for mark, _ in _resources]
        self.hooks = (sys.getprofile(), sys.gettrace())
        self.injected = _injected.get(self.tid, 0)
        self.body = _with_body(sys._getframe(1))
        try:
            with _lock:
                _ensure_watchdog()
                # budgets left behind by an exception at the entry of __exit__
                stack[:] = [x for x in stack if x.active]
                self.active = True
                stack.append(self)
                heapq.heappush(_heap, (self.deadline, next(_seq), self))
                if _heap[0][2] is self:  # the watchdog must wake up earlier
                    _wake.notify()
        except BaseException:  # interrupted half-way (e.g. Ctrl-C): leave nothing behind
            self._close()
            raise
        return self

    def _close(self):
        with _lock:
            self.active = False
            self.body = None
            if self.stack and self.stack[-1] is self:
                self.stack.pop()
            elif self in self.stack:
                self.stack.remove(self)
            if self.fired:
                self.fired = False
                _withdraw(self.tid)
            while _heap and not _heap[0][2].active:  # keep the heap small
                heapq.heappop(_heap)

    def __exit__(self, exc_type, exc, tb):
        # An exception injected just before the block ended may be raised
        # anywhere in here; _close is idempotent, so finish it and drop that
        # late exception: the body has completed (or is already propagating
        # its own exception).  Any other exception arriving here (Ctrl-C) is
        # raised once the budget is closed, so no stale deadline is left behind.
        interrupted = None
        while True:
            try:
                self._close()
                break
            except BudgetExceeded:
                continue
            except BaseException as exc:  # re-raised below
                interrupted = exc
        for (_, restore), m in zip(_resources, self.marks):
            restore(m)
        if _injected.get(self.tid, 0) != self.injected:
            _restore_hooks(*self.hooks)
        if interrupted is not None:
            raise interrupted
        return False


class shielded:
    """A few bytecodes that a budget's exception must not split, such as taking a
    lock and recording that it is held (``symxent.precision.workdps``): the
    watchdog does not inject into this thread inside the block, and an exception
    already injected and not yet raised is withdrawn on entry (the watchdog
    injects it again, at most ``_REPEAT`` seconds after the block ends).  Keep the
    block short: it delays the budget by its length."""

    __slots__ = ("tid",)

    def __enter__(self):
        self.tid = threading.get_ident()
        with _lock:
            # withdraw first: the watchdog cannot inject while _lock is held, so
            # no exception is pending once the count is up (one raised before
            # that leaves the count as it was)
            _withdraw(self.tid)
            _shields[self.tid] = _shields.get(self.tid, 0) + 1
        return self

    def __exit__(self, exc_type, exc, tb):
        with _lock:
            n = _shields.get(self.tid, 1) - 1
            if n:
                _shields[self.tid] = n
            else:
                _shields.pop(self.tid, None)
        return False


def budget(seconds=None):
    """Run the body under a budget of ``seconds`` (default: the global default).

    Use as ``with budget(5): ...``; the body raises :class:`BudgetExceeded`
    when the time is up.  ``seconds`` is checked by :func:`validate_timeout`
    at the call, before anything changes.
    """
    return _Budget(seconds)
