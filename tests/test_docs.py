"""The contributing guide and the code stay in step."""

from __future__ import annotations

import re

from macros import checks
from tests.sites import PROJECT


def catalogue() -> dict[str, str]:
    text = (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("## The check catalogue", 1)[1]
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\| `([a-z-]+)` \| ([^|]+) \|", table, re.M)}


def test_catalogue_lists_every_code_with_its_meaning():
    assert catalogue() == checks.CODES


def test_readme_quick_start_is_two_commands():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "make serve" in readme and "make test" in readme


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJECT / ".ci" / "run").read_text()


def test_dependencies_are_pinned_and_installed_by_hash():
    lock = (PROJECT / "requirements" / "requirements.txt").read_text()
    packages = re.findall(r"^([a-z0-9_.-]+)==\S+ \\$", lock, re.M | re.I)
    assert len(packages) > 20
    for block in re.split(r"\n(?=[a-z0-9_.-]+==)", lock, flags=re.I)[1:]:
        assert "--hash=sha256:" in block, block.splitlines()[0]
    direct = (PROJECT / "requirements" / "requirements.in").read_text()
    assert all("==" in line for line in direct.splitlines() if line and not line.startswith("#"))
    assert "--require-hashes" in (PROJECT / "Makefile").read_text()
    assert re.search(r"^mkdocs==1\.6\.1$", direct, re.M)
