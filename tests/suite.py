"""`make test` runs the whole suite as three pytest processes side by side:
the page audit (axe on every page, `tests/browser/test_pages.py`), the other
browser tests, and every test that needs no browser (`-m "not browser"`).

Why: pytest runs one test at a time, on one core. The browser tests spend
much of their time waiting for Chromium, and the others for MkDocs builds, so
on a two-core machine three processes keep both cores busy; the page audit is
the longest single browser file, so it runs on its own (measured 1 December:
190 s with two processes, the browser half the longer).

Before it starts them, it builds the real site once with the strict build
and passes the folder to all three (tests/conftest.py, `built_site`), instead
of each building its own; if that build fails, each part builds the site
itself and reports the failure.

Each half's output is printed in full when it finishes (never interleaved),
then one closing line for the whole suite:

    suite: 250 passed, 0 failed, 2 skipped

Usage: python -m tests.suite [pytest arguments]. With arguments (for
example `make test ARGS="-k search"`), it runs one ordinary pytest with them.
Exit status: 0 when every part passes; otherwise the first non-zero status.
No test is ever rerun.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.sites import SHARD

PROJECT = Path(__file__).resolve().parent.parent
# (name, pytest arguments): every test is in exactly one part.
AUDIT = "tests/browser/test_pages.py"
HALVES = [
    ("page audit", ["-m", "browser", AUDIT]),
    # Only tests/browser is collected for it: importing the other test modules
    # just to deselect them cost more than a second (tests/test_suite.py
    # checks that no browser test lives elsewhere).
    ("other browser tests", ["-m", "browser", "tests/browser", f"--ignore={AUDIT}"]),
    ("other tests", ["-m", "not browser"]),
]
# `make test-fast`: every test that needs no browser and builds no site,
# split in two (every second test each, tests/conftest.py) and run side by
# side, one process on each core.
FAST = ["-m", "not browser and not build"]
FAST_HALVES = [("fast tests, half 1", "0/2"), ("fast tests, half 2", "1/2")]
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


def run_half(name: str, args: list[str], out: dict, env: dict | None = None) -> None:
    command = [sys.executable, "-m", "pytest", *args, "-o", f"cache_dir=.pytest_cache/{name.replace(' ', '-')}"]
    start = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.run(command, cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
        log.seek(0)
        out[name] = (proc.returncode, log.read(), time.perf_counter() - start)


def shared_site() -> tuple[dict, Path]:
    """Build the real site once for the three parts: (their environment,
    naming the folder in $GUIDANCE_TEST_SITE when the build passed; the folder)."""
    from tests.sites import SHARED_SITE, build

    site = Path(tempfile.mkdtemp(prefix="guidance-test-site-"))
    env = dict(os.environ)
    if build(PROJECT, site).returncode == 0:
        env[SHARED_SITE] = str(site)
    else:
        print("The strict build of the site failed: each part builds it again and reports why.", flush=True)
    return env, site


def run_parts(parts: list[tuple[str, list[str], dict | None]]) -> tuple[list[int], list[dict[str, int]], dict]:
    """Run each (name, pytest arguments, environment) as its own pytest
    process, all side by side; print each one's output in full as it ends.
    Returns (exit statuses, closing-line counts, {name: seconds})."""
    results: dict[str, tuple[int, str, float]] = {}
    threads = [threading.Thread(target=run_half, args=(name, args, results, env)) for name, args, env in parts]
    for thread in threads:
        thread.start()
    printed = set()
    while len(printed) < len(parts):
        for thread, (name, _, _) in zip(threads, parts):
            if name not in printed and not thread.is_alive():
                thread.join()
                code, output, seconds = results[name]
                print(f"\n===== {name} (finished after {seconds:.0f} s) =====\n{output}", end="", flush=True)
                printed.add(name)
        time.sleep(0.2)
    names = [name for name, _, _ in parts]
    return ([results[n][0] for n in names], [counts(results[n][1]) for n in names],
            {n: results[n][2] for n in names})


def fast(argv: list[str]) -> int:
    """`make test-fast`: FAST in two processes side by side (FAST_HALVES)."""
    start = time.perf_counter()
    parts = [(name, [*FAST, *argv], {**os.environ, SHARD: shard}) for name, shard in FAST_HALVES]
    codes, found, seconds = run_parts(parts)
    halves = ", ".join(f"{name} {seconds[name]:.0f} s" for name, _, _ in parts)
    print(f"\nmake test-fast took {time.perf_counter() - start:.0f} s ({halves}, side by side)")
    print(closing_line(found).replace("suite:", "test-fast:", 1))
    return next((code for code in codes if code != 0), 0)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--fast"]:
        return fast(argv[1:])
    if argv:
        return subprocess.run([sys.executable, "-m", "pytest", *argv], cwd=PROJECT).returncode
    print("Running the browser tests and the other tests side by side; each prints its report when it ends.", flush=True)
    start = time.perf_counter()
    env, site = shared_site()
    codes, found, seconds = run_parts([(name, args, env) for name, args in HALVES])
    shutil.rmtree(site, ignore_errors=True)
    wall = time.perf_counter() - start
    parts = ", ".join(f"{name} {seconds[name]:.0f} s" for name, _ in HALVES)
    print(f"\nmake test took {wall:.0f} s ({parts}, side by side)")
    print(closing_line(found))
    return next((code for code in codes if code != 0), 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main(sys.argv[1:]))
