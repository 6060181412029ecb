"""Register and traceability: recommendations.yml, whats-new.yml, page front
matter, macro calls, the sections that address register items, coverage and
review dates."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter

from pydantic import ValidationError

from ..model import Changelog, PageMeta, Problem
from ..load import yaml_words
from ..main import macro_names
from ..pipeline import IN_RAW_HTML, INLINE, did_you_mean, right_form, DELIMITER_ERRORS
from ..project import Project
from .. import render
from ..render import GLOSSARY_URI, LAW_CHANGES_OLDER_URI, LAW_CHANGES_URI, LAW_ON_A_DATE_URI, LAW_SOURCES_MIDDLE_URI, LAW_SOURCES_OLDER_URI, LAW_SOURCES_URI, LAW_URI, PRINT_URI, WHATS_NEW_URI
from .catalogue import problem
from .common import DATE_FIX, bad_date, field_line, known_ids, schema_problems


FINGERPRINT = re.compile(r"^[0-9a-f]{6}$")
# The letter that begins the ids of each kind of register item.
KIND_LETTER = {"recommendation": "R", "finding": "F", "general": "G"}


def check_register(project: Project) -> list[Problem]:
    source = project.register_source
    if source.error:
        line, message = source.error
        wrong, fix = yaml_words(message)
        return [problem("register-yaml", source.path, line,
                        f"the register cannot be read: {message}" + (f" ({wrong})" if wrong else ""), fix)]
    out = []
    for error in project.register_errors:
        loc = tuple(error["loc"])
        line = source.lines.get(loc) or source.lines.get(loc[:-1]) or 1
        where = ".".join(str(p) for p in loc)
        out.append(problem("register-schema", source.path, line, f"'{where}': {error['msg']}",
                           "Correct the entry; the schema is in schema/register.schema.json"))
    if project.register is None:
        return out
    for label, values in (
        ("item", [(i.id, ("items", n, "id")) for n, i in enumerate(project.register.items)]),
        ("commitment", [(c.id, ("items", n, "commitments", m, "id")) for n, i in enumerate(project.register.items) for m, c in enumerate(i.commitments)]),
        ("theme", [(t.id, ("themes", n, "id")) for n, t in enumerate(project.register.themes)]),
    ):
        counts = Counter(v for v, _ in values)
        for value, loc in values:
            if counts[value] > 1:
                out.append(problem("duplicate-id", source.path, source.lines.get(loc, 1),
                                   f"the {label} id '{value}' is used {counts[value]} times",
                                   "Give each one its own id"))
    ids = {i.id for i in project.register.items}
    for n, item in enumerate(project.register.items):
        letter = KIND_LETTER[item.kind]
        if not item.id.startswith(letter):
            out.append(problem("register-schema", source.path, source.lines.get(("items", n, "kind"), source.lines.get(("items", n, "id"), 1)),
                               f"item '{item.id}' is of kind '{item.kind}', whose ids begin with {letter}",
                               f"Number a {item.kind} {letter}1, {letter}2 and so on, or correct its kind"))
        if item.derived_from and (item.derived_from == item.id or item.derived_from not in ids):
            why = "itself" if item.derived_from == item.id else "an item that is not in the register"
            out.append(problem("register-schema", source.path, source.lines.get(("items", n, "derived_from"), 1),
                               f"'{item.id}' is derived from '{item.derived_from}', which is {why}",
                               f"Name the other item {item.id} restates (known: {', '.join(sorted(ids - {item.id}))}), or remove derived_from"))
        for m, c in enumerate(item.commitments):
            if not c.id.startswith(item.id + "."):
                out.append(problem("register-schema", source.path, source.lines.get(("items", n, "commitments", m, "id"), 1),
                                   f"commitment '{c.id}' sits under {item.id}", f"Number it {item.id}.1, {item.id}.2 and so on"))
    return out


def check_changelog(project: Project) -> list[Problem]:
    source = project.changelog
    if source is None:
        return []
    if source.error:
        line, message = source.error
        wrong, fix = yaml_words(message)
        return [problem("changelog", source.path, line,
                        f"whats-new.yml cannot be read: {message}" + (f" ({wrong})" if wrong else ""), fix)]
    try:
        Changelog.model_validate(source.data)
    except ValidationError as exc:
        return [
            problem("changelog", source.path, source.lines.get(tuple(e["loc"]), source.lines.get(tuple(e["loc"][:-1]), 1)),
                    f"'{'.'.join(str(p) for p in e['loc'])}': {bad_date(e) or e['msg']}",
                    DATE_FIX if bad_date(e) else "Each entry needs a date (YYYY-MM-DD), a title, a summary and optionally pages")
            for e in exc.errors()
        ]
    # Each page named must be a guidance page: reported here, on the entry's
    # line, not as a broken link on the generated page the editor cannot see.
    known = {page.uri for page in project.pages}
    out = []
    for i, entry in enumerate(source.data.get("entries") or []):
        for j, name in enumerate(entry.get("pages") or []):
            if name not in known:
                near = difflib.get_close_matches(name, sorted(known), n=1)
                out.append(problem(
                    "changelog", source.path,
                    source.lines.get(("entries", i, "pages", j), source.lines.get(("entries", i, "pages"), 1)),
                    f"'entries.{i}.pages': '{name}' is not a guidance page{f' (did you mean {near[0]}?)' if near else ''}",
                    "Name the page by its file in docs/, for example offences.md",
                ))
    return out


# Folders the build fills with its own pages (the register's item pages and
# the case studies; mkdocs.yml's not_in_nav leaves their pages out of the menu),
# and the pages it writes at the top of docs/.
GENERATED_FOLDERS = ("recommendations/", "case-studies/")
GENERATED_PAGES = (GLOSSARY_URI, WHATS_NEW_URI, LAW_URI, LAW_SOURCES_URI, LAW_SOURCES_MIDDLE_URI, LAW_SOURCES_OLDER_URI, LAW_CHANGES_URI, LAW_CHANGES_OLDER_URI, LAW_ON_A_DATE_URI, PRINT_URI)


def check_pages(project: Project) -> list[Problem]:
    out = []
    for page in project.pages:
        out += schema_problems(page, PageMeta, "guidance page")
        if page.uri.startswith(GENERATED_FOLDERS) or page.uri in GENERATED_PAGES:
            out.append(problem(
                "reserved-address", page.path, 1,
                f"the build writes its own page at '{page.uri}' or in its folder, so this page would be "
                "replaced or left out of the menu",
                "Give the page a name and folder of its own (for example docs/my-page.md), and add it to nav in mkdocs.yml"))
    return out


HOME = "index.md"


def check_page_openings(project: Project) -> list[Problem]:
    """From the parse: every guidance page opens with its `# Title` (without
    it, readers get no title and no page facts: law as at, last reviewed,
    review due, owner, the overdue banner), and, where mkdocs.yml sets
    `extra: summary_box` (here "What you must do"), every page but the home
    page follows it with that `!!! abstract` box of three to six points, as
    CONTRIBUTING requires."""
    out = []
    box_title = getattr(project, "summary_box", None)
    for page in project.pages:
        facts = page.facts
        if facts is None:
            continue
        opening = facts.opening
        lines = page.text.splitlines()
        if not opening or opening[0][0] != "h1":
            first = next((n for n in range(page.body_start, len(lines) + 1) if lines[n - 1].strip()), page.body_start)
            out.append(problem("page-opening", page.path, first,
                               "the page does not start with its '# Title' line, so readers would get no title and no page facts "
                               "(law as at, last reviewed, review due, owner)",
                               f"Make the first line after the front matter '# {page.title}'"))
            continue
        if page.uri == HOME or not box_title:
            continue
        box = opening[1] if len(opening) > 1 else None
        line = page.body_start
        title = next((n for n in range(page.body_start, len(lines) + 1) if lines[n - 1].startswith("# ")), None)
        if title is not None:
            line = next((n for n in range(title + 1, len(lines) + 1) if lines[n - 1].strip()), title)
        if box is None or box[0] != "div" or "abstract" not in box[1].split() or box[2] != box_title:
            out.append(problem("page-opening", page.path, line,
                               f"the title is not followed by the '{box_title}' box, so readers do not see the page's duties first",
                               f'Under the title, add !!! abstract "{box_title}" with three to six bullets indented four spaces'))
        elif not 3 <= box[3] <= 6:
            out.append(problem("page-opening", page.path, line,
                               f"the '{box_title}' box has {box[3]} bullet(s); it must have three to six",
                               "Keep the three to six duties a prosecutor must not miss, each a bullet indented four spaces; move the rest into the page"))
    return out


# What mkdocs.yml must say under `plugins: - macros:` (mkdocs-macros-plugin),
# and why. The plugin loads the module and holds the macros; the one Markdown
# parse expands the calls (pipeline.py), so the plugin must never render a page.
MACROS_PLUGIN = {
    "module_name": ("macros", "the plugin loads the package macros/ and calls its define_env"),
    "render_by_default": (False, "the plugin would run every page as a Jinja template, inside code too"),
    "force_render_paths": ("", "the plugin would run those pages as Jinja templates"),
    "on_error_fail": (False, "on a template error the plugin calls exit(), which ends `make check` with no message"),
    "on_undefined": ("strict", "a misspelt name would be left in the page as text"),
}


def check_macros_plugin(settings: dict | None, lines: dict[str, int]) -> list[Problem]:
    """mkdocs.yml loads mkdocs-macros-plugin as the site needs it.

    In: the plugin's settings (None if it is not loaded), and the lines of
    mkdocs.yml: "" -> the line of `- macros`, each setting -> its line. Out:
    a problem for each setting that differs from MACROS_PLUGIN, at its line."""
    if settings is None:
        return [problem("macros-plugin", "mkdocs.yml", lines.get("", 1), "mkdocs.yml does not load mkdocs-macros-plugin, which holds the site's macros",
                        "Add it under plugins: as in the project's mkdocs.yml: - macros: with module_name: macros and render_by_default: false")]
    out = []
    for name, (wanted, why) in MACROS_PLUGIN.items():
        value = settings.get(name, wanted)
        if value != wanted:
            shown, right = (str(v).lower() if isinstance(v, bool) else (v or "''") for v in (value, wanted))
            out.append(problem("macros-plugin", "mkdocs.yml", lines.get(name, lines.get("", 1)),
                               f"the macros plugin is set to {name}: {shown}, so {why}",
                               f"Write {name}: {right} under - macros: in mkdocs.yml"))
    return out


def check_macros(project: Project) -> list[Problem]:
    """Calls that cannot be read or name no macro the site has. The names are
    those the macros plugin holds for the site's module (set by the stage),
    or, for a project parsed without a build, those define_env registers."""
    out = []
    names = tuple(project.macro_names) or macro_names()
    for page in project.pages + project.case_studies:
        lines = None
        for call in page.calls:
            if call.error == "old-delimiters":
                near = did_you_mean(call.name, names)
                fix = f"Write it as {right_form(call, names) if call.raw.count('(') else f'{{{{< {near or call.name}(...) >}}}}'}"
                if near and near != call.name:
                    fix = f"Did you mean {near}? {fix}"
                out.append(problem("old-delimiters", page.path, call.line,
                                   f"'{call.raw}' uses plain {{{{ }}}}, so readers would see it as raw text", fix))
            elif call.error == "template":
                out.append(problem("macro-syntax", page.path, call.line,
                                   f"'{call.raw}' is a template tag, but pages here are not templates (the macros plugin has "
                                   "render_by_default: false), so it is not run and readers would see it as raw text",
                                   "Remove it, and use the site's macros, written like {{< case_study(\"CS-01\") >}}; "
                                   "to point to other text, link to its page with [words](page.md); "
                                   "to quote the tag itself, put it in backticks (`{% if %}`)"))
            elif call.error and call.error.startswith(DELIMITER_ERRORS):
                out.append(problem("macro-syntax", page.path, call.line,
                                   f"'{call.raw}': {call.error}, so readers would see it as raw text",
                                   f"Did you mean {right_form(call, names)}? Write it so, on a line of its own"))
            elif call.error == IN_RAW_HTML:
                out.append(problem("macro-syntax", page.path, call.line,
                                   f"'{call.raw}' is inside a raw HTML block, which is published as it is, so readers would see the call as text",
                                   "Move the call out of the HTML, onto a line of its own with a blank line before and after it "
                                   "(or, to keep it inside the element, give the element the markdown attribute, as in <details markdown>, "
                                   "with a blank line before and after the call)"))
            elif not project.is_guidance_page(page):
                out.append(problem("macro-syntax", page.path, call.line, f"case studies cannot use macros ('{call.raw}')",
                                   "Remove the macro; link to a page with an ordinary Markdown link instead"))
            elif call.error == INLINE:
                out.append(problem("macro-syntax", page.path, call.line, f"'{call.raw}': {call.error}",
                                   "Put the call on a line of its own, with a blank line before and after it "
                                   "(indent it to nest it in a list or a box); inside `code` it is shown as written"))
            elif call.error:
                out.append(problem("macro-syntax", page.path, call.line, f"'{call.raw}': {call.error}",
                                   'Write it like {{< addresses("R3@3d0885") >}} or {{< case_study("CS-01") >}}'))
            elif call.name not in names:
                near = did_you_mean(call.name, names)
                out.append(problem("unknown-macro", page.path, call.line, f"there is no macro called '{call.name}'",
                                   (f"Did you mean {near}? " if near else "") + f"Use one of: {', '.join(names)}"))
            elif not call.args:
                out.append(problem("macro-syntax", page.path, call.line, f"'{call.raw}' has no ids",
                                   "Give at least one id in quotes"))
            elif call.name in ONE_ID and len(call.args) != 1:
                out.append(problem("macro-syntax", page.path, call.line,
                                   f"'{call.raw}': {call.name}() takes one id, not {len(call.args)}, so nothing would be published",
                                   f"Write one call per {ONE_ID[call.name]}, each on a line of its own: "
                                   + " then ".join(f'{{{{< {call.name}("{a}") >}}}}' for a in call.args)))
            else:
                lines = lines if lines is not None else page.text.splitlines()  # once per page with a call
                out += _misindented(page, call, lines)
    return out


def _misindented(page, call, lines: list[str]) -> list[Problem]:
    """A call indented by other than a multiple of four spaces. Python-Markdown
    nests a block four spaces in (tab_length), under `- ` and `1. ` as under
    `!!!` and `???`: at two spaces the box or list item ends before the call,
    and its output lands outside it. `lines`: the page's source lines."""
    text = lines[call.line - 1].expandtabs(4) if 0 < call.line <= len(lines) else ""
    indent = len(text) - len(text.lstrip(" "))
    if not text.lstrip(" ").startswith("{{<") or indent % 4 == 0:
        return []
    nearest = max(4, round(indent / 4) * 4)
    return [problem("macro-syntax", page.path, call.line,
                    f"'{call.raw}' is indented by {indent} space(s), so it would not sit inside the box or list item above it",
                    f"Indent it by {nearest} spaces (four for each level: under '- ', '1. ', '!!!' or '???' alike)")]


