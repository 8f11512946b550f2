"""Continuous laws and user densities a demanding user tries (issue 8, "never wrong"):
shifted laws with a symbolic end, densities vanishing on part of the support, ...

Every closed form is checked against a cited formula symbolically and against a
30-digit quadrature of the *definition* (tests/references_quad.py, independent of
the engine) at admissible points including extreme magnitudes.
"""
import warnings

import mpmath
import pytest
import sympy as sp
from sympy import Interval, Piecewise, Rational as R, S, Symbol, exp, log, oo
from sympy.stats import ContinuousRV, Exponential, Uniform

from symxent import cross_entropy, entropy, kl_divergence
from references_quad import close, definition

x = Symbol("x")
c = Symbol("c", real=True)
s, t, a = sp.symbols("s t a", positive=True)


def _shifted_exp(rate, start):
    # X = start + Exponential(rate), written as a user density on Interval(start, oo)
    return ContinuousRV(x, rate * exp(-rate * (x - start)), Interval(start, oo))


def test_shifted_exponential_with_symbolic_start():
    # The density check used to call float() on the symbolic end c (TypeError).
    X, Y = _shifted_exp(s, c), Exponential("Y", t)
    got_s = entropy(X)
    got_kl = kl_divergence(X, Y)
    got_back = kl_divergence(Y, X)
    # S = 1 - log(rate) (Cover & Thomas, Elements of Information Theory, 2nd ed.,
    # Table 17.1), shift invariant; D(P||Q) = E_P[log p - log q] with E_P[X] = c + 1/s:
    # log(s/t) - 1 + t*(c + 1/s) when c >= 0 (P's support inside Q's), else +oo.
    assert sp.simplify(got_s - (1 - log(s))) == 0
    ref_kl = sp.Piecewise((log(s / t) - 1 + t * (c + 1 / s), c >= 0), (oo, True))
    ref_back = sp.Piecewise((log(t / s) - 1 + s * (1 / t - c), c <= 0), (oo, True))
    for pt in ({s: R(1, 1000), t: R(900), c: R(2, 10**4)}, {s: R(450), t: R(3, 1000), c: R(-5, 2)}):
        for got, ref, args in ((got_kl, ref_kl, (X, Y)), (got_back, ref_back, (Y, X))):
            v, r = got.xreplace(pt), ref.xreplace(pt)
            if r == oo:
                assert v == oo
                continue
            assert sp.simplify(v - r) == 0
            assert close(v, definition("kl", *args, pt))


def test_truncated_normal_on_a_symbolic_half_line():
    m = Symbol("m", real=True)
    X = ContinuousRV(x, 2 * exp(-(x - m) ** 2 / (2 * s**2)) / (sp.sqrt(2 * sp.pi) * s),
                     Interval(m, oo))
    got = entropy(X, verify=False)  # checked below against the definition
    # half-normal: S = log(sqrt(pi/2) * s) + 1/2 (Wikipedia, "Half-normal distribution")
    assert sp.simplify(got - (log(sp.sqrt(sp.pi / 2) * s) + S.Half)) == 0
    pt = {m: R(-31, 10), s: R(3, 1000)}
    assert close(got.xreplace(pt), definition("entropy", X, point=pt))


H = S.Half
HALF_ZERO = Piecewise((2, x < H), (0, True))           # 2 on (0, 1/2), 0 on (1/2, 1)
GAP = Piecewise((1, x < H), (0, x < R(3, 2)), (1, True))  # a gap (1/2, 3/2) inside (0, 2)


@pytest.mark.parametrize("kind", ["kl", "cross_entropy"])
def test_q_vanishing_where_p_has_mass_is_infinite(kind):
    # The declared supports nest, but q = 0 on a set of positive P-mass:
    # D(P||Q) = H(P, Q) = +oo by the definition (p log(p/q) = +oo there).
    fn = kl_divergence if kind == "kl" else cross_entropy
    Q = ContinuousRV(x, HALF_ZERO, Interval(0, 1))
    assert fn(Uniform("U", 0, 1), Q) == oo
    G = ContinuousRV(x, GAP, Interval(0, 2))
    assert fn(Uniform("V", 0, 2), G) == oo
    Qa = ContinuousRV(x, Piecewise((2 / a, x < a / 2), (0, True)), Interval(0, a))
    assert fn(Uniform("W", 0, a), Qa) == oo


