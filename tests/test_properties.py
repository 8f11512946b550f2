"""Property tests over the whole catalogue (symxent.testing.catalogue.CASES).

For every case of kind ``entropy`` or ``kl`` whose closed form the engine
derives (cases it cannot derive are skipped, naming the reason), taken with
``verify=False`` -- the engine's own candidates, before its numeric check (which
costs 80% of a derivation) -- except the main result of a case without a reference
twin in tests/test_closed_forms.py (see below), taken as a user gets it:

* identities, with hypothesis at 50 admissible parameter points per case
  (results that are infinite series rather than closed forms are skipped here)
  (``settings(max_examples=50, deadline=None, derandomize=True)``), evaluated
  at 40 digits from the engine's closed forms, each lambdified ONCE per case
  with ``modules="mpmath"`` and always called inside ``mpmath.workdps(40)``:

  - ``D_KL(P || Q) >= 0`` (Gibbs' inequality),
  - ``D_KL(P || P) = 0`` (same-family pairs: Q's parameters set to P's),
  - ``H(P, Q) = S(P) + D_KL(P || Q)`` (with ``oo`` on both sides together),
  - base-2 results equal nats divided by ``log 2``;

* closed form = definition, at only ``NUMERIC_POINTS`` points per case (each
  needs an mpmath quadrature or summation of the definition, 0.1-2 s):
  ``|closed - numeric| <= max(10**-25 * max(1, |value|), 10 * error)`` at 30
  digits, via :mod:`symxent.numeric.core`, which does not use the engine.

The split keeps this module within about four minutes on one core.

A case whose random variables are, up to a renaming of their parameter symbols (same
assumptions), those of a row of tests/references*.py is not checked against the definition
here: tests/test_closed_forms.py::test_engine_matches_definition checks the same derivation
against the same definition (:mod:`symxent.numeric.core`, 30 digits, 2 seeded points) and
test_symbolic checks it against the cited formula (issue 10: the same check twice cost a
third of this module's time).  ``test_every_case_is_checked_against_the_definition`` keeps
that covering honest.
"""
import functools
import os
import random
import sys
import warnings

import mpmath
import pytest
import sympy as sp
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from symxent import CrossEntropy, Entropy, KLDivergence
from symxent.testing.catalogue import CASES
from symxent.laws.domain import sample_point
from symxent.numeric.core import _series, compile_mp, evaluate, is_measure
from symxent.testing.strategies import admissible, parameter_points
from symxent.laws.support import describe

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from references import all_refs  # noqa: E402

WDPS = 40
NUMERIC_POINTS = 2
TIMEOUT = 30
CHECKED = [c for c in CASES if c.kind in ("entropy", "kl")]
# no shrinking: a failure is reported with the first falsifying point, which keeps a
# failing run as fast as a passing one
# 50 points per case: 200 cost a fifth of the whole suite's time (S Triangular alone 3.8 s of
# CPU, 900 draws) on ranges ([0.05, 5], [-3, 3]) that 50 points, with hypothesis's bias to
# the ends of the ranges, already cover
PROPERTY_SETTINGS = settings(max_examples=50, deadline=None, derandomize=True, database=None,
                             phases=[Phase.explicit, Phase.generate],
                             suppress_health_check=[HealthCheck.filter_too_much,
                                                    HealthCheck.too_slow])


# --------------------------------------------------------------------------- evaluation
def _evaluator(expr, syms):
    """point -> mpf for an engine result; call inside mpmath.workdps.

    The expression is lambdified once (modules="mpmath"); infinite sums the
    engine leaves in its results are summed term by term (ratio-test tail bound).
    """
    sums = sorted(expr.atoms(sp.Sum), key=sp.default_sort_key)
    holes = [sp.Dummy(f"sum{i}") for i in range(len(sums))]
    outer = sp.lambdify(list(syms) + holes, expr.xreplace(dict(zip(sums, holes))),
                        modules="mpmath")
    parts = []
    for s in sums:
        (k, a, b), = s.limits
        with mpmath.workdps(WDPS):
            term = compile_mp(s.function, [k, *syms])
        parts.append((term, a, b))

    def value(point):
        args = [mpmath.mpf(sp.Float(point[s], WDPS + 5)._mpf_) for s in syms]
        filled = []
        for term, a, b in parts:
            lo, hi = int(a.xreplace(point)), b.xreplace(point)
            if hi.is_finite:
                filled.append(mpmath.fsum(term(mpmath.mpf(k), *args)
                                          for k in range(lo, int(hi) + 1)))
            else:
                total, _ = _series(lambda k: term(mpmath.mpf(int(k)), *args), lo, 1,
                                   mpmath.mpf(10) ** (-WDPS + 2))
                filled.append(total)
        return mpmath.mpf(outer(*args, *filled))
    return value


