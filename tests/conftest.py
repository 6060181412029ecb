from __future__ import annotations

import os
import shutil

import pytest

from tests.sites import PROJECT, build
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
    """The real site, built once per test session with the strict build."""
    out = tmp_path_factory.mktemp("site")
    result = build(PROJECT, out)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr[-4000:]}"
    return out


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
