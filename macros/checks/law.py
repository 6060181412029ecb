"""The law as data: every citation of a section resolves to an Act and to a
provision in provisions.yml, every case named in prose is in cases.yml, and
both files keep their schema.

The citations and case names are the ones the build's Markdown pipeline sees
(macros/citations.py), so text in code, or inside a link, is not checked;
each is mapped back to its source line by searching forward from the last
one found.
"""

from __future__ import annotations

import difflib
import re

from .. import render
from ..citations import findings_for
from ..law import CHANGES, Citation, label
from ..model import Problem, SourcePage
from ..project import Project
from .catalogue import problem
from .common import law_unreadable


def check_law_data(project: Project) -> list[Problem]:
    """provisions.yml and cases.yml keep their schema; default_act names an Act."""
    law = project.law
    out = [
        problem("law-data", name, line, message, fix)
        for name, line, message, fix in law.errors
    ]
    out += [problem("law-period", name, line, message, fix) for name, line, message, fix in law.period_errors]
    out += [problem("law-data", name, line, message, fix) for name, line, message, fix in law.rule_errors]
    if law_unreadable(project):
        return out  # provisions.yml could not be read: no page's default_act is "not an Act" because of it
    for page in project.pages + project.case_studies:
        act = page.meta.get("default_act") if isinstance(page.meta, dict) else None
        if act is not None and act not in law.acts:
            out.append(problem(
                "law-data", page.path, _field_line(page, "default_act"),
                f"default_act '{act}' is not an Act in provisions.yml{_did_you_mean(str(act), law.acts)}",
                f"Use an id from provisions.yml (known: {', '.join(sorted(law.acts)) or 'none'})",
            ))
    return out


def check_law_changes(project: Project) -> list[Problem]:
    """law-changes.yml keeps its schema, and each change's `pages`,
    `reflected_in` and `provisions` name pages and provisions that exist
    (with a "did you mean"); a page in `reflected_in` is also in `pages`."""
    law = project.law
    out = [problem("law-changes", name, line, message, fix) for name, line, message, fix in law.change_errors]
    if law.changes is None or law.errors:
        return out
    unknowns = list(_unknowns(project))
    lines = law.change_source.lines if unknowns and law.change_source is not None else {}
    for index, field, position, value, options, fix in unknowns:
        line = _line_at(lines, ("changes", index, field, position), ("changes", index, field))
        out.append(problem(
            "law-changes", CHANGES, line,
            f"change '{law.changes.changes[index].id}': {field} names '{value}', which {options[0]}{_did_you_mean(str(value), options[1])}",
            fix,
        ))
    return out


def check_law_change_calls(project: Project) -> list[Problem]:
    """One source of truth for what the guidance says about a change: every
    law_change() call names a change that has a `position`, and every page in
    the `reflected_in` of a change with a `position` shows it with
    law_change("id"), so that no page words the position its own way (the
    calls as the parse found them, so never a call shown in code)."""
    law = project.law
    if law.changes is None or law.change_errors or law.errors:
        return []  # reported by check_law_changes and check_law_data
    lines = law.change_source.lines if law.change_source is not None else {}
    changes = law.changes.changes
    positioned = {c.id for c in changes if c.position}
    pages = {p.uri: p for p in project.pages}  # case studies cannot call macros
    shown: dict[str, set[str]] = {}
    out = []
    for uri, page in pages.items():
        for call in page.calls:
            if call.error or call.name != "law_change" or len(call.args) != 1:
                continue  # a call with no id or several is macro-syntax
            shown.setdefault(uri, set()).update(call.args)
            for change_id in [a for a in call.args if a not in positioned]:
                out.append(problem(
                    "law-changes", page.path, call.line,
                    f"law_change('{change_id}') names no change with a position in {CHANGES}{_did_you_mean(change_id, positioned)}",
                    f"Use the id of one change that has a position (known: {', '.join(sorted(positioned)) or 'none'}), or give the change a position",
                ))
    for index, change in enumerate(changes):
        if not change.position:
            continue
        for position, uri in enumerate(change.reflected_in):
            if uri in pages and change.id not in shown.get(uri, set()):
                out.append(problem(
                    "law-changes", CHANGES, _line_at(lines, ("changes", index, "reflected_in", position), ("changes", index, "reflected_in")),
                    f"change '{change.id}' has a position, but {uri}, in its reflected_in, does not show it, so the page may say something else",
                    f"Put {{{{< law_change(\"{change.id}\") >}}}} on a line of its own where {uri} states the position, in place of the page's own words",
                ))
    return out


