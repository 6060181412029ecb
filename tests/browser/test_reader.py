"""What a prosecutor relies on, proved in Chromium: page facts and the review
banner, the keyboard, print and PDF, phone widths, and the offline copy."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest

from tests.browser.conftest import DESKTOP, PHONE, csp_violations, goto, new_context, search, serve, wait_until
from tests.sites import PROJECT, assemble, build

pytestmark = pytest.mark.browser
ARTIFACTS = PROJECT / "tests" / "artifacts"


def test_page_shows_law_date_review_dates_and_what_it_delivers(page, site_url):
    goto(page, site_url + "pleas/")
    facts = page.locator("dl.page-facts")
    text = facts.inner_text()
    law_as_at = dt.date.fromisoformat(re.search(r"^law_as_at: (\S+)", (PROJECT / "docs" / "pleas.md").read_text(), re.M).group(1))
    assert "Law as at" in text and f"{law_as_at.day} {law_as_at:%B %Y}" in text
    assert "Last reviewed" in text and "Review due" in text
    links = facts.locator("a")
    assert {links.nth(i).inner_text() for i in range(links.count())} >= {"R3", "F3"}
    links.filter(has_text="R3").first.click()
    page.wait_for_url("**/recommendations/r3/")
    # The current page is not overdue, so no banner.
    goto(page, site_url + "pleas/")
    assert not page.locator(".review-overdue").is_visible()


@pytest.fixture(scope="module")
def overdue_site(tmp_path_factory):
    """The fixture site with a page last reviewed in 1983."""
    root = tmp_path_factory.mktemp("overdue")
    site = assemble(root / "src", "review-overdue")
    result = build(site, root / "out")
    assert result.returncode == 0, result.stderr
    server, url = serve(root / "out")
    yield url
    server.shutdown()


def test_overdue_banner_is_switched_on_by_the_browser(page, overdue_site):
    goto(page, overdue_site + "files/")
    banner = page.locator(".review-overdue")
    assert banner.is_visible()
    assert "overdue for review" in banner.inner_text()
    assert "1 September 1983" in banner.inner_text()
    # The same page with JavaScript's clock before the due date shows no banner:
    # the switch happens in the browser, not at build time.
    page.add_init_script("Date.prototype.getFullYear = function () { return 1980; }")
    goto(page, overdue_site + "files/")
    assert not banner.is_visible()
    goto(page, overdue_site + "history/")
    assert not page.locator(".review-overdue").is_visible()


def test_keyboard_skip_link_focus_and_search(page, site_url):
    goto(page, site_url + "charging/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert "Skip to content" in skip.inner_text()
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px")
    page.keyboard.press("Enter")
    # The skip link moves to an anchor inside the content.
    wait_until(page, "location.hash && document.querySelector('.md-content ' + location.hash)",
               message="the skip link to move to the content")
    # Search from the keyboard alone: open, type, move to a result, follow it.
    goto(page, site_url + "charging/")
    assert any("/drafting/" in href for href in search(page, "duplicity"))
    page.keyboard.press("ArrowDown")
    wait_until(page, "document.activeElement && document.activeElement.closest('.md-search-result__item') !== null")
    assert "drafting" in page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url("**/drafting/**")


def test_print_hides_chrome_and_keeps_case_studies(page, site_url):
    goto(page, site_url + "pleas/")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator(".case-study-box").first.is_visible()
    assert page.locator(".case-study-box").first.get_by_role("link", name="Read case study").is_visible(), "printed open"
    assert page.locator("dl.page-facts").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "pleas.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    assert pdf.stat().st_size > 20_000


def test_whole_guidance_print_view(page, site_url):
    """The view on screen. Printed to PDF it is proved in test_print.py,
    which keeps the PDF in tests/artifacts/print-edition.pdf."""
    goto(page, site_url + "print/")
    assert page.locator("h1").first.inner_text().startswith("The whole guidance")
    for title in ("Accepting pleas", "Case preparation and trial", "Restraining orders and other protective orders"):
        assert page.get_by_role("heading", name=title).count() >= 1


@pytest.fixture(scope="module")
def phone_page(browser):
    """One page at phone width for the three pages below: they only load a
    page and measure it (a fresh context costs about three times a load)."""
    context = new_context(browser, viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", ["offences/", "pleas/", "protective-orders/", "law-on-a-date/?offence=2016-06-01&conviction=2026-04-01"])
def test_phone_width_has_no_page_level_sideways_scroll(phone_page, site_url, path):
    page = phone_page
    goto(page, site_url + path)
    # Read the width once fonts are ready and two frames have been laid out.
    width = page.evaluate("document.fonts.ready.then(() => new Promise(done => requestAnimationFrame(() => "
                          "requestAnimationFrame(() => done(document.documentElement.scrollWidth)))))")
    assert width <= PHONE["width"], f"page is {width}px wide"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{path.split('/')[0]}.png"), full_page=False)


def test_offline_copy_navigates_and_searches_from_file(browser, offline_copy):
    context = new_context(browser, offline=True)
    page = context.new_page()
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    goto(page, (offline_copy / "index.html").as_uri())
    page.get_by_role("link", name="Accepting pleas").first.click()
    page.wait_for_url("**/pleas.html")
    assert page.locator("h1").inner_text().startswith("Accepting pleas")
    results = search(page, "restraining order on acquittal")
    assert results and all(href.startswith("file://") for href in results), results
    assert all(u.startswith(("file://", "data:", "blob:", "about:")) for u in requests), requests
    # The zip leaves out what no reader loads (macros/offline.py,
    # left_out_offline): no file the pages or search ask for is missing.
    # (A fetch of a file that is there can still fail: Chromium refuses
    # fetch() on file://, which Material's sitemap.xml request meets.)
    missing = [u for u in failed if u.startswith("file://") and not Path(url2pathname(urlsplit(u).path)).exists()]
    assert missing == [], missing
    assert not [p for p in offline_copy.rglob("*") if p.suffix == ".map" or p.name == "search_index.json"
                or "lunr" in p.relative_to(offline_copy).parts]
    assert csp_violations(page) == []
    context.close()


def test_offline_copy_answers_the_law_on_a_date_from_file(browser, offline_copy):
    """From the file system the data loads as a script (fetching JSON from
    file:// is refused), and the address keeps the dates."""
    context = new_context(browser, offline=True)
    page = context.new_page()
    goto(page, (offline_copy / "law-on-a-date.html").as_uri() + "?offence=2017-04-03")
    wait_until(page, "document.querySelector('#law-date-result')?.dataset.answer === '2017-04-03/'", message="the answer")
    row = page.locator('#law-date-result tr[data-cite="PHA s.4A"] td').nth(3).inner_text()
    assert row.startswith("10 years"), row
    assert csp_violations(page) == []
    context.close()


FOCUSED_BOX = """(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const target = e.matches('.md-option') ? e.nextElementSibling : e;  // palette radio shows focus on its label
  const r = target.getBoundingClientRect();
  return {x: r.x, y: r.y, w: r.width, h: r.height, text: (e.textContent || e.className).trim().slice(0, 40),
          hidden: getComputedStyle(target).visibility === 'hidden'};
})()"""


@pytest.mark.parametrize("viewport", [DESKTOP, {"width": 1000, "height": 700}, PHONE], ids=["desktop", "tablet", "phone"])
def test_keyboard_focus_never_lands_on_something_invisible(browser, site_url, viewport):
    context = new_context(browser, viewport=viewport)
    page = context.new_page()
    goto(page, site_url + "charging/")
    for _ in range(30):
        page.keyboard.press("Tab")
        box = page.evaluate(FOCUSED_BOX)
        if box is None:
            continue
        if box["hidden"] or not box["w"] or not box["h"] or box["x"] + box["w"] <= 0:
            # An opening transition (the phone search) may still be running:
            # wait for it to show the focused element, or fail with what it is.
            try:
                wait_until(page, f"(b => b && !b.hidden && b.w > 0 && b.h > 0 && b.x + b.w > 0)({FOCUSED_BOX})", timeout=5,
                           message="the focused element to become visible")
            except AssertionError:
                pass
            box = page.evaluate(FOCUSED_BOX)
        assert not box["hidden"] and box["w"] > 0 and box["h"] > 0, box
        assert box["x"] + box["w"] > 0 and box["x"] < viewport["width"], box
    context.close()


def test_keyboard_can_open_the_navigation_drawer(browser, site_url):
    context = new_context(browser, viewport={"width": 1000, "height": 700})
    page = context.new_page()
    goto(page, site_url + "charging/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Open the navigation"
    page.keyboard.press("Enter")
    wait_until(page, "document.activeElement && document.activeElement.matches('.md-sidebar--primary .md-nav__link')")
    box = page.evaluate(FOCUSED_BOX)
    assert box["x"] >= 0 and not box["hidden"], box
    page.keyboard.press("Escape")
    wait_until(page, "!document.getElementById('__drawer').checked", message="Escape to close the drawer")
    assert page.evaluate("document.activeElement.textContent") == "Open the navigation"
    assert csp_violations(page) == []
    context.close()
