"""macros/search.py: the search index made ready for the law (pure
functions), search.yml checked with file and line, and the built index."""

from __future__ import annotations

import json

import pytest

from macros import search

ROOT = search.load.__file__ and __import__("pathlib").Path(__file__).resolve().parent.parent


def test_normalise_plain_quotes_apostrophes_hyphens_and_spaces():
    assert search.normalise("the landlord\u2019s \u201cex\u2011partner\u201d\u00a0s.4A") == 'the landlord\'s "ex-partner" s.4A'


@pytest.mark.parametrize("text,tokens", [
    ("CrimPR r.31.3 and rule 24.1", ["r31.3", "r24.1"]),
    ("para. 2A of Sch. 1", ["para2a", "sch1"]),
    ("Article 8 and art. 10", ["art8", "art10"]),
    ("reg. 4; Schedule 2", ["reg4", "sch2"]),
    ("the Criminal Procedure Rules 2020 and Regulations 2025", []),
    ("Mr. 5 and s.4A", []),
])
def test_citation_tokens(text, tokens):
    assert search.citation_tokens(text) == tokens


def test_provision_token():
    assert search.provision_token("PHA s.4A") == "4a"
    assert search.provision_token("Sentencing Act 2020 s.363") == "363"
    assert search.provision_token("Sch. 1") == "sch1"
    for written in ["PHA s4A", "PHA S4A", "PHA ss.4A", "PHA \u00a74A", "PHA \u00a7 4A", "PHA s 4A", "PHA section 4A"]:
        assert search.provision_token(written) == "4a", written
    with pytest.raises(ValueError):
        search.provision_token("the Act")


INDEX = {"config": {}, "docs": [
    {"location": "offences/", "title": "The offences", "text": "<p>Stalking\u2019s forms.</p>"},
    {"location": "offences/#table", "title": "Table", "text": '<span class="visually-hidden">This section delivers</span> R3 '
     "<p>PHA s.4A: fear of violence. A GPS device.</p>"},
    {"location": "recommendations/r3/", "title": "R3", "text": "<p>s.4A pleas</p>"},
]}


def test_process_index():
    settings = search.Settings.model_validate({"synonyms": [["tracker", "GPS"]],
                                               "defines": [{"provision": "PHA s.4A", "at": "offences/#table"}]})
    docs = {d["location"]: d for d in search.process_index(INDEX, settings)["docs"]}
    assert docs["offences/"]["text"] == "<p>Stalking's forms.</p>"
    assert "This section delivers" not in docs["offences/#table"]["text"]
    assert docs["offences/#table"]["defines"] == "4a"
    assert docs["offences/#table"]["keys"] == "tracker GPS"
    assert docs["recommendations/r3/"]["boost"] == search.LOW_BOOST
    assert "boost" not in docs["offences/"]


def test_item_and_case_study_pages_rank_low_but_answer_their_own_id():
    """Issue 24: the register and case-study pages sit below the guidance,
    and an `item` field (weighted as `defines`) holds the id each is about,
    so "R3" or "CS-07" still finds its page first; a section that names a
    case study gets its token in `keys`."""
    index = {"config": {}, "docs": [
        {"location": "recommendations/r3/", "title": "R3: Pleas", "text": "<p>Pleas.</p>"},
        {"location": "recommendations/r3/#what-was-committed", "title": "What was committed", "text": "<p>R3.1</p>"},
        {"location": "case-studies/cs-07/", "title": "CS-07: Order on acquittal", "text": "<p>An order.</p>"},
        {"location": "case-studies/cs-07.html", "title": "CS-07 (offline copy)", "text": ""},
        {"location": "case-studies/", "title": "Case studies", "text": "<p>CS-07 and CS-12.</p>"},
        {"location": "protective-orders/#on-acquittal", "title": "On acquittal", "text": "<p>See CS-07.</p>"},
    ]}
    docs = {d["location"]: d for d in search.process_index(index, search.Settings())["docs"]}
    assert docs["recommendations/r3/"]["item"] == "r3"
    assert docs["case-studies/cs-07/"]["item"] == "cs07"
    assert docs["case-studies/cs-07.html"]["item"] == "cs07"
    assert "item" not in docs["recommendations/r3/#what-was-committed"] and "item" not in docs["case-studies/"]
    assert all(docs[loc]["boost"] == search.LOW_BOOST for loc in docs if loc.startswith(("recommendations/", "case-studies/")))
    assert "boost" not in docs["protective-orders/#on-acquittal"]
    assert docs["protective-orders/#on-acquittal"]["keys"] == "cs07"
    assert docs["case-studies/"]["keys"] == "cs07 cs12"


