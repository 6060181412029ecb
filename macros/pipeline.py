"""The one Markdown pipeline: the facts the checks use come from the parse that
renders the page.

MkDocs renders every page with Python-Markdown, configured by the
`markdown_extensions` of mkdocs.yml. The hooks add one more extension to that
list, `GuidanceExtension`, so that the very parse that renders a page also:

- expands our macro calls (`{{< addresses(...) >}}`, `{{< case_study(...) >}}`)
  as Markdown, wherever a block can stand (admonitions, `???` collapsibles,
  lists) and never inside code, because fenced and indented code never
  reach a block processor and inline code never reaches an inline one.
  The macros themselves are the functions mkdocs-macros-plugin holds for the
  site's module (main.py, `define_env`); this extension has no table of its
  own: the stage passes it the plugin's registry (stage.py);
- records the facts of the page as readers get it (`PageFacts`): headings
  and their ids (set by the toc extension, the only authority on ids), every
  id, every link and image as the parser understood it, raw HTML as the
  parser stashed it, footnotes, and macro calls;
- writes table alignment as classes (`align-right`), not as inline styles
  that the content security policy blocks.

Python-Markdown keeps no source positions, so each fact is mapped back to its
line by searching forward through the source (`Lines`).

This mirrors what MkDocs itself does in `mkdocs/structure/pages.py`
(`_ExtractAnchorsTreeprocessor`, `_RelativePathTreeprocessor`,
`_RawHTMLPreprocessor`). `make check` and `make build` both go through it, and
`markdown_for()` builds the same configured instance for anything else.

To add an extension of our own (for example citation links), call
`add_extension(factory)` at import time with a function that returns a
fresh `markdown.Extension`; it joins the pipeline after mkdocs.yml's
extensions, in both the build and the checks.
"""

from __future__ import annotations

import ast
import bisect
import itertools
import difflib
import re
from html import unescape as html_unescape
from html.parser import HTMLParser
from dataclasses import dataclass, field
from typing import Callable

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, STX

from .model import Heading, Link, MacroCall
from . import markdown_faults

# Jinja-style delimiters chosen so that legal text can never trigger a macro by
# accident: "{{", "{%" and "{#" (attribute lists) all stay literal.
MACRO_START, MACRO_END = "{{<", ">}}"
MACRO_LINE = re.compile(r"^[ \t]*\{\{<\s*(?P<expr>.*?)\s*>\}\}[ \t]*$")
# The first line of a list item, as Python-Markdown's OListProcessor and
# UListProcessor recognise it (tab_length 4).
LIST_ITEM = re.compile(r"^[ ]{0,3}(?:\d+\.|[*+-])[ ]+")
MACRO_INLINE = r"\{\{<[ \t]*(?P<expr>[^\n]*?)[ \t]*>\}\}"
# A call written with ordinary double braces, of any name: readers would see
# it as raw text.
OLD_BRACES = r"\{\{-?\s*(?P<name>[A-Za-z_]\w*)\s*\((?P<rest>[^}]*)\)\s*-?\}\}"
# Any other run that opens with {{<, {{ or {% (up to its closing, or the end
# of the line): a half-written or wrongly delimited call when it opens with
# {{< or closes with >}}, names a macro, or is a template tag; otherwise
# ordinary legal text ("{{ braces }}", "{% percent signs %}"), left alone.
OTHER_BRACES = (
    r"(?P<open>\{\{<|\{\{-?|\{%-?)[ \t]*(?P<word>[A-Za-z_]\w*)?(?P<body>[^\n{}]*?)"
    r"(?P<close>>\}\}|-?\}\}|-?%\}|(?=\n)|\Z)"
)
MACRO_OR_OLD_BRACES = f"{MACRO_INLINE}|{OLD_BRACES}|{OTHER_BRACES}"  # one inline pattern for all (MacroInlineProcessor)
# Template statements (Jinja) that an editor might expect to work: this site
# runs no templates in pages, so readers would see them as text.
TEMPLATE_TAGS = {"include", "import", "from", "extends", "block", "endblock", "macro", "endmacro", "set",
                 "if", "elif", "else", "endif", "for", "endfor", "raw", "endraw", "call", "filter", "with"}
