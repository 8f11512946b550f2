"""Multivariate laws: the normal in matrix form (symbolic dimension), Dirichlet with
numeric and mixed parameters, the multinomial, the multivariate t.

References (independent of the engine, typed in here only):

  [W-MVN]  Wikipedia, "Multivariate normal distribution": differential entropy
           1/2 log det(2 pi e Sigma); KL 1/2 [tr(S2^-1 S1) + (m2 - m1)^T S2^-1 (m2 - m1)
           - k + log(det S2 / det S1)].  Also W. D. Penny, "KL-divergences of Normal,
           Gamma, Dirichlet and Wishart densities", 2001, eq. 2.
  [W-DIR]  Wikipedia, "Dirichlet distribution": entropy log B(a) + (a0 - K) psi(a0)
           - sum (a_j - 1) psi(a_j); Penny 2001, eq. 12 for the KL.
  [W-MULT] Wikipedia, "Multinomial distribution", entropy: -log n! - n sum p_i log p_i
           + sum_i sum_k C(n, k) p_i^k (1 - p_i)^(n-k) log k!.
  [KN04]   S. Kotz, S. Nadarajah, *Multivariate t Distributions and Their
           Applications*, Cambridge 2004, eq. (1.3) and Section 1.10: entropy of the
           d-variate t with nu degrees of freedom and scale matrix R:
           1/2 log det R + log[(nu pi)^(d/2) Gamma(nu/2) / Gamma((nu + d)/2)]
           + (nu + d)/2 [psi((nu + d)/2) - psi(nu/2)].
Numeric references are the definitions at 30 digits: mpmath sums of the mass
function, or :func:`symxent.numeric.core.evaluate` (quadrature of the definition).
"""
import itertools

import mpmath
import pytest
import sympy as sp
from sympy import (Matrix, expand_log, MatrixSymbol, Rational as R, Sum, binomial, digamma, factorial,
                   gamma, lambdify, log, loggamma, pi, simplify, symbols)
from sympy.stats import (Dirichlet, Multinomial, MultivariateLaplace, MultivariateNormal,
                         MultivariateT)

from symxent import (KLDivergence, ParameterError, UnsupportedError, cross_entropy, entropy,
                     kl_divergence)
from symxent.numeric.core import evaluate

n = symbols("n", integer=True, positive=True)
DPS = 30


def _close(a, b, dps=DPS):
    with mpmath.workdps(dps + 10):
        a, b = mpmath.mpf(a), mpmath.mpf(b)
        assert abs(a - b) <= mpmath.mpf(10) ** (-dps) * max(1, abs(a), abs(b)), (a, b)


def _num(e, dps=DPS + 10):
    with mpmath.workdps(dps):
        return mpmath.mpf(str(e.evalf(dps)))


# ------------------------------------------------------------ matrix form

def _mvn_ref_kl(m1, S1, m2, S2):         # [W-MVN]
    S2i = S2.inv()
    d = m2 - m1
    k = m1.shape[0]
    return ((S2i * S1).trace() + (d.T * S2i * d)[0, 0] - k + log(S2.det() / S1.det())) / 2


def _matrix_pair(name1="P", name2="Q"):
    m1, m2 = MatrixSymbol("mu1", n, 1), MatrixSymbol("mu2", n, 1)
    S1, S2 = MatrixSymbol("Sigma1", n, n), MatrixSymbol("Sigma2", n, n)
    return MultivariateNormal(name1, m1, S1), MultivariateNormal(name2, m2, S2)


def _concrete(k):
    """Symmetric positive definite matrices (A A^T + I) and means, dimension k."""
    A = Matrix(k, k, lambda i, j: R((3 * i + 5 * j) % 7 - 3, 4))
    B = Matrix(k, k, lambda i, j: R((2 * i + j) % 5 - 2, 3))
    S1, S2 = A * A.T + Matrix.eye(k), B * B.T + 2 * Matrix.eye(k)
    m1 = Matrix([R(j + 1, 3) for j in range(k)])
    m2 = Matrix([R(1 - 2 * j, 5) for j in range(k)])
    return m1, S1, m2, S2


