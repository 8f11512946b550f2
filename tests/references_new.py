"""Hand-typed reference formulas for the closed forms reached by symxent/engine/special.py.

Nothing here comes from symxent: each formula is typed in from the cited source, or obtained
from a cited formula by one line of textbook algebra that the comment spells out.  All are in
the *sympy.stats* parametrisation (checked against the densities of SymPy 1.14):

    BetaPrime(a, b)      x**(a-1) (1+x)**(-a-b) / B(a, b)
    LogLogistic(s, k)    (k/s) (x/s)**(k-1) / (1 + (x/s)**k)**2         [scale s, shape k]
    Dagum(p, k, s)       k p / x * (x/s)**(k p) / ((x/s)**k + 1)**(p+1)  [shapes p, k; scale s]
    Lomax(a, l)          (a/l) (1 + x/l)**(-a-1)                           [shape a, scale l]
    GaussianInverse(mu, lam)  sqrt(lam/(2 pi x**3)) exp(-lam (x-mu)**2/(2 mu**2 x))  (Wald)
    VonMises(mu, k)      exp(k cos(x-mu)) / (2 pi I0(k)) on [0, 2 pi]
    RaisedCosine(mu, s)  (1 + cos(pi (x-mu)/s)) / (2 s) on [mu-s, mu+s]
    WignerSemicircle(R)  2 sqrt(R**2 - x**2) / (pi R**2) on [-R, R]

Each row: ``id``, ``kind`` ("entropy" | "kl"), ``build`` (symbols -> random variables),
``formula``, ``source`` and ``draw(rng) -> {symbol: Rational}``: seeded admissible points,
across magnitudes and near the domain boundaries.  ``infinite_when`` (a predicate on a point)
marks points where the quantity is +oo.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sympy import (EulerGamma, Rational, besseli, beta, cos, digamma, exp, expint, log, pi,
                   sin, symbols)
from sympy import gamma as gamma_fn
from sympy.stats import (Arcsin, Beta, BetaPrime, Dagum, Exponential, Gamma, GammaInverse,
                         GaussianInverse, LogLogistic, Lomax, Normal, RaisedCosine, StudentT,
                         Uniform, VonMises, WignerSemicircle)

m1, m2 = symbols("m1 m2", real=True)
a1, a2, b1, b2, c1, c2 = symbols("a1 a2 b1 b2 c1 c2", positive=True)
k1, k2, l1, l2, s1, s2, nu = symbols("k1 k2 l1 l2 s1 s2 nu", positive=True)


@dataclass(frozen=True)
class Row:
    id: str
    kind: str
    build: Callable[[], tuple]
    formula: object
    source: str
    draw: Callable
    infinite_when: Callable = staticmethod(lambda point: False)


def R(x):
    return Rational(x)


def pick(rng, values):
    return R(rng.choice(values))


# magnitudes: shapes and scales from 1/50 to 50, plus values close to the boundaries
SHAPES = ["1/50", "1/7", "3/5", "1", "7/4", "13/3", "50"]
SCALES = ["1/100", "2/9", "1", "5/2", "40"]
LOCS = ["-7", "-1/3", "0", "5/4", "11"]


def _pos(*syms, values=SHAPES):
    return lambda rng: {s: pick(rng, values) for s in syms}


def bp_entropy(a, b):
    # Wikipedia, "Beta prime distribution" (infobox, entropy); Lazo & Rathie (1978),
    # IEEE Trans. Inf. Theory 24(1), beta of the second kind
    return (log(beta(a, b)) - (a - 1) * digamma(a) - (b + 1) * digamma(b)
            + (a + b) * digamma(a + b))


def dagum_entropy(p, k, s):
    # (X/s)**k ~ BetaPrime(p, 1) (read off the densities).  For X = g(Y) with g increasing,
    # h(X) = h(Y) + E[log g'(Y)] (Cover & Thomas, 2nd ed., Sec. 8.6); here
    # g(y) = s y**(1/k), g'(y) = (s/k) y**(1/k - 1), and E[log Y] = digamma(p) - digamma(1)
    # for Y ~ BetaPrime(p, 1) (Y = U/(1-U), U ~ Beta(p, 1); Johnson, Kotz & Balakrishnan,
    # vol. 2, 25.7); digamma(1) = -EulerGamma (DLMF 5.4.12).
    return (bp_entropy(p, 1) + log(s / k) + (1 / k - 1) * (digamma(p) + EulerGamma))


def wald_log_mean(mu, lam):
    # E[log X] = log(mu) + exp(2 lam/mu) Ei(-2 lam/mu) = log(mu) - exp(2 lam/mu) E1(2 lam/mu)
    # (Mudholkar & Tian 2002, "An entropy characterization of the inverse Gaussian
    # distribution", J. Statist. Plann. Inference 102, 211-221; Ei(-z) = -E1(z), DLMF 6.2.6)
    return log(mu) - exp(2 * lam / mu) * expint(1, 2 * lam / mu)


def wald_entropy(mu, lam):
    # h = -E[log p] = log(2 pi/lam)/2 + (3/2) E[log X] + lam/(2 mu**2) E[(X - mu)**2/X], and
    # E[(X - mu)**2/X] = E[X] - 2 mu + mu**2 E[1/X] = mu**2/lam with E[X] = mu,
    # E[1/X] = 1/mu + 1/lam (Tweedie 1957; Wikipedia, "Inverse Gaussian distribution")
    return log(2 * pi / lam) / 2 + 3 * wald_log_mean(mu, lam) / 2 + Rational(1, 2)


def gamma_entropy(k, th):
    # Wikipedia, "Gamma distribution" (shape k, scale theta)
    return k + log(th) + log(gamma_fn(k)) + (1 - k) * digamma(k)


def vm_entropy(k):
    # Wikipedia, "von Mises distribution" (entropy); Mardia & Jupp, Directional Statistics, 3.5.4
    return -k * besseli(1, k) / besseli(0, k) + log(2 * pi * besseli(0, k))


ROWS = [
    Row("S BetaPrime", "entropy", lambda: (BetaPrime("X", a1, b1),), bp_entropy(a1, b1),
        "Wikipedia Beta prime distribution", _pos(a1, b1)),
    Row("S LogLogistic", "entropy", lambda: (LogLogistic("X", a1, b1),), log(a1 / b1) + 2,
        "Wikipedia Log-logistic distribution (entropy)", _pos(a1, b1, values=SCALES)),
    Row("S Dagum", "entropy", lambda: (Dagum("X", a1, b1, c1),), dagum_entropy(a1, b1, c1),
        "BetaPrime entropy + change of variables (see dagum_entropy)", _pos(a1, b1, c1)),
    Row("S GaussianInverse", "entropy", lambda: (GaussianInverse("X", a1, b1),),
        wald_entropy(a1, b1), "Mudholkar & Tian 2002; Tweedie 1957 moments",
        _pos(a1, b1, values=SCALES)),
    # (1/2pi) int_(-pi)^pi (1+cos t) log(1+cos t) dt = 1 - log 2: with t = 2u, 1 + cos t =
    # 2 cos(u)**2 and the Fourier series log cos u = -log 2 - sum (-1)**k cos(2ku)/k
    # (Gradshteyn & Ryzhik 1.441.4), int_0^(pi/2) cos(u)**2 log cos u du = -(pi/4) log 2 + pi/8;
    # so S = log(2s) - (1 - log 2)
    Row("S RaisedCosine", "entropy", lambda: (RaisedCosine("X", m1, s1),), log(4 * s1) - 1,
        "Fourier series of log cos (G&R 1.441.4)",
        lambda rng: {m1: pick(rng, LOCS), s1: pick(rng, SCALES)}),
    Row("S WignerSemicircle", "entropy", lambda: (WignerSemicircle("X", a1),),
        log(pi * a1) - Rational(1, 2), "Wikipedia Wigner semicircle distribution (entropy)",
        _pos(a1, values=SCALES)),
    Row("S VonMises", "entropy", lambda: (VonMises("X", m1, k1),), vm_entropy(k1),
        "Wikipedia von Mises distribution (entropy)",
        lambda rng: {m1: pick(rng, LOCS), k1: pick(rng, ["1/1000", "1/3", "2", "9", "30"])}),
    # von Mises-Fisher KL for p = 2: log(C(k1)/C(k2)) + A(k1) (k1 - k2 cos(m1 - m2)),
    # C(k) = 1/(2 pi I0(k)), A = I1/I0 (Kitagawa & Rowley 2022, "von Mises-Fisher
    # distributions and their statistical divergence", arXiv:2202.05192, Sec. 3)
    Row("KL VonMises||VonMises", "kl", lambda: (VonMises("X", m1, k1), VonMises("Y", m2, k2)),
        log(besseli(0, k2) / besseli(0, k1))
        + besseli(1, k1) / besseli(0, k1) * (k1 - k2 * cos(m1 - m2)),
        "Kitagawa & Rowley 2022 (p = 2)",
        lambda rng: {m1: pick(rng, LOCS), m2: pick(rng, LOCS),
                     k1: pick(rng, ["1/1000", "1/3", "2", "25"]),
                     k2: pick(rng, ["1/500", "1", "7", "40"])}),
    # Lomax(a, l) = Pareto(l, a) - l: entropy log(l/a) + 1/a + 1 (Wikipedia, "Pareto
    # distribution"; shift invariance), E[X] = l/(a-1) for a > 1, else +oo (Wikipedia,
    # "Lomax distribution"); D = -h(P) - E[log q], log q = log l2 - l2 x
    Row("KL Lomax||Exponential", "kl", lambda: (Lomax("X", a1, l1), Exponential("Y", l2)),
        -(log(l1 / a1) + 1 / a1 + 1) - log(l2) + l2 * l1 / (a1 - 1),
        "Wikipedia Pareto / Lomax distribution",
        lambda rng: {a1: pick(rng, ["1/2", "1", "11/10", "3", "40"]),
                     l1: pick(rng, SCALES), l2: pick(rng, SCALES)},
        infinite_when=lambda p: p[a1] <= 1),
    # Arcsin(0, 1) = Beta(1/2, 1/2); KL between Beta laws: log(B(a2,b2)/B(a1,b1))
    # + (a1-a2) psi(a1) + (b1-b2) psi(b1) + (a2-a1+b2-b1) psi(a1+b1)
    # (Wikipedia, "Beta distribution", KL divergence; Penny 2001)
    Row("KL Arcsin||Beta", "kl", lambda: (Arcsin("X", 0, 1), Beta("Y", a2, b2)),
        log(beta(a2, b2) / pi) + (Rational(1, 2) - a2) * digamma(Rational(1, 2))
        + (Rational(1, 2) - b2) * digamma(Rational(1, 2)) + (a2 + b2 - 1) * digamma(1),
        "Wikipedia Beta distribution (KL)", _pos(a2, b2)),
    Row("KL Beta||Arcsin", "kl", lambda: (Beta("X", a1, b1), Arcsin("Y", 0, 1)),
        log(pi / beta(a1, b1)) + (a1 - Rational(1, 2)) * digamma(a1)
        + (b1 - Rational(1, 2)) * digamma(b1) + (1 - a1 - b1) * digamma(a1 + b1),
        "Wikipedia Beta distribution (KL)", _pos(a1, b1)),
    # -h(P) - E_P[log q] with the moments of P quoted above
    Row("KL BetaPrime||BetaPrime", "kl", lambda: (BetaPrime("X", a1, b1), BetaPrime("Y", a2, b2)),
        # E[log X] = psi(a) - psi(b), E[log(1+X)] = psi(a+b) - psi(b) (X = U/(1-U), U ~ Beta)
        -bp_entropy(a1, b1) + log(beta(a2, b2)) - (a2 - 1) * (digamma(a1) - digamma(b1))
        + (a2 + b2) * (digamma(a1 + b1) - digamma(b1)),
        "Wikipedia Beta prime; JKB vol. 2 25.7", _pos(a1, b1, a2, b2)),
    Row("KL Wald||Wald", "kl", lambda: (GaussianInverse("X", a1, b1), GaussianInverse("Y", a2, b2)),
        # the log x terms cancel; E[(X-m)**2/X] = E[X] - 2m + m**2 E[1/X] (Tweedie's moments)
        log(b1 / b2) / 2 + b2 / (2 * a2**2) * (a1 - 2 * a2 + a2**2 * (1 / a1 + 1 / b1))
        - Rational(1, 2), "Tweedie 1957 moments", _pos(a1, b1, a2, b2, values=SCALES)),
    Row("KL Wald||Gamma", "kl", lambda: (GaussianInverse("X", a1, b1), Gamma("Y", a2, b2)),
        -wald_entropy(a1, b1) + log(gamma_fn(a2)) + a2 * log(b2)
        - (a2 - 1) * wald_log_mean(a1, b1) + a1 / b2,
        "Mudholkar & Tian 2002; Tweedie 1957; Gamma density", _pos(a1, b1, a2, b2, values=SCALES)),
    Row("KL Gamma||Wald", "kl", lambda: (Gamma("X", a1, b1), GaussianInverse("Y", a2, b2)),
        # E[1/X] = 1/((k-1) theta) for k > 1, +oo else; E[log X] = psi(k) + log theta
        -gamma_entropy(a1, b1) - log(b2 / (2 * pi)) / 2
        + 3 * (digamma(a1) + log(b1)) / 2
        + b2 / (2 * a2**2) * (a1 * b1 - 2 * a2 + a2**2 / ((a1 - 1) * b1)),
        "Wikipedia Gamma distribution moments",
        _pos(a1, b1, a2, b2, values=["1/3", "1", "6/5", "3", "20"]),
        infinite_when=lambda p: p[a1] <= 1),
    Row("KL Wald||GammaInverse", "kl",
        lambda: (GaussianInverse("X", a1, b1), GammaInverse("Y", a2, b2)),
        # GammaInverse(a, b): b**a x**(-a-1) exp(-b/x) / Gamma(a)
        -wald_entropy(a1, b1) - a2 * log(b2) + log(gamma_fn(a2))
        + (a2 + 1) * wald_log_mean(a1, b1) + b2 * (1 / a1 + 1 / b1),
        "Mudholkar & Tian 2002; Tweedie 1957", _pos(a1, b1, a2, b2, values=SCALES)),
    Row("KL LogLogistic||Exponential", "kl",
        lambda: (LogLogistic("X", a1, b1), Exponential("Y", l2)),
        # E[X] = a (pi/b) / sin(pi/b) for b > 1 (Wikipedia, "Log-logistic distribution")
        -(log(a1 / b1) + 2) - log(l2) + l2 * a1 * (pi / b1) / sin(pi / b1),
        "Wikipedia Log-logistic distribution",
        _pos(a1, b1, l2, values=["1/5", "1", "21/20", "3", "30"]),
        infinite_when=lambda p: p[b1] <= 1),
    Row("KL VonMises||Uniform", "kl",
        lambda: (VonMises("X", m1, k1), Uniform("Y", 0, 2 * pi)),
        log(2 * pi) - vm_entropy(k1), "Wikipedia von Mises distribution",
        lambda rng: {m1: pick(rng, LOCS), k1: pick(rng, ["1/1000", "1/3", "2", "25"])}),
    Row("KL Uniform||VonMises", "kl", lambda: (Uniform("X", 0, 2 * pi), VonMises("Y", m2, k2)),
        # E_U[cos(x - m)] = 0 over a whole period
        log(besseli(0, k2)), "von Mises density",
        lambda rng: {m2: pick(rng, LOCS), k2: pick(rng, ["1/1000", "1/3", "2", "25"])}),
    Row("KL Wigner||Uniform", "kl", lambda: (WignerSemicircle("X", a1), Uniform("Y", -a1, a1)),
        log(2 * a1) - log(pi * a1) + Rational(1, 2), "Wikipedia Wigner semicircle",
        _pos(a1, values=SCALES)),
    Row("KL Wigner||Arcsin", "kl", lambda: (WignerSemicircle("X", a1), Arcsin("Y", -a1, a1)),
        # log q = -log pi - log(a - x)/2 - log(a + x)/2; (X + a)/(2a) ~ Beta(3/2, 3/2), so
        # E[log(a+x)] = E[log(a-x)] = log(2a) + psi(3/2) - psi(3) (JKB vol. 2, 25.2)
        -(log(pi * a1) - Rational(1, 2)) + log(pi)
        + log(2 * a1) + digamma(Rational(3, 2)) - digamma(3),
        "Wikipedia Wigner semicircle; Beta log-moments", _pos(a1, values=SCALES)),
    Row("KL RaisedCosine||Uniform", "kl",
        lambda: (RaisedCosine("X", m1, s1), Uniform("Y", m1 - s1, m1 + s1)),
        log(2 * s1) - (log(4 * s1) - 1), "raised-cosine entropy above",
        lambda rng: {m1: pick(rng, LOCS), s1: pick(rng, SCALES)}),
]

ROWS.append(
    # h(t_nu) = (nu+1)/2 (psi((nu+1)/2) - psi(nu/2)) + log(sqrt(nu) B(nu/2, 1/2)) and
    # E[X**2] = nu/(nu - 2) for nu > 2, +oo for 1 < nu <= 2 (Wikipedia, "Student's
    # t-distribution"); log q = -log(sqrt(2 pi) s) - x**2/(2 s**2)
    Row("KL StudentT||Normal", "kl", lambda: (StudentT("X", nu), Normal("Y", 0, s2)),
        -((nu + 1) / 2 * (digamma((nu + 1) / 2) - digamma(nu / 2))
          + log(nu**Rational(1, 2) * beta(nu / 2, Rational(1, 2))))
        + log(2 * pi * s2**2) / 2 + nu / (nu - 2) / (2 * s2**2),
        "Wikipedia Student's t-distribution",
        lambda rng: {nu: pick(rng, ["3/2", "2", "21/10", "3", "30"]), s2: pick(rng, SCALES)},
        infinite_when=lambda p: p[nu] <= 2))

# Pairs with no closed form known: the engine must give the unevaluated object quickly.
NO_CLOSED_FORM = ["KL Normal||StudentT", "KL Normal||Logistic", "S LogitNormal"]
