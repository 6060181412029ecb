"""Every page of the built site, in Chromium: accessibility (axe-core, WCAG 2.2
AA), privacy (no request leaves the site) and the content security policy (no
violation), in the light and dark schemes, at desktop and phone widths.

Two contexts of the session's one browser, one at each width, work side by
side: each loads every page once and runs axe. The desktop context starts in
the light scheme and the phone context in the dark one, so every page is
audited in both schemes and at both widths (light at one width, dark at the
other). On one page of each kind (ALL_FOUR: the home page, a chapter, a case
study, the register and its pages, the generated law pages, the law on a
date with an answer, and so on) each context also switches the scheme with
the page's own toggle and runs axe again, so those pages are audited in all
four pairs of scheme and width. Both contexts switch on the same pages, so
they stay in opposite schemes. Why not all four everywhere: what differs
between the widths is the theme's layout (the side navigation, the contents
list, the header), which is the same template on every page of a kind; what
differs between the schemes is colour, which every page gets at a width. The
audit in all four on every page took about 250 core-seconds, over the test
budget (README, "Test suite"); test_every_page_had_each_scheme_and_width
proves the coverage. While one context loads or switches, axe runs in the
other's renderer process, which keeps both cores busy. The first page each
context loads also proves that the site follows the reader's system colour
scheme.

The site is served compressed, as any static host serves it, and the phone
context loads each page with the browser's cache switched off: so each load
is a first visit, and the same loads prove that a first visit to any page
except the whole-guidance print view moves at most 100 KB up to the load
event (issue 13, part 3; measured through the DevTools protocol: the encoded
size of every response finished before the page's load event). Loading every
page once more for that alone cost more than the audit's extra work."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser.conftest import (
    DESKTOP, PHONE, first_visit_bytes, goto, new_context, page_addresses, serve_compressed, wait_until,
)

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# The whole-guidance print view repeats every chapter, which is audited on its
# own page; axe on it costs as much as on twenty other pages, so it is audited
# once (desktop, light: its own structure, ids and contrast), not four times.
AUDIT_ONCE = {"print/"}
# One page of each kind, audited in both schemes at both widths (the others in
# both schemes, one at each width). Each must be a page of the site
# (test_every_page_had_each_scheme_and_width).
ALL_FOUR = {
    "",  # home
    "offences/",  # a chapter with offence tables and boxes
    "checklists/",  # task lists
    "case-studies/",  # the case studies' index
    "case-studies/cs-01/",  # a case study
    "recommendations/",  # the register
    "recommendations/coverage/",  # the coverage matrix
    "recommendations/r1/",  # an item page
    "law/",  # a generated law page (wide tables)
    "law-changes/",  # the register of changes
    "whats-new/",  # the feed page
    "glossary/",
    "404.html",
    "law-on-a-date/?offence=2016-06-01&conviction=2026-04-01",  # the answer the page's script builds
}
# Each context starts in the system scheme given and switches to the other.
CONTEXTS = [("light", DESKTOP), ("dark", PHONE)]
SCHEMES = {"default": "light", "slate": "dark"}  # Material's names for them
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],  # report passes only once per rule: much faster, same violations
}
BUDGET = 100 * 1024  # bytes moved on a first visit, compressed, up to the load event
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


# Switch to the other colour scheme as the header toggle does (the toggle
# itself may be hidden, so click its radio input); Material stores the choice,
# so the next page opens in it.
TOGGLE_SCHEME = """(() => {
  const inputs = [...document.querySelectorAll('form[data-md-component=palette] input[name=__palette]')];
  const next = inputs.find(i => i.dataset.mdColorScheme !== document.body.dataset.mdColorScheme);
  next.click();
  return next.dataset.mdColorScheme;
})()"""
START_AXE = f"() => {{ window.__axeRun = new Promise(done => setTimeout(() => done(axe.run(document, {json.dumps(AXE_OPTIONS)})))); }}"
# What comes back of each run: the violations, with only the fields that
# `violations()` reads. (axe's whole result, every rule with its nodes, took
# the test process more CPU to receive and check than the loads it audits.)
COLLECT_AXE = ("window.__axeRun.then(r => r.violations.map(v => ({id: v.id, tags: v.tags, impact: v.impact, "
               "nodes: v.nodes.slice(0, 3).map(n => ({target: n.target}))})))")


class Auditor:
    """One width, in its own context. `steps(pages)` is a generator: each
    step leaves an axe run going in the page, and `collect()` waits for it
    and records every problem."""

    def __init__(self, browser, site_url: str, scheme: str, viewport: dict, audits_once: bool = True,
                 first_visits: bool = False, all_four: set[str] = ALL_FOUR):
        self.audits_once = audits_once  # whether this one audits the AUDIT_ONCE pages
        self.all_four = all_four  # the pages audited in both schemes at this width
        self.width = f"{viewport['width']}px"
        self.site_url = site_url
        self.system_scheme = scheme
        self.context = new_context(browser, viewport=viewport, color_scheme=scheme)
        self.context.add_init_script(AXE_SCRIPT)  # axe in every page, sent to the browser once
        self.page = self.context.new_page()
        self.problems: dict[str, list[str]] = {}  # "light-1280px" -> problems
        self.current = ("", "")
        self.checked: list[str] = []  # the scheme of each axe run, in order
        self.audited: set[tuple[str, str, str]] = set()  # (page, scheme, width) of each axe run
        # With first_visits, every load is a first visit (no cache), measured:
        # page -> (bytes moved up to the load event, number of responses).
        self.first_visits: dict[str, tuple[int, int]] = {}
        self.cdp = self.context.new_cdp_session(self.page) if first_visits else None
        if self.cdp:
            self.cdp.send("Network.enable")
            self.cdp.send("Page.enable")
            self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        origin = urlsplit(site_url).netloc
        self.page.on("request", lambda r: self.record(f"request to another origin: {r.url}")
                     if urlsplit(r.url).netloc not in (origin, "") and not r.url.startswith("data:") else None)

    def record(self, problem: str) -> None:
        self.problems.setdefault(f"{self.current[1] or self.system_scheme}-{self.width}", []).append(problem)

    def scheme(self) -> str:
        return SCHEMES.get(self.page.get_attribute("body", "data-md-color-scheme"), "unknown")

    def steps(self, pages: list[str]):
        for n, rel in enumerate(pages):
            if rel in AUDIT_ONCE and not self.audits_once:
                continue
            self.current = (rel, "")
            if self.cdp:
                self.first_visits[rel] = first_visit_bytes(self.page, self.cdp, self.site_url + rel)
            else:
                goto(self.page, self.site_url + rel)
            if n == 0 and self.scheme() != self.system_scheme:
                self.record(f"{rel}: the page does not follow the system colour scheme ({self.system_scheme})")
            for switch in (False, True) if rel in self.all_four and rel not in AUDIT_ONCE else (False,):
                if switch:
                    target = self.page.evaluate(TOGGLE_SCHEME)
                    wait_until(self.page, f"document.body.dataset.mdColorScheme === {json.dumps(target)}",
                               message=f"the colour scheme to switch to {target} on {rel}")
                self.current = (rel, self.scheme())
                if switch and self.current[1] == self.checked[-1]:
                    self.record(f"{rel}: the colour scheme toggle did not switch from {self.current[1]}")
                self.checked.append(self.current[1])
                self.audited.add((rel, self.current[1], self.width))
                self.page.evaluate(START_AXE)
                yield

    def collect(self) -> None:
        rel = self.current[0]
        for v in violations({"violations": self.page.evaluate(COLLECT_AXE)}):
            self.record(f"{rel}: {v}")
        for v in self.page.evaluate("(window.__cspViolations || []).splice(0)"):
            self.record(f"{rel}: CSP {v}")

    def close(self) -> None:
        self.context.close()


def violations(result: dict) -> list[str]:
    out = []
    for v in result["violations"]:
        if any(t.startswith("wcag") for t in v["tags"]) or v.get("impact") in BEST_PRACTICE_IMPACTS:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            out.append(f"{v['id']} ({v.get('impact')}): {targets}")
    return out


def run_audit(auditors: list[Auditor], pages: list[str]) -> None:
    """Round robin: collect one auditor's axe result and start its next step
    while the other auditors' axe runs carry on."""
    running = [(a, a.steps(pages)) for a in auditors]
    for _, steps in running:
        next(steps)
    while running:
        for item in list(running):
            auditor, steps = item
            auditor.collect()
            if next(steps, "done") == "done":
                running.remove(item)