# Macros that take exactly one id (what the id names).
ONE_ID = {"case_study": "case study", "offence_table": "table", "law_change": "change in the law"}


def check_expansions(project: Project, found: list[Problem]) -> list[Problem]:
    """Every call whose expansion failed (so nothing was published for it) is
    reported: by another check already, with its own code, or here.
    `found`: the problems the other checks reported."""
    reported = {(p.location.path, p.location.line) for p in found if p.severity == "error"}
    return [
        problem("macro-syntax", page.path, call.line, f"'{call.raw}' could not be expanded ({call.failure}), so nothing would be published",
                'Correct the call; write it like {{< case_study("CS-01") >}}, with ids that exist')
        for page in project.pages
        for call in page.calls
        if call.failure and (page.path, call.line) not in reported
    ]


def check_references(project: Project) -> list[Problem]:
    out = []
    items = project.items
    for ref in project.references:
        item = items.get(ref.item)
        if item is None:
            out.append(problem("unknown-item", ref.path, ref.line,
                               f"addresses '{ref.item}', which is not in recommendations.yml (known: {known_ids(project)})",
                               "Correct the id, or add the item to recommendations.yml"))
        elif ref.fingerprint is None:
            out.append(problem("missing-fingerprint", ref.path, ref.line,
                               f"'{ref.item}' in section '{ref.section}' has no fingerprint",
                               f"Read the section against {ref.item} and write it as \"{ref.item}@{item.fingerprint}\""))
        elif ref.fingerprint != item.fingerprint:
            out.append(problem("suspect-link", ref.path, ref.line,
                               f"section '{ref.section}' was reviewed against an older wording of {ref.item} "
                               f"(fingerprint {ref.fingerprint}, now {item.fingerprint})",
                               f"Re-read the section against {ref.item} as now worded in recommendations.yml; "
                               f"if it still delivers it, change \"{ref.item}@{ref.fingerprint}\" to \"{ref.item}@{item.fingerprint}\" by hand, "
                               f"otherwise remove {ref.item} from the line"))
    for page in project.pages:
        for line in page.facts.misplaced if page.facts else ():
            out.append(problem("misplaced-addresses", page.path, line,
                               "addresses() must come straight after a section heading",
                               "Move it to the first line under the heading of the section it describes"))
    return out


