"""Files in docs/ that are neither pages nor assets.

MkDocs copies every file in docs/ that is not a page into the published site
as it is: an editor's notes (docs/notes.txt) or backups (docs/pleas.md~,
docs/pleas.md.orig) would be published, whatever they hold. Only pages
(.md) and the kinds of file a page uses (ASSET_EXTENSIONS) may be there.
Hidden files (a leading dot) are left out of the build by MkDocs itself.

Input: the project (its root). Output: one problem per stray file.
"""

from __future__ import annotations

import os

from ..model import Problem
from ..project import DOCS, Project
from .catalogue import problem

ASSET_EXTENSIONS = {".md", ".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico",
                    ".woff", ".woff2", ".pdf", ".webmanifest"}


def check_stray_files(project: Project) -> list[Problem]:
    out = []
    docs = project.root / DOCS
    for folder, dirs, files in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or os.path.splitext(name)[1].lower() in ASSET_EXTENSIONS:
                continue
            rel = os.path.relpath(os.path.join(folder, name), project.root).replace(os.sep, "/")
            out.append(problem("stray-file", rel, 1,
                               f"'{rel}' is neither a page (.md) nor an asset, so the build would publish it as it is",
                               "Delete it, or move it out of docs/ (keep notes and backups elsewhere)"))
    return out
