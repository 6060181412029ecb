"""The layout of macros/ shows the design: no module imports, even inside a
function, anything that imports it back (no import circle), and the check
modules take problem() from checks/catalogue.py, never from the package's
__init__ (which imports them)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.sites import PROJECT

PACKAGE = PROJECT / "macros"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path) -> set[str]:
    """The modules of macros/ that `name` imports anywhere in its file (at
    the top or inside a function): `from . import x` counts as importing x
    when x is a module, else as importing the package itself."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source not in MODULES:
                continue
            for alias in node.names:
                child = f"{source}.{alias.name}"
                found.add(child if child in MODULES else source)
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _circle() -> list[str] | None:
    """One import circle, as the list of modules round it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name):
        state[name] = 1
        stack.append(name)
        for other in sorted(GRAPH[name]):
            if state.get(other) == 1:
                return stack[stack.index(other):] + [other]
            if other not in state:
                found = visit(other)
                if found:
                    return found
        stack.pop()
        state[name] = 2
        return None

    for name in sorted(GRAPH):
        if name not in state:
            found = visit(name)
            if found:
                return found
    return None


def test_the_import_graph_finds_what_it_should():
    """The graph is read right (a test of the test): the stage imports the
    checks, the package's __init__ takes define_env from main.py."""
    assert "macros.checks" in GRAPH["macros.stage"]
    assert "macros.main" in GRAPH["macros"]
    assert "macros.checks.catalogue" in GRAPH["macros.checks.register"]
    assert len(MODULES) > 25


def test_there_is_no_import_circle():
    assert _circle() is None, " -> ".join(_circle())


def test_the_index_does_not_import_the_checking_stage():
    """project.py is below the checks and the stage: it imports neither."""
    reachable, todo = set(), ["macros.project"]
    while todo:
        for other in GRAPH[todo.pop()]:
            if other not in reachable:
                reachable.add(other)
                todo.append(other)
    assert not {m for m in reachable if m == "macros.stage" or m.startswith("macros.checks")}, reachable


def test_the_check_modules_never_import_from_their_package_init():
    for name in GRAPH:
        if name.startswith("macros.checks."):
            assert "macros.checks" not in GRAPH[name], f"{name} imports from macros/checks/__init__.py"


def test_the_mkdocs_macros_entry_point_is_the_package():
    """mkdocs.yml's `module_name: macros` makes the plugin import the package
    and call its define_env."""
    import macros
    from macros import main

    assert macros.define_env is main.define_env
