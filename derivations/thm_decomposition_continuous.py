"""D_KL(P || Q) = H(P, Q) - S(P) for densities p, q on the real line.

p and q are unknown (undefined) positive functions; the symbolic proof uses
only log(a/b) = log a - log b and linearity of the integral.  Numeric
fallbacks substitute two pairs of concrete densities (the ``models``).
Definitions: Cover & Thomas, Elements of Information Theory (2nd ed.),
eqs. (8.1) and (8.46).
"""
import sympy as sp

from _common import Theorem, main
from symxent.derivation.core import Derivation
from symxent.derivation.render import Expect, Terms, cross_entropy_notation, entropy_notation, kl_notation

x = sp.Symbol("x", real=True)
p = sp.Function("p", positive=True)
q = sp.Function("q", positive=True)
oo = sp.oo


def models():
    """Concrete density pairs for numeric checks: Normal/Normal and Laplace/Cauchy."""
    normal = sp.Lambda(x, sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi))
    normal2 = sp.Lambda(x, sp.exp(-(x - 1)**2 / 8) / sp.sqrt(8 * sp.pi))
    laplace = sp.Lambda(x, sp.exp(-sp.Abs(x)) / 2)
    cauchy = sp.Lambda(x, 1 / (sp.pi * (1 + x**2)))
    return [{p: normal, q: normal2}, {p: laplace, q: cauchy}]


def integral(f):
    return sp.Integral(f, (x, -oo, oo))


def decomposition():
    kl = integral(p(x) * sp.log(p(x) / q(x)))
    cross = integral(-p(x) * sp.log(q(x)))
    ent = integral(-p(x) * sp.log(p(x)))
    e_cross = Expect(-sp.log(q(x)), (x, -oo, oo), p(x))
    e_ent = Expect(-sp.log(p(x)), (x, -oo, oo), p(x))
    return Derivation(
        kl_notation(kl),
        [("=", kl, "definition of D_KL"),
         ("=", integral(p(x) * (sp.log(p(x)) - sp.log(q(x)))), "log of a quotient"),
         ("=", Terms(cross, -ent),
          "linearity of the integral (both integrals finite)"),
         ("=", Terms(e_cross, -e_ent), "integrals against p are E_P"),
         ("=", Terms(cross_entropy_notation(e_cross), -entropy_notation(e_ent)), "definitions of H and S")],
        models=models(), title="decomposition, densities")


def build():
    t = Theorem("decomposition-continuous",
                "KL divergence = cross-entropy - entropy (densities)")
    t.text("Let $P$ and $Q$ have densities $p$ and $q$ on the real line, with $q > 0$ "
           "wherever $p > 0$.  Then "
           "$S(P) = -\\int p(x) \\log p(x)\\, dx$, $H(P, Q) = -\\int p(x) \\log q(x)\\, dx$ and "
           "$D_{\\mathrm{KL}}(P \\,\\|\\, Q) = \\int p(x) \\log \\frac{p(x)}{q(x)}\\, dx$ "
           "(the note leaves out the $dx$).  Below $p$ and $q$ are arbitrary positive "
           "functions: SymPy proves each step without knowing them, and the numeric "
           "fallback would substitute two concrete pairs (standard Normal against "
           "$\\mathcal{N}(1, 4)$, and Laplace against Cauchy).")
    t.derivation(decomposition())
    t.text("Splitting the integral in the third step needs $S(P)$ and $H(P, Q)$ to be "
           "finite; when $H(P, Q) = +\\infty$ (for instance when $Q$ has lighter tails than "
           "$P$) the divergence is $+\\infty$ as well.")
    return t


if __name__ == "__main__":
    main(build)
