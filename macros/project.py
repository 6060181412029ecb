"""The traceability index: everything the site knows, built once from the
sources before any page renders.

`load_project()` reads the sources (through load.py) and works out who
addresses what and which page uses which case study. Generated pages, the
macros, the checks and the JSON exports all read this one object, so nothing
depends on the order in which MkDocs renders pages.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from . import load
from .law import Law, load_law
from .model import CaseStudyMeta, Changelog, PageMeta, Reference, Register, RegisterItem, SourcePage, Theme, Use

DOCS, CASE_STUDIES = "docs", "case_studies"
ABBREVIATIONS = "includes/abbreviations.md"
CHANGELOG = "whats-new.yml"
ALLOWED_WORDS = "case_studies/allowed-words.txt"
ABBR_LINE = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<expansion>.+?)\s*$")


@dataclass
class Project:
    root: Path
    register_source: load.RegisterSource
    register: Register | None
    register_errors: list  # pydantic errors, if the register broke its schema
    pages: list[SourcePage]
    case_studies: list[SourcePage]
    abbreviations: dict[str, str]
    abbreviation_lines: dict[str, int]
    allowed_words: set[str] = field(default_factory=set)
    changelog: object = None
    references: list[Reference] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    law: Law = field(default_factory=Law)  # provisions.yml and cases.yml
    abbreviation_errors: list = field(default_factory=list)  # [(line, text)]: lines of includes/abbreviations.md that are not definitions
    facts: dict = field(default_factory=dict)  # uri -> pipeline.PageFacts, once the pages are parsed
    redirects: dict = field(default_factory=dict)  # old docs path -> its target, from mkdocs.yml's redirect_maps (set by stage.py)
    summary_box: str | None = None  # the title of the box every chapter opens with, from mkdocs.yml extra.summary_box (set by stage.py)
    macro_names: tuple = ()  # the macros pages may call, as the macros plugin holds them (set by stage.py once the pages are parsed)
    anchor_record: tuple = (None, {}, None)  # load.load_anchor_record(): published anchors, their lines, an error
    register_unreadable: bool = False  # recommendations.yml could not be read (set by stage.py; the parse uses an empty register)
    not_utf8: list = field(default_factory=list)  # load.NOT_UTF8: (file, line, byte) of each source that is not UTF-8
    _validated: dict = field(default_factory=dict, repr=False)  # (model, id(page)) -> (page, checked front matter)

    # ---- lookups (computed once: the project does not change after loading)
    @cached_property
    def changelog_entries(self) -> list:
        """Valid entries of whats-new.yml (check_changelog reports the rest)."""
        if self.changelog is None or not isinstance(self.changelog.data, dict):
            return []
        try:
            return Changelog.model_validate(self.changelog.data).entries
        except ValidationError:
            return []

    @cached_property
    def items(self) -> dict[str, RegisterItem]:
        return {i.id: i for i in self.register.items} if self.register else {}

    @cached_property
    def themes(self) -> dict[str, Theme]:
        return {t.id: t for t in self.register.themes} if self.register else {}

    def page_meta(self, page: SourcePage) -> PageMeta | None:
        """A guidance page's front matter, checked (None if it breaks the
        schema: check_pages reports how). Worked out once per page."""
        return self._meta(PageMeta, page)

    def case_meta(self, page: SourcePage) -> CaseStudyMeta | None:
        """A case study's front matter, checked (None if it breaks the schema)."""
        return self._meta(CaseStudyMeta, page)

    def _meta(self, model, page: SourcePage):
        key = (model, id(page))
        cached = self._validated.get(key)
        if cached is None or cached[0] is not page:
            try:
                cached = (page, model.model_validate(page.meta))
            except ValidationError:
                cached = (page, None)
            self._validated[key] = cached
        return cached[1]

    @cached_property
    def case_study_ids(self) -> dict[str, tuple[SourcePage, CaseStudyMeta]]:
        found = {}
        for page in self.case_studies:
            meta = self.case_meta(page)
            if meta and meta.id not in found:
                found[meta.id] = (page, meta)
        return found

    def illustrating(self, item_id: str) -> list[tuple[str, CaseStudyMeta]]:
        """(id, front matter) of the case studies that illustrate an item, by id."""
        return [(cid, meta) for cid, (_, meta) in sorted(self.case_study_ids.items()) if item_id in meta.illustrates]

    def references_to(self, item_id: str) -> list[Reference]:
        return self._by_item.get(item_id, [])

    def uses_of(self, case_id: str) -> list[Use]:
        return self._by_case.get(case_id, [])

    def items_on_page(self, uri: str) -> list[str]:
        """Register ids that sections of a page address, in register order."""
        ids = getattr(self, "_by_page", {}).get(uri, set())
        return [i for i in self.items if i in ids]

    @cached_property
    def _sources(self) -> dict[str, SourcePage]:
        found: dict[str, SourcePage] = {}
        for page in self.pages + self.case_studies:
            found.setdefault(page.uri, page)
        return found

    def source(self, uri: str) -> SourcePage | None:
        """The guidance page or case study whose docs path (uri) is given, or None."""
        return self._sources.get(uri)

    def is_guidance_page(self, page: SourcePage) -> bool:
        """True for a page in docs/, False for a case study."""
        return page.uri in self._guidance_uris

    @cached_property
    def _guidance_uris(self) -> set[str]:
        return {p.uri for p in self.pages}

    def attach(self, facts: dict) -> None:
        """Take the headings, links and macro calls of each source from the
        parse that rendered it ({uri: pipeline.PageFacts}), then index them.
        Facts of generated pages are kept in `self.facts` for the link checks."""
        self.facts = dict(facts)
        for page in self.pages + self.case_studies:
            found = facts.get(page.uri)
            if found is not None:
                page.facts = found
                page.headings, page.calls, page.links = found.headings, found.calls, found.links
        self.index()
        self.__dict__.pop("_reference_pages", None)  # generated pages depend on the index

    def index(self) -> None:
        """Build references and uses from the parsed pages (once)."""
        self.references, self.uses = [], []
        for page in self.pages:
            for call in page.calls:
                if call.error:
                    continue
                if call.name == "addresses":
                    heading = section_of(page, call.line)
                    for arg in call.args:
                        item, _, fingerprint = arg.partition("@")
                        self.references.append(
                            Reference(
                                item=item.strip(),
                                fingerprint=fingerprint.strip() or None,
                                page=page.uri,
                                path=page.path,
                                anchor=heading.anchor if heading else "",
                                section=heading.title if heading else page.title,
                                line=call.line,
                            )
                        )
                elif call.name == "case_study":
                    heading = section_of(page, call.line)
                    for arg in call.args:
                        self.uses.append(Use(arg, page.uri, page.path, call.line, heading.anchor if heading else "",
                                             heading.title if heading else page.title))
        self._by_item = defaultdict(list)
        for ref in self.references:
            self._by_item[ref.item].append(ref)
        self._by_case = defaultdict(list)
        for use in self.uses:
            self._by_case[use.case_study].append(use)
        self._by_page = defaultdict(set)
        for ref in self.references:
            self._by_page[ref.page].add(ref.item)