INLINE = "a macro must stand on a line of its own"
IN_RAW_HTML = "it is inside a raw HTML block"  # the error of a call the parser stashed as HTML: published as text
CALL_IN_HTML = re.compile(r"\{\{<[^\n]*?(?:>\}\}|$)", re.M)
HTML_CODE = re.compile(r"<(pre|code)\b.*?</\1\s*>", re.S | re.I)  # raw HTML shown as code: left alone
MACRO_OUTPUT = "data-macro-output"  # marks the elements a macro call produced, until the HTML is written
REFERENCE_LINE = "data-reference-line"  # on a link made from a reference, the line of its definition, until the tree is read
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*\S")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
EXPLICIT_ID = re.compile(r"\{[^}\n]*#([\w:.-]+)")
# Attributes an attribute list ({target="_blank"}, {hidden}) could add that
# change how the page behaves for readers; Python-Markdown never writes them.
BEHAVIOUR_ATTRIBUTES = {"target", "hidden", "tabindex", "accesskey", "autofocus", "contenteditable", "draggable", "inert", "popover"}
ALIGN = re.compile(r"text-align:\s*(left|right|center)\s*;?\s*$")

# Factories of extra Markdown extensions of our own (see add_extension).
_EXTRA: list[Callable[[], Extension]] = []


def add_extension(factory: Callable[[], Extension]) -> None:
    """Add an extension of ours to the pipeline (build and checks alike)."""
    if factory not in _EXTRA:
        _EXTRA.append(factory)


def extra_extensions() -> list[Extension]:
    return [factory() for factory in _EXTRA]


# ---------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------


@dataclass
class RawHTML:
    line: int
    html: str = ""
    element: object = None  # an Element, for md_in_html blocks


@dataclass
class PageFacts:
    """What the parse found on one page, each with its source line."""

    uri: str
    path: str
    headings: list[Heading] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    automatic_ids: dict[str, int] = field(default_factory=dict)  # "x_1" -> line, ids toc made unique
    repeated_ids: list[tuple[str, int]] = field(default_factory=list)  # (id, line) of an id already on the page, not two headings'
    links: list[Link] = field(default_factory=list)
    calls: list[MacroCall] = field(default_factory=list)
    raw_html: list[RawHTML] = field(default_factory=list)
    attributes: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, tag, name, value)
    footnotes: list[str] = field(default_factory=list)
    misplaced: list[int] = field(default_factory=list)  # lines of addresses() not straight after a heading
    law_findings: list = field(default_factory=list)  # citations.Finding, from the citation extension in the same parse
    code_lines: set[int] = field(default_factory=set)  # source lines the parser read as a code block (fences included)
    unresolved: list[tuple[int, str, str]] = field(default_factory=list)  # (line, kind, text as written): references the parser left as text, links to ""
    unused_footnotes: list[tuple[int, str]] = field(default_factory=list)  # (line, id): footnote definitions nothing refers to
    opening: list[tuple[str, str, str, int]] = field(default_factory=list)  # the page's first two blocks as parsed: (tag, class, title, list items)
    markdown_faults: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, code, message, fix): Markdown read other than written (markdown_faults.py)


NON_WORD = re.compile(r"\W+")
JAVASCRIPT_URL = re.compile(r"\s*javascript:", re.I)
UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")


