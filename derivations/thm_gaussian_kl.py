"""KL divergence between Gaussians, step by step from the definition.

Univariate N(mu1, sigma1^2) against N(mu2, sigma2^2), and the bivariate case
with diagonal covariances (Fubini reduces it to two univariate ones), written
in the matrix form; the general-covariance matrix formula is compared with
symxent's engine.  Reference for the closed forms (used only as targets that
are checked here, never as input): Duchi, "Derivations for Linear Algebra and
Optimization", sec. 9 (KL divergence between Gaussians); Bishop, Pattern
Recognition and Machine Learning (2006), eq. (2.XX) moments.
"""
import sympy as sp
from sympy.stats import MultivariateNormal, Normal

from _common import Theorem, main
from symxent import KLDivergence, kl_divergence
from symxent.derivation.core import Derivation
from symxent.derivation.render import Defined, Expect, Ratio, Terms, kl_notation, named

U = sp.UnevaluatedExpr
R = sp.Rational
x, y = sp.symbols("x y", real=True)
oo = sp.oo


def gauss(v, m, s):
    return sp.exp(-(v - m)**2 / (2 * s**2)) / (sp.sqrt(2 * sp.pi) * s)


def kl1(m1, s1, m2, s2):
    """The univariate closed form reached below (target of the derivation)."""
    return Terms(sp.log(s2 / s1), (s1**2 + (m1 - m2)**2) / (2 * s2**2), -R(1, 2))


def univariate():
    m1, m2 = sp.symbols("mu1 mu2", real=True)
    s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
    p = named("p", sp.Lambda(x, gauss(x, m1, s1)))(x)
    q = named("q", sp.Lambda(x, gauss(x, m2, s2)))(x)
    lim = (x, -oo, oo)

    def E(f):
        return Expect(f, lim, p)
    log_ratio = sp.log(s2 / s1) - (x - m1)**2 / (2 * s1**2) + (x - m2)**2 / (2 * s2**2)
    d = Derivation(kl_notation(sp.Integral(p * sp.log(p / q), lim)), [
        ("=", E(sp.log(Ratio(p, q))), "definition"),
        ("=", E(sp.log(Ratio(gauss(x, m1, s1), gauss(x, m2, s2)))), "the Gaussian densities"),
        ("=", E(U(log_ratio)), "log of the ratio of the two densities"),
        ("=", Terms(sp.log(s2 / s1) * E(1), -E((x - m1)**2) / (2 * s1**2),
                    E((x - m2)**2) / (2 * s2**2)), "linearity of E"),
        ("=", Terms(sp.log(s2 / s1), -Ratio(s1**2, 2 * s1**2),
                    Ratio(s1**2 + (m1 - m2)**2, 2 * s2**2)),
         "E[1] = 1, E[(X - mu1)^2] = sigma1^2, E[(X - mu2)^2] from the next derivation"),
        ("=", kl1(m1, s1, m2, s2), "arithmetic")],
        ranges={m1: (-2, 2), m2: (-2, 2), s1: (R(1, 2), 2), s2: (R(1, 2), 2)},
        title="KL between univariate Normals")
    shift = Derivation(E((x - m2)**2), [
        ("=", E(U((U(x - m1) + U(m1 - m2))**2)), "add and subtract mu1"),
        ("=", Terms(E((x - m1)**2), 2 * (m1 - m2) * E(x - m1), (m1 - m2)**2 * E(1)),
         "expand the square; linearity"),
        ("=", Terms(s1**2, 2 * (m1 - m2) * U(0), (m1 - m2)**2), "moments of P"),
        ("=", s1**2 + (m1 - m2)**2, "arithmetic")],
        ranges={m1: (-2, 2), m2: (-2, 2), s1: (R(1, 2), 2)}, title="second moment about mu2")
    X, Y = Normal("X", m1, s1), Normal("Y", m2, s2)
    engine = Derivation(KLDivergence(X, Y), [
        ("=", kl_divergence(X, Y), "symxent.kl_divergence (engine)"),
        ("=", kl1(m1, s1, m2, s2), "the result derived above")],
        ranges={m1: (-2, 2), m2: (-2, 2), s1: (R(1, 2), 2), s2: (R(1, 2), 2)},
        title="engine, univariate")
    return d, shift, engine


def matrix_formula(formula):
    """``formula`` displayed as 1/2 [tr(S_Q^-1 S_P) + (nu - mu)^T S_Q^-1 (nu - mu) - 2 + ...]."""
    MP, MQ = sp.MatrixSymbol("Sigma_P", 2, 2), sp.MatrixSymbol("Sigma_Q", 2, 2)
    vm = sp.MatrixSymbol("nu", 2, 1) - sp.MatrixSymbol("mu", 2, 1)
    tex = (r"\frac{1}{2}\left[%s + %s - 2 + \log\frac{%s}{%s}\right]"
           % (sp.latex(sp.Trace(MQ.I * MP)), sp.latex(vm.T * MQ.I * vm),
              sp.latex(sp.Determinant(MQ)), sp.latex(sp.Determinant(MP))))
    text = ("(tr(Sigma_Q^-1 Sigma_P) + (nu-mu)^T Sigma_Q^-1 (nu-mu) - 2"
            " + log(det Sigma_Q/det Sigma_P))/2")
    return Defined(formula, text, tex)


