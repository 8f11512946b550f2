"""Stages 1 and 2 of parsing a distribution string: the limits, the tokenizer,
and the whitelist walk over Python's syntax tree to a tiny intermediate form.

Nothing here compiles or executes the text: it is tokenized by a regular
expression that admits only ASCII identifiers, decimal numbers and a few
operators, then parsed by ``ast.parse(..., mode="eval")`` used purely as a
parser, and walked by :class:`_Reader`, which accepts a whitelist of node
types.  Stage 3 (SymPy objects, with size limits on every number) is
:mod:`symxent.cli.parsing`.

May import: the standard library, sympy, :mod:`symxent.errors` and
:mod:`symxent.cli.families`.
"""
from __future__ import annotations

import ast
import keyword
import re

import sympy
import sympy.stats

from symxent.errors import ParseError
from symxent.cli.families import _ROLE_LEVEL, FAMILIES

# --------------------------------------------------------------------------
# Limits
# --------------------------------------------------------------------------
MAX_LENGTH = 500  # characters of input text
MAX_DEPTH = 24  # nesting depth of the syntax tree
MAX_NAME_LENGTH = 32  # characters of one identifier
MAX_EXPONENT = 64  # |p/q| of an exponent in a ** b
MAX_BITS = 4096  # bit length of numerator/denominator of any exact number
MAX_SCI_EXPONENT = 300  # |e| in a literal like 1.5e-7
MAX_EXP_ARGUMENT = 2000  # |a| in exp(a) for a number a: e**2000 is about 1e868
MAX_MAGNITUDE = sympy.Integer(2) ** MAX_BITS  # |value| of any number, exact or not
MAX_ITEMS = 16  # entries of a vector
MAX_CATEGORIES = 64  # probabilities of a Categorical
MAX_MATRIX = 8  # rows/columns of a covariance matrix
MAX_FINITE = 10_000  # numeric count parameter of a finite family (its support size)
_FINITE_FAMILIES = {"Binomial", "BetaBinomial", "Hypergeometric", "Die"}

_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_TOKEN_RE = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/(),\[\]])",
    re.ASCII,
)
# "lambda" is a Python keyword but a common parameter name (Poisson rate).  It
# is renamed to this alias before ast.parse; user identifiers can never start
# with "_", so the alias cannot collide with anything the user wrote.
_LAMBDA_ALIAS = "_symxent_lambda_"

# Functions and constants allowed inside parameter expressions.
_FUNCTIONS = {"sqrt": sympy.sqrt, "exp": sympy.exp, "log": sympy.log}
_CONSTANTS = {"pi": sympy.pi}
_RESERVED = set(FAMILIES) | set(_FUNCTIONS) | set(_CONSTANTS)


