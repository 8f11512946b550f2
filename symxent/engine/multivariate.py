r"""Multivariate laws: normal, Dirichlet, multinomial, multivariate Student t.

:func:`dispatch` is called by :func:`symxent.engine.core.compute` before
anything else; it routes products of independent factors
(:mod:`symxent.engine.products`), matrix-form normals
(:mod:`symxent.engine.matrixform`), block-diagonal normals, Dirichlet and
multinomial laws of any size, the multivariate t and large-``n`` binomials,
and returns ``None`` for everything else.

Multivariate normal.  ``-log p(x) = k/2 log(2 pi) + 1/2 log det S
+ 1/2 (x - mu)^T S^{-1} (x - mu)`` (the density's definition); the one rule
needed is the expectation of a quadratic form (Petersen & Pedersen, *The
Matrix Cookbook*, eq. 380):

    E_P[(x - m)^T A (x - m)] = tr(A S_P) + (mu_P - m)^T A (mu_P - m).

When the covariances (of P and Q together) are block-diagonal, the law is a
product of independent blocks and every quantity is the sum over blocks; for
``1 x 1`` blocks the per-coordinate closed form is derived once, on a
representative coordinate, and mapped to each coordinate: O(n).

Dirichlet.  ``log p(x) = sum_i (a_i - 1) log x_i - log B(a)`` is an
exponential family whose natural parameter ``a_i - 1`` involves ``a_i``
alone: the Jacobian of the moment identity ``J^T E[T] = grad A``
(:mod:`symxent.engine.expfamily`) is diagonal, so
``E[log x_i] = dA/da_i / (d eta_i/d a_i)``.  The shape ``G(a_0) + sum_i [h(a_i) +
c(a_i) T(x_i)]`` is read once per process from SymPy's density at size 3 (and
confirmed at size 4), ``E[T]`` derived there on representative symbols, and each
coordinate's term substituted: O(k), no expansion, factoring or common denominator
of a k-term expression.  Numeric or mixed parameters are replaced by positive
symbols and put back.

Multinomial.  ``log p(x) = log n! - sum_i log x_i! + sum_i x_i log p_i``:
``E[x_i] = n p_i`` is the gradient of the log-normaliser ``n log sum_j e^{eta_j}``
at ``eta = log p``; ``E[log x_i!]`` is a sum over the Binomial(n, p_i)
marginal of ``x_i``, kept as an exact residual ``Sum``.

Multivariate t (Kotz & Nadarajah, *Multivariate t Distributions*, 2004,
ch. 1).  ``-log p(x) = -log c + (nu + d)/2 log(1 + Q/nu)`` with ``c = p(mu)``
and ``Q = (x - mu)^T S^{-1} (x - mu)``; by the Gaussian scale-mixture
representation ``B = 1/(1 + Q/nu) ~ Beta(nu/2, d/2)``, so
``E[log(1 + Q/nu)] = -E[log B]``, read off the Beta's exponential family.
"""
from __future__ import annotations

import sympy as sp

from symxent.errors import MissingAssumptionError, ParameterError, UnsupportedError
from symxent.engine.expfamily import detect
from symxent.engine.matrixform import is_matrix_form, mvnormal_matrix
from symxent.engine.products import (LARGE_COUNT, fresh_like, is_large_count, is_many_atoms,
                                     large_count, many_atoms, product)
from symxent.laws.independent import IndependentProduct

__all__ = ["dispatch", "mvnormal", "dirichlet"]

# results with at least this many coordinates are left in per-coordinate form
PER_COORDINATE = 6


def _family(rv):
    dist = getattr(rv.pspace, "distribution", None)
    name = type(dist).__name__
    return name[: -len("Distribution")] if name.endswith("Distribution") else name


