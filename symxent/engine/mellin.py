r"""The Mellin-type integral ``M(alpha) = int p**alpha * q**(1 - alpha)``.

Every measure of the divergence family (Renyi, Tsallis, Bhattacharyya,
Hellinger, Pearson chi^2, Amari alpha) is a function of this one integral
(see :mod:`symxent.divergences`).  It is computed, never looked up:

* *Continuous laws.*  ``p**alpha * q**(1-alpha) = exp(alpha log p + (1-alpha) log q)``;
  both log-densities are expanded into features (:mod:`symxent.engine.logform`),
  their combination is one log-linear form ``L`` and ``M = int exp(L)`` is a
  kernel integral (:mod:`symxent.engine.kernels`, reached through the same
  rules and changes of variable as every expectation,
  :func:`symxent.engine.expectation.integral`).  The kernel's convergence
  condition is the finiteness condition of ``M``: ``Piecewise((M, cond), (oo, True))``.
  Within one exponential family with log-normaliser ``F`` this *is*
  ``exp(F(alpha eta_1 + (1-alpha) eta_2) - alpha F(eta_1) - (1-alpha) F(eta_2))``
  with the condition that the interpolated natural parameter lies in the
  natural parameter space (Nielsen & Nock 2011, Lemma 1): the kernel integral
  evaluates ``F`` at the combined coefficients.
* *Different supports.*  ``M`` integrates over the intersection.  When the
  support of P is not inside that of Q, ``M = +oo`` for ``alpha > 1``
  (``p**alpha / q**(alpha-1)`` with ``q = 0``) and the integral over the
  support of Q for ``alpha < 1`` when that is inside the support of P.
* *Discrete laws.*  ``sum_k exp(L(k))`` with the features of ``L`` written as
  powers (``exp(c*k) = z**k``), summed by SymPy under the time budget
  (power series: Poisson, Geometric, Binomial, Negative binomial).
* *Finite laws.*  The finite sum over the atoms.
* *Multivariate normal.*  ``L`` is a quadratic form; ``int exp(-x^T A x/2 + b^T x + c)
  = (2 pi)^(k/2) det(A)^(-1/2) exp(b^T A^(-1) b/2 + c)`` for ``A`` positive
  definite (the multivariate Gaussian integral; Petersen & Pedersen, *The
  Matrix Cookbook*, eq. 400).
* *Dirichlet.*  ``L = sum (a_i - 1) log x_i + const`` on the simplex:
  ``int_simplex prod x_i**(a_i - 1) = B(a)`` for all ``a_i > 0``
  (the Dirichlet integral, DLMF 5.14.2).

``mellin`` raises :class:`~symxent.engine.core.NoClosedForm` when no rule
applies; callers return the unevaluated object.
"""
from __future__ import annotations

import sympy as sp

from symxent import budget
from symxent.engine.core import NO_TRACE
from symxent.engine.expectation import NoClosedForm, Region, integral_steps, split_cases
from symxent.engine.sympy_rules import fallback_pool
from symxent.engine.kernels import _exp
from symxent.engine.logform import LogForm, log_terms
from symxent.engine.steps import RuleStep
from symxent.engine.validation import check_density
from symxent.errors import UnsupportedError
from symxent.laws.domain import facts as domain_facts, validate
from symxent.laws.boundary import positive_where
from symxent.laws.support import describe, known_le, known_positive, support_bounds, \
    support_contains

__all__ = ["mellin", "NoClosedForm"]


def mellin(p, q, alpha, tr=None):
    """``int p**alpha q**(1-alpha)`` in closed form (``q = None``: ``int p**alpha``).

    Its SymPy fallbacks share one pool of time (:func:`fallback_pool`)."""
    with fallback_pool():
        return _mellin(p, q, alpha, tr)


