"""Helpers to assemble and build small fixture sites and the real site."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"
MKDOCS = PROJECT / ".venv" / "bin" / "mkdocs"
# `make test` (tests/suite.py) builds the real site once for its three pytest
# processes and passes the folder in this variable (tests/conftest.py, built_site).
SHARED_SITE = "GUIDANCE_TEST_SITE"
# `make test-fast` (tests/suite.py) runs its tests as two pytest processes side
# by side, one on each core: this variable is "0/2" in one and "1/2" in the
# other, and each keeps every second selected test (tests/conftest.py).
SHARD = "GUIDANCE_SHARD"
# The date the fixtures are checked on: their review dates are set against it.
TODAY = dt.date(2026, 11, 28)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
# Under pytest, tests/conftest.py sets this before each test: the name of a
# test that builds without being marked `build` (None while it may build).
# `make test-fast` leaves out the tests marked `build`, so an unmarked one
# would make it slow; `build()` and `tests.serving.Served` refuse to run for it.
UNMARKED: str | None = None


def refuse_unmarked(what: str) -> None:
    """Fail the current test, with the fix, if it is not marked `build`."""
    if UNMARKED is not None:
        import pytest

        pytest.fail(f"{UNMARKED} {what} but is not marked `build`: add @pytest.mark.build to it (or "
                    f"pytestmark = pytest.mark.build to its module), so that `make test-fast` leaves it out",
                    pytrace=False)


@functools.lru_cache(maxsize=1)
def real_project():
    """The real project's sources, read and parsed by `make check`'s reading
    stage once per test process: the tests that look at the real guidance
    share it and only read it. (Each parse takes about a second.)"""
    from macros import stage  # noqa: F401 - registers the reading stage that load_project uses
    from macros.project import load_project

    return load_project(PROJECT)


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
    """Run a strict build (never with -q: it hides the warnings strict counts)
    as its own process, and return its exit status and output like
    subprocess.run.

    The process is `mkdocs build` (MkDocs' own command line, `mkdocs.__main__.cli`,
    which the `mkdocs` script runs) in a child forked from a server process
    that has only imported MkDocs, Material and the project's code
    (multiprocessing's "forkserver", started once per test session). Each
    build therefore starts from that clean state, shares nothing with the
    test process or another build, and skips the 0.2 s of interpreter
    start-up and imports that a new `mkdocs` process pays: the suite builds
    about 80 small sites."""
    refuse_unmarked("builds a site")
    argv = ["build", "--strict", "--clean", "-f", str(project_dir / "mkdocs.yml"), "-d", str(site_dir), *extra]
    with tempfile.TemporaryDirectory(prefix="mkdocs-output-") as tmp:
        out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
        child = _forks().Process(target=_mkdocs_in_child, args=(argv, str(project_dir), ENV, str(out), str(err)))
        child.start()
        child.join()
        return subprocess.CompletedProcess([str(MKDOCS), *argv], child.exitcode,
                                           out.read_text(encoding="utf-8", errors="replace"),
                                           err.read_text(encoding="utf-8", errors="replace"))


# What the fork server imports before it forks a build: the slow imports of a
# build (about 0.3 s). A module missing here is imported by the build itself.
PRELOAD = [
    "tests.sites", "mkdocs.__main__", "mkdocs.commands.build", "mkdocs.config.defaults",
    "material.plugins.search.plugin", "pymdownx.util", "markdown.extensions.codehilite",
    "markdown.extensions.attr_list", "pygments.formatters.html", "mkdocs_macros.plugin",
    "macros", "macros.stage", "macros.hooks", "macros.printview", "macros.search", "macros.citations", "macros.exports",
    "macros.checks.case_studies", "faker", "feedgen.feed", "pymdownx.quotes", "pymdownx.saneheaders",
]
_FORKS = None


def _forks():
    global _FORKS
    if _FORKS is None:
        from macros.checks.case_studies import FORENAME_LOCALES

        # The personal-data check reads the forenames of these Faker modules
        # in every build (about 0.1 s to import).
        forenames = [f"faker.providers.person.{locale}" for locale in FORENAME_LOCALES]
        _FORKS = multiprocessing.get_context("forkserver")
        _FORKS.set_forkserver_preload(PRELOAD + forenames)
    return _FORKS


def _mkdocs_in_child(argv: list[str], cwd: str, env: dict, out: str, err: str) -> None:
    """In the forked child: run `mkdocs <argv>` from `cwd` with environment
    `env`, its standard output and error going to the files `out` and `err`.
    MkDocs ends with SystemExit(status), which becomes the child's exit code."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for fd, path in ((1, out), (2, err)):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - flushed at exit by multiprocessing
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    from mkdocs.__main__ import cli

    cli(argv, prog_name="mkdocs")


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
