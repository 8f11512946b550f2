"""The rule interface: the one exception helper, step records, registration."""
import pytest
import sympy as sp

from symxent import budget
from symxent.engine.rulebase import attempt
from sympy.polys.polyerrors import PolynomialError


def test_attempt_swallows_does_not_apply_failures():
    v = None
    with attempt():
        raise PolynomialError("not a polynomial")
    assert v is None
    with attempt():
        raise NotImplementedError("SymPy has no method")


def test_attempt_lets_sympy_bugs_through_only_in_strict_mode(monkeypatch):
    monkeypatch.setenv("SYMXENT_STRICT", "0")
    with attempt():
        raise AttributeError("a SymPy bug")
    monkeypatch.setenv("SYMXENT_STRICT", "1")
    with pytest.raises(AttributeError):
        with attempt():
            raise AttributeError("a SymPy bug")


def test_attempt_never_hides_other_exceptions():
    with pytest.raises(RuntimeError):
        with attempt():
            raise RuntimeError("not SymPy's way of saying no")


def test_attempt_with_a_share_stops_only_the_share():
    import time
    done = False
    with budget.budget(30):
        with attempt(0.2):
            while True:        # the share runs out: the attempt fails quietly
                time.sleep(0.01)
                budget.check()
        done = True
    assert done
    with pytest.raises(budget.BudgetExceeded):
        with budget.budget(0.2):
            with attempt(10):  # the call's own budget runs out: it propagates
                while True:
                    time.sleep(0.01)
                    budget.check()


def test_the_readme_extension_example_is_the_tested_file():
    import pathlib
    root = pathlib.Path(__file__).resolve().parent.parent
    example = (root / "tests" / "test_readme_extending.py").read_text()
    assert "```python\n" + example + "```" in (root / "README.md").read_text()
