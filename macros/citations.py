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
from pathlib import Path

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .law import ActMention, CaseName, Citation, Law, label, load_law

# Blocks that are one "paragraph" for resolving a bare s.4A. A table row is
# one paragraph, so "PHA s.4 | ... | PHA s.2 (s.4(5))" resolves across cells.
BLOCKS = {"p", "li", "dt", "dd", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "summary"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Inline elements whose text is never scanned.
SKIP = {"a", "code", "pre", "kbd", "script", "style", "abbr"}
CELLS = {"td", "th"}


@dataclass
class Finding:
    """One citation or case name, as the build saw it."""

    kind: str  # "citation" or "case"
    raw: str
    act: str | None = None
    how: str = ""
    unknown: tuple = ()  # (key, ...) of sections not in provisions.yml
    case: object = None


_PAGE = {"default_act": None}


def set_page(default_act: str | None) -> None:
    """Tell the extension the default Act of the page about to render."""
    _PAGE["default_act"] = default_act


_LAWS: dict[str, Law] = {}


def law_for(root: str | Path) -> Law:
    root = str(Path(root).resolve())
    if root not in _LAWS:
        _LAWS[root] = load_law(Path(root))
    return _LAWS[root]


def forget(root: str | Path) -> None:
    """Reload the tables on the next use (after an edit under `make serve`)."""
    _LAWS.pop(str(Path(root).resolve()), None)


class CitationTreeprocessor(Treeprocessor):
    def __init__(self, md, law_source):
        super().__init__(md)
        self.law_source = law_source

    def run(self, root):
        law = self.law_source()
        self.md.law_findings = findings = []
        linked: set = set()
        default = _PAGE["default_act"]
        parents = {child: parent for parent in root.iter() for child in parent}
        for block in [el for el in root.iter() if el.tag in BLOCKS]:
            link = block.tag not in HEADINGS and not _inside_link(block, parents)
            last_act = None
            for node, attr in list(_segments(block, block)):
                text = getattr(node, attr)
                if not text or isinstance(text, AtomicString):
                    continue
                events, last_act = law.scan(text, last_act, default)
                if not events:
                    continue
                pieces = []  # (start, end, href, title) to link
                for event in events:
                    if isinstance(event, ActMention):
                        continue
                    if isinstance(event, Citation):
                        unknown = tuple(i.key for i in law.unknown_items(event))
                        findings.append(Finding("citation", event.raw, event.act, event.how, unknown))
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
                    _link(node, attr, text, sorted(pieces), parents)
        return None


def _inside_link(el, parents) -> bool:
    while el in parents:
        el = parents[el]
        if el.tag == "a":
            return True
    return False


def _segments(el, top):
    """(element, "text" or "tail") for each run of text in a block, in order,
    leaving out links, code and nested blocks (they are scanned on their own)."""
    yield el, "text"
    for child in el:
        nested_block = child.tag in BLOCKS or child.tag in {"ul", "ol", "table", "div", "blockquote", "details"}
        if not (child.tag in SKIP or (nested_block and not (top.tag == "tr" and child.tag in CELLS))):
            yield from _segments(child, top)
        elif top.tag == "tr" and child.tag in CELLS:
            yield from _segments(child, top)
        yield child, "tail"


def _link(node, attr, text, pieces, parents) -> None:
    """Replace node.text or node.tail with text and <a> elements."""
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
        parent = parents[node]
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
        md.treeprocessors.register(CitationTreeprocessor(md, lambda: law_for(root)), "law-citations", 12)
        md.registerExtension(self)

    def reset(self):
        pass


def makeExtension(**kwargs):
    return CitationExtension(**kwargs)
