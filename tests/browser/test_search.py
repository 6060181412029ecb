"""Search, tuned for the law: realistic prosecutor questions typed into the
real search box. The expected page must be among the top three results."""

from __future__ import annotations

import pytest

from tests.browser.conftest import goto, new_context, search

pytestmark = pytest.mark.browser

# (what a prosecutor types, the page that answers it)
SCENARIOS = [
    ("s.4A", "offences/"),
    ("section 4A", "charging/"),
    ("5A(2D)", "protective-orders/"),
    ("s.363", "protective-orders/"),
    ("Sentencing Act 2020", "sentencing/"),
    ("s.2A(3)", "recognising/"),
    ("SPO", "protective-orders/"),
    ("DAPO", "protective-orders/"),
    ("VPS", "victims/"),
    ("ISAC", "victims/"),
    ("accept plea to harassment", "pleas/"),
    ("restraining order on acquittal", "protective-orders/"),
    ("bad character", "trial/"),
    ("hearsay", "trial/"),
    ("victim withdrawal", "public-interest/"),
    ("FOUR fixated obsessive unwanted repeated", "recognising/"),
    ("S-DASH", "working-with-police/"),
    ("bail conditions", "bail-and-updates/"),
    ("jurisdiction abroad", "jurisdiction/"),
    ("scrutiny panel", "assurance/"),
    ("stalking lead role profile", "stalking-leads/"),
    ("duplicity", "drafting/"),
    ("Online Safety Act 2023", "offences/"),
    ("substantial adverse effect", "recognising/"),
]


def top_pages(page, site_url: str, query: str, n: int = 3) -> list[str]:
    """Type the query into the search box and read the pages of the first n
    results, once they answer the whole query (see conftest.search)."""
    return [href.replace(site_url, "").split("#")[0] for href in search(page, query)][:n]


@pytest.fixture(scope="module")
def search_page(browser, site_url):
    """One loaded page for every question: each search replaces the last query."""
    context = new_context(browser)
    page = context.new_page()
    goto(page, site_url)
    yield page
    context.close()


@pytest.mark.parametrize("query,expected", SCENARIOS, ids=[q for q, _ in SCENARIOS])
def test_question_finds_its_page_in_the_top_three(search_page, site_url, query, expected):
    assert expected in top_pages(search_page, site_url, query)


def test_at_least_fifteen_scenarios():
    assert len(SCENARIOS) >= 15
