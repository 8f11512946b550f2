"""The engine: S, H and D_KL from the definitions, step by step.

``compute(kind, P, Q)`` follows one path for every input:

1. *Definition.*  ``S(P) = -E_P[log p]``, ``H(P,Q) = -E_P[log q]``,
   ``D_KL(P||Q) = E_P[log p - log q]``.
2. *Support.*  If P's support is not inside Q's, H and D_KL are ``+oo``; when
   containment depends on the parameters the result is a ``Piecewise``.
3. *Log-density features.*  ``log p`` and ``log q`` are expanded into
   features of ``x`` (see :mod:`symxent.engine.logform`); common features cancel.
4. *Linearity.*  The expectation splits over the features.
5. *Expectations.*  Each ``E_P[feature]`` comes from the exponential-family
   structure of P (:mod:`symxent.engine.expfamily`) or the kernel rules
   (:mod:`symxent.engine.expectation`), else SymPy's integration or summation under
   the time budget, else nothing: the caller returns the unevaluated object.
6. *Canonical form* (:mod:`symxent.engine.canonical`).

Each step is recorded as ``(relation, expression, justification)``: the chain
:func:`trace` returns and :func:`symxent.derivation.core.derive` renders.
"""
from __future__ import annotations

from types import FunctionType

import sympy as sp
# SymPy imports these lazily on first use: sympy.tensor.tensor (and with it
# sympy.combinatorics) inside the first Add of a session, the integrators
# inside the first ``integrate``; about 0.2 s together.  Imported here so that
# this cost is paid by ``import symxent`` and not inside the first call's time
# budget (an alarm must not interrupt a module half-way through its import).
import sympy.integrals.heurisch  # noqa: F401
import sympy.integrals.manualintegrate  # noqa: F401
import sympy.integrals.risch  # noqa: F401
import sympy.tensor.tensor  # noqa: F401
from sympy.core.relational import Relational

from symxent import budget
from symxent.engine.canonical import canonical
from symxent.laws.domain import facts as domain_facts, validate
from symxent.engine.expectation import NoClosedForm, Region, integral_steps, split_cases
from symxent.engine.rulebase import attempt
from symxent.engine.sympy_rules import fallback_pool
from symxent.engine.expfamily import detect
from symxent.engine.logform import LogForm, log_terms
from symxent.engine.multivariate import dirichlet, dispatch, mvnormal
from symxent.laws.support import describe, support_bounds, support_contains, known_le
from symxent.errors import UnsupportedError
from symxent.engine.validation import check_density
from symxent.laws.boundary import atom_sum

__all__ = ["compute", "trace", "NoClosedForm"]


class Trace(list):
    """Steps ``(relation, expr, justification)`` of one computation.

    ``expr`` and ``why`` may be given as functions of no argument that make them:
    a step costly to display (an unevaluated integral, a justification quoting the
    expectations) is then built only when it is recorded, never for
    :data:`NO_TRACE`, which drops its steps.  :meth:`fork` gives an empty trace of
    the same kind, for steps to be summarised before they are recorded.
    """

    def step(self, expr, why, rel="="):
        if isinstance(expr, FunctionType):
            expr = expr()
        if isinstance(why, FunctionType):
            why = why()
        self.append((rel, expr, why))

    def fork(self):
        return Trace()


class Why(str):
    """A justification: its text, and ``facts``, the ``(expectation, value,
    reasons)`` it quotes (``expectation`` a feature of the random variable), so
    that renderers can typeset them (:mod:`symxent.derivation.paper`)."""

    facts = ()

    def __new__(cls, text, facts=()):
        why = super().__new__(cls, text)
        why.facts = tuple(facts)
        return why


class _NoTrace(Trace):
    def step(self, expr, why, rel="="):
        pass

    def fork(self):
        return self


NO_TRACE = _NoTrace()


def compute(kind, p, q=None, tr=None):
    """Closed form of ``kind`` in {entropy, cross_entropy, kl}, or raise NoClosedForm.

    Its SymPy fallbacks share one pool of time (:func:`fallback_pool`)."""
    with fallback_pool():
        return _compute(kind, p, q, tr)


