"""The "Law on a date" page's data: the law data (provisions.yml) as the
browser needs it.

In: the loaded Project (its law data, search.yml's defining sections, the
pages that call the offence tables). Out: `data(project)`, a dict written as
`assets/javascripts/law-data.js` (a script that sets `window.LAW_DATA`, so it
loads from the file system too, where fetching JSON is refused). The page's
Markdown, which shows every period of every provision as tables for a reader
without JavaScript, is render.law_on_a_date_page(project), from the same
data. The answer for a date is worked out in the browser by
docs/assets/javascripts/law-on-a-date.js from that data only; nothing of the
law is written twice.

The rules of law the page applies (each from the data, never from here):
- an offence's maxima are those of the period that contains the date the
  offence was committed (`committed_from` <= date < `committed_before`);
  for a course of conduct that is its last day (Policing and Crime Act 2017,
  s.175(4), for the 2017 increase; the page says so);
- a conviction rule (`conviction_rules:`) applies by the date of conviction;
- an order on conviction applies by the date of conviction (`order.decided_from`
  and `order.decided_before`, else when the provision is in force).
Errors: none of its own; the data has passed the law checks before this runs.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from .project import Project

URI = "law-on-a-date.md"
DATA_JS = "assets/javascripts/law-data.js"
SCRIPT_JS = "assets/javascripts/law-on-a-date.js"


def _iso(value):
    """A date as YYYY-MM-DD; the words "not in force" as they are; None as None."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _slug(text: str) -> str:
    """The id Python-Markdown's toc gives a heading (lower case, words joined by hyphens)."""
    text = re.sub(r"[^\w\s-]", "", text.lower())
    return re.sub(r"[-\s]+", "-", text).strip("-")


def act_heading(act, act_id: str) -> str:
    """The heading the "Provisions and cases" page gives an Act (render.law_page)."""
    short = next((n for n in [act.cite_as, *act.names] if n and re.fullmatch(r"[A-Z]{2,6}", n)), None)
    return act.title + (f" ({short})" if short else "")


def cite(act, act_id: str, key: str) -> str:
    """The provision as the guidance cites it: "PHA s.4A", "Sentencing Act 2020, s.360"."""
    from .law import label

    return f"{act.cite_as or act.title + ','} {label(key)}"


def _definitions(project: Project) -> dict[tuple[str, str], str]:
    """(act id, key) -> "page/#anchor", from search.yml's `defines`."""
    from . import search

    out = {}
    try:
        settings = search.load_settings(project.root)
    except Exception:  # reported by the search checks; the page falls back below
        return out
    names = project.law._names
    for definition in settings.defines:
        act_name, _, section = definition.provision.rpartition(" s.")
        act_id = names.get(act_name.strip().rstrip(","))
        if act_id and section in project.law.acts[act_id].provisions:
            out.setdefault((act_id, section), definition.at)
    return out


def _table_pages(project: Project) -> dict[str, str]:
    """Generated table name -> the first guidance page ("offences/") that shows it."""
    from markdown.extensions.toc import slugify

    found = []
    for source in project.pages:
        if source.uri == "index.md":
            continue
        for call in re.finditer(r"\{\{<\s*(?P<kind>offence_table|penalty_table)\((?P<args>[^)]*)\)", source.text):
            heading = None  # the section the table sits in
            for match in re.finditer(r"^#{2,4} +(?P<title>.+?)(?: +\{#(?P<id>[\w-]+)\})? *$", source.text[: call.start()], re.M):
                heading = match.group("id") or slugify(match.group("title"), "-")
            where = source.uri[: -len(".md")] + "/" + (f"#{heading}" if heading else "")
            for name in re.findall(r"[\w-]+", call.group("args")):
                # the offences chapter's own tables first, then other pages' offence tables, then penalty tables
                found.append(((source.uri != "offences.md", call.group("kind") != "offence_table"), name, where))
    out = {}
    for _, name, where in sorted(found, key=lambda f: f[0]):
        out.setdefault(name, where)
    return out


