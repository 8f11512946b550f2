"""Safe parsing of distribution strings such as ``"Normal(mu1, sigma1)"``.

The command line accepts distributions as text.  That text is never handed to
``eval``, ``sympify`` or ``parse_expr``.  Instead it goes through three stages:

1. a small tokenizer (:func:`_tokenize`) that accepts only ASCII identifiers,
   decimal numbers and the operators ``+ - * / ** ( ) [ ] ,``;
2. Python's own parser (``ast.parse(..., mode="eval")``), used purely as a
   parser -- nothing is compiled or executed;
3. a walk over the syntax tree with a strict whitelist of node types
   (:class:`_Reader`), producing a tiny intermediate form, which is then turned
   into sympy objects by :class:`_Builder` with size limits on every number.

Families whose one parameter is a vector take its entries either as a list or
as separate arguments: ``Dirichlet([a1, a2, a3])`` is ``Dirichlet(a1, a2, a3)``,
``Categorical(p1, p2, p3)`` is ``Categorical([p1, p2, p3])``.  The
probabilities of a ``Categorical`` must sum to 1: numbers are checked exactly
(``Categorical(1/2, 1/3, 1/4)`` is refused); when they are not all numbers and
do not sum to 1 identically, a last entry that is a bare name used nowhere else
in that distribution is eliminated (``p3 = 1 - p1 - p2``), and the elimination
is reported to the caller (the ``eliminated`` argument), so that the command
line can state it; anything else is refused.

Parameters named in the text become :class:`sympy.Symbol` objects whose
assumptions follow the *role* the parameter plays in its family (location ->
real, scale/shape/rate -> positive, count -> positive integer), see
:data:`FAMILIES`.  The same name used in two distributions parsed together
(:func:`parse_pair`) becomes one Symbol carrying the strongest role.
"""

from __future__ import annotations

import sympy
import sympy.stats
from sympy.stats.rv import RandomSymbol

from symxent.errors import ParseError
from symxent.cli.families import _LEVEL_ASSUMPTIONS, FAMILIES
from symxent.cli.syntax import (
    MAX_BITS,
    MAX_EXPONENT,
    MAX_EXP_ARGUMENT,
    MAX_FINITE,
    MAX_LENGTH,
    MAX_MAGNITUDE,
    MAX_NAME_LENGTH,
    _CONSTANTS,
    _FINITE_FAMILIES,
    _FUNCTIONS,
    _NAME_RE,
    _Reader,
    _parse_tree,
    _show,
)

__all__ = [
    "FAMILIES",
    "parse_distribution",
    "parse_pair",
    "parse_number",
    "MAX_LENGTH",
]

# --------------------------------------------------------------------------
# Stage 3: build sympy objects with size limits
# --------------------------------------------------------------------------
class _Builder:
    def __init__(self, symbols, text):
        self.symbols = symbols
        self.text = text

    def fail(self, message):
        raise ParseError(f"{message} (in {_show(self.text)})")

    def argument(self, ir):
        if ir[0] == "vector":
            return [self.scalar(x) for x in ir[1]]
        if ir[0] == "matrix":
            return sympy.Matrix([[self.scalar(x) for x in row] for row in ir[1]])
        return self.scalar(ir)

    def scalar(self, ir):
        value = self._expr(ir)
        if value.has(sympy.zoo, sympy.oo, sympy.nan, sympy.I) or value.is_extended_real is False:
            self.fail(f"parameter value {value} is not a finite real number")
        return value

    def _expr(self, ir):
        tag = ir[0]
        if tag == "num":
            return self._sized(ir[1])
        if tag == "name":
            return self.symbols[ir[1]]
        if tag == "const":
            return _CONSTANTS[ir[1]]
        if tag == "neg":
            return -self._expr(ir[1])
        if tag == "func":
            arg = self._expr(ir[2])
            if ir[1] == "exp" and arg.is_number and abs(_approx(arg)) > MAX_EXP_ARGUMENT:
                # checked before SymPy builds exp(arg): evaluating exp(exp(exp(10)))
                # would need astronomically many digits
                self.fail(f"number too large (exp of {float(_approx(arg)):.6g}; the limit is "
                          f"exp({MAX_EXP_ARGUMENT}))")
            return self._sized(_FUNCTIONS[ir[1]](arg))
        op, left, right = ir[1], self._expr(ir[2]), self._expr(ir[3])
        if op == "+":
            return self._sized(left + right)
        if op == "-":
            return self._sized(left - right)
        if op == "*":
            return self._sized(left * right)
        if op == "/":
            if right.is_zero:
                self.fail("division by zero")
            return self._sized(left / right)
        return self._power(left, right)

    def _power(self, base, exp):
        if not exp.is_Rational:
            self.fail("exponents must be plain numbers such as 2 or 1/2")
        if abs(exp) > MAX_EXPONENT or exp.q > MAX_EXPONENT:
            self.fail(f"exponent {exp} too large (limit {MAX_EXPONENT})")
        if base.is_zero and exp.is_negative:
            self.fail("division by zero (0 to a negative power)")
        if base.is_Rational:
            bits = max(base.p.bit_length(), base.q.bit_length()) * int(abs(exp) + 1)
            if bits > MAX_BITS:
                self.fail("number too large")
        return self._sized(base**exp)

    def _sized(self, value):
        if value.is_Rational:
            if max(value.p.bit_length(), value.q.bit_length()) > MAX_BITS:
                self.fail("number too large")
        elif value.is_number and abs(_approx(value)) > MAX_MAGNITUDE:
            self.fail("number too large")
        return value


