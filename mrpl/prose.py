"""Light markup inside text values, parsed into `ast.Prose`.

    Paragraphs are separated by blank lines; lines of one paragraph are joined.
    - a bullet item            (also "• item")
    1. a numbered item         (write "1\\. kvartal" for a paragraph starting so)
      - a list nested in the item above: its markers indented deeper than the item's
    *emphasis*  **strong**  __underline__  [^1] footnote  {{styrelse}} placeholder
    A backslash makes the next character literal: \\*  \\_  \\[  \\{  \\\\

`to_markup` writes a `Prose` back so that parsing gives the same tree (the
formatter relies on this).
"""

from __future__ import annotations

import re

from mrpl.ast import (
    NO_SPAN,
    Block,
    BulletList,
    Emphasis,
    FootnoteRef,
    Inline,
    ListItem,
    NumberedList,
    Paragraph,
    Placeholder,
    Prose,
    Span,
    Strong,
    Text,
    Underline,
)
from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead
from mrpl.scanners import compile_ahead

_BULLET = compile_ahead(r"^[ \t]*(?:[-•]|\*(?=[ \t]))[ \t]+(.*)$")
_NUMBERED = compile_ahead(r"^[ \t]*(\d+)\.[ \t]+(.*)$")


_MARKUP_CHARS = compile_ahead(r"[\n\\*_\[{]")
_LIST_START = compile_ahead(r"[ \t]*(?:[-•*]|\d)")


def parse_prose(text: str, span: Span = NO_SPAN) -> Prose:
    if _MARKUP_CHARS.search(text) is None and _LIST_START.match(text) is None:
        # Most texts are one plain line: one paragraph of one Text, as the full reading gives.
        plain = text.strip()
        return Prose((Paragraph((Text(plain, span),), span),) if plain else (), span)
    return read_blocks(text, span)


@dataclass(slots=True)
class _Entry:
    """One list item as read: its indent, kind, number and text (continuation lines joined)."""

    indent: int
    kind: str  # "bullet" | "numbered"
    number: int
    text: str


def read_blocks(text: str, span: Span = NO_SPAN) -> Prose:
    """The full reading of `text`: paragraphs, lists (nested by indent) and inline markup."""
    blocks: list[Block] = []
    para: list[str] = []
    entries: list[_Entry] = []

    def flush_para() -> None:
        if para:
            blocks.append(Paragraph(parse_inlines(" ".join(para), span), span))
            para.clear()

    def flush_list() -> None:
        if entries:
            blocks.extend(_lists(entries, 0, -1, span)[0])
            entries.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            flush_para()
            flush_list()
            continue
        bullet, numbered = _BULLET.match(raw), _NUMBERED.match(raw)
        if bullet or numbered:
            flush_para()
            indent = _indent(raw)
            if bullet:
                entries.append(_Entry(indent, "bullet", 0, bullet.group(1).strip()))
            else:
                assert numbered is not None
                entries.append(_Entry(indent, "numbered", int(numbered.group(1)), numbered.group(2).strip()))
        elif entries and raw[:1] in (" ", "\t"):
            entries[-1].text += " " + line  # an indented line continues the list item
        else:
            flush_list()
            para.append(line)
    flush_para()
    flush_list()
    return Prose(tuple(blocks), span)


def _indent(raw: str) -> int:
    """The width of a line's indent (a tab counts as four spaces)."""
    return len(raw) - len(raw.lstrip(" \t")) + 3 * raw[: len(raw) - len(raw.lstrip(" \t"))].count("\t")


def _lists(entries: list[_Entry], pos: int, parent: int, span: Span) -> tuple[list[BulletList | NumberedList], int]:
    """The lists from `entries[pos]` on that are indented deeper than `parent`.

    Consecutive items of one kind at one indent make a list; an item indented
    deeper than the one before it opens a list nested in that item; a change of
    kind at the same indent starts a new list (as a change of kind does at the top).
    """
    lists: list[BulletList | NumberedList] = []
    while pos < len(entries) and entries[pos].indent > parent:
        first = entries[pos]
        items: list[ListItem] = []
        while pos < len(entries) and entries[pos].kind == first.kind and entries[pos].indent == first.indent:
            entry = entries[pos]
            nested, pos = _lists(entries, pos + 1, entry.indent, span)
            items.append(ListItem(parse_inlines(entry.text, span), span, tuple(nested)))
        done = tuple(items)
        lists.append(BulletList(done, span) if first.kind == "bullet" else NumberedList(first.number, done, span))
    return lists, pos