def section_of(page: SourcePage, line: int):
    """The heading that a line sits under (None before the first heading)."""
    current = None
    for heading in page.headings:
        if heading.line > line:
            break
        current = heading
    return current


def load_abbreviations(root: Path) -> tuple[dict[str, str], dict[str, int], list[tuple[int, str]]]:
    """(term -> expansion, term -> line, [(line, text)] of the lines that are
    neither a definition nor blank: appended to every page, they would be
    published at the foot of each)."""
    path = root / ABBREVIATIONS
    terms, lines, stray = {}, {}, []
    if path.exists():
        for number, line in enumerate(load.read_source(path, ABBREVIATIONS).splitlines(), 1):
            match = ABBR_LINE.match(line)
            if match:
                terms[match.group("term")] = match.group("expansion")
                lines.setdefault(match.group("term"), number)
            elif line.strip():
                stray.append((number, line.strip()))
    return terms, lines, stray


# MkDocs' reading stage, which parses every page (stage.check_site). It sits
# above this module (stage.py imports it, through the checks), so it is not
# imported here: stage.py registers it when it is imported, and the package's
# __init__ imports stage.py, so it is registered before any caller can get here.
_READ_PAGES: list = []


def read_pages_with(read) -> None:
    """Register `read(root) -> (problems, project or None)`, the reading stage
    that load_project(parse=True) runs (stage.py calls this at import)."""
    _READ_PAGES[:] = [read]