def _unknowns(project: Project):
    """(index, field, position, value, (what is wrong, options), fix) for
    each name in law-changes.yml that does not resolve."""
    law = project.law
    pages = [p.uri for p in project.pages] + [render.case_uri(m.id) for _, m in project.case_study_ids.values()]
    for index, change in enumerate(law.changes.changes if law.changes else []):
        for field in ("pages", "reflected_in"):
            for position, uri in enumerate(getattr(change, field)):
                if uri not in pages:
                    yield index, field, position, uri, ("is not a page of the guidance", pages), "Name a page as its path in docs/, for example sentencing.md, or a case study as case-studies/cs-05.md"
                elif field == "reflected_in" and uri not in change.pages:
                    yield index, field, position, uri, ("is not in its pages", []), f"Add {uri} to the change's pages too"
        for position, ref in enumerate(change.provisions):
            if law.resolve(ref) is None:
                yield index, "provisions", position, ref, ("is not a provision in provisions.yml", law.provision_refs()), "Write it as the Act's id in provisions.yml and the section, for example 'SA2020 s.224'; add the provision first if it is missing"


def check_law_as_at(project: Project) -> list[Problem]:
    """A page that a change in law-changes.yml affects (`pages`) must state
    the law as at the day the change came into force or later, unless the
    change is recorded as reflected in it (`reflected_in`). Reported at the
    page's law_as_at line. A change not yet in force is not compared."""
    law = project.law
    if law.changes is None or law.change_errors:
        return []
    by_uri = {p.uri: p for p in project.pages}
    out = []
    for change in law.changes.changes:
        start = change.in_force_date
        if start is None:
            continue
        for uri in change.pages:
            page = by_uri.get(uri)
            meta = project.page_meta(page) if page is not None else None
            if meta is None or uri in change.reflected_in or meta.law_as_at >= start:
                continue
            out.append(problem(
                "law-as-at", page.path, _field_line(page, "law_as_at"),
                f"the page states the law as at {meta.law_as_at.isoformat()}, but '{change.id}' in {CHANGES} "
                f"({change.instrument}) came into force on {start.isoformat()} and is not recorded as reflected in it",
                f"Bring the page up to date for the change, then set law_as_at to the day you checked it and add {uri} to the change's reflected_in",
            ))
    return out


def _line_at(lines: dict, *paths) -> int:
    for path in paths:
        if path in lines:
            return lines[path]
    return 1


def check_table_calls(project: Project) -> list[Problem]:
    """offence_table() and penalty_table() name tables in provisions.yml, and
    conviction_rule() one rule of its conviction_rules
    (the calls as the parse found them, so never a call shown in code)."""
    out = []
    if law_unreadable(project):
        return out  # provisions.yml could not be read (law-data says why): no table is "unknown" because of it
    tables = render.offence_tables(project)
    rules = project.law.conviction_rules
    for page in project.pages:
        for call in page.calls:
            if not call.error and call.name == "conviction_rule":
                for rule in [a for a in call.args if a not in rules] or ([] if len(call.args) == 1 else [""]):
                    out.append(problem(
                        "law-data", page.path, call.line,
                        f"conviction_rule('{rule}') names no rule in provisions.yml's conviction_rules{_did_you_mean(rule, rules)}",
                        f"Use one id from conviction_rules (known: {', '.join(sorted(rules)) or 'none'})",
                    ))
                continue
            if call.error or call.name not in ("offence_table", "penalty_table"):
                continue
            for table in [a for a in call.args if a not in tables] or ([] if call.args else [""]):
                out.append(problem(
                    "law-data", page.path, call.line,
                    f"{call.name}('{table}') names no table in provisions.yml{_did_you_mean(table, tables)}",
                    f"Use a table that an offence in provisions.yml lists under 'tables' (known: {', '.join(sorted(tables)) or 'none'})",
                ))
    return out


