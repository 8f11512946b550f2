"""Shared pytest options: ``--runslow`` also runs the slow rows and checks.

With ``CI`` set (``.ci/run`` sets it) the suite runs in strict mode,
``SYMXENT_STRICT=1``: a SymPy bug met inside a rule (``SYMPY_BUGS`` in
:mod:`symxent.engine.rulebase`) propagates and fails the test instead of the rule
quietly not applying.
"""
import json
import os

if os.environ.get("CI") and "SYMXENT_STRICT" not in os.environ:
    os.environ["SYMXENT_STRICT"] = "1"


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False,
                     help="run slow tests too (same as SYMXENT_RUN_SLOW=1)")
    parser.addoption("--shard", default=None, metavar="K/N",
                     help="run only the K-th of N interleaved shares of the collected tests "
                          "(tests/run.py runs the N shares in parallel)")
    parser.addoption("--store-durations", action="store_true", default=False,
                     help="record each test's time in tests/durations.json, which "
                          "--shard uses to balance the shares")


DURATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "durations.json")
#: the assumed time of a test missing from :data:`DURATIONS`
DEFAULT_SECONDS = 0.3


def _recorded():
    try:
        with open(DURATIONS) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


_TIMES = {}


def pytest_runtest_logreport(report):
    _TIMES[report.nodeid] = _TIMES.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session):
    """With ``--store-durations``, merge this run's test times into
    :data:`DURATIONS` (under a lock: the shares of tests/run.py finish apart)."""
    if not session.config.getoption("--store-durations") or not _TIMES:
        return
    import fcntl
    import tempfile
    with open(os.path.join(tempfile.gettempdir(), "symxent-durations.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        times = _recorded()
        times.update({k: round(v, 2) for k, v in _TIMES.items()})
        with open(DURATIONS, "w") as f:
            json.dump(dict(sorted(times.items())), f, indent=0)
            f.write("\n")


#: A module with at most this many tests goes to one share whole: its module-scoped
#: fixtures (pdflatex over the catalogue, a Chromium session) then run once.
_WHOLE_MODULE = 40


def _group(item):
    """The unit a share takes whole: a small module, or the tests of a large one that
    share a parameter id (``test_symbolic[S-normal]`` and
    ``test_engine_matches_definition[S-normal]`` share one cached engine result)."""
    module = item.nodeid.split("::")[0]
    siblings = item.session._symxent_module_sizes.get(module, 0)
    if siblings <= _WHOLE_MODULE:
        return module
    callspec = getattr(item, "callspec", None)
    return f"{module}::{callspec.id if callspec is not None else item.name}"


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
    sizes = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        sizes[module] = sizes.get(module, 0) + 1
    if items:
        items[0].session._symxent_module_sizes = sizes
    groups = {}
    for item in items:
        groups.setdefault(_group(item), []).append(item)
    # greedy balance, costliest group first, a test's cost its time in the last
    # recorded run (tests/durations.json, --store-durations) or DEFAULT_SECONDS;
    # deterministic, so every share computes the same split
    seen = _recorded()
    cost = {g: sum(seen.get(i.nodeid, DEFAULT_SECONDS) for i in members)
            for g, members in groups.items()}
    load = [0.0] * n
    owner = {}
    for key in sorted(groups, key=lambda g: (-cost[g], g)):
        j = min(range(n), key=lambda i: (load[i], i))
        owner[key] = j
        load[j] += cost[key]
    keep = [item for item in items if owner[_group(item)] == k - 1]
    drop = [item for item in items if owner[_group(item)] != k - 1]
    config.hook.pytest_deselected(items=drop)
    items[:] = keep
