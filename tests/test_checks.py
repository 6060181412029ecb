"""The checks, proved on small sites: one deliberately broken fixture per check
code, each asserting the exact messages, plus the clean negative control.

Each fixture in tests/fixtures/broken/<code>/ overlays files on a copy of
tests/fixtures/clean/ and lists the exact problems it must produce in
expected.txt.
"""

from __future__ import annotations

import re

import pytest

from macros import checks, stage
from macros.project import load_project
from tests.sites import BROKEN, TODAY, assemble, build
# A fixture is named after the code it proves, optionally with "--" and the
# kind of fault when one code has several kinds (front-matter--impossible-date).
FIXTURES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def code_of(fixture: str) -> str:
    return fixture.split("--")[0]


def problems_of(site):
    """What `make check` reports: MkDocs' reading stage, run in-process."""
    return [str(p) for p in stage.check_site(site, TODAY)[0]]


def built_index_with(tmp_path, markdown: str):
    """The clean fixture site with `markdown` appended to its home page: assert
    that `make check` finds nothing and the strict build passes, and return
    the built home page, parsed with lxml, for the test to look at."""
    from lxml import html as lxml_html

    site = assemble(tmp_path / "site")
    index = site / "docs" / "index.md"
    index.write_text(index.read_text() + markdown)
    assert problems_of(site) == []
    result = build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    return lxml_html.parse(str(tmp_path / "out" / "index.html"))



def test_clean_fixture_has_no_problems(tmp_path):
    assert problems_of(assemble(tmp_path / "site")) == []


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory):
    """The clean fixture site, built once for the tests that only read it:
    (result of the strict build, the folder it wrote)."""
    root = tmp_path_factory.mktemp("clean")
    return build(assemble(root / "site"), root / "out"), root / "out"


@pytest.mark.build
def test_clean_fixture_builds(clean_build):
    result, out = clean_build
    assert result.returncode == 0, result.stderr
    assert (out / "recommendations" / "r1" / "index.html").exists()


