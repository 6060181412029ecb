"""The law as data: the table of provisions (provisions.yml) and the table of
cases (cases.yml), and the pure functions that find citations in prose.

    load_law(root) -> Law            reads both files (missing file = empty table)
    Law.scan(text, act) -> events    Act names, section citations and case names
                                     found in one run of prose text, in order

A citation of a section (``PHA s.4A``, ``s.4A``, ``ss.4 and 4A``,
``section 4A``, ``Sch. 1``, ``s.5A(2A)``) resolves to, in this order:

1. the Act named straight after it (``s.5 of the Bail Act 1976``,
   ``Schedule 1 to the Bail Act 1976``);
2. the Act named last before it in the same paragraph (the caller passes it
   in, so a paragraph that runs across several text nodes keeps its context);
3. the page's ``default_act`` (front matter).

An Act that is not in provisions.yml ("the Criminal Procedure (Insanity) Act
1964", any run of capitalised words ending "Act" and a year) counts as an Act
named in steps 1 and 2: a citation that resolves to it gets ``act`` None and
``foreign`` the name, and is never linked (the checks report it), so that
"s.4A of the Criminal Procedure (Insanity) Act 1964" is never linked to the
page's default Act.

Nothing here reads Markdown or knows about MkDocs: the Markdown extension in
citations.py feeds it text, and the checks report what it found.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from . import load
from .model import NOT_IN_FORCE, Act, Case, Cases, LawChanges, Provisions

PROVISIONS = "provisions.yml"
CASES = "cases.yml"
CHANGES = "law-changes.yml"
# How law-changes.yml and conviction_rules name a provision: "SA2020 s.224", "PHA Sch. 1".
PROVISION_REF = re.compile(r"^(?P<act>[A-Za-z0-9]+) (?:s\.(?P<section>\d+[A-Z]{0,3})|Sch\. ?(?P<schedule>\d+[A-Z]{0,2}))$")

# One section or schedule number, then any subsections: 4A, 5A(2A), 4A(1)(b)(ii).
_NUM = r"\d+[A-Z]{0,3}"
_SUB = r"(?:\([0-9A-Za-z]{1,4}\))*"
_ITEM = rf"{_NUM}{_SUB}"
# Lists and ranges, only after a plural (ss., sections): "ss.4 and 4A", "ss.359-364".
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to)\s+|\s*[-–]\s*)"
CITATION = re.compile(
    rf"(?<![\w.])(?:(?P<plural>ss\.\s?|[Ss]ections\s+)(?P<list>{_ITEM}(?:{_SEP}{_ITEM}(?![\w.]))*)"
    rf"|(?P<single>s\.\s?|[Ss]ection\s+)(?P<one>{_ITEM})"
    rf"|(?P<sch>Sch\.\s?|Schedule\s+)(?P<schnum>\d+[A-Z]{{0,2}}))(?![\w])"
)
CAPITAL_OR_DIGIT = re.compile(r"[A-Z0-9]")
_LEGISLATION = re.compile(r"https?://(?:www\.)?legislation\.gov\.uk/((?:ukpga|uksi)/[^/]+/[^/]+(?:/[^/]+)?)")
ITEM = re.compile(rf"(?P<num>{_NUM})(?P<sub>{_SUB})")
# An Act by its title, known or not: "... Act 1964". The words of the title
# are found walking back from "Act" (Law._foreign_mentions).
_ACT_YEAR = re.compile(r"(?<![\w-])Act\s+\d{4}(?!\w)")
_TITLE_TOKEN = re.compile(r"\([^()]*\)|[\w'’-]+|\S")
_TITLE_GLUE = {"of", "and", "for", "from", "the", "on", ","}
# Capitalised words that start a sentence or a phrase, not an Act's title.
_NOT_TITLE = {"The", "Under", "See", "In", "By", "And", "Or", "As", "With", "Also", "If", "When", "Both", "For", "From",
              "Unlike", "Like", "Before", "After", "Since", "Until", "Read", "Note", "This", "That", "An", "A", "On", "To",
              "Of", "Where", "While", "Whether", "But", "So", "Then", "Only", "Each", "Every", "Any"}
# "s.4A of the ...", "Sch. 1 to the ...": what joins a citation to the Act named straight after it.
_AFTER_GLUE = re.compile(r"\s*,?\s+(?:of|to|into|in)\s+(?:[Tt]he\s+)?")
_LEGISLATION_ACT = re.compile(r"https?://(?:www\.)?legislation\.gov\.uk/(ukpga/\d{4}/\d+)(?![\d])")
# "R v Name", "DPP v Name", "Name v Name": any such name in prose must be in cases.yml.
CASE_NAME = re.compile(r"\b(?:R|DPP|[A-Z][A-Za-z'’\-]+)\s+v\.?\s+(?:R\b|DPP\b|[A-Z][A-Za-z'’\-]+)")


@dataclass
class ActMention:
    start: int
    end: int
    act: str  # the Act's id in provisions.yml, or (known False) the title as written
    known: bool = True


@dataclass
class Cited:
    """One section or schedule in a citation (a list cites several)."""

    start: int  # the text to link, within the scanned string
    end: int
    key: str  # "4A" or "Sch 1"
    sub: str  # "(1)(b)(ii)"


@dataclass
class Citation:
    start: int
    end: int
    raw: str
    items: list[Cited]
    act: str | None  # the Act it resolves to, or None
    how: str  # "after", "before", "default" or "none"
    foreign: str | None = None  # the title of the Act not in provisions.yml that it resolves to (act is then None)


@dataclass
class CaseName:
    start: int
    end: int
    raw: str
    case: Case | None  # None: not in cases.yml


@dataclass
class Law:
    provisions: Provisions | None = None
    cases: Cases | None = None
    errors: list[tuple[str, int, str, str]] = field(default_factory=list)  # (file, line, message, fix)
    period_errors: list[tuple[str, int, str, str]] = field(default_factory=list)  # (file, line, message, fix)
    changes: LawChanges | None = None  # law-changes.yml, if it keeps its schema
    change_errors: list[tuple[str, int, str, str]] = field(default_factory=list)  # (file, line, message, fix)
    rule_errors: list[tuple[str, int, str, str]] = field(default_factory=list)  # conviction_rules: unknown provisions, repeated ids
    change_source: object = None  # load.RegisterSource of law-changes.yml, for line marks
    provision_lines: dict = field(default_factory=dict)  # YAML path -> line in provisions.yml (when it loaded)

    @cached_property
    def acts(self) -> dict[str, Act]:
        return dict(self.provisions.acts) if self.provisions else {}

    @cached_property
    def _names(self) -> dict[str, str]:
        """Every name an Act goes by -> its id."""
        names = {}
        for act_id, act in self.acts.items():
            for name in (act.title, act_id, *act.names):
                names.setdefault(name, act_id)
        return names

    @cached_property
    def act_pattern(self) -> re.Pattern | None:
        if not self._names:
            return None
        return re.compile(_bounded_alternation(self._names))

    @cached_property
    def trailing_pattern(self) -> re.Pattern | None:
        if not self._names:
            return None
        return re.compile(r"\s*,?\s+(?:of|to|into|in)\s+(?:the\s+)?(?P<name>" + _alternation(self._names) + r")(?![\w])")

    @cached_property
    def case_names(self) -> dict[str, Case]:
        out = {}
        for case in self.cases.cases if self.cases else []:
            for name in (case.name, *case.aliases):
                out.setdefault(name, case)
        return out

    @cached_property
    def case_pattern(self) -> re.Pattern | None:
        if not self.case_names:
            return None
        return re.compile(_bounded_alternation(self.case_names))

    @cached_property
    def needs_capital_or_digit(self) -> bool:
        """True when every Act name and case name has a capital letter or a
        digit (as every citation has a digit), so a text without one holds
        none of them."""
        return all(CAPITAL_OR_DIGIT.search(name) for name in [*self._names, *self.case_names])

    def act_of_address(self, href: str) -> str | None:
        """The Act whose legislation.gov.uk text a link points to: a link to
        an Act names it, like writing its title."""
        if "legislation.gov.uk" not in href:
            return None
        match = _LEGISLATION.match(href)
        if not match:
            return None
        path = match.group(1)
        for act_id, act in self.acts.items():
            if act.legislation and (path == act.legislation or path.startswith(act.legislation + "/")):
                return act_id
        return None

    def foreign_of_address(self, href: str) -> str | None:
        """For a link to an Act on legislation.gov.uk that is not in
        provisions.yml: the Act as its address names it, so that a bare
        citation after "[the 1964 Act](...ukpga/1964/84)" is not given the
        page's default Act. None for any other link."""
        match = _LEGISLATION_ACT.match(href)
        if not match or self.act_of_address(href) is not None:
            return None
        return f"the Act at legislation.gov.uk/{match.group(1)}"

    def _foreign_mentions(self, text: str, known: list) -> list[ActMention]:
        """The Acts named in `text` by a title that is not in provisions.yml:
        each "Act" and year with the capitalised words (and "of", "and",
        commas, a bracketed word) before it, leaving out a title that the
        known mentions cover and never reaching back into one."""
        out = []
        for match in _ACT_YEAR.finditer(text):
            if any(k.start <= match.start() < k.end for k in known):
                continue  # a known Act's title
            floor = max([k.end for k in known if k.end <= match.start()], default=0)
            tokens = list(_TITLE_TOKEN.finditer(text, floor, match.start()))
            taken = []
            for token in reversed(tokens):
                word = token.group(0)
                if word[0].isupper() or (word[0] == "(" and word[1:2].isupper()):
                    taken.append(token)
                elif word in _TITLE_GLUE and taken and (word != "," or taken[-1].group(0)[0].isupper()):
                    taken.append(token)
                else:
                    break
            while taken and (taken[-1].group(0) in _TITLE_GLUE or taken[-1].group(0) in _NOT_TITLE):
                taken.pop()  # "Under the ...", "of the ...": not part of the title
            if taken:
                out.append(ActMention(taken[-1].start(), match.end(), text[taken[-1].start():match.end()], known=False))
        return out

    def act_id(self, name: str) -> str:
        return self._names[name]

    def may_hold(self, text: str) -> bool:
        """False only if scan() would find nothing in `text` or in any part
        of it: no Act name, citation or case name. A cheap first look at a
        whole paragraph (its runs of text joined by newlines, which no name
        or citation crosses at an edge), so a paragraph without any is not
        scanned run by run."""
        if self.act_pattern is not None and self.act_pattern.search(text):
            return True
        if ("s." in text or "ection" in text or "Sch" in text) and CITATION.search(text):
            return True
        return " v" in text and bool((self.case_pattern is not None and self.case_pattern.search(text)) or CASE_NAME.search(text))

    def scan(self, text: str, last_act: str | None, default_act: str | None, following: str = ""):
        """Find Act names, citations and case names in `text`, in order.

        Returns (events, last_act): `events` is a list of ActMention, Citation
        and CaseName; `last_act` is the Act named last, for the next run of
        text in the same paragraph. `following` is the text that comes next
        (for example a link's text), so that "Section 9 of the [Code...]"
        finds the Act named straight after it."""
        if self.needs_capital_or_digit and not CAPITAL_OR_DIGIT.search(text):
            return [], last_act  # most runs of text: nothing here can be a name or a citation
        events: list = []
        if self.act_pattern is not None:
            events += [ActMention(m.start(), m.end(), self._names[m.group(0)]) for m in self.act_pattern.finditer(text)]
        # Acts not in provisions.yml, here and (for "s.4A of the [... Act 1964](...)") in the text that follows.
        full = text + following
        foreign_after = []
        if "Act" in full:
            known = [e for e in events if isinstance(e, ActMention)]
            if following and self.act_pattern is not None:
                known = known + [ActMention(m.start(), m.end(), self._names[m.group(0)]) for m in self.act_pattern.finditer(full, len(text))]
            foreign_after = self._foreign_mentions(full, known)
            events += [f for f in foreign_after if f.end <= len(text)]
        citations = list(CITATION.finditer(text)) if ("s." in text or "ection" in text or "Sch" in text) else []
        cases = []
        if " v" in text:
            known = list(self.case_pattern.finditer(text)) if self.case_pattern is not None else []
            cases = [CaseName(m.start(), m.end(), m.group(0), self.case_names[m.group(0)]) for m in known]
            taken = [(m.start(), m.end()) for m in known]
            for m in CASE_NAME.finditer(text):
                if not any(s <= m.start() < e for s, e in taken):
                    cases.append(CaseName(m.start(), m.end(), m.group(0), None))
        events += cases
        # Citations resolve against the Act mentions before them.
        mentions = sorted((e for e in events if isinstance(e, ActMention)), key=lambda e: e.start)
        for m in citations:
            items = _items(m)
            after = self.trailing_pattern.match(text + following, m.end()) if self.trailing_pattern is not None else None
            glue = _AFTER_GLUE.match(full, m.end()) if foreign_after and not after else None
            foreign = next((f.act for f in foreign_after if glue and f.start == glue.end()), None)
            before = [a for a in mentions if a.end <= m.start()]
            if after:
                act, how = self._names[after.group("name")], "after"
            elif foreign:
                act, how = None, "after"
            elif before:
                act, how = before[-1].act, "before"
            elif last_act:
                act, how = last_act, "before"
            elif default_act:
                act, how = default_act, "default"
            else:
                act, how = None, "none"
            if how == "before" and act not in self.acts:
                act, foreign = None, act  # the Act named last is not in provisions.yml
            events.append(Citation(m.start(), m.end(), m.group(0), items, act, how, foreign))
        events.sort(key=lambda e: e.start)
        if mentions:
            last_act = mentions[-1].act
        return events, last_act

    # ---- checking one citation
    def unknown_items(self, citation: Citation) -> list[Cited]:
        act = self.acts.get(citation.act or "")
        if act is None:
            return []
        return [i for i in citation.items if i.key not in act.provisions]

    def suggest(self, act_id: str, key: str) -> list[str]:
        """Nearby sections of the same Act, for a "did you mean"."""
        act = self.acts.get(act_id)
        if act is None:
            return []
        keys = list(act.provisions)
        close = difflib.get_close_matches(key, keys, n=3, cutoff=0.5)
        return close

    def address(self, act_id: str, key: str) -> str:
        return self.acts[act_id].address(key)

    def resolve(self, ref: str) -> tuple[str, str] | None:
        """(act id, provision key) for a reference such as "SA2020 s.224" or
        "PHA Sch. 1", if provisions.yml has that provision; else None."""
        match = PROVISION_REF.match(str(ref).strip())
        if not match:
            return None
        key = match.group("section") or f"Sch {match.group('schedule')}"
        act = self.acts.get(match.group("act"))
        return (match.group("act"), key) if act is not None and key in act.provisions else None

    def provision_refs(self) -> list[str]:
        """Every provision as law-changes.yml names it, for a "did you mean"."""
        return [f"{act_id} {label(key)}" for act_id, act in self.acts.items() for key in act.provisions]

    @cached_property
    def conviction_rules(self) -> dict:
        return {rule.id: rule for rule in self.provisions.conviction_rules} if self.provisions else {}