def dispatch(kind, p, q, tr, compute):
    """The value for the laws this module handles, or ``None`` (the caller goes on)."""
    rvs = [p] if q is None else [p, q]
    if any(isinstance(r, IndependentProduct) for r in rvs):
        return product(kind, p, q, tr, compute)
    if any(is_matrix_form(r) for r in rvs):
        return _final(mvnormal_matrix(kind, p, q, tr))
    if is_large_count(p, q):
        return large_count(kind, p, q, tr, compute)
    if is_many_atoms(p, q):
        return many_atoms(kind, p, q, tr)
    fams = {_family(r) for r in rvs}
    if "MultivariateT" in fams:
        return _mvt(kind, p, q, tr)
    if "Multinomial" in fams:
        return _multinomial(kind, p, q, tr)
    if fams == {"MultivariateNormal"}:
        return _blocks(kind, p, q, tr)
    return None


def _final(value):
    from symxent.engine.canonical import mark_canonical
    return mark_canonical(value)


# ------------------------------------------------------------------ normal

def _quad_expectation(A, m, mean, cov):
    """E[(x - m)^T A (x - m)] for x ~ N(mean, cov)  (Matrix Cookbook eq. 380)."""
    d = mean - m
    return (A * cov).trace() + (d.T * A * d)[0, 0]


def _mvn_explicit(kind, mp, Sp, mq, Sq, tr):
    k = mp.shape[0]
    x = sp.Matrix(sp.symbols(f"x1:{k + 1}", real=True))

    def neg_log(mean, cov):
        quad = ((x - mean).T * cov.inv() * (x - mean))[0, 0]
        return sp.Rational(k, 2) * sp.log(2 * sp.pi) + sp.log(cov.det()) / 2 + quad / 2

    def definition():
        # the definition: the expectation under P, written as the integral of the
        # density of P over R^k (a true line, checked like any other step)
        g = {"entropy": neg_log(mp, Sp), "cross_entropy": neg_log(mq, Sq)}
        g["kl"] = g["cross_entropy"] - g["entropy"]
        # x = mu_P + L z with Sigma_P = L L^T turns the density of P into the standard
        # normal one, so the integral separates coordinate by coordinate (and the
        # numeric check can evaluate it by Fubini)
        z = sp.Matrix(sp.symbols(f"z1:{k + 1}", real=True))
        L = Sp.cholesky(hermitian=False)
        gz = sp.expand(g[kind].xreplace(dict(zip(x, mp + L * z))))
        phi = sp.exp(-sum(zi**2 for zi in z) / 2) / (2 * sp.pi) ** sp.Rational(k, 2)
        return sp.Integral(phi * gz, *[(zi, -sp.oo, sp.oo) for zi in z])

    tr.step(definition,
            "definition: the expectation under P, with log N(x; mu, Sigma) = "
            "-k/2 log(2 pi) - 1/2 log det Sigma - 1/2 (x-mu)^T Sigma^-1 (x-mu), "
            "written in z where x = mu_P + L z, Sigma_P = L L^T")
    h = {}
    for name, (mean, cov) in {"p": (mp, Sp), "q": (mq, Sq)}.items():
        if kind == "entropy" and name == "q":
            continue
        quad = sp.factor(sp.cancel(_quad_expectation(cov.inv(), mean, mp, Sp)))
        h[name] = (sp.Rational(k, 2) * sp.log(2 * sp.pi) + sp.log(sp.factor(cov.det())) / 2
                   + quad / 2)
    value = {"entropy": lambda: h["p"], "cross_entropy": lambda: h["q"],
             "kl": lambda: h["q"] - h["p"]}[kind]()
    tr.step(value, "E[(x-m)^T A (x-m)] = tr(A Sigma) + (mu-m)^T A (mu-m)")
    return value


