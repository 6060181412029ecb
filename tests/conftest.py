from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import sites
from tests.sites import PROJECT, SHARD, SHARED_SITE, TODAY, assemble, build, check
from tests.system_deps import in_ci

VNU_JAR = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


# A test that uses one of these fixtures builds a site or starts Java, so it
# is marked `build` without saying so (`make test-fast` leaves it out).
BUILDING_FIXTURES = {"built_site", "vnu_command"}


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.build)


class _Shard:
    """With $GUIDANCE_SHARD set to "i/n" (tests.sites.SHARD), keep only every
    n-th selected test from the i-th: `make test-fast` runs two halves side by side."""

    @pytest.hookimpl(trylast=True)  # after `-m` and `-k` have selected
    def pytest_collection_modifyitems(self, config, items):
        index, count = (int(n) for n in os.environ[SHARD].split("/"))
        config.hook.pytest_deselected(items=[item for n, item in enumerate(items) if n % count != index])
        items[:] = [item for n, item in enumerate(items) if n % count == index]


def pytest_configure(config):
    if os.environ.get(SHARD):
        config.pluginmanager.register(_Shard(), "guidance-shard")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures are set up: may it build (tests.sites.UNMARKED)?"""
    may = item.get_closest_marker("build") or item.get_closest_marker("browser")
    sites.UNMARKED = None if may else item.nodeid


def pytest_runtest_teardown(item):
    sites.UNMARKED = None


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
    `out`). The build runs when a test first reads `built` (such a test is
    marked `build`), so the tests that read only the check's messages need
    no build and run in `make test-fast`."""

    site: Path
    check: subprocess.CompletedProcess
    out: Path

    @functools.cached_property
    def built(self) -> subprocess.CompletedProcess:
        return build(self.site, self.out)


@pytest.fixture(scope="session")
def broken_outcome(tmp_path_factory):
    """`broken_outcome(name)`: the Outcome of broken fixture `name`
    (tests/fixtures/broken/<name>/ over the clean site). Each fixture is
    assembled and checked once per session, and built at most once (when a
    test first reads `built`); every test that asserts something about it
    reads the same result: the exact messages,
    the agreement of check and build, the editor inputs. The check runs
    in-process (`tests.sites.check`); the build runs as its own process
    (`mkdocs build --strict`), so nothing the check leaves in memory can
    help the build agree with it."""
    cache: dict[str, Outcome] = {}

    def outcome(name: str) -> Outcome:
        if name not in cache:
            root = tmp_path_factory.mktemp(name)
            site = assemble(root / "site", name)
            cache[name] = Outcome(site, check(site, TODAY), root / "out")
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
