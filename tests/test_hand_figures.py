"""Legal figures are stated once (issue 11): no page or case study states a
maximum penalty by hand; maxima come from provisions.yml through the
generated tables. The broken fixture tests/fixtures/hand-figures/broken
proves the check catches each form, and leaves time limits, durations,
macro lines and code alone."""

from __future__ import annotations

from pathlib import Path

from tests.hand_figures import ALLOWED, find_hand_maxima

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).parent / "fixtures" / "hand-figures" / "broken"


def test_the_guidance_states_no_maximum_by_hand():
    found = find_hand_maxima(ROOT)
    assert found == [], "\n".join(found)


def test_broken_fixture_each_hand_written_maximum_is_reported_with_file_and_line():
    found = find_hand_maxima(BROKEN)
    where = [line.split(": hand-maximum: ")[0] for line in found]
    assert where == [
        "docs/page.md:10",  # "with a maximum of 4 years"
        "docs/page.md:11",  # a table cell "either way; 3 years"
        "docs/page.md:12",  # "from 2 to 9 years"
        "docs/page.md:13",  # "up to 51 weeks' imprisonment", "level 3"
        "case_studies/cs-99.md:5",  # "cap the sentence at six months"
    ], found
    assert all("Fix: " in line for line in found)


def test_every_allowed_use_still_occurs():
    """The allow-list stays small and true: an entry whose line has gone is removed."""
    for file, text in ALLOWED:
        assert text in (ROOT / file).read_text(encoding="utf-8"), f"{file}: '{text}' no longer occurs; remove it from ALLOWED"