def _instantiate(expr, k, m1, S1, m2, S2):
    """The issue's recipe: .subs(n, k), xreplace of the matrix symbols, .doit()."""
    e = expr.subs(n, k)
    return e.xreplace({MatrixSymbol("mu1", k, 1): m1, MatrixSymbol("mu2", k, 1): m2,
                       MatrixSymbol("Sigma1", k, k): S1,
                       MatrixSymbol("Sigma2", k, k): S2}).doit()


def test_matrix_form_kl_has_trace_determinant_inverse_and_agrees_in_dimension_3():
    P, Q = _matrix_pair()
    v = kl_divergence(P, Q)
    s = str(v)
    for word in ("Trace", "Determinant", "Sigma2**(-1)", ".T"):
        assert word in s, s
    m1, S1, m2, S2 = _concrete(3)
    got = _instantiate(v, 3, m1, S1, m2, S2)
    ref = _mvn_ref_kl(m1, S1, m2, S2)
    assert simplify(got - ref) == 0
    # the definition at 30 digits (quadrature in whitened coordinates, numeric layer)
    A = MultivariateNormal("A", list(m1), S1.tolist())
    B = MultivariateNormal("B", list(m2), S2.tolist())
    _close(_num(got), evaluate(KLDivergence(A, B), {}, dps=DPS).value)


def test_matrix_form_entropy_and_cross_entropy_in_dimension_2():
    P, Q = _matrix_pair()
    m1, S1, m2, S2 = _concrete(2)
    h = _instantiate(entropy(P), 2, m1, S1, m2, S2)
    assert simplify(h - (log((2 * pi) ** 2 * S1.det()) / 2 + 1)) == 0       # [W-MVN]
    H = _instantiate(cross_entropy(P, Q), 2, m1, S1, m2, S2)
    assert simplify(H - (_mvn_ref_kl(m1, S1, m2, S2) + log((2 * pi) ** 2 * S1.det()) / 2 + 1)) == 0
    A = MultivariateNormal("A", list(m1), S1.tolist())
    B = MultivariateNormal("B", list(m2), S2.tolist())
    _close(_num(H), evaluate(("cross_entropy", A, B), {}, dps=DPS).value)
    _close(_num(h), evaluate(("entropy", A), {}, dps=DPS).value)


def test_matrix_form_kl_with_symbolic_entries_in_dimension_2():
    P, Q = _matrix_pair()
    a, b, c, d = symbols("a b c d", real=True)
    s1, s2, t1, t2 = symbols("s1 s2 t1 t2", positive=True)
    m1, m2 = Matrix([a, b]), Matrix([c, d])
    S1, S2 = Matrix([[s1, 0], [0, s2]]), Matrix([[t1, 0], [0, t2]])
    got = _instantiate(kl_divergence(P, Q), 2, m1, S1, m2, S2)
    assert simplify(got - _mvn_ref_kl(m1, S1, m2, S2)) == 0


def test_matrix_form_shape_mismatch_is_a_clear_error():
    m = symbols("m", integer=True, positive=True)
    P, _ = _matrix_pair()
    bad = MultivariateNormal("B", MatrixSymbol("mu3", n, 1), MatrixSymbol("C", n, n + 1))
    with pytest.raises(ParameterError, match="shape"):
        kl_divergence(P, bad)
    other = MultivariateNormal("O", MatrixSymbol("mu4", m, 1), MatrixSymbol("D", m, m))
    with pytest.raises(ParameterError, match="dimension"):
        kl_divergence(P, other)


# ------------------------------------------------------------ Dirichlet

def _dir_entropy(al):                    # [W-DIR]
    a0 = sum(al)
    return (sum(loggamma(a) for a in al) - loggamma(a0) + (a0 - len(al)) * digamma(a0)
            - sum((a - 1) * digamma(a) for a in al))


def _dir_kl(al, be):                     # Penny 2001, eq. 12
    a0, b0 = sum(al), sum(be)
    return (loggamma(a0) - loggamma(b0) - sum(loggamma(a) for a in al)
            + sum(loggamma(b) for b in be)
            + sum((a - b) * (digamma(a) - digamma(a0)) for a, b in zip(al, be)))


def test_dirichlet_numeric_parameters():
    v = entropy(Dirichlet("X", [2, 2, 2]))
    assert simplify(v - _dir_entropy([2, 2, 2])) == 0
    assert v.is_number
    _close(_num(v), evaluate(("entropy", Dirichlet("X", [2, 2, 2])), {}, dps=DPS).value)


def test_dirichlet_mixed_numeric_and_symbolic_parameters():
    a = symbols("a", positive=True)
    P, Q = Dirichlet("X", [2, a, R(3, 2)]), Dirichlet("Y", [1, 3, a])
    v = kl_divergence(P, Q)
    ref = _dir_kl([2, a, R(3, 2)], [1, 3, a])
    at = {a: R(7, 5)}
    _close(_num(v.subs(at)), _num(ref.subs(at)))
    assert simplify((v - ref).rewrite(gamma)) == 0 or abs(_num((v - ref).subs({a: R(3, 7)}))) \
        < mpmath.mpf(10) ** -DPS
    _close(_num(v.subs(at)), evaluate(KLDivergence(P, Q), at, dps=DPS).value)


# ------------------------------------------------------------ multinomial

def _mult_entropy_ref(N, ps):            # [W-MULT]
    k = symbols("k", integer=True)
    return (-log(factorial(N)) - N * sum(p * log(p) for p in ps)
            + sum(Sum(binomial(N, k) * p**k * (1 - p)**(N - k) * log(factorial(k)),
                      (k, 0, N)).doit() for p in ps))


def _mult_by_definition(N, ps, qs=None):
    """-sum P log P (or sum P log P/Q) over all outcomes, at 40 digits."""
    with mpmath.workdps(45):
        ps = [mpmath.mpf(p.p) / p.q for p in ps]
        qs = [mpmath.mpf(q.p) / q.q for q in qs] if qs else None
        tot = mpmath.mpf(0)
        for x in itertools.product(range(N + 1), repeat=len(ps)):
            if sum(x) != N:
                continue
            c = mpmath.factorial(N) / mpmath.fprod(mpmath.factorial(i) for i in x)
            P = c * mpmath.fprod(p**i for p, i in zip(ps, x))
            if qs is None:
                tot -= P * mpmath.log(P)
            else:
                tot += P * mpmath.log(P / (c * mpmath.fprod(q**i for q, i in zip(qs, x))))
        return tot


def test_multinomial_entropy_numeric_n():
    ps = [R(1, 2), R(1, 3), R(1, 6)]
    v = entropy(Multinomial("M", 4, ps))
    assert simplify(v - _mult_entropy_ref(4, ps)) == 0
    _close(_num(v), _mult_by_definition(4, ps))


def test_multinomial_entropy_symbolic_n_is_an_exact_residual_sum():
    ps = [R(1, 5), R(3, 10), R(1, 2)]
    v = entropy(Multinomial("M", n, ps))
    assert v.has(Sum)
    _close(_num(v.subs(n, 6).doit()), _mult_by_definition(6, ps))


def test_multinomial_kl_is_closed():
    p, q = symbols("p q", positive=True)
    v = kl_divergence(Multinomial("M", n, [p, 1 - p]), Multinomial("N", n, [q, 1 - q]))
    assert not v.has(Sum)
    ref = n * (p * log(p / q) + (1 - p) * log((1 - p) / (1 - q)))  # n KL(Bernoulli), [CT] 2.26
    # p = 1 is admissible (p positive, p <= 1): the boundary is stated, where the law is
    # the point mass on (n, 0) and the KL is -n log q ([CT] 2.26)
    if isinstance(v, sp.Piecewise):
        assert simplify(v.subs(p, 1) + n * log(q)) == 0
        v = v.args[0][0]
    # every logarithm's argument is positive on the domain (0 < p, q < 1): force is sound
    assert simplify(expand_log(v - ref, force=True)) == 0
    at = {n: 5, p: R(2, 7), q: R(3, 5)}
    _close(_num(v.subs(at)), _mult_by_definition(5, [R(2, 7), R(5, 7)], [R(3, 5), R(2, 5)]))


# ------------------------------------------------------------ multivariate t

def _mvt_entropy_ref(nu, d, Rm):          # [KN04]
    return (log(Rm.det()) / 2 + log((nu * pi) ** R(d, 2) * gamma(nu / 2) / gamma((nu + d) / 2))
            + (nu + d) / 2 * (digamma((nu + d) / 2) - digamma(nu / 2)))


def test_multivariate_t_entropy_closed_form_and_definition():
    nu = symbols("nu", positive=True)
    Rm = Matrix([[2, 1], [1, 2]])
    v = entropy(MultivariateT("T", [0, 1], Rm.tolist(), nu))
    assert simplify(v - _mvt_entropy_ref(nu, 2, Rm)) == 0
    # the definition: whitened by the Cholesky factor C of Rm the density is radial, so
    # -int p log p dx = det(C) * 2 pi * int_0^oo r (-f log f)(r) dr, f(r) = p(mu + C (r, 0))
    T = MultivariateT("T", [0, 1], Rm.tolist(), R(5, 2))
    x1, x2 = symbols("x1 x2", real=True)
    pdf = T.pspace.distribution.pdf(x1, x2)
    C = Rm.cholesky()
    with mpmath.workdps(DPS + 10):
        c0, c1 = (mpmath.mpf(str(C[j, 0].evalf(DPS + 10))) for j in (0, 1))
        f = lambdify((x1, x2), pdf, "mpmath")

        def h(r):
            val = f(c0 * r, 1 + c1 * r)
            return -r * val * mpmath.log(val)
        detC = mpmath.mpf(str(C.det().evalf(DPS + 10)))
        num = 2 * mpmath.pi * detC * mpmath.quad(h, [0, 1, 10, 100, mpmath.inf])
    _close(_num(v.subs(nu, R(5, 2))), num)


def test_multivariate_t_kl_is_left_unevaluated():
    from symxent import NoClosedFormWarning
    A = MultivariateT("A", [0, 0], [[1, 0], [0, 1]], 3)
    B = MultivariateT("B", [0, 0], [[1, 0], [0, 1]], 4)
    with pytest.warns(NoClosedFormWarning):
        assert isinstance(kl_divergence(A, B), KLDivergence)


def test_other_multivariate_laws_are_refused_by_name():
    L = MultivariateLaplace("L", [0, 0], [[1, 0], [0, 1]])
    with pytest.raises(UnsupportedError, match="MultivariateLaplace"):
        entropy(L)


def test_matrix_form_against_an_explicit_normal():
    """A MatrixSymbol normal against one with an explicit mean and covariance (their
    shape is Python ints: the dimension check raised AttributeError 'int' object has
    no attribute 'is_integer').  [W-MVN] KL at concrete matrices, 30 digits."""
    import warnings
    import mpmath
    from sympy import Matrix, MatrixSymbol, Rational as R, log, pi
    from sympy.stats import MultivariateNormal
    from symxent import entropy, kl_divergence
    a, A = MatrixSymbol("a", 2, 1), MatrixSymbol("A", 2, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v = kl_divergence(MultivariateNormal("P", a, A),
                          MultivariateNormal("Q", [0, 0], [[1, 0], [0, 1]]))
        h = entropy(MultivariateNormal("R", [0, 0], A))
    S1, m1 = Matrix([[2, R(1, 2)], [R(1, 2), 1]]), Matrix([R(1, 3), -1])
    got = v.xreplace({A: S1, a: m1}).doit()
    # [W-MVN] with S2 = I, m2 = 0: (tr S1 + m1^T m1 - k - log det S1) / 2
    ref = (S1.trace() + (m1.T * m1)[0, 0] - 2 - log(S1.det())) / 2
    with mpmath.workdps(40):
        assert abs(mpmath.mpf(str((got - ref).evalf(40)))) < mpmath.mpf(10) ** -30
    # entropy (k/2)(1 + log 2 pi) + log det S / 2  [W-MVN]
    href = 1 + log(2 * pi) + log(S1.det()) / 2
    assert abs((h.xreplace({A: S1}).doit() - href).evalf(40)) < 1e-30
