"""Helpers to assemble and build small fixture sites and the real site."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"
MKDOCS = PROJECT / ".venv" / "bin" / "mkdocs"
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
