"""Cost of the numeric check of closed forms (issue 8, item 2), per catalogue case.

Each case runs in a fresh process: the engine's cold call with ``verify=False``,
then the check alone (``symxent.measures._check`` on that closed form, the same
code ``entropy``/``kl_divergence`` run before returning), then a cold call with
the check on in another fresh process.  Prints a table and the medians.

    python benchmarks/verify_cost.py [--jobs 2] [--json benchmarks/verify_cost.json]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

WORKER = r"""
import json, sys, time, warnings
import symxent
from symxent import measures
from symxent.testing.catalogue import CASES
case = next(c for c in CASES if c.name == sys.argv[1])
mode = sys.argv[2]
fn = {"entropy": symxent.entropy, "kl": symxent.kl_divergence,
      "cross_entropy": symxent.cross_entropy}[case.kind]
rvs = case.build()
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    t, c = time.perf_counter(), time.process_time()
    r = fn(*rvs, verify=(mode == "on"))
    cold, cpu = time.perf_counter() - t, time.process_time() - c
    out = {"cold": cold, "cpu": cpu, "warnings": [x.category.__name__ for x in w]}
    if mode == "off" and not isinstance(r, measures._Measure):
        t, c = time.perf_counter(), time.process_time()
        status, msg, _ = measures._check(case.kind, rvs[0], rvs[1] if len(rvs) > 1 else None,
                                         r, measures._VERIFY["points"], measures._VERIFY["dps"])
        out.update(check=time.perf_counter() - t, check_cpu=time.process_time() - c,
                   status=status, message=msg)
print("@@" + json.dumps(out))
"""


def run(name, mode):
    p = subprocess.run([sys.executable, "-c", WORKER, name, mode], capture_output=True,
                       text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT},
                       timeout=300)
    line = [ln for ln in p.stdout.splitlines() if ln.startswith("@@")]
    return json.loads(line[-1][2:]) if line else {"error": p.stderr[-300:]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json")
    args = ap.parse_args()
    sys.path.insert(0, ROOT)
    from symxent.testing.catalogue import CASES
    names = [c.name for c in CASES]
    with ThreadPoolExecutor(args.jobs) as ex:
        off = list(ex.map(lambda n: run(n, "off"), names))
        on = list(ex.map(lambda n: run(n, "on"), names))
    rows = []
    for n, a, b in zip(names, off, on):
        rows.append({"case": n, "engine": a.get("cold"), "check": a.get("check"),
                     "engine_cpu": a.get("cpu"), "check_cpu": a.get("check_cpu"),
                     "status": a.get("status"), "message": a.get("message", a.get("error")),
                     "cold_verified": b.get("cold"), "cold_verified_cpu": b.get("cpu"),
                     "warnings": b.get("warnings")})
        print(f"{n:42s} engine {a.get('cold', 0):6.3f} ({a.get('cpu', 0):6.3f} cpu)  check "
              f"{a.get('check') or 0:6.3f} ({a.get('check_cpu') or 0:6.3f} cpu)  verified cold "
              f"{b.get('cold', 0):6.3f} ({b.get('cpu', 0):6.3f} cpu)  {a.get('status')} "
              f"{b.get('warnings')}")
    keys = ("engine", "check", "cold_verified", "engine_cpu", "check_cpu", "cold_verified_cpu")
    med = {k: statistics.median(r[k] for r in rows if r[k] is not None) for k in keys}
    print(f"median wall (cpu): engine {med['engine']:.3f} ({med['engine_cpu']:.3f}) s, check "
          f"{med['check']:.3f} ({med['check_cpu']:.3f}) s, cold call with the check "
          f"{med['cold_verified']:.3f} ({med['cold_verified_cpu']:.3f}) s; max with the check "
          f"{max(r['cold_verified'] or 0 for r in rows):.2f} s")
    bad = [r for r in rows if r["status"] != "agree"]
    print(f"{len(rows) - len(bad)} / {len(rows)} agree; not agreeing: "
          + "; ".join(f"{r['case']}: {r['status']} {r['message']}" for r in bad))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"median": med, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
