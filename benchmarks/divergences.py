"""Benchmark of the divergence family: one row per measure.

For each row, in fresh Python processes: the cold time of the symxent call
(``import symxent`` and building the random variables are not timed; the
fastest of ``--runs`` processes), and plain SymPy ``integrate``/``summation``
of the definition (``int p**a q**(1-a)`` and the measure's function of it)
under a hard time limit (the process is killed).  Prints a Markdown table.

    python benchmarks/divergences.py [--runs 3] [--limit 60] [--only NAME ...]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name -> (measure, call, kind of the plain-SymPy definition)
SETUP = """
import sympy as sp
from sympy.stats import *
a = sp.Symbol('alpha', positive=True)
m1, m2 = sp.symbols('mu1 mu2', real=True)
s1, s2, l1, l2, k1, k2, t1, t2, a1, a2, b1, b2 = sp.symbols(
    'sigma1 sigma2 lambda1 lambda2 k1 k2 theta1 theta2 a1 a2 b1 b2', positive=True)
t = sp.Symbol('t', positive=True)
N1, N2 = Normal('X', m1, s1), Normal('Y', m2, s2)
E1, E2 = Exponential('X', l1), Exponential('Y', l2)
G1, G2 = Gamma('X', k1, t1), Gamma('Y', k2, t2)
B1, B2 = Beta('X', a1, b1), Beta('Y', a2, b2)
P1, P2 = Poisson('X', l1), Poisson('Y', l2)
L1, L2 = Laplace('X', 0, b1), Laplace('Y', 0, b2)
W1, W2 = Weibull('X', l1, k1), Weibull('Y', l2, k1)
x1, x2 = sp.symbols('x1 x2', real=True)
C1, C2 = Cauchy('X', x1, s1), Cauchy('Y', x2, s2)
MV1 = MultivariateNormal('X', [m1, 0], [[s1, 0], [0, 1]])
MV2 = MultivariateNormal('Y', [m2, 0], [[s2, 0], [0, 1]])
D1, D2 = MultivariateBeta('X', [a1, b1, 2]), MultivariateBeta('Y', [a2, b2, 1])
"""

ROWS = {
    "renyi Normal":        ("D_alpha", "renyi_divergence(N1, N2, a)", ("N1", "N2", "a")),
    "renyi Exponential":   ("D_alpha", "renyi_divergence(E1, E2, a)", ("E1", "E2", "a")),
    "renyi Gamma":         ("D_alpha", "renyi_divergence(G1, G2, a)", ("G1", "G2", "a")),
    "renyi Beta":          ("D_alpha", "renyi_divergence(B1, B2, a)", ("B1", "B2", "a")),
    "renyi Laplace":       ("D_alpha", "renyi_divergence(L1, L2, a)", ("L1", "L2", "a")),
    "renyi Weibull":       ("D_alpha", "renyi_divergence(W1, W2, a)", ("W1", "W2", "a")),
    "renyi Poisson":       ("D_alpha", "renyi_divergence(P1, P2, a)", ("P1", "P2", "a")),
    "renyi Exp vs Gamma":  ("D_alpha", "renyi_divergence(E1, G2, a)", ("E1", "G2", "a")),
    "renyi entropy Gamma": ("H_alpha", "renyi_entropy(G1, a)", ("G1", None, "a")),
    "tsallis Normal":      ("S_q", "tsallis_entropy(N1, a)", ("N1", None, "a")),
    "BC Normal":           ("BC", "bhattacharyya_coefficient(N1, N2)", ("N1", "N2", "1/2")),
    "Bhattacharyya Gamma": ("D_B", "bhattacharyya_distance(G1, G2)", ("G1", "G2", "1/2")),
    "Hellinger Exp":       ("d_H", "hellinger_distance(E1, E2)", ("E1", "E2", "1/2")),
    "chi2 Normal":         ("chi^2", "chi2_divergence(N1, N2)", ("N1", "N2", "2")),
    "Amari Exponential":   ("D_A", "alpha_divergence(E1, E2, a)", ("E1", "E2", "a")),
    "f (sqrt t - 1)^2 Exp": ("D_f", "f_divergence(E1, E2, sp.Lambda(t, (sp.sqrt(t) - 1)**2))",
                             ("E1", "E2", "1/2")),
    "renyi MVN (2-D)":     ("D_alpha", "renyi_divergence(MV1, MV2, a)", None),
    "renyi Dirichlet (3)": ("D_alpha", "renyi_divergence(D1, D2, a)", None),
    "renyi Cauchy (no closed form)": ("D_alpha", "renyi_divergence(C1, C2, a)", ("C1", "C2", "a")),
}

SYMXENT_CHILD = SETUP + """
import symxent, time, warnings
from symxent import *
t0, c0 = time.perf_counter(), time.process_time()
with warnings.catch_warnings(record=True) as ws:
    warnings.simplefilter('always')
    v = {call}
