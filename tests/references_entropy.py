"""Reference entropies S(P) (nats), typed in from textbooks, in sympy.stats parametrisations.

Sources (abbreviations used below):
  [CT]   Cover & Thomas, "Elements of Information Theory", 2nd ed., Wiley 2006,
         Table 17.1 (differential entropies) and Thm 8.4.1 (multivariate normal).
  [LR]   Lazo & Rathie, "On the entropy of continuous probability distributions",
         IEEE Trans. Inf. Theory 24(1), 1978, Table I.
  [W]    Wikipedia, infobox "Entropy" of the named distribution's page.
  [MCP]  Michalowicz, Nichols & Bucholtz, "Handbook of Differential Entropy", CRC 2013.
"""
from sympy import (E, EulerGamma, Interval, Matrix, Rational, Sum, Symbol,
                   beta, binomial, digamma, exp, factorial, gamma, harmonic, log, loggamma, oo,
                   pi, sqrt)
from sympy.stats import (Arcsin, Bernoulli, Beta, Binomial, Cauchy, Chi, ChiSquared,
                         ContinuousRV, Die, Erlang, Exponential, FiniteRV, Gamma, GammaInverse,
                         Geometric, Gumbel, Kumaraswamy, Laplace, Levy, Logarithmic, Logistic,
                         LogNormal, Maxwell, MultivariateBeta, MultivariateNormal, Nakagami,
                         NegativeBinomial, Normal, Pareto, Poisson, Rayleigh, StudentT,
                         Triangular, Uniform, Weibull)

from references import (Ref, a1, a2, a3, b1, c12, k1, l1, lo1, hi1, m1, m2, n, nu, p1, p2, s1,
                        s2, u, v, w)

_k = Symbol("k", integer=True, nonnegative=True)   # summation index of residual series
_x = Symbol("x", positive=True)


# ----------------------------------------------------------------------------- continuous
def H_normal(mu, sigma):            # [CT] Table 17.1: 1/2 log(2 pi e sigma^2)
    return log(2 * pi * E * sigma**2) / 2


def H_exponential(rate):            # [CT] Table 17.1 (lambda = rate): 1 - log(lambda)
    return 1 - log(rate)


def H_gamma(k, theta):              # [W] Gamma (shape k, scale theta); [LR] Table I
    return k + log(theta) + loggamma(k) + (1 - k) * digamma(k)


def H_beta(a, b):                   # [CT] Table 17.1; [W] Beta distribution
    return (log(beta(a, b)) - (a - 1) * digamma(a) - (b - 1) * digamma(b)
            + (a + b - 2) * digamma(a + b))


def H_laplace(mu, b):               # [CT] Table 17.1: 1 + log(2b)
    return 1 + log(2 * b)


def H_uniform(left, right):         # [CT] Table 17.1: log(b - a)
    return log(right - left)


def H_cauchy(x0, g):                # [CT] Table 17.1: log(4 pi gamma)
    return log(4 * pi * g)


def H_studentt(nu_):                # [CT] Table 17.1; [W] Student's t-distribution
    return ((nu_ + 1) / 2 * (digamma((nu_ + 1) / 2) - digamma(nu_ / 2))
            + log(sqrt(nu_) * beta(nu_ / 2, Rational(1, 2))))


def H_logistic(mu, s):              # [W] Logistic distribution: log(s) + 2
    return log(s) + 2


def H_lognormal(mu, sigma):         # [CT] Table 17.1 / [W]: mu + 1/2 log(2 pi e sigma^2)
    return mu + log(2 * pi * E * sigma**2) / 2


def H_weibull(lam, k):              # [W] Weibull (scale lambda, shape k)
    return EulerGamma * (1 - 1 / k) + log(lam / k) + 1


def H_rayleigh(sigma):              # [W] Rayleigh: 1 + log(sigma/sqrt 2) + gamma/2
    return 1 + log(sigma / sqrt(2)) + EulerGamma / 2


def H_pareto(xm, alpha):            # [CT] Table 17.1 / [W]: log(xm/alpha) + 1/alpha + 1
    return log(xm / alpha) + 1 / alpha + 1


def H_gumbel(beta_, mu, minimum=False):   # [W] Gumbel: log(beta) + gamma + 1 (same for minimum)
    return log(beta_) + EulerGamma + 1


