r"""The divergence family: Renyi, Tsallis, Bhattacharyya, Hellinger, chi^2, Amari, f.

Every measure here is a function of one integral (sum for discrete laws),

.. math::  M_\alpha(P, Q) = \int p^\alpha q^{1-\alpha},

computed by :func:`symxent.engine.mellin.mellin` (kernel integrals, the
log-normaliser of an exponential family, power series), with the condition
under which it is finite:

* Renyi divergence  ``D_a(P||Q) = log M_a / (a - 1)`` (Renyi 1961), ``a > 0, a != 1``;
* Renyi entropy     ``H_a(P) = log(int p**a) / (1 - a)``;
* Tsallis entropy   ``S_q(P) = (1 - int p**q) / (q - 1)`` (Tsallis 1988);
* Bhattacharyya coefficient ``BC(P, Q) = M_{1/2} = int sqrt(p q)`` and distance
  ``D_B = -log BC`` (so ``D_{1/2} = -2 log BC``);
* Hellinger distance ``d_H(P, Q) = sqrt(1 - BC)``, i.e. the normalisation
  ``d_H**2 = (1/2) int (sqrt p - sqrt q)**2``, with values in ``[0, 1]``;
* Pearson chi^2     ``chi2(P||Q) = int p**2/q - 1 = M_2 - 1``;
* Amari alpha-divergence, in the Cichocki & Amari (2010) convention
  ``D_A^(a)(P||Q) = (M_a - 1) / (a (a - 1))``, ``a != 0, 1`` (Amari's original
  parameter is ``a' = 2a - 1``: ``4/(1 - a'**2) (1 - int p**((1-a')/2) q**((1+a')/2))``
  with the roles of P and Q exchanged); ``a -> 1`` gives D_KL;
* f-divergence      ``D_f(P||Q) = int q f(p/q)`` for a convex ``f`` with ``f(1) = 0``.

Each measure is an unevaluated SymPy object (``RenyiDivergence``, ...) whose
``doit()`` asks the engine; the functions (``renyi_divergence``, ...) do the
same in one call.  Values are cached, run under the time budget
(:mod:`symxent.budget`, ``timeout=``), and when no closed form is found the
unevaluated object comes back with a :class:`NoClosedFormWarning`.

No closed form leaves unchecked: the plumbing (cache, budget, the numeric check
against the definition evaluated by :mod:`symxent.numeric`, the warnings) is
:mod:`symxent.measures`' own (:func:`~symxent.measures._derive_checked`); a symbolic
order is drawn among 1/4, 1/2, 2/3, 3/2, 2, 3 (negated for a real Amari order,
excluded values redrawn).  The values from ``M`` are :mod:`symxent.engine.fdivergence`'s.
"""
from __future__ import annotations

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm
from sympy.stats.rv import RandomSymbol

from symxent import budget
from symxent.engine.core import NoClosedForm
from symxent.engine.fdivergence import canonical_branches, value as _value
from symxent.engine.mellin import mellin
from symxent.errors import MissingAssumptionError, ParameterError, UnsupportedError
from symxent.laws.support import describe, support_bounds
from symxent import measures as _measures
from symxent.measures import get_verify

__all__ = ["RenyiDivergence", "RenyiEntropy", "TsallisEntropy", "BhattacharyyaCoefficient",
           "BhattacharyyaDistance", "HellingerDistance", "Chi2Divergence", "AlphaDivergence",
           "FDivergence", "renyi_divergence", "renyi_entropy", "tsallis_entropy",
           "bhattacharyya_coefficient", "bhattacharyya_distance", "hellinger_distance",
           "chi2_divergence", "alpha_divergence", "f_divergence"]


def _param(value, name, excluded=(1,), positive=True):
    """Check the order parameter: a SymPy number or symbol, never a string."""
    if isinstance(value, str):
        raise UnsupportedError(f"{name} must be a SymPy number or symbol, not the string "
                               f"{value!r} (strings are never evaluated)")
    a = sp.sympify(value, strict=True)
    if not isinstance(a, sp.Expr) or a.has(RandomSymbol):
        raise UnsupportedError(f"{name} must be a number or a symbol, got {value!r}")
    if a.is_number:
        if not a.is_real:
            raise ParameterError(f"{name} must be real, got {a}")
        if positive and not a.is_positive:
            raise ParameterError(f"{name} must be positive, got {a}")
    elif positive and not a.is_positive:
        if a.is_nonpositive:
            raise ParameterError(f"{name} must be positive, got {a} (declared nonpositive)")
        raise MissingAssumptionError(
            f"cannot decide {name} = {a} > 0; declare it positive, e.g. "
            f"Symbol({str(a)!r}, positive=True)")
    elif a.is_real is not True:
        raise MissingAssumptionError(f"declare {a} real")
    for e in excluded:
        if a == e:
            raise ParameterError(_EXCLUDED.get((name, e), f"{name} = {e} is not allowed"))
    return a