dt, dc = time.perf_counter() - t0, time.process_time() - c0
print('@@', json.dumps({{'time': dt, 'cpu': dc, 'warnings': sorted({{w.category.__name__ for w in ws}}),
      'unevaluated': type(v).__name__ in ('RenyiDivergence',
      'RenyiEntropy', 'TsallisEntropy', 'BhattacharyyaCoefficient', 'BhattacharyyaDistance',
      'HellingerDistance', 'Chi2Divergence', 'AlphaDivergence', 'FDivergence'),
      'result': str(v)[:300]}}))
"""

# plain SymPy: the Mellin integral of the definition (the measure is a function of it)
SYMPY_CHILD = SETUP + """
import time
from sympy.stats import density
P, Q, al = {p}, {q}, {al}
x = sp.Symbol('x', real=True)
pd = density(P)(x)
qd = density(Q)(x) if Q is not None else 1
w = (1 - al) if Q is not None else 0
discrete = P.pspace.__class__.__name__.startswith('SingleDiscrete')
lo, hi = P.pspace.domain.set.inf, P.pspace.domain.set.sup
t0, c0 = time.perf_counter(), time.process_time()
if discrete:
    k = sp.Symbol('k', integer=True, nonnegative=True)
    M = sp.summation(density(P)(k)**al * (density(Q)(k)**w if Q is not None else 1), (k, lo, hi))
else:
    M = sp.integrate(pd**al * qd**w, (x, lo, hi), conds='piecewise')
dt, dc = time.perf_counter() - t0, time.process_time() - c0
print('@@', json.dumps({{'time': dt, 'cpu': dc, 'unevaluated': M.has(sp.Integral, sp.Sum),
                        'result': str(M)[:300]}}))
"""


def _child(code, limit):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    try:
        out = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True,
                             text=True, timeout=limit, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"timeout": True}
    for line in out.stdout.splitlines():
        if line.startswith("@@ "):
            return json.loads(line[3:])
    return {"error": (out.stderr.strip().splitlines() or ["?"])[-1][:200]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limit", type=float, default=60.0, help="plain SymPy time limit (s)")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--no-sympy", action="store_true")
    args = ap.parse_args()
    rows, colds, cpus = [], [], []
    for name, (sym, call, spec) in ROWS.items():
        if args.only and name not in args.only:
            continue
        runs = [_child(SYMXENT_CHILD.format(call=call), 120) for _ in range(args.runs)]
        times = [r["time"] for r in runs if "time" in r]
        cold = min(times) if times else None
        cpu = min(r["cpu"] for r in runs if "cpu" in r) if times else None
        ok = runs and "time" in runs[0] and not runs[0]["unevaluated"]
        colds.append(cold if cold is not None else float("inf"))
        if cpu is not None:
            cpus.append(cpu)
        plain = "skipped"
        if spec is None:
            plain = "not run (multivariate)"
        elif not args.no_sympy:
            p, q, al = spec
            r = _child(SYMPY_CHILD.format(p=p, q=q or "None", al=al), args.limit)
            if r.get("timeout"):
                plain = f"timeout ({args.limit:.0f} s)"
            elif "error" in r:
                plain = "error: " + r["error"][:60]
            else:
                plain = f"{r['time']:.2f} s (CPU {r['cpu']:.2f} s)" + (
                    " (unevaluated integral)" if r["unevaluated"] else "")
        unverified = runs and "UnverifiedWarning" in runs[0].get("warnings", [])
        rows.append((name, sym, ("closed form" + (" (unverified)" if unverified else ", verified"))
                     if ok else "unevaluated",
                     f"{cold:.3f} s" if cold is not None else "error",
                     f"{cpu:.3f} s" if cpu is not None else "", plain))
        print(f"{name}: {rows[-1][2:]}", file=sys.stderr, flush=True)
    print("| measure | symbol | symxent | cold time (best of %d) | CPU time | plain SymPy "
          "integrate |" % args.runs)
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    finite = [c for c in colds if c != float("inf")]
    if finite:
        print(f"\nmedian cold time {statistics.median(finite):.3f} s, max {max(finite):.3f} s; "
              f"CPU median {statistics.median(cpus):.3f} s, max {max(cpus):.3f} s "
              f"({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
