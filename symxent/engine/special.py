"""Kernels whose normalisers are special functions (Bessel I and K, Beta, Gamma).

Each kernel, like those of :mod:`symxent.engine.kernels`, returns
``Z = int exp(L) dx`` for a log-linear form ``L`` of its shape and the
condition under which the integral converges; the engine obtains every
expectation from ``Z`` by exponential tilting (derivatives of ``log Z`` with
respect to a feature's coefficient) or ratios of ``Z``.  Nothing here is a
typed-in entropy or divergence.

* :class:`BetaPrimeIntegral` -- ``int_0^oo x**(s-1) (1 + k x**c)**(-b) dx``
  (beta prime, log-logistic, Dagum, Lomax, Burr).
* :class:`BesselKIntegral` -- ``int_0^oo x**(p-1) exp(-A x - B/x) dx``
  (inverse Gaussian / Wald and the generalised inverse Gaussian).
* :class:`VonMisesIntegral` -- ``exp(sum_j c_j cos(w x + d_j))`` over whole
  periods (von Mises, the circular uniform).
* :class:`RaisedCosineIntegral` -- ``(1 + cos(w x + d))**beta`` over whole
  periods (raised cosine).
* :class:`FactoredBetaIntegral` -- Euler's Beta integral when the features are
  logarithms of polynomials vanishing only at the two ends (Wigner semicircle).

The two functions :class:`besselk` and :class:`besselk_dnu` add to SymPy's
``besselk`` what tilting needs: a derivative with respect to the order, and
the elementary values at half-odd-integer orders.

Importing this module registers the kernels (``symxent.engine`` imports it).
"""
from __future__ import annotations

import sympy as sp

from symxent.engine.expectation import NoClosedForm, register_rule
from symxent.engine.kernels import (BetaIntegral, Kernel, KernelResult, _exp,
                                    _log_one_plus_exp, integrate_exp, register_kernel)
from symxent.engine.logform import LogForm
from symxent.laws.support import known_positive

__all__ = ["besselk", "besselk_dnu", "BetaPrimeIntegral", "BesselKIntegral",
           "VonMisesIntegral", "RaisedCosineIntegral", "FactoredBetaIntegral",
           "SPECIAL_KERNELS"]



def _is_pos(e, facts=()):
    """``e > 0``; a fraction with a known positive denominator as its numerator's sign."""
    e = sp.factor(sp.together(e))
    num, den = sp.fraction(e)
    if den != 1 and den.is_positive:
        return known_positive(num, facts)
    return known_positive(e, facts)


# ------------------------------------------------------------ Bessel K


def _half_odd(nu):
    """``|nu| - 1/2`` as a Python int when ``nu`` is a half-odd integer, else None."""
    two = 2 * nu
    if not (two.is_Integer and two.is_odd):
        return None
    return int(abs(two) - 1) // 2


class besselk(sp.besselk):  # noqa: N801 - prints as, and is, SymPy's besselk
    """SymPy's ``besselk`` with a derivative in the order and half-odd closed forms.

    * ``d/dnu K_nu(z)`` is :class:`besselk_dnu` (SymPy leaves it unevaluated).
    * ``K_{n+1/2}(z)`` is elementary: ``K_{1/2}(z) = K_{-1/2}(z) =
      sqrt(pi/(2z)) exp(-z)`` (DLMF 10.39.2 with 10.27.3) and
      ``K_{nu+1}(z) = K_{nu-1}(z) + (2 nu/z) K_nu(z)`` (DLMF 10.29.1).
    The derivative in ``z`` (SymPy's) keeps this class, so tilted normalisers
    stay elementary at half-odd orders.
    """

    @classmethod
    def eval(cls, nu, z):
        n = _half_odd(nu)
        if n is not None:
            k_prev = k = sp.sqrt(sp.pi / (2 * z)) * sp.exp(-z)  # K_{-1/2}, K_{1/2}
            order = sp.S.Half
            for _ in range(n):
                k_prev, k = k, k_prev + 2 * order / z * k
                order += 1
            return k
        return super().eval(nu, z)

    def fdiff(self, argindex=2):
        if argindex == 1:
            return besselk_dnu(*self.args)
        return super().fdiff(argindex)


