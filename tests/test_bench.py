"""The benchmark's plain build is the same site as the full build: the same
pages, the same content (macro calls written out as the Markdown they stand
for) and the same menu. Only then is the ratio of their build times the cost
of the project's own machinery (README, "Performance")."""

from __future__ import annotations

import pytest
import yaml

from tests import bench
from tests.sites import PROJECT, real_project


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    project = bench.copy_project(tmp_path_factory.mktemp("bench") / "plain")
    bench.plain_config(project)
    return project


def _config(path):
    return yaml.load(path.read_text(), Loader=bench._Loader)


def test_the_plain_build_keeps_the_menu_and_drops_only_the_hooks(plain):
    ours, theirs = _config(PROJECT / "mkdocs.yml"), _config(plain / "mkdocs.yml")
    assert theirs["nav"] == ours["nav"]
    assert theirs["not_in_nav"] == ours["not_in_nav"]
    assert "hooks" in ours and "hooks" not in theirs
    assert theirs["markdown_extensions"] == ours["markdown_extensions"]


def test_the_plain_build_renders_what_readers_get(plain):
    charging = (plain / "docs" / "charging.md").read_text()
    assert "{{<" not in "".join(p.read_text() for p in (plain / "docs").rglob("*.md"))
    # The case-study summary box, as the full build renders it from case_study("CS-01").
    assert '??? example case-study-box "Case study CS-01: Separate reports drawn together into a stalking charge"' in charging
    assert (plain / "docs" / "recommendations" / "index.md").exists()  # a generated page, written out
    assert (plain / "docs" / "case-studies" / "cs-01.md").exists()


def test_a_call_that_cannot_be_written_out_stops_the_benchmark():
    from macros import expand
    loaded = real_project()
    with pytest.raises(SystemExit, match="charging.md"):
        bench._macros_written_out(loaded, "charging.md", '{{< case_study(CS-01) >}}\n', expand)
    with pytest.raises(ValueError, match="does not exist"):
        bench._macros_written_out(loaded, "charging.md", '  {{< case_study("CS-99") >}}\n', expand)
    assert bench._macros_written_out(loaded, "charging.md", 'text\n  {{< case_study("CS-01") >}}\nmore', expand).startswith(
        'text\n  ??? example case-study-box "Case study CS-01:')


def test_the_copy_holds_every_path_make_serve_watches(tmp_path):
    """Issue 23 audit: the copy left out anchors.lock.json, which mkdocs.yml
    watches, so `make bench` stopped at its save-to-refresh figure ("The path
    .../anchors.lock.json isn't an existing file"), and the README's figure
    could not be measured again."""
    project = bench.copy_project(tmp_path / "copy")
    watched = _config(PROJECT / "mkdocs.yml")["watch"]
    assert [path for path in watched if not (project / path).exists()] == []
