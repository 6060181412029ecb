"""mkdocs-macros-plugin loads the site's module and holds the macros; the one
Markdown parse finds the calls and calls the functions the plugin holds, by
name. The plugin renders no page (README, "How it is built")."""

from __future__ import annotations

import functools
import re
import sys

import lxml.html
import pytest

from tests.sites import PROJECT, assemble, build, check, real_project


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The clean fixture site, built (the result and the folder it wrote)."""
    root = tmp_path_factory.mktemp("plugin")
    site = assemble(root / "site")
    return site, build(site, root / "out"), root / "out"


@pytest.mark.build
def test_the_build_log_shows_the_plugin_loading_the_project_module(clean):
    site, result, _ = clean
    assert result.returncode == 0, result.stderr
    assert f"[macros] - Found local Python module 'macros' in: {site}" in result.stderr
    registered = re.search(r"\[macros\] - Config macros: \[(.*)\]", result.stderr).group(1)
    for name in ("addresses", "case_study", "offence_table", "penalty_table"):
        assert f"'{name}'" in registered


def test_every_macro_the_pages_call_is_registered_with_the_plugin():
    """Each macro a guidance page calls is one that define_env registers with
    `@env.macro`; the Markdown extension has no table of macros of its own."""
    from macros import main, pipeline

    called = {call.name for page in real_project().pages for call in page.calls if not call.error}
    assert called == {"addresses", "case_study", "law_change", "offence_table", "penalty_table"}
    assert called <= set(main.macro_names())
    assert not [name for name in vars(pipeline) if "MACROS" in name and name != "MACRO_OR_OLD_BRACES"]


def test_the_parse_calls_the_function_the_plugin_holds(tmp_path, monkeypatch):
    """The function called for {{< case_study(...) >}} is the one in the
    plugin's registry: wrap it there, and the wrapper is what runs."""
    import mkdocs_macros.plugin

    seen = []
    original = mkdocs_macros.plugin.MacrosPlugin.on_config

    def on_config(self, config):
        out = original(self, config)
        inner = self.macros["case_study"]

        @functools.wraps(inner)
        def case_study(*ids):
            seen.append(ids)
            return inner(*ids)

        self.macros["case_study"] = case_study
        return out

    monkeypatch.setattr(mkdocs_macros.plugin.MacrosPlugin, "on_config", on_config)
    site = assemble(tmp_path / "site")
    result = check(site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("CS-01",) in seen


def test_make_check_in_process_leaves_sys_path_as_it_was(tmp_path):
    """The plugin puts the project's folder on sys.path each time it loads;
    the in-process `make check` puts sys.path back."""
    before = list(sys.path)
    assert check(assemble(tmp_path / "site")).returncode == 0
    assert sys.path == before


@pytest.mark.build
def test_a_macro_output_ends_without_an_empty_table_row(clean):
    """The generated offence table of the clean fixture (history page) has
    only rows with text: the expansion's trailing newline used to become an
    empty last row."""
    _, result, out = clean
    assert result.returncode == 0, result.stderr
    rows = lxml.html.parse(str(out / "history" / "index.html")).xpath("//article//tbody/tr")
    assert rows and all(row.text_content().strip() for row in rows)


GENERATED_TABLE_PAGES = ("offences", "charging", "pleas", "protective-orders", "sentencing", "print")


def test_no_table_on_the_site_has_an_empty_row(built_site):
    """Every table row on every page of the real site has some text; the
    pages with generated offence and penalty tables have tables."""
    for name in GENERATED_TABLE_PAGES:
        assert lxml.html.parse(str(built_site / name / "index.html")).xpath("//article//table//tbody/tr"), name
    empty = []
    for path in sorted(built_site.rglob("*.html")):
        for row in lxml.html.parse(str(path)).xpath("//article//tr"):
            if not row.text_content().strip() and not row.xpath(".//img"):
                empty.append(str(path.relative_to(built_site)))
    assert empty == []


def test_under_serve_wrong_plugin_settings_are_shown_and_made_safe(tmp_path, monkeypatch):
    """`make serve` goes on building with the problems shown in the browser,
    so with render_by_default or on_error_fail set wrong the stage reports
    them and sets them right before the plugin's on_config reads them: no
    page becomes a Jinja template, and no template error can exit()."""
    from mkdocs.config import load_config

    from macros import stage

    site = assemble(tmp_path / "site", "macros-plugin")
    monkeypatch.chdir(site)
    config = load_config(str(site / "mkdocs.yml"))
    built = stage.on_config(config, fail=False)
    assert {p.code for p in built.problems} >= {"macros-plugin"}
    settings = config.plugins["macros"].config
    assert settings["render_by_default"] is False and settings["on_error_fail"] is False
    config.plugins["macros"].on_config(config)
    assert "case_study" in config.plugins["macros"].macros
    if stage.CURRENT is not None and stage.CURRENT.handler is not None:
        import logging

        logging.getLogger("mkdocs").removeHandler(stage.CURRENT.handler)
