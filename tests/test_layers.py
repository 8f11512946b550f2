"""The package's layers: which subpackage may import which (issue 10).

The numeric layer is the independent reference: it must not reach the
engine, the measures or derivation code, or one refactor later it could check
the engine against itself.  The check reads every ``import`` statement of
every module (top level and inside functions) with ``ast``.
"""
import ast
import collections
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "symxent"

# subpackage -> the symxent subpackages/modules it may import
ALLOWED = {
    "laws": {"errors", "budget", "precision"},
    "engine": {"errors", "budget", "precision", "laws"},
    "numeric": {"errors", "budget", "precision", "laws"},
    "measures": {"errors", "budget", "precision", "laws", "engine", "numeric"},
    "derivation": {"errors", "budget", "precision", "laws", "engine", "numeric", "measures"},
    "testing": {"errors", "budget", "precision", "laws", "engine", "numeric", "measures", "derivation"},
    "plot": {"errors", "budget", "precision", "laws", "numeric", "measures"},
}


def _unit(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _graph():
    g = collections.defaultdict(set)
    for f in ROOT.rglob("*.py"):
        rel = f.relative_to(ROOT.parent).with_suffix("")
        name = ".".join(p for p in rel.parts if p != "__init__")
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{name}: relative import; use absolute symxent.* imports")
            mods = []
            if isinstance(node, ast.ImportFrom) and node.module:
                mods = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            for m in mods:
                if m.startswith("symxent.") or m == "symxent":
                    g[name].add(m)
    return g


def test_each_layer_imports_only_what_it_may():
    bad = []
    for mod, targets in _graph().items():
        unit = _unit(mod)
        if unit not in ALLOWED:
            continue
        for t in targets:
            tu = _unit(t)
            if tu and tu != unit and tu not in ALLOWED[unit] and (ROOT / tu).exists() \
                    or (tu and tu != unit and tu not in ALLOWED[unit]
                        and (ROOT / f"{tu}.py").exists()):
                bad.append(f"{mod} imports {t}")
    assert not bad, "layer violations:\n" + "\n".join(sorted(bad))


def test_numeric_is_independent_of_the_engine():
    offenders = [f"{m} -> {t}" for m, ts in _graph().items() if _unit(m) == "numeric"
                 for t in ts if _unit(t) in {"engine", "measures", "derivation", "cli", "testing"}]
    assert not offenders, offenders


def test_no_import_cycle_between_units():
    g = collections.defaultdict(set)
    for m, ts in _graph().items():
        for t in ts:
            a, b = _unit(m), _unit(t)
            if a and b and a != b and a != "__main__":
                g[a].add(b)
    seen, stack = set(), []

    def visit(u):
        if u in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(u):] + [u]))
        if u in seen:
            return
        stack.append(u)
        for v in g[u]:
            visit(v)
        stack.pop()
        seen.add(u)

    for u in list(g):
        visit(u)


def test_every_subpackage_says_what_it_may_import():
    for d in ROOT.iterdir():
        if (d / "__init__.py").exists():
            doc = ast.get_docstring(ast.parse((d / "__init__.py").read_text(encoding="utf-8")))
            assert doc and "May import" in doc, d.name