def mvnormal(kind, dp, dq, tr):
    if dp.kind != "mvnormal" or dq.kind != "mvnormal":
        raise UnsupportedError("a multivariate normal can only be compared with another one")
    if dq.mean.shape[0] != dp.mean.shape[0]:
        raise UnsupportedError("multivariate normals of different dimensions")
    for d in {id(dp): dp, id(dq): dq}.values():
        # sympy.stats accepts a singular covariance; it has no density (Sigma must be
        # positive definite), and inverting it fails deep inside SymPy
        if d.cov.is_positive_definite is False or sp.simplify(d.cov.det()) == 0:
            raise ParameterError(
                f"the covariance matrix {d.cov.tolist()} of {d.rv} is not positive definite "
                f"(singular or indefinite): a normal law with it has no density")
    return _mvn_explicit(kind, dp.mean, dp.cov, dq.mean, dq.cov, tr)


def _mvn_args(rv):
    mean, cov = rv.pspace.distribution.args
    return sp.Matrix(mean), sp.Matrix(cov)


def _components(k, covs):
    """Connected components of the union of the covariances' non-zero patterns."""
    parent = list(range(k))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a
    for c in covs:
        for r in range(k):
            for s in range(r + 1, k):
                if c[r, s] != 0 or c[s, r] != 0:
                    parent[find(r)] = find(s)
    groups = {}
    for r in range(k):
        groups.setdefault(find(r), []).append(r)
    return sorted(groups.values())


def _blocks(kind, p, q, tr):
    """Block-diagonal normals: the sum over independent blocks, or None for one block."""
    mp, Sp = _mvn_args(p)
    mq, Sq = _mvn_args(q) if q is not None else (mp, Sp)
    k = mp.shape[0]
    if mq.shape[0] != k:
        raise UnsupportedError(f"multivariate normals of different dimensions ({k} and "
                               f"{mq.shape[0]}): {p}, {q}")
    blocks = _components(k, [Sp, Sq])
    if len(blocks) == 1:
        return None
    from symxent.engine.canonical import canonical
    for rv in {p, q} - {None}:
        from symxent.laws.domain import validate
        validate(rv)
    one = None
    terms = []
    for b in blocks:
        if len(b) == 1:
            if one is None:
                one = _coordinate(kind)
            j = b[0]
            term, (m1, v1, m2, v2) = one
            terms.append(term.xreplace({m1: mp[j], v1: Sp[j, j], m2: mq[j], v2: Sq[j, j]}))
            continue
        sub = lambda M, cols: M.extract(b, cols)  # noqa: E731
        terms.append(canonical(_mvn_explicit(kind, sub(mp, [0]), sub(Sp, b), sub(mq, [0]),
                                             sub(Sq, b), tr.fork())))
    value = sp.Add(*terms)
    tr.step(value, lambda: f"independent blocks {[[j + 1 for j in b] for b in blocks]} (block-"
                           "diagonal covariances): the sum of the blocks' values; per block "
                           "E[(x-m)^T A (x-m)] = tr(A Sigma) + (mu-m)^T A (mu-m)")
    return _final(value)  # per block (per coordinate): no common denominator


_COORD = {}


def _coordinate(kind):
    """The one-coordinate closed form on representative symbols (derived once)."""
    if kind not in _COORD:
        from symxent.engine.canonical import canonical
        m1, m2 = sp.Dummy("m1", real=True), sp.Dummy("m2", real=True)
        v1, v2 = sp.Dummy("v1", positive=True), sp.Dummy("v2", positive=True)
        M = lambda e: sp.Matrix([[e]])  # noqa: E731
        from symxent.engine.core import NO_TRACE
        val = _mvn_explicit(kind, M(m1), M(v1), M(m2), M(v2), NO_TRACE)
        _COORD[kind] = (canonical(val), (m1, v1, m2, v2))
    return _COORD[kind]


# ------------------------------------------------------------------ Dirichlet