def _items(match: re.Match) -> list[Cited]:
    if match.group("sch"):
        return [Cited(match.start(), match.end(), f"Sch {match.group('schnum')}", "")]
    group = "list" if match.group("plural") else "one"
    base = match.start(group)
    out = []
    for n, item in enumerate(ITEM.finditer(match.group(group))):
        start = match.start() if n == 0 else base + item.start()
        out.append(Cited(start, base + item.end(), item.group("num"), item.group("sub")))
    return out


def label(key: str) -> str:
    """How a provision key is written to readers: 's.4A' or 'Sch. 1'."""
    return f"Sch. {key[4:]}" if key.startswith("Sch ") else f"s.{key}"


UNVERIFIED_WORD = "unverified"
UNVERIFIED_FIX = ("Read it at its source (legislation.gov.uk with its commencement annotations, the commencement order, the judgment) "
                  "and write the value, with 'source:' and 'read_on:'. If the day a provision came into force cannot be found, "
                  "replace in_force_from with 'in_force_by: YYYY-MM-DD', a day the source shows it in force, and say what you found in 'note:'")
SOURCE_FIX = ("Add 'source:' with the https address (or a list of them) where you read the entry's dates, mode of trial and maxima, "
              "and 'read_on: YYYY-MM-DD', the day you read them")