def _mellin(p, q, alpha, tr):
    tr = NO_TRACE if tr is None else tr
    dp = describe(p)
    dq = describe(q) if q is not None else dp
    for rv in {p, q} - {None}:
        validate(rv)
        check_density(describe(rv))
    if (dp.kind == "continuous") != (dq.kind == "continuous"):
        raise UnsupportedError(
            f"cannot compare the {dp.kind} {p} with the {dq.kind} {q}: "
            "one is continuous and the other discrete")
    facts = domain_facts(*[rv for rv in (p, q) if rv is not None])
    if alpha.free_symbols:
        facts = facts + (sp.Gt(alpha, 0),)
    wq = sp.S.Zero if q is None else 1 - alpha  # int p**alpha: log q gets weight 0
    if dp.kind == "mvnormal" or dq.kind == "mvnormal":
        return _mvnormal(dp, dq, alpha, wq, tr)
    if dp.kind == "dirichlet" or dq.kind == "dirichlet":
        return _dirichlet(dp, dq, alpha, wq, tr)
    if dp.kind == "finite" or dq.kind == "finite":
        return _finite(dp, dq, alpha, wq, tr)
    if dp.kind == "discrete":
        return _discrete(dp, dq, alpha, wq, facts, tr)
    return _continuous(dp, dq, alpha, wq, facts, tr)


def _gt1(alpha):
    """``alpha > 1`` as a SymPy boolean."""
    r = sp.Gt(alpha, 1)
    return r if r not in (True, False) else sp.sympify(bool(r))


def _lt1(alpha):
    r = sp.Lt(alpha, 1)
    return r if r not in (True, False) else sp.sympify(bool(r))


# ------------------------------------------------------------ continuous

def _continuous(dp, dq, alpha, wq, facts, tr):
    x = dp.var
    q_pdf = dq.pdf.subs(dq.var, x)
    tr.step(lambda: sp.Integral(dp.pdf ** alpha * q_pdf ** (1 - alpha),
                                (x, *support_bounds(dp.support))),
            "definition: M(alpha) = integral of p**alpha q**(1-alpha)")
    inside = support_contains(dp.support, dq.support, facts) if dq is not dp else sp.true
    if inside is sp.true:
        return _on_support(dp, q_pdf, dp.support, alpha, wq, facts, tr)
    # P has mass outside Q: M = oo for alpha > 1; for alpha < 1 the integral over
    # the support of Q, when that lies inside the support of P
    big = _gt1(alpha)
    back = support_contains(dq.support, dp.support, facts)
    if inside is sp.false:
        if big is sp.true:
            tr.step(sp.oo, "p > 0 where q = 0 and alpha > 1")
            return sp.oo
        if back is not sp.true:
            raise NoClosedForm("the supports overlap partly")
        if big is sp.false:
            return _on_support(dp, q_pdf, dq.support, alpha, wq, facts, tr)
        # a symbolic order: +oo for alpha > 1, the integral over the support of Q
        # (inside that of P) for alpha < 1
        v = _on_support(dp, q_pdf, dq.support, alpha, wq, facts + (sp.Lt(alpha, 1),), tr)
        return sp.Piecewise((sp.oo, big), (v, True))
    # containment depends on the parameters
    v1 = _on_support(dp, q_pdf, dp.support, alpha, wq, facts + _relations(inside), tr)
    if big is sp.true:
        return sp.Piecewise((v1, inside), (sp.oo, True))
    # alpha < 1 possible: the other case must be "Q inside P" exactly
    if not (isinstance(inside, sp.Le) and back == sp.Le(inside.rhs, inside.lhs)):
        raise NoClosedForm("the supports overlap partly")
    v2 = _on_support(dp, q_pdf, dq.support, alpha, wq, facts + _relations(back), tr)
    if big is sp.false:
        return sp.Piecewise((v1, inside), (v2, True))
    return sp.Piecewise((v1, inside), (sp.oo, big), (v2, True))


def _relations(cond):
    return tuple(cond.args if isinstance(cond, sp.And) else [cond])


