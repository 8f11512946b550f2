r"""The three measures: entropy, cross-entropy and Kullback-Leibler divergence.

For random variables P, Q with densities (or mass functions) p, q:

.. math::

    S(P) = -E_P[\log p], \qquad H(P, Q) = -E_P[\log q], \qquad
    D_{KL}(P \| Q) = E_P[\log p - \log q] = H(P, Q) - S(P).

H and D_KL are ``+oo`` when P gives mass where q vanishes.  With ``base`` b
every value is divided by ``log b`` (bits for b = 2).

:class:`Entropy`, :class:`CrossEntropy` and :class:`KLDivergence` are
unevaluated SymPy expressions (printing as S, H and D_KL); ``.doit()`` asks the
engine for a closed form.  The functions :func:`entropy`,
:func:`cross_entropy` and :func:`kl_divergence` do the same in one call.  When
no closed form is found within the time budget the unevaluated object comes
back, with a :class:`NoClosedFormWarning`; never a guess.
"""
from __future__ import annotations

import warnings
from functools import lru_cache

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm

from symxent import budget
from symxent.errors import UnsupportedError
from symxent.laws.support import describe, support_bounds
from symxent.engine.canonical import canonical
from symxent.engine.core import NoClosedForm, compute

__all__ = ["Entropy", "CrossEntropy", "KLDivergence", "entropy", "cross_entropy",
           "kl_divergence", "NoClosedFormWarning"]


class NoClosedFormWarning(UserWarning):
    """No closed form was found (or the time budget ran out)."""


class _Measure(sp.Expr):
    kind = None
    symbol = None
    latex_symbol = None

    is_real = True
    is_commutative = True

    def __new__(cls, *args, base=sp.E):
        args = [sp.sympify(a) for a in args]
        from sympy.stats.rv import RandomSymbol
        for a in args:
            if not isinstance(a, RandomSymbol):
                raise UnsupportedError(
                    f"{cls.__name__} takes sympy.stats random variables, got {a!r}")
        base = sp.E if base is None else sp.sympify(base)
        if not (base.is_positive and base != 1):
            raise ValueError(f"the logarithm base must be positive and not 1, got {base}")
        return sp.Expr.__new__(cls, *args, base)

    @property
    def p(self):
        return self.args[0]

    @property
    def q(self):
        return self.args[1] if len(self.args) == 3 else None

    @property
    def base(self):
        return self.args[-1]

    @property
    def rvs(self):
        return self.args[:-1]

    def doit(self, deep=False, timeout=None, **hints):
        return _evaluate(self, timeout)

    # ---- printing
    def _sub(self):
        return "" if self.base == sp.E else f"_{self.base}"

    def _sympystr(self, printer):
        inner = self.sep.join(printer._print(a) for a in self.rvs)
        return f"{self.symbol}{self._sub()}({inner})"

    def _latex(self, printer):
        inner = self.latex_sep.join(printer._print(a) for a in self.rvs)
        sub = "" if self.base == sp.E else "_{%s}" % printer._print(self.base)
        return rf"{self.latex_symbol}{sub}\left({inner}\right)"

    def _pretty(self, printer):
        inner = self.sep.join(str(a) for a in self.rvs)
        text = f"{self.symbol}{self._sub()}({inner})"
        if printer._use_unicode:
            text = text.replace("||", "\N{DOUBLE VERTICAL LINE}")
        return prettyForm(text)

    # ---- the defining integral or sum
    def _definition(self, kind_of_sum):
        dp = describe(self.p)
        if dp.kind not in ("continuous", "discrete", "finite"):
            raise UnsupportedError("the defining integral is shown for univariate laws only")
        x = dp.var
        p = dp.pdf if dp.kind != "finite" else sp.Function("p")(x)
        q = p
        if self.q is not None:
            dq = describe(self.q)
            q = dq.pdf.subs(dq.var, x) if dq.kind != "finite" else sp.Function("q")(x)
        g = {"entropy": -sp.log(p), "cross_entropy": -sp.log(q),
             "kl": sp.log(p) - sp.log(q)}[self.kind] * p
        if dp.kind == "finite":
            return sp.Add(*[g.subs(x, v).subs({sp.Function("p")(v): pv}) for v, pv in
                            dp.values.items()])
        lo, hi = support_bounds(dp.support)
        out = kind_of_sum(g, (x, lo, hi))
        return out if self.base == sp.E else out / sp.log(self.base)

    def _eval_rewrite_as_Integral(self, *args, **kwargs):
        return self._definition(sp.Integral)

    def _eval_rewrite_as_Sum(self, *args, **kwargs):
        return self._definition(sp.Sum)


class Entropy(_Measure):
    """Shannon (differential) entropy ``S(P) = -E_P[log p]``."""

    kind, symbol, latex_symbol, sep, latex_sep = "entropy", "S", "S", ", ", ", "

    def __new__(cls, p, base=sp.E):
        return super().__new__(cls, p, base=base)


class CrossEntropy(_Measure):
    """Cross-entropy ``H(P, Q) = -E_P[log q]``."""

    kind, symbol, latex_symbol, sep, latex_sep = "cross_entropy", "H", "H", ", ", ", "

    def __new__(cls, p, q, base=sp.E):
        return super().__new__(cls, p, q, base=base)


class KLDivergence(_Measure):
    """Kullback-Leibler divergence ``D_KL(P || Q) = E_P[log p - log q]``."""

    kind, symbol, latex_symbol = "kl", "D_KL", r"D_{\mathrm{KL}}"
    sep, latex_sep = " || ", r" \,\middle\|\, "

    def __new__(cls, p, q, base=sp.E):
        return super().__new__(cls, p, q, base=base)


@lru_cache(maxsize=4096)
def _closed_form(kind, p, q, timeout):
    """(value, None) or (None, reason); cached, so warm calls are instant."""
    try:
        with budget.budget(timeout):
            return canonical(compute(kind, p, q)), None
    except NoClosedForm as e:
        return None, f"no closed form found ({e})"
    except budget.BudgetExceeded:
        return None, f"time budget of {timeout or budget.get_default_timeout()} s exceeded"


def _evaluate(m, timeout=None):
    if timeout is not None:  # refused at the call, before the cache sees it
        budget.validate_timeout(timeout)
    value, reason = _closed_form(m.kind, m.p, m.q, timeout)
    if value is None:
        warnings.warn(f"{m}: {reason}; returning it unevaluated", NoClosedFormWarning,
                      stacklevel=3)
        return m
    if m.base != sp.E:
        value = value / sp.log(m.base)
    return value


def entropy(p, base=None, *, timeout=None):
    """``S(P)`` in closed form (nats, or the given ``base``)."""
    return _evaluate(Entropy(p, base=base), timeout)


def cross_entropy(p, q, base=None, *, timeout=None):
    """``H(P, Q)`` in closed form (nats, or the given ``base``)."""
    return _evaluate(CrossEntropy(p, q, base=base), timeout)


def kl_divergence(p, q, base=None, *, timeout=None):
    """``D_KL(P || Q)`` in closed form (nats, or the given ``base``)."""
    return _evaluate(KLDivergence(p, q, base=base), timeout)
