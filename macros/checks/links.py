"""Links and anchors, from the parse that renders each page: the links as
the parser understood them and the ids a reader's browser gets (the same
facts MkDocs validates, but with line numbers)."""

from __future__ import annotations

import posixpath
import re

from .. import render
from ..model import Problem
from ..project import Project
from .catalogue import problem
from .common import EXTERNAL, suggest, unusable_sources

ASSETS = (".json", ".css", ".js", ".png", ".svg", ".jpg", ".pdf", ".zip")


# The address `make serve` previews the site at (or any local one).
LOCAL_PREVIEW = re.compile(r"^https?://(?:127\.0\.0\.1|localhost|0\.0\.0\.0)(?::\d+)?(?P<path>/[^#?]*)?(?:\?[^#]*)?(?P<hash>#.*)?$", re.I)


def check_search_settings(project: Project, facts: dict) -> list[Problem]:
    """`search-settings`: search.yml cannot be read, or one of its `defines`
    entries points at a page or heading the parse did not find (a heading
    renamed since, or a typo), at its line in search.yml."""
    from .. import search

    return [problem("search-settings", search.SETTINGS_FILE, line, message, fix)
            for line, message, fix in search.check_defines(project.root, facts)]


ITEM_PAGE = re.compile(r"^recommendations/[a-z]\d+\.md$")


class _Unbuilt:
    """The pages the build would make but cannot, because their source cannot
    be read: a register item's page while recommendations.yml cannot be read,
    a case study's page while its front matter cannot be used."""

    def __init__(self, project: Project):
        self.register = bool(project.register_unreadable)
        self.case_pages = {render.case_uri(i) for i in unusable_sources(project)[1]}

    def __contains__(self, uri: str) -> bool:
        return uri in self.case_pages or (self.register and bool(ITEM_PAGE.match(uri)))


def check_links(project: Project, facts: dict) -> list[Problem]:
    """Every relative link in every parsed page must resolve to a page and,
    if it names one, to an id on that page.

    `facts`: {uri: pipeline.PageFacts} for every page MkDocs parsed."""
    anchors = {uri: f.ids for uri, f in facts.items()}
    titles = {uri: {h.anchor: h.title for h in f.headings} for uri, f in facts.items()}
    unbuilt = _Unbuilt(project)
    out = []
    for uri, page in facts.items():
        if uri == render.PRINT_URI:
            continue  # the chapters' links are checked where they are written
        for link in page.links:
            target = link.target
            preview = LOCAL_PREVIEW.match(target)
            if preview:
                path = (preview.group("path") or "/").strip("/")
                file = f"{path}.md" if path else "index.md"
                if file not in anchors:
                    file = f"{path}/index.md"
                written = render.rel(file, uri) + (preview.group("hash") or "") if file in anchors else None
                out.append(problem("broken-link", page.path, link.line,
                                   f"the link '{target}' is the address of a preview on your own computer, which readers cannot open",
                                   f"Link to the Markdown file{f', {written!r}' if written else ''}; MkDocs checks it and writes the web address"))
                continue
            if target.startswith("http://"):
                out.append(problem("insecure-link", page.path, link.line, f"'{target}' uses http",
                                   "Use the https address"))
                continue
            if EXTERNAL.match(target) or target.startswith("//"):
                if link.image and not target.startswith("data:"):
                    out.append(problem("external-image", page.path, link.line,
                                       f"the image '{target}' is on another site, which the content security policy "
                                       "blocks (and which could track readers), so readers would see a broken image",
                                       "Save the image in docs/assets/ and link to it there, with a text alternative"))
                continue
            path, _, anchor = target.partition("#")
            if not path:
                resolved = uri
            elif path.startswith("/"):
                better = markdown_file_for(path, uri, anchors)
                out.append(problem("broken-link", page.path, link.line,
                                   f"the link '{target}' is a site address (it starts with /), which MkDocs does not check "
                                   "and which leads nowhere when the site is published under a folder",
                                   _to_the_file(better, anchor, uri, anchors, path)))
                continue
            else:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(uri), path))
            if resolved.endswith(ASSETS):
                continue  # assets are checked in the built site
            if resolved not in anchors:
                if path.endswith("/") or not posixpath.splitext(path)[1]:
                    # A web address ("../pleas/"), which MkDocs does not check
                    # and rewrites nowhere: link to the Markdown file instead.
                    better = markdown_file_for(path, uri, anchors)
                    out.append(problem("broken-link", page.path, link.line,
                                       f"the link '{target}' is a web address, not a file in docs/, so MkDocs does not check it",
                                       _to_the_file(better, anchor, uri, anchors, path)))
                    continue
                if resolved in unbuilt:
                    continue  # a page the build makes once its source can be read (that source's error says why)
                near = suggest(resolved, anchors)
                out.append(problem("broken-link", page.path, link.line,
                                   f"the link '{target}' points to '{resolved}', which does not exist",
                                   f"Correct the path{f'; did you mean {near!r}' if near else ''}"))
            elif anchor and anchor not in anchors[resolved]:
                near = suggest(anchor, anchors[resolved], cutoff=0.5)
                out.append(problem("broken-anchor", page.path, link.line,
                                   f"the link '{target}' points to '#{anchor}', which is not a heading on '{resolved}'",
                                   f"Correct the anchor{f'; did you mean #{near}' if near else ''}, or link to the page without it"))
            elif anchor and anchor in facts[resolved].automatic_ids:
                title = titles[resolved].get(anchor, "")
                base = anchor.rpartition("_")[0]
                out.append(problem("unstable-anchor", page.path, link.line,
                                   f"the link '{target}' points to '#{anchor}', an id made unique by a number because "
                                   f"'{title}' is not the only heading with that text on '{resolved}'; it moves when such a heading is added or removed above it",
                                   f"Give the heading an explicit id, for example '## {title} {{#{base}-...}}', and link to that id"))
    # A reference used twice is one definition to fix: one message.
    return list({str(p): p for p in out}.values())