def load_project(root: Path | str, parse: bool = True) -> Project:
    """Read the sources of the project at `root`.

    With parse=True (the default) every page is then parsed once by MkDocs'
    own reading stage and our Markdown pipeline (stage.check_site, registered
    with read_pages_with), so the headings, links, macro calls and
    traceability are filled in. The build passes parse=False: MkDocs parses
    the pages itself, and the hooks attach what the parse found."""
    if parse:
        if not _READ_PAGES:
            raise RuntimeError("import macros.stage first: it registers the reading stage that parses the pages")
        project = _READ_PAGES[0](root)[1]
        if project is not None:
            return project
    root = Path(root)
    load.NOT_UTF8.clear()
    source = load.load_register(root)
    register, errors = None, []
    if source.data is not None:
        try:
            register = Register.model_validate(source.data)
        except ValidationError as exc:
            errors = exc.errors()
    pages = [
        load.load_page(path, str(path.relative_to(root)), str(path.relative_to(root / DOCS)))
        for path in load.source_files(root, DOCS)
    ]
    studies = [
        load.load_page(path, str(path.relative_to(root)), load.case_study_uri(path))
        for path in load.source_files(root, CASE_STUDIES)
    ]
    terms, term_lines, stray_terms = load_abbreviations(root)
    changelog = None
    if (root / CHANGELOG).exists():
        changelog = load.load_register(root, CHANGELOG)
    allowed = set()
    if (root / ALLOWED_WORDS).exists():
        allowed = {
            w.strip() for w in load.read_source(root / ALLOWED_WORDS, ALLOWED_WORDS).splitlines()
            if w.strip() and not w.startswith("#")
        }
    project = Project(root, source, register, errors, pages, studies, terms, term_lines, allowed, changelog)
    project.abbreviation_errors = stray_terms
    project.law = load_law(root)
    project.anchor_record = load.load_anchor_record(root)
    project.not_utf8 = list(load.NOT_UTF8)
    project.index()
    return project


# A build reads the project once: the hooks call refresh() when the build
# starts (on_config), and every later call, from the macros and the hooks,
# gets the same object from current(). refresh() reloads only when a source
# file has changed, which keeps `mkdocs serve` rebuilds quick.
_CACHE: dict[Path, tuple[tuple, Project]] = {}


def _signature(root: Path) -> tuple:
    stamp = []
    for folder in (DOCS, CASE_STUDIES, "includes"):
        for dirpath, _, names in os.walk(root / folder):
            for name in names:
                st = os.stat(os.path.join(dirpath, name))
                stamp.append((dirpath, name, st.st_mtime_ns, st.st_size))
    for name in ("recommendations.yml", CHANGELOG, "provisions.yml", "cases.yml", load.ANCHOR_RECORD):
        if (root / name).exists():
            st = (root / name).stat()
            stamp.append((name, st.st_mtime_ns, st.st_size))
    return tuple(sorted(stamp))


def refresh(root: Path | str) -> Project:
    """Load the project, or reuse it if no source file has changed."""
    root = Path(root).resolve()
    signature = _signature(root)
    cached = _CACHE.get(root)
    if cached is None or cached[0] != signature:
        cached = (signature, load_project(root, parse=False))
        _CACHE[root] = cached
        _LAST.clear()
    return cached[1]


_LAST: dict[str, Project] = {}  # the same, by the root as given (no resolve() per call)


def current(root: Path | str) -> Project:
    """The project loaded for this build (loading it if nothing has yet)."""
    project = _LAST.get(str(root))
    if project is None:
        cached = _CACHE.get(Path(root).resolve())
        project = cached[1] if cached else refresh(root)
        _LAST[str(root)] = project
    return project
