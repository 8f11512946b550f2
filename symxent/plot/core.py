"""The pictures of :mod:`symxent.plot` (see the package docstring).

Densities are evaluated with NumPy on a grid after the parameters are
substituted (``log p`` is expanded first, so tails neither underflow nor give
``0 * log 0``); the plotting range covers all but ``tail`` of P's mass on
either side (found with mpmath quadrature of the density).  Values in titles
and curves come from the closed forms; :func:`plot_measure` checks a few of its
points against :func:`symxent.numeric.core.evaluate`, the independent numeric
definition, and refuses to draw a curve that disagrees.
"""
from __future__ import annotations

import math

import mpmath
import sympy as sp

from symxent.errors import ParameterError, SymxentError, UnsupportedError
from symxent.laws.support import describe, support_bounds
from symxent.precision import workdps

__all__ = ["plot_divergence", "plot_measure"]

_INSTALL = 'symxent.plot needs matplotlib and numpy: pip install "symxent[plot]"'


def _libs():
    """(numpy, Figure) or an ImportError naming the extra to install."""
    try:
        import numpy as np
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(f"{_INSTALL} ({exc})") from None
    return np, Figure


# ------------------------------------------------------------------ inputs
def _point(subs, rvs):
    """``{symbol: exact number}`` for every parameter of ``rvs`` (names allowed)."""
    from symxent.numeric.core import _point as point
    return point(subs, rvs)[0]  # (point, relative uncertainty of float values)


def _number(v):
    with workdps(20):
        return float(sp.N(v, 17))


def _vectorized(expr, x):
    """``f(array)`` for an expression in ``x`` with numeric coefficients."""
    np, _ = _libs()
    expr = sp.sympify(expr).evalf(17)
    try:
        f = sp.lambdify(x, expr, "numpy")
        with np.errstate(all="ignore"):
            probe = np.asarray(f(np.array([0.5, 1.5])), dtype=float)
        if probe.shape in ((2,), ()):
            return lambda a: np.broadcast_to(np.asarray(f(a), dtype=float), np.shape(a))
    except (NameError, TypeError, AttributeError):
        pass

    def slow(a):  # functions NumPy lacks (polygamma, ...): mpmath, point by point
        with workdps(20):
            g = sp.lambdify(x, expr, "mpmath")
            return np.array([float(mpmath.re(g(mpmath.mpf(float(t))))) for t in np.ravel(a)])
    return slow


def _log_density(d, point):
    """``log p`` with the parameters substituted, logarithms expanded."""
    pdf = d.pdf.xreplace(point)
    return sp.expand_log(sp.log(pdf), force=True)


def _range(d, point, tail):
    """``(lo, hi)`` leaving at most ``tail`` of P's mass out on either side."""
    lo, hi = (sp.sympify(b).xreplace(point) for b in support_bounds(d.support))
    lo = -math.inf if lo == -sp.oo else _number(lo)
    hi = math.inf if hi == sp.oo else _number(hi)
    if math.isfinite(lo) and math.isfinite(hi):
        return lo, hi
    with workdps(20):
        f = sp.lambdify(d.var, d.pdf.xreplace(point).evalf(20), "mpmath")

        def mass(a, b):
            return float(mpmath.quad(lambda t: mpmath.re(f(t)), [a, b]))
        try:
            m = float(mpmath.quad(lambda t: t * mpmath.re(f(t)), [lo, hi]))
            s = math.sqrt(float(mpmath.quad(lambda t: (t - m) ** 2 * mpmath.re(f(t)), [lo, hi])))
        except (ValueError, ZeroDivisionError, OverflowError):
            m, s = math.nan, math.nan
        if not (math.isfinite(m) and math.isfinite(s) and s > 0):
            m = min(max(0.0, lo + 1 if math.isfinite(lo) else 0.0),
                    hi - 1 if math.isfinite(hi) else 0.0)
            s = 1.0
        out = []
        for side, bound in ((-1, lo), (1, hi)):
            if math.isfinite(bound):
                out.append(bound)
                continue
            step = s
            for _ in range(80):
                t = m + side * step
                left = mass(t, bound) if side > 0 else mass(bound, t)
                if abs(left) <= tail:
                    break
                step *= 1.5
            out.append(t)
        return out[0], out[1]


def _grid(lo, hi, n):
    np, _ = _libs()
    return lo + (hi - lo) * (np.arange(n) + 0.5) / n   # midpoints: no singular endpoint


