"""The "Law on a date" page in Chromium (issue 21): the answers it gives for
dates of offence and conviction, against a table of expected answers taken
from the legislation (not from provisions.yml); the shareable address; the
page with no JavaScript (every period of every provision as tables); print.

Each expected answer names where it can be checked: the legislation.gov.uk
address of the provision or of the instrument that changed it. `read` says
how it was checked for this table on 7 December 2026: "read" where the text
was read that day (the Statute Law Database text of the Act, as held at
github.com/legalize-dev/legalize-uk, which reproduces legislation.gov.uk's
revised text), "known" where the answer is the position stated in those
instruments as the author of this table knew it, matched against the
address given, and to be read again by the reviewer of the law data;
"reported" where the date was confirmed only in a report of the instrument. The
offline copy, accessibility, phone width and first-visit weight of the page
are checked with every other page (test_pages.py, test_phone.py,
test_reader.py, test_offline_reading.py)."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import DESKTOP, PHONE, goto, new_context, wait_until

pytestmark = pytest.mark.browser

PAGE = "law-on-a-date/"
LEG = "https://www.legislation.gov.uk/"
PCA_175 = LEG + "ukpga/2017/3/section/175"  # read: s.175(3) and (4)
SI_2017_399 = LEG + "uksi/2017/399/made"  # s.175 in force 3 April 2017
CJA_282 = LEG + "ukpga/2003/44/section/282"  # 6 to 12 months, offences committed on or after commencement
SI_2022_500 = LEG + "uksi/2022/500/made"  # s.282 in force 2 May 2022 (reg. 3(a), read 7 December 2026); s.154 references (reg. 5)
PHA_COMMENCE = LEG + "uksi/1997/1418/made"  # PHA ss.1 to 7 in force 16 June 1997
SI_1998_1902 = LEG + "uksi/1998/1902/made"  # PHA s.3(3) to (9) in force 1 September 1998
SI_2012_2075 = LEG + "uksi/2012/2075/made"  # PFA 2012 s.111 (PHA ss.2A, 4A) in force 25 November 2012
SI_2020_26 = LEG + "uksi/2020/26/made"  # SPA 2019 in force 20 January 2020
SI_2015_778 = LEG + "uksi/2015/778/made"  # CJCA 2015 s.32 (MCA 1988 s.1 either way) in force 13 April 2015
# OSA 2023 Part 10 in force 31 January 2024 by SI 2024/31 (SI 2023/1420, Commencement No. 2, left Part 10
# out: a report of it, mondaq.com, read 7 December 2026; the date confirmed by a report of Part 10's
# commencement, digitalpolicyalert.org, read the same day; SI 2024/31 itself not read).
SI_2024_31 = LEG + "uksi/2024/31/made"
SA_2 = LEG + "ukpga/2020/17/section/2"  # the Sentencing Code applies to convictions on or after 1 December 2020
SI_2020_1236 = LEG + "uksi/2020/1236/made"
SI_2022_553 = LEG + "uksi/2022/553/made"  # DAA 2021 s.70 (SCA 2015 ss.75A, 75B) in force 7 June 2022 (reg. 3(a), read 7 December 2026)

YES, NO = "yes", "no"
# (offence date, provision as the page cites it, in force?, maximum on
#  indictment (pattern), maximum on summary conviction (pattern), sources, how checked)
OFFENCE_DATES = [
    ("1997-06-15", "PHA s.4", NO, None, None, [PHA_COMMENCE], "known"),
    ("1997-06-16", "PHA s.4", YES, r"^5 years", r"^6 months", [PHA_COMMENCE, LEG + "ukpga/1997/40/section/4/enacted"], "known"),
    ("2016-06-01", "PHA s.4", YES, r"^5 years", r"^6 months", [LEG + "ukpga/1997/40/section/4/2016-06-01"], "known"),
    ("2017-04-02", "PHA s.4", YES, r"^5 years", r"^6 months", [PCA_175, SI_2017_399], "read"),
    ("2017-04-03", "PHA s.4", YES, r"^10 years", r"^6 months", [PCA_175, SI_2017_399], "read"),
    ("2022-05-01", "PHA s.4", YES, r"^10 years", r"^6 months", [CJA_282, SI_2022_500], "known"),
    ("2022-05-02", "PHA s.4", YES, r"^10 years", r"^12 months", [CJA_282, SI_2022_500], "known"),
    ("2026-12-07", "PHA s.4", YES, r"^10 years", r"^12 months", [LEG + "ukpga/1997/40/section/4"], "known"),
    ("2012-11-24", "PHA s.4A", NO, None, None, [SI_2012_2075], "known"),
    ("2012-11-25", "PHA s.4A", YES, r"^5 years", r"^6 months", [SI_2012_2075, LEG + "ukpga/1997/40/section/4A/2012-11-25"], "known"),
    ("2017-04-02", "PHA s.4A", YES, r"^5 years", r"^6 months", [PCA_175, SI_2017_399], "read"),
    ("2017-04-03", "PHA s.4A", YES, r"^10 years", r"^6 months", [PCA_175, SI_2017_399], "read"),
    ("2022-05-02", "PHA s.4A", YES, r"^10 years", r"^12 months", [LEG + "ukpga/1997/40/section/4A", SI_2022_500], "known"),
    ("1998-08-31", "PHA s.3(6)", NO, None, None, [SI_1998_1902], "known"),
    ("2022-05-01", "PHA s.3(6)", YES, r"^5 years", r"^6 months", [LEG + "ukpga/1997/40/section/3", CJA_282], "known"),
    ("2022-05-02", "PHA s.3(6)", YES, r"^5 years", r"^12 months", [CJA_282, SI_2022_500], "known"),
    ("2022-05-01", "PHA s.5(5)", YES, r"^5 years", r"^6 months", [LEG + "ukpga/1997/40/section/5", CJA_282], "known"),
    ("2022-05-02", "PHA s.5(5)", YES, r"^5 years", r"^12 months", [CJA_282, SI_2022_500], "known"),
    ("2022-05-01", "CDA s.32(1)(a)", YES, r"^2 years", r"^6 months", [LEG + "ukpga/1998/37/section/32", CJA_282], "known"),
    ("2022-05-02", "CDA s.32(1)(a)", YES, r"^2 years", r"^12 months", [CJA_282, SI_2022_500], "known"),
    ("2017-04-02", "CDA s.32(1)(b)", YES, r"^7 years", r"^6 months", [PCA_175, SI_2017_399], "read"),
    ("2017-04-03", "CDA s.32(1)(b)", YES, r"^14 years", r"^6 months", [PCA_175, SI_2017_399], "read"),
    ("2022-05-02", "CDA s.32(1)(b)", YES, r"^14 years", r"^12 months", [CJA_282, SI_2022_500], "known"),
    ("2020-01-19", "SPA s.8", NO, None, None, [SI_2020_26], "known"),
    ("2020-01-20", "SPA s.8", YES, r"^5 years", r"^6 months", [SI_2020_26, LEG + "ukpga/2019/9/section/8/2020-01-20"], "known"),
    ("2022-05-02", "SPA s.8", YES, r"^5 years", r"12 months|general limit", [LEG + "ukpga/2019/9/section/8", SI_2022_500], "known"),
    ("2022-05-01", "SPA s.11", YES, r"^5 years", r"^6 months", [LEG + "ukpga/2019/9/section/11/2022-05-01"], "known"),
    ("2022-05-02", "SPA s.11", YES, r"^5 years", r"12 months|general limit", [LEG + "ukpga/2019/9/section/11", SI_2022_500], "known"),
    ("2015-04-12", "Malicious Communications Act 1988, s.1(1)", YES, r"(?i)none|not triable", r"fine", [SI_2015_778, LEG + "ukpga/1988/27/section/1/2015-04-12"], "known"),
    ("2015-04-13", "Malicious Communications Act 1988, s.1(1)", YES, r"^2 years", r"^6 months", [SI_2015_778, LEG + "ukpga/2015/2/section/32"], "known"),
    ("2022-05-02", "Malicious Communications Act 1988, s.1(1)", YES, r"^2 years", r"^12 months", [LEG + "ukpga/1988/27/section/1", SI_2022_500], "known"),
    ("2022-06-06", "Serious Crime Act 2015, s.75A", NO, None, None, [SI_2022_553], "read"),
    ("2022-06-07", "Serious Crime Act 2015, s.75A", YES, r"^5 years", r"general limit", [SI_2022_553, LEG + "ukpga/2015/9/section/75A"], "read"),
    ("2024-01-30", "Online Safety Act 2023, s.181", NO, None, None, [SI_2024_31], "reported"),
    ("2024-01-31", "Online Safety Act 2023, s.181", YES, None, None, [SI_2024_31], "reported"),
]
# (offence date, conviction date, order as cited, available?, sources, how checked)
CONVICTION_DATES = [
    ("2019-06-01", "2020-11-30", "PHA s.5", YES, [SA_2, SI_2020_1236], "known"),
    ("2019-06-01", "2020-11-30", "Sentencing Act 2020, s.360", NO, [SA_2, SI_2020_1236], "known"),
    ("2019-06-01", "2020-12-01", "PHA s.5", NO, [SA_2, SI_2020_1236], "known"),
    ("2019-06-01", "2020-12-01", "Sentencing Act 2020, s.360", YES, [SA_2, SI_2020_1236], "known"),
    # Domestic abuse protection orders: piloted from 27 November 2024 (SI 2024/1191); with no date of
    # conviction the page goes by the date of the offence.
    ("2024-11-26", "", "Domestic Abuse Act 2021, s.28", NO, [LEG + "uksi/2024/1191/made"], "known"),
    ("2024-11-27", "", "Domestic Abuse Act 2021, s.28", YES, [LEG + "uksi/2024/1191/made"], "known"),
]


def test_the_table_of_expected_answers_is_big_enough_and_sourced():
    """Issue 21: at least 30 dates, across every provision with more than one
    period of maxima, each with where it can be checked."""
    assert len(OFFENCE_DATES) + len(CONVICTION_DATES) >= 30
    several_periods = {"PHA s.4", "PHA s.4A", "PHA s.3(6)", "PHA s.5(5)", "CDA s.32(1)(a)", "CDA s.32(1)(b)",
                       "SPA s.8", "SPA s.11", "Malicious Communications Act 1988, s.1(1)"}
    assert several_periods <= {row[1] for row in OFFENCE_DATES}
    for row in OFFENCE_DATES + CONVICTION_DATES:
        assert row[-2] and all(s.startswith(LEG) for s in row[-2]) and row[-1] in ("read", "known", "reported"), row


@pytest.fixture(scope="module")
def law_page(browser):
    context = new_context(browser, viewport=DESKTOP)
    yield context.new_page()
    context.close()


def answer(page, site_url: str, offence: str, conviction: str = "") -> dict:
    """Open the page's address for the dates and read the answer: cite ->
    {state, cells}. Waits for the answer for those dates to be shown."""
    query = f"?offence={offence}" + (f"&conviction={conviction}" if conviction else "")
    goto(page, site_url + PAGE + query)
    wait_until(page, f"document.querySelector('#law-date-result')?.dataset.answer === '{offence}/{conviction}'",
               message="the answer for " + query)
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#law-date-result tbody tr')].map(tr =>
        [tr.dataset.cite + '|' + tr.dataset.kind, {state: tr.children[1].dataset.state,
          cells: [...tr.children].map(td => td.textContent.trim())}]))""")


