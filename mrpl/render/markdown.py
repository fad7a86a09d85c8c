"""Markdown backend: CommonMark with GFM pipe tables.

Table cells hold only inline content, so a goal table has one row per
requirement and a cell's prose is flattened: paragraphs follow each other,
list items are introduced by "•" or their number. Everything else (strategy,
backgrounds, annex) keeps its full block structure.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from mrpl import ast as A
from mrpl.render.document import Document, GoalRow, Table
from mrpl.render.escape import markdown_text
from mrpl.render.jinja import environment

_BLANK_RUNS = re.compile(r"\n{3,}")


def _wrap(marker: str, inner: str) -> str:
    """Emphasis markers must touch non-space text: keep edge spaces outside."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def inlines(nodes: tuple[A.Inline, ...]) -> str:
    out: list[str] = []
    for node in nodes:
        match node:
            case A.Text(value=value):
                out.append(markdown_text(value))
            case A.Strong(children=c):
                out.append(_wrap("**", inlines(c)))
            case A.Emphasis(children=c) | A.Underline(children=c):
                out.append(_wrap("*", inlines(c)))
            case A.FootnoteRef(label=label):
                out.append(f"[^{markdown_text(label)}]")
            case A.Placeholder(name=name):
                out.append(markdown_text("{{" + name + "}}"))
    return "".join(out)


def prose(value: A.Prose) -> str:
    """Prose as Markdown blocks separated by blank lines."""
    parts: list[str] = []
    for block in value.blocks:
        match block:
            case A.Paragraph(inlines=nodes):
                parts.append(inlines(nodes))
            case A.BulletList() | A.NumberedList():
                parts.append("\n".join(_list_lines(block, "")))
    return "\n\n".join(parts)


def _marker(block: A.BulletList | A.NumberedList, n: int) -> str:
    return "- " if isinstance(block, A.BulletList) else f"{block.start + n}. "


def _list_lines(block: A.BulletList | A.NumberedList, indent: str) -> list[str]:
    """A list's lines; a nested list is indented to its item's text, as CommonMark wants."""
    lines: list[str] = []
    for n, item in enumerate(block.items):
        marker = _marker(block, n)
        lines.append(indent + marker + inlines(item.inlines))
        for child in item.children:
            lines.extend(_list_lines(child, indent + " " * len(marker)))
    return lines


def _cell_items(block: A.BulletList | A.NumberedList, depth: int) -> list[str]:
    """A list flattened into a cell: "•" or the number, "◦" before nested bullets."""
    parts: list[str] = []
    for n, item in enumerate(block.items):
        bullet = "• " if depth == 0 else "◦ "
        marker = bullet if isinstance(block, A.BulletList) else _marker(block, n)
        parts.append(marker + inlines(item.inlines))
        for child in item.children:
            parts.extend(_cell_items(child, depth + 1))
    return parts


def cell(value: A.Prose | None) -> Markup:
    """Prose flattened into one table cell."""
    if value is None:
        return Markup("")
    parts: list[str] = []
    for block in value.blocks:
        match block:
            case A.Paragraph(inlines=nodes):
                parts.append(inlines(nodes))
            case A.BulletList() | A.NumberedList():
                parts.extend(_cell_items(block, 0))
    return Markup(" ".join(parts))


def requirement_cell(row: GoalRow) -> Markup:
    parts = [markdown_text(row.label)] if row.label else []
    if row.text is not None:
        parts.append(cell(row.text))
    parts.extend("*" + markdown_text(n) + "*" for n in row.notes)
    return Markup(" ".join(parts))


def table(t: Table) -> Markup:
    """A GFM pipe table; a sub-header (budget years) joins the header cells."""
    header = [
        " ".join(p for p in (h, s) if p) for h, s in zip(t.header, t.sub_header or ("",) * len(t.header), strict=True)
    ]
    align = t.align or "l" * len(header)
    lines = ["| " + " | ".join(markdown_text(h) for h in header) + " |"]
    lines.append("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
    strong = t.strong or (False,) * len(t.rows)
    for row, bold in zip(t.rows, strong, strict=True):
        cells = [markdown_text(c) for c in row]
        if bold:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return Markup("\n".join(lines))


def signature(lines: tuple[str, ...]) -> Markup:
    """Date line, **name**, title, organisation: one line each (hard breaks), the empty ones
    left out. The name is bold whether or not a date line stands above it."""
    date_line, name, *rest = lines
    out = [markdown_text(date_line)] if date_line else []
    out.append(f"**{markdown_text(name)}**")
    out.extend(markdown_text(line) for line in rest if line)
    return Markup("\\\n".join(out))


def render_markdown(doc: Document) -> str:
    filters = {
        "cell": cell,
        "requirement_cell": requirement_cell,
        "table": table,
        "signature": signature,
        "prose": lambda p: Markup(prose(p)),
    }
    env = environment("md", markdown_text, prose, filters)
    text = env.get_template("plan.md.j2").render(doc=doc, lang=doc.lang)
    return _BLANK_RUNS.sub("\n\n", text).rstrip("\n") + "\n"
