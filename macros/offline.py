"""`make offline`: a zip of the site that works from the file system.

    python -m macros.offline [--out build] [--site site]

It writes build/guidance-offline-<date>.zip (kept as a dated release) and,
given --site (as `make offline` does) with a site built in it, copies it to
<site>/guidance-offline.zip: the stable address every page's footer links to
(overrides/partials/copyright.html). `make build offline` therefore publishes
the zip with the site.

Material's offline plugin inlines the search index and makes links end in
.html. Search runs in a web worker, which browsers refuse on file://, so the
plugin loads the iframe-worker shim, by default from a public CDN. We serve a
pinned copy of that shim from the site itself instead: it is fetched from the
npm registry at build time (never committed), checked against a known hash,
and copied into the site. The shim writes one inline script into a hidden
frame; its hash is added to each page's content security policy. That script
names the worker's address as the page's __config gives it, which the build
has made docs/assets/javascripts/search-worker.js (macros/search.py,
use_our_worker): the same worker as on the site, so the offline copy stems,
ranks and reads citations as the site does. The hash is therefore computed
per page, from the shim's own code and that address (frame_script_hash),
after the address is written (macros/hooks.py, _finish); none is written by
hand.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIM_PACKAGE = "iframe-worker@1.0.4"
SHIM_SHA256 = "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609"
SHIM_PATH = "assets/javascripts/iframe-worker-shim.js"  # inside the site
STABLE_NAME = "guidance-offline.zip"  # in the published site, linked from every footer
# Material's worker loads its lunr language files only for a search language
# other than English (lunr/min/lunr.<lang>.min.js, lunr.stemmer.support and
# lunr.multi; tinyseg.js for Japanese, wordcut.js for Thai).
LUNR_DIR = "assets/javascripts/lunr/"


def left_out_offline(rel_paths: list[str], search_langs: list[str]) -> set[str]:
    """Which of the built offline site's files (paths relative to it, with
    "/") no reader of the unzipped copy ever loads, so the zip leaves them out:

    - source maps (*.map), which only a browser's developer tools fetch;
    - search/search_index.json, when search/search_index.js is there: on
      file:// the offline plugin's page script reads the index from the .js
      (a fetch of the .json is refused there);
    - Material's lunr language files, when the only search language is
      English (LUNR_DIR).

    In: the paths, and the search index's config "lang" list. Out: the set to
    leave out (a subset of the paths). Raises nothing."""
    paths = set(rel_paths)
    out = {p for p in paths if p.endswith(".map")}
    if "search/search_index.js" in paths:
        out |= {"search/search_index.json"} & paths
    if search_langs == ["en"]:
        out |= {p for p in paths if p.startswith(LUNR_DIR)}
    return out


def search_langs(site: Path) -> list[str]:
    """The search languages in the built site's search index (["en"] when it
    cannot be read, which is what mkdocs.yml sets)."""
    try:
        return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["lang"]
    except (OSError, ValueError, KeyError):
        return ["en"]


def fetch_shim(cache: Path) -> Path:
    """Download the pinned shim with npm (which checks the registry's integrity
    hash), then check the file itself against SHIM_SHA256."""
    shim = cache / "package" / "shim" / "index.js"
    if not shim.exists():
        cache.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(["npm", "pack", SHIM_PACKAGE, "--silent"], cwd=cache, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"Could not fetch {SHIM_PACKAGE} with npm: {out.stderr.strip()}")
        with tarfile.open(cache / out.stdout.strip().splitlines()[-1]) as tar:
            tar.extract("package/shim/index.js", cache, filter="data")
    digest = hashlib.sha256(shim.read_bytes()).hexdigest()
    if digest != SHIM_SHA256:
        sys.exit(f"{shim} has sha256 {digest}, expected {SHIM_SHA256}: refusing to ship it")
    return shim


def frame_script_hash(shim_js: str, worker_url: str) -> str:
    """The hash of the inline script the shim writes into its frame for a
    worker at `worker_url` (as written in the page's __config)."""
    post = re.search(r"function c\(s,n\)\{.*?\}(?=function d)", shim_js).group(0)
    imports = re.search(r"function d\(\.\.\.s\)\{.*?\}(?=var o=)", shim_js).group(0)
    script = (
        f"postMessage={post};importScripts={imports};"
        f'addEventListener("error",({{error}})=>{{parent.dispatchEvent(new ErrorEvent("error",{{filename:"{worker_url}",error}}))}})'
    )
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def worker_url(html: str) -> str | None:
    match = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1)).get("search") if match else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.offline")
    parser.add_argument("--out", default=ROOT / "build", type=Path)
    parser.add_argument("--site", type=Path, help="the built site to publish the zip in (make offline: site)")
    args = parser.parse_args(argv)
    shim = fetch_shim(args.out / "npm")
    site = args.out / "offline-site"
    env = {**os.environ, "GUIDANCE_OFFLINE": "true", "GUIDANCE_SHIM": str(shim),
           "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run([str(mkdocs), "build", "--strict", "--clean", "-d", str(site)], cwd=ROOT, env=env)
    if result.returncode != 0:
        return result.returncode
    zip_path = args.out / f"guidance-offline-{dt.date.today().isoformat()}.zip"
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    left_out = left_out_offline(files, search_langs(site))
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in files:
            if rel not in left_out:
                zf.write(site / rel, f"guidance/{rel}")
    print(f"Wrote {zip_path} ({zip_path.stat().st_size // 1024} KB). Unzip it and open guidance/index.html.")
    if args.site and (args.site / "index.html").is_file():
        shutil.copy(zip_path, args.site / STABLE_NAME)
        print(f"Copied it to {args.site / STABLE_NAME}, the address every page's footer links to.")
    elif args.site:
        print(f"No built site in {args.site}: run `make build offline` to publish the zip at {STABLE_NAME}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