def markdown_file_for(address: str, uri: str, anchors) -> str | None:
    """The page a web address in a link means ("/pleas/", "../pleas/",
    "pleas/", "/pleas.md"), as a docs path, or None. Tried relative to
    docs/ for a site address, else to the page's file and then to the
    page's own address (files.md is published at files/, so "../pleas/"
    there is pleas.md)."""
    stem = address.rstrip("/")
    if stem.endswith(".md"):
        stem = stem[:-3]
    if address.startswith("/"):
        bases = [""]
        stem = stem.lstrip("/")
    else:
        folder = posixpath.dirname(uri)
        published = folder if posixpath.basename(uri) == "index.md" else posixpath.join(folder, posixpath.basename(uri)[:-3])
        bases = [folder, published]
    for base in bases:
        joined = posixpath.normpath(posixpath.join(base, stem)) if stem else (base or ".")
        while joined.startswith("..") and base is bases[-1]:
            joined = joined[3:] or "."  # a browser stays at the site's root
        if joined.startswith(".."):
            continue
        for guess in ((f"{joined}.md", posixpath.join(joined, "index.md")) if joined != "." else ("index.md",)):
            guess = posixpath.normpath(guess)
            if guess in anchors:
                return guess
    return None


def _to_the_file(better: str | None, anchor: str, uri: str, anchors, address: str) -> str:
    """The fix for a link written as a web address: the Markdown file to
    link to, written relative to this page."""
    if better:
        written = render.rel(better, uri) + (f"#{anchor}" if anchor else "")
        return f"Link to the Markdown file instead, '{written}' (relative to this file); MkDocs checks it and writes the web address"
    near = suggest(address.strip("/").removesuffix(".md") + ".md", anchors)
    return ("Link to the page's Markdown file instead, written relative to this file"
            + (f"; did you mean {render.rel(near, uri)!r}" if near else "")
            + "; MkDocs checks it and writes the web address")