def check_citations(project: Project) -> list[Problem]:
    """Every section cited resolves to a provision in provisions.yml; every
    case named is in cases.yml. Returns every problem, with file and line."""
    law = project.law
    if law.errors:
        return []  # reported by check_law_data; the tables cannot be trusted
    out = []
    for page in project.pages + project.case_studies:
        default = page.meta.get("default_act") if isinstance(page.meta, dict) else None
        if default not in law.acts:
            default = None
        lines = page.text.splitlines()
        cursor = (page.body_start - 1, 0)
        # The findings of the parse that rendered the page (one parse per
        # build); a parse of our own only when the page was not rendered.
        found = page.facts.law_findings if page.facts is not None else findings_for(project, page, default)
        if not any(_is_problem(f) for f in found):
            continue  # lines are worked out only for a page with a problem (each finding's line depends on the ones before)
        for finding in found:
            number, cursor = _line_of(lines, finding.raw, cursor, page.body_start - 1)
            if finding.kind == "case":
                if finding.case is None:
                    out.append(problem(
                        "unknown-case", page.path, number,
                        f"the case '{finding.raw}' is not in cases.yml{_did_you_mean(finding.raw, law.case_names)}",
                        "Correct the name, or add the case to cases.yml with its citation, court, date, what it decided and a link to the judgment",
                    ))
                continue
            if finding.foreign:
                named = f" (for example '{law.acts[default].cite_as or default} {finding.raw}')" if default else ""
                out.append(problem(
                    "unknown-provision", page.path, number,
                    f"'{finding.raw}' here belongs to {_the(finding.foreign)}, which is not in provisions.yml"
                    f"{_near_title(finding.foreign, law)}, so the build cannot link it to its text",
                    "Add the Act and the section to provisions.yml, checked on legislation.gov.uk, with source: and read_on:, "
                    f"so the build links it to the right text; if it is a section of an Act in provisions.yml, name that Act in front of it{named}",
                ))
                continue
            if finding.act is None:
                out.append(problem(
                    "unresolved-citation", page.path, number,
                    f"'{finding.raw}' names no Act: none is named before it in its paragraph, and the page has no default_act",
                    f"Name the Act (for example 'PHA {finding.raw}'), or add 'default_act: PHA' (an id from provisions.yml) to the front matter",
                ))
                continue
            act = law.acts[finding.act]
            for key in finding.unknown:
                near = law.suggest(finding.act, key)
                hint = f" (did you mean {' or '.join(label(k) for k in near)}?)" if near else ""
                how = {"default": " (the page's default_act)", "after": "", "before": ""}.get(finding.how, "")
                out.append(problem(
                    "unknown-provision", page.path, number,
                    f"'{finding.raw}' cites {act.title}{how}, {label(key)}, which is not in provisions.yml{hint}",
                    "Correct the citation, or name the right Act before it; if it is right, add the provision to provisions.yml, checked on legislation.gov.uk",
                ))
    return out


def check_case_study_offences(project: Project) -> list[Problem]:
    """Each entry of a case study's `offences:` names an Act and a section
    that is in provisions.yml, for example "PHA 1997 s.4A(1)(b)(ii)"."""
    law = project.law
    if law.errors:
        return []
    out = []
    for page in project.case_studies:
        offences = page.meta.get("offences") if isinstance(page.meta, dict) else None
        if not isinstance(offences, list):
            continue  # the front-matter check reports it
        line = _field_line(page, "offences")
        for entry in offences:
            events, _ = law.scan(str(entry), None, None)
            found = [e for e in events if isinstance(e, Citation)]
            if not found or any(c.act is None for c in found):
                out.append(problem(
                    "unresolved-citation", page.path, line,
                    f"the offence '{entry}' does not name an Act and a section that the site knows",
                    "Write it as the Act and the section, for example 'PHA 1997 s.4A(1)(b)(ii)'",
                ))
                continue
            for citation in found:
                for item in law.unknown_items(citation):
                    near = law.suggest(citation.act, item.key)
                    hint = f" (did you mean {' or '.join(label(k) for k in near)}?)" if near else ""
                    out.append(problem(
                        "unknown-provision", page.path, line,
                        f"the offence '{entry}' cites {law.acts[citation.act].title}, {label(item.key)}, which is not in provisions.yml{hint}",
                        "Correct the citation; if it is right, add the provision to provisions.yml, checked on legislation.gov.uk",
                    ))
    return out


