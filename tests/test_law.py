"""The law as data: citations resolve by the documented rules, the offence
tables are generated from provisions.yml, and the build links each provision
and case once per page. (The broken fixtures law-data, unresolved-citation,
unknown-provision and unknown-case prove the checks.)"""

from __future__ import annotations

import re

import pytest

from macros import render
from macros.law import Citation, load_law
from macros.project import load_project
from tests.sites import assemble, build


@pytest.fixture(scope="module")
def law(tmp_path_factory):
    return load_law(assemble(tmp_path_factory.mktemp("law") / "site"))


def citations(law, text, last=None, default=None, following=""):
    events, _ = law.scan(text, last, default, following)
    return [(e.raw, e.act, [i.key for i in e.items]) for e in events if isinstance(e, Citation)]


def test_a_bare_citation_takes_the_act_named_before_it(law):
    assert citations(law, "Under PHA s.4, and also s.4A(1)(b)(ii).") == [
        ("s.4", "PHA", ["4"]), ("s.4A(1)(b)(ii)", "PHA", ["4A"])]


def test_the_act_named_straight_after_wins(law):
    assert citations(law, "section 2 of the Protection from Harassment Act 1997") == [("section 2", "PHA", ["2"])]
    # ...also when the Act is the text of the next run (a link).
    assert citations(law, "section 4A of the ", following="PHA") == [("section 4A", "PHA", ["4A"])]


def test_then_the_paragraph_then_the_page_default(law):
    assert citations(law, "Charge s.4A.", last="PHA") == [("s.4A", "PHA", ["4A"])]
    assert citations(law, "Charge s.4A.", default="PHA") == [("s.4A", "PHA", ["4A"])]
    assert citations(law, "Charge s.4A.") == [("s.4A", None, ["4A"])]


def test_a_section_of_an_act_not_in_provisions_is_never_given_the_default(law):
    """Review-4 O-1: a section cited next to an Act that provisions.yml does
    not have belongs to that Act (foreign), not to the page's default_act."""
    def resolved(text, following=""):
        events, _ = law.scan(text, None, "PHA", following)
        return [(e.raw, e.act, e.foreign) for e in events if isinstance(e, Citation)]

    cpia = "Criminal Procedure (Insanity) Act 1964"
    assert resolved(f"A finding under the {cpia}, s.4A") == [("s.4A", None, cpia)]
    assert resolved(f"s.4A of the {cpia}") == [("s.4A", None, cpia)]
    assert resolved("s.4A of the ", following=cpia) == [("s.4A", None, cpia)]
    assert resolved(f"Under the {cpia} the jury decides. Then s.4A applies.") == [("s.4A", None, cpia)]
    # A known Act named after it, or straight before the citation, still wins.
    assert resolved(f"PHA and the {cpia} both apply; PHA s.4A") == [("s.4A", "PHA", None)]
    assert resolved(f"The {cpia} aside, s.2 of the Protection from Harassment Act 1997") == [("s.2", "PHA", None)]
    # No Act named: the page's default, as before.
    assert resolved("Charge s.4A.") == [("s.4A", "PHA", None)]


def test_the_build_does_not_link_a_section_of_an_unknown_act(tmp_path):
    import markdown

    from macros import citations

    site = assemble(tmp_path / "site")
    md = markdown.Markdown(extensions=[citations.CitationExtension(root=str(site))])
    citations.set_page("PHA")
    try:
        html = md.convert("A finding under the Criminal Procedure (Insanity) Act 1964, s.4A.\n\nStalking: s.4A.")
    finally:
        citations.set_page(None)
    assert html.count("ukpga/1997/40/section/4A") == 1  # the second paragraph only
    assert "1964, s.4A." in html


def test_lists_and_ranges_only_after_a_plural(law):
    assert citations(law, "PHA ss.2, 2A and 4A") == [("ss.2, 2A and 4A", "PHA", ["2", "2A", "4A"])]
    assert citations(law, "PHA ss.2-4") == [("ss.2-4", "PHA", ["2", "4"])]
    assert citations(law, "PHA s.4 and 10 years") == [("s.4", "PHA", ["4"])]
    assert citations(law, "paras.2 and 3 of PHA Sch. 1") == [("Sch. 1", "PHA", ["Sch 1"])]


def test_case_names_known_and_unknown(law):
    events, _ = law.scan("See R v Hills and R v Hils, and Smith v Jones.", None, None)
    found = [(e.raw, e.case.name if e.case else None) for e in events if hasattr(e, "case")]
    assert found == [("R v Hills", "R v Hills"), ("R v Hils", None), ("Smith v Jones", None)]