# --------------------------------------------------------------------------
# Stage 1: tokenizer
# --------------------------------------------------------------------------
def _check_text(text, what="distribution"):
    if not isinstance(text, str):
        raise ParseError(f"{what} must be given as text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"{what} text too long ({len(text)} > {MAX_LENGTH} characters)")
    if not text.strip():
        raise ParseError(f"empty {what}")


def _tokenize(text):
    """Split *text* into (kind, string, position) tokens or raise ParseError."""
    tokens = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise ParseError(
                f"unexpected character {text[pos]!r} at position {pos}"
                " (allowed: names, numbers, + - * / ** ( ) [ ] ,)"
            )
        kind = m.lastgroup
        tok = m.group()
        if kind == "num":
            end = m.end()
            if end < len(text) and (text[end].isalnum() or text[end] in "_."):
                raise ParseError(f"malformed number starting at position {pos}")
            _check_number_literal(tok, pos)
        elif kind == "name":
            _check_identifier(tok, pos)
        if kind != "space":
            tokens.append((kind, tok, pos))
        pos = m.end()
    return tokens


def _check_number_literal(tok, pos):
    exp = re.search(r"[eE]([+-]?\d+)\Z", tok)
    if exp and abs(int(exp.group(1))) > MAX_SCI_EXPONENT:
        raise ParseError(f"exponent of number {tok!r} too large (limit 1e{MAX_SCI_EXPONENT})")


def _check_identifier(tok, pos):
    if tok.startswith("_"):
        raise ParseError(f"identifier {tok!r} at position {pos}: names may not start with '_'")
    if len(tok) > MAX_NAME_LENGTH:
        raise ParseError(f"identifier at position {pos} too long (limit {MAX_NAME_LENGTH})")
    if keyword.iskeyword(tok) and tok != "lambda":
        raise ParseError(f"{tok!r} is a reserved word and cannot be used")


def _check_brackets(tokens, text):
    """Balanced ( ) and [ ], nested at most MAX_DEPTH deep."""
    stack = []
    pairs = {")": "(", "]": "["}
    for kind, tok, pos in tokens:
        if tok in "([":
            stack.append(tok)
            if len(stack) > MAX_DEPTH:
                raise ParseError(f"{_show(text)} is nested too deeply (limit {MAX_DEPTH})")
        elif tok in ")]":
            if not stack or stack.pop() != pairs[tok]:
                raise ParseError(f"unmatched {tok!r} at position {pos} in {_show(text)}")
    if stack:
        raise ParseError(f"unclosed {stack[-1]!r} in {_show(text)}")


def _show(text, limit=80):
    """repr of *text*, shortened for one-line error messages."""
    if len(text) > limit:
        return repr(text[: limit - 3] + "...")
    return repr(text)


def _to_python_source(tokens):
    """Rebuild source text from tokens, renaming ``lambda`` to a safe alias."""
    parts = []
    for kind, tok, _pos in tokens:
        parts.append(_LAMBDA_ALIAS if (kind == "name" and tok == "lambda") else tok)
    return " ".join(parts)


def _parse_tree(text, what):
    _check_text(text, what)
    tokens = _tokenize(text)
    _check_brackets(tokens, text)
    source = _to_python_source(tokens)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ParseError(f"syntax error in {what} {_show(text)}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ParseError(f"{what} {_show(text)} is nested too deeply") from None
    return source, tree.body


# --------------------------------------------------------------------------
# Stage 2: whitelist walk to an intermediate form
# --------------------------------------------------------------------------
# Intermediate form of a scalar expression (plain tuples):
#   ("num", sympy.Rational) | ("name", str) | ("const", str)
#   ("op", "+"|"-"|"*"|"/"|"**", left, right) | ("neg", x) | ("func", name, x)
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


class _Reader:
    """Walks a syntax tree, allowing only whitelisted nodes, recording roles."""

    def __init__(self, source, text):
        self.source = source
        self.text = text
        self.roles = {}  # symbol name -> role level

    def fail(self, message):
        raise ParseError(f"{message} (in {_show(self.text)})")

    def distribution(self, node):
        if not isinstance(node, ast.Call):
            self.fail("expected a distribution such as Normal(mu, sigma)")
        family = self._family(node.func)
        if node.keywords:
            self.fail(f"keyword arguments are not accepted by {family.name}; pass parameters by position")
        if any(isinstance(a, ast.Starred) for a in node.args):
            self.fail("starred arguments are not allowed")
        nargs = len(node.args)
        if family.variadic and nargs >= 2:
            # Dirichlet(a1, a2, a3) is Dirichlet([a1, a2, a3])
            node_args = [ast.List(elts=list(node.args), ctx=ast.Load())]
        elif family.variadic and nargs == 0:
            self.fail(f"{family.name} needs its entries; usage: {family.signature()} "
                      f"or {family.name}([...])")
        else:
            node_args = node.args
        if not family.required <= len(node_args) <= len(family.roles):
            self.fail(f"{family.name} takes {self._arity(family)}, got {nargs}; usage: {family.signature()}")
        args = [self.argument(a, role) for a, role in zip(node_args, family.roles)]
        return family, args

    @staticmethod
    def _arity(family):
        lo, hi = family.required, len(family.roles)
        count = str(lo) if lo == hi else f"{lo} to {hi}"
        return f"{count} parameter{'s' if hi != 1 else ''}"

    def _family(self, func):
        if not isinstance(func, ast.Name):
            self.fail(f"only a distribution name may be called, not {type(func).__name__.lower()}")
        name = func.id
        if name not in FAMILIES:
            hint = _suggest(name)
            self.fail(f"unknown distribution {name!r}{hint}")
        return FAMILIES[name]

    def argument(self, node, role):
        if role in _ROLE_LEVEL:
            return self.scalar(node, role, 1)
        if role == "probs":
            if not isinstance(node, (ast.List, ast.Tuple)):
                self.fail("a categorical distribution needs at least 2 probabilities, "
                          "e.g. Categorical(p1, p2, p3) or Categorical(1/2, 1/3, 1/6)")
            items = self._sequence(node, 1, "probabilities [p1, p2, ...]", MAX_CATEGORIES)
            if len(items) < 2:
                self.fail("a categorical distribution needs at least 2 probabilities")
            return ("vector", [self.scalar(x, "prob", 2) for x in items])
        if role in ("vreal", "vpositive", "items"):
            scalar_role = "positive" if role == "vpositive" else "real"
            items = self._sequence(node, 1, "a vector [a, b, ...]")
            minimum = 2 if role == "vpositive" else 1
            if len(items) < minimum:
                self.fail(f"the vector needs at least {minimum} entries")
            return ("vector", [self.scalar(x, scalar_role, 2) for x in items])
        if role == "cov":
            rows = self._sequence(node, 1, "a matrix [[a, b], [b, c]]")
            n = len(rows)
            if n > MAX_MATRIX:
                self.fail(f"matrix too large ({n} > {MAX_MATRIX} rows)")
            matrix = []
            for i, row in enumerate(rows):
                entries = self._sequence(row, 2, "a matrix row [a, b, ...]")
                if len(entries) != n:
                    self.fail("the covariance matrix must be square")
                matrix.append([
                    self.scalar(x, "positive" if i == j else "real", 3)
                    for j, x in enumerate(entries)
                ])
            return ("matrix", matrix)
        raise AssertionError(f"unknown role {role}")  # pragma: no cover

    def _sequence(self, node, depth, what, limit=MAX_ITEMS):
        if not isinstance(node, (ast.List, ast.Tuple)):
            self.fail(f"expected {what}")
        if not node.elts:
            self.fail(f"expected {what}, got an empty list")
        if len(node.elts) > limit:
            self.fail(f"too many entries ({len(node.elts)} > {limit})")
        return node.elts

    def scalar(self, node, role, depth):
        if depth > MAX_DEPTH:
            self.fail(f"expression nested too deeply (limit {MAX_DEPTH})")
        if isinstance(node, ast.Constant):
            return ("num", self._number(node))
        if isinstance(node, ast.Name):
            return self._name(node.id, role)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return ("neg", self.scalar(node.operand, role, depth + 1))
            if isinstance(node.op, ast.UAdd):
                return self.scalar(node.operand, role, depth + 1)
            self.fail("only unary + and - are allowed")
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                self.fail("only the operators + - * / ** are allowed")
            return ("op", op, self.scalar(node.left, role, depth + 1),
                    self.scalar(node.right, role, depth + 1))
        if isinstance(node, ast.Call):
            return self._function(node, role, depth)
        if isinstance(node, (ast.List, ast.Tuple)):
            self.fail("a list is not allowed here; expected a number or a parameter")
        self.fail(f"{type(node).__name__} expressions are not allowed")

    def _number(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(f"literal {value!r} is not allowed; only numbers are")
        literal = ast.get_source_segment(self.source, node)
        if literal is None:  # pragma: no cover - positions always present
            self.fail("could not read a number")
        # Exact conversion from the decimal text (0.1 -> 1/10), never via float.
        return sympy.Rational(literal)

    def _name(self, ident, role):
        if ident == _LAMBDA_ALIAS:
            ident = "lambda"
        if ident in _CONSTANTS:
            return ("const", ident)
        if ident in _RESERVED:
            self.fail(f"{ident!r} is a reserved name and cannot be a parameter")
        if not _NAME_RE.match(ident) or (ident.startswith("__") and ident.endswith("__")):
            self.fail(f"invalid parameter name {ident!r}")  # pragma: no cover
        level = _ROLE_LEVEL[role]
        self.roles[ident] = max(level, self.roles.get(ident, 0))
        return ("name", ident)

    def _function(self, node, role, depth):
        func = node.func
        if not isinstance(func, ast.Name):
            self.fail(f"only {', '.join(sorted(_FUNCTIONS))} may be called inside parameters")
        if func.id in FAMILIES:
            self.fail(f"a distribution ({func.id}) cannot be used as a parameter")
        if func.id not in _FUNCTIONS:
            self.fail(f"unknown function {func.id!r}; allowed: {', '.join(sorted(_FUNCTIONS))}")
        if node.keywords or len(node.args) != 1:
            self.fail(f"{func.id} takes exactly one argument")
        # sqrt and log need a positive argument to stay real; exp takes any real
        inner = "real" if func.id == "exp" else "positive"
        return ("func", func.id, self.scalar(node.args[0], inner, depth + 1))


# other names people use for accepted families
_ALIASES = {"gaussian": "Normal", "gauss": "Normal", "mvn": "MultivariateNormal",
            "multivariategaussian": "MultivariateNormal", "finiterv": "Categorical",
            "multinoulli": "Categorical", "exp": "Exponential", "student": "StudentT",
            "students": "StudentT"}


_SYMPY_FAMILIES = {n for n in sympy.stats.__all__
                   if getattr(getattr(sympy.stats, n, None), "__module__", "") in (
                       "sympy.stats.crv_types", "sympy.stats.drv_types",
                       "sympy.stats.frv_types", "sympy.stats.joint_rv_types")}


def _suggest(name):
    """``; did you mean Normal?`` for a misspelt family name (Normla, nromal,
    Gama, Dirichelt, Gaussian, ...), or a pointer to ``--help``."""
    import difflib

    low = name.lower()
    by_low = {f.lower(): f for f in FAMILIES}
    if low in by_low:  # normal -> Normal
        return f"; did you mean {by_low[low]}?"
    if low in _ALIASES:
        return f"; did you mean {_ALIASES[low]}?"
    # the closest name by similarity; a family starting with what was typed
    # (at least 4 letters: Weib -> Weibull) counts as close too
    score = {f: difflib.SequenceMatcher(None, low, f.lower()).ratio() for f in FAMILIES}
    for f in FAMILIES:
        if len(low) >= 4 and f.lower().startswith(low):
            score[f] = max(score[f], 0.9)
    best = max(score, key=score.get)
    if score[best] >= 0.75:
        return f"; did you mean {best}?"
    if name in _SYMPY_FAMILIES:
        return (f"; {name} is a sympy.stats distribution the command line does not "
                "accept (use the Python API); see `symxent --help` for the list")
    return "; see `symxent --help` for the list"
