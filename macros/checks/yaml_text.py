"""Text kept in YAML that the site renders as Markdown: the title and summary
of each whats-new.yml entry; each register item's title, summary, addressee
and commitments, and each theme's label (recommendations.yml); and the title,
summary and outcome in a case study's front matter.

The raw-HTML rules for pages (html_safety._HTMLScanner: the allow-list, no
event handlers or inline styles, no javascript:, vbscript: or data: URLs)
apply to these texts too, and macros are not run in them. Every problem is
reported at the line of the YAML file that holds the text, never on the
generated page (which the editor cannot open): `relocate` moves the problems
the parse finds on a generated page (a broken link in a summary) there too.

Inputs: the project index. Output: problems. Nothing is read from disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..load import SafeLoader, split_front_matter
from ..model import Location, Problem
from ..project import Project
from .catalogue import problem
from ..markdown_faults import ADDRESS
from .html_safety import UNSAFE_URL, _HTMLScanner

INLINE_CODE = re.compile(r"(`+).+?\1", re.S)
LINK_URL = re.compile(r"\]\(\s*<?\s*([^)\s>]+)")
ATTR_LIST = re.compile(r"\{:?([^{}]*)\}")
ATTR = re.compile(r"([A-Za-z_:][-\w:.]*)\s*=")
MACRO = re.compile(r"\{\{<?.*?>?\}\}", re.S)
# A text that holds none of these cannot break the rules: most texts are
# skipped without a second parse of their file.
SUSPECT = re.compile(r"[<{]|\]\(|://|www\.", re.I)
# An autolink (<https://...>, <mailto:...>, <name@example.org>): a link, not raw HTML.
AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^<>\s]+>|<[^<>\s@]+@[^<>\s]+>", re.I)
# What is a link already: a link's address, an autolink.
LINKED = re.compile(r"\]\([^)]*\)|<(?:https?://|mailto:)[^<>\s]+>", re.I)


@dataclass
class Text:
    path: str
    field: str  # for the message, e.g. "entries.0.summary"
    value: str
    lines: list[str]  # the source lines that hold it
    first: int  # the line number of lines[0]

    def line_of(self, snippet: str) -> int:
        """The line of the source that holds `snippet` (or the text's first line)."""
        for offset, line in enumerate(self.lines):
            if snippet and snippet in line:
                return self.first + offset
        return self.first


def _scalars(text: str, first_line: int, wanted) -> list[tuple[tuple, str, int, int]]:
    """(path, value, start line, end line) of every string scalar whose path
    `wanted(path)` accepts, in a YAML document whose first line is `first_line`."""
    try:
        root = yaml.compose(text, Loader=SafeLoader)  # libyaml: marks as the pure-Python loader gives them
    except yaml.YAMLError:
        return []
    out = []

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                walk(value, path + (index,))
        elif isinstance(node, yaml.ScalarNode) and wanted(path):
            end = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)
            out.append((path, node.value, first_line + node.start_mark.line, first_line + max(end, node.start_mark.line)))

    if root is not None:
        walk(root, ())
    return out


def _texts_of(path: str, source: str, first_line: int, wanted) -> list[Text]:
    lines = source.splitlines()
    return [
        Text(path, ".".join(str(p) for p in key), str(value), lines[start - first_line: end - first_line + 1], start)
        for key, value, start, end in _scalars(source, first_line, wanted)
    ]


def rendered_texts(project: Project, everything: bool = False) -> list[Text]:
    """The YAML texts rendered as Markdown. Unless `everything`, only those
    that hold a character the rules look for."""
    out: list[Text] = []
    files = []
    changelog = project.changelog
    if changelog is not None and changelog.text:
        files.append((changelog.path, changelog.text, 1,
                      lambda p: len(p) == 3 and p[0] == "entries" and p[2] in ("title", "summary")))
    register = project.register_source
    if register is not None and register.text:
        files.append((register.path, register.text, 1,
                      lambda p: (p[:1] == ("items",) and p[-1] in ("title", "summary", "addressee", "text"))
                      or (p[:1] == ("themes",) and p[-1] == "label")))
    for page in project.case_studies:
        if page.front:
            files.append((page.path, page.front, 2, lambda p: len(p) == 1 and p[0] in ("title", "summary", "outcome")))
    for path, source, first, wanted in files:
        if everything or SUSPECT.search(source):
            out += [t for t in _texts_of(path, source, first, wanted) if everything or SUSPECT.search(t.value)]
    return out


