"""Links and anchors (the same rules MkDocs applies, but with line numbers)."""

from __future__ import annotations

import posixpath

from .. import render
from ..load import parse_page
from ..model import Problem
from ..project import Project
from . import problem
from .common import EXTERNAL, suggest


def check_links(project: Project, generated: dict[str, str] | None = None) -> list[Problem]:
    """Every relative link in the sources (and in generated pages) must resolve."""
    generated = render.reference_pages(project) if generated is None else generated
    generated_pages = [parse_page(text, f"(generated) {uri}", uri) for uri, text in generated.items()]
    anchors = {p.uri: {h.anchor for h in p.headings} for p in project.pages + project.case_studies + generated_pages}
    # The print view repeats the chapters, whose links are checked at source:
    # it is a valid target but is not parsed again.
    for uri in list(generated) + [render.PRINT_URI]:
        anchors.setdefault(uri, set())
    out = []
    for page in project.pages + project.case_studies + generated_pages:
        for link in page.links:
            target = link.target
            if target.startswith("http://"):
                out.append(problem("insecure-link", page.path, link.line, f"'{target}' uses http",
                                   "Use the https address"))
                continue
            if EXTERNAL.match(target) or target.startswith("//"):
                continue
            path, _, anchor = target.partition("#")
            if not path:
                resolved = page.uri
            elif path.startswith("/"):
                out.append(problem("broken-link", page.path, link.line, f"the link '{target}' is absolute",
                                   "Write it relative to this file, for example '../pleas.md'"))
                continue
            else:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.uri), path))
            if resolved not in anchors:
                if path.endswith((".json", ".css", ".js", ".png", ".svg", ".pdf", ".zip")) or path.endswith("/"):
                    continue  # assets and directory links are checked in the built site
                near = suggest(resolved, anchors)
                out.append(problem("broken-link", page.path, link.line,
                                   f"the link '{target}' points to '{resolved}', which does not exist",
                                   f"Correct the path{f'; did you mean {near!r}' if near else ''}"))
            elif anchor and anchor not in anchors[resolved]:
                near = suggest(anchor, anchors[resolved], cutoff=0.5)
                out.append(problem("broken-anchor", page.path, link.line,
                                   f"the link '{target}' points to '#{anchor}', which is not a heading on '{resolved}'",
                                   f"Correct the anchor{f'; did you mean #{near}' if near else ''}, or link to the page without it"))
    return out