class Derived:
    """The engine's closed forms for one case, with their evaluators."""

    def __init__(self, case):
        self.case = case
        self.rvs = case.build()
        self.syms = sorted({s for rv in self.rvs for s in describe(rv).params}, key=str)
        P = self.rvs[0]
        if case.kind == "entropy":
            wanted = {"S": Entropy(P), "S2": Entropy(P, base=2)}
        else:
            Q = self.rvs[1]
            wanted = {"KL": KLDivergence(P, Q), "KL2": KLDivergence(P, Q, base=2),
                      "H": CrossEntropy(P, Q), "S": Entropy(P)}
        self.forms, self.missing = {}, []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key, q in wanted.items():
                # verify=False: the identities are checked on the engine's own
                # candidates, not only on those its numeric check let through.  The
                # main result is the user's, checked, where no reference twin in
                # tests/test_closed_forms.py already takes it through the check
                user = key == self.main and TWINS.get(case.name, True) is None
                r = q.doit(timeout=TIMEOUT, verify=user)
                if any(is_measure(a) for a in sp.preorder_traversal(r)):
                    self.missing.append(str(q))
                else:
                    self.forms[key] = r
        self.eval = {k: _evaluator(v, self.syms) for k, v in self.forms.items()}
        self.same = _same_parameters(*self.rvs) if case.kind == "kl" else None
        self.series = [k for k, v in self.forms.items()
                       if any(not b.is_finite for s in v.atoms(sp.Sum) for _, _, b in s.limits)]
        self.points = parameter_points(self.rvs)

    @property
    def main(self):
        return "S" if self.case.kind == "entropy" else "KL"


def _same_parameters(P, Q):
    """{Q's parameter: P's} when P and Q are one family with plain symbol parameters."""
    dp, dq = describe(P), describe(Q)
    if dp.family != dq.family:
        return None
    ap, aq = P.pspace.distribution.args, Q.pspace.distribution.args
    if len(ap) != len(aq):
        return None
    sub = {}
    for a, b in zip(ap, aq):
        a, b = (sp.Matrix(a), sp.Matrix(b)) if hasattr(a, "shape") else (a, b)
        pairs = zip(a, b) if hasattr(a, "shape") else [(a, b)]
        for x, y in pairs:
            if isinstance(y, sp.Symbol):
                sub[y] = x
            elif x != y:
                return None
    return sub


@functools.lru_cache(maxsize=None)
def derived(name):
    return Derived(next(c for c in CHECKED if c.name == name))


def _needs(d, *keys):
    missing = [k for k in keys if k not in d.forms]
    if missing:
        pytest.skip(f"the engine derives no closed form for {', '.join(d.missing)}")


# --------------------------------------------------------------------------- identities
def _close(a, b):
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    return abs(a - b) <= mpmath.mpf(10) ** (-WDPS + 8) * max(1, abs(a), abs(b))


@pytest.mark.parametrize("name", [c.name for c in CHECKED])
@PROPERTY_SETTINGS
@given(data=st.data())
def test_identities(name, data):
    d = derived(name)
    _needs(d, d.main)
    if d.series:
        pytest.skip(f"the engine's result for {d.series} is an infinite series, not a closed "
                    f"form (checked against the definition only)")
    point = data.draw(d.points, label="point")
    with mpmath.workdps(WDPS):
        v, broken = {}, []
        for k, f in d.eval.items():
            try:
                v[k] = f(point)
            except (ZeroDivisionError, ValueError) as exc:
                broken.append(f"{k} ({type(exc).__name__})")
                continue
            if mpmath.isnan(v[k]):
                broken.append(f"{k} (nan)")
        assert not broken, f"closed form(s) {', '.join(broken)} undefined at the admissible " \
                           f"point {point}: {d.forms}"
        main = v[d.main]
        if d.case.kind == "entropy":
            if "S2" in v:   # base 2 = nats / log 2
                assert _close(v["S2"], main / mpmath.log(2)), (point, v)
            return
        # Gibbs' inequality: D_KL >= 0
        assert main >= -mpmath.mpf(10) ** (-WDPS + 8), (point, main)
        if "KL2" in v:
            assert _close(v["KL2"], main / mpmath.log(2)), (point, v)
        if "H" in v and "S" in v:   # H(P, Q) = S(P) + D_KL(P || Q)
            assert _close(v["H"], v["S"] + main), (point, v)
        if d.same is not None:      # D_KL(P || P) = 0
            same = {**point, **{q: p.xreplace(point) for q, p in d.same.items()}}
            assert _close(d.eval["KL"](same), mpmath.mpf(0)), (same,)