class Lines:
    """Find the source line of a fact by searching forward from the last fact
    of the same kind. Facts of one kind arrive in document order (the parser
    walks the page from top to bottom), so repeated text maps to successive
    lines. A fact not in the source (macro output) gets the line of the last
    one found."""

    def __init__(self, text: str, body_start: int = 1):
        self.text = text
        self.lines = text.splitlines()
        self.first = 1
        self.skip = body_start - 1  # front matter: never a fact
        self.cursors: dict[str, int] = {}
        self._norm = None
        self._offsets: list[int] | None = None  # where each line starts in _joined
        self._joined = ""
        self.explicit_ids = set(EXPLICIT_ID.findall(text))

    def find(self, needle: str, kind: str = "tree") -> int:
        needle = needle.strip()
        cursor = self.cursors.get(kind, self.skip)
        # One test of the whole source first: a fact that is not in it (a
        # link an extension wrote) would otherwise cost a pass over every line.
        if needle and needle in self.text:
            number = self._line_with(needle, cursor, len(self.lines))
            if number is not None:
                self.cursors[kind] = number + 1 if kind != "link" else number
                return number + self.first
            number = self._line_with(needle, self.skip, min(cursor, len(self.lines)))
            if number is not None:
                return number + self.first
        return max(cursor - (1 if kind != "link" else 0), self.skip) + self.first

    def find_link(self, href: str) -> int:
        """A link's line: the address as a link writes it ("](href)",
        "<href>", href="..."), so that "/" is not found inside an earlier
        "/pleas/"; else as find() does. The cursor stays on the line found
        (one line may hold several links)."""
        cursor = self.cursors.get("link", self.skip)
        for form in (f"]({href})", f"]({href} ", f"<{href}>", f'="{href}"', f"='{href}'"):
            if form not in self.text:
                continue
            number = self._line_with(form, cursor, len(self.lines))
            if number is not None:
                self.cursors["link"] = number
                return number + self.first
            number = self._line_with(form, self.skip, min(cursor, len(self.lines)))
            if number is not None:
                return number + self.first
        return self.find(href, "link")

    def reference_line(self, ident: str) -> int | None:
        """The line of the definition `[ident]: address` the parser used (the
        last one, as Python-Markdown keeps the last), or None."""
        if not hasattr(self, "_references"):
            self._references = {}
            for number, text in enumerate(self.lines[self.skip:], self.skip + self.first):
                match = REFERENCE_DEFINITION.match(text)
                if match:
                    self._references[" ".join(match.group(1).split()).lower()] = number
        return self._references.get(" ".join(ident.split()).lower())

    def locate(self, needle: str, kind: str) -> int | None:
        """The next line holding `needle` at or after this kind's cursor, or
        None (never a guess) if the source does not hold it there."""
        needle = needle.strip()
        number = self._line_with(needle, self.cursors.get(kind, self.skip), len(self.lines)) if needle else None
        if number is None:
            return None
        self.cursors[kind] = number + 1
        return number + self.first

    def _line_with(self, needle: str, start: int, stop: int) -> int | None:
        """The first line index in [start, stop) whose text holds `needle`.
        One search of the joined lines (in C) stands for a loop over them;
        a needle with a line break can be on no single line."""
        if start >= stop or "\n" in needle:
            return None
        if self._offsets is None:
            self._joined = "\n".join(self.lines)
            self._offsets = list(itertools.accumulate((len(line) + 1 for line in self.lines), initial=0))
        at = self._joined.find(needle, self._offsets[start], self._offsets[stop])
        return None if at == -1 else bisect.bisect_right(self._offsets, at) - 1

    def find_heading(self, text: str, explicit: str | None) -> int:
        """A heading line: by its explicit id, else by its words in order."""
        if explicit:
            return self.find("#" + explicit, "heading")
        if self._norm is None:
            # Only lines that can be headings: "# ..." or text underlined
            # with === or ---.
            self._norm = {}
            underlines = {n for n, line in enumerate(self.lines) if line.lstrip()[:1] in ("=", "-") and UNDERLINE.match(line)}
            for number, line in enumerate(self.lines):
                if line.lstrip().startswith("#") or number + 1 in underlines:
                    self._norm[number] = NON_WORD.sub("", line).lower()
        words = NON_WORD.sub("", text).lower()
        start = self.cursors.get("heading", self.skip)
        for number, norm in self._norm.items():
            if number >= start and words and words in norm:
                self.cursors["heading"] = number + 1
                return number + self.first
        return max(self.cursors.get("heading", self.skip) - 1, self.skip) + self.first


# ---------------------------------------------------------------------------
# The extension
# ---------------------------------------------------------------------------


