"""Loaders: read the register, the guidance pages and the case studies.

They only read and record what they find (with line numbers). Judging it is
the job of macros/checks. Nothing here imports MkDocs.
"""

from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown.extensions.toc import slugify, unique

# libyaml's parser when PyYAML has it (the wheels do): several times faster.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeLoader(_BaseLoader):
    """YAML's safe loader, except that a date that does not exist
    (`2026-13-01`, `2026-11-31`) is kept as its text instead of raising
    Python's ValueError (a traceback with no file or line). The schema then
    rejects it as an invalid date, at the line of its field."""


def _timestamp_or_text(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

from .model import Heading, Link, MacroCall, SourcePage

# Jinja delimiters chosen so that legal text can never trigger a macro by
# accident: "{{", "{%" and "{#" (attribute lists) all stay literal. Keep in
# step with the `macros:` block of mkdocs.yml.
MACRO_START, MACRO_END = "{{<", ">}}"
MACRO = re.compile(r"\{\{<\s*(?P<expr>.*?)\s*>\}\}")
# The same macros written with ordinary Jinja braces would be shown to readers
# as raw text, so the checks look for them.
OLD_STYLE_MACRO = re.compile(r"\{\{-?\s*(?P<name>addresses|case_study)\s*\(")

FENCE = re.compile(r"^\s*(```|~~~)")
ATX = re.compile(r"^(#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
ATTR_ID = re.compile(r"\s*\{[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")
ATTR_LIST = re.compile(r"\s*\{:?[^}]*\}\s*$")
CODE_SPAN = re.compile(r"`+[^`]*`+")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s+\"[^\"]*\")?\s*$")
HTML_URL = re.compile(r"\b(?:href|src)\s*=\s*[\"'](?P<target>[^\"']+)[\"']", re.I)


@dataclass
class RegisterSource:
    path: str
    data: object  # parsed YAML, or None if it would not parse
    lines: dict[tuple, int] = field(default_factory=dict)  # YAML path -> line
    error: tuple[int, str] | None = None


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (front matter YAML, body, line number where the body starts)."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            after = text.find("\n", end + 4)
            after = len(text) if after == -1 else after + 1
            front = text[4 : end + 1]
            return front, text[after:], front.count("\n") + 3
    return "", text, 1


def yaml_lines(text: str) -> dict[tuple, int]:
    """Map each key path in a YAML document to its (1-based) line number."""
    lines: dict[tuple, int] = {}

    def walk(node, path):
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[path + (key.value,)] = key.start_mark.line + 1
                walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                walk(value, path + (index,))

    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, ())
    return lines


def load_register(root: Path, name: str = "recommendations.yml") -> RegisterSource:
    path = root / name
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return RegisterSource(name, None, error=(line, str(getattr(exc, "problem", exc))))
    return RegisterSource(name, data, yaml_lines(text))


def heading_anchor(text: str, seen: set[str]) -> tuple[str, str]:
    """Return (plain title, anchor) the way MkDocs' toc extension makes them."""
    explicit = ATTR_ID.search(text)
    text = ATTR_LIST.sub("", text)
    plain = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links -> their text
    plain = re.sub(r"[*_`]", "", plain)
    plain = html.unescape(re.sub(r"<[^>]+>", "", plain)).strip()
    if explicit:
        anchor = explicit.group("id")
        seen.add(anchor)
        return plain, anchor
    return plain, unique(slugify(plain, "-"), seen)


def parse_call(expr: str) -> tuple[str, list[str], str | None]:
    """Parse `name("A", "B")`. Only string arguments are allowed."""
    try:
        node = ast.parse(expr, mode="eval").body
    except SyntaxError:
        return "", [], "it is not a valid macro call"
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        return "", [], "it is not a call such as addresses(\"R1@abc123\")"
    if node.keywords or not all(
        isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args
    ):
        return node.func.id, [], "every argument must be a quoted id, for example \"R3@3d0885\""
    return node.func.id, [a.value for a in node.args], None


def scan(page: SourcePage, body: str) -> None:
    """Fill in the headings, macro calls and links of a page from its body."""
    seen: set[str] = set()
    fenced = None
    for offset, line in enumerate(body.splitlines()):
        number = page.body_start + offset
        fence = FENCE.match(line)
        if fence:
            if fenced is None:
                fenced = fence.group(1)
            elif fence.group(1) == fenced:
                fenced = None
            continue
        if fenced:
            continue
        # Each pattern runs only on lines with the character it needs: most
        # lines are plain prose, and this keeps a build's fixed cost low.
        if line.startswith("#"):
            heading = ATX.match(line)
            if heading:
                title, anchor = heading_anchor(heading.group("text"), seen)
                page.headings.append(Heading(len(heading.group(1)), title, anchor, number))
        if "{{" in line:
            for match in MACRO.finditer(line):
                name, args, error = parse_call(match.group("expr"))
                page.calls.append(MacroCall(name, args, number, match.group(0), error))
            for match in OLD_STYLE_MACRO.finditer(line):
                page.calls.append(
                    MacroCall(match.group("name"), [], number, match.group(0), "old-delimiters")
                )
            line = MACRO.sub("", line)
        if "](" in line or "]:" in line or "=" in line:
            without_code = CODE_SPAN.sub("", line) if "`" in line else line
            for pattern in (INLINE_LINK, REF_DEF, HTML_URL):
                for match in pattern.finditer(without_code):
                    page.links.append(Link(match.group("target"), number))


def load_page(path: Path, rel: str, uri: str) -> SourcePage:
    text = path.read_text(encoding="utf-8")
    return parse_page(text, rel, uri)


def parse_page(text: str, rel: str, uri: str) -> SourcePage:
    front, body, start = split_front_matter(text)
    meta: dict = {}
    errors: list[tuple[str, str]] = []
    if front:
        try:
            loaded = yaml.load(front, Loader=SafeLoader)
            if isinstance(loaded, dict):
                meta = loaded
            else:
                errors.append(("", "the front matter is not a list of 'key: value' lines"))
        except yaml.YAMLError as exc:
            # Name the field on the line where YAML gave up, so that the
            # message points at it (field_line), not at the file's first line.
            mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
            lines = front.splitlines()
            key = re.match(r"^([\w-]+)\s*:", lines[mark.line]) if mark and mark.line < len(lines) else None
            errors.append((key.group(1) if key else "", f"the front matter is not valid YAML ({getattr(exc, 'problem', exc)})"))
    page = SourcePage(rel, uri, text, meta, start, meta_error=errors, front=front)
    scan(page, body)
    return page


def source_files(root: Path, folder: str) -> list[Path]:
    base = root / folder
    return sorted(p for p in base.rglob("*.md") if not any(part.startswith((".", "_")) for part in p.relative_to(base).parts))


def case_study_uri(path: Path) -> str:
    return f"case-studies/{path.stem.lower()}.md"