def _on_support(dp, q_pdf, support, alpha, wq, facts, tr):
    x = dp.var
    lo, hi = support_bounds(support)
    lp = sp.Add(*log_terms(dp.pdf, x, lo, hi, facts))
    lq = sp.S.Zero if wq == 0 else sp.Add(*log_terms(q_pdf, x, lo, hi, facts))
    combined = sp.expand(alpha * lp + wq * lq)
    tr.step(lambda: sp.Integral(sp.exp(combined), (x, lo, hi)),
            "p**alpha q**(1-alpha) = exp(alpha log p + (1-alpha) log q)")
    steps = []

    def on_pieces(pcs, fs):
        total = sp.S.Zero
        for piece, a, b in pcs:
            budget.check()
            L = LogForm.from_terms([piece], x, a, b, fs)
            _refuse_two_quadratics(L, x)
            region = Region(L, a, b, fs, False)
            bounded = a.is_finite and b.is_finite
            if bounded and L.coeff and all(f.is_polynomial(x) for f in L.coeff) and any(
                    sp.degree(f, x) >= 2 for f in L.coeff):
                # a Gaussian on a bounded interval: the difference of two tails (erf)
                try:
                    v, step = _tails(L, a, b, fs)
                except NoClosedForm:
                    pass
                else:
                    total += v
                    steps.append(step)
                    continue
            v, step = integral_steps(region, sp.S.One)
            total += v
            steps.append(step)
        return total

    value = _removable(split_cases(combined, x, lo, hi, facts, on_pieces), alpha)
    tr.step(value, lambda: "; ".join(dict.fromkeys(r for step in steps for r in step.reasons()))
            or "kernel integral")
    return value


def _refuse_two_quadratics(L, x):
    """No kernel integrates a product of powers of two *different* quadratics in x,
    ``((x - l1)**2 + s1**2)**(-a) ((x - l2)**2 + s2**2)**(a - 1)`` (two Cauchy or
    Student-t laws): that integral is a Legendre function of the first kind of the
    chi^2-like invariant (Verdu, "The Cauchy distribution in information theory",
    Entropy 2023; Nielsen & Okamura, "On f-divergences between Cauchy
    distributions", 2023), and SymPy's ``integrate`` does not find it either with symbolic
    parameters or order (it spent its whole share, 5 s, on each attempt).  Say so at
    once; with numbers only and an integer order (a rational integrand) SymPy is tried."""
    quads = [f for f in L.coeff if isinstance(f, sp.log) and f.args[0].is_polynomial(x)
             and sp.degree(f.args[0], x) == 2]
    if len(quads) >= 2 and (L.expr().free_symbols - {x} or
                            not all(L.coeff[f].is_integer for f in quads)):
        raise NoClosedForm("no kernel for a product of powers of two different quadratics "
                           "(Cauchy or Student-t laws with different parameters: a Legendre "
                           "function)")


def _tails(L, a, b, facts):
    """int_a^b = int_a^oo - int_b^oo when both tails converge (else -oo .. on the left);
    the value and its step."""
    for lo_end, hi_end in (((a, sp.oo), (b, sp.oo)), ((-sp.oo, b), (-sp.oo, a))):
        try:
            parts = []
            for lo, hi in (lo_end, hi_end):
                L2 = LogForm.from_terms([L.expr()], L.x, lo, hi, facts)
                parts.append(integral_steps(Region(L2, lo, hi, facts, False), sp.S.One))
        except NoClosedForm:
            continue
        if any(p.has(sp.Piecewise, sp.oo) for p, _ in parts):
            continue  # a tail diverges (or may): the difference says nothing
        value = parts[0][0] - parts[1][0]
        return value, RuleStep("difference of two convergent tail integrals", sp.S.One, value,
                               (parts[0][1], parts[1][1]))
    raise NoClosedForm("no rule for a bounded interval")


def _removable(value, alpha):
    """``Piecewise((v, Ne(e, 0)), (oo, True))`` from a kernel's ``(e^(b u) - e^(b l))/b``:
    at ``b = 0`` the integral is finite, the limit of ``v`` (a removable singularity)."""
    def fix(pw):
        if len(pw.args) == 2 and isinstance(pw.args[0][1], sp.Ne) and pw.args[1][0] is sp.oo:
            v, c = pw.args[0]
            e = c.lhs - c.rhs
            # the limit in the order, else in a parameter (Hellinger between Laplace laws:
            # b = 1/(2 b2) - 1/(2 b1) = 0 is b2 = b1)
            cands = ([alpha] if alpha.free_symbols and e.is_polynomial(alpha) and
                     sp.degree(e, alpha) == 1 else []) + sorted(e.free_symbols - {alpha}, key=str)
            for s in cands:
                budget.check()
                roots = sp.solve(e, s)
                if len(roots) != 1 or roots[0].has(sp.I):
                    continue
                lim = sp.limit(v, s, roots[0])
                if lim.has(sp.Limit, sp.nan, sp.zoo, sp.oo, -sp.oo, sp.AccumBounds):
                    continue
                return sp.Piecewise((v, c), (lim, True))
            raise NoClosedForm(f"an integral with a removable singularity at {c}")
        return pw
    return value.replace(lambda a: isinstance(a, sp.Piecewise), fix)


