"""pytest plugin (entry point ``symxent``): check hand-typed formulas in tests.

* fixture ``formula_check``: ``formula_check(formula, quantity, **options)`` runs
  :func:`symxent.testing.formula.assert_formula` (options: ``dps``, ``points``, ``seed``).
* marker ``@pytest.mark.symxent_formula(formula, quantity, **options)``: the same
  check runs before the test body; a wrong formula fails the test.  One line::

      @pytest.mark.symxent_formula(log(s2/s1) + (s1**2 + (m1-m2)**2)/(2*s2**2) - S.Half,
                                   KLDivergence(Normal("X", m1, s1), Normal("Y", m2, s2)))
      def test_gaussian_kl(): pass

Importing this module is cheap: symxent itself is imported only when a check runs.
"""
import pytest

MARKER = "symxent_formula"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"{MARKER}(formula, quantity, **options): check that the closed form `formula` "
        "equals `quantity` (an Entropy/CrossEntropy/KLDivergence) symbolically or numerically "
        "at random admissible parameter points (symxent.testing.formula.assert_formula); "
        "options: dps, points, seed")


def _check(*args, **kwargs):
    from symxent.testing.formula import assert_formula
    return assert_formula(*args, **kwargs)


@pytest.fixture
def formula_check():
    """``formula_check(formula, quantity, **options)``: assert a formula (see assert_formula)."""
    return _check


def _marked_checks(item):
    for mark in item.iter_markers(name=MARKER):
        args, kwargs = list(mark.args), dict(mark.kwargs)
        for name in ("formula", "quantity"):
            if name in kwargs:
                args.append(kwargs.pop(name))
        if len(args) != 2:
            raise pytest.UsageError(
                f"@pytest.mark.{MARKER} needs (formula, quantity), got {len(args)} argument(s) "
                f"in {item.nodeid}")
        yield args, kwargs


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    for args, kwargs in _marked_checks(item):
        _check(*args, **kwargs)
