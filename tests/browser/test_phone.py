"""Reading on a phone at court, proved in Chromium at 360 px (issue 13):
tables that reflow into labelled blocks and never scroll sideways, the
coverage matrix with labelled ticks, one-line page facts, an "On this page"
list on long chapters, a site name that is not cut off, and the menu place of
generated pages. Desktop checks: body type size for "What you must do" and
tables. Accessibility (axe) for the same pages is in test_pages.py."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, csp_violations, goto, new_context

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def guidance_pages(built_site) -> list[str]:
    """The guidance pages, as paths relative to the site root ('' is home)."""
    data = json.loads((built_site / "pages.json").read_text())
    return [p["url"].split("/stalking-harassment/", 1)[-1] for p in data["pages"]]


@pytest.fixture(scope="module")
def pages_with_tables(built_site) -> list[str]:
    pages = []
    for path in sorted(built_site.rglob("index.html")):
        rel = path.parent.relative_to(built_site).as_posix()
        if rel.startswith(("print", "assets")):
            continue
        if "<table data-reflow" in path.read_text(encoding="utf-8"):
            pages.append("" if rel == "." else rel + "/")
    assert len(pages) >= 15
    return pages


@pytest.fixture(scope="module")
def shared(browser):
    """`shared(viewport, scheme="light")`: one page per width and colour
    scheme, kept open for every test in this module. These tests load pages
    and read them (a click at most, undone by the next load), so they need no
    fresh context each: a page loaded in a new context costs about three
    times as much as one loaded in a page already open."""
    opened = {}

    def page_for(viewport, scheme="light"):
        key = (viewport["width"], scheme)
        if key not in opened:
            context = new_context(browser, viewport=viewport, color_scheme=scheme)
            opened[key] = (context, context.new_page())
        return opened[key][1]

    yield page_for
    for context, _ in opened.values():
        context.close()


def no_csp_violations(page):
    assert csp_violations(page) == [], "content security policy violations"


# Problems with the tables on the current page: sideways scrolling, a cell
# outside its row or off the screen, a cell that does not show its label.
TABLE_PROBLEMS = """() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) problems.push('page is ' + document.documentElement.scrollWidth + 'px wide');
  for (const table of document.querySelectorAll('article table')) {
    const name = table.querySelector('td') ? table.querySelector('td').textContent.trim().slice(0, 40) : '?';
    for (const box of [table, table.closest('.md-typeset__scrollwrap'), table.closest('.md-typeset__table')]) {
      if (box && box.scrollWidth > box.clientWidth + 1) problems.push('scrolls sideways: ' + name);
    }
    for (const row of table.querySelectorAll('tbody tr')) {
      const r = row.getBoundingClientRect();
      for (const cell of row.children) {
        const c = cell.getBoundingClientRect();
        if (!cell.textContent.trim()) {
          if (c.width > 1 && !cell.children.length) problems.push('empty cell drawn with its label alone: ' + cell.dataset.label);
          continue;
        }
        if (c.left < 0 || c.right > width + 0.5 || c.top < r.top - 0.5 || c.bottom > r.bottom + 0.5)
          problems.push('cell outside its row or the screen: ' + cell.textContent.trim().slice(0, 40));
        const before = getComputedStyle(cell, '::before');
        if (cell.dataset.label && (before.display === 'none' || !before.content.includes(cell.dataset.label)))
          problems.push('label not shown: ' + cell.dataset.label + ' / ' + cell.textContent.trim().slice(0, 30));
      }
    }
  }
  return problems;
}"""


# For each table cell labelled as a maximum (not the first in its row): the
# offence in its row and the gap between the offence's box and the maximum's.
MAXIMUM_ROWS = """() => [...document.querySelectorAll('article td[data-label]')]
  .filter(c => /maximum/i.test(c.dataset.label) && c !== c.parentElement.firstElementChild)
  .map(c => {
    const offence = c.parentElement.firstElementChild.getBoundingClientRect();
    const maximum = c.getBoundingClientRect();
    return [c.parentElement.firstElementChild.textContent.trim(), maximum.top - offence.bottom];
  })"""


@pytest.fixture(scope="module")
def phone_reading(shared, site_url, pages_with_tables, guidance_pages):
    """`phone_reading(scheme)`: what the tests below measure on each page at
    360 px, with each page loaded once per colour scheme (a page load costs
    more than all the measurements on it together). Returns a dict:
    "tables" (problems with the tables), "maximum" (MAXIMUM_ROWS), both on
    the pages with tables; "length" (rel, screens, h2 count, whether the
    "On this page" list is shown) on the guidance pages, light scheme only;
    "csp" (content security policy violations on any page loaded)."""
    cache: dict[str, dict] = {}

    def reading(scheme: str) -> dict:
        if scheme in cache:
            return cache[scheme]
        lengths = guidance_pages if scheme == "light" else []
        page = shared(PHONE, scheme)
        found = {"tables": [], "maximum": [], "length": [], "csp": []}
        for rel in pages_with_tables + [rel for rel in lengths if rel not in pages_with_tables]:
            goto(page, site_url + rel)
            if rel in pages_with_tables:
                found["tables"] += [f"{rel or 'home'}: {p}" for p in page.evaluate(TABLE_PROBLEMS)]
                found["maximum"] += page.evaluate(MAXIMUM_ROWS)
            if rel in lengths:
                screens = page.evaluate("document.documentElement.scrollHeight") / PHONE["height"]
                found["length"].append((rel, screens, page.locator("article h2").count(),
                                        page.locator(".page-contents").is_visible()))
            found["csp"] += [f"{rel or 'home'}: {v}" for v in csp_violations(page)]
        cache[scheme] = found
        return found

    return reading


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_table_scrolls_sideways_at_360px_and_every_cell_shows_its_label(phone_reading, scheme):
    found = phone_reading(scheme)
    assert found["csp"] == [], "content security policy violations"
    assert found["tables"] == []


def test_the_maximum_sentence_comes_straight_after_its_offence(phone_reading):
    found = phone_reading("light")
    assert found["csp"] == [], "content security policy violations"
    rows = found["maximum"]
    assert len(rows) >= 10
    assert [(name, gap) for name, gap in rows if abs(gap) > 2] == [], "maximum not directly under its offence"


def test_reflowed_tables_are_still_tables_for_screen_readers(shared, site_url):
    page = shared(PHONE)
    goto(page, site_url + "offences/")
    tree = page.locator("article table").first.aria_snapshot()
    goto(page, site_url + "recommendations/coverage/")
    matrix = page.locator("article .coverage-matrix table").nth(1).aria_snapshot()
    no_csp_violations(page)
    assert tree.startswith("- table") and 'columnheader "Mode of trial and maximum"' in tree
    # The visible labels are not read a second time: a cell's name is its text.
    assert 'cell "Harassment, PHA s.2"' in tree
    assert 'cell "Offence' not in tree and 'cell "Mode of trial' not in tree
    assert 'columnheader "R3"' in matrix and 'cell "✓"' in matrix


def test_coverage_matrix_on_a_phone_lists_labelled_ticks(shared, site_url):
    page = shared(PHONE)
    goto(page, site_url + "recommendations/coverage/")
    cells = page.evaluate("""() => [...document.querySelectorAll('.coverage-matrix tbody td:not(:first-child)')].map(td => {
      const box = td.getBoundingClientRect();
      return {text: td.textContent.trim(), label: td.dataset.label, width: box.width, right: box.right};
    })""")
    problems = page.evaluate(TABLE_PROBLEMS)
    no_csp_violations(page)
    assert problems == []
    ticks = [c for c in cells if c["text"] == "✓"]
    assert ticks and [c for c in ticks if not (c["label"] and c["width"] > 20 and c["right"] <= PHONE["width"])] == []
    assert all(c["width"] <= 1 for c in cells if not c["text"])  # "no" is not drawn


def test_page_facts_fit_one_line_on_a_phone_and_the_rest_is_a_tap_away(shared, site_url):
    page = shared(PHONE)
    goto(page, site_url + "pleas/")
    assert not page.locator("dl.page-facts").is_visible()
    summary = page.locator(".page-facts-phone summary")
    assert re.search(r"Law as at \d{1,2} [A-Z][a-z]{2,4} 20\d\d · Review due [A-Z][a-z]{2,4} 20\d\d$", summary.inner_text().strip())
    lines = summary.evaluate("""s => { const r = document.createRange(); r.selectNodeContents(s);
      return new Set([...r.getClientRects()].filter(b => b.width > 1).map(b => Math.round(b.top))).size; }""")
    assert lines == 1
    owner = page.locator(".page-facts-phone dd", has_text="policy team")
    assert not owner.is_visible()
    summary.click()
    assert owner.is_visible()
    no_csp_violations(page)
    page = shared(DESKTOP)
    goto(page, site_url + "pleas/")
    assert page.locator("dl.page-facts").is_visible() and not page.locator(".page-facts-phone").is_visible()
    no_csp_violations(page)


def test_long_chapters_open_with_an_on_this_page_list(shared, site_url, guidance_pages, phone_reading):
    found = phone_reading("light")
    assert found["csp"] == [], "content security policy violations"
    assert sorted(rel for rel, *_ in found["length"]) == sorted(guidance_pages)
    wrong = []
    for rel, screens, sections, shown in found["length"]:
        # The list is decided at build time from an estimate (exports.phone_screens)
        # that errs towards showing it: every page over 3.5 screens has it, and
        # no page under two screens.
        if screens > 3.5 and sections > 1 and not shown or screens < 2 and shown:
            wrong.append(f"{rel or 'home'}: {screens:.1f} screens, list shown: {shown}")
    assert wrong == []
    page = shared(PHONE)
    goto(page, site_url + "protective-orders/")
    page.locator(".page-contents summary").click()
    link = page.locator(".page-contents a").nth(2)
    target = link.get_attribute("href")
    link.click()
    assert page.url.endswith(target)
    assert page.locator(target).evaluate("h => { const b = h.getBoundingClientRect(); return b.top >= 0 && b.top < innerHeight; }")
    no_csp_violations(page)
    page = shared(DESKTOP)
    goto(page, site_url + "protective-orders/")
    assert page.locator(".page-contents").count() == 1 and not page.locator(".page-contents").is_visible()
    no_csp_violations(page)


@pytest.mark.parametrize("rel", ["pleas/", "case-studies/cs-03/"])
def test_site_name_is_not_cut_off_on_a_phone(shared, site_url, rel):
    """The site name wraps onto two lines. (A long page title, shown in the
    header once the reader scrolls, may end in an ellipsis: it is in full at
    the top of the page.)"""
    page = shared(PHONE)
    goto(page, site_url + rel)
    name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    clipped = name.evaluate("e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1")
    box = name.bounding_box()
    text = name.inner_text().strip()
    no_csp_violations(page)
    assert text == "Stalking and harassment: guidance for prosecutors"
    assert not clipped and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_generated_pages_highlight_their_place_in_the_menu(shared, site_url):
    page = shared(DESKTOP)
    for rel, entry in (("case-studies/cs-03/", "Case studies"), ("recommendations/r3/", "The register")):
        goto(page, site_url + rel)
        active = page.locator(".md-sidebar--primary a.md-nav__link--active")
        assert active.count() == 1 and active.inner_text().strip() == entry
        assert active.is_visible()
        other = page.locator(".md-sidebar--primary a.md-nav__link", has_text="Glossary")
        colour = "e => getComputedStyle(e).color"
        assert active.evaluate(colour) != other.evaluate(colour), f"{entry} is not highlighted on {rel}"
    no_csp_violations(page)


def test_must_do_box_and_tables_use_the_body_type_size_on_desktop(shared, site_url):
    page = shared(DESKTOP)
    goto(page, site_url + "offences/")
    size = "e => getComputedStyle(e).fontSize"
    body = page.locator("article > p:not(.addresses)").first.evaluate(size)
    must_do = page.locator("article .admonition.abstract li").first.evaluate(size)
    cell = page.locator("article table td").first.evaluate(size)
    tag = page.locator("article .addresses a").first.evaluate(size)
    no_csp_violations(page)
    assert must_do == body and cell == body, (body, must_do, cell)
    assert float(tag[:-2]) < float(body[:-2])

