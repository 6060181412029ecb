"""The build's checking stages, shared by `make build` (through hooks.py) and
`make check` (cli.py runs the same MkDocs stages in-process, without writing).

A build checks in three places, each before anything is written:

1. on_config: the register, front matter, case-study metadata, personal
   data and prose (facts that need no Markdown parse);
2. on_nav: every guidance page is in the navigation;
3. on_env, after MkDocs has parsed every page (once): links, anchors, raw
   HTML, macro calls and traceability, from the facts that the parse itself
   recorded (pipeline.py), plus any warning MkDocs logged while parsing.

Each stage reports every problem it finds and stops the build if any is an
error, so `make check` and `make build` fail on the same lines.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import checks, pipeline, render
from . import main as site_macros
from . import project as project_index
from .load import SafeLoader, split_front_matter
from .model import Location, Problem

log = logging.getLogger("mkdocs.plugins.guidance")


class CheckFailed(Exception):
    """A stage found errors (the hooks turn this into MkDocs' PluginError)."""


@dataclass
class Build:
    root: Path
    today: dt.date
    project: object = None
    ext: pipeline.GuidanceExtension | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (page uri or "", message) logged by MkDocs
    attached: bool = False
    handler: logging.Handler | None = None
    fail: bool = True  # False under `make serve`: errors are shown in the browser instead
    rendered_after: set | None = None  # the sources parsed before the first generated page (None: none yet)


CURRENT: Build | None = None
TODAY: dt.date | None = None  # `make check --today` sets it
_CHECKING = False  # True while check_site runs the stages (nothing is written)


def checking() -> bool:
    """True under `make check`: the hooks skip work that only produces output."""
    return _CHECKING


class _Capture(logging.Handler):
    """Warnings MkDocs logs while a build runs: in strict mode each one
    aborts the build, so the checks report them too."""

    def __init__(self, build: Build, config):
        super().__init__(logging.WARNING)
        self.build, self.config = build, config

    def emit(self, record):
        if record.name.startswith("mkdocs.plugins.guidance"):
            return
        page = getattr(self.config, "_current_page", None)
        self.build.warnings.append((page.file.src_uri if page else "", record.getMessage()))


class _Said(logging.Handler):
    """What MkDocs logged while loading mkdocs.yml."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(" ".join(record.getMessage().split()))


# Errors before the parse that hide nothing: the build goes on reading the
# pages, so that one run lists every problem, and stops, writing nothing,
# once they are parsed. An unreadable register or an unfilled case-study
# template; a page's or case study's front matter; a date still to come; a
# nav entry or redirect that names no page, or a page left out of the nav;
# personal data; a stray file; a web address typed in YAML text. What the
# parse then finds because of them is the same fault again and is left out
# (checks.without_consequences). After any other error before the parse (an
# unreadable file, a snippet line, the law data, the macros plugin's
# settings, What's new, raw HTML or links in YAML text) it stops there: the
# parse would report the same fault again in other words, or run pages
# differently.
GO_ON_PAST = {"register-yaml", "register-schema", "unfilled-template", "front-matter", "future-date",
              "broken-link", "not-in-nav", "personal-data", "stray-file", "bare-address"}


def report(build: Build, problems: list[Problem], final: bool = False) -> None:
    """Record problems; log them; stop if any is an error (under serve, log
    the errors as warnings, which the serve banner shows). Before the last
    stage (`final`), errors are held and the build goes on reading if each
    is in GO_ON_PAST."""
    build.problems += problems
    if not build.fail:
        for p in problems:
            log.warning(str(p)) if p.severity == "error" else log.info(str(p))
        return
    for p in problems:
        if p.severity == "warning":
            log.info(str(p))  # overdue reviews must not block an unrelated fix
    errors = [p for p in build.problems if p.severity == "error"]
    if errors and (final or any(p.code not in GO_ON_PAST for p in errors) or _runs_pages_as_templates(build)):
        for p in sorted(errors, key=_order):
            log.error(str(p))
        raise CheckFailed(
            f"{len(errors)} problem(s) in the guidance sources, listed above. "
            "Each line gives the file and line, the problem and the fix. Run `make check` to see them again."
        )


def _runs_pages_as_templates(build: Build) -> bool:
    """A page or case study sets a switch of mkdocs-macros-plugin in its
    front matter (front-matter reports it): the parse would run it as a
    template, so the build stops before it."""
    from .checks.common import PLUGIN_SWITCHES

    project = build.project
    return any(isinstance(p.meta, dict) and PLUGIN_SWITCHES & set(p.meta) for p in project.pages + project.case_studies)


def _order(p: Problem):
    return (p.severity != "error", p.location.path, p.location.line, p.code)


# ---------------------------------------------------------------------------
# Stage 1: on_config
# ---------------------------------------------------------------------------


def on_config(config, fail: bool = True) -> Build:
    """Stage 1. `fail=False` (under serve) records the problems without
    stopping; the hooks show them in the browser."""
    global CURRENT
    if CURRENT is not None and CURRENT.handler is not None:  # a previous build that stopped early
        logging.getLogger("mkdocs").removeHandler(CURRENT.handler)
    root = Path(config.config_file_path).parent
    project = project_index.refresh(root)
    build = CURRENT = Build(root, TODAY or dt.date.today(), project, fail=fail)
    redirects = config.plugins.get("redirects")
    project.redirects = dict((redirects.config.get("redirect_maps") or {}) if redirects else {})
    project.summary_box = (config.extra or {}).get("summary_box")
    plugin_problems = checks.check_macros_plugin(_macros_settings(config), _plugin_lines(config))
    if plugin_problems and not fail and _macros_settings(config) is not None:
        # Under serve the build goes on with the problems shown: the plugin
        # (whose on_config runs after this) must still render no page, and
        # never exit() the server on a template error.
        config.plugins["macros"].config.update({name: wanted for name, (wanted, _) in checks.MACROS_PLUGIN.items() if name != "module_name"})
    build.ext = pipeline.GuidanceExtension(expand=lambda name, args, uri: call_macro(config, name, args, uri),
                                           names=lambda: _macro_names(config))
    config.markdown_extensions.append(build.ext)
    config.markdown_extensions.extend(pipeline.extra_extensions())
    # A nav entry naming no page is reported by the hooks (broken-link at its
    # line in mkdocs.yml, with a did-you-mean), so MkDocs need not warn too.
    config.validation.nav.not_found = logging.DEBUG
    # So is a link written as a site or web address ("/pleas/", "../pleas/"):
    # broken-link, at its line, names the Markdown file to link to instead.
    config.validation.links.absolute_links = logging.DEBUG
    config.validation.links.unrecognized_links = logging.DEBUG
    build.handler = _Capture(build, config)
    logging.getLogger("mkdocs").addHandler(build.handler)
    report(build, plugin_problems + checks.run_before_parse(project, build.today))
    if project.register is None:
        # The register could not be read (reported): the pages are parsed
        # against an empty one, and the checks that need it are left out.
        from .model import Register

        project.register, project.register_unreadable = Register(items=[], themes=[]), True
    return build


def _macros_settings(config) -> dict | None:
    """The macros plugin's settings from mkdocs.yml, or None if it is not
    loaded (mkdocs-macros-plugin registers itself as `macros`)."""
    plugin = config.plugins.get("macros")
    if plugin is None or type(plugin).__module__ != "mkdocs_macros.plugin":
        return None
    return dict(plugin.config)


def _plugin_lines(config) -> dict[str, int]:
    """Lines of mkdocs.yml: "" -> the line of `- macros` under plugins: (else
    1), and each setting written under it -> its line."""
    lines = {"": 1}
    try:
        text = Path(config.config_file_path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return lines
    start = next((n for n, line in enumerate(text) if re.match(r"^\s*-\s*macros\s*(:|$)", line)), None)
    if start is None:
        return lines
    lines[""] = start + 1
    indent = len(text[start]) - len(text[start].lstrip())
    for number in range(start + 1, len(text)):
        line = text[number]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        setting = re.match(r"^\s+(\w+)\s*:", line)
        if setting:
            lines.setdefault(setting.group(1), number + 1)
    return lines


def _macro_names(config) -> tuple[str, ...]:
    """The macros pages may call, from the plugin's registry (or, with the
    plugin missing, which the checks report, those define_env registers)."""
    plugin = config.plugins.get("macros")
    if _macros_settings(config) is None:
        return site_macros.macro_names()
    return tuple(site_macros.page_macros(plugin))


def call_macro(config, name: str, args: list[str], page_uri: str) -> str:
    """One macro call, found by the parse of `page_uri`: the function the
    macros plugin registered for the site's module under `name`, called with
    the call's arguments. The macro reads the page from the plugin's
    `env.page`, which the plugin sets before each page is parsed; a page
    that is not the one being parsed is an error, never a wrong link."""
    plugin = config.plugins.get("macros")
    if _macros_settings(config) is None:
        raise ValueError("mkdocs-macros-plugin is not loaded, so no macro can be called")
    macro = site_macros.page_macros(plugin).get(name)
    if macro is None:
        raise ValueError(f"there is no macro called '{name}'")
    current = getattr(getattr(plugin, "_page", None), "file", None)
    if current is None or current.src_uri != page_uri:
        raise RuntimeError(f"the macros plugin is on page '{getattr(current, 'src_uri', None)}', not '{page_uri}'")
    return str(macro(*args))


# ---------------------------------------------------------------------------
# Stage 2: on_nav
# ---------------------------------------------------------------------------


def on_nav(nav, files) -> None:
    build = CURRENT
    sources = {p.uri for p in build.project.pages}
    in_nav = {page.file.src_uri for page in nav.pages}
    omitted = [
        f.src_uri for f in files.documentation_pages()
        if f.src_uri in sources and f.src_uri not in in_nav and not f.inclusion.is_not_in_nav()
    ]
    missing = [link.url for link in _nav_links(nav.items) if _names_a_file(link.url)]
    pages = sorted(f.src_uri for f in files.documentation_pages())
    entries = checks.check_nav_entries(build.project, missing, pages)
    meant = {checks.nav_guess(url, pages) for url in missing}
    # A nav entry with a typo already says which page it meant: one fault, one message.
    report(build, entries + checks.check_nav(build.project, [uri for uri in omitted if uri not in meant]))


def _nav_links(items) -> list:
    """The nav's Link items (an entry MkDocs found no file for, or an
    external address), in the nav's order."""
    from mkdocs.structure.nav import Link

    out = []
    for item in items:
        if isinstance(item, Link):
            out.append(item)
        out += _nav_links(getattr(item, "children", None) or [])
    return out


