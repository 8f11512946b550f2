"""Run the test-suite in parallel shares, one pytest process per core.

    python tests/run.py [--jobs N] [pytest options]

Each process runs ``python -m pytest -q --shard K/N`` (the K-th of N interleaved
shares of the collected tests, see ``tests/conftest.py``); N is the number of
cores (at most 4, at least 2).  Each share's output is printed when it ends; the
exit status is the first nonzero one (0 when every share passed).  The tests are
the same as with a plain ``python -m pytest -q``, which runs them in one process.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(argv):
    n = max(2, min(4, os.cpu_count() or 2))
    if argv[:1] == ["--jobs"] and len(argv) > 1:   # --jobs N: that many shares
        n, argv = int(argv[1]), argv[2:]
    start = time.time()
    procs = []
    for k in range(1, n + 1):
        out = tempfile.TemporaryFile(mode="w+")
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               f"--shard={k}/{n}", *argv]
        procs.append((k, out, subprocess.Popen(cmd, cwd=ROOT, stdout=out,
                                               stderr=subprocess.STDOUT)))
    status = 0
    for k, out, proc in procs:
        rc = proc.wait()
        out.seek(0)
        print(f"===== share {k}/{n} (exit {rc})", flush=True)
        sys.stdout.write(out.read())
        sys.stdout.flush()
        if rc and not status:
            status = rc
    print(f"===== {n} shares, {time.time() - start:.0f} s wall, "
          f"{'all passed' if status == 0 else f'FAILED (exit {status})'}", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
