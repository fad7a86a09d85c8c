"""The source formatter: a plan's own words, laid out in one canonical way.

Canonical only where layout carries no meaning:
- indentation: two spaces a block level; a text block's (`\"\"\"`) lines one level below
  its statement, its closing quotes at the statement's level;
- spacing: one space between words, none before `:`, one each side of `|`; the rows of
  a table (consecutive rows of amounts with the same number of `|`) aligned in columns;
- one statement a line: a `;` becomes a line break, except in a block written on one
  line (`{ titel "Direktør"; sted "København" }` stays so, as prettier keeps an object
  the author wrote on one line);
- blank lines: at most one in a row, none at the start or end of a block.
Everything else is the author's: the order of statements, the keyword spellings and
unit words (`total 100 point`, `inden for 1 dag`), how dates are written, the line
breaks inside texts (prettier's `proseWrap: preserve`; `wrap=N` refills paragraphs),
and every comment where it stands.

It reads the source's tokens rather than the syntax tree, so it lays out every
construct of the grammar, including ones added later, without being taught them.
The caller (`mrpl.fmt.format_source`) checks the result means the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

INDENT = "  "


class LayoutError(Exception):
    """The text could not be read as a plan's statements (it has syntax errors)."""


# --------------------------------------------------------------------------
# Tokens

_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n\r]|\\.)*")'  # as grammar/mrpl.lark's STRING
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<newline>\r?\n)"
    r"|(?P<semi>;)"
    r"|(?P<open>\{)"
    r"|(?P<close>\})"
    r"|(?P<blank>[ \t\f]+)"
    r'|(?P<word>[|:]|[^ \t\f\r\n"#{};|:]+)'
    r"|(?P<other>.)",  # an unclosed quote (only in text that does not parse)
    re.S,
)


def _tokens(source: str) -> Iterator[tuple[str, str]]:
    for kind, text, _ in positioned_tokens(source):
        yield kind, text