def test_definitions_work_in_the_offline_copy_too():
    """The offline copy's addresses end in .html (use_directory_urls: false)."""
    offline = {"config": {}, "docs": [dict(d, location=d["location"].replace("offences/", "offences.html")) for d in INDEX["docs"]]}
    settings = search.Settings.model_validate({"defines": [{"provision": "PHA s.4A", "at": "offences/#table"}]})
    docs = {d["location"]: d for d in search.process_index(offline, settings)["docs"]}
    assert docs["offences.html#table"]["defines"] == "4a"
    assert search.site_address("index.html") == "" and search.site_address("a/index.html#b") == "a/#b"


def test_a_definition_that_points_nowhere_fails_with_the_fix():
    settings = search.Settings.model_validate({"defines": [{"provision": "PHA s.4A", "at": "offences/#nowhere"}]})
    with pytest.raises(search.SearchSettingsError, match=r"search.yml: search-settings: .*offences/#nowhere.*Fix: use one of"):
        search.process_index(INDEX, settings)


@pytest.mark.parametrize("text,line,what", [
    ("synonyms:\n  - [tracker]\n", 2, "two or more"),
    ("defines:\n  - {provision: PHA s.4A, at: offences/}\n  - {provision: the Act, at: offences/}\n", 3, "not one citation"),
    ("defines:\n  - {provision: PHA s.4A, at: /offences/}\n", 2, "not a page address"),
    ("synonyms: [\n", 2, "not valid YAML"),
    ("colours: [red, blue]\n", 1, "Extra inputs"),
])
def test_broken_search_settings_name_the_line(tmp_path, text, line, what):
    (tmp_path / "search.yml").write_text(text)
    with pytest.raises(search.SearchSettingsError) as caught:
        search.load_settings(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"search.yml:{line}: search-settings:"), message
    assert what in message and "Fix:" in message


def test_search_settings_not_saved_as_utf8_name_the_line(tmp_path):
    """A search.yml saved as Windows-1252 (Word's curly quotes are 0x93 and
    0x94) is reported with its line and the fix, not a traceback; a
    byte-order mark is accepted."""
    (tmp_path / "search.yml").write_bytes(b"synonyms:\n  - [tracker, \x93GPS\x94]\n")
    with pytest.raises(search.SearchSettingsError) as caught:
        search.load_settings(tmp_path)
    assert str(caught.value).startswith("search.yml:2: search-settings: the file is not saved as UTF-8"), caught.value
    assert "Fix: save the file as UTF-8" in str(caught.value)
    (tmp_path / "search.yml").write_bytes(b"\xef\xbb\xbfsynonyms:\n  - [tracker, GPS]\n")
    assert search.load_settings(tmp_path).synonyms == [["tracker", "GPS"]]


def test_the_real_settings_load():
    settings = search.load_settings(ROOT)
    assert settings.synonyms and settings.defines