class besselk_dnu(sp.Function):  # noqa: N801
    """``d/dnu K_nu(z)``, the derivative of the Bessel K function in its order.

    At ``nu = +-1/2`` it is ``+- sqrt(pi/(2z)) E1(2z) exp(z)`` (DLMF 10.38.7);
    elsewhere it stays unevaluated (its derivatives are not closed forms here).
    """

    nargs = 2

    @classmethod
    def eval(cls, nu, z):
        if nu in (sp.S.Half, -sp.S.Half):
            sign = 1 if nu.is_positive else -1
            return sign * sp.sqrt(sp.pi / (2 * z)) * sp.expint(1, 2 * z) * sp.exp(z)
        return None

    def _eval_evalf(self, prec):
        import mpmath
        nu, z = (a.evalf(prec) for a in self.args)
        if not (nu.is_Number and z.is_Number):
            return None
        with mpmath.workprec(prec):
            v = mpmath.diff(lambda t: mpmath.besselk(t, mpmath.mpf(z)), mpmath.mpf(nu))
        return sp.Float(v, precision=prec)


# ------------------------------------------------------------ helpers


def _power_of_x(f, x):
    """``(Q, c)`` when ``f = Q * x**c`` with ``Q``, ``c`` free of ``x``, else None."""
    Q, e = f.as_independent(x, as_Add=False)
    if e == x:
        return Q, sp.S.One
    if e.is_Pow and e.base == x and not e.exp.has(x):
        return Q, e.exp
    return None


def _one_plus_power(f, x, facts):
    """``f = log(P + Q*x**c)`` with ``P, Q > 0`` -> ``(log P, log(Q/P), c)``."""
    if not isinstance(f, sp.log):
        return None
    terms = sp.Add.make_args(sp.expand(f.args[0]))
    fixed = [t for t in terms if not t.has(x)]
    moving = [t for t in terms if t.has(x)]
    if len(fixed) != 1 or len(moving) != 1:
        return None
    qc = _power_of_x(moving[0], x)
    if qc is None:
        return None
    (P,), (Q, c) = fixed, qc
    if not (c.is_positive or c.is_negative):
        return None
    if _is_pos(P, facts) is not sp.true or _is_pos(Q, facts) is not sp.true:
        return None
    logP = sp.expand_log(sp.log(P), force=True)      # P, Q > 0
    return logP, sp.expand_log(sp.log(Q), force=True) - logP, c


def _same(u, v):
    return sp.expand(u - v) == 0


# ------------------------------------------------------------ kernels


class BetaPrimeIntegral(Kernel):
    """int_0^oo x**(s-1) * (1 + k*x**c)**(-b) dx = k**(-s/c) * B(s/c, b - s/c) / |c|.

    For k > 0, c != 0 and 0 < s/c < b.  Substitute u = k*x**c: the integral
    becomes int_0^oo u**(s/c - 1) (1 + u)**(-b) du / (|c| k**(s/c)), Euler's
    Beta integral of the second kind (DLMF 5.12.3; Gradshteyn & Ryzhik
    3.241.4).  Covers the beta prime, log-logistic, Dagum, Lomax (Pareto II)
    and Burr laws; features ``log(P + Q*x**c)`` in any of their spellings.
    """

    name = "beta-prime integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if lo != 0 or hi is not sp.oo:
            return None
        const, s = form.const, form.coeff.get(sp.log(x), sp.S.Zero) + 1
        base, b = None, sp.S.Zero
        for f, w in form.coeff.items():
            if f == sp.log(x):
                continue
            parts = _one_plus_power(f, x, facts)
            if parts is None:
                return None
            logP, logk, c = parts
            if base is not None and _same(c, -base[1]):
                # log(P + Q x**c) = log Q + c log x + log(1 + (P/Q) x**-c)
                logP, logk, c, s = logP + logk, -logk, -c, s + w * c
            if base is None:
                base = (logk, c)
            elif not (_same(c, base[1]) and _same(logk, base[0])):
                return None
            const += w * logP
            b -= w
        if base is None:
            return None
        logk, c = base
        alpha = sp.cancel(s / c)
        absc = c if c.is_positive else -c
        logZ = (const - alpha * logk - sp.log(absc) + sp.log(sp.gamma(alpha))
                + sp.log(sp.gamma(b - alpha)) - sp.log(sp.gamma(b)))
        Z = (_exp(const - alpha * logk) / absc
             * sp.gamma(alpha) * sp.gamma(b - alpha) / sp.gamma(b))
        return KernelResult(Z, sp.And(_is_pos(alpha, facts), _is_pos(b - alpha, facts)),
                            self.name, logZ)


