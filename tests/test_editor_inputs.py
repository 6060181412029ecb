"""Editor inputs that used to end in a traceback or a false message (issue 12,
items 8 and the date row): `make check` and the build both answer with
file, line, code and fix, and nothing else."""

from __future__ import annotations

import pytest

from tests.sites import BROKEN, PROJECT

INPUTS = ["front-matter--impossible-date", "front-matter--review-date-out-of-range", "wrong-encoding", "snippet", "changelog--impossible-date", "front-matter--case-study", "unfilled-template"]


@pytest.mark.build
@pytest.mark.parametrize("name", INPUTS)
def test_make_check_and_the_build_answer_without_a_traceback(broken_outcome, name):
    """(The check and the build are those `tests/test_checks.py` also reads:
    `broken_outcome` runs each fixture once per session.)"""
    expected = (BROKEN / name / "expected.txt").read_text().splitlines()
    check, built = broken_outcome(name).check, broken_outcome(name).built
    assert check.returncode == 1
    assert check.stdout.splitlines() == expected
    assert built.returncode != 0
    for output in (check.stdout + check.stderr, built.stdout + built.stderr):
        assert "Traceback" not in output


def test_a_case_study_with_broken_front_matter_is_not_also_unknown(tmp_path):
    expected = (BROKEN / "front-matter--case-study" / "expected.txt").read_text()
    assert "[front-matter]" in expected and "unknown-case-study" not in expected


def test_the_template_fails_until_every_placeholder_is_filled(tmp_path):
    """The template itself is the fixture: every placeholder line is reported."""
    template = (PROJECT / "templates" / "case-study.md").read_text().splitlines()
    placeholders = [n for n, line in enumerate(template, 1) if "Fill in:" in line]
    expected = (BROKEN / "unfilled-template" / "expected.txt").read_text().splitlines()
    assert [int(line.split(":")[1]) for line in expected if "[unfilled-template]" in line] == placeholders


@pytest.mark.build
def test_quotes_and_backslashes_in_the_register_are_published_as_written(tmp_path):
    """A double quote, a backslash or a colon in an item's title or summary
    (they go into a generated page's front matter) is published exactly as
    written, and neither `make check` nor the build fails on it."""
    import re

    from lxml import html as lxml_html

    from macros.load import load_register
    from macros.model import Register
    from tests.sites import TODAY, assemble, build, check

    site = assemble(tmp_path / "site")
    register = site / "recommendations.yml"
    title, summary = 'Files: the "full" file', 'The "national" police lead and\\or the CPS: see it.'
    text = register.read_text(encoding="utf-8")
    text = text.replace("title: Files that carry all the relevant information", f"title: '{title}'", 1)
    text = text.replace("summary: Police files reach prosecutors with everything needed, risk assessments included.",
                        f"summary: '{summary}'", 1)
    register.write_text(text, encoding="utf-8")
    items = {i.id: i for i in Register.model_validate(load_register(site).data).items}
    assert (items["R1"].title, items["R1"].summary) == (title, summary)
    files = site / "docs" / "files.md"
    owner = "Files & <b>disclosure</b> team"  # the page facts print it as text, not markup
    files.write_text(re.sub(r"R1@\w+", f"R1@{items['R1'].fingerprint}", files.read_text(encoding="utf-8"))
                     .replace("owner: Fixture policy team", f"owner: {owner}"), encoding="utf-8")
    checked = check(site, TODAY)
    assert checked.returncode == 0 and "Traceback" not in checked.stderr, checked.stdout + checked.stderr
    built = build(site, tmp_path / "out")
    assert built.returncode == 0, built.stderr
    page = lxml_html.parse(str(tmp_path / "out" / "recommendations" / "r1" / "index.html"))
    assert page.findtext(".//title").startswith(f"R1: {title}")
    assert page.xpath("//meta[@name='description']/@content") == [summary]
    chapter = lxml_html.parse(str(tmp_path / "out" / "files" / "index.html"))
    assert title in chapter.xpath("//div[@class='page-facts__delivers']//a/@title")
    assert chapter.xpath("//dt[.='Owner']/following-sibling::dd[1]")[0].text_content() == owner
    assert not chapter.xpath("//dd/b")


@pytest.mark.build
def test_a_byte_order_mark_is_accepted(tmp_path):
    """A page and a case study saved as "UTF-8 with BOM" (as some Windows
    editors do) are read as MkDocs reads them: the mark is ignored, so the
    front matter is found and the site builds."""
    from tests.sites import TODAY, assemble, build, check

    site = assemble(tmp_path / "site")
    for rel in ("docs/files.md", "case_studies/cs-01.md", "recommendations.yml", "whats-new.yml"):
        path = site / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    checked = check(site, TODAY)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = build(site, tmp_path / "out")
    assert built.returncode == 0, built.stderr
    assert "Police files" in (tmp_path / "out" / "files" / "index.html").read_text(encoding="utf-8")


def test_snippet_notation_is_found_as_pymdownx_finds_it():
    """Each form in pymdownx.snippets' documentation is found, with the line
    it is on; text that only looks like it is not."""
    from macros.checks.sources import snippet_lines

    text = "\n".join([
        '--8<-- "a.md"',            # 1 a snippet
        '  -8<- \'b.md\'',           # 2 indented, single quotes, short marker
        ';--8<-- "c.md"',           # 3 escaped: published without the ';'
        "--8<--",                   # 4 block start
        "d.md",                     # 5 a path in the block (its markers are reported)
        "---8<---",                 # 6 block end
        "x --8<-- [end:part] y",    # 7 a section marker, removed from the page
        "Scissors 8<- and --8<-- in prose",  # 8 not notation
        '--8<-- "e.md" trailing',   # 9 not notation: text after the path
    ])
    assert [n for n, _, _ in snippet_lines(text)] == [1, 2, 3, 4, 6, 7]
    assert [n for n, _, _ in snippet_lines(text, 10)][0] == 10
