"""Support handling: what a ``sympy.stats`` random variable *is*, in plain terms.

``describe(X)`` turns a random symbol into a :class:`Dist`: the density (or mass
function) as an expression in a fresh variable, the support as an interval or a
range, the parameters, and the family name.  Everything downstream (the
expectation engine, the numeric checks, the parameter sampler) works on
``Dist`` objects, never on ``sympy.stats`` internals.

Known defects of ``sympy.stats`` that are corrected here, each with its reason:

* ``Kumaraswamy(a, b)`` declares its support as ``(0, oo)``, but its density
  ``a*b*x**(a-1)*(1-x**a)**(b-1)`` is a density on ``(0, 1)`` only (Kumaraswamy
  1980; Jones 2009, eq. 1.1).  Outside ``(0, 1)`` the expression is not even
  real for non-integer ``b``.  We use ``Interval(0, 1)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp
from sympy.core.relational import Relational
from sympy.stats.rv import RandomSymbol

from symxent.errors import UnsupportedError

__all__ = ["Dist", "describe", "support_contains", "pieces"]

# a Binomial with a numeric n above this is a discrete law with a mass function, not a
# table of n + 1 atoms (the engine derives it with n symbolic: cost independent of n)
LARGE_COUNT = 12

# family name -> corrected support (see module docstring)
_SUPPORT_FIXES = {"Kumaraswamy": sp.Interval(0, 1)}


@dataclass(frozen=True)
class Dist:
    """A distribution in plain terms.

    ``kind`` is one of ``continuous``, ``discrete``, ``finite``, ``mvnormal``,
    ``dirichlet``, and for laws only :mod:`symxent.engine.multivariate` handles:
    ``mvnormal_matrix`` (symbolic dimension), ``product`` (independent factors),
    ``multinomial``, ``multivariatet``.  For ``continuous``/``discrete`` kinds ``pdf`` is an
    expression in ``var`` valid on ``support`` (Piecewise guards removed where
    they only restate the support).  For ``finite`` kinds ``values`` maps each
    atom to its probability.  For ``mvnormal`` ``mean``/``cov`` are matrices;
    for ``dirichlet`` ``alpha`` is a tuple.
    """

    kind: str
    family: str
    rv: object
    var: object = None
    pdf: object = None
    support: object = None
    params: tuple = ()
    values: dict = field(default=None, hash=False, compare=False)
    mean: object = None
    cov: object = None
    alpha: tuple = ()
    handmade: bool = False

    @property
    def name(self):
        return str(self.rv)


def _family(dist) -> str:
    name = type(dist).__name__
    return name[: -len("Distribution")] if name.endswith("Distribution") else name


def _params(dist) -> tuple:
    syms = set()
    for a in dist.args:
        if isinstance(a, sp.Basic):
            syms |= a.free_symbols
        elif isinstance(a, (list, tuple)):
            for b in a:
                syms |= sp.sympify(b).free_symbols
    return tuple(sorted(syms, key=str))


MAX_UNIFORM_SUM = 12


def _irwin_hall_pieces(n, x, pdf):
    """SymPy's UniformSum density ``sum_{k <= floor(x)} (-1)^k C(n, k) (x - k)^(n-1)
    / (n-1)!`` as the Piecewise of its polynomial pieces on [j, j + 1) (a sum up to
    ``floor(x)`` is a piecewise polynomial; the engine splits at the breaks).  Only
    for a numeric n (at most MAX_UNIFORM_SUM pieces); otherwise unchanged."""
    if not (getattr(n, "is_Integer", False) and 1 <= n <= MAX_UNIFORM_SUM):
        return pdf
    n = int(n)
    pieces, acc = [], sp.S.Zero
    for j in range(n):
        acc += (-1) ** j * sp.binomial(n, j) * (x - j) ** (n - 1) / sp.factorial(n - 1)
        pieces.append((sp.expand(acc), x < j + 1))
    pieces[-1] = (pieces[-1][0], True)
    return sp.Piecewise(*pieces)


@lru_cache(maxsize=512)
def describe(rv) -> Dist:
    """Describe a ``sympy.stats`` random symbol as a :class:`Dist`."""
    if not isinstance(rv, RandomSymbol):
        raise UnsupportedError(
            f"expected a sympy.stats random variable, got {type(rv).__name__}: {rv!r}")
    ps = rv.pspace
    pstype = type(ps).__name__
    dist = getattr(ps, "distribution", None)
    family = _family(dist) if dist is not None else pstype
    if pstype == "SingleContinuousPSpace":
        x = sp.Dummy("x", real=True)
        support = _SUPPORT_FIXES.get(family, dist.set)
        handmade = family == "ContinuousDistributionHandmade"
        pdf = _strip_support_guard(dist.pdf(x), x, support)
        if family == "UniformSum":
            pdf = _irwin_hall_pieces(dist.args[0], x, pdf)
        return Dist("continuous", "Custom" if handmade else family, rv, x, pdf, support,
                    _params(dist), handmade=handmade)
    if pstype == "SingleDiscretePSpace":
        lo = dist.set.inf
        k = sp.Dummy("k", integer=True, nonnegative=True) if lo >= 0 else sp.Dummy(
            "k", integer=True)
        handmade = family == "DiscreteDistributionHandmade"
        pdf = _strip_support_guard(dist.pdf(k), k, dist.set)
        return Dist("discrete", "Custom" if handmade else family, rv, k, pdf, dist.set,
                    _params(dist), handmade=handmade)
    if pstype == "SingleFinitePSpace":
        k = sp.Dummy("k", integer=True, nonnegative=True)
        large = family == "Binomial" and dist.args[0].is_Integer and dist.args[0] > LARGE_COUNT
        try:
            values = None if large else dict(dist.dict)  # n + 1 atoms: not for a large n
        except (TypeError, ValueError):
            # a symbolic size: SymPy's dict is an unevaluated Density, not iterable
            # (TypeError); ValueError where SymPy cannot enumerate the atoms
            values = None
        if family == "Binomial" and (values is None or not dist.args[0].is_Integer):
            n, p = dist.args[0], dist.args[1]
            pmf = sp.binomial(n, k) * p**k * (1 - p)**(n - k)
            return Dist("discrete", family, rv, k, pmf, sp.Range(0, n + 1), _params(dist))
        if values is None or not isinstance(values, dict):
            raise UnsupportedError(f"cannot enumerate the finite distribution of {rv}")
        # the parameters of a finite law are those of its probabilities: outcome
        # labels such as Coin's H and T are not parameters
        probs = tuple(sorted(set().union(*(sp.sympify(v).free_symbols
                                           for v in values.values())), key=str))
        return Dist("finite", "Custom" if family.endswith("Handmade") else family, rv, k,
                    None, sp.FiniteSet(*values), probs, values=values,
                    handmade=family.endswith("Handmade"))
    if pstype == "IndependentPSpace":  # symxent.laws.independent
        return _describe_product(rv)
    if pstype == "JointPSpace":
        if family == "MultivariateNormal" and _matrix_form(dist.args):
            dims = {d for a in dist.args for e in a.shape for d in sp.sympify(e).free_symbols}
            return Dist("mvnormal_matrix", family, rv, params=tuple(sorted(dims, key=str)),
                        mean=dist.args[0], cov=dist.args[1])  # the matrices are not sampled
        if family == "MultivariateNormal":
            mean, cov = sp.Matrix(dist.args[0]), sp.Matrix(dist.args[1])
            return Dist("mvnormal", family, rv, params=_params(dist), mean=mean, cov=cov)
        if family in ("Multinomial", "MultivariateT"):  # symxent.engine.multivariate
            return Dist(family.lower(), family, rv, params=_params(dist))
        if family == "MultivariateBeta":
            alpha = tuple(sp.sympify(a) for a in dist.args[0])
            return Dist("dirichlet", "Dirichlet", rv, params=_params(dist), alpha=alpha,
                        support=dist.set)
    raise UnsupportedError(
        f"symxent does not handle {family} random variables ({pstype}) yet")


def _matrix_form(args):
    from sympy.matrices.expressions import MatrixExpr
    return any(isinstance(a, MatrixExpr) and not isinstance(a, sp.MatrixBase) for a in args)


def _describe_product(rv):
    """A product of independent factors: its parameters are the plain symbols of the
    factor and of the index range (``Indexed`` parameters are not symbols)."""
    i, a, b = rv.pspace.limits
    law = rv.pspace.factor.pspace.distribution
    plain = law.xreplace({ix: sp.S.One for ix in law.atoms(sp.Indexed)})
    syms = (set(_params(plain)) | a.free_symbols | b.free_symbols) - {i}
    return Dist("product", "Independent", rv, params=tuple(sorted(syms, key=str)))


# ---------------------------------------------------------------- guards

def _implied(cond, var, support) -> bool:
    """Is the relational ``cond`` (in ``var``) true on the whole of ``support``?"""
    if cond is sp.true:
        return True
    if isinstance(cond, sp.Contains) and cond.args[0] == var:
        return cond.args[1] in (sp.S.Integers, sp.S.Naturals0, sp.S.Naturals) and var.is_integer
    if isinstance(cond, sp.Eq) and var.is_integer and sp.floor(var) in (cond.lhs, cond.rhs):
        return True
    if isinstance(cond, Relational):
        lo, hi = support_bounds(support)
        vals = []
        for end in (lo, hi):
            if end.is_infinite:
                if cond.lhs == var and cond.rhs.is_finite is not False:
                    v = cond.func(end, cond.rhs)
                elif cond.rhs == var and cond.lhs.is_finite is not False:
                    v = cond.func(cond.lhs, end)
                else:
                    return False
            else:
                v = cond.subs(var, end)
            vals.append(v)
        return all(v is sp.true for v in vals)
    if isinstance(cond, sp.And):
        return all(_implied(c, var, support) for c in cond.args)
    return False


def _strip_support_guard(pdf, var, support):
    """Remove a Piecewise guard whose first branch holds on all of ``support``."""
    if isinstance(pdf, sp.Piecewise):
        expr, cond = pdf.args[0]
        if _implied(cond, var, support):
            return expr
    return pdf


def support_bounds(support):
    """(inf, sup) of an Interval, Range or FiniteSet support."""
    if isinstance(support, sp.Interval):
        return support.start, support.end
    if support in (sp.S.Naturals0,):
        return sp.S.Zero, sp.oo
    if support in (sp.S.Naturals,):
        return sp.S.One, sp.oo
    if support is sp.S.Integers:
        return -sp.oo, sp.oo
    if isinstance(support, sp.Range):
        return support.inf, support.sup
    if isinstance(support, sp.FiniteSet):
        return sp.Min(*support), sp.Max(*support)
    raise UnsupportedError(f"cannot read the bounds of support {support}")


def support_contains(inner, outer, facts=()):
    """Condition (SymPy boolean) that ``inner`` is a subset of ``outer``.

    Supports are intervals (continuous) or integer ranges (discrete); the
    answer is ``true``, ``false`` or a relational condition on the parameters.
    ``facts`` are relations known to hold (a distribution's own domain).
    """
    if isinstance(inner, sp.FiniteSet) and isinstance(outer, sp.FiniteSet):
        return sp.true if all(v in outer for v in inner) else sp.false
    ilo, ihi = support_bounds(inner)
    olo, ohi = support_bounds(outer)
    return sp.And(known_le(olo, ilo, facts), known_le(ihi, ohi, facts))


def known_le(u, v, facts=()):
    """``u <= v`` as a SymPy boolean, decided where assumptions or facts allow (an
    undefined side, ``nan``, decides nothing: the relation comes back unevaluated)."""
    if any(isinstance(e, sp.Basic) and e.has(sp.nan) for e in (u, v)):
        return sp.Le(u, v, evaluate=False)
    if u == v or u is sp.S.NegativeInfinity or v is sp.oo:
        return sp.true
    if u is sp.oo or v is sp.S.NegativeInfinity:
        return sp.false
    d = sp.expand(v - u)
    if d.is_nonnegative:
        return sp.true
    if d.is_negative:
        return sp.false
    for g, strict in _fact_gaps(facts):
        # d = g + (d - g) with g >= 0 from the facts and d - g >= 0 by assumptions
        if g == d or (g != 0 and sp.cancel(d / g).is_positive) or \
                sp.expand(d - g).is_nonnegative:
            return sp.true
        if strict and sp.expand(g + d) == 0:
            return sp.false
    return sp.Le(u, v)


def known_positive(e, facts=()):
    """``e > 0`` as a SymPy boolean, decided where assumptions or strict facts allow."""
    e = sp.factor_terms(e)
    if e.is_positive:
        return sp.true
    if e.is_nonpositive:
        return sp.false
    d = sp.expand(e)
    for g, strict in _fact_gaps(facts):
        r = sp.expand(d - g)  # d = g + r: positive when g >= 0 and r > 0, or g > 0 and r >= 0
        if r.is_positive or (strict and r.is_nonnegative):
            return sp.true
    return sp.Gt(e, 0)


def expand_positive_logs(expr, facts=()):
    """``log(a*b**k) -> log(a) + k*log(b)`` where ``a``, ``b`` are positive.

    SymPy's :func:`~sympy.expand_log` (never forced) with the symbols that are
    positive by assumption or by ``facts`` standing in as positive symbols.
    """
    reps = {s: sp.Dummy(s.name, positive=True) for s in expr.free_symbols
            if not s.is_positive and known_positive(s, facts) is sp.true}
    back = {v: k for k, v in reps.items()}
    return sp.expand_log(expr.xreplace(reps)).xreplace(back)


def _fact_gaps(facts):
    """Each relational fact as ``(g, strict)`` meaning ``g > 0`` (strict) or ``g >= 0``."""
    for f in facts:
        if isinstance(f, (sp.Le, sp.Lt)):
            yield sp.expand(f.rhs - f.lhs), isinstance(f, sp.Lt)
        elif isinstance(f, (sp.Ge, sp.Gt)):
            yield sp.expand(f.lhs - f.rhs), isinstance(f, sp.Gt)


def linear_roots(expr, var):
    """The roots of ``expr = 0`` in ``var``: ``[-b/a]`` when ``expr = a*var + b``,
    else :func:`sympy.solve`'s (which simplifies, and whose first call imports
    ``sympy.physics``: a fraction of a second for what is here a division)."""
    expr = sp.expand(expr)
    a = expr.coeff(var)
    b = expr - a * var
    if a.is_zero is False and not a.has(var) and not b.has(var):
        return [-b / a]
    return sp.solve(expr, var)


def pieces(expr, var, lo, hi, facts=()):
    """Split ``expr`` on ``(lo, hi)`` at its Abs/Piecewise break points.

    Returns a list of ``(expr_i, lo_i, hi_i)`` with Abs and Piecewise resolved on
    each piece, or ``None`` when the order of the break points cannot be decided
    (the caller then tries a case split or gives up).
    """
    points = set()
    for a in expr.atoms(sp.Abs):
        if a.args[0].has(var):
            sol = linear_roots(a.args[0], var)
            if len(sol) != 1:
                return None
            points.add(sol[0])
    for pw in expr.atoms(sp.Piecewise):
        for _, c in pw.args:
            for rel in c.atoms(Relational):
                if rel.has(var):
                    sol = linear_roots(rel.lhs - rel.rhs, var)
                    if len(sol) != 1:
                        return None
                    points.add(sol[0])
    inner = []
    for p in points:
        if known_le(p, lo, facts) is sp.true or known_le(hi, p, facts) is sp.true:
            continue
        if known_le(lo, p, facts) is not sp.true or known_le(p, hi, facts) is not sp.true:
            return None
        inner.append(p)
    # order the inner break points
    ordered = []
    for p in inner:
        i = 0
        while i < len(ordered):
            r = known_le(p, ordered[i], facts)
            if r is sp.true:
                break
            if known_le(ordered[i], p, facts) is not sp.true:
                return None
            i += 1
        ordered.insert(i, p)
    edges = [lo] + ordered + [hi]
    out = []
    for a, b in zip(edges, edges[1:]):
        if a == b:
            continue
        e = _resolve_on(expr, var, a, b, facts)
        if e is None:
            return None
        out.append((e, a, b))
    return out


def _resolve_on(expr, var, a, b, facts):
    """Resolve Abs and Piecewise in ``expr`` on the open interval ``(a, b)``."""
    def sign_of(arg):
        # arg is linear in var: its sign on (a, b) is that of its end values
        c = arg.coeff(var)
        if arg.has(var) and not (arg - c * var).has(var) and (c.is_positive or c.is_negative):
            low, high = (a, b) if c.is_positive else (b, a)  # arg is smallest at `low`
            if low.is_finite and known_le(0, arg.subs(var, low), facts) is sp.true:
                return 1
            if high.is_finite and known_le(arg.subs(var, high), 0, facts) is sp.true:
                return -1
        return None

    reps = {}
    for ab in expr.atoms(sp.Abs):
        if ab.args[0].has(var):
            s = sign_of(ab.args[0])
            if s is None:
                return None
            reps[ab] = s * ab.args[0]
    for pw in expr.atoms(sp.Piecewise):
        chosen = None
        for e, c in pw.args:
            if c is sp.true or _holds_on(c, var, a, b, facts):
                chosen = e
                break
        if chosen is None:
            return None
        reps[pw] = chosen
    return expr.xreplace(reps) if reps else expr


def _holds_on(cond, var, a, b, facts):
    if isinstance(cond, sp.And):
        return all(_holds_on(c, var, a, b, facts) for c in cond.args)
    if isinstance(cond, sp.Eq):
        return False
    if isinstance(cond, Relational) and cond.has(var):
        sol = linear_roots(cond.lhs - cond.rhs, var)
        if len(sol) != 1:
            return False
        p = sol[0]
        lt = isinstance(cond, (sp.Lt, sp.Le))
        c = sp.expand(cond.lhs - cond.rhs).coeff(var)
        if c.is_positive is None:
            return False
        # "var < p" holds on (a, b) iff b <= p; "var > p" iff p <= a
        upper = lt == bool(c.is_positive)
        holds = known_le(b, p, facts) if upper else known_le(p, a, facts)
        return holds is sp.true
    return cond is sp.true
