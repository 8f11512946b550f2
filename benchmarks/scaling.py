"""Scaling benchmark: symxent's cold time against the size of the problem (issue 13).

Series (each point cold, in a fresh Python process, after ``import symxent``):

* ``KL diag MVN``        KL between n-dimensional normals with diagonal covariances,
                         n = 2 ... 64 (symbolic means and standard deviations);
* ``KL independent``     KL(prod_i N(mu_i, sigma_i^2) || N(0, 1)^n) with
                         ``independent(..., (i, 1, n))``, numeric n = 2 ... 64;
* ``KL Dirichlet``       KL between Dirichlet laws of k symbolic parameters, k = 3 ... 100;
* ``S Categorical``      entropy of ``Categorical('X', k)`` (k - 1 free probabilities);
* ``KL Binomial``        KL Binomial(n, p) || Binomial(n, q), numeric n = 10 ... 10^4;
* ``S Binomial``         entropy of Binomial(n, p), numeric n = 10 ... 10^4;
* single points with a *symbolic* size: the VAE KL with n factors, the matrix-form
  KL between n-dimensional normals.

Plain SymPy (the definition done with ``integrate`` / ``summation``, or a direct
sum for finite laws) runs alongside for the small sizes only, each with a hard
limit of 60 s (the process is killed); a series stops its plain-SymPy runs at the
first timeout.  symxent's time is the fastest of ``--repeat`` fresh processes.
Correctness is not re-checked here: ``tests/test_scale.py`` and
``tests/test_multivariate.py`` check the same families against cited formulas and
the definitions at 30 digits.

    python benchmarks/scaling.py            # writes benchmarks/scaling.{json,md,png}
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MARK = "@@SCALE "
LIMIT = 60.0

SERIES = {
    "KL diag MVN": ([2, 4, 8, 16, 32, 64], [2, 4]),
    "KL independent": ([2, 4, 8, 16, 32, 64], []),
    "KL Dirichlet": ([3, 5, 10, 20, 50, 100], [3]),
    "S Categorical": ([3, 5, 10, 20, 50, 100], [3, 5, 10, 20, 50, 100]),
    "KL Binomial": ([10, 100, 1000, 10000], [10, 100, 1000]),
    "S Binomial": ([10, 100, 1000, 10000], [10, 100, 1000]),
}
SYMBOLIC = ["KL independent (symbolic n)", "KL matrix-form MVN (symbolic n)"]


# ===================================================================== cases
def build(series, size):
    """(kind, random variables) of one point; plain sympy only."""
    import sympy as sp
    from sympy.stats import Binomial, Dirichlet, MultivariateNormal, Normal
    if series == "KL diag MVN":
        m1, m2 = sp.symbols(f"m1:{size + 1}", real=True), sp.symbols(f"n1:{size + 1}", real=True)
        s1 = sp.symbols(f"s1:{size + 1}", positive=True)
        s2 = sp.symbols(f"t1:{size + 1}", positive=True)
        return "kl", (MultivariateNormal("P", list(m1), sp.diag(*[s**2 for s in s1]).tolist()),
                      MultivariateNormal("Q", list(m2), sp.diag(*[s**2 for s in s2]).tolist()))
    if series.startswith("KL independent"):
        from symxent import independent
        i = sp.Idx("i")
        mu, sg = sp.IndexedBase("mu", real=True), sp.IndexedBase("sigma", positive=True)
        n = sp.Symbol("n", integer=True, positive=True) if size is None else size
        return "kl", (independent(Normal("Z", mu[i], sg[i]), (i, 1, n)),
                      independent(Normal("E", 0, 1), (i, 1, n)))
    if series.startswith("KL matrix-form"):
        n = sp.Symbol("n", integer=True, positive=True)
        return "kl", (MultivariateNormal("P", sp.MatrixSymbol("mu1", n, 1),
                                         sp.MatrixSymbol("Sigma1", n, n)),
                      MultivariateNormal("Q", sp.MatrixSymbol("mu2", n, 1),
                                         sp.MatrixSymbol("Sigma2", n, n)))
    if series == "KL Dirichlet":
        return "kl", (Dirichlet("X", list(sp.symbols(f"a1:{size + 1}", positive=True))),
                      Dirichlet("Y", list(sp.symbols(f"b1:{size + 1}", positive=True))))
    if series == "S Categorical":
        from sympy.stats import FiniteRV
        ps = list(sp.symbols(f"p1:{size}", positive=True))
        probs = ps + [1 - sp.Add(*ps)]
        return "entropy", (FiniteRV("X", {j: p for j, p in enumerate(probs)}),)
    p, q = sp.symbols("p q", positive=True)
    if series == "KL Binomial":
        return "kl", (Binomial("X", size, p), Binomial("Y", size, q))
    if series == "S Binomial":
        return "entropy", (Binomial("X", size, p),)
    raise KeyError(series)


def plain(kind, rvs):
    """The definition with plain SymPy (no symxent)."""
    import sympy as sp
    from sympy.stats import density
    P, Q = rvs[0], (rvs[1] if len(rvs) > 1 else None)

    def term(p, q):
        return -p * sp.log(p) if kind == "entropy" else p * sp.log(p / q)
    if type(P.pspace).__name__ == "SingleFinitePSpace":
        dp = dict(density(P).dict)
        dq = dict(density(Q).dict) if Q is not None else None
        return sp.Add(*[term(v, dq and dq[k]) for k, v in dp.items()])
    dist = type(P.pspace.distribution).__name__
    k = P.pspace.distribution.args[0].shape[0]
    if dist == "MultivariateNormalDistribution":
        xs = sp.symbols(f"x1:{k + 1}", real=True)
        return sp.integrate(term(density(P)(*xs), density(Q)(*xs)),
                            *[(x, -sp.oo, sp.oo) for x in xs])
    if dist == "MultivariateBetaDistribution" and k == 3:
        x1, x2 = sp.symbols("x1 x2", positive=True)
        xs = (x1, x2, 1 - x1 - x2)
        return sp.integrate(term(density(P)(*xs), density(Q)(*xs)), (x2, 0, 1 - x1), (x1, 0, 1))
    raise NotImplementedError(dist)


# ===================================================================== workers
def _emit(data):
    sys.stdout.write(MARK + json.dumps(data) + "\n")
    sys.stdout.flush()


def worker(series, size, mode):
    import warnings
    size = None if size == "symbolic" else int(size)
    t0 = time.perf_counter()
    if mode == "symxent":
        import symxent
        from symxent import cross_entropy, entropy, kl_divergence  # noqa: F401
    else:
        import sympy  # noqa: F401
        import sympy.stats  # noqa: F401
    t_import = time.perf_counter() - t0
    kind, rvs = build(series, size)
    import sympy as sp
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            if mode == "symxent":
                f = {"kl": symxent.kl_divergence, "entropy": symxent.entropy}[kind]
                res = f(*rvs)
            else:
                res = plain(kind, rvs)
    except Exception as e:  # noqa: BLE001  (a benchmark records any failure)
        _emit({"status": "error", "time_s": time.perf_counter() - t0,
               "error": f"{type(e).__name__}: {e}"[:200]})
        return
    dt = time.perf_counter() - t0
    unevaluated = type(res).__name__ in ("Entropy", "CrossEntropy", "KLDivergence") or \
        (mode == "plain" and res.has(sp.Integral))
    _emit({"status": "unevaluated" if unevaluated else "closed", "time_s": dt,
           "import_s": t_import, "residual_sum": bool(res.has(sp.Sum)) and not
           isinstance(res, sp.Sum), "terms": len(sp.Add.make_args(res)),
           "chars": len(str(res)), "warnings": [str(x.message)[:120] for x in w][:2]})


def run_point(series, size, mode, limit=LIMIT):
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", series, str(size), mode]
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=limit + 30, cwd=ROOT,
                             env=env)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "time_s": limit}
    for line in out.stdout.splitlines():
        if line.startswith(MARK):
            r = json.loads(line[len(MARK):])
            if r["time_s"] > limit:
                r["status"] = "timeout"
            return r
    return {"status": "crash", "error": out.stderr[-300:]}


# ===================================================================== report
def _fmt(r):
    if r is None:
        return ""
    if r["status"] == "timeout":
        return f"> {LIMIT:.0f} s"
    if r["status"] in ("error", "crash"):
        return "error: " + r.get("error", "")[:60].replace("|", "/")
    s = f"{r['time_s']:.3f} s"
    if r["status"] == "unevaluated":
        s += " (unevaluated)"
    elif r.get("residual_sum"):
        s += " (residual Sum)"
    return s


def _slope(points):
    """Least-squares slope of log(time) against log(size) (1 = linear)."""
    import math
    pts = [(math.log(s), math.log(max(r["time_s"], 1e-4))) for s, r in points
           if r["status"] == "closed"]
    if len(pts) < 3:  # no slope from fewer than three answered points
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def _load():
    try:
        return [round(x, 1) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def markdown(data):
    load = ""
    if data.get("load_before"):
        load = (f"  Load average (1, 5, 15 min) before the run {data['load_before']}, after "
                f"{data.get('load_after')}: with other jobs on the machine every time is "
                "inflated; compare the curves' shapes, not single figures.")
    lines = [f"# Scaling: cold time against size ({data['date']}, {data['machine']})", "",
             "Each point: one fresh Python process per run, time of the first call after "
             "`import symxent`, fastest of "
             f"{data['repeat']} runs; plain SymPy (the definition with `integrate`/"
             f"`summation`, a direct sum for finite laws) once, killed at {LIMIT:.0f} s, "
             "small sizes only.  Generated by `python benchmarks/scaling.py`." + load, ""]
    for series, pts in data["series"].items():
        slope = _slope([(int(s), r["symxent"]) for s, r in pts.items()])
        lines += [f"## {series}" + (f" (log-log slope {slope:.2f})" if slope is not None
                                     else ""), ""]
        again = data.get("remeasured", {}).get(series)
        if again:   # `--series`: this series alone, at another time than the rest
            lines += [f"Re-measured alone on {again['date']} (`--series`), load average "
                      f"before {again['load_before']}, after {again['load_after']}.", ""]
        lines += ["| size | symxent | plain SymPy | terms in result |", "|---|---|---|---|"]
        for s, r in pts.items():
            lines.append(f"| {s} | {_fmt(r['symxent'])} | {_fmt(r.get('plain')) or 'not run'} "
                         f"| {r['symxent'].get('terms', '')} |")
        lines.append("")
    lines += ["## Symbolic sizes", "", "| case | symxent |", "|---|---|"]
    for name, r in data["symbolic"].items():
        lines.append(f"| {name} | {_fmt(r)} |")
    lines.append("")
    return "\n".join(lines)


def plot(data, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    groups = [("dimension n", ["KL diag MVN", "KL independent"]),
              ("categories k", ["KL Dirichlet", "S Categorical"]),
              ("trials n", ["KL Binomial", "S Binomial"])]
    for ax, (label, names) in zip(axes, groups):
        for name in names:
            pts = data["series"][name]
            xs = [int(s) for s, r in pts.items() if r["symxent"]["status"] == "closed"]
            ys = [r["symxent"]["time_s"] for r in pts.values() if r["symxent"]["status"] == "closed"]
            ax.plot(xs, ys, "o-", label=f"symxent: {name}")
            pp = [(int(s), r["plain"]) for s, r in pts.items()
                  if r.get("plain") and r["plain"]["status"] == "closed"]
            if pp:
                ax.plot([s for s, _ in pp], [r["time_s"] for _, r in pp], "x--",
                        label=f"plain SymPy: {name}")
            to = [int(s) for s, r in pts.items()
                  if r.get("plain") and r["plain"]["status"] != "closed"]
            if to:
                ax.plot(to, [LIMIT] * len(to), "v", markersize=9,
                        label=f"plain SymPy: {name}, no answer in {LIMIT:.0f} s")
        ax.set_xscale("log")
        ax.set_yscale("log")
        sizes = sorted({int(x) for nm in names for x in data["series"][nm]})
        ax.set_xticks(sizes)
        ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel(label)
        ax.set_ylabel("cold time (s)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle("symxent: cold time against size (fresh process per point)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def _measure_series(series, args):
    sizes, plain_sizes = SERIES[series]
    pts = {}
    plain_ok = not args.no_plain
    for s in sizes:
        runs = [run_point(series, s, "symxent") for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r.get("time_s", 1e9))
        pts[str(s)] = {"symxent": best}
        if plain_ok and s in plain_sizes:
            r = run_point(series, s, "plain")
            pts[str(s)]["plain"] = r
            plain_ok = r["status"] == "closed"
        print(f"{series:16s} {s:>6}: symxent {_fmt(best):28s} plain "
              f"{_fmt(pts[str(s)].get('plain')) or '-'}", flush=True)
    return pts


def remeasure(args):
    """``--series NAME``: that series again, the rest of scaling.json kept; without
    ``--no-plain`` the plain-SymPy points are measured again too, otherwise kept."""
    path = os.path.join(HERE, "scaling.json")
    with open(path) as f:
        data = json.load(f)
    for series in args.series:
        before = _load()
        old = data["series"].get(series, {})
        pts = _measure_series(series, args)
        for s, r in pts.items():
            if "plain" not in r and "plain" in old.get(s, {}):
                r["plain"] = old[s]["plain"]
        data["series"][series] = pts
        data.setdefault("remeasured", {})[series] = {
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load_before": before, "load_after": _load()}
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
    with open(os.path.join(HERE, "scaling.md"), "w") as f:
        f.write(markdown(data))
    plot(data, os.path.join(HERE, "scaling.png"))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=3)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--no-plain", action="store_true")
    ap.add_argument("--replot", action="store_true", help="redraw from scaling.json")
    ap.add_argument("--series", action="append", choices=sorted(SERIES),
                    help="re-measure only this series (repeatable), kept in scaling.json "
                         "beside the others with its own date and load")
    args = ap.parse_args(argv)
    if args.worker:
        return worker(*args.worker)
    if args.series:
        return remeasure(args)
    if args.replot:
        with open(os.path.join(HERE, "scaling.json")) as f:
            data = json.load(f)
        with open(os.path.join(HERE, "scaling.md"), "w") as f:
            f.write(markdown(data))
        return plot(data, os.path.join(HERE, "scaling.png"))
    start = time.time()
    data = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
            "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
            "repeat": args.repeat, "series": {}, "symbolic": {},
            "load_before": _load()}
    for series in SERIES:
        data["series"][series] = _measure_series(series, args)
    for name in SYMBOLIC:
        runs = [run_point(name, "symbolic", "symxent") for _ in range(args.repeat)]
        data["symbolic"][name] = min(runs, key=lambda r: r.get("time_s", 1e9))
        print(f"{name}: {_fmt(data['symbolic'][name])}", flush=True)
    data["total_s"] = time.time() - start
    data["load_after"] = _load()
    with open(os.path.join(HERE, "scaling.json"), "w") as f:
        json.dump(data, f, indent=1)
    with open(os.path.join(HERE, "scaling.md"), "w") as f:
        f.write(markdown(data))
    plot(data, os.path.join(HERE, "scaling.png"))
    print(f"total {data['total_s']:.0f} s")


if __name__ == "__main__":
    main()
