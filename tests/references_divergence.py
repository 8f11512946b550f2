"""Reference Renyi divergences, Renyi entropies and Bhattacharyya distances, typed in from
the literature (sympy.stats parametrisations), with their finiteness conditions.

Sources (abbreviations used below):
  [GAL]  M. Gil, F. Alajaji, T. Linder, "Renyi divergence measures for commonly used univariate
         continuous distributions", Information Sciences 249 (2013), Table 2 (and Gil's MSc
         thesis, Queen's University 2011, Table 2.2), with the conditions under which each
         divergence is finite.  Notation there: x_a = a x1 + (1 - a) x2.
  [NN]   F. Nielsen, R. Nock, "On Renyi and Tsallis entropies and divergences for exponential
         families", arXiv:1105.3259 (2011): D_a = J_F^(a)(theta1 : theta2)/(1 - a) with the
         log-normaliser F of the family (used for the discrete families, eq. 16 with the
         Poisson/Bernoulli/Binomial/Geometric log-normalisers of their Table 1).
  [NZ]   S. Nadarajah, K. Zografos, "Formulas for Renyi information and related measures for
         univariate distributions", Information Sciences 155 (2003): Renyi entropies.
  [K67]  T. Kailath, "The divergence and Bhattacharyya distance measures in signal
         selection", IEEE Trans. Commun. Technol. 15 (1967): Gaussian Bhattacharyya distance.
  [INV]  Renyi divergence is invariant under a common bijection of P and Q (van Erven &
         Harremoes, "Renyi divergence and Kullback-Leibler divergence", IEEE Trans. Inf.
         Theory 60 (2014), Thm. 9 with equality for a bijection), used to carry the exponential
         or Gamma row of [GAL] to Weibull, Rayleigh, Gumbel, Maxwell and Levy; [GAL] lists the
         same results for those families.
Each reference returns (value, condition); value is D_a(P || Q) where condition holds, +oo
elsewhere.
"""
from sympy import And, Matrix, Rational, beta, exp, log, loggamma, pi, sqrt


def renyi_exponential(a, l1, l2):            # [GAL] Table 2, Exponential (rates)
    la = a * l1 + (1 - a) * l2
    return log(l1 / l2) + log(l1 / la) / (a - 1), la > 0


def renyi_normal(a, m1, s1, m2, s2):         # [GAL] Table 2, Normal; also LogNormal
    v = a * s2**2 + (1 - a) * s1**2          # (sigma^2)*_a
    return (log(s2 / s1) + log(s2**2 / v) / (2 * (a - 1)) + a * (m1 - m2)**2 / (2 * v), v > 0)


def renyi_gamma(a, k1, t1, k2, t2):          # [GAL] Table 2, Gamma, in rates b = 1/theta
    b1, b2 = 1 / t1, 1 / t2
    ka, ba = a * k1 + (1 - a) * k2, a * b1 + (1 - a) * b2
    logM = (loggamma(ka) - a * loggamma(k1) - (1 - a) * loggamma(k2)
            + a * k1 * log(b1) + (1 - a) * k2 * log(b2) - ka * log(ba))
    return logM / (a - 1), And(ka > 0, ba > 0)


def renyi_beta(a, a1, b1, a2, b2):           # [GAL] Table 2, Beta
    aa, ba = a * a1 + (1 - a) * a2, a * b1 + (1 - a) * b2
    return (log(beta(a2, b2) / beta(a1, b1)) + log(beta(aa, ba) / beta(a1, b1)) / (a - 1),
            And(aa > 0, ba > 0))


def renyi_chi(a, k1, k2):                    # [GAL] Table 2, Chi (sigma = 1)
    ka = a * k1 + (1 - a) * k2
    return (loggamma(k2 / 2) - loggamma(k1 / 2)
            + (loggamma(ka / 2) - loggamma(k1 / 2)) / (a - 1), ka > 0)


renyi_chisquared = renyi_chi                 # [GAL] Table 2, Chi-squared: the same formula


def renyi_laplace0(a, b1, b2):               # [GAL] Table 2, Laplace (common location)
    v = a * b2 + (1 - a) * b1
    return log(b2 / b1) + log(b2 / v) / (a - 1), v > 0


def renyi_pareto(a, m, a1, a2):              # [GAL] Table 2, Pareto (common scale m)
    aa = a * a1 + (1 - a) * a2
    return log(a1 / a2) + log(a1 / aa) / (a - 1), aa > 0


