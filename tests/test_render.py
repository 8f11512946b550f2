"""Rendering of derivations: exact LaTeX for tricky cases, meaning preserved,
and the documents accepted by real pdflatex and by real KaTeX (strict mode)."""
import os
import re
import subprocess
import sys

import pytest
import sympy as sp
from sympy.parsing.sympy_parser import parse_expr

from symxent.derivation.core import Derivation
from symxent.derivation.render import (Defined, Expect, Named, Ratio, Terms, cross_entropy_notation,
                            entropy_notation, kl_notation, latex_expr, latex_lines,
                            markdown_math, named, text_latex, to_latex, to_markdown,
                            to_text)
from tools import (DERIVATIONS, built_documents, compile_latex, katex_ok, katex_render,
                   math_in_markdown, pdflatex, require, start_background)

start_background()  # the theorem scripts and the document build run meanwhile

a, b, c = sp.symbols("a b c")
x = sp.Symbol("x", real=True)
U = sp.UnevaluatedExpr


# ------------------------------------------------------------ meaning kept
def test_sympy_drops_parentheses_that_we_keep():
    # the SymPy 1.14 bug this module works around: '- a + b' means (-a) + b
    assert sp.latex(-U(a + b)) in ("- a + b", "- (a + b)", r"- \left(a + b\right)")
    assert latex_expr(-U(a + b)) == r"- \left(a + b\right)"
    assert latex_expr(c - U(a + b)) == r"c - \left(a + b\right)"
    assert latex_expr(-c * U(a + b)) == r"- c \left(a + b\right)"
    assert latex_expr(-Terms(a, b)) == r"- \left(a + b\right)"
    assert latex_expr(Terms(c, -U(Terms(a, b)))) == r"c - \left(a + b\right)"
    assert latex_expr(Terms(a, b)**2) == r"\left(a + b\right)^{2}"
    assert latex_expr(Ratio(a, b)**2) == r"\left(\frac{a}{b}\right)^{2}"


@pytest.mark.parametrize("expr", [
    -U(a + b), c - U(a + b), -c * U(a - b), Terms(a, -U(b + c)), Terms(-U(a - b), c),
    Terms(a, b)**2, 2 * Terms(a, -b), Terms(c, -Terms(a, b)), U(a - b) / U(c + a)])
def test_text_rendering_parses_back_to_the_same_value(expr):
    d = Derivation(a, [("=", expr, "x")])
    shown = to_text(d).splitlines()[1].split("[")[0].strip()[1:].strip()
    back = parse_expr(shown, local_dict={"a": a, "b": b, "c": c})
    value = expr.replace(lambda e: hasattr(e, "_symxent_definition"),
                         lambda e: e._symxent_definition()).doit()
    assert sp.simplify(back - value) == 0, shown


def test_long_formulas_are_broken_between_terms_with_signs_kept():
    terms = [(-1)**i * sp.Symbol(f"t{i}")**2 * sp.log(sp.Symbol(f"t{i}")) for i in range(12)]
    e = sp.Add(*terms)
    lines = latex_lines(e, 30)
    assert len(lines) > 2
    joined = " ".join(lines)
    assert joined.replace(" ", "") == sp.latex(e).replace(" ", "")
    assert all(line.startswith(("+", "-")) for line in lines[1:])
    t = latex_lines(Terms(a, -U(b + c), c**2 * sp.log(a) * sp.exp(b) * sp.sin(c)), 5)
    assert t[1] == r"- \left(b + c\right)"


def test_log_base_rendering_is_exact():
    assert latex_expr(sp.log(x) / sp.log(2), log_base=2) == r"\log_{2}{\left(x \right)}"
    two = latex_expr((sp.log(x) - sp.log(3)) / sp.log(2), log_base=2)
    assert sorted(two.replace("- ", "-").split()) == sorted(
        [r"\log_{2}{\left(x", r"\right)}", r"-\log_{2}{\left(3", r"\right)}"]
        + (["+"] if two.startswith("-") else []))
    # not linear-homogeneous in the logs: left as a quotient (still exact)
    assert r"\log_{2}" not in latex_expr((sp.log(x) + 1) / sp.log(2), log_base=2)
    # natural logs are never relabelled
    assert latex_expr(sp.log(x), log_base=2) == r"\log{\left(x \right)}"


def test_symbol_names_and_sympy_settings_are_passed_on():
    d = Derivation(a * b, [("=", b * a, "commutativity")])
    tex = to_latex(d, symbol_names={a: r"\alpha_{0}"}, mul_symbol="dot")
    assert r"\alpha_{0} \cdot b" in tex or r"b \cdot \alpha_{0}" in tex


def test_notation():
    p = sp.Function("p", positive=True)
    q = sp.Function("q", positive=True)
    d = sp.Integral(p(x) * sp.log(p(x) / q(x)), (x, -sp.oo, sp.oo))
    assert latex_expr(kl_notation(d)) == r"D_{\mathrm{KL}}\left(P \,\middle\|\, Q\right)"
    assert latex_expr(entropy_notation(d)) == r"S\left(P\right)"
    assert latex_expr(cross_entropy_notation(d, "A", sp.Symbol("Q_theta"))) == \
        r"H\left(A, Q_{\theta}\right)"
    assert latex_expr(Expect(-sp.log(q(x)), (x, -sp.oo, sp.oo), p(x))) == \
        r"\operatorname{E}_{P}\left[- \log{\left(q{\left(X \right)} \right)}\right]"
    assert str(kl_notation(d)) == "D_KL(P || Q)"
    f = named("p_1", sp.Lambda(x, x**2))
    assert latex_expr(f(x)) == r"p_{1}\left(x\right)" and isinstance(f(x), Named)
    assert isinstance(Defined(1, "A", "A").func(*Defined(1, "A", "A").args), Defined)