def test_the_built_index_is_ready_for_the_law(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    assert set(index["config"]["fields"]) >= {"keys", "defines"}
    text = " ".join(d["title"] + d["text"] for d in index["docs"])
    for character in "\u2018\u2019\u201c\u201d\u2011\u00a0":
        assert character not in text
    assert "This section delivers" not in text
    defined = {d["location"]: d["defines"] for d in index["docs"] if "defines" in d}
    assert defined["offences/#harassment-and-stalking-offences"] == "2a 4 4a"


CONFIG = '<script id="__config" type="application/json">{"base": "..", "search": "%s", "tags": null}</script>'


@pytest.mark.parametrize("theme,ours", [
    ("assets/javascripts/workers/search.a7633da7.min.js", "assets/javascripts/search-worker.js?theme=search.a7633da7.min.js"),
    ("../assets/javascripts/workers/search.a7633da7.min.js", "../assets/javascripts/search-worker.js?theme=search.a7633da7.min.js"),
    ("/guidance/assets/javascripts/workers/search.0f1e.min.js", "/guidance/assets/javascripts/search-worker.js?theme=search.0f1e.min.js"),
])
def test_each_page_names_our_search_worker(theme, ours):
    """The theme starts the worker its __config names; the build names
    search-worker.js, which loads the theme's, on the site and in the
    offline copy alike (so the offline copy's frame script is hashed for it)."""
    assert search.use_our_worker(CONFIG % theme) == CONFIG % ours
    assert search.use_our_worker("<meta http-equiv=\"refresh\" content=\"0; url=../pleas/\">") == \
        "<meta http-equiv=\"refresh\" content=\"0; url=../pleas/\">"  # a redirect stub has no __config


def test_a_theme_that_moved_its_worker_fails_the_build_with_the_fix():
    with pytest.raises(search.SearchSettingsError, match="_THEME_WORKER in macros/search.py"):
        search.use_our_worker(CONFIG % "assets/javascripts/search.worker.js")


def test_every_built_page_names_our_search_worker(built_site):
    for path in [built_site / "index.html", built_site / "offences" / "index.html", built_site / "404.html"]:
        config = json.loads(path.read_text(encoding="utf-8").split('<script id="__config" type="application/json">')[1].split("</script>")[0])
        assert config["search"].endswith("assets/javascripts/search-worker.js?theme=" +
                                          next((built_site / "assets" / "javascripts" / "workers").glob("search.*.min.js")).name), path


# ---------------------------------------------------------------------------
# The service worker's side of the build (macros/offline_reading.py)
# ---------------------------------------------------------------------------

def test_the_worker_is_registered_only_on_the_published_site():
    from types import SimpleNamespace

    from macros import offline_reading

    for published in (True, False):
        config = SimpleNamespace(extra={}, extra_javascript=["assets/javascripts/guidance.js", offline_reading.REGISTER_SCRIPT])
        offline_reading.configure(config, published)
        assert config.extra["published"] is published
        assert (offline_reading.REGISTER_SCRIPT in config.extra_javascript) is published


def test_the_manifest_lists_pages_assets_and_search(built_site):
    manifest = json.loads((built_site / "offline-manifest.json").read_text())
    files = set(manifest["files"])
    assert {"", "offences/", "protective-orders/", "search/search_index.json"} <= files
    assert any(f.startswith("assets/javascripts/bundle.") for f in files)
    assert not [f for f in files if f.endswith((".map", ".zip")) or f == "404.html"]
    assert (built_site / "sw.js").is_file()
    assert 'src="assets/javascripts/offline.js"' in (built_site / "index.html").read_text()


def test_under_serve_a_definition_that_points_nowhere_is_left_out():
    """Under `make serve` the pages with errors are replaced by the problem
    list, so their sections are missing from the index: the index is written
    without the definition (check_defines reported it from the parse)."""
    settings = search.Settings.model_validate({"defines": [{"provision": "PHA s.4A", "at": "offences/#nowhere"}]})
    docs = search.process_index(INDEX, settings, strict=False)["docs"]
    assert not any("defines" in d for d in docs)


def test_the_worker_stores_every_file_a_page_links_to_or_shows(tmp_path):
    """Issue 23: a form as PDF, or a diagram outside assets/images/, that a
    page links to or shows was left out, so offline it was the one thing
    missing. The offline zip and files no page points to are not stored."""
    from macros import offline_reading

    site = tmp_path / "site"
    (site / "forms").mkdir(parents=True)
    (site / "diagrams").mkdir()
    (site / "pleas").mkdir()
    (site / "forms" / "application form.pdf").write_bytes(b"%PDF-1.7")
    (site / "diagrams" / "route.svg").write_text("<svg/>")
    (site / "forms" / "unlinked.pdf").write_bytes(b"%PDF-1.7")
    (site / "guidance-offline.zip").write_bytes(b"PK")
    (site / "index.html").write_text('<a href="forms/application%20form.pdf#page=2">form</a> <a href="guidance-offline.zip">zip</a> '
                                     '<a href="https://www.legislation.gov.uk/x.pdf">law</a>')
    (site / "pleas" / "index.html").write_text('<img src="../diagrams/route.svg?v=1" alt="route"> <a href="../../outside.pdf">x</a>')
    files = offline_reading.stored_files(site)
    assert files == ["diagrams/route.svg", "forms/application form.pdf", "index.html", "pleas/index.html"]
