"""What the CLI commands share: quantity names, parsing of distributions,
``--base``, ``--timeout`` and ``--at``, and how random variables are shown."""

from __future__ import annotations

import argparse

import sympy

from symxent import budget
from symxent.cli.errors import UsageError
from symxent.cli.parsing import FAMILIES, parse_distribution, parse_number, parse_pair
from symxent.errors import ParseError
from symxent.measures import (CrossEntropy, Entropy, KLDivergence, cross_entropy, entropy,
                              kl_divergence)

_KINDS = {
    "entropy": "entropy", "S": "entropy",
    "cross-entropy": "cross_entropy", "cross_entropy": "cross_entropy", "H": "cross_entropy",
    "kl": "kl", "KL": "kl",
}
_ARITY = {"entropy": 1, "cross_entropy": 2, "kl": 2}
_FORMATS = ("text", "markdown", "latex")
_MEASURES = {"entropy": Entropy, "cross_entropy": CrossEntropy, "kl": KLDivergence}
_FUNCTIONS = {"entropy": entropy, "cross_entropy": cross_entropy, "kl": kl_divergence}


def _quantity(kind, rvs, base):
    """The unevaluated measure object, e.g. ``KLDivergence(P, Q, base=E)``."""
    return _MEASURES[kind](*rvs, base=sympy.E if base is None else base)


def _is_unevaluated(expr):
    classes = tuple(_MEASURES.values())
    return isinstance(expr, classes) or (isinstance(expr, sympy.Basic) and expr.has(*classes))


def _closed_form(kind, rvs, base):
    """The engine's closed form, or the unevaluated quantity (with a warning).

    Under a whole-command budget the call is cut short when it runs out; that
    is reported as a timeout, not as "no closed form"."""
    value = _FUNCTIONS[kind](*rvs, base=base)
    budget.check()
    return value


def _timeout_arg(text):
    """``--timeout``: a finite number of seconds (see :func:`symxent.budget.validate_timeout`)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    try:
        return budget.validate_timeout(value, "--timeout")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parse_rvs(kind, texts, eliminated=None):
    """The random variables of the distribution texts; ``eliminated`` (a dict)
    receives the probabilities written as 1 minus the others
    (:func:`symxent.cli.parsing.parse_distribution`)."""
    need = _ARITY[kind]
    if len(texts) != need:
        label = kind.replace("_", "-")
        raise UsageError(f"{label} needs {need} distribution{'s' if need > 1 else ''}, got {len(texts)}")
    if need == 1:
        return (parse_distribution(texts[0], name="X", eliminated=eliminated),)
    return parse_pair(texts[0], texts[1], names=("P", "Q"), eliminated=eliminated)


def _given_note(eliminated, fmt):
    """The precondition a Categorical's elimination stands for, in ``fmt``
    (``""`` when nothing was eliminated): ``p3 = 1 - p1 - p2``."""
    if not eliminated:
        return ""
    why = "the probabilities of a Categorical sum to 1"
    if fmt == "text":
        return "where " + ", ".join(f"{k} = {v}" for k, v in eliminated.items()) + f" ({why})"
    pieces = ", ".join(f"${sympy.latex(sympy.Symbol(k))} = {sympy.latex(v)}$"
                       for k, v in eliminated.items())
    if fmt == "latex":
        return rf"\noindent where {pieces} ({why})."
    return f"_where {pieces} ({why})._"


def _parse_base(text):
    if text is None or text in ("e", "E"):
        return None
    value = parse_number(text)
    if not (value.is_positive and (value - 1).is_nonzero):
        raise UsageError(f"--base must be a positive number other than 1, got {text!r}")
    return value


def _kind(text):
    from symxent.cli.divergence_cli import KINDS as _DIV_KINDS  # the divergence family hook
    try:
        return _KINDS.get(text) or _DIV_KINDS[text]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"unknown quantity {text!r}; choose entropy, cross-entropy, kl, renyi, "
            "renyi-entropy, tsallis, bc, bhattacharyya, hellinger, chi2 or amari") from None


def _describe_rv(rv):
    """``Family(arg, ...)`` for a sympy.stats random variable (for tables)."""
    dist = rv.pspace.distribution
    family = type(dist).__name__
    for suffix in ("Distribution", "DistributionHandmade"):
        if family.endswith(suffix) and family != suffix:
            family = family[: -len(suffix)]
    args = dist.args
    known = FAMILIES.get(family)
    if known is not None and known.required == len(known.roles):
        args = args[: len(known.roles)]  # drop trailing defaults (succ/fail, minimum)
    return family, args


def _rv_text(rv):
    family, args = _describe_rv(rv)
    return f"{rv} ~ {family}({', '.join(str(a) for a in args)})"


def _rv_latex(rv):
    family, args = _describe_rv(rv)
    inner = ", ".join(sympy.latex(a) for a in args)
    return rf"{sympy.latex(rv)} \sim \mathrm{{{family}}}\left({inner}\right)"

def _md_escape(text):
    return text.replace("*", "\\*").replace("_", "\\_").replace("|", "\\|")


_LATEX_ESCAPES = str.maketrans({**{c: "\\" + c for c in "&%$#_{}"},
                                "^": r"\^{}", "~": r"\~{}", "\\": r"\textbackslash{}"})


def _latex_escape(text):
    return text.translate(_LATEX_ESCAPES)


def _parameters(rvs):
    params = set()
    for rv in rvs:
        params |= rv.pspace.distribution.free_symbols
    return {s.name: s for s in params}


def _assignments(pairs, params, eliminated=None):
    subs = {}
    for item in pairs:
        name, sep, value_text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--at expects NAME=VALUE, got {item!r}")
        if eliminated and name in eliminated:
            raise UsageError(f"--at {name}: {name} = {eliminated[name]} (the probabilities of a "
                             "Categorical sum to 1); give values for the others")
        if name not in params:
            known = ", ".join(sorted(params)) or "none"
            raise UsageError(f"--at {name}: no such parameter (parameters: {known})")
        sym = params[name]
        if sym in subs:
            raise UsageError(f"--at {name} given twice")
        try:
            value = parse_number(value_text.strip())
        except ParseError as exc:
            raise UsageError(f"--at {name}: {exc}") from None
        if sym.is_positive and value.is_positive is not True:
            raise UsageError(f"--at {name}: {name} must be positive, got {value}")
        if sym.is_integer and value.is_integer is not True:
            raise UsageError(f"--at {name}: {name} must be an integer, got {value}")
        subs[sym] = value
    missing = sorted(set(params) - {s.name for s in subs})
    if missing:
        raise UsageError(
            f"the distributions have symbolic parameters; give values with "
            f"{' '.join(f'--at {m}=VALUE' for m in missing)}")
    return subs
