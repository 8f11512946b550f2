"""The LaTeX of ``derive`` is fit for a paper: every catalogue derivation,
compiled with real pdflatex in a plain 10pt ``article`` (letter and A4, default
margins, amsmath), gives no overfull box wider than 1pt; the notation is the
literature's (psi, B with subscripts, no Python syntax); failed checks are
visible; the standalone document compiles; the Markdown and Jupyter forms
render in KaTeX strict mode.

One pdflatex run per paper size for all derivations (they are derived with
``check=False`` in two processes, the slow part); the runs go in parallel.
With ``CI`` set, a missing pdflatex or KaTeX fails these tests.
"""
import concurrent.futures
import contextlib
import io
import multiprocessing
import re
import subprocess

import pytest
import sympy as sp
from sympy.stats import Normal, StudentT

from symxent import Derivation, KLDivergence, derive
from symxent.cli.commands import main
from symxent.testing.catalogue import CASES
from tools import katex_ok, katex_render, math_in_markdown, pdflatex, require

PREAMBLE = r"""\documentclass[10pt,%s]{article}
\usepackage{amsmath,amssymb}
\allowdisplaybreaks
\begin{document}
"""
_OVERFULL = re.compile(r"Overfull \\([hv])box \(([\d.]+)pt too (?:wide|high)\)[^\n]*?"
                       r"lines? (\d+)")


def _rendered(names):
    """Worker: (name, latex, markdown, jupyter latex) of each named catalogue case."""
    from symxent.measures import CrossEntropy, Entropy, KLDivergence as KL
    from symxent.testing.catalogue import case
    out = []
    for name in names:
        c = case(name)
        q = {"entropy": Entropy, "kl": KL, "cross_entropy": CrossEntropy}[c.kind](*c.build())
        d = derive(q, check=False)
        out.append((name, d.to_latex(), d.to_markdown(), d._repr_latex_()))
    return out


def _failed_chain():
    a = sp.Symbol("a", positive=True)
    d = Derivation(a**2, [("=", a * a, "square"), ("=", a + 1, "a wrong step")])
    d.check()
    return d


@pytest.fixture(scope="module")
def catalogue():
    names = [c.name for c in CASES]
    halves = [names[0::2], names[1::2]]
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as pool:
        parts = list(pool.map(_rendered, halves))
    return [item for part in parts for item in part]


