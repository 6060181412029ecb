"""The HTML finishing step (macros/exports.py) and the generated markup for
readers on phones: table labels, valid-HTML fixes, the traceability tags,
the short page facts and the menu place of generated pages. Pure functions
and the built site; the browser tests are in tests/browser/test_phone.py."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest

from macros import exports, render
from macros.hooks import short_date, short_month
from tests.test_site import PROJ, html_files, parse

TABLE = """<table>
<thead>
<tr>
<th>Offence</th>
<th>Mode of trial and <abbr title="maximum sentence">max</abbr></th>
<th></th>
</tr>
</thead>
<tbody>
<tr>
<td>Stalking, s.4A</td>
<td style="text-align: right">Either way; 10 years</td>
<td>note</td>
</tr>
</tbody>
</table>"""


def test_each_cell_gets_its_column_header_as_label():
    out = exports.label_table_cells(f"<p>x</p>{TABLE}<p>y</p>")
    doc = lxml.html.fromstring(out)
    table = doc.xpath("//table")[0]
    assert "data-reflow" in table.attrib
    cells = table.xpath(".//tbody//td")
    assert [c.get("data-label") for c in cells] == ["Offence", "Mode of trial and max", None]
    assert cells[1].get("style") == "text-align: right"  # other attributes kept


def test_quotes_in_a_header_cannot_break_the_attribute():
    out = exports.label_table_cells(TABLE.replace("<th>Offence</th>", '<th>The "offence"</th>'))
    assert lxml.html.fromstring(out).xpath("//td")[0].get("data-label") == 'The "offence"'


def test_a_table_without_a_header_row_is_left_alone():
    table = "<table><tbody><tr><td>a</td></tr></tbody></table>"
    assert exports.label_table_cells(table) == table


def test_every_table_cell_in_the_built_guidance_is_labelled(built_site):
    """Broken-fixture counterpart: the unit tests above show an unlabelled
    table is found by this shape of query."""
    unlabelled = []
    for path in html_files(built_site):
        for table in parse(path).xpath("//article//table"):
            if not table.xpath("./thead//th"):
                continue
            for td in table.xpath("./tbody/tr/td"):
                if not td.get("data-label"):
                    unlabelled.append(f"{path.relative_to(built_site)}: {td.text_content()[:40]}")
    assert unlabelled == []


MATERIAL_MARKUP = """<body>
<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">
<input type="text" class="md-search__input" name="query" autocomplete="off">
<label class="md-nav__title" for="__toc">
  <span class="md-nav__icon md-icon"></span>
  Table of contents
</label>
</body>"""


def test_valid_html_fixes_remove_checkbox_autocomplete_and_dangling_toc_label():
    out = exports.valid_html_fixes(MATERIAL_MARKUP)
    assert out.count('autocomplete="off"') == 1  # the text input keeps it
    assert 'for="__toc"' not in out and '<div class="md-nav__title">' in out and "Table of contents" in out


def test_the_toc_label_stays_when_its_checkbox_exists():
    page = MATERIAL_MARKUP + '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">'
    assert 'for="__toc"' in exports.valid_html_fixes(page)


def test_phone_screens_counts_text_not_markup():
    assert exports.phone_screens("<p>" + "a" * exports.PHONE_SCREEN_CHARS + "</p>") == pytest.approx(1)
    assert exports.phone_screens('<p class="' + "x" * 5000 + '">a</p>') < 0.01
    cells = "<table><tr>" + "<td>a</td>" * 10 + "</tr></table>"
    assert exports.phone_screens(cells) > 10 * exports.TABLE_CELL_CHARS / exports.PHONE_SCREEN_CHARS


def test_addresses_line_is_a_small_tag_linking_to_the_item():
    line = render.addresses_line(PROJ, ["R3", "F3"], "pleas.md")
    assert "[R3](recommendations/r3.md" in line.replace("../", "")
    assert f'"{render.item_label(PROJ, "R3")}"' in line  # the full wording as the tooltip
    assert "data-search-exclude" in line and ".addresses" in line


def test_built_tags_read_as_a_sentence_and_stay_out_of_search(built_site):
    para = parse(built_site / "pleas" / "index.html").xpath('//p[contains(@class, "addresses")]')[0]
    assert " ".join(para.text_content().split()).startswith("This section delivers ")
    visible = [a.text_content() for a in para.xpath(".//a")]
    assert visible and all(len(v) == 2 for v in visible), visible  # "R3", never the full title
    index = (built_site / "search" / "search_index.json").read_text()
    assert "This section delivers" not in index


def test_short_dates_for_the_one_line_facts():
    assert short_date(dt.date(2026, 11, 28)) == "28 Nov 2026"
    assert short_month(dt.date(2027, 9, 1)) == "Sept"
    assert short_month(dt.date(2027, 6, 1)) == "June"


def test_phone_facts_line_is_in_every_guidance_page(built_site):
    for source in PROJ.pages:
        meta = PROJ.page_meta(source)
        page = parse(built_site / exports._url(source.uri) / "index.html") if source.uri != "index.md" else parse(built_site / "index.html")
        summary = page.xpath('//details[@class="page-facts-phone"]/summary')[0]
        expected = (f"About this page: Law as at {short_date(meta.law_as_at)} · "
                    f"Review due {short_month(meta.review_due)} {meta.review_due.year}")
        assert " ".join(summary.text_content().split()) == expected, source.uri


@pytest.mark.parametrize("uri, place", [
    ("case-studies/cs-03.md", render.CASE_INDEX_URI),
    ("recommendations/r3.md", render.REGISTER_URI),
    ("recommendations/coverage.md", None),
    ("pleas.md", None),
])
def test_generated_pages_name_their_menu_place(uri, place):
    assert render.nav_place(uri) == place


def test_case_study_and_item_pages_highlight_their_menu_entry(built_site):
    for page, href, title in (("case-studies/cs-03", "../", "Case studies"), ("recommendations/r3", "../", "The register")):
        links = parse(built_site / page / "index.html").xpath('//nav[contains(@class, "md-nav--primary")]//a[contains(@class, "md-nav__link--active")]')
        assert [(a.get("href"), a.text_content().strip()) for a in links] == [(href, title)], page
    # And the highlight is not left behind on the pages that render after them.
    links = parse(built_site / "pleas" / "index.html").xpath('//nav[contains(@class, "md-nav--primary")]//a[contains(@class, "md-nav__link--active")]')
    assert [a.text_content().strip() for a in links] == ["Accepting pleas"]


def test_the_register_has_its_own_menu_entry(built_site):
    nav = parse(built_site / "pleas" / "index.html").xpath('//nav[contains(@class, "md-nav--primary")]')[0]
    entries = {a.text_content().strip(): a.get("href") for a in nav.xpath(".//a")}
    assert entries.get("The register") == "../recommendations/"
    assert entries.get("Coverage matrix") == "../recommendations/coverage/"


def test_page_facts_name_every_item_the_page_delivers(built_site):
    """The facts are filled once every page is parsed (on_page_context): an
    earlier hook would see no sections yet and show nothing."""
    for source in PROJ.pages:
        expected = PROJ.items_on_page(source.uri)
        page = built_site / (exports._url(source.uri) or ".") / "index.html"
        links = parse(page).xpath('//dl[@class="page-facts"]//a/text()')
        assert links == expected, source.uri
    assert "R3" in PROJ.items_on_page("pleas.md")
