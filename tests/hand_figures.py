"""Legal figures are stated once: maxima live in provisions.yml and reach a
page only through the generated tables ({{< offence_table(...) >}},
{{< penalty_table(...) >}}). This finds a maximum penalty written by hand in
the Markdown source of the guidance (docs/*.md) and the case studies
(case_studies/*.md).

    find_hand_maxima(root) -> list[str]   "file:line: hand-maximum: ... Fix: ..."

What counts as a maximum written by hand (PENALTY, below): a length of
imprisonment with "imprisonment" or "on indictment" after it, a length after
"maximum" or "maxima" in the same sentence, "up to" or "cap(s) the sentence at", a change
"from N to M years", a mode of trial followed by a length ("either way; 2
years"), and a fine "level N". Lengths in other senses (time limits such as
"within six months", durations of orders, "over five months of conduct") do
not match. Front matter, fenced code and macro-call lines are skipped.

ALLOWED lists the deliberate exceptions: a figure of law that is not the
maximum for an offence, each with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

_N = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifty-one)"
_UNIT = r"(?:years?|months?|weeks?)'?"
PENALTY = re.compile(
    rf"\b{_N}\s+{_UNIT}\s+(?:imprisonment|on indictment)"
    rf"|\bmaxim(?:um|a)\b(?:(?!\.\s)[^;]){{0,80}}?\b{_N}\s+{_UNIT}"
    rf"|\bup to\s+{_N}\s+{_UNIT}"
    rf"|\bcaps?\s+the\s+sentence\s+at\s+{_N}\s+{_UNIT}"
    rf"|\bfrom\s+{_N}\s+to\s+{_N}\s+years"
    rf"|\b(?:either[ -]way|summary[ -]only)[;,]?\s+(?:with\s+a\s+maximum\s+of\s+)?{_N}\s+{_UNIT}"
    rf"|\blevel\s+[1-5]\b",
    re.IGNORECASE,
)

# (file, text on the line): deliberate uses that are not an offence maximum.
ALLOWED = [
    # Magistrates' sentencing powers (Sentencing Act 2020, s.224): which court
    # sentences, not the maximum for any offence.
    ("docs/offences.md", "magistrates can impose up to 12 months for a single either-way offence"),
    ("docs/sentencing.md", "magistrates can impose up to 12 months' imprisonment for a single either-way offence"),
    # How long sentence can be deferred (Sentencing Code s.5(2) and (2A), as
    # amended by the Sentencing Act 2026, s.5): not the maximum for any offence.
    ("docs/sentencing.md", "sentence can be put off for up to 12 months from the deferment order"),
]

MACRO_LINE = re.compile(r"^\s*\{\{<.*>\}\}\s*$")


def _source_lines(path: Path):
    """(line number, text) of the prose of one Markdown file: no front
    matter, no fenced code, no macro-call lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((n for n in range(1, len(lines)) if lines[n].strip() == "---"), 0)
        start = end + 1
    fence = None
    for number in range(start, len(lines)):
        line = lines[number]
        mark = re.match(r"^\s*(```|~~~)", line)
        if mark:
            fence = None if fence == mark.group(1) else (fence or mark.group(1))
            continue
        if fence or MACRO_LINE.match(line):
            continue
        yield number + 1, line


def find_hand_maxima(root: Path) -> list[str]:
    """Every hand-written maximum in root/docs/*.md and
    root/case_studies/*.md, as "file:line: hand-maximum: problem. Fix: ...".
    A missing folder has nothing to check."""
    out = []
    for folder in ("docs", "case_studies"):
        for path in sorted((root / folder).glob("*.md")):
            rel = path.relative_to(root).as_posix()
            for number, line in _source_lines(path):
                match = PENALTY.search(line)
                if not match or any(rel == f and text in line for f, text in ALLOWED):
                    continue
                out.append(
                    f"{rel}:{number}: hand-maximum: '{match.group(0)}' states a penalty by hand. "
                    "Fix: put the figure in provisions.yml and show it with offence_table() or penalty_table(), "
                    "or point to the generated table (for example [the offences table](offences.md#harassment-and-stalking-offences)); "
                    "if it is not an offence maximum, add it to ALLOWED in tests/hand_figures.py with the reason"
                )
    return out
