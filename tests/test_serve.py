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
    """Every folder the build reads, and every data file at the top level
    (the register, the law data, search.yml, anchors.lock.json and any added
    later), is watched, so a save to it rebuilds under `make serve`."""
    config = yaml.load((PROJECT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    data_files = {p.name for p in PROJECT.iterdir() if p.suffix in {".yml", ".json"}} - {"mkdocs.yml", "package.json", "package-lock.json"}
    assert set(WATCHED) | data_files <= set(config["watch"]), sorted(set(WATCHED) | data_files - set(config["watch"]))
    assert all((PROJECT / path).exists() for path in config["watch"])


@pytest.mark.build
def test_make_serve_on_a_busy_port_says_so_in_one_line():
    """Issue 23: `make serve` with its port taken ended in a traceback."""
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "macros.cli", "serve", "--port", str(port)],
                                cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert f"port {port} is already in use" in result.stderr and f"PORT={port + 1}" in result.stderr


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


@pytest.mark.build
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


@pytest.mark.build
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


@pytest.mark.build
def test_the_build_outside_serve_still_fails_closed(tmp_path):
    """GUIDANCE_SERVE is set only by `mkdocs serve` itself (on_startup)."""
    from tests.sites import build

    site = assemble(tmp_path / "site", "broken-link")
    result = build(site, tmp_path / "out")
    assert result.returncode != 0
    assert not (tmp_path / "out" / "index.html").exists()


@pytest.mark.build
def test_a_save_to_the_project_code_takes_effect_on_the_next_rebuild(tmp_path):
    """macros/ is watched, and changed code is imported afresh (hooks.py)."""
    import os
    import shutil

    site = assemble(tmp_path / "site")
    os.unlink(site / "macros")
    shutil.copytree(PROJECT / "macros", site / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text() + "watch:\n  - macros\n")
    server = Served(site, "/fixture/")
    try:
        server.wait_for("files/", lambda html: "What the file must contain" in html, timeout=60)
        code = site / "macros" / "serve.py"
        save(code, code.read_text().replace("# The guidance has {count}", "# Changed code: the guidance has {count}"))
        page = site / "docs" / "files.md"
        save(page, page.read_text().replace("(history.md#looking-at-the-whole-history)", "(history.md#nope)"))
        server.wait_for("files/", lambda html: "Changed code: the guidance has 1 problem" in html)
        assert "Traceback" not in server.output()
    finally:
        server.stop()


@pytest.mark.build
def test_under_serve_a_build_warning_is_shown_on_the_pages_not_fatal(tmp_path):
    """A problem that MkDocs itself reports (here a menu entry for a page that
    does not exist) would stop a strict build, and `mkdocs serve` would hang;
    under serve the pages are published with the problem shown on them."""
    import os
    import subprocess

    from tests.sites import ENV, MKDOCS

    site = assemble(tmp_path / "site")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - index.md\n  - files.md\n  - history.md\n  - missing.md\n")
    result = subprocess.run([str(MKDOCS), "build", "-f", str(config), "-d", str(tmp_path / "out")],
                            capture_output=True, text=True, cwd=site, env={**ENV, "GUIDANCE_SERVE": "1"})
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "files" / "index.html").read_text()
    assert "missing.md" in html and ("serve-warnings" in html or "serve-problems" in html)
    strict = subprocess.run([str(MKDOCS), "build", "--strict", "-f", str(config), "-d", str(tmp_path / "strict")],
                            capture_output=True, text=True, cwd=site, env={k: v for k, v in ENV.items() if k != "GUIDANCE_SERVE"})
    assert strict.returncode != 0
    assert os.environ.get("GUIDANCE_SERVE") is None