@pytest.mark.parametrize("offence, cite, state, indictment, summary, sources, checked", OFFENCE_DATES,
                         ids=[f"{r[1]}-{r[0]}" for r in OFFENCE_DATES])
def test_the_answer_for_an_offence_date(law_page, site_url, offence, cite, state, indictment, summary, sources, checked):
    rows = answer(law_page, site_url, offence)
    row = rows.get(cite + "|offence")
    assert row is not None, f"{cite} is not in the answer: {sorted(rows)}"
    assert row["state"] == state, f"{cite} on {offence}: {row['cells'][1]}"
    if indictment:
        assert re.search(indictment, row["cells"][3]), f"{cite} on {offence}, on indictment: {row['cells'][3]}"
    if summary:
        assert re.search(summary, row["cells"][4]), f"{cite} on {offence}, summary: {row['cells'][4]}"
    if state == NO:
        assert "Not an offence in force" in row["cells"][3]


@pytest.mark.parametrize("offence, conviction, cite, state, sources, checked", CONVICTION_DATES,
                         ids=[f"{r[2]}-{r[1] or r[0]}" for r in CONVICTION_DATES])
def test_the_order_available_goes_by_the_date_of_conviction(law_page, site_url, offence, conviction, cite, state, sources, checked):
    rows = answer(law_page, site_url, offence, conviction)
    row = rows.get(cite + "|order")
    assert row is not None, f"{cite} is not in the answer: {sorted(rows)}"
    assert row["state"] == state, f"{cite}, convicted {conviction}: {row['cells'][1]}"
    if cite.startswith("Domestic Abuse Act") and state == YES:
        assert "pilot areas" in row["cells"][1], row["cells"][1]  # where a piloted order applied


