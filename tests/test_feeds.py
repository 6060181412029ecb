"""The Atom feeds of "What's new" and "Changes in the law" (macros/feeds.py,
issue 21): valid Atom (RFC 4287) against a RELAX NG schema of the RFC's
grammar (tests/data/atom.rng, origin noted in it), the RFC's rules that
RELAX NG cannot say, one entry per source entry, each linking to a heading
that exists on its page, and a link to both feeds in every page's head."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from lxml import etree, html

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA = PROJECT / "tests" / "data" / "atom.rng"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
FEEDS = {"whats-new.xml": ("whats-new/", "whats-new.yml", "entries"),
         "law-changes.xml": ("law-changes/|law-changes-earlier/", "law-changes.yml", "changes")}


@pytest.fixture(scope="module")
def relax_ng():
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def test_the_schema_rejects_what_rfc_4287_forbids(relax_ng):
    """The schema is not a rubber stamp: a feed without an id and updated,
    an entry without a title, and a date that is not a date all fail."""
    good = b"""<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>T</title>
      <updated>2026-12-07T00:00:00Z</updated><author><name>A</name></author>
      <entry><id>urn:y</id><title>E</title><updated>2026-12-07T00:00:00Z</updated><link href="https://x/"/></entry></feed>"""
    assert relax_ng.validate(etree.fromstring(good)), relax_ng.error_log
    bad = [
        good.replace(b"<id>urn:x</id>", b""),
        good.replace(b"<title>E</title>", b""),
        good.replace(b"2026-12-07T00:00:00Z</updated><link", b"7 December 2026</updated><link"),
        good.replace(b"<link href=\"https://x/\"/>", b"<link/>"),
    ]
    for document in bad:
        assert not relax_ng.validate(etree.fromstring(document)), document


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_the_feed_is_valid_atom(built_site, relax_ng, name):
    tree = etree.parse(str(built_site / name))
    assert relax_ng.validate(tree), f"{name}: {relax_ng.error_log}"
    feed = tree.getroot()
    # RFC 4287 4.1.1: an author for the feed or every entry; a self link; 4.1.2: an alternate link where no content.
    assert feed.xpath("a:author/a:name/text()", namespaces=ATOM)
    assert feed.xpath("a:link[@rel='self']/@href", namespaces=ATOM)[0].endswith(name)
    ids = feed.xpath("//a:id/text()", namespaces=ATOM)
    assert len(ids) == len(set(ids)), "atom:id values must be unique"
    for entry in feed.xpath("a:entry", namespaces=ATOM):
        assert entry.xpath("a:link[not(@rel) or @rel='alternate']", namespaces=ATOM) or entry.xpath("a:content", namespaces=ATOM)


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_each_entry_links_to_its_section_of_its_page(built_site, name):
    page_path, source, key = FEEDS[name]
    feed = etree.parse(str(built_site / name)).getroot()
    entries = feed.xpath("a:entry", namespaces=ATOM)
    recorded = yaml.safe_load((PROJECT / source).read_text(encoding="utf-8"))[key]
    assert len(entries) == len(recorded) > 0
    for entry in entries:
        href = entry.xpath("a:link/@href", namespaces=ATOM)[0]
        address, _, fragment = href.partition("#")
        # The changes are on two pages, by year (render.change_page).
        own = next((p for p in page_path.split("|") if address.endswith("/" + p)), None)
        assert own, href
        ids = set(html.parse(str(built_site / own / "index.html")).xpath("//@id"))
        assert fragment in ids, f"{href}: no heading with that id on {own}"
    titles = {e.xpath("string(a:title)", namespaces=ATOM) for e in entries}
    assert titles == {" ".join(r["title"].split()) for r in recorded}


def test_every_page_names_both_feeds_in_its_head(built_site):
    pages = [p for p in built_site.rglob("*.html") if "assets" not in p.parts and "Redirecting" not in p.read_text()[:2000]]
    assert len(pages) > 20
    for path in pages:
        head = html.parse(str(path)).xpath("//head")[0]
        feeds = head.xpath("link[@rel='alternate'][@type='application/atom+xml']/@href")
        resolved = {(path.parent / href).resolve().name for href in feeds}
        assert resolved == set(FEEDS), f"{path.relative_to(built_site)}: {feeds}"