def _run(tex_path):
    return subprocess.Popen([pdflatex(), "-interaction=nonstopmode", "-halt-on-error",
                             tex_path.name], cwd=tex_path.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _overfull(log, ranges):
    """[(size, kind, case)] of overfull boxes > 1pt (the case from the line)."""
    bad = []
    for kind, size, line in _OVERFULL.findall(log):
        if float(size) > 1:
            where = [n for a, b, n in ranges if a <= int(line) <= b] or ["?"]
            bad.append((float(size), kind + "box", where[0]))
    return bad


@pytest.fixture(scope="module")
def compiled(catalogue, tmp_path_factory):
    """Every derivation (and a failed chain) in one document per paper size,
    plus the standalone document of one derivation; compiled in parallel."""
    require(pdflatex(), "pdflatex")
    out = tmp_path_factory.mktemp("latex")
    items = [(name, tex) for name, tex, _, _ in catalogue]
    items.append(("failed chain", _failed_chain().to_latex()))
    body, ranges, line = [], [], PREAMBLE.count("\n") + 1
    for name, tex in items:
        title = r"\section*{%s}" % re.sub(r"[^A-Za-z0-9 ()+-]", " ", name)
        chunk = title + "\n" + tex + "\n"
        ranges.append((line, line + chunk.count("\n"), name))
        line += chunk.count("\n")
        body.append(chunk)
    procs, paths = {}, {}
    for paper in ("letterpaper", "a4paper"):
        paths[paper] = out / f"catalogue-{paper}.tex"
        paths[paper].write_text(PREAMBLE % paper + "".join(body) + "\\end{document}\n")
        procs[paper] = _run(paths[paper])
    paths["standalone"] = out / "standalone.tex"    # as the CLI prints it
    cli = io.StringIO()
    with contextlib.redirect_stdout(cli):
        assert main(["derive", "kl", "Normal(mu, sigma)", "Normal(0, 1)", "--format", "latex",
                     "--standalone", "--no-check"]) == 0
    paths["standalone"].write_text(cli.getvalue())
    procs["standalone"] = _run(paths["standalone"])
    results = {}
    for key, p in procs.items():
        stdout, _ = p.communicate(timeout=120)
        results[key] = (p.returncode, stdout, paths[key].with_suffix(".log").read_text(
            errors="replace"), paths[key])
    return results, ranges


@pytest.mark.parametrize("paper", ["letterpaper", "a4paper"])
def test_every_catalogue_derivation_compiles_without_overfull_boxes(compiled, paper):
    results, ranges = compiled
    rc, stdout, log, path = results[paper]
    assert rc == 0, stdout[-3000:]
    assert len(ranges) == len(CASES) + 1
    bad = _overfull(log, ranges)
    assert not bad, f"overfull boxes > 1pt: {bad}"
    assert path.with_suffix(".pdf").stat().st_size > 100000


def test_standalone_output_compiles_as_it_is(compiled):
    rc, stdout, log, path = compiled[0]["standalone"]
    text = path.read_text()
    mu, s = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
    d = derive(KLDivergence(Normal("P", mu, s), Normal("Q", 0, 1)), check=False)
    assert text.rstrip() == d.to_latex(standalone=True).rstrip()   # CLI = Python API
    assert text.startswith(r"\documentclass") and text.rstrip().endswith(r"\end{document}")
    assert rc == 0, stdout[-3000:]
    assert not _overfull(log, [])


def test_notation_of_the_literature_and_no_python_syntax(catalogue):
    forbidden = ["**", "polygamma", "catalan", r"\operatorname{B}", "EulerGamma", "Piecewise",
                 "NOT CHECKED", "lowergamma(", "Abs("]
    python_call = re.compile(r"(?<![\\a-zA-Z])(log|sqrt|exp|gamma|beta)\(")
    for name, tex, md, jupyter in catalogue:
        md_math = " ".join(f for f, _ in math_in_markdown(md))   # ** is Markdown bold
        for text in (tex, md_math, jupyter):
            hits = [f for f in forbidden if f in text] + python_call.findall(text)
            assert not hits, (name, hits)
    byname = {name: tex for name, tex, _, _ in catalogue}
    beta = byname["KL Beta || Beta"]
    assert r"\psi\left(a_{1}\right)" in beta or r"\psi \left( a_{1} \right)" in beta
    assert r"\mathrm{B}\left(a_{1}, b_{1}\right)" in beta
    gauss = byname["KL Normal || Normal"]
    # the quoted expectations are typeset in the notes, one per line
    assert r"\operatorname{E}\left[X_{1}^{2}\right] = \mu_{1}^{2} + \sigma_{1}^{2}" in gauss
    assert r"\tag*{(3)}" in gauss and r"\item[(3)] Gaussian integral" in gauss


def test_student_t_against_normal_has_no_printer_oddities():
    tex = derive(KLDivergence(StudentT("X", 3), Normal("Y", 0, 1)), check=False).to_latex()
    assert "catalan" not in tex and "C_{" not in tex
    assert r"\frac{8}{3 \pi}" in tex


def test_float_input_gives_float_output():
    d = derive(KLDivergence(Normal("X", 0, 1.5), Normal("Y", 0, 1)), check=False)
    last = d.to_latex(notes=False).split(r"\\")[-1]
    assert r"\log" not in last and re.search(r"0\.\d{6}", last), last
    # KL(N(0, 1.5) || N(0, 1)) = -log 1.5 + 1.5**2/2 - 1/2 (textbook Gaussian KL)
    import math
    value = float(re.search(r"(\d\.\d+)", last).group(1))
    assert value == pytest.approx(-math.log(1.5) + 1.5**2 / 2 - 0.5, rel=1e-12)


def test_a_failed_check_is_never_exported_silently():
    d = _failed_chain()
    assert d.steps[1].checked == "failed"
    tex, md, jupyter = d.to_latex(), d.to_markdown(), d._repr_latex_()
    assert tex.startswith(r"\noindent\textbf{CHECK FAILED}") and r"\tag*{(2) CHECK FAILED}" in tex
    assert md.lstrip().startswith("**CHECK FAILED**") and "(2 CHECK FAILED)" in md
    assert "CHECK FAILED" in jupyter and "CHECK FAILED" in d.to_latex(notes=False)
    assert "CHECK FAILED" in d.to_text()


def test_markdown_and_jupyter_forms_render_in_katex_strict_mode(catalogue):
    require(katex_ok(), "node with the katex package")
    formulas = []
    for name, _, md, jupyter in catalogue + [("failed", "", _failed_chain().to_markdown(),
                                              _failed_chain()._repr_latex_())]:
        formulas += [(name, f) for f in math_in_markdown(md) + math_in_markdown(jupyter)]
    results = katex_render([f for _, f in formulas])
    bad = [(name, tex[:120], err) for (name, (tex, _)), (ok, err) in zip(formulas, results)
           if not ok]
    assert not bad, bad[:5]
    assert len(formulas) > 4 * len(CASES)