SA_2026_S5 = LEG + "ukpga/2026/2/section/5"  # read: Sentencing Code s.5(2), (2A); in force 22 March 2026 (s.49(4))
PCCSA_S1 = LEG + "ukpga/2000/6/section/1"  # read: s.1(3), not more than six months
SA_2026_S1 = LEG + "ukpga/2026/2/section/1"  # read: ss.264A, 277A, convictions on or after 22 March 2026
SI_2024_1067 = LEG + "uksi/2024/1067/made"  # general limit 12 months from 18 November 2024
# (date of conviction, rule id, pattern of what the page says, sources)
RULE_DATES = [
    ("2019-06-01", "deferment-limit", r"^Deferment was under the Powers of Criminal Courts \(Sentencing\) Act 2000, s\.1, "
                                      r"for at most 6 months", [PCCSA_S1, SA_2]),
    ("2026-03-21", "deferment-limit", r"^Up to 6 months after", [SA_2026_S5]),
    ("2026-03-22", "deferment-limit", r"^Up to 12 months after", [SA_2026_S5]),
    ("2026-03-21", "suspended-sentence-presumption", r"^No presumption", [SA_2026_S1]),
    ("2026-03-22", "suspended-sentence-presumption", r"^The court must suspend", [SA_2026_S1]),
    ("2024-11-17", "general-limit-either-way", r"^6 months", [SI_2024_1067]),
    ("2024-11-18", "general-limit-either-way", r"^12 months", [SI_2024_1067]),
]


