"""The one data model: the register, page and case-study front matter, and the
traceability index built from them.

Pydantic models declare what editors may write (and export as JSON Schema).
Plain dataclasses hold what the loader found in the sources. Nothing here
reads files or knows about MkDocs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

ITEM_ID = r"^(R[1-9]|F[1-9]|G[1-9])$"
CASE_STUDY_ID = r"^CS-\d{2,3}$"

# Headings every case study must have, in this order.
CASE_STUDY_HEADINGS = (
    "What happened",
    "The decisions",
    "What went well or should have happened",
    "Learning points",
)


class Strict(BaseModel):
    """Unknown keys are mistakes (usually typos), so they are rejected."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --------------------------------------------------------------------------
# The register (recommendations.yml)
# --------------------------------------------------------------------------


class Commitment(Strict):
    id: str = Field(pattern=r"^[RG][1-9]\.\d+$", description="For example R2.1 or G1.1.")
    text: str = Field(min_length=10, description="The commitment, in our own words.")
    variation: str | None = Field(
        default=None, min_length=20,
        description="Where the guidance deliberately delivers the commitment in another way than its words: "
                    "how, and why (our own words). Shown on the item page and in the coverage matrix.",
    )


class RegisterItem(Strict):
    id: str = Field(pattern=ITEM_ID, description="R1 to R7, F1 to F4, or G1 (a general commitment).")
    kind: Literal["recommendation", "finding", "general"] = Field(
        description="recommendation: one of the inspection's recommendations (R); finding: a finding the response "
                    "accepted (F); general: a commitment the response made on its own, outside any recommendation (G).",
    )
    number: int | None = Field(
        default=None, description="Number in the 2017 response (recommendations only)."
    )
    addressee: str = Field(min_length=3)
    title: str = Field(min_length=3, max_length=80)
    summary: str = Field(min_length=20)
    commitments: list[Commitment] = Field(default_factory=list)
    derived_from: str | None = Field(
        default=None, pattern=ITEM_ID,
        description="The item this one restates part of (for example F3 restates one of F2's consequences). "
                    "It must be another item of the register.",
    )

    @property
    def fingerprint(self) -> str:
        """Six hex digits that change whenever the wording changes.

        A section that addresses this item records the fingerprint it was
        reviewed against (``"R3@1a2b3c"``); a mismatch makes it suspect.
        """
        words = [self.title, self.summary] + [c.text for c in self.commitments]
        # A recorded variation changes what a section must deliver, so it is part of the wording.
        # (derived_from only records where an item comes from, so it is not.)
        words += [f"{c.id} varied: {c.variation}" for c in self.commitments if c.variation]
        text = "\n".join(" ".join(w.split()) for w in words)
        return hashlib.sha256(text.encode()).hexdigest()[:6]

    @property
    def slug(self) -> str:
        return self.id.lower()


class Theme(Strict):
    id: str = Field(pattern=r"^[a-z][a-z-]+$")
    label: str


class Register(Strict):
    items: list[RegisterItem]
    themes: list[Theme]


class ChangelogEntry(Strict):
    date: dt.date
    title: str = Field(min_length=3, max_length=90)
    summary: str = Field(min_length=20, description="What changed, for a reader, in one or two sentences.")
    pages: list[str] = Field(default_factory=list, description="Guidance pages affected, e.g. pleas.md.")


class Changelog(Strict):
    entries: list[ChangelogEntry]


# --------------------------------------------------------------------------
# Front matter
# --------------------------------------------------------------------------

REVIEW_IN = re.compile(r"^(\d+) (month|months|year|years)$")


