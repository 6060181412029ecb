"""The project's code, and the site's mkdocs-macros module.

mkdocs.yml enables mkdocs-macros-plugin with `module_name: macros`: the
plugin imports this package and calls its `define_env(env)`, which registers
the macros pages call (`addresses`, `case_study`, `offence_table`,
`penalty_table`; see main.py). The plugin renders no page itself
(`render_by_default: false`): the one Markdown parse (pipeline.py) finds the
calls and calls the functions the plugin holds, by name.

The rest of the package, by layer (each imports only from those above it):

    model.py, load.py, law.py   the data model, reading the sources
    project.py                  the traceability index
    render.py                   Markdown for the macros and the generated pages
    main.py                     define_env: the macros, thin functions over render.py
    pipeline.py, citations.py   our Markdown extensions (one parse)
    checks/                     pure checks that return every problem
    stage.py                    the build's checking stages, and `make check`
    hooks.py, cli.py, serve.py  MkDocs hooks, the command line, the editor loop
"""

from __future__ import annotations

from .main import define_env, expand  # noqa: F401  the mkdocs-macros entry point; expand() for use outside a build
from . import stage  # noqa: F401,E402  registers MkDocs' reading stage with project.load_project (see project.py)
