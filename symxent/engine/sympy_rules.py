"""The rules that ask SymPy to integrate: an antiderivative on a bounded interval,
and the last resort, ``integrate`` on the region under a share of the time budget.
Their results pass :func:`~symxent.engine.rulebase.real_logs` and are rejected
when they are not real.

How long SymPy may try (:func:`fallback_seconds`).  Where SymPy finds these
integrals at all it finds them fast: the fallbacks that succeed on the test-suite
and the sweep (benchmarks/sweep.py) take under 0.8 s of CPU (the slowest seen:
E[log(x**2 + nu)] under an Exponential law, E[exp(-x/s)] under a Maxwell law),
while one that fails runs until its share of the budget is out.  So one attempt gets about
:data:`ATTEMPT_CPU` seconds of CPU, and the attempts of one computation that fail
:data:`FAILED_CPU` seconds together (after that SymPy is not asked again): a pair
without a closed form comes back in a few seconds, not after one 5 s share per
feature and per change of variable.  The budgets are wall-clock, so on a loaded
machine these are scaled by the load (:meth:`_Pool.load`), so that SymPy gets the
same CPU time as on an idle one, and one attempt never more than the fixed share
it had before (:func:`symxent.budget.share`): a closed form that SymPy finds
today under load is still found.
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager

import sympy as sp

from symxent import budget
from symxent.engine.rulebase import Rule, _cond_value, attempt, real_logs
from symxent.laws.support import expand_positive_logs

__all__ = ["Elementary", "Integrate", "fallback_pool", "fallback_seconds", "load_factor"]

#: CPU seconds one SymPy attempt may take (scaled by the load, see the module doc).
ATTEMPT_CPU = 2.0
#: CPU seconds the failed SymPy attempts of one computation may take together.
FAILED_CPU = 2.5

_local = threading.local()


class _Pool:
    """The clock of one computation: when it started (wall-clock and this thread's
    CPU time) and the wall-clock seconds its failed SymPy attempts have used."""

    def __init__(self):
        self.wall0 = time.monotonic()
        self.cpu0 = time.thread_time()
        self.failed = 0.0

    def load(self):
        """How many wall-clock seconds one CPU second of this thread takes: this
        computation's own ratio once it has run for :data:`MEASURED` seconds (what
        the load does to this very thread, other threads of the process included);
        before that the larger of that ratio (a tenth of a second added to both, so
        that a young computation reads as unloaded) and the system's run queue per
        core (its one-minute load average, where the platform has one).  At least 1.

        The load average alone overstates the slowdown when the machine is busy
        but this thread still gets a core (two processes on two cores read as
        load 1-1.5): a failed SymPy attempt then took up to 1.5 times the CPU it
        is meant to have."""
        wall = time.monotonic() - self.wall0
        cpu = time.thread_time() - self.cpu0
        own = (wall + 0.1) / (cpu + 0.1)
        if wall >= MEASURED:
            return max(1.0, own)
        return max(1.0, own, _queue_per_core())


#: wall-clock seconds after which a computation's own CPU ratio is its load
MEASURED = 0.5


def _queue_per_core():
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        return os.getloadavg()[0] / max(cores, 1)
    except (AttributeError, OSError):  # no load average on this platform
        return 1.0


@contextmanager
def fallback_pool():
    """One computation (:func:`symxent.engine.core.compute`,
    :func:`symxent.engine.mellin.mellin`): its SymPy attempts share one pool for
    failures.  A nested computation gets its own pool, the outer one is restored."""
    outer = getattr(_local, "pool", None)
    _local.pool = _Pool()
    try:
        yield
    finally:
        _local.pool = outer


def load_factor():
    """Wall-clock seconds per CPU second for this thread now (see ``_Pool.load``): the
    current computation's ratio, or the run queue per core outside one; at least 1."""
    pool = getattr(_local, "pool", None)
    return pool.load() if pool is not None else max(1.0, _queue_per_core())