def _names_a_file(url: str) -> bool:
    """A nav entry MkDocs would warn about as "not found in the documentation
    files": neither an external address nor an absolute path."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith("/"))


# ---------------------------------------------------------------------------
# While MkDocs parses each page
# ---------------------------------------------------------------------------


def on_page_markdown(markdown: str, page) -> str:
    """Tell the pipeline which page it is about to parse (for line numbers),
    and give generated pages their final content once the guidance pages,
    which they index, have been parsed."""
    build = CURRENT
    project = build.project
    uri = page.file.src_uri
    source = project.source(uri)
    # A case study's page is generated too (its body sits inside it): it
    # lists where the study is used, which only the parsed guidance knows.
    if page.file.generated_by and uri != render.PRINT_URI and (source is None or not project.is_guidance_page(source)):
        if build.rendered_after is None:
            build.rendered_after = set(build.ext.facts)
        _attach(build)
        text = render.reference_pages(project).get(uri)
        if text is not None:
            front, markdown, _ = split_front_matter(text)
            page.meta.update(yaml.load(front, Loader=SafeLoader) or {})
    if source is not None:  # a guidance page, or a case study (its body sits inside a generated page)
        build.ext.start(uri, source.path, source.text, source.body_start)
    else:
        build.ext.start(uri, f"(generated) {uri}", markdown, 1)
    return markdown


def errors() -> list[Problem]:
    """The errors the current build has found so far."""
    return [p for p in CURRENT.problems if p.severity == "error"] if CURRENT else []


def quiet() -> None:
    """The next page is not a source (the serve error page): record nothing."""
    if CURRENT is not None and CURRENT.ext is not None:
        CURRENT.ext.current = None
        CURRENT.ext.lines = None


def _attach(build: Build) -> None:
    if not build.attached:
        build.project.attach(build.ext.facts)
        build.attached = True


# ---------------------------------------------------------------------------
# Stage 3: on_env, every page parsed, nothing written yet
# ---------------------------------------------------------------------------


def on_env(files) -> None:
    build = CURRENT
    build.attached = False
    _attach(build)
    if build.handler is not None:
        logging.getLogger("mkdocs").removeHandler(build.handler)
        build.handler = None
    build.project.macro_names = build.ext.names()
    problems = checks.run_after_parse(build.project, build.ext.facts)
    problems += parsed_too_late(build)
    problems = checks.without_consequences(build.project, build.problems, problems)
    if not any(p.severity == "error" for p in problems + build.problems):
        # The print view repeats the chapters: report a warning there only
        # when no chapter has one (the editor fixes the chapter).
        chapters = [(uri, m) for uri, m in build.warnings if uri != render.PRINT_URI]
        problems += [_warning_problem(build, uri, message) for uri, message in (chapters or build.warnings)]
    report(build, problems, final=True)


def parsed_too_late(build: Build) -> list[Problem]:
    """generated-too-early: a guidance page that MkDocs parsed after the
    first generated page. The generated pages (the register, the item and
    case-study pages, the coverage matrix) were rendered from the pages
    parsed before them, so they would not show what this page delivers or
    uses. MkDocs parses pages in the order of its file list, where the hooks
    put the generated pages last; only a plugin or hook that adds or moves a
    page after them (in its own on_files) can cause this."""
    if build.rendered_after is None:
        return []
    late = [p for p in build.project.pages if p.uri in build.ext.facts and p.uri not in build.rendered_after]
    return [
        checks.problem("generated-too-early", p.path, 1,
                       "the page was parsed after the generated pages (register, item and case-study pages), "
                       "so they would not list the sections it delivers or the case studies it uses",
                       "Let no plugin or hook move or add a guidance page after macros/hooks.py's on_files "
                       "(give it a higher event_priority, or add the page as a file in docs/)")
        for p in late
    ]


LINK_IN_MESSAGE = re.compile(r"'([^']+)'")


def _warning_problem(build: Build, uri: str, message: str) -> Problem:
    """A warning MkDocs logged (it would stop the strict build), with the
    best file and line we can give it."""
    project = build.project
    source = next((p for p in project.pages + project.case_studies if p.uri == uri), None)
    path, line = (source.path if source else (f"(generated) {uri}" if uri else "mkdocs.yml")), 1
    if source:
        quoted = [q for q in LINK_IN_MESSAGE.findall(message) if q != uri]
        for number, text in enumerate(source.text.splitlines(), 1):
            if quoted and quoted[0] in text:
                line = number
                break
    first = message.strip().splitlines()[0].rstrip(":.")
    return checks.problem("build-warning", path, line, f"MkDocs warns: {first}",
                          "Correct it as the warning says; the strict build stops on any warning")


# ---------------------------------------------------------------------------
# `make check`: the same stages, in-process, without writing anything
# ---------------------------------------------------------------------------


def check_site(root: Path | str, today: dt.date | None = None) -> tuple[list[Problem], object]:
    """Run MkDocs' own reading stage on a project, as `mkdocs build --strict`
    does up to (not including) writing: load mkdocs.yml, the plugins' and
    hooks' on_config, files and nav events, then parse every page once
    through the configured pipeline. Return (problems, project)."""
    global TODAY, _CHECKING
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    root = Path(root).resolve()
    TODAY = today
    path = list(sys.path)  # the macros plugin puts the project on sys.path at every load
    _CHECKING = True
    here = os.getcwd()
    os.chdir(root)  # as `mkdocs build` is run: snippets and hooks read paths from here
    quiet = logging.getLogger("mkdocs")
    saved = (quiet.propagate, quiet.level)
    sink = logging.NullHandler()
    quiet.addHandler(sink)
    quiet.propagate = False
    try:
        said = _Said()
        quiet.addHandler(said)
        try:
            config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / ".check-site"))
        except MkDocsException as exc:
            reason = ("; ".join(said.messages) or str(exc)).rstrip(".")
            return [checks.problem("build-warning", "mkdocs.yml", 1, f"MkDocs cannot load the configuration: {reason}",
                                   "Correct mkdocs.yml as the message says")], None
        finally:
            quiet.removeHandler(said)
        try:
            config.plugins.on_startup(command="build", dirty=False)
            config = config.plugins.on_config(config)
            files = get_files(config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            mkdocs_build.set_exclusions(files, config)
            nav = get_navigation(files, config)
            config.plugins.on_nav(nav, config=config, files=files)
            for file in files.documentation_pages():
                if file.page is None:
                    Page(None, file, config)
                mkdocs_build._populate_page(file.page, config, files)
            config.plugins.on_env(env, config=config, files=files)
        except Exception as exc:  # a stage that failed has recorded its problems
            build = CURRENT
            if build is None or not any(p.severity == "error" for p in build.problems):
                return [checks.problem("build-warning", "mkdocs.yml", 1, f"the build stops: {exc}",
                                       "Correct the cause named in the message")], build.project if build else None
        finally:
            if CURRENT is not None and CURRENT.handler is not None:
                quiet.removeHandler(CURRENT.handler)
                CURRENT.handler = None
            try:
                config.plugins.on_shutdown()
            except Exception:
                pass
    finally:
        quiet.removeHandler(sink)
        quiet.propagate, _ = saved
        TODAY = None
        _CHECKING = False
        os.chdir(here)
        sys.path[:] = path
    build = CURRENT
    return sorted(build.problems, key=_order), build.project


# project.load_project(parse=True) parses the pages with this reading stage;
# project.py sits below this module and does not import it.
project_index.read_pages_with(check_site)