def _log_of_product(e):
    """``log e`` for a product of positive factors, as a sum of logs, factor by factor
    (``expand_log`` on the whole product is quadratic in the number of factors)."""
    out = []
    for f in sp.Mul.make_args(e):
        base, ex = f.as_base_exp()
        if isinstance(base, sp.Mul):
            out.extend(sp.Add.make_args(sp.expand(ex * _log_of_product(base))))
        elif base.is_Number and ex.is_Number:
            out.append(sp.log(f))
        else:
            L = sp.expand_log(sp.log(base), force=True)
            if isinstance(L, sp.Add):
                out.extend(sp.Add.make_args(sp.expand(ex * L)))
            else:  # (a_i - 1) * log(x_i): one product per term, no general expand
                out.extend(t * L for t in sp.Add.make_args(ex))
    return sp.Add(*out)

def _positive_parameters(rv, values):
    for v in values:
        if v.is_positive is False:
            raise ParameterError(f"{rv}: the concentration parameter {v} is not positive")
        if v.is_positive is None:
            raise MissingAssumptionError(
                f"{rv}: cannot tell that the concentration parameter {v} is positive; declare "
                "its symbols positive=True")


def _derivative_form(u, theta):
    """``(d, symbols)`` with ``d(t) = du/dt``.  A term ``F(L)`` of one linear form ``L``
    in many parameters (``log Gamma(a_1 + ... + a_k)``) is differentiated once in ``L``:
    ``dF/dt = F'(L) * dL/dt`` (chain rule), not once per parameter."""
    fs = u.free_symbols
    forms = [a for a in u.atoms(sp.Add) if len(a.free_symbols & theta) > 1]
    if len(forms) == 1:
        L = forms[0]
        s = sp.Dummy("s")
        us = u.xreplace({L: s})
        if not us.free_symbols & theta:
            dF = sp.diff(us, s).xreplace({s: L})
            return (lambda t: dF * L.coeff(t)), fs
    return (lambda t: sp.diff(u, t)), fs


def _separable_means(lp, xs, theta):
    """``{T_i: E[T_i]}`` when each statistic's natural parameter involves one parameter
    (diagonal Jacobian): ``E[T_i] = dA/dtheta_i / (d eta_i / d theta_i)``."""
    pure, coeff = sp.S.Zero, {}
    for t in sp.Add.make_args(lp):
        c, f = t.as_independent(*xs, as_Add=False)
        if f == 1:
            pure += c
        else:
            coeff[f] = coeff.get(f, 0) + c
    A = [_derivative_form(-a, set(theta)) for a in sp.Add.make_args(pure)]
    means, used = {}, set()
    for f, c in coeff.items():
        ps = c.free_symbols & set(theta)
        if len(ps) != 1 or ps & used:
            return None
        (t,) = ps
        used |= ps
        grad = sp.Add(*[d(t) for d, fs in A if t in fs])  # only terms with t
        means[f] = grad / sp.diff(c, t)
    return means if len(used) == len(theta) else None


_DIR_FORM = []   # the structure read from SymPy's density, once per process


