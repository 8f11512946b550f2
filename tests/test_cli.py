"""Tests of the command line: ``python -m symxent ...`` in a subprocess, plus
in-process tests of the comparison and error plumbing with stand-ins for the
engine (so a wrong closed form is shown to make ``check`` fail).

Tests named ``test_engine_*`` need the engine (symxent.entropy & co, measures,
numeric, catalogue, derivation) and the derivations/ scripts.
"""

import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import mpmath
import pytest
import sympy

from symxent.cli import commands as cli

ROOT = Path(__file__).resolve().parent.parent
PWNED = "/tmp/symxent_pwned"


def run(*args, timeout=240, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "symxent", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT, env=env,
    )


def assert_clean_error(proc, code, fragment):
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert fragment.lower() in proc.stderr.lower(), proc.stderr
    # one message line (argparse usage errors add their usage lines first)
    assert proc.stderr.strip().splitlines()[-1].startswith("symxent")


# ---------------------------------------------------------------- usage & parsing (no engine)
@pytest.mark.timeout(60)
def test_help_lists_commands_and_distributions():
    proc = run("--help")
    assert proc.returncode == 0
    for word in ("derive", "check", "prove", "table", "Normal", "Dirichlet"):
        assert word in proc.stdout


@pytest.mark.timeout(60)
def test_no_command_is_usage_error():
    proc = run()
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


@pytest.mark.timeout(60)
@pytest.mark.parametrize("argv, fragment", [
    (["derive", "kl", "Normal(mu1, sigma1)", "Foo(1)"], "unknown distribution 'Foo'"),
    (["derive", "entropy", "Normal(0, -1)"], "standard deviation must be positive"),
    (["derive", "entropy", "Normal(0, 1).__class__"], "unexpected character"),
    (["derive", "entropy", "__import__('os')"], "may not start with '_'"),
    (["derive", "kl", "Normal(0, 1)"], "needs 2 distributions"),
    (["derive", "entropy", "Normal(0, 1)", "Normal(0, 1)"], "needs 1 distribution"),
    (["derive", "bogus", "Normal(0, 1)"], "unknown quantity"),
    (["derive", "entropy", "Normal(0, 1)", "--format", "html"], "invalid choice"),
    (["derive", "entropy", "Normal(0, 1)", "--base", "1"], "--base"),
    (["derive", "entropy", "Normal(0, 1)", "--base", "x"], "not a number"),
    (["check", "kl", "Normal(0, 1)", "Laplace(1, 2", "--dps", "50"], "unclosed"),
    (["check", "entropy", "Normal(0, 1)", "--dps", "1"], "--dps"),
])
def test_usage_and_parse_errors_exit_2(argv, fragment):
    assert_clean_error(run(*argv), 2, fragment)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("argv, fragment", [
    (["check", "kl", "Normal(mu1, sigma1)", "Normal(0, 1)"], "--at mu1=VALUE --at sigma1=VALUE"),
    (["check", "kl", "Normal(mu1, sigma1)", "Normal(0, 1)", "--at", "mu1=0", "--at",
      "sigma1=-2"], "must be positive"),
    (["check", "entropy", "Binomial(n, 1/2)", "--at", "n=2.5"], "must be an integer"),
    (["check", "entropy", "Normal(mu, 1)", "--at", "nu=1"], "no such parameter"),
    (["check", "entropy", "Normal(mu, 1)", "--at", "mu"], "NAME=VALUE"),
    (["check", "entropy", "Normal(mu, 1)", "--at", "mu=1", "--at", "mu=2"], "twice"),
    (["check", "entropy", "Normal(mu, 1)", "--at", "mu=__import__('os')"], "--at mu"),
    (["check", "entropy", "Uniform(a, b)", "--at", "a=1", "--at", "b=0"], "outside the domain"),
    (["check", "entropy", "Bernoulli(p)", "--at", "p=3/2"], "outside the domain"),
])
def test_check_parameter_errors_exit_2(argv, fragment):
    assert_clean_error(run(*argv), 2, fragment)