def positioned_tokens(source: str, start: int = 0) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) of every token but blanks from `start` (a token's start):
    string, comment, newline, semi, open, close, word, other."""
    pos = 1 if start == 0 and source.startswith("\ufeff") else start  # a byte order mark is not kept
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:
            raise LayoutError(f"cannot read the text at offset {pos}")
        if m.lastgroup != "blank":
            yield m.lastgroup or "", m.group(), pos
        pos = m.end()


# --------------------------------------------------------------------------
# Statements and blocks, as written


@dataclass(slots=True)
class _Statement:
    parts: list[str] = field(default_factory=list)  # words and strings
    block: _Block | None = None
    comment: str | None = None  # at the end of the statement's (last) line
    blank_before: bool = False


@dataclass(slots=True)
class _Note:
    """A comment on a line of its own."""

    text: str
    blank_before: bool = False


@dataclass(slots=True)
class _Block:
    items: list[_Statement | _Note] = field(default_factory=list)
    one_line: bool = False  # written on one line: `{ a; b }`
    head_comment: str | None = None  # after the opening brace


class _Reader:
    def __init__(self, source: str) -> None:
        self.tokens = list(_tokens(source))
        self.i = 0

    def file(self) -> _Block:
        block = self.block(top=True)
        if self.i < len(self.tokens):
            raise LayoutError("a `}` closes no block")
        return block

    def block(self, top: bool = False) -> _Block:
        block = _Block()
        current: _Statement | None = None  # the statement being read
        last_on_line: _Statement | None = None  # the last statement ended on this line by `;`
        breaks = 0  # line breaks since the last token
        opening_line = not top
        has_break = False
        while self.i < len(self.tokens):
            kind, text = self.tokens[self.i]
            self.i += 1
            if kind == "other":
                raise LayoutError(f"cannot read {text!r}")
            if kind == "newline":
                breaks += 1
                has_break = True
                current = last_on_line = None
                opening_line = False
                continue
            if kind == "close":
                if top:
                    self.i -= 1
                    return block
                block.one_line = not has_break
                return block
            if kind == "semi":
                last_on_line, current = current or last_on_line, None
                continue
            blank = breaks >= 2 and bool(block.items)
            breaks = 0
            if kind == "comment":
                if current is not None or last_on_line is not None:
                    (current or last_on_line).comment = text  # type: ignore[union-attr]
                elif opening_line and not block.items:
                    block.head_comment = text
                else:
                    block.items.append(_Note(text, blank))
                has_break = True  # a comment runs to the end of its line
                continue
            if current is None:
                current = _Statement(blank_before=blank)
                block.items.append(current)
            if kind == "open":
                if not current.parts or current.block is not None:
                    raise LayoutError("a block opens without a statement")
                current.block = self.block()
                if self.i > len(self.tokens) or self.tokens[self.i - 1][0] != "close":
                    raise LayoutError("a block is not closed")
                has_break = has_break or not current.block.one_line
            else:
                current.parts.append(text)
                has_break = has_break or "\n" in text
        if not top:
            raise LayoutError("a block is not closed")
        return block


# --------------------------------------------------------------------------
# Printing


class _Printer:
    def __init__(self, wrap: int | None) -> None:
        self.wrap = wrap
        self.out: list[str] = []

    def block(self, block: _Block, depth: int) -> None:
        items = block.items
        widths = _table_widths(items)
        for n, item in enumerate(items):
            if item.blank_before and n > 0:
                self.out.append("")
            if isinstance(item, _Note):
                self.out.append(INDENT * depth + item.text)
            else:
                self.statement(item, depth, widths.get(n))

    def statement(self, s: _Statement, depth: int, widths: list[int] | None) -> None:
        pad = INDENT * depth
        lines = self.head(s.parts, depth, widths).split("\n")
        lines[0] = pad + lines[0]
        if s.block is not None and (s.block.one_line or not _has_content(s.block)):
            lines[-1] += " " + _one_line_block(s.block)
        elif s.block is not None:
            lines[-1] += " {" + (f"  {s.block.head_comment}" if s.block.head_comment else "")
            self.out += lines
            self.block(s.block, depth + 1)
            lines = [pad + "}"]
        if s.comment:
            lines[-1] += "  " + s.comment
        self.out += lines

    def head(self, parts: list[str], depth: int, widths: list[int] | None) -> str:
        if widths is not None:
            return _table_row(parts, widths)
        text = ""
        for part in parts:
            if part.startswith('"""'):
                part = _text_block(part, depth, self.wrap)
            text = part if not text else text + part if part == ":" else text + " " + part
        return text


def _has_content(block: _Block) -> bool:
    return bool(block.items) or block.head_comment is not None


def _one_line_block(block: _Block) -> str:
    if not block.items:
        return "{}"
    inner = "; ".join(_one_line_statement(s) for s in block.items if isinstance(s, _Statement))
    return "{ " + inner + " }"


def _one_line_statement(s: _Statement) -> str:
    text = _Printer(None).head(s.parts, 0, None)
    return text if s.block is None else text + " " + _one_line_block(s.block)


# ---- tables: rows of `|`-separated cells


def _cells(parts: list[str]) -> list[str]:
    cells: list[list[str]] = [[]]
    for part in parts:
        if part == "|":
            cells.append([])
        else:
            cells[-1].append(part)
    return [" ".join(c) for c in cells]


def _table_widths(items: list[_Statement | _Note]) -> dict[int, list[int]]:
    """Column widths for each run of two or more consecutive rows of amounts with the same
    number of `|` (a budget's total and rows), by the index of the statement."""
    out: dict[int, list[int]] = {}
    run: list[int] = []

    def close() -> None:
        if len(run) >= 2:
            rows = [_cells(items[n].parts) for n in run]  # type: ignore[union-attr]
            widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
            out.update((n, widths) for n in run)
        run.clear()

    columns = -1
    for n, item in enumerate(items):
        bars = item.parts.count("|") if isinstance(item, _Statement) and item.block is None else 0
        tabular = bars > 0 and all(_AMOUNT.fullmatch(c) for c in _cells(item.parts)[1:])  # type: ignore[union-attr]
        if not tabular or bars != columns or item.blank_before:
            close()
        if tabular:
            run.append(n)
        columns = bars if tabular else -1
    close()
    return out


_AMOUNT = re.compile(r"-?[\d.,]+|-")


def _table_row(parts: list[str], widths: list[int]) -> str:
    cells = _cells(parts)
    out = [cells[0].ljust(widths[0])]
    for cell, width in zip(cells[1:], widths[1:], strict=True):
        out.append(cell.rjust(width) if _AMOUNT.fullmatch(cell) else cell.ljust(width))
    return " | ".join(out).rstrip()


# ---- text blocks


def block_lines(token: str) -> list[str]:
    """The lines of a `\"\"\"` text as the parser reads them (mrpl.parse._dedent_block),
    still escaped as written."""
    body = token[3:-3].replace("\r\n", "\n").replace("\t", "    ")
    lines = body.split("\n")
    if lines and not lines[0].strip():
        lines = lines[1:]
    cut = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    text = "\n".join(line[cut:] for line in lines).strip("\n")
    out = [line.rstrip() for line in text.split("\n")]
    # The closing quotes' own indentation, when a line above is indented less, is a line of
    # blanks: dropped, as the parser's text does not end in a blank line.
    while len(out) > 1 and not out[-1]:
        out.pop()
    return out


def _text_block(token: str, depth: int, wrap: int | None) -> str:
    lines = block_lines(token)
    if wrap is not None:
        lines = refill(lines, max(wrap - len(INDENT) * (depth + 1), 20))
    inner = INDENT * (depth + 1)
    body = "\n".join(inner + line if line else "" for line in lines)
    return '"""\n' + body + "\n" + INDENT * depth + '"""'


_ITEM = re.compile(r"(?:[-•]|\*(?=[ \t])|\d+\.)[ \t]+")  # as mrpl.prose's list items
_MARKER_WORD = re.compile(r"[-•*]|\d+\.")  # would start a list item at the start of a line
_SPACE = re.compile(r"(?<=\S) (?=\S)")  # the parser joins a paragraph's lines with one space


def refill(lines: list[str], width: int) -> list[str]:
    """Paragraphs and list items refilled to `width` columns. Breaks only at single
    spaces, where the parser puts one back, and never so that a line would start
    with a list marker."""
    out: list[str] = []
    unit: list[str] = []  # words of the paragraph or item being read
    first = rest = ""  # its first line's prefix and its continuation lines' indent
    in_item = False

    def flush() -> None:
        if unit:
            out.extend(_fill(unit, width, first, rest))
            unit.clear()

    for line in lines:
        item = _ITEM.match(line)
        if not line.strip():
            flush()
            out.append("")
            in_item = False
        elif item:
            flush()
            first, rest, in_item = item.group(), " " * len(item.group()), True
            unit.extend(_SPACE.split(line[item.end() :].strip()))
        elif in_item and line[:1] == " ":
            unit.extend(_SPACE.split(line.strip()))
        else:
            if in_item or not unit:
                flush()
                first = rest = ""
            in_item = False
            unit.extend(_SPACE.split(line.strip()))
    flush()
    return out


def _fill(words: list[str], width: int, first: str, rest: str) -> list[str]:
    lines = [first + words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= width or _MARKER_WORD.fullmatch(word.split(" ")[0]):
            lines[-1] += " " + word
        else:
            lines.append(rest + word)
    return lines


# --------------------------------------------------------------------------
# Public API


def lay_out(source: str, wrap: int | None = None) -> str:
    """The source in canonical layout. Raises LayoutError on text that is not a plan's
    statements (the caller formats only files that parse)."""
    printer = _Printer(wrap)
    printer.block(_Reader(source).file(), 0)
    while printer.out and printer.out[-1] == "":
        printer.out.pop()
    return "\n".join(printer.out) + "\n" if printer.out else ""
