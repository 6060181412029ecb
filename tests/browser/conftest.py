"""Browser tests in Debian's Chromium, driven by Playwright, and the helpers
every browser test uses.

No browser is downloaded: Playwright launches the system `chromium` through
`executable_path`. Without Chromium these tests are reported as *not run*
(skipped, with the reason), never as passed; under CI (CI=1) that is a failure.

One browser (`browser`) and one built, served site (`site_url`) are shared by
the whole session. Each test makes its own context (`page`, or
`new_context(browser, ...)`), which is cheap.

No test sleeps for a fixed time: every wait is on a condition.

- `goto(page, url)` loads a page, retrying once (with a message) if the load fails.
- `wait_until(page, expression)` polls a JavaScript expression through the
  DevTools protocol. Use it instead of `page.wait_for_function`, which the
  site's content security policy blocks.
- `search(page, query)` types a query into the site's search and returns the
  results once they belong to the whole query and have stopped changing.

Timeouts are generous, for a busy two-core machine: a test that needs them
is slow, not failing. There are no automatic reruns: a test that passes only
on a second try is a failure.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import not_run
from tests.sites import PROJECT
from tests.system_deps import chromium_path as _chromium_path

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

# Milliseconds, for Playwright. Loaded pages take well under a second on an
# idle machine; these allow for a machine many times busier than that.
ACTION_TIMEOUT = 30_000
NAVIGATION_TIMEOUT = 60_000
LAUNCH_TIMEOUT = 90_000
# Seconds, for our own waits.
WAIT_TIMEOUT = 30.0
POLL = 50  # ms between two reads of a condition


def chromium_path() -> str | None:
    """$CHROMIUM if it names an executable, else chromium on the PATH."""
    return _chromium_path(dict(os.environ))


def launch(playwright, path: str):
    """Launch Chromium; if it does not start, say so and try once more."""
    try:
        return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, timeout=LAUNCH_TIMEOUT)
    except Exception as first:  # noqa: BLE001 - any launch failure gets one retry
        print(f"\nChromium ({path}) did not start: {str(first).splitlines()[0]}. Retrying once.", flush=True)
        try:
            return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, timeout=LAUNCH_TIMEOUT)
        except Exception as second:  # noqa: BLE001
            pytest.fail(f"Chromium ({path}) did not start, twice: {second}", pytrace=False)


@pytest.fixture(scope="session")
def browser():
    """The one Chromium shared by every browser test."""
    path = chromium_path()
    if path is None:
        not_run("no Chromium found (make test installs it; or run: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, path)
        yield browser
        browser.close()


SITE_PATH = "/stalking-harassment/"  # the path of site_url in mkdocs.yml


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under the same path as production, so that absolute
    links (the 404 page) resolve as they will when published."""

    prefix = "/"

    def translate_path(self, path):
        if path.startswith(self.prefix):
            path = "/" + path[len(self.prefix):]
        return super().translate_path(path)

    def log_message(self, *args):
        pass


def serve(directory: Path, prefix: str = "/"):
    """Serve `directory` at http://127.0.0.1:<free port><prefix> from a thread.
    Returns (server, url); call server.shutdown() when done."""
    handler = functools.partial(type("H", (_Handler,), {"prefix": prefix}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


@pytest.fixture(scope="session")
def site_url(built_site):
    """The real site (built once per session), served as it will be published."""
    server, url = serve(built_site, SITE_PATH)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def offline_copy(tmp_path_factory):
    """The offline copy as a reader has it: `make offline`'s zip, built once
    per session and unzipped. Returns the folder that holds index.html."""
    out = tmp_path_factory.mktemp("offline")
    result = subprocess.run([sys.executable, "-m", "macros.offline", "--out", str(out)], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    archive = next(out.glob("guidance-offline-*.zip"))
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out / "unzipped")
    return out / "unzipped" / "guidance"


# Served compressed, as any static host serves it (`serve_compressed`).
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


# Every page records Content-Security-Policy violations as they happen.
CSP_RECORDER = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
    "e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));"
)

# Counts the queries Material's search sends to its web worker and the
# results that come back, so that `search()` knows when the results on screen
# answer the whole query. (Material posts {type: 2, data: query} and answers
# {type: 3, ...}.) The offline copy's iframe-worker shim puts its own Worker
# in place of the browser's (macros/offline.py): that one is probed too, as
# it is assigned. Injected through DevTools, so the content security policy
# does not apply to it.
SEARCH_PROBE = """
(() => {
  if (!window.Worker) return;
  const probe = window.__searchProbe = {workers: 0, sent: null, pending: 0};
  const probed = Base => class extends Base {
    constructor(...args) {
      super(...args);
      if (this.__probed) return;  // a Worker that makes one of the browser's: probed once
      this.__probed = true;
      probe.workers += 1;
      this.addEventListener('message', e => { if (e.data && e.data.type === 3) probe.pending -= 1; });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) { probe.pending += 1; probe.sent = message.data; }
      return super.postMessage(message, ...rest);
    }
  };
  let current = probed(window.Worker);
  Object.defineProperty(window, 'Worker', {configurable: true, get: () => current, set: Base => { current = probed(Base); }});
})();
"""


def new_context(browser, **kwargs):
    """A fresh browser context with generous timeouts, recording CSP
    violations (read them with `csp_violations(page)`) and probing search.
    Service workers are blocked unless a test asks for them
    (`service_workers="allow"`), so that each test sees the network's pages,
    not a copy stored by an earlier test (docs/sw.js)."""
    kwargs.setdefault("service_workers", "block")
    context = browser.new_context(**kwargs)
    context.set_default_timeout(ACTION_TIMEOUT)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT)
    context.add_init_script(CSP_RECORDER)
    context.add_init_script(SEARCH_PROBE)
    return context


