"""Traceability that serves inspectors without cluttering prosecutors
(issue 24), in Chromium at phone width.

- The items each section delivers ("R3", "F1") are not shown under the
  headings until the reader ticks "Show under each section" in the page
  facts; the choice holds on every page, after a reload and in print.
- Case-study boxes inside a chapter are closed (a <details>), open from the
  keyboard, and print open.
- Search lists the guidance before the register and the case studies,
  unless the query names an item or a case study (R3, CS-07).
"""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import PHONE, csp_violations, goto, new_context, search, wait_until

pytestmark = pytest.mark.browser


@pytest.fixture()
def phone(browser):
    """A fresh phone-width context (nothing remembered from another test)."""
    context = new_context(browser, viewport=PHONE)
    page = context.new_page()
    yield page
    violations = csp_violations(page)
    context.close()
    assert violations == [], "content security policy violations"


def shown(page, selector: str) -> int:
    return page.locator(selector).evaluate_all("els => els.filter(e => e.getClientRects().length > 0).length")


def test_traceability_is_quiet_until_asked_for_and_then_remembered(phone, site_url):
    goto(phone, site_url + "pleas/")
    assert phone.locator("article p.addresses").count() >= 5
    assert shown(phone, "article p.addresses") == 0, "the lines are hidden by default"
    # From the keyboard: open "About this page", tick the box with Space.
    phone.locator("details.page-facts-phone > summary").focus()
    phone.keyboard.press("Enter")
    box = phone.get_by_role("checkbox", name="Show under each section")
    assert box.count() == 1 and box.is_visible()
    box.focus()
    phone.keyboard.press("Space")
    assert box.is_checked()
    assert shown(phone, "article p.addresses") == phone.locator("article p.addresses").count()
    tag = phone.locator("article .addresses a", has_text="R3").first
    size = tag.bounding_box()
    assert size["width"] >= 24 and size["height"] >= 24  # WCAG 2.5.8 target size
    assert tag.get_attribute("title").startswith("R3: ")
    phone.emulate_media(media="print")
    assert shown(phone, "article p.addresses") > 0, "printed when chosen"
    phone.emulate_media(media="screen")
    tag.click()
    phone.wait_for_url("**/recommendations/r3/")
    # Remembered: on another chapter, after a reload, and in the print view.
    goto(phone, site_url + "protective-orders/")
    wait_until(phone, "document.documentElement.classList.contains('show-trace')")
    assert shown(phone, "article p.addresses") > 0
    assert phone.locator(".trace-toggle__input").first.is_checked()
    goto(phone, site_url + "print/")
    wait_until(phone, "document.documentElement.classList.contains('show-trace')")
    assert shown(phone, "article p.addresses") > 0
    # Untick: quiet again, everywhere.
    goto(phone, site_url + "pleas/")
    phone.locator("details.page-facts-phone > summary").click()
    phone.get_by_role("checkbox", name="Show under each section").uncheck()
    goto(phone, site_url + "offences/")
    assert shown(phone, "article p.addresses") == 0
    phone.emulate_media(media="print")
    assert shown(phone, "article p.addresses") == 0, "not printed unless chosen"


def test_case_study_boxes_are_closed_open_from_the_keyboard_and_print_open(phone, site_url):
    goto(phone, site_url + "protective-orders/")
    boxes = phone.locator("article details.case-study-box")
    assert boxes.count() >= 3
    assert phone.locator("article details.case-study-box[open]").count() == 0
    first = boxes.first
    summary = first.locator("summary")
    assert summary.inner_text().startswith("Case study CS-")
    height = first.bounding_box()["height"]
    assert height < 100, f"a closed box takes {height} px"
    link = first.get_by_role("link", name="Read case study")
    assert not link.is_visible()
    summary.focus()
    phone.keyboard.press("Enter")
    wait_until(phone, "document.querySelector('article details.case-study-box').open")
    assert link.is_visible()
    phone.keyboard.press("Enter")  # closes it again
    wait_until(phone, "!document.querySelector('article details.case-study-box').open")
    phone.emulate_media(media="print")
    for i in range(boxes.count()):
        assert boxes.nth(i).get_by_role("link", name="Read case study").is_visible(), f"box {i} prints open"


@pytest.fixture(scope="module")
def search_page(browser, site_url):
    context = new_context(browser)
    page = context.new_page()
    goto(page, site_url)
    yield page
    context.close()


@pytest.mark.parametrize("query,first", [
    ("R3", "recommendations/r3/"),
    ("F1", "recommendations/f1/"),
    ("CS-07", "case-studies/cs-07/"),
    ("cs07", "case-studies/cs-07/"),
])
def test_a_query_that_names_an_item_finds_it_first(search_page, site_url, query, first):
    results = [h.replace(site_url, "") for h in search(search_page, query)]
    assert results and results[0] == first, results[:4]


@pytest.mark.parametrize("query", [
    "restraining order on acquittal", "plea to harassment", "cumulative effect", "stalking protection order",
    "victim withdraws",
])
def test_a_query_for_the_law_lists_the_guidance_first(search_page, site_url, query):
    """The register, its item pages and the case studies come after the
    guidance's own sections."""
    results = [h.replace(site_url, "") for h in search(search_page, query)]
    assert results, query
    assert not results[0].startswith(("recommendations/", "case-studies/")), results[:4]


def test_the_inspectors_view_passes_axe(browser, site_url):
    """The page audit (test_pages.py) sees the reader's view, where the item
    lines are hidden and the boxes closed; this runs the same axe rules on
    a chapter with the lines shown and every case-study box open, at phone
    width, light and dark."""
    from axe_playwright_python.base import AXE_SCRIPT

    from tests.browser.test_pages import AXE_OPTIONS, violations

    for scheme in ("light", "dark"):
        context = new_context(browser, viewport=PHONE, color_scheme=scheme)
        context.add_init_script("try { localStorage.setItem('guidance.showTrace', '1'); } catch (e) {}")
        context.add_init_script(AXE_SCRIPT)
        page = context.new_page()
        goto(page, site_url + "protective-orders/")
        wait_until(page, "document.documentElement.classList.contains('show-trace')")
        page.evaluate("() => document.querySelectorAll('details.case-study-box, details.page-facts-phone').forEach(d => d.open = true)")
        assert shown(page, "article p.addresses") > 0
        result = page.evaluate(f"() => axe.run(document, {json.dumps(AXE_OPTIONS)}).then(r => ({{violations: r.violations}}))")
        found = violations(result)
        assert csp_violations(page) == []
        context.close()
        assert found == [], (scheme, found)
