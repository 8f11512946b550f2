"""Independent, hand-typed textbook formulas that symxent's derived closed forms are checked against.

Nothing here is derived by symxent: every formula is typed in from a cited source (or, where
noted, obtained by one line of textbook algebra from a cited formula) and expressed in the
*sympy.stats* parametrisation of each family (checked against the densities of sympy 1.14):

    Normal(mu, sigma)        Exponential(rate)       Gamma(k, theta)  [theta = scale]
    Beta(alpha, beta)        Laplace(mu, b)          Uniform(left, right)
    Cauchy(x0, gamma)        StudentT(nu)            Logistic(mu, s)
    LogNormal(mu, sigma)     Weibull(lambda, k)      [scale, then shape]
    Rayleigh(sigma)          Pareto(xm, alpha)       Gumbel(beta, mu)  [scale, then location]
    ChiSquared(k)            Chi(k)                  Maxwell(a)
    Erlang(k, l) [l = rate]  GammaInverse(a, b)      [b = scale of 1/X's rate, density b^a x^(-a-1) e^(-b/x)/Gamma(a)]
    Nakagami(mu, omega)      Levy(mu, c)             Arcsin(a, b)  Triangular(a, b, c)  [c = mode]
    Kumaraswamy(a, b) on [0, 1]                      Geometric(p) on {1, 2, ...}
    NegativeBinomial(r, p): pmf binomial(k+r-1, k) (1-p)^k p^r on {0, 1, ...}
    Logarithmic(p): pmf -p^k / (k log(1-p)) on {1, 2, ...}

The tables themselves live in references_entropy.py (differential/Shannon entropies, also
used as the S(P) term of cross-entropies) and references_kl.py (KL divergences).
`all_refs()` returns every row, including the cross-entropy rows H(P, Q) = S(P) + D_KL(P || Q)
generated from the KL rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from sympy import S, Sum, Symbol, false, oo, piecewise_fold, symbols, true
from sympy.logic.boolalg import Boolean

# --------------------------------------------------------------------------------------------
# Shared parameter symbols.  Locations are real, scales/rates/shapes positive, counts integer.
# --------------------------------------------------------------------------------------------
m1, m2, m3, m4 = symbols("m1 m2 m3 m4", real=True)          # locations
s1, s2 = symbols("s1 s2", positive=True)                    # scales / standard deviations
a1, a2, b1, b2 = symbols("a1 a2 b1 b2", positive=True)      # shapes
a3, b3 = symbols("a3 b3", positive=True)
l1, l2 = symbols("l1 l2", positive=True)                    # rates
k1, k2 = symbols("k1 k2", positive=True, integer=True)      # integer shapes / degrees of freedom
nu = Symbol("nu", positive=True)                            # Student-t degrees of freedom
p1, p2, q1, q2 = symbols("p1 p2 q1 q2", positive=True)      # probabilities (conditions add < 1)
n = Symbol("n", positive=True, integer=True)                # Binomial trials
u, v, w = symbols("u v w", positive=True)                   # positive offsets/widths (nesting)
lo1, hi1, lo2, hi2 = symbols("lo1 hi1 lo2 hi2", real=True)  # interval end points
c12, d12 = symbols("c12 d12", real=True)                    # covariances


@dataclass(frozen=True)
class Ref:
    """One reference row.

    id            -- unique test id
    kind          -- "entropy" | "kl" | "cross_entropy"
    build         -- () -> tuple of sympy.stats random variables ((P,) or (P, Q))
    formula       -- sympy expression in the same parameter symbols (may be oo or a Piecewise)
    source        -- where the formula comes from
    conditions    -- admissibility of the parameters beyond the symbols' assumptions
    infinite_when -- region of admissible parameters where the quantity is +oo (S.false: never)
    series        -- formula keeps a residual infinite Sum (symbolic comparison may be inconclusive)
    stretch       -- closed form needs special functions the engine may legitimately not reach;
                     an unevaluated answer is then skipped, a wrong closed form still fails
    slow          -- expensive; only run with --runslow / SYMXENT_RUN_SLOW=1
    """

    id: str
    kind: str
    build: Callable[[], tuple]
    formula: object
    source: str
    conditions: Boolean = field(default=true)
    infinite_when: Boolean = field(default=false)
    series: bool = False
    stretch: bool = False
    slow: bool = False

    def parameters(self, rvs=None):
        """Free parameter symbols of the row (from the RVs, the formula and the conditions)."""
        rvs = self.build() if rvs is None else rvs
        syms = set()
        for rv in rvs:
            syms |= rv.pspace.distribution.free_symbols
        syms |= S(self.formula).free_symbols
        syms |= S(self.conditions).free_symbols | S(self.infinite_when).free_symbols
        return sorted(syms, key=lambda s: s.name)


def entropy_formula(rv):
    """Reference entropy S(P) for a random variable built by one of the entropy rows' families.

    Dispatches on the sympy distribution class; used for the S(P) term of cross-entropy rows.
    Returns None for families without a tabulated entropy.
    """
    from references_entropy import ENTROPY_BY_DISTRIBUTION
    dist = rv.pspace.distribution
    fn = ENTROPY_BY_DISTRIBUTION.get(type(dist).__name__)
    return None if fn is None else fn(*dist.args)


def cross_entropy_rows(kl_refs):
    """H(P, Q) = S(P) + D_KL(P || Q) (Cover & Thomas, 2nd ed., eq. 2.90/Sec. 8.5) for every KL row
    whose P has a tabulated entropy; the result is +oo exactly where the KL row is +oo."""
    rows = []
    for ref in kl_refs:
        if ref.kind != "kl":
            continue
        P = ref.build()[0]
        h = entropy_formula(P)
        if h is None:
            continue
        formula = oo if ref.formula == oo else piecewise_fold(h + ref.formula)
        rows.append(replace(ref, id="xent" + ref.id[2:], kind="cross_entropy", formula=formula,
                            source=ref.source + " + entropy of P (references_entropy.py)",
                            series=ref.series or S(h).has(Sum), slow=ref.slow))
    return rows


def all_refs():
    from references_entropy import ENTROPY_REFS
    from references_kl import KL_REFS
    refs = list(ENTROPY_REFS) + list(KL_REFS) + cross_entropy_rows(KL_REFS)
    ids = [r.id for r in refs]
    assert len(ids) == len(set(ids)), "duplicate reference ids"
    return refs
