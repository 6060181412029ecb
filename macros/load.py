"""Loaders: read the register, the guidance pages and the case studies.

They only read and record what they find (with line numbers). Judging it is
the job of macros/checks. Nothing here parses Markdown: the headings, links,
macro calls and raw HTML of a page come from the parse that renders it
(pipeline.py). Nothing here imports MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

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


def _mapping_without_repeats(loader, node):
    """A mapping in which no key appears twice. YAML's loaders keep the last
    of two equal keys without a word, so a field written twice (two `owner:`
    lines) would silently lose the first; this raises a YAML error at the
    second, which the checks report at its line."""
    seen = set()
    for key_node, _ in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None  # a field name, as written
        if key is not None and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the field '{key}' is written twice; keep one of the two lines", key_node.start_mark)
        seen.add(key)
    return yaml.constructor.SafeConstructor.construct_yaml_map(loader, node)


SafeLoader.add_constructor("tag:yaml.org,2002:map", _mapping_without_repeats)

from .model import SourcePage

# Sources that are not UTF-8, found while reading: (file, line of the first
# byte that cannot be read, that byte). load_project() empties it before it
# reads and keeps what it found on the project; the checks report them.
NOT_UTF8: list[tuple[str, int, int]] = []


def read_source(path: Path, rel: str) -> str:
    """The text of a source file that editors write (a page, a case study, a
    YAML data file, the abbreviations), as MkDocs reads pages: UTF-8, with a
    byte-order mark at the start ignored.

    A file that is not UTF-8 (saved as Windows-1252, say, where Word's curly
    quotes are the bytes 0x93 and 0x94) never raises: its file, the line of
    its first bad byte and that byte are added to NOT_UTF8, and its text is
    returned with each bad byte replaced by U+FFFD, so the other sources are
    still read and the build can stop at its checking stage, with a message,
    before MkDocs reads the file itself."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        NOT_UTF8.append((rel, data.count(b"\n", 0, exc.start) + 1, data[exc.start]))
        return data.decode("utf-8-sig", errors="replace")


@dataclass
class RegisterSource:
    path: str
    data: object  # parsed YAML, or None if it would not parse
    text: str = ""
    error: tuple[int, str] | None = None

    @cached_property
    def lines(self) -> dict[tuple, int]:
        """YAML path -> line. Worked out only when a problem needs a line (a
        second parse of the file, which a clean build never needs)."""
        return yaml_lines(self.text)


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
    text = read_source(path, name)
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return RegisterSource(name, None, error=(line, str(getattr(exc, "problem", exc))))
    return RegisterSource(name, data, text)


def load_page(path: Path, rel: str, uri: str) -> SourcePage:
    text = read_source(path, rel)
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
            # A line that holds no field (an indented item, a tab) belongs to
            # the nearest field above it.
            mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
            lines = front.splitlines()
            key = None
            for candidate in reversed(lines[: mark.line + 1] if mark else []):
                key = re.match(r"^([\w-]+)\s*:", candidate)
                if key:
                    break
            problem = str(getattr(exc, "problem", exc))
            where = getattr(exc, "problem_mark", None)
            if where and where.line < len(lines) and "\t" in lines[where.line]:
                problem += "; a tab is used to indent a line: YAML needs spaces"
            errors.append((key.group(1) if key else "", f"the front matter is not valid YAML ({problem})"))
    return SourcePage(rel, uri, text, meta, start, meta_error=errors, front=front)


# What YAML's own messages mean for an editor, and the fix, most specific
# first: (words in YAML's message, what is wrong, how to fix it).
YAML_WORDS = [
    ("written twice", "", "Delete one of the two lines, keeping the value you mean"),
    ("mapping values are not allowed", "a colon followed by a space inside a value starts a new field",
     'Put the whole value in double quotes, for example title: "R2: restraining orders"'),
    ("cannot start any token", "a line is indented with a tab, or starts with a character YAML reserves (@ or `)",
     "Indent with spaces, never tabs; put a value that starts with @ or ` in double quotes"),
    ("did not find expected key", "a line is indented more or less than the lines beside it, or a quote is not closed",
     "Line the field up with the fields above it (two spaces a level) and close every quote"),
    ("did not find expected '-' indicator", "a list item is not lined up with the items above it",
     "Start each item of the list with '- ' at the same indent as the items above it"),
    ("did not find expected ',' or ']'", "a list written in [ ] is not closed, or holds a value with a comma or colon",
     "Close the list with ], and put any value with a comma or colon in double quotes"),
    ("could not find expected ':'", "a line is not a field (no 'name: value'), or a quote is not closed",
     "Write the line as name: value, and close every quote"),
    ("found unexpected end of stream", "a quote or bracket is opened and never closed",
     "Close the quote or bracket on the line where it starts"),
    ("while scanning a quoted scalar", "a quote is opened and never closed",
     "Close the quote on the line where it starts"),
]


def yaml_words(message: str) -> tuple[str, str]:
    """(what is wrong, the fix) in an editor's words for one of YAML's own
    messages; what is wrong is "" where YAML's message already says it."""
    for words, wrong, fix in YAML_WORDS:
        if words in message:
            return wrong, fix
    return "", "Check the indentation (spaces, two a level) and put any value with a colon, # or quote in double quotes"


ANCHOR_RECORD = "anchors.lock.json"


def load_anchor_record(root: Path) -> tuple[dict[str, dict[str, dict]] | None, dict[str, int], str | None]:
    """The record of published anchors ({page: {id: {"heading": its text,
    "level": 1 to 6, "under": the id of the heading it sits under, or ""}}}:
    which heading owns each id), the line of each page in the file, and an
    error message if it cannot be read. (None, {}, None) when there is no
    record."""
    import json

    path = root / ANCHOR_RECORD
    if not path.exists():
        return None, {}, None
    text = read_source(path, ANCHOR_RECORD)
    try:
        data = json.loads(text)
    except ValueError as exc:
        return None, {}, f"it is not valid JSON ({exc})"
    if isinstance(data, dict) and data and all(isinstance(v, list) for v in data.values()):
        return None, {}, ("it is in the old format, a list of ids for each page, which does not say which heading "
                          "owns each id (so a new heading could take a published id unnoticed)")
    owner_fields = {"heading": str, "level": int, "under": str}
    if not isinstance(data, dict) or not all(
            isinstance(ids, dict) and all(isinstance(owner, dict) and all(isinstance(owner.get(k), t) for k, t in owner_fields.items())
                                          for owner in ids.values())
            for ids in data.values()):
        return None, {}, 'it is not, for each page, each id with the heading that owns it ({"heading": ..., "level": ..., "under": ...})'
    lines = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r'^\s*"([^"]+)":\s*\{', line)
        if match and match.group(1) in data:
            lines.setdefault(match.group(1), number)
    return data, lines, None


def source_files(root: Path, folder: str) -> list[Path]:
    base = root / folder
    return sorted(p for p in base.rglob("*.md") if not any(part.startswith((".", "_")) for part in p.relative_to(base).parts))


def case_study_uri(path: Path) -> str:
    return f"case-studies/{path.stem.lower()}.md"
