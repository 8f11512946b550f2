"""Every theorem script checks its derivations and exits 0; a broken step
makes a script exit non-zero and name the step."""
import os
import subprocess
import sys

import pytest

from tools import DERIVATIONS, SCRIPTS, start_background, theorem_runs

start_background()  # the scripts run while other tests do

EXPECTED = {"thm_decomposition_discrete.py", "thm_decomposition_continuous.py",
            "thm_decomposition_families.py", "thm_self_cross_entropy.py",
            "thm_kl_asymmetry.py", "thm_gibbs.py", "thm_negative_entropy.py",
            "thm_argmin.py", "thm_mle.py", "thm_gaussian_kl.py"}


def test_all_theorems_have_scripts():
    assert EXPECTED <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_theorem_script_checks_every_step(script):
    out, runs = theorem_runs()
    r = runs[script]
    assert r.returncode == 0, r.stderr[-3000:]
    assert "all steps checked" in r.stderr
    key = script[len("thm_"):-len(".py")].replace("_", "-")
    md, tex = (out / f"{key}.md").read_text(), (out / f"{key}.tex").read_text()
    assert md.startswith("## ") and "$$\n\\begin{aligned}" in md
    assert tex.startswith("\\section{") and "\\begin{align*}" in tex
    assert "NOT CHECKED" not in md + tex and "CHECK FAILED" not in md + tex


BROKEN = '''
import sympy as sp
from _common import Theorem, main
from symxent.derivation.core import Derivation

def build():
    x = sp.Symbol("x", real=True)
    t = Theorem("broken", "A deliberately wrong derivation")
    t.derivation(Derivation((x + 1)**2, [
        ("=", x**2 + 2*x + 1, "binomial formula"),
        ("=", x**2 + x + 1, "a slip of the pen")]))
    t.fact("$1 < 0$", sp.Integer(1) < 0)
    return t

if __name__ == "__main__":
    main(build)
'''


def test_a_broken_step_makes_the_script_fail(tmp_path):
    script = tmp_path / "thm_broken.py"
    script.write_text(BROKEN)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(DERIVATIONS), os.environ.get("PYTHONPATH", "")])}
    r = subprocess.run([sys.executable, str(script), "--out", str(tmp_path), "--quiet"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1, r.stderr
    assert "step 2 (a slip of the pen) is wrong" in r.stderr
    assert "fact does not hold" in r.stderr
    assert "CHECK FAILED" in (tmp_path / "broken.md").read_text()
