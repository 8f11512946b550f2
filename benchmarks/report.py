"""Verdicts and tables of the benchmark (see run.py, which produces the raw data).

A plain-SymPy result is judged at one random admissible parameter point against
symxent's closed form there, or ``symxent.numeric.core``'s value of the definition
when symxent has none (or disagrees with it): ``correct``, ``wrong``, ``nan``
(does not evaluate), ``non-numeric`` or ``unverified``; otherwise its status
(``unsolved``, ``timeout``, ``error``, ``crash``).
"""
from __future__ import annotations

import re
import statistics

SYMPY_METHODS = ("stats_entropy", "integrate")
TOL = 1e-9                  # relative tolerance of the numeric agreement check
RATIO_TARGET = 20           # issue 2: >= 20x faster than plain SymPy where it succeeds


def _num(s):
    """A stored value string -> mpmath number, +-inf, or None (not numeric)."""
    import mpmath
    if s is None or s.startswith("error"):
        return None
    s = s.strip()
    if s in ("oo", "+inf", "inf", "-oo", "-inf"):
        return -mpmath.inf if s.startswith("-") else mpmath.inf
    try:
        import sympy as sp
        v = sp.sympify(s)
        if not v.is_number or v.has(sp.nan, sp.zoo):
            return None
        re_, im_ = (mpmath.mpf(str(t.evalf(30))) for t in v.as_real_imag())
        with mpmath.workdps(30):
            return re_ if abs(im_) <= TOL * max(1, abs(re_)) else mpmath.mpc(re_, im_)
    except Exception:  # noqa: BLE001
        return None


def agrees(a, b):
    """True/False when both values are numeric, None when either is not."""
    import mpmath
    x, y = _num(a), _num(b)
    if x is None or y is None:
        return None
    if mpmath.isinf(x) or mpmath.isinf(y):
        return bool(x == y)
    with mpmath.workdps(30):
        return bool(abs(x - y) <= TOL * max(1, abs(y)))


def judge(entry, sym, point_ok):
    """Verdict of a plain-SymPy entry: correct / wrong / unverified / unsolved / ..."""
    if entry.get("status") != "solved":
        return entry.get("status", "missing")
    value = entry.get("value")
    if value is None or not point_ok:
        return "unverified"
    if re.search(r"\b(nan|zoo)\b", value):
        return "nan"                        # solved on paper, but does not evaluate
    if _num(value) is None:
        return "non-numeric"                # e.g. an unevaluated Lambda or meijerg
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


def merge(case, sym, sp_entries, expect_closed_form=True):
    row = {"name": case.name, "kind": case.kind, "expect_closed_form": expect_closed_form,
           "symxent": sym, "sympy": {}}
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
    if best is not None and sym.get("status") == "solved" and sym.get("cold_s") \
            and expect_closed_form:
        row["ratio"] = best / sym["cold_s"]
        if sym.get("floor_s"):
            row["ratio_bound"] = best / sym["floor_s"]
    return row


