"""Every generated page, as built, against the parse of the guidance.

The generated pages (register, item pages, coverage matrix, case-study pages
and index, glossary, "What's new", "Provisions and cases") are rendered from
data, some of which exists only once MkDocs has parsed the guidance pages
(the sections that deliver an item, the sections that use a case study). A
page rendered too early shows nothing, silently: until 7 December 2026 every
case-study page said "Not yet used in the guidance". So each test here
reads a built page and compares it with what the parse found, worked out
here from the parse's raw facts (each page's macro calls and headings), not
from the project index the pages are rendered from.

The real site is built once (`built_site`); the parse is `make check`'s
(load_project runs MkDocs' reading stage, as `make check` does).
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import lxml.html
import pytest
import yaml

from macros import exports, render
from macros.project import load_project
from tests.sites import PROJECT, assemble, build, real_project

PROJ = real_project()


def parse(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def built(site: Path, uri: str):
    """The built page of a docs path ("pleas.md", "case-studies/cs-07.md")."""
    return parse(site / exports._url(uri) / "index.html")


def calls_by_section(project, name: str) -> dict[str, set[tuple[str, str]]]:
    """From the parse's own facts: for each id given to macro `name` on a
    guidance page, the set of (page address, heading id) of the sections
    holding such a call. A call belongs to the last heading above it."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for page in project.pages:
        assert page.facts is not None, f"{page.path} was not parsed"
        for call in page.facts.calls:
            if call.name != name or call.error:
                continue
            above = [h for h in page.facts.headings if h.line <= call.line]
            anchor = above[-1].anchor if above else ""
            for arg in call.args:
                found[arg.partition("@")[0].strip()].add((exports._url(page.uri), anchor))
    return found


def section_links(links, from_url: str) -> set[tuple[str, str]]:
    """(page address, anchor) of links written on the page at `from_url`."""
    out = set()
    for href in links:
        path, _, anchor = href.partition("#")
        parts = from_url.rstrip("/").split("/")
        for piece in path.split("/"):
            if piece == "..":
                parts.pop()
            elif piece and piece != ".":
                parts.append(piece)
        out.add(("/".join(p for p in parts if p) + "/", anchor))
    return out


def listed_uses(tree, case_url: str) -> set[tuple[str, str]]:
    """The sections a built case-study page lists under "Where this case
    study is used" (the nested links: page, then section)."""
    heading = tree.xpath('//h2[@id="where-this-case-study-is-used"]')
    assert heading, "the page has no 'Where this case study is used' heading"
    follower = heading[0].getnext()
    if follower is None or follower.tag != "ul":
        return set()
    return section_links(follower.xpath("./li/ul/li/a/@href"), case_url)


def backlink_problems(site: Path, project) -> list[str]:
    """What is wrong with the built case-study pages' lists of uses, against
    the parse: each use missing from its study's page, each section listed
    that does not use the study. Empty when every list is right."""
    expected = calls_by_section(project, "case_study")
    problems = []
    for case_id in sorted(project.case_study_ids):
        url = f"case-studies/{case_id.lower()}/"
        listed = listed_uses(parse(site / url / "index.html"), url)
        want = expected.get(case_id, set())
        problems += [f"{case_id}: missing {page}#{anchor}" for page, anchor in sorted(want - listed)]
        problems += [f"{case_id}: listed but not used at {page}#{anchor}" for page, anchor in sorted(listed - want)]
    return problems


# ---- Case-study pages ------------------------------------------------------


def test_every_case_study_page_lists_exactly_the_sections_that_use_it(built_site):
    assert len(PROJ.case_study_ids) >= 15
    assert all(calls_by_section(PROJ, "case_study").get(cid) for cid in PROJ.case_study_ids), "every study is used"
    assert backlink_problems(built_site, PROJ) == []
    for cid in PROJ.case_study_ids:
        text = built(built_site, f"case-studies/{cid.lower()}.md").text_content()
        assert "Not yet used" not in text, cid


