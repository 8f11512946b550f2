"""The rule-based expectation engine: ``E_P[g(X)]`` in closed form.

Rules are tried in order, cheapest first; each is a small class whose
docstring is the rule.  A rule returns ``None`` when it does not apply, and
the engine moves on; when none applies the engine raises
:class:`NoClosedForm` and the caller returns the unevaluated object.  Nothing
is guessed: every rule is an identity, valid under the conditions it returns.

A rule that applies returns ``(value, step)`` (:class:`~symxent.engine.rulebase.Rule`),
its step a :class:`~symxent.engine.steps.RuleStep` holding the steps it used (the
kernel of a tilt, the expectations after a change of variable);
:func:`integral_steps` returns the tree of one expectation, from which the
derivation takes its justifications.

Integrals are *unnormalised*: ``I(L, f) = int exp(L) f dx`` on an interval,
with ``L`` a :class:`~symxent.engine.logform.LogForm`; on the whole support of a
normalised density, ``I(L, 1) = 1``.
"""
from __future__ import annotations

from dataclasses import replace

import sympy as sp

from symxent import budget
from symxent.engine.kernels import integrate_exp
from symxent.engine.logform import LogForm, positive_on
from symxent.engine.rulebase import (DOES_NOT_APPLY, SYMPY_BUGS, NoClosedForm, Region,  # noqa: F401
                                     Rule, RuleStep, _cond_value, _guard, _Z, admissible, ask,
                                     attempt, real_logs, unexpected)
from symxent.engine.sympy_rules import Elementary, Integrate
from symxent.laws.support import _resolve_on, known_le, known_positive, linear_roots, pieces

__all__ = ["NoClosedForm", "Region", "integral", "integral_steps", "Rule", "RuleStep",
           "register_rule", "admissible", "DOES_NOT_APPLY", "SYMPY_BUGS", "unexpected",
           "real_logs"]


class Tilt(Rule):
    """I(L, phi) = d/de Z(L + e*phi) at e = 0 (exponential tilting).

    On a normalised region Z(L) = 1 and this is d/de log Z(L + e*phi): the
    expected sufficient statistic is the gradient of the log-normaliser.
    """

    name = "gradient of the log-normaliser (tilting)"

    def step(self, region, f):
        L, e, e0 = _tilted(region.L, f)
        if region.normalized:  # the constant of L drops out of d/de log Z
            L = LogForm(L.x, L.const - region.L.const, L.coeff)
        found = _Z(L, region)
        if found is None:
            return None
        r, kernel = found
        if _cond_value(r.cond.subs(e, e0)) is not sp.true:
            return None
        if region.normalized:
            val = sp.diff(r.log_Z(), e).subs(e, e0)
        else:
            val = sp.diff(r.Z, e).subs(e, e0)
        return self.answer(f, val, kernel)


def _tilted(L, f):
    """``(L_e, e, e0)``: the form ``L + (e - e0)*f`` and the value ``e0`` where it is ``L``.

    When ``f`` is a single feature of coefficient ``e0`` in ``L`` (0 if absent),
    ``e`` simply replaces that coefficient: the normaliser is then built from a
    plain symbol, which SymPy handles much faster than ``e0 + e`` (no sign
    questions about a sum), and d/de is the same derivative.
    """
    other = LogForm.from_terms([f], L.x)
    e = sp.Dummy("e", real=True)  # a coefficient of a real log-density
    if other.const == 0 and len(other.coeff) == 1 and next(iter(other.coeff.values())) == 1:
        (g,) = other.coeff
        return LogForm(L.x, L.const, {**L.coeff, g: e}), e, L.coeff.get(g, sp.S.Zero)
    return L.add(f, e), e, sp.S.Zero