def _dirichlet_form():
    """The Dirichlet log-density as ``G(a_0) + sum_i [h(a_i) + c(a_i) T(x_i)]``, read off
    SymPy's ``MultivariateBeta`` density of a representative size (3) and confirmed at
    size 4, with the exponential-family mean ``E[T(x_i)]`` derived from it once, on
    representative symbols ``t`` (a coordinate's parameter) and ``s`` (``a_0``):

        A = -(G(s) + sum_j h(a_j)),  eta_i = c(a_i),  dA/da_i = E[T_i] c'(a_i)

    (the moment identity ``E[T] = grad A`` with a diagonal Jacobian; the natural
    parameter of ``T(x_i)`` involves ``a_i`` alone), so
    ``E[T_i] = -(G'(s) + h'(t)) / c'(t)`` at ``t = a_i``, ``s = a_0``.  Returns
    ``None`` when the density does not have that shape (the caller falls back to
    the general path)."""
    if _DIR_FORM:
        return _DIR_FORM[0]
    from sympy.stats import MultivariateBeta
    t, s = sp.Dummy("t", positive=True), sp.Dummy("s", positive=True)
    y = sp.Dummy("y", positive=True)

    def log_density(n):
        r = sp.symbols(f"r1:{n + 1}", positive=True, cls=sp.Dummy)
        x = sp.symbols(f"x1:{n + 1}", positive=True, cls=sp.Dummy)
        return r, x, _log_of_product(MultivariateBeta("R", list(r)).pspace.distribution.pdf(*x))

    def read():
        r, x, lp = log_density(3)
        total = sp.Add(*r)
        G, h, stat = sp.S.Zero, [sp.S.Zero] * 3, [sp.S.Zero] * 3
        for term in sp.Add.make_args(lp):
            fs = term.free_symbols
            js = [j for j in range(3) if x[j] in fs or r[j] in fs]
            if len(js) == 1 and fs <= {x[js[0]], r[js[0]]}:
                j = js[0]
                if x[j] in fs:
                    stat[j] += term.xreplace({r[j]: t, x[j]: y})
                else:
                    h[j] += term.xreplace({r[j]: t})
                continue
            g = term.xreplace({total: s})
            if g.free_symbols & (set(r) | set(x)):
                return None
            G += g
        if any(e != h[0] for e in h) or any(e != stat[0] for e in stat):
            return None   # not the same function in every coordinate
        c, T = [], set()
        for u in sp.Add.make_args(stat[0]):
            uc, uf = u.as_independent(y, as_Add=False)
            c.append(uc)
            T.add(uf)
        if len(T) != 1:
            return None
        c, (T,) = sp.Add(*c), T
        # the same shape at size 4: the identity has to hold for every size
        r4, x4, lp4 = log_density(4)
        rebuilt = G.xreplace({s: sp.Add(*r4)}) + sp.Add(*[
            h[0].xreplace({t: rj}) + c.xreplace({t: rj}) * T.xreplace({y: xj})
            for rj, xj in zip(r4, x4)])
        if sp.expand(rebuilt - lp4) != 0:
            return None
        dc = sp.diff(c, t)
        if dc == 0:
            return None
        mean = sp.expand(-(sp.diff(G, s) + sp.diff(h[0], t)) / dc)
        split = [u.as_independent(t, s, as_Add=False) for u in sp.Add.make_args(mean)]
        return {"G": G, "h": h[0], "c": c, "T": T, "mean": mean, "split": split,
                "t": t, "s": s, "y": y}

    _DIR_FORM.append(read())
    return _DIR_FORM[0]


def _positive_dirichlet(dp, dq):
    if dp.kind != "dirichlet" or dq.kind != "dirichlet" or len(dp.alpha) != len(dq.alpha):
        raise UnsupportedError("a Dirichlet can only be compared with a Dirichlet of the same size")
    for d in {dp, dq}:
        _positive_parameters(d.rv, d.alpha)



def _symbolic(alpha, tag, back):
    """The parameters with each one that is not a Symbol replaced by a fresh positive
    symbol (``back`` maps it to the parameter, to be put back after)."""
    out = []
    for j, v in enumerate(alpha):
        if not v.is_Symbol:
            d = fresh_like(v, f"{tag}{j + 1}")
            back[d] = v
            v = d
        out.append(v)
    return out

