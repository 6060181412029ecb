"""MkDocs hooks: check the sources, add the generated pages, and publish the
machine-readable exports. Registered in mkdocs.yml under `hooks:`.

MkDocs loads this file by path, so the project root is put on sys.path to
import the `macros` package.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from macros import citations, exports, printview, project as project_index, render, serve, stage  # noqa: E402
from macros import feeds, law_on_a_date, offline_reading, search  # noqa: E402

_MODULES = {"citations": "macros.citations", "exports": "macros.exports", "printview": "macros.printview",
            "project_index": "macros.project", "render": "macros.render", "serve": "macros.serve", "stage": "macros.stage",
            "offline_reading": "macros.offline_reading", "search": "macros.search",
            "feeds": "macros.feeds", "law_on_a_date": "macros.law_on_a_date"}


def _code_stamp() -> int:
    return max((p.stat().st_mtime_ns for p in (ROOT / "macros").rglob("*.py")), default=0)


_LOADED_STAMP = [_code_stamp()]


def _reload_changed_code() -> None:
    """Under `make serve`, a saved change to the project's Python code takes
    effect on the next rebuild. MkDocs loads this file once per process, so
    when any file in macros/ is newer than the loaded code, the package is
    imported afresh and this module's names are pointed at the new modules
    (the macros plugin imports the package again on every rebuild)."""
    stamp = _code_stamp()
    if stamp == _LOADED_STAMP[0]:
        return
    import importlib

    _LOADED_STAMP[0] = stamp
    old = {n: m for n, m in sys.modules.items() if n == "macros" or n.startswith("macros.")}
    for name in old:
        del sys.modules[name]
    if str(ROOT) not in sys.path:  # MkDocs restores sys.path after loading this file
        sys.path.insert(0, str(ROOT))
    try:
        fresh = {name: importlib.import_module(module) for name, module in _MODULES.items()}
    except Exception as exc:  # e.g. a syntax error being typed: keep the old code, say why
        sys.modules.update(old)
        _CODE_ERROR[:] = [f"the changed code in macros/ cannot be loaded ({exc!r}); the previous code is still in use"]
        return
    globals().update(fresh)
    _CODE_ERROR.clear()
    log.info("Reloaded the project's code in macros/")


_CODE_ERROR: list[str] = []

log = logging.getLogger("mkdocs.plugins.guidance")
GUIDANCE_SEARCH_BOOST = 3


def _project(config):
    return project_index.current(Path(config.config_file_path).parent)


def on_startup(command, dirty):
    """Remember that this process serves the site (see macros/serve.py)."""
    if command == "serve":
        os.environ[serve.FLAG] = "1"


def on_serve(server, config, builder):
    """Let each served page's content security policy allow the reload script
    that `mkdocs serve` appends to it (macros/serve.py). This wraps a private
    method of MkDocs 1.6's LiveReloadServer; if it is missing, pages still
    work but do not reload by themselves."""
    inject = getattr(server, "_inject_js_into_html", None)
    if inject is not None:
        server._inject_js_into_html = lambda content, epoch: serve.allow_livereload(inject(content, epoch))
    return server


_SERVE_ERRORS: list = []  # under serve: the errors shown instead of every page
_SERVE_WARNINGS: list[str] = []  # under serve: build warnings shown on every page


@event_priority(100)  # first, so that under serve changed code is reloaded before the macros plugin imports it
def on_config(config):
    """Fail closed: run every check before anything renders.

    Under `make serve` the build never fails (MkDocs would hold every request
    until a good build): the errors replace every page instead, and build
    warnings are shown at the top of each page (macros/serve.py)."""
    if serve.serving():
        _reload_changed_code()
    _serve_offline_shim_locally(config)
    _add_citation_links(config)
    offline_reading.configure(config, published=_published())
    config.extra["offline_link"] = publishing()
    if publishing() and site_address_problem(config.site_url):
        raise PluginError(f"mkdocs.yml: {site_address_problem(config.site_url)}, so the published 404 page would load no styles "
                          "and the print edition would print addresses that lead nowhere. "
                          "Fix: give the address readers will use, for example SITE_URL=https://your-host/guidance/ make publish "
                          "(README, 'Publishing and rolling back')")
    if serve.serving():
        return _serve_config(config)
    _stage(stage.on_config, config)
    return config


def _add_citation_links(config):
    """Our Markdown extension (macros/citations.py) links citations to
    legislation.gov.uk and cases to their judgments. It is added here, not in
    mkdocs.yml, because `macros` is importable only once this file has run."""
    if not any(isinstance(e, citations.CitationExtension) for e in config.markdown_extensions):
        root = Path(config.config_file_path).parent
        config.markdown_extensions.append(citations.CitationExtension(root=str(root)))


def _stage(function, *args):
    """Run a checking stage of stage.py; stop the build on its errors."""
    try:
        return function(*args)
    except stage.CheckFailed as exc:
        raise PluginError(str(exc)) from None


def _serve_config(config):
    # Warnings must not stop a rebuild (MkDocs counts them for strict mode with
    # a handler added before on_config): they are collected and shown instead.
    from mkdocs.utils import CountHandler

    config.strict = False
    for handler in [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]:
        logging.getLogger("mkdocs").removeHandler(handler)
    _SERVE_ERRORS.clear()
    _SERVE_WARNINGS.clear()
    try:
        problems = stage.on_config(config, fail=False).problems
    except Exception as exc:  # a fault in the project's own code: show it, do not hang
        from macros.model import Location, Problem

        problems = [Problem("internal-error", Location(config.config_file_path, 1), f"the checks failed: {exc!r}",
                            "Run `make check` to see the traceback, and report it")]
    if _CODE_ERROR:
        from macros.model import Location, Problem

        problems = [Problem("internal-error", Location("macros", 1), _CODE_ERROR[0], "Fix the code and save again")] + list(problems)
    _SERVE_ERRORS.extend(p for p in problems if p.severity == "error")
    if not any(isinstance(h, _WarningCollector) for h in logging.getLogger("mkdocs").handlers):
        logging.getLogger("mkdocs").addHandler(_WarningCollector())
    return config


class _WarningCollector(logging.Handler):
    """Collects the warnings of a build under serve, to show them in the browser."""

    def __init__(self):
        super().__init__(level=logging.WARNING)

    def emit(self, record):
        _SERVE_WARNINGS.append(record.getMessage())


def on_page_read_source(page, config):
    """Under serve, with errors in the sources: every page is the error page."""
    if _SERVE_ERRORS:
        return serve.error_page(_SERVE_ERRORS)
    return None


def _serve_offline_shim_locally(config):
    """In the offline build, load the iframe-worker shim from the site itself,
    not from the CDN that Material's offline plugin would add."""
    if not os.environ.get("GUIDANCE_SHIM"):
        return
    from macros import offline

    polyfills = config.extra.setdefault("polyfills", [])
    # The shim first: search.js (also a polyfill) then prepares the queries
    # sent to the shim's worker as it does to the browser's own.
    polyfills[:] = [offline.SHIM_PATH] + [p for p in polyfills if "iframe-worker" not in str(p)]


PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")  # RFC 2606: never a real site


def publishing() -> bool:
    """True under `make publish` (GUIDANCE_PUBLISH=1): the site that goes on
    the host, with the footer link to the offline copy, which `make publish`
    then builds into it."""
    return os.environ.get("GUIDANCE_PUBLISH") == "1"


def site_address_problem(site_url: str | None) -> str | None:
    """Why `site_url` cannot be published (empty, or a placeholder host from
    RFC 2606), or None. The 404 page and the print edition's addresses are
    built from it, so a wrong one breaks them on the real host."""
    host = (site_url or "").split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    if not site_url or not site_url.startswith("https://"):
        return f"site_url is '{site_url or ''}', which is not an https address"
    if host == "" or any(host == h or host.endswith("." + h) for h in PLACEHOLDER_HOSTS):
        return f"site_url is the placeholder '{site_url}'"
    return None


def _published() -> bool:
    """True for the site as published: not `make serve`, not the offline zip."""
    return not serve.serving() and not os.environ.get("GUIDANCE_SHIM") and \
        os.environ.get("GUIDANCE_OFFLINE", "false").lower() not in ("1", "true")


def on_files(files, config):
    """Add the generated pages (register, item pages, case studies, indexes)."""
    offline_reading.drop_worker_unless_published(files, _published())
    project = _project(config)
    order = [uri for uri in _nav_order(config.nav) if uri.endswith(".md")] if config.nav else [p.uri for p in project.pages]
    guidance = {p.uri for p in project.pages}
    chapters = [uri for uri in order if uri in guidance and uri not in ("index.md", "accessibility.md")]
    _PRINT_ORDER[:] = chapters
    if _SERVE_ERRORS:  # the pages will show the errors; only their addresses matter
        try:
            uris = list(render.reference_pages(project))
        except Exception:  # the sources are broken; the fixed pages below are enough
            uris = []
        for uri in dict.fromkeys(uris + [render.REGISTER_URI, render.COVERAGE_URI, render.CASE_INDEX_URI,
                                         render.GLOSSARY_URI, render.WHATS_NEW_URI, render.PRINT_URI]):
            files.append(File.generated(config, uri, content=""))
        return files
    for uri, content in render.generated_pages(project, chapters).items():
        files.append(File.generated(config, uri, content=content))
    # The law data for the "Law on a date" page, and the Atom feeds.
    files.append(File.generated(config, law_on_a_date.DATA_JS, content=law_on_a_date.data_js(project)))
    for name, content in feeds.all_feeds(project, config.site_url or "").items():
        files.append(File.generated(config, name, content=content))
    # Machine-readable exports, as files so that pages can link to them;
    # written in on_env, once the pages have been parsed.
    for name in EXPORTS:
        files.append(File.generated(config, name, content=""))
    return files