class PageMeta(Strict):
    """Front matter of a guidance page in docs/."""

    title: str = Field(min_length=3, max_length=90)
    summary: str = Field(min_length=20, description="One sentence for readers and search.")
    owner: str = Field(min_length=3, description="A team or role, never a person's name.")
    last_reviewed: dt.date = Field(description="The date a person last reviewed the page.")
    review_in: str = Field(description='How often to review, for example "6 months".')
    law_as_at: dt.date = Field(description="The date at which the page states the law.")
    default_act: str | None = Field(
        default=None,
        description="The Act a bare citation such as 's.4A' refers to when no Act is named earlier in its paragraph: an id from provisions.yml, for example PHA.",
    )
    # Material / MkDocs keys that pages may use.
    hide: list[Literal["navigation", "toc", "footer"]] = Field(default_factory=list)
    search: dict | None = None

    @field_validator("review_in")
    @classmethod
    def _review_in(cls, value: str, info: ValidationInfo) -> str:
        """A number and a unit, giving a review date that exists: the date
        `last_reviewed` plus `review_in` must fall by the year 9999, the last
        that a date can have (`review_in: 99999 years`, or `last_reviewed:
        9999-12-01`, would otherwise end the build with Python's ValueError)."""
        if not REVIEW_IN.match(value):
            raise ValueError('write it as a number and a unit, for example "6 months" or "1 year"')
        last = info.data.get("last_reviewed")
        if isinstance(last, dt.date) and _add_months(last, _months(value)) is None:
            raise ValueError(f"'{value}' after last_reviewed ({last.isoformat()}) gives a review date after the year 9999, "
                             "which cannot exist; check both fields")
        return value

    @property
    def review_due(self) -> dt.date:
        return _add_months(self.last_reviewed, _months(self.review_in))


def _months(review_in: str) -> int:
    count, unit = REVIEW_IN.match(review_in).groups()
    return int(count) * (12 if unit.startswith("year") else 1)


def _add_months(date: dt.date, months: int) -> dt.date | None:
    """`date` plus `months` (on day 28 at most, so every month has it), or
    None if that is after the last date Python can hold (9999-12-31)."""
    year, month = divmod(date.month - 1 + months, 12)
    if date.year + year > dt.MAXYEAR:
        return None
    return dt.date(date.year + year, month + 1, min(date.day, 28))


class CaseStudyMeta(Strict):
    """Front matter of a case study in case_studies/."""

    id: str = Field(pattern=CASE_STUDY_ID, description="CS- and two or three digits, for example CS-07.")
    title: str = Field(min_length=3, max_length=90)
    summary: str = Field(min_length=20, max_length=400)
    offences: list[str] = Field(min_length=1, description="Statute and section, for example 'PHA 1997 s.4A'.")
    themes: list[str] = Field(min_length=1)
    illustrates: list[str] = Field(min_length=1, description="Register ids, for example [R3, F3] or [G1].")
    outcome: str = Field(min_length=10)
    default_act: str | None = Field(default=None, description="As for guidance pages: the Act a bare 's.4A' refers to, for example PHA.")

    @field_validator("illustrates")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.match(ITEM_ID, v)]
        if bad:
            raise ValueError(f"{', '.join(bad)} is not a register id (R1 to R7, F1 to F4, G1)")
        return value


# --------------------------------------------------------------------------
# The law as data (provisions.yml and cases.yml)
# --------------------------------------------------------------------------

NOT_IN_FORCE = "not in force"
# The law data vouches for every value it holds (issue 20): there is no
# "unverified". A value that could not be read is left out, and the entry
# says what is known instead (`in_force_by`, `note`).
# When a provision came into force: a date, or the words "not in force"
# (enacted but not commenced; `read_on` is then the day that was checked).
InForce = dt.date | Literal["not in force"]
SECTION_KEY = r"^(\d+[A-Z]{0,3}|Sch \d+[A-Z]{0,2})$"
HTTPS = r"^https://\S+$"
Address = Annotated[str, Field(pattern=HTTPS)]


class Maximum(Strict):
    """The maxima for offences committed within one period.

    The periods of one offence are contiguous: each starts (`committed_from`)
    on the day the one before it ends (`committed_before`), the first starts
    on the day the offence came into force, and only the last may be open-
    ended. macros/law.period_problems() enforces this (code `law-period`)."""

    committed_from: dt.date | None = Field(default=None, description="REQUIRED: for offences committed on or after this date (the first period starts when the offence came into force).")
    committed_before: dt.date | None = Field(default=None, description="For offences committed before this date; leave it out on the last (open-ended) period.")
    on_indictment: str | None = Field(default=None, min_length=3, description="For example \"10 years' imprisonment, a fine, or both\"; required unless the offence is summary only.")
    on_summary_conviction: str | None = Field(default=None, min_length=3, description="For example \"12 months' imprisonment, a fine, or both\"; required unless the offence is indictable only.")
    changed_by: str | None = Field(default=None, description="The provision that set this period's maxima, for example 'Policing and Crime Act 2017, s.175'.")