def _compute(kind, p, q, tr):
    tr = NO_TRACE if tr is None else tr
    special = dispatch(kind, p, q, tr, compute)  # products, matrix forms, sizes (multivariate)
    if special is not None:
        return special
    dp = describe(p)
    dq = describe(q) if q is not None else dp
    for rv in {p, q} - {None}:
        validate(rv)
        check_density(describe(rv))
    if (dp.kind in ("continuous",)) != (dq.kind in ("continuous",)):
        raise UnsupportedError(
            f"cannot compare the {dp.kind} {p} with the {dq.kind} {q}: "
            "one is continuous and the other discrete")
    facts = domain_facts(*[rv for rv in (p, q) if rv is not None])
    if dp.kind == "mvnormal" or dq.kind == "mvnormal":
        return mvnormal(kind, dp, dq, tr)
    if dp.kind == "dirichlet" or dq.kind == "dirichlet":
        return dirichlet(kind, dp, dq, tr)
    if dp.kind == "finite":
        return _finite(kind, dp, dq, facts, tr)
    return _univariate(kind, dp, dq, facts, tr)


# ------------------------------------------------------------ definitions

def _integrand(kind, lp, lq):
    if kind == "entropy":
        return -lp
    if kind == "cross_entropy":
        return -lq
    return lp - lq


_DEF = {"entropy": "definition of S", "cross_entropy": "definition of H",
        "kl": "definition of D_KL"}


def _expectation(expr, rv, x):
    """``E_P[expr]`` shown unevaluated, with the random variable in place of x."""
    from sympy.stats import Expectation
    return Expectation(expr.subs(x, rv), evaluate=False) if expr.has(x) else expr


# ------------------------------------------------------------ finite

def _finite(kind, dp, dq, facts, tr):
    """Sum over the atoms (:func:`symxent.laws.boundary.atom_sum`: right where a
    symbolic mass vanishes, 0 log 0 = 0, and +oo where P(x) > 0 = Q(x))."""
    def term(pv, qv):
        lp = sp.Add(*log_terms(pv, sp.Dummy(), -sp.oo, sp.oo, facts))
        lq = sp.Add(*log_terms(qv, sp.Dummy(), -sp.oo, sp.oo, facts))
        return pv * _integrand(kind, lp, lq)
    atoms = [(v, pv, _mass_at(dq, v) if kind != "entropy" else pv)
             for v, pv in dp.values.items() if sp.sympify(pv) != 0]
    total = atom_sum(kind, atoms, term)
    tr.step(total, "sum over the finitely many atoms (0 log 0 = 0)" if total != sp.oo
            else "P puts mass where Q has none")
    return total


def _mass_at(d, v):
    if d.kind == "finite":
        return sp.sympify(d.values.get(v, 0))
    if d.kind == "discrete":
        lo, hi = support_bounds(d.support)
        inside = sp.And(known_le(lo, v), known_le(v, hi))
        if inside is sp.false:
            return sp.S.Zero
        return d.pdf.subs(d.var, v)
    raise UnsupportedError(f"cannot take the mass of {d.rv} at {v}")


# ------------------------------------------------------------ univariate

def _univariate(kind, dp, dq, facts, tr):
    x = dp.var
    p = dp.pdf
    if kind != "entropy" and dq.kind == "finite":
        return _finite_q(kind, dp, dq, facts, tr)
    q = dq.pdf.subs(dq.var, x) if kind != "entropy" else p
    lo, hi = support_bounds(dp.support)
    sym = sp.Sum if dp.kind == "discrete" else sp.Integral
    tr.step(lambda: sym(_integrand(kind, sp.log(p), sp.log(q)) * p, (x, lo, hi)), _DEF[kind])
    cond = sp.true
    if kind != "entropy":
        cond = support_contains(dp.support, dq.support, facts)
        if cond is sp.false:
            tr.step(sp.oo, f"the support of {dp.rv} is not inside that of {dq.rv}")
            return sp.oo
        if cond is not sp.true:
            facts = facts + tuple(c for c in (cond.args if isinstance(cond, sp.And) else [cond])
                                  if isinstance(c, Relational))
    value = _cases(kind, dp, p, q, x, lo, hi, facts, tr)
    if cond is not sp.true:
        value = sp.Piecewise((value, cond), (sp.oo, True))
        tr.step(value, "+oo where the support of P is not inside that of Q")
    return value