@pytest.mark.parametrize("conviction, rule, said, sources", RULE_DATES, ids=[f"{r[1]}-{r[0]}" for r in RULE_DATES])
def test_what_the_date_of_conviction_changes(law_page, site_url, conviction, rule, said, sources):
    """The rules that go by the date of conviction, against the legislation;
    before a rule's first period the page says what applied then
    (`before_first`), not that nothing did."""
    answer(law_page, site_url, "2019-01-01", conviction)
    text = law_page.evaluate(f"document.querySelector('#law-date-result li[data-rule={rule}]')?.textContent")
    assert text, f"no line for {rule}"
    shown = text.split(": ", 1)[1]
    assert re.search(said, shown), f"{rule}, convicted {conviction}: {shown}"


def test_each_row_links_to_the_text_on_that_date_the_guidance_and_its_entry(law_page, site_url):
    answer(law_page, site_url, "2016-06-01")
    links = law_page.evaluate("""() => [...document.querySelectorAll('#law-date-result tbody tr[data-cite="PHA s.4A"] a')]
        .map(a => [a.textContent, a.href])""")
    hrefs = dict(links)
    assert hrefs["Text on 1 June 2016"] == LEG + "ukpga/1997/40/section/4A/2016-06-01"
    assert urlsplit(hrefs["Guidance"]).path.endswith("/offences/")
    assert urlsplit(hrefs["Provisions and cases"]).path.endswith("/law/")
    for text, href in links:  # every link on our own site leads to a heading that exists
        if href.startswith(site_url) and "#" in href:
            fragment = href.split("#", 1)[1]
            page = law_page.context.new_page()
            goto(page, href)
            assert page.locator(f"[id='{fragment}']").count() == 1, href
            page.close()


