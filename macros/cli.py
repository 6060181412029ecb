"""`make check`: run every check without writing the site.

It runs the build's own reading stage in-process (stage.check_site): MkDocs
loads mkdocs.yml, the hooks check the sources and the navigation, and every
page is parsed once by the same pipeline the build uses. So a green check
means a green build.

    python -m macros.cli check [--today YYYY-MM-DD] [--root PATH]
    python -m macros.cli serve [--port 8000]    (`make serve`)

Exit status 1 if there are errors. Warnings (pages overdue for review) are
listed but do not fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from . import stage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check the guidance sources")
    check.add_argument("--root", default=".", type=Path)
    check.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    serve = sub.add_parser("serve", help="serve the site at http://127.0.0.1:PORT, rebuilding on save")
    serve.add_argument("--port", type=int, default=8000)
    sub.add_parser("schema", help="write the JSON Schemas to schema/")
    anchors = sub.add_parser("anchors", help="refresh anchors.lock.json, the record of published anchors")
    anchors.add_argument("--root", default=".", type=Path)
    args = parser.parse_args(argv)
    root = getattr(args, "root", None)
    if root is not None and not root.is_dir():
        parser.error(f"--root {root} is not a folder. Pass the folder that holds mkdocs.yml, or leave --root out to use this one")
    if args.command == "schema":
        from .schema import write_schemas

        for path in write_schemas(Path("schema")):
            print(f"wrote {path}")
        return 0
    if args.command == "anchors":
        return write_anchor_record(args.root)
    if args.command == "serve":
        return serve_site(args.port)
    started = time.perf_counter()
    problems, project = stage.check_site(args.root, args.today)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for p in problems:
        prefix = "warning: " if p.severity == "warning" else ""
        print(f"{prefix}{p}")
    took = time.perf_counter() - started
    if project is None:
        print(f"checked in {took:.1f} s: {len(errors)} error(s).", file=sys.stderr)
        return 1
    summary = (
        f"{len(project.pages)} pages, {len(project.case_studies)} case studies, "
        f"{len(project.references)} traced sections checked in {took:.1f} s: "
        f"{len(errors)} error(s), {len(warnings)} warning(s)."
    )
    print(summary, file=sys.stderr)
    if errors:
        print("Fix the errors above (each line says how), then run `make check` again.", file=sys.stderr)
    return 1 if errors else 0


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True if something already listens on host:port (another `make serve`)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def serve_site(port: int) -> int:
    """`make serve`: say in one line, never with a traceback, when the port is
    taken; otherwise hand over to `mkdocs serve` (this process becomes it)."""
    import os

    if port_in_use(port):
        print(f"make serve: port {port} is already in use, probably by another `make serve`. "
              f"Stop that one (Ctrl+C in its terminal), or run `make serve PORT={port + 1}`.", file=sys.stderr)
        return 1
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    os.execv(mkdocs, [mkdocs, "serve", "--dev-addr", f"127.0.0.1:{port}"])
    return 0  # not reached


def write_anchor_record(root: Path) -> int:
    """`make anchors`: record the heading ids every page publishes now, each
    with the heading that owns it. Run it on purpose, after deciding that
    removed or renamed anchors may go, or that an id may pass to another
    heading."""
    from .checks import published_anchors
    from .load import ANCHOR_RECORD

    problems, project = stage.check_site(root)
    blocking = [p for p in problems if p.severity == "error" and p.code not in ("anchor-removed", "anchor-owner")]
    if project is None or blocking or not project.facts:
        for p in blocking:
            print(p)
        print("Fix the errors above first (`make check`); the record was not changed.", file=sys.stderr)
        return 1
    path = Path(root) / ANCHOR_RECORD
    record = published_anchors(project)
    path.write_text(anchor_record_text(record), encoding="utf-8")
    print(f"wrote {path}: {sum(len(v) for v in record.values())} anchors on {len(record)} pages")
    return 0


def anchor_record_text(record: dict) -> str:
    """anchors.lock.json as JSON with one line for each id and its heading,
    so a change to the record reads as a change to a heading in review."""
    import json

    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    pages = []
    for uri, ids in record.items():
        rows = ",\n".join(f"  {one(ident)}: {one(owner)}" for ident, owner in ids.items())
        pages.append(f" {one(uri)}: {{\n{rows}\n }}" if rows else f" {one(uri)}: {{}}")
    return "{\n" + ",\n".join(pages) + "\n}\n"


if __name__ == "__main__":
    sys.exit(main())
