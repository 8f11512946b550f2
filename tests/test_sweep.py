"""A fixed, seeded sample of the sweep over all of sympy.stats (benchmarks/sweep.py).

Every case is an entropy, a same-family KL/cross-entropy or a mixed-family KL
of the families in tests/sweep_families.py.  Each closed form that comes back
is checked at two random admissible points against the definition
(:func:`symxent.numeric.evaluate` at 30 digits, with the test-suite's own
quadrature as a second opinion); a result that disagrees fails the test, an
unevaluated one passes (never a wrong answer is the rule, not always an
answer).  The whole sweep is ``python benchmarks/sweep.py``.
"""
import os
import random
import sys
import warnings

import pytest
import sympy as sp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "benchmarks"))

import sweep  # noqa: E402
from sweep_families import FAMILIES, by_name  # noqa: E402

from symxent.laws.domain import sample_point  # noqa: E402

ALL, _ = sweep.cases(n_pairs=10 ** 6, seed=0)
# a fixed sample: entropies, same-family and mixed pairs alike (seeded), small enough
# for CI's time limit
# (Coin is left out: symxent.laws.support reads its atoms H and T as parameters and
# validation asks for their assumptions -- a known gap, listed in benchmarks/sweep.md)
SAMPLE = random.Random(2026).sample([c for c in ALL if "Coin" not in c], 8) + [
    ("entropy", "Logistic", None), ("kl", "Laplace", "Laplace"), ("kl", "Normal", "Exponential"),
    ("kl", "Poisson", "Geometric")]


def test_the_family_table_covers_sympy_stats():
    import sympy.stats as st
    from sympy.stats import crv_types, drv_types, frv_types
    offered = {n for mod in (crv_types, drv_types, frv_types) for n in mod.__all__
               if n in st.__all__} - {"ContinuousRV", "FiniteRV"}
    assert offered <= {f.name for f in FAMILIES}
    assert len(FAMILIES) >= 60


@pytest.mark.parametrize("case", SAMPLE, ids=[" ".join(c for c in case if c) for case in SAMPLE])
def test_sweep_sample(case):
    kind, pn, qn = case
    P = by_name(pn).build("1")
    Q = by_name(qn).build("2") if qn else None
    m = sweep.MEASURES[kind](P, Q) if Q is not None else sweep.Entropy(P)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v = m.doit(timeout=4)
    if isinstance(v, sweep.MEASURES[kind]) or v.has(sp.Sum, sp.Integral):
        pytest.skip("no closed form (unevaluated or residual series)")
    rng = random.Random(1)
    verdicts = []
    for _ in range(2):
        pt = sample_point((P, Q) if Q is not None else P, rng)
        verdict, why = sweep.check_point(kind, P, Q, v, pt)
        assert verdict != "wrong", f"{case} at {pt}: {why}; engine gave {v}"
        verdicts.append(verdict)
    assert "ok" in verdicts, f"{case}: no point could be checked"