def H_chisquared(k):                # [CT] Table 17.1 / [W] Chi-squared
    return k / 2 + log(2 * gamma(k / 2)) + (1 - k / 2) * digamma(k / 2)


def H_chi(k):                       # [CT] Table 17.1 / [W] Chi distribution
    return loggamma(k / 2) + (k - log(2) - (k - 1) * digamma(k / 2)) / 2


def H_maxwell(a):                   # [CT] Table 17.1 / [W] Maxwell-Boltzmann
    return log(a * sqrt(2 * pi)) + EulerGamma - Rational(1, 2)


def H_erlang(k, rate):              # [CT] Table 17.1 / [W] Erlang (rate lambda)
    return (1 - k) * digamma(k) + log(gamma(k) / rate) + k


def H_gammainverse(a, b):           # [W] Inverse-gamma distribution
    return a + log(b * gamma(a)) - (1 + a) * digamma(a)


def H_nakagami(m, omega):
    # X^2 ~ Gamma(m, omega/m) ([W] Nakagami) and h(X) = h(X^2) - E log(2X) ([CT] eq. 8.71,
    # change of variables); E log X^2 = digamma(m) + log(omega/m).
    return loggamma(m) - log(2) + log(omega / m) / 2 + m - (m - Rational(1, 2)) * digamma(m)


def H_levy(mu, c):                  # [W] Levy distribution
    return (1 + 3 * EulerGamma + log(16 * pi * c**2)) / 2


def H_arcsin(a, b):                 # [W] Arcsine distribution: log(pi/4) for [0,1], + log(b-a)
    return log(pi * (b - a) / 4)


def H_triangular(a, b, c):          # [W] Triangular distribution: 1/2 + log((b-a)/2)
    return Rational(1, 2) + log((b - a) / 2)


def H_kumaraswamy(a, b):            # [W] Kumaraswamy distribution (H_b = harmonic number)
    return (1 - 1 / b) + (1 - 1 / a) * harmonic(b) - log(a * b)


# ----------------------------------------------------------------------------- discrete
def H_bernoulli(p, succ=1, fail=0):  # [CT] eq. 2.5, binary entropy function
    return -p * log(p) - (1 - p) * log(1 - p)


def H_binomial4(p):
    # [W] Binomial: H = -n(p log p + q log q) - sum_k C(n,k) p^k q^(n-k) log C(n,k), n = 4
    q = 1 - p
    return (-4 * (p * log(p) + q * log(q))
            - (4 * p * q**3 + 4 * p**3 * q) * log(4) - 6 * p**2 * q**2 * log(6))


def H_geometric(p):                 # [W] Geometric (support {1,2,...}): (-(1-p)log(1-p) - p log p)/p
    return (-(1 - p) * log(1 - p) - p * log(p)) / p


def H_die(sides):                   # uniform on `sides` points [CT] Thm 2.6.4
    return log(sides)


def H_poisson(lam):
    # [W] Poisson: lambda(1 - log lambda) + exp(-lambda) sum_k lambda^k log(k!)/k!
    return lam * (1 - log(lam)) + exp(-lam) * Sum(lam**_k * log(factorial(_k)) / factorial(_k),
                                                  (_k, 0, oo))


def H_negbinomial(r, p):
    # -E log f with f(k) = C(k+r-1,k)(1-p)^k p^r and E[k] = r(1-p)/p ([W] Negative binomial);
    # the E log C(k+r-1,k) term is kept as its defining series.
    f = binomial(_k + r - 1, _k) * (1 - p)**_k * p**r
    return (-r * log(p) - r * (1 - p) / p * log(1 - p)
            - Sum(f * log(binomial(_k + r - 1, _k)), (_k, 0, oo)))


def H_logarithmic(p):
    # -E log f with f(k) = -p^k/(k log(1-p)), E[k] = -p/((1-p) log(1-p)) ([W] Logarithmic
    # distribution); E log k kept as its defining series.
    kk = _k + 1
    f = -p**kk / (kk * log(1 - p))
    mean = -p / ((1 - p) * log(1 - p))
    return log(-log(1 - p)) - mean * log(p) + Sum(f * log(kk), (_k, 0, oo))


def H_mvnormal(mu, cov):            # [CT] Thm 8.4.1: 1/2 log((2 pi e)^n |K|)
    return (len(mu) * log(2 * pi * E) + log(Matrix(cov).det())) / 2