class Offence(Strict):
    subsection: str | None = Field(default=None, description="Where the section creates more than one offence, for example '(1)(b)'.")
    name: str = Field(min_length=3, description="The offence in plain words, for example 'Stalking involving fear of violence'.")
    tables: list[str] = Field(default_factory=list, description="The generated tables that list it, for example [harassment].")
    mode_of_trial: Literal["summary only", "either way", "indictable only"]
    maxima: list[Maximum] = Field(min_length=1, description="One entry per period in which the maxima differ, oldest first.")
    elements: str | None = Field(default=None, description="What must be proved, in our words (shown in the table).")
    alternative_verdicts: str | None = Field(default=None, description="For example 'PHA s.2 (s.4(5))'.")


class Order(Strict):
    """What kind of order a provision gives the court (for the "Law on a
    date" page, macros/law_on_a_date.py). `decided_from`/`decided_before`:
    the dates of the decision (conviction, acquittal) for which this
    provision is the one that applies, where that differs from when it is in
    force (PHA s.5 orders: convictions before 1 December 2020, when the
    Sentencing Code, SA 2020 s.2, took over)."""

    made: Literal["on conviction", "on acquittal", "on application"] = Field(description="When the court makes it.")
    decided_from: dt.date | None = Field(default=None, description="For decisions on or after this day only.")
    decided_before: dt.date | None = Field(default=None, description="For decisions before this day only.")


class Provision(Strict):
    order: Order | None = Field(default=None, description="For a provision that gives the court power to make an order: when it is made (shown on the Law on a date page).")
    heading: str | None = Field(default=None, description="The section's heading as on legislation.gov.uk.")
    in_force_from: InForce | None = Field(default=None, description="YYYY-MM-DD, or the words: not in force. Give this or in_force_by.")
    in_force_by: dt.date | None = Field(default=None, description="Only where the day it came into force could not be found: a day on which the source read shows it in force (say what was found in note). Not for a provision with offences or an order, whose dates must be exact.")
    in_force_to: dt.date | None = Field(default=None, description="YYYY-MM-DD if repealed or ceased to apply from that day.")
    commenced_by: str | None = Field(default=None, description="The commencement instrument or section, for example 'SI 2012/2075, art. 4'.")
    where: str | None = Field(default=None, description="For a provision in force in some areas only: where.")
    source: Address | list[Address] = Field(description="REQUIRED: the https address (or a list of them) where the dates, mode of trial and maxima were read.")
    read_on: dt.date = Field(description="REQUIRED: the day they were read (for 'not in force', the day the position was checked).")
    url: str | None = Field(default=None, pattern=r"^https://", description="Only where the address is not the Act's address plus /section/N.")
    offences: list[Offence] = Field(default_factory=list, description="The offences it creates, if any.")
    note: str | None = Field(default=None, description="Anything else a reader needs, in our words.")

    @model_validator(mode="after")
    def _one_start(self):
        if (self.in_force_from is None) == (self.in_force_by is None):
            raise ValueError("give one of in_force_from (the day it came into force, or 'not in force') and in_force_by (a day the source shows it in force, only where the day it came into force could not be found)")
        if self.in_force_by is not None and (self.offences or self.order is not None):
            raise ValueError("in_force_by is not enough for a provision with offences or an order: the Law on a date page needs the day it came into force; read it and write in_force_from")
        return self

    @property
    def sources(self) -> list[str]:
        """`source` as a list (empty if none is recorded)."""
        if self.source is None:
            return []
        return [self.source] if isinstance(self.source, str) else list(self.source)


