"""The closing line of `make test` (tests/suite.py), read from pytest's own."""

from __future__ import annotations

from pathlib import Path

from tests.suite import closing_line, counts

TESTS = Path(__file__).resolve().parent


def test_counts_come_from_pytests_closing_line():
    output = "....F\n= short test summary info =\nFAILED x\n==== 1 failed, 175 passed, 2 skipped, 1 error in 533.04s (0:08:53) ====\n"
    assert counts(output) == {"failed": 2, "passed": 175, "skipped": 2}
    assert counts("===== 39 passed, 120 deselected in 193.23s =====") == {"passed": 39}
    assert counts("ImportError while loading conftest") == {}


def test_closing_line_adds_both_halves():
    assert closing_line([{"passed": 40, "skipped": 1}, {"passed": 200, "failed": 1}]) == "suite: 240 passed, 1 failed, 1 skipped"
    assert closing_line([{"passed": 3}, {}]) == "suite: 3 passed, 0 failed"


def test_every_browser_test_is_in_a_part_of_make_test():
    """tests/suite.py runs the browser tests from tests/browser only, so a test
    marked `browser` anywhere else would never run under `make test`."""
    elsewhere = [p.name for p in TESTS.glob("*.py") if p.name != "test_suite.py" and "mark.browser" in p.read_text(encoding="utf-8")]
    assert elsewhere == [], "move browser tests into tests/browser/"
