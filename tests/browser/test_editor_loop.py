"""The editor loop in the browser (issue 12, item 7): a page open in Chromium
under `mkdocs serve` shows the problems by itself after a save that breaks the
sources, and the guidance again by itself once the fault is fixed, with the
site's content security policy in force (the reload script is allowed by its
hash, macros/serve.py)."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import DESKTOP, new_context
from tests.serving import Served, save
from tests.sites import assemble

pytestmark = pytest.mark.browser


def wait_for_text(page, text: str, present: bool = True, timeout: float = 30.0) -> float:
    """Seconds until the open page (reloaded by the server, never by the test)
    does or does not contain `text`."""
    started = time.monotonic()
    while True:
        try:
            found = text in page.evaluate("document.documentElement.outerHTML")
        except Exception:  # the page is being reloaded
            found = None
        if found is present:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"the page did not {'show' if present else 'drop'} {text!r} within {timeout} s")
        page.wait_for_timeout(100)


def test_an_open_page_shows_the_problem_and_recovers_by_itself(browser, tmp_path):
    site = assemble(tmp_path / "site")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "watch:\n  - case_studies\n")
    server = Served(site, "/fixture/")
    try:
        server.wait_for("files/", lambda html: "What the file must contain" in html, timeout=60)
        context = new_context(browser, viewport=DESKTOP)
        page = context.new_page()
        page.goto(server.base + "files/")
        page.wait_for_load_state("load")
        study = site / "case_studies" / "cs-01.md"
        good = study.read_text()
        save(study, good.replace("## The decisions\n", "## The decision\n"))
        wait_for_text(page, "serve-problems")
        html = page.evaluate("document.querySelector('.serve-problems').textContent")
        assert "case_studies/cs-01.md" in html and "[missing-heading]" in html and "Fix:" in html
        save(study, good)
        wait_for_text(page, "serve-problems", present=False)
        wait_for_text(page, "What the file must contain")
        assert page.evaluate("window.__cspViolations || []") == []
        context.close()
    finally:
        server.stop()


def test_a_site_with_search_definitions_never_hangs_on_an_error(browser, tmp_path):
    """Issue 23: with `defines:` in search.yml, a save that breaks a link used
    to hang every request (the search check found none of its sections once
    the pages were replaced by the problem list). Now the open tab and a tab
    opened while the error stands both show the problem, and both come back
    once it is fixed. search.yml is watched too: a broken entry is shown."""
    site = assemble(tmp_path / "site")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "watch:\n  - search.yml\n")
    settings = site / "search.yml"
    settings.write_text("defines:\n  - {provision: PHA s.4A, at: history/#the-law}\n")
    server = Served(site, "/fixture/")
    try:
        server.wait_for("files/", lambda html: "What the file must contain" in html, timeout=60)
        context = new_context(browser, viewport=DESKTOP)
        page = context.new_page()
        page.goto(server.base + "files/")
        page.wait_for_load_state("load")
        files = site / "docs" / "files.md"
        good = files.read_text()
        save(files, good + "\nSee [the missing page](missing.md).\n")
        wait_for_text(page, "serve-problems")
        assert "[broken-link]" in page.evaluate("document.querySelector('.serve-problems').textContent")
        second = context.new_page()
        second.goto(server.base + "history/", timeout=10_000)
        assert "[broken-link]" in second.evaluate("document.querySelector('.serve-problems').textContent")
        save(files, good)
        wait_for_text(page, "What the file must contain")
        wait_for_text(second, "serve-problems", present=False)
        save(settings, "defines:\n  - {provision: PHA s.4A, at: history/#the-laws}\n")
        wait_for_text(page, "search-settings")
        assert "search.yml:2" in page.evaluate("document.querySelector('.serve-problems').textContent")
        save(settings, "defines:\n  - {provision: PHA s.4A, at: history/#the-law}\n")
        wait_for_text(page, "What the file must contain")
        context.close()
    finally:
        server.stop()