class Act(Strict):
    title: str = Field(min_length=3, description="The short title, for example 'Protection from Harassment Act 1997'.")
    names: list[str] = Field(default_factory=list, description="Other names the prose uses, for example [PHA, PHA 1997].")
    cite_as: str | None = Field(default=None, description="How generated tables cite it, for example PHA (default: the title and a comma).")
    legislation: str | None = Field(
        default=None, pattern=r"^(ukpga|uksi)/[A-Za-z0-9/-]+$",
        description="The legislation.gov.uk path, for example ukpga/1997/40.",
    )
    url: str | None = Field(default=None, pattern=r"^https://", description="For a document not on legislation.gov.uk (for example the Code for Crown Prosecutors).")
    provisions: dict[str, Provision] = Field(description="By section number ('4A') or schedule ('Sch 1').")

    @field_validator("provisions")
    @classmethod
    def _keys(cls, value: dict) -> dict:
        bad = [k for k in value if not re.match(SECTION_KEY, str(k))]
        if bad:
            raise ValueError(f"{', '.join(map(str, bad))}: write a section as '4A' or a schedule as 'Sch 1'")
        return value

    def address(self, key: str) -> str:
        """The public text of one provision."""
        provision = self.provisions.get(key)
        if provision and provision.url:
            return provision.url
        if self.legislation:
            kind, _, number = key.partition(" ") if key.startswith("Sch ") else ("section", "", key)
            return f"https://www.legislation.gov.uk/{self.legislation}/{'schedule' if kind == 'Sch' else 'section'}/{number}"
        return self.url or ""


class RulePeriod(Strict):
    """What a conviction rule says for convictions within one period (the
    periods join like an offence's maxima: see macros/law.check_periods)."""

    convicted_from: dt.date | None = Field(default=None, description="REQUIRED: for offenders convicted on or after this date.")
    convicted_before: dt.date | None = Field(default=None, description="For offenders convicted before this date; leave it out on the last period.")
    rule: str = Field(min_length=3, description="What applies, in our words, for example \"12 months' imprisonment\".")
    changed_by: str | None = Field(default=None, description="The provision or instrument that set it, for example 'SI 2024/1067, reg. 2'.")


class ConvictionRule(Strict):
    """A rule that depends on the date of conviction, not of the offence: the
    magistrates' court's general limit (Sentencing Act 2020 s.224), the
    presumption of a suspended sentence (Sentencing Code ss.264A and 277A)."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="kebab-case, unique, for example general-limit-either-way.")
    title: str = Field(min_length=3, max_length=120)
    applies_to: str = Field(min_length=3, description="Which sentences or offences it governs, in our words.")
    provisions: list[str] = Field(default_factory=list, description="Provisions in this file, for example ['SA2020 s.224'].")
    source: Address | list[Address] | None = Field(default=None, description="The https address(es) read.")
    read_on: dt.date | None = Field(default=None, description="The day they were read.")
    note: str | None = None
    before_first: str | None = Field(default=None, description="What applied to convictions before the first period, in our words (for example 'No presumption').")
    periods: list[RulePeriod] = Field(min_length=1, description="One entry per period of conviction dates, oldest first.")

    @property
    def sources(self) -> list[str]:
        if self.source is None:
            return []
        return [self.source] if isinstance(self.source, str) else list(self.source)

    def on(self, date: dt.date) -> RulePeriod | None:
        """The period that covers a conviction on `date`, or None (before the
        first period: the rule did not apply)."""
        for period in self.periods:
            if period.convicted_from and period.convicted_from <= date and (period.convicted_before is None or date < period.convicted_before):
                return period
        return None


class Provisions(Strict):
    acts: dict[str, Act] = Field(description="By the id pages use in default_act, for example PHA.")
    conviction_rules: list[ConvictionRule] = Field(default_factory=list, description="Rules that depend on the date of conviction.")


# --------------------------------------------------------------------------
# The register of changes in the law (law-changes.yml)
# --------------------------------------------------------------------------


class LawChange(Strict):
    """One change in the law since the 2017 inspection."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="kebab-case, unique, for example sa2026-suspended-presumption.")
    title: str = Field(min_length=3, max_length=140, description="What changed, in a line.")
    summary: str | None = Field(default=None, min_length=20, description="What changed, in our words, in a sentence or two.")
    instrument: str = Field(min_length=3, description="The Act and section or the SI, for example 'Sentencing Act 2026, s.1'.")
    made: dt.date | None = Field(default=None, description="Royal Assent, or the day the instrument was made.")
    in_force: dt.date | Literal["not in force", "not confirmed"] = Field(description=(
        "YYYY-MM-DD; or the words: not in force (enacted, and read as not commenced); or the words: not confirmed "
        "(whether it is in force could not be read at a primary source). Either set of words needs checked_on."))
    checked_on: dt.date | None = Field(default=None, description="For 'not in force' or 'not confirmed': the day that was checked.")
    position: str | None = Field(default=None, min_length=20, description=(
        "What the guidance tells the reader about the change as at the day checked, in our words and in one paragraph. "
        "A page shows it with {{< law_change(\"id\") >}}, and every page in reflected_in must."))
    applies: str = Field(min_length=10, description="Which cases it applies to, by date, in our words.")
    source: Address | list[Address] = Field(description="The https address(es) read.")
    read_on: dt.date = Field(description="The day they were read.")
    provisions: list[str] = Field(default_factory=list, description="Provisions in provisions.yml it affects, for example ['SA2020 s.224'].")
    pages: list[str] = Field(default_factory=list, description="Guidance pages it affects, as paths in docs/, for example [sentencing.md].")
    reflected_in: list[str] = Field(default_factory=list, description="Pages already brought up to date for it (the law_as_at check).")

    @model_validator(mode="after")
    def _checked(self):
        if self.in_force in ("not in force", "not confirmed") and self.checked_on is None:
            raise ValueError(f"a change that is {self.in_force} needs checked_on: the day you checked that (YYYY-MM-DD)")
        return self

    @property
    def sources(self) -> list[str]:
        return [self.source] if isinstance(self.source, str) else list(self.source)

    @property
    def in_force_date(self) -> dt.date | None:
        return self.in_force if isinstance(self.in_force, dt.date) else None