def dirichlet(kind, dp, dq, tr):
    """S, H, D_KL of Dirichlet laws, O(k): per coordinate from the structure of the
    density (:func:`_dirichlet_form`), no expression in all k coordinates is
    expanded, factored or put over a common denominator."""
    _positive_dirichlet(dp, dq)
    form = _dirichlet_form()
    if form is None:
        return _dirichlet_general(kind, dp, dq, tr)
    k = len(dp.alpha)
    t, s, y = form["t"], form["s"], form["y"]
    back = {}

    a = _symbolic(dp.alpha, "a", back)
    b = _symbolic(dq.alpha, "b", back) if dq is not dp else a
    a0, b0 = sp.Add(*a), (sp.Add(*b) if b is not a else None)
    c = lambda v: form["c"].xreplace({t: v})  # noqa: E731
    h = lambda v: form["h"].xreplace({t: v})  # noqa: E731

    def normaliser(al, al0):   # the terms of the log-density free of x
        return [form["G"].xreplace({s: al0})] + [h(v) for v in al]
    if kind == "entropy":
        coef = [-c(v) for v in a]
        const = [-u for u in normaliser(a, a0)]
    elif kind == "cross_entropy":
        coef = [-c(v) for v in b]
        const = [-u for u in normaliser(b, b0 if b is not a else a0)]
    else:
        coef = [c(u) - c(v) for u, v in zip(a, b)]
        const = normaliser(a, a0) + [-u for u in normaliser(b, b0 if b is not a else a0)]

    def definition():
        # the definition as a true line: E_P of the log-density terms, each E[T(x_i)]
        # an integral over the marginal of x_i, Beta(a_i, a_0 - a_i)
        xs = sp.symbols(f"x1:{k + 1}", positive=True)
        tt = sp.Dummy("t", positive=True)
        g = sp.Add(*const, *[ci * form["T"].xreplace({y: xi}) for ci, xi in zip(coef, xs)])
        marg = {form["T"].xreplace({y: xi}): sp.Integral(
            form["T"].xreplace({y: tt}) * tt**(ai - 1) * (1 - tt)**(a0 - ai - 1)
            / sp.beta(ai, a0 - ai), (tt, 0, 1)) for xi, ai in zip(xs, a)}
        return g.xreplace(marg).xreplace(back)

    tr.step(definition, "definition: expectation of the log-density terms; the marginals of "
                        "Dirichlet(a) are Beta(a_i, a_0 - a_i)")
    acc = {}
    for ci, ai in zip(coef, a):
        for uc, uf in form["split"]:   # E[T(x_i)] = sum of uc * uf(a_i, a_0)
            acc.setdefault(uf.xreplace({t: ai, s: a0}), []).append(ci * uc)
    total = sp.Add(*[(c_[0] if len(c_) == 1 else sp.factor_terms(sp.Add(*c_)) if len(c_) <= 4
                      else sp.Add(*c_)) * f for f, c_ in acc.items()], *const)
    total = total.xreplace(back)
    tr.step(total, "E[log x_i] = d log B(alpha) / d alpha_i (gradient of the log-normaliser)")
    return _final(total) if k >= PER_COORDINATE else total


def _dirichlet_general(kind, dp, dq, tr):
    """The general path (SymPy's whole density, expanded): used only when the density
    does not have the per-coordinate shape that :func:`dirichlet` reads."""
    from sympy.stats import MultivariateBeta
    k = len(dp.alpha)
    # numeric or compound parameters -> one positive symbol per coordinate, put back after
    back = {}

    a = _symbolic(dp.alpha, "a", back)
    b = _symbolic(dq.alpha, "b", back) if dq is not dp else a
    xs = sp.symbols(f"x1:{k + 1}", positive=True)

    def log_density(alpha):
        pdf = MultivariateBeta("X", alpha).pspace.distribution.pdf(*xs)
        return _log_of_product(pdf)  # all factors positive

    lp = log_density(a)
    lq = log_density(b) if kind != "entropy" else lp
    g = {"entropy": -lp, "cross_entropy": -lq, "kl": lp - lq}[kind]
    def definition():
        # the definition as a true line: E_P of the log-density terms, each E[log x_i]
        # an integral over the marginal of x_i, Beta(a_i, a_0 - a_i)
        a0, t_ = sp.Add(*a), sp.Dummy("t", positive=True)
        marg = {sp.log(xi): sp.Integral(
            sp.log(t_) * t_**(ai - 1) * (1 - t_)**(a0 - ai - 1) / sp.beta(ai, a0 - ai),
            (t_, 0, 1)) for xi, ai in zip(xs, a)}
        return g.xreplace(marg).xreplace(back)

    tr.step(definition, "definition: expectation of the log-density terms; the marginals of "
                        "Dirichlet(a) are Beta(a_i, a_0 - a_i)")
    theta = [t for t in dict.fromkeys(a)]
    means = _separable_means(lp, xs, theta)
    if means is None:
        ef = detect([lp], xs, theta)
        if ef is None:
            raise UnsupportedError(f"cannot read the exponential family of {dp.rv}")
        means = ef.mean_statistics()
    acc, const = {}, []
    for t in sp.Add.make_args(g):
        c, f = t.as_independent(*xs, as_Add=False)
        if f == 1:
            const.append(c)
            continue
        for u in sp.Add.make_args(sp.expand(means[f])):
            uc, uf = u.as_independent(sp.polygamma, as_Add=False)
            acc.setdefault(uf, []).append(c * uc)  # summed once below: O(k), not O(k^2)
    total = sp.Add(*[(sp.factor_terms(sp.Add(*c)) if len(c) <= 4 else sp.Add(*c)) * f
                     for f, c in acc.items()], *const)
    total = total.xreplace(back)
    tr.step(total, "E[log x_i] = d log B(alpha) / d alpha_i (gradient of the log-normaliser)")
    return _final(total) if k >= PER_COORDINATE else total


