"""Shared pytest options: ``--runslow`` also runs the slow rows and checks."""


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False,
                     help="run slow tests too (same as SYMXENT_RUN_SLOW=1)")
