"""Differential entropy and cross-entropy can be negative; discrete entropy cannot.

Uniform(0, 1/2) has S = -log 2; a Normal with sigma^2 < 1/(2 pi e) has S < 0;
H(Uniform(0, 1/4), Uniform(0, 1/2)) = -log 2.  Reference: Cover & Thomas,
Elements of Information Theory (2nd ed.), Examples 8.1.1 and 8.1.2.
"""
import sympy as sp
from sympy.stats import Normal, Uniform

from _common import Theorem, main
from symxent import CrossEntropy, Entropy, cross_entropy, entropy
from symxent.derivation.core import Derivation
from symxent.derivation.render import Expect, Terms, cross_entropy_notation, entropy_notation

R = sp.Rational
U = sp.UnevaluatedExpr
x = sp.Symbol("x", real=True)


def uniform():
    ent = sp.Integral(-2 * sp.log(2), (x, 0, R(1, 2)))
    return Derivation(entropy_notation(ent, sp.Symbol("U")), [
        ("=", sp.Integral(-2 * sp.log(U(2)), (x, 0, R(1, 2))),
         "definition; the density is 2 on (0, 1/2)"),
        ("=", sp.Mul(-2 * sp.log(2), U(R(1, 2)), evaluate=False),
         "constant integrand, interval of length 1/2"),
        ("=", -sp.log(2), "arithmetic")], title="S(Uniform(0,1/2))")


def normal():
    mu = sp.Symbol("mu", real=True)
    s = sp.Symbol("sigma", positive=True)
    lim = (x, -sp.oo, sp.oo)
    p = sp.exp(-(x - mu)**2 / (2 * s**2)) / sp.sqrt(2 * sp.pi * s**2)
    minus_log_p = sp.log(2 * sp.pi * s**2) / 2 + (x - mu)**2 / (2 * s**2)
    def E(f):
        return Expect(f, lim, p, "Z")
    return Derivation(entropy_notation(E(-sp.log(p)), sp.Symbol("Z")), [
        ("=", E(-sp.log(p)), "definition"),
        ("=", E(U(minus_log_p)), "log of the Gaussian density"),
        ("=", Terms(sp.log(2 * sp.pi * s**2) / 2 * E(1), E((x - mu)**2) / (2 * s**2)),
         "linearity of E"),
        ("=", Terms(sp.log(2 * sp.pi * s**2) / 2, s**2 / (2 * s**2)),
         "E[1] = 1 and E[(X - mu)^2] = sigma^2"),
        ("=", sp.log(2 * sp.pi * sp.E * s**2) / 2, "1/2 = log(e)/2")],
        ranges={mu: (-2, 2), s: (R(1, 2), 2)}, title="S(Normal)")


def cross_uniform():
    h = sp.Integral(-4 * sp.log(2), (x, 0, R(1, 4)))
    return Derivation(cross_entropy_notation(h, sp.Symbol("U_1"), sp.Symbol("U_2")), [
        ("=", sp.Integral(-4 * sp.log(U(2)), (x, 0, R(1, 4))),
         "p = 4 on (0, 1/4), q = 2 there"),
        ("=", -sp.log(2), "constant integrand, interval of length 1/4")],
        title="H(Uniform(0,1/4), Uniform(0,1/2))")


def discrete():
    p1, p2, p3 = sp.symbols("p1:4", positive=True)
    terms = [-a * sp.log(a) for a in (p1, p2, p3)]
    return Derivation(entropy_notation(sp.Add(*terms)), [
        ("=", Terms(*terms), "definition, three outcomes"),
        (">=", 0, "each 0 < p_i <= 1, so -p_i log p_i >= 0")],
        given={p3: 1 - p1 - p2}, constraints=[p1 + p2 < 1],
        ranges={p1: (0, 1), p2: (0, 1)}, title="discrete S >= 0")


def build():
    t = Theorem("negative-entropy", "Differential entropy and cross-entropy can be negative")
    t.text("The note lists non-negativity as a property shared by cross-entropy and the "
           "KL divergence.  For the divergence it always holds (Gibbs' inequality).  For "
           "entropy and cross-entropy it holds for discrete distributions only: a probability "
           "mass is at most 1, so $-p \\log p \\ge 0$, but a density can exceed 1.")
    t.derivation(discrete(), "Discrete case, three outcomes ($p_3 = 1 - p_1 - p_2$):")
    t.text("Continuous counterexamples.  The uniform distribution on $(0, 1/2)$ has density 2:")
    t.derivation(uniform(), mul_symbol="dot")
    t.text("A Normal distribution with standard deviation $\\sigma$:")
    t.derivation(normal())
    t.fact("This is negative exactly when $\\sigma^2 < 1/(2 \\pi e)$; for $\\sigma = 1/10$: "
           "$2 \\pi e / 100 < 1$.", 2 * sp.pi * sp.E / 100 < 1)
    t.text("Cross-entropy: with $U_1$ uniform on $(0, 1/4)$ and $U_2$ uniform on $(0, 1/2)$,")
    t.derivation(cross_uniform())
    t.text("The engine agrees (closed forms derived by symxent, checked against numeric "
           "integration of the definitions):")
    V, W = Uniform("V", 0, R(1, 2)), Uniform("W", 0, R(1, 4))
    Z = Normal("Z", 0, R(1, 10))
    for q, value in ((Entropy(V), entropy(V)), (Entropy(Z), entropy(Z)),
                     (CrossEntropy(W, V), cross_entropy(W, V))):
        t.derivation(Derivation(q, [("=", value, "symxent (engine)")], title=str(q)))
        t.fact(f"${sp.latex(value)} \\approx {sp.N(value, 6)} < 0$.", value < 0)
    t.text("What stays true for densities: $D_{\\mathrm{KL}} \\ge 0$, and "
           "$H(P, Q) \\ge S(P)$ (by the decomposition), whatever their signs.")
    return t


if __name__ == "__main__":
    main(build)
