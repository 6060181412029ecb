"""The macros module for mkdocs-macros: thin wrappers over the project index.

Pages call them with the site's delimiters, for example
    {{< addresses("R3@3d0885", "F3@7b474e") >}}
    {{< case_study("CS-05") >}}
All the work happens in project.py (the index) and render.py (the Markdown).
"""

from __future__ import annotations

from . import project as project_index
from . import render


class MacroError(Exception):
    """Raised for a bad call; mkdocs-macros then fails the build (on_error_fail)."""


def define_env(env):
    root = env.project_dir

    def current():
        return project_index.current(root)

    def page_uri() -> str:
        return env.page.file.src_uri

    @env.macro
    def addresses(*ids: str) -> str:
        """A visible line linking each register item that this section delivers."""
        project = current()
        names = [i.partition("@")[0] for i in ids]
        unknown = [n for n in names if n not in project.items]
        if not names or unknown:
            raise MacroError(f"{page_uri()}: addresses() names unknown items {unknown} (run `make check`)")
        return render.addresses_line(project, names, page_uri())

    @env.macro
    def case_study(case_id: str) -> str:
        """A summary box that links to the full case study."""
        project = current()
        if case_id not in project.case_study_ids:
            raise MacroError(f"{page_uri()}: case_study('{case_id}') does not exist (run `make check`)")
        return render.case_study_box(project, case_id, page_uri())

    @env.macro
    def offence_table(table: str) -> str:
        """The offences that provisions.yml lists in one table, with mode of
        trial and maxima: the only place the guidance states a maximum."""
        project = current()
        if table not in render.offence_tables(project):
            raise MacroError(f"{page_uri()}: offence_table('{table}') names no table in provisions.yml (run `make check`)")
        return render.offence_table(project, table)

    @env.macro
    def penalty_table(*tables: str) -> str:
        """Mode of trial and maxima only, for the offences in the named tables."""
        project = current()
        unknown = [t for t in tables if t not in render.offence_tables(project)]
        if not tables or unknown:
            raise MacroError(f"{page_uri()}: penalty_table() names unknown tables {unknown} (run `make check`)")
        return render.penalty_table(project, list(tables))
