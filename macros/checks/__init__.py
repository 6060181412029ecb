"""Checks: pure functions that take the project index and return every problem
they find, never just the first.

Each problem has a stable code from CODES, a file and line, what is wrong and
a one-sentence fix. CONTRIBUTING.md lists the same codes (a test keeps the two
in step). Nothing here reads files or writes output.

This module runs them (run_before_parse, run_after_parse, run_all); the one
catalogue of codes and problem() are in catalogue.py, below every check.
The checks live in modules by concern:

    links.py          links and anchors
    register.py       register, changelog, page front matter, macro calls, traceability, reviews
    case_studies.py   case studies and personal data
    html_safety.py    raw HTML that could run or load code
    files.py          files in docs/ that are neither pages nor assets
    yaml_text.py      the same rules for YAML text rendered as Markdown (whats-new.yml, ...)
    prose.py          abbreviations, one sentence per line, unsupported syntax
    sources.py        the files as files: encoding, snippet lines
    common.py         helpers they share
    catalogue.py      the codes (CODES, WARNINGS) and problem()
"""

from __future__ import annotations

import datetime as dt

from ..model import Problem
from ..project import Project

from .catalogue import CODES, WARNINGS, problem  # noqa: F401,E402  the catalogue (catalogue.py)

from .case_studies import check_case_studies, check_case_study_use, check_personal_data, check_unfilled_template  # noqa: E402
from .html_safety import check_html  # noqa: E402
from .law import check_case_study_offences, check_citations, check_law_as_at, check_law_change_calls, check_law_changes, check_law_data, check_legislation_links, check_table_calls  # noqa: E402
from .links import check_anchor_record, check_heading_ids, check_links, check_search_settings, check_unresolved, published_anchors  # noqa: E402
from .prose import check_abbreviation_file, check_abbreviations, check_sentences, check_unsupported_syntax  # noqa: E402
from .files import check_stray_files  # noqa: E402
from .yaml_text import check_yaml_text, relocate  # noqa: E402
from .sources import check_encoding, check_snippets  # noqa: E402
from .markdown import check_markdown_faults  # noqa: E402
from .common import unusable_sources  # noqa: E402
from .register import (  # noqa: E402
    MACROS_PLUGIN,
    check_changelog,
    check_coverage,
    check_expansions,
    check_macros,
    check_macros_plugin,
    check_nav,
    check_nav_entries,
    nav_guess,
    check_page_openings,
    check_redirects,
    check_pages,
    check_references,
    check_register,
    check_future_dates,
    check_reviews,
)


def run_before_parse(project: Project, today: dt.date) -> list[Problem]:
    """The checks that need no Markdown parse (a build runs them in on_config).
    A source that is not UTF-8 is reported alone: its other problems may be
    the bytes that could not be read."""
    out = check_encoding(project)
    if out:
        return _sorted(out)
    out = check_snippets(project)
    out += check_register(project)
    # An unreadable register hides nothing else: the checks below that need
    # it (a case study's themes and items) look for it themselves.
    out += check_changelog(project)
    out += check_pages(project)
    out += check_case_studies(project)
    out += check_personal_data(project, project.allowed_words)
    out += check_unfilled_template(project)
    out += check_abbreviation_file(project)
    out += check_yaml_text(project)
    out += check_stray_files(project)
    out += check_reviews(project, today)
    out += check_future_dates(project, today)
    out += check_law_data(project)
    out += check_law_changes(project)
    out += check_law_as_at(project)
    out += check_case_study_offences(project)
    out += check_redirects(project)
    return _sorted(out)


def run_after_parse(project: Project, facts: dict) -> list[Problem]:
    """The checks on what the parse found ({uri: pipeline.PageFacts}; the
    project has them attached): macro calls, traceability, raw HTML, links
    and anchors, and the prose checks, which skip the code blocks the parse
    found (a build runs them in on_env, before writing anything)."""
    out = check_macros(project)
    if not project.register_unreadable:  # else every id would be "unknown" (the register's own error says why)
        out += check_references(project)
        out += check_coverage(project)
    out += check_case_study_use(project)
    out += check_html(project)
    out += check_links(project, facts)
    out += check_search_settings(project, facts)
    out += check_heading_ids(facts)
    out += check_unresolved(project)
    out += check_anchor_record(project)
    out += check_citations(project)
    out += check_legislation_links(project, facts)
    out += check_table_calls(project)
    out += check_law_change_calls(project)
    # Prose: they skip the code blocks the parse found.
    out += check_abbreviations(project)
    out += check_sentences(project)
    out += check_unsupported_syntax(project)
    out += check_page_openings(project)
    out += check_markdown_faults(project, out)
    out += check_expansions(project, out)  # last: any call that failed and no check above reported
    return _sorted(relocate(project, out))


def without_consequences(project: Project, before: list[Problem], after: list[Problem]) -> list[Problem]:
    """One fault, one message. When the build goes on past errors found
    before the parse (stage.GO_ON_PAST), leave out of what the parse then
    found (`after`) what those errors cause: anything in a page or case
    study whose front matter has an error, and a case_study() call of a
    case study whose front matter cannot be used (common.unusable_sources);
    the front-matter error, reported before the parse, is the fault."""
    paths, ids = unusable_sources(project)
    paths |= {p.location.path for p in before if p.code == "front-matter" and p.severity == "error"}
    if not paths:
        return after
    calls = {(use.path, use.line) for use in project.uses if use.case_study in ids}
    return [p for p in after if p.location.path not in paths
            and not (p.code == "macro-syntax" and (p.location.path, p.location.line) in calls)]


def run_all(project: Project, today: dt.date) -> list[Problem]:
    """Every problem in a project whose pages have been parsed (see
    stage.check_site, which runs MkDocs' own reading stage to parse them),
    stopping, as the build does, after the first stage with an error."""
    out = run_before_parse(project, today)
    if any(p.severity == "error" for p in out) or project.register is None:
        return out
    return _sorted(out + run_after_parse(project, project.facts))


def _sorted(problems: list[Problem]) -> list[Problem]:
    """Errors first, each sorted by file and line."""
    return sorted(problems, key=lambda p: (p.severity != "error", p.location.path, p.location.line, p.code))
