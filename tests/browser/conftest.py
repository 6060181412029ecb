"""Browser tests in Debian's Chromium, driven by Playwright.

No browser is downloaded: Playwright launches the system `chromium` through
`executable_path`. Without Chromium these tests are reported as *not run*
(skipped, with the reason), never as passed; under CI (CI=1) that is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from tests.conftest import not_run
from tests.system_deps import chromium_path as _chromium_path

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def chromium_path() -> str | None:
    """$CHROMIUM if it names an executable, else chromium on the PATH."""
    return _chromium_path(dict(os.environ))


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        not_run("no Chromium found (make test installs it; or run: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
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
    handler = functools.partial(type("H", (_Handler,), {"prefix": prefix}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


@pytest.fixture(scope="session")
def site_url(built_site):
    server, url = serve(built_site, SITE_PATH)
    yield url
    server.shutdown()


# Every page records Content-Security-Policy violations as they happen.
CSP_RECORDER = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
    "e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));"
)


def new_context(browser, **kwargs):
    context = browser.new_context(**kwargs)
    context.add_init_script(CSP_RECORDER)
    return context
