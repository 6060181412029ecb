"""The whole-guidance print view, proved on built sites: every chapter intact,
ids namespaced per chapter, and links that lead to the printed copy of their
target (issue 12, item 4)."""

from __future__ import annotations

from collections import Counter

import lxml.html
import pytest

from macros import printview
from tests.sites import assemble, build

# Every test reads the fixture site built once for the module.
pytestmark = pytest.mark.build

LAW_SECTION = """
## The law

The rule is in the statute.[^1]

[^1]: {note}
"""


@pytest.fixture(scope="module")
def fixture_print(tmp_path_factory):
    """The clean fixture site, with the same heading and the same footnote
    number in two chapters, and a link to "#the-law" in each."""
    tmp = tmp_path_factory.mktemp("print")
    site = assemble(tmp / "site")
    config = site / "mkdocs.yml"
    if "- footnotes" not in config.read_text():
        config.write_text(config.read_text().replace("markdown_extensions:\n", "markdown_extensions:\n  - footnotes\n"))
    for name, note in (("files.md", "The note in the files chapter."), ("history.md", "The note in the history chapter.")):
        page = site / "docs" / name
        page.write_text(page.read_text() + "\nSee [the law](#the-law).\n" + LAW_SECTION.format(note=note))
    result = build(site, tmp / "out")
    assert result.returncode == 0, result.stderr
    return lxml.html.parse(str(tmp / "out" / "print" / "index.html")).getroot()


def chapter(root, key):
    return root.xpath(f'//section[@class="print-chapter"][@id="{key}"]')[0]


def test_ids_are_unique_and_every_internal_link_resolves(fixture_print):
    ids = Counter(e.get("id") for e in fixture_print.iter() if isinstance(e.tag, str) and e.get("id"))
    assert [i for i, n in ids.items() if n > 1] == []
    for a in fixture_print.xpath('//article//a[starts-with(@href, "#")]'):
        assert a.get("href")[1:] in ids, a.get("href")


def test_a_footnote_in_two_chapters_keeps_both_notes(fixture_print):
    for key, note in (("files", "files chapter"), ("history", "history chapter")):
        section = chapter(fixture_print, key)
        marker = section.xpath('.//sup[@id]/a[contains(@class, "footnote-ref")]')[0]
        assert marker.get("href") == f"#{key}--fn:1"
        target = fixture_print.xpath(f'//*[@id="{key}--fn:1"]')[0]
        assert note in target.text_content()
        assert target.xpath("ancestor::section")[0] is section


def test_a_section_link_stays_in_its_chapter(fixture_print):
    for key in ("files", "history"):
        section = chapter(fixture_print, key)
        link = section.xpath('.//a[normalize-space()="the law"]')[0]
        assert link.get("href") == f"#{key}--the-law"
        assert fixture_print.xpath(f'//*[@id="{key}--the-law"]')[0].xpath("ancestor::section")[0] is section


def test_links_between_chapters_go_to_the_printed_copy(fixture_print):
    link = chapter(fixture_print, "files").xpath('.//a[normalize-space()="the history page"]')[0]
    assert link.get("href") == "#history--looking-at-the-whole-history"
    assert link.get("data-print-title") == "The whole history: Looking at the whole history"


def test_links_to_pages_not_printed_lead_to_the_site(fixture_print):
    read = chapter(fixture_print, "files").xpath('.//a[starts-with(normalize-space(), "Read case study")]')[0]
    assert read.get("href") == "../case-studies/cs-01/"
    assert read.get("data-print-href").endswith("/case-studies/cs-01/")


def test_each_chapter_has_its_dates_and_a_contents_entry(fixture_print):
    contents = [a.get("href") for a in fixture_print.xpath('//nav[@class="print-contents"]//a')]
    sections = fixture_print.xpath('//section[@class="print-chapter"]')
    assert contents == [f"#{s.get('id')}" for s in sections]
    for section in sections:
        assert section[0].tag == "h2"
        assert "Law as at 1 November 2026" in section.xpath('.//p[@class="print-chapter__facts"]')[0].text_content()
        assert section.xpath(".//h1") == []


def test_the_real_print_view(built_site):
    """Every chapter of the real guidance is printed once, with unique ids and
    internal links that all land in the print view."""
    root = lxml.html.parse(str(built_site / "print" / "index.html")).getroot()
    ids = Counter(e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id"))
    assert [i for i, n in ids.items() if n > 1] == []
    links = root.xpath('//article//a[starts-with(@href, "#")]')
    assert len(links) > 100
    assert [a.get("href") for a in links if a.get("href")[1:] not in ids] == []
    keys = [s.get("id") for s in root.xpath('//section[@class="print-chapter"]')]
    assert "pleas" in keys and "offences" in keys and "index" not in keys
    for a in root.xpath('//article//a[@href][not(starts-with(@href, "#"))][not(starts-with(@href, "http"))]'):
        target = (built_site / "print" / a.get("href").split("#")[0])
        assert target.exists(), a.get("href")


def test_assemble_is_pure():
    chapters = [
        printview.Chapter("a", "a/", "A", '<h1 id="a">A</h1><p id="x"><a href="#x">x</a> <a href="../b/#x">b</a></p>'),
        printview.Chapter("b", "b/", "B", '<h1 id="b">B</h1><h2 id="x">X</h2>'),
    ]
    html = printview.assemble(chapters, "print/", "https://example.org/g/")
    assert 'href="#a--x"' in html and 'href="#b--x"' in html and 'data-print-title="B: X"' in html
    assert "<h1" not in html and '<h3 id="b--x">' in html


def test_register_item_links_print_no_address():
    chapters = [printview.Chapter("a", "a/", "A", '<p><a href="../recommendations/r3/">R3</a> <a href="../case-studies/cs-01/">CS-01</a></p>')]
    html = printview.assemble(chapters, "print/", "https://example.org/g/")
    assert 'href="../recommendations/r3/">R3' in html
    assert html.count("data-print-href") == 1 and 'data-print-href="https://example.org/g/case-studies/cs-01/"' in html


def test_assemble_records_each_chapter_title_id():
    chapters = [printview.Chapter("a", "a/", "A", '<h1 id="a-title">A</h1><p>x</p>')]
    printview.assemble(chapters, "print/")
    assert chapters[0].title_id == "a--a-title"
