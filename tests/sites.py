"""Helpers to assemble and build small fixture sites and the real site."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import subprocess
import traceback
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"
MKDOCS = PROJECT / ".venv" / "bin" / "mkdocs"
# The date the fixtures are checked on: their review dates are set against it.
TODAY = dt.date(2026, 11, 28)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def assemble(target: Path, broken: str | None = None) -> Path:
    """Copy the clean fixture site to `target`, overlay one broken fixture, and
    link in the project's own code, theme overrides and assets."""
    shutil.copytree(FIXTURES / "clean", target)
    if broken:
        for path in (BROKEN / broken).rglob("*"):
            if path.is_file() and path.name != "expected.txt":
                dest = target / path.relative_to(BROKEN / broken)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, dest)
    os.symlink(PROJECT / "macros", target / "macros")
    os.symlink(PROJECT / "overrides", target / "overrides")
    shutil.copytree(PROJECT / "docs" / "assets", target / "docs" / "assets")
    return target


def build(project_dir: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run a strict build (never with -q: it hides the warnings strict counts)."""
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "--clean", "-f", str(project_dir / "mkdocs.yml"), "-d", str(site_dir), *extra],
        capture_output=True, text=True, env=ENV, cwd=project_dir,
    )


def check(site: Path, today: dt.date | None = None) -> subprocess.CompletedProcess:
    """Run `make check` on `site` in this process, through the command's own
    entry point (`macros.cli.main`, what `python -m macros.cli check` runs),
    and return its exit status and what it printed, like subprocess.run.
    An exception that escapes it is returned as its traceback on stderr, as
    the command would print it. (A separate interpreter costs about 0.3 s of
    start-up and imports per run; `tests/test_checks.py` still runs the real
    command as a process, for its exit status and output.)"""
    from macros import cli

    argv = ["check", "--root", str(site)] + (["--today", today.isoformat()] if today else [])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # noqa: BLE001 - reported as the command would report it
            traceback.print_exc()
            code = 1
    return subprocess.CompletedProcess(["make", "check", *argv], code, out.getvalue(), err.getvalue())