def renyi_weibull(a, l1, l2, k):             # [GAL] Table 2, Weibull (common shape k); [INV]
    return renyi_exponential(a, l1**-k, l2**-k)


def renyi_rayleigh(a, s1, s2):               # [GAL] Table 2, Rayleigh; [INV] with y = x**2
    return renyi_exponential(a, 1 / (2 * s1**2), 1 / (2 * s2**2))


def renyi_gumbel(a, b, m1, m2):              # [GAL] Table 2, Gumbel (common scale); [INV]
    return renyi_exponential(a, exp(m1 / b), exp(m2 / b))


def renyi_erlang(a, k, l1, l2):              # [GAL] Table 2, Erlang (common shape k)
    return renyi_gamma(a, k, 1 / l1, k, 1 / l2)


def renyi_maxwell(a, a1, a2):                # [GAL] Table 2, Maxwell; [INV] y = x**2: Gamma(3/2)
    return renyi_gamma(a, Rational(3, 2), 2 * a1**2, Rational(3, 2), 2 * a2**2)


def renyi_levy(a, c1, c2):                   # [GAL] Table 2, Levy (location 0); [INV] y = 1/x
    return renyi_gamma(a, Rational(1, 2), 2 / c1, Rational(1, 2), 2 / c2)


def renyi_uniform0(a, t1, t2):               # [GAL] Table 2, Uniform: (0, t1) vs (0, t2)
    # t1 <= t2: log(t2/t1) for every a; t1 > t2: a/(a-1) log(t2/t1) for a < 1, +oo for a > 1
    return log(t2 / t1), t1 <= t2


# ---- discrete families ([NN] eq. 16 with the log-normalisers of their Table 1)
def renyi_poisson(a, l1, l2):
    return (l1**a * l2**(1 - a) - a * l1 - (1 - a) * l2) / (a - 1), True


def renyi_bernoulli(a, p1, p2):
    return log(p1**a * p2**(1 - a) + (1 - p1)**a * (1 - p2)**(1 - a)) / (a - 1), True


def renyi_binomial(a, n, p1, p2):
    return n * renyi_bernoulli(a, p1, p2)[0], True


def renyi_geometric(a, p1, p2):              # support 1, 2, ...
    z = (1 - p1)**a * (1 - p2)**(1 - a)
    return log(p1**a * p2**(1 - a) / (1 - z)) / (a - 1), z < 1


# ---- multivariate
def renyi_mvnormal(a, mu1, S1, mu2, S2):     # [GAL] Section 4, multivariate normal
    Sa = a * S2 + (1 - a) * S1
    d = Matrix(mu1) - Matrix(mu2)
    return (a / 2 * (d.T * Sa.inv() * d)[0, 0]
            - log(Sa.det() / (S1.det()**(1 - a) * S2.det()**a)) / (2 * (a - 1)),
            Sa.det() > 0)


def renyi_dirichlet(a, A, B):                # [GAL] Section 4, Dirichlet
    def lB(v):
        return sum(loggamma(x) for x in v) - loggamma(sum(v))
    Aa = [a * x + (1 - a) * y for x, y in zip(A, B)]
    return lB(B) - lB(A) + (lB(Aa) - lB(A)) / (a - 1), And(*[x > 0 for x in Aa])


# ---- Renyi entropies ([NZ] Table 1; h_a = log(int p**a)/(1 - a))
def renyi_entropy_normal(a, s):
    return log(sqrt(2 * pi) * s) + log(a) / (2 * (a - 1))


def renyi_entropy_exponential(a, l):
    return -log(l) + log(a) / (a - 1)


def renyi_entropy_gamma(a, k, t):            # finite for a (k - 1) + 1 > 0
    return log(t) + (loggamma(a * (k - 1) + 1) - a * loggamma(k) - (a * (k - 1) + 1) * log(a)) / (1 - a)


def renyi_entropy_beta(a, p, q):
    return (log(beta(a * (p - 1) + 1, a * (q - 1) + 1)) - a * log(beta(p, q))) / (1 - a)


def renyi_entropy_laplace(a, b):
    return log(2 * b) + log(a) / (a - 1)


# ---- Bhattacharyya distance between Gaussians ([K67] eq. 4)
def bhattacharyya_normal(m1, s1, m2, s2):
    return (m1 - m2)**2 / (4 * (s1**2 + s2**2)) + log((s1**2 + s2**2) / (2 * s1 * s2)) / 2