def check_coverage(project: Project) -> list[Problem]:
    out = []
    source = project.register_source
    for n, item in enumerate(project.register.items if project.register else []):
        if not project.references_to(item.id):
            out.append(problem("uncovered-item", source.path, source.lines.get(("items", n, "id"), 1),
                               f"{item.id} ('{item.title}') is not delivered by any section of the guidance",
                               f'Add {{{{< addresses("{item.id}@{item.fingerprint}") >}}}} under the heading of the section that delivers it'))
    return out


def check_reviews(project: Project, today: dt.date) -> list[Problem]:
    out = []
    for page in project.pages:
        meta = project.page_meta(page)
        if meta and meta.review_due < today:
            out.append(problem("review-overdue", page.path, field_line(page, "last_reviewed"),
                               f"the page was due for review on {meta.review_due.day} {meta.review_due:%B %Y} (owner: {meta.owner})",
                               "Ask the owner to review the page, then set last_reviewed to the date of that review"))
    return out


def check_future_dates(project: Project, today: dt.date) -> list[Problem]:
    """`future-date`: a page's `last_reviewed` or `law_as_at` after today
    (the build's date; `make check --today` sets it). Readers would be told
    the page was reviewed, or states the law, on a day that has not come."""
    out = []
    for page in project.pages:
        meta = project.page_meta(page)
        if meta is None:
            continue
        for name in ("last_reviewed", "law_as_at"):
            value = getattr(meta, name)
            if value > today:
                out.append(problem("future-date", page.path, field_line(page, name),
                                   f"{name} is {value.isoformat()}, a day that has not come yet",
                                   f"Set {name} to the day it really happened, today or earlier" if name == "last_reviewed"
                                   else f"Set {name} to the date at which the page states the law, today or earlier"))
    return out


