r"""Line breaking for LaTeX formulas, with estimated printed widths.

:func:`break_latex` breaks a formula into lines that fit a width (in units of
:data:`PT` points, an italic letter at 10pt), preferring breaks before a
top-level ``+``/``-``, then inside parentheses (``\left( ... \right.`` /
``\left. ... \right)``), then between factors (continued with ``\cdot``).
Widths are estimated from the LaTeX text (a fraction is as wide as its wider
part, scripts count 0.72); the estimate errs on the wide side, and the
pdflatex test (tests/test_latex_compile.py) holds it to the page.
"""
from __future__ import annotations

import re

__all__ = ["break_latex", "width_of", "tokenize", "TEXTWIDTH_PT", "PT"]

TEXTWIDTH_PT = 345.0   # \textwidth of the 10pt article class (A4 and letter)
PT = 5.5               # points per width unit (calibrated against pdflatex: estimate >= real width)


# ========================================================= widths, tokens
_WIDE = {  # width units of commands (letters count 1, spaces 0)
    "log": 3.0, "exp": 2.8, "sin": 2.2, "cos": 2.4, "tan": 2.4, "max": 2.8, "min": 2.6,
    "det": 2.2, "operatorname": 0, "mathrm": 0, "left": 0, "right": 0, "middle": 0,
    "limits": 0, "displaystyle": 0, "quad": 2, "qquad": 4, ",": 0.35, ";": 0.55,
    ":": 0.45, "!": -0.35, " ": 0.5, "cdot": 1.6, "times": 2.2, "infty": 1.4, "int": 1.6,
    "sum": 2.2, "prod": 2.2, "le": 2.4, "ge": 2.4, "leq": 2.4, "geq": 2.4, "neq": 2.4,
    "sim": 2.4, "to": 2.4, "in": 2.2, "Vert": 0.8, "|": 0.8, "ldots": 2.4, "dots": 2.4,
    "cdots": 2.4, "partial": 1.2, "hphantom": 0, "text": 0, "mathbf": 0, "mathit": 0,
}
_BINARY = {"+", "-", "=", "<", ">"}


class Tok:
    """One token of a formula: ``text`` and, for a group, its parts.

    ``kind``: ``atom``, ``op`` (a binary ``+ - =``), ``group`` (``{...}`` or
    ``\\left...\\right``: ``open``/``close`` and ``parts``)."""

    def __init__(self, kind, text="", parts=None, open_="", close=""):
        self.kind, self.text, self.parts, self.open, self.close = kind, text, parts, open_, close

    def latex(self):
        if self.kind == "group":
            return self.open + _join(self.parts) + self.close
        return self.text


