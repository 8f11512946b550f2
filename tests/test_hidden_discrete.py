"""Discrete and finite laws at the boundary of their parameter domains (issues 8, 13).

A probability declared ``positive=True`` may be 1 (``p <= 1`` is the domain),
one declared ``nonnegative=True`` may be 0.  There the interior closed form may
have ``0 log 0`` or ``log 0``; it must then mean the value of the boundary law as
its limit from the interior (the convention ``0 log 0 = 0`` of [CT]), or, where
that limit is not the boundary law's value (a jump), state the boundary as a
``Piecewise`` branch.  ``_value`` below reads a formula so: at the point itself,
else (nan/zoo there) 10**-60 inside the domain on every boundary coordinate.

References (typed here, independent of the engine):

* [CT] Cover & Thomas, *Elements of Information Theory* (2nd ed.): eq. 2.1
  (entropy of a finite law, ``0 log 0 = 0``), eq. 2.26 (KL of finite laws,
  ``+oo`` where ``p > 0 = q``).
* Binomial pmf ``C(n, k) p^k (1 - p)^(n - k)``; Geometric pmf on {1, 2, ...}
  ``p (1 - p)^(k - 1)``; Hermite pmf (Kemp & Kemp 1965, as in sympy.stats)
  ``exp(-a - b) sum_{j <= k/2} a^(k - 2j) b^j / ((k - 2j)! j!)``.

Each closed form is compared with an mpmath sum of the definition at 40 digits
(this file's own code) at random admissible points, including extremes
(10**-6, 1 - 10**-6) and the boundary itself.
"""
import random
import warnings

import mpmath
import pytest
import sympy as sp
from sympy import Rational as R
from sympy.stats import Bernoulli, Binomial, Coin, Die, FiniteRV, Geometric, Hermite, Poisson

from symxent import Categorical, cross_entropy, entropy, kl_divergence

p1, p2 = sp.symbols("p1 p2", positive=True)
q0 = sp.Symbol("q0", nonnegative=True)
DPS = 40


# ------------------------------------------------------------------ the definitions, in mpmath
def _xlogy(x, y):
    return mpmath.mpf(0) if x == 0 else x * mpmath.log(y)


def _def_entropy(pmf):                      # [CT] eq. 2.1
    return -mpmath.fsum(_xlogy(v, v) for v in pmf.values())


def _def_kl(pm, qm):                        # [CT] eq. 2.26
    if any(v > 0 and qm.get(k, 0) == 0 for k, v in pm.items()):
        return mpmath.inf
    return mpmath.fsum(_xlogy(v, v) - _xlogy(v, qm[k]) for k, v in pm.items() if v > 0)


def _bern(p):
    return {0: 1 - p, 1: p}


def _binom(n, p):
    return {k: mpmath.binomial(n, k) * p**k * (1 - p)**(n - k) for k in range(n + 1)}


def _mp(x):
    return mpmath.mpf(sp.Rational(x).p) / sp.Rational(x).q


def _value(expr, point, approach=None):
    """``expr`` at ``point``; where it is undefined there (nan, zoo), its limit from
    the interior: the boundary coordinates (a probability at 1 from below, at 0 from
    above, or as ``approach`` says) one after the other, P's parameters first."""
    v = sp.sympify(expr).subs(point)
    if v.has(sp.nan, sp.zoo):
        approach = approach or {s: ("-" if x == 1 else "+") for s, x in point.items()
                                if s in (p1, p2, q0) and x in (0, 1)}
        v = sp.sympify(expr).subs({s: x for s, x in point.items() if s not in approach})
        for s in sorted(approach, key=str):
            v = sp.limit(v, s, point[s], approach[s])
        assert not v.has(sp.nan, sp.zoo), f"no limit at {point}: {v}"
    if v == sp.oo:
        return mpmath.inf
    v = sp.N(v, DPS)
    assert v.is_real, f"not real at {point}: {v}"
    return mpmath.mpf(str(v))


