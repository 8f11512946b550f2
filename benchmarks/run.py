"""Benchmark: symxent against plain SymPy on every case of ``symxent.catalogue``.

For each case two kinds of fresh Python processes are started (never more than
``--jobs`` at a time):

* **symxent**: times ``import symxent``, then the first (cold) call of
  ``symxent.entropy`` / ``kl_divergence`` / ``cross_entropy`` and a second
  (warm, cached) call; records whether a closed form came back and its value at
  a random admissible parameter point.
* **plain SymPy**: ``sympy.stats.entropy(P)`` (entropy cases only) and the
  definition integrated/summed directly with ``integrate`` / ``summation``,
  each in its own process with a hard time limit (the process is killed).  A
  result counts as solved only if no ``Integral``/``Sum`` is left; it is
  checked numerically against symxent's closed form (or, when symxent has none,
  its numeric evaluation of the definition) at the same random point.

Plain SymPy's figures do not depend on symxent, so they can be cached in a JSON
file (``--sympy-cache``) and reused.  Progress goes to stderr; results are
rewritten after every case, so an interrupted run leaves partial results.

    python benchmarks/run.py                       # everything (slow: plain SymPy)
    python benchmarks/run.py --no-sympy            # symxent only
    python benchmarks/run.py --sympy-cache benchmarks/sympy_results.json
    python benchmarks/run.py --cases 'Normal|Gamma' --timeout 30
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MARK = "@@BENCH "
FUNCS = {"entropy": "entropy", "kl": "kl_divergence", "cross_entropy": "cross_entropy"}
UNEVALUATED = ("Entropy", "CrossEntropy", "KLDivergence")
SYMPY_METHODS = ("stats_entropy", "integrate")
RESULT_CHARS = 600          # stored length of a printed result
TOL = 1e-9                  # relative tolerance of the numeric agreement check
MEMORY_LIMIT = 4 << 30      # address-space limit of a worker process (bytes)


# ===================================================================== workers
# A worker prints lines "@@BENCH <phase> <json>" on stdout: READY after imports
# and building the case, DONE after the timed derivation, EVAL after the
# (untimed) numeric evaluation.  The parent enforces a time limit per phase.

def _emit(phase, data):
    sys.stdout.write(f"{MARK}{phase} {json.dumps(data)}\n")
    sys.stdout.flush()


def _seed(name, seed):
    return zlib.crc32(name.encode()) ^ seed


def _load_catalogue():
    """``symxent/catalogue.py`` loaded on its own (it only needs sympy), so a
    plain-SymPy worker does not import the symxent engine before it is timed."""
    import importlib.util
    path = os.path.join(ROOT, "symxent", "catalogue.py")
    spec = importlib.util.spec_from_file_location("_bench_catalogue", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod              # dataclasses look the module up
    spec.loader.exec_module(mod)
    return mod


def _short(expr):
    s = str(expr)
    return s if len(s) <= RESULT_CHARS else s[:RESULT_CHARS] + " ..."


def _value_at(expr, point):
    """``expr`` at the parameter point, evalf(30), as a string."""
    try:
        v = expr.subs(point).evalf(30)
        return str(v)
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        return f"error: {type(e).__name__}: {e}"[:300]


def _point(rvs, seed):
    from symxent.domain import sample_point
    return sample_point(list(rvs), seed)


def worker_symxent(case_name, seed, reference):
    t0 = time.perf_counter()
    import symxent
    import_s = time.perf_counter() - t0
    import warnings
    warnings.simplefilter("ignore")
    from symxent.catalogue import case
    c = case(case_name)
    rvs = c.build()
    fn = getattr(symxent, FUNCS[c.kind], None)
    _emit("READY", {"import_s": import_s})
    if fn is None:
        _emit("DONE", {"status": "missing", "error": f"symxent.{FUNCS[c.kind]} not found"})
        res = None
    else:
        t0 = time.perf_counter()
        try:
            res = fn(*rvs)
        except Exception as e:  # noqa: BLE001 - an error is a result of the benchmark
            res = None
            _emit("DONE", {"status": "error", "cold_s": time.perf_counter() - t0,
                           "error": f"{type(e).__name__}: {e}"[:300]})
        if res is not None:
            cold = time.perf_counter() - t0
            t0 = time.perf_counter()
            fn(*rvs)
            warm = time.perf_counter() - t0
            solved = type(res).__name__ not in UNEVALUATED
            _emit("DONE", {"status": "solved" if solved else "unsolved", "cold_s": cold,
                           "warm_ms": warm * 1e3, "result": _short(res)})
    out = {}
    try:
        point = _point(rvs, _seed(case_name, seed))
        out["point"] = {str(k): str(v) for k, v in point.items()}
        if res is not None and type(res).__name__ not in UNEVALUATED:
            out["value"] = _value_at(res, point)
    except Exception as e:  # noqa: BLE001
        out["eval_error"] = f"{type(e).__name__}: {e}"[:300]
    _emit("POINT", out)
    out = {}
    try:
        if reference:
            import mpmath
            from symxent.numeric import evaluate
            quantity = getattr(symxent, {"entropy": "Entropy", "kl": "KLDivergence",
                                         "cross_entropy": "CrossEntropy"}[c.kind])(*rvs)
            nv = evaluate(quantity, point, dps=30)
            with mpmath.workdps(30):
                out["reference"] = mpmath.nstr(nv.value, 30)
                out["reference_error"] = mpmath.nstr(nv.error, 5)
    except Exception as e:  # noqa: BLE001
        out["eval_error"] = f"{type(e).__name__}: {e}"[:300]
    _emit("EVAL", out)


def _definition(kind, rvs):
    """The defining integral/sum of the quantity, done with plain SymPy."""
    import sympy as sp
    from sympy.stats import density
    P = rvs[0]
    Q = rvs[1] if len(rvs) > 1 else None

    def term(p, q):
        if kind == "entropy":
            return -p * sp.log(p)
        if kind == "kl":
            return p * sp.log(p / q)
        return -p * sp.log(q)

    ps = type(P.pspace).__name__
    if ps == "SingleContinuousPSpace":
        x = sp.Symbol("x", real=True)
        dom = P.pspace.domain.set
        return lambda: sp.integrate(term(density(P)(x), Q and density(Q)(x)),
                                    (x, dom.inf, dom.sup))
    if ps == "SingleDiscretePSpace":
        k = sp.Symbol("k", integer=True)
        dom = P.pspace.domain.set
        return lambda: sp.summation(term(density(P)(k), Q and density(Q)(k)),
                                    (k, dom.inf, dom.sup))
    if ps == "SingleFinitePSpace":
        dp = density(P)
        if isinstance(getattr(dp, "dict", None), dict):       # enumerable: direct sum
            def direct():
                dq = density(Q).dict if Q is not None else None
                return sp.Add(*[term(v, dq and dq.get(k, sp.S.Zero))
                                for k, v in dp.dict.items()])
            return direct
        k = sp.Symbol("k", integer=True)                       # symbolic size, e.g. Binomial(n, p)
        n = P.pspace.distribution.args[0]
        return lambda: sp.summation(term(density(P)(k), Q and density(Q)(k)), (k, 0, n))
    family = type(P.pspace.distribution).__name__
    if family == "MultivariateNormalDistribution":
        xs = sp.symbols("x1:3", real=True)
        return lambda: sp.integrate(term(density(P)(*xs), Q and density(Q)(*xs)),
                                    *[(v, -sp.oo, sp.oo) for v in xs])
    if family == "MultivariateBetaDistribution":                # over the simplex
        x1, x2 = sp.symbols("x1 x2", positive=True)
        xs = (x1, x2, 1 - x1 - x2)
        return lambda: sp.integrate(term(density(P)(*xs), Q and density(Q)(*xs)),
                                    (x2, 0, 1 - x1), (x1, 0, 1))
    raise NotImplementedError(f"no plain-SymPy definition for {ps} {family}")


def worker_sympy(case_name, seed, method):
    import sympy as sp
    import sympy.stats as st
    cat = _load_catalogue()
    c = cat.case(case_name)
    rvs = c.build()
    if method == "stats_entropy":
        run = lambda: st.entropy(rvs[0])  # noqa: E731
    else:
        run = _definition(c.kind, rvs)
    _emit("READY", {})
    t0 = time.perf_counter()
    try:
        res = run()
    except Exception as e:  # noqa: BLE001
        _emit("DONE", {"status": "error", "time_s": time.perf_counter() - t0,
                       "error": f"{type(e).__name__}: {e}"[:300]})
        return
    dt = time.perf_counter() - t0
    solved = not res.has(sp.Integral, sp.Sum)
    _emit("DONE", {"status": "solved" if solved else "unsolved", "time_s": dt,
                   "result": _short(res)})
    out = {}
    if solved:
        try:
            point = _point(rvs, _seed(case_name, seed))
            out["point"] = {str(k): str(v) for k, v in point.items()}
            out["value"] = _value_at(res, point)
        except Exception as e:  # noqa: BLE001
            out["eval_error"] = f"{type(e).__name__}: {e}"[:300]
    _emit("EVAL", out)


def run_worker(args):
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass
    sys.path.insert(0, ROOT)
    if args.worker == "symxent":
        worker_symxent(args.case, args.seed, not args.no_reference)
    else:
        worker_sympy(args.case, args.seed, args.worker)


# ===================================================================== parent

def _spawn(mode, case_name, args, limit):
    """Run one worker; returns the merged READY/DONE/EVAL dicts (or a failure)."""
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", mode,
           "--case", case_name, "--seed", str(args.seed)]
    if args.no_reference:
        cmd.append("--no-reference")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONHASHSEED="0")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=env, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    err_tail: list = []

    def read_out():
        for line in proc.stdout:
            if line.startswith(MARK):
                phase, _, data = line[len(MARK):].partition(" ")
                lines.put((phase, json.loads(data)))
        lines.put(("EOF", {}))

    def read_err():
        for line in proc.stderr:
            err_tail.append(line)
            del err_tail[:-20]

    for f in (read_out, read_err):
        threading.Thread(target=f, daemon=True).start()
    out: dict = {}
    deadlines = {"READY": 300, "DONE": limit, "POINT": max(120, limit), "EVAL": max(120, limit)}
    phases = ("READY", "DONE", "POINT", "EVAL") if mode == "symxent" else ("READY", "DONE", "EVAL")
    try:
        for phase in phases:
            try:
                got, data = lines.get(timeout=deadlines[phase])
            except queue.Empty:
                if phase == "DONE":
                    out.update(status="timeout", time_s=limit)
                elif phase == "READY":
                    out.update(status="crash", error=f"start-up exceeded {deadlines[phase]} s")
                else:
                    out.setdefault("eval_error", f"{phase} phase exceeded {deadlines[phase]} s")
                break
            if got != phase:                      # worker died before reaching `phase`
                if phase in ("READY", "DONE"):
                    tail = "".join(err_tail).strip().splitlines()
                    out.update(status="crash",
                               error=(tail[-1] if tail else f"exit code {proc.poll()}")[:300])
                break
            out.update(data)
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()
    return out


def _load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _write_json(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")
    os.replace(tmp, path)


def _num(s):
    """A stored value string -> mpmath number, +-inf, or None (not numeric)."""
    import mpmath
    if s is None or s.startswith("error"):
        return None
    s = s.strip()
    if s in ("oo", "-oo"):
        return mpmath.inf if s == "oo" else -mpmath.inf
    try:
        import sympy as sp
        with mpmath.workdps(30):
            v = sp.sympify(s)
            if not v.is_number or v.has(sp.nan, sp.zoo):
                return None
            c = complex(v.evalf(30))
            if abs(c.imag) > TOL * max(1.0, abs(c.real)):
                return None
            return mpmath.mpf(str(sp.re(v).evalf(30)))
    except Exception:  # noqa: BLE001
        return None


def agrees(a, b):
    """True/False when both values are numeric, None when either is not."""
    import mpmath
    x, y = _num(a), _num(b)
    if x is None or y is None:
        return None
    if mpmath.isinf(x) or mpmath.isinf(y):
        return x == y
    with mpmath.workdps(30):
        return bool(abs(x - y) <= TOL * max(1, abs(y)))


def judge(entry, sym, point_ok):
    """Verdict of a plain-SymPy entry: correct / wrong / unverified / unsolved / ..."""
    if entry.get("status") != "solved":
        return entry.get("status", "missing")
    value = entry.get("value") or ""
    if re.search(r"\b(nan|zoo)\b", value):
        return "nan"                        # solved on paper, but does not evaluate
    if not point_ok:
        return "unverified"
    refs = [sym.get("value") if sym.get("status") == "solved" else None, sym.get("reference")]
    if sym.get("check") == "DISAGREES":     # symxent itself is off: trust the numeric value
        refs.reverse()
    verdict = None
    for ref in refs:
        if verdict is None:
            verdict = agrees(value, ref)
    if verdict is None:
        return "unverified"
    return "correct" if verdict else "wrong"


def merge(case, sym, sp_entries):
    row = {"name": case.name, "kind": case.kind, "symxent": sym, "sympy": {}}
    if sym.get("status") == "solved" and sym.get("reference") is not None:
        sym["check"] = {True: "agrees", False: "DISAGREES", None: "unverified"}[
            agrees(sym.get("value"), sym.get("reference"))]
    best = None
    for m, e in sp_entries.items():
        ok = e.get("point") is None or sym.get("point") is None or e["point"] == sym["point"]
        e["verdict"] = judge(e, sym, ok)
        row["sympy"][m] = e
        if e["verdict"] == "correct" and e.get("time_s") is not None:
            best = e["time_s"] if best is None else min(best, e["time_s"])
    if best is not None and sym.get("status") == "solved" and sym.get("cold_s"):
        row["ratio"] = best / sym["cold_s"]
    return row


def summarise(rows):
    s = {"cases": len(rows)}
    syms = [r["symxent"] for r in rows if r["symxent"].get("status")]
    if syms:
        cold = [x["cold_s"] for x in syms if x.get("cold_s") is not None]
        warm = [x["warm_ms"] for x in syms if x.get("warm_ms") is not None]
        imp = [x["import_s"] for x in syms if x.get("import_s") is not None]
        s["symxent"] = {
            "solved": sum(x.get("status") == "solved" for x in syms), "total": len(syms),
            "median_cold_s": statistics.median(cold) if cold else None,
            "max_cold_s": max(cold) if cold else None,
            "max_cold_case": max(((x["cold_s"], r["name"]) for r in rows
                                  for x in [r["symxent"]] if x.get("cold_s") is not None),
                                 default=(None, None))[1],
            "over_5s": sum(c > 5 for c in cold),
            "median_import_s": statistics.median(imp) if imp else None,
            "median_warm_ms": statistics.median(warm) if warm else None,
            "max_warm_ms": max(warm) if warm else None,
            "disagree_with_numeric": sum(x.get("check") == "DISAGREES" for x in syms),
        }
    for m in SYMPY_METHODS:
        es = [r["sympy"][m] for r in rows if m in r["sympy"]]
        if not es:
            continue
        v = [e["verdict"] for e in es]
        s[f"sympy_{m}"] = {
            "attempted": len(es), "solved": sum(e.get("status") == "solved" for e in es),
            "correct": v.count("correct"), "wrong": v.count("wrong"),
            "unverified": v.count("unverified"), "nan": v.count("nan"),
            "timeout": v.count("timeout"),
            "error": v.count("error") + v.count("crash"), "unsolved": v.count("unsolved"),
            "wrong_cases": [r["name"] for r in rows
                            if r["sympy"].get(m, {}).get("verdict") == "wrong"]}
    ratios = [r["ratio"] for r in rows if r.get("ratio") is not None]
    if ratios:
        s["speed_ratio"] = {"cases": len(ratios), "median": statistics.median(ratios),
                            "min": min(ratios), "max": max(ratios)}
    return s


def _fmt_s(e, key="time_s"):
    st = e.get("status")
    if st is None:
        return ""
    if st == "timeout":
        return "timeout"
    t = e.get(key)
    verdict = e.get("verdict", st)
    tag = {"correct": "ok"}.get(verdict, verdict)
    return f"{t:.2f} {tag}" if t is not None else tag


def _ratio(r):
    return f"{r:.0f}x" if r >= 10 else f"{r:.1f}x" if r >= 1 else f"{r:.2g}x"


def _f(v, spec):
    return "n/a" if v is None else format(v, spec)


def markdown(rows, summary, meta):
    out = ["| case | symxent cold s | warm ms | solved | sympy.stats.entropy s | "
           "sympy integrate/sum s | ratio |", "|---|---:|---:|:---:|---:|---:|---:|"]
    for r in rows:
        x = r["symxent"]
        cold = f"{x['cold_s']:.3f}" if x.get("cold_s") is not None else x.get("status", "")
        warm = f"{x['warm_ms']:.3f}" if x.get("warm_ms") is not None else ""
        solved = {"solved": "yes", "unsolved": "no"}.get(x.get("status"), x.get("status", ""))
        if x.get("check") == "DISAGREES":
            solved += " (DISAGREES with numeric)"
        ratio = _ratio(r["ratio"]) if r.get("ratio") is not None else ""
        sps = [_fmt_s(r["sympy"][m]) if m in r["sympy"] else "n/a" for m in SYMPY_METHODS]
        out.append(f"| {r['name']} | {cold} | {warm} | {solved} | {sps[0]} | {sps[1]} | {ratio} |")
    out += ["", "Summary:", ""]
    x = summary.get("symxent")
    if x:
        out.append(f"- symxent closed forms: {x['solved']}/{x['total']}; cold derivation median "
                   f"{_f(x['median_cold_s'], '.3f')} s, max {_f(x['max_cold_s'], '.3f')} s "
                   f"({x['max_cold_case']}), {x['over_5s']} over 5 s; `import symxent` median "
                   f"{_f(x['median_import_s'], '.2f')} s; warm (cached) call median "
                   f"{_f(x['median_warm_ms'], '.3f')} ms.")
    for m, label in (("stats_entropy", "`sympy.stats.entropy`"),
                     ("integrate", "plain `integrate`/`summation` of the definition")):
        y = summary.get(f"sympy_{m}")
        if y:
            wrong = f" ({', '.join(y['wrong_cases'])})" if y["wrong_cases"] else ""
            out.append(f"- {label}: solved {y['solved']}/{y['attempted']}, of which "
                       f"{y['correct']} verified correct, {y['wrong']} wrong{wrong}, "
                       f"{y['nan']} evaluating to nan and {y['unverified']} unverified; "
                       f"{y['timeout']} timeouts ({meta['timeout']} s), {y['error']} errors.")
    r = summary.get("speed_ratio")
    if r:
        out.append(f"- Speed ratio plain SymPy / symxent (cold) over the {r['cases']} cases "
                   f"where plain SymPy is verified correct (fastest of its methods): median "
                   f"{_ratio(r['median'])}, min {_ratio(r['min'])}, max {_ratio(r['max'])}.")
    out.append(f"- Python {meta['python']}, SymPy {meta['sympy']}, {meta['machine']}; "
               f"{meta['date']}.")
    return "\n".join(out) + "\n"


def fingerprint(case):
    """Checksum of the case's distributions, to notice a redefined case."""
    import sympy as sp
    text = ";".join(sp.srepr(rv.pspace) for rv in case.build())
    return format(zlib.crc32(text.encode()), "08x")


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", help="regular expression selecting case names (re.search)")
    ap.add_argument("--no-sympy", action="store_true",
                    help="do not run plain SymPy (cached results are still used)")
    ap.add_argument("--no-symxent", action="store_true", help="do not run symxent")
    ap.add_argument("--no-reference", action="store_true",
                    help="skip symxent.numeric evaluation of the definition")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per derivation (60)")
    ap.add_argument("--jobs", type=int, default=1, help="parallel worker processes (1)")
    ap.add_argument("--seed", type=int, default=2024, help="seed of the parameter points")
    ap.add_argument("--sympy-cache", help="JSON file of plain-SymPy results to reuse and extend")
    ap.add_argument("--refresh-sympy", action="store_true",
                    help="rerun plain SymPy even for cases in the cache")
    ap.add_argument("--out-json", default=os.path.join(HERE, "results.json"))
    ap.add_argument("--out-md", default=os.path.join(HERE, "results.md"))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return run_worker(args)

    sys.path.insert(0, ROOT)
    import sympy
    cat = _load_catalogue()
    cases = [c for c in cat.CASES if not args.cases or re.search(args.cases, c.name)]
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "python": platform.python_version(), "sympy": sympy.__version__,
            "machine": f"{platform.machine()}, {os.cpu_count()} cpu",
            "timeout": args.timeout, "seed": args.seed, "jobs": args.jobs}
    cache = _load_json(args.sympy_cache) if args.sympy_cache else None
    if not cache or cache.get("sympy") != sympy.__version__:
        cache = {"sympy": sympy.__version__, "seed": args.seed, "cases": {}}
    if cache.get("seed") != args.seed:
        log(f"note: cache seed {cache.get('seed')} != --seed {args.seed}: "
            "agreement checks use each side's own point and become 'unverified' if they differ")
    lock = threading.Lock()
    rows: dict = {}

    def cached(c, method):
        e = cache["cases"].get(c.name, {}).get(method)
        if e is None or args.refresh_sympy:
            return None
        fp = fingerprint(c)
        if e.setdefault("fingerprint", fp) != fp:
            return None                     # the case was redefined since: rerun
        if e.get("status") == "timeout" and e.get("timeout", 0) < args.timeout:
            return None                     # was cut short by a smaller limit: rerun
        if e.get("status") == "crash":
            return None
        return e

    def do_case(i, c):
        try:
            _do_case(i, c)
        except Exception:  # noqa: BLE001 - one broken case must not stop the run
            import traceback
            log(f"[{i + 1}/{len(cases)}] {c.name}: benchmark error\n{traceback.format_exc()}")

    def _do_case(i, c):
        sym = {}
        if not args.no_symxent:
            sym = _spawn("symxent", c.name, args, args.timeout)
        entries = {}
        for m in SYMPY_METHODS:
            if m == "stats_entropy" and c.kind != "entropy":
                continue
            e = cached(c, m)
            if e is None and not args.no_sympy:
                e = _spawn(m, c.name, args, args.timeout)
                e["timeout"] = args.timeout
                e["fingerprint"] = fingerprint(c)
                with lock:
                    cache["cases"].setdefault(c.name, {})[m] = e
                    if args.sympy_cache:
                        _write_json(args.sympy_cache, cache)
            if e is not None:
                entries[m] = dict(e)
        row = merge(c, sym, entries)
        with lock:
            rows[c.name] = row
            ordered = [rows[k.name] for k in cases if k.name in rows]
            summary = summarise(ordered)
            _write_json(args.out_json, {"meta": meta, "summary": summary, "cases": ordered})
            with open(args.out_md, "w") as f:
                f.write(markdown(ordered, summary, meta))
        bits = []
        if sym:
            bits.append(f"symxent {sym.get('status')} "
                        + (f"{sym['cold_s']:.3f}s" if sym.get("cold_s") is not None else ""))
        for m, e in entries.items():
            t = e.get("time_s")
            bits.append(f"{m} {e['verdict']}" + (f" {t:.1f}s" if t is not None else ""))
        log(f"[{i + 1}/{len(cases)}] {c.name}: " + "; ".join(bits))

    log(f"{len(cases)} cases, timeout {args.timeout} s, jobs {args.jobs}")
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        list(pool.map(lambda ic: do_case(*ic), enumerate(cases)))
    ordered = [rows[k.name] for k in cases if k.name in rows]
    summary = summarise(ordered)
    log(json.dumps(summary, indent=1))
    log(f"wrote {args.out_json} and {args.out_md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