def test_p_vanishing_on_part_of_the_support_is_finite():
    # the other direction is finite: D = log 2 (p = 2 on half of (0, 1), 0 elsewhere);
    # a density with a gap against itself is 0
    P = ContinuousRV(x, HALF_ZERO, Interval(0, 1))
    got = kl_divergence(P, Uniform("U", 0, 1))
    assert sp.simplify(got - log(2)) == 0
    assert close(got, definition("kl", P, Uniform("U", 0, 1), extra=[H]))
    G = ContinuousRV(x, GAP, Interval(0, 2))
    assert kl_divergence(G, G) == 0
    assert sp.simplify(kl_divergence(G, Uniform("V", 0, 2)) - log(2)) == 0


u = Symbol("u", positive=True)


def test_beta_prime_with_expression_parameters():
    # BetaPrime(2u, 1/u): the tilted normaliser's convergence condition is
    # 2u**2 - u*(2u - 1) - u + 1 > 0, i.e. 1 > 0, once expanded (it used to be undecided).
    from sympy.stats import BetaPrime
    X = BetaPrime("X", 2 * u, 1 / u)
    got = entropy(X)
    # S = log B(al, be) - (al - 1) psi(al) - (be + 1) psi(be) + (al + be) psi(al + be)
    # (Wikipedia, "Beta prime distribution", infobox; E[log X] = psi(al) - psi(be),
    # E[log(1 + X)] = psi(al + be) - psi(be))
    al, be = 2 * u, 1 / u
    ref = sp.log(sp.beta(al, be)) - (al - 1) * sp.digamma(al) - (be + 1) * sp.digamma(be) \
        + (al + be) * sp.digamma(al + be)
    for v in (R(2, 1000), R(150)):
        assert close(got.subs(u, v), sp.N(ref.subs(u, v), 40))
    assert close(got.subs(u, R(3, 7)), definition("entropy", X, point={u: R(3, 7)}))


def _bounded_pareto_entropy(al, lo, hi):
    # S = -log(al lo**al / (1 - r)) + (al + 1) E[log X], r = (lo/hi)**al, with
    # E[log X] = (log lo - r log hi)/(1 - r) + 1/al (integration by parts of
    # log(x) x**(-al-1) on (lo, hi); density from Wikipedia, "Pareto distribution",
    # bounded Pareto section)
    r = (lo / hi) ** al
    elog = (sp.log(lo) - r * sp.log(hi)) / (1 - r) + 1 / al
    return -sp.log(al * lo**al / (1 - r)) + (al + 1) * elog


def test_bounded_pareto_entropy_and_kl():
    from sympy.stats import BoundedPareto
    al, b, lo, w = sp.symbols("al b lo w", positive=True)
    X = BoundedPareto("X", al, lo, lo + w)
    got = entropy(X)
    for pt in ({al: R(5, 2), lo: R(1, 3), w: R(4)}, {al: R(3, 1000), lo: R(700), w: R(2, 1000)}):
        ref = _bounded_pareto_entropy(*[e.xreplace(pt) for e in (al, lo, lo + w)])
        assert close(got.xreplace(pt), sp.N(ref, 40))
        assert close(got.xreplace(pt), definition("entropy", X, point=pt))
    # parameters as expressions: SymPy writes the density's normaliser 1 - (l/h)**a with
    # an undecidable sign (it used to be refused)
    Y = BoundedPareto("Y", 2 * u, 1 / u, 1 / u + R(7, 3))
    got_y = entropy(Y, verify=False)  # checked below against the reference
    for v in (R(3, 5), R(40)):
        ref = _bounded_pareto_entropy(2 * v, 1 / v, 1 / v + R(7, 3))
        assert close(got_y.subs(u, v), sp.N(ref, 40))
    Z = BoundedPareto("Z", b, lo, lo + w)
    kl = kl_divergence(X, Z, verify=False)  # checked below against the definition
    pt = {al: R(5, 2), b: R(1, 4), lo: R(2, 3), w: R(9)}
    assert close(kl.xreplace(pt), definition("kl", X, Z, pt))