# ------------------------------------------------------------------ multinomial

def _multinomial(kind, p, q, tr):
    from symxent.laws.domain import domain_conditions
    rvs = [p] if q is None else [p, q]
    for rv in rvs:
        if _family(rv) != "Multinomial":
            raise UnsupportedError(f"a multinomial can only be compared with a multinomial, "
                                   f"not with {rv}")
        validate_probs(rv)
        for cond, message in domain_conditions(rv):
            if cond is sp.false:
                raise ParameterError(f"{rv}: {message}")
    n, probs = p.pspace.distribution.args
    probs = list(probs)
    k = len(probs)
    xs = sp.symbols(f"x1:{k + 1}", integer=True, nonnegative=True)

    def log_mass(rv):
        pdf = rv.pspace.distribution.pdf(*xs)
        if isinstance(pdf, sp.Piecewise):
            pdf = pdf.args[0][0]  # the branch on the support sum(x) = n
        return sp.expand(sp.expand_log(sp.log(pdf), force=True))

    if q is not None:
        nq, qprobs = q.pspace.distribution.args
        if len(qprobs) != k:
            raise UnsupportedError(f"multinomials with {k} and {len(qprobs)} categories")
        if sp.simplify(n - nq) != 0:
            if (n - nq).is_zero is False:
                tr.step(sp.oo, f"{p} and {q} have different numbers of trials: disjoint supports")
                return sp.oo
            raise UnsupportedError(f"cannot tell whether {p} and {q} have the same n")
        for pi, qi in zip(probs, qprobs):
            if qi == 0 and pi != 0:
                if pi.is_zero is False:
                    tr.step(sp.oo, f"{p} gives mass to a category that {q} excludes")
                    return sp.oo
                raise UnsupportedError(f"cannot tell whether {p} puts mass where {q} has none")
    lp = log_mass(p)
    lq = log_mass(q) if q is not None else lp
    g = {"entropy": -lp, "cross_entropy": -lq, "kl": sp.expand(lp - lq)}[kind]
    tr.step(g, "definition: expectation of the log-mass terms")
    # E[x_i] = d/d eta_i  n log sum_j exp(eta_j)  at eta = log p
    eta = sp.symbols(f"eta1:{k + 1}", real=True)
    # categories of probability 0 are not in the family (x_i = 0 surely): leaving
    # exp(eta_i) in A would leave eta_i in E[x_j] = n p_j / sum_i exp(eta_i)
    A = n * sp.log(sp.Add(*[sp.exp(e) for e, pi in zip(eta, probs) if pi != 0]))
    at = {e: sp.log(pi) for e, pi in zip(eta, probs) if pi != 0}
    total = sp.S.Zero
    why = {"E[x_i] = n p_i (gradient of the log-normaliser n log sum exp(eta))"}
    for t in sp.Add.make_args(g):
        c, f = t.as_independent(*xs, as_Add=False)
        if f == 1:
            total += c
            continue
        if f in xs:
            j = xs.index(f)
            if probs[j] == 0:
                continue
            grad = sp.diff(A, eta[j]).xreplace(at)
            total += c * grad.xreplace({sp.Add(*probs): sp.S.One})  # probabilities sum to 1
            continue
        if isinstance(f, sp.log) and isinstance(f.args[0], sp.factorial) and f.args[0].args[0] in xs:
            j = xs.index(f.args[0].args[0])
            total += c * _log_factorial_mean(n, probs[j])
            why.add("E[log x_i!] over the Binomial(n, p_i) marginal of x_i: residual sum kept "
                    "exactly")
            continue
        raise UnsupportedError(f"unexpected term {t} in the multinomial log-mass")
    tr.step(total, "; ".join(sorted(why)))
    return total


