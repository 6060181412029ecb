"""The whole-guidance print view, assembled from the chapters as rendered.

Each chapter's HTML is the HTML its own page shows readers (MkDocs'
`page.content`, after the macros and every Markdown extension), so the print
view cannot disagree with the pages. To put many chapters on one page without
collisions, every chapter is wrapped in a section and made unique:

- every `id` is namespaced by chapter (`pleas--the-law`, `pleas--fn:1`), and
  so are the attributes that point at ids (`for`, `aria-*`, `headers`);
- a link inside the chapter (`#the-law`) stays in that chapter;
- a link to another printed chapter (`../offences/#s4a`) goes to the printed
  copy (`#offences--s4a`) and carries the target's title in
  `data-print-title`, so paper shows where it leads;
- a link to a page that is not printed (a case study in full, an item page)
  is rewritten relative to the print page and carries its full address in
  `data-print-href`;
- headings move down one level under the chapter's title.

Pure functions over strings: nothing here imports MkDocs.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree

BASE = "https://print.invalid/"  # a stand-in origin for resolving site-relative links
ID_REFERENCES = ("for", "headers", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns")
HEADING = re.compile(r"^h([1-6])$")
# Links whose text identifies their target on paper ("R3", "F1: ..."): the
# register items. Their addresses are not printed.
LABEL_ONLY = ("recommendations/",)
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class Chapter:
    """One rendered chapter. `key` names its namespace (from its source path),
    `url` is its address in the site (MkDocs' page.url, e.g. "pleas/"),
    `facts` holds its long-form dates (law_as_at, last_reviewed, review_due)."""

    key: str
    url: str
    title: str
    html: str
    facts: dict = field(default_factory=dict)
    title_id: str = ""  # set by assemble(): the id of the chapter's printed title


def chapter_key(src_uri: str) -> str:
    """'pleas.md' -> 'pleas'; 'part/one.md' -> 'part-one'."""
    return re.sub(r"\.md$", "", src_uri).replace("/", "-")


def _text(element) -> str:
    """A heading's text without its permalink mark."""
    parts = [element.text or ""]
    for child in element:
        if "headerlink" not in (child.get("class") or ""):
            parts.append(_text_content(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


_PARSER = etree.HTMLParser()


def _fragment(html: str):
    """The HTML of a chapter as the children of a new <div>, parsed by
    libxml2 as a browser would repair it (what lxml.html.fragment_fromstring
    does, without lxml.html's element classes, which cost a Python object
    per element visited)."""
    body = etree.fromstring(f"<html><body>{html}</body></html>", _PARSER).find("body")
    root = etree.Element("div")
    if body.text and body.text.strip():
        root.text = body.text
    root.extend(list(body))
    return root


def _text_content(element) -> str:
    """All the text inside an element (lxml.html's text_content())."""
    return "".join(element.itertext())


def _relative(target: str, from_url: str) -> str:
    """A site path relative to the page at `from_url` (both without a leading /)."""
    source = from_url.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < min(len(source), len(parts) - 1) and source[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(source) - common) + parts[common:]) or "./"


def assemble(chapters: list[Chapter], print_url: str, site_url: str = "") -> str:
    """The chapters as one HTML fragment: a contents list, then one section per
    chapter. `print_url` is the print page's own URL ("print/"), `site_url`
    the published address, used to print the full address of pages that the
    print view does not include. Returns HTML; raises nothing on odd markup
    (lxml repairs it the way a browser would)."""
    trees = [_fragment(c.html or "<p></p>") for c in chapters]
    by_url = {c.url: c for c in chapters}
    titles: dict[tuple[str, str], str] = {}  # (chapter key, id) -> heading text
    for chapter, tree in zip(chapters, trees):
        for element in tree.iter(*HEADING_TAGS):
            if element.get("id"):
                titles[(chapter.key, element.get("id"))] = _text(element)

    out = ['<nav class="print-contents" aria-labelledby="print-contents">',
           '<h2 id="print-contents">Contents</h2>', "<ol>"]
    out += [f'<li><a href="#{c.key}">{_escape(c.title)}</a></li>' for c in chapters]
    out += ["</ol>", "</nav>"]

    for chapter, tree in zip(chapters, trees):
        ns = chapter.key + "--"
        lead = tree.text if tree.text and tree.text.strip() else ""
        for element in tree.iter():
            attrib = element.attrib
            if not attrib and element.tag not in HEADING_TAGS:
                continue  # most elements: nothing to change
            if element.get("id"):
                element.set("id", ns + element.get("id"))
            if element.get("name") and element.tag == "a":
                element.set("name", ns + element.get("name"))
            for attr in ID_REFERENCES:
                if element.get(attr):
                    element.set(attr, " ".join(ns + v for v in element.get(attr).split()))
            level = HEADING.match(element.tag)
            if level and int(level.group(1)) < 6:
                element.tag = f"h{int(level.group(1)) + 1}"
            if element.tag == "a" and element.get("href") is not None:
                _rewrite_link(element, chapter, by_url, titles, print_url, site_url)
            elif element.get("src"):
                src = urlsplit(element.get("src"))
                if not src.scheme and not src.netloc and not element.get("src").startswith("/"):
                    resolved = urlsplit(urljoin(BASE + chapter.url, element.get("src")))
                    element.set("src", _relative(resolved.path.lstrip("/"), print_url))
        # The children of the wrapping <div>, serialised with it in one call.
        tree.text = None
        body = etree.tostring(tree, encoding="unicode", method="html")
        body = body[body.index(">") + 1: body.rindex("</div>")]
        if lead:
            body = _escape(lead) + body
        facts = chapter.facts or {}
        line = " · ".join(
            f"{label} {facts[name]}"
            for label, name in (("Law as at", "law_as_at"), ("Last reviewed", "last_reviewed"), ("Review due", "review_due"))
            if facts.get(name)
        )
        facts_html = f'<p class="print-chapter__facts">{_escape(line)}</p>' if line else ""
        # The chapter's own title (now an h2) comes first; its dates go under it.
        match = re.match(r"\s*(<h2\b.*?</h2>)", body, re.S)
        title_id = re.match(r'\s*<h2\b[^>]*\bid="([^"]+)"', body)
        chapter.title_id = title_id.group(1) if title_id else chapter.key
        if match:
            body = match.group(1) + facts_html + body[match.end():]
        else:
            body = f"<h2>{_escape(chapter.title)}</h2>" + facts_html + body
        out.append(f'<section class="print-chapter" id="{chapter.key}">{body}</section>')
    return "\n".join(out)


def _rewrite_link(a, chapter: Chapter, by_url: dict, titles: dict, print_url: str, site_url: str) -> None:
    href = a.get("href")
    if href.startswith("#"):
        fragment = href[1:]
        a.set("href", f"#{chapter.key}--{fragment}" if fragment else f"#{chapter.key}")
        return
    if href.startswith(("https://", "http://", "/")) or _is_absolute(href):
        # An external address, printed after the link by the print style
        # sheet, unless the link's text is the address already.
        if " ".join(_text_content(a).split()) in (href, href.split("://", 1)[-1]):
            a.set("class", ((a.get("class") or "") + " print-bare").strip())
        return
    resolved = _resolve(chapter.url, href)
    path = resolved.path.lstrip("/")
    target = by_url.get(path)
    if target is not None:
        fragment = resolved.fragment
        a.set("href", f"#{target.key}--{fragment}" if fragment else f"#{target.key}")
        heading = titles.get((target.key, fragment)) if fragment else None
        title = target.title if heading is None else (
            heading if target is chapter else f"{target.title}: {heading}")
        if _plain(_text_content(a)) != _plain(title):  # "the offences" needs no "(see 'The offences')"
            a.set("data-print-title", title)
        return
    relative = _relative(path, print_url)
    a.set("href", relative + (f"?{resolved.query}" if resolved.query else "") + (f"#{resolved.fragment}" if resolved.fragment else ""))
    if site_url and not path.startswith(LABEL_ONLY):
        a.set("data-print-href", site_url.rstrip("/") + "/" + path + (f"#{resolved.fragment}" if resolved.fragment else ""))


@functools.lru_cache(maxsize=4096)
def _is_absolute(href: str) -> bool:
    """An address with a scheme (mailto:) or a host (//host/)."""
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc)


@functools.lru_cache(maxsize=4096)
def _resolve(page_url: str, href: str):
    """A link's target, resolved against the page it is on (urlsplit parts).
    The same links recur on every chapter, so the answers are kept."""
    return urlsplit(urljoin(BASE + page_url, href))


def _plain(text: str) -> str:
    return re.sub(r"^the ", "", " ".join(text.split()).lower())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
