"""Shared pytest options: ``--runslow`` also runs the slow rows and checks.

With ``CI`` set (``.ci/run`` sets it) the suite runs in strict mode,
``SYMXENT_STRICT=1``: a SymPy bug met inside a rule (``SYMPY_BUGS`` in
:mod:`symxent.engine.rulebase`) propagates and fails the test instead of the rule
quietly not applying.
"""
import os

if os.environ.get("CI") and "SYMXENT_STRICT" not in os.environ:
    os.environ["SYMXENT_STRICT"] = "1"


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False,
                     help="run slow tests too (same as SYMXENT_RUN_SLOW=1)")
    parser.addoption("--shard", default=None, metavar="K/N",
                     help="run only the K-th of N interleaved shares of the collected tests "
                          "(tests/run.py runs the N shares in parallel)")


def pytest_collection_modifyitems(config, items):
    spec = config.getoption("--shard")
    if not spec:
        return
    try:
        k, n = (int(x) for x in spec.split("/"))
    except ValueError:
        raise ValueError(f"--shard takes K/N (e.g. 1/2), got {spec!r}") from None
    if not 1 <= k <= n:
        raise ValueError(f"--shard {spec}: K must be between 1 and N")
    keep, drop = [], []
    for i, item in enumerate(items):
        (keep if i % n == k - 1 else drop).append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep
