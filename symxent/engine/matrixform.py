r"""The multivariate normal in matrix form: symbolic dimension ``n``.

``MultivariateNormal('X', mu, Sigma)`` with ``mu`` an ``n x 1`` and ``Sigma``
an ``n x n`` ``MatrixSymbol`` (``n`` a positive integer symbol).  Precondition:
every covariance is symmetric positive definite (stated, not provable for a
``MatrixSymbol``; ``ask(Q.positive_definite(Sigma))`` must at least not be
false).

Derivation.  The density's definition gives

.. math::  -\log N(x; m, A) = \tfrac{n}{2}\log(2\pi) + \tfrac12 \log\det A
           + \tfrac12 (x - m)^T A^{-1} (x - m),

and the one rule needed is the expectation of a quadratic form under
``x ~ N(mu, Sigma)`` (Petersen & Pedersen, *The Matrix Cookbook*, eq. 380):

.. math::  E[(x - m)^T B (x - m)] = \operatorname{tr}(B\Sigma) + (\mu - m)^T B (\mu - m).

With ``m = mu`` and ``B = Sigma^{-1}`` the trace is ``tr(I_n) = n``.  The
results carry ``Trace``, ``Determinant``, ``Inverse`` and ``Transpose``; after
``.subs(n, 3)``, an ``xreplace`` of the matrix symbols by concrete matrices and
``.doit()`` they are the explicit formulas.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symxent.errors import ParameterError, UnsupportedError

__all__ = ["is_matrix_form", "mvnormal_matrix", "quadratic_expectation"]


def _args(rv):
    dist = getattr(rv.pspace, "distribution", None)
    if type(dist).__name__ != "MultivariateNormalDistribution":
        return None
    return dist.args


def is_matrix_form(rv):
    """Is ``rv`` a multivariate normal with a non-explicit (symbolic) mean or covariance?"""
    args = _args(rv) if rv is not None else None
    return args is not None and any(isinstance(a, MatrixExpr) and not isinstance(a, sp.MatrixBase)
                                    for a in args)


def _parts(rv):
    args = _args(rv)
    if args is None:
        raise UnsupportedError(
            f"a multivariate normal in matrix form can only be compared with another "
            f"multivariate normal, not with {rv}")
    mean, cov = args
    if not isinstance(mean, MatrixExpr):
        mean = sp.ImmutableMatrix(mean)
    if not isinstance(cov, MatrixExpr):
        cov = sp.ImmutableMatrix(cov)
    n = sp.sympify(mean.shape[0])  # an explicit matrix's shape is made of Python ints
    if sp.simplify(mean.shape[1] - 1) != 0 or sp.simplify(cov.shape[0] - n) != 0 \
            or sp.simplify(cov.shape[1] - n) != 0:
        raise ParameterError(
            f"{rv}: the mean has shape {mean.shape} and the covariance {cov.shape}; a "
            f"multivariate normal needs an n x 1 mean and an n x n covariance")
    if n.is_integer is not True or n.is_positive is not True:
        raise ParameterError(f"{rv}: the dimension {n} must be a positive integer "
                             "(declare it integer=True, positive=True)")
    if sp.ask(sp.Q.positive_definite(cov)) is False:
        raise ParameterError(f"{rv}: the covariance {cov} is not positive definite")
    return n, mean, cov


def _simplify(m):
    """MatMul/MatAdd simplifications that hold for every n (inverse times itself, x - x)."""
    return m.doit() if isinstance(m, MatrixExpr) else m


def _scalar(m):
    """The entry of a 1 x 1 matrix expression, kept as one term (indexing a product of
    symbolic size would expand it into a double ``Sum`` over its entries)."""
    if isinstance(m, sp.MatrixBase):
        return m[0, 0]
    from sympy.matrices.expressions.matexpr import MatrixElement
    return MatrixElement(m, 0, 0)


def quadratic_expectation(B, m, mean, cov):
    """``E[(x - m)^T B (x - m)]`` for ``x ~ N(mean, cov)`` (Matrix Cookbook eq. 380)."""
    t = _simplify(B * cov)
    if isinstance(t, sp.Identity):
        trace = t.shape[0]
    elif isinstance(t, sp.MatrixBase):
        trace = t.trace()
    else:
        trace = sp.Trace(t)
    d = _simplify(mean - m)
    if isinstance(d, sp.ZeroMatrix) or (isinstance(d, sp.MatrixBase) and d.is_zero_matrix):
        return trace
    return trace + _scalar(d.T * B * d)


def mvnormal_matrix(kind, p, q, tr):
    """S, H or D_KL of multivariate normals in matrix form (see module docstring)."""
    n, mp, Sp = _parts(p)
    if q is not None:
        nq, mq, Sq = _parts(q)
        if sp.simplify(n - nq) != 0:
            raise ParameterError(
                f"{p} has dimension {n} and {q} dimension {nq}: D_KL and H need the same")
    else:
        mq, Sq = mp, Sp
    x = sp.MatrixSymbol("x", n, 1)

    def neg_log(m, A):
        r = x - m
        return (n * sp.log(2 * sp.pi) / 2 + sp.log(sp.Determinant(A)) / 2
                + _scalar(r.T * sp.Inverse(A) * r) / 2)

    def definition():
        g = {"entropy": neg_log(mp, Sp), "cross_entropy": neg_log(mq, Sq)}
        g["kl"] = g["cross_entropy"] - g["entropy"]
        return sp.Function("E_P")(g[kind])

    tr.step(definition,
                "definition (E_P: expectation over x ~ P), with -log N(x; m, A) = n/2 log(2 pi) + 1/2 log det A"
                " + 1/2 (x-m)^T A^-1 (x-m); covariances symmetric positive definite")

    def h(m, A):
        return (n * sp.log(2 * sp.pi) / 2 + sp.log(sp.Determinant(A)) / 2
                + quadratic_expectation(sp.Inverse(A), m, mp, Sp) / 2)

    value = {"entropy": lambda: h(mp, Sp), "cross_entropy": lambda: h(mq, Sq),
             "kl": lambda: h(mq, Sq) - h(mp, Sp)}[kind]()
    tr.step(value, "E[(x-m)^T B (x-m)] = tr(B Sigma) + (mu-m)^T B (mu-m) for x ~ N(mu, Sigma)"
                   " (Matrix Cookbook eq. 380); tr(Sigma^-1 Sigma) = tr(I_n) = n")
    return value
