"""Minimising cross-entropy to the empirical distribution is maximum likelihood.

For samples x_1..x_N the empirical distribution P_N puts mass 1/N on each
sample, so H(P_N, Q_theta) = -(1/N) sum_i log q_theta(x_i) = -(1/N) log L(theta).
Reference: Goodfellow, Bengio & Courville, Deep Learning (2016), sec. 5.5.
"""
import sympy as sp

from _common import Theorem, main
from symxent.derivation.core import Derivation
from symxent.derivation.render import Defined, Terms, cross_entropy_notation, entropy_notation, kl_notation

R = sp.Rational
U = sp.UnevaluatedExpr
PN = sp.Symbol("P_N")
Qt = sp.Symbol("Q_theta")


def general():
    N = sp.Symbol("N", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    x = sp.IndexedBase("x", real=True)
    theta = sp.Symbol("theta", real=True)
    q = sp.Function("q", positive=True)
    y = sp.Symbol("y", real=True)
    avg = sp.Sum(-sp.log(q(x[i])) / N, (i, 1, N))
    lik = Defined(sp.Product(q(x[i]), (i, 1, N)), "L(theta)", r"L\left(\theta\right)")
    models = [{q: sp.Lambda(y, sp.exp(-(y - theta)**2 / 2) / sp.sqrt(2 * sp.pi))},
              {q: sp.Lambda(y, sp.exp(-sp.Abs(y - theta)) / 2)}]
    return Derivation(cross_entropy_notation(avg, PN, Qt), [
        ("=", avg, "E under P_N is the average over the samples"),
        ("=", -sp.Sum(sp.log(q(x[i])), (i, 1, N)) / N, "linearity of the sum"),
        ("=", -sp.log(sp.Product(q(x[i]), (i, 1, N))) / N, "sum of logs = log of product"),
        ("=", -sp.log(lik) / N, "definition of the likelihood")],
        models=models, title="H(P_N, Q) = -log L / N")


def bernoulli():
    th = sp.Symbol("theta", positive=True)
    xs = (1, 0, 1, 1, 0)
    q = {1: th, 0: 1 - th}
    h = -(R(3, 5) * sp.log(th) + R(2, 5) * sp.log(1 - th))
    per_sample = Terms(*[U(sp.log(q[v])) for v in xs])
    lik = Defined(th**3 * (1 - th)**2, "L(theta)", r"L\left(\theta\right)")
    return Derivation(cross_entropy_notation(h, PN, Qt), [
        ("=", h, "P_N(1) = 3/5, P_N(0) = 2/5"),
        ("=", -R(1, 5) * U(per_sample), "one term per sample, in sample order"),
        ("=", -R(1, 5) * sp.log(U(th**3 * (1 - th)**2)), "sum of logs = log of product"),
        ("=", -R(1, 5) * sp.log(lik), "definition of the likelihood")],
        ranges={th: (0, 1)}, title="Bernoulli samples")


def build():
    t = Theorem("mle", "Cross-entropy on training data is maximum likelihood")
    t.text("Let $x_1, \\dots, x_N$ be training samples and $P_N$ their empirical "
           "distribution, which gives mass $1/N$ to each sample (a value seen $k$ times gets "
           "$k/N$).  For a model $Q_\\theta$ with density or mass function $q_\\theta$, "
           "an expectation under $P_N$ is an average over the samples, so:")
    t.derivation(general())
    t.text("Here $q$ is an arbitrary positive function; the numeric checks use Normal and "
           "Laplace models with a random location $\\theta$, a random sample size $N$ and "
           "random samples.  Since $-\\frac{1}{N} \\log$ is strictly decreasing, minimising "
           "$H(P_N, Q_\\theta)$ over $\\theta$ is the same as maximising the likelihood "
           "$L(\\theta) = \\prod_i q_\\theta(x_i)$.  By the decomposition this is also "
           "minimising $D_{\\mathrm{KL}}(P_N \\,\\|\\, Q_\\theta)$, which differs by the "
           "constant $S(P_N)$.")
    t.text("Concrete case: five coin flips $1, 0, 1, 1, 0$ and the Bernoulli model "
           "$q_\\theta(1) = \\theta$, $q_\\theta(0) = 1 - \\theta$:")
    t.derivation(bernoulli())
    th = sp.Symbol("theta", positive=True)
    h = -(R(3, 5) * sp.log(th) + R(2, 5) * sp.log(1 - th))
    s_emp = -(R(3, 5) * sp.log(R(3, 5)) + R(2, 5) * sp.log(R(2, 5)))
    t.fact("The only stationary point in $(0, 1)$ is $\\theta = 3/5$, the sample mean "
           "(the maximum-likelihood estimate).",
           [r for r in sp.solve(sp.diff(h, th), th) if 0 < r < 1] == [R(3, 5)])
    h2 = sp.diff(h, th, 2)
    t.fact(f"The second derivative there is ${sp.latex(h2.subs(th, R(3, 5)))} > 0$, and "
           "$H \\to +\\infty$ at both ends of $(0, 1)$, so $\\theta = 3/5$ is the minimum.",
           sp.And(h2.subs(th, R(3, 5)) > 0, sp.Eq(sp.limit(h, th, 0, "+"), sp.oo),
                  sp.Eq(sp.limit(h, th, 1, "-"), sp.oo)))
    t.fact("At $\\theta = 3/5$ the model equals $P_N$: the minimal cross-entropy is "
           f"$S(P_N) = {sp.latex(s_emp)}$ and the divergence is 0.",
           sp.simplify(h.subs(th, R(3, 5)) - s_emp) == 0)
    t.text("This is the note's claim made precise: the lowest cross-entropy equals the "
           "entropy of the training distribution only when the model family contains "
           "$P_N$ itself, as here.  For a continuous model family $P_N$ has no density and "
           "is never in the family; then the minimum is larger and the minimiser is still "
           "the maximum-likelihood estimate.  Matching $P_N$ exactly is what overfitting "
           "means, which is why one regularises or evaluates on held-out data.")
    return t


if __name__ == "__main__":
    main(build)
