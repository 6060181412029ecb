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
    for rel in ["offences/", "protective-orders/", "pleas/", "bail-and-updates/", "sentencing/", "law-on-a-date/?offence=2016-06-01"]:
        goto(page, url + rel)
        assert page.locator("article h1").first.is_visible(), rel
        note = page.locator(".stored-copy")
        assert note.is_visible(), f"{rel}: no notice that this is the stored copy"
        assert "stored on this device on" in note.inner_text()
    assert page.locator("#law-date-result tbody tr").count() > 10, "offline, the law on a date gave no answer"
    assert search(page, "s.4A")[0].replace(url, "").startswith("offences/")
    context.close()


def _serve_with_caching_headers(directory):
    """A static host like GitHub Pages: every answer says it may be kept for
    ten minutes (Cache-Control: max-age=600), with its Last-Modified date
    (the standard library's handler sends it and answers If-Modified-Since)."""
    import functools
    import http.server
    import threading

    from tests.browser.conftest import SITE_PATH, _Handler

    class Caching(_Handler):
        prefix = SITE_PATH

        def end_headers(self):
            self.send_header("Cache-Control", "max-age=600")
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Caching, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{SITE_PATH}"


def test_a_correction_reaches_readers_on_a_host_that_sends_caching_headers(browser, built_site, tmp_path):
    """Issue 23: on a host that lets browsers keep pages for ten minutes, the
    first visit after a correction showed the old text (the worker's
    network-first fetch went through the browser's HTTP cache), and offline a
    page from that cache had no "stored copy" notice."""
    import os
    import shutil
    import time

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    server, url = _serve_with_caching_headers(site)
    context = new_context(browser, viewport=PHONE, service_workers="allow")
    page = context.new_page()
    try:
        goto(page, url + "pleas/")
        ready = wait_until(page, "document.documentElement.getAttribute('data-offline-ready')", timeout=90,
                           message="the service worker to store the guidance")
        assert ready == "yes"
        goto(page, url + "pleas/")  # now also in the browser's HTTP cache, for ten minutes
        chapter = site / "pleas" / "index.html"
        text = chapter.read_text(encoding="utf-8")
        corrected = text.replace("</h1>", " (corrected)</h1>", 1)
        assert corrected != text
        chapter.write_text(corrected, encoding="utf-8")
        later = time.time() + 5
        os.utime(chapter, (later, later))
        goto(page, url + "pleas/")
        assert "(corrected)" in page.locator("article h1").first.inner_text(), "the first visit after the correction showed the old text"
        assert page.evaluate("document.documentElement.hasAttribute('data-stored-copy')") is False
        goto(page, url + "pleas")  # the host redirects to pleas/: the worker passes the redirect on
        assert page.url.endswith("/pleas/") and "(corrected)" in page.locator("article h1").first.inner_text()
    finally:
        server.shutdown()
        server.server_close()
    goto(page, url + "pleas/")
    assert page.locator(".stored-copy").is_visible(), "offline, the page did not say it is the stored copy"
    assert "(corrected)" in page.locator("article h1").first.inner_text()
    context.close()


def test_after_a_rollback_stored_copies_follow_the_earlier_edition(browser, built_site, tmp_path):
    """Issue 23: rolling back publishes an earlier edition at the same
    addresses, and readers' stored copies must follow it. The worker stored
    the newer edition's files again when the manifest's version changed, but
    kept a page that only the newer edition had: offline, a reader still
    opened a page the rollback had withdrawn. Here the host first serves a
    newer edition (a chapter changed, a page added), the reader stores it,
    the host is rolled back to the earlier one (redeployed, so with fresh
    file dates, as a publish job gives), and the reader visits once."""
    import json
    import shutil

    earlier = built_site
    newer = tmp_path / "newer"
    shutil.copytree(earlier, newer)
    chapter = newer / "pleas" / "index.html"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("</h1>", " (newer edition)</h1>", 1), encoding="utf-8")
    (newer / "withdrawn").mkdir()
    (newer / "withdrawn" / "index.html").write_text(
        (newer / "pleas" / "index.html").read_text(encoding="utf-8").replace("</h1>", " (withdrawn page)</h1>", 1), encoding="utf-8")
    manifest = json.loads((newer / "offline-manifest.json").read_text())
    manifest["files"].append("withdrawn/")
    manifest["version"] += "-newer"
    (newer / "offline-manifest.json").write_text(json.dumps(manifest))

    host = tmp_path / "host"
    shutil.copytree(newer, host, copy_function=shutil.copy)
    server, url = _serve_with_caching_headers(host)
    context = new_context(browser, viewport=PHONE, service_workers="allow")
    page = context.new_page()
    try:
        goto(page, url + "withdrawn/")
        assert wait_until(page, "document.documentElement.getAttribute('data-offline-ready')", timeout=90,
                          message="the service worker to store the newer edition") == "yes"
        shutil.rmtree(host)
        shutil.copytree(earlier, host, copy_function=shutil.copy)  # the rollback, redeployed
        goto(page, url)
        assert "(newer edition)" not in page.content()
        assert wait_until(page, "document.documentElement.getAttribute('data-offline-ready')", timeout=90,
                          message="the service worker to store the earlier edition") == "yes"
    finally:
        server.shutdown()
        server.server_close()
    goto(page, url + "pleas/")
    assert page.locator(".stored-copy").is_visible()
    assert "(newer edition)" not in page.locator("article h1").first.inner_text(), "offline, the stored copy kept the newer edition"
    try:
        page.goto(url + "withdrawn/", wait_until="load")
        withdrawn_shown = "(withdrawn page)" in page.content()
    except Exception:  # noqa: BLE001 - no connection and no stored copy: the load fails, as it should
        withdrawn_shown = False
    assert not withdrawn_shown, "offline, a page the rollback withdrew still opened from the stored copy"
    context.close()
