"""Every public Python entry point honours its time budget, in the main thread
and in a worker thread (issue 9: budget tests for every public entry point).

Each call gets a pair the engine (or the numeric layer) cannot finish within the
budget; it must come back -- unevaluated, inconclusive or with BudgetExceeded --
within the budget plus a margin, in either thread, and leave the process usable.
"""
import threading
import time
import warnings

import pytest
import sympy as sp
from sympy.stats import Gompertz, Lomax, Normal

from symxent import (BudgetExceeded, Entropy, KLDivergence, assert_formula, cross_entropy,
                     derive, entropy, kl_divergence, refute)
from symxent.numeric import NumericError, evaluate

BUDGET = 1.5
MARGIN = 2.0  # a loaded 2-core machine


def _slow_pair():
    a, b, c, d = sp.symbols("a b c d", positive=True)
    return Lomax("X", a, b), Lomax("Y", c, d)


def _entropy():
    a, b = sp.symbols("a b", positive=True)
    return entropy(Gompertz("G", a, b), timeout=BUDGET)


def _cross_entropy():
    return cross_entropy(*_slow_pair(), timeout=BUDGET)


def _kl():
    return kl_divergence(*_slow_pair(), timeout=BUDGET)


def _derive():
    return derive(KLDivergence(*_slow_pair()), timeout=BUDGET)


def _numeric():
    return evaluate(Entropy(Normal("N", sp.Rational(1, 3), 1)), dps=4000, timeout=BUDGET)


def _assert_formula():
    P, Q = _slow_pair()
    return assert_formula(sp.Integer(1), KLDivergence(P, Q), points=3, timeout=BUDGET)


def _refute():
    P, Q = _slow_pair()
    return refute(KLDivergence(P, Q) >= 0, timeout=BUDGET)


CALLS = {"entropy": _entropy, "cross_entropy": _cross_entropy, "kl_divergence": _kl,
         "derive": _derive, "numeric.evaluate": _numeric, "assert_formula": _assert_formula,
         "refute": _refute}
ACCEPTED = (BudgetExceeded, NumericError, AssertionError)


def _run(fn):
    out = {}
    t0 = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out["value"] = fn()
        except ACCEPTED as exc:
            out["error"] = exc
    out["elapsed"] = time.monotonic() - t0
    return out


@pytest.mark.timeout(60)
@pytest.mark.parametrize("where", ["main", "worker"])
@pytest.mark.parametrize("name", list(CALLS))
def test_entry_point_stops_within_its_budget(name, where):
    if where == "main":
        out = _run(CALLS[name])
    else:
        box = {}
        t = threading.Thread(target=lambda: box.update(_run(CALLS[name])), daemon=True)
        t.start()
        t.join(BUDGET + MARGIN + 10)
        assert not t.is_alive(), f"{name} still running in a worker thread"
        out = box
    assert out["elapsed"] < BUDGET + MARGIN, (name, where, out)
    # the process is left usable: a quick call right after works
    x = sp.Symbol("x", positive=True)
    assert sp.simplify(kl_divergence(Normal("A", 0, x), Normal("B", 0, x)) - 0) == 0