@pytest.fixture(scope="module")
def audit(browser, built_site) -> list[Auditor]:
    """The audit of every page of the real site, run once (both contexts side
    by side) for the two tests below; returns the auditors, closed."""
    server, url = serve_compressed(built_site)
    # The law on a date also with an answer shown (its script builds the table).
    pages = site_pages(built_site) + ["law-on-a-date/?offence=2016-06-01&conviction=2026-04-01"]
    auditors = [Auditor(browser, url, scheme, viewport, audits_once=n == 0, first_visits=viewport is PHONE)
                for n, (scheme, viewport) in enumerate(CONTEXTS)]
    try:
        run_audit(auditors, pages)
    finally:
        for auditor in auditors:
            auditor.close()
        server.shutdown()
        server.server_close()
    return auditors


def test_every_page_is_accessible_private_and_within_policy(audit, built_site):
    assert len(site_pages(built_site)) > 40
    problems = {name: found for a in audit for name, found in a.problems.items()}
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in SCHEMES.values():
        for width in (DESKTOP, PHONE):
            name = f"{scheme}-{width['width']}px"
            (ARTIFACTS / f"pages-{name}.txt").write_text("\n".join(problems.get(name, [])) + "\n")
    assert problems == {}


def coverage_gaps(audited: set[tuple[str, str, str]], widths: set[str], all_four: set[str] = ALL_FOUR) -> list[str]:
    """What the audit left out, from its (page, scheme, width) runs: a page
    not audited in both schemes and at both widths, an `all_four` page not in
    all four pairs or never loaded, a print view audited more than once."""
    gaps = [f"{rel}: in ALL_FOUR but not a page the audit loaded" for rel in sorted(all_four - {p for p, _, _ in audited})]
    for rel in sorted({p for p, _, _ in audited}):
        done = {(scheme, width) for p, scheme, width in audited if p == rel}
        if rel in AUDIT_ONCE:
            gaps += [f"{rel}: audited {len(done)} times, not once"] if len(done) != 1 else []
        elif {s for s, _ in done} != set(SCHEMES.values()) or {w for _, w in done} != widths:
            gaps.append(f"{rel}: audited only in {sorted(done)}")
        elif rel in all_four and len(done) != 2 * len(widths):
            gaps.append(f"{rel}: in ALL_FOUR but audited only in {sorted(done)}")
    return gaps


def test_every_page_had_each_scheme_and_width(audit):
    """Every page was audited in both schemes and at both widths, and each
    ALL_FOUR page (each a real page) in all four pairs; the print view once."""
    audited = set().union(*(a.audited for a in audit))
    assert len({p for p, _, _ in audited}) > 40
    assert coverage_gaps(audited, {a.width for a in audit}) == []


def test_a_first_visit_moves_at_most_100_kb(audit, built_site):
    measured = next(a for a in audit if a.cdp).first_visits
    addresses = page_addresses(built_site)
    assert len(addresses) > 40
    assert sorted(set(addresses) - set(measured)) == [], "pages the audit did not load"
    sizes = {rel: measured[rel][0] for rel in addresses}
    heavy = [f"{rel or 'home'}: {measured[rel][0] / 1024:.0f} KB in {measured[rel][1]} responses"
             for rel in addresses if measured[rel][0] > BUDGET]
    assert heavy == [], "pages over 100 KB compressed on a first visit"
    print(f"\nfirst visit, compressed: largest {max(sizes.values()) / 1024:.0f} KB "
          f"({max(sizes, key=sizes.get) or 'home'}), home {sizes[''] / 1024:.0f} KB")