# ------------------------------------------------------------ discrete

def _as_powers(L, k):
    """``exp(L)`` with ``exp(c*k) -> z**k`` (``z = e**c`` a positive stand-in) and
    ``exp(c*log g) -> g**c``; returns ``(term, {z: e**c})``."""
    out, reps = _exp(L.const), {}
    for f, c in L.coeff.items():
        if f == k:
            z = sp.Dummy("z", positive=True)
            reps[z] = _exp(sp.expand(c))
            out *= z ** k
        elif isinstance(f, sp.log):
            out *= f.args[0] ** c
        else:
            out *= sp.exp(c * f)
    return out, reps


def _discrete(dp, dq, alpha, wq, facts, tr):
    k = dp.var
    q_pmf = dq.pdf.subs(dq.var, k)
    if support_contains(dp.support, dq.support, facts) is not sp.true or \
            support_contains(dq.support, dp.support, facts) is not sp.true:
        raise NoClosedForm("discrete laws with different supports")
    lo, hi = support_bounds(dp.support)
    lp = sp.Add(*log_terms(dp.pdf, k, lo, hi, facts))
    lq = sp.S.Zero if wq == 0 else sp.Add(*log_terms(q_pmf, k, lo, hi, facts))
    L = LogForm.from_terms([sp.expand(alpha * lp + wq * lq)], k)
    term, reps = _as_powers(L, k)
    tr.step(lambda: sp.Sum(term.xreplace(reps), (k, lo, hi)),
            "definition; p**alpha q**(1-alpha) = exp(alpha log p + (1-alpha) log q)")
    s = sp.Sum(term, (k, lo, hi))
    try:
        with budget.budget(budget.share(0.25, 5)):
            v = s.doit()
    except budget.BudgetExceeded:
        budget.check()
        raise NoClosedForm("the series was not summed in time")
    v = sp.piecewise_fold(v)
    if isinstance(v, sp.Piecewise) and len(v.args) == 2 and v.args[1][0].has(sp.Sum) and \
            not v.args[0][0].has(sp.Sum, sp.Piecewise):
        val, cond = v.args[0]
        if hi.is_finite:
            # a finite sum: both sides are analytic in the positive stand-ins z, and
            # agree where cond holds (an interval of z), so everywhere (identity theorem)
            v = val
        else:
            # a power series with positive terms: its value where it converges, +oo outside
            cond = cond.xreplace(reps)
            cond = cond.replace(lambda e: isinstance(e, sp.Abs) and
                                known_positive(e.args[0], facts) is sp.true,
                                lambda e: e.args[0])
            v = sp.Piecewise((val, cond), (sp.oo, True)) if cond is not sp.true else val
    v = v.xreplace(reps)
    if v.has(sp.Sum) or (isinstance(v, sp.Piecewise) and v.args[-1][0] is not sp.oo):
        raise NoClosedForm("no closed form for the series")
    tr.step(v, "power series summed")
    return v


# ------------------------------------------------------------ finite

def _mass(d, v):
    if d.kind == "finite":
        return sp.sympify(d.values.get(v, 0))
    lo, hi = support_bounds(d.support)
    if known_le(lo, v) is sp.false or known_le(v, hi) is sp.false or not sp.sympify(v).is_integer:
        return sp.S.Zero
    if known_le(lo, v) is not sp.true or known_le(v, hi) is not sp.true:
        raise NoClosedForm("cannot decide whether an atom lies in the support")
    return d.pdf.subs(d.var, v)


