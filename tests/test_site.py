"""The real site, built strictly: links, traceability, case studies, exports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from macros import exports
from tests.sites import PROJECT, real_project

PROJ = real_project()
SITE_PATH = "/stalking-harassment/"  # the path of site_url in mkdocs.yml


def html_files(site: Path):
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def parse(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def resolve(site: Path, page: Path, href: str) -> tuple[Path | None, str]:
    parts = urlsplit(href)
    if parts.scheme or href.startswith("//"):
        return None, ""
    path = unquote(parts.path)
    if path.startswith(SITE_PATH):  # absolute links (the 404 page) start at site_url
        target = (site / path[len(SITE_PATH):]).resolve()
    else:
        target = (page.parent / path).resolve() if path else page
    if target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def test_every_internal_link_and_anchor_resolves(built_site):
    """Every href and src in the built site, raw HTML and theme included."""
    ids_cache: dict[Path, set[str]] = {}
    broken = []
    for page in html_files(built_site):
        tree = parse(page)
        for el in tree.xpath("//*[@href or @src]"):
            href = el.get("href") or el.get("src")
            if href.startswith(("mailto:", "data:")):
                continue
            target, fragment = resolve(built_site, page, href)
            if target is None:
                continue
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)}: {href} (no such file)")
                continue
            if fragment and target.suffix == ".html":
                if target not in ids_cache:
                    ids_cache[target] = set(parse(target).xpath("//@id | //@name"))
                if fragment not in ids_cache[target]:
                    broken.append(f"{page.relative_to(built_site)}: {href} (no such anchor)")
    assert broken == []


def test_no_template_text_or_macro_errors(built_site):
    bad = re.compile(r"\{\{<|>\}\}|\{%<|Macro (Rendering|Syntax) Error|jinja2\.", re.I)
    offenders = [str(p.relative_to(built_site)) for p in html_files(built_site) if bad.search(p.read_text())]
    assert offenders == []


def test_every_item_is_addressed_and_key_items_twice():
    for item_id in PROJ.items:
        assert PROJ.references_to(item_id), f"{item_id} is not addressed"
    for item_id in ("R2", "R3", "F1", "F2", "F3", "F4"):
        assert len(PROJ.references_to(item_id)) >= 2, item_id


def test_item_pages_link_to_the_exact_sections(built_site):
    """Each item page links to every section that addresses it, and each link
    lands on a heading followed by the line that names the item."""
    for item_id in PROJ.items:
        item_page = built_site / "recommendations" / item_id.lower() / "index.html"
        links = parse(item_page).xpath("//article//a/@href")
        for ref in PROJ.references_to(item_id):
            expected = f"../../{exports._url(ref.page)}#{ref.anchor}"
            assert expected in links, f"{item_id} page does not link to {expected}"
            target = parse(built_site / exports._url(ref.page) / "index.html")
            heading = target.xpath(f'//*[@id="{ref.anchor}"]')
            assert heading and heading[0].tag in ("h2", "h3", "h4"), ref
            following = heading[0].getnext()
            assert following is not None and "addresses" in following.get("class", ""), ref
            assert any(a.endswith(f"recommendations/{item_id.lower()}/") for a in following.xpath(".//a/@href")), ref


def test_traceability_export_matches_the_pages(built_site):
    data = json.loads((built_site / "traceability.json").read_text())
    assert [i["id"] for i in data["items"]] == list(PROJ.items)
    # Count the "delivers" links in the rendered pages, per item.
    seen: dict[str, int] = {i: 0 for i in PROJ.items}
    for page in html_files(built_site):
        if page.parent.name == "print":
            continue  # the print view repeats every chapter by design
        for para in parse(page).xpath('//p[contains(@class, "addresses")]'):
            for href in para.xpath(".//a/@href"):
                seen[href.rstrip("/").split("/")[-1].upper()] += 1
    for item in data["items"]:
        assert len(item["sections"]) == seen[item["id"]], item["id"]
        for section in item["sections"]:
            page = parse(built_site / section["page"] / "index.html")
            assert page.xpath(f'//*[@id="{section["anchor"]}"]'), section


def test_every_case_study_is_used_and_rendered(built_site):
    data = json.loads((built_site / "traceability.json").read_text())
    assert len(data["case_studies"]) == len(PROJ.case_studies) >= 15
    for study in data["case_studies"]:
        page = built_site / study["url"] / "index.html"
        assert page.exists(), study["id"]
        text = page.read_text()
        for heading in ("What happened", "The decisions", "What went well or should have happened", "Learning points"):
            assert f">{heading}<" in text, (study["id"], heading)
        assert study["used_on"], study["id"]
        for used in study["used_on"]:
            boxes = parse(built_site / used / "index.html").xpath('//details[contains(@class, "case-study-box")]//a/@href')
            assert any(h.rstrip("/").endswith(study["id"].lower()) for h in boxes), (study["id"], used)


def test_case_studies_are_indexed_once_by_search(built_site):
    """The summary boxes on guidance pages are excluded from search, so each
    case study's text is found only on its own page."""
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    for cid, (_, meta) in PROJ.case_study_ids.items():
        probe = " ".join(meta.summary.split()[:8])
        hits = {d["location"].split("#")[0] for d in index["docs"] if probe in " ".join(d["text"].split())}
        assert hits == {f"case-studies/{cid.lower()}/"}, (cid, hits)


