"""Whole wherever it is published (issue 23): `make build` publishes no link
to a file it does not make, `make publish` refuses the placeholder address,
and under a real address that is not the host's root the 404 page and the
print edition's addresses are under that address."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from lxml import html as lxml_html

from macros import hooks
from tests.sites import PROJECT, assemble


def test_placeholder_and_plain_addresses_cannot_be_published():
    assert hooks.site_address_problem("https://guidance.example.org/stalking-harassment/")
    assert hooks.site_address_problem("https://example.com/")
    assert hooks.site_address_problem("http://guidance.gov.uk/")
    assert hooks.site_address_problem("")
    assert hooks.site_address_problem("https://guidance.service.gov.uk/stalking/") is None


def _mkdocs(site, out, **env):
    return subprocess.run([str(PROJECT / ".venv" / "bin" / "mkdocs"), "build", "--strict", "-d", str(out)],
                          cwd=site, capture_output=True, text=True, env={**os.environ, **env}, timeout=300)


@pytest.mark.build
def test_make_publish_fails_on_the_placeholder_with_the_fix(tmp_path):
    site = assemble(tmp_path / "site")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url: https://example.org/fixture/", "site_url: https://guidance.example.org/x/"))
    result = _mkdocs(site, tmp_path / "out", GUIDANCE_PUBLISH="1")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "site_url is the placeholder 'https://guidance.example.org/x/'" in result.stderr
    assert "SITE_URL=https://your-host/guidance/ make publish" in result.stderr


@pytest.mark.build
def test_under_a_real_address_the_404_page_and_print_addresses_use_it(tmp_path):
    """Built as `make publish` builds (the footer link on), under a path that
    is not the host's root: the 404 page's styles and links, and the print
    edition's printed addresses, are all under that path."""
    site = assemble(tmp_path / "site")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url: https://example.org/fixture/", "site_url: https://guidance.service.gov.uk/deep/path/"))
    out = tmp_path / "out"
    result = _mkdocs(site, out, GUIDANCE_PUBLISH="1")
    assert result.returncode == 0, result.stderr[-3000:]
    missing = lxml_html.parse(str(out / "404.html"))
    styles = missing.xpath("//link[@rel='stylesheet']/@href")
    assert styles and all(h.startswith("/deep/path/") for h in styles), styles
    assert all(h.startswith(("/deep/path/", "#", "https://", "mailto:")) for h in missing.xpath("//a/@href")), missing.xpath("//a/@href")
    printed = lxml_html.parse(str(out / "print" / "index.html")).xpath("//@data-print-href")
    assert printed and all(h.startswith("https://guidance.service.gov.uk/deep/path/") for h in printed), printed[:5]
    assert lxml_html.parse(str(out / "index.html")).xpath("//p[@class='offline-copy-link']")


def test_make_build_links_to_no_offline_copy_it_does_not_make(built_site):
    """`make build` (the tests' build) has no footer link to guidance-offline.zip:
    only `make publish` builds the zip, and only it shows the link."""
    linked = [p for p in built_site.rglob("*.html") if "guidance-offline.zip" in p.read_text(encoding="utf-8")]
    assert linked == []


@pytest.mark.build
def test_a_failed_build_leaves_the_working_site_in_place(tmp_path):
    """The Makefile's build replaces site/ only when the build succeeds."""
    work = tmp_path / "project"
    site = assemble(work)
    (site / "site").mkdir()
    (site / "site" / "index.html").write_text("the working site")
    (site / "docs" / "files.md").write_text((site / "docs" / "files.md").read_text() + "\n[broken](nowhere.md)\n")
    makefile = (PROJECT / "Makefile").read_text()
    recipe = makefile.split("\nbuild:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    script = "\n".join(line.strip().replace("$(BIN)", str(PROJECT / ".venv" / "bin")) for line in recipe)
    result = subprocess.run(["sh", "-ec", script], cwd=site, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert (site / "site" / "index.html").read_text() == "the working site"


def test_the_offline_zip_leaves_out_only_what_no_reader_loads():
    from macros.offline import left_out_offline

    files = ["index.html", "search/search_index.js", "search/search_index.json", "assets/javascripts/bundle.min.js",
             "assets/javascripts/bundle.min.js.map", "assets/javascripts/lunr/wordcut.js",
             "assets/javascripts/lunr/min/lunr.fr.min.js", "assets/javascripts/search-worker.js"]
    assert left_out_offline(files, ["en"]) == {
        "search/search_index.json", "assets/javascripts/bundle.min.js.map",
        "assets/javascripts/lunr/wordcut.js", "assets/javascripts/lunr/min/lunr.fr.min.js"}
    # Another search language needs Material's lunr files; a build without the
    # offline plugin's search_index.js needs the .json.
    assert left_out_offline(files, ["en", "fr"]) == {"search/search_index.json", "assets/javascripts/bundle.min.js.map"}
    assert left_out_offline([f for f in files if f != "search/search_index.js"], ["en", "fr"]) == {
        "assets/javascripts/bundle.min.js.map"}
