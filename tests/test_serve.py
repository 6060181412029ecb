"""The editor loop (issue 12, item 7), proved with a real `mkdocs serve`: a
save that breaks the sources shows the problems in the browser instead of
hanging, the pages come back by themselves once it is fixed, and saves to
any source of the site trigger a rebuild. `make build` stays fail-closed
(tests/test_checks.py)."""

from __future__ import annotations

import pytest
import yaml

from macros import serve
from macros.model import Location, Problem
from tests.serving import Served, save
from tests.sites import PROJECT, assemble

WATCHED = ["case_studies", "includes", "recommendations.yml", "whats-new.yml", "templates", "overrides", "macros"]


def test_mkdocs_yml_watches_every_source_of_the_site():
    config = yaml.load((PROJECT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert set(WATCHED) <= set(config["watch"])
    assert all((PROJECT / path).exists() for path in config["watch"])


def test_error_page_lists_file_line_code_and_fix_and_escapes_them():
    page = serve.error_page([Problem("old-delimiters", Location("docs/a.md", 7), "'{{ case_study(\"X\") }}' <b>", "Write {{< x >}}")])
    assert "<strong>docs/a.md:7</strong>: [old-delimiters]" in page
    assert "&lt;b&gt;" in page and "Fix: Write {{&lt; x &gt;}}." in page
    assert page.startswith("# The guidance has 1 problem to fix")


@pytest.fixture()
def served(tmp_path):
    site = assemble(tmp_path / "site")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "watch:\n  - case_studies\n  - includes\n  - recommendations.yml\n")
    server = Served(site, "/fixture/")
    server.wait_for("files/", lambda html: "What the file must contain" in html, timeout=60)
    yield site, server
    server.stop()


def test_a_broken_save_shows_the_problem_and_recovers_by_itself(served):
    site, server = served
    page = site / "docs" / "files.md"
    good = page.read_text()
    save(page, good.replace("(history.md#looking-at-the-whole-history)", "(history.md#no-such-heading)"))
    server.wait_for("files/", lambda html: "serve-problems" in html)
    html = server.get("files/")
    assert "docs/files.md:17</strong>: [broken-anchor]" in html and "Fix: Correct the anchor" in html
    # Every page shows the problems, and none is held back.
    assert "serve-problems" in server.get("history/")
    save(page, good)
    server.wait_for("files/", lambda html: "What the file must contain" in html and "serve-problems" not in html)
    assert "Traceback" not in server.output()


def test_a_save_to_a_case_study_or_the_register_rebuilds(served):
    site, server = served
    study = site / "case_studies" / "cs-01.md"
    save(study, study.read_text().replace("## What happened\n", "## What happened\n\nA freshly saved sentence.\n", 1))
    server.wait_for("case-studies/cs-01/", lambda html: "A freshly saved sentence." in html)
    register = site / "recommendations.yml"
    save(register, register.read_text() + "\n  - [broken\n")
    html_seen = server.wait_for("files/", lambda html: "serve-problems" in html)
    assert "recommendations.yml:" in server.get("files/")
    assert html_seen < 30


def test_the_build_outside_serve_still_fails_closed(tmp_path):
    """GUIDANCE_SERVE is set only by `mkdocs serve` itself (on_startup)."""
    from tests.sites import build

    site = assemble(tmp_path / "site", "broken-link")
    result = build(site, tmp_path / "out")
    assert result.returncode != 0
    assert not (tmp_path / "out" / "index.html").exists()