def rows(project: Project) -> list[dict]:
    """One dict per offence, and per order (a provision with `order:`), in
    the order of provisions.yml."""
    defined, tables = _definitions(project), _table_pages(project)
    out = []
    for act_id, act in project.law.acts.items():
        entry = "law/#" + _slug(act_heading(act, act_id))
        for key, provision in act.provisions.items():
            order = getattr(provision, "order", None)
            if not provision.offences and order is None:
                continue
            base = {
                "cite": cite(act, act_id, key),
                "from": _iso(provision.in_force_from),
                "to": _iso(provision.in_force_to),
                "where": provision.where,
                "checked": _iso(provision.read_on),
                "url": act.address(key),
                # legislation.gov.uk gives the text as it stood on a date at .../<date>
                "dated": bool(act.legislation) and not provision.url,
                "entry": entry,
            }
            if order is not None:
                out.append({**base, "kind": "order", "name": provision.heading or cite(act, act_id, key),
                            "order": order.made, "decided_from": _iso(order.decided_from),
                            "decided_before": _iso(order.decided_before),
                            "guide": defined.get((act_id, key)) or "protective-orders/"})
            for offence in provision.offences:
                guide = defined.get((act_id, key)) or next((tables[t] for t in offence.tables if t in tables), None)
                out.append({
                    **base, "kind": "offence", "name": offence.name,
                    "cite": base["cite"] + (offence.subsection or ""),
                    "mode": offence.mode_of_trial, "alt": offence.alternative_verdicts,
                    "guide": guide,
                    "periods": [{
                        "from": _iso(m.committed_from), "before": _iso(m.committed_before),
                        "ind": m.on_indictment, "sum": m.on_summary_conviction, "by": m.changed_by,
                    } for m in offence.maxima],
                })
    seen: dict[str, int] = {}
    for row in out:  # a stable id for each row: its heading's id on the page
        base = "law-" + _slug(row["cite"].replace(".", " ")) + ("-order" if row["kind"] == "order" else "")
        seen[base] = seen.get(base, 0) + 1
        row["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return out


def rules(project: Project) -> list[dict]:
    """The conviction rules (magistrates' powers, the suspended-sentence
    presumption, the limit on deferring sentence), each with what applied
    before its first period (`before_first`, or None) and its periods by date
    of conviction."""
    found = project.law.provisions.conviction_rules if project.law.provisions else []
    return [{
        "id": r.id, "title": r.title, "applies_to": r.applies_to, "before_first": r.before_first,
        "periods": [{"from": _iso(p.convicted_from), "before": _iso(p.convicted_before), "rule": p.rule, "by": p.changed_by}
                    for p in r.periods],
    } for r in found]


def as_at(project: Project) -> dt.date | None:
    """The law-as-at date of the data: the latest day any provision or
    conviction rule was read (`read_on`)."""
    days = [p.read_on for a in project.law.acts.values() for p in a.provisions.values() if p.read_on]
    if project.law.provisions:
        days += [r.read_on for r in project.law.provisions.conviction_rules if r.read_on]
    return max(days) if days else None


def data(project: Project) -> dict:
    found = rows(project)
    starts = [r["from"] for r in found if re.fullmatch(r"\d{4}-\d\d-\d\d", str(r["from"]))]
    return {"as_at": _iso(as_at(project)), "earliest": min(starts) if starts else None, "rows": found, "rules": rules(project)}


def data_js(project: Project) -> str:
    """The data as a script (`window.LAW_DATA = {...};`): a script file loads
    from the file system, where fetching a JSON file is refused."""
    text = json.dumps(data(project), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return "// Generated from provisions.yml at build time (macros/law_on_a_date.py). Do not edit.\n" \
           f"window.LAW_DATA = {text.replace('</', '<' + chr(92) + '/')};\n"