def _cases(kind, dp, p, q, x, lo, hi, facts, tr):
    """Split P's support at the break points of p (Abs/Piecewise)."""
    return split_cases(p, x, lo, hi, facts,
                       lambda pcs, fs: _on_pieces(kind, dp, q, x, pcs, fs, tr))


def _on_pieces(kind, dp, q, x, pcs, facts, tr):
    total = sp.S.Zero
    single = len(pcs) == 1
    sub = tr if single else tr.fork()  # several pieces: one step for their sum
    parts = []
    for (pi, a, b) in pcs:
        if pi == 0:
            continue
        qi = pi if kind == "entropy" else q
        v = _piece(kind, dp, pi, qi, x, a, b, facts, sub, single)
        parts.append((pi, qi, a, b))
        total += v
    if not single:
        tr.step(lambda: sp.Add(*[sp.Integral(_integrand(kind, sp.log(pi), sp.log(qi)) * pi,
                                             (x, a, b)) for pi, qi, a, b in parts]),
                "split the support at the break points of the density")
        tr.step(total, lambda: Why("; ".join(dict.fromkeys(why for _, _, why in sub)),
                                   [f for _, _, why in sub for f in getattr(why, "facts", ())]))
    return total


def _piece(kind, dp, p, q, x, a, b, facts, tr, normalized):
    Lp = LogForm.of_density(p, x, a, b, facts)
    lq = LogForm.of_density(q, x, a, b, facts).expr() if kind != "entropy" else Lp.expr()
    g = sp.expand(_integrand(kind, Lp.expr(), lq))
    if dp.kind == "discrete":
        return _discrete_expectation(dp, p, Lp, g, x, a, b, facts, tr)
    tr.step(lambda: _linear_display(g, dp.rv, x, normalized, a, b, Lp),
            "log-density expanded into features; linearity of expectation")
    value, step = integral_steps(Region(Lp, a, b, facts, normalized), g)
    tr.step(value, lambda: _justification(step, dp.rv, x, normalized))
    return value


def _justification(step, rv, x, normalized):
    """The reasons of an expectation's step tree: on a normalised region each
    feature's expectation with the rules that gave it (a :class:`Why` quoting them),
    else the rules used."""
    if normalized and step.children:  # no mass step: the features' steps
        found = [(c.target.subs(x, rv), c.value, tuple(c.reasons())) for c in step.children]
        return Why("; ".join(f"E[{sp.sstr(f)}] = {sp.sstr(v)} ({', '.join(r)})"
                             for f, v, r in found), found)
    return "; ".join(step.reasons()) or "integration"


def _linear_display(g, rv, x, normalized, a, b, Lp):
    G = LogForm.from_terms([g], x)
    if not normalized:
        return sp.Integral(sp.exp(Lp.expr()) * g, (x, a, b))
    return G.const + sp.Add(*[c * _expectation(f, rv, x) for f, c in G.coeff.items()])


# ------------------------------------------------------------ discrete

def _discrete_expectation(dp, pmf, Lp, g, k, lo, hi, facts, tr):
    G = LogForm.from_terms([g], k)
    tr.step(lambda: G.const + sp.Add(*[c * _expectation(f, dp.rv, k)
                                       for f, c in G.coeff.items()]),
            "log-mass expanded into features; linearity of expectation")
    fixed = set()
    for e in (lo, hi):
        fixed |= sp.sympify(e).free_symbols
    ef = detect([Lp.expr()], [k], dp.params, fixed)
    means = ef.mean_statistics() if ef is not None else {}
    total = G.const
    why = set()
    for f, c in G.coeff.items():
        budget.check()
        if f in means:
            total += c * means[f]
            why.add("expected sufficient statistics = gradient of the log-normaliser")
            continue
        term = pmf * f
        s = sp.Sum(term, (k, lo, hi))
        v = _summation(s, k, lo, f, facts)
        if v is None:
            v = s
            why.add("residual series kept exactly")
        else:
            why.add("summation")
        total += c * v
    tr.step(total, "; ".join(sorted(why)) or "summation")
    return total