def _approx(value):
    """A 15-digit float of a number whose parts are all size-limited already
    (so this never needs huge precision), or 0 for a value that is not a
    finite real number: :meth:`_Builder.scalar` refuses those with its own
    message."""
    if value.has(sympy.zoo, sympy.oo, sympy.nan):
        return sympy.S.Zero
    approx = sympy.re(sympy.N(value, 15))
    return approx if approx.is_finite else sympy.S.Zero


def _make_symbols(roles, text):
    symbols = {}
    for name, level in roles.items():
        if not _NAME_RE.match(name):  # pragma: no cover - guaranteed by tokenizer
            raise ParseError(f"invalid parameter name {name!r} (in {_show(text)})")
        symbols[name] = sympy.Symbol(name, **_LEVEL_ASSUMPTIONS[level])
    return symbols


def _check_rv_name(name):
    if not isinstance(name, str) or not _NAME_RE.match(name) or len(name) > MAX_NAME_LENGTH:
        raise ParseError(f"invalid random-variable name {name!r}")


def _ir_names(ir):
    """The parameter names in the intermediate form of a scalar expression."""
    tag = ir[0]
    if tag == "name":
        return {ir[1]}
    if tag == "neg":
        return _ir_names(ir[1])
    if tag == "func":
        return _ir_names(ir[2])
    if tag == "op":
        return _ir_names(ir[2]) | _ir_names(ir[3])
    return set()  # "num", "const"


MAX_EXPANDED_TERMS = 2000  # terms an expansion in the parser may produce


def _terms_bound(e):
    """An upper bound on the number of terms of ``expand(e)``, computed without
    expanding (``(a + b + c + d)**64`` would have 47905 and take minutes)."""
    from math import comb
    if isinstance(e, sympy.Add):
        return sum(_terms_bound(a) for a in e.args)
    if isinstance(e, sympy.Mul):
        out = 1
        for a in e.args:
            out *= _terms_bound(a)
        return out
    if isinstance(e, sympy.Pow) and isinstance(e.base, (sympy.Add, sympy.Mul)):
        k = abs(e.exp) if e.exp.is_Integer else 1
        return comb(_terms_bound(e.base) + int(k) - 1, int(k))
    return 1


def _expand_bounded(e):
    """``expand(e)``, or None when it could have more than MAX_EXPANDED_TERMS terms."""
    if _terms_bound(e) > MAX_EXPANDED_TERMS:
        return None
    return sympy.expand(e)


def _sums_to_one(total):
    """Whether the probabilities' sum ``total`` is 1 identically.  False when that
    cannot be decided cheaply (then the last one is eliminated, or the input refused)."""
    diff = _expand_bounded(total - 1)
    if diff is None:
        return False
    if diff == 0:
        return True
    if diff.is_number:
        return diff.is_zero is True or diff.equals(0) is True
    return sympy.cancel(diff) == 0


def _probabilities(family, args, symbols, text, eliminated):
    """A Categorical's probabilities must sum to 1 (see the module docstring).

    Numbers are checked exactly.  When the entries do not sum to 1 identically,
    a last entry that is a bare name, used nowhere else in the distribution and
    not eliminated already, becomes 1 minus the others: ``symbols`` then maps
    that name to the expression (so that every distribution parsed with it
    reads it so) and ``eliminated`` records it.  Anything else is refused."""
    if "probs" not in family.roles:
        return
    entries = args[family.roles.index("probs")][1]
    builder = _Builder(symbols, text)
    values = [builder.scalar(e) for e in entries]
    for v in values:
        if v.is_number and not (v.is_nonnegative and (1 - v).is_nonnegative):
            builder.fail(f"probability {v} of {family.name} is not between 0 and 1")
    total = sympy.Add(*values)
    if _sums_to_one(total):
        return
    last = entries[-1]
    hint = ("; write the last one as 1 minus the others, e.g. Categorical(p1, p2, 1 - p1 - p2), "
            "or end with a name of its own, as in Categorical(p1, p2, p3)")
    if total.is_number:
        builder.fail(f"the probabilities of {family.name} must sum to 1; they sum to {total}")
    if last[0] != "name" or last[1] in eliminated or any(
            last[1] in _ir_names(e) for e in entries[:-1]):
        builder.fail(f"the probabilities of {family.name} must sum to 1; they sum to "
                     f"{total}{hint}")
    rest = 1 - sympy.Add(*values[:-1])
    if rest.is_number and rest.is_positive is not True:
        builder.fail(f"the probabilities of {family.name} must sum to 1: the others sum to "
                     f"{1 - rest}, which leaves {rest} for {last[1]}")
    symbols[last[1]] = rest
    eliminated[last[1]] = rest


