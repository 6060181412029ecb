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


def _theme_env():
    from mkdocs.config import load_config

    return load_config(config_file=str(PROJECT / "mkdocs.yml")).theme.get_env()


def test_kept_templates_are_the_code_a_fresh_compile_gives():
    """Under serve each rebuild's new Jinja environment reuses the templates
    compiled by the last one (serve.TemplateCache): for every template of the
    theme (Material's and overrides/), the kept code is byte for byte what
    compiling it afresh gives, so the preview's pages are what `make build`
    publishes."""
    import marshal

    from jinja2 import TemplateAssertionError

    cache = serve.TemplateCache()
    first = _theme_env()
    cache.attach(first)
    names = [n for n in first.list_templates() if n.endswith((".html", ".xml", ".js"))]
    assert "main.html" in names and "partials/nav-item.html" in names
    usable = []
    for name in names:
        try:
            first.get_template(name)
        except TemplateAssertionError:  # needs a plugin this site does not use (Material's blog)
            continue
        usable.append(name)
    assert "main.html" in usable and len(usable) > len(names) / 2
    later = _theme_env()
    cache.attach(later)
    for name in usable:
        source, filename, _ = later.loader.get_source(later, name)
        bucket = later.bytecode_cache.get_bucket(later, name, filename, source)
        assert bucket.code is not None, name
        assert marshal.dumps(bucket.code) == marshal.dumps(later.compile(source, name, filename)), name


def test_a_changed_template_is_compiled_afresh_not_kept():
    """A template saved during `make serve` (or one compiled under other
    settings) never reuses the code kept for its old text."""
    cache = serve.TemplateCache()
    env = _theme_env()
    cache.attach(env)
    env.get_template("main.html")
    source, filename, _ = env.loader.get_source(env, "main.html")
    assert env.bytecode_cache.get_bucket(env, "main.html", filename, source).code is not None
    assert env.bytecode_cache.get_bucket(env, "main.html", filename, source + "<!-- saved -->").code is None
    other = _theme_env()
    other.trim_blocks = not other.trim_blocks
    cache.attach(other)
    assert other.bytecode_cache.get_bucket(other, "main.html", filename, source).code is None


REBUILDS = """
import os, sys
from mkdocs.config import load_config
from mkdocs.commands.build import build
def config(site):
    c = load_config(config_file=sys.argv[1], site_dir=site)
    c.site_url = "http://127.0.0.1:8000/"
    return c
first = config(sys.argv[2])
first.plugins.on_startup(command="serve", dirty=False)
build(first)
for _ in range(2):
    build(config(sys.argv[3]))
"""


@pytest.mark.build
def test_a_rebuild_under_serve_publishes_what_a_first_build_does(tmp_path):
    """The second and third builds of one `mkdocs serve` process (which reuse
    the compiled templates and each page's search entries, macros/serve.py)
    write every file byte for byte as the process's first build, search index
    included."""
    import subprocess
    import sys

    from tests.sites import ENV

    cold, warm = tmp_path / "cold", tmp_path / "warm"
    env = {k: v for k, v in ENV.items() if k != "GUIDANCE_SERVE"}
    result = subprocess.run([sys.executable, "-c", REBUILDS, str(PROJECT / "mkdocs.yml"), str(cold), str(warm)],
                            cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    files = {p.relative_to(cold) for p in cold.rglob("*") if p.is_file()}
    assert files == {p.relative_to(warm) for p in warm.rglob("*") if p.is_file()}
    assert len(files) > 50 and any(p.name == "search_index.json" for p in files)
    assert [str(p) for p in sorted(files) if (cold / p).read_bytes() != (warm / p).read_bytes()] == []


def test_a_changed_page_is_read_afresh_for_the_search_index():
    """SearchEntryCache reuses a page's search entries only while everything
    they are made from is unchanged: its HTML, address, title and contents."""
    from types import SimpleNamespace

    read = []

    class Index:
        def __init__(self):
            self.entries = []

        def add_entry_from_context(self, page):
            read.append(page.url)
            self.entries.append({"location": page.url, "text": page.content})

    def page(content, url="pleas/", title="Pleas"):
        return SimpleNamespace(content=content, url=url, title=title, meta={}, toc=[])

    cache = serve.SearchEntryCache()
    cache.wrap(Index)
    for content in ("<p>one</p>", "<p>one</p>", "<p>two</p>"):
        cache.new_build()
        index = Index()
        index.add_entry_from_context(page(content))
        assert index.entries == [{"location": "pleas/", "text": content}]
    assert read == ["pleas/", "pleas/"]  # the unchanged second build was not read again
    for changed in (page("<p>two</p>", url="trial/"), page("<p>two</p>", title="Trial")):
        cache.new_build()
        Index().add_entry_from_context(changed)
    assert len(read) == 4