_EXCLUDED = {
    ("alpha", 1): "alpha = 1 is not a Renyi order: D_1 is the KL divergence; use "
                  "kl_divergence(P, Q), or take the limit alpha -> 1 explicitly",
    ("alpha (Renyi entropy)", 1): "alpha = 1 is not a Renyi order: H_1 is the Shannon "
                                  "entropy; use entropy(P), or take the limit alpha -> 1",
    ("q", 1): "q = 1 is not a Tsallis index: S_1 is the Shannon entropy; use entropy(P), "
              "or take the limit q -> 1",
    ("alpha (Amari)", 1): "alpha = 1 is the KL divergence; use kl_divergence(P, Q)",
    ("alpha (Amari)", 0): "alpha = 0 is the reverse KL divergence; use kl_divergence(Q, P)",
}


class _Divergence(sp.Expr):
    """Base: args are the random variables, then the order parameter (if any), then the base."""

    kind = None
    n_rvs = 2
    param_name = None      # None: no order parameter
    has_base = False
    symbol = latex_symbol = None
    sep, latex_sep = ", ", ", "

    is_real = True
    is_commutative = True

    def __new__(cls, *args, base=None):
        rvs, rest = args[:cls.n_rvs], args[cls.n_rvs:]
        if len(rvs) != cls.n_rvs:
            raise UnsupportedError(f"{cls.__name__} takes {cls.n_rvs} random variable(s)")
        for a in rvs:
            if not isinstance(a, RandomSymbol):
                raise UnsupportedError(
                    f"{cls.__name__} takes sympy.stats random variables, got {a!r}")
        extra = list(cls._params(*rest))
        if cls.has_base:
            if isinstance(base, str):
                raise UnsupportedError("the logarithm base must be a number, not a string")
            base = sp.E if base is None else sp.sympify(base, strict=True)
            if not (base.is_positive and base != 1):
                raise ValueError(f"the logarithm base must be positive and not 1, got {base}")
            extra.append(base)
        elif base is not None:
            raise UnsupportedError(f"{cls.__name__} has no logarithm, so no base")
        return sp.Expr.__new__(cls, *rvs, *extra)

    @classmethod
    def _params(cls, *rest):
        if cls.param_name is None:
            if rest:
                raise UnsupportedError(f"{cls.__name__} takes no order parameter")
            return ()
        if len(rest) != 1:
            raise UnsupportedError(f"{cls.__name__} needs its order {cls.param_name}")
        return (_param(rest[0], cls.param_name, cls.excluded),)

    excluded = (1,)

    @property
    def rvs(self):
        return self.args[:self.n_rvs]

    @property
    def p(self):
        return self.args[0]

    @property
    def q(self):
        return self.args[1] if self.n_rvs == 2 else None

    @property
    def order(self):
        return self.args[self.n_rvs] if self.param_name is not None else None

    @property
    def base(self):
        return self.args[-1] if self.has_base else sp.E

    def doit(self, deep=False, timeout=None, verify=None, **hints):
        return _evaluate(self, timeout, verify)

    # ---- the definition, in terms of M = int p**a q**(1-a)
    def _order_value(self):
        return {"bc": sp.S.Half, "bd": sp.S.Half, "hellinger": sp.S.Half,
                "chi2": sp.S(2)}.get(self.kind, self.order)

    def _of_M(self, M):
        """The measure as a function of ``M`` (the definitions in the module docstring)."""
        a = self._order_value()
        scale = 1 if self.base == sp.E else sp.log(self.base)
        return {"renyi": lambda: sp.log(M) / (a - 1) / scale,
                "renyi_entropy": lambda: sp.log(M) / (1 - a) / scale,
                "tsallis": lambda: (1 - M) / (a - 1),
                "bc": lambda: M,
                "bd": lambda: -sp.log(M) / scale,
                "hellinger": lambda: sp.sqrt(1 - M),
                "chi2": lambda: M - 1,
                "amari": lambda: (M - 1) / (a * (a - 1))}[self.kind]()

    def _definition(self, kind_of_sum):
        if self.kind == "f":
            raise UnsupportedError("the f-divergence's definition is shown for P, Q only")
        dp = describe(self.p)
        if dp.kind not in ("continuous", "discrete"):
            raise UnsupportedError("the defining integral is shown for univariate laws only")
        x, a = dp.var, self._order_value()
        lo, hi = support_bounds(dp.support)
        if self.q is None:
            g = dp.pdf ** a
        else:
            dq = describe(self.q)
            g = dp.pdf ** a * dq.pdf.subs(dq.var, x) ** (1 - a)
        return self._of_M(kind_of_sum(g, (x, lo, hi)))

    def _eval_rewrite_as_Integral(self, *args, **kwargs):
        return self._definition(sp.Integral)

    def _eval_rewrite_as_Sum(self, *args, **kwargs):
        return self._definition(sp.Sum)

    def _symxent_trace(self):
        """Steps ``(relation, expr, why)`` from the definition to the closed form."""
        from symxent.engine.core import Trace
        if self.kind == "f":
            raise UnsupportedError("no step-by-step derivation for f-divergences yet")
        tr = Trace()
        a = self._order_value()
        if not a.is_positive:   # M_a(P, Q) = M_(1-a)(Q, P): the steps would not show p**a
            raise UnsupportedError("no step-by-step derivation for an order that may be <= 0 "
                                   "yet (declare it positive, or use alpha_divergence)")
        with budget.budget():
            mellin(self.p, self.q, a, tr)
            value = _closed_form(self, None, get_verify())[0]
        if value is None:
            raise NoClosedForm(f"no closed form for {self}")
        steps = [(rel, self._of_M(e) if e is not sp.oo else e, why) for rel, e, why in tr]
        steps.append(("=", _in_base(self, value), "the measure as a function of M; +oo where M diverges; "
                                  "logarithms of positive factors split; canonical form"))
        return steps

    # ---- printing: standard notation
    def _sub_text(self, printer):
        based = self.has_base and self.base != sp.E
        parts = ([printer._print(self.order)] if self.order is not None else []) + (
            [f"base {printer._print(self.base)}"] if based else [])
        return "_" + ",".join(parts) if self.order is not None else (
            f"_{printer._print(self.base)}" if based else "")

    def _sympystr(self, printer):
        inner = self.sep.join(printer._print(a) for a in self.rvs)
        return f"{self.symbol}{self._sub_text(printer)}({inner})"

    def _latex(self, printer):
        inner = self.latex_sep.join(printer._print(a) for a in self.rvs)
        sub = []
        if self.order is not None:
            sub.append(printer._print(self.order))
        if self.has_base and self.base != sp.E:
            sub.append(r"\log " + printer._print(self.base))
        s = "_{%s}" % ", ".join(sub) if sub else ""
        return rf"{self.latex_symbol}{s}\left({inner}\right)"

    def _pretty(self, printer):
        from sympy.printing.str import StrPrinter
        text = self._sympystr(StrPrinter())
        if printer._use_unicode:
            text = text.replace("||", "\N{DOUBLE VERTICAL LINE}").replace(
                "chi^2", "\N{GREEK SMALL LETTER CHI}\N{SUPERSCRIPT TWO}")
        return prettyForm(text)