def _read(text, what="distribution"):
    source, body = _parse_tree(text, what)
    reader = _Reader(source, text)
    try:
        family, args = reader.distribution(body)
    except RecursionError:
        raise ParseError(f"{what} {_show(text)} is nested too deeply") from None
    return family, args, reader.roles


def _construct(family, args, name, symbols, text):
    builder = _Builder(symbols, text)
    values = [builder.argument(a) for a in args]
    if family.name in _FINITE_FAMILIES:
        # the support is enumerated by exact sums: keep it small
        for role, value in zip(family.roles, values):
            if role == "count" and value.is_number and value > MAX_FINITE:
                builder.fail(f"{family.name} parameter {value} too large for an exact "
                             f"finite distribution (limit {MAX_FINITE})")
    if family.name == "Die" and values and not values[0].is_number:
        builder.fail("Die needs a number of sides, such as Die(6): its faces are "
                     "enumerated, so a symbolic number of sides is not supported")
    if family.name == "MultivariateNormal":
        mu, sigma = values
        if sigma.shape[0] != len(mu):
            builder.fail("mean vector and covariance matrix have different sizes")
        for i in range(sigma.shape[0]):
            for j in range(i):
                diff = _expand_bounded(sigma[i, j] - sigma[j, i])
                if diff is None or diff.is_zero is not True and sympy.simplify(diff) != 0:
                    builder.fail("the covariance matrix must be symmetric")
    try:
        rv = family.constructor(name, *values)
    except ParseError:
        raise
    except (ValueError, TypeError, AttributeError, IndexError, NotImplementedError) as exc:
        # SymPy's own checks: ValueError for a parameter outside its domain,
        # TypeError/AttributeError/IndexError for arguments of the wrong kind or
        # shape (a matrix where a number goes, a short list), NotImplementedError
        # for combinations SymPy does not support
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ParseError(
            f"invalid parameters for {family.signature()}: {detail} (in {_show(text)})"
        ) from None
    if not isinstance(rv, RandomSymbol):  # pragma: no cover - defensive
        raise ParseError(f"{family.name} did not produce a random variable")
    return rv


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------
def parse_distribution(text, name="X", eliminated=None):
    """Parse ``"Family(param, ...)"`` into a sympy.stats random variable.

    Raises :class:`~symxent.errors.ParseError` for anything that is not a
    whitelisted distribution with well-formed, size-limited parameters.
    ``eliminated``, a dict, receives the names written as 1 minus the other
    probabilities of a Categorical (``{"p3": 1 - p1 - p2}``), if any.
    """
    _check_rv_name(name)
    family, args, roles = _read(text)
    symbols = _make_symbols(roles, text)
    _probabilities(family, args, symbols, text, {} if eliminated is None else eliminated)
    return _construct(family, args, name, symbols, text)


def parse_pair(text_p, text_q, names=("P", "Q"), eliminated=None):
    """Parse two distributions that share their parameter symbols.

    A name used in both texts becomes a single Symbol; if its roles differ
    (say a location in one and a scale in the other) it gets the strongest
    assumptions (positive integer > positive > real).  A name eliminated by
    one Categorical (see :func:`parse_distribution`) is eliminated in both.
    """
    if len(names) != 2 or names[0] == names[1]:
        raise ParseError("parse_pair needs two different random-variable names")
    for n in names:
        _check_rv_name(n)
    fam_p, args_p, roles_p = _read(text_p)
    fam_q, args_q, roles_q = _read(text_q)
    roles = dict(roles_p)
    for ident, level in roles_q.items():
        roles[ident] = max(level, roles.get(ident, 0))
    symbols = _make_symbols(roles, f"{text_p} / {text_q}")
    eliminated = {} if eliminated is None else eliminated
    _probabilities(fam_p, args_p, symbols, text_p, eliminated)
    _probabilities(fam_q, args_q, symbols, text_q, eliminated)
    p = _construct(fam_p, args_p, names[0], symbols, text_p)
    q = _construct(fam_q, args_q, names[1], symbols, text_q)
    return p, q


def parse_number(text):
    """Parse a numeric constant like ``"2"``, ``"-1/3"``, ``"0.25"``, ``"sqrt(2)"``.

    Returns an exact sympy number (a Rational when possible).  Names other than
    ``pi`` are rejected.  Used for ``--at name=value`` on the command line.
    """
    source, body = _parse_tree(text, "number")
    reader = _Reader(source, text)
    try:
        ir = reader.scalar(body, "real", 1)
    except RecursionError:
        raise ParseError(f"number {_show(text)} is nested too deeply") from None
    if reader.roles:
        names = ", ".join(sorted(reader.roles))
        raise ParseError(f"{_show(text)} is not a number (contains the name(s) {names})")
    return _Builder({}, text).scalar(ir)