# --------------------------------------------------------------------------- definition
def _renamed(a, b, renaming):
    """Is ``b`` the image of ``a`` under one bijective renaming of Symbols (with the same
    assumptions), extended in ``renaming``?  Anything else must be identical."""
    if isinstance(a, sp.Symbol) or isinstance(b, sp.Symbol):
        if not (isinstance(a, sp.Symbol) and isinstance(b, sp.Symbol)) \
                or a.assumptions0 != b.assumptions0:
            return False
        if renaming.get(a, b) != b or (a not in renaming and b in renaming.values()):
            return False
        renaming[a] = b
        return True
    if type(a) is not type(b) or len(a.args) != len(b.args):
        return False
    if not a.args:
        return a == b
    return all(_renamed(x, y, renaming) for x, y in zip(a.args, b.args))


@functools.lru_cache(maxsize=None)
def _reference_laws():
    """(id, kind, [(distribution class, args)]) of each non-slow, non-stretch, finite row."""
    out = []
    for ref in all_refs():
        if ref.slow or ref.stretch or ref.formula == sp.oo:
            continue
        laws = [(type(rv.pspace.distribution), sp.Tuple(*rv.pspace.distribution.args))
                for rv in ref.build()]
        out.append((ref.id, ref.kind, laws))
    return out


def _reference_twin(case):
    """Id of the row of tests/references*.py whose engine closed form
    test_closed_forms.py::test_engine_matches_definition checks against the definition for
    the same random variables up to renaming (a non-slow, non-stretch, finite row), or None."""
    laws = [(type(rv.pspace.distribution), sp.Tuple(*rv.pspace.distribution.args))
            for rv in case.build()]
    for ref_id, kind, twins in _reference_laws():
        if kind != case.kind or len(twins) != len(laws):
            continue
        renaming = {}
        if all(cx is cy and _renamed(ax, ay, renaming) for (cx, ax), (cy, ay) in zip(laws, twins)):
            return ref_id
    return None


TWINS = {c.name: _reference_twin(c) for c in CHECKED}
OWN_DEFINITION_CHECK = [c.name for c in CHECKED if TWINS[c.name] is None]


def test_every_case_is_checked_against_the_definition():
    """Each case is checked against its definition here or, for its reference twin, in
    tests/test_closed_forms.py (which parametrises test_engine_matches_definition over it)."""
    import test_closed_forms
    numeric_ids = {r.id for r in test_closed_forms.NUMERIC_REFS if not r.slow and not r.stretch}
    for name, twin in TWINS.items():
        assert twin is None or twin in numeric_ids, (name, twin)
    assert len(OWN_DEFINITION_CHECK) + sum(t is not None for t in TWINS.values()) == len(CHECKED)


@pytest.mark.parametrize("name", OWN_DEFINITION_CHECK)
def test_closed_form_matches_definition(name):
    d = derived(name)
    _needs(d, d.main)
    rng = random.Random(f"definition {name}")
    quantity = (Entropy if d.case.kind == "entropy" else KLDivergence)(*d.rvs)
    for _ in range(NUMERIC_POINTS):
        for _ in range(100):
            point = sample_point(list(d.rvs), rng)
            if admissible(d.rvs, point):
                break
        ref = evaluate(quantity, point, dps=30)
        with mpmath.workdps(WDPS):
            closed = d.eval[d.main](point)
            if mpmath.isinf(ref.value):
                assert closed == ref.value, (point, closed, ref)
                continue
            tol = max(mpmath.mpf(10) ** -25 * max(1, abs(ref.value)), 10 * ref.error)
            assert abs(closed - ref.value) <= tol, \
                f"{name} at {point}: closed form {mpmath.nstr(closed, 30)} vs definition {ref}"
