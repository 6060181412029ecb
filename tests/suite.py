"""`make test` runs the whole suite as two pytest processes side by side:
the browser tests (`-m browser`) and every other test (`-m "not browser"`).

Why: pytest runs one test at a time, on one core. The browser tests keep
Chromium busy and the others mostly wait for MkDocs builds, so on a two-core
machine the two halves together take little longer than the slower one.

Each half's output is printed in full when it finishes (never interleaved),
then one closing line for the whole suite:

    suite: 250 passed, 0 failed, 2 skipped

Usage: python -m tests.suite [pytest arguments]. With arguments (for
example `make test ARGS="-k search"`), it runs one ordinary pytest with them.
Exit status: 0 when both halves pass; otherwise the first non-zero status.
No test is ever rerun.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
HALVES = [("browser tests", "browser"), ("other tests", "not browser")]
COUNTS = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)\b")


def counts(output: str) -> dict[str, int]:
    """The counts in pytest's closing line (the last line with "passed",
    "failed", "error" or "skipped" and a time), e.g. {"passed": 3, "failed": 1}."""
    for line in reversed(output.splitlines()):
        if re.search(r" in [\d.]+s", line) and COUNTS.search(line):
            found: dict[str, int] = {}
            for n, word in COUNTS.findall(line):
                key = "failed" if word.startswith("error") else word
                found[key] = found.get(key, 0) + int(n)
            return found
    return {}


def closing_line(results: list[dict[str, int]]) -> str:
    total = {k: sum(r.get(k, 0) for r in results) for k in ("passed", "failed", "skipped")}
    line = f"suite: {total['passed']} passed, {total['failed']} failed"
    return line + (f", {total['skipped']} skipped" if total["skipped"] else "")


def run_half(name: str, marker: str, out: dict) -> None:
    command = [sys.executable, "-m", "pytest", "-m", marker, "-o", f"cache_dir=.pytest_cache/{marker.replace(' ', '-')}"]
    start = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.run(command, cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT, text=True)
        log.seek(0)
        out[name] = (proc.returncode, log.read(), time.perf_counter() - start)


def main(argv: list[str]) -> int:
    if argv:
        return subprocess.run([sys.executable, "-m", "pytest", *argv], cwd=PROJECT).returncode
    print("Running the browser tests and the other tests side by side; each prints its report when it ends.", flush=True)
    start = time.perf_counter()
    results: dict[str, tuple[int, str, float]] = {}
    threads = [threading.Thread(target=run_half, args=(name, marker, results)) for name, marker in HALVES]
    for thread in threads:
        thread.start()
    printed = set()
    while len(printed) < len(HALVES):
        for thread, (name, _) in zip(threads, HALVES):
            if name not in printed and not thread.is_alive():
                thread.join()
                code, output, seconds = results[name]
                print(f"\n===== {name} (finished after {seconds:.0f} s) =====\n{output}", end="", flush=True)
                printed.add(name)
        time.sleep(0.2)
    wall = time.perf_counter() - start
    codes = [results[name][0] for name, _ in HALVES]
    parts = ", ".join(f"{name} {results[name][2]:.0f} s" for name, _ in HALVES)
    print(f"\nmake test took {wall:.0f} s ({parts}, side by side)")
    print(closing_line([counts(results[name][1]) for name, _ in HALVES]))
    return next((code for code in codes if code != 0), 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main(sys.argv[1:]))