def validate_probs(rv):
    _, probs = rv.pspace.distribution.args
    for v in probs:
        v = sp.sympify(v)
        if v.is_negative:
            raise ParameterError(f"{rv}: probability {v} < 0")
        for s in v.free_symbols:
            if s.is_real is None:
                raise MissingAssumptionError(f"{rv}: declare the probability symbol {s} "
                                             f"positive=True")


def _log_factorial_mean(n, pj):
    kk = sp.Dummy("k", integer=True, nonnegative=True)
    s = sp.Sum(sp.binomial(n, kk) * pj**kk * (1 - pj)**(n - kk) * sp.log(sp.factorial(kk)),
               (kk, 0, n))
    if n.is_Integer and n <= LARGE_COUNT:
        return s.doit()
    return s


# ------------------------------------------------------------------ multivariate t

def _mvt(kind, p, q, tr):
    if q is not None or kind != "entropy":
        from symxent.engine.expectation import NoClosedForm
        raise NoClosedForm("only the entropy of the multivariate t has a rule")
    mu, S, nu = p.pspace.distribution.args
    if not isinstance(mu, sp.MatrixBase) or not isinstance(S, sp.MatrixBase):
        raise UnsupportedError(f"{p}: the multivariate t needs an explicit mean and scale "
                               "matrix")
    d = mu.shape[0]
    if nu.is_positive is not True:
        raise MissingAssumptionError(f"{p}: declare the degrees of freedom {nu} positive=True")
    c = sp.simplify(p.pspace.distribution.pdf(*mu))  # the normaliser: p(mu)
    z = sp.Dummy("z", positive=True)  # z = 1 + Q/nu, Q the Mahalanobis form
    # B = 1/(1 + Q/nu) ~ Beta(nu/2, d/2) (Gaussian scale mixture); E[log B] from its
    # exponential family, on representative symbols
    a, b = sp.Dummy("a", positive=True), sp.Dummy("b", positive=True)
    from sympy.stats import Beta
    beta_pdf = Beta("B", a, b).pspace.distribution.pdf(z)
    ef = detect(sp.Add.make_args(sp.expand(sp.expand_log(sp.log(beta_pdf), force=True))),
                [z], (a, b))
    if ef is None:
        raise UnsupportedError("cannot read the Beta's exponential family")
    elogb = ef.mean_statistics()[sp.log(z)].xreplace({a: nu / 2, b: sp.Rational(d, 2)})
    value = -sp.log(c) - (nu + d) / 2 * elogb
    tr.step(value, "definition: -log p(x) = -log p(mu) + (nu + d)/2 log(1 + Q/nu) with "
                   "Q = (x - mu)^T Sigma^-1 (x - mu); 1/(1 + Q/nu) ~ Beta(nu/2, d/2) (scale "
                   "mixture of normals); E[log B] from the Beta's exponential family")
    return value