@pytest.mark.timeout(60)
def test_malicious_distribution_text_does_nothing():
    if os.path.exists(PWNED):
        os.remove(PWNED)
    payloads = [
        f"__import__('os').system('touch {PWNED}')",
        f"Normal(0, 1); open('{PWNED}', 'w')",
        f"Normal(0, open('{PWNED}', 'w'))",
    ]
    for payload in payloads:
        proc = run("derive", "entropy", payload)
        assert_clean_error(proc, 2, "error")
        proc = run("check", "entropy", "Normal(0, 1)", "--at", f"x={payload}")
        assert proc.returncode == 2
    assert not os.path.exists(PWNED)


# ---------------------------------------------------------------- prove with scripts in a temp dir
@pytest.fixture
def theorem_dir(tmp_path):
    (tmp_path / "good_theorem.py").write_text(textwrap.dedent("""
        import sys
        if __name__ == "__main__":
            print("good theorem holds")
            sys.exit(0)
    """))
    (tmp_path / "bad_theorem.py").write_text(textwrap.dedent("""
        import sys
        if __name__ == "__main__":
            print("checking...")
            sys.exit(1)
    """))
    (tmp_path / "raising.py").write_text("raise AssertionError('step 3 does not hold')\n")
    (tmp_path / "with_build.py").write_text(textwrap.dedent("""
        class Derivation:
            def __str__(self):
                return "TEXT-DERIVATION"
            def to_latex(self):
                return "LATEX-DERIVATION"
            def to_markdown(self):
                return "MARKDOWN-DERIVATION"
        def build():
            return Derivation()
    """))
    (tmp_path / "_helper.py").write_text("VALUE = 'HELPER-IMPORTED'\n")
    (tmp_path / "uses_helper.py").write_text(textwrap.dedent("""
        from _helper import VALUE
        print(VALUE)
    """))
    (tmp_path / "thm_family_one.py").write_text(textwrap.dedent("""
        class Theorem:
            def to_markdown(self):
                return "FAMILY-ONE"
            def to_latex(self):
                return "latex one"
            def verify(self):
                return []
        def build():
            return Theorem()
    """))
    (tmp_path / "thm_family_two.py").write_text(textwrap.dedent("""
        class Theorem:
            def to_markdown(self):
                return "FAMILY-TWO"
            def to_latex(self):
                return "latex two"
            def verify(self):
                return ["step 2 is not an identity"]
        def build():
            return Theorem()
    """))
    return tmp_path


@pytest.mark.timeout(60)
def test_prove_list_and_run(theorem_dir):
    d = str(theorem_dir)
    proc = run("prove", "--list", "--dir", d)
    assert proc.returncode == 0
    assert proc.stdout.split() == ["bad-theorem", "good-theorem", "raising", "thm-family-one",
                                   "thm-family-two", "uses-helper", "with-build"]

    proc = run("prove", "good-theorem", "--dir", d)
    assert proc.returncode == 0 and "good theorem holds" in proc.stdout
    assert proc.stdout.count("good theorem holds") == 1  # run once, not twice
    assert run("prove", "good_theorem", "--dir", d).returncode == 0

    assert_clean_error(run("prove", "bad-theorem", "--dir", d), 1, "exited with status 1")
    assert_clean_error(run("prove", "raising", "--dir", d), 1, "step 3 does not hold")
    assert_clean_error(run("prove", "nothing-here", "--dir", d), 2, "unknown theorem")

    for fmt, expected in (("text", "TEXT"), ("latex", "LATEX"), ("markdown", "MARKDOWN")):
        proc = run("prove", "with-build", "--dir", d, "--format", fmt)
        assert proc.returncode == 0 and proc.stdout.strip() == f"{expected}-DERIVATION"

    proc = run("prove", "uses-helper", "--dir", d)
    assert proc.returncode == 0 and "HELPER-IMPORTED" in proc.stdout, proc.stderr

    # "family" selects thm-family-*; a theorem whose verify() lists errors fails
    proc = run("prove", "family", "--dir", d)
    assert proc.returncode == 1
    assert "FAMILY-ONE" in proc.stdout and "FAMILY-TWO" in proc.stdout
    assert "step 2 is not an identity" in proc.stderr
    assert run("prove", "family-one", "--dir", d).returncode == 0
    assert run("prove", "fam", "--dir", d).returncode == 2  # no partial-word matches

    proc = run("prove", "all", "--dir", d)
    assert proc.returncode == 1
    assert "bad-theorem" in proc.stderr and "raising" in proc.stderr
    assert "good-theorem" not in proc.stderr.splitlines()[-1]


