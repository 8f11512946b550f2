"""Tests of the command line: ``python -m symxent ...`` in a subprocess, plus
in-process tests of the comparison and exit-code plumbing, where a wrong
closed form or a wrong derivation step is put in on purpose to show that
``check`` and ``derive`` then fail.

Tests named ``test_engine_*`` run the real engine on real inputs; the
budget tests of every command are in the ``--timeout`` section.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import mpmath
import pytest
import sympy

from symxent.cli import check as cli_check
from symxent.cli import commands as cli
from symxent.cli import common as cli_common
from symxent.cli import derive as cli_derive

ROOT = Path(__file__).resolve().parent.parent
PWNED = "/tmp/symxent_pwned"


def run(*args, timeout=240, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "symxent", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT, env=env,
    )


def inproc(capsys, *args):
    """``cli.main(args)`` in this process (no fork, no start-up cost), as a
    CompletedProcess-like result; only for commands that finish quickly."""
    capsys.readouterr()
    try:
        code = cli.main(list(args))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)


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
def test_usage_and_parse_errors_exit_2(argv, fragment, capsys):
    assert_clean_error(inproc(capsys, *argv), 2, fragment)


@pytest.mark.timeout(60)
def test_usage_error_from_the_command_line():
    assert_clean_error(run("derive", "entropy", "Normal(0, 1).__class__"), 2,
                       "unexpected character")


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
def test_check_parameter_errors_exit_2(argv, fragment, capsys):
    assert_clean_error(inproc(capsys, *argv), 2, fragment)


@pytest.mark.timeout(60)
def test_malicious_distribution_text_does_nothing(capsys):
    if os.path.exists(PWNED):
        os.remove(PWNED)
    payloads = [
        f"__import__('os').system('touch {PWNED}')",
        f"Normal(0, 1); open('{PWNED}', 'w')",
        f"Normal(0, open('{PWNED}', 'w'))",
    ]
    # the first payload through the real command line (both commands), every one
    # through the same entry point in this process (6 start-ups cost ~30 s)
    for i, payload in enumerate(payloads):
        for call in ([run, lambda *a: inproc(capsys, *a)] if i == 0 else
                     [lambda *a: inproc(capsys, *a)]):
            proc = call("derive", "entropy", payload)
            assert_clean_error(proc, 2, "error")
            proc = call("check", "entropy", "Normal(0, 1)", "--at", f"x={payload}")
            assert proc.returncode == 2
    assert not os.path.exists(PWNED)


# ---------------------------------------------------------------- prove with scripts in a temp dir
MARK = "# symxent: theorem\n"


@pytest.fixture
def theorem_dir(tmp_path):
    def script(name, body, marked=True):
        (tmp_path / name).write_text((MARK if marked else "") + textwrap.dedent(body))

    script("thm_good.py", """
        import sys
        if __name__ == "__main__":
            print("good theorem holds")
            sys.exit(0)
    """)
    script("thm_bad.py", """
        import sys
        if __name__ == "__main__":
            print("checking...")
            sys.exit(1)
    """)
    script("thm_raising.py", "raise AssertionError('step 3 does not hold')\n")
    script("thm_with_build.py", """
        class Derivation:
            def __str__(self):
                return "TEXT-DERIVATION"
            def to_latex(self):
                return "LATEX-DERIVATION"
            def to_markdown(self):
                return "MARKDOWN-DERIVATION"
        def build():
            return Derivation()
    """)
    (tmp_path / "_helper.py").write_text("VALUE = 'HELPER-IMPORTED'\n")
    script("thm_uses_helper.py", """
        from _helper import VALUE
        print(VALUE)
    """)
    script("thm_family_one.py", """
        class Theorem:
            def to_markdown(self):
                return "FAMILY-ONE"
            def to_latex(self):
                return "latex one"
            def verify(self):
                return []
        def build():
            return Theorem()
    """)
    script("thm_family_two.py", """
        class Theorem:
            def to_markdown(self):
                return "FAMILY-TWO"
            def to_latex(self):
                return "latex two"
            def verify(self):
                return ["step 2 is not an identity"]
        def build():
            return Theorem()
    """)
    # never run: not marked, or not named thm_*.py
    touch = f"open({str(tmp_path / 'RAN')!r} + __file__.split('/')[-1], 'w').close()\n"
    script("thm_unmarked.py", touch, marked=False)
    script("evil.py", touch)
    script("setup.py", touch)
    return tmp_path


@pytest.mark.timeout(60)
def test_prove_list_and_run(theorem_dir, capsys, monkeypatch):
    run = lambda *args: inproc(capsys, *args)  # noqa: E731
    d = str(theorem_dir)
    proc = run("prove", "--list", "--dir", d)
    assert proc.returncode == 0
    assert proc.stdout.split() == ["thm-bad", "thm-family-one", "thm-family-two", "thm-good",
                                   "thm-raising", "thm-uses-helper", "thm-with-build"]

    proc = run("prove", "good", "--dir", d)
    assert proc.returncode == 0 and "good theorem holds" in proc.stdout
    assert proc.stdout.count("good theorem holds") == 1  # run once, not twice
    assert run("prove", "thm_good", "--dir", d).returncode == 0

    assert_clean_error(run("prove", "bad", "--dir", d), 1, "exited with status 1")
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
    assert "thm-bad" in proc.stderr and "thm-raising" in proc.stderr
    assert "thm-good" not in proc.stderr.splitlines()[-1]
    # unmarked scripts and files not named thm_*.py never ran, nor can be named
    assert not list(theorem_dir.glob("RAN*"))
    for name in ("unmarked", "thm-unmarked", "evil", "setup"):
        assert_clean_error(run("prove", name, "--dir", d), 2, "unknown theorem")
    assert not list(theorem_dir.glob("RAN*"))
    sys.modules.pop("_helper", None)  # imported by thm_uses_helper in this process


@pytest.mark.timeout(60)
def test_prove_refuses_a_folder_of_arbitrary_scripts(tmp_path):
    """issue 9, item 9: `prove all --dir SOME_FOLDER` ran every *.py in it."""
    for name in ("evil.py", "thm_evil.py", "conftest.py"):
        (tmp_path / name).write_text(f"open({str(tmp_path / 'RAN')!r}, 'w').close()\n")
    proc = run("prove", "all", "--dir", str(tmp_path))
    assert_clean_error(proc, 1, "no theorem scripts found")
    assert "# symxent: theorem" in proc.stderr  # says how to mark a script
    assert not (tmp_path / "RAN").exists()
    env_proc = subprocess.run([sys.executable, "-m", "symxent", "prove", "all"],
                              capture_output=True, text=True, timeout=60, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT),
                                   "SYMXENT_DERIVATIONS": str(tmp_path)})
    assert env_proc.returncode == 1 and not (tmp_path / "RAN").exists()


@pytest.mark.timeout(60)
def test_prove_empty_dir(tmp_path):
    assert_clean_error(run("prove", "--list", "--dir", str(tmp_path)), 1, "no theorem scripts")


# ---------------------------------------------------------------- in-process plumbing
def test_compare_agree_disagree_infinite_inconclusive():
    with mpmath.workdps(60):
        one = mpmath.mpf(1)
        assert cli_check._compare(one, one + mpmath.mpf(10) ** -40, mpmath.mpf(0), 50)[0]
        ok, msg, _ = cli_check._compare(one, one + mpmath.mpf(10) ** -10, mpmath.mpf(0), 50)
        assert not ok and "DISAGREE" in msg
        assert cli_check._compare(mpmath.inf, mpmath.inf, mpmath.mpf(0), 50)[0]
        assert not cli_check._compare(mpmath.inf, one, mpmath.mpf(0), 50)[0]
        ok, msg, _ = cli_check._compare(one, one, mpmath.mpf(10) ** -5, 50)
        assert not ok and "INCONCLUSIVE" in msg
        # an explicit tolerance is honoured
        tol = sympy.Rational(1, 10**8)
        assert cli_check._compare(one, one + mpmath.mpf(10) ** -10, mpmath.mpf(0), 50, tol)[0]
        assert not cli_check._compare(one, one + mpmath.mpf(10) ** -7, mpmath.mpf(0), 50, tol)[0]


def test_check_fails_on_a_wrong_closed_form(monkeypatch, capsys):
    """The real numeric side against a closed form made wrong on purpose."""
    right = cli_common._FUNCTIONS["entropy"]
    wrong = {"delta": sympy.Integer(0)}
    monkeypatch.setitem(cli_common._FUNCTIONS, "entropy",
                        lambda *rvs, base=None: right(*rvs, base=base) + wrong["delta"])
    assert cli.main(["check", "entropy", "Normal(0, 2)", "--dps", "30"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "agree"
    wrong["delta"] = sympy.Rational(1, 10**12)
    assert cli.main(["check", "entropy", "Normal(0, 2)", "--dps", "30"]) == 1
    captured = capsys.readouterr()
    assert "DISAGREE" in captured.out and "DISAGREE" in captured.err


def _with_wrong_last_step(monkeypatch):
    """derive() as the engine gives it, plus a last step that is off by 10**-6."""
    real = cli_derive.derive

    def derive(quantity, check=True):
        d = real(quantity, check=False)
        d.step("=", d.end + sympy.Rational(1, 10**6), "a typo in the last line")
        if check:
            d.check()
        return d
    monkeypatch.setattr(cli_derive, "derive", derive)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("fmt", ["text", "latex", "markdown"])
def test_derive_with_a_failed_step_exits_1_and_says_so(monkeypatch, capsys, fmt):
    """issue 9, item 9: a derivation whose check failed exited 0, and --format
    latex exported the false line without a word."""
    _with_wrong_last_step(monkeypatch)
    code = cli.main(["derive", "entropy", "Normal(0, 1)", "--format", fmt])
    captured = capsys.readouterr()
    assert code == 1
    assert "NOT VERIFIED" in captured.out and "step" in captured.out
    assert "a typo in the last line" in captured.err and "failed its check" in captured.err
    if fmt == "latex":
        first = captured.out.splitlines()[0]
        assert first.startswith("% NOT VERIFIED")  # before the chain, in the exported file
        assert r"\textbf{NOT VERIFIED:}" in captured.out


def test_derive_without_checks_is_not_a_failure(monkeypatch, capsys):
    _with_wrong_last_step(monkeypatch)
    assert cli.main(["derive", "entropy", "Normal(0, 1)", "--no-check"]) == 0
    assert "not checked" in capsys.readouterr().out


def test_symxent_error_is_one_line_and_an_input_error(monkeypatch, capsys):
    from symxent.errors import UnsupportedError

    def boom(*args, **kwargs):
        raise UnsupportedError("mismatched pair\nsecond line")
    monkeypatch.setitem(cli_common._FUNCTIONS, "kl", boom)
    assert cli.main(["check", "kl", "Normal(0, 1)", "Normal(1, 1)"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "symxent: error: UnsupportedError: mismatched pair"


def test_internal_error_is_exit_3_in_one_line(monkeypatch, capsys):
    def boom(*args, **kwargs):
        raise OverflowError("int too large to convert to float")
    monkeypatch.setitem(cli_common._FUNCTIONS, "entropy", boom)
    assert cli.main(["check", "entropy", "Normal(0, 1)"]) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith("symxent: internal error: OverflowError") and "\n" not in err


def test_help_has_the_status_table():
    text = cli.build_parser().format_help()
    assert "exit status:" in text
    for code in ("0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "130"):
        assert f"\n  {code}" in text, code


# ---------------------------------------------------------------- with the real engine
# (tests named test_engine_*; they fail until the engine modules exist)
@pytest.mark.timeout(900)
@pytest.mark.parametrize("fmt, marker", [
    ("latex", r"\mathrm{KL}"), ("markdown", "$"), ("text", "D_KL"),
])
def test_engine_derive_kl_normal(fmt, marker, capsys):
    # one format through `python -m symxent` (start-up, child process, exit status), the
    # others through the same cli.main in this process: the start-up is format-independent
    # and cost 2-3 s per run (issue 10)
    argv = ("derive", "kl", "Normal(mu1, sigma1)", "Normal(mu2, sigma2)", "--format", fmt)
    proc = run(*argv) if fmt == "latex" else inproc(capsys, *argv)
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.timeout(900)
def test_engine_derive_entropy_and_cross_entropy(capsys):
    proc = run("derive", "entropy", "Beta(a, b)", "--timeout", "120", timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "S(X)" in proc.stdout
    # the second through the same entry point in this process (the start-up is
    # the first one's, issue 10)
    proc = inproc(capsys, "derive", "cross-entropy", "Normal(mu1, sigma1)", "Normal(mu2, sigma2)")
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
def test_engine_table_subset(fmt, marker, capsys):
    argv = ("table", "-k", "S Normal", "--format", fmt)   # as test_engine_derive_kl_normal
    proc = run(*argv) if fmt == "latex" else inproc(capsys, *argv)
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


# ---------------------------------------------------------------- variadic families (issue 12)
# in-process (cli.main with argv): no fork, no start-up cost
def _last_closed_form(out):
    """The right-hand side of the last ``= ...    [reason]`` line of a text derivation."""
    line = [ln for ln in out.splitlines() if ln.lstrip().startswith("= ")][-1]
    return line.lstrip()[2:].split("    [")[0]


def _cat_point(names, rng):
    """Probabilities with a positive remainder: each in (0, 1/len) so the sum stays < 1."""
    return {n: sympy.Rational(rng.randint(1, 999), 1000 * (len(names) + 1)) for n in names}


@pytest.mark.timeout(120)
def test_engine_derive_entropy_of_categorical_with_symbolic_probabilities(capsys):
    import random
    proc = inproc(capsys, "derive", "entropy", "Categorical(p1, p2, p3)")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1].startswith("where p3 = ")   # the precondition, stated
    closed = sympy.sympify(_last_closed_form(proc.stdout))
    p1, p2 = sympy.symbols("p1 p2", positive=True)
    closed = closed.subs({sympy.Symbol("p1"): p1, sympy.Symbol("p2"): p2})
    # Cover & Thomas, Elements of Information Theory, 2nd ed., eq. 2.1: S = -sum p log p
    p3 = 1 - p1 - p2
    reference = -(p1 * sympy.log(p1) + p2 * sympy.log(p2) + p3 * sympy.log(p3))
    assert sympy.simplify(closed - reference) == 0
    rng = random.Random(12)
    for _ in range(3):
        at = _cat_point(["p1", "p2"], rng)
        at = {p1: at["p1"], p2: at["p2"]}
        with mpmath.workdps(40):
            ps = [mpmath.mpf(v.p) / v.q for v in (at[p1], at[p2], 1 - at[p1] - at[p2])]
            ref = -mpmath.fsum(p * mpmath.log(p) for p in ps)
            assert abs(mpmath.mpf(sympy.N(closed.subs(at), 40)) - ref) < mpmath.mpf(10) ** -35


@pytest.mark.timeout(120)
def test_engine_derive_kl_of_categoricals_with_symbolic_probabilities(capsys):
    import random
    proc = inproc(capsys, "derive", "kl", "Categorical(p1, p2, p3)", "Categorical(q1, q2, q3)")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    last = proc.stdout.splitlines()[-1]
    assert "p3 = " in last and "q3 = " in last and "sum to 1" in last
    closed = sympy.sympify(_last_closed_form(proc.stdout))
    rng = random.Random(13)
    for _ in range(3):
        at = {**_cat_point(["p1", "p2"], rng), **_cat_point(["q1", "q2"], rng)}
        # Cover & Thomas, eq. 2.26: D(p || q) = sum p log(p / q), at 40 digits
        with mpmath.workdps(40):
            mp = {k: mpmath.mpf(v.p) / v.q for k, v in at.items()}
            ps = [mp["p1"], mp["p2"], 1 - mp["p1"] - mp["p2"]]
            qs = [mp["q1"], mp["q2"], 1 - mp["q1"] - mp["q2"]]
            ref = mpmath.fsum(p * mpmath.log(p / q) for p, q in zip(ps, qs))
            value = sympy.N(closed.subs({sympy.Symbol(k): v for k, v in at.items()}), 40)
            assert abs(mpmath.mpf(value) - ref) < mpmath.mpf(10) ** -35


@pytest.mark.timeout(120)
def test_engine_derive_entropy_of_numeric_categorical(capsys):
    proc = inproc(capsys, "derive", "entropy", "Categorical(1/2, 1/3, 1/6)")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    closed = sympy.sympify(_last_closed_form(proc.stdout))
    R = sympy.Rational   # Cover & Thomas, eq. 2.1
    reference = -sum(p * sympy.log(p) for p in (R(1, 2), R(1, 3), R(1, 6)))
    assert sympy.simplify(closed - reference) == 0
    assert "where" not in proc.stdout                     # nothing eliminated


@pytest.mark.timeout(60)
@pytest.mark.parametrize("argv, fragment", [
    (["derive", "entropy", "Categorical(1/2, 1/3, 1/4)"], "must sum to 1; they sum to 13/12"),
    (["derive", "kl", "Categorical(p, p)", "Categorical(1/2, 1/2)"], "1 minus the others"),
    (["check", "entropy", "Categorical(p1, p2, p3)", "--at", "p3=1/2"], "give values for the others"),
    (["derive", "entropy", "Normla(0, 1)"], "did you mean Normal?"),
    (["derive", "entropy", "Die(n)"], "number of sides"),
])
def test_variadic_input_errors_exit_2(argv, fragment, capsys):
    assert_clean_error(inproc(capsys, *argv), 2, fragment)


@pytest.mark.timeout(120)
def test_engine_divergence_family_states_the_elimination_too(capsys):
    proc = inproc(capsys, "derive", "renyi", "Categorical(p1, p2, p3)",
                  "Categorical(1/3, 1/3, 1/3)", "--alpha", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1].startswith("where p3 = ")


@pytest.mark.timeout(120)
def test_engine_check_categorical_with_at_values(capsys):
    proc = inproc(capsys, "check", "kl", "Categorical(p1, p2, p3)", "Categorical(1/3, 1/3, 1/3)",
                  "--at", "p1=1/2", "--at", "p2=1/4")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "agree"
    assert any(ln.startswith("where p3 = ") for ln in proc.stdout.splitlines())


@pytest.mark.timeout(120)
@pytest.mark.parametrize("argv", [
    ["derive", "entropy", "Dirichlet(1, 2, 3)"],
    ["derive", "entropy", "Die(6)"],
    ["derive", "entropy", "DiscreteUniform(1, 2, 5)"],
])
def test_engine_derive_list_parameter_families(argv, capsys):
    proc = inproc(capsys, *argv)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.timeout(60)
def test_engine_derive_kl_numeric_mvn_matches_the_textbook_formula(capsys):
    proc = inproc(capsys, "derive", "kl", "MultivariateNormal([0, 0], [[2, 1], [1, 2]])",
                  "MultivariateNormal([1, 0], [[1, 0], [0, 1]])")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    closed = sympy.sympify(_last_closed_form(proc.stdout))
    # D_KL(N0 || N1) = (tr(S1^-1 S0) + (m1 - m0)^T S1^-1 (m1 - m0) - k + log(det S1 / det S0)) / 2
    # (Duchi, "Derivations for Linear Algebra and Optimization", KL of Gaussians)
    S0, S1 = sympy.Matrix([[2, 1], [1, 2]]), sympy.eye(2)
    d = sympy.Matrix([1, 0])
    reference = ((S1.inv() * S0).trace() + (d.T * S1.inv() * d)[0] - 2
                 + sympy.log(S1.det() / S0.det())) / 2
    assert sympy.simplify(closed - reference) == 0


# ---------------------------------------------------------------- exit codes (issue 9, item 9)
@pytest.mark.timeout(120)
def test_no_closed_form_is_a_normal_outcome_exit_4():
    proc = run("derive", "kl", "Normal(0, 1)", "Cauchy(0, 1)", "--no-check")
    assert proc.returncode == 4, proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    assert "D_KL(P || Q)" in proc.stdout and "no closed form found" in proc.stdout


def test_check_without_closed_form_exits_4(monkeypatch, capsys):
    # the engine's own answer for this pair (no closed form), without its 2 s search
    monkeypatch.setitem(cli_common._FUNCTIONS, "kl", lambda p, q, base=None: cli_common._quantity("kl", (p, q),
                                                                                     base))
    proc = inproc(capsys, "check", "kl", "Normal(0, 1)", "Cauchy(0, 1)")
    assert proc.returncode == 4 and "nothing to check" in proc.stderr
    assert proc.stdout.splitlines()[-2] == "D_KL(P || Q)"


def test_unevaluated_rendering_in_every_format():
    from symxent.cli.parsing import parse_pair
    rvs = parse_pair("Normal(0, 1)", "Cauchy(0, 1)")
    q = cli_common._quantity("kl", rvs, None)
    latex = cli_derive._render_unevaluated(q, rvs, "latex", "no rule")
    assert latex.splitlines()[-1] == sympy.latex(q) and "% note: no closed form" in latex
    md = cli_derive._render_unevaluated(q, rvs, "markdown", "no rule")
    assert f"$$\n{sympy.latex(q)}\n$$" in md and "_Note: no closed form" in md


@pytest.mark.timeout(60)
@pytest.mark.parametrize("argv, fragment", [
    (["check", "entropy", "Normal(0, 1)", "--tol", "-1"], "--tol must be a positive number"),
    (["check", "entropy", "Normal(0, 1)", "--tol", "0"], "--tol must be a positive number"),
    (["check", "entropy", "Normal(0, 1)", "--tol", "x"], "--tol"),
    (["derive", "entropy", "Normal(exp(exp(exp(exp(exp(exp(10)))))), 1)"], "number too large"),
    (["derive", "entropy", "Normal(exp(3000), 1)"], "number too large"),
    (["derive", "entropy", "Normal(-exp(exp(10)), 1)"], "number too large"),
    (["check", "entropy", "Normal(mu, 1)", "--at", "mu=exp(exp(exp(10)))"], "number too large"),
])
def test_bad_numbers_exit_2(argv, fragment, capsys):
    assert_clean_error(inproc(capsys, *argv), 2, fragment)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e12", "0", "-1", "two"])
def test_bad_timeout_exit_2(value, capsys):
    proc = inproc(capsys, "derive", "entropy", "Normal(0, 1)", "--timeout", value)
    assert_clean_error(proc, 2, "--timeout")


@pytest.mark.timeout(60)
@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_isolated_command_reports_exit_codes_and_tracebacks(monkeypatch, capfd):
    def boom(*args, **kwargs):
        raise OverflowError("int too large to convert to float")
    monkeypatch.setitem(cli_common._FUNCTIONS, "entropy", boom)
    assert cli.main(["check", "entropy", "Normal(0, 1)"], isolate=True) == 3
    assert "internal error: OverflowError" in capfd.readouterr().err
    assert cli.main(["--traceback", "check", "entropy", "Normal(0, 1)"], isolate=True) == 3
    err = capfd.readouterr().err
    assert "Traceback" in err and "OverflowError: int too large" in err
    assert cli.main(["check", "entropy", "Normal(0, 1)", "--tol", "-1"], isolate=True) == 2


def test_prove_works_from_an_installed_package(tmp_path):
    """issue 12: `symxent prove` only worked from the repository root; an installed
    package carries the theorem scripts as symxent._theorems (pyproject.toml maps
    derivations/ there).  Lay the package out as pip installs it and run prove."""
    import shutil
    root = Path(__file__).resolve().parent.parent
    assert '"symxent._theorems" = "derivations"' in (root / "pyproject.toml").read_text()
    site = tmp_path / "site"
    shutil.copytree(root / "symxent", site / "symxent",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "derivations", site / "symxent" / "_theorems",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ, PYTHONPATH=str(site))
    out = subprocess.run([sys.executable, "-m", "symxent", "prove", "--list"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "thm-kl-asymmetry" in out.stdout.split()
