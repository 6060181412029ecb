"""Raw HTML that could run or load code."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..model import Problem
from ..pipeline import BEHAVIOUR_ATTRIBUTES
from ..project import Project
from .catalogue import problem
from .common import EXTERNAL


# Harmless raw HTML an editor may use. Anything else is rejected.
ALLOWED_HTML = {"details", "summary", "abbr", "br", "sup", "sub", "kbd", "mark", "small", "span", "p", "div", "ins", "del", "dl", "dt", "dd"}
ALLOWED_ATTRIBUTES = {"class", "id", "title", "markdown", "lang", "open"}
# URLs that run code or carry their own content: never in a link or attribute.
UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|data):", re.I)


class _HTMLScanner(HTMLParser):
    """Raw HTML fed to it -> `found`: (line offset, code, message, fix, a
    snippet of the source to locate it by). `what` names the text in the
    messages ("the page", or a YAML field)."""

    def __init__(self, what: str = "the page"):
        super().__init__(convert_charrefs=True)
        self.what = what
        self.found: list[tuple[int, str, str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        line, what = self.getpos()[0], self.what
        start = len(self.found)
        if tag == "script":
            self.found.append((line, "script-tag", f"{what} contains a <script> element", "Remove it: content may not run code"))
        elif tag in ("iframe", "object", "embed"):
            self.found.append((line, "embedded-content", f"{what} embeds content with <{tag}>", "Remove it and link to the content instead"))
        elif tag == "form":
            action = dict(attrs).get("action") or ""
            if EXTERNAL.match(action) or action.startswith("//"):
                self.found.append((line, "external-form", f"{what} has a form that posts to '{action}'", "Remove the form"))
            else:
                self.found.append((line, "html-not-allowed", f"{what} has a <form>", "Remove it: guidance pages do not collect data"))
        elif tag not in ALLOWED_HTML:
            self.found.append((line, "html-not-allowed", f"<{tag}> is not on the allow-list of raw HTML",
                               f"Use Markdown instead (allowed tags: {', '.join(sorted(ALLOWED_HTML))})"))
        self.found[start:] = [(*f, f"<{tag}") for f in self.found[start:]]
        for name, value in attrs:
            start = len(self.found)
            if name.startswith("on"):
                self.found.append((line, "event-handler", f"<{tag}> has an inline event handler '{name}='", "Remove the attribute"))
            elif UNSAFE_URL.match(value or ""):
                scheme = value.split(":", 1)[0].strip().lower()
                self.found.append((line, "javascript-url", f"<{tag}> has a {scheme}: URL", "Remove it"))
            elif tag in ALLOWED_HTML and name not in ALLOWED_ATTRIBUTES:
                self.found.append((line, "html-not-allowed", f"the attribute '{name}' on <{tag}> is not allowed",
                                   f"Remove it (allowed attributes: {', '.join(sorted(ALLOWED_ATTRIBUTES))})"))
            self.found[start:] = [(*f, name) for f in self.found[start:]]

    handle_startendtag = handle_starttag

def check_html(project: Project) -> list[Problem]:
    """Raw HTML exactly as the parser stashed it (code is never raw HTML), and
    every attribute the parsed page carries, whichever extension wrote it."""
    out = []
    for page in project.pages + project.case_studies:
        facts = page.facts
        if facts is None:
            continue
        for raw in facts.raw_html:
            scanner = _HTMLScanner()
            if raw.element is not None:
                element = raw.element
                attrs = [(k, v) for k, v in element.attrib.items() if not k.startswith("on") and k != "style"
                         and not UNSAFE_URL.match(v)]
                scanner.handle_starttag(element.tag, attrs)
            else:
                scanner.feed(raw.html)
                scanner.close()
            out += [problem(code, page.path, raw.line + offset - 1, message, fix) for offset, code, message, fix, _ in scanner.found]
        for line, tag, name, value in facts.attributes:
            if name.startswith("on"):
                out.append(problem("event-handler", page.path, line, f"<{tag}> has an inline event handler '{name}='", "Remove the attribute"))
            elif UNSAFE_URL.match(value):
                scheme = value.split(":", 1)[0].strip().lower()
                out.append(problem("javascript-url", page.path, line,
                                   f"a link uses a {scheme}: URL" if tag == "a" else f"<{tag}> has a {scheme}: URL", "Remove it"))
            elif name == "style":
                out.append(problem("html-not-allowed", page.path, line, f"<{tag}> has an inline style, which the content security policy blocks",
                                   "Remove it; use a class from the site's stylesheet instead"))
            elif name in BEHAVIOUR_ATTRIBUTES:
                out.append(problem("html-not-allowed", page.path, line,
                                   f"<{tag}> has the attribute '{name}', which changes how the page behaves for readers "
                                   "(a new window, hidden text, a different keyboard order)",
                                   "Remove it: links open in the same tab, and every part of a page is shown"))
    return _unique(out)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.code, p.location.path, p.location.line, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
