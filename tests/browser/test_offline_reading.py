"""A light first visit and pages that work with no signal (issue 13, part 3).

- Served compressed, as any static host serves it, a first visit to any page
  except the whole-guidance print view moves at most 100 KB up to the load
  event (measured through the DevTools protocol: the encoded size of every
  response finished before the page's load event).
- After one online visit, with the server gone, five other chapters open
  from the copy the service worker stored (each saying so, with its date),
  and search still answers.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import threading
import time
from pathlib import Path

import pytest

from tests.browser.conftest import PHONE, POLL, SITE_PATH, _Handler, goto, new_context, search, wait_until

pytestmark = pytest.mark.browser

BUDGET = 100 * 1024  # bytes, compressed, up to the load event
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


@functools.lru_cache(maxsize=None)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    """The file compressed as a static host would send it, made once per
    version of the file (a test loads the same scripts on every page)."""
    return gzip.compress(Path(path).read_bytes(), 6)


class _Compressing(_Handler):
    """Serves text gzipped when the browser accepts it, like a static host."""

    prefix = SITE_PATH

    def send_head(self):
        path = self.translate_path(self.path)
        if Path(path).is_dir():
            path = str(Path(path) / "index.html")
        if not path.endswith(COMPRESSED) or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not Path(path).is_file():
            return super().send_head()
        if Path(self.translate_path(self.path)).is_dir() and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # the redirect to the directory address
        body = _gzipped(path, Path(path).stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve_compressed(directory: Path):
    handler = functools.partial(_Compressing, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{SITE_PATH}"


def page_addresses(site: Path) -> list[str]:
    """Every page a reader can open, except the print view and redirect stubs."""
    out = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        rel = "" if rel == "." else rel + "/"
        if rel != "print/" and "http-equiv=\"refresh\"" not in path.read_text(encoding="utf-8")[:2000]:
            out.append(rel)
    return out


def first_visit_bytes(page, cdp, url: str) -> tuple[int, int]:
    """(bytes moved up to the load event, number of responses)."""
    finished, loaded = [], []
    on_finish = lambda e: finished.append((e["timestamp"], e["encodedDataLength"]))  # noqa: E731
    on_load = lambda e: loaded.append(e["timestamp"])  # noqa: E731
    cdp.on("Network.loadingFinished", on_finish)
    cdp.on("Page.loadEventFired", on_load)
    goto(page, url)
    wait_until(page, "document.readyState === 'complete'")
    deadline = time.monotonic() + 10
    while not loaded and time.monotonic() < deadline:  # the DevTools event may arrive just after
        page.wait_for_timeout(POLL)
    cdp.remove_listener("Network.loadingFinished", on_finish)
    cdp.remove_listener("Page.loadEventFired", on_load)
    assert loaded, f"{url}: no load event seen"
    before = [size for when, size in finished if when <= loaded[-1]]
    return sum(before), len(before)


@pytest.fixture(scope="module")
def compressed_site(built_site):
    server, url = serve_compressed(built_site)
    yield url
    server.shutdown()
    server.server_close()


def test_a_first_visit_moves_at_most_100_kb(browser, built_site, compressed_site):
    context = new_context(browser, viewport=PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Page.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # every load is a first visit
    heavy = []
    sizes = {}
    for rel in page_addresses(built_site):
        moved, count = first_visit_bytes(page, cdp, compressed_site + rel)
        sizes[rel] = moved
        if moved > BUDGET:
            heavy.append(f"{rel or 'home'}: {moved / 1024:.0f} KB in {count} responses")
    context.close()
    assert len(sizes) > 40
    assert heavy == [], "pages over 100 KB compressed on a first visit"
    print(f"\nfirst visit, compressed: largest {max(sizes.values()) / 1024:.0f} KB "
          f"({max(sizes, key=sizes.get) or 'home'}), home {sizes[''] / 1024:.0f} KB")


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