def check_heading_ids(facts: dict) -> list[Problem]:
    """No two headings on a page share an id (two explicit '{#same}', or an
    explicit id equal to another heading's): the browser goes to the first,
    so the second cannot be linked to. `facts`: {uri: pipeline.PageFacts}."""
    out = []
    for uri, page in facts.items():
        if uri == render.PRINT_URI:
            continue  # built from the chapters, with ids namespaced per chapter
        first: dict[str, int] = {}
        for heading in page.headings:
            if not heading.anchor:
                continue
            if heading.anchor in first:
                out.append(problem("duplicate-id", page.path, heading.line,
                                   f"the heading '{heading.title}' has the id '#{heading.anchor}', "
                                   f"which the heading on line {first[heading.anchor]} already has",
                                   "Give this heading an id of its own that says what it is, for example '{#" + heading.anchor + "-...}'"))
            else:
                first[heading.anchor] = heading.line
        for ident, line in page.repeated_ids:
            out.append(problem("duplicate-id", page.path, line,
                               f"the id '#{ident}' is given to two elements on this page (a heading, a paragraph or raw HTML); "
                               "the browser goes to the first, so a link to it may land in the wrong place",
                               f"Give one of them an id of its own, for example '{ident}-...', or remove the id it does not need"))
    return out


def heading_owners(headings) -> dict[str, tuple]:
    """{id: (heading, the id of the heading it sits under or "")} for the
    headings of one page that have an id, in page order."""
    out, above = {}, []  # above: the headings this one may sit under, outermost first
    for heading in headings:
        while above and above[-1].level >= heading.level:
            above.pop()
        if heading.anchor:
            out.setdefault(heading.anchor, (heading, above[-1].anchor if above else ""))
        above.append(heading)
    return out


def published_anchors(project: Project) -> dict[str, dict[str, dict]]:
    """The heading ids readers can link to on each guidance page and case
    study, as the parse made them, each with the heading that owns it: what
    `make anchors` records ({page: {id: {heading, level, under}}}, in page
    order)."""
    return {
        page.uri: {anchor: {"heading": heading.title, "level": heading.level, "under": under}
                   for anchor, (heading, under) in heading_owners(page.headings).items()}
        for page in sorted(project.pages + project.case_studies, key=lambda p: p.uri)
        if page.facts is not None
    }


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _hashes(level: int) -> str:
    return "#" * max(1, min(level, 6))


def renamed_heading(anchor: str, owner: dict, recorded: dict, owners: dict):
    """The heading a removed id's heading was most likely renamed to: a
    heading whose id is not in the record, at the same level (preferably
    under the same heading), nearest in wording. None if there is none."""
    import difflib

    def likeness(text: str) -> float:
        return difflib.SequenceMatcher(None, text.casefold(), owner["heading"].casefold()).ratio()

    new = [(heading, under) for ident, (heading, under) in owners.items()
           if ident not in recorded and heading.level == owner["level"]]
    if not new:
        return None
    heading, _ = max(new, key=lambda hu: (hu[1] == owner["under"], likeness(hu[0].title), -hu[0].line))
    # Under another heading, only if the words are alike.
    return heading if _ == owner["under"] or likeness(heading.title) >= 0.5 else None


