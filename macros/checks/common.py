"""Helpers the checks share: front-matter schema errors, field lines,
the known ids, near-miss suggestions and the prose lines of a page."""

from __future__ import annotations

import difflib
import functools
import re

from pydantic import ValidationError

from ..model import Problem, SourcePage
from ..project import Project
from .catalogue import problem


EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def known_ids(project: Project) -> str:
    recs = [i for i in project.items if i.startswith("R")]
    finds = [i for i in project.items if i.startswith("F")]
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else r[0] for r in (recs, finds) if r]
    return ", ".join(parts) or "none"


def field_line(page: SourcePage, name: str) -> int:
    """The line of a front-matter field (or the first line of the front matter)."""
    for offset, line in enumerate(page.front.splitlines()):
        if re.match(rf"^{re.escape(name)}\s*:", line):
            return offset + 2
    return 1


DATE_FIX = "Write a date that exists, in the form YYYY-MM-DD, for example 2026-11-28"


def bad_date(error: dict) -> str | None:
    """For a pydantic error about a date field: why the date is wrong, in
    words (e.g. "'2026-13-01' is not a valid date (month value is outside
    expected range of 1-12)"); None for any other error."""
    if not error["type"].startswith(("date_", "datetime_")):
        return None
    reason = (error.get("ctx") or {}).get("error") or error["msg"]
    return f"'{error.get('input')}' is not a valid date ({reason})"


def _front_matter_fix(message: str) -> str:
    """Plain words for a front matter YAML cannot read (load.yaml_words)."""
    from ..load import yaml_words

    if "not valid YAML" not in message:
        return "Fix the front matter between the two '---' lines"
    wrong, fix = yaml_words(message)
    return (f"In the front matter between the two '---' lines, {wrong}: " if wrong else "In the front matter between the two '---' lines: ") + fix[0].lower() + fix[1:]


# Front-matter fields that mkdocs-macros-plugin reads to render a page as a
# Jinja template (or to refuse to), which no page here may set.
PLUGIN_SWITCHES = {"render_macros", "ignore_macros"}


def schema_problems(page: SourcePage, model, what: str) -> list[Problem]:
    out = [
        problem("front-matter", page.path, field_line(page, name) if name else 1, message,
                _front_matter_fix(message))
        for name, message in page.meta_error
    ]
    if page.meta_error:
        return out
    if not page.front:
        return [
            problem(
                "front-matter", page.path, 1, f"the {what} has no front matter",
                f"Start the file with a '---' block holding: {', '.join(f for f, i in model.model_fields.items() if i.is_required())}",
            )
        ]
    try:
        model.model_validate(page.meta)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt field ("reviewin") is one fault, not "'review_in' is
        # missing" and "'reviewin' is not allowed": say it once, at its line.
        missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing" and e["loc"]]
        misspelt = {}
        for error in errors:
            name = str(error["loc"][0]) if error["loc"] else ""
            if error["type"] == "extra_forbidden" and name not in PLUGIN_SWITCHES:
                near = difflib.get_close_matches(name, [m for m in missing if m not in misspelt.values()], n=1, cutoff=0.8)
                if near:
                    misspelt[name] = near[0]
        for error in errors:
            name = str(error["loc"][0]) if error["loc"] else ""
            if name in misspelt.values() and error["type"] == "missing":
                continue
            if name in misspelt:
                out.append(problem("front-matter", page.path, field_line(page, name),
                                   f"the field '{name}' is not a field of the front matter; it looks like '{misspelt[name]}', which is missing",
                                   f"Correct the spelling to '{misspelt[name]}: ...'"))
                continue
            if error["type"] == "missing":
                out.append(problem("front-matter", page.path, 1, f"the field '{name}' is missing",
                                   f"Add a line '{name}: ...' to the front matter ({model.model_fields[name].description or 'see CONTRIBUTING.md'})"))
            elif error["type"] == "extra_forbidden" and name in PLUGIN_SWITCHES:
                out.append(problem("front-matter", page.path, field_line(page, name),
                                   f"the field '{name}' is a switch of mkdocs-macros-plugin, which renders no page here; "
                                   "it could make the plugin run the file as a Jinja template, so code and braces in it would no longer be shown as written",
                                   "Remove the line: the site's macros are expanded where they stand, without it"))
            elif error["type"] == "extra_forbidden":
                allowed = ", ".join(model.model_fields)
                out.append(problem("front-matter", page.path, field_line(page, name), f"the field '{name}' is not allowed",
                                   f"Remove it or correct the spelling (allowed: {allowed})"))
            elif bad_date(error):
                out.append(problem("front-matter", page.path, field_line(page, name),
                                   f"the field '{name}' is invalid: {bad_date(error)}", DATE_FIX))
            else:
                message = error["msg"].removeprefix("Value error, ")
                out.append(problem("front-matter", page.path, field_line(page, name), f"the field '{name}' is invalid: {message}",
                                   f"Correct '{name}' ({model.model_fields[name].description or 'see CONTRIBUTING.md'})"))
    return out


