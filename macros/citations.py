"""A Python-Markdown extension that links citations to their source.

In the rendered page, the first citation of each provision links to its text
on legislation.gov.uk, and the first mention of each case links to a public
copy of the judgment (cases.yml). Text already inside a link, in code or in a
heading is never linked. Every citation and case name the extension sees is
recorded on the Markdown instance (``md.law_findings``) so that the checks
report exactly what the build saw (check code ``unknown-provision``,
``unresolved-citation``, ``unknown-case``).

Registered in mkdocs.yml under ``markdown_extensions`` as
``macros.citations``, with the project root as ``root``. The page's
``default_act`` reaches it through ``set_page()``, which the hooks call
before each page renders, and the checks call before each source.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .law import CAPITAL_OR_DIGIT, ActMention, CaseName, Citation, label

# Blocks that are one "paragraph" for resolving a bare s.4A. A table row is
# one paragraph, so "PHA s.4 | ... | PHA s.2 (s.4(5))" resolves across cells.
BLOCKS = {"p", "li", "dt", "dd", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "summary"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Inline elements whose text is never scanned.
SKIP = {"a", "code", "pre", "kbd", "script", "style", "abbr"}
CELLS = {"td", "th"}
NESTED = {"ul", "ol", "table", "div", "blockquote", "details"}  # blocks scanned on their own


@dataclass
class Finding:
    """One citation or case name, as the build saw it."""

    kind: str  # "citation" or "case"
    raw: str
    act: str | None = None
    how: str = ""
    unknown: tuple = ()  # (key, ...) of sections not in provisions.yml
    case: object = None
    foreign: str | None = None  # the Act not in provisions.yml it belongs to (act is then None; never linked)


_PAGE = {"default_act": None}


def set_page(default_act: str | None) -> None:
    """Tell the extension the default Act of the page about to render."""
    _PAGE["default_act"] = default_act


def _law_of(root: str):
    from . import project as project_index

    return project_index.current(root).law


class CitationTreeprocessor(Treeprocessor):
    def __init__(self, md, law_source):
        super().__init__(md)
        self.law_source = law_source

    def run(self, root):
        law = self.law_source()
        self.md.law_findings = findings = []
        linked: set = set()
        default = _PAGE["default_act"]
        quick = law.needs_capital_or_digit
        for block, in_a_link in list(_blocks(root)):
            link = block.tag not in HEADINGS and not in_a_link
            last_act = None
            segments = list(_segments(block, block))
            texts = [getattr(node, attr) for node, attr, _, _ in segments]
            if not law.may_hold("\n".join(t for t in texts if t and not isinstance(t, AtomicString))):
                continue  # nothing to find in this paragraph (true of most runs of text)
            for n, (node, attr, in_link, parent) in enumerate(segments):
                if in_link and attr == "text" and node.tag == "a":
                    href = node.get("href", "")
                    last_act = law.act_of_address(href) or law.foreign_of_address(href) or last_act
                text = getattr(node, attr)
                if not text or isinstance(text, AtomicString) or (quick and not CAPITAL_OR_DIGIT.search(text)):
                    continue  # (no capital and no digit: no name or citation; see Law.scan)
                following = getattr(segments[n + 1][0], segments[n + 1][1]) or "" if n + 1 < len(segments) else ""
                events, last_act = law.scan(text, last_act, default, following)
                if not events or in_link:
                    continue
                pieces = []  # (start, end, href, title) to link
                for event in events:
                    if isinstance(event, ActMention):
                        continue
                    if isinstance(event, Citation):
                        unknown = tuple(i.key for i in law.unknown_items(event))
                        findings.append(Finding("citation", event.raw, event.act, event.how, unknown, foreign=event.foreign))
                        if event.act is None or event.act not in law.acts:
                            continue
                        act = law.acts[event.act]
                        for item in event.items:
                            key = (event.act, item.key)
                            if item.key in unknown or key in linked:
                                continue
                            linked.add(key)
                            title = f"{act.title}, {label(item.key)}"
                            pieces.append((item.start, item.end, act.address(item.key), title))
                    elif isinstance(event, CaseName):
                        findings.append(Finding("case", event.raw, case=event.case))
                        case = event.case
                        if case is None or not case.judgment or ("case", case.name) in linked:
                            continue
                        linked.add(("case", case.name))
                        pieces.append((event.start, event.end, case.judgment, f"{case.name} {case.citation.split(';')[0]}: the judgment"))
                if link and pieces:
                    _link(node, attr, text, sorted(pieces), parent)
        return None


def _blocks(el, in_link=False):
    """(block, inside a link) for each block under el, in document order,
    in one walk of the tree. A macro's output (marked by
    pipeline.MACRO_OUTPUT on its outermost element, a case study box) is
    left out: it is checked in its own source."""
    for child in el:
        if not isinstance(child.tag, str) or child.get("data-macro-output") is not None:
            continue
        if child.tag in BLOCKS:
            yield child, in_link
        yield from _blocks(child, in_link or child.tag == "a")


def _segments(el, top, in_link=False):
    """(element, "text" or "tail", in_link) for each run of text in a block,
    in order, leaving out code and nested blocks (they are scanned on their
    own). Text inside a link is never linked or checked, but an Act named
    there still sets the Act for the bare citations after it. The fourth
    item is the element whose child list holds a tail's element."""
    yield el, "text", in_link, None
    for child in el:
        nested_block = child.tag in BLOCKS or child.tag in NESTED
        if top.tag == "tr" and child.tag in CELLS:
            yield from _segments(child, top, in_link)
        elif child.tag == "a":
            yield from _segments(child, top, True)
        elif not (child.tag in SKIP or nested_block):
            yield from _segments(child, top, in_link)
        yield child, "tail", in_link, el


