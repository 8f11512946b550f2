"""CLI hook for the divergence family (:mod:`symxent.divergences`).

``symxent derive renyi "Normal(mu1, sigma1)" "Normal(mu2, sigma2)" --alpha a``
(and renyi-entropy, tsallis, bc, bhattacharyya, hellinger, chi2, amari) and
``symxent table --measure renyi [--alpha a]``.  ``--alpha`` is a number
(``2``, ``1/2``, read by the safe parser) or a name, which becomes a positive
symbol (a real one for amari); nothing is evaluated.
"""
from __future__ import annotations

import re
import sys

import sympy

from symxent.cli.errors import CheckFailed, UsageError
from symxent.cli.parsing import parse_distribution, parse_number, parse_pair

__all__ = ["KINDS", "add_arguments", "cmd_derive", "cmd_table"]

KINDS = {"renyi": "renyi", "renyi-entropy": "renyi_entropy", "renyi_entropy": "renyi_entropy",
         "tsallis": "tsallis", "bc": "bc", "bhattacharyya": "bd", "hellinger": "hellinger",
         "chi2": "chi2", "amari": "amari"}
_ARITY = {"renyi": 2, "renyi_entropy": 1, "tsallis": 1, "bc": 2, "bd": 2, "hellinger": 2,
          "chi2": 2, "amari": 2}
_ORDERED = {"renyi", "renyi_entropy", "tsallis", "amari"}
_BASED = {"renyi", "renyi_entropy", "bd"}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")

# same-family pairs for ``table --measure``: (name, text of P, text of Q)
TABLE = [
    ("Normal", "Normal(mu1, sigma1)", "Normal(mu2, sigma2)"),
    ("Exponential", "Exponential(lambda1)", "Exponential(lambda2)"),
    ("Gamma", "Gamma(k1, theta1)", "Gamma(k2, theta2)"),
    ("Beta", "Beta(a1, b1)", "Beta(a2, b2)"),
    ("Laplace", "Laplace(0, b1)", "Laplace(0, b2)"),
    ("Pareto", "Pareto(m, a1)", "Pareto(m, a2)"),
    ("Rayleigh", "Rayleigh(sigma1)", "Rayleigh(sigma2)"),
    ("LogNormal", "LogNormal(mu1, sigma1)", "LogNormal(mu2, sigma2)"),
    ("Chi", "Chi(k1)", "Chi(k2)"),
    ("Maxwell", "Maxwell(a1)", "Maxwell(a2)"),
    ("Poisson", "Poisson(lambda1)", "Poisson(lambda2)"),
    ("Bernoulli", "Bernoulli(p1)", "Bernoulli(p2)"),
    ("Geometric", "Geometric(p1)", "Geometric(p2)"),
]


def add_arguments(derive_parser, table_parser):
    derive_parser.add_argument(
        "--alpha", default=None, metavar="ORDER",
        help="order of renyi, renyi-entropy, tsallis or amari: a number or a symbol name")
    table_parser.add_argument(
        "--measure", default=None, choices=sorted(KINDS),
        help="a table of the divergence family instead of the catalogue")
    table_parser.add_argument("--alpha", default="alpha", metavar="ORDER",
                              help="order for --measure renyi/renyi-entropy/tsallis/amari")


def _order(kind, text):
    if kind not in _ORDERED:
        if text is not None:
            raise UsageError(f"{kind} takes no --alpha")
        return ()
    if text is None:
        raise UsageError(f"{kind} needs its order: --alpha 2, --alpha 1/2 or --alpha a")
    if _NAME.match(text):
        return (sympy.Symbol(text, real=True) if kind == "amari"
                else sympy.Symbol(text, positive=True),)
    return (parse_number(text),)


def _quantity(kind, rvs, order, base):
    import symxent.divergences as d
    cls = {"renyi": d.RenyiDivergence, "renyi_entropy": d.RenyiEntropy,
           "tsallis": d.TsallisEntropy, "bc": d.BhattacharyyaCoefficient,
           "bd": d.BhattacharyyaDistance, "hellinger": d.HellingerDistance,
           "chi2": d.Chi2Divergence, "amari": d.AlphaDivergence}[kind]
    if kind in _BASED:
        return cls(*rvs, *order, base=base)
    if base is not None:
        raise UsageError(f"{kind} has no logarithm: --base does not apply")
    return cls(*rvs, *order)


def _rvs(kind, texts, eliminated=None):
    need = _ARITY[kind]
    if len(texts) != need:
        raise UsageError(f"{kind} needs {need} distribution(s), got {len(texts)}")
    if need == 1:
        return (parse_distribution(texts[0], name="X", eliminated=eliminated),)
    return parse_pair(texts[0], texts[1], names=("P", "Q"), eliminated=eliminated)


def cmd_derive(args, base, render):
    """``derive`` for the family; ``render(derivation, format)`` prints it."""
    from symxent.budget import set_default_timeout
    from symxent.derivation.core import derive
    kind = args.quantity
    if getattr(args, "timeout", None) is not None:
        if not args.timeout > 0:
            raise UsageError("--timeout must be positive")
        set_default_timeout(args.timeout)
    from symxent.cli.common import _given_note
    eliminated = {}
    q = _quantity(kind, _rvs(kind, args.distributions, eliminated), _order(kind, args.alpha),
                  base)
    text = render(derive(q, check=not args.no_check), args.format)
    if eliminated:  # the precondition the chain holds under (a Categorical's last probability)
        text = f"{text}\n{_given_note(eliminated, args.format)}"
    print(text)
    return 0


def cmd_table(args):
    import warnings
    kind = KINDS[args.measure]
    order = _order(kind, args.alpha if kind in _ORDERED else None)
    lines = []
    fmt = args.format
    failures = 0
    for name, tp, tq in TABLE:
        rvs = (parse_distribution(tp, name="X"),) if _ARITY[kind] == 1 else parse_pair(
            tp, tq, names=("P", "Q"))
        q = _quantity(kind, rvs, order, None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v = q.doit(timeout=args.timeout)
        closed = None if v == q else v
        failures += closed is None
        dists = tp if _ARITY[kind] == 1 else f"{tp} vs {tq}"
        if fmt == "text":
            lines.append(f"{name}: {dists}\n  {q} = {closed if closed is not None else '(no closed form)'}")
        else:
            val = f"${sympy.latex(closed)}$" if closed is not None else "(no closed form)"
            cell = f"${sympy.latex(q)}$"
            if fmt == "markdown":
                val, cell = (s.replace(r"\|", r"\Vert ").replace("|", r"\vert ") for s in (val, cell))
                lines.append(f"| {name} | {dists} | {cell} | {val} |")
            else:
                lines.append(f"{name} & \\texttt{{{dists}}} & {cell} & {val} \\\\")
    if fmt == "markdown":
        lines = ["| family | distributions | quantity | closed form |", "|---|---|---|---|"] + lines
    elif fmt == "latex":
        lines = [r"\begin{longtable}{llll}"] + lines + [r"\end{longtable}"]
    print("\n".join(lines))
    sys.stdout.flush()
    if failures:
        raise CheckFailed(f"{failures} of {len(TABLE)} pairs have no closed form")
    return 0
