"""Search that answers: the search index, made ready for the law.

Material's search plugin writes `search/search_index.json` (one document per
page and per section: location, title, HTML text). `postprocess()` rewrites
it after the build (called from macros/hooks.py, on_post_build):

- Curly quotes and apostrophes, non-breaking and other hyphens and
  non-breaking spaces become their plain forms (`normalise`), so that
  "landlord’s" and "ex‑partner" are found however they are typed. The
  browser applies the same table to the query
  (docs/assets/javascripts/search.js).
- Page furniture ("This section delivers ...") is taken out of the text.
- A hidden `keys` field holds one token per citation that the separator
  would otherwise split: "r.31.3" and "rule 31.3" -> "r31.3", "para. 5" ->
  "para5", "art. 8" and "Article 8" -> "art8", "reg. 4" -> "reg4",
  "Sch. 1" and "Schedule 1" -> "sch1". The browser turns such a query into
  the one required token, so "art. 8" finds article 8 and not every "8".
  It also holds the other members of any synonym group the section uses.
- A hidden `defines` field, weighted far above titles, holds the citation
  tokens of the provisions a section defines (search.yml), so a citation
  query lists the defining page first.
- The register, the coverage matrix, the item pages and the case-study
  pages are weighted below the chapters, so a question about the law lists
  the guidance first. A hidden `item` field, weighted as `defines` is,
  holds the id an item or case-study page is about ("r3", "cs07"), so a
  query that names one (R3, F1, CS-07) still lists its page first. The
  browser turns "CS-07" into the one token "cs07" (search.js), and a
  section that mentions a case study by id gets the token in `keys`.

The fields and their weights are set in mkdocs.yml (plugins: search: fields).
Inputs: the index as a dict and the checked settings. Output: a new dict.
Errors: a bad search.yml or an `at` that names no section gives
`search.yml:line: code: problem. Fix: ...` (SearchSettingsError).
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import yaml
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, field_validator

from . import load

SETTINGS_FILE = "search.yml"
LOW_BOOST = 0.1  # register, coverage matrix, item pages, case-study pages
LOW_PAGES = ("recommendations/", "case-studies/")
# The page an item or case study has to itself ("recommendations/r3/",
# "case-studies/cs-07/"), and a case study's id in the text ("CS-07").
_ITEM_PAGE = re.compile(r"^(?:recommendations/(?P<item>[a-z]\d+)|case-studies/cs-(?P<case>\d+))/$")
_CASE_ID = re.compile(r"\bCS-(\d+)\b")

# One table for the index and the query (kept in step with search.js).
_CHARACTERS = {
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u00ad": "",
}
_CHARACTER = re.compile("[" + "".join(_CHARACTERS) + "]")

# Citations the separator would split: kind -> what the text may write.
# (Sections, "s.4A", "s4A", "§4A", need no token: the separator drops "s.",
# "s" and "§" before a number, so "4a" stays.)
_NOT_A_YEAR = r"(?!(?:19|20)\d\d\b)"
CITATION_KINDS = {
    "r": r"(?<![\w.])(?:r\.|[Rr]ule\b)\s?" + _NOT_A_YEAR + r"(?P<n>\d+(?:\.\d+)*)",
    "para": r"\b(?:paras?\.|paragraph\b)\s?" + _NOT_A_YEAR + r"(?P<n>\d+[A-Za-z]*)",
    "art": r"\b(?:arts?\.|article\b)\s?" + _NOT_A_YEAR + r"(?P<n>\d+[A-Za-z]*)",
    "reg": r"\b(?:regs?\.|regulation\b)\s?" + _NOT_A_YEAR + r"(?P<n>\d+[A-Za-z]*)",
    "sch": r"\b(?:sch\.|schedule\b)\s?" + _NOT_A_YEAR + r"(?P<n>\d+[A-Za-z]*)",
}
_CITATION = {kind: re.compile(rx, 0 if kind == "r" else re.I) for kind, rx in CITATION_KINDS.items()}
# Words one of which the lower-cased text must hold for a kind to match: a
# cheap test that spares the index (thousands of sections) most searches.
_CITATION_HINTS = {"r": ("r.", "rule"), "para": ("para.", "paras.", "paragraph"), "art": ("art.", "arts.", "article"),
                   "reg": ("reg.", "regs.", "regulation"), "sch": ("sch.", "schedule")}
# A section however it is written ("s.4A", "s4A", "ss 4", "§4A", "section
# 4A"), as the separator (mkdocs.yml) and search.js's prepare() read it.
_SECTION = re.compile(r"(?:\bss?\.?\s?|§+\s?)(?P<n>\d+[A-Za-z]*)|\bsections?\s(?P<m>\d+[A-Za-z]*)", re.I)

# Page furniture that must never be searched or shown as an excerpt.
_FURNITURE = [
    re.compile(r"<span class=\"visually-hidden\">This section delivers</span>[^<]*", re.S),
    re.compile(r"This section delivers the recommendations? or findings?:[^<]*"),
]
_TAG = re.compile(r"<[^>]+>")


# The theme's search worker as each page's __config names it, and the
# address that starts docs/assets/javascripts/search-worker.js in its place.
_THEME_WORKER = re.compile(r'("search":\s*")([^"]*?)workers/(search\.[0-9a-f]+\.min\.js)"')
OUR_WORKER = "search-worker.js"


def use_our_worker(html: str) -> str:
    """Name search-worker.js as the page's search worker, with the theme's
    worker it loads as ?theme=: "assets/javascripts/workers/search.H.min.js"
    -> "assets/javascripts/search-worker.js?theme=search.H.min.js". The theme
    starts whatever its __config names, online and in the offline copy's
    frame alike, so no script has to intercept it, and the offline copy's
    content security policy hashes the frame script for the address the
    page really uses (macros/offline.py). A page with no __config (a
    redirect stub) is returned as it is."""
    if '<script id="__config"' not in html:
        return html
    out, n = _THEME_WORKER.subn(lambda m: f'{m[1]}{m[2]}{OUR_WORKER}?theme={m[3]}"', html, count=1)
    if n != 1:
        raise SearchSettingsError("The theme's search worker is not where search-worker.js expects it "
                                  "(__config \"search\": \".../workers/search.<hash>.min.js\"). "
                                  "Fix: update _THEME_WORKER in macros/search.py for this version of the theme.")
    return out


class SearchSettingsError(ValueError):
    """A problem in search.yml or between it and the built index."""


def normalise(text: str) -> str:
    """Curly quotes and apostrophes, special hyphens and spaces -> plain ones."""
    return _CHARACTER.sub(lambda m: _CHARACTERS[m.group(0)], text)


def citation_tokens(text: str) -> list[str]:
    """The citation tokens of a text, in order, once each.

    "CrimPR r.31.3 and rule 24.1" -> ["r31.3", "r24.1"]; "para. 2A of Sch. 1"
    -> ["para2a", "sch1"]. Sections give none: the separator handles them."""
    return _plain_citation_tokens(normalise(_TAG.sub(" ", text)))


def _plain_citation_tokens(plain: str, lower: str | None = None) -> list[str]:
    """citation_tokens() of text already normalised, without tags."""
    lower = plain.lower() if lower is None else lower
    found = []
    for kind, pattern in _CITATION.items():
        if any(hint in lower for hint in _CITATION_HINTS[kind]):
            found += [(m.start(), kind + m.group("n").lower()) for m in pattern.finditer(plain)]
    return list(dict.fromkeys(token for _, token in sorted(found)))


def provision_token(citation: str) -> str:
    """The token a search for a provision looks up: "PHA s.4A" -> "4a",
    "Sch. 1" -> "sch1". Raises ValueError for anything else."""
    section = _SECTION.search(citation)
    if section:
        return (section.group("n") or section.group("m")).lower()
    tokens = citation_tokens(citation)
    if len(tokens) != 1:
        raise ValueError(f"'{citation}' is not one citation of a section, rule, paragraph, article, regulation or schedule")
    return tokens[0]


def _member_pattern(member: str) -> tuple[str, re.Pattern]:
    """(the member's first word in lower case, a pattern for the member in
    lower-cased text). The pattern can match only where the first word is in
    the text, so the word is tested first (a substring test is far faster
    than a search)."""
    words = [w.lower() for w in re.split(r"[\s-]+", normalise(member).strip()) if w]
    first = re.escape(words[0][0])
    # Searched in the lower-cased text; the check that no letter comes
    # before it follows the first character, so the search can skip ahead.
    pattern = first + r"(?<!\w" + first + ")" + re.escape(words[0][1:]) + "".join(r"[\s-]?" + re.escape(w) for w in words[1:])
    return words[0], re.compile(pattern)


def _group(group: list[str]) -> list[str]:
    if len(group) < 2 or any(not str(m).strip() for m in group):
        raise ValueError(f"{group} is not a group of two or more words or phrases")
    return group


class Settings(BaseModel):
    """search.yml, checked."""

    model_config = ConfigDict(extra="forbid")

    class Definition(BaseModel):
        model_config = ConfigDict(extra="forbid")
        provision: str
        at: str

        @field_validator("provision")
        @classmethod
        def _one_citation(cls, value: str) -> str:
            provision_token(value)
            return value

        @field_validator("at")
        @classmethod
        def _an_address(cls, value: str) -> str:
            if value.startswith("/") or "://" in value or not re.fullmatch(r"[a-z0-9/._-]*/(#[a-z0-9_-]+)?", value):
                raise ValueError(f"'{value}' is not a page address such as offences/#the-law")
            return value

    synonyms: list[Annotated[list[str], AfterValidator(_group)]] = []
    defines: list[Definition] = []


def load_settings(root: Path, name: str = SETTINGS_FILE) -> Settings:
    """Read and check search.yml (none: no synonyms or definitions). Raises
    SearchSettingsError with the line."""
    path = root / name
    if not path.exists():
        return Settings()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SearchSettingsError(f"{name}:1: search-settings: cannot read it ({exc.strerror}). "
                                  "Fix: restore the file from git.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SearchSettingsError(f"{name}:{line}: search-settings: the file is not saved as UTF-8 (byte 0x{data[exc.start]:02X} "
                                  "cannot be read). Fix: save the file as UTF-8 (in most editors: Save As, Encoding, UTF-8).") from None
    try:
        data = yaml.load(text, Loader=load.SafeLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        message = str(getattr(exc, "problem", exc))
        wrong, fix = load.yaml_words(message)
        raise SearchSettingsError(f"{name}:{mark.line + 1 if mark else 1}: search-settings: not valid YAML "
                                  f"({message}{f'; {wrong}' if wrong else ''}). Fix: {fix[0].lower() + fix[1:]}.") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        lines = load.yaml_lines(text)
        error = exc.errors()[0]
        where = tuple(error["loc"])
        while where and where not in lines:
            where = where[:-1]
        message = error["msg"].removeprefix("Value error, ")
        raise SearchSettingsError(f"{name}:{lines.get(where, 1)}: search-settings: {'.'.join(map(str, error['loc']))}: "
                                  f"{message}. Fix: see the comment at the top of {name}.") from None


def strip_furniture(text: str) -> str:
    for pattern in _FURNITURE:
        text = pattern.sub("", text)
    return text


def site_address(location: str) -> str:
    """A location in directory form, whatever the build: "offences.html#x"
    (the offline copy) and "offences/index.html#x" -> "offences/#x"."""
    path, hash_, fragment = location.partition("#")
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    elif path.endswith(".html"):
        path = path[: -len(".html")] + "/"
    return path + hash_ + fragment


def process_index(index: dict, settings: Settings, strict: bool = True) -> dict:
    """The index with plain characters, no furniture, `keys` and `defines`
    fields, and lower weights for the register pages. Raises
    SearchSettingsError if a definition's `at` is not a section of the index,
    unless `strict` is False (under `make serve`, where a page with errors is
    replaced by the problem list: check_defines has reported the entry from
    the parse, and the index is written without it)."""
    docs = index.get("docs", [])
    locations = {site_address(doc["location"]): doc for doc in docs}
    defines: dict[str, list[str]] = {}
    for i, definition in enumerate(settings.defines):
        if definition.at not in locations:
            if not strict:
                continue
            near = [loc for loc in locations if loc.split("#")[0] == definition.at.split("#")[0]]
            raise SearchSettingsError(
                f"{SETTINGS_FILE}: search-settings: defines[{i}] ({definition.provision}) points at "
                f"'{definition.at}', which is not a section of the site. "
                f"Fix: use one of {near[:6] or 'the pages in the menu'}.")
        defines.setdefault(definition.at, []).append(provision_token(definition.provision))
    groups = [(group, [_member_pattern(m) for m in group]) for group in settings.synonyms]
    out = []
    for doc in docs:
        doc = dict(doc)
        doc["title"] = normalise(doc.get("title", ""))
        doc["text"] = normalise(strip_furniture(doc.get("text", "")))
        plain = _TAG.sub(" ", doc["title"] + " " + doc["text"])
        lower = plain.lower()
        keys = _plain_citation_tokens(plain, lower)
        for group, patterns in groups:
            if any(word in lower and p.search(lower) for word, p in patterns):
                keys += [m for m in group]
        if "CS-" in plain:
            keys += ["cs" + n for n in _CASE_ID.findall(plain)]
        if keys:
            doc["keys"] = " ".join(dict.fromkeys(keys))
        item = _ITEM_PAGE.match(site_address(doc["location"]))
        if item:
            doc["item"] = item.group("item") or "cs" + item.group("case")
        if site_address(doc["location"]) in defines:
            doc["defines"] = " ".join(defines[site_address(doc["location"])])
        if doc["location"].startswith(LOW_PAGES):
            doc["boost"] = LOW_BOOST
        out.append(doc)
    return {**index, "docs": out}


def page_of(address: str) -> tuple[str, str]:
    """('offences.md', 'the-law') for 'offences/#the-law'; ('index.md', '')
    for '' or '#x' on the home page. The page's Markdown file may also be
    'x/index.md': callers try both."""
    path, _, fragment = address.partition("#")
    path = path.rstrip("/")
    return (f"{path}.md" if path else "index.md"), fragment


def check_defines(root: Path, facts: dict) -> list[tuple[int, str, str]]:
    """(search.yml line, problem, fix) for each `defines` entry whose `at` is
    not a heading the parse found ({uri: pipeline.PageFacts}), and for a
    search.yml that cannot be read. Run with the other checks on the parse,
    so `make check`, `make build` and `make serve` report it at its line
    before anything is written (under serve, in the browser)."""
    try:
        settings = load_settings(root)
    except SearchSettingsError as exc:
        line, _, rest = str(exc).partition(": search-settings: ")
        problem, _, fix = rest.partition(" Fix: ")
        return [(int(line.rpartition(":")[2] or 1), problem.rstrip("."), fix.rstrip(".") or "Correct the line")]
    text = (root / SETTINGS_FILE).read_text(encoding="utf-8-sig") if (root / SETTINGS_FILE).exists() else ""
    lines = load.yaml_lines(text)
    out = []
    for i, definition in enumerate(settings.defines):
        uri, fragment = page_of(definition.at)
        page = facts.get(uri) or facts.get(uri.removesuffix(".md") + "/index.md")
        if page is not None and (not fragment or fragment in page.ids):
            continue
        line = lines.get(("defines", i), 1)
        if page is None:
            pages = difflib.get_close_matches(uri.removesuffix(".md"), sorted(u.removesuffix(".md") for u in facts), n=1, cutoff=0.7)
            out.append((line, f"defines[{i}] ({definition.provision}) points at '{definition.at}', but there is no page {uri}",
                        "Write the page address as in the site, for example offences/#the-law"
                        + (f"; did you mean {pages[0]}/" if pages else "")))
            continue
        near = difflib.get_close_matches(fragment, sorted(page.ids), n=3, cutoff=0.5)
        out.append((line, f"defines[{i}] ({definition.provision}) points at '{definition.at}', which is not a heading on {uri}",
                    "Use the id of the heading that defines it" + (f"; did you mean {', '.join(f'{definition.at.partition(chr(35))[0]}#{n}' for n in near)}" if near else "")))
    return out


def postprocess(site_dir: Path, root: Path, strict: bool = True) -> bool:
    """Rewrite site_dir/search/search_index.json in place. Returns False when
    the build wrote no index (search switched off). `strict`: see
    process_index."""
    path = site_dir / "search" / "search_index.json"
    if not path.exists():
        return False
    settings = load_settings(root)
    index = process_index(json.loads(path.read_text(encoding="utf-8")), settings, strict)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
