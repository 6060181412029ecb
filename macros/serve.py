"""The editor loop (`make serve`): report problems in the browser, never hang.

`mkdocs serve` holds every request while a build fails, so under serve the
checks must not fail the build. Instead, when the sources have errors, every
page is replaced by an error page that lists them (file, line, code, problem
and fix); once they are fixed, the next rebuild publishes the pages again and
the browser reloads by itself. `make build` and `make check` still fail closed.

Serve mode is switched on by the hooks' on_startup (MkDocs passes
command="serve"), through the environment variable GUIDANCE_SERVE so that
every part of the process sees it.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os

FLAG = "GUIDANCE_SERVE"


def serving() -> bool:
    return os.environ.get(FLAG) == "1"


def error_page(problems) -> str:
    """Markdown (with one raw HTML list) for a page that lists the problems.
    `problems` are checks.Problem objects; the text is escaped, so a message
    quoting a macro or a tag is shown, never run."""
    count = len(problems)
    items = "\n".join(
        f'<li><strong>{html.escape(str(p.location))}</strong>: [{html.escape(p.code)}] '
        f"{html.escape(p.message)}.<br>Fix: {html.escape(p.fix)}.</li>"
        for p in problems
    )
    noun = "problem" if count == 1 else "problems"
    return (
        f"# The guidance has {count} {noun} to fix\n\n"
        f"`make serve` shows this page instead of the guidance until {'it is' if count == 1 else 'they are'} fixed.\n"
        "Each line gives the file and line, what is wrong and how to fix it.\n"
        "Save the fix: this page reloads by itself.\n\n"
        f'<ol class="serve-problems">\n{items}\n</ol>\n'
    )


def warnings_banner(messages: list[str]) -> str:
    """HTML for a banner listing build warnings (for example a link that the
    checks did not catch), put at the top of every page under serve."""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in messages)
    return (
        '<div class="serve-warnings admonition warning" role="alert">'
        '<p class="admonition-title">The build reported problems: <code>make build</code> would fail</p>'
        f"<ul>{items}</ul></div>"
    )


def allow_livereload(page: bytes) -> bytes:
    """Let the page's content security policy run the reload script that
    `mkdocs serve` appends to every page it serves (an inline script that
    differs on every request, so no build-time hash can allow it): add that
    script's own hash to script-src. Without it the browser blocks the script
    and a page never reloads after a save. Pages without a policy, or without
    an appended script, are returned unchanged."""
    end = page.rfind(b"</script>")
    start = page.rfind(b"<script>", 0, end)
    if start == -1 or end == -1 or b"livereload" not in page[start:end]:
        return page
    digest = base64.b64encode(hashlib.sha256(page[start + len(b"<script>"):end]).digest())
    return page.replace(b"script-src 'self'", b"script-src 'self' 'sha256-" + digest + b"'", 1)


class TemplateCache:
    """Jinja's compiled templates kept from one rebuild to the next under
    `make serve`. MkDocs makes a new Jinja environment for every rebuild, so
    without this every theme template (Material's and overrides/) is compiled
    again after each save. Jinja checks each stored entry against a checksum
    of the template's source and compiles afresh when the source changed, so
    a saved template is never served stale; entries are also kept apart by
    the environment's settings, so code compiled under other settings is
    never reused. The pages are what a fresh compile gives: the compiled code
    is the same, only not made again (tests/test_serve.py compares them)."""

    def __init__(self):
        from jinja2 import BytecodeCache

        store: dict = {}

        class _Cache(BytecodeCache):
            def load_bytecode(self, bucket):
                data = store.get((self.settings, bucket.key))
                if data is not None:
                    bucket.bytecode_from_string(data)

            def dump_bytecode(self, bucket):
                store[(self.settings, bucket.key)] = bucket.bytecode_to_string()

        self._cache = _Cache()
        self.store = store

    def attach(self, env) -> None:
        """Use the kept compiled templates in `env` (a new environment)."""
        self._cache.settings = (
            env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
            env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
            env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
            tuple(sorted(env.extensions)), env.optimized, env.finalize is not None, bool(env.autoescape),
            env.undefined, env.is_async,
        )
        env.bytecode_cache = self._cache


class SearchEntryCache:
    """The search index's entries for each page kept from one rebuild to the
    next under `make serve`. Material's search plugin reads every page's HTML
    again after each save to cut it into sections; its entries depend only on
    what the key below holds (the page's HTML, address, titles, contents
    list, tags and search settings), so a page whose key is unchanged gets a
    copy of the entries it had, and any other page is read afresh. Only the
    entries of the latest rebuild are kept."""

    def __init__(self):
        self.kept: dict = {}
        self.used: dict = {}

    @staticmethod
    def key(page) -> tuple:
        meta = page.meta or {}
        return (page.content, page.url, str(page.title), repr(meta.get("title")), repr(meta.get("tags")),
                repr(meta.get("search")), _toc_key(page.toc))

    def wrap(self, index_class) -> None:
        """Route index_class.add_entry_from_context through the kept entries
        (once; the wrapper reads this cache's current instance)."""
        import copy

        original = getattr(index_class.add_entry_from_context, "__wrapped__", index_class.add_entry_from_context)
        cache = self

        def add_entry_from_context(index, page):
            key = cache.key(page)
            entries = cache.kept.get(key)
            if entries is None:
                start = len(index.entries)
                original(index, page)
                entries = copy.deepcopy(index.entries[start:])
            else:
                index.entries.extend(copy.deepcopy(entries))
            cache.used[key] = entries

        add_entry_from_context.__wrapped__ = original
        index_class.add_entry_from_context = add_entry_from_context

    def new_build(self) -> None:
        """A rebuild starts: keep what the last one used, forget the rest."""
        if self.used:
            self.kept, self.used = self.used, {}


def _toc_key(toc) -> tuple:
    return tuple((item.id, item.url, item.title, _toc_key(item.children)) for item in toc or ())