SCHEMA_FIX = "Correct the entry; schema/provisions.schema.json and schema/cases.schema.json list the fields"


def _unreadable(name: str, message: str) -> tuple[str, str]:
    """(problem, fix) for a YAML file that cannot be read, in an editor's
    words (load.yaml_words), as for the register and front matter."""
    wrong, fix = load.yaml_words(message)
    return f"{name} cannot be read: {message}" + (f" ({wrong})" if wrong else ""), fix


def load_law(root: Path) -> Law:
    """Read provisions.yml and cases.yml. Errors are recorded with file and
    line (never raised): the checks report them."""
    law = Law()
    for name, model, attr in ((PROVISIONS, Provisions, "provisions"), (CASES, Cases, "cases")):
        if not (root / name).exists():
            continue
        try:
            source = load.load_register(root, name)
        except ValueError as exc:  # YAML read a date such as 2026-13-01
            line = _bad_date_line((root / name).read_text(encoding="utf-8"))
            law.errors.append((name, line, f"a date is not a real date ({exc}); write dates as YYYY-MM-DD", SCHEMA_FIX))
            continue
        if source.data is None:
            line, message = source.error
            law.errors.append((name, line, *_unreadable(name, message)))
            continue
        try:
            setattr(law, attr, model.model_validate(source.data))
            if attr == "provisions":
                law.period_errors += [(name, *rest) for rest in period_problems(law.provisions, source.lines)]
                for kind, *rest in rule_problems(law, source.lines):
                    (law.period_errors if kind == "period" else law.rule_errors).append((name, *rest))
        except ValidationError as exc:
            dates = {tuple(e["loc"])[:-1] for e in exc.errors() if e["type"].startswith(("date_", "datetime_"))}
            told = set()
            for error in exc.errors():
                loc = tuple(error["loc"])
                line = _line(source.lines, loc)
                where = ".".join(str(p) for p in loc)
                if error.get("input") == UNVERIFIED_WORD:
                    field_loc = next((loc[:i + 1] for i in range(len(loc) - 1, -1, -1) if isinstance(loc[i], str) and not loc[i].startswith(("date", "literal"))), loc)
                    if field_loc not in told:
                        told.add(field_loc)
                        law.errors.append((name, _line(source.lines, field_loc), f"'{'.'.join(str(p) for p in field_loc)}' is 'unverified': the law data must vouch for every value it holds", UNVERIFIED_FIX))
                    continue
                if error["type"] == "missing" and loc[-1] in ("source", "read_on"):
                    law.errors.append((name, _line(source.lines, loc[:-1]), f"'{where}' is missing: every entry records where and when it was read", SOURCE_FIX))
                    continue
                if loc[:-1] in dates and not error["type"].startswith(("date_", "datetime_")):
                    continue  # the other branch of "a date or 'unverified'": the date message says it all
                if error["type"].startswith(("date_", "datetime_")):  # e.g. 2026-13-01, kept as text by load.SafeLoader
                    reason = (error.get("ctx") or {}).get("error") or error["msg"]
                    law.errors.append((name, line, f"'{error.get('input')}' is not a real date ({reason}); write dates as YYYY-MM-DD", SCHEMA_FIX))
                    continue
                law.errors.append((name, line, f"'{where}' is invalid: {error['msg'].removeprefix('Value error, ')}", SCHEMA_FIX))
    _load_changes(root, law)
    return law