class GuidanceExtension(Extension):
    """Our part of the pipeline. One instance lives for a whole build; call
    `start()` before each page is rendered (the hooks do, in on_page_markdown).

    `expand(name, args, page_uri)` returns the Markdown a macro call stands
    for, or raises an exception with a message (the checks report the call);
    in a build it calls the function the macros plugin registered under
    `name`. `names()` gives the names of the macros pages may call, in the
    order registered (in a build, the plugin's registry; without one, the
    names the site's define_env registers, so that a parse for its facts
    alone still tells a misspelt call from ordinary braces). With no
    `expand`, nothing is expanded."""

    def __init__(self, expand: Callable[[str, list[str], str], str] | None = None,
                 names: Callable[[], tuple[str, ...]] | None = None):
        super().__init__()
        self.expand = expand
        self._names = names
        self._known: tuple[str, ...] | None = None
        self.facts: dict[str, PageFacts] = {}
        self.current: PageFacts | None = None
        self.lines: Lines | None = None

    def start(self, uri: str, path: str, source: str, body_start: int = 1) -> PageFacts:
        """The next parse is of `uri`; its facts are mapped to lines of
        `source` (the file as written, front matter included)."""
        self.current = self.facts[uri] = PageFacts(uri, path)
        self.lines = Lines(source, body_start)
        return self.current

    def extendMarkdown(self, md):
        md.registerExtension(self)
        md.parser.blockprocessors.register(MacroBlockProcessor(md.parser, self), "guidance_macro", 77)
        md.inlinePatterns.register(MacroInlineProcessor(md, self), "guidance_macro_inline", 174)
        if "html_block" in md.preprocessors:
            md.preprocessors.register(RecordRawBlocks(md, md.preprocessors["html_block"], self), "html_block", 20)
        if "html" in md.inlinePatterns:
            original = md.inlinePatterns["html"]
            md.inlinePatterns.register(RecordRawInline(original.compiled_re.pattern, md, self), "html", 90)
        # The parser's own reference, footnote and link patterns, wrapped to
        # record what they leave unresolved (published as typed) or point to "".
        for name, kind in (("reference", "reference"), ("image_reference", "reference"),
                           ("short_reference", "short-reference"), ("short_image_ref", "short-reference"),
                           ("footnote", "footnote"), ("link", "link"), ("image_link", "link")):
            if name in md.inlinePatterns:
                inner = md.inlinePatterns[name]
                priority = next(item.priority for item in md.inlinePatterns._priority if item.name == name)
                md.inlinePatterns.register(RecordMisses(inner, kind, self), name, priority)
        md.treeprocessors.register(FactsTreeprocessor(md, self), "guidance_facts", 3)
        markdown_faults.install(md, self)

    def names(self) -> tuple[str, ...]:
        """The macros pages may call (worked out once: the plugin's registry
        does not change once the pages are being parsed)."""
        if self._known is None:
            if self._names is not None:
                self._known = tuple(self._names())
            else:
                from .main import macro_names

                self._known = macro_names()
        return self._known

    # -- helpers for the processors
    def record_call(self, raw: str, expr: str, inline: bool) -> MacroCall:
        line = self.lines.find(raw, "inline" if inline else "call") if self.lines else 1
        name, args, error = parse_call(expr)
        if error is None and inline:
            error = INLINE
        call = MacroCall(name, args, line, raw, error)
        if self.current is not None:
            self.current.calls.append(call)
        return call


def parse_call(expr: str) -> tuple[str, list[str], str | None]:
    """Parse `name("A", "B")`. Only string arguments are allowed."""
    try:
        node = ast.parse(expr, mode="eval").body
    except SyntaxError:
        return "", [], "it is not a valid macro call"
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        return "", [], "it is not a call such as addresses(\"R1@abc123\")"
    if node.keywords or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
        return node.func.id, [], "every argument must be a quoted id, for example \"R3@3d0885\""
    return node.func.id, [a.value for a in node.args], None


def did_you_mean(name: str, names: tuple[str, ...]) -> str | None:
    """The macro in `names` closest to a misspelt `name`, or None."""
    match = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return match[0] if match else None


