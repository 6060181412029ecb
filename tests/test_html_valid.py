"""Valid HTML: the W3C Nu HTML checker (npm `vnu-jar`, run with the machine's
Java) reports no error on any built page.

Without Java or the checker these tests are reported as NOT RUN (skipped,
with the reason), never as passed; under CI that is a failure (the
`vnu_command` fixture in tests/conftest.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def vnu(vnu_command) -> list[str]:
    """The checker (tests/conftest.py: not run without Java or the jar,
    a failure under CI), errors only."""
    return [*vnu_command, "--skip-non-html", "--errors-only"]


def check(vnu: list[str], target: Path) -> list[str]:
    result = subprocess.run([*vnu, str(target)], capture_output=True, text=True)
    return [line for line in result.stderr.splitlines() if ": error:" in line]


def test_every_built_page_is_valid_html(vnu, built_site):
    errors = check(vnu, built_site)
    assert errors == [], f"{len(errors)} error(s), first ones:\n" + "\n".join(errors[:20])


def test_the_checker_catches_the_theme_markup_this_site_fixes(vnu, built_site, tmp_path):
    """Broken fixture: a built page with the theme's original markup put
    back (empty tabindex, autocomplete on a checkbox, a label for no control)."""
    page = (built_site / "case-studies" / "cs-03" / "index.html").read_text(encoding="utf-8")
    page = page.replace('<div class="md-nav__title">', '<label class="md-nav__title" for="__toc">', 1)
    page = page.replace('id="__drawer"', 'id="__drawer" autocomplete="off"', 1)
    page = page.replace('id="__nav_2_label"', 'id="__nav_2_label" tabindex=""', 1)
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    errors = "\n".join(check(vnu, tmp_path))
    assert "tabindex" in errors and "autocomplete" in errors and "non-hidden form control" in errors, errors