LEGISLATION_LINK = re.compile(
    r"^https://(?:www\.)?legislation\.gov\.uk/((?:ukpga|uksi)/(?:\d{4}|[A-Za-z0-9]+/[\d-]+)/\d+)/(section|schedule)/(\w+)"
)


def check_legislation_links(project: Project, facts: dict) -> list[Problem]:
    """A link written by hand to a section on legislation.gov.uk must point
    to a provision in provisions.yml, so that the table of provisions (and
    its commencement dates) covers every provision the guidance relies on.
    The "Changes in the law", "Provisions and cases" and the two "Where the
    law data was read" pages are left out:
    they are built from the law data, and their other links are the sources
    recorded there, where a reader can see what was read."""
    law = project.law
    if law.errors:
        return []
    by_path = {act.legislation: act_id for act_id, act in law.acts.items() if act.legislation}
    out = []
    for uri, page in facts.items():
        if uri in (render.PRINT_URI, render.LAW_CHANGES_URI, render.LAW_CHANGES_OLDER_URI, render.LAW_URI, render.LAW_SOURCES_URI, render.LAW_SOURCES_MIDDLE_URI, render.LAW_SOURCES_OLDER_URI):
            continue
        for link in page.links:
            match = LEGISLATION_LINK.match(link.target)
            if not match:
                continue
            path, kind, number = match.groups()
            key = number if kind == "section" else f"Sch {number}"
            act_id = by_path.get(path)
            if act_id is None:
                out.append(problem(
                    "unknown-provision", page.path, link.line,
                    f"the link '{link.target}' is to an Act that is not in provisions.yml",
                    "Add the Act and the provision to provisions.yml, checked on legislation.gov.uk, or correct the link",
                ))
            elif key not in law.acts[act_id].provisions:
                near = law.suggest(act_id, key)
                hint = f" (did you mean {' or '.join(label(k) for k in near)}?)" if near else ""
                out.append(problem(
                    "unknown-provision", page.path, link.line,
                    f"the link '{link.target}' is to {law.acts[act_id].title}, {label(key)}, which is not in provisions.yml{hint}",
                    "Add the provision to provisions.yml, checked on legislation.gov.uk, or correct the link",
                ))
    return out


def _near_title(title: str, law) -> str:
    """" (did you mean ...?)" for a title that is a known Act's but for a
    letter or two ("Protection From Harassment Act 1997")."""
    close = difflib.get_close_matches(title.lower(), {a.title.lower(): a for a in law.acts.values()}, n=1, cutoff=0.9)
    titles = {a.title.lower(): a.title for a in law.acts.values()}
    return f" (did you mean the {titles[close[0]]}?)" if close else ""


def _the(title: str) -> str:
    """'the Criminal Procedure (Insanity) Act 1964' from the title as found."""
    return title if title.startswith("the ") else f"the {title}"


def _is_problem(finding) -> bool:
    return (finding.case is None) if finding.kind == "case" else (finding.act is None or bool(finding.unknown))


def _line_of(lines: list[str], raw: str, cursor: tuple[int, int], body: int) -> tuple[int, tuple[int, int]]:
    """(1-based line, new cursor) of the next occurrence of `raw` (not inside
    a longer word: "s.2" is not found in "paras.2") at or after the cursor
    (line index, column); failing that, the first in the body; failing that
    (a citation split across lines), its first word."""
    for needle in (raw, raw.split()[0] if raw.split() else raw):
        pattern = re.compile(r"(?<![\w.])" + re.escape(needle))
        for start_line, start_col in (cursor, (body, 0)):
            for index in range(start_line, len(lines)):
                found = pattern.search(lines[index], start_col if index == start_line else 0)
                if found:
                    return index + 1, (index, found.end())
    return cursor[0] + 1, cursor


def _did_you_mean(value: str, options) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _field_line(page: SourcePage, name: str) -> int:
    for offset, line in enumerate(page.front.splitlines()):
        if line.startswith(f"{name}:"):
            return offset + 2
    return 1