def check_nav(project: Project, omitted: list[str]) -> list[Problem]:
    """Every guidance page is in the navigation (`omitted`: the docs paths of
    pages MkDocs found outside nav and not_in_nav)."""
    paths = {p.uri: p.path for p in project.pages}
    return [
        problem("not-in-nav", paths.get(uri, f"docs/{uri}"), 1,
                f"the page '{uri}' is not in the navigation, so readers cannot find it",
                f"Add '{uri}' under the right section of nav in mkdocs.yml")
        for uri in omitted
    ]


def nav_guess(url: str, pages: list[str]) -> str | None:
    """The page a nav entry with a typo most likely meant."""
    near = difflib.get_close_matches(url, pages, n=1, cutoff=0.6)
    return near[0] if near else None


def check_nav_entries(project: Project, missing: list[str], pages: list[str]) -> list[Problem]:
    """A nav entry in mkdocs.yml that names no page (`missing`: the entries
    MkDocs found no file for; `pages`: the site's pages), at its line, with
    the page it most likely meant."""
    try:
        lines = (project.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    start = next((n for n, text in enumerate(lines) if re.match(r"^nav\s*:", text)), 0)
    out = []
    for url in missing:
        entry = re.compile(r"(?:^\s*-\s*|:\s+)[\"']?" + re.escape(url) + r"[\"']?\s*(?:#.*)?$")
        line = next((n for n, text in enumerate(lines[start:], start + 1) if entry.search(text)), 1)
        near = nav_guess(url, pages)
        out.append(problem("broken-link", "mkdocs.yml", line,
                           f"the nav entry '{url}' names a page that does not exist in docs/, so the menu would lead nowhere",
                           f"Correct the path; did you mean '{near}'?" if near else
                           "Correct the path: it is relative to docs/, like the other entries"))
    return out


def check_redirects(project: Project) -> list[Problem]:
    """Every redirect in mkdocs.yml (the redirects plugin's `redirect_maps`,
    old docs path -> new) leads to a page the site has, or to an https
    address. A redirect to nothing would send readers of an old link to an
    error page (and stops the strict build)."""
    pages = ({p.uri for p in project.pages} | {render.item_uri(i) for i in project.items} | {render.case_uri(c) for c in project.case_study_ids}
             | {render.REGISTER_URI, render.COVERAGE_URI, render.CASE_INDEX_URI, *GENERATED_PAGES})
    try:
        lines = (project.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    out = []
    for old, new in project.redirects.items():
        target = str(new).split("#", 1)[0]
        if str(new).startswith("https://") or target in pages:
            continue
        line = next((n for n, text in enumerate(lines, 1) if text.strip().startswith(f"{old}:")), 1)
        near = difflib.get_close_matches(target, sorted(pages), n=1, cutoff=0.5)
        out.append(problem("broken-link", "mkdocs.yml", line,
                           f"the redirect from '{old}' leads to '{new}', which is not a page of this site",
                           f"Point it at the page that replaced '{old}'" + (f", for example '{near[0]}'" if near else "")))
    return out
