"""Every page of the built site, in Chromium: accessibility (axe-core, WCAG 2.2
AA), privacy (no request leaves the site) and the content security policy (no
violation), in the light and dark schemes, at desktop and phone widths."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE, new_context

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
}
# Best-practice rules count only at serious or critical impact. WCAG rules
# count at any impact. No rule is switched off.
BEST_PRACTICE_IMPACTS = {"serious", "critical"}


def site_pages(site: Path) -> list[str]:
    pages = []
    for path in sorted(site.rglob("*.html")):
        if "assets" in path.parts or "Redirecting..." in path.read_text():
            continue
        rel = path.relative_to(site).as_posix()
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return pages


def violations(result) -> list[str]:
    out = []
    for v in result.response["violations"]:
        wcag = any(t.startswith("wcag") for t in v["tags"])
        if wcag or v.get("impact") in BEST_PRACTICE_IMPACTS:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            out.append(f"{v['id']} ({v.get('impact')}): {targets}")
    return out


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_is_accessible_private_and_within_policy(browser, built_site, site_url, scheme, viewport):
    axe = Axe()
    origin = urlsplit(site_url).netloc
    context = new_context(browser, viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in (origin, "") and not r.url.startswith("data:") else None)
    problems = []
    pages = site_pages(built_site)
    assert len(pages) > 40
    for rel in pages:
        page.goto(site_url + rel)
        page.wait_for_load_state("load")
        expected = "slate" if scheme == "dark" else "default"
        assert page.get_attribute("body", "data-md-color-scheme") == expected
        problems += [f"{rel}: {v}" for v in violations(axe.run(page, options=AXE_OPTIONS))]
        problems += [f"{rel}: CSP {v}" for v in page.evaluate("window.__cspViolations")]
    context.close()
    report = ARTIFACTS / f"pages-{scheme}-{viewport['width']}.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text("\n".join(foreign + problems) + "\n")
    assert foreign == [], "requests to other origins"
    assert problems == []
