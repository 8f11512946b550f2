"""Numeric definitions of S, H and D_KL for the Multinomial and the multivariate t,
for :mod:`symxent.numeric.core` (call inside ``mpmath.workdps``).

Multinomial(n; p_1..p_k), n a number: log m(x) = log n! - sum log x_i! + sum x_i log p_i
on the compositions x of n.  Every measure is an expectation under P of such a
sum, and by linearity only the *marginals* enter: X_i ~ Binomial(n, p_i)
(Johnson, Kotz & Balakrishnan, "Discrete Multivariate Distributions", 1997,
Ch. 35), so

    E_P[log q(X)] = log n! - sum_i E[log X_i!] + n sum_i p_i log q_i,

with E[log X_i!] = sum_{j=0}^{n} Binom(j; n, p_i) log j!  summed exactly, term by
term (O(k n) terms, no composition enumerated).  Q with a different n, or q_i = 0
where p_i > 0, gives +oo (P puts mass where q = 0).

Multivariate t (location mu, shape matrix Sigma, nu degrees of freedom, dimension
d): the entropy only.  Whitened by the Cholesky factor C of Sigma (x = mu + C y,
|det C| = sqrt(det Sigma)) the density is radial, f(|y|)/|det C| with
f(r) = Gamma((nu+d)/2) / (Gamma(nu/2) (nu pi)**(d/2)) (1 + r**2/nu)**(-(nu+d)/2)
(Kotz & Nadarajah, "Multivariate t Distributions", 2004, eq. 1.1), so by polar
coordinates S = log|det C| - A_d int_0^oo r**(d-1) f(r) log f(r) dr with
A_d = 2 pi**(d/2) / Gamma(d/2) the area of the unit sphere: one 1-D integral,
done by :func:`symxent.numeric.quadrature.integrate` (with its error estimate).
Cross-entropy and KL between multivariate t laws are not radial in one variable:
:class:`UnsupportedError` says so.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from symxent.errors import ParameterError, UnsupportedError
from symxent.numeric.mpcompile import NumericError, compile_mp
from symxent.numeric.quadrature import integrate

__all__ = ["multinomial", "multivariate_t", "MAX_N"]

MAX_N = 10 ** 5   # numeric n above this: O(k n) terms would take too long


def _num(e, point):
    e = sp.sympify(e).xreplace(point)
    if e.free_symbols:
        raise ParameterError(f"no value given for {sorted(map(str, e.free_symbols))}")
    return e


def _mult_args(d, point):
    n, p = d.rv.pspace.distribution.args[:2]
    n = _num(n, point)
    if not (n.is_Integer and n >= 0):
        raise ParameterError(f"{d.rv}: the number of trials must be a non-negative "
                             f"integer, got {n}")
    if int(n) > MAX_N:
        raise NumericError(f"{d.rv}: n = {n} is too large to sum numerically")
    ps = [_num(v, point) for v in p]
    vals = [compile_mp(v, ())() for v in ps]
    if any(v < 0 for v in vals):
        raise ParameterError(f"{d.rv}: a negative probability in {ps}")
    return int(n), ps, vals


def _mean_log_factorial(n, p):
    """E[log X!] for X ~ Binomial(n, p), summed exactly term by term."""
    if p == 0 or n == 0:
        return mpmath.mpf(0)
    if p == 1:
        return mpmath.loggamma(n + 1)
    lp, lq = mpmath.log(p), mpmath.log(1 - p)
    lnf = mpmath.loggamma(n + 1)
    return mpmath.fsum(mpmath.exp(lnf - mpmath.loggamma(j + 1) - mpmath.loggamma(n - j + 1)
                                  + j * lp + (n - j) * lq) * mpmath.loggamma(j + 1)
                       for j in range(2, n + 1))


def multinomial(kind, dp, dq, point, wdps):
    """(value, error) of S, H or D_KL for Multinomial laws at a numeric point."""
    n, _, p = _mult_args(dp, point)
    eps = mpmath.mpf(10) ** (-wdps + 3)

    def neg_mean_log(qv):
        """-E_P[log q(X)] for a multinomial q with the same n."""
        tot = -mpmath.loggamma(n + 1) + mpmath.fsum(_mean_log_factorial(n, pi) for pi in p)
        for pi, qi in zip(p, qv):
            if pi == 0:
                continue          # 0 log 0 = 0: the coordinate is 0 a.s.
            if qi == 0:
                return mpmath.inf
            tot -= n * pi * mpmath.log(qi)
        return tot

    hp = neg_mean_log(p)
    if kind == "entropy":
        return hp, eps * (1 + abs(hp) + n)
    nq, _, q = _mult_args(dq, point)
    if nq != n or len(q) != len(p):
        return mpmath.inf, mpmath.mpf(0)   # P's compositions are not Q's: q = 0 there
    h = neg_mean_log(q)
    if mpmath.isinf(h):
        return h, mpmath.mpf(0)
    val = h if kind == "cross_entropy" else h - hp
    return val, eps * (1 + abs(h) + abs(hp) + n)


def multivariate_t(kind, dp, dq, point, prec):
    """(value, error) of the entropy of a multivariate t law at a numeric point."""
    if kind != "entropy":
        raise UnsupportedError("no numeric definition of the cross-entropy or KL "
                               "divergence between multivariate t laws (only the "
                               "entropy, by its radial reduction)")
    mu, sigma, nu = dp.rv.pspace.distribution.args[:3]
    sigma = sp.Matrix(sigma).xreplace(point)
    nu = _num(nu, point)
    if sigma.free_symbols:
        raise ParameterError(f"no value given for {sorted(map(str, sigma.free_symbols))}")
    dim = sigma.shape[0]
    det = sigma.det()
    if not (det.is_positive and nu.is_positive):
        raise ParameterError(f"{dp.rv}: the shape matrix must be positive definite and "
                             f"nu > 0 (det = {det}, nu = {nu})")
    r = sp.Dummy("r", positive=True)
    logf = (sp.loggamma((nu + dim) / 2) - sp.loggamma(nu / 2) - sp.Rational(dim, 2)
            * sp.log(nu * sp.pi) - (nu + dim) / 2 * sp.log(1 + r**2 / nu))
    area = 2 * sp.pi ** sp.Rational(dim, 2) / sp.gamma(sp.Rational(dim, 2))
    # the radial law: density area r**(d-1) f(r) on (0, oo); its log, expanded
    L = sp.log(area) + (dim - 1) * sp.log(r) + logf
    val, err = integrate(L, -logf, r, sp.S.Zero, sp.oo, prec)
    half_logdet = compile_mp(sp.log(det) / 2, ())()
    return val + half_logdet, err