class LawChanges(Strict):
    changes: list[LawChange] = Field(default_factory=list)


class Case(Strict):
    name: str = Field(min_length=5, description="As the prose names it, for example 'R v Curtis'.")
    aliases: list[str] = Field(default_factory=list, description="Other names for the same case, for example the name on BAILII.")
    citation: str = Field(min_length=5, description="Neutral citation first, then reports, separated by '; '.")
    court: str = Field(min_length=3)
    date: dt.date
    decided: str = Field(min_length=20, description="What it decided, in our words, from the judgment.")
    checked: bool = Field(default=False, description="True only once 'decided' has been read against the judgment itself.")
    judgment: str | None = Field(default=None, pattern=r"^https://", description="A public copy of the judgment (BAILII or the National Archives).")
    source: Address | list[Address] | None = Field(default=None, description="The https address(es) of the judgment or report read.")
    read_on: dt.date | None = Field(default=None, description="The day the judgment or the report was read.")


class Cases(Strict):
    cases: list[Case]


# --------------------------------------------------------------------------
# What the loader finds in the sources
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    path: str  # relative to the project root, e.g. "docs/pleas.md"
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Heading:
    level: int
    title: str
    anchor: str
    line: int
    explicit: bool = False  # the id was written ({#id}), not made from the text


@dataclass
class MacroCall:
    name: str
    args: list[str]
    line: int
    raw: str
    error: str | None = None  # set when the call could not be parsed
    failure: str | None = None  # set when expanding the call failed, so nothing was published for it


@dataclass
class Link:
    target: str
    line: int
    image: bool = False  # the source of an image (![alt](src)), not a link to follow


@dataclass
class SourcePage:
    """A Markdown source: a guidance page or a case study."""

    path: str  # relative to project root
    uri: str  # path inside the built docs tree, e.g. "pleas.md", "case-studies/cs-01.md"
    text: str
    meta: dict
    body_start: int  # line number of the first body line
    headings: list[Heading] = field(default_factory=list)
    calls: list[MacroCall] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    meta_error: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    front: str = ""  # the raw front matter, for the line numbers of fields
    facts: object = None  # pipeline.PageFacts from the parse that rendered it (headings, links, calls above come from it)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or self.uri)


@dataclass(frozen=True)
class Reference:
    """One section's claim to address one register item."""

    item: str
    fingerprint: str | None
    page: str  # uri of the page, e.g. "pleas.md"
    path: str  # source path, for messages
    anchor: str
    section: str  # heading text
    line: int  # line of the addresses() call


@dataclass(frozen=True)
class Use:
    """One use of a case study on a guidance page."""

    case_study: str
    page: str
    path: str
    line: int
    anchor: str = ""  # the id of the heading the call sits under ("" before the first heading)
    section: str = ""  # that heading's text, or the page's title


@dataclass
class Problem:
    code: str
    location: Location
    message: str
    fix: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.location}: [{self.code}] {self.message}. {self.fix}"
