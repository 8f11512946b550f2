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


# ---------------------------------------------------------------- step records

x = sp.Symbol("x", real=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)


def _gaussian_region():
    from symxent.engine.logform import LogForm
    from symxent.engine.steps import Region
    L = LogForm(x, -sp.log(sp.sqrt(2 * sp.pi) * sigma) - mu**2 / (2 * sigma**2),
                {x**2: -1 / (2 * sigma**2), x: mu / sigma**2})
    return Region(L, -sp.oo, sp.oo, (), True)


def test_an_expectation_comes_with_its_tree_of_steps():
    import dataclasses
    from symxent.engine.expectation import Tilt, integral_steps
    value, step = integral_steps(_gaussian_region(), 3 * x)
    assert sp.expand(value - 3 * mu) == 0          # E[3X] = 3 mu, X ~ N(mu, sigma^2)
    assert step.rule == "" and step.value == value  # linearity: assembles its children
    (feature,) = step.children
    assert feature.target == x and sp.expand(feature.value - mu) == 0
    assert feature.rule == Tilt.name
    (kernel,) = feature.children
    assert kernel.rule == "Gaussian integral"
    assert feature.reasons() == ["Gaussian integral", Tilt.name]  # the kernel, then the rule
    with pytest.raises(dataclasses.FrozenInstanceError):
        feature.value = 0


def test_a_rule_returns_value_and_step_and_apply_gives_the_value():
    from symxent.engine.expectation import Tilt
    region = _gaussian_region()
    value, step = Tilt().step(region, x)
    assert Tilt().apply(region, x) == value and step.value == value and step.target == x


def test_rules_with_the_older_convention_still_work(monkeypatch):
    """An object with ``apply(region, f) -> value`` only (not a Rule), and a plain kernel
    callable: both are asked through the one convention and named in the steps."""
    from symxent.engine import expectation, kernels
    from symxent.engine.expectation import integral_steps

    class Mean:
        name = "the mean of a Gaussian is its location"

        def apply(self, region, f):
            return mu if f == x else None

    monkeypatch.setattr(expectation, "RULES", [Mean()] + expectation.RULES)
    value, step = integral_steps(_gaussian_region(), x)
    assert value == mu and step.children[0].rule == Mean.name

    calls = []

    def plain_kernel(form, lo, hi, facts):
        calls.append(form)
        return None

    monkeypatch.setattr(kernels, "KERNELS", [plain_kernel] + kernels.KERNELS)
    monkeypatch.setattr(expectation, "RULES", expectation.RULES[1:])
    value, step = integral_steps(_gaussian_region(), x)
    assert sp.expand(value - mu) == 0 and calls           # asked, declined, the next one fits
    assert step.children[0].reasons() == ["Gaussian integral", expectation.Tilt.name]


def test_a_kernel_answers_through_the_same_convention():
    from symxent.engine.kernels import Gaussian, KernelResult
    region = _gaussian_region()
    out = Gaussian().step(region, sp.S.One)
    assert isinstance(out[0], KernelResult) and out[1].rule == "Gaussian integral"
    assert sp.simplify(out[0].Z - 1) == 0               # the normalised density's mass
    assert Gaussian().step(region, x) is None            # a kernel only answers f = 1
