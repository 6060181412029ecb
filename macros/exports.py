"""Machine-readable exports and the content security policy.

Pure functions over the project index (or over a built HTML page); the hooks
write their output into the site.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re

from . import render
from .project import Project


def traceability(project: Project) -> dict:
    """Who addresses what: the same facts as the item pages and the matrix."""
    return {
        "items": [
            {
                "id": item.id,
                "kind": item.kind,
                "derived_from": item.derived_from,
                "variations": {c.id: " ".join(c.variation.split()) for c in item.commitments if c.variation},
                "title": item.title,
                "addressee": item.addressee,
                "fingerprint": item.fingerprint,
                "url": _url(render.item_uri(item.id)),
                "sections": [
                    {"page": _url(r.page), "anchor": r.anchor, "section": r.section, "source": f"{r.path}:{r.line}"}
                    for r in project.references_to(item.id)
                ],
                "case_studies": [cid for cid, _ in project.illustrating(item.id)],
            }
            for item in project.register.items
        ],
        "case_studies": [
            {
                "id": cid,
                "title": meta.title,
                "url": _url(render.case_uri(cid)),
                "illustrates": meta.illustrates,
                "themes": meta.themes,
                "used_on": sorted({_url(u.page) for u in project.uses_of(cid)}),
            }
            for cid, (_, meta) in sorted(project.case_study_ids.items())
        ],
    }


def review_feed(project: Project, site_url: str) -> dict:
    """Review data for every guidance page, like GOV.UK Tech Docs' pages.json."""
    pages = []
    for page in project.pages:
        meta = project.page_meta(page)
        pages.append(
            {
                "title": meta.title,
                "url": site_url.rstrip("/") + "/" + _url(page.uri) if site_url else _url(page.uri),
                "owner": meta.owner,
                "last_reviewed": meta.last_reviewed.isoformat(),
                "review_in": meta.review_in,
                "review_due": meta.review_due.isoformat(),
                "law_as_at": meta.law_as_at.isoformat(),
                "source": page.path,
            }
        )
    return {"pages": pages}


def _url(uri: str) -> str:
    """The directory-style URL of a docs path: 'pleas.md' -> 'pleas/'."""
    if uri == "index.md":
        return ""
    if uri.endswith("/index.md"):
        return uri[: -len("index.md")]
    return uri[: -len(".md")] + "/"


def dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------
# Content security policy
# ---------------------------------------------------------------------------

# Scripts, styles, fonts and images come from the site itself only. Inline
# scripts that Material needs are allowed by hash, computed per page below.
POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; frame-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)