def _close(a, b):
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    return abs(a - b) <= mpmath.mpf(10) ** (-30) * max(1, abs(b))


def _probabilities(rng, n=4):
    """Random probabilities: extremes, the boundary 1, and moderate values."""
    out = [R(1), R(1, 10**6), 1 - R(1, 10**6), R(1, 2)]
    out += [R(rng.randint(1, 999), 1000) for _ in range(n)]
    return out


def _quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kw)


# ------------------------------------------------------------------ KL(Bernoulli || Binomial(4, .))
def test_kl_bernoulli_binomial_states_the_boundary():
    """The sweep's one wrong row: zoo at p2 = 1; the answer is +oo there."""
    v = _quiet(kl_divergence, Bernoulli("B", p1), Binomial("D", 4, p2))
    assert _value(v, {p1: R(1, 3), p2: 1}) == mpmath.inf
    # at p1 = 1: -log(4 p2 (1 - p2)^3), the KL of the point mass at 1 ([CT] 2.26)
    with mpmath.workdps(DPS):
        assert _close(_value(v, {p1: 1, p2: R(1, 5)}), -mpmath.log(4 * _mp(R(1, 5)) * _mp(R(4, 5))**3))
    rng = random.Random(8)
    with mpmath.workdps(DPS):
        for a in _probabilities(rng):
            for b in _probabilities(rng, 2):
                want = _def_kl(_bern(_mp(a)), _binom(4, _mp(b)))
                assert _close(_value(v, {p1: a, p2: b}), want), (a, b)


def test_kl_bernoulli_bernoulli_every_boundary():
    """p1, p2 positive (may be 1) and q0 nonnegative (may be 0)."""
    v = _quiet(kl_divergence, Bernoulli("B", p1), Bernoulli("C", p2))
    w = _quiet(kl_divergence, Bernoulli("B", p1), Bernoulli("C", q0))
    rng = random.Random(3)
    with mpmath.workdps(DPS):
        for a in _probabilities(rng):
            for b in _probabilities(rng, 2) + [R(0)]:
                want = _def_kl(_bern(_mp(a)), _bern(_mp(b)))
                if b != 0:
                    assert _close(_value(v, {p1: a, p2: b}), want), (a, b)
                assert _close(_value(w, {p1: a, q0: b}), want), (a, b)


def test_kl_against_a_point_mass_with_symbolic_p():
    """Q = Bernoulli(1) has no atom 0: +oo unless P has none there either (p1 = 1)."""
    v = _quiet(kl_divergence, Bernoulli("B", p1), Bernoulli("C", 1))
    assert _value(v, {p1: R(1, 2)}) == mpmath.inf
    assert _value(v, {p1: R(999999, 10**6)}) == mpmath.inf
    assert _value(v, {p1: 1}) == 0  # a jump: stated as a branch


# ------------------------------------------------------------------ entropies at the boundary
@pytest.mark.parametrize("make, pmf", [
    (lambda p: Bernoulli("X", p), _bern),
    (lambda p: Coin("X", p), _bern),
    (lambda p: Binomial("X", 4, p), lambda p: _binom(4, p)),
    (lambda p: FiniteRV("X", {0: p, 3: 1 - p}), lambda p: {0: p, 3: 1 - p}),
], ids=["bernoulli", "coin", "binomial4", "finiterv"])
def test_finite_entropy_is_zero_for_a_point_mass(make, pmf):
    v = _quiet(entropy, make(p1))
    w = _quiet(entropy, make(q0))
    rng = random.Random(5)
    with mpmath.workdps(DPS):
        for a in _probabilities(rng) + [R(0)]:
            want = _def_entropy(pmf(_mp(a)))
            if a != 0:
                assert _close(_value(v, {p1: a}), want), a
            assert _close(_value(w, {q0: a}), want), a


