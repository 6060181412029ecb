"""The "Law on a date" page: the law data (provisions.yml) as the browser
needs it, and the page's Markdown, which shows every period of every
provision as tables for a reader without JavaScript.

In: the loaded Project (its law data, search.yml's defining sections, the
pages that call the offence tables). Out: `data(project)`, a dict written as
`assets/javascripts/law-data.js` (a script that sets `window.LAW_DATA`, so it
loads from the file system too, where fetching JSON is refused), and
`page(project)`, the page's Markdown. The answer for a date is worked out in
the browser by docs/assets/javascripts/law-on-a-date.js from that data only;
nothing of the law is written twice.

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
    """A date as YYYY-MM-DD; the words "not in force" or "unverified" as they are; None as None."""
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
    presumption), each with its periods by date of conviction."""
    found = project.law.provisions.conviction_rules if project.law.provisions else []
    return [{
        "id": r.id, "title": r.title, "applies_to": r.applies_to,
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


# ---------------------------------------------------------------------------
# The page (what a reader without JavaScript sees, and the form for those with it)
# ---------------------------------------------------------------------------

def _long(value) -> str:
    from .render import long_date

    return long_date(value) if isinstance(value, dt.date) else str(value)


def _cell(text) -> str:
    from .render import one_line

    return one_line(str(text or "")).replace("|", "\\|")


def _period_words(start, end) -> str:
    if start in (None, "unverified"):
        start_words = "From a date not yet confirmed"
    else:
        start_words = f"From {_long(start)}"
    if end is None:
        return start_words + " onwards"
    if end == "unverified":
        return start_words + " to a date not yet confirmed"
    return f"{start_words} to {_long(end - dt.timedelta(days=1))}"


FORM = """<div class="law-date" id="law-date-tool" hidden>
<form class="law-date__form" id="law-date-form" action="" method="get">
<p class="law-date__field"><label for="law-date-offence">Date of the offence</label>
<span class="law-date__hint" id="law-date-offence-hint">For a course of conduct, its last day.</span>
<input type="date" id="law-date-offence" name="offence" aria-describedby="law-date-offence-hint" required></p>
<p class="law-date__field"><label for="law-date-conviction">Date of conviction (optional)</label>
<span class="law-date__hint" id="law-date-conviction-hint">Leave it empty if there is none yet.</span>
<input type="date" id="law-date-conviction" name="conviction" aria-describedby="law-date-conviction-hint"></p>
<p><button type="submit" class="md-button md-button--primary">Show the law on these dates</button></p>
</form>
<p class="law-date__summary" id="law-date-summary" role="status" aria-live="polite"></p>
<div id="law-date-result"></div>
</div>
"""


def page(project: Project) -> str:
    """The page's Markdown: what it does and does not decide, the form (shown
    by the script), and every period of every provision as tables."""
    from .render import _front, rel

    info = data(project)
    when = _long(dt.date.fromisoformat(info["as_at"])) if info["as_at"] else "the date shown on each provision"
    earliest = _long(dt.date.fromisoformat(info["earliest"])) if info["earliest"] else None
    out = [
        _front("Law on a date", "The offences, maxima and orders that applied on the date of an offence, and what the date of conviction changes."),
        "# Law on a date\n",
        "Give the date of the offence, and the date of conviction if there is one.",
        "The page shows, for each offence and order in this guidance, whether it was in force on that date, its mode of trial, its maxima, the alternative verdicts, and what the date of conviction changes.",
        "For a course of conduct, give its last day.",
        "For the 2017 increase in the maxima for PHA ss.4 and 4A and CDA s.32, the Policing and Crime Act 2017, s.175(4), treats a course of conduct over two or more days as committed on the last of them; for other changes, check the changing provision's own rule.",
        "The address of the answer holds the dates, so you can bookmark it or paste it into a file note.\n",
        '!!! warning "What this page does not decide"',
        f"    The law data is as at {when}." + (f" It covers dates from {earliest}." if earliest else ""),
        "    It does not decide whether conduct is one course of conduct or several, when an offence was committed, or which offence to charge.",
        "    A date the data does not record is shown as not confirmed, never guessed: check the text on legislation.gov.uk for that date.",
        "    Each row links to the text of the provision as it stood on the date you give.\n",
        FORM,
        "## Every period of every provision\n",
        "These tables hold everything the page works from, for every date the data covers.",
        f"Each provision's sources are on [Provisions and cases]({rel('law.md', URI)}).\n",
    ]
    for row in info["rows"]:
        out.append(f"### {row['cite']}: {row['name']} {{#{row['id']}}}\n")
        facts = [("In force", _in_force_words(row))]
        if row.get("where"):
            facts.append(("Where", row["where"]))
        if row["kind"] == "offence":
            facts.append(("Mode of trial", row["mode"]))
            facts.append(("Alternative verdicts", row.get("alt") or "None recorded"))
        else:
            facts.append(("Order", _order_words(row)))
        links = [f"[the text]({row['url']})", f"[Provisions and cases]({rel(row['entry'].split('#')[0].rstrip('/') + '.md', URI)}#{row['entry'].split('#')[1]}){{ .law-entry }}"]
        if row.get("guide"):
            page_part, _, anchor = row["guide"].partition("#")
            links.append(f"[the guidance]({rel(page_part.rstrip('/') + '.md', URI)}{'#' + anchor if anchor else ''}){{ .law-guide }}")
        facts.append(("Read", ", ".join(links)))
        out += [f"- **{name}:** {_cell(value) if name != 'Read' else value}" for name, value in facts]
        out.append("")
        if row["kind"] == "offence":
            out += ["| Offences committed | On indictment | On summary conviction | Set by |", "|---|---|---|---|"]
            for period in row["periods"]:
                start = dt.date.fromisoformat(period["from"]) if _is_date(period["from"]) else period["from"]
                end = dt.date.fromisoformat(period["before"]) if _is_date(period["before"]) else period["before"]
                cells = [_period_words(start, end), _value(row, period, "ind"), _value(row, period, "sum"), period.get("by") or ""]
                out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
            out.append("")
    if info["rules"]:
        out.append("## What the date of conviction changes\n")
        for rule in info["rules"]:
            out.append(f"### {rule['title']}\n")
            out.append(_cell(rule["applies_to"]) + "\n")
            out += ["| Convictions | What applies |", "|---|---|"]
            for period in rule["periods"]:
                start = dt.date.fromisoformat(period["from"]) if _is_date(period["from"]) else None
                end = dt.date.fromisoformat(period["before"]) if _is_date(period["before"]) else None
                out.append(f"| {_cell(_period_words(start, end))} | {_cell(period['rule'])} |")
            out.append("")
    return "\n".join(out)


def _is_date(value) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d\d-\d\d", str(value or "")))


def _value(row, period, field) -> str:
    text = period.get(field)
    if text == "unverified":
        return "Not confirmed: check the current position"
    if text:
        return text
    if field == "ind" and row["mode"] == "summary only":
        return "Not triable on indictment"
    if field == "sum" and row["mode"] == "indictable only":
        return "Not triable summarily"
    return "Not recorded"


def _in_force_words(row) -> str:
    start = row["from"]
    if start == "unverified":
        text = "Commencement not confirmed: check the current position"
    elif start == "not in force":
        text = "Not in force" + (f" (checked {_long(dt.date.fromisoformat(row['checked']))})" if row.get("checked") else "")
    else:
        text = f"From {_long(dt.date.fromisoformat(start))}"
    if row.get("to") == "unverified":
        text += "; until a date not yet confirmed"
    elif row.get("to"):
        text += f"; until {_long(dt.date.fromisoformat(row['to']) - dt.timedelta(days=1))}"
    return text


def _order_words(row) -> str:
    made = {"on conviction": "Made on conviction", "on acquittal": "Made on acquittal",
            "on application": "Made on application, whether or not anyone is prosecuted"}[row["order"]]
    if row.get("decided_from") and row.get("decided_before"):
        return f"{made}, for decisions from {_long(dt.date.fromisoformat(row['decided_from']))} to {_long(dt.date.fromisoformat(row['decided_before']) - dt.timedelta(days=1))}"
    if row.get("decided_before"):
        return f"{made}, for decisions before {_long(dt.date.fromisoformat(row['decided_before']))}"
    if row.get("decided_from"):
        return f"{made}, for decisions on or after {_long(dt.date.fromisoformat(row['decided_from']))}"
    return made