def _finite(dp, dq, alpha, wq, tr):
    if dp.kind != "finite" and dq.kind != "finite":
        raise NoClosedForm("not a finite law")
    if dp.kind != "finite":
        lo, hi = support_bounds(dp.support)
        if not (lo.is_finite and hi.is_finite):
            raise NoClosedForm("a law with infinitely many atoms against a finite one")
        atoms_p = list(sp.Range(lo, hi + 1))
    else:
        atoms_p = list(dp.values)
    atoms = list(dict.fromkeys(atoms_p + (list(dq.values) if dq.kind == "finite" else [])))
    terms, lost = [], []
    for v in atoms:
        pv, qv = _mass(dp, v), _mass(dq, v)
        if pv == 0:
            continue  # 0**alpha q**(1-alpha) = 0 for alpha > 0
        if qv == 0:
            # p**alpha / 0**(alpha-1): +oo for alpha > 1 where p > 0, 0 for alpha < 1
            lost.append(positive_where(pv))  # a symbolic mass (1 - p) may vanish
            continue
        terms.append(pv ** alpha * qv ** wq)
    total = sp.Add(*terms)
    tr.step(total, "finite sum over the atoms")
    lost = sp.Or(*lost)
    if lost is not sp.false:
        big = _gt1(alpha)
        if big is sp.true and lost is sp.true:
            return sp.oo
        if big is not sp.false and lost is sp.true:
            total = sp.Piecewise((total, _lt1(alpha)), (sp.oo, True))
        elif big is not sp.false:
            total = sp.Piecewise((sp.oo, sp.And(big, lost)), (total, True))
    return total


# ------------------------------------------------------------ multivariate

def _mvnormal(dp, dq, alpha, wq, tr):
    if dp.kind != "mvnormal" or dq.kind != "mvnormal" or dp.mean.shape != dq.mean.shape:
        raise UnsupportedError("a multivariate normal can only be compared with another "
                               "multivariate normal of the same dimension")
    k = dp.mean.shape[0]
    P1, P2 = dp.cov.inv(), dq.cov.inv()
    # alpha log p + (1-alpha) log q = -x^T A x / 2 + b^T x + c
    A = (alpha * P1 + wq * P2).applyfunc(sp.cancel)
    b = alpha * P1 * dp.mean + wq * P2 * dq.mean
    c = (-sp.Rational(k, 2) * sp.log(2 * sp.pi)
         - alpha * (sp.log(dp.cov.det()) + (dp.mean.T * P1 * dp.mean)[0, 0]) / 2
         - wq * (sp.log(dq.cov.det()) + (dq.mean.T * P2 * dq.mean)[0, 0]) / 2)
    detA = sp.factor(A.det())
    quad = sp.factor(sp.cancel((b.T * A.adjugate() * b)[0, 0] / detA))
    value = (2 * sp.pi) ** sp.Rational(k, 2) / sp.sqrt(detA) * _exp(
        sp.expand(sp.expand_log(quad / 2 + c, force=True)))
    # A positive definite: its leading principal minors are positive (Sylvester)
    conds = [known_positive(sp.factor(A[:i, :i].det())) for i in range(1, k + 1)]
    cond = sp.And(*conds)
    tr.step(value, "multivariate Gaussian integral, A = alpha S1^-1 + (1-alpha) S2^-1 "
                   "positive definite")
    if cond is sp.true:
        return value
    return sp.Piecewise((value, cond), (sp.oo, True))


def _dirichlet(dp, dq, alpha, wq, tr):
    if dp.kind != "dirichlet" or dq.kind != "dirichlet" or len(dp.alpha) != len(dq.alpha):
        raise UnsupportedError("a Dirichlet can only be compared with a Dirichlet of the same size")

    def logB(a):
        return sp.Add(*[sp.log(sp.gamma(ai)) for ai in a]) - sp.log(sp.gamma(sp.Add(*a)))

    # the exponent of x_i is alpha (a_i - 1) + wq (b_i - 1)
    mix = [sp.expand(alpha * (a1 - 1) + wq * (a2 - 1) + 1) for a1, a2 in zip(dp.alpha, dq.alpha)]
    value = _exp(sp.expand(logB(mix) - alpha * logB(dp.alpha) - wq * logB(dq.alpha)))
    cond = sp.And(*[known_positive(m) for m in mix])
    tr.step(value, "Dirichlet integral int prod x_i**(a_i - 1) = B(a) at a = "
                   "alpha a_P + (1-alpha) a_Q")
    if cond is sp.true:
        return value
    return sp.Piecewise((value, cond), (sp.oo, True))
