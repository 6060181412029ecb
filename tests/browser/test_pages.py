"""Every page of the built site, in Chromium: accessibility (axe-core, WCAG 2.2
AA), privacy (no request leaves the site) and the content security policy (no
violation), in the light and dark schemes, at desktop and phone widths.

The four combinations run side by side (asyncio, one browser context each) to
keep the suite to about a minute on two cores."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.async_playwright import Axe

from tests.browser.conftest import CHROMIUM_ARGS, CSP_RECORDER, DESKTOP, PHONE, chromium_path

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
COMBINATIONS = [(scheme, viewport) for scheme in ("light", "dark") for viewport in (DESKTOP, PHONE)]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],  # report passes only once per rule: much faster, same violations
}
# WCAG rules count at any impact; best-practice rules at serious or critical.
# No rule is switched off.
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
        if any(t.startswith("wcag") for t in v["tags"]) or v.get("impact") in BEST_PRACTICE_IMPACTS:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            out.append(f"{v['id']} ({v.get('impact')}): {targets}")
    return out


async def audit(browser, site_url: str, pages: list[str], scheme: str, viewport: dict) -> list[str]:
    axe = Axe()
    origin = urlsplit(site_url).netloc
    context = await browser.new_context(viewport=viewport, color_scheme=scheme)
    await context.add_init_script(CSP_RECORDER)
    page = await context.new_page()
    problems: list[str] = []
    page.on("request", lambda r: problems.append(f"request to another origin: {r.url}")
            if urlsplit(r.url).netloc not in (origin, "") and not r.url.startswith("data:") else None)
    expected = "slate" if scheme == "dark" else "default"
    for rel in pages:
        await page.goto(site_url + rel)
        if await page.get_attribute("body", "data-md-color-scheme") != expected:
            problems.append(f"{rel}: colour scheme is not {expected}")
        problems += [f"{rel}: {v}" for v in violations(await axe.run(page, options=AXE_OPTIONS))]
        problems += [f"{rel}: CSP {v}" for v in await page.evaluate("window.__cspViolations")]
    await context.close()
    return problems


async def audit_all(site_url: str, pages: list[str]) -> dict[str, list[str]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        slots = asyncio.Semaphore(2)  # two at a time: the CI machine has two cores

        async def one(scheme, viewport):
            async with slots:
                return await audit(browser, site_url, pages, scheme, viewport)

        results = await asyncio.gather(*(one(s, v) for s, v in COMBINATIONS))
        await browser.close()
    return {f"{s}-{v['width']}px": r for (s, v), r in zip(COMBINATIONS, results)}


def test_every_page_is_accessible_private_and_within_policy(browser, built_site, site_url):
    """`browser` is requested so that a missing Chromium is reported as not run."""
    pages = site_pages(built_site)
    assert len(pages) > 40
    results = {}
    # Sync Playwright owns this thread's event loop; run the async audit in its own.
    worker = threading.Thread(target=lambda: results.update(asyncio.run(audit_all(site_url, pages))))
    worker.start()
    worker.join()
    ARTIFACTS.mkdir(exist_ok=True)
    for name, problems in results.items():
        (ARTIFACTS / f"pages-{name}.txt").write_text("\n".join(problems) + "\n")
    assert len(results) == 4
    assert {name: problems for name, problems in results.items() if problems} == {}
