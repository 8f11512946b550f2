"""symxent.plot: the pictures' content, checked against independent references
(mpmath quadrature of the definition, textbook formulas), not only that files
exist.  Rendered with matplotlib's Agg backend."""
import os
import sys

import mpmath
import pytest

try:
    import matplotlib
    import numpy as np
except ImportError:  # the optional plot extra: a failure in CI, a skip elsewhere
    if os.environ.get("CI"):
        raise
    pytest.skip('matplotlib is not installed (pip install ".[plot]")', allow_module_level=True)
import sympy as sp
from sympy.stats import Bernoulli, Laplace, Normal, Poisson

matplotlib.use("Agg")

from symxent import KLDivergence  # noqa: E402
from symxent.errors import SymxentError  # noqa: E402
from symxent.plot import plot_divergence, plot_measure  # noqa: E402


def _line(fig, label):
    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_label() == label:
                return line.get_data()
    raise AssertionError(f"no line labelled {label!r}")


def _kl_normal_laplace_reference():
    """D_KL(N(0,1) || Laplace(1, 2)) by mpmath quadrature of the definition."""
    with mpmath.workdps(30):
        p = lambda x: mpmath.npdf(x, 0, 1)  # noqa: E731
        q = lambda x: mpmath.exp(-abs(x - 1) / 2) / 4  # noqa: E731
        return mpmath.quad(lambda x: p(x) * (mpmath.log(p(x)) - mpmath.log(q(x))),
                           [-mpmath.inf, 1, mpmath.inf])


def test_integrand_area_is_the_divergence_in_the_title():
    fig = plot_divergence(Normal("P", 0, 1), Laplace("Q", 1, 2))
    ref = float(_kl_normal_laplace_reference())
    assert fig.symxent_value == pytest.approx(ref, rel=1e-12)       # the title's value
    assert f"{ref:.6g}" in fig._suptitle.get_text()
    x, g = _line(fig, "p log(p/q)")
    assert np.trapezoid(g, x) == pytest.approx(ref, rel=1e-3)       # the drawn area
    x, p = _line(fig, "p")
    assert np.trapezoid(p, x) == pytest.approx(1, abs=1e-3)         # p is a density
    x, q = _line(fig, "q")
    assert q[np.argmin(abs(x - 1))] == pytest.approx(0.25, rel=1e-2)  # Laplace peak 1/(2b)


def test_discrete_laws_are_drawn_as_bars_summing_to_the_divergence():
    fig = plot_divergence(Poisson("P", 3), Poisson("Q", 5))
    # KL(Poi(a) || Poi(b)) = a log(a/b) + b - a (e.g. Wikipedia, Poisson distribution,
    # "Other properties"), written out here as the independent reference
    ref = 3 * np.log(3 / 5) + 5 - 3
    assert fig.symxent_value == pytest.approx(ref, rel=1e-12)
    bars = [b.get_height() for b in fig.axes[1].patches]
    assert len(bars) >= 10 and sum(bars) == pytest.approx(ref, rel=1e-4)
    heights = [b.get_height() for b in fig.axes[0].patches]
    assert sum(heights[:len(heights) // 2]) == pytest.approx(1, abs=1e-4)   # p's bars


def test_finite_laws_and_infinite_divergence():
    fig = plot_divergence(Bernoulli("P", sp.Rational(1, 3)), Bernoulli("Q", sp.Rational(1, 2)))
    ref = (1 / 3) * np.log((1 / 3) / 0.5) + (2 / 3) * np.log((2 / 3) / 0.5)
    assert sum(b.get_height() for b in fig.axes[1].patches) == pytest.approx(ref, rel=1e-12)


def test_measure_curve_follows_the_closed_form_and_is_checked():
    mu = sp.Symbol("mu", real=True)
    s = sp.Symbol("sigma", positive=True)
    fig = plot_measure(KLDivergence(Normal("P", mu, 1), Normal("Q", 0, s)),
                       over=(s, 0.3, 3), subs={mu: 1})
    x, y = _line(fig, "closed form")
    # KL(N(m1, s1) || N(m2, s2)) = log(s2/s1) + (s1^2 + (m1 - m2)^2)/(2 s2^2) - 1/2
    # (e.g. Bishop, PRML, exercise 1.30 / Wikipedia "Kullback-Leibler divergence")
    ref = np.log(x) + (1 + 1) / (2 * x**2) - 0.5
    assert len(x) >= 100 and np.allclose(y, ref, rtol=1e-12, atol=1e-12)
    assert len(fig.symxent_checked) == 3
    cx, cy = _line(fig, "numeric definition (check)")
    assert np.allclose(cy, np.log(cx) + 1 / cx**2 - 0.5, rtol=1e-10)


def test_a_curve_that_disagrees_with_the_definition_is_refused(monkeypatch):
    import symxent.numeric.core as numeric
    real = numeric.evaluate

    def wrong(*args, **kwargs):
        v = real(*args, **kwargs)
        return numeric.NumericValue(v.value + 1, v.error, v.dps)
    monkeypatch.setattr(numeric, "evaluate", wrong)
    s = sp.Symbol("sigma", positive=True)
    with pytest.raises(SymxentError, match="disagree"):
        plot_measure(KLDivergence(Normal("P", 0, 1), Normal("Q", 0, s)), over=("sigma", 1, 2))


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r'pip install "symxent\[plot\]"'):
        plot_divergence(Normal("P", 0, 1), Normal("Q", 0, 2))


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                           (".pdf", b"%PDF")])
def test_cli_writes_the_format_of_the_extension(tmp_path, suffix, magic, capsys):
    from symxent.cli.commands import main
    out = tmp_path / f"kl{suffix}"
    assert main(["plot", "kl", "Normal(0, 1)", "Laplace(1, 2)", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(magic) and len(data) > 5000
    if suffix == ".png":
        img = matplotlib.image.imread(str(out))
        ink = (img[..., :3].mean(axis=2) < 0.9).mean()
        assert 0.01 < ink < 0.6          # drawn lines and text, not a blank page


def test_cli_curve_and_usage_errors(tmp_path, capsys):
    from symxent.cli.commands import main
    out = tmp_path / "curve.png"
    assert main(["plot", "kl", "Normal(mu, 1)", "Normal(0, sigma)", "--over", "sigma",
                 "0.5", "3", "--at", "mu=1", "-o", str(out)]) == 0
    assert out.stat().st_size > 5000
    assert main(["plot", "kl", "Normal(0, 1)", "Normal(0, 2)", "-o",
                 str(tmp_path / "x.jpg")]) == 2
    assert main(["plot", "entropy", "Normal(0, 1)", "-o", str(tmp_path / "x.png")]) == 2
    assert "use kl" in capsys.readouterr().err


@pytest.mark.parametrize("typo, family", [("Gama", "Gamma"), ("Nromal", "Normal"),
                                          ("Lapalce", "Laplace")])
def test_cli_suggests_the_family_meant(tmp_path, capsys, typo, family):
    from symxent.cli.commands import main
    assert main(["plot", "kl", f"{typo}(1, 2)", "Normal(0, 1)", "-o",
                 str(tmp_path / "x.png")]) == 2
    assert f"did you mean {family}?" in capsys.readouterr().err