def check_anchor_record(project: Project) -> list[Problem]:
    """A heading id in anchors.lock.json (published, so perhaps bookmarked or
    cited) must still exist (`anchor-removed`: renaming or removing it needs
    a decision), and must still belong to the heading it was published for
    (`anchor-owner`: a new heading with the same text, added above it, takes
    the id and leaves the old one with '_1')."""
    from ..load import ANCHOR_RECORD

    record, lines, error = project.anchor_record
    if error:
        return [problem("anchor-removed", ANCHOR_RECORD, 1, f"the record of published anchors cannot be read: {error}",
                        "Run `make anchors` to write it again")]
    if record is None:
        return []
    pages = {p.uri: p for p in project.pages + project.case_studies if p.facts is not None}
    sources = {p.uri for p in project.pages + project.case_studies}
    out = []
    for uri, recorded in sorted(record.items()):
        page = pages.get(uri)
        if page is None:
            if uri in project.redirects:
                continue  # readers who follow an old link are sent on
            if uri in sources:
                continue  # its source is there, but its front matter cannot be used (reported as front-matter)
            out.append(problem("anchor-removed", ANCHOR_RECORD, lines.get(uri, 1),
                               f"the page '{uri}' was published with {len(recorded)} anchor(s) and no longer exists",
                               "Add a redirect from it in mkdocs.yml (redirect_maps), then run `make anchors` to refresh the record"))
            continue
        owners = heading_owners(page.headings)
        case_id = getattr(project.case_meta(page), "id", None) if not project.is_guidance_page(page) else None
        untitled = project.is_guidance_page(page) and not any(h.level == 1 for h in page.headings)
        for anchor, owner in recorded.items():
            if anchor in owners:
                out += _owner_changed(page, anchor, owner, recorded, owners)
                continue
            if untitled and owner["level"] == 1:
                continue  # the '# Title' line is missing: page-opening says so, with the title to write
            if case_id and anchor.startswith(case_id.lower() + "-"):
                # The case study page's title heading: its id comes from
                # the `title:` field, which has no heading to give an id.
                title_line = next((n for n, text in enumerate(page.text.splitlines(), 1) if text.startswith("title:")), 1)
                out.append(problem("anchor-removed", page.path, title_line,
                                   f"the published anchor '#{anchor}' of case study {case_id} came from its title, which has changed",
                                   "Keep the old title; or, if the new title is right, run `make anchors` to refresh the record "
                                   "(links to the case study page itself keep working)"))
                continue
            renamed = renamed_heading(anchor, owner, recorded, owners)
            hashes = _hashes(owner["level"])
            if renamed is not None:
                out.append(problem("anchor-removed", page.path, renamed.line,
                                   f"the published anchor '{uri}#{anchor}' (the heading '{owner['heading']}') no longer exists; "
                                   f"the heading '{renamed.title}' on this line looks like its new name",
                                   f"If the heading was renamed, keep the old address with an explicit id: '{hashes} {renamed.title} {{#{anchor}}}'; "
                                   "if the section is gone on purpose, run `make anchors` to refresh the record"))
                continue
            parent = owners.get(owner["under"])
            out.append(problem("anchor-removed", page.path, parent[0].line if parent else page.body_start,
                               f"the published anchor '{uri}#{anchor}' (the heading '{owner['heading']}'"
                               + (f", under '{parent[0].title}' on this line" if parent else "") + ") no longer exists",
                               f"If the heading was renamed, keep the old address with an explicit id: '{hashes} New title {{#{anchor}}}'; "
                               "if the section is gone on purpose, run `make anchors` to refresh the record"))
    return out