def _link(node, attr, text, pieces, parent) -> None:
    """Replace node.text or node.tail (node being a child of parent) with
    text and <a> elements."""
    anchors = []
    cursor = 0
    head = None
    for start, end, href, title in pieces:
        if start < cursor:
            continue
        a = etree.Element("a", {"href": href, "title": title, "class": "law-link"})
        a.text = AtomicString(text[start:end])
        if head is None:
            head = text[:start]
        else:
            anchors[-1].tail = text[cursor:start]
        anchors.append(a)
        cursor = end
    if not anchors:
        return
    anchors[-1].tail = text[cursor:]
    if attr == "text":
        node.text = head
        for n, a in enumerate(anchors):
            node.insert(n, a)
    else:
        node.tail = head
        index = list(parent).index(node)
        for n, a in enumerate(anchors, 1):
            parent.insert(index + n, a)


class CitationExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"root": [".", "The project root, where provisions.yml and cases.yml live."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        root = self.getConfig("root")
        md.law_findings = []
        # After inline parsing (20), before abbreviations (7) wrap Act names.
        md.treeprocessors.register(CitationTreeprocessor(md, lambda: _law_of(root)), "law-citations", 12)
        md.registerExtension(self)

    def reset(self):
        pass


def makeExtension(**kwargs):
    return CitationExtension(**kwargs)


# ---------------------------------------------------------------------------
# For the checks: the same extension over each source, in a Markdown pipeline
# configured from mkdocs.yml.
# ---------------------------------------------------------------------------


def _markdown_config(root) -> tuple[list, dict]:
    """The markdown_extensions of mkdocs.yml, as (names, configs)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    from pathlib import Path

    path = Path(root) / "mkdocs.yml"
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) if path.exists() else {}
    config = config if isinstance(config, dict) else {}
    names, configs = [], {}
    for entry in config.get("markdown_extensions") or []:
        name, options = (next(iter(entry.items())) if isinstance(entry, dict) else (entry, None))
        if name in ("pymdownx.snippets", "macros.citations"):
            continue  # snippets reads files (abbreviations only); ours is added below
        names.append(name)
        if options:
            configs[name] = options
    return names, configs


_PIPELINES: dict = {}


def findings_for(project, page, default_act: str | None) -> list[Finding]:
    """Every citation and case name in one source, as the build sees them."""
    import markdown

    from .load import split_front_matter

    key = str(project.root)
    md = _PIPELINES.get(key)
    if md is None:
        names, configs = _markdown_config(project.root)
        md = markdown.Markdown(extensions=names + [CitationExtension(root=key)], extension_configs=configs)
        _PIPELINES[key] = md
    md.treeprocessors["law-citations"].law_source = lambda: project.law
    md.reset()
    set_page(default_act)
    _, body, _ = split_front_matter(page.text)
    md.convert(body)
    set_page(None)
    return list(md.law_findings)
