"""Pages that work with no signal: the service worker's side of the build.

The published site registers a service worker (docs/sw.js, at the site root)
from assets/javascripts/offline.js once a page has loaded. The worker stores
every page, the theme's assets and the search index listed in
`offline-manifest.json`, which `write_manifest` writes after each build.
Online, pages come from the network first; with no connection, the stored
copy is shown with the date it was stored.

Only the published site has a worker: under `make serve` (pages change on
every save) and in the offline zip (file://, where browsers refuse service
workers) neither the worker nor the script that registers it is built.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from pathlib import Path
from urllib.parse import unquote

WORKER = "sw.js"
REGISTER_SCRIPT = "assets/javascripts/offline.js"
MANIFEST = "offline-manifest.json"

# What a reader needs with no signal; nothing else (source maps, exports,
# the sitemap and other languages' stemmers are left out).
_STORE = ("*.html", "**/*.html", "assets/stylesheets/*.css", "assets/javascripts/*.js",
          "assets/javascripts/workers/*.js", "search/search_index.json", "assets/images/*")
_SKIP = ("404.html",)


def configure(config, published: bool) -> None:
    """Leave out the script that registers the worker unless published, and
    tell the templates whether the site is the published one."""
    config.extra["published"] = published
    if not published:
        config.extra_javascript = [s for s in config.extra_javascript
                                   if REGISTER_SCRIPT not in str(getattr(s, "path", s))]


def drop_worker_unless_published(files, published: bool) -> None:
    worker = files.get_file_from_path(WORKER)
    if worker is not None and not published:
        files.remove(worker)


# Files a page links to or shows that are not worth a place on a phone: the
# offline zip itself (the whole site again) and the machine-readable exports.
_NOT_FOR_READERS = (".zip", ".map")
_LINKED = re.compile(r'\b(?:href|src)="([^"#?:]+)[^"]*"')


def stored_files(site_dir: Path) -> list[str]:
    """Site-relative paths the worker stores, sorted: the pages, the theme's
    assets and the search index, and every other file of the site that a
    stored page links to or shows (a form as PDF, a diagram outside
    assets/images/), so that with no signal nothing a page points to is
    missing."""
    found = set()
    for pattern in _STORE:
        for path in site_dir.glob(pattern):
            if path.is_file() and path.name not in _SKIP and not path.name.endswith(_NOT_FOR_READERS):
                found.add(path.relative_to(site_dir).as_posix())
    root = site_dir.resolve()
    for name in [n for n in found if n.endswith(".html")]:
        page = site_dir / name
        for address in _LINKED.findall(page.read_text(encoding="utf-8")):
            target = (page.parent / unquote(address)).resolve()
            if target.is_file() and target.is_relative_to(root) and not target.name.endswith(_NOT_FOR_READERS) \
                    and target.name not in _SKIP:
                found.add(target.relative_to(root).as_posix())
    return sorted(found)


def manifest(site_dir: Path) -> dict:
    """{"version": hash of every stored file, "files": [addresses]}: an
    index.html is listed by its directory address ("offences/")."""
    files = stored_files(site_dir)
    # A version, not a security check: each file's CRC-32 (several times
    # faster than a cryptographic hash over the whole site) and size, then
    # one digest of those and the names.
    digest = hashlib.blake2b(digest_size=8)
    for name in files:
        data = (site_dir / name).read_bytes()
        digest.update(f"{name}\0{len(data)}\0{zlib.crc32(data)}\n".encode())
    addresses = [name[: -len("index.html")] if name.endswith("index.html") else name for name in files]
    return {"version": digest.hexdigest(), "files": addresses}


def write_manifest(site_dir: Path) -> None:
    (site_dir / MANIFEST).write_text(json.dumps(manifest(site_dir), separators=(",", ":")), encoding="utf-8")
