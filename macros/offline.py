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
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(site.rglob("*")):
            if path.is_file():
                zf.write(path, Path("guidance") / path.relative_to(site))
    print(f"Wrote {zip_path} ({zip_path.stat().st_size // 1024} KB). Unzip it and open guidance/index.html.")
    if args.site and (args.site / "index.html").is_file():
        shutil.copy(zip_path, args.site / STABLE_NAME)
        print(f"Copied it to {args.site / STABLE_NAME}, the address every page's footer links to.")
    elif args.site:
        print(f"No built site in {args.site}: run `make build offline` to publish the zip at {STABLE_NAME}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
