"""Atom feeds (RFC 4287) of "What's new" (whats-new.yml) and of "Changes in
the law" (law-changes.yml), written with feedgen.

In: the loaded Project and the site's address (`site_url`, which ends in /).
Out: `whats_new(project, site_url)` and `law_changes(project, site_url)`,
each the feed as UTF-8 bytes. Each entry links to its own section of the
generated page (the What's new heading's id, made as the page's table of
contents makes it; a change's `{#id}`), so a reader's feed tool opens the
right place. `FEEDS` names the files and their titles, which every page's
head links to (overrides/main.html). Errors: none of its own; the sources
have passed their checks before this runs.
"""

from __future__ import annotations

import datetime as dt

from .project import Project
from .render import change_page

WHATS_NEW = "whats-new.xml"
LAW_CHANGES = "law-changes.xml"
FEEDS = {WHATS_NEW: "What's new (Atom feed)", LAW_CHANGES: "Changes in the law (Atom feed)"}


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _feed(site_url: str, name: str, title: str, subtitle: str, page: str):
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(site_url + name)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.author({"name": "The guidance's policy team"})
    feed.link(href=site_url + page, rel="alternate", type="text/html")
    feed.link(href=site_url + name, rel="self", type="application/atom+xml")
    feed.language("en-GB")
    return feed


def heading_id(text: str, seen: dict[str, int]) -> str:
    """The id Python-Markdown's toc gives a heading, made unique as it does
    ("_1", "_2" for a repeat)."""
    from markdown.extensions.toc import slugify

    slug = slugify(text, "-")
    if slug in seen:
        seen[slug] += 1
        return f"{slug}_{seen[slug]}"
    seen[slug] = 0
    return slug


def whats_new(project: Project, site_url: str) -> bytes:
    """What's new, newest first; each entry links to its heading on the page."""
    feed = _feed(site_url, WHATS_NEW, "What's new: stalking and harassment guidance for prosecutors",
                 "Changes to the guidance that affect what prosecutors do, newest first.", "whats-new/")
    entries = sorted(project.changelog_entries, key=lambda e: e.date, reverse=True)
    seen: dict[str, int] = {"whats-new": 0}  # the page's own title
    ids = [heading_id(f"{e.date.day} {e.date:%B %Y}: {e.title}", seen) for e in entries]
    latest = entries[0].date if entries else dt.date(2026, 1, 1)
    feed.updated(_moment(latest))
    for entry, anchor in reversed(list(zip(entries, ids))):  # feedgen puts the last added first
        item = feed.add_entry()
        address = f"{site_url}whats-new/#{anchor}"
        item.id(address)
        item.title(entry.title)
        item.link(href=address, rel="alternate", type="text/html")
        item.updated(_moment(entry.date))
        item.published(_moment(entry.date))
        item.summary(" ".join(entry.summary.split()))
    return feed.atom_str(pretty=True)


def law_changes(project: Project, site_url: str) -> bytes:
    """Changes in the law, newest recorded first; each entry links to its
    section of the "Changes in the law" page (its `id`)."""
    feed = _feed(site_url, LAW_CHANGES, "Changes in the law: stalking and harassment guidance for prosecutors",
                 "Changes in the law the guidance covers, with when each came into force and which cases it applies to.",
                 "law-changes/")
    changes = list(project.law.changes.changes) if project.law.changes else []
    changes.sort(key=lambda c: (c.read_on, c.in_force_date or dt.date.max), reverse=True)
    feed.updated(_moment(max((c.read_on for c in changes), default=dt.date(2026, 1, 1))))
    for change in reversed(changes):
        item = feed.add_entry()
        address = f"{site_url}{change_page(change).removesuffix('.md')}/#{change.id}"
        item.id(address)
        item.title(change.title)
        item.link(href=address, rel="alternate", type="text/html")
        item.updated(_moment(change.read_on))
        if change.made:
            item.published(_moment(change.made))
        when = (f"In force from {change.in_force_date.day} {change.in_force_date:%B %Y}." if change.in_force_date
                else f"{'Not confirmed in force' if change.in_force == 'not confirmed' else 'Not in force'} as at {change.checked_on.day} {change.checked_on:%B %Y}." if change.checked_on
                else "Not in force.")
        text = " ".join(part for part in (change.summary, f"{change.instrument}.", when, f"Applies {change.applies}."
                                          if not change.applies[:1].isupper() else change.applies) if part)
        item.summary(" ".join(text.split()))
    return feed.atom_str(pretty=True)


def all_feeds(project: Project, site_url: str) -> dict[str, bytes]:
    return {WHATS_NEW: whats_new(project, site_url), LAW_CHANGES: law_changes(project, site_url)}