class RenyiDivergence(_Divergence):
    """Renyi divergence of order alpha, ``D_alpha(P||Q) = log(int p**a q**(1-a)) / (a - 1)``."""

    kind, param_name, has_base = "renyi", "alpha", True
    symbol, latex_symbol = "D", "D"
    sep, latex_sep = " || ", r" \,\middle\|\, "


class RenyiEntropy(_Divergence):
    """Renyi entropy of order alpha, ``H_alpha(P) = log(int p**a) / (1 - a)``."""

    kind, n_rvs, param_name, has_base = "renyi_entropy", 1, "alpha (Renyi entropy)", True
    symbol, latex_symbol = "H", "H"


class TsallisEntropy(_Divergence):
    """Tsallis entropy of index q, ``S_q(P) = (1 - int p**q) / (q - 1)``."""

    kind, n_rvs, param_name = "tsallis", 1, "q"
    symbol, latex_symbol = "S", "S"


class BhattacharyyaCoefficient(_Divergence):
    """Bhattacharyya coefficient ``BC(P, Q) = int sqrt(p q)``."""

    kind, symbol, latex_symbol = "bc", "BC", r"\mathrm{BC}"


class BhattacharyyaDistance(_Divergence):
    """Bhattacharyya distance ``D_B(P, Q) = -log BC(P, Q)``."""

    kind, has_base, symbol, latex_symbol = "bd", True, "D_B", r"D_{\mathrm{B}}"

    def _sympystr(self, printer):
        b = "" if self.base == sp.E else f",{printer._print(self.base)}"
        return f"D_B{b}({printer._print(self.p)}, {printer._print(self.q)})"

    def _latex(self, printer):
        b = "" if self.base == sp.E else r",\log " + printer._print(self.base)
        return rf"D_{{\mathrm{{B}}{b}}}\left({printer._print(self.p)}, {printer._print(self.q)}\right)"