def _read_group(s, i):
    """``s[i] == '{'``: index after the matching ``}``."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "\\":
            continue
        if s[j] == "{" and (j == 0 or s[j - 1] != "\\"):
            depth += 1
        elif s[j] == "}" and s[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError(f"unbalanced braces in {s!r}")


_DELIM = re.compile(r"\\(left|right|middle)\s*(\\[a-zA-Z]+|\\[{}|]|[()\[\].|/])")
_CMD = re.compile(r"\\([a-zA-Z]+|.)")


def tokenize(s, i=0, stop=None):
    """Tokens of ``s`` from ``i``; returns (tokens, end index)."""
    toks = []
    while i < len(s):
        c = s[i]
        if stop == "}" and c == "}":
            return toks, i + 1
        m = _DELIM.match(s, i)
        if m and m.group(1) == "right":
            if stop == "right":
                return toks, i  # the caller reads the \right
            raise ValueError(f"unmatched \\right in {s!r}")
        if m and m.group(1) == "left":
            inner, j = tokenize(s, m.end(), "right")
            close = _DELIM.match(s, j)
            toks.append(Tok("group", parts=inner, open_=m.group(0) + " ",
                            close=" " + close.group(0)))
            i = close.end()
            continue
        if c == "{":
            inner, j = tokenize(s, i + 1, "}")
            toks.append(Tok("group", parts=inner, open_="{", close="}"))
            i = j
            continue
        if c.isspace():
            i += 1
            continue
        if c in "+-=<>" and not s.startswith("->", i):
            toks.append(Tok("op", c))
            i += 1
            continue
        if c in "^_":
            j = i + 1
            while j < len(s) and s[j].isspace():
                j += 1
            end = _read_group(s, j) if s[j] == "{" else (
                _CMD.match(s, j).end() if s[j] == "\\" else j + 1)
            toks.append(Tok("atom", s[i:end]))
            i = end
            continue
        if c == "\\":
            m = _CMD.match(s, i)
            name = m.group(1)
            if name == "begin":  # an environment is one atom
                end = _env_end(s, i)
                toks.append(Tok("atom", s[i:end]))
                i = end
                continue
            end = m.end()
            nargs = {"frac": 2, "dfrac": 2, "tfrac": 2, "sqrt": 1, "operatorname": 1,
                     "mathrm": 1, "text": 1, "mathbf": 1, "mathit": 1, "hphantom": 1,
                     "overline": 1, "tilde": 1, "hat": 1, "bar": 1, "mathcal": 1,
                     "mathbb": 1, "boldsymbol": 1}.get(name, 0)
            for _ in range(nargs):
                while end < len(s) and s[end].isspace():
                    end += 1
                if name == "sqrt" and s.startswith("[", end):
                    end = s.index("]", end) + 1
                end = _read_group(s, end) if s[end] == "{" else end + 1
            toks.append(Tok("atom", s[i:end]))
            i = end
            continue
        toks.append(Tok("atom", c))
        i += 1
    if stop is not None:
        raise ValueError(f"unterminated group in {s!r}")
    return toks, i


_ENV = re.compile(r"\\(begin|end)\{[a-zA-Z*]+\}")


def _env_end(s, i):
    """``s[i:]`` starts with ``\\begin{...}``: index after its ``\\end{...}``."""
    depth = 0
    for m in _ENV.finditer(s, i):
        depth += 1 if m.group(1) == "begin" else -1
        if depth == 0:
            return m.end()
    raise ValueError(f"unterminated environment in {s!r}")


def _cells(body):
    """Rows of cells of an environment body, split at the top level only."""
    rows, row, cell, depth, i = [], [], "", 0, 0
    while i < len(body):
        m = _ENV.match(body, i)
        if m:
            depth += 1 if m.group(1) == "begin" else -1
            cell += m.group(0)
            i = m.end()
            continue
        c = body[i]
        if c == "\\" and depth == 0 and body.startswith("\\\\", i):
            rows.append(row + [cell])
            row, cell, i = [], "", i + 2
            continue
        if c == "\\":
            cell += body[i:i + 2]
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(c, 0)
        if c == "&" and depth == 0:
            row.append(cell)
            cell = ""
        else:
            cell += c
        i += 1
    return rows + [row + [cell]]


def width_of(s):
    """Estimated printed width of LaTeX math ``s`` in width units (see :data:`PT`)."""
    return sum(_tok_width(t) for t in tokenize(s)[0])


def _args(text):
    """The ``{...}`` arguments of a command's text."""
    out, i = [], text.find("{")
    while 0 <= i < len(text):
        j = _read_group(text, i)
        out.append(text[i + 1:j - 1])
        i = text.find("{", j)
        if i != j:
            break
    return out


def _tok_width(t):
    if t.kind == "op":
        return 2.4
    if t.kind == "group":
        inner = sum(_tok_width(p) for p in t.parts)
        left = t.open.startswith(r"\left")
        return inner + (2.2 if left else 0) - (1.1 if r"\left." in t.open else 0)
    s = t.text
    if s[0] in "^_":
        body = s[1:].strip()
        return 0.72 * (width_of(body[1:-1]) if body.startswith("{") else 1)
    if not s.startswith("\\"):
        return 0.6 if s in "(),.;:!|[]" else 1.1
    name = _CMD.match(s).group(1)
    if name in ("frac", "dfrac", "tfrac"):
        num, den = _args(s)[:2]
        return max(width_of(num), width_of(den)) + 0.4
    if name == "sqrt":
        return width_of(_args(s)[-1]) + 1.2
    if name in ("operatorname", "mathrm", "mathbf", "mathit"):
        return 0.9 * len(re.sub(r"\\.|[{}]", "x", _args(s)[0])) + 0.6
    if name == "text":
        return 0.85 * len(_args(s)[0])
    if name == "hphantom":
        return width_of(_args(s)[0])
    if name == "begin":
        rows = _cells(s[s.index("}") + 1:s.rindex(r"\end")])
        return max(sum(width_of(c) + 1 for c in r) for r in rows) + 1.5
    if name in _WIDE:
        return _WIDE[name]
    return 1.2  # a Greek letter or a symbol


