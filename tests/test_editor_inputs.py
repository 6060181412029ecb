"""Editor inputs that used to end in a traceback or a false message (issue 12,
items 8 and the date row): `make check` and the build both answer with
file, line, code and fix, and nothing else."""

from __future__ import annotations

import pytest

from tests.sites import BROKEN, PROJECT

INPUTS = ["front-matter--impossible-date", "changelog--impossible-date", "front-matter--case-study", "unfilled-template"]


@pytest.mark.parametrize("name", INPUTS)
def test_make_check_and_the_build_answer_without_a_traceback(broken_outcome, name):
    """(The check and the build are those `tests/test_checks.py` also reads:
    `broken_outcome` runs each fixture once per session.)"""
    expected = (BROKEN / name / "expected.txt").read_text().splitlines()
    check, built = broken_outcome(name).check, broken_outcome(name).built
    assert check.returncode == 1
    assert check.stdout.splitlines() == expected
    assert built.returncode != 0
    for output in (check.stdout + check.stderr, built.stdout + built.stderr):
        assert "Traceback" not in output


def test_a_case_study_with_broken_front_matter_is_not_also_unknown(tmp_path):
    expected = (BROKEN / "front-matter--case-study" / "expected.txt").read_text()
    assert "[front-matter]" in expected and "unknown-case-study" not in expected


def test_the_template_fails_until_every_placeholder_is_filled(tmp_path):
    """The template itself is the fixture: every placeholder line is reported."""
    template = (PROJECT / "templates" / "case-study.md").read_text().splitlines()
    placeholders = [n for n, line in enumerate(template, 1) if "Fill in:" in line]
    expected = (BROKEN / "unfilled-template" / "expected.txt").read_text().splitlines()
    assert [int(line.split(":")[1]) for line in expected if "[unfilled-template]" in line] == placeholders