def test_each_listed_section_holds_the_case_study_box(built_site):
    """The other way round, on the built guidance: each section a case-study
    page lists has that study's box, under that heading."""
    boxes: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for page in PROJ.pages:
        url = exports._url(page.uri)
        tree = built(built_site, page.uri)
        for box in tree.xpath('//article//*[contains(concat(" ", @class, " "), " case-study-box ")]'):
            heading = box.xpath("preceding::*[self::h1 or self::h2 or self::h3 or self::h4][1]")
            link = box.xpath('.//a[starts-with(normalize-space(), "Read case study")]/@href')
            assert heading and link, (page.uri, box.text_content()[:80])
            boxes[link[0].rstrip("/").split("/")[-1].upper()].add((url, heading[0].get("id")))
    for cid in PROJ.case_study_ids:
        url = f"case-studies/{cid.lower()}/"
        assert listed_uses(parse(built_site / url / "index.html"), url) == boxes[cid], cid


@pytest.mark.build
def test_the_check_fails_when_a_use_is_missing(tmp_path):
    """The negative control: the clean fixture built, then one of its
    case-study pages as the build wrote it before 7 December 2026 (every use
    dropped, "Not yet used in the guidance"), and one with an extra section.
    backlink_problems() names the missing use and the extra one."""
    site = assemble(tmp_path / "site")
    out = tmp_path / "out"
    result = build(site, out)
    assert result.returncode == 0, result.stderr
    project = load_project(site)
    assert backlink_problems(out, project) == []
    page = out / "case-studies" / "cs-01" / "index.html"
    html = page.read_text(encoding="utf-8")
    used = re.search(r'(<h2 id="where-this-case-study-is-used">.*?</h2>\s*)(<ul>.*?</ul>\s*</li>\s*</ul>)', html, re.S)
    assert used, "the clean fixture's CS-01 lists its uses"
    page.write_text(html.replace(used.group(2), "<p>Not yet used in the guidance.</p>"), encoding="utf-8")
    assert backlink_problems(out, project) == ["CS-01: missing files/#what-the-file-must-contain"]
    page.write_text(html, encoding="utf-8")
    tree = parse(page)
    inner = tree.xpath('//h2[@id="where-this-case-study-is-used"]/following-sibling::ul[1]/li/ul')[0]
    inner.append(lxml.html.fragment_fromstring('<li><a href="../../history/#older">Older</a></li>'))
    page.write_bytes(lxml.html.tostring(tree))
    assert backlink_problems(out, project) == ["CS-01: listed but not used at history/#older"]


# ---- The register, item pages and coverage matrix --------------------------


def register_rows(tree) -> dict[str, dict[str, str]]:
    """{item id: {column: text}} of the item tables in `tree` (a page or a table)."""
    rows = {}
    for tr in tree.xpath(".//table//tr[td] | self::table//tr[td]"):
        cells = {td.get("data-label"): td.text_content().strip() for td in tr.xpath("./td")}
        rows[cells["Item"].split(":")[0]] = cells
    return rows


def illustrating(item_id: str) -> set[str]:
    """Case studies whose front matter says they illustrate an item (read
    from the files, not the index)."""
    out = set()
    for study in PROJ.case_studies:
        meta = study.meta if isinstance(study.meta, dict) else {}
        if item_id in (meta.get("illustrates") or []):
            out.add(meta["id"])
    return out


def test_the_register_counts_the_sections_the_parse_found(built_site):
    delivered = calls_by_section(PROJ, "addresses")
    rows = register_rows(built(built_site, "recommendations/index.md"))
    assert set(rows) == set(PROJ.items)
    for item_id, cells in rows.items():
        assert int(cells["Sections"]) == len(delivered[item_id]) > 0, item_id
        assert int(cells["Case studies"]) == len(illustrating(item_id)), item_id


def test_each_item_page_links_to_exactly_the_sections_that_deliver_it(built_site):
    delivered = calls_by_section(PROJ, "addresses")
    for item_id in PROJ.items:
        url = f"recommendations/{item_id.lower()}/"
        tree = parse(built_site / url / "index.html")
        heading = tree.xpath('//h2[@id="where-this-guidance-delivers-it"]')[0]
        links = heading.getnext().xpath("./li/ul/li/a/@href")
        assert section_links(links, url) == delivered[item_id], item_id
        studies = tree.xpath('//h2[@id="case-studies-that-illustrate-it"]')[0].getnext().xpath(".//a/@href")
        assert {h.rstrip("/").split("/")[-1].upper() for h in studies} == illustrating(item_id), item_id


