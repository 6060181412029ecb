"""The one catalogue of problem codes, and problem(), which every check uses.

A module of its own, below the checks: each check module imports problem()
from here, never from the package's __init__ (which imports the checks)."""

from __future__ import annotations

from ..model import Location, Problem

# The catalogue. Code -> what it means. Keep CONTRIBUTING.md in step.
CODES: dict[str, str] = {
    "register-yaml": "recommendations.yml is not valid YAML.",
    "register-schema": "An entry in recommendations.yml breaks the register schema: a field is wrong or missing, an item's id does not begin with its kind's letter (R recommendation, F finding, G general commitment), or `derived_from` names the item itself or an item not in the register.",
    "duplicate-id": "Two register items, commitments, themes or case studies share an id, or two headings (or any two elements) on a page do.",
    "front-matter": "A page's or case study's front matter breaks its schema.",
    "unknown-item": "A section or case study names an id that is not in the register.",
    "uncovered-item": "No section of the guidance delivers a register item.",
    "missing-fingerprint": "An id in addresses() has no @fingerprint.",
    "suspect-link": "A register item was reworded since the section was reviewed against it.",
    "misplaced-addresses": "addresses() is not the first line under a heading.",
    "macro-syntax": "A macro call cannot be read, or cannot be expanded (for example case_study() given two ids), so nothing would be published for it.",
    "unknown-macro": "A macro name that the site does not provide.",
    "old-delimiters": "A macro written with plain double braces, which readers would see as raw text.",
    "unknown-case-study": "case_study() names a case study that does not exist.",
    "unused-case-study": "A case study is not used on any guidance page.",
    "missing-heading": "A case study lacks one of the fixed headings, or has them out of order.",
    "unknown-theme": "A case study uses a theme that is not in the register's theme list.",
    "broken-link": "A link points to a page that does not exist.",
    "broken-anchor": "A link points to a heading that does not exist on the target page.",
    "unstable-anchor": "A link points to an id numbered automatically (_1) because two headings share their text.",
    "anchor-removed": "A heading id recorded in anchors.lock.json (published, so perhaps bookmarked) no longer exists.",
    "anchor-owner": "A heading id recorded in anchors.lock.json now belongs to another heading: a new heading with the same text, added above the one it was published for, takes its id (the old one gets '_1').",
    "not-in-nav": "A guidance page is not in the navigation in mkdocs.yml.",
    "reserved-address": "A guidance page sits where the build writes its own pages: in `docs/recommendations/` or `docs/case-studies/`, or at `glossary.md`, `whats-new.md`, `law.md`, `law-sources.md`, `law-sources-2000-2019.md`, `law-sources-before-2000.md`, `law-changes.md`, `law-changes-earlier.md`, `law-on-a-date.md` or `print.md`. It would be replaced, or left out of the menu.",
    "build-warning": "MkDocs warned while reading the pages; the strict build stops on any warning.",
    "insecure-link": "An external link uses http instead of https.",
    "external-image": "An image is loaded from another site, which the content security policy blocks.",
    "personal-data": "A case study contains something that looks like personal data.",
    "unfilled-template": "A line still holds the case-study template's placeholder text ('Fill in: ...').",
    "script-tag": "Raw HTML contains a script element.",
    "event-handler": "Raw HTML contains an inline event handler such as onclick=.",
    "javascript-url": "A link or attribute uses a javascript: URL (or vbscript: or data:).",
    "embedded-content": "Raw HTML embeds an iframe, object or embed element.",
    "external-form": "Raw HTML contains a form that posts to another site.",
    "html-not-allowed": "Raw HTML uses a tag that is not on the allow-list.",
    "undefined-abbreviation": "An abbreviation is used but not defined in includes/abbreviations.md.",
    "changelog": "whats-new.yml is not valid or breaks its schema.",
    "future-date": "A page's last_reviewed or law_as_at is after today, so readers would be told of a review or a statement of the law that has not happened.",
    "page-opening": "A guidance page does not start with its '# Title' line (readers get no page facts), or, except the home page, the title is not followed by the 'What you must do' box of three to six bullets.",
    "table-syntax": "A table is published other than written: with no blank line before it, or a line of dashes whose cells differ from its header's, it is a paragraph of pipes; a row with more cells than its header loses them, one with fewer gets empty cells.",
    "box-syntax": "A box (!!! or ???) is published other than written: its text is not indented under it, so the box is empty; part of its text is indented less than four spaces, so that part is published after it; or its marker is left as text.",
    "bare-address": "A web address typed in the text of a guidance page, or of What's new or the register, is published as plain text, not as a link.",
    "review-overdue": "A page is past its review date (a warning: it does not block the build).",
    "sentence-per-line": "A line of prose holds more than one sentence (a warning: it does not block the build).",
    "law-data": "provisions.yml or cases.yml breaks its schema, or a page's default_act is not an Act in provisions.yml.",
    "law-period": "The periods of an offence's maxima, or of a rule by date of conviction, in provisions.yml do not fit together: a period without a start, one that ends before it starts or starts before the provision came into force, two that overlap or leave a gap, or a maximum missing for the mode of trial.",
    "law-changes": ("law-changes.yml is not valid, breaks its schema, or names a page or a provision that does not exist; "
                    "a `law_change()` call names no change with a `position`; or a page in the `reflected_in` of a change "
                    "with a `position` does not show it."),
    "law-as-at": "A page that a change in law-changes.yml affects states the law as at a date before the change came into force, and the change is not recorded as reflected in it.",
    "unresolved-citation": "A section is cited without an Act: none is named before it in its paragraph and the page has no default_act.",
    "unknown-provision": "A citation, or a link to legislation.gov.uk, is to a section that is not in provisions.yml (often a typo), or a section is cited with an Act that is not in provisions.yml.",
    "unknown-case": "A case named in the prose is not in cases.yml.",
    "unresolved-reference": "A reference link or footnote reference has no definition, or a link has no address, so readers would see the brackets as text or a link to nowhere.",
    "abbreviation-syntax": "A line of includes/abbreviations.md is not an abbreviation definition, so it would be printed at the foot of every page.",
    "unused-footnote": "A footnote is defined but nothing on the page refers to it.",
    "stray-file": "A file in docs/ is neither a page nor an asset, so it would be published as it is.",
    "link-in-front-matter": "A case study's title, summary or outcome holds a link, which cannot work both on its page and in its box on guidance pages.",
    "unsupported-syntax": "A line uses Markdown syntax the site does not enable (content tabs), which readers would see as text.",
    "wrong-encoding": "A source file is not saved as UTF-8 (often Word's curly quotes saved as Windows-1252).",
    "search-settings": "search.yml cannot be read, or a `defines` entry points at a page or heading that does not exist.",
    "generated-too-early": "A guidance page was parsed after the generated pages that index it (moved there by another plugin or hook), so they would miss what it delivers and uses.",
    "snippet": "A page or case study has a snippet line (--8<--), which would paste another file in, even inside code.",
    "macros-plugin": "mkdocs.yml does not load mkdocs-macros-plugin as this site needs it: enabled, loading the module `macros`, rendering no page.",
}

# Codes that are reported but never fail `make check` or the build.
WARNINGS = {"review-overdue", "sentence-per-line"}


def problem(code: str, path: str, line: int, message: str, fix: str) -> Problem:
    assert code in CODES, code
    return Problem(code, Location(path, line), message, fix, "warning" if code in WARNINGS else "error")
