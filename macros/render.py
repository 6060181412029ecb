"""Renderers: Markdown for the macros' output and for the generated pages.

Renderers only format what the project index already holds. Links are
written relative to the page they appear on, so MkDocs validates them.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict

import yaml

from . import law_on_a_date
from .project import Project

REGISTER_URI = "recommendations/index.md"
COVERAGE_URI = "recommendations/coverage.md"
CASE_INDEX_URI = "case-studies/index.md"
GLOSSARY_URI = "glossary.md"
WHATS_NEW_URI = "whats-new.md"
LAW_URI = "law.md"
LAW_CHANGES_URI = "law-changes.md"  # changes in the law: not yet in force, and in force from LAW_CHANGES_SPLIT_YEAR
LAW_CHANGES_OLDER_URI = "law-changes-earlier.md"  # and those in force before it, from 2017
# The register of changes is on two pages, split by the year a change came
# into force, so that each stays within the 100 KB first-visit budget (one
# page of 63 changes moved 102 KB on 7 December 2026).
LAW_CHANGES_SPLIT_YEAR = 2024
LAW_SOURCES_URI = "law-sources.md"  # where and when each provision was read: Acts from 2020
LAW_SOURCES_MIDDLE_URI = "law-sources-2000-2019.md"  # Acts from 2000 to 2019
LAW_SOURCES_OLDER_URI = "law-sources-before-2000.md"  # and Acts before 2000, and other documents
# The "Where the law data was read" pages, newest first: (page, first year of
# the Acts it holds, or None for all the rest, what it holds). Split so that
# each stays within the 100 KB first-visit budget (one page of the Acts from
# 2000 moved 101 KB on 7 December 2026).
LAW_SOURCES_PAGES = (
    (LAW_SOURCES_URI, 2020, "Acts from 2020"),
    (LAW_SOURCES_MIDDLE_URI, 2000, "Acts from 2000 to 2019"),
    (LAW_SOURCES_OLDER_URI, None, "Acts before 2000 and other documents"),
)
PRINT_URI = "print.md"
LAW_ON_A_DATE_URI = "law-on-a-date.md"  # macros/law_on_a_date.py


def rel(target: str, from_uri: str) -> str:
    """A link to `target` (a docs-relative .md path, maybe with #anchor) from
    `from_uri`. Pure string work: both are paths inside the docs tree."""
    path, _, anchor = target.partition("#")
    link = ""
    if path:
        source = from_uri.split("/")[:-1]
        parts = path.split("/")
        common = 0
        while common < min(len(source), len(parts) - 1) and source[common] == parts[common]:
            common += 1
        link = "/".join([".."] * (len(source) - common) + parts[common:])
    return link + (f"#{anchor}" if anchor else "")


def item_uri(item_id: str) -> str:
    return f"recommendations/{item_id.lower()}.md"


def case_uri(case_id: str) -> str:
    return f"case-studies/{case_id.lower()}.md"


def nav_place(uri: str) -> str | None:
    """The menu entry that stands for a generated page not in the menu: the
    case-study index for a case study, the register for an item page.
    Input: a docs path. Output: a docs path, or None."""
    if uri.startswith("case-studies/cs-"):
        return CASE_INDEX_URI
    if uri.startswith("recommendations/") and uri not in (REGISTER_URI, COVERAGE_URI):
        return REGISTER_URI
    return None


def item_label(project: Project, item_id: str) -> str:
    return f"{item_id}: {project.items[item_id].title}"


def one_line(text: str) -> str:
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------
# Macro output
# ---------------------------------------------------------------------------


def addresses_line(project: Project, ids: list[str], page_uri: str) -> str:
    """The line under a heading that names the items a section delivers.

    Input: checked item ids and the page being rendered. Output: a Markdown
    paragraph of small tags ("R3"), each linking to its item page, with the
    item's full title as the link's tooltip; a screen reader hears "This
    section delivers" first. The full wording is on the item page and in the
    register, which link back here. The line is kept out of the search index
    (`data-search-exclude`), so excerpts start with the guidance itself."""
    tags = " ".join(
        f'[{i}]({rel(item_uri(i), page_uri)} "{item_label(project, i).replace(chr(34), chr(39))}")' for i in ids
    )
    return (
        f'<span class="visually-hidden">This section delivers</span> {tags}\n'
        "{: .addresses data-search-exclude }"
    )


def case_study_box(project: Project, case_id: str, page_uri: str) -> str:
    """A summary box linking to the full case study: a collapsible admonition
    (`???`, a <details> element), closed, so that it does not interrupt the
    legal text around it; its title names the study. Print opens it
    (guidance.css). The Markdown pipeline marks it data-search-exclude."""
    page, meta = project.case_study_ids[case_id]
    illustrates = ", ".join(f"[{i}]({rel(item_uri(i), page_uri)})" for i in meta.illustrates if i in project.items or not project.register_unreadable)
    body = [
        one_line(meta.summary),
        f"**Outcome:** {one_line(meta.outcome)}",
        f"**Illustrates:** {illustrates}",
        f"[Read case study {meta.id} in full]({rel(case_uri(meta.id), page_uri)})",
    ]
    title = one_line(f"Case study {meta.id}: {meta.title}")
    return f'??? example case-study-box "{title}"\n\n' + "\n\n".join("    " + b for b in body) + "\n"


# ---------------------------------------------------------------------------
# Generated pages
# ---------------------------------------------------------------------------


# libyaml's safe dumper when PyYAML has it (the wheels do): the same output, far faster.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _front(title: str, summary: str) -> str:
    """The front matter of a generated page. The title and summary come from
    editors' text (the register, a case study), so they are written by the
    YAML library, which quotes and escapes them: a double quote, a backslash
    or a colon is published exactly as written. The theme writes the
    description into an HTML attribute without escaping it
    (`<meta name="description" content="{{ page.meta.description }}">`), so
    it is escaped for HTML here (a reader's browser shows it as written)."""
    front = yaml.dump({"title": title, "description": html.escape(summary)}, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=2**31 - 1)
    return f"---\n{front}---\n\n"


# The kinds of register item, in the order the register page lists them.
KIND_HEADINGS = (("recommendation", "Recommendations"), ("finding", "Accepted findings"), ("general", "General commitments"))
KIND_LABEL = {"recommendation": "Recommendation", "finding": "Accepted finding", "general": "General commitment"}


def register_page(project: Project) -> str:
    uri = REGISTER_URI
    out = [
        _front("The register of recommendations", "What the 2017 inspection asked for and where this guidance delivers it."),
        "# The register of recommendations\n",
        "This register lists what the 2017 joint inspection of harassment and stalking asked of the prosecution service, "
        "the findings the service accepted in its response, and the one commitment it made outside the recommendations.",
        "Each entry links to the sections of this guidance that deliver it.\n",
        '!!! note "How the items are numbered"',
        "    R1 to R7 follow the order of the prosecution service's published response of 5 July 2017.",
        "    They are not the paragraph numbers of the inspection report.",
        "    F1 and F2 are the findings the response accepted, which apply across all the recommendations.",
        "    F3 and F4 restate, as duties of their own, two of the consequences that F2 names.",
        "    G1 is the commitment the response made outside any recommendation: a joint action plan.\n",
        f"See also the [coverage matrix]({rel(COVERAGE_URI, uri)}) and the [machine-readable export](../traceability.json).\n",
    ]
    for kind, heading in KIND_HEADINGS:
        if not any(i.kind == kind for i in project.register.items):
            continue
        out.append(f"## {heading}\n")
        out.append("| Item | Addressed to | Sections | Case studies |")
        out.append("|---|---|---|---|")
        for item in project.register.items:
            if item.kind != kind:
                continue
            sections = len(project.references_to(item.id))
            studies = len(project.illustrating(item.id))
            derived = f" (derived from {item.derived_from})" if item.derived_from else ""
            out.append(
                f"| [{item_label(project, item.id)}]({rel(item_uri(item.id), uri)}){derived} | {item.addressee} | {sections} | {studies} |"
            )
        out.append("")
    return "\n".join(out)


def item_page(project: Project, item_id: str) -> str:
    item = project.items[item_id]
    uri = item_uri(item_id)
    kind = KIND_LABEL[item.kind]
    out = [
        _front(f"{item.id}: {item.title}", one_line(item.summary)),
        f"# {item.id}: {item.title}\n",
        f"**{kind}**" + (f" {item.number} in the 2017 response" if item.number else "") + f". Addressed to: {item.addressee}.\n",
        one_line(item.summary) + "\n",
    ]
    if item.derived_from and item.derived_from in project.items:
        out.append(f"This item is derived from [{item_label(project, item.derived_from)}]({rel(item_uri(item.derived_from), uri)}): "
                   "it restates, as a duty of its own, one of the consequences that item names.\n")
    if item.commitments:
        out.append("## What was committed\n")
        for c in item.commitments:
            out.append(f"- **{c.id}**: {one_line(c.text)}")
            if c.variation:
                out.append(f"    - **Delivered differently, on purpose:** {one_line(c.variation)}")
        out.append("")
    out.append("## Where this guidance delivers it\n")
    refs = project.references_to(item_id)
    by_page = defaultdict(list)
    for ref in refs:
        by_page[ref.page].append(ref)
    titles = {p.uri: p.title for p in project.pages}
    for page_uri, page_refs in by_page.items():
        out.append(f"- [{titles.get(page_uri, page_uri)}]({rel(page_uri, uri)})")
        for ref in page_refs:
            out.append(f"    - [{ref.section}]({rel(page_uri + '#' + ref.anchor, uri)})")
    if not refs:
        out.append("No section delivers this item yet.")
    out.append("")
    out.append("## Case studies that illustrate it\n")
    studies = project.illustrating(item_id)
    out += [f"- [{cid}: {m.title}]({rel(case_uri(cid), uri)})" for cid, m in studies] or ["None yet."]
    out.append("")
    out.append(f"[Back to the register]({rel(REGISTER_URI, uri)})\n")
    return "\n".join(out)


def coverage_page(project: Project) -> str:
    """The coverage matrix page (Markdown): per item, the count of sections,
    pages and case studies; then pages and case studies against items.
    Its tables sit in `.coverage-matrix` blocks, which guidance.css lays out
    as compact columns on wide screens and as labelled chips on a phone."""
    uri = COVERAGE_URI
    ids = list(project.items)
    out = [
        _front("Coverage matrix", "Which guidance pages and case studies deliver each recommendation and finding."),
        "# Coverage matrix\n",
        "Use this page to see at a glance what was promised and where it is delivered.",
        "The first table counts the sections and case studies for each item.",
        "The second shows which pages deliver which items.\n",
        "## Items and where they are delivered\n",
        '<div class="coverage-matrix" markdown>',
        "",
        "| Item | Sections | Pages | Case studies | Status |",
        "|---|---|---|---|---|",
    ]
    for item_id in ids:
        refs = project.references_to(item_id)
        pages = sorted({r.page for r in refs})
        studies = project.illustrating(item_id)
        varied = [c.id for c in project.items[item_id].commitments if c.variation]
        status = ("Delivered" if refs else "**Not delivered**") + (f" (variation recorded: {', '.join(varied)})" if varied else "")
        out.append(
            f"| [{item_id}]({rel(item_uri(item_id), uri)}) | {len(refs)} | {len(pages)} | {len(studies)} | {status} |"
        )
    out += ["", "</div>", "", "## Pages against items\n", "A tick means at least one section of the page delivers the item.\n"]
    out += ['<div class="coverage-matrix" markdown>', ""]
    out.append("| Page | " + " | ".join(ids) + " |")
    out.append("|---|" + "---|" * len(ids))
    for page in project.pages:
        on_page = set(project.items_on_page(page.uri))
        if not on_page:
            continue
        cells = ["✓" if i in on_page else "" for i in ids]
        out.append(f"| [{page.title}]({rel(page.uri, uri)}) | " + " | ".join(cells) + " |")
    out += ["", "</div>", "", "## Case studies against items\n", '<div class="coverage-matrix" markdown>', ""]
    out.append("| Case study | " + " | ".join(ids) + " |")
    out.append("|---|" + "---|" * len(ids))
    for cid, (_, meta) in sorted(project.case_study_ids.items()):
        cells = ["✓" if i in meta.illustrates else "" for i in ids]
        out.append(f"| [{cid}]({rel(case_uri(cid), uri)}) | " + " | ".join(cells) + " |")
    out += ["", "</div>", ""]
    return "\n".join(out)


def case_study_page(project: Project, case_id: str) -> str:
    page, meta = project.case_study_ids[case_id]
    uri = case_uri(case_id)
    from .load import split_front_matter

    _, body, _ = split_front_matter(page.text)
    themes = project.themes
    titles = {p.uri: p.title for p in project.pages}
    out = [
        _front(f"{meta.id}: {meta.title}", one_line(meta.summary)),
        f"# {meta.id}: {meta.title}\n",
        '!!! info "About this case study"',
        "    This case study is fiction built from typical patterns. It is anonymised: any resemblance to a real case is unintended.\n",
        f"    **Summary:** {one_line(meta.summary)}\n",
        f"    **Offences:** {'; '.join(meta.offences)}\n",
        f"    **Themes:** {', '.join(themes[t].label if t in themes else t for t in meta.themes)}\n",
        "    **Illustrates:** " + ", ".join(f"[{item_label(project, i)}]({rel(item_uri(i), uri)})" for i in meta.illustrates if i in project.items) + "\n",
        f"    **Outcome:** {one_line(meta.outcome)}\n",
        body.strip() + "\n",
        "## Where this case study is used\n",
    ]
    out += uses_list(project, case_id, uri, titles)
    out.append(f"\n[All case studies]({rel(CASE_INDEX_URI, uri)})\n")
    return "\n".join(out)


def uses_list(project: Project, case_id: str, uri: str, titles: dict[str, str]) -> list[str]:
    """The guidance sections that use a case study, as Markdown list lines:
    each page, then under it each section holding a `case_study()` call for
    the study, linked to the section's heading. Reads `project.uses_of()`,
    which only the parsed pages fill in (so the page must be rendered after
    the parse: macros/stage.py, on_page_markdown)."""
    by_page: dict[str, list] = defaultdict(list)
    for use in project.uses_of(case_id):
        by_page[use.page].append(use)
    out = []
    for page_uri, uses in by_page.items():
        out.append(f"- [{titles.get(page_uri, page_uri)}]({rel(page_uri, uri)})")
        for anchor, section in dict.fromkeys((u.anchor, u.section) for u in uses):
            out.append(f"    - [{section}]({rel(page_uri + ('#' + anchor if anchor else ''), uri)})")
    return out or ["Not yet used in the guidance."]


def case_index_page(project: Project) -> str:
    uri = CASE_INDEX_URI
    studies = sorted(project.case_study_ids.items())
    out = [
        _front("Case studies", "Anonymised case studies, listed by theme and by recommendation."),
        "# Case studies\n",
        "These case studies are fiction built from the patterns prosecutors see most often.",
        "They are anonymised and show how the guidance applies to real decisions.\n",
        "## All case studies\n",
        "| Case study | Outcome |",
        "|---|---|",
    ]
    out += [f"| [{cid}: {m.title}]({rel(case_uri(cid), uri)}) | {one_line(m.outcome)} |" for cid, (_, m) in studies]
    out += ["", "## By theme\n"]
    for theme in project.register.themes:
        matching = [(cid, m) for cid, (_, m) in studies if theme.id in m.themes]
        if matching:
            out.append(f"### {theme.label}\n")
            out += [f"- [{cid}: {m.title}]({rel(case_uri(cid), uri)})" for cid, m in matching]
            out.append("")
    out.append("## By recommendation or finding\n")
    for item_id, item in project.items.items():
        matching = project.illustrating(item_id)
        if matching:
            out.append(f"### {item_id}: {item.title}\n")
            out += [f"- [{cid}: {m.title}]({rel(case_uri(cid), uri)})" for cid, m in matching]
            out.append("")
    return "\n".join(out)


def glossary_page(project: Project) -> str:
    out = [
        _front("Glossary", "Every abbreviation used in this guidance, spelled out."),
        "# Glossary\n",
        "This guidance uses these abbreviations.",
        "On any page, hover over or focus on an abbreviation to see it spelled out.\n",
        "| Abbreviation | Meaning |",
        "|---|---|",
    ]
    for term in sorted(project.abbreviations, key=str.lower):
        out.append(f"| {term} | {project.abbreviations[term]} |")
    out.append("")
    return "\n".join(out)


def whats_new_page(project: Project) -> str:
    uri = WHATS_NEW_URI
    out = [
        _front("What's new", "Changes to this guidance that readers need to know about, newest first."),
        "# What's new\n",
        "This page lists the changes to this guidance that affect what you do, newest first.\n",
    ]
    titles = {p.uri: p.title for p in project.pages}
    changelog = project.changelog_entries
    for entry in sorted(changelog, key=lambda e: e.date, reverse=True):
        out.append(f"## {entry.date.day} {entry.date:%B %Y}: {entry.title}\n")
        out.append(one_line(entry.summary) + "\n")
        if entry.pages:
            out.append("Pages changed: " + ", ".join(f"[{titles.get(p, p)}]({rel(p, uri)})" for p in entry.pages) + "\n")
    if not changelog:
        out.append("No changes have been published yet.\n")
    return "\n".join(out)


def print_page(project: Project, order: list[str]) -> str:
    """The whole-guidance print view's own Markdown: its title and
    introduction only. The chapters are added after they have been rendered
    (macros/printview.py, called from the hooks' on_env), so the printed copy
    is exactly what each chapter's page shows."""
    by_uri = {p.uri: p for p in project.pages}
    metas = [project.page_meta(by_uri[u]) for u in order if u in by_uri]
    dates = sorted(m.law_as_at for m in metas if m)
    return "\n".join([
        "---\ntitle: The whole guidance, for printing\nsearch:\n  exclude: true\n---\n",
        "# The whole guidance, for printing\n",
        "This page puts every chapter on one page, so that you can print it or save it as a PDF.",
        f"The earliest date at which a chapter states the law is {dates[0].day} {dates[0]:%B %Y}." if dates else "",
        "Each chapter starts with the date at which it states the law and its review dates.",
        "A link to another part of the guidance is printed with the title of its target; "
        "a link to anything else is printed with its address.\n",
    ])


def reference_pages(project: Project) -> dict[str, str]:
    """The generated pages other than the print view: {uri: Markdown}.

    Rendered once per loaded project: the checks (for link validation) and
    the hooks (to add the pages to the build) share the result."""
    cached = project.__dict__.get("_reference_pages")
    if cached is None:
        cached = {
            REGISTER_URI: register_page(project),
            COVERAGE_URI: coverage_page(project),
            CASE_INDEX_URI: case_index_page(project),
            GLOSSARY_URI: glossary_page(project),
            WHATS_NEW_URI: whats_new_page(project),
            LAW_URI: law_page(project),
            **{uri: law_sources_page(project, uri) for uri, _, _ in LAW_SOURCES_PAGES},
            LAW_CHANGES_URI: law_changes_page(project, LAW_CHANGES_URI),
            LAW_CHANGES_OLDER_URI: law_changes_page(project, LAW_CHANGES_OLDER_URI),
            LAW_ON_A_DATE_URI: law_on_a_date_page(project),
        }
        for item_id in project.items:
            cached[item_uri(item_id)] = item_page(project, item_id)
        for case_id in project.case_study_ids:
            cached[case_uri(case_id)] = case_study_page(project, case_id)
        project.__dict__["_reference_pages"] = cached
    return cached


def generated_pages(project: Project, print_order: list[str] | None = None) -> dict[str, str]:
    """Every generated page, the print view included (in `print_order`)."""
    order = print_order or [p.uri for p in project.pages if p.uri != "index.md"]
    return {**reference_pages(project), PRINT_URI: print_page(project, order)}


# ---------------------------------------------------------------------------
# The law as data: offence tables generated from provisions.yml
# ---------------------------------------------------------------------------



def long_date(value) -> str:
    return f"{value.day} {value:%B %Y}"


def _period(maximum, first: bool, only: bool) -> str:
    """'For offences committed on or after ...' for one period of maxima
    ('' for the only period of an offence, which covers every offence since
    it came into force). `first`: the period that starts when the offence
    came into force, so "before" its end says it all."""
    start, end = maximum.committed_from, maximum.committed_before
    if only and end is None:
        return ""
    if end is None:
        return f"For offences committed on or after {long_date(start)}" if start is not None else ""
    if first or start is None:
        return f"For offences committed before {long_date(end)}"
    return f"For offences committed on or after {long_date(start)} and before {long_date(end)}"


def maxima_text(offence) -> str:
    """The mode of trial and the maxima of one offence, newest period first,
    as sentences: "Either way. For offences committed on or after 3 April
    2017: on indictment, 10 years' imprisonment; on summary conviction, ..."."""
    out = [offence.mode_of_trial[0].upper() + offence.mode_of_trial[1:] + "."]
    periods = list(enumerate(offence.maxima))
    for index, period in reversed(periods):
        if offence.mode_of_trial in ("summary only", "indictable only"):
            parts = [period.on_summary_conviction or period.on_indictment or ""]
        else:
            parts = [f"on {how}, {getattr(period, field)}" for how, field in
                     (("indictment", "on_indictment"), ("summary conviction", "on_summary_conviction")) if getattr(period, field)]
        text = "; ".join(p for p in parts if p)
        if not text:
            continue
        when = _period(period, index == 0, len(periods) == 1)
        sentence = f"{when}: {text}" if when else text[0].upper() + text[1:]
        out.append(sentence.rstrip(".") + ".")
    return " ".join(out)


def in_force_text(provision) -> str:
    """When a provision came into force, for the tables: "From 25 November
    2012", "Not in force (checked 7 December 2026)", or, where the day it
    came into force could not be found, "In force by 7 December 2026 (the
    day it came into force was not found)"."""
    from .model import NOT_IN_FORCE

    start = provision.in_force_from
    if start is None:
        text = f"In force by {long_date(provision.in_force_by)} (the day it came into force was not found)"
    elif start == NOT_IN_FORCE:
        text = f"Not in force (checked {long_date(provision.read_on)})"
    else:
        text = f"From {long_date(start)}"
    if provision.in_force_to:
        text += f"; until {long_date(provision.in_force_to)}"
    if provision.where:
        text += f" ({provision.where})"
    return text


def offence_rows(project: Project, table: str) -> list:
    """(act id, Act, section key, Provision, Offence) for each offence that
    provisions.yml lists in `table`, in the order of the file."""
    return [
        (act_id, act, key, provision, offence)
        for act_id, act in project.law.acts.items()
        for key, provision in act.provisions.items()
        for offence in provision.offences
        if table in offence.tables
    ]


def offence_tables(project: Project) -> set[str]:
    return {t for act in project.law.acts.values() for p in act.provisions.values() for o in p.offences for t in o.tables}


def _offence_cells(act, key, provision, offence) -> list[str]:
    """Offence (linked), what must be proved, mode and maxima, alternative
    verdicts, in force."""
    from .law import label

    cite = f"{act.cite_as or act.title + ','} {label(key)}{offence.subsection or ''}"
    return [
        f"{offence.name}, [{cite}]({act.address(key)})",
        offence.elements or "See the provision",
        maxima_text(offence),
        offence.alternative_verdicts or "None",
        in_force_text(provision),
    ]


def offence_table(project: Project, table: str) -> str:
    """A Markdown table of the offences in one table of provisions.yml: the
    offence and its provision (linked to legislation.gov.uk), what must be
    proved, mode of trial and maximum by period, alternative verdicts, and
    when it came into force. Maxima are stated here and nowhere else."""
    rows = offence_rows(project, table)
    alternatives = any(o.alternative_verdicts for *_, o in rows)
    head = ["Offence", "What must be proved", "Mode of trial and maximum"]
    head += ["Alternative verdicts"] if alternatives else []
    head += ["In force"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for act_id, act, key, provision, offence in rows:
        cells = _offence_cells(act, key, provision, offence)
        if not alternatives:
            cells = cells[:3] + cells[4:]
        out.append("| " + " | ".join(one_line(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out) + "\n"


def penalty_table(project: Project, tables: list[str]) -> str:
    """A shorter table for sentencing: each offence in the given tables of
    provisions.yml with its mode of trial and maxima by period."""
    seen, rows = set(), []
    for table in tables:
        for row in offence_rows(project, table):
            if id(row[4]) not in seen:
                seen.add(id(row[4]))
                rows.append(row)
    out = ["| Offence | Mode of trial and maximum | In force |", "|---|---|---|"]
    for act_id, act, key, provision, offence in rows:
        cells = _offence_cells(act, key, provision, offence)
        out.append("| " + " | ".join(one_line(c).replace("|", "\\|") for c in (cells[0], cells[2], cells[-1])) + " |")
    return "\n".join(out) + "\n"


def _cells(cells) -> str:
    return "| " + " | ".join(one_line(c).replace("|", "\\|") for c in cells) + " |"


def law_page(project: Project) -> str:
    """The table of provisions, the rules that depend on the date of
    conviction, and the table of cases, for readers: every provision and case
    the guidance relies on, linked to its text, with when it came into force
    (or that it is not in force, as at the day that was checked, or a day by
    which it was in force where the day it came in could not be found). Where and
    when each was read is on law_sources_page, one link per Act away, which
    keeps this page within the first-visit budget."""
    from .law import label
    from .model import NOT_IN_FORCE

    def in_force(provision) -> str:
        if provision.in_force_from == NOT_IN_FORCE or provision.in_force_from is None:
            text = in_force_text(provision)
        else:
            text = long_date(provision.in_force_from)
            if provision.in_force_to:
                text += f"; until {long_date(provision.in_force_to)}"
            if provision.where:
                text += f" ({provision.where})"
        if provision.commenced_by:
            text += f". Commenced by {provision.commenced_by}"
        return text

    out = [
        _front("Provisions and cases", "Every Act, section and case this guidance relies on, with a link to its text."),
        "# Provisions and cases\n",
        "This page lists every provision and every case the guidance relies on, with a link to the text.",
        "For each provision it gives when it came into force, or that it is not in force as at the day that was checked.",
        f"The pages \"Where the law data was read\" ({law_sources_links(LAW_URI)}) give for each provision the sources read, when, and notes on how the dates were found; each case below gives its own.",
    ]
    out.append("Where the day a provision came into force could not be found, it says so and gives a day on which it is known to be in force.")
    out += [
        "The offence tables in the guidance are built from the same list.",
        f"The [changes in the law]({rel(LAW_CHANGES_URI, LAW_URI)}) since 2017 are listed on pages of their own (from {LAW_CHANGES_SPLIT_YEAR}, and [2017 to {LAW_CHANGES_SPLIT_YEAR - 1}]({rel(LAW_CHANGES_OLDER_URI, LAW_URI)})).\n",
        "## Provisions\n",
    ]
    for act_id, act in project.law.acts.items():
        if not act.provisions:
            continue
        home = f"https://www.legislation.gov.uk/{act.legislation}" if act.legislation else act.url
        heading = law_on_a_date.act_heading(act, act_id)
        out.append(f"### {heading}\n")
        links = [f"[The text of the {'Act' if act.legislation else 'document'}]({home})"] if home else []
        links.append(f"[where each provision was read]({rel(law_sources_uri(act), LAW_URI)}#{law_on_a_date._slug(heading)})")
        out.append("; ".join(links) + "\n")
        out += ["| Provision | Heading | In force | Offence created |", "|---|---|---|---|"]
        for key, provision in act.provisions.items():
            offences = "; ".join(o.name for o in provision.offences)
            out.append(_cells([f"[{label(key)}]({act.address(key)})", provision.heading or "", in_force(provision), offences]))
        out.append("")
    rules = project.law.provisions.conviction_rules if project.law.provisions else []
    if rules:
        out += ["## Rules that depend on the date of conviction\n",
                "These rules turn on the day the offender was convicted, not the day of the offence.\n"]
        for rule in rules:
            out.append(conviction_rule_table(project, rule.id, LAW_URI, level=3))
    out += ["## Cases\n", "| Case | Citation | Court and date | What it decided | Judgment |", "|---|---|---|---|---|"]
    for case in project.law.cases.cases if project.law.cases else []:
        decided = case.decided if case.checked else case.decided + " (Not yet checked against the judgment.)"
        judgment = f"[Read the judgment]({case.judgment})" if case.judgment else "No public copy found"
        if case.source:
            judgment += "; read at " + sources_text([case.source] if isinstance(case.source, str) else list(case.source), case.read_on)
        out.append(_cells([case.name, case.citation, f"{case.court}, {long_date(case.date)}", decided, judgment]))
    out.append("")
    return "\n".join(out)


def law_sources_uri(act) -> str:
    """Which of the "Where the law data was read" pages (LAW_SOURCES_PAGES)
    holds an Act: by the year its title ends with; an Act or document with no
    year goes on the last. Several pages, because the notes and sources of
    every provision on one page move more than the first-visit budget (100 KB
    compressed)."""
    year = re.search(r"(\d{4})$", act.title)
    for uri, first, _ in LAW_SOURCES_PAGES:
        if first is None or (year and int(year.group(1)) >= first):
            return uri
    return LAW_SOURCES_OLDER_URI


def law_sources_links(from_uri: str, leave_out: str = "") -> str:
    """Links to the "Where the law data was read" pages, newest first, from
    the page `from_uri`, without `leave_out`: "[Acts from 2020](...), ..."."""
    return ", ".join(f"[{what}]({rel(uri, from_uri)})" for uri, _, what in LAW_SOURCES_PAGES if uri != leave_out)


def law_sources_page(project: Project, uri: str) -> str:
    """One of the pages that say where and when each provision in the law
    data was read, with the notes on how its dates and maxima were found: the
    audit trail behind "Provisions and cases" (which keeps each case's
    sources), one table per Act under the heading that page gives it, so it
    links to each Act's table. `uri`: one of LAW_SOURCES_PAGES."""
    from .law import label

    what = next(w for u, _, w in LAW_SOURCES_PAGES if u == uri)
    title = f"Where the law data was read: {what}"
    out = [
        _front(title, "The sources read for every provision the guidance relies on, and when."),
        f"# {title}\n",
        f"This page shows, for each provision on [Provisions and cases]({rel(LAW_URI, uri)}), the addresses that were read and the day they were read.",
        "The notes say how each date and maximum was found, and anything a reader should know about the source.",
        "Use it to check a statement of the law for yourself, or to repeat the check at the next review.",
        f"The other Acts are on pages of their own: {law_sources_links(uri, leave_out=uri)}.\n",
    ]
    for act_id, act in project.law.acts.items():
        if not act.provisions or law_sources_uri(act) != uri:
            continue
        out += [f"## {law_on_a_date.act_heading(act, act_id)}\n", "| Provision | Notes | Read at |", "|---|---|---|"]
        for key, provision in act.provisions.items():
            read = sources_text(provision.sources, provision.read_on) if provision.sources else "Not recorded"
            out.append(_cells([f"[{label(key)}]({act.address(key)})", provision.note or "", read]))
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Rules by date of conviction (provisions.yml, conviction_rules)
# ---------------------------------------------------------------------------


def conviction_rule_on(project: Project, rule_id: str, convicted) -> str:
    """What one conviction rule says for a conviction on `convicted` (a
    date), in a sentence: the rule of the period that covers the day, or what
    applied before the first period. Raises KeyError for an unknown id."""
    rule = project.law.conviction_rules[rule_id]
    period = rule.on(convicted)
    if period is not None:
        return period.rule
    first = min(p.convicted_from for p in rule.periods if p.convicted_from)
    if convicted < first:
        return rule.before_first or f"Not recorded for convictions before {long_date(first)}"
    return "Not recorded for that date"


def conviction_rule_table(project: Project, rule_id: str, page_uri: str, level: int = 0, sources: bool = True) -> str:
    """A Markdown table of one rule in provisions.yml's conviction_rules:
    one row per period of conviction dates, newest first, with what applies
    and what set it; then what applied before the first period, the
    provisions, and the sources read. `level`: a heading of that level with
    the rule's title (0: none, for a page that has its own heading).
    `sources`: list the addresses read (the law page); otherwise (the macro,
    on a guidance page) link to the rule on the law page, which lists them.
    Raises KeyError for an unknown id."""
    rule = project.law.conviction_rules[rule_id]
    out = [f"{'#' * level} {rule.title} {{#rule-{rule.id}}}\n"] if level else []
    out.append(one_line(rule.applies_to) + "\n")
    out += ["| Convicted | What applies | Set by |", "|---|---|---|"]
    periods = sorted((p for p in rule.periods if p.convicted_from), key=lambda p: p.convicted_from, reverse=True)
    for period in periods:
        if period.convicted_before:
            span = f"On or after {long_date(period.convicted_from)} and before {long_date(period.convicted_before)}"
        else:
            span = f"On or after {long_date(period.convicted_from)}"
        cells = [span, period.rule, period.changed_by or ""]
        out.append("| " + " | ".join(one_line(c).replace("|", "\\|") for c in cells) + " |")
    if periods and rule.before_first:
        out.append("| " + " | ".join(one_line(c).replace("|", "\\|") for c in [f"Before {long_date(periods[-1].convicted_from)}", rule.before_first, ""]) + " |")
    out.append("")
    tail = []
    if rule.provisions:
        tail.append("Provisions: " + ", ".join(provision_link(project, r, page_uri) for r in rule.provisions) + ".")
    if rule.note:
        tail.append(one_line(rule.note))
    if sources and rule.sources:
        tail.append("Read at " + sources_text(rule.sources, rule.read_on) + ".")
    elif not sources:
        tail.append(f"[Where and when this was read]({rel(LAW_URI + '#rule-' + rule.id, page_uri)}).")
    return "\n".join(out + ([" ".join(tail) + "\n"] if tail else []))


# ---------------------------------------------------------------------------
# The register of changes in the law (law-changes.yml)
# ---------------------------------------------------------------------------


def provision_link(project: Project, ref: str, from_uri: str) -> str:
    """A provision named as in law-changes.yml ("SA2020 s.224"), linked to
    its text; the reference as written if provisions.yml lacks it."""
    from .law import label

    found = project.law.resolve(ref)
    if found is None:
        return ref
    act_id, key = found
    act = project.law.acts[act_id]
    return f"[{act.cite_as or act.title + ','} {label(key)}]({act.address(key)})"


def sources_text(sources: list[str], read_on) -> str:
    """"[address](address), [address](address) (read 7 December 2026)"."""
    links = ", ".join(f"[{re.sub(r'^https://(www[.])?', '', s)}]({s})" for s in sources)
    return links + (f" (read {long_date(read_on)})" if read_on else "")


def change_status(change) -> str:
    """"Not in force" or "Not confirmed in force", for a change with no date."""
    return "Not confirmed in force" if change.in_force == "not confirmed" else "Not in force"


def change_in_force(change) -> str:
    if change.in_force_date is None:
        return f"{change_status(change)} as at {long_date(change.checked_on)}"
    return long_date(change.in_force_date)


def law_change_statement(project: Project, change_id: str, page_uri: str) -> str:
    """What the guidance says about one change in law-changes.yml, for a page
    (the law_change macro): its `position`, on one line so that it can stand
    in a list item or a box, then a link to its entry on "Changes in the
    law", which gives the instrument, the status and the sources read.
    Raises KeyError for an unknown id, ValueError for one with no position."""
    changes = {c.id: c for c in (project.law.changes.changes if project.law.changes else [])}
    change = changes[change_id]
    if not change.position:
        raise ValueError(f"change '{change_id}' in law-changes.yml has no position to show")
    checked = change.checked_on or change.read_on
    link = f"[Sources and status, checked {long_date(checked)}]({rel(change_page(change) + '#' + change.id, page_uri)})"
    return f"{one_line(change.position)} ({link}.)"


def change_page(change) -> str:
    """The page that lists a change of law-changes.yml: LAW_CHANGES_OLDER_URI
    for a change in force before LAW_CHANGES_SPLIT_YEAR, else LAW_CHANGES_URI
    (a change not in force, or not confirmed, included)."""
    date = change.in_force_date
    return LAW_CHANGES_OLDER_URI if date is not None and date.year < LAW_CHANGES_SPLIT_YEAR else LAW_CHANGES_URI


def law_changes_page(project: Project, uri: str = LAW_CHANGES_URI) -> str:
    """One of the two "Changes in the law" pages (`uri`: LAW_CHANGES_URI or
    LAW_CHANGES_OLDER_URI, see change_page): its entries of law-changes.yml,
    newest first, grouped by the year each came into force (changes not yet in
    force first). Each says what changed, the instrument, when it came into
    force (or that it is not in force, as at the day that was checked), which
    cases it applies to, the provisions and pages it affects, and the source
    read."""
    titles = {p.uri: p.title for p in project.pages}
    titles.update({case_uri(m.id): f"Case study {m.id}" for _, m in project.case_study_ids.values()})
    changes = [c for c in (project.law.changes.changes if project.law.changes else []) if change_page(c) == uri]
    first = LAW_CHANGES_SPLIT_YEAR
    if uri == LAW_CHANGES_URI:
        out = [
            _front("Changes in the law", "Changes in the law this guidance covers since the 2017 inspection, newest first, with when each applies."),
            "# Changes in the law\n",
            f"This page lists the changes in the law that this guidance covers, newest first: those not yet in force and those in force from {first}.",
            f"Changes in force from 2017 to {first - 1} are on [Changes in the law, 2017 to {first - 1}]({rel(LAW_CHANGES_OLDER_URI, uri)}).",
        ]
    else:
        out = [
            _front(f"Changes in the law, 2017 to {first - 1}", f"Changes in the law this guidance covers that came into force from the 2017 inspection to {first - 1}, newest first."),
            f"# Changes in the law, 2017 to {first - 1}\n",
            f"This page lists the changes in the law that this guidance covers that came into force from the 2017 inspection to the end of {first - 1}, newest first.",
            f"Later changes, and those not yet in force, are on [Changes in the law]({rel(LAW_CHANGES_URI, uri)}).",
        ]
    out += [
        "Each entry says when the change came into force, which cases it applies to, and which pages of the guidance it affects.",
        "A change that is not in force, or whose commencement we could not confirm at a primary source, says so, with the date that was checked.",
        f"For every provision the guidance relies on, see [Provisions and cases]({rel(LAW_URI, uri)}).\n",
    ]
    pending = [c for c in changes if c.in_force_date is None]
    dated = sorted((c for c in changes if c.in_force_date is not None), key=lambda c: c.in_force_date, reverse=True)
    groups = [("Not in force, or not confirmed in force", pending)] if pending else []
    for change in dated:
        year = str(change.in_force_date.year)
        if not groups or groups[-1][0] != year:
            groups.append((year, []))
        groups[-1][1].append(change)
    for heading, entries in groups:
        out.append(f"## {heading}\n")
        for change in entries:
            when = change_in_force(change) if change.in_force_date else change_status(change)
            out.append(f"### {when}: {one_line(change.title)} {{#{change.id}}}\n")
            if change.summary:
                out.append(one_line(change.summary) + "\n")
            rows = [
                ("Instrument", one_line(change.instrument) + (f" (made or passed {long_date(change.made)})" if change.made else "")),
                ("In force", change_in_force(change)),
                ("Applies", one_line(change.applies)),
            ]
            if change.position:
                rows.append(("What the guidance says", one_line(change.position)))
            if change.provisions:
                rows.append(("Provisions", ", ".join(provision_link(project, r, uri) for r in change.provisions)))
            if change.pages:
                rows.append(("Pages affected", ", ".join(f"[{titles.get(p, p)}]({rel(p, uri)})" for p in change.pages)))
            rows.append(("Source", sources_text(change.sources, change.read_on)))
            out += [f"- **{name}:** {value}" for name, value in rows]
            out.append("")
    if not changes:
        out.append("No changes have been recorded yet.\n")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# The "Law on a date" page (macros/law_on_a_date.py holds its data): what a
# reader without JavaScript sees, and the form the script shows
# ---------------------------------------------------------------------------

def _lod_long(value) -> str:
    return long_date(value) if isinstance(value, dt.date) else str(value)


def _lod_cell(text) -> str:
    return one_line(str(text or "")).replace("|", "\\|")


def _lod_period_words(start, end) -> str:
    if start in (None, "unverified"):
        start_words = "From a date not yet confirmed"
    else:
        start_words = f"From {_lod_long(start)}"
    if end is None:
        return start_words + " onwards"
    if end == "unverified":
        return start_words + " to a date not yet confirmed"
    return f"{start_words} to {_lod_long(end - dt.timedelta(days=1))}"


LAW_ON_A_DATE_FORM = """<div class="law-date" id="law-date-tool" hidden>
<form class="law-date__form" id="law-date-form" method="get">
<p class="law-date__field"><label for="law-date-offence">Date of the offence</label>
<span class="law-date__hint" id="law-date-offence-hint">For a course of conduct, its last day.</span>
<input type="date" id="law-date-offence" name="offence" aria-describedby="law-date-offence-hint" required></p>
<p class="law-date__field"><label for="law-date-conviction">Date of conviction (optional)</label>
<span class="law-date__hint" id="law-date-conviction-hint">Leave it empty if there is none yet.</span>
<input type="date" id="law-date-conviction" name="conviction" aria-describedby="law-date-conviction-hint"></p>
<p><button type="submit" class="md-button md-button--primary">Show the law on these dates</button></p>
</form>
<p class="law-date__summary" id="law-date-summary" role="status" aria-live="polite"></p>
<div id="law-date-result"></div>
</div>
"""


def law_on_a_date_page(project: Project) -> str:
    """The page's Markdown: what it does and does not decide, the form (shown
    by the script), and every period of every provision as tables."""
    URI = LAW_ON_A_DATE_URI
    info = law_on_a_date.data(project)
    when = _lod_long(dt.date.fromisoformat(info["as_at"])) if info["as_at"] else "the date shown on each provision"
    earliest = _lod_long(dt.date.fromisoformat(info["earliest"])) if info["earliest"] else None
    out = [
        _front("Law on a date", "The offences, maxima and orders that applied on the date of an offence, and what the date of conviction changes."),
        "# Law on a date\n",
        "Give the date of the offence, and the date of conviction if there is one.",
        "The page shows, for each offence and order in this guidance, whether it was in force on that date, its mode of trial, its maxima, the alternative verdicts, and what the date of conviction changes.",
        "For a course of conduct, give its last day.",
        "For the 2017 increase in the maxima for PHA ss.4 and 4A and CDA s.32, the Policing and Crime Act 2017, s.175(4), treats a course of conduct over two or more days as committed on the last of them; for other changes, check the changing provision's own rule.",
        "The address of the answer holds the dates, so you can bookmark it or paste it into a file note.\n",
        '!!! warning "What this page does not decide"',
        f"    The law data is as at {when}." + (f" It covers dates from {earliest}." if earliest else ""),
        "    It does not decide whether conduct is one course of conduct or several, when an offence was committed, or which offence to charge.",
        "    A date the data does not record is shown as not confirmed, never guessed: check the text on legislation.gov.uk for that date.",
        "    Each row links to the text of the provision as it stood on the date you give.\n",
        LAW_ON_A_DATE_FORM,
        "## Every period of every provision\n",
        "These tables hold everything the page works from, for every date the data covers.",
        f"Where each provision was read is on the pages \"Where the law data was read\": {law_sources_links(URI)}.\n",
    ]
    for row in info["rows"]:
        out.append(f"### {row['cite']}: {row['name']} {{#{row['id']}}}\n")
        facts = [("In force", _lod_in_force_words(row))]
        if row.get("where"):
            facts.append(("Where", row["where"]))
        if row["kind"] == "offence":
            facts.append(("Mode of trial", row["mode"]))
            facts.append(("Alternative verdicts", row.get("alt") or "None recorded"))
        else:
            facts.append(("Order", _lod_order_words(row)))
        links = [f"[the text]({row['url']})", f"[Provisions and cases]({rel(row['entry'].split('#')[0].rstrip('/') + '.md', URI)}#{row['entry'].split('#')[1]}){{ .law-entry }}"]
        if row.get("guide"):
            page_part, _, anchor = row["guide"].partition("#")
            links.append(f"[the guidance]({rel(page_part.rstrip('/') + '.md', URI)}{'#' + anchor if anchor else ''}){{ .law-guide }}")
        facts.append(("Read", ", ".join(links)))
        out += [f"- **{name}:** {_lod_cell(value) if name != 'Read' else value}" for name, value in facts]
        out.append("")
        if row["kind"] == "offence":
            out += ["| Offences committed | On indictment | On summary conviction | Set by |", "|---|---|---|---|"]
            for period in row["periods"]:
                start = dt.date.fromisoformat(period["from"]) if _lod_is_date(period["from"]) else period["from"]
                end = dt.date.fromisoformat(period["before"]) if _lod_is_date(period["before"]) else period["before"]
                cells = [_lod_period_words(start, end), _lod_value(row, period, "ind"), _lod_value(row, period, "sum"), period.get("by") or ""]
                out.append("| " + " | ".join(_lod_cell(c) for c in cells) + " |")
            out.append("")
    if info["rules"]:
        out.append("## What the date of conviction changes\n")
        for rule in info["rules"]:
            out.append(f"### {rule['title']}\n")
            out.append(_lod_cell(rule["applies_to"]) + "\n")
            out += ["| Convictions | What applies |", "|---|---|"]
            for period in rule["periods"]:
                start = dt.date.fromisoformat(period["from"]) if _lod_is_date(period["from"]) else None
                end = dt.date.fromisoformat(period["before"]) if _lod_is_date(period["before"]) else None
                out.append(f"| {_lod_cell(_lod_period_words(start, end))} | {_lod_cell(period['rule'])} |")
            out.append("")
    return "\n".join(out)


def _lod_is_date(value) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d\d-\d\d", str(value or "")))


def _lod_value(row, period, field) -> str:
    text = period.get(field)
    if text == "unverified":
        return "Not confirmed: check the current position"
    if text:
        return text
    if field == "ind" and row["mode"] == "summary only":
        return "Not triable on indictment"
    if field == "sum" and row["mode"] == "indictable only":
        return "Not triable summarily"
    return "Not recorded"


def _lod_in_force_words(row) -> str:
    start = row["from"]
    if start == "unverified":
        text = "Commencement not confirmed: check the current position"
    elif start == "not in force":
        text = "Not in force" + (f" (checked {_lod_long(dt.date.fromisoformat(row['checked']))})" if row.get("checked") else "")
    else:
        text = f"From {_lod_long(dt.date.fromisoformat(start))}"
    if row.get("to") == "unverified":
        text += "; until a date not yet confirmed"
    elif row.get("to"):
        text += f"; until {_lod_long(dt.date.fromisoformat(row['to']) - dt.timedelta(days=1))}"
    return text


def _lod_order_words(row) -> str:
    made = {"on conviction": "Made on conviction", "on acquittal": "Made on acquittal",
            "on application": "Made on application, whether or not anyone is prosecuted"}[row["order"]]
    if row.get("decided_from") and row.get("decided_before"):
        return f"{made}, for decisions from {_lod_long(dt.date.fromisoformat(row['decided_from']))} to {_lod_long(dt.date.fromisoformat(row['decided_before']) - dt.timedelta(days=1))}"
    if row.get("decided_before"):
        return f"{made}, for decisions before {_lod_long(dt.date.fromisoformat(row['decided_before']))}"
    if row.get("decided_from"):
        return f"{made}, for decisions on or after {_lod_long(dt.date.fromisoformat(row['decided_from']))}"
    return made
