"""The sweep over all of sympy.stats: every univariate family, every measure.

    python benchmarks/sweep.py [--pairs N] [--seed S] [--timeout T] [--jobs J] [--only TEXT]

Cases (families and parameters: ``tests/sweep_families.py``):

* the entropy of every family;
* KL divergence and cross-entropy within each family (P and Q with different
  parameters: shapes, scales and locations all differ);
* mixed-family KL: a seeded sample of ``--pairs`` ordered pairs whose supports
  nest (P's inside Q's whatever the parameters), plus seeded samples of the
  ordered pairs of families with fixed numeric supports that do *not* nest (the
  answer must be ``oo``) and of mixed finite pairs (``--pairs``/5 of each).

Each case runs in its own forked process under the engine's time budget
(``--timeout``, default 10 s) and a hard wall-clock cap.  Every closed form
that comes back is checked at two random admissible parameter points against
the definition: :func:`symxent.numeric.evaluate` at 30 digits, and where that
cannot decide, the test-suite's own mpmath quadrature
(``tests/references_quad.py``).  A disagreement is re-checked with two
quadrature rules (tanh-sinh and Gauss-Legendre) before it is called *wrong*.
Writes ``benchmarks/sweep.md`` (and ``benchmarks/sweep.json``).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp_
import os
import random
import sys
import time
import warnings
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))

import mpmath  # noqa: E402
import sympy as sp  # noqa: E402

from symxent import CrossEntropy, Entropy, KLDivergence  # noqa: E402
from symxent.laws.domain import sample_point  # noqa: E402
from symxent.laws.support import describe, support_bounds  # noqa: E402
from sweep_families import FAMILIES, NESTS, by_name  # noqa: E402

MEASURES = {"entropy": Entropy, "kl": KLDivergence, "cross_entropy": CrossEntropy}
REL = mpmath.mpf(10) ** -12  # agreement: far above quadrature error at 30 digits


def cases(n_pairs, seed):
    out = []
    for f in FAMILIES:
        out.append(("entropy", f.name, None))
    for f in FAMILIES:
        out.append(("kl", f.name, f.name))
        out.append(("cross_entropy", f.name, f.name))
    nested, apart, finite = [], [], []
    for p in FAMILIES:
        for q in FAMILIES:
            if p is q:
                continue
            if p.kind == "finite" and q.kind == "finite":
                finite.append(("kl", p.name, q.name))
                continue
            if (p.kind == "continuous") != (q.kind == "continuous") or "finite" in (p.kind,
                                                                                   q.kind):
                continue
            qlo, qhi = support_bounds(describe(q.build("2")).support)
            plo, phi = support_bounds(describe(p.build("1")).support)
            if not (qlo.is_number and qhi.is_number):
                continue
            if q.support in NESTS[p.support]:
                nested.append(("kl", p.name, q.name))
            elif plo.is_number and phi.is_number and (plo < qlo or phi > qhi):
                apart.append(("kl", p.name, q.name))
    rng = random.Random(seed)
    rng.shuffle(nested)
    rng.shuffle(apart)
    rng.shuffle(finite)
    k = max(10, n_pairs // 5)
    return out + nested[:n_pairs] + apart[:k] + finite[:k], len(nested)


def _sums_numerically(expr):
    """Each residual Sum replaced by its value (the test-suite's Euler-Maclaurin sum)."""
    from references_quad import series
    reps = {}
    sums = expr.atoms(sp.Sum)
    for s in sums:
        if any(b != s and b.function.has(s) for b in sums):
            continue   # an inner sum (its range depends on the outer index)
        (k, lo, hi), = s.limits
        if s.function.has(sp.Sum):
            reps[s] = sp.Float(str(_nested_series(s)), 35)
            continue
        f = sp.lambdify(k, s.function, "mpmath")
        ends = [mpmath.mpf(int(e)) if e.is_finite else (mpmath.inf if e > 0 else -mpmath.inf)
                for e in (lo, hi)]
        reps[s] = sp.Float(str(series(lambda t: mpmath.re(f(t)), *ends)), 35)
    return expr.xreplace(reps)


def _nested_series(s):
    """A series whose terms hold finite sums up to a function of the index (Hermite's
    mass: j up to floor(k/2)), which lambdify cannot take: each term at an integer k
    with the inner sums written out, summed until 40 terms in a row are below 1e-45
    of the total (these terms decay faster than geometrically)."""
    (k, lo, hi), = s.limits
    assert lo.is_finite and hi is sp.oo, s

    inner = sorted(s.function.atoms(sp.Sum), key=str)
    stand = [sp.Dummy() for _ in inner]
    outer = sp.lambdify([k, *stand], s.function.xreplace(dict(zip(inner, stand))), "mpmath")
    parts = [(sp.lambdify([t.limits[0][0], k], t.function, "mpmath"),
              sp.lambdify(k, t.limits[0][1]), sp.lambdify(k, t.limits[0][2]))
             for t in inner]

    def term(i):
        vals = [mpmath.fsum(g(mpmath.mpf(j), mpmath.mpf(i))
                            for j in range(int(a(i)), int(b(i)) + 1)) for g, a, b in parts]
        return mpmath.re(outer(mpmath.mpf(i), *vals))
    total, small, i = mpmath.mpf(0), 0, int(lo)
    while small < 40:
        t = term(i)
        total += t
        small = small + 1 if abs(t) <= mpmath.mpf(10) ** -45 * (1 + abs(total)) else 0
        i += 1
        if i > int(lo) + 5000:
            raise ValueError("the nested series does not converge fast enough")
    return total


def _derivatives_numerically(expr):
    """Each ``Subs(Derivative(f(xi), xi), xi, a)`` at a number ``a`` (zeta'(s + 1) of
    the Zeta law; SymPy's evalf of it recurses without end) replaced by mpmath's
    numeric derivative of ``f`` at ``a``."""
    reps = {}
    for s in expr.atoms(sp.Subs):
        d = s.expr
        if isinstance(d, sp.Derivative) and len(s.variables) == 1 and len(d.variables) == 1 \
                and d.variables[0] == s.variables[0] and s.point[0].is_number:
            f = sp.lambdify(s.variables[0], d.expr, "mpmath")
            at = mpmath.mpf(str(sp.N(s.point[0], mpmath.mp.dps)))
            reps[s] = sp.Float(str(mpmath.diff(f, at, d.derivative_count)), mpmath.mp.dps)
    return expr.xreplace(reps)


def _number(v, dps=30):
    if v.has(sp.Subs):
        v = _derivatives_numerically(v)
    if v.has(sp.Sum):
        v = _sums_numerically(v)
    v = sp.N(v, dps)
    if v in (sp.oo, -sp.oo):
        return mpmath.inf if v == sp.oo else -mpmath.inf
    if not v.is_number or v.has(sp.nan, sp.zoo) or not v.is_real:
        return None
    return mpmath.mpf(str(v))


def _agree(a, b):
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    return abs(a - b) <= REL * max(1, abs(b))


def _outside(P, Q, pt):
    """Is P's support not inside Q's at the parameter point (numeric ends)?"""
    dp, dq = describe(P), describe(Q)
    if dp.kind == "finite" or dq.kind == "finite":
        if dp.kind == dq.kind == "finite":
            atoms = [a for a, v in dp.values.items() if sp.sympify(v).xreplace(pt) != 0]
            return any(a not in dq.values for a in atoms)
        return False
    (plo, phi), (qlo, qhi) = (support_bounds(d.support) for d in (dp, dq))
    plo, phi, qlo, qhi = (sp.sympify(e).xreplace(pt) for e in (plo, phi, qlo, qhi))
    return bool(plo < qlo) or bool(phi > qhi)


def check_point(kind, P, Q, value, pt):
    """'ok', 'wrong' or 'undecided' (with values) at one parameter point."""
    from references_quad import definition
    from symxent.numeric import evaluate
    with mpmath.workdps(40):
        got = _number(value.subs(pt))
        if got is None:
            return "wrong", f"not a real number: {sp.N(value.subs(pt), 15)}"
        if got == mpmath.inf and Q is not None and _outside(P, Q, pt):
            return "ok", ""  # P puts mass where q = 0: +oo by definition
        ref = None
        try:
            ref = evaluate((kind, P, Q) if Q is not None else (kind, P), pt, dps=30).value
        except Exception as e:  # noqa: BLE001 -- a reference that fails only means "undecided"
            why = f"numeric.evaluate: {type(e).__name__}"
        else:
            if _agree(got, ref):
                return "ok", ""
            why = f"numeric.evaluate {mpmath.nstr(ref, 15)}"
        try:  # a second opinion: two quadrature rules of the test-suite's own
            v1, v2 = definition(kind, P, Q, pt, dps=30, second=True)
        except Exception as e:  # noqa: BLE001
            return "undecided", f"{why}; quadrature failed ({type(e).__name__})"
        if _agree(got, v1) and (ref is None or not mpmath.isfinite(ref)):
            return "ok", ""
        if _agree(v1, v2) and not _agree(got, v1) and (ref is None or _agree(ref, v1)):
            return "wrong", f"engine {mpmath.nstr(got, 15)}, definition {mpmath.nstr(v1, 15)}"
        return "undecided", f"{why}; quadrature {mpmath.nstr(v1, 12)} / {mpmath.nstr(v2, 12)}"


def run_case(case, timeout, conn):
    kind, pn, qn = case
    warnings.simplefilter("ignore")
    row = {"kind": kind, "p": pn, "q": qn}
    try:
        P = by_name(pn).build("1")
        Q = by_name(qn).build("2") if qn else None
        m = MEASURES[kind](P, Q) if Q is not None else Entropy(P)
        t = time.perf_counter()
        v = m.doit(timeout=timeout)
        row["time"] = round(time.perf_counter() - t, 3)
        if isinstance(v, MEASURES[kind]):
            row["status"] = "unevaluated"
        else:
            row["status"] = "residual" if v.has(sp.Sum, sp.Integral) else "closed"
            row["value"] = sp.sstr(v)[:300]
            conn.send(dict(row, check="undecided",  # what is known if the checks time out
                           checks=[("undecided", "the check ran out of time", {})]))
            verdicts = []
            rng = random.Random(zlib.crc32(repr(case).encode()))
            for _ in range(2):
                pt = sample_point((P, Q) if Q is not None else P, rng)
                try:
                    verdict, why = check_point(kind, P, Q, v, pt)
                except Exception as e:  # noqa: BLE001 -- a check that fails decides nothing
                    verdict, why = "undecided", f"check failed: {type(e).__name__}: {e}"[:150]
                verdicts.append((verdict, why, {str(k): str(x) for k, x in pt.items()}))
            row["checks"] = verdicts
            row["check"] = ("wrong" if any(c[0] == "wrong" for c in verdicts) else
                            "ok" if all(c[0] == "ok" for c in verdicts) else "undecided")
    except Exception as e:  # noqa: BLE001 -- an error is a row of the report, not a crash
        row["status"] = "error"
        row["error"] = f"{type(e).__name__}: {str(e)[:200]}"
    conn.send(row)
    conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=220)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--cap", type=float, default=60, help="wall-clock cap per case (s)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", default=None)
    ap.add_argument("--cases", default=None, help="a JSON list of [kind, P, Q] cases to run")
    ap.add_argument("--wall", type=float, default=0, help="(report only) wall time, min")
    ap.add_argument("--note", default="", help="a sentence for the report (machine load ...)")
    ap.add_argument("--out", default=os.path.join(HERE, "sweep"))
    ap.add_argument("--from-jsonl", nargs="+", default=None,
                    help="only write the report from these row files (later ones override "
                         "earlier rows of the same case, e.g. a rerun of some cases)")
    args = ap.parse_args()
    todo, n_nested = cases(args.pairs, args.seed)
    if args.from_jsonl:
        merged = {}
        for name in args.from_jsonl:
            for line in open(name):
                r = json.loads(line)
                merged[(r["kind"], r["p"], r["q"])] = r
        rows = sorted(merged.values(), key=lambda r: [str(r.get(k)) for k in ("kind", "p", "q")])
        with open(args.out + ".json", "w") as fh:
            json.dump(rows, fh, indent=1)
        write_report(rows, args, n_nested, args.wall * 60)
        return
    if args.only:
        todo = [c for c in todo if args.only in " ".join(map(str, c))]
    if args.cases:
        todo = [tuple(c) for c in json.loads(args.cases)]
    ctx = mp_.get_context("fork")
    rows, running = [], []
    t0 = time.time()
    queue = list(todo)
    partial = {}
    log = open(args.out + ".jsonl", "w")
    shown = 0
    while queue or running:
        while queue and len(running) < args.jobs:
            case = queue.pop(0)
            a, b = ctx.Pipe(False)
            pr = ctx.Process(target=run_case, args=(case, args.timeout, b))
            pr.start()
            running.append((case, pr, a, time.time()))
        time.sleep(0.05)
        for item in list(running):
            case, pr, conn, start = item
            while conn.poll():
                try:
                    partial[case] = conn.recv()
                except EOFError:
                    break
                if "checks" not in partial[case] or partial[case]["checks"][0][1] != \
                        "the check ran out of time":
                    done = True
                    break
            else:
                done = False
            if done:
                rows.append(partial.pop(case))
                log.write(json.dumps(rows[-1]) + "\n")
                log.flush()
                pr.join()
                running.remove(item)
            elif not pr.is_alive() or time.time() - start > args.cap:
                pr.kill()
                pr.join()
                rows.append(partial.pop(case, None) or {
                    "kind": case[0], "p": case[1], "q": case[2],
                    "status": "timeout" if pr.exitcode and pr.exitcode < 0 else "crash",
                    "time": round(time.time() - start, 1)})
                log.write(json.dumps(rows[-1]) + "\n")
                log.flush()
                running.remove(item)
        if len(rows) != shown and len(rows) % 25 == 0:
            shown = len(rows)
            print(f"{len(rows)}/{len(todo)} cases, {time.time() - t0:.0f} s", flush=True)
    rows.sort(key=lambda r: [str(r.get(k)) for k in ("kind", "p", "q")])
    with open(args.out + ".json", "w") as fh:
        json.dump(rows, fh, indent=1)
    write_report(rows, args, n_nested, time.time() - t0)