def test_layout_and_markdown_safety():
    pos = sp.Symbol("a", positive=True)
    d = Derivation(kl_notation(pos), [("=", pos, "definition"), (">=", 0, "Gibbs, 0 < p_i")])
    d.check()
    tex = d.to_latex()
    assert tex.startswith(r"\begin{align*}") and tex.endswith(r"\end{enumerate}")
    assert r"&= a \tag*{(1)}" in tex and r"&\ge 0 \tag*{(2)}" in tex
    # the full reasons come after the display, as numbered notes
    assert r"\item[(2)] Gibbs, 0 \textless{} p\_i; checked symbolically." in tex
    display = d.to_latex(notes=False)
    assert display.endswith(r"\end{align*}") and r"\tag" not in display
    md = d.to_markdown()
    assert md.startswith("\n$$\n\\begin{aligned}") and "\\end{aligned}\n$$\n" in md
    assert "**(2)** Gibbs, 0 < p\\_i; *checked symbolically.*" in md
    assert r"\|" not in md and r"\Vert" in md
    assert markdown_math(r"a \\ b \| c") == r"a \\ b \Vert  c"
    assert d._repr_markdown_() == md and d._repr_latex_().startswith("$$")
    assert to_markdown(d) == md


def test_numeric_steps_are_labelled():
    d = Derivation(sp.Integral(sp.exp(-x**2), (x, -sp.oo, sp.oo)),
                   [("=", sp.sqrt(sp.pi), "Gaussian integral")])
    d.check()
    assert d.steps[0].checked == "numeric"
    assert "checked numerically at 30 digits" in d.to_latex()
    assert "checked numerically at 30 digits" in str(d)
    d.check(dps=40)
    assert "checked numerically at 40 digits" in d.to_markdown()


def test_justification_text_is_escaped_or_refused():
    assert text_latex("a_b & 50% #1 {x} $ ~ ^ \\") == (
        r"a\_b \& 50\% \#1 \{x\} \$ \textasciitilde{} \textasciicircum{} \textbackslash{}")
    assert text_latex("x \u2264 y") == r"x \textless{}= y"
    with pytest.raises(ValueError):
        text_latex("\u00e9")


# ------------------------------------------------------------ real tools
def _small_document(tmp_path):
    d = Derivation(kl_notation(a), [("=", -U(a + b) + b, "x_1 & y"), (">=", -a, "x")])
    d.check()
    body = "\n".join([r"\documentclass{article}", r"\usepackage{amsmath,amssymb}",
                      r"\begin{document}", d.to_latex(), r"\end{document}"])
    path = tmp_path / "small.tex"
    path.write_text(body)
    return path, d


def test_pdflatex_compiles_a_derivation(tmp_path):
    require(pdflatex(), "pdflatex")
    path, _ = _small_document(tmp_path)
    r = compile_latex(path)
    assert r.returncode == 0, r.stdout[-3000:]
    assert (tmp_path / "small.pdf").stat().st_size > 0


def test_katex_strict_accepts_a_derivation_and_rejects_nonsense(tmp_path):
    require(katex_ok(), "node with the katex package")
    _, d = _small_document(tmp_path)
    blocks = math_in_markdown(d.to_markdown())
    results = katex_render(blocks + [(r"\frac{1}{", True), (r"\text{\u00e9}", False)])
    assert all(ok for ok, _ in results[:len(blocks)]), results
    assert not results[len(blocks)][0]       # a real parser: broken input fails


def test_the_document_compiles_with_pdflatex():
    require(pdflatex(), "pdflatex")
    r, tex, _ = built_documents()
    assert r.returncode == 0, r.stderr
    text = tex.read_text()
    assert text.startswith(r"\documentclass") and r"\usepackage{amsmath" in text
    assert r"\section{Catalogue of closed forms}" in text
    c = compile_latex(tex)
    assert c.returncode == 0, c.stdout[-3000:]
    assert tex.with_suffix(".pdf").stat().st_size > 10000


def test_every_formula_of_the_markdown_renders_in_katex_strict_mode():
    require(katex_ok(), "node with the katex package")
    r, _, md_path = built_documents()
    assert r.returncode == 0, r.stderr
    md = md_path.read_text()
    assert re.search(r"\n\n\$\$\n\\begin\{aligned\}", md)
    assert "| Case | Distributions | Closed form |" in md
    formulas = math_in_markdown(md)
    assert sum(1 for _, display in formulas if display) >= 30
    bad = [(tex[:200], err) for (tex, _), (ok, err) in zip(formulas, katex_render(formulas))
           if not ok]
    assert not bad, bad


@pytest.mark.slow
def test_full_build_with_the_whole_catalogue(tmp_path, request):
    """The real build (every catalogue case, no time cut): minutes, so opt-in."""
    if not (os.environ.get("SYMXENT_RUN_SLOW")
            or request.config.getoption("--runslow", default=False)):
        pytest.skip("the full build takes minutes; set SYMXENT_RUN_SLOW=1 or --runslow")
    require(pdflatex(), "pdflatex")
    require(katex_ok(), "node with the katex package")
    from symxent.testing.catalogue import CASES
    r = subprocess.run([sys.executable, str(DERIVATIONS / "build_docs.py"), "--out",
                        str(tmp_path)], capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stderr[-3000:]
    tex, md = tmp_path / "symxent-derivations.tex", tmp_path / "symxent-derivations.md"
    assert compile_latex(tex).returncode == 0
    text = md.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| ") and "$" in line]
    assert len(rows) == len(CASES)
    formulas = math_in_markdown(text)
    assert all(ok for ok, _ in katex_render(formulas))
