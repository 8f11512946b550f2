"""``symxent plot``: pictures from the command line.

    symxent plot kl "Normal(0, 1)" "Laplace(1, 2)" -o kl.png
    symxent plot kl "Normal(mu, 1)" "Normal(0, sigma)" --over sigma 0.3 3 --at mu=1 -o kl.svg

It also gives ``symxent derive`` its ``--standalone`` option (with ``--format
latex``: the derivation wrapped in a compilable 10pt ``article``), added here
so that the command's own code stays as it is.

Without ``--over``: the densities and the integrand of D_KL
(:func:`symxent.plot.plot_divergence`).  With ``--over NAME LO HI``: the
measure against one parameter (:func:`symxent.plot.plot_measure`), for
entropy, cross-entropy or kl.  The format (PNG, SVG, PDF) follows the
extension of ``-o``.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import pathlib

from symxent.cli.errors import UsageError

__all__ = ["add_parser", "cmd_plot"]

_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def add_parser(sub):
    """Register ``plot`` on the CLI's subparsers, and ``derive --standalone``."""
    derive = sub.choices.get("derive")
    if derive is not None:
        derive.add_argument("--standalone", action="store_true",
                            help="with --format latex: a whole compilable LaTeX document")
        derive.set_defaults(func=_standalone(derive.get_default("func")))
    from symxent.cli.commands import _families_epilog
    from symxent.cli.common import _kind
    p = sub.add_parser("plot", help="draw the divergence's integrand or a measure curve",
                       epilog=_families_epilog(),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("quantity", type=_kind, metavar="QUANTITY",
                   help="kl (the integrand picture), or entropy/cross-entropy/kl with --over")
    p.add_argument("distributions", nargs="+", metavar="DIST",
                   help='distribution text such as "Normal(0, 1)"')
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="output file: .png, .svg or .pdf")
    p.add_argument("--over", nargs=3, metavar=("NAME", "LO", "HI"),
                   help="draw the measure against parameter NAME on [LO, HI]")
    p.add_argument("--at", action="append", metavar="NAME=VALUE",
                   help="value of another symbolic parameter (repeatable)")
    p.add_argument("--dpi", type=int, default=120, help="resolution of PNG output")
    p.set_defaults(func=cmd_plot)
    return p


def cmd_plot(args):
    from symxent.cli.common import _assignments, _parameters, _parse_rvs, _quantity
    from symxent.cli.parsing import parse_number
    out = pathlib.Path(args.output)
    fmt = _FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise UsageError(f"-o {args.output}: use a .png, .svg or .pdf file name")
    try:
        from symxent.plot import plot_divergence, plot_measure
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    kind = args.quantity
    eliminated = {}
    rvs = _parse_rvs(kind, args.distributions, eliminated)
    params = _parameters(rvs)
    if args.over:
        name, lo, hi = args.over
        if name not in params:
            raise UsageError(f"--over {name}: no such parameter "
                             f"(parameters: {', '.join(sorted(params)) or 'none'})")
        lo, hi = (float(parse_number(v)) for v in (lo, hi))
        if not lo < hi:
            raise UsageError("--over NAME LO HI needs LO < HI")
        others = {k: v for k, v in params.items() if k != name}
        subs = _assignments(args.at or [], others, eliminated)
        fig = plot_measure(_quantity(kind, rvs, None), over=(params[name], lo, hi), subs=subs)
    else:
        if kind != "kl":
            raise UsageError("without --over, plot draws the KL integrand: use kl, "
                             "or --over NAME LO HI for a curve")
        subs = _assignments(args.at or [], params, eliminated)
        fig = plot_divergence(rvs[0], rvs[1], subs)
    fig.savefig(out, format=fmt, dpi=args.dpi)
    print(f"wrote {out}")
    return 0


def _standalone(cmd_derive):
    """``cmd_derive`` whose LaTeX output is wrapped in a document on ``--standalone``
    (warnings printed before the chain stay in the document; exit status kept)."""
    def run(args):
        if not getattr(args, "standalone", False):
            return cmd_derive(args)
        if args.format != "latex":
            raise UsageError("--standalone needs --format latex")
        from symxent.derivation.paper import standalone
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                return cmd_derive(args)
        finally:
            text = out.getvalue().rstrip("\n")
            print(standalone(text) if r"\begin{align*}" in text else text)
    return run