class MacroBlockProcessor(BlockProcessor):
    """A macro call on a line of its own becomes the Markdown it stands for,
    parsed in place, so it nests wherever a paragraph could."""

    def __init__(self, parser, ext: GuidanceExtension):
        super().__init__(parser)
        self.ext = ext

    def test(self, parent, block):
        # A block that starts a list item is the list's: the list processor
        # (which runs after this one) puts each item's lines, the call among
        # them, back through the parser inside the item.
        if LIST_ITEM.match(block):
            return False
        return MACRO_START in block and any(MACRO_LINE.match(line) for line in block.split("\n"))

    def run(self, parent, blocks):
        block = blocks.pop(0)
        lines = block.split("\n")
        index = next(n for n, line in enumerate(lines) if MACRO_LINE.match(line))
        before, line, after = lines[:index], lines[index], lines[index + 1 :]
        if before:
            self.parser.parseBlocks(parent, ["\n".join(before)])
        match = MACRO_LINE.match(line)
        call = self.ext.record_call(line.strip(), match.group("expr"), inline=False)
        if call.error is None and call.name == "addresses" and (len(parent) == 0 or parent[-1].tag not in HEADINGS):
            if self.ext.current is not None:
                self.ext.current.misplaced.append(call.line)
        output = ""
        if call.error is None and self.ext.expand is not None and call.name in self.ext.names():
            try:
                output = self.ext.expand(call.name, call.args, self.ext.current.uri if self.ext.current else "")
            except Exception as exc:  # noqa: BLE001 - whatever the reason, the checks report the call (check_expansions)
                output = ""  # nothing is published until they pass
                call.failure = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
        # Without its trailing newline: the tables extension would make the
        # empty last line of a generated table into an empty row.
        output = output.rstrip()
        if output:
            count = len(parent)
            # Parsed as blocks of their own: in a tight list item the parser's
            # state is 'list', which would strip the output's paragraphs.
            self.parser.state.set("guidance_macro")
            try:
                # Without its closing newline: the tables extension makes an
                # empty last row of it (table-syntax reports such a row).
                self.parser.parseChunk(parent, output.rstrip("\n"))
            finally:
                self.parser.state.reset()
            for element in parent[count:]:
                # Marked for other extensions in this pipeline (the citation
                # links skip it); the mark is removed before the HTML is written.
                element.set(MACRO_OUTPUT, call.name)
                if "case-study-box" in (element.get("class") or "").split():
                    element.set("data-search-exclude", "")
        if after:
            blocks.insert(0, "\n".join(after))


class MacroInlineProcessor(InlineProcessor):
    """Inside a line of text: a macro call is reported and left out of the
    page; an old-style `{{ name(...) }}` is recorded and left as it is. One
    pattern for both, because Python-Markdown tries every inline pattern on
    every run of text."""

    def __init__(self, md, ext):
        super().__init__(MACRO_OR_OLD_BRACES, md)
        self.ext = ext

    def handleMatch(self, m, data):
        if m.group("expr") is not None:
            self.ext.record_call(m.group(0), m.group("expr"), inline=True)
            return "", m.start(0), m.end(0)
        if m.group("name") is not None:
            name, error = m.group("name"), "old-delimiters"
        else:
            name, error = bad_delimiters(m, self.ext.names())
            if error is None:
                return None, None, None  # ordinary text with braces
        line = self.ext.lines.find(m.group(0), "inline") if self.ext.lines else 1
        if self.ext.current is not None:
            self.ext.current.calls.append(MacroCall(name, [], line, m.group(0).strip(), error))
        return None, None, None  # leave the text as it is (the search goes on after it)


def bad_delimiters(m, names: tuple[str, ...]) -> tuple[str, str | None]:
    """For a match of OTHER_BRACES: (the name written, what is wrong), or
    (name, None) for ordinary text with braces. `names`: the site's macros."""
    opening, word, close = m.group("open"), m.group("word") or "", m.group("close")
    known = word in names or did_you_mean(word, names) is not None
    if opening == "{{<":
        return word, ("it is not closed with >}}" if not close else f"it ends with {close} instead of >}}}}")
    if close == ">}}":
        return word, f"it starts with {opening} instead of {{{{<"
    if opening.startswith("{%") and word in TEMPLATE_TAGS:
        return word, "template"
    if opening.startswith("{{") and known:
        return word, "old-delimiters"
    return word, None


DELIMITER_ERRORS = ("it is not closed with", "it ends with", "it starts with")  # the errors bad_delimiters() gives
ARGUMENTS = re.compile(r"^\s*(\([^\n]*\))")