def _owner_changed(page, anchor: str, owner: dict, recorded: dict, owners: dict) -> list[Problem]:
    """`anchor-owner` for one recorded id that still exists: the heading that
    has it now is not the one it was published for, which is still on the
    page under another id (a heading with the same text was added above)."""
    heading, under = owners[anchor]
    if heading.explicit:
        return []  # written on purpose ({#id}), as the fixes here advise
    same = _same_text(heading.title, owner["heading"])
    if same and under == owner["under"]:
        # The same text under the same heading: is there now a second such
        # heading with an id nobody has published? Then one of the two is new.
        twin = next((h for ident, (h, u) in owners.items()
                     if h is not heading and ident not in recorded and u == under and _same_text(h.title, heading.title)), None)
        if twin is None:
            return []
        # Which of the two was published? The one that still stands between
        # the recorded headings the record has on either side of it.
        published = _where_recorded(anchor, recorded, page.headings, {heading.anchor, twin.anchor})
        if published(heading) and not published(twin):
            return []  # the new one is below, with a new id: no published id moved
        if published(twin) and not published(heading):
            return [problem("anchor-owner", page.path, heading.line,
                            f"this new heading '{heading.title}' has taken the published id '#{anchor}' from the heading with the same text "
                            f"on line {twin.line}, which is now '#{twin.anchor}': bookmarks, citations and links to '#{anchor}' would land here",
                            f"Give the new heading another text, or an explicit id of its own ('{_hashes(heading.level)} {heading.title} {{#{anchor}-...}}'), "
                            f"so '#{anchor}' stays with the heading it was published for; if the move is intended, run `make anchors`")]
        return [problem("anchor-owner", page.path, heading.line,
                        f"the heading '{heading.title}' on this line and the one on line {twin.line} have the same text under the same heading; "
                        f"if this one is new, it has taken the published id '#{anchor}' (bookmarks, citations and links to it would land here) "
                        f"and the heading it was published for is now '#{twin.anchor}'",
                        f"Give the new heading another text, or an explicit id of its own ('{_hashes(heading.level)} {heading.title} {{#{anchor}-...}}'), "
                        f"so '#{anchor}' stays with the heading it was published for; if the move is intended, run `make anchors`")]
    # The heading it was published for, still here under another id.
    old = next((h for ident, (h, u) in owners.items()
                if h is not heading and u == owner["under"] and _same_text(h.title, owner["heading"])), None)
    if old is None or not same:
        return []  # the same heading moved, or reworded to the same id
    return [problem("anchor-owner", page.path, heading.line,
                    f"this new heading '{heading.title}' has taken the published id '#{anchor}' from the heading with the same text "
                    f"on line {old.line}, which is now '#{old.anchor}': bookmarks, citations and links to '#{anchor}' would land here",
                    f"Give the new heading another text, or an explicit id of its own ('{_hashes(heading.level)} {heading.title} {{#{anchor}-...}}'), "
                    f"so '#{anchor}' stays with the heading it was published for; if the move is intended, run `make anchors`")]


def _where_recorded(anchor: str, recorded: dict, headings, twins: set):
    """A test of whether a heading stands where the record has the heading
    published as `anchor`: between the same recorded ids (the record lists
    a page's ids in page order), leaving the twins out."""
    order = [ident for ident in recorded if ident != anchor]
    position = list(recorded).index(anchor)
    expected = (order[position - 1] if position > 0 else None, order[position] if position < len(order) else None)
    known = [h for h in headings if h.anchor in recorded and h.anchor not in twins]

    def published(candidate) -> bool:
        index = headings.index(candidate)
        before = [h.anchor for h in known if headings.index(h) < index]
        after = [h.anchor for h in known if headings.index(h) > index]
        return (before[-1] if before else None, after[0] if after else None) == expected

    return published


UNRESOLVED = {
    "reference": ("has no definition, so readers would see the brackets as text",
                  "Add the definition on a line of its own ([id]: page.md), or write the link as [words](page.md)"),
    "footnote": ("is a footnote reference with no footnote, so readers would see it as text",
                 "Add the footnote ([^id]: The note.) or correct the reference"),
    "link": ("is a link with no address, so it leads nowhere",
             "Put the address in the brackets, for example [words](page.md), or remove the link"),
}


def check_unresolved(project: Project) -> list[Problem]:
    """What the parse left unresolved (pipeline.RecordMisses): a reference
    link or footnote reference with no definition, which Python-Markdown
    publishes as typed, and a link to "". Also a footnote definition nothing
    refers to, whose back link points to no anchor (the strict build fails)."""
    out = []
    for page in project.pages + project.case_studies:
        facts = page.facts
        if facts is None:
            continue
        for line, kind, raw in facts.unresolved:
            problem_text, fix = UNRESOLVED[kind]
            out.append(problem("unresolved-reference", page.path, line, f"'{raw}' {problem_text}", fix))
        for line, name in facts.unused_footnotes:
            out.append(problem("unused-footnote", page.path, line,
                               f"the footnote [^{name}] is defined but nothing refers to it",
                               f"Refer to it with [^{name}] where it belongs, or delete the definition"))
    return out