# ================================================================= breaking
def break_latex(tex, width):
    """Lines of at most about ``width`` units whose concatenation means ``tex``."""
    if width_of(tex) <= width:
        return [tex]
    return [_join(line) for line in _break(tokenize(tex)[0], width)]


def _join(toks):
    out = ""
    for t in toks:
        s = t.latex()
        if t.kind == "op":
            out += f" {s} "
        elif out and not out.endswith(" ") and (s[0].isalnum() and out[-1].isalnum()
                                                or s.startswith("\\")
                                                and not s.startswith("\\right")):
            out += " " + s
        else:
            out += s
    return out.strip()


def _units(toks):
    """Break candidates: lists of tokens between which a line may end, with
    their kind (``"sum"`` before a binary operator, ``"product"`` otherwise)."""
    units, cur = [], []
    for t in toks:
        if t.kind == "op" and cur and not (cur[-1].kind == "op"):
            units.append(("sum", cur))
            cur = []
        cur.append(t)
    if cur:
        units.append(("sum", cur))
    return units


def _factors(toks):
    """A product split into factors: a new factor starts at a group opened by
    ``\\left`` or at a command/letter following a closed group."""
    out, cur = [], []
    for t in toks:
        starts = t.kind == "group" and t.open.startswith(r"\left") or (
            t.kind == "atom" and t.text.startswith("\\") and not t.text.startswith(
                ("\\,", "\\!", "\\;", "\\limits")) and cur and cur[-1].kind == "group")
        if starts and cur and not all(c.kind == "op" for c in cur):
            out.append(cur)
            cur = []
        cur.append(t)
    if cur:
        out.append(cur)
    return out


def _w(toks):
    return sum(_tok_width(t) for t in toks)


def _break(toks, width):
    """Greedy line filling over top-level terms; a term wider than a line is
    broken inside its widest group, or between its factors."""
    lines, cur = [], []
    for kind, unit in _units(toks):
        if _w(cur) + _w(unit) <= width:
            cur += unit
            continue
        if cur:
            lines.append(cur)
            cur = []
        if _w(unit) <= width:
            cur = list(unit)
            continue
        pieces = _break_term(unit, width)
        lines += pieces[:-1]
        cur = pieces[-1]
    if cur:
        lines.append(cur)
    return lines


def _break_term(unit, width):
    """A term too wide for a line: break inside a parenthesised group (the
    widest), else between factors.  Returns token lines."""
    groups = [(i, t) for i, t in enumerate(unit) if t.kind == "group"
              and len(_units(t.parts)) > 1 or (t.kind == "group" and t.open == "{"
                                             and any(p.kind == "group" for p in t.parts))]
    if groups:
        i, g = max(groups, key=lambda it: _tok_width(it[1]))
        before, after = unit[:i], unit[i + 1:]
        if _w(before) > width * 0.45 and any(t.kind != "op" and t.text != r"\cdot"
                                             for t in before):
            # the factors before the group take a line of their own
            rest = _break_term([Tok("atom", r"\cdot")] + unit[i:], width)
            return _break_term(before, width) + rest
        room = max(width - _w(before) - 1, width * 0.5)
        inner = _break(g.parts, room) if len(_units(g.parts)) > 1 else _break_term(g.parts, room)
        if len(inner) > 1:
            left = g.open.startswith(r"\left")
            o, c = (r"\left. ", r" \right.") if left else ("{", "}")
            out = [before + [Tok("atom", g.open)] + inner[0] + [Tok("atom", c)]]
            out += [[Tok("atom", o)] + mid + [Tok("atom", c)] for mid in inner[1:-1]]
            last = [Tok("atom", o)] + inner[-1] + [Tok("atom", g.close)] + after
            if _w(last) > width and after:
                out += [[Tok("atom", o)] + inner[-1] + [Tok("atom", g.close)]]
                out += _break(after, width)
            else:
                out.append(last)
            return out
    factors = _factors(unit)
    if len(factors) > 1:
        lines, cur = [], []
        for f in factors:
            if cur and _w(cur) + _w(f) > width:
                lines.append(cur)
                cur = [Tok("atom", r"\cdot")]
            cur = cur + f
        return lines + [cur]
    return [unit]