def test_categorical_face_of_the_simplex():
    """[p1, p2, 1 - p1 - p2] with p1 + p2 = 1 allowed: the third atom is empty."""
    v = _quiet(entropy, Categorical("C", [p1, p2, 1 - p1 - p2]))
    with mpmath.workdps(DPS):
        for a, b in [(R(1, 3), R(2, 3)), (R(1, 10**6), 1 - R(1, 10**6)), (R(1, 4), R(1, 2)),
                     (R(1, 7), R(1, 9))]:
            want = _def_entropy({0: _mp(a), 1: _mp(b), 2: 1 - _mp(a) - _mp(b)})
            assert _close(_value(v, {p1: a, p2: b}, {p2: "-"} if a + b == 1 else None), want), \
                (a, b)


# ------------------------------------------------------------------ Geometric at p = 1
def _geometric_kl(a, b, terms=4000):
    """Sum of the definition on {1, 2, ...} (terms decay like (1 - a)^k)."""
    if a == 1:
        return -mpmath.log(b) if b != 1 else mpmath.mpf(0)
    if b == 1:
        return mpmath.inf
    s = mpmath.mpf(0)
    for k in range(1, terms):
        pk = a * (1 - a)**(k - 1)
        s += pk * (mpmath.log(pk) - mpmath.log(b * (1 - b)**(k - 1)))
    return s


def test_geometric_entropy_and_kl_at_p_one():
    S = _quiet(entropy, Geometric("G", p1))
    assert _value(S, {p1: 1}) == 0
    v = _quiet(kl_divergence, Geometric("G", p1), Geometric("H", p2))
    assert _value(v, {p1: R(1, 2), p2: 1}) == mpmath.inf
    assert _value(v, {p1: 1, p2: 1}) == 0
    with mpmath.workdps(DPS):
        for a, b in [(1, R(1, 3)), (R(1, 2), R(1, 3)), (R(9, 10), R(1, 2)), (1, R(99, 100))]:
            assert _close(_value(v, {p1: a, p2: b}), _geometric_kl(_mp(a), _mp(b))), (a, b)


