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