def H_dirichlet(alpha):             # [W] Dirichlet distribution (Lebesgue measure on the simplex)
    al = list(alpha)
    a0 = sum(al)
    return (sum(loggamma(a) for a in al) - loggamma(a0) + (a0 - len(al)) * digamma(a0)
            - sum((a - 1) * digamma(a) for a in al))


# Dispatch on sympy distribution class name; arguments are the distribution's .args.
ENTROPY_BY_DISTRIBUTION = {
    "NormalDistribution": H_normal, "ExponentialDistribution": H_exponential,
    "GammaDistribution": H_gamma, "BetaDistribution": H_beta,
    "LaplaceDistribution": H_laplace, "UniformDistribution": H_uniform,
    "CauchyDistribution": H_cauchy, "StudentTDistribution": H_studentt,
    "LogisticDistribution": H_logistic, "LogNormalDistribution": H_lognormal,
    "WeibullDistribution": H_weibull, "RayleighDistribution": H_rayleigh,
    "ParetoDistribution": H_pareto, "GumbelDistribution": H_gumbel,
    "ChiSquaredDistribution": H_chisquared, "ChiDistribution": H_chi,
    "MaxwellDistribution": H_maxwell, "GammaInverseDistribution": H_gammainverse,
    "NakagamiDistribution": H_nakagami, "LevyDistribution": H_levy,
    "ArcsinDistribution": H_arcsin, "TriangularDistribution": H_triangular,
    "KumaraswamyDistribution": H_kumaraswamy, "BernoulliDistribution": H_bernoulli,
    "GeometricDistribution": H_geometric, "PoissonDistribution": H_poisson,
    "NegativeBinomialDistribution": H_negbinomial, "LogarithmicDistribution": H_logarithmic,
    "FiniteDistributionHandmade": lambda d: -sum(p * log(p) for p in d.values()),   # [CT] eq. 2.1
    "MultivariateNormalDistribution": H_mvnormal, "MultivariateBetaDistribution": H_dirichlet,
}

_PROB1 = p1 < 1
_CT = "Cover & Thomas 2nd ed. Table 17.1"


def _e(id_, build, formula, source, **kw):
    return Ref("S-" + id_, "entropy", build, formula, source, **kw)