class BesselKIntegral(Kernel):
    """int_0^oo x**(p-1) * exp(-A*x - B/x) dx = 2 * (B/A)**(p/2) * K_p(2*sqrt(A*B)), A, B > 0.

    Gradshteyn & Ryzhik 3.471.9; DLMF 10.32.10 after x = sqrt(B/A) e^t.  The
    normaliser of the generalised inverse Gaussian law; the inverse Gaussian
    (Wald) is p = -1/2, where tilting in ``log x`` needs d/dp K_p at p = -1/2
    (:class:`besselk_dnu`).
    """

    name = "Bessel K integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if lo != 0 or hi is not sp.oo or not (x in form.coeff and 1 / x in form.coeff):
            return None
        if any(f not in (x, 1 / x, sp.log(x)) for f in form.coeff):
            return None
        p = form.coeff.get(sp.log(x), sp.S.Zero) + 1
        A, B = -form.coeff[x], -form.coeff[1 / x]
        z = 2 * sp.sqrt(A * B)
        Z = 2 * _exp(form.const) * (B / A) ** (p / 2) * besselk(p, z)
        logZ = (form.const + sp.log(2) + p * (sp.log(B) - sp.log(A)) / 2
                + sp.log(besselk(p, z)))
        return KernelResult(Z, sp.And(_is_pos(A, facts), _is_pos(B, facts)), self.name, logZ)


def _periods(form, lo, hi, fns):
    """Features ``f(w*x + d)`` (f in ``fns``) over whole periods ``2 pi/|w|``.

    Returns ``(w, [(feature, f, d, coefficient)])`` with ``w > 0`` or None.
    """
    x = form.x
    if not (lo.is_finite and hi.is_finite):
        return None
    w, out = None, []
    for f, c in form.coeff.items():
        g = next((a for a in sp.preorder_traversal(f) if isinstance(a, fns)), None)
        if g is None:
            return None
        arg = sp.expand(g.args[0])
        k = arg.coeff(x)
        d = arg - k * x
        if d.has(x) or not (k.is_positive or k.is_negative):
            return None
        if w is not None and not (_same(k, w) or _same(k, -w)):
            return None
        w = k if w is None or _same(k, w) else w
        out.append((f, g, k, d, c))
    if w is None:
        return None
    if w.is_negative:
        w = -w
    n = sp.simplify((hi - lo) * w / (2 * sp.pi))
    if not (n.is_integer and n.is_positive):
        return None
    return w, out


class VonMisesIntegral(Kernel):
    """int over whole periods of exp(sum_j c_j cos(w*x + phi_j)) dx = (hi - lo) * I_0(R).

    R**2 = sum_j c_j**2 + 2 sum_{i<j} c_i c_j cos(phi_i - phi_j): the sum of
    cosines of one frequency is R cos(w*x + psi), and int_0^(2 pi)
    exp(R cos t) dt = 2 pi I_0(R) (DLMF 10.32.1), for any phase over a whole
    period.  Sines are cosines shifted by pi/2.  Covers the von Mises law and
    its tilts by cos(x - mu2) (KL between von Mises laws).
    """

    name = "von Mises (Bessel I) integral"

    def __call__(self, form, lo, hi, facts):
        found = _periods(form, lo, hi, (sp.cos, sp.sin))
        if found is None:
            return None
        w, feats = found
        amps = []
        for f, g, k, d, c in feats:
            if f != g:
                return None
            if _same(k, w):
                sign, phase = 1, d
            else:
                sign, phase = (1, -d) if isinstance(g, sp.cos) else (-1, -d)
            if isinstance(g, sp.sin):
                phase -= sp.pi / 2
            amps.append((sign * c, phase))
        if len(amps) == 1:
            R = amps[0][0]  # I_0 is even
        else:
            R2 = sum(c**2 for c, _ in amps)
            for i, (ci, pi_) in enumerate(amps):
                for cj, pj in amps[i + 1:]:
                    R2 += 2 * ci * cj * sp.cos(pi_ - pj)
            R = sp.sqrt(R2)
        Z = _exp(form.const) * (hi - lo) * sp.besseli(0, R)
        logZ = form.const + sp.log(hi - lo) + sp.log(sp.besseli(0, R))
        return KernelResult(Z, sp.true, self.name, logZ)


