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

No closed form leaves unchecked: as in :mod:`symxent.measures` (same machinery,
same switch :func:`~symxent.measures.set_verify`, ``verify=`` per call), it is
compared with the definition evaluated by :mod:`symxent.numeric` at a random
admissible point (the laws' parameters by ``sample_point``; a symbolic order drawn
among 1/4, 1/2, 2/3, 3/2, 2, 3, negated for a real Amari order, excluded values
redrawn).  Disagreement: the unevaluated object with a :class:`VerificationWarning`;
undecided: the closed form with an :class:`UnverifiedWarning`.
"""
from __future__ import annotations

import warnings

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm
from sympy.stats.rv import RandomSymbol

from symxent import budget
from symxent.engine.canonical import canonical
from symxent.engine.core import NoClosedForm
from symxent.engine.mellin import mellin
from symxent.errors import MissingAssumptionError, ParameterError, UnsupportedError
from symxent.laws.support import describe, known_positive, support_bounds
from symxent import measures as _measures
from symxent.measures import (NoClosedFormWarning, UnverifiedWarning, VerificationWarning,
                              get_verify)

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
        with budget.budget():
            mellin(self.p, self.q, self._order_value(), tr)
            value = _closed_form(self, None, get_verify())[0]
        if value is None:
            raise NoClosedForm(f"no closed form for {self}")
        steps = [(rel, self._of_M(e) if e is not sp.oo else e, why) for rel, e, why in tr]
        if self.has_base and self.base != sp.E and value not in (sp.oo, -sp.oo):
            value = sp.piecewise_fold(value / sp.log(self.base))
        steps.append(("=", value, "the measure as a function of M; +oo where M diverges; "
                                  "logarithms of positive factors split; canonical form"))
        return steps

    # ---- printing: standard notation
    def _sub_text(self, printer):
        parts = []
        if self.order is not None:
            parts.append(printer._print(self.order))
        if self.has_base and self.base != sp.E:
            parts.append(f"base {printer._print(self.base)}")
        return "_" + ",".join(parts) if self.order is not None else (
            f"_{printer._print(self.base)}" if self.has_base and self.base != sp.E else "")

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
        a = _param(rest[0], "alpha (Amari)", (0, 1), positive=False)
        if a.is_number and not a.is_real:
            raise ParameterError("alpha must be real")
        if not a.is_number and a.is_real is not True:
            raise MissingAssumptionError(f"declare {a} real")
        return (a,)

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

def _real(e):
    """Real wherever defined: real symbols, no imaginary unit."""
    return e.is_real or (not e.has(sp.I) and all(s.is_real for s in e.free_symbols))


def _positive_in(e, facts, depth=0):
    """Is ``e`` positive, by assumptions, the facts, or its factors?"""
    if e.is_positive or (isinstance(e, sp.exp) and _real(e.args[0])):
        return True
    if e.is_Pow and e.exp.is_real:
        return _positive_in(e.base, facts, depth)
    if isinstance(e, (sp.gamma, sp.beta)):  # Gamma and Beta are positive for positive arguments
        return all(_positive_in(x, facts, depth) for x in e.args)
    if isinstance(e, sp.Mul):
        return all(_positive_in(f, facts, depth) for f in e.args)
    if known_positive(e, facts) is sp.true:
        return True
    if depth == 0 and isinstance(e, sp.Add):
        n, d = sp.fraction(sp.together(e))
        return _positive_in(sp.expand(n), facts, 1) and _positive_in(d, facts, 1) or \
            _positive_in(sp.expand(-n), facts, 1) and _positive_in(-d, facts, 1)
    return False


def safe_log(m, facts=()):
    """``log m`` split into a sum of logarithms only over factors known positive."""
    m = sp.sympify(m)
    if isinstance(m, sp.exp) and _real(m.args[0]):
        return m.args[0]
    if m.is_Pow and m.exp.is_real and _positive_in(m.base, facts):
        return m.exp * safe_log(m.base, facts)
    if isinstance(m, sp.Mul):
        if all(_positive_in(f.base if f.is_Pow else f, facts) or
               (isinstance(f, sp.exp) and _real(f.args[0])) for f in m.args):
            return sp.Add(*[safe_log(f, facts) for f in m.args])
    return sp.log(m)


def _cond_facts(cond):
    from sympy.core.relational import Relational
    if isinstance(cond, sp.And):
        return tuple(c for c in cond.args if isinstance(c, Relational))
    return (cond,) if isinstance(cond, Relational) else ()


def _map_f(M, finite, infinite, facts=()):
    """Apply ``finite(m, facts)`` to each finite branch of ``M`` (``facts``: the domain
    relations and the branch's condition) and ``infinite(cond)`` to the ``+oo`` branches."""
    if M.has(sp.Piecewise) and not isinstance(M, sp.Piecewise):
        M = sp.piecewise_fold(M)
    if isinstance(M, sp.Piecewise):
        out = []
        for v, c in M.args:
            out.append((infinite(c) if v is sp.oo else
                        _map_f(v, finite, infinite, facts + _cond_facts(c)), c))
        return sp.Piecewise(*out)
    if M is sp.oo:
        return infinite(sp.true)
    return finite(M, facts)


def _renyi(M, a, facts):
    def fin(m, fs):
        if m == 0:
            return sp.oo
        return safe_log(m, fs) / (a - 1)
    return _map_f(M, fin, lambda c: sp.oo, facts)


def _value(kind, rvs, order):
    from symxent.laws.domain import facts as domain_facts
    facts = domain_facts(*rvs)
    if order is not None and not isinstance(order, sp.Lambda) and order.free_symbols:
        facts = facts + (sp.Gt(order, 0),)

    def _map(M, fin, inf):
        return _map_f(M, fin, inf, facts)
    P = rvs[0]
    Q = rvs[1] if len(rvs) > 1 else None
    if kind == "renyi":
        return _renyi(_tidy(mellin(P, Q, order)), order, facts)
    if kind == "renyi_entropy":
        M = _tidy(mellin(P, None, order))
        return _map(M, lambda m, fs: safe_log(m, fs) / (1 - order),
                    lambda c: -sp.oo if order.is_number and order > 1 else sp.Piecewise(
                        (-sp.oo, order > 1), (sp.oo, True)))
    if kind == "tsallis":
        M = _tidy(mellin(P, None, order))
        return _map(M, lambda m, fs: (1 - m) / (order - 1),
                    lambda c: sp.Piecewise((-sp.oo, order > 1), (sp.oo, True))
                    if not order.is_number else (-sp.oo if order > 1 else sp.oo))
    if kind in ("bc", "bd", "hellinger"):
        M = _tidy(mellin(P, Q, sp.S.Half))
        if kind == "bc":
            return M
        if kind == "bd":
            return _map(M, lambda m, fs: sp.oo if m == 0 else -safe_log(m, fs),
                        lambda c: sp.oo)
        return _map(M, lambda m, fs: sp.sqrt(1 - m), lambda c: sp.nan)
    if kind == "chi2":
        M = _tidy(mellin(P, Q, sp.S(2)))
        return _map(M, lambda m, fs: m - 1, lambda c: sp.oo)
    if kind == "amari":
        M = _tidy(mellin(P, Q, order))
        return _map(M, lambda m, fs: (m - 1) / (order * (order - 1)), lambda c: sp.oo)
    if kind == "f":
        from symxent.engine.fdivergence import f_value
        return f_value(P, Q, order, facts)
    raise UnsupportedError(f"unknown measure {kind}")


def _tidy(M):
    """A shorter equal form of M: powers gathered (an identity for positive bases)."""
    def tidy(e):
        if e in (sp.oo, sp.S.Zero) or e.has(sp.Piecewise):
            return e
        cand = sp.powsimp(sp.factor_terms(e))
        return cand if sp.count_ops(cand) <= sp.count_ops(e) else e
    if isinstance(M, sp.Piecewise):
        return sp.Piecewise(*[(tidy(v), c) for v, c in M.args])
    return tidy(M)


def _canonical(value):
    """:func:`canonical` on each branch (the conditions stay as derived; canonical's
    mirror-branch merging, which solves for break points, is not needed here)."""
    if isinstance(value, sp.Basic) and value.has(sp.Piecewise) and \
            not isinstance(value, sp.Piecewise):
        value = sp.piecewise_fold(value)
    try:
        if isinstance(value, sp.Piecewise):
            return sp.Piecewise(*[(canonical(v), c) for v, c in value.args])
        return canonical(value)
    except NotImplementedError:
        return value


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
    against the definition by :func:`symxent.measures._check` unless ``verify`` is
    False.  Cached (in the measures' cache), except results cut short by the budget;
    a failed search is cached per budget."""
    order = m.f if m.kind == "f" else m.order
    total = budget.get_default_timeout() if timeout is None else float(timeout)
    cfg = (_measures._VERIFY["points"], _measures._VERIFY["dps"]) if verify else None
    key = ("divergence", m.kind, m.rvs, order, cfg)
    hit = _measures._cache_get(key) or _measures._cache_get(key + (total,))
    if hit is not None:
        return hit
    cacheable = True
    try:
        with budget.budget(timeout):
            value = _canonical(_value(m.kind, m.rvs, order))
            if isinstance(value, sp.Basic) and value.has(sp.nan, sp.zoo):
                out = (None, NoClosedFormWarning, "the engine's candidate is undefined (nan)")
            elif cfg is None:
                out = (value, None, "")
            elif m.kind == "f" and order.free_symbols:
                out = (value, UnverifiedWarning, "the closed form could not be checked "
                       "numerically: f has parameters of its own; it is returned unverified")
            else:
                status, msg, cacheable = _measures._check(
                    f"{m.kind}|{order}", m.p, m.q, value, *cfg, quantity=_nats(m),
                    extra=_order_sampler(m, order))
                if status == _measures.AGREE:
                    out = (value, None, "")
                elif status == _measures.MISMATCH:
                    out = (None, VerificationWarning,
                           f"the engine's candidate {value} failed its numeric check {msg}")
                else:
                    out = (value, UnverifiedWarning,
                           f"the closed form could not be checked numerically: {msg}; it is "
                           f"returned unverified")
        if out[0] is not None and m.kind != "f":  # boundary parameters (p = 1): stated
            def edge_of(subs):
                mb = type(m)(*[rv.xreplace(subs) for rv in m.rvs],
                             *((m.order,) if m.param_name is not None else ()))
                return _closed_form(mb, timeout, verify)[0]
            out = (_measures.state_boundaries(out[0], m.rvs, edge_of),) + out[1:]
    except NoClosedForm as e:
        out = (None, NoClosedFormWarning, f"no closed form found ({e})")
        key = key + (total,)
    except budget.BudgetExceeded:
        out = (None, NoClosedFormWarning,
               f"time budget of {timeout or budget.get_default_timeout()} s exceeded")
        cacheable = False
    if cacheable:
        _measures._cache_put(key, out)
    return out


def _evaluate(m, timeout=None, verify=None):
    if timeout is not None:
        budget.validate_timeout(timeout)
    verify = get_verify() if verify is None else verify
    if not isinstance(verify, bool):
        raise TypeError(f"verify must be True or False, got {verify!r}")
    value, warning, message = _closed_form(m, timeout, verify)
    if warning is not None:
        tail = "; returning it unevaluated" if value is None else ""
        warnings.warn(f"{m}: {message}{tail}", warning, stacklevel=3)
    if value is None:
        return m
    if m.has_base and m.base != sp.E and value not in (sp.oo, -sp.oo):
        value = sp.piecewise_fold(value / sp.log(m.base))
    return value


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