EXPORTS = ("traceability.json", "pages.json")


def _exports(project, config) -> dict[str, str]:
    return {
        "traceability.json": exports.dumps(exports.traceability(project)),
        "pages.json": exports.dumps(exports.review_feed(project, config.site_url or "")),
    }


def on_nav(nav, config, files):
    """Every guidance page must be in the navigation."""
    if not _SERVE_ERRORS:
        _stage(stage.on_nav, nav, files)
    return nav


_TEMPLATES = serve.TemplateCache()  # kept across rebuilds: MkDocs loads this file once per process

_SEARCH_ENTRIES = serve.SearchEntryCache()  # the same, for the search index's entries of each page


def _keep_search_entries():
    """Under serve, Material's search index reuses the entries of each page
    unchanged since the last rebuild (macros/serve.py). If Material's index
    is not where MkDocs 1.6 and Material 9 keep it, nothing is kept."""
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:
        return
    if not hasattr(SearchIndex.add_entry_from_context, "__wrapped__"):
        _SEARCH_ENTRIES.wrap(SearchIndex)
    _SEARCH_ENTRIES.new_build()


_PRINT_ORDER: list[str] = []  # the chapters of the print view, in reading order


def on_env(env, config, files):
    """Every page has been parsed, once, and nothing is written yet: check
    what the parse found (stage.py), finish the exports that depend on it,
    and fill the whole-guidance print view with the chapters as rendered."""
    if serve.serving():
        _TEMPLATES.attach(env)  # the theme's templates, compiled once per `make serve` (macros/serve.py)
        _keep_search_entries()
    if not _SERVE_ERRORS:
        _stage(stage.on_env, files)
        if serve.serving() and stage.errors():
            # Under serve, problems found in the parsed pages replace every
            # page too (nothing has been written yet).
            _SERVE_ERRORS.extend(stage.errors())
            import markdown

            html = markdown.markdown(serve.error_page(_SERVE_ERRORS), extensions=["md_in_html"])
            for file in files.documentation_pages():
                if file.page is not None:
                    file.page.content = html
            return env
        if stage.checking():
            return env  # `make check` writes nothing: the exports and print view are output only
        for name, content in _exports(_project(config), config).items():
            found = files.get_file_from_path(name)
            if found is not None:
                found.content_string = content
    print_file = files.get_file_from_path(render.PRINT_URI)
    if _SERVE_ERRORS or print_file is None or print_file.page is None or print_file.page.content is None:
        return env
    chapters = []
    for uri in _PRINT_ORDER:
        file = files.get_file_from_path(uri)
        page = file.page if file else None
        if page is None or page.content is None:
            continue
        chapters.append(printview.Chapter(
            key=printview.chapter_key(uri), url=page.url, title=page.title or uri,
            html=page.content, facts=page.meta.get("facts") or {},
        ))
    page = print_file.page
    page.content += printview.assemble(chapters, page.url, config.site_url or "")
    from mkdocs.structure.toc import AnchorLink, TableOfContents

    page.toc = TableOfContents([AnchorLink(c.title, c.title_id, 2) for c in chapters])  # headings, for toc.follow
    return env


def _nav_order(nav) -> list[str]:
    """The docs paths in mkdocs.yml's nav, in reading order."""
    out = []
    for entry in nav or []:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        out += _nav_order(value) if isinstance(value, list) else [value]
    return out


@event_priority(100)
def on_page_markdown(markdown, page, config, files):
    """Tell the pipeline which page it parses next (generated pages get their
    final content here, once the guidance pages they index are parsed), and
    give the template the facts it shows about a page (overrides/main.html)."""
    if _SERVE_ERRORS:
        stage.quiet()
        return markdown
    markdown = stage.on_page_markdown(markdown, page)
    project = _project(config)
    law_source = project.source(page.file.src_uri)
    source = law_source if law_source is not None and project.is_guidance_page(law_source) else None
    citations.set_page(law_source.meta.get("default_act") if law_source and isinstance(law_source.meta, dict) else None)
    meta = project.page_meta(source) if source else None
    if meta is None:
        return markdown
    # Rank guidance chapters above the short generated pages in search.
    page.meta.setdefault("search", {}).setdefault("boost", GUIDANCE_SEARCH_BOOST)
    page.meta["facts"] = {
        "law_as_at": long_date(meta.law_as_at),
        "last_reviewed": long_date(meta.last_reviewed),
        "review_due": long_date(meta.review_due),
        "review_due_iso": meta.review_due.isoformat(),
        "law_as_at_short": short_date(meta.law_as_at),
        "review_due_month": f"{short_month(meta.review_due)} {meta.review_due.year}",
        "owner": meta.owner,
        "delivers": [],  # filled in on_page_context, once every page is parsed
    }
    return markdown


