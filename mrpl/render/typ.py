"""Typst backend: the Typst source of a plan (templates/typ/plan.typ.j2).

Plan text reaches the source only through `mrpl.render.escape` (markup,
string and raw contexts), so it prints as written and never runs as Typst
code. Layout decisions live in the template; this module turns the
format-independent document (mrpl.render.document) into markup pieces:
prose, table cells, footnotes (numbered once, by first use) and grouped
signatures.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from mrpl import ast as A
from mrpl.i18n import phrase
from mrpl.render.document import Document, GoalRow, GoalTable, Table, runs
from mrpl.render.escape import typst_label, typst_markup, typst_raw, typst_string
from mrpl.render.jinja import environment


class _Prose:
    """Marks up prose. A footnote prints its text at its first reference and
    points back to that note at later ones, so each note has one number."""

    def __init__(self, footnotes: tuple[A.Footnote, ...], text_lang: str, doc_lang: str) -> None:
        self.footnotes = {f.label: f.text for f in footnotes}
        self.used: set[str] = set()
        self.text_lang = text_lang
        self.doc_lang = doc_lang

    def inlines(self, nodes: tuple[A.Inline, ...], in_footnote: bool = False) -> str:
        out: list[str] = []
        for node in nodes:
            match node:
                case A.Text(value=value):
                    out.append(typst_markup(value))
                case A.Strong(children=c):
                    out.append("#strong[" + self.inlines(c, in_footnote) + "]")
                case A.Emphasis(children=c):
                    out.append("#emph[" + self.inlines(c, in_footnote) + "]")
                case A.Underline(children=c):
                    out.append("#underline[" + self.inlines(c, in_footnote) + "]")
                case A.FootnoteRef(label=label):
                    out.append("" if in_footnote else self.footnote(label))
                case A.Placeholder(name=name):
                    out.append(typst_raw("{{" + name + "}}"))
        return "".join(out)

    def footnote(self, label: str) -> str:
        """`#footnote[...] <label>` the first time, `#footnote(<label>)` after."""
        text = self.footnotes.get(label)
        if text is None:
            return "#super[" + typst_markup(label) + "]"
        name = typst_label("fn-" + label)
        if label in self.used:
            return f"#footnote(<{name}>)"
        self.used.add(label)
        return f"#footnote[{self.language(self.blocks_inline(text))}] <{name}>"

    def blocks_inline(self, value: A.Prose) -> str:
        """A footnote's prose: its paragraphs joined with paragraph breaks."""
        return "#parbreak()".join(self.inlines(_block_inlines(b), in_footnote=True) for b in value.blocks)

    def language(self, markup: str) -> str:
        """Plan text in a document of another language keeps its own hyphenation."""
        if self.text_lang == self.doc_lang:
            return markup
        return f'#text(lang: "{self.text_lang}")[{markup}]'

    def blocks(self, value: A.Prose) -> str:
        parts: list[str] = []
        for block in value.blocks:
            match block:
                case A.Paragraph(inlines=nodes):
                    parts.append(self.inlines(nodes))
                case A.BulletList(items=items):
                    parts.append("#list(" + ", ".join(self._item(i) for i in items) + ")")
                case A.NumberedList(start=start, items=items):
                    parts.append(f"#enum(start: {int(start)}, " + ", ".join(self._item(i) for i in items) + ")")
        return self.language("\n\n".join(parts))

    def _item(self, item: A.ListItem) -> str:
        children = getattr(item, "children", None)  # nested lists, when the prose model has them
        body = self.inlines(item.inlines)
        if children:
            body += "\n\n" + self.blocks(A.Prose(tuple(children)))
        return "[" + body + "]"


def _block_inlines(block: A.Block) -> tuple[A.Inline, ...]:
    if isinstance(block, A.Paragraph):
        return block.inlines
    return tuple(n for item in block.items for n in (A.Text(" • "), *item.inlines))


def _cell(markup: str, **options: str) -> str:
    if not options:
        return "[" + markup + "]"
    args = ", ".join(f"{k}: {v}" for k, v in options.items())
    return f"table.cell({args})[" + markup + "]"