def _closed_value(kind, P, Q, point):
    """(value, how) of the measure at the point: the closed form, else numeric."""
    from symxent.measures import cross_entropy, entropy, kl_divergence
    from symxent.numeric.core import evaluate
    import warnings
    fn = {"kl": kl_divergence, "cross_entropy": cross_entropy, "entropy": entropy}[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        closed = fn(P) if Q is None else fn(P, Q)
    if not _unevaluated(closed):
        v = closed.xreplace(point)
        if v in (sp.oo, -sp.oo):
            return (math.inf if v == sp.oo else -math.inf), "closed form"
        return _number(v), "closed form"
    quantity = (kind, P) if Q is None else (kind, P, Q)
    with workdps(20):
        return float(evaluate(quantity, point, dps=15).value), "numeric"


def _unevaluated(e):
    from symxent.numeric.core import is_measure
    return any(is_measure(a) for a in sp.preorder_traversal(e))


# ------------------------------------------------------------------ divergence
def plot_divergence(P, Q, subs=None, *, points=1001, tail=1e-4, figsize=(7, 5.2)):
    """Densities p and q and the integrand ``p log(p/q)`` of D_KL(P || Q).

    ``subs`` maps parameter symbols (or their names) to numbers.  Top panel:
    p and q; bottom panel: the integrand, shaded, whose area is D_KL (bars for
    discrete laws, whose heights sum to it).  The title gives D_KL from the
    closed form (or from the numeric definition when there is none).  Returns
    a ``matplotlib.figure.Figure``; the lines are labelled ``p``, ``q`` and
    ``p log(p/q)``."""
    np, Figure = _libs()
    point = _point(subs, (P, Q))
    dp, dq = describe(P), describe(Q)
    if dp.kind != dq.kind or dp.kind not in ("continuous", "discrete", "finite"):
        raise UnsupportedError(f"plot_divergence draws two univariate laws of one kind, "
                               f"got a {dp.kind} and a {dq.kind} law")
    value, how = _closed_value("kl", P, Q, point)
    fig = Figure(figsize=figsize, layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    if dp.kind == "continuous":
        lo, hi = _range(dp, point, tail)
        x = _grid(lo, hi, points)
        lp = _vectorized(_log_density(dp, point), dp.var)(x)
        lq = _vectorized(_log_density(dq, point).xreplace({dq.var: dp.var}), dp.var)(x)
        with np.errstate(all="ignore"):
            p, q = np.exp(lp), np.exp(lq)
            g = np.where(p > 0, p * (lp - lq), 0.0)
        top.plot(x, p, label="p", color="C0")
        top.plot(x, q, label="q", color="C1", linestyle="--")
        bottom.plot(x, g, label="p log(p/q)", color="C2")
        bottom.fill_between(x, g, 0, color="C2", alpha=0.3)
        bottom.set_xlabel("x")
    else:
        k, p, q = _masses(dp, dq, point, min(tail, 1e-10))  # bars are cheap
        with np.errstate(all="ignore"):
            g = np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)
        top.bar(k - 0.2, p, width=0.4, label="p", color="C0")
        top.bar(k + 0.2, q, width=0.4, label="q", color="C1")
        bottom.bar(k, g, width=0.6, label="p log(p/q)", color="C2")
        bottom.set_xlabel("k")
    bottom.axhline(0, color="black", linewidth=0.6)
    top.set_ylabel("density" if dp.kind == "continuous" else "probability")
    bottom.set_ylabel("p log(p/q)")
    top.legend(loc="upper right")
    bottom.legend(loc="upper right")
    shown = "inf" if value == math.inf else f"{value:.6g}"
    area = "the shaded area below" if dp.kind == "continuous" else "the sum of the bars below"
    fig.suptitle(f"$D_{{KL}}(P\\,\\|\\,Q) = {shown}$ ({how}): {area}\n"
                 f"P = {_law(dp, point)},  Q = {_law(dq, point)}")
    fig.symxent_value = value
    return fig


def _law(d, point):
    args = ", ".join(sp.sstr(sp.nsimplify(a) if isinstance(a, sp.Float) else a)
                     for a in (sp.sympify(p).xreplace(point) for p in _args(d)))
    return f"{d.family}({args})"


def _args(d):
    dist = getattr(d.rv.pspace, "distribution", None)
    return tuple(dist.args) if dist is not None and d.family != "Custom" else d.params


def _masses(dp, dq, point, tail):
    """Atoms ``k`` and the masses of P and Q there (NumPy arrays)."""
    np, _ = _libs()
    if dp.kind == "finite":
        atoms = sorted(set(dp.values) | set(dq.values), key=lambda a: _number(a))
        p = [_number(sp.sympify(dp.values.get(a, 0)).xreplace(point)) for a in atoms]
        q = [_number(sp.sympify(dq.values.get(a, 0)).xreplace(point)) for a in atoms]
        return np.array([_number(a) for a in atoms]), np.array(p), np.array(q)
    lo, hi = (sp.sympify(b).xreplace(point) for b in support_bounds(dp.support))
    pmf = sp.lambdify(dp.var, dp.pdf.xreplace(point).evalf(17), "math")
    qmf = dq.pdf.xreplace(point).xreplace({dq.var: dp.var})
    qlo, qhi = (sp.sympify(b).xreplace(point) for b in support_bounds(dq.support))
    ks, total = [], 0.0
    k = int(lo)
    while total < 1 - tail and len(ks) < 100000 and (hi == sp.oo or k <= hi):
        total += pmf(k)
        ks.append(k)
        k += 1
    p = np.array([pmf(k) for k in ks])
    q = np.array([_number(qmf.xreplace({dp.var: k})) if qlo <= k <= qhi else 0.0 for k in ks])
    return np.array(ks, dtype=float), p, q


# ------------------------------------------------------------------ measure curves
def plot_measure(quantity, over, subs=None, *, points=200, check=3, figsize=(6.4, 4.2),
                 ax=None):
    """A measure as a function of one parameter, from its closed form.

    ``over = (symbol or name, lo, hi)``; ``subs`` gives the other parameters.
    ``check`` points (evenly spread) are compared with the numeric definition
    (:func:`symxent.numeric.core.evaluate`, 15 digits) and drawn as markers;
    a disagreement raises :class:`symxent.errors.SymxentError`.  Returns the
    Figure; the curve is the line labelled ``closed form``."""
    np, Figure = _libs()
    from symxent.numeric.core import evaluate, is_measure
    if not is_measure(quantity):
        raise UnsupportedError(f"expected an Entropy, CrossEntropy or KLDivergence, got {quantity!r}")
    name, lo, hi = over
    rvs = tuple(a for a in (quantity.p, getattr(quantity, "q", None)) if a is not None)
    params = {str(s): s for rv in rvs for s in describe(rv).params}
    sym = params.get(str(name)) if not isinstance(name, sp.Symbol) else name
    if sym not in params.values():
        raise ParameterError(f"{name} is not a parameter of {quantity} "
                             f"(parameters: {', '.join(sorted(params))})")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        closed = quantity.doit()
    if _unevaluated(closed):
        raise UnsupportedError(f"no closed form for {quantity}: plot_measure draws closed forms")
    rest = {k: v for k, v in (subs or {}).items() if str(k) != str(sym)}
    xs = np.linspace(float(lo), float(hi), points)
    fixed = {s: v for s, v in _point({**rest, **{sym: (float(lo) + float(hi)) / 2}},
                                     rvs).items() if s != sym}
    curve = closed.xreplace(fixed)
    with workdps(20):
        f = sp.lambdify(sym, curve, "mpmath")
        ys = np.array([float(mpmath.re(f(mpmath.mpf(float(t))))) for t in xs])
    if ax is None:
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.subplots()
    else:
        fig = ax.figure
    ax.plot(xs, ys, label="closed form", color="C0")
    checked = []
    for t in np.linspace(float(lo), float(hi), check + 2)[1:-1] if check else []:
        at = {**fixed, sym: sp.Rational(repr(float(t)))}
        with workdps(20):
            num = float(evaluate(quantity, at, dps=15).value)
            exact = float(mpmath.re(f(mpmath.mpf(float(t)))))
        if not math.isclose(num, exact, rel_tol=1e-8, abs_tol=1e-10):
            raise SymxentError(f"closed form {exact} and numeric definition {num} disagree "
                               f"at {sym} = {t}: not plotting a wrong curve")
        checked.append((t, num))
    if checked:
        ax.plot([c[0] for c in checked], [c[1] for c in checked], "o", color="C3",
                label="numeric definition (check)")
    ax.set_xlabel(f"${sp.latex(sym)}$")
    ax.set_ylabel(f"${sp.latex(quantity)}$")
    others = ", ".join(f"{s} = {v}" for s, v in sorted(fixed.items(), key=lambda i: str(i[0])))
    laws = ",  ".join(f"{rv} = {_law(describe(rv), {})}" for rv in rvs)
    ax.set_title(f"${sp.latex(quantity)}$" + (f" at {others}" if others else "") + "\n" + laws)
    ax.legend()
    fig.symxent_checked = checked
    return fig