def _load_changes(root: Path, law: Law) -> None:
    """law-changes.yml into law.changes; its faults into law.change_errors,
    with their lines (a missing file is an empty register)."""
    if not (root / CHANGES).exists():
        return
    fix = "Correct the entry; schema/law-changes.schema.json lists the fields"
    try:
        source = load.load_register(root, CHANGES)
    except ValueError as exc:
        law.change_errors.append((CHANGES, _bad_date_line((root / CHANGES).read_text(encoding="utf-8")), f"a date is not a real date ({exc})", "Write dates as YYYY-MM-DD"))
        return
    law.change_source = source
    if source.data is None:
        line, message = source.error
        law.change_errors.append((CHANGES, line, *_unreadable(CHANGES, message)))
        return
    try:
        law.changes = LawChanges.model_validate(source.data or {})
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            where = ".".join(str(p) for p in loc)
            if error["type"].startswith(("date_", "datetime_")) and error.get("input") not in (None, "not in force", "not confirmed"):
                if isinstance(error.get("input"), str) and not re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", error["input"]):
                    message = f"'{where}' is '{error['input']}': write a date as YYYY-MM-DD"
                else:
                    message = f"'{error.get('input')}' is not a real date; write dates as YYYY-MM-DD"
            else:
                message = f"'{where}' is invalid: {error['msg'].removeprefix('Value error, ')}"
            if "checked_on" in error["msg"]:
                loc = loc + ("in_force",)  # the rule on the whole entry is about this field
            entry = (CHANGES, _line(source.lines, loc), message, fix)
            if entry not in law.change_errors:
                law.change_errors.append(entry)
        return
    seen = {}
    for index, change in enumerate(law.changes.changes):
        if change.id in seen:
            law.change_errors.append((CHANGES, _line(source.lines, ("changes", index, "id")),
                                      f"the id '{change.id}' is used twice (first at line {seen[change.id]})", "Give each change its own id"))
        seen.setdefault(change.id, _line(source.lines, ("changes", index, "id")))


