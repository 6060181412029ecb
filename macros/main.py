"""The site's mkdocs-macros module: `define_env(env)` registers the macros that
pages call.

mkdocs.yml enables mkdocs-macros-plugin with `module_name: macros`; the
plugin imports the package, whose `__init__.py` takes `define_env` from here,
and calls it once per build (and once per `make serve` rebuild). Each macro is
registered with `@env.macro` and is a thin function over the project's data:
it checks its arguments and returns Markdown from render.py.

Pages call the macros on a line of their own, with the site's delimiters:

    {{< addresses("R3@3d0885", "F3@7b474e") >}}
    {{< case_study("CS-05") >}}
    {{< offence_table("stalking") >}}     (the offences of a table in provisions.yml)
    {{< penalty_table("stalking") >}}     (mode of trial and maxima only)
    {{< conviction_rule("general-limit-either-way") >}}   (a rule by date of conviction)
    {{< law_change("capa2026-court-made-spo") >}}         (what the guidance says about a change in the law)

The plugin renders no page (`render_by_default: false`): the one Markdown
parse finds each call where the parser finds blocks, so never inside code
(pipeline.py), calls the function registered here by name from the plugin's
registry, and parses the Markdown it returns in place of the call, at the
call's indentation (inside an admonition, a `???` collapsible, a list or a
tab). A macro reads the page being parsed from `env.page`, as any
mkdocs-macros macro does.

Errors: a macro raises ValueError for an unknown item, case study or table;
the parse records the failure and the checks report the call with file, line
and fix, and stop the build (never a traceback, never an exit).
"""

from __future__ import annotations

from types import SimpleNamespace

from . import project as project_index
from . import render


def define_env(env) -> None:
    """Register the site's macros with mkdocs-macros (`env` is the plugin).

    In: the plugin, after its on_config has read mkdocs.yml; the hooks have
    loaded the project by then (hooks.py runs first). Out: nothing; the
    macros are in `env.macros`. Each macro takes the ids as pages write them
    and returns Markdown, or raises ValueError."""

    def project():
        return project_index.current(env.project_dir)

    def page_uri() -> str:
        return env.page.file.src_uri

    @env.macro
    def addresses(*ids: str) -> str:
        """The line under a heading naming the register items (ids with
        their @fingerprint) that the section delivers."""
        found = project()
        if found.register_unreadable:
            return ""  # the register's own error is reported; its items cannot be named
        items = [i.partition("@")[0] for i in ids]
        unknown = [i for i in items if i not in found.items]
        if not items or unknown:
            raise ValueError(f"addresses() names unknown items {unknown}")
        return render.addresses_line(found, items, page_uri())

    @env.macro
    def case_study(*ids: str) -> str:
        """The summary box of one case study, linking to its page."""
        found = project()
        if len(ids) != 1 or ids[0] not in found.case_study_ids:
            raise ValueError(f"case_study{tuple(ids)} does not exist")
        return render.case_study_box(found, ids[0], page_uri())

    @env.macro
    def offence_table(*tables: str) -> str:
        """The offences of one table of provisions.yml: elements, mode of
        trial, maxima by period (the law as data, stated once)."""
        found = project()
        if len(tables) != 1 or tables[0] not in render.offence_tables(found):
            raise ValueError(f"offence_table{tuple(tables)} names no table in provisions.yml")
        return render.offence_table(found, tables[0])

    @env.macro
    def penalty_table(*tables: str) -> str:
        """Mode of trial and maxima of the offences of one or more tables."""
        found = project()
        unknown = [t for t in tables if t not in render.offence_tables(found)]
        if not tables or unknown:
            raise ValueError(f"penalty_table() names unknown tables {unknown}")
        return render.penalty_table(found, list(tables))

    @env.macro
    def conviction_rule(*ids: str) -> str:
        """One rule of provisions.yml's conviction_rules (for example the
        magistrates' court's general limit): its periods by date of
        conviction, newest first, linking to its sources on the law page."""
        found = project()
        if len(ids) != 1 or ids[0] not in found.law.conviction_rules:
            raise ValueError(f"conviction_rule{tuple(ids)} names no rule in provisions.yml")
        return render.conviction_rule_table(found, ids[0], page_uri(), sources=False)

    @env.macro
    def law_change(*ids: str) -> str:
        """What the guidance says about one change in law-changes.yml (its
        `position`), with a link to the change's entry and sources: one
        source of truth for a position that several pages rely on."""
        found = project()
        changes = {c.id for c in (found.law.changes.changes if found.law.changes else []) if c.position}
        if len(ids) != 1 or ids[0] not in changes:
            raise ValueError(f"law_change{tuple(ids)} names no change with a position in law-changes.yml")
        return render.law_change_statement(found, ids[0], page_uri())


def page_macros(env) -> dict:
    """The macros pages may call: those this module registered with the
    plugin ({name: function}, in the order registered). The plugin's own
    (`now`, `context`, `macros_info`, `fix_url`) are left out: they are for
    Jinja templates, which this site does not run."""
    return {name: function for name, function in env.macros.items() if getattr(function, "__module__", None) == __name__}


class Registry:
    """What define_env uses of the plugin, for calling a macro outside a
    build (tests/bench.py writes the macros out for a plain Material build).
    In a build the plugin itself is the registry."""

    def __init__(self, project_dir: str = "", page_uri: str = ""):
        self.macros: dict = {}
        self.variables: dict = {}
        self.project_dir = project_dir
        self.page = SimpleNamespace(file=SimpleNamespace(src_uri=page_uri))

    def macro(self, function, name: str = ""):
        self.macros[name or function.__name__] = function
        return function


def macro_names() -> tuple[str, ...]:
    """The names of the macros pages may call, as define_env registers them
    (for a parse outside a build, where there is no plugin)."""
    registry = Registry()
    define_env(registry)
    return tuple(page_macros(registry))


def expand(project, name: str, args: list[str], page_uri: str) -> str:
    """The Markdown for one call on the page `page_uri` (a docs path), outside
    a build: the macro define_env registers under `name`, called with `args`.

    Raises ValueError for an unknown macro, item, case study or table."""
    registry = Registry(str(project.root), page_uri)
    define_env(registry)
    macro = page_macros(registry).get(name)
    if macro is None:
        raise ValueError(f"there is no macro called '{name}'")
    return macro(*args)
