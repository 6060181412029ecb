from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sites import PROJECT, SHARED_SITE, TODAY, assemble, build, check
from tests.system_deps import in_ci

VNU_JAR = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def not_run(reason: str) -> None:
    """Report a test as NOT RUN (skipped, with the reason and the fix), or fail
    under CI, where every test must run."""
    message = f"NOT RUN: {reason}"
    if in_ci(os.environ):
        pytest.fail(message + " (under CI every test must run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real site, built with the strict build once per test session, or
    once per `make test` when tests/suite.py has built it for all three of
    its processes (the folder in $GUIDANCE_TEST_SITE). Tests only read it."""
    shared = os.environ.get(SHARED_SITE)
    if shared:
        return Path(shared)
    out = tmp_path_factory.mktemp("site")
    result = build(PROJECT, out)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr[-4000:]}"
    return out


@dataclass(frozen=True)
class Outcome:
    """One broken fixture site (`site`), what `make check` said about it
    (`check`, on TODAY) and what the strict build said (`built`, writing to
    `out`)."""

    site: Path
    check: subprocess.CompletedProcess
    built: subprocess.CompletedProcess
    out: Path


@pytest.fixture(scope="session")
def broken_outcome(tmp_path_factory):
    """`broken_outcome(name)`: the Outcome of broken fixture `name`
    (tests/fixtures/broken/<name>/ over the clean site). Each fixture is
    assembled, checked and built once per session, and every test that
    asserts something about it reads the same result: the exact messages,
    the agreement of check and build, the editor inputs. The check runs
    in-process (`tests.sites.check`); the build runs as its own process
    (`mkdocs build --strict`), so nothing the check leaves in memory can
    help the build agree with it."""
    cache: dict[str, Outcome] = {}

    def outcome(name: str) -> Outcome:
        if name not in cache:
            root = tmp_path_factory.mktemp(name)
            site = assemble(root / "site", name)
            cache[name] = Outcome(site, check(site, TODAY), build(site, root / "out"), root / "out")
        return cache[name]

    return outcome


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    """The W3C Nu HTML checker as a command: ["java", "-jar", ".../vnu.jar"].
    Installed by `make test` (npm ci, package-lock.json); reported as not run
    without Java or the jar, and a failure under CI."""
    java = shutil.which("java")
    if java is None:
        not_run("no Java found (make test installs it; or run: apt-get install -y default-jre-headless)")
    if not VNU_JAR.is_file():
        not_run(f"{VNU_JAR.relative_to(PROJECT)} is missing (run: make test-tools)")
    return [java, "-jar", str(VNU_JAR)]
