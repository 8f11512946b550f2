"""Multivariate families: the multivariate normal and the Dirichlet.

Multivariate normal.  ``log p(x) = -k/2 log(2 pi) - 1/2 log det S
- 1/2 (x - mu)^T S^{-1} (x - mu)`` (the density's definition).  The one rule
needed is the expectation of a quadratic form (Petersen & Pedersen, *The
Matrix Cookbook*, eq. 380):

    E_P[(x - m)^T A (x - m)] = tr(A S_P) + (mu_P - m)^T A (mu_P - m).

Dirichlet.  ``log p(x) = sum_i (a_i - 1) log x_i - log B(a)`` is an
exponential family in ``a`` with statistics ``log x_i``; the expected
statistics are the gradient of ``log B`` (:mod:`symxent.engine.expfamily`).
"""
from __future__ import annotations

import sympy as sp

from symxent.errors import UnsupportedError
from symxent.engine.expfamily import detect

__all__ = ["mvnormal", "dirichlet"]


def _quad_expectation(A, m, mean, cov):
    """E[(x - m)^T A (x - m)] for x ~ N(mean, cov)  (Matrix Cookbook eq. 380)."""
    d = mean - m
    return (A * cov).trace() + (d.T * A * d)[0, 0]


def mvnormal(kind, dp, dq, tr):
    if dp.kind != "mvnormal" or dq.kind != "mvnormal":
        raise UnsupportedError("a multivariate normal can only be compared with another one")
    k = dp.mean.shape[0]
    if dq.mean.shape[0] != k:
        raise UnsupportedError("multivariate normals of different dimensions")
    sp_, sq = dp.cov, dq.cov
    x = sp.Matrix(sp.symbols(f"x1:{k + 1}", real=True))

    def neg_log(mean, cov):
        quad = ((x - mean).T * cov.inv() * (x - mean))[0, 0]
        return sp.Rational(k, 2) * sp.log(2 * sp.pi) + sp.log(cov.det()) / 2 + quad / 2

    from sympy.stats import Expectation
    g = {"entropy": neg_log(dp.mean, sp_), "cross_entropy": neg_log(dq.mean, sq)}
    g["kl"] = g["cross_entropy"] - g["entropy"]
    if tr.on:
        tr.step(Expectation(g[kind], evaluate=False),
                "definition, with log N(x; mu, Sigma) = -k/2 log(2 pi) - 1/2 log det Sigma"
                " - 1/2 (x-mu)^T Sigma^-1 (x-mu)")
    h = {}
    for name, (mean, cov) in {"p": (dp.mean, sp_), "q": (dq.mean, sq)}.items():
        quad = sp.factor(sp.cancel(_quad_expectation(cov.inv(), mean, dp.mean, sp_)))
        h[name] = (sp.Rational(k, 2) * sp.log(2 * sp.pi) + sp.log(sp.factor(cov.det())) / 2
                   + quad / 2)
    value = {"entropy": h["p"], "cross_entropy": h["q"], "kl": h["q"] - h["p"]}[kind]
    tr.step(value, "E[(x-m)^T A (x-m)] = tr(A Sigma) + (mu-m)^T A (mu-m)")
    return value


def dirichlet(kind, dp, dq, tr):
    if dp.kind != "dirichlet" or dq.kind != "dirichlet" or len(dp.alpha) != len(dq.alpha):
        raise UnsupportedError("a Dirichlet can only be compared with a Dirichlet of the same size")
    n = len(dp.alpha)
    xs = sp.symbols(f"x1:{n + 1}", positive=True)

    def log_density(d):
        pdf = d.rv.pspace.distribution.pdf(*xs)
        return sp.expand(sp.expand_log(sp.log(pdf), force=True))  # all factors positive

    lp = log_density(dp)
    lq = log_density(dq) if kind != "entropy" else lp
    g = {"entropy": -lp, "cross_entropy": -lq, "kl": lp - lq}[kind]
    ef = detect([lp], xs, dp.params)
    if ef is None:
        raise UnsupportedError(f"cannot read the exponential family of {dp.rv}")
    means = ef.mean_statistics()
    tr.step(g, "definition: expectation of the log-density terms")
    total = sp.S.Zero
    for t in sp.Add.make_args(g):
        c, f = t.as_independent(*xs, as_Add=False)
        total += c * (means[f] if f != 1 else 1)
    tr.step(total, "E[log x_i] = d log B(alpha) / d alpha_i (gradient of the log-normaliser)")
    return total