def test_offence_table_states_each_maximum_by_period(tmp_path):
    project = load_project(assemble(tmp_path / "site"))
    table = render.offence_table(project, "harassment")
    row = next(line for line in table.splitlines() if "s.4A" in line)
    assert "[PHA s.4A](https://www.legislation.gov.uk/ukpga/1997/40/section/4A)" in row
    assert ("| Either way. "
            "For offences committed on or after 2 May 2022: on indictment, 10 years' imprisonment; on summary conviction, 12 months' imprisonment. "
            "For offences committed on or after 3 April 2017 and before 2 May 2022: on indictment, 10 years' imprisonment; on summary conviction, 6 months' imprisonment. "
            "For offences committed before 3 April 2017: on indictment, 5 years' imprisonment; on summary conviction, 6 months' imprisonment. |") in row
    assert row.endswith("| From 25 November 2012 |")


@pytest.mark.build
def test_the_build_links_each_provision_and_case_once_per_page(tmp_path):
    site = assemble(tmp_path / "site")
    result = build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "history" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="law-link" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    hrefs = [h for h, _ in links]
    assert hrefs.count("https://www.legislation.gov.uk/ukpga/1997/40/section/2") == 1
    assert hrefs.count("https://www.bailii.org/ew/cases/EWCA/Crim/2000/93.html") == 1
    assert ("https://www.legislation.gov.uk/ukpga/1997/40/section/4", "s.4") in links  # bare, from the paragraph's Act
    assert "s.99" not in [t for _, t in links]  # code is left alone
    # The generated table links its provisions itself.
    assert re.search(r'href="https://www.legislation.gov.uk/ukpga/1997/40/section/4A">(<abbr[^>]*>)?PHA(</abbr>)? s.4A</a>', html)


def test_the_provisions_and_cases_page_says_when_the_start_was_not_found(tmp_path):
    """A provision whose day of coming into force could not be found says so,
    with the day it is known to be in force (in_force_by); nothing reads
    "check the current position" (issue 20: the data vouches for itself)."""
    project = load_project(assemble(tmp_path / "site"))
    page = render.law_page(project)
    assert "| [s.2](https://www.legislation.gov.uk/ukpga/1997/40/section/2) |  | In force by 1 November 2026 (the day it came into force was not found) |  |" in page
    assert "check the current position" not in page.lower()
    assert "| [s.4A](https://www.legislation.gov.uk/ukpga/1997/40/section/4A) |  | 25 November 2012 | " in page
    assert "[Read the judgment](https://www.bailii.org/ew/cases/EWCA/Crim/2000/93.html)" in page


def _periods_of(yaml_text):
    """period_problems() over a one-offence provisions.yml given as text."""
    import yaml

    from macros.law import period_problems
    from macros.load import SafeLoader, yaml_lines
    from macros.model import Provisions

    return period_problems(Provisions.model_validate(yaml.load(yaml_text, Loader=SafeLoader)), yaml_lines(yaml_text))


OFFENCE = """acts:
  PHA:
    title: Protection from Harassment Act 1997
    legislation: ukpga/1997/40
    provisions:
      '4A':
        in_force_from: {start}
        source: https://www.legislation.gov.uk/ukpga/1997/40/section/4A
        read_on: 2026-12-07
        offences:
        - name: Stalking
          mode_of_trial: {mode}
          maxima:
{maxima}"""


def test_an_open_ended_period_before_another_overlaps_it():
    found = _periods_of(OFFENCE.format(start="2012-11-25", mode="either way", maxima=(
        "          - {committed_from: 2012-11-25, on_indictment: 5 years, on_summary_conviction: 6 months}\n"
        "          - {committed_from: 2017-04-03, on_indictment: 10 years, on_summary_conviction: 6 months}\n")))
    assert [(line, message.split(": ", 1)[1]) for line, message, _ in found] == [
        (14, "period 1 has no committed_before, so it runs on and overlaps period 2 (from 2017-04-03)")]


def test_a_first_period_that_starts_late_leaves_a_gap():
    found = _periods_of(OFFENCE.format(start="2012-11-25", mode="either way", maxima=(
        "          - {committed_from: 2013-01-01, on_indictment: 5 years, on_summary_conviction: 6 months}\n")))
    assert len(found) == 1 and "nothing covers the days in between" in found[0][1] and found[0][0] == 14