class Ratio(Rule):
    """I(L, exp(s*psi)) = Z(L + s*psi): a power ``b**s`` with ``b > 0`` is ``exp(s*log b)``.

    Moments E[X**s] are ratios of normalisers (Mellin transform); exponentials
    E[exp(k*X)] likewise (moment generating function).
    """

    name = "ratio of normalisers (Mellin / moment generating function)"

    def step(self, region, f):
        x = region.x
        if isinstance(f, sp.exp):
            psi, s = f.args[0], sp.S.One
        elif f.is_Pow and not f.exp.has(x) and positive_on(f.base, x, region.lo, region.hi,
                                                            region.facts):
            psi, s = sp.log(f.base), f.exp
        elif f == x and positive_on(x, x, region.lo, region.hi, region.facts):
            psi, s = sp.log(x), sp.S.One
        else:
            return None
        L = region.L.add(psi, s)
        if region.normalized:  # Z(L + s psi)/Z(L): the constant of L cancels
            L = LogForm(L.x, L.const - region.L.const, L.coeff)
            z0 = _Z(LogForm(L.x, sp.S.Zero, region.L.coeff), region)
            if z0 is None:
                return None
            z0 = z0[0]
        found = _Z(L, region)
        if found is None:
            return None
        r, kernel = found
        val = r.Z
        if region.normalized:
            val = sp.gammasimp(sp.powsimp(r.Z / z0.Z))
        sign = 1 if positive_on(f, x, region.lo, region.hi, region.facts) else None
        return self.answer(f, _guard(val, r.cond, sign), kernel)


class FeaturePower(Rule):
    """I(L, psi**n) = d^n/de^n Z(L + e*psi) at e = 0, for an integer n >= 2.

    On a normalised region this is Z^(n)/Z = B_n(l', l'', ..., l^(n)), the
    complete Bell polynomial in the derivatives of l = log Z (moments from
    cumulants; Comtet, "Advanced Combinatorics", 3.3): E[psi**2] = l'' + l'**2.
    """

    name = "derivatives of the normaliser (moments of a feature)"

    def step(self, region, f):
        if not (f.is_Pow and f.exp.is_Integer and f.exp >= 2):
            return None
        psi, n = f.base, int(f.exp)
        L, e, e0 = _tilted(region.L, psi)
        found = _Z(L, region)
        if found is None:
            return None
        r, kernel = found
        if _cond_value(r.cond.subs(e, e0)) is not sp.true:
            return None
        if region.normalized:
            ell, ks = r.log_Z(), []
            for _ in range(n):
                ell = sp.diff(ell, e)
                ks.append(ell.subs(e, e0))
            val = sp.expand(sp.Add(*[sp.bell(n, k, ks[:n - k + 1]) for k in range(1, n + 1)]))
        else:
            val = sp.diff(r.Z, e, n).subs(e, e0)
        if val.has(sp.Derivative):  # a special function's derivative with no closed form
            return None
        return self.answer(f, val, kernel)


class CauchyLog(Rule):
    """E[log((X-m)**2 + s**2)] = log((mu-m)**2 + (gamma+s)**2) for X ~ Cauchy(mu, gamma).

    log|x - z|**2 splits into log(x - z) + log(x - conj z), analytic in the
    lower and upper half-planes; the Cauchy density is the Poisson kernel, so
    each expectation is the function's value at mu -/+ i*gamma
    (Chyzak & Nielsen 2019, "A closed-form formula for the KL divergence
    between Cauchy distributions", Sec. 2).
    """

    name = "Poisson kernel (Cauchy)"

    def apply(self, region, f):
        x, L = region.x, region.L
        if not (region.normalized and region.lo is sp.S.NegativeInfinity and region.hi is sp.oo):
            return None
        if len(L.coeff) != 1 or not isinstance(f, sp.log):
            return None
        (lf, c), = L.coeff.items()
        if c != -1 or not isinstance(lf, sp.log):
            return None
        pq, fq = lf.args[0].as_poly(x), f.args[0].as_poly(x)
        if pq is None or fq is None or pq.degree() != 2 or fq.degree() != 2:
            return None
        (A1, B1, C1), (A2, B2, C2) = pq.all_coeffs(), fq.all_coeffs()
        if A1 != 1 or A2 != 1:
            return None
        mu, m = -B1 / 2, -B2 / 2
        g2, s2 = sp.factor(C1 - mu**2), sp.factor(C2 - m**2)
        if not (g2.is_positive and s2.is_positive):
            return None
        return sp.log((mu - m) ** 2 + (sp.sqrt(g2) + sp.sqrt(s2)) ** 2)