class RaisedCosineIntegral(Kernel):
    """int over whole periods of (P*(1 + cos(w*x + d)))**beta dx = (hi - lo) (2P)**beta c(beta).

    c(beta) = Gamma(beta + 1/2) / (sqrt(pi) Gamma(beta + 1)).

    For P > 0 and beta > -1/2.  With 1 + cos t = 2 cos(t/2)**2 the mean over a
    period is (2**beta / pi) int_(-pi/2)^(pi/2) cos(u)**(2 beta) du and
    int_0^(pi/2) cos(u)**(2 beta) du = B(1/2, beta + 1/2) / 2 (DLMF 5.12.2).
    ``P*(1 - cos t)`` is the same with the phase shifted by pi.
    """

    name = "raised-cosine (Beta) integral"

    def __call__(self, form, lo, hi, facts):
        found = _periods(form, lo, hi, (sp.cos,))
        if found is None or len(found[1]) != 1:
            return None
        (f, g, k, d, beta), = found[1]
        if not isinstance(f, sp.log):
            return None
        arg = f.args[0]
        P = sp.expand(arg.xreplace({g: sp.S.Zero}))
        Q = sp.expand((arg - P) / g)
        if Q.has(form.x) or not (_same(P, Q) or _same(P, -Q)):
            return None
        if _is_pos(P, facts) is not sp.true:
            return None
        half = sp.S.Half
        logZ = (form.const + sp.log(hi - lo) + beta * sp.log(2 * P) + sp.log(sp.gamma(beta + half))
                - sp.log(sp.pi) / 2 - sp.log(sp.gamma(beta + 1)))
        Z = (_exp(form.const) * (hi - lo) * (2 * P) ** beta * sp.gamma(beta + half)
             / (sp.sqrt(sp.pi) * sp.gamma(beta + 1)))
        return KernelResult(Z, _is_pos(beta + half, facts), self.name, logZ)


class FactoredBetaIntegral(Kernel):
    """Euler's Beta integral when each feature is log of a polynomial vanishing only at the ends.

    A polynomial whose real roots are exactly ``lo`` and ``hi`` is
    ``C * (x - lo)**i * (hi - x)**j`` with ``C > 0`` on the interval, so
    ``log`` of it is ``log C + i log(x - lo) + j log(hi - x)``: the form is a
    :class:`~symxent.engine.kernels.BetaIntegral` one (DLMF 5.12.1).  Covers
    the Wigner semicircle ``sqrt(R**2 - x**2)`` on ``(-R, R)``.
    """

    name = "Beta integral (factored polynomial)"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if not (lo.is_finite and hi.is_finite):
            return None
        left = sp.log(x - lo) if lo != 0 else sp.log(x)
        right = sp.log(hi - x)
        const, coeff, changed = form.const, {}, False
        for f, w in form.coeff.items():
            if f in (left, right):
                coeff[f] = coeff.get(f, 0) + w
                continue
            if not isinstance(f, sp.log):
                return None
            poly = f.args[0].as_poly(x)
            if poly is None or poly.degree() < 1:
                return None
            rts = sp.roots(poly)
            if sum(rts.values()) != poly.degree():
                return None
            i = sum(mult for r, mult in rts.items() if _same(r, lo))
            j = sum(mult for r, mult in rts.items() if _same(r, hi))
            if i + j != poly.degree():
                return None
            C = poly.LC() * (-1) ** j      # (x - hi)**j = (-1)**j (hi - x)**j
            if _is_pos(C, facts) is not sp.true:
                return None
            const += w * sp.expand_log(sp.log(C), force=True)
            for feat, mult in ((left, i), (right, j)):
                if mult:
                    coeff[feat] = coeff.get(feat, 0) + w * mult
            changed = True
        if not changed:
            return None
        r = BetaIntegral()(LogForm(x, const, coeff), lo, hi, facts)
        if r is None:
            return None
        return KernelResult(r.Z, r.cond, self.name, r.logZ)