def test_the_maxima_fit_the_mode_of_trial():
    found = _periods_of(OFFENCE.format(start="2012-11-25", mode="summary only", maxima=(
        "          - {committed_from: 2012-11-25, on_indictment: 5 years, on_summary_conviction: 6 months}\n")))
    assert [m.split(", so ")[1] for _, m, _ in found] == ["period 1 cannot have on_indictment"]
    found = _periods_of(OFFENCE.format(start="2012-11-25", mode="indictable only", maxima=(
        "          - {committed_from: 2012-11-25}\n")))
    assert [m.split(" but ")[1] for _, m, _ in found] == ["period 1 has no on_indictment"]
    with pytest.raises(Exception, match="mode_of_trial"):
        _periods_of(OFFENCE.format(start="2012-11-25", mode="unverified", maxima="          - {committed_from: 2012-11-25}\n"))


def test_a_provision_not_in_force_may_leave_the_first_start_open():
    text = OFFENCE.format(start="not in force", mode="either way", maxima=(
        "          - {on_indictment: 5 years, on_summary_conviction: 12 months}\n"))
    assert _periods_of(text) == []
    import yaml

    from macros.load import SafeLoader
    from macros.model import Provisions

    provision = Provisions.model_validate(yaml.load(text, Loader=SafeLoader)).acts["PHA"].provisions["4A"]
    assert render.in_force_text(provision) == "Not in force (checked 7 December 2026)"
    assert render.maxima_text(provision.offences[0]) == "Either way. On indictment, 5 years; on summary conviction, 12 months."


def test_a_source_must_be_an_https_address():
    import yaml
    from pydantic import ValidationError

    from macros.load import SafeLoader
    from macros.model import Provisions

    text = OFFENCE.format(start="2012-11-25", mode="either way", maxima="          - {committed_from: 2012-11-25, on_indictment: 5 years, on_summary_conviction: 6 months}\n")
    good = text.replace("        source: https://", "        source: [https://").replace("section/4A\n", "section/4A]\n", 1)
    assert Provisions.model_validate(yaml.load(good, Loader=SafeLoader)).acts["PHA"].provisions["4A"].sources
    with pytest.raises(ValidationError):
        Provisions.model_validate(yaml.load(good.replace("https://", "http://"), Loader=SafeLoader))


def test_the_changes_page_lists_changes_newest_first_by_year(tmp_path):
    """Two pages, split by the year a change came into force
    (render.LAW_CHANGES_SPLIT_YEAR), each linking to the other."""
    project = load_project(assemble(tmp_path / "site"))
    latest = render.law_changes_page(project, render.LAW_CHANGES_URI)
    earlier = render.law_changes_page(project, render.LAW_CHANGES_OLDER_URI)
    assert [line for line in latest.splitlines() if line.startswith("#")] == [
        "# Changes in the law",
        "## Not in force, or not confirmed in force",
        "### Not in force: A change not yet in force {#fixture-not-yet}",
    ]
    assert [line for line in earlier.splitlines() if line.startswith("#")] == [
        f"# Changes in the law, 2017 to {render.LAW_CHANGES_SPLIT_YEAR - 1}",
        "## 2017",
        "### 3 April 2017: The maximum for stalking involving fear of violence rises to 10 years {#pca2017-stalking-maximum}",
    ]
    assert "](law-changes-earlier.md)" in latest and "](law-changes.md)" in earlier
    page = latest + earlier
    assert "- **In force:** Not in force as at 1 November 2026" in page
    assert "- **Provisions:** [PHA s.4A](https://www.legislation.gov.uk/ukpga/1997/40/section/4A)" in page
    assert "- **Pages affected:** [The whole history](history.md)" in page
    assert ("- **Source:** [legislation.gov.uk/ukpga/2017/3/section/175](https://www.legislation.gov.uk/ukpga/2017/3/section/175)"
            " (read 1 November 2026)") in page
    assert "- **What the guidance says:** The fixture Act's new duty is not in force as at 1 November 2026" in page


