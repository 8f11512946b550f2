r"""LaTeX fit for a paper: the printer, line breaking and the notes of a derivation.

* :class:`PaperPrinter` is SymPy's :class:`~sympy.printing.latex.LatexPrinter`
  with the notation of the literature: :math:`\psi` for the digamma function,
  :math:`\psi^{(n)}` for polygamma, :math:`\mathrm{B}(a_1, b_1)` for the Beta
  function (arguments printed as formulas, so with subscripts),
  :math:`\log\Gamma`, :math:`H_n`; long fractions are split off
  (``long_frac_ratio``).  :func:`display_form` evaluates printer oddities
  with numeric arguments (``catalan(1/2)`` = 8/(3 pi)) and evaluates the
  numeric part of an expression that already holds floats: *float input gives
  float output*, never a mix such as ``-1.16 + log(4)``.
* :func:`chain_latex` / :func:`chain_markdown` lay a derivation out: the
  chain in ``align*`` (``aligned`` for Markdown), long formulas broken by
  :func:`symxent.derivation.linebreak.break_latex`, each step with a short
  numbered tag; after the display, numbered notes give the full reasons: the
  expectations quoted (``E[X^2] = mu_1^2 + sigma_1^2``) typeset as formulas,
  the rules in words, how the step was checked, and a visible
  ``CHECK FAILED`` for any step whose check failed.
* :func:`prose_latex` turns the engine's justification prose into LaTeX text
  (known notation typeset as math, everything else escaped).
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

from symxent.derivation.linebreak import PT, TEXTWIDTH_PT, break_latex, width_of

__all__ = ["PaperPrinter", "paper_latex", "display_form", "prose_latex", "prose_markdown",
           "chain_latex", "chain_markdown", "chain_display", "standalone"]



# ================================================================= printer
class PaperPrinter(LatexPrinter):
    """LaTeX printer with the notation of the literature (see the module docstring).

    ``case_width``: the width (in :mod:`~symxent.derivation.linebreak` units)
    a ``Piecewise`` branch may take before it is broken into lines."""

    _default_settings = {**LatexPrinter._default_settings, "case_width": 50}

    def __init__(self, settings=None):
        settings = dict(settings or {})
        settings.setdefault("long_frac_ratio", 2)
        super().__init__(settings)

    def _print_polygamma(self, expr, exp=None):
        n, z = expr.args
        head = r"\psi" if n == 0 else r"\psi^{(%s)}" % self._print(n)
        if exp is not None:
            head = r"%s^{%s}" % (head, exp) if n == 0 else r"\left(%s\right)^{%s}" % (head, exp)
        return r"%s\left(%s\right)" % (head, self._print(z))

    def _print_digamma(self, expr, exp=None):
        return self._print_polygamma(sp.polygamma(0, expr.args[0], evaluate=False), exp)

    def _print_beta(self, expr, exp=None):
        head = r"\mathrm{B}" if exp is None else r"\mathrm{B}^{%s}" % exp
        return r"%s\left(%s\right)" % (head, ", ".join(self._print(a) for a in expr.args))

    def _print_loggamma(self, expr, exp=None):
        body = r"\log\Gamma\left(%s\right)" % self._print(expr.args[0])
        return body if exp is None else r"\left(%s\right)^{%s}" % (body, exp)

    def _print_harmonic(self, expr, exp=None):
        body = r"H_{%s}" % self._print(expr.args[0])
        if len(expr.args) > 1:
            body = r"H_{%s}^{(%s)}" % (self._print(expr.args[0]), self._print(expr.args[1]))
        return body if exp is None else r"\left(%s\right)^{%s}" % (body, exp)

    def _print_Piecewise(self, expr):
        # a branch too wide for ``case_width`` is broken into lines of its own
        # with its condition on the last one (an aligned block in the case)
        room = self._settings["case_width"]
        rows = []
        for e, c in expr.args:
            body = self._print(e)
            cond = r"\text{otherwise}" if c == sp.true else r"\text{if } " + self._print(c)
            if width_of(body) + width_of(cond) + 3 <= room:
                rows.append(f"{body} & {cond}")
                continue
            lines = break_latex(body, room - 2) + [r"\quad " + cond]
            rows.append(r"\begin{aligned}&" + r"\\&\quad ".join(lines) + r"\end{aligned} &")
        return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"

    def _print_Infinity(self, expr):
        return r"\infty"

    def _print_Float(self, expr):
        # 15 significant digits at most: the float is an input, not a result
        return super()._print_Float(sp.Float(expr, 15))


def display_form(e):
    """``e`` made fit for display, exactly: functions of numbers that print
    oddly are evaluated (``catalan(1/2)`` -> ``8/(3*pi)``); when ``e`` holds a
    float, its numeric parts are evaluated (float input gives float output)."""
    e = sp.sympify(e)
    odd = [a for a in e.atoms(sp.catalan) if a.args[0].is_number]
    if odd:
        e = e.xreplace({a: sp.gammasimp(a.rewrite(sp.gamma)) for a in odd})
    if e.atoms(sp.Float) and not e.has(sp.Integral, sp.Sum) and not _has_notation(e):
        e = e.evalf(15)
    return e


def _has_notation(e):
    return any(hasattr(a, "_symxent_definition") or a.__class__.__name__ in (
        "Expectation", "Entropy", "CrossEntropy", "KLDivergence")
        for a in sp.preorder_traversal(e))


def paper_latex(e, **settings):
    """LaTeX of ``e`` with :class:`PaperPrinter` (``settings`` as for ``sympy.latex``)."""
    return PaperPrinter(settings).doprint(e)


# ================================================================= prose
_PROSE_MATH = [  # engine prose -> (LaTeX, Markdown) with the formula typeset
    (r"\bD_KL\b", r"$D_{\mathrm{KL}}$"), (r"^definition of S$", r"definition of $S$"),
    (r"^definition of H$", r"definition of $H$"), (r"\+oo\b", r"$+\infty$"),
    (r"\(0 log 0 = 0\)", r"($0 \log 0 = 0$)"),
    (r"\blog N\(x; mu, Sigma\) = -k/2 log\(2 pi\) - 1/2 log det Sigma - 1/2 "
     r"\(x-mu\)\^T Sigma\^-1 \(x-mu\)",
     r"$\log \mathcal{N}(x; \mu, \Sigma) = -\tfrac{k}{2}\log(2\pi) - \tfrac12 \log\det\Sigma"
     r" - \tfrac12 (x-\mu)^T \Sigma^{-1} (x-\mu)$"),
    (r"E\[\(x-m\)\^T A \(x-m\)\] = tr\(A Sigma\) \+ \(mu-m\)\^T A \(mu-m\)",
     r"$\operatorname{E}[(x-m)^T A (x-m)] = \operatorname{tr}(A\Sigma) + (\mu-m)^T A (\mu-m)$"),
    (r"E\[log x_i\] = d log B\(alpha\) / d alpha_i",
     r"$\operatorname{E}[\log x_i] = \partial \log \mathrm{B}(\alpha) / \partial \alpha_i$"),
    (r"^substitute x = \(b/a\) t/\(1-t\)$", r"change of variable $x = (b/a)\, t/(1-t)$"),
    (r"^substitute .*$", "change of variable"),
    (r"^shift .*$", "shift of the variable"),
]


def _prose_parts(s):
    """``s`` as a list of (is_math, text) with known notation typeset."""
    whole = [(p, r) for p, r in _PROSE_MATH if not p.startswith("^")]
    for pattern, repl in whole:
        s = re.sub(pattern, lambda m, r=repl: r, s)
    out, math = "", False
    for piece in re.split(r"(; |, )", s):   # one reason each, outside math
        if not math:
            for pattern, repl in _PROSE_MATH:
                if pattern.startswith("^"):
                    piece = re.sub(pattern, lambda m, r=repl: r, piece)
        math ^= piece.count("$") % 2 == 1
        out += piece
    s = out
    parts = s.split("$")
    return [(i % 2 == 1, p) for i, p in enumerate(parts) if p]


def prose_latex(s):
    """Justification prose as LaTeX text mode (inline math for known notation)."""
    from symxent.derivation.render import text_latex
    return "".join(f"${p}$" if math else text_latex(p) for math, p in _prose_parts(s))


def prose_markdown(s):
    """Justification prose as Markdown (inline ``$...$`` math, ``*`` escaped)."""
    return "".join(f"${p}$" if math else re.sub(r"([*_\\`])", r"\\\1", p)
                   for math, p in _prose_parts(s))


# ================================================================= layout
_STATUS = {"symbolic": "checked symbolically", "numeric": "checked numerically at {dps} digits",
           "unchecked": "not checked", "failed": "CHECK FAILED"}


def _status(step, dps):
    return _STATUS[step.checked].format(dps=dps)


def _groups(facts):
    """Facts grouped by their reasons, in order: [(reasons, [(lhs, value)])]."""
    out = {}
    for lhs, value, reasons in facts:
        out.setdefault(tuple(reasons), []).append((lhs, value))
    return list(out.items())


def _fact_tex(lhs, value, tex):
    from sympy.stats import Expectation
    return tex(Expectation(lhs, evaluate=False)) + " = " + tex(value)


def _notes(d):
    """Per step: (number, kind, parts) with ``parts`` a list of
    ('text', prose) / ('facts', reasons, [(lhs, value)]) / ('status', text)."""
    dps = getattr(d, "dps", 30)
    out = []
    for i, s in enumerate(d.steps, 1):
        facts = getattr(s.justification, "facts", ())
        parts = [("facts", r, fs) for r, fs in _groups(facts)] if facts else \
            [("text", str(s.justification))]
        status = _status(s, dps)
        if s.checked == "failed" and s.detail:
            status += ": " + s.detail
        out.append((i, s.checked, parts + [("status", status)]))
    return out


def _failed(d):
    return [i for i, s in enumerate(d.steps, 1) if s.checked == "failed"]


def _ascii(text):
    return text.encode("ascii", "replace").decode("ascii")


def _chain_rows(d, tex, width, tags):
    """The rows ``lhs &= line`` of the chain; ``tags(i, step)`` gives the
    label appended to the last row of step ``i``."""
    start = tex(d.start, case_width=width - 12)
    rows = []
    rel = {"=": "=", "<=": r"\le", ">=": r"\ge"}
    lhs_w = width_of(start)
    if d.steps:  # the left side takes a row of its own when the right side needs the room
        first = break_latex(tex(d.steps[0].expr, case_width=width - lhs_w - 15), width - lhs_w - 3)
        if max(width_of(line) for line in first) > width - lhs_w - 3:
            lhs_w = width
    if lhs_w > width * 0.3 or not d.steps:
        rows += [r"&\hphantom{{}={}} " + line for line in break_latex(start, width - 2)]
        start, lhs_w = "", 0
    room = width - lhs_w - 3
    for i, s in enumerate(d.steps, 1):
        body = break_latex(tex(s.expr, case_width=room - 12), room)
        out = [rf"{start if i == 1 else ''} &{rel[s.relation]} {body[0]}"]
        out += [r"&\quad " + line for line in body[1:]]
        out[-1] += tags(i, s)
        rows += out
    return rows


def chain_latex(d, tex, width_units=None, notes=True):
    r"""The derivation as ``align*`` with ``\tag*{(i)}`` labels, then its notes
    (an ``enumerate`` list; the quoted expectations in ``align*`` displays)."""
    width = width_units or (TEXTWIDTH_PT / PT - 8)
    failed = _failed(d)

    def tag(i, s):
        return r" \tag*{(%d)%s}" % (i, " CHECK FAILED" if s.checked == "failed" else "")
    rows = _chain_rows(d, tex, width, tag if notes else lambda i, s: "")
    out = []
    if failed:
        out.append(r"\noindent\textbf{CHECK FAILED} at step%s %s: this chain is not proved."
                   % ("s" * (len(failed) > 1), ", ".join(f"({i})" for i in failed)))
    out += ["\\begin{align*}", " \\\\\n".join(rows), "\\end{align*}"]
    if not notes or not d.steps:
        return "\n".join(out)
    out.append(r"\begin{enumerate}\raggedright")  # local to the list
    for i, kind, parts in _notes(d):
        item = [r"\item[(%d)]" % i]
        for part in parts:
            if part[0] == "text":
                item.append(prose_latex(part[1]) + ";")
            elif part[0] == "facts":
                item.append(prose_latex(", ".join(part[1]) or "integration") + ":")
                lines = []
                for lhs, value in part[2]:
                    fact = break_latex(_fact_tex(lhs, value, lambda e: tex(
                        e, case_width=width - 24)), width - 6)
                    lines += ["&" + fact[0]] + [r"&\quad " + line for line in fact[1:]]
                item.append("\\begin{align*}\n" + " \\\\\n".join(lines)
                            + "\n\\end{align*}")
            else:
                text = _ascii(part[1])
                from symxent.derivation.render import text_latex
                text = text_latex(text) + "."
                item.append(r"\textbf{%s}" % text if kind == "failed" else text)
        out.append(" ".join(item))
    out.append(r"\end{enumerate}")
    return "\n".join(out)


def chain_display(d, tex, width_units=60):
    r"""For Jupyter's ``text/latex`` and other math-only renderers (MathJax,
    KaTeX): ``$$\begin{aligned}...\end{aligned}$$`` with ``&& \text{(i)}``
    labels, then the notes as a second display (text rows and formulas; the
    inline ``$...$`` inside ``\text{}`` is accepted by KaTeX and MathJax)."""
    from symxent.derivation.render import text_latex
    rows = _chain_rows(d, tex, width_units, lambda i, s: r" && \text{(%d%s)}" % (
        i, " CHECK FAILED" if s.checked == "failed" else ""))
    out = "$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$"
    lines = []
    if _failed(d):
        lines.append(r"\textbf{CHECK FAILED: this chain is not proved}")
    for i, kind, parts in _notes(d):
        bits = [r"\text{(%d) }" % i]
        for part in parts:
            if part[0] == "text":
                bits.append(r"\text{%s; }" % prose_latex(part[1]))
            elif part[0] == "facts":
                bits.append(r"\text{%s: }" % prose_latex(", ".join(part[1])))
                bits.append(r",\ ".join(_fact_tex(l, v, tex) for l, v in part[2]) + r";\ ")
            else:
                bits.append(r"\text{%s.}" % text_latex(_ascii(part[1])))
        lines.append(" ".join(bits))
    if lines:
        out += ("\n$$\n\\begin{array}{l}\n" + " \\\\\n".join(lines)
                + "\n\\end{array}\n$$")
    return out


def chain_markdown(d, tex, width_units=60):
    r"""``$$\begin{aligned}...\end{aligned}$$`` with ``&& \text{(i)}`` labels,
    then one Markdown paragraph per note (formulas inline)."""
    from symxent.derivation.render import markdown_math
    rows = _chain_rows(d, tex, width_units, lambda i, s: r" && \text{(%d%s)}" % (
        i, " CHECK FAILED" if s.checked == "failed" else ""))
    body = markdown_math("\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}")
    out = []
    failed = _failed(d)
    if failed:
        out.append("**CHECK FAILED** at step%s %s: this chain is not proved."
                   % ("s" * (len(failed) > 1), ", ".join(f"({i})" for i in failed)))
    out.append(f"$$\n{body}\n$$")
    for i, kind, parts in _notes(d):
        bits = [f"**({i})**"]
        for part in parts:
            if part[0] == "text":
                bits.append(prose_markdown(part[1]) + ";")
            elif part[0] == "facts":
                facts = ", ".join("$" + markdown_math(_fact_tex(l, v, tex)) + "$"
                                  for l, v in part[2])
                bits.append(prose_markdown(", ".join(part[1])) + ": " + facts + ";")
            else:
                text = prose_markdown(_ascii(part[1]))
                bits.append(f"**{text}.**" if kind == "failed" else f"*{text}.*")
        out.append(" ".join(bits))
    return "\n" + "\n\n".join(out) + "\n"


def standalone(body):
    """``body`` in a compilable 10pt ``article`` with amsmath (long chains may
    break across pages: ``\\allowdisplaybreaks``)."""
    return "\n".join([r"\documentclass[10pt]{article}", r"\usepackage{amsmath,amssymb}",
                      r"\allowdisplaybreaks", r"\begin{document}", body,
                      r"\end{document}"]) + "\n"