def quadratic_moment(region, poly_expr):
    """``E[poly(X)]`` under ``p ~ ((x - m)**2 + s2)**(-r)`` on R (Student's t, Cauchy).

    With ``u = x - m`` and ``Q = u**2 + s2``: odd powers of ``u`` have expectation 0
    (symmetry) and ``u**(2i) = (Q - s2)**i`` (binomial theorem), so every term is
    ``E[Q**l] = Z(L + l log Q) / Z(L)``, a ratio of Student-t normalisers.  The top
    even power converges iff ``r - n/2 > 1/2`` (and then so does every lower one);
    elsewhere the expectation is ``sign(top coefficient) * oo``.  ``None`` when the
    law or the polynomial does not have this shape (or its top degree is odd).
    """
    x, L = region.x, region.L
    if not (region.normalized and region.lo is sp.S.NegativeInfinity and region.hi is sp.oo):
        return None
    if len(L.coeff) != 1 or not poly_expr.is_polynomial(x):
        return None
    (lq, c), = L.coeff.items()
    if not isinstance(lq, sp.log):
        return None
    q = lq.args[0].as_poly(x)
    if q is None or q.degree() != 2 or q.LC() != 1:
        return None
    _, B, C0 = q.all_coeffs()
    m = -B / 2
    s2 = sp.factor(C0 - m**2)
    if known_positive(s2, region.facts) is not sp.true:
        return None
    u = sp.Dummy("u")
    P = sp.expand(poly_expr.subs(x, u + m)).as_poly(u)
    n = P.degree()
    if n < 1 or n % 2:
        return None
    top = P.LC()
    sign = 1 if top.is_positive else -1 if top.is_negative else None

    def ratio(l):
        r = integrate_exp(LogForm(x, sp.S.Zero, {lq: c + l}), region.lo, region.hi,
                          region.facts)
        return r

    base = ratio(0)
    last = ratio(n // 2)
    if base is None or last is None:
        return None
    moments = {}
    total = sp.S.Zero
    for (j,), a in P.terms():
        if j % 2:
            continue
        i = j // 2
        for l in range(i + 1):
            if l not in moments:
                moments[l] = sp.gammasimp(ratio(l).Z / base.Z)
            total += a * sp.binomial(i, l) * (-s2) ** (i - l) * moments[l]
    return _guard(sp.expand(total), last.cond, sign)


class QuadraticMoment(Rule):
    """E[x**n] (n even) under a density ``((x - m)**2 + s**2)**(-r)`` on R: ratios of
    Student-t normalisers (see :func:`quadratic_moment`), ``+oo`` where it diverges."""

    name = "moments of a Student-t kernel"

    def apply(self, region, f):
        if not (f.is_Pow and f.exp.is_Integer and f.exp % 2 == 0 and f.base == region.x):
            return None
        return quadratic_moment(region, f)


class AlgebraicTail(Rule):
    """A density decaying like |x|**(-d) has E[|x|**n] = +oo when n >= d - 1.

    Applies to densities whose log is a combination of logs of polynomials
    (Cauchy, Student's t) on an infinite end, and to features that grow like
    |x|**n there with a positive sign (x**n for even n, |x - m|).  It only
    ever concludes divergence; finite cases go to the other rules.
    """

    name = "algebraic tail: the moment diverges"

    def apply(self, region, f):
        x, L = region.x, region.L
        if not (region.hi is sp.oo and region.lo is sp.S.NegativeInfinity):
            return None
        d = sp.S.Zero
        for g, c in L.coeff.items():
            if not isinstance(g, sp.log):
                return None
            poly = g.args[0].as_poly(x)
            if poly is None:
                return None
            d -= c * poly.degree()
        if isinstance(f, sp.Abs) and f.args[0].as_poly(x) is not None:
            n = f.args[0].as_poly(x).degree()
        elif f.is_polynomial(x) and f.as_poly(x).degree() % 2 == 0 and \
                f.as_poly(x).LC().is_positive:
            n = f.as_poly(x).degree()
        else:
            return None
        if n >= 1 and (sp.S(n) - d + 1).is_nonnegative:
            return sp.oo
        return None


class Split(Rule):
    """int_a^b = sum of the integrals between the break points of Abs/Piecewise.

    When the order of two break points depends on the parameters, both orders
    are computed and the result is a Piecewise over the order.
    """

    name = "split at the break points"

    def step(self, region, f):
        x = region.x
        if not any(a.has(x) for e in (f, region.L.expr()) for a in e.atoms(sp.Abs, sp.Piecewise)):
            return None
        value, parts = _split(region, f, 0)
        return self.answer(f, value, *parts)


def split_cases(expr, x, lo, hi, facts, on_pieces, depth=0):
    """``on_pieces(pieces, facts)`` for ``expr`` split at its break points on ``(lo, hi)``.

    When two break points (or a break point and an end) have no known order,
    both orders are computed: ``Piecewise((A, u <= v), (B, True))``.
    """
    pcs = pieces(expr, x, lo, hi, facts)
    if pcs is not None:
        return on_pieces(pcs, facts)
    pair = undecided_pair(expr, x, lo, hi, facts)
    if pair is None or depth > 3:
        raise NoClosedForm("cannot order the break points")
    u, v = pair
    a = split_cases(expr, x, lo, hi, facts + (sp.Le(u, v),), on_pieces, depth + 1)
    b = split_cases(expr, x, lo, hi, facts + (sp.Le(v, u),), on_pieces, depth + 1)
    return sp.Piecewise((a, sp.Le(u, v)), (b, True))


def _split(region, f, depth):
    """Split ``f`` *and* the log-density at their break points (a density may have
    a kink, ``log|x - c|``, where the feature has none).  Returns the value and the
    steps of the pieces."""
    x, t = region.x, sp.Dummy("t")
    both = f + t * region.L.expr()  # resolved together, separated again on each piece
    steps = []

    def on_pieces(pcs, facts):
        total = sp.S.Zero
        for ei, a, b in pcs:
            fi, Li = ei.xreplace({t: 0}), sp.diff(ei, t)  # ei is linear in t
            if isinstance(f, sp.log) and fi.has(sp.zoo) and not Li.has(sp.zoo):
                # log of a density that vanishes on this piece, where P has positive
                # mass (exp(L) > 0): E[log q] = -oo (then H(P, Q) = D_KL(P||Q) = +oo)
                arg = _resolve_on(f.args[0], x, a, b, facts)
                if arg is not None and arg.is_zero:
                    return sp.S.NegativeInfinity
            L = LogForm.from_terms([Li], x, a, b, facts)
            sub = Region(L, a, b, facts, region.normalized and len(pcs) == 1)
            v, step = integral_steps(sub, fi)
            steps.append(step)
            total += v
        return total
    value = split_cases(both, x, region.lo, region.hi, region.facts, on_pieces)
    return value, tuple(steps)


def undecided_pair(expr, x, lo, hi, facts):
    """Two break points (or ends) of ``expr`` whose order is not known."""
    pts = [e for e in (lo, hi) if e.is_finite]
    for a in expr.atoms(sp.Abs):
        if a.args[0].has(x):
            pts += linear_roots(a.args[0], x)
    for pw in expr.atoms(sp.Piecewise):
        for _, c in pw.args:
            for rel in c.atoms(sp.core.relational.Relational):
                if rel.has(x):
                    pts += linear_roots(rel.lhs - rel.rhs, x)
    for i, u in enumerate(pts):
        for v in pts[i + 1:]:
            if known_le(u, v, facts) not in (sp.true, sp.false) and \
                    known_le(v, u, facts) not in (sp.true, sp.false):
                return u, v
    return None


RULES = [AlgebraicTail(), Split(), QuadraticMoment(), Tilt(), Ratio(), FeaturePower(), CauchyLog(), Elementary()]
FALLBACK = Integrate()


def register_rule(rule, before=Elementary):
    """Add ``rule`` to the rules tried for every expectation, ahead of the first rule
    of class ``before``; returns it.

    A rule has a ``name`` and ``step(region, f) -> (value, step) or None`` (subclass
    :class:`Rule`, whose :meth:`~Rule.answer` makes the pair); an object with
    ``apply(region, f) -> value or None`` instead is accepted too."""
    if not (callable(getattr(rule, "step", None)) or callable(getattr(rule, "apply", None))):
        raise TypeError(f"a rule has a method step(region, f) or apply(region, f), got {rule!r}")
    if rule not in RULES:
        RULES.insert(next((i for i, r in enumerate(RULES) if type(r) is before), len(RULES)), rule)
    return rule


# ------------------------------------------------------------ substitutions

def _substitutions(region, f):
    """Changes of variable that may bring ``(L, f)`` to a kernel's shape.

    Yields ``(description, new_region, new_f)``.
    """
    x, L, lo, hi = region.x, region.L, region.lo, region.hi
    feats = set(L.coeff) | {f}
    y = sp.Dummy("y", real=True)
    # shift a finite end point to 0: x = lo + y  (or x = hi - y)
    if lo.is_finite and lo != 0 and hi is sp.oo:
        yield _sub(region, f, lo + y, y, sp.S.Zero, sp.oo, f"shift x = {lo} + y")
    if hi.is_finite and lo is sp.S.NegativeInfinity:
        yield _sub(region, f, hi - y, y, sp.S.Zero, sp.oo, f"reflect x = {hi} - y")
    # log-normal type: features in log(x)**n -> x = exp(y)
    if lo == 0 and hi is sp.oo and any(a.is_Pow and a.base == sp.log(x) for ff in feats
                                       for a in sp.preorder_traversal(ff)):
        yield _sub(region, f, sp.exp(y), y, -sp.oo, sp.oo, "substitute x = exp(y)")
    # exp features (Gumbel, logistic): y = exp(k*x + d)
    for ff in L.coeff:
        for ex in ff.atoms(sp.exp):
            arg = sp.expand(ex.args[0])
            k = arg.coeff(x)
            if k != 0 and not (arg - k * x).has(x) and (k.is_positive or k.is_negative):
                # the ends map to exp(k*end + d) (0 or oo at an infinite end): a half-line
                # becomes (exp(k*lo + d), oo) (Gompertz: y = e^(b x) on (1, oo))
                d = arg - k * x

                def end(e):
                    if not e.is_infinite:
                        return sp.exp(k * e + d)
                    up = (e is sp.oo) == bool(k.is_positive)  # k*e -> +oo
                    return sp.oo if up else sp.S.Zero
                ylo, yhi = (end(lo), end(hi)) if k.is_positive else (end(hi), end(lo))
                yp = sp.Dummy("y", positive=True)
                yield _sub(region, f, (sp.log(yp) - d) / k, yp, ylo, yhi,
                           f"substitute y = exp({arg})")
    # x**a inside log(1 - x**a) (Kumaraswamy): y = x**a
    for ff in L.coeff:
        if isinstance(ff, sp.log):
            for pw in ff.args[0].atoms(sp.Pow):
                if pw.base == x and not pw.exp.has(x) and pw.exp.is_positive and lo == 0 \
                        and not pw.exp.is_Integer and sp.expand(ff.args[0] + pw) == 1:
                    yp = sp.Dummy("y", positive=True)
                    yield _sub(region, f, yp ** (1 / pw.exp), yp, sp.S.Zero, hi ** pw.exp,
                               f"substitute y = x**{pw.exp}")
    # log(a*x + b) on (0, oo), a, b > 0 (beta prime): x = (b/a) * t/(1 - t), t in (0, 1)
    if lo == 0 and hi is sp.oo:
        for ff in L.coeff:
            if isinstance(ff, sp.log):
                poly = ff.args[0].as_poly(x)
                if poly is not None and poly.degree() == 1:
                    a, b = poly.all_coeffs()
                    if a.is_positive and b.is_positive:
                        t = sp.Dummy("t", positive=True)
                        yield _sub(region, f, (b / a) * t / (1 - t), t, sp.S.Zero, sp.S.One,
                                   "substitute x = (b/a) t/(1-t)")
                        return


def _sub(region, f, x_of_y, y, lo, hi, text):
    facts = region.facts
    if text not in region.cache:  # the same change of variable serves every feature
        try:
            L2 = region.L.change_variable(x_of_y, y, lo, hi, facts)
        except ValueError:
            L2 = None
        new = None if L2 is None else Region(L2, lo, hi, facts, region.normalized)
        region.cache[text] = (new, x_of_y, y)
    new, x_of_y, y = region.cache[text]
    if new is None:
        return text, None, None
    f2 = sp.expand(sp.powsimp(sp.expand_log(f.subs(region.x, x_of_y), force=False)))
    f2form = LogForm.from_terms([f2], y, lo, hi, facts)
    return text, new, f2form.expr()


# ------------------------------------------------------------ driver

def integral(region, g, depth=0):
    """``int exp(L) * g`` on the region (``E[g]`` when normalised), or raise NoClosedForm."""
    return integral_steps(region, g, depth)[0]


def integral_steps(region, g, depth=0):
    """``(value, step)``: :func:`integral` and the record of how it was found, a
    :class:`RuleStep` (no rule name: linearity) whose children are the steps of the
    features of ``g``, and first, when the region is not normalised and ``g`` has a
    constant term, the step of the region's mass."""
    budget.check()
    x = region.x
    G = LogForm.from_terms([g], x, region.lo, region.hi, region.facts)
    total = sp.S.Zero
    steps = []
    if G.const != 0:
        if region.normalized:
            total += G.const
        else:
            mass, step = _mass(region, depth)
            total += G.const * mass
            steps.append(step)
    poly = {f: c for f, c in G.coeff.items() if f.is_polynomial(x) and f.as_poly(x).is_monomial}
    positive_end = region.hi is sp.oo and known_le(0, region.lo, region.facts) is sp.true
    even_top = poly and region.hi is sp.oo and region.lo is sp.S.NegativeInfinity and \
        max(sp.degree(f, x) for f in poly) % 2 == 0
    if len(poly) < 2 or not (positive_end or even_top):
        poly = {}
    for f, c in G.coeff.items():
        if f not in poly:
            v, step = _feature(region, sp.powsimp(f, combine="exp"), depth)
            steps.append(step if step.target == f else replace(step, target=f))
            total += c * v
    if poly:
        v, pstep = _polynomial(region, poly, depth)
        steps.extend(pstep)
        total += v
    return total, RuleStep("", g, total, tuple(steps))


def _polynomial(region, poly, depth):
    """E[sum c_n x**n] on (lo >= 0, oo): finite iff the top moment is; else sign(c_top)*oo.
    Returns the value and the steps of the moments used."""
    x = region.x
    whole = quadratic_moment(region, sp.Add(*[c * f for f, c in poly.items()]))
    if whole is not None:
        return whole, [RuleStep(QuadraticMoment.name, sp.Add(*[c * f for f, c in poly.items()]),
                                whole)]
    values, conds = [], []
    top = max(poly, key=lambda f: sp.degree(f, x))
    sign = sp.sign(poly[top])
    vtop, stop = _feature(region, top, depth)
    steps = [stop]
    if vtop in (sp.oo, -sp.oo) and sign in (1, -1):
        return sign * vtop, steps  # the top power dominates at the infinite end(s)
    for f, c in poly.items():
        if f == top:
            v = vtop
        else:
            v, step = _feature(region, f, depth)
            steps.append(step)
        if isinstance(v, sp.Piecewise) and v.args[-1][0] in (sp.oo, -sp.oo):
            v, cond = v.args[0]
            conds.append(cond)
        values.append(c * v)
    if not conds:
        return sp.Add(*values), steps
    if sign not in (1, -1):
        raise NoClosedForm("divergent moments with a coefficient of unknown sign")
    return sp.Piecewise((sp.Add(*values), sp.And(*conds)), (sign * sp.oo, True)), steps


def _mass(region, depth=0):
    """``(int exp(L), step)`` on the region; ``depth`` is the number of changes of
    variable already made (passed on, so that nested substitutions stay bounded)."""
    found = _Z(region.L, region)
    if found is None:
        return _feature(region, sp.S.One, depth)
    r, step = found
    return _guard(r.Z, r.cond, 1), step


def _feature(region, f, depth):
    """``(value, step)`` of ``int exp(L) f``: the first rule that applies, else a change
    of variable, else SymPy; raise NoClosedForm."""
    for rule in RULES:
        budget.check()
        out = None
        with attempt():
            out = ask(rule, region, f)
        if out is not None and admissible(out[0], region):
            return out
    if depth < 3:
        for text, new, f2 in _substitutions(region, f):
            if new is None:
                continue
            try:
                v, step = integral_steps(new, f2, depth + 1)
            except NoClosedForm:
                continue
            if not admissible(v, region):
                continue
            return v, RuleStep(text, f, v, (step,))
    if depth == 0 or region.lo.is_finite and region.hi.is_finite:
        v = FALLBACK.apply(region, f)
        if v is not None and admissible(v, region):
            return v, RuleStep(FALLBACK.name, f, v)
    raise NoClosedForm(f"no rule for E[{f}]")