_INLINE = compile_ahead(r"\\(.)|(\*\*)|(__)|(\*)|\[\^([^\]\s]+)\]|\{\{\s*([A-Za-zæøåÆØÅ_][\wæøåÆØÅ]*)\s*\}\}", re.S)


def parse_inlines(text: str, span: Span = NO_SPAN) -> tuple[Inline, ...]:
    nodes, _ = _parse_until(text, 0, None, span)
    return nodes


def _parse_until(text: str, pos: int, closer: str | None, span: Span) -> tuple[tuple[Inline, ...], int]:
    """Parse inlines from `pos` until `closer` ("**", "__", "*") or the end.

    Returns the nodes and the position after the closer; an opener without
    its closer is literal text.
    """
    out: list[Inline] = []
    buf: list[str] = []

    def flush() -> None:
        value = "".join(buf)
        buf.clear()
        if value:  # no empty Text before a leading mark: `*a* b` is (Emphasis, Text)
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].value + value, span)
            else:
                out.append(Text(value, span))

    while pos < len(text):
        m = _INLINE.search(text, pos)
        if m is None:
            buf.append(text[pos:])
            pos = len(text)
            break
        buf.append(text[pos : m.start()])
        pos = m.end()
        escaped, strong, under, emph, foot, place = m.groups()
        marker = strong or under or emph
        if escaped is not None:
            buf.append(escaped)
        elif marker is not None and marker == closer:
            flush()
            return tuple(out), pos
        elif marker is not None:
            inner, after = _parse_until(text, pos, marker, span)
            if after < 0:  # never closed: the marker is literal
                buf.append(marker)
                continue
            flush()
            kind = {"**": Strong, "__": Underline, "*": Emphasis}[marker]
            out.append(kind(inner, span))
            pos = after
        elif foot is not None:
            flush()
            out.append(FootnoteRef(foot, span))
        else:
            flush()
            out.append(Placeholder(place, span))
    flush()
    if closer is not None:
        return tuple(out), -1
    return tuple(out), pos


# --------------------------------------------------------------------------
# Writing markup back

_SPECIAL = compile_ahead(r"([\\*_\[{])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def inline_markup(inlines: tuple[Inline, ...]) -> str:
    out = []
    for node in inlines:
        match node:
            case Text(value=value):
                out.append(_escape(value))
            case Strong(children=c):
                out.append("**" + inline_markup(c) + "**")
            case Underline(children=c):
                out.append("__" + inline_markup(c) + "__")
            case Emphasis(children=c):
                out.append("*" + inline_markup(c) + "*")
            case FootnoteRef(label=label):
                out.append(f"[^{label}]")
            case Placeholder(name=name):
                out.append("{{" + name + "}}")
    return "".join(out)


def _line_start_safe(text: str) -> str:
    """Escape what would turn a paragraph line into a list item."""
    if re.match(r"^(\d+)\.[ \t]", text):
        return re.sub(r"^(\d+)\.", r"\1\\.", text)
    if re.match(r"^[-•][ \t]", text):
        return "\\" + text
    return text


def to_markup(prose: Prose) -> str:
    """Markup text that `parse_prose` reads back to an equal `Prose`."""
    parts = []
    for block in prose.blocks:
        match block:
            case Paragraph(inlines=inlines):
                parts.append(_line_start_safe(inline_markup(inlines)))
            case BulletList() | NumberedList():
                parts.append("\n".join(_list_lines(block, "")))
    return "\n\n".join(parts)


def _list_lines(block: BulletList | NumberedList, indent: str) -> list[str]:
    """A list's lines; a nested list is indented under its item's text."""
    lines: list[str] = []
    for n, item in enumerate(block.items):
        marker = "- " if isinstance(block, BulletList) else f"{block.start + n}. "
        lines.append(indent + marker + inline_markup(item.inlines))
        for child in item.children:
            lines.extend(_list_lines(child, indent + " " * len(marker)))
    return lines