def test_the_coverage_matrix_shows_what_the_parse_found(built_site):
    delivered = calls_by_section(PROJ, "addresses")
    tree = built(built_site, "recommendations/coverage.md")
    tables = tree.xpath("//article//div[contains(@class, 'coverage-matrix')]//table")
    assert len(tables) == 3
    rows = register_rows(tables[0])
    for item_id in PROJ.items:
        cells = rows[item_id]
        assert int(cells["Sections"]) == len(delivered[item_id]), item_id
        assert int(cells["Pages"]) == len({page for page, _ in delivered[item_id]}), item_id
        assert int(cells["Case studies"]) == len(illustrating(item_id)), item_id
        varied = [c.id for c in PROJ.items[item_id].commitments if c.variation]
        assert cells["Status"] == "Delivered" + (f" (variation recorded: {', '.join(varied)})" if varied else ""), item_id
    ids = list(PROJ.items)
    ticks = {}
    for tr in tables[1].xpath(".//tr[td]"):
        cells = tr.xpath("./td")
        url = section_links(cells[0].xpath(".//a/@href"), "recommendations/coverage/").pop()[0]
        ticks[url] = {i for i, td in zip(ids, cells[1:]) if td.text_content().strip() == "✓"}
    expected = defaultdict(set)
    for item_id, sections in delivered.items():
        for page, _ in sections:
            expected[page].add(item_id)
    assert ticks == dict(expected)


def test_each_guidance_page_says_what_it_delivers(built_site):
    """The page facts' "Delivers" list: the items its sections address."""
    delivered = calls_by_section(PROJ, "addresses")
    for page in PROJ.pages:
        url = exports._url(page.uri)
        want = {i for i in PROJ.items if any(p == url for p, _ in delivered[i])}
        tree = built(built_site, page.uri)
        shown = {a.text_content() for a in tree.xpath('//dl[@class="page-facts"]//div[@class="page-facts__delivers"]//a')}
        assert shown == want, page.uri


# ---- Pages from the sources alone (no parse needed, but checked the same way) --


def test_the_case_study_index_lists_every_study_by_theme_and_item(built_site):
    tree = built(built_site, "case-studies/index.md")
    listed = {a.rstrip("/").split("/")[-1].upper() for a in tree.xpath("//article//table//tr/td[1]//a/@href")}
    assert listed == set(PROJ.case_study_ids)
    register = yaml.safe_load((PROJECT / "recommendations.yml").read_text(encoding="utf-8"))
    for theme in register["themes"]:
        studies = {s.meta["id"] for s in PROJ.case_studies if theme["id"] in s.meta.get("themes", [])}
        heading = tree.xpath(f'//h3[normalize-space(text())="{theme["label"]}"]')
        shown = {a.rstrip("/").split("/")[-1].upper() for a in heading[0].getnext().xpath(".//a/@href")} if heading else set()
        assert shown == studies, theme["id"]
    for item_id in PROJ.items:
        heading = tree.xpath(f'//h3[starts-with(normalize-space(), "{item_id}:")]')
        shown = {a.rstrip("/").split("/")[-1].upper() for a in heading[0].getnext().xpath(".//a/@href")} if heading else set()
        assert shown == illustrating(item_id), item_id


def test_the_glossary_lists_every_abbreviation(built_site):
    lines = (PROJECT / "includes" / "abbreviations.md").read_text(encoding="utf-8").splitlines()
    expected = dict(re.match(r"^\*\[([^\]]+)\]:\s*(.+?)\s*$", line).groups() for line in lines if line.strip())
    tree = built(built_site, "glossary.md")
    rows = {tr.xpath("./td")[0].text_content().strip(): tr.xpath("./td")[1].text_content().strip()
            for tr in tree.xpath("//article//table//tr[td]")}
    assert rows == expected


def test_whats_new_lists_every_entry_with_its_pages(built_site):
    entries = yaml.safe_load((PROJECT / "whats-new.yml").read_text(encoding="utf-8"))["entries"]
    tree = built(built_site, "whats-new.md")
    headings = [h.text_content().rstrip("¶").strip() for h in tree.xpath("//article//h2")]
    assert len(headings) == len(entries) >= 1
    for entry in entries:
        date = entry["date"]
        title = f"{date.day} {date:%B %Y}: {entry['title']}"
        assert title in headings, title
        heading = tree.xpath("//article//h2")[headings.index(title)]
        changed = set()
        for sibling in heading.itersiblings():
            if sibling.tag == "h2":
                break
            if sibling.text_content().startswith("Pages changed"):
                changed = section_links(sibling.xpath(".//a/@href"), "whats-new/")
        assert {page for page, _ in changed} == {exports._url(p) for p in entry.get("pages") or []}, title