@pytest.mark.timeout(60)
def test_prove_empty_dir(tmp_path):
    assert_clean_error(run("prove", "--list", "--dir", str(tmp_path)), 1, "no derivation scripts")


# ---------------------------------------------------------------- in-process plumbing
def test_compare_agree_disagree_infinite_inconclusive():
    with mpmath.workdps(60):
        one = mpmath.mpf(1)
        assert cli._compare(one, one + mpmath.mpf(10) ** -40, mpmath.mpf(0), 50, None)[0]
        ok, msg = cli._compare(one, one + mpmath.mpf(10) ** -10, mpmath.mpf(0), 50, None)
        assert not ok and "DISAGREE" in msg
        assert cli._compare(mpmath.inf, mpmath.inf, mpmath.mpf(0), 50, None)[0]
        assert not cli._compare(mpmath.inf, one, mpmath.mpf(0), 50, None)[0]
        ok, msg = cli._compare(one, one, mpmath.mpf(10) ** -5, 50, None)
        assert not ok and "INCONCLUSIVE" in msg
        # an explicit tolerance is honoured
        assert cli._compare(one, one + mpmath.mpf(10) ** -10, mpmath.mpf(0), 50, "1e-8")[0]


@pytest.fixture
def fake_engine(monkeypatch):
    """Stand-ins for the engine: closed form 1/2, numeric value chosen per test."""
    state = {"numeric": mpmath.mpf(1) / 2}
    numeric = types.ModuleType("symxent.numeric.core")

    class NumericValue:
        def __init__(self, value, error):
            self.value, self.error = value, error

    numeric.evaluate = lambda quantity, subs, dps=30: NumericValue(state["numeric"], 0)
    monkeypatch.setitem(sys.modules, "symxent.numeric.core", numeric)
    monkeypatch.setitem(sys.modules, "symxent.derivation.core", None)  # import fails
    monkeypatch.setattr(cli, "_closed_form", lambda kind, rvs, base, timeout: sympy.Rational(1, 2))
    monkeypatch.setattr(cli, "_quantity", lambda kind, rvs, base: sympy.Symbol("Q"))
    monkeypatch.setattr(cli, "_is_unevaluated", lambda expr: False)
    return state


def test_check_exit_codes_with_fake_engine(fake_engine, capsys):
    assert cli.main(["check", "entropy", "Normal(0, 1)", "--dps", "40"]) == 0
    out = capsys.readouterr().out
    assert "agree" in out and "0.5" in out
    fake_engine["numeric"] = mpmath.mpf("0.5000001")
    assert cli.main(["check", "entropy", "Normal(0, 1)", "--dps", "40"]) == 1
    captured = capsys.readouterr()
    assert "DISAGREE" in captured.out and "DISAGREE" in captured.err


def test_check_substitutes_at_values(fake_engine, monkeypatch, capsys):
    mu = sympy.Symbol("mu", real=True)
    monkeypatch.setattr(cli, "_closed_form", lambda kind, rvs, base, timeout: mu / 4)
    fake_engine["numeric"] = mpmath.mpf(1) / 2
    assert cli.main(["check", "entropy", "Normal(mu, 1)", "--at", "mu=2"]) == 0
    assert cli.main(["check", "entropy", "Normal(mu, 1)", "--at", "mu=3"]) == 1
    capsys.readouterr()


def test_derive_falls_back_to_closed_form(fake_engine, capsys):
    assert cli.main(["derive", "kl", "Normal(0, 1)", "Normal(1, 1)", "--format", "text"]) == 0
    captured = capsys.readouterr()
    assert "Q = 1/2" in captured.out
    assert "P ~ Normal(0, 1)" in captured.out
    assert "closed form only" in captured.err
    assert cli.main(["derive", "kl", "Normal(0, 1)", "Normal(1, 1)", "--format", "latex"]) == 0
    assert r"Q = \frac{1}{2}" in capsys.readouterr().out