def _summary(rows):
    s = {k: 0 for k in ("cases", "closed", "residual", "ok", "wrong", "undecided",
                        "unevaluated", "timeout", "error")}
    for r in rows:
        s["cases"] += 1
        st = r["status"]
        if st in ("closed", "residual"):
            s[st] += 1
            s[r["check"]] += 1
        elif st in ("unevaluated", "timeout"):
            s[st] += 1
        else:
            s["error"] += 1
    return s


def write_report(rows, args, n_nested, wall):
    groups = [("Entropy S(P)", lambda r: r["kind"] == "entropy"),
              ("Same-family KL", lambda r: r["kind"] == "kl" and r["p"] == r["q"]),
              ("Same-family cross-entropy", lambda r: r["kind"] == "cross_entropy"),
              ("Mixed-family KL", lambda r: r["kind"] == "kl" and r["p"] != r["q"])]
    out = ["# Sweep over all of sympy.stats", "",
           f"`python benchmarks/sweep.py --pairs {args.pairs} --seed {args.seed} --timeout "
           f"{args.timeout}`: {len(FAMILIES)} univariate families (tests/sweep_families.py), "
           f"{len(rows)} cases, {wall / 60:.1f} min on 2 cores; the mixed pairs are a seeded "
           f"sample of {args.pairs} of the {n_nested} ordered pairs whose supports nest, plus "
           f"{max(10, args.pairs // 5)} pairs of fixed numeric supports that do not nest (must be oo) "
           f"and {max(10, args.pairs // 5)} mixed finite pairs.  Each closed form is checked at 2 random admissible points "
           "against `symxent.numeric.evaluate` at 30 digits (the test-suite's own mpmath "
           "quadrature where that cannot decide); *wrong* means both quadrature rules "
           "agree with each other and not with the engine." + (" " + args.note if args.note
                                                                 else ""), "",
           "| | cases | closed | of which residual series | checked correct | wrong | "
           "undecided check | unevaluated | timeout | error |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for name, pred in groups + [("**All**", lambda r: True)]:
        s = _summary([r for r in rows if pred(r)])
        out.append(f"| {name} | {s['cases']} | {s['closed'] + s['residual']} | "
                   f"{s['residual']} | {s['ok']} | {s['wrong']} | {s['undecided']} | "
                   f"{s['unevaluated']} | {s['timeout']} | {s['error']} |")
    out += ["", "## Cases", "", "| measure | P | Q | status | check | time (s) | note |",
            "|---|---|---|---|---|---|---|"]
    for r in rows:
        note = r.get("error", "")
        if r.get("check") in ("wrong", "undecided"):
            note = "; ".join(f"{c[0]}: {c[1]} at {c[2]}" for c in r["checks"] if c[0] != "ok")
        note = note.replace("|", "/")[:240]
        out.append(f"| {r['kind']} | {r['p']} | {r['q'] or ''} | {r['status']} | "
                   f"{r.get('check', '')} | {r.get('time', '')} | {note} |")
    with open(args.out + ".md", "w") as fh:
        fh.write("\n".join(out) + "\n")
    print("\n".join(out[:12]))


if __name__ == "__main__":
    main()
