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
    assert ("10 years' imprisonment on indictment for offences committed on or after the day the "
            "Policing and Crime Act 2017, s.175 came into force (check the current position for that date); "
            "5 years' imprisonment on indictment for offences committed before that day") in row
    assert row.endswith("| From 25 November 2012 |")


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


def test_the_provisions_and_cases_page_says_what_is_unchecked(tmp_path):
    project = load_project(assemble(tmp_path / "site"))
    page = render.law_page(project)
    assert "| [s.2](https://www.legislation.gov.uk/ukpga/1997/40/section/2) |  | Check the current position |  |" in page
    assert "| [s.4A](https://www.legislation.gov.uk/ukpga/1997/40/section/4A) |  | 25 November 2012 | Creates an offence" in page
    assert "[Read the judgment](https://www.bailii.org/ew/cases/EWCA/Crim/2000/93.html)" in page