def right_form(call: MacroCall, names: tuple[str, ...]) -> str:
    """The call as it should have been written, for a "did you mean"."""
    raw = call.raw
    name = did_you_mean(call.name, names) or call.name or "case_study"
    body = raw.split(call.name, 1)[1] if call.name and call.name in raw else ""
    args = ARGUMENTS.match(body)
    return f"{{{{< {name}{args.group(1) if args else '(...)'} >}}}}"


class _IdCollector(HTMLParser):
    """Ids in raw HTML, as MkDocs collects them (its _HTMLHandler)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.add(value)


def html_ids(raw: str) -> set[str]:
    """The ids a reader's browser gets from a piece of raw HTML."""
    if "id=" not in raw and "name=" not in raw:
        return set()
    collector = _IdCollector()
    collector.feed(raw)
    collector.close()
    return collector.ids


class RecordRawBlocks(Preprocessor):
    """Wraps the html_block preprocessor and records what it stashes: exactly
    the raw HTML blocks the parser found (code is already stashed apart)."""

    def __init__(self, md, inner, ext):
        super().__init__(md)
        self.inner = inner
        self.ext = ext

    def run(self, lines):
        stash = self.md.htmlStash.rawHtmlBlocks
        start = len(stash)
        out = self.inner.run(lines)
        if self.ext.current is not None:
            for raw in stash[start:]:
                if isinstance(raw, str):
                    first = next((line for line in raw.splitlines() if line.strip()), raw)
                    self.ext.current.raw_html.append(RawHTML(self.ext.lines.find(first[:80], "html"), html=raw))
                    self.ext.current.ids.update(html_ids(raw))
                    if MACRO_START in raw:
                        self._record_calls(raw)
                else:
                    opening = f"<{raw.tag}"
                    self.ext.current.raw_html.append(RawHTML(self.ext.lines.find(opening, "html"), element=raw))
        return out


    def _record_calls(self, raw: str) -> None:
        """Macro calls inside a raw HTML block: the parser publishes the
        block as it is, so readers would see each call as text."""
        for match in CALL_IN_HTML.finditer(HTML_CODE.sub("", raw)):
            text = match.group(0).strip()
            name = re.match(r"\{\{<\s*(\w*)", text).group(1)
            line = self.ext.lines.find(text, "call in html")
            self.ext.current.calls.append(MacroCall(name, [], line, text, IN_RAW_HTML))


class RecordRawInline(InlineProcessor):
    """Python-Markdown's inline raw HTML pattern, recording each tag it stashes."""

    def __init__(self, pattern, md, ext):
        super().__init__(pattern, md)
        self.ext = ext

    def handleMatch(self, m, data):
        raw = self.md.htmlStash.store(m.group(1))
        if self.ext.current is not None:
            self.ext.current.raw_html.append(RawHTML(self.ext.lines.find(m.group(1), "inline-html"), html=m.group(1)))
            self.ext.current.ids.update(html_ids(m.group(1)))
        return raw, m.start(0), m.end(0)


class RecordMisses(InlineProcessor):
    """One of Python-Markdown's inline processors, recording what it leaves
    unresolved: a reference (`[text][id]`) or footnote reference (`[^id]`)
    with no definition, which the parser publishes as typed, and a link or
    image whose address is empty (`[text]()`, an href="" to nowhere)."""

    def __init__(self, inner, kind, ext):
        super().__init__(inner.compiled_re.pattern, inner.md)
        self.compiled_re = inner.compiled_re
        self.ANCESTOR_EXCLUDES = inner.ANCESTOR_EXCLUDES
        self.inner, self.kind, self.ext = inner, kind, ext

    def handleMatch(self, m, data):
        node, start, end = self.inner.handleMatch(m, data)
        if self.ext.current is None or self.ext.lines is None:
            return node, start, end
        if self.kind in ("reference", "short-reference") and node is not None and not isinstance(node, str):
            # A link from a reference: its address is written on the
            # definition's line, which is where a fault in it is fixed.
            text, index, handled = self.inner.getText(data, m.end(0))
            ident = self.inner.evalId(data, index, text)[0] if handled else None
            line = self.ext.lines.reference_line(self.inner.NEWLINE_CLEANUP_RE.sub(" ", ident)) if ident else None
            if line is not None:
                node.set(REFERENCE_LINE, str(line))
            return node, start, end
        if self.kind == "short-reference":
            return node, start, end
        raw = None
        if self.kind == "reference" and node is None and start is not None:
            raw = data[start:end]
        elif self.kind == "footnote" and node is None:
            raw = m.group(0)
        elif self.kind == "link" and node is not None and not isinstance(node, str) and (node.get("href") == "" or node.get("src") == ""):
            raw = data[start:end]
        if raw is not None:
            needle = raw
            if STX in raw:  # code or an escape inside: the source holds other characters
                needle = raw[raw.rfind("["):] if self.kind != "link" else "]()"
            line = self.ext.lines.find(needle, f"unresolved-{self.kind}")
            self.ext.current.unresolved.append((line, self.kind, raw if STX not in raw else needle))
        return node, start, end


