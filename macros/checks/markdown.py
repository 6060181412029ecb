"""`table-syntax` and `box-syntax`: Markdown the parser read other than it
was written (macros/markdown_faults.py records them in the one parse)."""

from __future__ import annotations

from ..model import Problem
from ..project import Project
from .catalogue import problem


def check_markdown_faults(project: Project, found: list[Problem]) -> list[Problem]:
    """One message for one fault: a box left empty because the macro call
    under it is indented two or three spaces is reported once, by
    macro-syntax (in `found`), at the call's line."""
    calls = {(p.location.path, p.location.line) for p in found if p.code == "macro-syntax"}
    out = []
    for page in project.pages + project.case_studies:
        facts = page.facts
        for line, code, message, fix in getattr(facts, "markdown_faults", []) if facts else []:
            if code == "box-syntax" and any((page.path, line + n) in calls for n in (1, 2, 3)):
                continue
            out.append(problem(code, page.path, line, message, fix))
    return out