def test_laplace_against_an_asymmetric_laplace_user_density():
    # q = ab/(a+b) e^{a x} (x < 0), ab/(a+b) e^{-b x} (x >= 0).  SymPy's expand wrote the
    # piece as a*b/(a*e^{bx} + b*e^{bx}); the common factor e^{bx} now comes out.
    from sympy.stats import Laplace
    a_, b_ = sp.symbols("a_ b_", positive=True)
    m = Symbol("m", real=True)
    Q = ContinuousRV(x, Piecewise((a_ * b_ / (a_ + b_) * exp(a_ * x), x < 0),
                                  (a_ * b_ / (a_ + b_) * exp(-b_ * x), True)), Interval(-oo, oo))
    P = Laplace("L", m, s)
    got = kl_divergence(P, Q, verify=False)  # checked below against the definition
    # D = -S(P) - E[log q], S(Laplace) = 1 + log(2s) (Cover & Thomas, Table 17.1),
    # -log q = -log(ab/(a+b)) + a X^- + b X^+ with, for m <= 0, E[X^+] = (s/2) e^{m/s}
    # and E[X^-] = E[X^+] - m (and the mirror image for m > 0)
    ep = sp.Piecewise((s / 2 * exp(m / s), m <= 0), (m + s / 2 * exp(-m / s), True))
    ref = -(1 + log(2 * s)) - log(a_ * b_ / (a_ + b_)) + a_ * (ep - m) + b_ * ep
    for pt in ({m: R(-3, 2), s: R(7, 10), a_: R(2), b_: R(1, 300)},
               {m: R(41, 10), s: R(3, 2), a_: R(1, 5), b_: R(3)}):
        v = got.xreplace(pt)
        assert sp.simplify(v - ref.xreplace(pt)) == 0
        assert close(v, definition("kl", P, Q, pt, extra=[0, pt[m]]))


def _gompertz_definition(kind, b, eta, d=None):
    """-int p log p (or int p log(p/q)) for Gompertz laws by mpmath at 30 digits, on
    (0, T) with eta (e^{bT} - 1) = 300: the survival function exp(-eta (e^{bx} - 1))
    makes the rest below e^{-300} (a plain tanh-sinh rule on (0, oo) overflows in
    exp(eta e^{bx}))."""
    with mpmath.workdps(45):
        b, eta = mpmath.mpf(b.p) / b.q, mpmath.mpf(eta.p) / eta.q

        def logpdf(x, e):
            return mpmath.log(b * e) + e + b * x - e * mpmath.exp(b * x)
        if kind == "entropy":
            g = lambda x: -mpmath.exp(logpdf(x, eta)) * logpdf(x, eta)  # noqa: E731
        else:
            dd = mpmath.mpf(d.p) / d.q
            g = lambda x: mpmath.exp(logpdf(x, eta)) * (logpdf(x, eta) - logpdf(x, dd))  # noqa: E731
        T = mpmath.log(1 + 300 / eta) / b
        return mpmath.quad(g, [0, T / 8, T / 4, T / 2, T])


def test_gompertz_entropy_and_kl():
    # Y = e^{bX} - 1 is Exponential(eta) when X ~ Gompertz(b, eta) (Wikipedia, "Gompertz
    # distribution", related distributions), so E[e^{bX}] = 1 + 1/eta and
    # b E[X] = E[log Y'] with Y' = 1 + Exp(eta): e^eta E1(eta) (DLMF 6.2.1 after t = eta y).
    # S = -log(b eta) - eta - b E[X] + eta E[e^{bX}] = 1 - log(b eta) - e^eta E1(eta).
    # It needs d/da Gamma(a, z) at a = 1 (the tilted incomplete Gamma normaliser on (1, oo)).
    from sympy.stats import Gompertz
    b, eta, d = sp.symbols("b eta d", positive=True)
    X = Gompertz("X", b, eta)
    got = entropy(X, verify=False)  # checked below against the definition
    ref = 1 - log(b * eta) - exp(eta) * sp.expint(1, eta)
    assert sp.simplify(got - ref) == 0
    for pt in ({b: R(3, 2), eta: R(2, 7)}, {b: R(1, 500), eta: R(60)}):
        assert close(got.xreplace(pt), _gompertz_definition("entropy", pt[b], pt[eta]))
    # same b: D = log(eta/d) - 1 + d/eta (the exponential laws of Y - 1)
    Y = Gompertz("Y", b, d)
    kl = kl_divergence(X, Y, verify=False)
    assert sp.simplify(kl - (log(eta / d) - 1 + d / eta)) == 0
    pt = {b: R(7, 3), eta: R(1, 300), d: R(5)}
    assert close(kl.xreplace(pt), _gompertz_definition("kl", pt[b], pt[eta], pt[d]))