def test_the_form_gives_the_answer_an_address_to_share_and_says_so_to_screen_readers(law_page, site_url):
    page = law_page
    goto(page, site_url + PAGE)
    wait_until(page, "document.documentElement.dataset.lawDate === 'ready'", message="the page's script")
    assert page.get_by_label("Date of the offence").get_attribute("type") == "date"
    assert page.get_by_label("Date of conviction (optional)").get_attribute("type") == "date"
    assert page.locator("#law-date-summary").get_attribute("aria-live") == "polite"
    page.get_by_label("Date of the offence").fill("2016-06-01")
    page.get_by_label("Date of conviction (optional)").fill("2026-04-01")
    page.get_by_role("button", name="Show the law on these dates").click()
    wait_until(page, "document.querySelector('#law-date-summary').textContent.startsWith('On 1 June 2016')",
               message="the summary")
    assert parse_qs(urlsplit(page.url).query) == {"offence": ["2016-06-01"], "conviction": ["2026-04-01"]}
    assert page.evaluate("document.activeElement.id") == "law-date-answer"
    shared = page.url
    goto(page, shared)  # the address alone gives the same answer
    wait_until(page, "document.querySelector('#law-date-summary').textContent.startsWith('On 1 June 2016')",
               message="the answer from the address")
    page.get_by_label("Date of conviction (optional)").fill("2016-05-01")
    page.get_by_role("button", name="Show the law on these dates").click()
    wait_until(page, "document.querySelector('#law-date-summary').textContent.includes('before the date of the offence')",
               message="the message for a conviction before the offence")


def test_without_javascript_every_period_of_every_provision_is_a_table(browser, site_url):
    context = new_context(browser, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    goto(page, site_url + PAGE)
    assert page.locator("#law-date-tool").is_hidden()  # the form needs the script; the tables do not
    headings = page.locator("article h3").all_inner_texts()
    for cite in ("PHA s.4", "PHA s.4A", "PHA s.5(5)", "SPA s.8", "Sentencing Act 2020, s.360"):
        assert any(h.startswith(cite + ":") for h in headings), cite
    table = page.locator("xpath=//h3[@id='law-pha-s-4a']/following-sibling::table[1]")
    rows = table.locator("tbody tr").all_inner_texts()
    assert len(rows) == 3 and "10 years" in rows[2] and "12 months" in rows[2], rows
    # Every row of the data has its section, and every offence a row per period of maxima.
    context.close()
    context = new_context(browser, viewport=PHONE)
    page = context.new_page()
    goto(page, site_url + PAGE)
    data = page.evaluate("window.LAW_DATA")
    context.close()
    context = new_context(browser, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    goto(page, site_url + PAGE)
    missing = []
    for row in data["rows"]:
        if page.locator(f"h3[id='{row['id']}']").count() != 1:
            missing.append(row["id"])
            continue
        # An unknown commencement is said to be unknown, never given a date.
        in_force = page.locator(f"xpath=//h3[@id='{row['id']}']/following-sibling::ul[1]/li[1]").inner_text()
        unknown = row["from"] in (None, "unverified")
        if unknown != in_force.startswith("In force: Commencement not confirmed"):
            missing.append(f"{row['id']}: {in_force!r} for a commencement of {row['from']!r}")
        elif row["kind"] == "offence":
            periods = page.locator(f"xpath=//h3[@id='{row['id']}']/following-sibling::table[1]/tbody/tr").count()
            if periods != len(row["periods"]):
                missing.append(f"{row['id']}: {periods} of {len(row['periods'])} periods")
    assert len(data["rows"]) > 20 and missing == [], missing
    context.close()


def test_the_answer_prints_with_its_dates_the_data_date_and_its_address(law_page, site_url):
    page = law_page
    answer(page, site_url, "2016-06-01", "2026-04-01")
    page.emulate_media(media="print")
    try:
        assert page.locator("#law-date-form").is_hidden()
        dates = page.locator(".law-date__dates").inner_text()
        assert "1 June 2016" in dates and "1 April 2026" in dates and "Law data as at" in dates
        assert "offence=2016-06-01" in page.locator(".law-date__address").inner_text()
        assert page.locator("#law-date-result table").is_visible()
    finally:
        page.emulate_media(media="screen")


def time_to_answer(page, site_url: str, runs: int = 5) -> float:
    """Median seconds from pressing the button to the answer shown (for make bench)."""
    goto(page, site_url + PAGE)
    wait_until(page, "document.documentElement.dataset.lawDate === 'ready'", message="the page's script")
    times = []
    for n in range(runs):
        page.get_by_label("Date of the offence").fill(f"2016-06-0{n + 1}")
        start = time.perf_counter()
        page.get_by_role("button", name="Show the law on these dates").click()
        wait_until(page, f"document.querySelector('#law-date-summary').textContent.startsWith('On {n + 1} June 2016')",
                   message="the answer")
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]
