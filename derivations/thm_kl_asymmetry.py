"""D_KL is not symmetric: Bernoulli(1/2) against Bernoulli(1/4), exactly.

Also H(P, Q) != H(Q, P) for the same pair, and a continuous pair (standard
Normal against standard Laplace) through symxent's engine.
"""
import sympy as sp
from sympy.stats import Bernoulli, Laplace, Normal

from _common import Theorem, main
from symxent import KLDivergence, kl_divergence
from symxent.derivation.core import Derivation
from symxent.derivation.render import Ratio, Terms, cross_entropy_notation, kl_notation

R = sp.Rational
U = sp.UnevaluatedExpr
P = {1: R(1, 2), 0: R(1, 2)}     # Bernoulli(1/2): P(1), P(0)
Q = {1: R(1, 4), 0: R(3, 4)}     # Bernoulli(1/4)


def kl_terms(a, b):
    return Terms(*[a[k] * sp.log(Ratio(a[k], b[k])) for k in (1, 0)])


def kl_value(a, b):
    return sp.Add(*[a[k] * sp.log(a[k] / b[k]) for k in (1, 0)])


def forward():
    return Derivation(kl_notation(kl_terms(P, Q)), [
        ("=", kl_terms(P, Q), "definition, outcomes 1 and 0"),
        ("=", Terms(sp.log(2) / 2, sp.log(R(2, 3)) / 2), "arithmetic"),
        ("=", sp.log(R(4, 3)) / 2, "log a + log b = log ab")], title="D_KL(P||Q)")


def backward():
    return Derivation(kl_notation(kl_terms(Q, P), "Q", "P"), [
        ("=", kl_terms(Q, P), "definition, outcomes 1 and 0"),
        ("=", Terms(sp.log(R(1, 2)) / 4, 3 * sp.log(R(3, 2)) / 4), "arithmetic"),
        ("=", 3 * sp.log(3) / 4 - sp.log(2), "log(1/2) = -log 2, log(3/2) = log 3 - log 2")],
        title="D_KL(Q||P)")


def difference():
    f = kl_notation(kl_value(P, Q))
    b = kl_notation(kl_value(Q, P), "Q", "P")
    return Derivation(Terms(f, -b), [
        ("=", Terms(U(sp.log(R(4, 3)) / 2), -U(3 * sp.log(3) / 4 - sp.log(2))),
         "the two values above"),
        ("=", 2 * sp.log(2) - R(5, 4) * sp.log(3), "collect log 2 and log 3"),
        ("=", sp.log(R(256, 243)) / 4, "2 log 2 = log(256)/4 and (5/4) log 3 = log(243)/4")],
        title="difference")


def cross():
    def h(a, b):
        return Terms(*[-a[k] * sp.log(b[k]) for k in (1, 0)])
    return (Derivation(cross_entropy_notation(h(P, Q)), [
                ("=", h(P, Q), "definition of H"),
                ("=", sp.log(R(16, 3)) / 2, "arithmetic")], title="H(P,Q)"),
            Derivation(cross_entropy_notation(h(Q, P), "Q", "P"), [
                ("=", h(Q, P), "definition of H"),
                ("=", sp.log(2), "arithmetic")], title="H(Q,P)"))


def build():
    t = Theorem("kl-asymmetry", "KL divergence and cross-entropy are not symmetric")
    t.text("Take $P = \\mathrm{Bernoulli}(1/2)$ and $Q = \\mathrm{Bernoulli}(1/4)$, so "
           "$P(1) = P(0) = 1/2$, $Q(1) = 1/4$ and $Q(0) = 3/4$.  Both divergences can be "
           "computed exactly:")
    t.derivation(forward())
    t.derivation(backward())
    t.text("They differ, and the difference has a sign we can read off exactly:")
    t.derivation(difference())
    fwd, bwd = kl_value(P, Q), kl_value(Q, P)
    t.fact(f"$256 > 243$, so $D_{{\\mathrm{{KL}}}}(P \\,\\|\\, Q) - "
           f"D_{{\\mathrm{{KL}}}}(Q \\,\\|\\, P) = \\tfrac14 \\log\\tfrac{{256}}{{243}} > 0$; "
           f"numerically ${sp.N(fwd, 6)}$ against ${sp.N(bwd, 6)}$ nats.",
           sp.log(R(256, 243)) > 0)
    t.text("The same divergence in bits (base-2 logarithms: divide by $\\log 2$):")
    t.derivation(Derivation(sp.log(R(4, 3)) / 2 / sp.log(2), [
        ("=", (2 * sp.log(2) - sp.log(3)) / (2 * sp.log(2)), "log(4/3) = 2 log 2 - log 3"),
        ("=", 1 - sp.log(3) / (2 * sp.log(2)), "arithmetic")], title="in bits"), log_base=2)
    t.text("This is why the divergence is not a distance (and it also fails the triangle "
           "inequality).  The cross-entropy is not symmetric either:")
    for d in cross():
        t.derivation(d)
    t.fact("$\\tfrac12 \\log\\tfrac{16}{3} > \\log 2$ since $16/3 > 4$, so "
           "$H(P, Q) \\neq H(Q, P)$.", sp.log(R(16, 3)) / 2 - sp.log(2) > 0)
    t.text("The engine derives the same exact values:")
    B1, B2 = Bernoulli("B_1", R(1, 2)), Bernoulli("B_2", R(1, 4))
    t.derivation(Derivation(KLDivergence(B1, B2), [
        ("=", kl_divergence(B1, B2), "symxent.kl_divergence (engine)"),
        ("=", sp.log(R(4, 3)) / 2, "the value derived above")], title="engine, forward"))
    t.derivation(Derivation(KLDivergence(B2, B1), [
        ("=", kl_divergence(B2, B1), "symxent.kl_divergence (engine)"),
        ("=", 3 * sp.log(3) / 4 - sp.log(2), "the value derived above")],
        title="engine, backward"))
    t.text("A continuous pair: the standard Normal $Z$ and the standard Laplace variable $L$ "
           "(density $e^{-|x|}/2$).  Both directions in closed form from the engine, each "
           "checked against numeric integration of the definition:")
    Z, L = Normal("Z", 0, 1), Laplace("L", 0, 1)
    zl, lz = kl_divergence(Z, L), kl_divergence(L, Z)
    t.derivation(Derivation(KLDivergence(Z, L), [
        ("=", zl, "symxent.kl_divergence (engine)")], title="Normal vs Laplace"))
    t.derivation(Derivation(KLDivergence(L, Z), [
        ("=", lz, "symxent.kl_divergence (engine)")], title="Laplace vs Normal"))
    t.fact(f"The two values differ: ${sp.N(zl, 6)} \\neq {sp.N(lz, 6)}$.",
           bool(abs(sp.N(zl - lz, 30)) > sp.Rational(1, 10**6)))
    return t


if __name__ == "__main__":
    main(build)
