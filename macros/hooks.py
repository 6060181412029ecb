"""MkDocs hooks: check the sources, add the generated pages, and publish the
machine-readable exports. Registered in mkdocs.yml under `hooks:`.

MkDocs loads this file by path, so the project root is put on sys.path to
import the `macros` package.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from macros import checks, exports, project as project_index, render  # noqa: E402

log = logging.getLogger("mkdocs.plugins.guidance")


def _project(config):
    return project_index.current(Path(config.config_file_path).parent)


def on_config(config):
    """Fail closed: run every check before anything renders."""
    project = _project(config)
    problems = checks.run_all(project, dt.date.today())
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        if p.severity == "warning":
            log.info(str(p))  # overdue reviews must not block an unrelated fix
    if errors:
        for p in errors:
            log.error(str(p))
        raise PluginError(
            f"{len(errors)} problem(s) in the guidance sources, listed above. "
            "Each line gives the file and line, the problem and the fix. Run `make check` to see them again."
        )
    return config


def on_files(files, config):
    """Add the generated pages (register, item pages, case studies, indexes)."""
    project = _project(config)
    for uri, content in render.generated_pages(project).items():
        files.append(File.generated(config, uri, content=content))
    # Machine-readable exports, as files so that pages can link to them.
    files.append(File.generated(config, "traceability.json", content=exports.dumps(exports.traceability(project))))
    files.append(File.generated(config, "pages.json", content=exports.dumps(exports.review_feed(project, config.site_url or ""))))
    return files


def on_page_markdown(markdown, page, config, files):
    """Give the template the facts it shows about a page (overrides/main.html)."""
    project = _project(config)
    source = next((p for p in project.pages if p.uri == page.file.src_uri), None)
    meta = project.page_meta(source) if source else None
    if meta is None:
        return markdown
    delivers = []
    for item_id in project.items_on_page(source.uri):
        target = files.get_file_from_path(render.item_uri(item_id))
        delivers.append({"id": item_id, "title": project.items[item_id].title,
                         "url": get_relative_url(target.url, page.url)})
    page.meta["facts"] = {
        "law_as_at": long_date(meta.law_as_at),
        "last_reviewed": long_date(meta.last_reviewed),
        "review_due": long_date(meta.review_due),
        "review_due_iso": meta.review_due.isoformat(),
        "owner": meta.owner,
        "delivers": delivers,
    }
    return markdown


def long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def on_post_build(config):
    """Every HTML file gets its content security policy, including the 404 page
    and redirect stubs, which other plugins write outside on_post_page."""
    for path in Path(config.site_dir).rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="Content-Security-Policy"' not in html:
            path.write_text(exports.add_content_security_policy(html), encoding="utf-8")
