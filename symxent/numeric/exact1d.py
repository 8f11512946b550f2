"""Exact one-variable integrals of the definition, for :func:`symxent.numeric.quadrature.separable`.

Gaussian factors (multivariate normals) and Beta factors (Dirichlet laws in
stick-breaking coordinates).

A multivariate normal whitened by P (x = mu_P + C z) has the log-density
``-z_i**2/2 + const`` in each coordinate, and the integrand of its entropy,
cross-entropy or KL divergence is a polynomial in z.  Each one-variable factor
of the (Fubini-split) definition is then an integral

    int_R exp(a y**2 + b y + c) y**k dy,   a < 0,

which is known exactly:  exp(c - b**2/(4a)) sqrt(pi/(-a)) M_k, where M_k is
the k-th raw moment of N(m, s**2), m = -b/(2a), s**2 = -1/(2a) (the Gaussian
integral, Abramowitz & Stegun, Handbook of Mathematical Functions, 7.4.2 and
26.2.11 for the normal moments), with the recurrence
M_0 = 1, M_1 = m, M_k = m M_(k-1) + (k-1) s**2 M_(k-2) (from Stein's identity
E[(Y-m) g(Y)] = s**2 E[g'(Y)] with g(y) = y**(k-1)).

This is still the *definition* evaluated independently of the engine: the
integrand comes from the normal density written in :mod:`symxent.numeric`,
not from any closed form; only the one-dimensional quadrature is replaced by
its exact value, which is much cheaper than double-exponential quadrature in
every coordinate (32 coordinates took ~4.5 s).  Must be called inside
``mpmath.workdps``.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from symxent.numeric.mpcompile import compile_mp

__all__ = ["gaussian_integrals", "beta_integrals"]


def _num(e):
    return compile_mp(sp.sympify(e), ())()


def gaussian_integrals(L, Ds, y):
    """``[(value, error), ...]``: int_R exp(L) D dy for each D in ``Ds``, or None when
    ``L`` is not a quadratic in ``y`` with negative leading coefficient or some D is
    not a polynomial in ``y`` (then the caller integrates numerically)."""
    if not L.is_polynomial(y) or not all(sp.sympify(D).is_polynomial(y) for D in Ds):
        return None
    pl = sp.Poly(L, y)
    if pl.degree() != 2:
        return None
    a2, b2, c2 = (pl.coeff_monomial(y ** j) for j in (2, 1, 0))
    if a2.free_symbols or b2.free_symbols or c2.free_symbols:
        return None
    a, b, c = _num(a2), _num(b2), _num(c2)
    if not (mpmath.isfinite(a) and a < 0):
        return None
    polys = [sp.Poly(D, y) for D in Ds]
    if any(c_.free_symbols for p in polys for c_ in p.coeffs()):
        return None
    kmax = max(p.degree() for p in polys) if polys else 0
    m, s2 = -b / (2 * a), -1 / (2 * a)
    moments = [mpmath.mpf(1), m]
    for k in range(2, kmax + 1):
        moments.append(m * moments[k - 1] + (k - 1) * s2 * moments[k - 2])
    scale = mpmath.exp(c - b * b / (4 * a)) * mpmath.sqrt(mpmath.pi / (-a))
    tiny = mpmath.mpf(10) ** (-mpmath.mp.dps + 3)
    out = []
    for p in polys:
        if p.is_zero:
            out.append((mpmath.mpf(0), mpmath.mpf(0)))
            continue
        terms = [_num(coef) * moments[mon[0]] for mon, coef in p.terms()]
        val = scale * mpmath.fsum(terms)
        # rounding only: the terms' size bounds the cancellation
        err = scale * mpmath.fsum(abs(t) for t in terms) * tiny
        out.append((val, err))
    return out


def beta_integrals(L, Ds, u):
    """``[(value, error), ...]``: int_0^1 exp(L) D du for each D in ``Ds`` when
    ``L = A log u + B log(1 - u) + c`` (A, B > -1) and each D is
    ``d0 + d1 log u + d2 log(1 - u)`` (numbers d_i); otherwise None.

    A Dirichlet law in stick-breaking coordinates has such factors in each u_i, and
    its entropy, cross-entropy and KL integrands are of that form, so each factor is
    a Beta integral (Gradshteyn & Ryzhik 8.380.1 and 4.253.1):
    int_0^1 u^A (1-u)^B du = B(A+1, B+1),
    int_0^1 u^A (1-u)^B log u du = B(A+1, B+1) (psi(A+1) - psi(A+B+2)),
    and the same with log(1-u) and psi(B+1).  The integrand is still the
    definition written in :mod:`symxent.numeric`; only the quadrature is exact.
    """
    lu, l1 = sp.Dummy("lu"), sp.Dummy("l1")
    rep = {sp.log(u): lu, sp.log(1 - u): l1}

    def linear(e):
        cs = {sp.S.One: [], lu: [], l1: []}
        for t in sp.Add.make_args(sp.sympify(e).xreplace(rep)):
            c, rest = t.as_independent(lu, l1, as_Add=False)
            if rest not in cs or c.free_symbols:
                return None
            cs[rest].append(c)
        return [_num(sp.Add(*cs[k])) for k in (sp.S.One, lu, l1)]
    cl = linear(L)
    if cl is None:
        return None
    c, A, B = cl
    if not (A > -1 and B > -1):
        return None
    scale = mpmath.exp(c + mpmath.log(mpmath.beta(A + 1, B + 1)))
    psi_ab = mpmath.digamma(A + B + 2)
    e_lu, e_l1 = mpmath.digamma(A + 1) - psi_ab, mpmath.digamma(B + 1) - psi_ab
    tiny = mpmath.mpf(10) ** (-mpmath.mp.dps + 3)
    out = []
    for D in Ds:
        cd = linear(D)
        if cd is None:
            return None
        terms = [cd[0], cd[1] * e_lu, cd[2] * e_l1]
        out.append((scale * mpmath.fsum(terms),
                    scale * mpmath.fsum(abs(t) for t in terms) * tiny))
    return out
