"""``symxent prove``: run the theorem scripts of ``derivations/`` and verify them.

Running a script executes its code, so ``prove`` runs only theorem scripts:
files named ``thm_*.py``.  Those of the project's own ``derivations/`` folder
(beside the package, in a source checkout) are trusted; in any other folder
(``--dir``, ``$SYMXENT_DERIVATIONS``, ``./derivations``) a script must also
carry the marker line :data:`MARKER` among its first lines, so that pointing
``prove all`` at a folder of unrelated Python files runs none of them.
"""
from __future__ import annotations

import importlib.util
import os
import runpy
import sys
from pathlib import Path

from symxent.budget import BudgetExceeded
from symxent.cli.errors import CheckFailed, UsageError, bounded, one_line as _one_line

__all__ = ["cmd_prove", "MARKER"]

MARKER = "# symxent: theorem"
_MARKER_LINES = 5  # the marker must be among the first lines of the script
_PROJECT_DIR = Path(__file__).resolve().parent.parent.parent / "derivations"
# an installed package carries the same scripts as symxent._theorems (pyproject.toml)
_INSTALLED_DIR = Path(__file__).resolve().parent.parent / "_theorems"
if not _PROJECT_DIR.is_dir() and _INSTALLED_DIR.is_dir():
    _PROJECT_DIR = _INSTALLED_DIR


def _derivations_dir(option):
    if option:
        return Path(option)
    env = os.environ.get("SYMXENT_DERIVATIONS")
    if env:
        return Path(env)
    # a source checkout keeps derivations/ beside the package; an installed
    # package does not ship it, so then look in the working directory
    return _PROJECT_DIR if _PROJECT_DIR.is_dir() else Path.cwd() / "derivations"


def _trusted(directory):
    """Whether ``directory`` is the project's own derivations/ folder."""
    try:
        return directory.resolve() == _PROJECT_DIR.resolve()
    except OSError:
        return False


def _marked(path):
    """Whether the script carries :data:`MARKER` among its first lines (read, not run)."""
    try:
        with path.open(encoding="utf-8") as f:
            head = [f.readline().strip() for _ in range(_MARKER_LINES)]
    except (OSError, UnicodeDecodeError):
        return False
    return MARKER in head


def _theorems(directory):
    if not directory.is_dir():
        return {}
    trusted = _trusted(directory)
    return {
        p.stem.replace("_", "-"): p
        for p in sorted(directory.glob("thm_*.py"))
        if p.is_file() and (trusted or _marked(p))
    }


def _no_scripts_message(directory):
    where = f"no theorem scripts found in {directory}"
    if _trusted(directory):
        return where
    return (f"{where} (a theorem script is named thm_*.py and, outside the project's "
            f"derivations/ folder, has the line {MARKER!r} among its first "
            f"{_MARKER_LINES} lines; other files are never run)")


def cmd_prove(args):
    directory = _derivations_dir(args.dir)
    theorems = _theorems(directory)
    if not theorems and (args.list or args.theorem is None or args.theorem == "all"):
        raise CheckFailed(_no_scripts_message(directory))
    if args.list or args.theorem is None:
        print("\n".join(theorems))
        return 0
    names = _select_theorems(args.theorem, theorems)
    if not names:
        known = ", ".join(theorems) or _no_scripts_message(directory)
        raise UsageError(f"unknown theorem {args.theorem!r} (known: {known})")
    with bounded(getattr(args, "timeout", None)):
        failed = [n for n in names if not _prove_one(n, theorems[n], directory, args.format)]
    if failed:
        raise CheckFailed(f"proof failed: {', '.join(failed)}")
    return 0


def _select_theorems(wanted, theorems):
    """Exact script name; else name without the ``thm-`` prefix; else the
    family ``wanted-*`` (``decomposition`` -> ``thm-decomposition-discrete``, ...)."""
    wanted = wanted.replace("_", "-")
    if wanted == "all":
        return list(theorems)
    if wanted in theorems:
        return [wanted]
    short = {n: n[4:] if n.startswith("thm-") else n for n in theorems}
    exact = [n for n in theorems if short[n] == wanted]
    return exact or [n for n in theorems if short[n].startswith(wanted + "-")]


def _defines_build(path):
    """Whether the script has a top-level ``def build`` (read, not executed)."""
    import ast

    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, UnicodeDecodeError, OSError):
        return False  # runpy will report the problem
    return any(isinstance(n, ast.FunctionDef) and n.name == "build" for n in tree.body)


def _render_any(obj, fmt):
    """A Derivation or theorem object in the requested format."""
    if fmt in ("latex", "markdown") or hasattr(obj, "to_text"):
        method = {"latex": "to_latex", "markdown": "to_markdown"}.get(fmt, "to_text")
        return getattr(obj, method)()
    if type(obj).__str__ is not object.__str__:
        return str(obj)
    return obj.to_markdown()  # no plain-text form: Markdown is the readable one


def _verify_errors(obj):
    """Errors from ``obj.verify()``: it may raise, return False, or return a list."""
    verify = getattr(obj, "verify", None)
    if not callable(verify):
        return []
    result = verify()
    if result is False:
        return ["verification failed"]
    if isinstance(result, (list, tuple)):
        return [str(e) for e in result]
    return []


def _prove_one(name, path, directory, fmt):
    """Run one derivation script; True on success.  Failures are reported."""
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [str(path)]
    sys.path.insert(0, str(directory))  # scripts import their shared helpers
    try:
        if _defines_build(path):
            spec = importlib.util.spec_from_file_location(f"_symxent_derivation_{path.stem}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            built = module.build()
            errors = _verify_errors(built)
            print(_render_any(built, fmt))
            for error in errors:
                print(f"symxent: {name}: {_one_line(error)}", file=sys.stderr)
            return not errors
        runpy.run_path(str(path), run_name="__main__")
    except (BudgetExceeded, KeyboardInterrupt):
        raise  # the whole command stops: not a failing proof
    except SystemExit as exc:
        if exc.code in (None, 0):
            return True
        print(f"symxent: {name}: script exited with status {exc.code}", file=sys.stderr)
        return False
    except Exception as exc:  # a failing proof script, reported and counted
        print(f"symxent: {name}: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return False
    finally:
        sys.argv = saved_argv
        sys.path[:] = saved_path
    return True
