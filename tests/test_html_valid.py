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


def check(vnu: list[str], *targets: Path) -> list[str]:
    result = subprocess.run([*vnu, *map(str, targets)], capture_output=True, text=True)
    return [line for line in result.stderr.splitlines() if ": error:" in line]


@pytest.fixture(scope="module")
def theme_markup_page(built_site, tmp_path_factory) -> Path:
    """Broken fixture: a built page with the theme's original markup put
    back (empty tabindex, autocomplete on a checkbox, a label for no control),
    in a folder of its own."""
    page = (built_site / "case-studies" / "cs-03" / "index.html").read_text(encoding="utf-8")
    page = page.replace('<div class="md-nav__title">', '<label class="md-nav__title" for="__toc">', 1)
    page = page.replace('id="__drawer"', 'id="__drawer" autocomplete="off"', 1)
    page = page.replace('id="__nav_2_label"', 'id="__nav_2_label" tabindex=""', 1)
    folder = tmp_path_factory.mktemp("theme-markup")
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def errors(vnu, built_site, theme_markup_page) -> dict[str, list[str]]:
    """The checker's errors on the built site and on the broken fixture, from
    one run (starting Java costs more than checking a page): {"site": [...],
    "broken": [...]}, each error under the folder its file is in."""
    found = {"site": [], "broken": []}
    for line in check(vnu, built_site, theme_markup_page):
        found["broken" if theme_markup_page.as_uri() in line or str(theme_markup_page) in line else "site"].append(line)
    return found


def test_every_built_page_is_valid_html(errors):
    assert errors["site"] == [], f"{len(errors['site'])} error(s), first ones:\n" + "\n".join(errors["site"][:20])


def test_the_checker_catches_the_theme_markup_this_site_fixes(errors):
    broken = "\n".join(errors["broken"])
    assert "tabindex" in broken and "autocomplete" in broken and "non-hidden form control" in broken, broken