def table(t: Table) -> Markup:
    """A simple table: text columns share the width, number columns fit their
    content; the header repeats on each page, total rows are bold."""
    align = t.align or "l" * len(t.header)
    columns = ", ".join("1fr" if a == "l" else "auto" for a in align)
    aligns = ", ".join("left" if a == "l" else "right" for a in align)
    head = [_cell("#strong[" + typst_markup(h) + "]") for h in t.header]
    if t.sub_header:
        head += [_cell("#strong[" + typst_markup(h) + "]") for h in t.sub_header]
    rows: list[str] = []
    strong = t.strong or (False,) * len(t.rows)
    for row, bold in zip(t.rows, strong, strict=True):
        for value in row:
            text = typst_markup(value)
            rows.append(_cell("#strong[" + text + "]" if bold and value else text))
    body = ",\n  ".join(rows)
    source = (
        f"#mrpl-table(columns: ({columns},), align: ({aligns},), header-rows: {1 + bool(t.sub_header)},\n"
        f"  {', '.join(head)},\n  {body},\n)"
    )
    return Markup(source)


def goal_table(t: GoalTable, prose: _Prose, lang: str) -> Markup:
    """A call of the template's `mrpl-goal-table`: per goal its number, area and text, and
    its rows (requirement, extra cells, weight) that those cells span."""
    header = [phrase(k, lang) for k in ("col_number", "col_area", "col_goal", "col_requirements")]
    header += list(t.extra)
    if t.weights:
        header.append(phrase("col_weight", lang))
    goals: list[str] = []
    rows: list[str] = []

    def close(first: GoalRow) -> None:
        goal_text = prose.blocks(first.goal_text) if first.goal_text is not None else ""
        goals.append(
            f"(number: [{typst_markup(first.number)}], area: [{prose.language(typst_markup(first.area))}], "
            f"text: [{goal_text}], rows: ({''.join(r + ', ' for r in rows)}))"
        )
        rows.clear()

    first: GoalRow | None = None
    for row in t.rows:
        if row.first and first is not None:
            close(first)
        if row.first:
            first = row
        cells = [_requirement(row, prose), *(typst_markup(c) for c in row.extra)]
        if t.weights:
            cells.append(typst_markup(row.weight))
        rows.append("(" + "".join(f"[{c}], " for c in cells) + ")")
    if first is not None:
        close(first)
    head = ", ".join(f"[{typst_markup(h)}]" for h in header)
    weights = "true" if t.weights else "false"
    return Markup(
        f"#mrpl-goal-table(header: ({head},), extra: {len(t.extra)}, weights: {weights}, goals: (\n  "
        + ",\n  ".join(goals)
        + ",\n))"
    )


def _requirement(row: GoalRow, prose: _Prose) -> str:
    parts: list[str] = []
    if row.label:
        parts.append("#strong[" + typst_markup(row.label) + "] ")
    if row.text is not None:
        parts.append(prose.blocks(row.text))
    parts.extend("\n\n#emph[" + typst_markup(n) + "]" for n in row.notes)
    return "".join(parts)


def typst_date(day: date | None) -> Markup:
    if day is None:
        return Markup("none")
    return Markup(f"datetime(year: {day.year}, month: {day.month}, day: {day.day})")


class _Levels:
    """Heading levels as written, but never more than one below the previous heading:
    PDF/UA forbids skipped levels (a core task's table heading at 3 followed by a minor heading)."""

    def __init__(self) -> None:
        self.last = 0

    def __call__(self, level: int) -> Markup:
        self.last = min(int(level), self.last + 1)
        return Markup(str(self.last))


def string(value: str) -> Markup:
    return Markup('"' + typst_string(value) + '"')


def render_typst(doc: Document, day: date | None = None) -> str:
    """The Typst source; `day` is the document date written into the PDF metadata."""
    prose = _Prose(doc.footnotes, doc.text_lang, doc.lang)
    filters = {
        "table": table,
        "goal_table": lambda t: goal_table(t, prose, doc.lang),
        "runs": runs,
        "heading_level": _Levels(),
        "string": string,
        "label": lambda text: Markup(typst_label(text)),
        "footnote": lambda label: Markup(prose.footnote(label)),
        "plan_text": lambda text: Markup(prose.language(typst_markup(text))),
    }
    env = environment("typ", typst_markup, prose.blocks, filters)
    return env.get_template("plan.typ.j2").render(doc=doc, lang=doc.lang, date=typst_date(day))
