r"""Rendering derivations as LaTeX (amsmath), Markdown (KaTeX/MathJax) and text.

Formulas go through SymPy's own :func:`sympy.latex` / :func:`sympy.sstr` with
their settings (``symbol_names`` and any other printer setting are passed on);
this module only lays out the chain and works around two printer pitfalls:

* ``latex(-UnevaluatedExpr(a + b))`` prints ``- a + b`` in SymPy 1.14 (and
  ``c - UnevaluatedExpr(a + b)`` prints ``c - a + b``); such sums are wrapped
  in explicit parentheses first, so the formula means what the expression does.
* with ``log_base=b``, a factor ``1/log(b)`` multiplying an expression that is
  linear and homogeneous in its logarithms is absorbed, so
  ``log(x)/log(2)`` prints as ``\log_{2}`` (an exact rewriting, never applied
  to natural logarithms).

Notation helpers :class:`Defined` and :class:`Expect` display as ``S(P)``,
``H(P, Q)``, ``D_KL(P || Q)`` or ``E_P[...]`` while carrying their definitions,
which :mod:`symxent.derivation.core` unfolds when checking.
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.symbol import Str
from sympy.printing.precedence import PRECEDENCE

__all__ = ["Defined", "Expect", "Terms", "Ratio", "Named", "named", "entropy_notation", "cross_entropy_notation",
           "kl_notation", "to_latex", "to_markdown", "to_text", "latex_expr",
           "text_latex", "markdown_math", "latex_lines", "unfold",
           "unfold_measures", "is_measure"]


# ================================================================= notation
def _str(s):
    return s if isinstance(s, Str) else Str(str(s))


class Defined(sp.Expr):
    """A named quantity, ``Defined(definition, text, latex)``: prints as its name."""

    is_commutative = True

    def __new__(cls, definition, text, latex):
        return sp.Expr.__new__(cls, sp.sympify(definition), _str(text), _str(latex))

    @property
    def definition(self):
        return self.args[0]

    def _symxent_definition(self):
        return self.args[0]

    def doit(self, **hints):
        return self.definition.doit(**hints) if hints.get("deep", True) else self.definition

    def _sympystr(self, printer):
        return self.args[1].name

    def _latex(self, printer):
        return self.args[2].name


class Expect(sp.Expr):
    r"""``Expect(body, (var, lower, upper), weight, label="P", kind="integral")``:
    the expectation ``E_label[body]`` of ``body`` (a function of ``var``) under the
    density (``kind="integral"``) or mass function (``kind="sum"``) ``weight`` on
    ``[lower, upper]``.  Prints as ``\operatorname{E}_{P}\left[...\right]`` with
    ``var`` shown as ``display`` (default: its name in capitals)."""

    is_commutative = True

    def __new__(cls, body, limits, weight, label="P", kind="integral", display=None):
        var, lower, upper = limits
        kind = _str(kind)
        if kind.name not in ("integral", "sum"):
            raise ValueError("kind must be 'integral' or 'sum'")
        display = sp.Symbol(str(display or str(var).upper()))
        return sp.Expr.__new__(cls, sp.sympify(body), sp.Tuple(var, lower, upper),
                               sp.sympify(weight), _str(label), kind, display)

    @property
    def bound_symbols(self):
        return [self.args[1][0]]

    @property
    def free_symbols(self):
        var = self.args[1][0]
        inner = (self.args[0].free_symbols | self.args[2].free_symbols) - {var}
        return inner | self.args[1][1].free_symbols | self.args[1][2].free_symbols

    def _symxent_definition(self):
        body, (var, lo, hi), weight = self.args[:3]
        cls = sp.Integral if self.args[4].name == "integral" else sp.Sum
        return cls(weight * body, (var, lo, hi))

    def doit(self, **hints):
        return self._symxent_definition().doit(**hints)

    def _shown(self):
        return self.args[0].xreplace({self.args[1][0]: self.args[5]})

    def _sympystr(self, printer):
        return f"E_{self.args[3].name}[{printer._print(self._shown())}]"

    def _latex(self, printer):
        return (r"\operatorname{E}_{%s}\left[%s\right]"
                % (self.args[3].name, printer._print(self._shown())))


class Named(sp.Expr):
    """``Named(name, Lambda(x, f), arg)``: prints as ``name(arg)`` (e.g. ``p_1(x)``)
    and stands for ``f`` at ``arg``.  Use :func:`named` to get a callable."""

    is_commutative = True

    def __new__(cls, name, lam, *arguments):
        if not isinstance(lam, sp.Lambda):
            raise TypeError("Named needs a Lambda")
        return sp.Expr.__new__(cls, _str(name), lam, *[sp.sympify(a) for a in arguments])

    def _symxent_definition(self):
        return self.args[1](*self.args[2:])

    def doit(self, **hints):
        return self._symxent_definition()

    def _call(self, printer):
        return ", ".join(printer._print(a) for a in self.args[2:])

    def _sympystr(self, printer):
        return f"{self.args[0].name}({self._call(printer)})"

    def _latex(self, printer):
        return r"%s\left(%s\right)" % (printer._print(sp.Symbol(self.args[0].name)),
                                         self._call(printer))


def named(name, lam):
    """A callable ``f`` with ``f(arg)`` = :class:`Named` ``(name, lam, arg)``."""
    return lambda *arguments: Named(name, lam, *arguments)


class Terms(sp.Expr):
    """A sum displayed with its terms in the given order (``Add`` sorts them);
    it stands for ``Add(*terms)``."""

    is_commutative = True
    precedence = PRECEDENCE["Add"]

    def __new__(cls, *terms):
        return sp.Expr.__new__(cls, *[sp.sympify(t) for t in terms])

    def _symxent_definition(self):
        return sp.Add(*self.args)

    def doit(self, **hints):
        return sp.Add(*[a.doit(**hints) for a in self.args])

    def _join(self, show):
        out = ""
        for i, t in enumerate(self.args):
            neg = i > 0 and t.could_extract_minus_sign()
            grouped = t.is_Add or isinstance(t, Terms) or (
                isinstance(t, sp.UnevaluatedExpr) and t.args[0].is_Add)
            body = show(-t if neg else t, i > 0 and grouped)
            out += body if i == 0 else (" - " if neg else " + ") + body
        return out

    def _sympystr(self, printer):
        return self._join(lambda t, par: f"({printer._print(t)})" if par else printer._print(t))

    def _latex(self, printer):
        return self._join(lambda t, par: r"\left(%s\right)" % printer._print(t) if par
                          else printer._print(t))


class Ratio(sp.Expr):
    """``num/den`` displayed as an unreduced fraction (e.g. ``(1/2)/(1/4)``)."""

    is_commutative = True
    precedence = PRECEDENCE["Mul"]

    def __new__(cls, num, den):
        return sp.Expr.__new__(cls, sp.sympify(num), sp.sympify(den))

    def _symxent_definition(self):
        return self.args[0] / self.args[1]

    def doit(self, **hints):
        return self._symxent_definition()

    def _sympystr(self, printer):
        return "(%s)/(%s)" % (printer._print(self.args[0]), printer._print(self.args[1]))

    def _latex(self, printer):
        return r"\frac{%s}{%s}" % (printer._print(self.args[0]), printer._print(self.args[1]))


def _label(a):
    """(text, latex) of a distribution label given as a string or a SymPy object."""
    return (a, a) if isinstance(a, str) else (sp.sstr(a), sp.latex(a))


def entropy_notation(definition, P="P"):
    """``S(P)`` standing for ``definition`` (labels: strings or SymPy symbols)."""
    (p, lp) = _label(P)
    return Defined(definition, f"S({p})", rf"S\left({lp}\right)")


def cross_entropy_notation(definition, P="P", Q="Q"):
    """``H(P, Q)`` standing for ``definition``."""
    (p, lp), (q, lq) = _label(P), _label(Q)
    return Defined(definition, f"H({p}, {q})", rf"H\left({lp}, {lq}\right)")


def kl_notation(definition, P="P", Q="Q"):
    """``D_KL(P || Q)`` standing for ``definition``."""
    (p, lp), (q, lq) = _label(P), _label(Q)
    return Defined(definition, f"D_KL({p} || {q})",
                   rf"D_{{\mathrm{{KL}}}}\left({lp} \,\middle\|\, {lq}\right)")


# ======================================================= notation unfolded
from symxent.numeric.core import is_measure  # noqa: E402  (one definition)
from symxent.engine.rulebase import DOES_NOT_APPLY, SYMPY_BUGS, unexpected  # noqa: E402
from symxent.errors import SymxentError  # noqa: E402


def unfold(e):
    """``e`` with display notation (the classes above, ``UnevaluatedExpr``) and
    sympy.stats expectations replaced by their definitions, and derivatives
    carried out (differentiation is exact).  Measures are left alone."""
    from sympy.stats import Expectation, Probability, Variance
    kinds = (Expectation, Variance, Probability, sp.UnevaluatedExpr, sp.Derivative)

    def query(a):
        return hasattr(a, "_symxent_definition") or isinstance(a, kinds)

    def value(a):
        if hasattr(a, "_symxent_definition"):
            return a._symxent_definition()
        if isinstance(a, sp.UnevaluatedExpr):
            return a.args[0]
        if isinstance(a, sp.Derivative):
            return a.doit(deep=False)
        return a.rewrite(sp.Integral)  # sympy.stats picks Sum for discrete laws
    for _ in range(20):
        if not any(query(a) for a in sp.preorder_traversal(e)):
            return e
        e = e.replace(query, value)
    raise ValueError("notation nested too deeply to unfold")


def unfold_measures(e):
    """:func:`unfold`, and each measure replaced by its defining integral or sum
    (left alone when it has none)."""
    from symxent.laws.support import describe
    e = unfold(e)
    sub = {}
    for m in {a for a in sp.preorder_traversal(e) if is_measure(a)}:
        try:
            sub[m] = m.rewrite(sp.Integral if describe(m.p).kind == "continuous" else sp.Sum)
        except SymxentError:  # no definition available (UnsupportedError): stays opaque
            pass
    return e.xreplace(sub) if sub else e


# ============================================================ printer fixes
class _Paren(sp.Expr):
    """Display-only: a sum shown inside explicit parentheses."""

    is_commutative = True

    def _latex(self, printer):
        return r"\left(%s\right)" % printer._print(self.args[0])

    def _sympystr(self, printer):
        return "(%s)" % printer._print(self.args[0])


class _LogB(sp.Expr):
    """Display-only: ``log(x)/log(b)`` shown as ``log_b(x)``."""

    is_commutative = True

    def _latex(self, printer):
        return r"\log_{%s}{\left(%s \right)}" % (printer._print(self.args[1]),
                                                printer._print(self.args[0]))

    def _sympystr(self, printer):
        return "log_%s(%s)" % (printer._print(self.args[1]), printer._print(self.args[0]))


def _addlike(a):
    return a.is_Add or isinstance(a, Terms) or (
        isinstance(a, sp.UnevaluatedExpr) and _addlike(a.args[0]))


def _protect_sums(e):
    """Show every sum kept unevaluated (``UnevaluatedExpr(Add)``, :class:`Terms`)
    that is a term or a factor in parentheses: SymPy's printer drops them
    under a unary minus (``latex(-UnevaluatedExpr(a + b))`` gives ``- a + b``)."""
    if e.is_Atom:
        return e
    args = [_protect_sums(a) for a in e.args]
    if e.is_Mul or e.is_Add:
        args = [_Paren(a.args[0] if isinstance(a, sp.UnevaluatedExpr) else a)
                if _addlike(a) and not a.is_Add else a for a in args]
        return e.func(*args, evaluate=False) if args != list(e.args) else e
    return e.func(*args) if args != list(e.args) else e


def _absorb_log_base(e, base):
    """Rewrite ``c * 1/log(base)`` as ``c`` with every ``log(x)`` -> ``log_base(x)``
    when ``c`` is linear and homogeneous in its logarithms (exact)."""
    base = sp.sympify(base)
    if e.is_Atom:
        return e
    if e.is_Mul and sp.Pow(sp.log(base), -1) in e.args:
        rest = sp.Mul(*[a for a in e.args if a != sp.Pow(sp.log(base), -1)])
        logs = [a for a in rest.atoms(sp.log) if a != sp.log(base)]
        if logs:
            t = sp.Dummy("t")
            scaled = rest.xreplace({l: t * l for l in logs})
            try:
                linear = sp.simplify(sp.diff(scaled, t, 2), doit=False) == 0 and \
                    sp.simplify(scaled.subs(t, 0), doit=False) == 0
            except DOES_NOT_APPLY:  # simplify failed: not shown as a log in base b
                linear = False
            except SYMPY_BUGS as exc:
                unexpected(exc)
                linear = False
            if linear:
                return rest.xreplace({l: _LogB(l.args[0], base) for l in logs})
    args = [_absorb_log_base(a, base) for a in e.args]
    return e.func(*args) if args != list(e.args) else e


def _prepare(e, log_base):
    e = sp.sympify(e)
    if log_base is not None and sp.sympify(log_base) != sp.E:
        e = _absorb_log_base(e, log_base)
    return _protect_sums(e)


def latex_expr(e, *, log_base=None, symbol_names=None, **settings):
    """LaTeX of ``e`` after the fixes above, printed by
    :class:`symxent.derivation.paper.PaperPrinter` (SymPy's printer with the
    notation of the literature: psi, B, log Gamma; ``settings`` as for
    ``sympy.latex``)."""
    from symxent.derivation.paper import display_form, paper_latex
    return paper_latex(_prepare(display_form(e), log_base), symbol_names=symbol_names or {},
                       **settings)


# ================================================================ text parts
_ASCII = {"\u2264": "<=", "\u2265": ">=", "\u2016": "||", "\u2212": "-", "\u2013": "-",
          "\u2014": "--", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
          "\u00b7": "*", "\u2260": "!="}
_TEXT_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$",
                 "&": r"\&", "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}",
                 "~": r"\textasciitilde{}", "<": r"\textless{}", ">": r"\textgreater{}",
                 "|": r"\textbar{}"}


def text_latex(s):
    """Plain text as the argument of ``\\text{...}``: ASCII only, specials escaped
    (accepted by pdflatex and by KaTeX in strict mode)."""
    out = []
    for ch in "".join(_ASCII.get(c, c) for c in s):
        if ord(ch) > 126 or (ord(ch) < 32):
            raise ValueError(f"cannot typeset character {ch!r} in {s!r}; use ASCII")
        out.append(_TEXT_ESCAPES.get(ch, ch))
    return "".join(out)


_REL_TEX = {"=": "=", "<=": r"\le", ">=": r"\ge"}


def _remark(step, dps):
    if step.checked == "numeric":
        return f"; checked numerically at {dps} digits"
    if step.checked == "unchecked":
        return "; NOT CHECKED"
    if step.checked == "failed":
        return "; CHECK FAILED"
    return ""


def _visible(tex):
    """Rough printed width of a LaTeX formula, in characters (a fraction counts
    its numerator and denominator side by side, so long ones are over-estimated)."""
    tex = re.sub(r"\\(left|right|middle|frac|limits|operatorname|mathrm|text)\b", "", tex)
    tex = re.sub(r"\\(log|exp|sin|cos|max|min|int|sum|prod)\b", "xxx", tex)
    tex = re.sub(r"\\[a-zA-Z]+", "x", tex)
    return len(re.sub(r"[{}^_&\s]", "", tex))


def latex_lines(e, width=None, **options):
    """The formula for ``e``, broken before top-level terms into lines of at most
    about ``width`` characters (each term printed by SymPy; the signs kept)."""
    tex = latex_expr(e, **options)
    if width is None or _visible(tex) <= width:
        return [tex]
    e = sp.sympify(e)
    if isinstance(e, Terms):
        terms = list(e.args)
    elif e.is_Add:
        from sympy.printing.latex import LatexPrinter
        terms = LatexPrinter({k: v for k, v in options.items()
                              if k not in ("log_base", "symbol_names")})._as_ordered_terms(e)
    else:
        return [tex]
    pieces = []
    for i, t in enumerate(terms):
        neg = i > 0 and t.could_extract_minus_sign()
        t = -t if neg else t
        body = latex_expr(_Paren(t) if (i > 0 and _addlike(t)) else t, **options)
        pieces.append(body if i == 0 else ("- " if neg else "+ ") + body)
    lines, cur = [], ""
    for piece in pieces:
        if cur and _visible(cur + piece) > width:
            lines.append(cur)
            cur = piece
        else:
            cur = f"{cur} {piece}" if cur else piece
    return lines + [cur]


def _rows(d, options, width=70, why_width=None):
    """The rows of the chain: ``lhs &= rhs && \\text{(why)}``; long formulas are
    continued on ``&\\quad`` rows, a long left side gets rows of its own."""
    dps = getattr(d, "dps", 30)
    start = latex_lines(d.start, width, **options)
    rows = []
    if len(start) > 1 or (width is not None and _visible(start[0]) > width // 2):
        rows += [r"&\hphantom{{}={}} " + line for line in start]
        start = [""]
    for i, s in enumerate(d.steps):
        why = text_latex(f"({s.justification}{_remark(s, dps)})")
        if why_width:  # pdflatex only: wrap the justification in a narrow box
            why = r"\parbox[t]{%s}{\raggedright %s}" % (why_width, why)
        body = latex_lines(s.expr, width, **options)
        lhs = start[0] if i == 0 else ""
        out = [rf"{lhs} &{_REL_TEX[s.relation]} {body[0]}"]
        out += [r"&\quad " + line for line in body[1:]]
        out[-1] += rf" && \text{{{why}}}"
        rows += out
    if not d.steps:
        rows += start
    return rows


def to_latex(d, *, environment="align*", display=False, width=None, why_width=None,
             notes=True, standalone=False, **options):
    r"""The derivation as LaTeX fit for a paper.

    Default: ``\begin{align*} ... \end{align*}`` with a numbered tag per step
    (``\tag*{(i)}``), followed by numbered notes giving the full reasons (the
    expectations quoted, typeset; the rules; how the step was checked); a
    step whose check failed says ``CHECK FAILED`` in its tag, its note and a
    line before the display.  Long formulas are broken at ``+``/``-`` (then
    inside parentheses, then between factors) to fit a 10pt ``article`` page;
    ``width`` (in letter widths, see :mod:`symxent.derivation.linebreak`)
    changes the measure.  ``notes=False`` gives the display alone;
    ``standalone=True`` a whole compilable document.  Notation: psi and
    psi^(n) for digamma/polygamma, B for the Beta function, log Gamma
    (:class:`symxent.derivation.paper.PaperPrinter`).  Float input gives float
    output: a formula holding a float has its numeric parts evaluated (15
    digits) instead of mixing floats with exact terms.

    ``display=True`` (Jupyter's ``text/latex``): ``$$\begin{aligned}...$$``
    with the notes in a second display.  ``why_width`` (a TeX length, e.g.
    ``"4cm"``) keeps the older layout with each justification in a
    ``\parbox`` beside its step (used by the theorem documents).
    ``options``: ``log_base``, ``symbol_names`` and any :func:`sympy.latex`
    setting."""
    from symxent.derivation import paper
    if why_width is not None or environment != "align*" and not display:
        body = " \\\\\n".join(_rows(d, options, width or 70, why_width))
        out = f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"
        out = f"$$\n{out}\n$$" if display else out
    elif display:
        out = paper.chain_display(d, _tex(options), width or 60)
    else:
        out = paper.chain_latex(d, _tex(options), width, notes)
    if d.steps and any(s.checked == "failed" for s in d.steps) and "CHECK FAILED" not in out:
        out = "% CHECK FAILED: this chain is not proved\n" + out
    return paper.standalone(out) if standalone else out


def markdown_math(tex):
    r"""LaTeX made safe for Markdown math: ``\|`` (which Markdown may read as
    an escaped bar) becomes ``\Vert``."""
    return re.sub(r"(\\\\)|\\\|", lambda m: m.group(1) or r"\Vert ", tex)


def to_markdown(d, *, width=None, **options):
    r"""``$$\begin{aligned} ... \end{aligned}$$`` between blank lines (KaTeX
    strict mode, MathJax and GitHub accept it), each step labelled ``(i)``,
    followed by one paragraph of notes per step (reasons, the expectations
    quoted as inline formulas, the check; ``CHECK FAILED`` in bold)."""
    from symxent.derivation import paper
    return paper.chain_markdown(d, _tex(options), width or 60)


def _tex(options):
    """``tex(e, **more)``: :func:`latex_expr` with ``options`` and ``more``."""
    return lambda e, **more: latex_expr(e, **{**options, **more})


def to_text(d, *, log_base=None, **settings):
    """Plain text: one step per line, justification and check status after it."""
    dps = getattr(d, "dps", 30)
    lines = [sp.sstr(_prepare(d.start, log_base), **settings)]
    for s in d.steps:
        note = {"symbolic": "checked symbolically",
                "numeric": f"checked numerically at {dps} digits",
                "failed": "CHECK FAILED", "unchecked": "not checked"}[s.checked]
        lines.append(f"  {s.relation:>2} {sp.sstr(_prepare(s.expr, log_base), **settings)}"
                     f"    [{s.justification}; {note}]")
    return "\n".join(lines)
