"""The guidance macros: what a macro call on a page stands for.

Pages call them on a line of their own, with the site's delimiters:
    {{< addresses("R3@3d0885", "F3@7b474e") >}}
    {{< case_study("CS-05") >}}
    {{< offence_table("stalking") >}}     (the offences of a table in provisions.yml)
    {{< penalty_table("stalking") >}}     (mode of trial and maxima only)
The Markdown pipeline (pipeline.py) finds the calls where the parser finds
blocks, so never inside code, and parses the Markdown returned here in place of
the call, at the call's indentation (inside an admonition, a `???` collapsible,
a list or a tab). All the work happens in project.py (the index) and render.py
(the Markdown).
"""

from __future__ import annotations

from . import render


def expand(project, name: str, args: list[str], page_uri: str) -> str:
    """The Markdown for one call on the page `page_uri` (a docs path).

    Raises ValueError for an unknown macro, item or case study; the checks
    report those calls with file, line and fix, and stop the build."""
    if name == "addresses":
        ids = [a.partition("@")[0] for a in args]
        unknown = [i for i in ids if i not in project.items]
        if not ids or unknown:
            raise ValueError(f"addresses() names unknown items {unknown}")
        return render.addresses_line(project, ids, page_uri)
    if name == "case_study":
        if len(args) != 1 or args[0] not in project.case_study_ids:
            raise ValueError(f"case_study{tuple(args)} does not exist")
        return render.case_study_box(project, args[0], page_uri)
    if name == "offence_table":
        if len(args) != 1 or args[0] not in render.offence_tables(project):
            raise ValueError(f"offence_table{tuple(args)} names no table in provisions.yml")
        return render.offence_table(project, args[0])
    if name == "penalty_table":
        unknown = [t for t in args if t not in render.offence_tables(project)]
        if not args or unknown:
            raise ValueError(f"penalty_table() names unknown tables {unknown}")
        return render.penalty_table(project, list(args))
    raise ValueError(f"there is no macro called '{name}'")
