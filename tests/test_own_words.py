"""Own words (issue 11, item 4): no page shares a run of ten or more words with
the shared fact sheet, the design notes or the 2017 response.

The sources are kept as fingerprints in tests/data/shared-shingles.txt, so this
runs without the shared folder; when the folder is present its current text is
checked as well. See tests/own_words.py for the rules, and `make shingles`.
"""

from __future__ import annotations

from pathlib import Path

from tests import own_words

FIXTURES = Path(__file__).parent / "fixtures" / "own-words"


def _table() -> dict[str, tuple[str, ...]]:
    """The committed fingerprints, plus the live shared folder when present."""
    table = dict(own_words.load_fingerprints())
    shared = own_words.find_shared()
    if shared is not None:
        for name in own_words.SOURCES:
            for digest in own_words.fingerprints((shared / name).read_text(encoding="utf-8")):
                table.setdefault(digest, (Path(name).name,))
    return table


def _expected(name: str) -> list[str]:
    return (FIXTURES / name / "expected.txt").read_text().splitlines()


def test_no_page_shares_a_ten_word_run_with_the_shared_sources():
    findings = own_words.check_project(table=_table())
    assert not findings, "\n" + "\n".join(str(f) for f in findings)


def test_the_check_reads_every_kind_of_page():
    names = {p.relative_to(own_words.PROJECT).as_posix() for p in own_words.pages()}
    assert {"recommendations.yml", "whats-new.yml", "cases.yml", "provisions.yml"} <= names
    assert any(n.startswith("docs/") for n in names)
    assert any(n.startswith("case_studies/") for n in names)
    assert any(n.startswith("includes/") for n in names)


def test_broken_fixture_a_copied_sentence_is_reported_with_file_line_and_source():
    findings = own_words.check_project(FIXTURES / "copied", own_words.load_fingerprints())
    messages = [str(f) for f in findings]
    assert len(messages) == 1
    for expected in _expected("copied"):
        assert messages[0].startswith(expected)
    assert "Fix:" in messages[0]


def test_broken_fixture_only_two_quotations_a_page_are_excepted():
    findings = own_words.check_project(FIXTURES / "quoted", own_words.load_fingerprints())
    messages = [str(f) for f in findings]
    assert len(messages) == 1, messages
    assert messages[0].startswith(_expected("quoted")[0])


def test_fingerprints_are_generated_from_a_shared_folder(tmp_path):
    out = tmp_path / "shingles.txt"
    count = own_words.write_fingerprints(FIXTURES / "shared", out)
    table = own_words.load_fingerprints(out)
    assert count == len(table) > 0
    page = "Intro.\nWe will update our legal guidance and will work with the police on it.\n"
    findings = own_words.check_text("docs/x.md", page, table)
    assert [(f.path, f.line, f.sources) for f in findings] == [("docs/x.md", 2, ("cps-response-2017.txt",))]
    assert own_words.check_text("docs/x.md", "Nothing shared here at all, in any of these ten words.", table) == []


def test_normalising_ignores_case_punctuation_and_apostrophes():
    words = [t.word for t in own_words.tokens("Victims’ Code: day-to-day, DON'T")]
    assert words == ["victims", "code", "day", "to", "day", "dont"]
    assert [t.word for t in own_words.tokens("see https://example.org/a-b-c here")] == ["see", "here"]
    cited = own_words.tokens("Lau v DPP [2000] EWHC QB 182; [2000] 1 FLR 799 and [2004] EWHC 2782 (Admin) held")
    assert [t.word for t in cited] == ["lau", "v", "dpp", "and", "held"]
    sections = own_words.tokens("PHA ss.2 and 2A, then s.4A(1)(b)(ii) applies")
    assert [t.word for t in sections] == ["pha", "then", "applies"]
    lines = [t.line for t in own_words.tokens("one\ntwo three\n\nfour")]
    assert lines == [1, 2, 2, 4]


def test_an_unreadable_page_is_reported_not_raised(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bad.md").write_bytes(b"\xff\xfe\x00bad")
    findings = own_words.check_project(tmp_path, {})
    assert len(findings) == 1 and findings[0].path == "docs/bad.md" and "could not read" in findings[0].run