# ------------------------------------------------------------------ Hermite in the numeric layer
def test_hermite_numeric_definition():
    """symxent.numeric sums the Hermite pmf (a finite inner sum up to floor(k/2));
    it raised TypeError ('mpf' object cannot be interpreted as an integer)."""
    from symxent.measures import CrossEntropy
    from symxent.numeric import evaluate
    a1, b1, a2, b2 = sp.symbols("a1 b1 a2 b2", positive=True)
    X, Y = Hermite("X", a1, b1), Hermite("Y", a2, b2)
    pt = {a1: R(409, 1000), b1: R(1173, 1000), a2: R(1, 3), b2: R(2, 3)}

    def pmf(a, b, k):
        return mpmath.exp(-a - b) * mpmath.fsum(
            a**(k - 2 * j) * b**j / (mpmath.factorial(k - 2 * j) * mpmath.factorial(j))
            for j in range(k // 2 + 1))
    with mpmath.workdps(DPS):
        a, b, c, d = (_mp(pt[s]) for s in (a1, b1, a2, b2))
        xent = -mpmath.fsum(_xlogy(pmf(a, b, k), pmf(c, d, k)) for k in range(120))
        for q, want in [(CrossEntropy(X, Y), xent)]:
            r = evaluate(q, pt, dps=30)
            assert abs(mpmath.mpf(r.value) - want) <= mpmath.mpf(10)**-28, (q, r, want)


def test_coin_atoms_are_not_parameters():
    """Coin's outcomes H and T are labels, not parameters (no MissingAssumptionError)."""
    v = _quiet(kl_divergence, Coin("C", R(1, 3)), Coin("D", R(1, 2)))
    assert sp.simplify(v - (R(1, 3) * sp.log(R(2, 3)) + R(2, 3) * sp.log(R(4, 3)))) == 0
    assert _quiet(kl_divergence, Coin("C", R(1, 3)), Die("D", 6)) == sp.oo
    assert _quiet(cross_entropy, Coin("C", p1), Coin("D", p1)) is not None


# ------------------------------------------------------------------ Multinomial with an empty category
def test_multinomial_with_a_category_of_probability_zero():
    """The engine left eta_3 (the natural parameter of the empty category) in
    E[x_j] = n p_j / sum_i exp(eta_i); only the check caught it (VerificationWarning).
    Reference: the definition summed over the compositions of n = 3 ([CT] 2.26)."""
    from itertools import product

    from sympy.stats.joint_rv_types import Multinomial
    pp, qq = [R(1, 3), R(2, 3), 0], [R(1, 4), R(1, 4), R(1, 2)]
    P, Q = Multinomial("M", 3, pp), Multinomial("N", 3, qq)

    def mass(ps, x):
        m = mpmath.factorial(sum(x))
        for pi, xi in zip(ps, x):
            m *= _mp(pi)**xi / mpmath.factorial(xi)
        return m
    with mpmath.workdps(DPS):
        comps = [x for x in product(range(4), repeat=3) if sum(x) == 3]
        pm = {x: mass(pp, x) for x in comps}
        qm = {x: mass(qq, x) for x in comps}
        for fn, want in [(kl_divergence, _def_kl(pm, qm)), (entropy, _def_entropy(pm)),
                         (cross_entropy, _def_kl(pm, qm) + _def_entropy(pm))]:
            v = _quiet(fn, P, Q) if fn is not entropy else _quiet(fn, P)
            assert _close(_value(v, {}), want), (fn.__name__, v)


# ------------------------------------------------------------------ the divergence family
def _def_renyi(pm, qm, a):
    """D_a = log(sum p^a q^(1-a)) / (a - 1) (Renyi 1961; van Erven & Harremoes 2014, eq. 1)."""
    s = mpmath.fsum(v**a * qm.get(k, 0)**(1 - a) for k, v in pm.items() if v > 0 and qm.get(k, 0) > 0)
    if a > 1 and any(v > 0 and qm.get(k, 0) == 0 for k, v in pm.items()):
        return mpmath.inf
    return mpmath.inf if s == 0 else mpmath.log(s) / (a - 1)


def test_divergences_state_the_boundary():
    """chi2 and Renyi of Bernoulli || Binomial(4, p2) were zoo at p2 = 1 (+oo there)."""
    from symxent import chi2_divergence, renyi_divergence
    a = sp.Symbol("alpha", positive=True)
    P, Q = Bernoulli("B", p1), Binomial("D", 4, p2)
    chi2 = _quiet(chi2_divergence, P, Q)
    ren = _quiet(renyi_divergence, P, Q, a)
    with mpmath.workdps(DPS):
        for x, y in [(R(1, 3), 1), (R(1, 3), R(1, 5)), (1, R(1, 5)), (R(1, 10**6), R(2, 3))]:
            pm, qm = _bern(_mp(x)), _binom(4, _mp(y))
            # Pearson chi2 = sum p^2/q - 1, +oo where p > 0 = q
            want = mpmath.inf if _def_kl(pm, qm) == mpmath.inf else \
                mpmath.fsum(v**2 / qm[k] for k, v in pm.items() if v > 0) - 1
            assert _close(_value(chi2, {p1: x, p2: y}), want), (x, y)
            for al in (R(1, 3), R(3)):
                assert _close(_value(ren, {p1: x, p2: y, a: al}), _def_renyi(pm, qm, _mp(al))), \
                    (x, y, al)


def test_binomial_symbolic_n_at_the_boundary():
    """KL(Binomial(n, p1) || Binomial(n, p2)) = n KL(Bernoulli) ([CT] 2.26 and additivity),
    +oo at p2 = 1 > p1, -n log p2 at p1 = 1, 0 at p1 = p2 = 1."""
    n = sp.Symbol("n", positive=True, integer=True)
    v = _quiet(kl_divergence, Binomial("X", n, p1), Binomial("Y", n, p2))
    with mpmath.workdps(DPS):
        for x, y, m in [(R(1, 3), 1, 5), (1, R(1, 5), 3), (1, 1, 4), (R(1, 3), R(1, 5), 7),
                        (1 - R(1, 10**6), R(1, 10**6), 2)]:
            assert _close(_value(v, {p1: x, p2: y, n: m}),
                          _def_kl(_binom(m, _mp(x)), _binom(m, _mp(y)))), (x, y, m)


def test_numeric_renyi_finite_against_infinitely_many_atoms():
    """symxent.numeric could not check D_1/2(Binomial(4, p) || Poisson(l)): it listed
    all of Poisson's atoms (int(oo)).  Reference: the definition over k = 0..4."""
    from symxent.divergences import RenyiDivergence
    from symxent.numeric import evaluate
    l2 = sp.Symbol("l2", positive=True)
    X, Y = Binomial("X", 4, p1), Poisson("Y", l2)
    pt = {l2: R(1257, 1000), p1: R(39, 100)}
    with mpmath.workdps(DPS):
        p, lam = _mp(pt[p1]), _mp(pt[l2])
        want = -2 * mpmath.log(mpmath.fsum(
            mpmath.sqrt(_binom(4, p)[k] * mpmath.exp(-lam) * lam**k / mpmath.factorial(k))
            for k in range(5)))
        r = evaluate(RenyiDivergence(X, Y, R(1, 2)), pt, dps=30)
        assert abs(mpmath.mpf(r.value) - want) <= mpmath.mpf(10)**-28


def test_renyi_against_a_point_mass_with_symbolic_p():
    """D_alpha(Bernoulli(p1) || Bernoulli(1)), alpha > 1: +oo for p1 < 1 but 0 at p1 = 1
    (the engine said +oo for every p1: it took the symbolic mass 1 - p1 to be positive)."""
    from symxent import renyi_divergence
    a = sp.Symbol("alpha", positive=True)
    v = _quiet(renyi_divergence, Bernoulli("B", p1), Bernoulli("C", 1), a)
    with mpmath.workdps(DPS):
        for x in (R(1, 3), 1 - R(1, 10**6), R(1)):
            for al in (R(1, 3), R(5, 2)):
                want = _def_renyi(_bern(_mp(x)), _bern(mpmath.mpf(1)), _mp(al))
                assert _close(_value(v, {p1: x, a: al}), want), (x, al)


def test_hermite_entropy_is_checked():
    """The residual series of S(Hermite) holds an inner sum up to floor(k/2); the check
    could not sum it ('a sum with free symbols') and returned it unverified."""
    from symxent import UnverifiedWarning, VerificationWarning
    a1, b1 = sp.symbols("a1 b1", positive=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        v = entropy(Hermite("H", a1, b1))
    kinds = {type(x.message) for x in w}
    assert UnverifiedWarning not in kinds and VerificationWarning not in kinds, \
        [str(x.message) for x in w]
    assert v.has(sp.Sum)


def test_singular_multivariate_normal_is_refused_clearly():
    """sympy.stats builds MultivariateNormal with a singular covariance; it has no
    density.  It raised SymPy's NonInvertibleMatrixError from deep inside the engine."""
    from sympy.stats.joint_rv_types import MultivariateNormal

    from symxent import ParameterError
    S1 = MultivariateNormal("S", [0, 0], [[1, 1], [1, 1]])
    for call in (lambda: entropy(S1),
                 lambda: kl_divergence(MultivariateNormal("T", [0, 0], [[1, 0], [0, 1]]), S1)):
        with pytest.raises(ParameterError, match="not positive definite"):
            call()