def rule_problems(law: Law, lines: dict) -> list[tuple[int, str, str]]:
    """conviction_rules in provisions.yml: unique ids, provisions that
    exist, and periods that join (check_periods, from the first period's
    start: before it the rule did not apply). Out: ("period" or "data",
    line, message, fix)."""
    out, seen = [], set()
    for index, rule in enumerate(law.provisions.conviction_rules):
        path = ("conviction_rules", index)
        if rule.id in seen:
            out.append(("data", _line(lines, path + ("id",)), f"the conviction rule id '{rule.id}' is used twice", "Give each rule its own id"))
        seen.add(rule.id)
        for n, ref in enumerate(rule.provisions):
            if law.resolve(ref) is None:
                near = difflib.get_close_matches(str(ref), law.provision_refs(), n=1, cutoff=0.6)
                out.append(("data", _line(lines, path + ("provisions", n)), f"conviction rule '{rule.id}' names '{ref}', which is not a provision in provisions.yml"
                            + (f" (did you mean {near[0]}?)" if near else ""),
                            "Write it as the Act's id and the section, for example 'SA2020 s.224', and add the provision if it is missing"))
        out += [("period", *found) for found in check_periods(rule.periods, f"conviction rule '{rule.id}'", path + ("periods",), lines, None, "", "")]
    return out


