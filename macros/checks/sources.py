"""Checks on the source files as files, before anything parses them: the
encoding, and snippet lines (which pymdownx.snippets would expand before
any other parsing).

Both run first in a build (on_config), so a file that MkDocs or the Markdown
pipeline cannot read stops the build with its file and line, never with a
traceback.
"""

from __future__ import annotations

from pymdownx.snippets import SnippetPreprocessor

from ..model import Problem
from ..project import Project
from .catalogue import problem

UTF8_FIX = "Save the file as UTF-8 (in most editors: Save As, Encoding, UTF-8)"


def check_encoding(project: Project) -> list[Problem]:
    """`wrong-encoding`: each source file that is not UTF-8, at the line of its
    first byte that cannot be read (load.read_source recorded them)."""
    return [
        problem("wrong-encoding", path, line,
                f"the file is not saved as UTF-8: byte 0x{byte:02X} cannot be read"
                + (" (probably a curly quote, dash or ellipsis saved as Windows-1252)" if 0x80 <= byte <= 0x9F else ""),
                UTF8_FIX)
        for path, line, byte in project.not_utf8
    ]


def snippet_lines(text: str, first_line: int = 1):
    """(line number, line, what the build would do with it) of each line that
    pymdownx.snippets treats as its notation: a snippet (`--8<-- "file.md"`),
    a block marker (`--8<--`), a section marker (`--8<-- [start:name]`), or
    one of these escaped with `;` (published without the `;`, so not as
    written). The patterns are pymdownx.snippets' own. It expands them before
    any other parsing, so inside code blocks too. `text` starts at line
    `first_line`."""
    for number, line in enumerate(text.splitlines(), first_line):
        if "8<-" not in line:
            continue
        whole = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line)
        section = None if whole else SnippetPreprocessor.RE_SNIPPET_SECTION.match(line)
        if (whole or section) and (whole or section).group("escape"):
            yield number, line, "it is snippet notation escaped with ';', which the build publishes without the ';'"
        elif whole and whole.group("inline_marker"):
            yield number, line, "it is a snippet line: the build would paste another file in here, even inside a code block"
        elif whole:
            yield number, line, "it starts or ends a block of snippet lines: the build would paste in the files listed, even inside a code block"
        elif section:
            yield number, line, "it holds a snippet section marker, which the build removes from the page"


def check_snippets(project: Project) -> list[Problem]:
    """`snippet`: snippet notation in a guidance page or a case study. The
    build would paste another file in at that line (its problems then
    reported against the wrong file), stop with a traceback if there is no
    such file, or publish the line other than as written. The site's only
    snippet is the abbreviations file, which mkdocs.yml appends to every
    page (`auto_append`)."""
    out = []
    for page in project.pages + project.case_studies:
        body = page.text.splitlines()[page.body_start - 1:]
        for number, line, why in snippet_lines("\n".join(body), page.body_start):
            out.append(problem("snippet", page.path, number, f"'{line.strip()}': {why}",
                               "Remove the snippet notation (--8<--); link to the other page instead, or write the text out"))
    return out
