"""Case studies: front matter, fixed headings, ids, use on pages, and personal data."""

from __future__ import annotations

import functools
import re
from collections import defaultdict


from ..model import CASE_STUDY_HEADINGS, CaseStudyMeta, Problem, SourcePage
from ..project import Project
from .catalogue import problem
from .common import field_line, known_ids, prose_lines, schema_problems


def check_case_studies(project: Project) -> list[Problem]:
    out = []
    ids: dict[str, list[SourcePage]] = defaultdict(list)
    for page in project.case_studies:
        out += schema_problems(page, CaseStudyMeta, "case study")
        meta = project.case_meta(page)
        if meta is None:
            continue
        ids[meta.id].append(page)
        expected = f"case-studies/{meta.id.lower()}.md"
        if page.uri != expected:
            out.append(problem("front-matter", page.path, field_line(page, "id"),
                               f"the id '{meta.id}' does not match the file name",
                               f"Rename the file to case_studies/{meta.id.lower()}.md or correct the id"))
        for item_id in meta.illustrates:
            if project.register and not project.register_unreadable and item_id not in project.items:
                out.append(problem("unknown-item", page.path, field_line(page, "illustrates"),
                                   f"illustrates '{item_id}', which is not in recommendations.yml (known: {known_ids(project)})",
                                   "Correct the id in 'illustrates'"))
        for theme in meta.themes:
            if project.register and not project.register_unreadable and theme not in project.themes:
                out.append(problem("unknown-theme", page.path, field_line(page, "themes"),
                                   f"the theme '{theme}' is not in the register",
                                   f"Use one of: {', '.join(project.themes)}"))
    for case_id, pages in ids.items():
        if len(pages) > 1:
            for page in pages:
                out.append(problem("duplicate-id", page.path, field_line(page, "id"),
                                   f"the case study id '{case_id}' is used by {len(pages)} files",
                                   "Give each case study its own id"))
    return out


def check_case_study_use(project: Project) -> list[Problem]:
    """The fixed headings (as parsed) and where each case study is used."""
    out = []
    for page in project.case_studies:
        if project.case_meta(page) is None or page.facts is None:
            continue
        titles = [(h.title, h.line) for h in page.headings if h.level == 2]
        found = [t for t, _ in titles]
        for heading in CASE_STUDY_HEADINGS:
            if heading not in found:
                out.append(problem("missing-heading", page.path, page.body_start,
                                   f"the heading '## {heading}' is missing",
                                   f"Add it; every case study has, in order: {', '.join(CASE_STUDY_HEADINGS)}"))
        present = [t for t in found if t in CASE_STUDY_HEADINGS]
        if present == [h for h in CASE_STUDY_HEADINGS if h in present] and len(present) == len(set(present)):
            continue
        out.append(problem("missing-heading", page.path, titles[0][1] if titles else 1,
                           "the fixed headings are out of order or repeated",
                           f"Put them in this order, once each: {', '.join(CASE_STUDY_HEADINGS)}"))
    known = project.case_study_ids
    # A case study whose front matter is broken is reported once, for its front
    # matter: its uses are not also "unknown".
    unreadable = set()
    for page in project.case_studies:
        if project.case_meta(page) is None:
            unreadable.add(str(page.meta.get("id", "")).strip())
            unreadable.add(re.sub(r"^cs-", "CS-", page.uri.rsplit("/", 1)[-1].removesuffix(".md")))
    for use in project.uses:
        if use.case_study not in known and use.case_study not in unreadable:
            out.append(problem("unknown-case-study", use.path, use.line,
                               f"case_study('{use.case_study}') names a case study that does not exist "
                               f"(known: {', '.join(sorted(known)) or 'none'})",
                               "Correct the id, or add the case study to case_studies/"))
    for case_id, (page, _) in sorted(known.items()):
        if not project.uses_of(case_id):
            out.append(problem("unused-case-study", page.path, field_line(page, "id"),
                               f"{case_id} is not used on any guidance page",
                               f'Add {{{{< case_study("{case_id}") >}}}} to the section it illustrates, or remove the case study'))
    return out

MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"


# Nine digits, each within four characters of the next ("(07700) 900 125",
# "+44 7700-900-125"): a number with nine or more national digits has them.
NINE_DIGITS = re.compile(r"\d(?:\D{0,4}\d){8}")


