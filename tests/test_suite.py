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


def test_a_test_that_builds_without_the_build_mark_fails_with_the_fix():
    """`make test-fast` leaves out the tests marked `build`; one that builds
    without the mark would make it slow, so `build()` and `Served()` refuse."""
    import pytest

    from tests import sites
    from tests.serving import Served

    assert sites.UNMARKED and sites.UNMARKED.endswith("test_a_test_that_builds_without_the_build_mark_fails_with_the_fix")
    for run in (lambda: sites.build(sites.PROJECT, TESTS / "no-such-folder"), lambda: Served(TESTS / "no-such-folder")):
        with pytest.raises(pytest.fail.Exception, match=r"is not marked `build`: add @pytest.mark.build to it"):
            run()
    assert not (TESTS / "no-such-folder").exists()


def test_a_test_using_the_built_site_or_the_html_checker_is_marked_build():
    import pytest

    from tests.conftest import pytest_collection_modifyitems

    class Item:
        def __init__(self, *fixturenames):
            self.fixturenames, self.marks = fixturenames, []

        def add_marker(self, mark):
            self.marks.append(mark.name)

    items = [Item("built_site", "tmp_path"), Item("vnu_command"), Item("broken_outcome"), Item()]
    pytest_collection_modifyitems(items)
    assert [item.marks for item in items] == [["build"], ["build"], [], []]
    assert pytest.mark.build.name == "build"


def test_the_two_halves_of_test_fast_run_every_selected_test_once(monkeypatch):
    from tests.conftest import SHARD, _Shard

    class Hook:
        def pytest_deselected(self, items):
            self.deselected = items

    class Config:
        hook = Hook()

    halves = []
    for shard in ("0/2", "1/2"):
        monkeypatch.setenv(SHARD, shard)
        items = list(range(7))
        _Shard().pytest_collection_modifyitems(Config(), items)
        assert sorted(items + Config.hook.deselected) == list(range(7))
        halves.append(items)
    assert halves == [[0, 2, 4, 6], [1, 3, 5]]