class GaussianLogLimit:
    """Ends the search for E[log(1 + c e^(k y))] and E[log(y**2 + c)] under a Gaussian in y.

    The first is the logistic-normal integral, the second the Gaussian mean of the log of a
    quadratic with complex roots; neither is reached by the kernels, and SymPy's
    ``integrate`` does not find them either (measured: it spends its whole share of the
    budget), so this rule raises :class:`NoClosedForm` at once and the caller gets the
    unevaluated object quickly (KL Normal || Logistic, Normal || StudentT; S LogitNormal,
    a Gaussian in y = log(x/(1 - x)) whose log x = -log(1 + e^(-y)) is the same integral).
    It never returns a value.
    """

    name = "no closed form (logistic-normal integral)"

    def apply(self, region, f):
        x, L = region.x, region.L
        if region.lo is sp.S.NegativeInfinity and region.hi is sp.oo:
            if not isinstance(f, sp.log):
                return None
            if set(L.coeff) - {x, x**2} or x**2 not in L.coeff:
                return None
            poly = f.args[0].as_poly(x)
            hopeless = _log_one_plus_exp(f, x, region.facts) is not None or (
                poly is not None and poly.degree() == 2 and not any(
                    r.is_real for r in sp.roots(poly)) and sp.roots(poly))
        else:
            # a monomial in log x, log(1 - x): E[log(1 + e^(-y))**i log(1 + e^y)**j]
            A, B = sp.Dummy(), sp.Dummy()
            g = f.xreplace({sp.log(x): A, sp.log(1 - x): B})
            hopeless = (region.lo == 0 and region.hi == 1 and sp.log(x / (1 - x))**2 in L.coeff
                        and not g.has(x) and g.has(A, B) and g.is_polynomial(A, B)
                        and len(sp.Add.make_args(g)) == 1)
        if hopeless:
            raise NoClosedForm(f"E[{f}] under a Gaussian: the logistic-normal integral")
        return None


class StudentMoments:
    """E[x] and E[x**2] under q(x)**(-r), q = x**2 + B x + C with complex roots (Student t).

    x**2 = q - B x - C, and E[q] = Z(L + log q) / Z(L), a ratio of Student-t normalisers
    (:class:`~symxent.engine.kernels.StudentKernel`); E[x] = -B/2 by symmetry about the
    centre.  Both need the tilted integral to converge (r > 3/2 for E[x**2], r > 1 for E[x]);
    elsewhere E[x**2] = +oo, so the result is a Piecewise (KL StudentT || Normal for nu > 2).
    """

    name = "ratio of Student-t normalisers (moments)"

    def apply(self, region, f):
        x, L = region.x, region.L
        if not (region.normalized and region.lo is sp.S.NegativeInfinity
                and region.hi is sp.oo and f in (x, x**2) and len(L.coeff) == 1):
            return None
        (q, c), = L.coeff.items()
        if not isinstance(q, sp.log):
            return None
        poly = q.args[0].as_poly(x)
        if poly is None or poly.degree() != 2 or poly.LC() != 1:
            return None
        _, B, C = poly.all_coeffs()
        centre = -B / 2
        if f == x:
            cond = _is_pos(-c - 1, region.facts)
            if cond is not sp.true:
                return None               # E[x] diverges or is undefined for r <= 1
            return centre
        z0 = integrate_exp(LogForm(x, sp.S.Zero, dict(L.coeff)), region.lo, region.hi,
                           region.facts)
        z1 = integrate_exp(LogForm(x, sp.S.Zero, {q: c + 1}), region.lo, region.hi,
                           region.facts)
        if z0 is None or z1 is None:
            return None
        val = sp.gammasimp(sp.powsimp(z1.Z / z0.Z)) - B * centre - C
        cond = z1.cond
        if cond is sp.true:
            return val
        if cond is sp.false:
            return sp.oo
        return sp.Piecewise((val, cond), (sp.oo, True))


SPECIAL_KERNELS = [BetaPrimeIntegral(), BesselKIntegral(), VonMisesIntegral(),
                   RaisedCosineIntegral(), FactoredBetaIntegral()]

for _k in SPECIAL_KERNELS:
    register_kernel(_k)
register_rule(GaussianLogLimit())
register_rule(StudentMoments())
