"""Prose: abbreviations in the glossary, one sentence per line (a warning),
and Markdown syntax that this site does not enable.

They read the lines of a guidance page outside the code blocks that the
Markdown parse found (common.page_lines, from PageFacts.code_lines), so they
run after the parse (checks.run_after_parse)."""

from __future__ import annotations

import re

from ..model import Problem
from ..project import Project
from .catalogue import problem
from .case_studies import identifiers
from .common import page_lines, prose_lines


NOT_PROSE = re.compile(r"\([^)]*\.md[^)]*\)|\{\{<.*?>\}\}|`[^`]*`|</?[A-Za-z][^>]*>")  # link targets, macros, code, HTML tags
# Three or more capitals as a word (two are usually initials). The check for
# no word character before it follows the first capital, so that the search
# can skip to capitals (the same as a leading \b, about twice as fast).
ABBREVIATION = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]{2,}[a-z]?s?\b")
CAPITALS = re.compile(r"[A-Z][A-Z][A-Z]")  # written out: faster than [A-Z]{3}


def check_abbreviations(project: Project) -> list[Problem]:
    """Every abbreviation used must be spelled out in the site glossary."""
    out, seen = [], set()
    for page in project.pages + project.case_studies:
        for number, line in page_lines(page) if project.is_guidance_page(page) else prose_lines(page):
            if not CAPITALS.search(line):
                continue  # an abbreviation has at least three capitals in a row
            for match in ABBREVIATION.finditer(NOT_PROSE.sub("", line)):
                term = match.group(0)
                base = term[:-1] if term.endswith("s") and term[:-1] in project.abbreviations else term
                if base in project.abbreviations or (page.path, term) in seen or _roman(term):
                    continue
                if not project.is_guidance_page(page) and any(term in found for found, _ in identifiers(line, project.abbreviations)):
                    continue  # a registration mark or a name in capitals: reported as personal data, never for the glossary
                seen.add((page.path, term))
                out.append(problem("undefined-abbreviation", page.path, number,
                                   f"'{term}' is not in the glossary",
                                   f"Add a line '*[{term}]: what it stands for' to includes/abbreviations.md"))
    return out


def check_abbreviation_file(project: Project) -> list[Problem]:
    """Every line of includes/abbreviations.md is a definition or blank: the
    file is appended to every page, so any other line (a definition without
    its colon, a stray sentence, a link) would be published at the foot of
    each page and reported against every page."""
    from ..project import ABBREVIATIONS

    out = []
    for number, text in project.abbreviation_errors:
        term = re.match(r"^\*\[([^\]]+)\]\s*:?\s*(.*)$", text)
        fix = (f"Did you mean '*[{term.group(1)}]: {term.group(2) or 'what it stands for'}'? Write each line so, or delete it"
               if term else "Write each line as '*[ABBR]: what it stands for', or delete the line")
        out.append(problem("abbreviation-syntax", ABBREVIATIONS, number,
                           f"'{text}' is not an abbreviation definition, so it would be printed at the foot of every page", fix))
    return out


def _roman(term: str) -> bool:
    return bool(re.fullmatch(r"[IVXL]+", term))

# A full stop, question or exclamation mark, then a space and a capital letter.
SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]*[A-Z])")

# Words that take a full stop without ending a sentence.
NOT_SENTENCE_END = {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "no", "v", "vs", "cf",
                    "para", "paras", "sch", "art", "reg", "pt", "s", "ss", "c", "ch", "vol", "st"}


def check_sentences(project: Project) -> list[Problem]:
    """One sentence per line in Markdown prose, so that a pull request shows
    exactly which sentence changed. A warning: it never blocks a fix."""
    out = []
    for page in project.pages + project.case_studies:
        for number, line in page_lines(page):
            if not SENTENCE_BREAK.search(line) or line.lstrip().startswith(("|", "<", "*[", "[")):
                continue  # one sentence; or a table, raw HTML, a link or abbreviation definition
            text = NOT_PROSE.sub("", line)
            for match in SENTENCE_BREAK.finditer(text):
                before = text[: match.start()]
                word = re.search(r"(\S+)$", before)
                token = word.group(1).lstrip("(*_\"“‘").lower() if word else ""
                if not token or token in NOT_SENTENCE_END or len(token) == 1 or re.search(r"(^\s*|[\"“(])\d+$", before):
                    continue  # an abbreviation, an initial or the number of a list item
                out.append(problem("sentence-per-line", page.path, number,
                                   "this line has more than one sentence",
                                   "Start each sentence on a new line (in a list item, indent it to line up "
                                   "with the text above); readers see no change, reviewers see which sentence changed"))
                break
    return out


# Content tabs (pymdownx.tabbed) are not in mkdocs.yml's markdown_extensions,
# so Python-Markdown leaves a tab's title line as text that readers would see.
CONTENT_TAB = re.compile(r'^\s*===[+!]?\s+"')


def check_unsupported_syntax(project: Project) -> list[Problem]:
    """Lines written in a Markdown syntax the site does not enable, which the
    build would publish as literal text: today, content tabs (`=== "Title"`).

    In: the loaded project. Out: an `unsupported-syntax` error for each such
    line outside fenced code."""
    out = []
    for page in project.pages + project.case_studies:
        for number, line in page_lines(page):
            if CONTENT_TAB.match(line):
                out.append(problem("unsupported-syntax", page.path, number,
                                   'content tabs (=== "Title") are not enabled on this site, so readers would see this line as text',
                                   'Use a heading for each part, or a collapsible box (??? note "Title") with the content indented under it'))
    return out
