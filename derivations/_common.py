"""Shared machinery of the theorem scripts in this directory.

Each script builds a :class:`Theorem` (prose, checked derivations and checked
facts), verifies it, writes ``<key>.tex`` and ``<key>.md`` fragments to the
output directory (default ``derivations/out``), prints the Markdown and exits
with status 1 if any step or fact fails.  ``build_docs.py`` assembles the
fragments into one LaTeX and one Markdown document.

Prose is written once with inline math between single dollars; it is
converted to LaTeX (specials escaped outside math) and to Markdown (math made
safe with :func:`symxent.derivation.render.markdown_math`).  Prose must be ASCII.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

import sympy as sp  # noqa: E402

from symxent.derivation.core import DerivationError  # noqa: E402
from symxent.derivation.render import markdown_math  # noqa: E402

DEFAULT_OUT = HERE / "out"
_LATEX_TEXT = {"%": r"\%", "&": r"\&", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
               "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
               "|": r"\textbar{}", "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}"}


def _split_math(text):
    """[(is_math, piece)] for a paragraph with ``$...$`` inline math."""
    if not text.isascii():
        raise ValueError(f"prose must be ASCII: {text[:60]!r}")
    parts = text.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"unbalanced $ in prose: {text[:60]!r}")
    return [(i % 2 == 1, p) for i, p in enumerate(parts)]


def prose_latex(text):
    out = []
    for is_math, piece in _split_math(text):
        if is_math:
            out.append(f"${piece}$")
        else:
            piece = re.sub(r'"([^"]*)"', r"``\1''", piece)
            out.append("".join(_LATEX_TEXT.get(c, c) for c in piece))
    return "".join(out)


def prose_markdown(text):
    out = []
    for is_math, piece in _split_math(text):
        out.append(f"${markdown_math(piece)}$" if is_math else piece)
    return "".join(out)


def _fact_holds(claim):
    if isinstance(claim, bool):
        return claim
    claim = sp.sympify(claim)
    if claim in (sp.true, sp.false):
        return bool(claim)
    return sp.simplify(claim, doit=False) is sp.true


class Theorem:
    """One section of the document: prose, derivations and facts, in order."""

    def __init__(self, key, title):
        self.key, self.title, self.items = key, title, []

    def text(self, *paragraphs):
        for p in paragraphs:
            _split_math(p)
            self.items.append(("text", p))
        return self

    def derivation(self, d, caption=None, points=3, **render_options):
        """Add a derivation (checked at ``points`` random points when numeric)."""
        if caption:
            self.text(caption)
        self.items.append(("derivation", d, render_options, points))
        return d

    def fact(self, text, claim):
        """A claim (SymPy relational/boolean, or a bool computed with SymPy) that must hold."""
        _split_math(text)
        self.items.append(("fact", text, claim))

    def verify(self, dps=30):
        """Errors (empty when every derivation and fact checks)."""
        errors = []
        for item in self.items:
            if item[0] == "derivation":
                d = item[1]
                try:
                    d.verify(dps=dps, points=item[3])
                except DerivationError as e:
                    errors.append(f"{self.key}: {d.title or d.start}: {e}")
            elif item[0] == "fact":
                ok = False
                try:
                    ok = _fact_holds(item[2])
                except Exception as e:  # an undecidable claim is a failure
                    errors.append(f"{self.key}: fact {item[1]!r} raised {e!r}")
                    continue
                if not ok:
                    errors.append(f"{self.key}: fact does not hold: {item[1]}")
        return errors

    def to_latex(self):
        out = [f"\\section{{{prose_latex(self.title)}}}", f"\\label{{sec:{self.key}}}", ""]
        for item in self.items:
            if item[0] == "text":
                out += [prose_latex(item[1]), ""]
            elif item[0] == "derivation":  # sized for an A4 page with 2 cm margins
                options = {"width": 46, "why_width": "4.3cm", **item[2]}
                out += [item[1].to_latex(**options), ""]
            else:
                out += [r"\noindent\textbf{Checked fact.} " + prose_latex(item[1]), ""]
        return "\n".join(out)

    def to_markdown(self):
        out = [f"## {self.title}", ""]
        for item in self.items:
            if item[0] == "text":
                out += [prose_markdown(item[1]), ""]
            elif item[0] == "derivation":
                out += [item[1].to_markdown(**item[2]).strip("\n"), ""]
            else:
                out += ["**Checked fact.** " + prose_markdown(item[1]), ""]
        return "\n".join(out)


def main(build):
    """Command-line entry point shared by every theorem script."""
    ap = argparse.ArgumentParser(description="Build, check and write one theorem.")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    ap.add_argument("--quiet", action="store_true", help="do not print the Markdown")
    args = ap.parse_args()
    t0 = time.time()
    thm = build()
    errors = thm.verify()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{thm.key}.tex").write_text(thm.to_latex() + "\n")
    (args.out / f"{thm.key}.md").write_text(thm.to_markdown() + "\n")
    if not args.quiet:
        print(thm.to_markdown())
    for e in errors:
        print("FAILED:", e, file=sys.stderr)
    print(f"{thm.key}: {'FAILED' if errors else 'all steps checked'} "
          f"({time.time() - t0:.1f} s)", file=sys.stderr)
    sys.exit(1 if errors else 0)