class FactsTreeprocessor(Treeprocessor):
    """Runs after toc (ids final) and before MkDocs rewrites links (relpath)."""

    def __init__(self, md, ext):
        super().__init__(md)
        self.ext = ext

    def run(self, root):
        facts, lines = self.ext.current, self.ext.lines
        if facts is None:  # a page that is not ours to check (the serve error page)
            for element in root.iter():
                if isinstance(element.tag, str):
                    element.attrib.pop(MACRO_OUTPUT, None)
                    element.attrib.pop(REFERENCE_LINE, None)
                    _align_by_class(element)
            return None
        footnote_ids = set()
        raw_ids = set(facts.ids)  # ids in raw HTML, recorded before the tree
        heading_ids: set[str] = set()
        for element in root.iter():
            tag = element.tag
            if not isinstance(tag, str):
                continue
            defined_at = None
            if element.attrib:
                element.attrib.pop(MACRO_OUTPUT, None)
                defined_at = element.attrib.pop(REFERENCE_LINE, None)
                _align_by_class(element)
            ident = element.get("id")
            repeated = False
            if ident:
                # Two headings with one id are check_heading_ids' to report.
                repeated = ident in raw_ids or (ident in facts.ids and not (tag in HEADINGS and ident in heading_ids))
                facts.ids.add(ident)
                if ident.startswith(("fn:", "fnref:")):
                    footnote_ids.add(ident)
            if tag in HEADINGS:
                text = "".join(_text(element)).strip()
                explicit = ident if ident in lines.explicit_ids else None
                line = lines.find_heading(text, explicit)
                facts.headings.append(Heading(int(tag[1]), text, ident or "", line, explicit is not None))
                if ident:
                    heading_ids.add(ident)
                if repeated:
                    facts.repeated_ids.append((ident, line))
            elif repeated:
                facts.repeated_ids.append((ident, lines.locate(f'id="{ident}"', "repeated id") or lines.locate("#" + ident, "repeated id") or 1))
                # Links are searched for from their section's heading on, so
                # a link that is not in the source (written by an extension)
                # cannot carry the search past the rest of the page.
                lines.cursors["link"] = line - 1
            elif tag == "a" and element.get("href") is not None:
                href = element.get("href")
                if "footnote-ref" in (element.get("class") or "") or "footnote-backref" in (element.get("class") or ""):
                    continue
                if "headerlink" in (element.get("class") or ""):
                    continue
                if AMP_SUBSTITUTE in href:
                    # An email autolink (<mailto:...>, <a@b.example>): the
                    # parser hides it from spam bots as character references.
                    href = html_unescape(href.replace(AMP_SUBSTITUTE, "&"))
                facts.links.append(Link(href, int(defined_at) if defined_at else lines.find_link(href)))
            elif tag == "img" and element.get("src") is not None:
                src = element.get("src")
                facts.links.append(Link(src, int(defined_at) if defined_at else lines.find_link(src), image=True))
            for name, value in element.attrib.items():
                value = value or ""
                if name.startswith("on") or name == "style" or name in BEHAVIOUR_ATTRIBUTES or JAVASCRIPT_URL.match(value):
                    facts.attributes.append((lines.find(value or name, "attr"), tag, name, value))
        facts.code_lines = code_lines(self.md, root, lines)
        facts.footnotes = sorted(i for i in footnote_ids if i.startswith("fn:"))
        # A definition nothing refers to: the footnotes extension still lists
        # it, with a link back to a reference that does not exist.
        for ident in facts.footnotes:
            name = ident[len("fn:"):]
            if "fnref:" + name not in footnote_ids:
                facts.unused_footnotes.append((lines.find(f"[^{name}]:", f"footnote:{name}"), name))
        facts.law_findings = list(getattr(self.md, "law_findings", []))
        facts.opening = [_opening(child) for child in [c for c in root if isinstance(c.tag, str)][:2]]
        markdown_faults.scan(self.md, root, facts, lines)
        # Ids the toc extension made unique by adding _1, _2...: they move
        # when a heading with the same text is added above.
        for heading in facts.headings:
            base, _, number = heading.anchor.rpartition("_")
            if number.isdigit() and base in facts.ids and heading.anchor not in lines.explicit_ids:
                facts.automatic_ids[heading.anchor] = heading.line
        return None