ENTROPY_REFS = [
    _e("normal", lambda: (Normal("X", m1, s1),), H_normal(m1, s1), _CT),
    _e("exponential", lambda: (Exponential("X", l1),), H_exponential(l1), _CT),
    _e("gamma", lambda: (Gamma("X", a1, s1),), H_gamma(a1, s1), "Wikipedia Gamma; Lazo & Rathie 1978"),
    _e("beta", lambda: (Beta("X", a1, b1),), H_beta(a1, b1), _CT),
    _e("laplace", lambda: (Laplace("X", m1, s1),), H_laplace(m1, s1), _CT),
    _e("uniform", lambda: (Uniform("X", lo1, hi1),), H_uniform(lo1, hi1), _CT,
       conditions=lo1 < hi1),
    _e("uniform-pos", lambda: (Uniform("X", u, u + w),), log(w), _CT),
    _e("cauchy", lambda: (Cauchy("X", m1, s1),), H_cauchy(m1, s1), _CT),
    _e("studentt", lambda: (StudentT("X", nu),), H_studentt(nu), _CT + "; Wikipedia Student's t"),
    _e("logistic", lambda: (Logistic("X", m1, s1),), H_logistic(m1, s1), "Wikipedia Logistic"),
    _e("lognormal", lambda: (LogNormal("X", m1, s1),), H_lognormal(m1, s1), _CT),
    _e("weibull", lambda: (Weibull("X", s1, a1),), H_weibull(s1, a1), "Wikipedia Weibull"),
    _e("rayleigh", lambda: (Rayleigh("X", s1),), H_rayleigh(s1), "Wikipedia Rayleigh"),
    _e("pareto", lambda: (Pareto("X", s1, a1),), H_pareto(s1, a1), _CT),
    _e("gumbel", lambda: (Gumbel("X", s1, m1),), H_gumbel(s1, m1), "Wikipedia Gumbel"),
    _e("chisquared", lambda: (ChiSquared("X", k1),), H_chisquared(k1), _CT),
    _e("chi", lambda: (Chi("X", k1),), H_chi(k1), _CT),
    _e("maxwell", lambda: (Maxwell("X", s1),), H_maxwell(s1), _CT),
    _e("erlang", lambda: (Erlang("X", k1, l1),), H_erlang(k1, l1), _CT),
    _e("gammainverse", lambda: (GammaInverse("X", a1, b1),), H_gammainverse(a1, b1),
       "Wikipedia Inverse-gamma"),
    _e("nakagami", lambda: (Nakagami("X", a1, s1),), H_nakagami(a1, s1),
       "X^2 ~ Gamma(m, omega/m) (Wikipedia Nakagami) + Cover & Thomas eq. 8.71",
       conditions=a1 >= Rational(1, 2)),
    _e("levy", lambda: (Levy("X", m1, s1),), H_levy(m1, s1), "Wikipedia Levy distribution"),
    _e("arcsin", lambda: (Arcsin("X", lo1, hi1),), H_arcsin(lo1, hi1), "Wikipedia Arcsine",
       conditions=lo1 < hi1),
    _e("triangular", lambda: (Triangular("X", lo1, lo1 + u + v, lo1 + u),),
       H_triangular(lo1, lo1 + u + v, lo1 + u), "Wikipedia Triangular distribution"),
    _e("kumaraswamy", lambda: (Kumaraswamy("X", a1, b1),), H_kumaraswamy(a1, b1),
       "Wikipedia Kumaraswamy"),
    _e("bernoulli", lambda: (Bernoulli("X", p1),), H_bernoulli(p1), "Cover & Thomas eq. 2.5",
       conditions=_PROB1),
    _e("binomial4", lambda: (Binomial("X", 4, p1),), H_binomial4(p1), "Wikipedia Binomial",
       conditions=_PROB1),
    _e("geometric", lambda: (Geometric("X", p1),), H_geometric(p1), "Wikipedia Geometric",
       conditions=_PROB1),
    _e("die6", lambda: (Die("X", 6),), log(6), "Cover & Thomas Thm 2.6.4"),
    _e("die20", lambda: (Die("X", 20),), log(20), "Cover & Thomas Thm 2.6.4"),
    _e("die-symbolic", lambda: (Die("X", n),), log(n), "Cover & Thomas Thm 2.6.4", stretch=True),
    _e("finite3", lambda: (FiniteRV("X", {0: p1, 1: p2, 2: 1 - p1 - p2}),),
       -p1 * log(p1) - p2 * log(p2) - (1 - p1 - p2) * log(1 - p1 - p2),
       "Cover & Thomas eq. 2.1 (definition on 3 points)", conditions=p1 + p2 < 1),
    _e("mvnormal2", lambda: (MultivariateNormal("X", [m1, m2], [[s1, c12], [c12, s2]]),),
       H_mvnormal([m1, m2], [[s1, c12], [c12, s2]]),
       "Cover & Thomas Thm 8.4.1: 1/2 log((2 pi e)^n |K|)", conditions=s1 * s2 - c12**2 > 0),
    _e("dirichlet3", lambda: (MultivariateBeta("X", [a1, a2, a3]),),
       H_dirichlet([a1, a2, a3]),
       "Wikipedia Dirichlet distribution (entropy w.r.t. Lebesgue measure on the simplex)",
       slow=True),
    _e("poisson", lambda: (Poisson("X", l1),), H_poisson(l1), "Wikipedia Poisson", series=True),
    _e("negbinomial", lambda: (NegativeBinomial("X", a1, p1),), H_negbinomial(a1, p1),
       "expansion of -E log f, Wikipedia Negative binomial moments", series=True,
       conditions=_PROB1),
    _e("logarithmic", lambda: (Logarithmic("X", p1),), H_logarithmic(p1),
       "expansion of -E log f, Wikipedia Logarithmic distribution moments", series=True,
       conditions=_PROB1),
    # user-defined densities (ContinuousRV)
    _e("halfnormal", lambda: (ContinuousRV(_x, sqrt(2 / pi) / s1 * exp(-_x**2 / (2 * s1**2)),
                                           Interval(0, oo)),),
       log(pi * E * s1**2 / 2) / 2, "Wikipedia Half-normal distribution"),
    _e("powerlaw01", lambda: (ContinuousRV(_x, (a1 + 1) * _x**a1, Interval(0, 1)),),
       -log(a1 + 1) + a1 / (a1 + 1), "Beta(a+1, 1) case of Cover & Thomas Table 17.1 (Beta)"),
]