def on_page_content(html, page, config, files):
    """Chapters longer than three phone screens get an "On this page" list."""
    facts = page.meta.get("facts")
    if facts is not None:
        facts["contents_on_phone"] = exports.phone_screens(html) > 3
    return html


def long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


# Short month names in the GOV.UK style (for the one-line page facts on phones).
SHORT_MONTHS = "Jan Feb Mar Apr May June July Aug Sept Oct Nov Dec".split()


def short_month(value: dt.date) -> str:
    return SHORT_MONTHS[value.month - 1]


def short_date(value: dt.date) -> str:
    return f"{value.day} {short_month(value)} {value.year}"


_FINISHED: set[str] = set()  # pages finished in on_post_page during this build


def on_pre_build(config):
    _FINISHED.clear()


_PLACES: dict[str, object] = {}  # page -> the menu entry highlighted while it renders


def on_page_context(context, page, config, nav):
    """The items a guidance page delivers, for its page facts (known only
    once every page is parsed). A generated page that is not in the menu (a
    case study, an item page) highlights the menu entry it is reached from
    (overrides/partials/nav-item.html)."""
    facts = page.meta.get("facts")
    if facts is not None:
        project = _project(config)
        facts["delivers"] = [
            {"id": item_id, "title": project.items[item_id].title,
             "url": get_relative_url(exports._url(render.item_uri(item_id)), page.url)}
            for item_id in project.items_on_page(page.file.src_uri)
        ]
    place = render.nav_place(page.file.src_uri)
    if place and page.parent is None:
        entry = next((p for p in nav.pages if p.file.src_uri == place), None)
        if entry is not None:
            entry.active = True  # also opens its section in the drawer
            _PLACES[page.file.src_uri] = entry
    return context


def on_post_page(output, page, config):
    entry = _PLACES.pop(page.file.src_uri, None)
    if entry is not None:
        entry.active = False
    _FINISHED.add(os.path.abspath(page.file.abs_dest_path))
    if _SERVE_WARNINGS and not _SERVE_ERRORS:
        output = output.replace('<article class="md-content__inner md-typeset">',
                                '<article class="md-content__inner md-typeset">' + serve.warnings_banner(_SERVE_WARNINGS), 1)
    return _finish(output)


def on_post_build(config):
    """Finish the HTML files written outside on_post_page (the 404 page and
    redirect stubs), and ship the offline shim when building the offline copy.
    Also make the search index ready for the law (macros/search.py) and list
    what the service worker stores (macros/offline_reading.py)."""
    try:
        search.postprocess(Path(config.site_dir), Path(config.config_file_path).parent, strict=not serve.serving())
    except search.SearchSettingsError as exc:
        raise PluginError(str(exc)) from None
    if os.environ.get("GUIDANCE_SHIM"):
        from macros import offline

        shutil.copy(os.environ["GUIDANCE_SHIM"], Path(config.site_dir) / offline.SHIM_PATH)
    for path in Path(config.site_dir).rglob("*.html"):
        if os.path.abspath(path) in _FINISHED:
            continue
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="Content-Security-Policy"' not in html:
            path.write_text(_finish(html), encoding="utf-8")
    if _published():
        offline_reading.write_manifest(Path(config.site_dir))


def _finish(html: str) -> str:
    """Our search worker named in the page's config, accessibility fixes,
    table labels for phones, valid-HTML fixes, then the content security
    policy (last, so that its hashes match the final inline scripts, and the
    offline copy's frame script the worker the page names)."""
    try:
        html = search.use_our_worker(html)
    except search.SearchSettingsError as exc:
        raise PluginError(str(exc)) from None
    extra = []
    shim = os.environ.get("GUIDANCE_SHIM")
    if shim:  # the offline copy: allow the shim's frame script by its hash
        from macros import offline

        worker = offline.worker_url(html)
        if worker:
            extra.append(offline.frame_script_hash(_read(shim), worker))
    html = exports.valid_html_fixes(exports.label_table_cells(exports.accessibility_fixes(html)))
    return exports.add_content_security_policy(html, extra)


@functools.lru_cache(maxsize=None)
def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")