class HellingerDistance(_Divergence):
    """Hellinger distance ``d_H(P, Q) = sqrt(1 - BC(P, Q))``: normalised so that
    ``d_H**2 = (1/2) int (sqrt p - sqrt q)**2`` lies in ``[0, 1]``."""

    kind, symbol, latex_symbol = "hellinger", "d_H", r"d_{\mathrm{H}}"


class Chi2Divergence(_Divergence):
    """Pearson chi-squared divergence ``chi^2(P||Q) = int (p - q)**2 / q = int p**2/q - 1``."""

    kind, symbol, latex_symbol = "chi2", "chi^2", r"\chi^{2}"
    sep, latex_sep = " || ", r" \,\middle\|\, "


class AlphaDivergence(_Divergence):
    """Amari alpha-divergence (Cichocki & Amari 2010):
    ``D_A^(a)(P||Q) = (int p**a q**(1-a) - 1) / (a (a - 1))``, ``a != 0, 1``."""

    kind, param_name, excluded = "amari", "alpha (Amari)", (0, 1)
    symbol, latex_symbol = "D_A", r"D_{\mathrm{A}}"
    sep, latex_sep = " || ", r" \,\middle\|\, "

    @classmethod
    def _params(cls, *rest):
        if len(rest) != 1:
            raise UnsupportedError("AlphaDivergence needs its order alpha")
        return (_param(rest[0], "alpha (Amari)", (0, 1), positive=False),)

    def _latex(self, printer):
        inner = self.latex_sep.join(printer._print(a) for a in self.rvs)
        return rf"D_{{\mathrm{{A}}}}^{{({printer._print(self.order)})}}\left({inner}\right)"


class FDivergence(_Divergence):
    """f-divergence ``D_f(P||Q) = int q f(p/q)`` for a convex ``f`` with ``f(1) = 0``."""

    kind, param_name = "f", "f"
    symbol, latex_symbol = "D_f", "D_{f}"
    sep, latex_sep = " || ", r" \,\middle\|\, "

    @classmethod
    def _params(cls, *rest):
        if len(rest) != 1:
            raise UnsupportedError("FDivergence needs its function f (a SymPy Lambda)")
        from symxent.engine.fdivergence import check_f
        return (check_f(rest[0]),)

    @property
    def order(self):
        return None

    @property
    def f(self):
        return self.args[2]


# ------------------------------------------------------------ evaluation

_ORDERS = tuple(sp.Rational(n, d) for n, d in ((1, 4), (1, 2), (2, 3), (3, 2), (2, 1), (3, 1)))


def _order_sampler(m, order):
    """``extra(rng)`` for :func:`symxent.measures._check`: values of the order's own
    symbols (not the laws' parameters) at which the order is admissible -- positive
    (real for Amari's alpha) and not excluded; ``None`` when the order has none."""
    if order is None or isinstance(order, sp.Lambda):
        return None
    params = {s for rv in m.rvs for s in describe(rv).params}
    syms = sorted(order.free_symbols - params, key=str)
    if not syms:
        return None

    def draw(rng):
        for _ in range(200):
            point = {s: (-1 if s.is_positive is not True and rng.random() < 0.25 else 1)
                     * rng.choice(_ORDERS) for s in syms}
            a = order.xreplace(point)
            if a.is_real and (a.is_positive or m.kind == "amari") and \
                    all(a != e for e in m.excluded):
                return point
        raise ParameterError(f"no admissible value of the order {order}")
    return draw


