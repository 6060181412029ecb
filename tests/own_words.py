"""Own words: find runs of ten or more words that a page shares with the
project's background sources.

The background sources are `legal-facts.md`, `DESIGN.md` and
`seed/cps-response-2017.txt` in the shared folder. Facts may carry over from
them; sentences may not (issue 11, item 4; CONTRIBUTING.md, "Writing style").

The shared folder is not part of the repository, so the sources are kept here
only as fingerprints: one hash per normalised 10-word shingle, with the name of
the source it came from, in `tests/data/shared-shingles.txt`. Refresh them with
`make shingles` (which runs `python -m tests.own_words --update`) whenever the
shared folder changes.

Normalising: web addresses, case citations and section references dropped; lower case; apostrophes dropped; every
other run of characters that is not a letter or a digit separates words. So "day-to-day" is three words
and "Victims' Code" is "victims code".

One exception: statute quoted in quotation marks. A shared run that lies wholly
inside one quotation ("..." or a curly pair) is allowed, for at most
`MAX_QUOTED` quotations a page; every quoted run after those is reported.

Inputs are plain text; outputs are `Finding` records. Nothing here raises on a
malformed page: an unreadable file is reported as a finding.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "tests" / "data" / "shared-shingles.txt"
N = 10
MAX_QUOTED = 2
SOURCES = ("legal-facts.md", "DESIGN.md", "seed/cps-response-2017.txt")
# What the test reads, relative to the project root.
PAGE_GLOBS = ("docs/**/*.md", "case_studies/*.md", "recommendations.yml", "whats-new.yml", "includes/**/*",
              "cases.yml", "provisions.yml", "law-changes.yml")

_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHE = re.compile(r"['\u2019]")
_URL = re.compile(r"(?:https?://|www\.)[^\s)>\]]+")
# A law report or neutral citation, such as [2000] 1 FLR 799 or [2004] EWHC 2782 (Admin).
_SECTION = re.compile(r"\b(?:ss?|art|reg|para|sch)\.\s?\d+[A-Z]*(?:\([0-9A-Za-z]+\))*(?:\s?(?:,|and|to|or|-|\u2013)\s?\d+[A-Z]*(?:\([0-9A-Za-z]+\))*)*", re.I)
_CITATION = re.compile(r"\[\d{4}\]\s+(?:\d+\s+)?[A-Z][A-Za-z]*(?:\s+[A-Z][A-Za-z]*)*\s+\d+(?:\s+\([A-Za-z]+\))?")
_QUOTED = re.compile(r'"[^"\n]*"|\u201c[^\u201d]*\u201d')


@dataclass(frozen=True)
class Token:
    word: str
    line: int
    start: int  # character offset of the word in the original text
    end: int


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    run: str
    sources: tuple[str, ...]

    def __str__(self) -> str:
        words = len(self.run.split())
        return (f"{self.path}:{self.line}: own-words: shares a {words}-word run with "
                f"{' and '.join(self.sources)} (\"{self.run}\"). "
                "Fix: rewrite the sentence in your own words; facts carry over, sentences do not. "
                f"Statute quoted in quotation marks is allowed, at most {MAX_QUOTED} quotations a page.")


def tokens(text: str) -> list[Token]:
    """Split `text` into normalised words, keeping each word's line and offsets.

    Web addresses, case citations and section references (s.4A(1), ss.2 and
    2A) are not words: they are blanked out first, so a link or a citation
    that a shared source also gives is not a shared run. Sentences around them
    still count.
    """
    out: list[Token] = []
    blank = lambda m: " " * len(m.group())  # noqa: E731 - keeps offsets and lines
    text = _SECTION.sub(blank, _CITATION.sub(blank, _URL.sub(blank, text)))
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    lowered = _APOSTROPHE.sub("\0", "".join(c.lower() if len(c.lower()) == 1 else c for c in text))
    # Apostrophes become a marker that joins the letters on either side.
    joined = lowered.replace("\0", "")
    # Map offsets in `joined` back to `text`.
    back = [i for i, ch in enumerate(lowered) if ch != "\0"] + [len(text)]
    line = 0
    for m in _WORD.finditer(joined):
        start, end = back[m.start()], back[m.end() - 1] + 1
        while line + 1 < len(line_starts) and line_starts[line + 1] <= start:
            line += 1
        out.append(Token(m.group(), line + 1, start, end))
    return out


def shingle_hash(words: list[str] | tuple[str, ...]) -> str:
    """The fingerprint of one shingle: 16 hex digits of BLAKE2b."""
    return hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()


def fingerprints(text: str) -> set[str]:
    words = [t.word for t in tokens(text)]
    return {shingle_hash(words[i:i + N]) for i in range(len(words) - N + 1)}


def load_fingerprints(path: Path = DATA) -> dict[str, tuple[str, ...]]:
    """Read `hash source[,source]` lines into {hash: (source, ...)}."""
    out: dict[str, tuple[str, ...]] = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            digest, sources = line.split(" ", 1)
            out[digest] = tuple(sources.split(","))
    return out


def write_fingerprints(shared: Path, path: Path = DATA) -> int:
    """Regenerate the fingerprint file from the shared folder. Returns the count."""
    table: dict[str, set[str]] = {}
    for name in SOURCES:
        for digest in fingerprints((shared / name).read_text(encoding="utf-8")):
            table.setdefault(digest, set()).add(Path(name).name)
    lines = [f"# {N}-word shingle fingerprints of {', '.join(SOURCES)} in the shared folder.",
             "# Generated by `make shingles`; do not edit by hand."]
    lines += [f"{d} {','.join(sorted(s))}" for d, s in sorted(table.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return len(table)


def find_shared(shared: Path | None = None) -> Path | None:
    """The shared folder: ../shared from the project, or from any parent."""
    if shared is not None:
        return shared if (shared / SOURCES[-1]).is_file() else None
    for parent in PROJECT.parents:
        candidate = parent / "shared"
        if (candidate / SOURCES[-1]).is_file():
            return candidate
    return None


def check_text(path: str, text: str, table: dict[str, tuple[str, ...]]) -> list[Finding]:
    """Every shared run in one page, merged into maximal runs.

    A shared shingle that touches a quotation is allowed when that quotation
    is one of the first `MAX_QUOTED` quotations on the page to hold a shared
    run; the words outside it are then fewer than ten, so they are not a copied
    run of their own.
    """
    toks = tokens(text)
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]

    def quote_of(tok: Token) -> int | None:
        for i, (a, b) in enumerate(quotes):
            if a <= tok.start and tok.end <= b:
                return i
        return None

    in_quote = [quote_of(t) for t in toks]
    allowed: list[int] = []
    runs: list[tuple[int, int, set[str]]] = []  # first index, last index, sources
    for i in range(len(toks) - N + 1):
        sources = table.get(shingle_hash([t.word for t in toks[i:i + N]]))
        if sources is None:
            continue
        touched = next((q for q in in_quote[i:i + N] if q is not None), None)
        if touched is not None and (touched in allowed or len(allowed) < MAX_QUOTED):
            if touched not in allowed:
                allowed.append(touched)
            continue
        if runs and i <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i + N - 1, runs[-1][2] | set(sources))
        else:
            runs.append((i, i + N - 1, set(sources)))
    return [Finding(path, toks[first].line, " ".join(t.word for t in toks[first:last + 1]), tuple(sorted(sources)))
            for first, last, sources in runs]


def pages(root: Path = PROJECT) -> list[Path]:
    found: set[Path] = set()
    for pattern in PAGE_GLOBS:
        found.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(found)


def check_project(root: Path = PROJECT, table: dict[str, tuple[str, ...]] | None = None) -> list[Finding]:
    table = load_fingerprints() if table is None else table
    findings: list[Finding] = []
    for page in pages(root):
        rel = page.relative_to(root).as_posix()
        try:
            text = page.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            findings.append(Finding(rel, 1, f"(could not read the file: {exc})", ("-",)))
            continue
        findings.extend(check_text(rel, text, table))
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="regenerate tests/data/shared-shingles.txt")
    parser.add_argument("--shared", type=Path, help="the shared folder (default: ../shared, searched upwards)")
    args = parser.parse_args(argv)
    if args.update:
        shared = find_shared(args.shared)
        if shared is None:
            print("No shared folder found (looked for ../shared with seed/cps-response-2017.txt); "
                  "the fingerprints were left as they are.")
            return 0
        count = write_fingerprints(shared)
        print(f"Wrote {count} fingerprints from {shared} to {DATA.relative_to(PROJECT)}.")
        return 0
    findings = check_project()
    for finding in findings:
        print(finding)
    print(f"{len(findings)} shared run(s) found.")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
