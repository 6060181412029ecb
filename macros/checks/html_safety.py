"""Raw HTML that could run or load code."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..model import Problem
from ..project import Project
from . import problem
from .common import EXTERNAL


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
