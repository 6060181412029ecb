"""Markdown that the parser reads other than it was written, found in the one
parse (issue 23): with every other check green, the reader would get
something else than the editor wrote.

- A table with no blank line before it: the parser keeps it in the paragraph
  above, so readers see a paragraph of pipes. Found by asking the tables
  extension's own test whether the rest of a paragraph is a table.
- A table row with more cells than its header (the parser drops the extra
  cells without a word) or fewer (it publishes empty cells). Found by
  wrapping the tables extension's own run, which counts each row's cells
  with its own splitter.
- A box (`!!! note`, `??? note`) whose body is not indented four spaces: the
  parser publishes an empty box and the text outside it.
- Box markers left as text (`!!! tip "..."` in a list item with no blank
  line before it, or a marker the extension does not read).

- A web address typed in a sentence (https://..., www....): published as
  plain text, not a link (guidance pages; in a case study an address is
  personal data, which check_personal_data reports).

`install(md, ext)` wraps the table processor; `scan(md, root, facts, lines)`
runs in the facts treeprocessor. Both only record (line, code, message,
fix) in `facts.markdown_faults`; macros/checks/markdown.py reports them.
"""

from __future__ import annotations

import re

ADDRESS = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)]", re.I)
NOT_TEXT = ("a", "code", "pre", "script", "style")
BOX_MARKER = re.compile(r"^(!!!|\?\?\?\+?)\s*[\w-]+(\s+\"[^\"]*\")?\s*$")
# A box's first line in the source, with its indent, kind and title.
BOX_LINE = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]*(?P<kind>[\w-]+)(?:[ \t]+\"(?P<title>[^\"]*)\")?[ \t]*$")
# The line of dashes under a table's header: cells of dashes (and colons),
# with at least one pipe.
DASHES = re.compile(r"^(?=.*\|)(?=.*-)[|:\- \t]+$")


def install(md, ext) -> None:
    """Record, for each table the parser builds, each row whose number of
    cells (by the extension's own splitter) differs from its header's."""
    if "table" not in md.parser.blockprocessors:
        return
    table = md.parser.blockprocessors["table"]
    original = table.run

    def run(parent, blocks):
        facts, lines = ext.current, ext.lines
        if facts is not None and lines is not None and blocks:
            rows = blocks[0].split("\n")
            width = len(table.separator)
            for row in rows[2:]:
                cells = len(table._split_row(row.strip(" ")))
                if cells != width:
                    line = lines.locate(row.strip(), "table-row") or 1
                    if cells > width:
                        message = (f"this table row has {cells} cells but its header has {width}, "
                                   f"so readers would not see the last {cells - width}")
                        fix = "Give every row as many cells as the header: add a column to the header, or merge the extra cells into one"
                    else:
                        message = (f"this table row has {cells} cell(s) but its header has {width}, "
                                   "so readers would see empty cells")
                        fix = "Give every row as many cells as the header (write 'None' or '-' where a cell is empty on purpose)"
                    facts.markdown_faults.append((line, "table-syntax", message, fix))
        return original(parent, blocks)

    table.run = run


def _text(element) -> str:
    return "".join(element.itertext())