def _opening(element) -> tuple[str, str, str, int]:
    """(tag, class, title, number of list items) of one top-level block: the
    heading's text, or an admonition's title."""
    title = element.find("p[@class='admonition-title']") if element.tag == "div" else None
    text = "".join(_text(title if title is not None else element)).strip()
    return element.tag, element.get("class") or "", text, len(element.findall(".//li"))


def _align_by_class(element) -> None:
    """Table alignment as a class (align-left/center/right, styled in the
    site CSS): the tables extension writes style="text-align: ...", which the
    content security policy blocks."""
    style = element.get("style")
    if style and element.tag in ("td", "th"):
        align = ALIGN.match(style)
        if align:
            del element.attrib["style"]
            classes = (element.get("class") or "").split()
            element.set("class", " ".join(classes + [f"align-{align.group(1)}"]))


def _text(element):
    """Heading text as a reader sees it, without the permalink and footnote markers."""
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str) and ("headerlink" in (child.get("class") or "") or child.tag == "sup"):
            pass
        else:
            yield from _text(child)
        if child.tail:
            yield child.tail


CODE_TEXT = re.compile(r"<code\b[^>]*>(.*?)</code>", re.S)
TAG = re.compile(r"<[^>]+>")


def code_lines(md, root, lines: Lines) -> set[int]:
    """The source lines of the code blocks the parser found, so that the
    prose checks skip exactly what readers see as code: fenced code (which
    superfences stashes as HTML; its fence lines too) and indented code
    (a <pre> in the tree). A block is placed by its first non-blank line; one
    whose text is not in this source (a macro's output) is left out."""
    blocks = []
    for raw in md.htmlStash.rawHtmlBlocks:
        if isinstance(raw, str) and "<pre" in raw:
            blocks += [(html_unescape(TAG.sub("", m.group(1))), True) for m in CODE_TEXT.finditer(raw)]
    for pre in root.iter("pre"):
        code = pre.find("code")
        blocks.append((str((code if code is not None else pre).text or ""), False))
    found: set[int] = set()
    for text, fenced in blocks:
        body = text.rstrip("\n").split("\n")
        first = next((n for n, line in enumerate(body) if line.strip()), None)
        if first is None:
            continue
        line = lines.locate(body[first], "fenced code" if fenced else "indented code")  # each kind in document order
        if line is None:
            continue
        start = line - first - (1 if fenced else 0)
        found.update(range(start, line - first + len(body) + (1 if fenced else 0)))
    return found


# ---------------------------------------------------------------------------
# Building the configured instance
# ---------------------------------------------------------------------------


def markdown_for(config, extension: GuidanceExtension | None = None) -> markdown.Markdown:
    """A Markdown instance configured exactly as MkDocs renders a page: the
    `markdown_extensions` of mkdocs.yml with their options, then ours.

    `config` is a loaded MkDocs config (mkdocs.config.load_config). Most
    callers never need this: the hooks add our extensions to the config, and
    MkDocs builds the instance for each page."""
    names = list(config["markdown_extensions"])
    if extension is not None and extension not in names:
        names.append(extension)
    names += [e for e in extra_extensions() if e not in names]
    return markdown.Markdown(extensions=names, extension_configs=config["mdx_configs"] or {})