def summarise(rows):
    s = {"cases": len(rows)}
    done = [r for r in rows if r["symxent"].get("status")]
    closed = [r for r in done if r.get("expect_closed_form", True)]
    none_ = [r for r in done if not r.get("expect_closed_form", True)]
    if done:
        def col(key, rs=done):
            return [(r["symxent"][key], r["name"]) for r in rs
                    if r["symxent"].get(key) is not None]
        cold, warm, imp = col("cold_s", closed), col("warm_ms"), col("import_s")
        med = (lambda xs: statistics.median(v for v, _ in xs) if xs else None)
        s["symxent"] = {
            "solved": sum(r["symxent"]["status"] == "solved" for r in closed),
            "total": len(closed),
            "median_cold_s": med(cold), "max_cold_s": max(cold, default=(None,))[0],
            "max_cold_case": max(cold, default=(None, None))[1],
            "over_5s": sum(v > 5 for v, _ in cold),
            "median_import_s": med(imp), "median_warm_ms": med(warm),
            "max_warm_ms": max(warm, default=(None,))[0],
            "with_residual_sum_or_integral": [r["name"] for r in closed
                                              if r["symxent"].get("residual")],
            "disagree_with_numeric": [r["name"] for r in done
                                      if r["symxent"].get("check") == "DISAGREES"],
            "not_checked": [r["name"] for r in closed if r["symxent"]["status"] == "solved"
                            and r["symxent"].get("check") in (None, "unverified")],
            "no_closed_form": len(none_),
            "no_closed_form_left_unevaluated": sum(r["symxent"]["status"] == "unsolved"
                                                   for r in none_),
            "no_closed_form_max_s": max(col("cold_s", none_), default=(None,))[0],
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
            "non_numeric": v.count("non-numeric"),
            "timeout": v.count("timeout"),
            "error": v.count("error") + v.count("crash"), "unsolved": v.count("unsolved"),
            "wrong_cases": [r["name"] for r in rows
                            if r["sympy"].get(m, {}).get("verdict") == "wrong"]}
    ratios = [r["ratio"] for r in rows if r.get("ratio") is not None]
    if ratios:
        s["speed_ratio"] = {"cases": len(ratios), "median": statistics.median(ratios),
                            "min": min(ratios), "max": max(ratios),
                            "below_target": [r["name"] for r in rows
                                             if r.get("ratio") is not None
                                             and r["ratio"] < RATIO_TARGET],
                            "target_unattainable": [
                                r["name"] for r in rows if r.get("ratio") is not None
                                and r.get("ratio_bound") is not None
                                and r["ratio_bound"] < RATIO_TARGET]}
    floors = [r["symxent"]["floor_s"] for r in rows if r["symxent"].get("floor_s")]
    if floors and "symxent" in s:
        s["symxent"]["median_floor_s"] = statistics.median(floors)
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
    out = ["| case | symxent cold s | floor s | warm ms | solved | sympy.stats.entropy s | "
           "sympy integrate/sum s | ratio | bound |",
           "|---|---:|---:|---:|:---:|---:|---:|---:|---:|"]
    for r in rows:
        x = r["symxent"]
        cold = f"{x['cold_s']:.3f}" if x.get("cold_s") is not None else x.get("status", "")
        warm = f"{x['warm_ms']:.3f}" if x.get("warm_ms") is not None else ""
        solved = {"solved": "yes", "unsolved": "no"}.get(x.get("status"), x.get("status", ""))
        if solved == "yes" and x.get("residual"):
            solved = "yes (" + ", ".join(x["residual"]) + " left)"
        if not r.get("expect_closed_form", True):
            solved = {"no": "no (none exists)", "yes": "YES (none exists!)"}.get(solved, solved)
        if x.get("check") == "DISAGREES":
            solved += " (DISAGREES with numeric)"
        ratio = _ratio(r["ratio"]) if r.get("ratio") is not None else ""
        bound = _ratio(r["ratio_bound"]) if r.get("ratio_bound") is not None else ""
        floor = f"{x['floor_s']:.3f}" if x.get("floor_s") is not None else ""
        sps = [_fmt_s(r["sympy"][m]) if m in r["sympy"] else "n/a" for m in SYMPY_METHODS]
        out.append(f"| {r['name']} | {cold} | {floor} | {warm} | {solved} | {sps[0]} | {sps[1]} "
                   f"| {ratio} | {bound} |")
    out += ["", "Summary:", ""]
    x = summary.get("symxent")
    if x:
        out.append(f"- symxent closed forms: {x['solved']}/{x['total']}; cold derivation median "
                   f"{_f(x['median_cold_s'], '.3f')} s, max {_f(x['max_cold_s'], '.3f')} s "
                   f"({x['max_cold_case']}), {x['over_5s']} over 5 s; `import symxent` median "
                   f"{_f(x['median_import_s'], '.2f')} s; floor (building the densities "
                   f"and their logs) median {_f(x.get('median_floor_s'), '.3f')} s; "
                   f"warm (cached) call median "
                   f"{_f(x['median_warm_ms'], '.3f')} ms, max {_f(x['max_warm_ms'], '.3f')} ms.")
        if x["with_residual_sum_or_integral"]:
            out.append("- symxent results with a Sum/Integral left (counted as solved): "
                       + ", ".join(x["with_residual_sum_or_integral"]) + ".")
        bad = x["disagree_with_numeric"]
        unchecked = x["not_checked"]
        out.append(f"- symxent closed forms disagreeing with `symxent.numeric.core` at the test point: "
                   f"{len(bad)}" + (f" ({', '.join(bad)})" if bad else "") + "; not checked "
                   f"(no numeric value): {len(unchecked)}"
                   + (f" ({', '.join(unchecked)})." if unchecked else "."))
        if x["no_closed_form"]:
            out.append(f"- Pairs with no closed form left unevaluated by symxent: "
                       f"{x['no_closed_form_left_unevaluated']}/{x['no_closed_form']} "
                       f"(giving up took at most {_f(x['no_closed_form_max_s'], '.1f')} s).")
    for m, label in (("stats_entropy", "`sympy.stats.entropy`"),
                     ("integrate", "plain `integrate`/`summation` of the definition")):
        y = summary.get(f"sympy_{m}")
        if y:
            wrong = f" ({', '.join(y['wrong_cases'])})" if y["wrong_cases"] else ""
            out.append(f"- {label}: solved {y['solved']}/{y['attempted']}, of which "
                       f"{y['correct']} verified correct, {y['wrong']} wrong{wrong}, "
                       f"{y['nan']} evaluating to nan, {y['non_numeric']} not numeric and "
                       f"{y['unverified']} unverified; "
                       f"{y['timeout']} timeouts ({meta['timeout']} s), {y['error']} errors.")
    r = summary.get("speed_ratio")
    if r:
        out.append(f"- Speed ratio plain SymPy / symxent (cold) over the {r['cases']} cases "
                   f"where plain SymPy is verified correct (fastest of its methods): median "
                   f"{_ratio(r['median'])}, min {_ratio(r['min'])}, max {_ratio(r['max'])}.")
        below, cannot = r["below_target"], set(r["target_unattainable"])
        out.append(f"- Below {RATIO_TARGET}x: {len(below)} case(s)"
                   + (": " + ", ".join(n + (" (bound < " + str(RATIO_TARGET) + "x)"
                                           if n in cannot else "") for n in below)
                      if below else "") + ". The bound is plain SymPy's time over the *floor*, "
                   "the time SymPy needs just to build the densities and expand their "
                   "logarithms, which any method pays; where the bound is below "
                   f"{RATIO_TARGET}x the target cannot be met by any method in a fresh process.")
    out.append(f"- Python {meta['python']}, SymPy {meta['sympy']}, {meta['machine']}; "
               f"{meta['date']}.")
    return "\n".join(out) + "\n"