def _dated(value) -> bool:
    return isinstance(value, dt.date)


def _long(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def check_periods(periods, where: str, path: tuple, lines: dict, starts, start_words: str, start_field: str) -> list[tuple[int, str, str]]:
    """The rules every list of periods keeps (an offence's maxima, a
    conviction rule's periods): each period has a start (`committed_from`, or
    `convicted_from`), ends (if it ends) after it starts, and follows the
    one before it without a gap or an overlap; only the last is open-ended;
    the first starts on `starts` (when the offence came into force), and
    none starts before it. If `starts` is "not in force", the first period
    may have no start (the day it comes into force is not known yet).

    In: the periods (objects with .start and .end dates, `unverified` or
    None, via `_bounds`), a description of whose periods they are, their YAML
    path and the file's line marks. Out: (line, message, fix) for each fault.
    A value still `unverified` (tolerated until the strict commit) is not
    compared."""
    out = []
    spans = []
    for index, period in enumerate(periods):
        start, end, start_key, end_key = _bounds(period)
        here = path + (index,)
        if start is None and index == 0 and starts == NOT_IN_FORCE:
            continue
        if start is None:
            out.append((_line(lines, here), f"{where}: period {index + 1} has no {start_key}",
                        f"Give the first day of the period as '{start_key}: YYYY-MM-DD'"
                        + (f" (the first period starts on the day {start_words}" + (f": {start_field} {starts.isoformat()})" if _dated(starts) else ")") if index == 0 else
                           f" (the day period {index} ends, its {end_key})")))
            continue
        if _dated(start) and _dated(end) and end <= start:
            out.append((_line(lines, here + (end_key,)), f"{where}: period {index + 1} ends ({end_key} {end.isoformat()}) on or before the day it starts ({start_key} {start.isoformat()})",
                        f"Correct one of the two dates: {end_key} is the first day the period no longer covers"))
            continue
        if _dated(start) and _dated(starts) and start < starts:
            out.append((_line(lines, here + (start_key,)), f"{where}: period {index + 1} starts on {start.isoformat()}, before {start_words} ({start_field} {starts.isoformat()})",
                        f"Start the first period on {starts.isoformat()}, or correct {start_field}"))
            continue
        spans.append((index, start, end))
    if out:
        return out
    dated = [s for s in spans if _dated(s[1])]
    dated.sort(key=lambda s: s[1])
    if dated and _dated(starts) and dated[0][1] > starts and all(_dated(s[1]) for s in spans):
        index, start, _ = dated[0]
        start_key = _bounds(periods[index])[2]
        out.append((_line(lines, path + (index, start_key)), f"{where}: the first period starts on {start.isoformat()}, but {start_words} on {starts.isoformat()} ({start_field}), so nothing covers the days in between",
                    f"Start the first period on {starts.isoformat()}, or add a period for the days before {start.isoformat()}"))
    for (i, a_start, a_end), (j, b_start, _) in zip(dated, dated[1:]):
        _, _, start_key, end_key = _bounds(periods[i])
        if a_end is None:
            out.append((_line(lines, path + (i,)), f"{where}: period {i + 1} has no {end_key}, so it runs on and overlaps period {j + 1} (from {b_start.isoformat()})",
                        f"End period {i + 1} with '{end_key}: {b_start.isoformat()}' (only the last period is open-ended)"))
        elif not _dated(a_end):
            continue
        elif a_end > b_start:
            out.append((_line(lines, path + (j, start_key)), f"{where}: periods {i + 1} and {j + 1} overlap: period {i + 1} covers the days before {a_end.isoformat()} (its {end_key}), but period {j + 1} starts on {b_start.isoformat()}",
                        f"End period {i + 1} ({end_key}) on the day period {j + 1} starts, or correct period {j + 1}'s {start_key}"))
        elif a_end < b_start:
            out.append((_line(lines, path + (j, start_key)), f"{where}: there is a gap between periods {i + 1} and {j + 1}: period {i + 1} covers the days before {a_end.isoformat()} (its {end_key}), but period {j + 1} starts only on {b_start.isoformat()}",
                        f"Start period {j + 1} ({start_key}) on the day period {i + 1} ends, or add a period for the days between"))
    return out


def _bounds(period) -> tuple:
    """(start, end, name of the start field, name of the end field) of a period."""
    if hasattr(period, "committed_from"):
        return period.committed_from, period.committed_before, "committed_from", "committed_before"
    return period.convicted_from, period.convicted_before, "convicted_from", "convicted_before"


# The maxima that each mode of trial needs (and may not have).
_NEEDS = {
    "summary only": (("on_summary_conviction",), ("on_indictment",)),
    "either way": (("on_indictment", "on_summary_conviction"), ()),
    "indictable only": (("on_indictment",), ("on_summary_conviction",)),
}


def period_problems(provisions: Provisions, lines: dict) -> list[tuple[int, str, str]]:
    """Every fault in the periods of the offences' maxima in provisions.yml:
    check_periods() for each offence, and each period's maxima fit the mode
    of trial (an either-way offence has both, a summary-only offence no
    maximum on indictment, an indictable-only one none on summary
    conviction). Out: (line, message, fix)."""
    out = []
    for act_id, act in provisions.acts.items():
        for key, provision in act.provisions.items():
            starts = provision.in_force_from
            for o_index, offence in enumerate(provision.offences):
                path = ("acts", act_id, "provisions", key, "offences", o_index, "maxima")
                where = f"{act.cite_as or act_id} {label(key)}{offence.subsection or ''} ({offence.name})"
                out += check_periods(offence.maxima, where, path, lines, starts, "the provision came into force", "in_force_from")
                needs, forbids = _NEEDS[offence.mode_of_trial]
                for index, period in enumerate(offence.maxima):
                    for name in needs:
                        if getattr(period, name) is None:
                            out.append((_line(lines, path + (index,)), f"{where} is {offence.mode_of_trial}, but period {index + 1} has no {name}",
                                        f"Add '{name}:' with the maximum read in the provision"))
                    for name in forbids:
                        if getattr(period, name) is not None:
                            out.append((_line(lines, path + (index, name)), f"{where} is {offence.mode_of_trial}, so period {index + 1} cannot have {name}",
                                        f"Remove '{name}', or correct mode_of_trial"))
    return out


def _bad_date_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        for value in re.findall(r"\b\d{4}-\d{1,2}-\d{1,2}\b", line):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return number
    return 1


def _line(lines: dict, loc: tuple) -> int:
    """The line of the deepest YAML path that the loader recorded."""
    for n in range(len(loc), -1, -1):
        key = tuple(loc[:n])
        if key in lines:
            return lines[key]
    return 1


def _bounded_alternation(names) -> str:
    """A regex for any of the names as a whole word: `_alternation` with no
    word character just before or after. The check before is put after each
    name's first character, "P(?<!\\wP)HA", not in front of the whole: a
    pattern that starts with a look-behind is tried at every character, one
    that starts with a character only where that character is (about twice
    as fast over the guidance)."""
    parts = []
    for name in sorted(names, key=len, reverse=True):
        first = re.escape(name[0])
        parts.append(first + r"(?<!\w" + first + ")" + re.escape(name[1:]))
    return "(?:" + "|".join(parts) + r")(?!\w)"


def _alternation(names) -> str:
    """A regex alternation of the given literal names, longest first, so that
    "Protection from Harassment Act 1997" wins over "PHA"-style prefixes."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