def _nats(m):
    """The measure in nats (what the closed form computes; no logarithm base)."""
    if not m.has_base or m.base == sp.E:
        return m
    return type(m)(*m.rvs, *((m.order,) if m.param_name is not None else ()))


def _closed_form(m, timeout, verify):
    """``(value, warning class, message)``: the closed form (nats) or None, checked
    against the definition by :func:`symxent.measures._check` unless ``verify`` is False
    (the plumbing, cache included, is :func:`symxent.measures._derive_checked`)."""
    order = m.f if m.kind == "f" else m.order

    def check(value, points, dps):
        if m.kind == "f" and order.free_symbols:
            return _measures.UNDECIDED, "f has parameters of its own", True
        return _measures._check(f"{m.kind}|{order}", m.p, m.q, value, points, dps,
                                quantity=_nats(m), extra=_order_sampler(m, order))
    return _measures._derive_checked(("divergence", m.kind, m.rvs, order), timeout, verify,
                                     lambda: canonical_branches(_value(m.kind, m.rvs, order)),
                                     check)


def _in_base(m, value):
    if m.has_base and m.base != sp.E and value not in (sp.oo, -sp.oo):
        return sp.piecewise_fold(value / sp.log(m.base))
    return value


def _evaluate(m, timeout=None, verify=None):
    value = _measures._answer(m, timeout, verify, _closed_form)
    return m if value is None else _in_base(m, value)


def renyi_divergence(P, Q, alpha, base=None, *, timeout=None, verify=None):
    """``D_alpha(P||Q)``; alpha a positive number other than 1, or a positive symbol
    (taken to differ from 1).  A ``Piecewise`` with the finiteness condition."""
    return _evaluate(RenyiDivergence(P, Q, alpha, base=base), timeout, verify)


def renyi_entropy(P, alpha, base=None, *, timeout=None, verify=None):
    """``H_alpha(P) = log(int p**alpha) / (1 - alpha)``."""
    return _evaluate(RenyiEntropy(P, alpha, base=base), timeout, verify)


def tsallis_entropy(P, q, *, timeout=None, verify=None):
    """``S_q(P) = (1 - int p**q) / (q - 1)``."""
    return _evaluate(TsallisEntropy(P, q), timeout, verify)


def bhattacharyya_coefficient(P, Q, *, timeout=None, verify=None):
    """``BC(P, Q) = int sqrt(p q)`` (in [0, 1])."""
    return _evaluate(BhattacharyyaCoefficient(P, Q), timeout, verify)


def bhattacharyya_distance(P, Q, base=None, *, timeout=None, verify=None):
    """``D_B(P, Q) = -log BC(P, Q)`` (``= D_{1/2}(P||Q) / 2``)."""
    return _evaluate(BhattacharyyaDistance(P, Q, base=base), timeout, verify)


def hellinger_distance(P, Q, *, timeout=None, verify=None):
    """``d_H(P, Q) = sqrt(1 - BC(P, Q))``, the normalisation with
    ``d_H**2 = (1/2) int (sqrt p - sqrt q)**2`` in ``[0, 1]`` (some authors omit the 1/2)."""
    return _evaluate(HellingerDistance(P, Q), timeout, verify)


def chi2_divergence(P, Q, *, timeout=None, verify=None):
    """Pearson ``chi^2(P||Q) = int p**2/q - 1`` (``= exp(D_2(P||Q)) - 1``)."""
    return _evaluate(Chi2Divergence(P, Q), timeout, verify)


def alpha_divergence(P, Q, alpha, *, timeout=None, verify=None):
    """Amari alpha-divergence, Cichocki-Amari convention
    ``(int p**alpha q**(1-alpha) - 1) / (alpha (alpha - 1))``, alpha real, not 0 or 1."""
    return _evaluate(AlphaDivergence(P, Q, alpha), timeout, verify)


def f_divergence(P, Q, f, *, timeout=None, verify=None):
    """``D_f(P||Q) = int q f(p/q)`` for ``f`` a SymPy ``Lambda``, convex on t > 0 with
    ``f(1) = 0``.  Closed form when ``f`` is a combination of ``t**s``, ``t log t``,
    ``log t`` (and constants); otherwise the unevaluated object."""
    return _evaluate(FDivergence(P, Q, f), timeout, verify)