@pytest.mark.parametrize("name", FIXTURES)
def test_broken_fixture_gives_exact_messages(broken_outcome, name):
    """`make check` lists exactly the problems in expected.txt, in order
    (warnings prefixed "warning: " on screen)."""
    expected = (BROKEN / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    check = broken_outcome(name).check
    assert [line.removeprefix("warning: ") for line in check.stdout.splitlines()] == expected, check.stderr
    # The fixture must actually produce the check it is named after.
    assert any(f"[{code_of(name)}]" in line for line in expected)


PROBLEM_LINE = re.compile(r"^(?:ERROR|WARNING) +- +(\S+:\d+: \[[a-z-]+\] .*)$", re.M)


@pytest.mark.build
@pytest.mark.parametrize("name", FIXTURES)
def test_check_and_build_agree(broken_outcome, name):
    """`make check` and `mkdocs build` report exactly the same errors for
    every broken fixture, each with file, line, code and fix, and neither
    ever prints a traceback. Every error stops the build before anything is
    published; a warning alone (an overdue review, two sentences on a line)
    stops neither. (The check runs through the command's entry point in this
    process, the build as its own process: see `broken_outcome`. The two
    tests at the end of this file run `make check` as a process.)"""
    outcome = broken_outcome(name)
    check, built = outcome.check, outcome.built
    assert "Traceback" not in check.stdout + check.stderr
    assert "Traceback" not in built.stdout + built.stderr
    check_errors = sorted(line for line in check.stdout.splitlines() if not line.startswith("warning: "))
    build_errors = sorted(PROBLEM_LINE.findall(built.stderr))
    assert check_errors == build_errors
    assert (check.returncode != 0) == (built.returncode != 0) == bool(check_errors)
    for line in check_errors:
        assert re.match(r"^\S+:\d+: \[[a-z-]+\] .+\. \S.*$", line), f"no file, line, code and fix: {line}"
    expected = (BROKEN / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert check_errors == sorted(line for line in expected if not any(f"[{code}]" in line for code in checks.WARNINGS))
    if check_errors:
        assert not (outcome.out / "index.html").exists(), "nothing may be published"


def test_every_check_code_has_a_broken_fixture():
    assert sorted(checks.CODES) == sorted({code_of(name) for name in FIXTURES})


def test_checks_report_every_problem_at_once(tmp_path):
    """Two unrelated mistakes in one site are both reported."""
    site = assemble(tmp_path / "site", "broken-link")
    files = site / "docs" / "files.md"
    files.write_text(files.read_text().replace('addresses("R1@1793e9")', 'addresses("R9@1793e9")'))
    codes = {p.split("[")[1].split("]")[0] for p in problems_of(site)}
    assert {"broken-link", "unknown-item", "uncovered-item"} <= codes


@pytest.mark.build
def test_literal_braces_render_as_text(clean_build):
    """Legal text can contain {{ }}, {% %} and {# #} without breaking a page."""
    result, out = clean_build
    assert result.returncode == 0, result.stderr
    html = (out / "index.html").read_text()
    assert "{{ braces }}" in html and "{% percent signs %}" in html and "{# hashes #}" in html


MACROS_AS_MARKDOWN = """

## Showing editors the syntax

```text
{{< case_study("CS-99") >}}
```

Inline code shows a call too: `{{< addresses("R9@000000") >}}`.

    {{< case_study("CS-98") >}}

## A case study where blocks can stand

??? example "How this was handled"

    {{< case_study("CS-01") >}}

!!! note "Inside an admonition, in a list"

    - The case study follows.

        {{< case_study("CS-02") >}}

After the boxes.
"""


@pytest.mark.build
def test_macros_behave_like_markdown(tmp_path):
    """A call in code (fenced, inline, indented) is published literally and is
    not a call; a case study nests inside a collapsible, an admonition and a
    list item, with the text after it back at the top level."""
    tree = built_index_with(tmp_path, MACROS_AS_MARKDOWN)
    code = " ".join(tree.xpath("//article//code//text()") + tree.xpath("//article//pre//text()"))
    assert '{{< case_study("CS-99") >}}' in code
    assert '{{< addresses("R9@000000") >}}' in code
    assert '{{< case_study("CS-98") >}}' in code
    details = tree.xpath("//article//details[summary[normalize-space()='How this was handled']]")[0]
    assert details.xpath(".//details[contains(@class, 'case-study-box')]"), "the case study is inside the collapsible"
    assert "CS-01" in details.text_content()
    nested = tree.xpath("//article//div[contains(@class, 'note')]//li//details[contains(@class, 'case-study-box')]")
    assert nested and "CS-02" in nested[0].text_content()
    assert nested[0].get("data-search-exclude") is not None
    after = tree.xpath("//article/p[normalize-space()='After the boxes.']")
    assert after, "the paragraph after the boxes is back at the top level"
    assert "{{<" not in " ".join(tree.xpath("//article//p//text()[not(ancestor::code)]"))


CSP_SAFE_MARKDOWN = """

## Penalties at a glance

| Offence | Section | Maximum (years) |
|:---|:---:|---:|
| Stalking | 2A | 0.5 |
| Stalking involving fear of violence | 4A | 10 |

The Act is at <https://www.legislation.gov.uk/ukpga/1997/40/section/4A>.
"""


TIGHT_LIST = """

1. First point.
    {{< case_study("CS-01") >}}
2. Second point.

Between the lists.

- Bullet one.
{{< case_study("CS-02") >}}
- Bullet two.
"""


@pytest.mark.build
def test_a_case_study_in_a_tight_list_item_stays_in_the_item(tmp_path):
    """A call on the line after a list item, with no blank line between,
    belongs to that item (as any continuation line does): the list is not
    split and renumbered, and the case study keeps its paragraphs."""
    tree = built_index_with(tmp_path, TIGHT_LIST)
    for tag, first, last, study in (("ol", "First point.", "Second point.", "CS-01"), ("ul", "Bullet one.", "Bullet two.", "CS-02")):
        lists = tree.xpath(f"//article//{tag}[li[starts-with(normalize-space(), '{first}')]]")
        assert len(lists) == 1
        items = lists[0].xpath("./li")
        assert [li.text.strip() for li in items] == [first, last], "one list, not split"
        box = items[0].xpath(".//details[contains(@class, 'case-study-box')]")
        assert box and study in box[0].text_content()
        assert len(box[0].xpath("./p")) >= 3, "the case study keeps its paragraphs"


@pytest.mark.build
def test_an_email_autolink_is_a_link_not_a_garbled_address(tmp_path):
    """<mailto:...> and <name@example.com> are standard Markdown autolinks;
    Python-Markdown writes them as character references, which the checks
    must read as the address (they once reported 'amp#109;amp#97;...')."""
    import html

    site = assemble(tmp_path / "site")
    index = site / "docs" / "index.md"
    index.write_text(index.read_text() + "\nWrite to <mailto:someone@example.com> or <other@example.com>.\n")
    assert problems_of(site) == []
    result = build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = html.unescape((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert 'href="mailto:someone@example.com"' in page
    assert 'href="mailto:other@example.com"' in page


@pytest.mark.build
def test_markdown_obeys_the_content_security_policy(tmp_path):
    """Table alignment is published as classes (never style= nor the obsolete
    align=), and a standard autolink is a link, not raw HTML."""
    tree = built_index_with(tmp_path, CSP_SAFE_MARKDOWN)
    assert not tree.xpath("//article//*[@style or @align]")
    cells = tree.xpath("//article//table//tr[2]/td")
    assert [c.get("class") for c in cells] == ["align-left", "align-center", "align-right"]
    assert tree.xpath("//article//a[@href='https://www.legislation.gov.uk/ukpga/1997/40/section/4A']")
    css = (tmp_path / "site" / "docs" / "assets" / "stylesheets" / "guidance.css").read_text()
    assert all(f".align-{side} {{ text-align: {side}; }}" in css for side in ("left", "center", "right"))


def test_anchors_are_the_ids_readers_get(tmp_path):
    """Ids from attribute lists and raw HTML are link targets, as in the
    browser; an id the parser never writes is not."""
    site = assemble(tmp_path / "site")
    history = site / "docs" / "history.md"
    history.write_text(history.read_text() + '\n## Older reports {#older}\n\n<span id="kept-anchor"></span>A note.\n')
    index = site / "docs" / "index.md"
    index.write_text(index.read_text() + "\nSee [older reports](history.md#older) and [the note](history.md#kept-anchor).\n")
    assert problems_of(site) == []
    index.write_text(index.read_text() + "\nAnd [a heading id toc never wrote](history.md#older-reports).\n")
    assert [p.split("[")[1].split("]")[0] for p in problems_of(site)] == ["broken-anchor"]


def test_published_anchors_do_not_move_silently(tmp_path):
    """`make anchors` records the heading ids; renaming a heading then fails
    the check until the old id is kept ({#...}) or the record is refreshed."""
    from macros import cli
    from tests.sites import PROJECT

    assert (PROJECT / "anchors.lock.json").exists(), "the real site keeps a record of its anchors"
    site = assemble(tmp_path / "site")
    assert cli.main(["anchors", "--root", str(site)]) == 0
    assert "what-the-file-must-contain" in (site / "anchors.lock.json").read_text()
    assert problems_of(site) == []
    files = site / "docs" / "files.md"
    files.write_text(files.read_text().replace("## What the file must contain", "## What a file must contain"))
    assert [p.split(":")[0] + " " + p.split("[")[1].split("]")[0] for p in problems_of(site)] == ["docs/files.md anchor-removed"]
    files.write_text(files.read_text().replace("## What a file must contain", "## What a file must contain {#what-the-file-must-contain}"))
    assert problems_of(site) == []


def test_a_published_id_stays_with_its_heading(tmp_path):
    """The record says which heading owns each id: a new heading with the same
    text added above the recorded one takes its id (toc gives the old one
    '_1'), which fails the check at the new heading's line; the same heading
    added below, or the new one given an id of its own, passes; `make anchors`
    accepts the move on purpose."""
    import json

    from macros import cli

    site = assemble(tmp_path / "site")
    files = site / "docs" / "files.md"
    files.write_text(files.read_text() + "\n### What to ask for\n\nThe risk assessment.\n")
    assert cli.main(["anchors", "--root", str(site)]) == 0
    record = json.loads((site / "anchors.lock.json").read_text())
    assert record["files.md"]["what-to-ask-for"] == {"heading": "What to ask for", "level": 3, "under": "what-the-file-must-contain"}
    published = files.read_text()
    above = "# Police files\n\n## Before the file arrives\n\n### What to ask for\n\nA date.\n"
    files.write_text(published.replace("# Police files\n", above, 1))
    found = problems_of(site)
    assert [p.split("]")[0] + "]" for p in found] == ["docs/files.md:14: [anchor-owner]"], found
    assert "from the heading with the same text on line 27, which is now '#what-to-ask-for_1'" in found[0]
    files.write_text(published.replace("# Police files\n", above.replace("### What to ask for", "### What to ask for {#asking-for-a-date}"), 1))
    assert problems_of(site) == []
    files.write_text(published + "\n## Before the file arrives\n\n### What to ask for\n\nA date.\n")
    assert problems_of(site) == []
    files.write_text(published.replace("# Police files\n", above, 1))
    assert cli.main(["anchors", "--root", str(site)]) == 0
    assert problems_of(site) == []


def test_a_same_text_heading_added_below_another_section_leaves_the_published_id_alone(tmp_path):
    """Issue 23 audit: a second 'Looking at the whole history' added at the
    end of the page, below 'The law', takes the new id '_1' and the published
    one stays where it was; the check said "if this one is new, it has taken
    the published id" at the published heading's line. The record lists ids
    in page order, so the heading that still stands between the recorded
    headings on either side of it is the published one."""
    from macros import cli

    site = assemble(tmp_path / "site")
    assert cli.main(["anchors", "--root", str(site)]) == 0
    history = site / "docs" / "history.md"
    published = history.read_text()
    history.write_text(published + "\n## Looking at the whole history\n\nLater reports.\n")
    assert problems_of(site) == []
    # Between the same recorded headings, which one is new cannot be told: both are named.
    history.write_text(published.replace("## The law\n", "## Looking at the whole history\n\nLater reports.\n\n## The law\n", 1))
    found = problems_of(site)
    assert [p.split("]")[0] + "]" for p in found] == ["docs/history.md:12: [anchor-owner]"], found
    assert "if this one is new" in found[0]


def test_rewording_r3_lists_every_section_that_addresses_it(tmp_path):
    """Suspect links on the real guidance: reword R3 and every section that
    claims to deliver it must be listed for re-review."""
    import shutil

    from tests.sites import PROJECT

    for name in ("docs", "case_studies", "includes"):
        shutil.copytree(PROJECT / name, tmp_path / name)
    for path in [*PROJECT.glob("*.yml"), PROJECT / "anchors.lock.json"]:  # the register, the changelog, the law tables, mkdocs.yml, the anchor record (watched, so mkdocs.yml needs it)
        shutil.copy(path, tmp_path / path.name)
    for name in ("macros", "overrides", "templates"):
        (tmp_path / name).symlink_to(PROJECT / name)
    register = tmp_path / "recommendations.yml"
    original = register.read_text()
    assert "Reinforce and restate the guidance" in original
    register.write_text(original.replace(
        "Reinforce and restate the guidance",
        "Restate the guidance",
    ))
    project = load_project(tmp_path)
    import datetime as dt

    # The real pages are checked on the real date: the fixtures' fixed TODAY
    # comes before their review dates (future-date).
    suspect = [p for p in checks.run_all(project, dt.date.today()) if p.code == "suspect-link"]
    expected = {(r.path, r.line) for r in project.references_to("R3")}
    assert len(expected) >= 2
    assert {(p.location.path, p.location.line) for p in suspect} == expected
    assert all("R3" in p.message and "by hand" in p.fix for p in suspect)


def test_overdue_review_is_a_warning_that_does_not_fail_make_check(tmp_path):
    import subprocess
    import sys

    from tests.sites import PROJECT

    site = assemble(tmp_path / "site", "review-overdue")
    result = subprocess.run([sys.executable, "-m", "macros.cli", "check", "--root", str(site), "--today", "2026-11-28"],
                            cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("warning: docs/files.md:5: [review-overdue]")


def test_make_check_fails_with_the_messages(tmp_path):
    import subprocess
    import sys

    from tests.sites import PROJECT

    site = assemble(tmp_path / "site", "unknown-item")
    result = subprocess.run([sys.executable, "-m", "macros.cli", "check", "--root", str(site)],
                            cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 1
    assert (BROKEN / "unknown-item" / "expected.txt").read_text().strip() in result.stdout
    assert "1 error(s)" in result.stderr


def test_every_call_whose_expansion_fails_is_reported():
    """Whatever makes a macro's expansion fail, nothing is published for the
    call, so the checks report it: with its own code if a check knows why,
    else as macro-syntax with the reason (never silence)."""
    import markdown
    from types import SimpleNamespace

    from macros.checks.register import check_expansions
    from macros.pipeline import GuidanceExtension

    def expand(name, args, uri):
        raise KeyError(args[0])

    ext = GuidanceExtension(expand)
    facts = ext.start("a.md", "docs/a.md", "# A\n\n{{< case_study(\"CS-01\") >}}\n")
    html = markdown.Markdown(extensions=[ext]).convert("# A\n\n{{< case_study(\"CS-01\") >}}\n")
    assert "CS-01" not in html
    [call] = facts.calls
    assert call.failure == "KeyError: 'CS-01'" and call.line == 3
    project = SimpleNamespace(pages=[SimpleNamespace(path="docs/a.md", calls=[call])])
    [reported] = check_expansions(project, [])
    assert str(reported).startswith("docs/a.md:3: [macro-syntax] '{{< case_study(\"CS-01\") >}}' could not be expanded (KeyError: 'CS-01')")
    already = checks.problem("unknown-case-study", "docs/a.md", 3, "x", "y")
    assert check_expansions(project, [already]) == []
def test_register_text_follows_the_page_rules_at_its_yaml_line(tmp_path):
    """A register item's summary is rendered as Markdown on its page, so raw
    HTML there is judged as on a page and reported at its line in
    recommendations.yml; the same text in `code` is shown as written."""
    site = assemble(tmp_path / "site")
    register = site / "recommendations.yml"
    text = register.read_text()
    first = "summary: Police files reach prosecutors"
    line = text[: text.index(first)].count("\n") + 1
    register.write_text(text.replace(first, "summary: Code such as `<b>` is shown. <script>x()</script> Police files reach prosecutors"))
    assert problems_of(site) == [
        f"recommendations.yml:{line}: [script-tag] 'items.0.summary' contains a <script> element. Remove it: content may not run code"
    ]


def test_role_initials_pass_but_a_titled_name_does_not(tmp_path):
    """"Mr A" and "Ms B" are the role labels the anonymisation rules
    recommend (the case-study template uses them): they pass. "Mr Smith" is
    a name."""
    site = assemble(tmp_path / "site")
    study = site / "case_studies" / "cs-02.md"
    text = study.read_text()
    study.write_text(text.replace("The prosecutor read every earlier report before charging.",
                                  "The prosecutor spoke to Mr A and Ms B, then to Mrs C. before charging."))
    assert problems_of(site) == []
    study.write_text(text.replace("The prosecutor read every earlier report before charging.",
                                  "The prosecutor spoke to Mr Smith before charging."))
    assert [p.split(": ", 1)[1].split(". ")[0] for p in problems_of(site)] == [
        "[personal-data] 'Mr Smith' may be a personal name",
    ]


def test_register_commitment_and_theme_text_follow_the_page_rules(tmp_path):
    """Commitments and theme labels are rendered as Markdown too."""
    site = assemble(tmp_path / "site")
    register = site / "recommendations.yml"
    text = register.read_text()
    label = re.search(r"label: ([^}]+)", text).group(1)
    commitment = re.search(r"text: (.+)", text).group(1)
    line_of = lambda s: text[: text.index(s)].count("\n") + 1  # noqa: E731
    register.write_text(text.replace(f"label: {label}", f'label: {label} <b onclick="x()">now</b>', 1)
                        .replace(f"text: {commitment}", f"text: {commitment} [here](javascript:x())", 1))
    problems = problems_of(site)
    assert f"recommendations.yml:{line_of('label: ' + label)}: [event-handler] <b> has an inline event handler 'onclick='. Remove the attribute" in problems
    assert any(p.startswith(f"recommendations.yml:{line_of('text: ' + commitment)}: [javascript-url]") for p in problems)


def _parse_facts(text: str, extensions=()):
    """Facts of one parse of `text` by our extension (no site, no build)."""
    import markdown

    from macros.pipeline import GuidanceExtension

    ext = GuidanceExtension(None)
    facts = ext.start("a.md", "docs/a.md", text)
    markdown.Markdown(extensions=[*extensions, ext]).convert(text)
    return facts


@pytest.mark.parametrize("text, error", [
    ('{{< case_study("CS-01")', "it is not closed with >}}"),
    ('{{< case_study("CS-01") }}', "it ends with }} instead of >}}"),
    ('{{ case_study("CS-01") >}}', "it starts with {{ instead of {{<"),
    ("{{ case_study }}", "old-delimiters"),
    ("Text {{ case_studdy }} text.", "old-delimiters"),
    ('{% include "x.md" %}', "template"),
    ("{{ braces }}", None),
    ("{{ page.title }}", None),
    ("{% percent signs %}", None),
    ("{# hashes #}", None),
    ('Code: `{{< case_study("CS-01")` and `{% include "x.md" %}`.', None),
    ('```text\n{{ case_study("CS-01") >}}\n```', None),
])
def test_half_written_calls_are_found_outside_code_and_braces_stay_text(text, error):
    facts = _parse_facts(f"# A\n\n{text}\n", ["fenced_code"])
    assert [call.error for call in facts.calls] == ([error] if error else [])
    if error:
        assert facts.calls[0].line == 3


def test_what_the_parser_leaves_unresolved_is_recorded_with_its_line():
    text = ("# A\n\nSee [the page][nope] and [the other][ok].\n"
            "A note[^none] and [a link]() and [2024] EWCA Crim 1 and `[x][y]` in code.\n\n"
            "[ok]: b.md\n\n[^unused]: Nothing refers to this.\n")
    facts = _parse_facts(text, ["footnotes"])
    assert sorted(facts.unresolved) == [(3, "reference", "[the page][nope]"), (4, "footnote", "[^none]"), (4, "link", "[a link]()")]
    assert facts.unused_footnotes == [(8, "unused")]
def test_a_link_in_a_case_study_summary_is_reported_at_its_front_matter_line(tmp_path):
    """The summary is shown on the case study's page and in its box on a
    guidance page, in different folders, so no relative link in it can work
    on both: any link there is reported at the summary's line, where the
    editor fixes it (link-in-front-matter)."""
    site = assemble(tmp_path / "site")
    study = site / "case_studies" / "cs-02.md"
    study.write_text(re.sub(r"(?m)^summary: .*", "summary: Five earlier reports, read together, showed a [course](files.md#nope) of conduct.",
                            study.read_text()))
    problems = problems_of(site)
    assert problems and all(p.startswith("case_studies/cs-02.md:4: [link-in-front-matter]") for p in problems), problems
