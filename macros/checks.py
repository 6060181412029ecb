"""Checks: pure functions that take the project index and return every problem
they find, never just the first.

Each problem has a stable code from CODES, a file and line, what is wrong and
a one-sentence fix. CONTRIBUTING.md lists the same codes (a test keeps the two
in step). Nothing here reads files or writes output.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from collections import Counter, defaultdict
from html.parser import HTMLParser

from pydantic import ValidationError

from . import render
from .load import parse_page
from .model import CASE_STUDY_HEADINGS, CaseStudyMeta, Changelog, Location, PageMeta, Problem, SourcePage
from .project import Project

# The catalogue. Code -> what it means. Keep CONTRIBUTING.md in step.
CODES: dict[str, str] = {
    "register-yaml": "recommendations.yml is not valid YAML.",
    "register-schema": "An entry in recommendations.yml breaks the register schema.",
    "duplicate-id": "Two register items, commitments, themes or case studies share an id.",
    "front-matter": "A page's or case study's front matter breaks its schema.",
    "unknown-item": "A section or case study names an id that is not in the register.",
    "uncovered-item": "No section of the guidance delivers a register item.",
    "missing-fingerprint": "An id in addresses() has no @fingerprint.",
    "suspect-link": "A register item was reworded since the section was reviewed against it.",
    "misplaced-addresses": "addresses() is not the first line under a heading.",
    "macro-syntax": "A macro call cannot be read.",
    "unknown-macro": "A macro name that the site does not provide.",
    "old-delimiters": "A macro written with plain double braces, which readers would see as raw text.",
    "unknown-case-study": "case_study() names a case study that does not exist.",
    "unused-case-study": "A case study is not used on any guidance page.",
    "missing-heading": "A case study lacks one of the fixed headings, or has them out of order.",
    "unknown-theme": "A case study uses a theme that is not in the register's theme list.",
    "broken-link": "A link points to a page that does not exist.",
    "broken-anchor": "A link points to a heading that does not exist on the target page.",
    "insecure-link": "An external link uses http instead of https.",
    "personal-data": "A case study contains something that looks like personal data.",
    "script-tag": "Raw HTML contains a script element.",
    "event-handler": "Raw HTML contains an inline event handler such as onclick=.",
    "javascript-url": "A link or attribute uses a javascript: URL.",
    "embedded-content": "Raw HTML embeds an iframe, object or embed element.",
    "external-form": "Raw HTML contains a form that posts to another site.",
    "html-not-allowed": "Raw HTML uses a tag that is not on the allow-list.",
    "undefined-abbreviation": "An abbreviation is used but not defined in includes/abbreviations.md.",
    "changelog": "whats-new.yml is not valid or breaks its schema.",
    "review-overdue": "A page is past its review date (a warning: it does not block the build).",
    "sentence-per-line": "A line of prose holds more than one sentence (a warning: it does not block the build).",
}
# Codes that are reported but never fail `make check` or the build.
WARNINGS = {"review-overdue", "sentence-per-line"}

KNOWN_MACROS = ("addresses", "case_study")
FINGERPRINT = re.compile(r"^[0-9a-f]{6}$")


def problem(code: str, path: str, line: int, message: str, fix: str) -> Problem:
    assert code in CODES, code
    return Problem(code, Location(path, line), message, fix, "warning" if code in WARNINGS else "error")


def known_ids(project: Project) -> str:
    recs = [i for i in project.items if i.startswith("R")]
    finds = [i for i in project.items if i.startswith("F")]
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else r[0] for r in (recs, finds) if r]
    return ", ".join(parts) or "none"


def field_line(page: SourcePage, name: str) -> int:
    """The line of a front-matter field (or the first line of the front matter)."""
    for offset, line in enumerate(page.front.splitlines()):
        if re.match(rf"^{re.escape(name)}\s*:", line):
            return offset + 2
    return 1


def schema_problems(page: SourcePage, model, what: str) -> list[Problem]:
    out = [
        problem("front-matter", page.path, 1, message, "Fix the front matter between the two '---' lines")
        for _, message in page.meta_error
    ]
    if page.meta_error:
        return out
    if not page.front:
        return [
            problem(
                "front-matter", page.path, 1, f"the {what} has no front matter",
                f"Start the file with a '---' block holding: {', '.join(f for f, i in model.model_fields.items() if i.is_required())}",
            )
        ]
    try:
        model.model_validate(page.meta)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            if error["type"] == "missing":
                out.append(problem("front-matter", page.path, 1, f"the field '{name}' is missing",
                                   f"Add a line '{name}: ...' to the front matter ({model.model_fields[name].description or 'see CONTRIBUTING.md'})"))
            elif error["type"] == "extra_forbidden":
                allowed = ", ".join(model.model_fields)
                out.append(problem("front-matter", page.path, field_line(page, name), f"the field '{name}' is not allowed",
                                   f"Remove it or correct the spelling (allowed: {allowed})"))
            else:
                message = error["msg"].removeprefix("Value error, ")
                out.append(problem("front-matter", page.path, field_line(page, name), f"the field '{name}' is invalid: {message}",
                                   f"Correct '{name}' ({model.model_fields[name].description or 'see CONTRIBUTING.md'})"))
    return out


# ---------------------------------------------------------------------------
# The register
# ---------------------------------------------------------------------------


def check_register(project: Project) -> list[Problem]:
    source = project.register_source
    if source.error:
        line, message = source.error
        return [problem("register-yaml", source.path, line, f"the register cannot be read: {message}",
                        "Check the indentation and quoting on that line")]
    out = []
    for error in project.register_errors:
        loc = tuple(error["loc"])
        line = source.lines.get(loc) or source.lines.get(loc[:-1]) or 1
        where = ".".join(str(p) for p in loc)
        out.append(problem("register-schema", source.path, line, f"'{where}': {error['msg']}",
                           "Correct the entry; the schema is in schema/register.schema.json"))
    if project.register is None:
        return out
    for label, values in (
        ("item", [(i.id, ("items", n, "id")) for n, i in enumerate(project.register.items)]),
        ("commitment", [(c.id, ("items", n, "commitments", m, "id")) for n, i in enumerate(project.register.items) for m, c in enumerate(i.commitments)]),
        ("theme", [(t.id, ("themes", n, "id")) for n, t in enumerate(project.register.themes)]),
    ):
        counts = Counter(v for v, _ in values)
        for value, loc in values:
            if counts[value] > 1:
                out.append(problem("duplicate-id", source.path, source.lines.get(loc, 1),
                                   f"the {label} id '{value}' is used {counts[value]} times",
                                   "Give each one its own id"))
    for n, item in enumerate(project.register.items):
        for m, c in enumerate(item.commitments):
            if not c.id.startswith(item.id + "."):
                out.append(problem("register-schema", source.path, source.lines.get(("items", n, "commitments", m, "id"), 1),
                                   f"commitment '{c.id}' sits under {item.id}", f"Number it {item.id}.1, {item.id}.2 and so on"))
    return out


def check_changelog(project: Project) -> list[Problem]:
    source = project.changelog
    if source is None:
        return []
    if source.error:
        line, message = source.error
        return [problem("changelog", source.path, line, f"whats-new.yml cannot be read: {message}",
                        "Check the indentation and quoting on that line")]
    try:
        Changelog.model_validate(source.data)
    except ValidationError as exc:
        return [
            problem("changelog", source.path, source.lines.get(tuple(e["loc"]), source.lines.get(tuple(e["loc"][:-1]), 1)),
                    f"'{'.'.join(str(p) for p in e['loc'])}': {e['msg']}",
                    "Each entry needs a date (YYYY-MM-DD), a title, a summary and optionally pages")
            for e in exc.errors()
        ]
    return []


# ---------------------------------------------------------------------------
# Guidance pages: front matter, macros and traceability
# ---------------------------------------------------------------------------


def check_pages(project: Project) -> list[Problem]:
    out = []
    for page in project.pages:
        out += schema_problems(page, PageMeta, "guidance page")
    return out


def check_macros(project: Project) -> list[Problem]:
    out = []
    for page in project.pages + project.case_studies:
        for call in page.calls:
            if call.error == "old-delimiters":
                out.append(problem("old-delimiters", page.path, call.line,
                                   f"'{call.raw}' uses plain {{{{ }}}}, so readers would see it as raw text",
                                   "Write the macro as {{< name(...) >}}"))
            elif page in project.case_studies:
                out.append(problem("macro-syntax", page.path, call.line, f"case studies cannot use macros ('{call.raw}')",
                                   "Remove the macro; link to a page with an ordinary Markdown link instead"))
            elif call.error:
                out.append(problem("macro-syntax", page.path, call.line, f"'{call.raw}': {call.error}",
                                   'Write it like {{< addresses("R3@3d0885") >}} or {{< case_study("CS-01") >}}'))
            elif call.name not in KNOWN_MACROS:
                out.append(problem("unknown-macro", page.path, call.line, f"there is no macro called '{call.name}'",
                                   f"Use one of: {', '.join(KNOWN_MACROS)}"))
            elif not call.args:
                out.append(problem("macro-syntax", page.path, call.line, f"'{call.raw}' has no ids",
                                   "Give at least one id in quotes"))
    return out


def check_references(project: Project) -> list[Problem]:
    out = []
    items = project.items
    for ref in project.references:
        item = items.get(ref.item)
        if item is None:
            out.append(problem("unknown-item", ref.path, ref.line,
                               f"addresses '{ref.item}', which is not in recommendations.yml (known: {known_ids(project)})",
                               "Correct the id, or add the item to recommendations.yml"))
        elif ref.fingerprint is None:
            out.append(problem("missing-fingerprint", ref.path, ref.line,
                               f"'{ref.item}' in section '{ref.section}' has no fingerprint",
                               f"Read the section against {ref.item} and write it as \"{ref.item}@{item.fingerprint}\""))
        elif ref.fingerprint != item.fingerprint:
            out.append(problem("suspect-link", ref.path, ref.line,
                               f"section '{ref.section}' was reviewed against an older wording of {ref.item} "
                               f"(fingerprint {ref.fingerprint}, now {item.fingerprint})",
                               f"Re-read the section against {ref.item} as now worded in recommendations.yml; "
                               f"if it still delivers it, change \"{ref.item}@{ref.fingerprint}\" to \"{ref.item}@{item.fingerprint}\" by hand, "
                               f"otherwise remove {ref.item} from the line"))
    for page in project.pages:
        lines = page.text.splitlines()
        for call in page.calls:
            if call.name != "addresses" or call.error:
                continue
            previous = next((lines[n] for n in range(call.line - 2, -1, -1) if lines[n].strip()), "")
            if not previous.lstrip().startswith("#"):
                out.append(problem("misplaced-addresses", page.path, call.line,
                                   "addresses() must come straight after a section heading",
                                   "Move it to the first line under the heading of the section it describes"))
    return out


def check_coverage(project: Project) -> list[Problem]:
    out = []
    source = project.register_source
    for n, item in enumerate(project.register.items if project.register else []):
        if not project.references_to(item.id):
            out.append(problem("uncovered-item", source.path, source.lines.get(("items", n, "id"), 1),
                               f"{item.id} ('{item.title}') is not delivered by any section of the guidance",
                               f'Add {{{{< addresses("{item.id}@{item.fingerprint}") >}}}} under the heading of the section that delivers it'))
    return out


# ---------------------------------------------------------------------------
# Case studies
# ---------------------------------------------------------------------------


def check_case_studies(project: Project) -> list[Problem]:
    out = []
    ids: dict[str, list[SourcePage]] = defaultdict(list)
    for page in project.case_studies:
        out += schema_problems(page, CaseStudyMeta, "case study")
        meta = project.case_meta(page)
        if meta is None:
            continue
        ids[meta.id].append(page)
        expected = f"case-studies/{meta.id.lower()}.md"
        if page.uri != expected:
            out.append(problem("front-matter", page.path, field_line(page, "id"),
                               f"the id '{meta.id}' does not match the file name",
                               f"Rename the file to case_studies/{meta.id.lower()}.md or correct the id"))
        for item_id in meta.illustrates:
            if project.register and item_id not in project.items:
                out.append(problem("unknown-item", page.path, field_line(page, "illustrates"),
                                   f"illustrates '{item_id}', which is not in recommendations.yml (known: {known_ids(project)})",
                                   "Correct the id in 'illustrates'"))
        for theme in meta.themes:
            if project.register and theme not in project.themes:
                out.append(problem("unknown-theme", page.path, field_line(page, "themes"),
                                   f"the theme '{theme}' is not in the register",
                                   f"Use one of: {', '.join(project.themes)}"))
        titles = [(h.title, h.line) for h in page.headings if h.level == 2]
        found = [t for t, _ in titles]
        for heading in CASE_STUDY_HEADINGS:
            if heading not in found:
                out.append(problem("missing-heading", page.path, page.body_start,
                                   f"the heading '## {heading}' is missing",
                                   f"Add it; every case study has, in order: {', '.join(CASE_STUDY_HEADINGS)}"))
        present = [t for t in found if t in CASE_STUDY_HEADINGS]
        if present == [h for h in CASE_STUDY_HEADINGS if h in present] and len(present) == len(set(present)):
            continue
        out.append(problem("missing-heading", page.path, titles[0][1] if titles else 1,
                           "the fixed headings are out of order or repeated",
                           f"Put them in this order, once each: {', '.join(CASE_STUDY_HEADINGS)}"))
    for case_id, pages in ids.items():
        if len(pages) > 1:
            for page in pages:
                out.append(problem("duplicate-id", page.path, field_line(page, "id"),
                                   f"the case study id '{case_id}' is used by {len(pages)} files",
                                   "Give each case study its own id"))
    known = project.case_study_ids
    for use in project.uses:
        if use.case_study not in known:
            out.append(problem("unknown-case-study", use.path, use.line,
                               f"case_study('{use.case_study}') names a case study that does not exist "
                               f"(known: {', '.join(sorted(known)) or 'none'})",
                               "Correct the id, or add the case study to case_studies/"))
    for case_id, (page, _) in sorted(known.items()):
        if not project.uses_of(case_id):
            out.append(problem("unused-case-study", page.path, field_line(page, "id"),
                               f"{case_id} is not used on any guidance page",
                               f'Add {{{{< case_study("{case_id}") >}}}} to the section it illustrates, or remove the case study'))
    return out


# ---------------------------------------------------------------------------
# Links and anchors (the same rules MkDocs applies, but with line numbers)
# ---------------------------------------------------------------------------

EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def check_links(project: Project, generated: dict[str, str] | None = None) -> list[Problem]:
    """Every relative link in the sources (and in generated pages) must resolve."""
    generated = render.reference_pages(project) if generated is None else generated
    generated_pages = [parse_page(text, f"(generated) {uri}", uri) for uri, text in generated.items()]
    anchors = {p.uri: {h.anchor for h in p.headings} for p in project.pages + project.case_studies + generated_pages}
    # The print view repeats the chapters, whose links are checked at source:
    # it is a valid target but is not parsed again.
    for uri in list(generated) + [render.PRINT_URI]:
        anchors.setdefault(uri, set())
    out = []
    for page in project.pages + project.case_studies + generated_pages:
        for link in page.links:
            target = link.target
            if target.startswith("http://"):
                out.append(problem("insecure-link", page.path, link.line, f"'{target}' uses http",
                                   "Use the https address"))
                continue
            if EXTERNAL.match(target) or target.startswith("//"):
                continue
            path, _, anchor = target.partition("#")
            if not path:
                resolved = page.uri
            elif path.startswith("/"):
                out.append(problem("broken-link", page.path, link.line, f"the link '{target}' is absolute",
                                   "Write it relative to this file, for example '../pleas.md'"))
                continue
            else:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.uri), path))
            if resolved not in anchors:
                if path.endswith((".json", ".css", ".js", ".png", ".svg", ".pdf", ".zip")) or path.endswith("/"):
                    continue  # assets and directory links are checked in the built site
                near = _suggest(resolved, anchors)
                out.append(problem("broken-link", page.path, link.line,
                                   f"the link '{target}' points to '{resolved}', which does not exist",
                                   f"Correct the path{f'; did you mean {near!r}' if near else ''}"))
            elif anchor and anchor not in anchors[resolved]:
                near = _suggest(anchor, anchors[resolved], cutoff=0.5)
                out.append(problem("broken-anchor", page.path, link.line,
                                   f"the link '{target}' points to '#{anchor}', which is not a heading on '{resolved}'",
                                   f"Correct the anchor{f'; did you mean #{near}' if near else ''}, or link to the page without it"))
    return out


def _suggest(value: str, options, cutoff: float = 0.75) -> str | None:
    match = difflib.get_close_matches(value, list(options), n=1, cutoff=cutoff)
    return match[0] if match else None


# ---------------------------------------------------------------------------
# Personal data in case studies
# ---------------------------------------------------------------------------

MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
PERSONAL_DATA = [
    ("an email address", re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")),
    ("a postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")),
    ("a phone number", re.compile(r"(?:\+44\s?|\b0)(?:\d[\s-]?){8,9}\d\b")),
    ("a National Insurance number", re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")),
    ("a vehicle registration mark", re.compile(r"\b(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-Z])\b")),
    ("a date (possibly a date of birth)", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\s+\d{{2,4}}\b|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\b(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.I)),
    ("a date of birth", re.compile(r"\b(?:date of birth|d\.o\.b\.?|DOB|born on)\b", re.I)),
    ("a case reference", re.compile(r"\b(?:URN|case (?:ref|reference|number))\b\s*[:#]?\s*\w*\d", re.I)),
]
# Every pattern above needs a digit, an @ or a word about birth. Lines without
# one are skipped, which keeps the check fast enough to run in every build.
MAYBE_PERSONAL = re.compile(r"[\d@]|birth|d\.?o\.?b|born", re.I)
# Words that may start a sentence in any text.
FUNCTION_WORDS = set(
    "a an the this that these those he she it they we you i his her its their our your "
    "him them us me my mine after before when while then there here if but and or so yet "
    "as at by for from in into of on onto to with within without over under about "
    "no not none one two three four five six seven eight nine ten all both each every "
    "some many most few several other another such what which who whom whose why how "
    "later soon next first second third finally also again once during until since "
    "although though because because instead only even still".split()
)
ORDINARY_ENDING = re.compile(r"[a-z](?:ed|ing|ly|tion|ment|ness)$")
WORD = re.compile(r"[A-Z][a-z]+(?:['’][a-z]+)?")
SENTENCE_END = re.compile(r"[.!?:;]\s*$|^\s*$|[-*+]\s*$|^\s*\d+\.\s*$|[\"“(]\s*$")


def check_personal_data(project: Project, allowed: set[str]) -> list[Problem]:
    """Flag patterns of personal data, and capitalised words not on the allow-list.

    A capitalised word passes if it is on the allow-list
    (case_studies/allowed-words.txt), or if it starts a sentence (or a
    heading) and is an ordinary word: one the guidance also uses in lower
    case, a common function word, or one with an ordinary ending such as
    -ing or -ly. So "After" passes but "Smith" does not.
    """
    vocabulary = set()
    for page in project.pages + project.case_studies:
        vocabulary.update(re.findall(r"\b[a-z][a-z'’]+\b", page.text))
    out = []
    for page in project.case_studies:
        for number, line in _prose_lines(page):
            for kind, pattern in PERSONAL_DATA if MAYBE_PERSONAL.search(line) else ():
                for match in pattern.finditer(line):
                    out.append(problem("personal-data", page.path, number,
                                       f"'{match.group(0)}' looks like {kind}",
                                       "Remove it: case studies use no real or realistic identifiers (see the anonymisation rules)"))
            for match in WORD.finditer(line):
                word = re.sub(r"['’]s$", "", match.group(0))
                if word in allowed:
                    continue
                if SENTENCE_END.search(line[: match.start()]) and (
                    word.lower() in vocabulary or word.lower() in FUNCTION_WORDS or ORDINARY_ENDING.search(word)
                ):
                    continue  # an ordinary word that starts a sentence
                out.append(problem("personal-data", page.path, number,
                                   f"'{word}' may be a personal or place name",
                                   "Use a role label or initials instead (for example 'the victim', 'Mr A'); "
                                   "if it is an ordinary term, add it to case_studies/allowed-words.txt"))
    return out


LINK_TARGET = re.compile(r"\]\([^)]*\)")


def _prose_lines(page: SourcePage):
    """(line number, text) of the body and the free-text front-matter fields."""
    for offset, line in enumerate(page.front.splitlines()):
        if re.match(r"^(title|summary|outcome)\s*:", line):
            yield offset + 2, line.split(":", 1)[1]
    lines = page.text.splitlines()
    for number in range(page.body_start, len(lines) + 1):
        line = lines[number - 1]
        if line.lstrip().startswith("#"):
            line = line.lstrip("# ")
        yield number, LINK_TARGET.sub("]", line)  # ignore link targets


# ---------------------------------------------------------------------------
# Raw HTML that could run or load code, and abbreviations
# ---------------------------------------------------------------------------

# Harmless raw HTML an editor may use. Anything else is rejected.
ALLOWED_HTML = {"details", "summary", "abbr", "br", "sup", "sub", "kbd", "mark", "small", "span", "p", "div", "ins", "del", "dl", "dt", "dd"}
ALLOWED_ATTRIBUTES = {"class", "id", "title", "markdown", "lang", "open"}


class _HTMLScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str, str]] = []  # (line offset, code, message, fix)

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        if tag == "script":
            self.found.append((line, "script-tag", "the page contains a <script> element", "Remove it: content may not run code"))
        elif tag in ("iframe", "object", "embed"):
            self.found.append((line, "embedded-content", f"the page embeds content with <{tag}>", "Remove it and link to the content instead"))
        elif tag == "form":
            action = dict(attrs).get("action") or ""
            if EXTERNAL.match(action) or action.startswith("//"):
                self.found.append((line, "external-form", f"the page has a form that posts to '{action}'", "Remove the form"))
            else:
                self.found.append((line, "html-not-allowed", "the page has a <form>", "Remove it: guidance pages do not collect data"))
        elif tag not in ALLOWED_HTML:
            self.found.append((line, "html-not-allowed", f"<{tag}> is not on the allow-list of raw HTML",
                               f"Use Markdown instead (allowed tags: {', '.join(sorted(ALLOWED_HTML))})"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, "event-handler", f"<{tag}> has an inline event handler '{name}='", "Remove the attribute"))
            elif (value or "").strip().lower().startswith("javascript:"):
                self.found.append((line, "javascript-url", f"<{tag}> has a javascript: URL", "Remove it"))
            elif tag in ALLOWED_HTML and name not in ALLOWED_ATTRIBUTES:
                self.found.append((line, "html-not-allowed", f"the attribute '{name}' on <{tag}> is not allowed",
                                   f"Remove it (allowed attributes: {', '.join(sorted(ALLOWED_ATTRIBUTES))})"))

    handle_startendtag = handle_starttag


CODE_SPAN = re.compile(r"`+[^`]*`+")
JS_LINK = re.compile(r"\]\(\s*<?\s*javascript:", re.I)
TAG_START = re.compile(r"<[A-Za-z!/?]")  # how every tag, end tag or comment starts


def check_html(project: Project) -> list[Problem]:
    out = []
    for page in project.pages + project.case_studies:
        if not TAG_START.search(page.text) and "javascript:" not in page.text.lower():
            continue  # no tag and no script link: nothing to look at
        lines = page.text.splitlines()
        fenced = False
        prose = []
        for number, line in enumerate(lines, 1):
            if number < page.body_start:
                prose.append("")
                continue
            if re.match(r"^\s*(```|~~~)", line):
                fenced = not fenced
                prose.append("")
                continue
            prose.append("" if fenced else CODE_SPAN.sub("", line))
            if not fenced and JS_LINK.search(line):
                out.append(problem("javascript-url", page.path, number, "a link uses a javascript: URL", "Remove it"))
        scanner = _HTMLScanner()
        scanner.feed("\n".join(prose))
        scanner.close()
        out += [problem(code, page.path, line, message, fix) for line, code, message, fix in scanner.found]
    return out


NOT_PROSE = re.compile(r"\([^)]*\.md[^)]*\)|\{\{<.*?>\}\}|`[^`]*`")  # link targets, macros, code
ABBREVIATION = re.compile(r"\b[A-Z][A-Z]{2,}[a-z]?s?\b")  # two capitals are usually initials
CAPITALS = re.compile(r"[A-Z]{3}")


def check_abbreviations(project: Project) -> list[Problem]:
    """Every abbreviation used must be spelled out in the site glossary."""
    out, seen = [], set()
    for page in project.pages + project.case_studies:
        for number, line in _prose_lines(page) if page in project.case_studies else _page_lines(page):
            if not CAPITALS.search(line):
                continue  # an abbreviation has at least three capitals in a row
            for match in ABBREVIATION.finditer(NOT_PROSE.sub("", line)):
                term = match.group(0)
                base = term[:-1] if term.endswith("s") and term[:-1] in project.abbreviations else term
                if base in project.abbreviations or (page.path, term) in seen or _roman(term):
                    continue
                seen.add((page.path, term))
                out.append(problem("undefined-abbreviation", page.path, number,
                                   f"'{term}' is not in the glossary",
                                   f"Add a line '*[{term}]: what it stands for' to includes/abbreviations.md"))
    return out


def _page_lines(page: SourcePage):
    lines = page.text.splitlines()
    fenced = False
    for number in range(page.body_start, len(lines) + 1):
        line = lines[number - 1]
        if re.match(r"^\s*(```|~~~)", line):
            fenced = not fenced
        elif not fenced:
            yield number, line


def _roman(term: str) -> bool:
    return bool(re.fullmatch(r"[IVXL]+", term))


# ---------------------------------------------------------------------------
# Review dates
# ---------------------------------------------------------------------------


def check_reviews(project: Project, today: dt.date) -> list[Problem]:
    out = []
    for page in project.pages:
        meta = project.page_meta(page)
        if meta and meta.review_due < today:
            out.append(problem("review-overdue", page.path, field_line(page, "last_reviewed"),
                               f"the page was due for review on {meta.review_due.day} {meta.review_due:%B %Y} (owner: {meta.owner})",
                               "Ask the owner to review the page, then set last_reviewed to the date of that review"))
    return out


# ---------------------------------------------------------------------------
# One sentence per line (a warning)
# ---------------------------------------------------------------------------

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
        for number, line in _page_lines(page):
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


# ---------------------------------------------------------------------------
# All checks
# ---------------------------------------------------------------------------


def run_all(project: Project, today: dt.date) -> list[Problem]:
    """Every problem in the project, errors first, each sorted by file and line."""
    out = check_register(project)
    if project.register is None:
        return out
    out += check_changelog(project)
    out += check_pages(project)
    out += check_macros(project)
    out += check_references(project)
    out += check_coverage(project)
    out += check_case_studies(project)
    out += check_html(project)
    out += check_abbreviations(project)
    out += check_personal_data(project, project.allowed_words)
    out += check_links(project, render.reference_pages(project))
    out += check_reviews(project, today)
    out += check_sentences(project)
    return sorted(out, key=lambda p: (p.severity != "error", p.location.path, p.location.line, p.code))