def bivariate():
    mu = sp.symbols("mu1 mu2", real=True)
    nu = sp.symbols("nu1 nu2", real=True)
    a = sp.symbols("a1 a2", positive=True)    # standard deviations of P
    b = sp.symbols("b1 b2", positive=True)    # standard deviations of Q
    p1 = named("p_1", sp.Lambda(x, gauss(x, mu[0], a[0])))(x)
    p2 = named("p_2", sp.Lambda(y, gauss(y, mu[1], a[1])))(y)
    q1 = named("q_1", sp.Lambda(x, gauss(x, nu[0], b[0])))(x)
    q2 = named("q_2", sp.Lambda(y, gauss(y, nu[1], b[1])))(y)
    lim2 = ((x, -oo, oo), (y, -oo, oo))
    SP, SQ = sp.diag(a[0]**2, a[1]**2), sp.diag(b[0]**2, b[1]**2)
    dm = sp.Matrix(nu) - sp.Matrix(mu)
    matrix_form = ((SQ.inv() * SP).trace() + (dm.T * SQ.inv() * dm)[0] - 2
                   + sp.log(SQ.det() / SP.det())) / 2
    ranges = {**{s: (-2, 2) for s in mu + nu}, **{s: (R(1, 2), 2) for s in a + b}}
    d = Derivation(kl_notation(sp.Integral(p1 * p2 * sp.log(p1 * p2 / (q1 * q2)), *lim2)), [
        ("=", sp.Integral(p1 * p2 * sp.log(Ratio(p1 * p2, q1 * q2)), *lim2), "definition"),
        ("=", sp.Integral(p1 * p2 * U(sp.log(Ratio(p1, q1)) + sp.log(Ratio(p2, q2))), *lim2),
         "log of a product"),
        ("=", Terms(sp.Integral(p1 * sp.log(Ratio(p1, q1)), (x, -oo, oo))
                    * sp.Integral(p2, (y, -oo, oo)),
                    sp.Integral(p2 * sp.log(Ratio(p2, q2)), (y, -oo, oo))
                    * sp.Integral(p1, (x, -oo, oo))), "Fubini"),
        ("=", Terms(kl_notation(sp.Integral(p1 * sp.log(p1 / q1), (x, -oo, oo)), "P_1", "Q_1"),
                    kl_notation(sp.Integral(p2 * sp.log(p2 / q2), (y, -oo, oo)), "P_2", "Q_2")),
         "the marginal densities integrate to 1"),
        ("=", Terms(*[U(kl1(mu[j], a[j], nu[j], b[j])) for j in (0, 1)]),
         "univariate result, twice"),
        ("=", matrix_formula(matrix_form), "matrix form, Sigma diagonal")],
        ranges=ranges, title="KL between bivariate Normals, diagonal covariances")
    X = MultivariateNormal("X", sp.Matrix(mu), SP)
    Y = MultivariateNormal("Y", sp.Matrix(nu), SQ)
    engine = Derivation(matrix_formula(matrix_form), [
        ("=", kl_divergence(X, Y), "symxent.kl_divergence (engine)")],
        ranges=ranges, title="engine, diagonal")
    return d, engine


def general_covariance():
    m = sp.symbols("mu1 mu2", real=True)
    n = sp.symbols("nu1 nu2", real=True)
    a1, a2, b1, b2 = sp.symbols("s_P1 s_P2 s_Q1 s_Q2", positive=True)
    r, s = sp.symbols("r_P r_Q", real=True)
    SP, SQ = sp.Matrix([[a1, r], [r, a2]]), sp.Matrix([[b1, s], [s, b2]])
    dm = sp.Matrix(n) - sp.Matrix(m)
    formula = ((SQ.inv() * SP).trace() + (dm.T * SQ.inv() * dm)[0] - 2
               + sp.log(SQ.det() / SP.det())) / 2
    X = MultivariateNormal("X", sp.Matrix(m), SP)
    Y = MultivariateNormal("Y", sp.Matrix(n), SQ)
    return Derivation(matrix_formula(formula), [
        ("=", kl_divergence(X, Y), "symxent.kl_divergence (engine)")],
        constraints=[a1 * a2 - r**2 > 0, b1 * b2 - s**2 > 0],
        ranges={r: (-2, 2), s: (-2, 2)}, title="general covariance")


def build():
    t = Theorem("gaussian-kl", "KL divergence between Gaussian distributions")
    t.text("Let $P = \\mathcal{N}(\\mu_1, \\sigma_1^2)$ and $Q = \\mathcal{N}(\\mu_2, "
           "\\sigma_2^2)$ with densities $p$, $q$, and write $\\operatorname{E}_P$ for the "
           "expectation under $P$.  Starting from the definition:")
    d, shift, engine = univariate()
    t.derivation(d)
    t.derivation(shift, "The second moment about $\\mu_2$ used above:")
    t.text("The first and second moments $\\operatorname{E}_P[X - \\mu_1] = 0$ and "
           "$\\operatorname{E}_P[(X - \\mu_1)^2] = \\sigma_1^2$ are Gaussian integrals; those "
           "steps are checked by numeric integration.  symxent's engine reaches the same "
           "closed form on its own:")
    t.derivation(engine)
    d2, engine2 = bivariate()
    t.text("Two dimensions with diagonal covariances $\\Sigma_P = \\mathrm{diag}(a_1^2, "
           "a_2^2)$, $\\Sigma_Q = \\mathrm{diag}(b_1^2, b_2^2)$ and means $\\mu$, $\\nu$: "
           "both densities factor into one-dimensional ones, and the double integral "
           "splits (Fubini) into two univariate divergences:")
    t.derivation(d2, points=2)  # each point costs ten 40-digit quadratures
    t.derivation(engine2, "The engine's closed form for this case agrees:")
    t.text("For a general covariance ($\\Sigma_P$ with entries $s_{P1}, r_P, s_{P2}$, "
           "$\\Sigma_Q$ likewise, both positive definite) the same matrix formula holds.  "
           "Here it is compared with the engine's closed form; this comparison is not a "
           "derivation from the definition.")
    t.derivation(general_covariance())
    return t


if __name__ == "__main__":
    main(build)