def check_yaml_text(project: Project) -> list[Problem]:
    """Raw HTML, unsafe links, attribute lists and macros in YAML texts that
    are rendered as Markdown, each at its line in the YAML file."""
    out = []
    for text in rendered_texts(project):
        where = f"'{text.field}'"
        value = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text.value)  # code is shown as written
        for match in MACRO.finditer(value):
            out.append(problem("macro-syntax", text.path, text.line_of(match.group(0)[:12]),
                               f"{where} cannot use macros ('{match.group(0)}'): they are not run in this text",
                               "Remove the macro; link to the page with an ordinary Markdown link instead"))
        value = MACRO.sub(" ", value)
        if not text.path.startswith("case_studies/"):  # in a case study an address is personal data
            for match in ADDRESS.finditer(LINKED.sub(" ", value)):
                address = match.group(0)
                bare = address.split("://", 1)[-1]
                out.append(problem("bare-address", text.path, text.line_of(address),
                                   f"{where} has '{address}', which would be published as plain text, not as a link",
                                   f"Write it as a link, <https://{bare}> or [what it is](https://{bare})"))
        scanner = _HTMLScanner(where)
        scanner.feed(AUTOLINK.sub(" ", value))
        scanner.close()
        for _, code, message, fix, snippet in scanner.found:
            out.append(problem(code, text.path, text.line_of(snippet), message, fix))
        for match in LINK_URL.finditer(value):
            url = match.group(1)
            if text.path.startswith("case_studies/") and not UNSAFE_URL.match(url):
                # Shown on the case study's own page and in its box on each
                # guidance page, in different folders: no relative link is
                # right on both, and an outside address is personal data's.
                out.append(problem("link-in-front-matter", text.path, text.line_of(url[:20]),
                                   f"{where} has a link ('{url}'): the text is shown on the case study's page and in its "
                                   "box on guidance pages, which are in different folders, so the link cannot work on both",
                                   "Remove the link from the front matter; put it in the body of the case study"))
                continue
            if UNSAFE_URL.match(url):
                scheme = url.split(":", 1)[0].strip().lower()
                out.append(problem("javascript-url", text.path, text.line_of(url[:20]),
                                   f"{where} has a link with a {scheme}: URL", "Remove it"))
        for match in ATTR_LIST.finditer(value):
            for name in ATTR.findall(match.group(1)):
                if name.lower().startswith("on"):
                    out.append(problem("event-handler", text.path, text.line_of(name),
                                       f"{where} has an inline event handler '{name}='", "Remove the attribute"))
                elif name.lower() == "style":
                    out.append(problem("html-not-allowed", text.path, text.line_of(name),
                                       f"{where} has an inline style, which the content security policy blocks",
                                       "Remove it; use a class from the site's stylesheet instead"))
    return out


GENERATED = "(generated) "
# Problems about what a text links to: the parse finds them wherever the text
# is shown (a case study's summary is shown on its page and in its box on a
# guidance page), but the fix is in the YAML.
LINK_CODES = {"broken-link", "broken-anchor", "unstable-anchor", "insecure-link", "unknown-provision"}
QUOTED = re.compile(r"'([^']+)'")


def relocate(project: Project, problems: list[Problem]) -> list[Problem]:
    """Problems the parse found in YAML text, moved to its line in the YAML
    file: any problem on a generated page whose line shows the text (a
    broken link in a whats-new summary), and a link problem whose link is in
    one YAML text only and not in the body of the file it was found in (a
    link in a case study's summary, found on its page or its box)."""
    if not any(p.location.path.startswith(GENERATED) or p.code in LINK_CODES for p in problems):
        return problems
    from .. import render

    pages = render.reference_pages(project)
    bodies = {page.path: split_front_matter(page.text)[1] for page in project.pages + project.case_studies}
    texts = rendered_texts(project, everything=True)
    out = []
    for p in problems:
        uri = p.location.path.removeprefix(GENERATED)
        quoted = QUOTED.findall(p.message)
        origin = None
        if p.location.path.startswith(GENERATED) and uri in pages:
            body = split_front_matter(pages[uri])[1].splitlines()
            line = body[p.location.line - 1] if 0 < p.location.line <= len(body) else ""
            origin = next((t for t in texts if len(t.value) > 3 and " ".join(t.value.split()) in line), None)
        if origin is None and p.code in LINK_CODES and quoted and quoted[0] not in bodies.get(p.location.path, quoted[0]):
            holding = [t for t in texts if quoted[0] in t.value]
            origin = holding[0] if len(holding) == 1 else None
        if origin is not None:
            p = Problem(p.code, Location(origin.path, origin.line_of(quoted[0] if quoted else "")), p.message, p.fix, p.severity)
        out.append(p)
    return out
