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