def script_hashes(html: str) -> list[str]:
    hashes = []
    for match in INLINE_SCRIPT.finditer(html):
        if "application/json" in match.group("attrs"):
            continue  # data, not script
        digest = base64.b64encode(hashlib.sha256(match.group("body").encode()).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def content_security_policy(html: str, extra_hashes=()) -> str:
    hashes = script_hashes(html) + sorted(extra_hashes)
    return POLICY.format(hashes=" ".join(hashes)).replace("  ", " ")


def add_content_security_policy(html: str, extra_hashes=()) -> str:
    """Insert the policy as the first element of <head>, before any script."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(html, extra_hashes)}">'
    at = html.find("<head>")  # as the theme writes it; any other case by the slower search
    if at != -1:
        return html[:at] + "<head>\n    " + meta + html[at + len("<head>"):]
    return re.sub(r"<head>", lambda m: "<head>\n    " + meta, html, count=1, flags=re.I)


# ---------------------------------------------------------------------------
# Accessibility fixes to Material's and pymdown's HTML (proved by axe in
# tests/browser/test_pages.py)
# ---------------------------------------------------------------------------

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
TASK_ITEM = re.compile(r'(<li class="task-list-item">)\s*(<input[^>]*type="checkbox"[^>]*>)(.*?)(</li>)', re.S)


def _label_task(match: re.Match) -> str:
    start, box, text, end = match.groups()
    if re.search(r"<(li|ul|ol|p|div)\b", text):  # block content: name the box instead
        name = " ".join(re.sub(r"<[^>]+>", " ", text).split())[:120].replace('"', "&quot;")
        return f'{start}{box[:-1].rstrip("/")} aria-label="{name}">{text}{end}'
    return f"{start}<label>{box}{text}</label>{end}"


def accessibility_fixes(html: str) -> str:
    """Name the search dialog (axe: aria-dialog-name) and give each checklist
    box its item's text as a label (axe: label)."""
    html = html.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search this guidance">')
    return TASK_ITEM.sub(_label_task, html)


# ---------------------------------------------------------------------------
# Tables that fit a phone (styled in docs/assets/stylesheets/guidance.css)
# ---------------------------------------------------------------------------

TABLE = re.compile(r"<table>(?P<body>.*?)</table>", re.S)
HEADER_CELL = re.compile(r"<th\b[^>]*>(?P<text>.*?)</th>", re.S)
ROW = re.compile(r"<tr>(?P<cells>.*?)</tr>", re.S)
DATA_CELL = re.compile(r"<td\b")


def _text(fragment: str) -> str:
    """The plain text of an HTML fragment, for an attribute value."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split()).replace('"', "&quot;")


def _label_table(match: re.Match) -> str:
    body = match.group("body")
    head, sep, rows = body.partition("</thead>")
    labels = [_text(m.group("text")) for m in HEADER_CELL.finditer(head)]
    if not sep or not any(labels):
        return match.group(0)

    def label_row(row: re.Match) -> str:
        column = itertools.count()

        def label_cell(cell: re.Match) -> str:
            i = next(column)
            label = labels[i] if i < len(labels) else ""
            return f'<td data-label="{label}"' if label else cell.group(0)

        return DATA_CELL.sub(label_cell, row.group(0))

    return f"<table data-reflow>{head}{sep}{ROW.sub(label_row, rows)}</table>"


def label_table_cells(html: str) -> str:
    """Give each data cell of a Markdown table its column's header text as a
    `data-label`, and mark the table `data-reflow`.

    Input: a built page. Output: the same page, where on a phone each row can
    be shown as a labelled block (guidance.css), so that no table needs
    sideways scrolling and each value keeps its label. The markup stays a
    real table, so screen readers still announce rows, columns and headers.
    Tables without a header row are left alone."""
    return TABLE.sub(_label_table, html)


# Characters of text in one 360 by 740 pixel phone screen, and what a table
# cell adds for its label and padding once tables reflow. Measured in
# Chromium over the built chapters (December 2026): with the cell allowance,
# 740 to 1,290 characters a screen, about 900 for most pages. The lower
# figure used here errs towards giving a page the list.
PHONE_SCREEN_CHARS = 850
TABLE_CELL_CHARS = 40


def phone_screens(html: str) -> float:
    """Roughly how many phone screens a page's content fills.

    Input: the HTML of a page's content. Output: (its text length plus
    TABLE_CELL_CHARS per table cell) over PHONE_SCREEN_CHARS. An estimate,
    checked against measured heights by tests/browser/test_phone.py; it
    decides which chapters get an "On this page" list (overrides/main.html)."""
    text = len(" ".join(re.sub(r"<[^>]+>", " ", html).split()))
    return (text + TABLE_CELL_CHARS * html.count("<td")) / PHONE_SCREEN_CHARS


# ---------------------------------------------------------------------------
# Valid HTML (W3C Nu HTML checker): theme markup outside any template block
# that this site can override
# ---------------------------------------------------------------------------

TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')
TOC_TITLE_LABEL = re.compile(r'<label class="md-nav__title" for="__toc">(?P<inner>.*?)</label>', re.S)


def valid_html_fixes(html: str) -> str:
    """Remove the theme's markup errors that no override can reach.

    - Material's base.html puts `autocomplete="off"` on its two checkbox
      toggles (drawer and search), outside any block; the attribute is not
      allowed on a checkbox.
    - The table-of-contents title is a label for the `__toc` checkbox, which
      the theme only writes for pages in the navigation. On other pages
      (case studies, item pages, section indexes) the label points at
      nothing, so it becomes a plain block with the same class.
    Input and output: a built page."""
    html = TOGGLE_AUTOCOMPLETE.sub(r"\1", html)
    if 'id="__toc"' not in html:
        html = TOC_TITLE_LABEL.sub(lambda m: f'<div class="md-nav__title">{m.group("inner")}</div>', html)
    return html
