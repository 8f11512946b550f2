"""Helpers for tests that need external tools (pdflatex, node + KaTeX) and for
running the theorem scripts once per test session.

A test that needs a missing tool *fails* when the environment variable ``CI``
is set and is skipped with the reason otherwise.  Install the tools with::

    apt-get install -y texlive-latex-base texlive-latex-recommended nodejs npm
    npm install            # in the repository root (package.json: katex)
"""
from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DERIVATIONS = ROOT / "derivations"
KATEX_SCRIPT = Path(__file__).resolve().parent / "katex_render.js"
SCRIPTS = sorted(p.name for p in DERIVATIONS.glob("thm_*.py"))


def require(available, what):
    """Skip, or fail when ``CI`` is set, unless ``available``."""
    if available:
        return
    message = f"{what} is not installed (see tests/tools.py for the install commands)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI is set, so this is an error, not a skip")
    pytest.skip(message)


def pdflatex():
    return shutil.which("pdflatex")


@functools.lru_cache(maxsize=None)
def katex_ok():
    """True when ``node`` can load the ``katex`` package installed for the repository."""
    node = shutil.which("node")
    if not node:
        return False
    where = os.environ.get("KATEX_DIR", str(ROOT))
    r = subprocess.run([node, "-e", f"require.resolve('katex', {{paths: [{where!r}]}})"],
                       capture_output=True, text=True)
    return r.returncode == 0


def katex_render(items):
    """Render ``[(tex, display)]`` with KaTeX in strict mode; returns [(ok, error)]."""
    payload = json.dumps([{"tex": t, "display": d} for t, d in items])
    r = subprocess.run([shutil.which("node"), str(KATEX_SCRIPT)], input=payload,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return [(x["ok"], x.get("error")) for x in json.loads(r.stdout)["results"]]


def math_in_markdown(md):
    """Every math formula of a Markdown text: ``$$...$$`` blocks (display) and
    ``$...$`` spans (inline), as ``[(tex, display)]``."""
    out = []
    parts = md.split("$$")
    assert len(parts) % 2 == 1, "unbalanced $$ in the Markdown"
    for i, part in enumerate(parts):
        if i % 2 == 1:
            out.append((part.strip(), True))
            continue
        for line in part.splitlines():
            spans = line.split("$")
            assert len(spans) % 2 == 1, f"unbalanced $ in line: {line[:80]}"
            out += [(s, False) for s in spans[1::2]]
    return out


def compile_latex(tex_path):
    """Run pdflatex once (the documents have no cross-references); returns the process."""
    return subprocess.run([pdflatex(), "-interaction=nonstopmode", "-halt-on-error",
                           tex_path.name], cwd=tex_path.parent, capture_output=True,
                          text=True, timeout=300)


def _command(script, out, *extra):
    return [sys.executable, str(DERIVATIONS / script), "--out", str(out), *extra]


class _Background:
    """Runs the theorem scripts, then the document build, in the background
    (a daemon thread starting at most ``cpu_count`` processes at a time), so the
    unit tests overlap with them.  Children still running at exit are killed."""

    def __init__(self):
        self.out = Path(tempfile.mkdtemp(prefix="symxent-derivations-"))
        self.runs, self.build, self.live = {}, None, []
        self.done = threading.Event()
        atexit.register(self._kill)
        threading.Thread(target=self._work, daemon=True).start()

    def _start(self, cmd):
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        self.live.append(p)
        return p

    def _finish(self, p, cmd):
        stdout, stderr = p.communicate()
        self.live.remove(p)
        return subprocess.CompletedProcess(cmd, p.returncode, stdout, stderr)

    def _work(self):
        try:
            todo, running = list(SCRIPTS), []
            while todo or running:
                while todo and len(running) < max(2, os.cpu_count() or 2):
                    script = todo.pop(0)
                    cmd = _command(script, self.out, "--quiet")
                    running.append((script, cmd, self._start(cmd)))
                script, cmd, p = running.pop(0)
                self.runs[script] = self._finish(p, cmd)
            if all(r.returncode == 0 for r in self.runs.values()):
                cmd = [sys.executable, str(DERIVATIONS / "build_docs.py"), "--out",
                       str(self.out), "--no-run", "--quick-catalogue"]
                self.build = self._finish(self._start(cmd), cmd)
        finally:
            self.done.set()

    def _kill(self):
        for p in list(self.live):
            p.kill()


_background = None


def start_background():
    """Start running the theorem scripts (idempotent); call at test-module import."""
    global _background
    if _background is None:
        _background = _Background()
    return _background


def theorem_runs():
    """``(directory, {script: CompletedProcess})`` of every theorem script."""
    bg = start_background()
    assert bg.done.wait(timeout=900), "theorem scripts did not finish in 15 minutes"
    return bg.out, bg.runs


def built_documents():
    """The documents assembled from the fragments (quick catalogue):
    ``(CompletedProcess, tex_path, md_path)``."""
    out, runs = theorem_runs()
    failed = [s for s, r in runs.items() if r.returncode != 0]
    if failed:
        pytest.fail(f"theorem scripts failed: {failed}")
    return _background.build, out / "symxent-derivations.tex", out / "symxent-derivations.md"


def strip_math(md):
    """Markdown text with all math removed (to look at the prose alone)."""
    return re.sub(r"\$[^$]*\$", "", re.sub(r"\$\$.*?\$\$", "", md, flags=re.S))
