"""Pages that work with no signal (issue 13, part 3).

- After one online visit, with the server gone, five other chapters open
  from the copy the service worker stored (each saying so, with its date),
  and search still answers.

The light first visit (at most 100 KB) is measured while the page audit loads
every page (tests/browser/test_pages.py).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, goto, new_context, search, serve_compressed, wait_until

pytestmark = pytest.mark.browser


def test_the_guidance_opens_and_search_answers_with_no_connection(browser, built_site):
    server, url = serve_compressed(built_site)
    context = new_context(browser, viewport=PHONE, service_workers="allow")
    page = context.new_page()
    try:
        goto(page, url)
        ready = wait_until(page, "document.documentElement.getAttribute('data-offline-ready')", timeout=90,
                           message="the service worker to store the guidance")
        assert ready == "yes"
        assert page.evaluate("document.documentElement.hasAttribute('data-stored-copy')") is False
    finally:
        server.shutdown()
        server.server_close()  # the connection drops: nothing answers on that port
    for rel in ["offences/", "protective-orders/", "pleas/", "bail-and-updates/", "sentencing/"]:
        goto(page, url + rel)
        assert page.locator("article h1").first.is_visible(), rel
        note = page.locator(".stored-copy")
        assert note.is_visible(), f"{rel}: no notice that this is the stored copy"
        assert "stored on this device on" in note.inner_text()
    assert search(page, "s.4A")[0].replace(url, "").startswith("offences/")
    context.close()