def _bare_addresses(element, facts, lines, inside: bool = False) -> None:
    """Web addresses in text that is not a link or code, as published."""
    skip = inside or element.tag in NOT_TEXT
    texts = [] if skip else [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            _bare_addresses(child, facts, lines, skip)
        if not skip:
            texts.append(child.tail or "")
    for text in texts:
        for match in ADDRESS.finditer(text):
            address = match.group(0)
            line = lines.locate(address, "bare-address") or 1
            facts.markdown_faults.append((
                line, "bare-address", f"'{address}' is published as plain text, not as a link",
                f"Write it as a link, <https://{address.split('://', 1)[-1]}> or [what it is](https://{address.split('://', 1)[-1]})"))


def scan(md, root, facts, lines) -> None:
    """Paragraphs that hold a table or box markers, boxes left empty, and
    web addresses typed as text on guidance pages."""
    if not facts.uri.startswith("case-studies/"):
        _bare_addresses(root, facts, lines)
    table = md.parser.blockprocessors["table"] if "table" in md.parser.blockprocessors else None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("p", "li"):
            # A tight list item holds its text itself, not in a paragraph.
            rows = (_text(element) if element.tag == "p" else (element.text or "")).split("\n")
            for i, row in enumerate(rows):
                stripped = row.strip()
                if BOX_MARKER.match(stripped):
                    line = lines.locate(stripped, "box-marker") or 1
                    facts.markdown_faults.append((
                        line, "box-syntax", f"'{stripped}' is published as text, not as a box",
                        "Put a blank line before it (in a list item too), and indent the box's text four spaces under it"))
                    break
                if table is not None and i + 1 < len(rows) and "|" in row and table.test(None, "\n".join(r.strip() for r in rows[i:])):
                    line = lines.locate(stripped, "table-row") or 1
                    facts.markdown_faults.append((
                        line, "table-syntax", "this table is published as a paragraph of text with pipes, not as a table",
                        "Put a blank line before the table's header row"))
                    break
                if table is not None and i + 1 < len(rows) and "|" in row and DASHES.match(rows[i + 1].strip()):
                    # test() above set the table's border from this header.
                    header, dashes = len(table._split_row(stripped)), len(table._split_row(rows[i + 1].strip()))
                    if header > 1 and header != dashes:
                        line = lines.locate(stripped, "table-row") or 1
                        facts.markdown_faults.append((
                            line, "table-syntax",
                            f"this table's header has {header} cells but the line of dashes under it has {dashes}, so the "
                            "parser does not take it for a table: readers would see a paragraph of text with pipes",
                            f"Give the line of dashes one cell for each column of the header: |{'|'.join(['---'] * header)}|"))
                        break
        elif element.tag in ("div", "details") and "admonition" in (element.get("class") or "").split() or element.tag == "details":
            children = [c for c in element if isinstance(c.tag, str) and not (
                (c.tag == "p" and "admonition-title" in (c.get("class") or "")) or c.tag == "summary")]
            if not children and not (element.text or "").strip():
                title = element.find("p") if element.tag == "div" else element.find("summary")
                words = _text(title).strip() if title is not None else ""
                line = lines.locate(f'"{words}"', "box-marker") if words else None
                # A box with no title of its own shows its kind ("Warning"):
                # find its line by the kind.
                kinds = [c for c in (element.get("class") or "").split() if c != "admonition"]
                for marker in (("!!! ", "???+ ", "??? ") if line is None and kinds else ()):
                    line = lines.locate(marker + kinds[0], "box-marker")
                    if line is not None:
                        break
                facts.markdown_faults.append((
                    line or 1, "box-syntax", f"the box{f' {words!r}' if words else ''} is published empty: its text is not indented under it",
                    "Indent every line of the box's text four spaces under the !!! or ??? line"))
    _outside_their_box(facts, lines)


def _indent(text: str) -> int:
    """Columns of a line's leading spaces and tabs (a tab is four, as the
    parser counts it)."""
    lead = text[: len(text) - len(text.lstrip(" \t"))]
    return len(lead.expandtabs(4))


def _outside_their_box(facts, lines) -> None:
    """Text meant for a box that the parser published after it: below a box
    that has text of its own, a line indented one to three spaces more than
    the box's !!! line (after a blank line), or a line not indented four
    spaces straight after the box's text (no blank line: the box does not
    carry on as a paragraph does). A box left empty is reported as such
    above; a macro call indented two spaces, by macro-syntax."""
    source = lines.lines
    code = facts.code_lines
    reported = {line for line, code_, *_ in facts.markdown_faults if code_ == "box-syntax"}
    first = lines.skip
    for n in range(first, len(source)):
        number = n + lines.first
        match = BOX_LINE.match(source[n])
        if match is None or number in code or number in reported:
            continue
        indent = _indent(source[n])
        title = match.group("title") or match.group("kind").capitalize()
        j, body, blank = n + 1, False, False
        while j < len(source):
            text = source[j]
            if not text.strip():
                blank = True
            elif _indent(text) >= indent + 4:
                body, blank = True, False
            else:
                break
            j += 1
        if not body or j >= len(source) or j + lines.first in code:
            continue
        text = source[j]
        outdent = _indent(text) - indent
        stripped = text.strip()
        if stripped.startswith("{{<"):
            continue  # a macro call: macro-syntax says how to indent it
        if blank and 0 < outdent < 4:
            facts.markdown_faults.append((
                j + lines.first, "box-syntax",
                f"this text is indented {outdent} space(s) under the box '{title}', not four, so it is published after the box, not in it",
                "Indent it four spaces under the !!! or ??? line to keep it in the box; to put it after the box, remove the indent"))
        elif not blank and outdent < 4 and not stripped.startswith(("#", "!!!", "???")):
            facts.markdown_faults.append((
                j + lines.first, "box-syntax",
                f"this line follows the text of the box '{title}' but is not indented four spaces, so it is published after the box, not in it",
                "Indent it four spaces, like the box's other lines, to keep it in the box; to put it after the box, leave a blank line before it"))