def test_a_change_whose_commencement_could_not_be_read_says_not_confirmed(tmp_path):
    """`in_force: not confirmed` (issue 20): the status is shown as such, never
    as "not in force", on the changes page, in the feed and by the macro."""
    from macros import feeds

    site = assemble(tmp_path / "site")
    register = site / "law-changes.yml"
    register.write_text(register.read_text().replace("  in_force: not in force\n", "  in_force: not confirmed\n"))
    project = load_project(site)
    assert project.law.change_errors == []
    page = render.law_changes_page(project)
    assert "### Not confirmed in force: A change not yet in force {#fixture-not-yet}" in page
    assert "- **In force:** Not confirmed in force as at 1 November 2026" in page
    assert b"Not confirmed in force as at 1 November 2026." in feeds.law_changes(project, "https://example.org/")
    said = render.law_change_statement(project, "fixture-not-yet", "history.md")
    assert said == ("The fixture Act's new duty is not in force as at 1 November 2026, so apply the law as it stands. "
                    "([Sources and status, checked 1 November 2026](law-changes.md#fixture-not-yet).)")
    # Without checked_on, the entry is an error, as for "not in force".
    from pydantic import ValidationError

    from macros.model import LawChange

    entry = {"id": "x-change", "title": "A change", "instrument": "An Act 2026, s.1", "in_force": "not confirmed",
             "applies": "Not known yet.", "source": "https://www.legislation.gov.uk/ukpga/2026/2", "read_on": "2026-11-01"}
    with pytest.raises(ValidationError, match="not confirmed needs checked_on"):
        LawChange.model_validate(entry)
    assert LawChange.model_validate({**entry, "checked_on": "2026-11-01"}).in_force_date is None


def test_the_real_register_of_changes_is_newest_first_and_builds_into_the_menu():
    from tests.sites import PROJECT, real_project

    project = real_project()
    assert project.law.change_errors == [] and project.law.changes.changes
    dates = [c.in_force_date for c in project.law.changes.changes if c.in_force_date]
    page = render.law_changes_page(project, render.LAW_CHANGES_URI) + render.law_changes_page(project, render.LAW_CHANGES_OLDER_URI)
    shown = [line for line in page.splitlines() if line.startswith("### ")]
    assert len(shown) == len(project.law.changes.changes)
    positions = [page.index(f"{{#{c.id}}}") for c in sorted(
        (c for c in project.law.changes.changes if c.in_force_date), key=lambda c: c.in_force_date, reverse=True)]
    assert positions == sorted(positions) and dates
    nav = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "law-changes.md" in nav and "law-changes-earlier.md" in nav


def test_a_change_is_linked_on_the_page_that_lists_it(tmp_path):
    """The law_change macro's link and the feed's address name the page of
    the change's year (render.change_page)."""
    from macros import feeds

    site = assemble(tmp_path / "site")
    register = site / "law-changes.yml"
    register.write_text(register.read_text().replace("  in_force: not in force\n", "  in_force: 2017-05-01\n"))
    project = load_project(site)
    assert project.law.change_errors == []
    assert "](law-changes-earlier.md#fixture-not-yet)" in render.law_change_statement(project, "fixture-not-yet", "history.md")
    feed = feeds.law_changes(project, "https://example.org/")
    assert b"https://example.org/law-changes-earlier/#fixture-not-yet" in feed
    assert b"https://example.org/law-changes/#" not in feed


def test_the_general_limit_goes_by_the_date_of_conviction():
    """Against the regulations read (SI 2022/500 reg. 4, SI 2023/298, SI 2024/1067),
    not derived from the data: the limit for one either-way offence."""
    import datetime as dt

    from tests.sites import real_project

    project = real_project()
    expected = {
        "2021-01-01": "6 months' imprisonment",
        "2022-05-01": "6 months' imprisonment",
        "2022-05-02": "12 months' imprisonment",
        "2023-03-29": "12 months' imprisonment",
        "2023-03-30": "6 months' imprisonment",
        "2024-11-17": "6 months' imprisonment",
        "2024-11-18": "12 months' imprisonment",
        "2026-12-07": "12 months' imprisonment",
    }
    for day, limit in expected.items():
        assert render.conviction_rule_on(project, "general-limit-either-way", dt.date.fromisoformat(day)) == limit, day
    presumption = "suspended-sentence-presumption"
    assert render.conviction_rule_on(project, presumption, dt.date(2026, 3, 21)).startswith("No presumption")
    assert render.conviction_rule_on(project, presumption, dt.date(2026, 3, 22)).startswith("The court must suspend")


@pytest.mark.build
def test_conviction_rule_macro_shows_the_periods_newest_first_and_links_to_its_sources(tmp_path):
    site = assemble(tmp_path / "site")
    result = build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "history" / "index.html").read_text(encoding="utf-8")
    first, second = html.index("On or after 18 November 2024"), html.index("On or after 25 November 2012 and before 18 November 2024")
    assert first < second
    assert 'href="../law/#rule-general-limit-either-way"' in html
    law = (tmp_path / "out" / "law" / "index.html").read_text(encoding="utf-8")
    assert 'id="rule-general-limit-either-way"' in law and "https://www.legislation.gov.uk/ukpga/2020/17/section/224" in law