@pytest.fixture()
def page(browser):
    """A page in a fresh desktop-width context; the test fails if the page
    it ends on recorded any content security policy violation."""
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    yield page
    violations = csp_violations(page)
    context.close()
    assert violations == [], "content security policy violations"


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def goto(page, url: str):
    """Load `url` and wait for its load event; if the load fails (a busy
    machine can time out), say so and try once more. Returns the response."""
    try:
        return page.goto(url, wait_until="load")
    except Exception as first:  # noqa: BLE001 - any load failure gets one retry
        print(f"\nLoading {url} failed: {str(first).splitlines()[0]}. Retrying once.", flush=True)
        return page.goto(url, wait_until="load")


def wait_until(page, expression: str, timeout: float = WAIT_TIMEOUT, message: str = ""):
    """Poll a JavaScript expression until it is truthy, and return its value.
    Raises AssertionError after `timeout` seconds. (Playwright's
    wait_for_function evaluates strings inside the page, which the site's
    content security policy rightly blocks; page.evaluate goes through the
    DevTools protocol.)"""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {message or expression}")
        page.wait_for_timeout(POLL)


_RESULTS = """() => ({
  value: (document.querySelector('.md-search__input') || {}).value,
  meta: ((document.querySelector('.md-search-result__meta') || {}).textContent || '').trim(),
  hrefs: [...document.querySelectorAll('li.md-search-result__item')].map(li => (li.querySelector('a') || {}).href || ''),
  probe: window.__searchProbe || null,
})"""
# What the result area says before any results for a query arrive.
_NOT_YET = ("", "Initializing search", "Type to start searching")


def _strip_highlight(href: str) -> str:
    """Drop Material's ?h=... highlight parameter, keep the path and anchor."""
    parts = urlsplit(href)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", parts.fragment))


def open_search(page) -> None:
    """Put the keyboard focus in the search box, as a reader would with "/"."""
    page.wait_for_selector(".md-search:not([hidden])", state="attached")
    focused = "document.activeElement && document.activeElement.matches('.md-search__input')"
    if not page.evaluate(focused):
        page.keyboard.press("/")  # Material's keyboard shortcut for search
        wait_until(page, focused, message="the search box to take the focus")


def search(page, query: str, timeout: float = WAIT_TIMEOUT, settle: float = 0.3) -> list[str]:
    """Type `query` into the search box of the loaded page and return the
    address of each result in the order shown (one per result item, which
    is a page or, when only part of a page matches, its best section:
    absolute, highlight parameter removed, anchor kept); [] when the site
    finds nothing.

    Material updates the results as each character arrives, so the first
    results to appear may answer a shorter query. This returns only when the
    worker has answered the whole query and the results on screen have not
    changed for `settle` seconds (a full second when the worker cannot be
    probed: a browser with no Worker). Raises AssertionError after `timeout`.
    """
    open_search(page)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(query)
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while True:
        now = time.monotonic()
        snap = page.evaluate(_RESULTS)
        probe = snap.pop("probe")
        probed = bool(probe and probe["workers"])
        answered = not probed or (probe["sent"] == query and probe["pending"] <= 0)
        ready = snap["value"] == query and answered and snap["meta"] not in _NOT_YET
        if not ready or snap != last:
            last, since = snap if ready else None, now
        elif now - since >= (settle if probed else 1.0):
            return [_strip_highlight(h) for h in snap["hrefs"]]
        if now > deadline:
            raise AssertionError(f"search for {query!r} did not settle within {timeout:.0f} s; last seen: {snap}")
        page.wait_for_timeout(POLL)