def fallback_seconds(share):
    """Wall-clock seconds for one SymPy attempt whose fixed share is ``share``: at most
    :data:`ATTEMPT_CPU` (scaled by the load) and what is left of the computation's
    pool for failures; ``share`` outside a computation.  0 when the pool is spent."""
    pool = getattr(_local, "pool", None)
    if pool is None:
        return share
    k = pool.load()
    return max(0.0, min(share, ATTEMPT_CPU * k, FAILED_CPU * k - pool.failed))


@contextmanager
def _charged():
    """Charge the wall-clock time of the block to the pool for failures unless the
    block marks success (``ok.append(True)``)."""
    pool = getattr(_local, "pool", None)
    t0 = time.monotonic()
    ok = []
    try:
        yield ok
    finally:
        if pool is not None and not ok:
            pool.failed += time.monotonic() - t0


class Elementary(Rule):
    """On a bounded interval: int_a^b exp(L) f = F(b) - F(a) with F an antiderivative.

    Used when exp(L) * f is elementary (polynomial, log and exponential
    pieces: Uniform, Triangular, the middle piece of a Laplace).  End values
    are limits where F is singular at an end point (x log x at 0).
    """

    name = "antiderivative on a bounded interval"

    def apply(self, region, f):
        x, lo, hi = region.x, region.lo, region.hi
        if not (lo.is_finite and hi.is_finite):
            return None
        # exp(L) * f must have a continuous antiderivative on [lo, hi]: exp(L) a
        # polynomial times exp(polynomial), f a polynomial, exp or log of a
        # linear function positive on the interval
        for ff, c in region.L.coeff.items():
            if not (ff.is_polynomial(x) or (isinstance(ff, sp.log) and c.is_integer
                                            and c.is_nonnegative
                                            and ff.args[0].is_polynomial(x)
                                            and sp.degree(ff.args[0], x) == 1)):
                return None
        for t in sp.Add.make_args(sp.expand(f)):
            for a in t.atoms(sp.Function):
                if a.has(x) and not (isinstance(a, (sp.log, sp.exp))
                                     and a.args[0].is_polynomial(x)
                                     and sp.degree(a.args[0], x) <= 1):
                    return None
        integrand = sp.exp(region.L.expr()) * f
        ends = []
        seconds = fallback_seconds(3)
        if seconds <= 0:
            return None
        with _charged() as ok, attempt(seconds):
            F = sp.integrate(sp.expand(integrand), x)
            if F.has(sp.Integral, sp.Piecewise, sp.I):
                return None
            for e, d in ((hi, "-"), (lo, "+")):
                v = F.subs(x, e)
                if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
                    v = sp.limit(F, x, e, d)
                ends.append(v)
            ok.append(True)
        if len(ends) != 2:
            return None
        res = real_logs(sp.expand(ends[0] - ends[1]), region)
        return None if res.has(sp.I) else sp.expand(expand_positive_logs(res, region.facts))


class Integrate(Rule):
    """Last resort: SymPy's ``integrate`` on the region, under a share of the time budget.

    Accepted only when the result is free of unevaluated integrals and of
    unresolved convergence conditions.  SymPy gets at most a quarter of the
    call's budget (at least 5 s), and within one computation much less
    (:func:`fallback_seconds`): where it has not found the integral within a
    second or two of CPU it seldom does later, and the caller gets its
    unevaluated answer sooner.
    """

    name = "direct integration (SymPy)"

    def apply(self, region, f):
        x = region.x
        integrand = sp.exp(region.L.expr()) * f
        res = None
        seconds = fallback_seconds(budget.share(0.25, 5))
        if seconds <= 0:
            return None
        with _charged() as ok, attempt(seconds):
            res = sp.integrate(integrand, (x, region.lo, region.hi), conds="piecewise")
            ok.append(True)
        if res is None:
            return None
        res = real_logs(res, region)
        if res.has(sp.Integral, sp.nan, sp.zoo, sp.I):
            return None
        if isinstance(res, sp.Piecewise):
            val, cond = res.args[0]
            if _cond_value(cond) is not sp.true:
                return None
            res = val
        if res.has(sp.Piecewise):
            return None
        return res