def suggest(value: str, options, cutoff: float = 0.75) -> str | None:
    match = difflib.get_close_matches(value, list(options), n=1, cutoff=cutoff)
    return match[0] if match else None

LINK_TARGET = re.compile(r"\]\([^)]*\)")


def prose_lines(page: SourcePage):
    """(line number, text) of the body and the free-text front-matter fields
    (title, summary, outcome), each line of a folded or continued value too."""
    free = False
    for offset, line in enumerate(page.front.splitlines()):
        key = re.match(r"^([\w-]+)\s*:", line)
        if key:
            free = key.group(1) in ("title", "summary", "outcome")
            if free:
                yield offset + 2, line.split(":", 1)[1]
        elif free and line[:1].isspace():
            yield offset + 2, line
    lines = page.text.splitlines()
    for number in range(page.body_start, len(lines) + 1):
        line = lines[number - 1]
        if line.lstrip().startswith("#"):
            line = line.lstrip("# ")
        yield number, LINK_TARGET.sub("]", line)  # ignore link targets


def page_lines(page: SourcePage) -> tuple[tuple[int, str], ...]:
    """(line number, text) of the body lines outside code blocks, as the
    Markdown parse that renders the page found them (PageFacts.code_lines).
    Several checks read every page this way, so the result is kept."""
    code = frozenset(page.facts.code_lines) if page.facts is not None else frozenset()
    return _page_lines(page.text, page.body_start, code)


@functools.lru_cache(maxsize=4096)
def _page_lines(text: str, body_start: int, code: frozenset) -> tuple[tuple[int, str], ...]:
    lines = text.splitlines()
    return tuple((number, lines[number - 1]) for number in range(body_start, len(lines) + 1) if number not in code)


def unusable_sources(project: Project) -> tuple[set[str], set[str]]:
    """(paths, case-study ids) of the sources whose front matter cannot be
    used: a page or case study whose front matter YAML cannot read, and a
    case study whose front matter breaks its schema (its page is not built,
    so its uses cannot be expanded). Their front-matter errors are reported
    before the parse; what the parse then finds in them, or because of them
    (a page with no default_act, a case-study box with nothing to show), is
    the same fault again, and is left out."""
    paths, ids = set(), set()
    for page in project.pages:
        if page.meta_error:
            paths.add(page.path)
    for page in project.case_studies:
        if page.meta_error or project.case_meta(page) is None:
            paths.add(page.path)
            ids.add(str(page.meta.get("id", "")).strip() if isinstance(page.meta, dict) else "")
            ids.add(re.sub(r"^cs-", "CS-", page.uri.rsplit("/", 1)[-1].removesuffix(".md")))
    ids.discard("")
    return paths, ids


def law_unreadable(project: Project) -> bool:
    """provisions.yml could not be read or breaks its schema (law-data says
    how): the law data is empty, so no Act, table or rule is "unknown"
    because of it."""
    law = project.law
    return law.provisions is None and any(name == "provisions.yml" for name, *_ in law.errors)
