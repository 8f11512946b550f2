"""Benchmark: symxent against plain SymPy on every case of ``symxent.testing.catalogue``.

Each measurement runs in a fresh Python process: symxent (import time, cold
and warm call, value at a random admissible point), ``sympy.stats.entropy``
and plain ``integrate``/``summation`` of the definition (hard time limit, the
process is killed).  Plain-SymPy results are checked numerically against
symxent's closed form or, failing that, ``symxent.numeric.core``.  Plain-SymPy
figures can be cached (``--sympy-cache``).  See benchmarks/README.md.

    python benchmarks/run.py --no-sympy            # symxent only
    python benchmarks/run.py --sympy-cache benchmarks/sympy_results.json
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from report import SYMPY_METHODS, markdown, merge, summarise

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MARK = "@@BENCH "
FUNCS = {"entropy": "entropy", "kl": "kl_divergence", "cross_entropy": "cross_entropy"}
UNEVALUATED = ("Entropy", "CrossEntropy", "KLDivergence")
RESULT_CHARS = 600          # stored length of a printed result
MEMORY_LIMIT = 4 << 30      # address-space limit of a worker process (bytes)
PRELOAD_ENV = "SYMXENT_BENCH_PRELOAD"


# ===================================================================== workers
# A worker prints lines "@@BENCH <phase> <json>" on stdout: READY after imports
# and building the case, DONE after the timed derivation, POINT with the test
# point (and symxent's value there), EVAL with the remaining (untimed) numeric
# values.  The parent enforces a time limit per phase.

def _emit(phase, data):
    sys.stdout.write(f"{MARK}{phase} {json.dumps(data)}\n")
    sys.stdout.flush()


def _seed(name, seed):
    return zlib.crc32(name.encode()) ^ seed


def all_cases(cat):
    """The catalogue's cases, plus its pairs with no closed form (expected to stay
    unevaluated), as ``(case, expect_closed_form)``."""
    out = [(c, True) for c in cat.CASES]
    for p, q in getattr(cat, "NO_CLOSED_FORM", ()):
        out.append((cat.Case(f"KL {p} || {q} (no closed form)", "kl", cat._x(p, q)), False))
    return out


def find_case(cat, name):
    return next(c for c, _ in all_cases(cat) if c.name == name)


def _load_catalogue():
    """``symxent/testing/catalogue.py`` loaded on its own (it only needs sympy), so a
    plain-SymPy worker does not import the symxent engine before it is timed."""
    import importlib.util
    path = os.path.join(ROOT, "symxent", "testing", "catalogue.py")
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
    from symxent.laws.domain import sample_point
    return sample_point(list(rvs), seed)


def worker_symxent(case_name, seed, reference):
    t0 = time.perf_counter()
    import symxent
    import_s = time.perf_counter() - t0
    import warnings
    warnings.simplefilter("ignore")
    import symxent.testing.catalogue as cat
    c = find_case(cat, case_name)
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
            warms = []
            for _ in range(5):                  # median of 5: robust to a GC pause
                t0 = time.perf_counter()
                fn(*rvs)
                warms.append(time.perf_counter() - t0)
            warm = sorted(warms)[2]
            solved = type(res).__name__ not in UNEVALUATED
            import sympy as sp
            left = [n for n, t in (("Integral", sp.Integral), ("Sum", sp.Sum)) if res.has(t)]
            _emit("DONE", {"status": "solved" if solved else "unsolved", "cold_s": cold,
                           "warm_ms": warm * 1e3, "result": _short(res), "residual": left})
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
            from symxent.numeric.core import evaluate
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
        def table(rv):                                          # {value: probability}
            d = getattr(density(rv), "dict", None)
            return dict(d) if isinstance(d, (dict, sp.Dict)) else None
        if isinstance(table(P), dict):                          # enumerable: direct sum
            def direct():
                dq = table(Q) if Q is not None else None
                return sp.Add(*[term(v, dq and dq.get(k, sp.S.Zero))
                                for k, v in table(P).items()])
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


def _preload():
    """Import the SymPy modules that ``import symxent`` loads (list from the parent),
    so that plain SymPy starts from the same loaded modules as symxent does."""
    import importlib
    for m in json.loads(os.environ.get(PRELOAD_ENV, "[]")):
        importlib.import_module(m)


def preload_list():
    """The sympy/mpmath modules ``import symxent`` loads, found in a fresh process."""
    code = ("import json, sys; before = set(sys.modules); import symxent; "
            "print(json.dumps(sorted(m for m in set(sys.modules) - before "
            "if m.split('.')[0] in ('sympy', 'mpmath'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True, env=dict(os.environ, PYTHONPATH=ROOT))
    return json.loads(out.stdout.strip().splitlines()[-1])


def worker_floor(case_name):
    """Time SymPy needs just to build each density and expand its logarithm.

    Every method, symxent's or plain SymPy's, starts with this; a ratio of
    ``plain / symxent`` can be at most ``plain / floor``."""
    import sympy as sp
    from sympy.stats import density
    _preload()
    c = find_case(_load_catalogue(), case_name)
    rvs = c.build()
    _emit("READY", {})
    t0 = time.perf_counter()
    for rv in rvs:
        ps = type(rv.pspace).__name__
        if ps == "SingleFinitePSpace" and isinstance(getattr(density(rv), "dict", None),
                                                     (dict, sp.Dict)):
            pdfs = list(dict(density(rv).dict).values())
        elif ps in ("SingleContinuousPSpace", "SingleDiscretePSpace", "SingleFinitePSpace"):
            v = sp.Symbol("x", real=True) if ps == "SingleContinuousPSpace" \
                else sp.Symbol("k", integer=True)
            pdfs = [density(rv)(v)]
        else:
            xs = sp.symbols(f"x1:{rv.pspace.distribution.args[0].shape[0] + 1}", positive=True) \
                if "Beta" in type(rv.pspace.distribution).__name__ else \
                sp.symbols(f"x1:{rv.pspace.distribution.args[0].shape[0] + 1}", real=True)
            pdfs = [density(rv)(*xs)]
        for pdf in pdfs:
            sp.expand(sp.expand_log(sp.log(pdf), force=True))
    _emit("DONE", {"status": "solved", "time_s": time.perf_counter() - t0})


def worker_sympy(case_name, seed, method):
    import sympy as sp
    import sympy.stats as st
    _preload()
    c = find_case(_load_catalogue(), case_name)
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
    if not solved:
        return
    try:
        point = _point(rvs, _seed(case_name, seed))
    except Exception as e:  # noqa: BLE001
        _emit("POINT", {"eval_error": f"{type(e).__name__}: {e}"[:300]})
        return
    _emit("POINT", {"point": {str(k): str(v) for k, v in point.items()}})
    _emit("EVAL", {"value": _value_at(res, point)})


def run_worker(args):
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass
    sys.path.insert(0, ROOT)
    if args.worker == "symxent":
        worker_symxent(args.case, args.seed, not args.no_reference)
    elif args.worker == "floor":
        worker_floor(args.case)
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
    env[PRELOAD_ENV] = json.dumps(args.preload)
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
    try:
        for phase in ("READY", "DONE", "POINT", "EVAL"):
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
                    help="skip symxent.numeric.core evaluation of the definition")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per derivation (60)")
    ap.add_argument("--jobs", type=int, default=1, help="parallel worker processes (1)")
    ap.add_argument("--seed", type=int, default=2024, help="seed of the parameter points")
    ap.add_argument("--repeat", type=int, default=3,
                    help="cold runs per case and side, each in a fresh process; the "
                         "fastest counts (3)")
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
    expect = {c.name: e for c, e in all_cases(cat)}
    cases = [c for c, _ in all_cases(cat) if not args.cases or re.search(args.cases, c.name)]
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "python": platform.python_version(), "sympy": sympy.__version__,
            "machine": f"{platform.machine()}, {os.cpu_count()} cpu",
            "timeout": args.timeout, "seed": args.seed, "jobs": args.jobs}
    args.preload = preload_list()
    preload_fp = format(zlib.crc32(json.dumps(args.preload).encode()), "08x")
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
        if e.get("status") != "timeout" and e.get("preload") != preload_fp:
            return None                     # timed with other modules preloaded: rerun
        if e.get("status") == "solved" and e.get("repeat", 1) < args.repeat:
            return None                     # fewer cold runs than asked for: rerun
        if e.get("status") == "crash":
            return None
        if e.get("status") == "solved" and "value" not in e \
                and "exceeded" not in e.get("eval_error", "exceeded"):
            return None                     # evaluation failed on a bug since fixed: rerun
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
            quiet = argparse.Namespace(**{**vars(args), "no_reference": True})
            for _ in range(args.repeat - 1):    # more cold runs: keep the fastest
                if sym.get("status") not in ("solved", "unsolved"):
                    break
                again = _spawn("symxent", c.name, quiet, args.timeout)
                if again.get("status") == sym["status"] and again.get("cold_s") is not None:
                    sym["cold_s"] = min(sym["cold_s"], again["cold_s"])
            floors = [_spawn("floor", c.name, args, args.timeout) for _ in range(args.repeat)]
            floors = [f["time_s"] for f in floors if f.get("status") == "solved"]
            if floors:
                sym["floor_s"] = min(floors)
        entries = {}
        for m in SYMPY_METHODS:
            if m == "stats_entropy" and c.kind != "entropy":
                continue
            e = cached(c, m)
            if e is None and not args.no_sympy:
                e = _spawn(m, c.name, args, args.timeout)
                for _ in range(args.repeat - 1):   # more cold runs: keep the fastest
                    if e.get("status") != "solved":
                        break
                    again = _spawn(m, c.name, args, args.timeout)
                    if again.get("status") == "solved":
                        e["time_s"] = min(e["time_s"], again["time_s"])
                e["repeat"] = args.repeat
                e["timeout"] = args.timeout
                e["fingerprint"] = fingerprint(c)
                e["preload"] = preload_fp
                with lock:
                    cache["cases"].setdefault(c.name, {})[m] = e
                    if args.sympy_cache:
                        _write_json(args.sympy_cache, cache)
            if e is not None:
                entries[m] = dict(e)
        row = merge(c, sym, entries, expect[c.name])
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