def _phone_numbers(line: str):
    """Phone numbers in any written form ("(07700) 900 125", "+44 7700 900125",
    "07700-900-125", foreign numbers), found by Google's libphonenumber rules
    (the `phonenumbers` library) with the UK as the default region. Matches of
    fewer than nine national digits (years, section numbers) are not numbers,
    nor is one ending in a two-digit year ("4512345/23", a crime reference)."""
    if not NINE_DIGITS.search(line):
        return  # no nine digits close together: no number the test below keeps
    import phonenumbers  # here, not at the top: most builds never need it

    for match in phonenumbers.PhoneNumberMatcher(line, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        if len(str(match.number.national_number)) >= 9 and not re.search(r"/\d{2}$", match.raw_string):
            yield match.raw_string  # (a number ending "/23" is a reference with its year, reported as one)


# UK registration marks in any case: current (AB12 CDE, AB 12 CDE), prefix
# (A123 BCD) and suffix (ABC 123D). Letters must be all capitals or all lower
# case, and citations and ordinary words that fit the shape ("Sch 1A", "s4
# and") are not marks.
REGISTRATION = re.compile(r"\b(?:[A-Z]{2}\s?\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-Z])\b", re.I)
# Dateless marks (ABC 123, ABZ 1234), in capitals only: two or three letters
# and up to four digits that are not a year ("PHA 1997", "CJA2003" are Acts).
DATELESS = re.compile(r"\b([A-Z]{2,3})\s?(\d{1,4})\b")
YEAR = re.compile(r"(?:18|19|20)\d\d")
NOT_A_MARK = set("sch reg art sec para and the for was are not but has had you her his she any all can may one two six ten out per via see cpr pha".split())


def _registration_marks(line: str):
    for match in REGISTRATION.finditer(line):
        mark = match.group(0)
        letters = re.sub(r"[^A-Za-z]", "", mark)
        groups = re.findall(r"[A-Za-z]+", mark)
        if not (letters.isupper() or letters.islower()) or any(g.lower() in NOT_A_MARK for g in groups):
            continue
        yield mark


def _dateless_marks(line: str):
    for match in DATELESS.finditer(line):
        letters, digits = match.groups()
        if not YEAR.fullmatch(digits) and letters.lower() not in NOT_A_MARK:
            yield match.group(0)


# Case reference numbers: a police URN (01AB2345623, 01/AB/23456/23), a Crown
# Court case number (T20237001), a number with its year after a slash
# (CR/12345/23), or any number introduced as a reference, record or log
# ("our ref 4512345/23", "custody record CR/12345/23", "storm log 0456").
CASE_REFERENCE = re.compile(
    r"\b\d{2}[\s/-]?[A-Z]{2}[\s/-]?\d{5}[\s/-]?\d{2}\b"
    r"|\b[TSA]\d{4}\s?\d{4}\b"
    r"|\b[A-Z]{1,4}/\d{3,}/\d{2,4}\b"
    r"|\b\d{2,4}/\d{4,7}/\d{2,4}\b"  # a crime number: force/serial/year (12/34567/26)
    r"|\b(?:URN|CRN|(?:case|crime|incident|log|custody|court|police|job|occurrence|storm|our|your|their)\s+"
    r"(?:ref(?:erence)?\b\.?|number|no\.?|record|log)"
    r"|reference|ref\b\.?)\s*(?:number|no\.?)?\s*[:#]?\s*[A-Z]*[/-]?\d[\w/-]*",
    re.I,
)


def _same_case(regex):
    """Matches of `regex` whose letters are all capitals or all lower case
    ("ls1 4ab", "LS1 4AB"; not "Sch 1AB")."""
    def find(line):
        for m in regex.finditer(line):
            letters = re.sub(r"[^A-Za-z]", "", m.group(0))
            if letters.isupper() or letters.islower():
                yield m.group(0)
    return find


def _pattern(regex):
    return lambda line: (m.group(0) for m in regex.finditer(line))


PERSONAL_DATA = [
    ("an email address", _pattern(re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"))),
    ("a postcode", _same_case(re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I))),
    ("a phone number", _phone_numbers),
    ("a National Insurance number", _same_case(re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.I))),
    ("a vehicle registration mark", _registration_marks),
    ("a vehicle registration mark", _dateless_marks),  # after the others: "LS1" in "LS1 4AB" is the postcode
    ("a date (possibly a date of birth)", _pattern(re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\s+\d{{2,4}}\b|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\b(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.I))),
    ("a date of birth", _pattern(re.compile(r"\b(?:date of birth|d\.o\.b\.?|DOB|born on)\b", re.I))),
    ("a case reference", _pattern(CASE_REFERENCE)),
    # The likeliest identifier in an online-stalking case study.
    ("a social-media handle", _pattern(re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?\b"))),
    # Typed in a sentence, an address is dead text for readers and can
    # locate a person ("www.example.com/sarah.jones").
    ("a web address", _pattern(re.compile(r"\b(?:https?://|www\.)[^\s)\]>\"']*[^\s)\]>\"'.,;:!?]", re.I))),
]

# Every pattern above needs a digit, an @ or a word about birth. Lines without
# one are skipped, which keeps the check fast enough to run in every build.
MAYBE_PERSONAL = re.compile(r"[\d@]|birth|d\.?o\.?b|born|://|www\.", re.I)

# Words that may start a sentence in any text.
FUNCTION_WORDS = set(
    "a an the this that these those he she it they we you i his her its their our your "
    "him them us me my mine after before when while then there here if but and or so yet "
    "as at by for from in into of on onto to with within without over under about "
    "no not none one two three four five six seven eight nine ten all both each every "
    "some many most few several other another such what which who whom whose why how "
    "later soon next first second third finally also again once during until since "
    "although though because because instead only even still".split()
)

# Forenames that are also ordinary words. Where one starts a sentence or comes
# before a comma ("Will, her brother, ..."), it is read as a name; add it to
# case_studies/allowed-words.txt if it is meant as the word.
FORENAME_WORDS = set(
    "Amber April Ash Autumn Bill Bob Brook Buck Carol Chance Chase Cliff Clay Crystal Daisy Dale Dawn Dean "
    "Dot Drew Faith Fern Flora Frank Gene Ginger Glen Grace Guy Harmony Hazel Heath Heather Holly Honey Hope "
    "Hunter Iris Ivy Jack Jade Jasmine Jay Jewel June Kit Lance Lily Mark Mason May Mercy Miles Norman Olive "
    "Pat Patience Pearl Penny Piper Poppy Ray Reed Rich River Rob Robin Rod Rose Ruby Rusty Sandy Sky Sonny "
    "Sue Summer Sunny Taylor Victor Violet Wade Warren Will Willow Wren "
    "Grant Earl Joy Luke Max Sage Star".split()
)
# A capitalised word followed by ", her brother," or ": his friend" is a name,
# whatever the word: the apposition names a person.
APPOSITION = re.compile(
    r"^\s*[,:]\s*(?:her|his|their|my|our|your|the victim's|the suspect's|V's|D's)\s+(?:ex-?|former\s+|older\s+|younger\s+|new\s+|best\s+)?"
    r"(?:brother|sister|mother|father|son|daughter|friend|partner|husband|wife|boyfriend|girlfriend|neighbour|colleague|"
    r"cousin|aunt|uncle|nephew|niece|manager|boss|landlord|landlady|flatmate|lodger|employer|grandmother|grandfather|stepfather|stepmother)s?\b",
    re.I,
)
# Titles: with an initial ("Mr A", "Ms B") they are the role labels the
# anonymisation rules recommend; with anything else ("Mr Smith") they are flagged.
TITLES = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Mx"}
INITIAL_AFTER = re.compile(r"^\.?\s+[A-Z](?:['’]s)?(?![\w'’])")  # "Mr A", "Mr A's"
TITLED_NAME = re.compile(r"^\.?\s+([A-Z][\w'’-]+?)(?:['’]s)?(?![\w'’-])")  # "Mr Smith", "Mrs Smith's"
# Words that open a quoted message ("Hi V, I only want to talk."): quoting
# the suspect's messages is normal in a stalking case study.
GREETINGS = set("hi hey hello hiya dear bye thanks cheers sorry please yes yeah no ok okay morning evening night".split())
# Two or more words in capitals in a row that are not in the glossary
# ("SARAH JONES"): a name written in capitals, not an abbreviation.
CAPITALS_RUN = re.compile(r"\b[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+)+\b")
# Where a case study links: an address outside the guidance may name or
# locate someone ("https://example.com/sarah.jones.leeds").
EXTERNAL_LINK = re.compile(r"\]\(\s*<?((?:https?:|www\.|//|mailto:)[^)\s>]*)", re.I)

ORDINARY_ENDING = re.compile(r"[a-z](?:ed|ing|ly|tion|ment|ness)$")
# A capitalised word, in any alphabet ("Smith", "Élodie", "Łukasz"): a
# capital (or any non-ASCII letter, kept only if it is a capital), then
# letters that are not ASCII capitals.
WORD = re.compile(r"(?<![^\W\d_])[^\W\d_a-z][^\W\d_A-Z]+(?:['’][a-z]+)?")
# The characters after which a word starts a sentence (or a list item, a
# heading or a quotation): the line so far ends with one, spaces aside.
SENTENCE_END = set(".!?:;-*+\"“(")


def _starts_sentence(before: str) -> bool:
    """True if a word that follows `before` (the line up to it) starts a
    sentence: nothing but spaces before it, or one of SENTENCE_END last."""
    before = before.rstrip()
    return not before or before[-1] in SENTENCE_END


LOWER_WORD = re.compile(r"\b[a-z][a-z'’]+\b")


class Vocabulary:
    """The words the guidance uses in lower case (LOWER_WORD), as a set to
    test `word in vocabulary`. A text is read only when a word looked up
    appears in it at all, so a build reads a few texts, not all of them."""

    def __init__(self, texts):
        self._unread = list(texts)
        self._words: set[str] = set()

    def __contains__(self, word: str) -> bool:
        if word in self._words:
            return True
        unread = []
        for n, text in enumerate(self._unread):
            if word not in text:
                unread.append(text)  # a text without the letters cannot hold the word
                continue
            self._words.update(LOWER_WORD.findall(text))
            if word in self._words:
                self._unread = unread + self._unread[n + 1:]
                return True
        self._unread = unread
        return False


# Forenames from a maintained list: Faker's person providers, for English-
# speaking countries and the languages most spoken in England and Wales after
# English. A word on it that starts a sentence is read as a name, even with
# an ordinary ending ("Emily", "Kelly", "Mohammed", "Ahmed").
FORENAME_LOCALES = ("en_GB", "en_US", "en_IE", "en_IN", "en_NZ", "pl_PL", "ro_RO", "pt_PT", "es_ES", "it_IT",
                    "fr_FR", "de_DE", "tr_TR", "ar_AA", "hi_IN", "nl_NL")


@functools.lru_cache(maxsize=1)
def forenames() -> frozenset[str]:
    """The forenames of Faker's person providers for FORENAME_LOCALES (its
    first_names, first_names_male and first_names_female lists)."""
    import importlib

    names: set[str] = set()
    for locale in FORENAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            value = getattr(provider, attribute, None) or ()
            names.update(value.keys() if isinstance(value, dict) else value)
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """The surnames of the same providers (their last_names lists). A word on
    it that starts a sentence and only ends like an ordinary word ("Harding",
    "Fielding", "Golding") is read as a name; one the guidance also uses in
    lower case ("Early", "Reed") is not."""
    import importlib

    names: set[str] = set()
    for locale in FORENAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        value = getattr(provider, "last_names", None) or ()
        names.update(value.keys() if isinstance(value, dict) else value)
    return frozenset(names)


def check_personal_data(project: Project, allowed: set[str]) -> list[Problem]:
    """Flag patterns of personal data, and capitalised words not on the allow-list.

    A capitalised word passes if it is on the allow-list
    (case_studies/allowed-words.txt), or if it starts a sentence (or a
    heading) and is an ordinary word: one the guidance also uses in lower
    case, a common function word, or one with an ordinary ending such as
    -ing or -ly. So "After" passes but "Smith" does not.
    """
    vocabulary = Vocabulary(page.text for page in project.pages + project.case_studies)
    out = []
    for page in project.case_studies:
        links = {n: EXTERNAL_LINK.findall(text) for n, text in enumerate(page.text.splitlines(), 1) if "](" in text}
        for number, line in prose_lines(page):
            if PLACEHOLDER.search(line):
                continue  # template text, reported by check_unfilled_template
            for address in links.get(number, ()) if number >= page.body_start else ():
                out.append(problem("personal-data", page.path, number,
                                   f"the link to '{address}' goes outside the guidance and may name or locate someone",
                                   "Remove it: case studies link only to pages of the guidance, such as ../pleas.md"))
            for found, kind in identifiers(line, project.abbreviations):
                out.append(problem("personal-data", page.path, number, f"'{found}' looks like {kind}",
                                   "Remove it: case studies use no real or realistic identifiers (see the anonymisation rules)"))
            named_after_title = -1  # where the name after "Mr" ends, once it is reported with its title
            for match in WORD.finditer(line):
                word = match.group(0)
                if not word[0].isupper() or match.start() < named_after_title:
                    continue
                if word.endswith(("'s", "’s")):
                    word = word[:-2]
                if word in allowed:
                    continue
                after = line[match.end():]
                if word in TITLES and INITIAL_AFTER.match(after):
                    continue  # "Mr A": a role label
                name = TITLED_NAME.match(after) if word in TITLES else None
                if name and name.group(1) not in allowed:
                    named_after_title = match.end() + name.end()
                    out.append(problem("personal-data", page.path, number,
                                       f"'{word} {name.group(1)}' may be a personal name",
                                       "Use a role label or initials instead (for example 'the victim', 'Mr A')"))
                    continue  # one message for the title and the name
                starts = _starts_sentence(line[: match.start()])
                if APPOSITION.match(after) or (word in FORENAME_WORDS and (starts or after.startswith((",", ":")))):
                    pass  # a forename, even though it is also a word
                elif starts and (
                    word.lower() in FUNCTION_WORDS or word.lower() in GREETINGS
                    or (word not in forenames() and (
                        word.lower() in vocabulary or (ORDINARY_ENDING.search(word) and word not in surnames())))
                ):
                    continue  # an ordinary word that starts a sentence (never a forename, "Emily", "Ahmed", nor a surname that only ends like a word, "Harding")
                out.append(problem("personal-data", page.path, number,
                                   f"'{word}' may be a personal or place name",
                                   "Use a role label or initials instead (for example 'the victim', 'Mr A'); "
                                   "if it is an ordinary term, add it to case_studies/allowed-words.txt"))
    return out


def identifiers(line: str, glossary=()) -> list[tuple[str, str]]:
    """(text, kind) of each identifier in a line of a case study: the
    PERSONAL_DATA patterns, and names written in capitals (CAPITALS_RUN). A
    match inside an earlier one ("LS1" in "LS1 4AB") is not repeated.
    prose.check_abbreviations skips what this finds, so that a mark such as
    "AB 12 CDE" is never offered for the glossary."""
    found: list[tuple[str, str]] = []
    if MAYBE_PERSONAL.search(line):
        for kind, find in PERSONAL_DATA:
            for text in find(line):
                if not any(text in earlier for earlier, _ in found):
                    found.append((text, kind))
    for match in CAPITALS_RUN.finditer(line) if CAPITALS_RUN.search(line) else ():
        if any(w.strip("'’-") in glossary for w in match.group(0).split()):
            continue  # abbreviations side by side ("CPS RASSO")
        if not any(match.group(0) in earlier or earlier in match.group(0) for earlier, _ in found):
            found.append((match.group(0), "a name written in capitals"))
    return found


# The placeholders in templates/case-study.md all start like this.
PLACEHOLDER = re.compile(r"\bFill in:", re.I)


def check_unfilled_template(project: Project) -> list[Problem]:
    """A case study (or page) started with `make new-case-study` is not
    published until every placeholder line of templates/case-study.md is
    replaced: each such line is reported, front matter included."""
    out = []
    phrases = template_phrases(project.root)
    for page in project.case_studies + project.pages:
        lower = page.text.lower()
        if "fill in:" not in lower and not (page in project.case_studies and any(p in lower for p in phrases)):
            continue
        for number, line in enumerate(page.text.splitlines(), 1):
            match = PLACEHOLDER.search(line)
            if match:
                text = line[match.start():].rstrip("\"]' ")
                out.append(problem("unfilled-template", page.path, number,
                                   f"this line still holds the template's placeholder '{text}'",
                                   "Replace the placeholder with the case study's own words "
                                   "(in the front matter keep the field name; delete a '# Fill in' comment once done)"))
                continue
            kept = next((p for p in phrases if p in line.lower()), None) if page in project.case_studies else None
            if kept:
                out.append(problem("unfilled-template", page.path, number,
                                   f"this line still holds the template's text '{kept}' (its 'Fill in:' was removed, the text was not)",
                                   "Replace the template's words with the case study's own"))
    return out


def template_phrases(root) -> tuple[str, ...]:
    """The placeholder texts of templates/case-study.md, lower case, without
    their 'Fill in:' (an editor may delete the prefix and keep the words),
    leaving out the YAML comments, which are never published."""
    path = root / "templates" / "case-study.md"
    if not path.is_file():
        return ()
    phrases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PLACEHOLDER.search(line)
        if match is None or "#" in line[: match.start()]:
            continue
        text = line[match.end():].strip().strip("\"]'")
        # Up to the first comma, bracket or colon: the words an editor keeps.
        phrase = re.split(r"[,(;:]", text)[0].strip().rstrip(".").lower()
        if len(phrase) >= 13:  # "a short title"; not "one sentence"
            phrases.append(phrase)
        # And a whole example sentence ("one sentence, for example: convicted
        # of ..."), which an editor may keep with or without what leads to it.
        example = text.lower().partition("for example:")[2].strip().rstrip(".")
        if len(example) >= 13:
            phrases.append(example)
    return tuple(phrases)