def test_every_page_has_a_content_security_policy(built_site):
    for page in html_files(built_site):
        html = page.read_text()
        match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert match, page
        policy = match.group(1)
        assert "unsafe-inline" not in policy and "http" not in policy
        for digest in exports.script_hashes(html):
            assert digest in policy, page


def test_review_feed_lists_every_guidance_page(built_site):
    feed = json.loads((built_site / "pages.json").read_text())["pages"]
    assert len(feed) == len(PROJ.pages)
    for entry in feed:
        assert {"title", "url", "owner", "last_reviewed", "review_due"} <= set(entry)


def test_renamed_page_redirects(built_site):
    stub = (built_site / "restraining-orders" / "index.html").read_text()
    assert "protective-orders/" in stub


# --- The guidance itself (issue: twelve chapters and case studies) ----------

CHAPTERS = [
    "recognising", "offences", "working-with-police", "charging", "pleas", "protective-orders",
    "victims", "sentencing", "assurance", "stalking-leads", "training", "about",
]
LIFE_OF_CASE = ["public-interest", "drafting", "trial", "bail-and-updates", "jurisdiction"]


def words(page) -> int:
    body = page.text.split("\n---", 2)[-1] if page.text.startswith("---") else page.text
    body = re.sub(r"\{\{<.*?>\}\}", "", body)
    return len(re.findall(r"[A-Za-z][\w'’.-]*", body))


@pytest.mark.parametrize("slug", CHAPTERS + LIFE_OF_CASE)
def test_chapter_has_substance(slug):
    page = next(p for p in PROJ.pages if p.uri == f"{slug}.md")
    assert words(page) >= 800
    assert '!!! abstract "What you must do"' in page.text


def test_guidance_volume():
    assert sum(words(p) for p in PROJ.pages if p.uri[:-3] in CHAPTERS) >= 18000
    assert sum(words(p) for p in PROJ.pages if p.uri[:-3] in LIFE_OF_CASE) >= 4000
    for study in PROJ.case_studies:
        assert words(study) >= 350, study.path


def test_links_out_are_https_and_new_tabs_are_isolated(built_site):
    for page in html_files(built_site):
        for a in parse(page).xpath("//a[@href]"):
            href = a.get("href")
            assert not href.startswith("http://"), (page, href)
            if a.get("target") == "_blank":
                assert "noopener" in (a.get("rel") or ""), (page, href)


def test_published_json_schemas_match_the_models(tmp_path):
    from macros.schema import write_schemas

    for path in write_schemas(tmp_path):
        assert path.read_text() == (PROJECT / "schema" / path.name).read_text(), f"run `make schema` ({path.name})"


def test_no_table_has_an_empty_row(built_site):
    """The generated offence and penalty tables ended with an empty row (the
    expansion's closing newline became a row); table-syntax now reports a
    short row in the sources, and no built page has a row of empty cells."""
    empty = []
    for page in html_files(built_site):
        for row in parse(page).xpath("//table//tr[td]"):
            if not "".join(row.itertext()).strip():
                empty.append(str(page.relative_to(built_site)))
    assert empty == []


def test_general_commitments_derived_items_and_variations_are_shown(built_site):
    """G1 (the action plan the 2017 response promised outside any
    recommendation) is traced like R- and F-items; F3 and F4 say they are
    derived from F2; R3.1's recorded variation (fictional case studies) is on
    its item page, in the coverage matrix and in the export."""
    assert PROJ.items["G1"].kind == "general" and PROJ.references_to("G1")
    register = parse(built_site / "recommendations" / "index.html")
    headings = [h.text_content().strip().rstrip("¶") for h in register.xpath("//article//h2")]
    assert "General commitments" in headings
    rows = {" ".join(r.xpath("./td[1]")[0].text_content().split()): r for r in register.xpath("//article//table//tr[td]")}
    assert any(k.startswith("G1") for k in rows)
    assert [k for k in rows if "derived from F2" in k] and all(
        ("derived from F2" in k) == k.startswith(("F3", "F4")) for k in rows)
    r3 = parse(built_site / "recommendations" / "r3" / "index.html").text_content()
    assert "Delivered differently, on purpose:" in r3 and "fictional" in r3
    f3 = parse(built_site / "recommendations" / "f3" / "index.html").text_content()
    assert "derived from F2" in f3
    coverage = parse(built_site / "recommendations" / "coverage" / "index.html")
    r3_row = [r for r in coverage.xpath("//table//tr[td]") if r.xpath("./td[1]")[0].text_content().strip() == "R3"][0]
    assert "variation recorded: R3.1" in r3_row.text_content()
    data = {i["id"]: i for i in json.loads((built_site / "traceability.json").read_text())["items"]}
    assert data["G1"]["kind"] == "general" and data["G1"]["sections"]
    assert data["F3"]["derived_from"] == "F2" and data["F1"]["derived_from"] is None
    assert list(data["R3"]["variations"]) == ["R3.1"]