def _summation(s, k, lo, f, facts):
    """``s.doit()`` in closed form, or None.

    When SymPy leaves the series, the summand is tried again with Beta and
    factorial functions written as Gamma functions: a hypergeometric series then
    sums by Gauss's theorem, ``2F1(a, b; c; 1) = G(c)G(c-a-b)/(G(c-a)G(c-b))`` for
    ``c - a - b > 0`` (DLMF 15.4.20), which SymPy returns as a Piecewise over that
    convergence condition.  Where the series diverges and its terms are
    non-negative (``f >= 0`` on the support), the sum is ``+oo``.
    """
    tries = [s]
    special = (sp.beta, sp.factorial, sp.binomial, sp.RisingFactorial)
    if s.function.has(*special) and not any(lg.has(*special)
                                            for lg in s.function.atoms(sp.log)):
        # first: SymPy sums Gamma ratios much faster than Beta functions
        tries.insert(0, sp.Sum(s.function.rewrite(sp.gamma), *s.limits))
    for t in tries:
        v = None
        with attempt(budget.share(0.2, 3) if len(tries) > 1 else 2):
            v = t.doit()
        if v is None:
            continue
        v = _resolve_by_facts(sp.piecewise_fold(v), facts)
        if isinstance(v, sp.Piecewise) and len(v.args) == 2 and v.args[1][1] is sp.true \
                and v.args[1][0].has(sp.Sum) and not v.args[0][0].has(sp.Sum) \
                and _nonnegative_on(f, k, lo):
            v = sp.Piecewise((sp.gammasimp(v.args[0][0]), v.args[0][1]), (sp.oo, True))
        if not v.has(sp.Sum) and not (v.has(sp.Piecewise) and not _oo_guard(v)):
            return v
    return None


def _nonnegative_on(f, k, lo):
    kp = sp.Dummy("k", integer=True, nonnegative=True)
    return known_le(0, lo) is sp.true and f.subs(k, kp).is_nonnegative is True


def _oo_guard(v):
    """``Piecewise((value, cond), (oo, True))``: a convergence guard."""
    return isinstance(v, sp.Piecewise) and len(v.args) == 2 and v.args[1] == (sp.oo, sp.true)


def _resolve_by_facts(v, facts):
    """Pick Piecewise branches whose conditions are among the known facts."""
    known = set(facts)

    def holds(c):
        if c is sp.true:
            return True
        if isinstance(c, sp.And):
            return all(holds(a) for a in c.args)
        return c in known or c.reversed in known if isinstance(c, Relational) else False

    def refuted(c):
        return isinstance(c, Relational) and (c.negated in known or c.reversed.negated in known)

    def pick(pw):
        for e, c in pw.args:
            if holds(c):  # the default branch only after every earlier one is refuted
                return e
            if not refuted(c):
                return pw
        return pw
    return v.replace(lambda a: isinstance(a, sp.Piecewise), pick)


def _finite_q(kind, dp, dq, facts, tr):
    lo, hi = support_bounds(dp.support)
    if not hi.is_finite or not lo.is_finite:
        tr.step(sp.oo, f"{dp.rv} has infinitely many atoms, {dq.rv} finitely many")
        return sp.oo
    raise NoClosedForm("a discrete law with a symbolic range against a finite one")


def trace(quantity):
    """The steps the engine follows for an unevaluated quantity."""
    tr = Trace()
    with budget.budget():
        value = compute(quantity.kind, quantity.p, quantity.q, tr)
    final = canonical(value)
    tr.step(final, "canonical form")
    if quantity.base != sp.E:  # every step in the requested unit: divide by log(base)
        scale = sp.log(quantity.base)
        steps = [(rel, e / scale if e not in (sp.oo, -sp.oo) else e, why)
                 for rel, e, why in tr]
        return steps[:-1] + [(steps[-1][0], steps[-1][1], f"canonical form, in base "
                                                           f"{quantity.base}")]
    return list(tr)
