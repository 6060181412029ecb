"""The page audit's broken fixture (tests/browser/test_pages.py): a copy of
one real page with an image without a text alternative, an inline script
and an image from another origin, audited as every page is. The page is the
smallest real page one level below the home page (so its relative links to
the site's scripts and styles still work from broken/): axe on the offences
page, used until 7 December 2026, cost three times as much. In its own file
so that `make test` (tests/suite.py) runs it beside the other browser tests,
not in the page audit's process, which is the longest."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.test_pages import CONTEXTS, Auditor, coverage_gaps, run_audit

pytestmark = pytest.mark.browser


def smallest_page(built_site):
    """The smallest built page one level below the home page that has an article."""
    pages = [p for p in built_site.glob("*/index.html") if "<article" in p.read_text()]
    return min(pages, key=lambda p: p.stat().st_size)


@pytest.fixture(scope="module")
def broken_site(built_site, tmp_path_factory):
    """A copy of one real page with three faults: an image without a text
    alternative, an inline script (blocked by the CSP) and an image from
    another origin (localhost, not 127.0.0.1: nothing leaves the machine)."""
    from tests.browser.conftest import SITE_PATH, serve

    root = tmp_path_factory.mktemp("broken-pages")
    for name in ("assets", "search"):
        (root / name).symlink_to(built_site / name)
    server, url = serve(root, SITE_PATH)
    port = urlsplit(url).port
    html = smallest_page(built_site).read_text()
    faults = (f'<img src="/faulty.png"><script>window.__ran = 1;</script>'
              f'<img alt="elsewhere" src="http://localhost:{port}{SITE_PATH}assets/missing.png">')
    (root / "broken").mkdir()
    (root / "broken" / "index.html").write_text(html.replace("<article", faults + "<article", 1))
    yield url
    server.shutdown()


def test_the_audit_catches_inaccessible_markup_other_origins_and_policy_violations(browser, broken_site):
    auditors = [Auditor(browser, broken_site, scheme, viewport, all_four={"broken/"}) for scheme, viewport in CONTEXTS]
    try:
        run_audit(auditors, ["broken/"])
    finally:
        for auditor in auditors:
            auditor.close()
    problems = {name: found for a in auditors for name, found in a.problems.items()}
    assert sorted(problems) == ["dark-1280px", "dark-360px", "light-1280px", "light-360px"]
    for name, found in problems.items():
        assert "broken/: image-alt (critical): ['img[src$=\"faulty.png\"]']" in found, (name, found)
    # The blocked script and the request to another origin happen once per
    # page load, which is in each context's system scheme.
    loads = "\n".join(problems["light-1280px"] + problems["dark-360px"])
    assert loads.count("broken/: CSP script-src-elem blocked inline") == 2, problems
    assert loads.count("request to another origin: http://localhost:") == 2, problems


def test_the_coverage_check_names_each_page_left_out():
    """The audit's record of what it checked (test_pages.py,
    test_every_page_had_each_scheme_and_width) fails on a page seen in one
    scheme only, on an ALL_FOUR page seen in two pairs, on an ALL_FOUR entry
    that is no page, and on a print view audited twice."""
    widths = {"1280px", "360px"}
    audited = {("a/", "light", "1280px"), ("a/", "light", "360px"),  # one scheme only
               ("b/", "light", "1280px"), ("b/", "dark", "360px"),  # in ALL_FOUR below, two pairs
               ("c/", "light", "1280px"), ("c/", "dark", "360px"),  # fine
               ("print/", "light", "1280px"), ("print/", "dark", "1280px")}
    gaps = coverage_gaps(audited, widths, all_four={"b/", "gone/"})
    assert gaps == ["gone/: in ALL_FOUR but not a page the audit loaded",
                    "a/: audited only in [('light', '1280px'), ('light', '360px')]",
                    "b/: in ALL_FOUR but audited only in [('dark', '360px'), ('light', '1280px')]",
                    "print/: audited 2 times, not once"], gaps
    assert coverage_gaps(audited - {("a/", "light", "360px")} | {("a/", "dark", "360px")}, widths, {"c/"}) == [
        "c/: in ALL_FOUR but audited only in [('dark', '360px'), ('light', '1280px')]",
        "print/: audited 2 times, not once"]
