"""The tutorial notebook runs, and its formulas render in a real browser.

``notebooks/tutorial.ipynb`` is executed (nbclient + ipykernel), exported to
HTML (nbconvert's ``basic`` template inside a small page that loads KaTeX and
its auto-render extension from ``node_modules``: no network), and opened in
headless Chromium, which dumps the DOM after the scripts ran and takes a
screenshot in the same run.  The test checks that every formula was typeset
(no raw ``$$`` left, no ``.katex-error`` node, at least as many ``.katex``
nodes as formulas in the notebook) and keeps the HTML and the screenshot under
``artifacts/notebook/`` (git-ignored) for CI to collect.

With ``CI`` set, missing Chromium, KaTeX or the notebook packages fail the test.
"""
import html
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tools import ROOT, katex_ok, math_in_markdown, require

NOTEBOOK = ROOT / "notebooks" / "tutorial.ipynb"
ARTIFACTS = ROOT / "artifacts" / "notebook"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
# display priority of nbconvert's HTML export (the first present is shown)
SHOWN = ["text/html", "text/markdown", "text/latex", "image/png", "text/plain"]


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _katex_dir():
    return Path(os.environ.get("KATEX_DIR", str(ROOT))) / "node_modules" / "katex" / "dist"


def page(body, katex):
    """A standalone HTML page: ``body`` with KaTeX typesetting every ``$...$``
    and ``$$...$$`` once loaded (errors shown as ``.katex-error`` nodes)."""
    k = katex.as_uri()
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>symxent tutorial</title>
<link rel="stylesheet" href="{k}/katex.min.css">
<style>body {{ font-family: sans-serif; max-width: 60em; margin: 1em auto; }}
pre {{ background: #f5f5f5; padding: .4em; overflow-x: auto; }}
.prompt {{ color: #888; font-size: 80%; }} img {{ max-width: 100%; }}</style>
</head><body>
{body}
<script src="{k}/katex.min.js"></script>
<script src="{k}/contrib/auto-render.min.js"></script>
<script>
renderMathInElement(document.body, {{
  delimiters: [{{left: "$$", right: "$$", display: true}},
               {{left: "$", right: "$", display: false}}],
  throwOnError: false}});
document.body.setAttribute("data-typeset", "done");
</script></body></html>
"""


def _formulas(nb):
    """Formulas the exported page must show: Markdown cells and the shown outputs."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            out += math_in_markdown(cell.source)
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            shown = next((m for m in SHOWN if m in data), None)
            if shown in ("text/markdown", "text/latex"):
                out += math_in_markdown(data[shown])
    return out


def test_tutorial_runs_and_every_formula_typesets_in_chromium():
    for module in ("nbclient", "nbformat", "nbconvert", "ipykernel", "matplotlib"):
        require(importlib.util.find_spec(module) is not None,
                f"the Python package {module} (pip install '.[notebook,plot]')")
    require(_chromium(), "chromium (apt-get install chromium)")
    require(katex_ok() and (_katex_dir() / "katex.min.js").exists(),
            "KaTeX (npm install in the repository root)")
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(NOTEBOOK, as_version=4)
    env_path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    os.environ["PYTHONPATH"], saved = env_path, os.environ.get("PYTHONPATH")
    try:  # the kernel imports this checkout's symxent
        NotebookClient(nb, timeout=180, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT)}}).execute()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    kinds = {m for c in nb.cells for o in c.get("outputs", []) for m in o.get("data", {})}
    assert {"text/latex", "text/markdown", "image/png"} <= kinds   # math, derivation, plot

    body, _ = HTMLExporter(template_name="basic").from_notebook_node(nb)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    html_path = ARTIFACTS / "tutorial.html"
    html_path.write_text(page(body, _katex_dir()), encoding="utf-8")
    shot = ARTIFACTS / "tutorial.png"
    if shot.exists():
        shot.unlink()
    with tempfile.TemporaryDirectory(prefix="symxent-chromium-") as profile:
        r = subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                            "--window-size=1100,4200", f"--screenshot={shot}",
                            "--virtual-time-budget=10000", "--dump-dom", html_path.as_uri()],
                           capture_output=True, text=True, timeout=120)
    dom = r.stdout
    assert 'data-typeset="done"' in dom, r.stderr[-2000:]
    (ARTIFACTS / "tutorial.dom.html").write_text(dom, encoding="utf-8")

    formulas = _formulas(nb)
    assert len(formulas) >= 15
    typeset = len(re.findall(r'class="katex"', dom))
    assert typeset >= len(formulas), (typeset, len(formulas))
    assert "katex-error" not in dom
    # what a reader sees: no scripts, no styles, no TeX sources kept for screen readers
    visible = re.sub(r"<(script|style|annotation)\b.*?</\1>", " ", dom, flags=re.S)
    visible = html.unescape(re.sub(r"<[^>]+>", " ", visible))
    assert "$$" not in visible and "\\begin{aligned}" not in visible
    assert "\\frac" not in visible and "\\left" not in visible
    assert shot.exists() and shot.stat().st_size > 50000
