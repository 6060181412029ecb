"""The print edition (issue 13, item 7), proved in Chromium: the
whole-guidance print view printed to PDF is A4 with a contents list and an
outline, every chapter starts a new page with its dates, links say where they
lead, and no table loses a column. The PDF is kept in tests/artifacts/ for a
person to look at."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import new_context
from tests.sites import PROJECT

pytestmark = pytest.mark.browser
ARTIFACTS = PROJECT / "tests" / "artifacts"
A4_POINTS = (595.28, 841.89)
# The width of an A4 page inside the print margins (210 mm - 2 x 16 mm), in CSS pixels.
A4_TEXT_WIDTH = round((210 - 32) / 25.4 * 96)


@pytest.fixture(scope="module")
def printed(browser, site_url):
    context = new_context(browser, viewport={"width": A4_TEXT_WIDTH, "height": 1000})
    page = context.new_page()
    page.goto(site_url + "print/")
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "print-edition.pdf"), outline=True, tagged=True,
                   prefer_css_page_size=True, print_background=False)
    yield page, pdf
    assert page.evaluate("window.__cspViolations || []") == []
    context.close()


def chapters(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('section.print-chapter')].map(s => ({
        id: s.id,
        title: s.querySelector('h2').textContent.replace('¶', '').trim(),
        breakBefore: getComputedStyle(s).breakBefore,
        facts: (s.querySelector('.print-chapter__facts') || {}).textContent || '',
    }))""")


def test_every_page_of_the_pdf_is_a4(printed):
    _, pdf = printed
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) > 20
    for width, height in boxes:
        assert abs(float(width) - A4_POINTS[0]) < 1.5 and abs(float(height) - A4_POINTS[1]) < 1.5


def test_contents_list_links_every_chapter(printed):
    page, _ = printed
    found = chapters(page)
    assert len(found) >= 15
    contents = page.evaluate("[...document.querySelectorAll('nav.print-contents a')].map(a => a.getAttribute('href'))")
    assert contents == [f"#{c['id']}" for c in found]
    assert page.evaluate("getComputedStyle(document.querySelector('nav.print-contents')).breakAfter") == "page"


def test_the_pdf_has_an_outline_of_the_chapters(printed):
    page, pdf = printed
    assert b"/Type /Outlines" in pdf
    titles = {t.decode("latin-1") for t in re.findall(rb"/Title\s*\(([^)]*)\)", pdf)}
    ascii_titles = [c["title"] for c in chapters(page) if c["title"].isascii()]
    assert ascii_titles and all(title in titles for title in ascii_titles)


def test_each_chapter_starts_a_new_page_with_its_dates(printed):
    page, _ = printed
    for chapter in chapters(page):
        assert chapter["breakBefore"] == "page", chapter["id"]
        assert re.search(r"Law as at \d{1,2} \w+ \d{4} · Last reviewed .+ · Review due \d{1,2} \w+ \d{4}", chapter["facts"]), chapter


def test_links_print_where_they_lead(printed):
    page, _ = printed
    after = page.evaluate("""() => {
        const one = sel => {
            const a = document.querySelector(sel);
            return a && {after: getComputedStyle(a, '::after').content, href: a.getAttribute('href'),
                         title: a.dataset.printTitle, address: a.dataset.printHref};
        };
        return {
            internal: one('section.print-chapter a[data-print-title]'),
            site: one('section.print-chapter a[data-print-href]:not(.addresses a)'),
            external: one('section.print-chapter a[href^="http"]:not([data-print-href]):not(.print-bare)'),
            heading: one('section.print-chapter .headerlink'),
        };
    }""")
    assert after["internal"]["after"] == f'" (see \u201c{after["internal"]["title"]}\u201d)"'
    assert after["internal"]["href"].startswith("#")
    assert after["site"]["after"] == f'" ({after["site"]["address"]})"'
    assert after["external"]["after"] == f'" ({after["external"]["href"]})"'
    assert after["heading"]["after"] in ("none", "normal")
    # "Read case study ... in full" leads somewhere on paper: its full address.
    hrefs = page.evaluate("[...document.querySelectorAll('a[data-print-href]')].map(a => a.dataset.printHref)")
    assert any(re.search(r"^https?://.+/case-studies/cs-\d+/$", h) for h in hrefs)


def test_no_table_loses_a_column_on_a4(printed):
    page, _ = printed
    overflowing = page.evaluate("""() => [...document.querySelectorAll('article table')].filter(t => {
        const article = t.closest('article').getBoundingClientRect();
        return t.getBoundingClientRect().right > article.right + 1 || t.scrollWidth > t.clientWidth + 1;
    }).map(t => (t.closest('section') || {}).id + ': ' + t.rows[0].textContent.trim().slice(0, 60))""")
    assert overflowing == []
    tables = page.evaluate("document.querySelectorAll('article table').length")
    assert tables > 10