def test_the_law_page_lists_every_provision_and_case(built_site):
    provisions = yaml.safe_load((PROJECT / "provisions.yml").read_text(encoding="utf-8"))
    cases = yaml.safe_load((PROJECT / "cases.yml").read_text(encoding="utf-8"))
    tree = built(built_site, "law.md")
    text = " ".join(tree.xpath("//article//text()"))
    tables = tree.xpath("//article//table")
    acts = [a for a in PROJ.law.acts.values() if a.provisions]
    rules = PROJ.law.provisions.conviction_rules
    assert len(tables) == len(acts) + len(rules) + 1, "one table per Act with provisions, one per rule by date of conviction, then the cases"
    assert sum(len(t.xpath(".//tr[td]")) for t in tables[:len(acts)]) == sum(len(a.provisions) for a in acts)
    for table, rule in zip(tables[len(acts):-1], rules):
        assert len(table.xpath(".//tr[td]")) == len(rule.periods) + (1 if rule.before_first else 0), rule.id
    assert len(tables[-1].xpath(".//tr[td]")) == len(cases["cases"])
    for case in cases["cases"]:
        assert case["name"] in text, case["name"]
    assert provisions and all(a.title in text for a in acts)


def test_where_the_law_data_was_read_gives_every_provisions_sources(built_site):
    """The provisions' audit trail is on two pages of its own (Acts from
    2000; earlier Acts and other documents), so "Provisions and cases" and
    each of them stay within the first-visit budget: one table per Act, under
    the heading the law page links to, with each provision's notes and the
    addresses read."""
    law = built(built_site, "law.md")
    acts = [a for a in PROJ.law.acts.values() if a.provisions]
    targets = [h.removeprefix("../") for h in law.xpath("//article//h3/following-sibling::p[1]/a/@href") if "law-sources" in h]
    assert len(targets) == len(acts), "each Act links to where its provisions were read"
    seen = 0
    for uri, _, _ in render.LAW_SOURCES_PAGES:
        page = built(built_site, uri)
        tables = page.xpath("//article//table")
        here = [a for a in acts if render.law_sources_uri(a) == uri]
        assert here and len(tables) == len(here), uri
        ids = page.xpath("//article//h2/@id")
        address = exports._url(uri)
        assert {t.split("#")[1] for t in targets if t.split("#")[0] == address} == set(ids), uri
        for table, act in zip(tables, here):
            rows = table.xpath(".//tr[td]")
            assert len(rows) == len(act.provisions), act.title
            for row, provision in zip(rows, act.provisions.values()):
                read = " ".join(row.xpath("./td[last()]//text()"))
                for source in provision.sources:
                    assert source.split("//", 1)[1].removeprefix("www.")[:40] in read, (act.title, source)
        seen += len(here)
    assert seen == len(acts)


# ---- Quiet traceability, in the built HTML (the browser tests show it) ------


def test_guidance_pages_keep_every_link_but_quietly(built_site):
    """Each section's line of items is still under its heading (the item
    pages link to it); the page facts hold the control that shows them; the
    case-study boxes are closed <details>, titled with the study."""
    delivered = calls_by_section(PROJ, "addresses")
    for page in PROJ.pages:
        tree = built(built_site, page.uri)
        url = exports._url(page.uri)
        lines = tree.xpath('//article//p[contains(@class, "addresses")]')
        sections = {(url, p.getprevious().get("id")) for p in lines}
        assert sections == {s for item in delivered.values() for s in item if s[0] == url}, page.uri
        if lines:
            toggles = tree.xpath('//dl[@class="page-facts"]//label[@class="trace-toggle"]/input[@type="checkbox"]')
            assert len(toggles) == 1, page.uri
        for box in tree.xpath('//article//*[contains(concat(" ", @class, " "), " case-study-box ")]'):
            assert box.tag == "details" and box.get("open") is None, page.uri
            assert box.xpath("./summary")[0].text_content().startswith("Case study CS-"), page.uri