def test_symxent_error_is_one_line(fake_engine, monkeypatch, capsys):
    from symxent.errors import UnsupportedError

    def boom(*args):
        raise UnsupportedError("mismatched pair\nsecond line")

    monkeypatch.setattr(cli, "_closed_form", boom)
    assert cli.main(["check", "kl", "Normal(0, 1)", "Poisson(2)"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "symxent: error: UnsupportedError: mismatched pair"


# ---------------------------------------------------------------- with the real engine
# (tests named test_engine_*; they fail until the engine modules exist)
@pytest.mark.timeout(900)
@pytest.mark.parametrize("fmt, marker", [
    ("latex", r"\mathrm{KL}"), ("markdown", "$"), ("text", "D_KL"),
])
def test_engine_derive_kl_normal(fmt, marker):
    proc = run("derive", "kl", "Normal(mu1, sigma1)", "Normal(mu2, sigma2)", "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.timeout(900)
def test_engine_derive_entropy_and_cross_entropy():
    proc = run("derive", "entropy", "Beta(a, b)", "--timeout", "120", timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "S(X)" in proc.stdout
    proc = run("derive", "cross-entropy", "Normal(mu1, sigma1)", "Normal(mu2, sigma2)")
    assert proc.returncode == 0, proc.stderr
    assert "H(P, Q)" in proc.stdout


@pytest.mark.timeout(900)
def test_engine_check_kl_normal_laplace_agrees_at_50_digits():
    proc = run("check", "kl", "Normal(0, 1)", "Laplace(1, 2)", "--dps", "50")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "agree" in proc.stdout.splitlines()[-1]
    values = {line.split(":")[0]: line.split()[-1] if line.startswith("closed") else
              line.split()[1] for line in proc.stdout.splitlines()
              if line.startswith(("closed form:", "numeric:"))}
    # Independent value: D = -h(N(0,1)) + E[log(2b) + |X - mu|/b] with b = 2, mu = 1,
    # h(N(0,1)) = log(2 pi e)/2 (Cover & Thomas, Elements of Information Theory,
    # 2nd ed., eq. 8.9) and E|X - mu| = 2 phi(mu) + mu (2 Phi(mu) - 1) for standard
    # normal X (mean of the folded normal, Leone, Nelson & Nottingham 1961).
    with mpmath.workdps(60):
        mu, b = mpmath.mpf(1), mpmath.mpf(2)
        phi = mpmath.npdf(mu)
        mean_abs = 2 * phi + mu * (2 * mpmath.ncdf(mu) - 1)
        expected = -mpmath.log(2 * mpmath.pi * mpmath.e) / 2 + mpmath.log(2 * b) + mean_abs / b
        for key in ("closed form", "numeric"):
            assert abs(mpmath.mpf(values[key]) - expected) < mpmath.mpf(10) ** -45, values


@pytest.mark.timeout(900)
def test_engine_check_symbolic_with_at_values():
    proc = run("check", "kl", "Normal(mu1, sigma1)", "Normal(mu2, sigma2)", "--at", "mu1=0.5",
               "--at", "sigma1=2", "--at", "mu2=-1", "--at", "sigma2=1/3", "--dps", "30")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "agree"


@pytest.mark.timeout(900)
def test_engine_check_entropy_base_2_and_discrete():
    proc = run("check", "entropy", "Normal(0, 3)", "--base", "2", "--dps", "30")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run("check", "entropy", "Poisson(lambda)", "--at", "lambda=3/2", "--dps", "30")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.timeout(600)
@pytest.mark.parametrize("fmt, marker", [
    ("markdown", "| Case |"), ("latex", r"\begin{longtable}"), ("text", "S(X) ="),
])
def test_engine_table_subset(fmt, marker):
    proc = run("table", "-k", "S Normal", "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout


@pytest.mark.timeout(60)
def test_engine_table_no_match_is_usage_error():
    assert_clean_error(run("table", "-k", "no-such-case-zzz"), 2, "no catalogue case")


@pytest.mark.timeout(1200)
def test_engine_prove_real_derivations():
    proc = run("prove", "--list")
    assert proc.returncode == 0, proc.stderr
    names = proc.stdout.split()
    assert any("decomposition" in n for n in names), names
    proc = run("prove", "decomposition", timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
