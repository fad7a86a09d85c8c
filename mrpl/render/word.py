"""Word backend (.docx) with python-docx: the draft a department sends for comments.

Built from the format-independent document (mrpl.render.document): Word's
own heading styles (the navigation pane and Word's table of contents work),
real tables whose header row repeats on every page and whose goal cells are
merged over the goal's requirement rows, page numbers in the footer, core
properties (title, author, language, dates) and the document language on
every style. Plan text goes into runs as text, never as markup; the one
escape is `word_text`, applied to every string of the document before it is
written (XML cannot hold control characters). The file is byte-deterministic: fixed dates in the core
properties and in the zip entries.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import UTC, date, datetime
from typing import cast

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from mrpl import ast as A
from mrpl.i18n import phrase
from mrpl.render.document import Block, Document, GoalRow, GoalTable, Heading, Table
from mrpl.render.escape import word_text

_LANGUAGE_TAGS = {"da": "da-DK", "en": "en-GB"}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.word: WordDocument = docx.Document()
        self.notes: dict[str, int] = {}  # footnote label -> its number, by first use
        self.footnotes = {f.label: f.text for f in doc.footnotes}

    # -- prose ------------------------------------------------------------

    def inlines(self, paragraph: WordParagraph, nodes: tuple[A.Inline, ...], style: dict[str, bool]) -> None:
        for node in nodes:
            match node:
                case A.Text(value=value):
                    run = paragraph.add_run(" ".join(value.split()) if value.strip() else value)
                    run.bold = style.get("bold") or None
                    run.italic = style.get("italic") or None
                    run.underline = style.get("underline") or None
                case A.Strong(children=c):
                    self.inlines(paragraph, c, {**style, "bold": True})
                case A.Emphasis(children=c):
                    self.inlines(paragraph, c, {**style, "italic": True})
                case A.Underline(children=c):
                    self.inlines(paragraph, c, {**style, "underline": True})
                case A.FootnoteRef(label=label):
                    self.note_mark(paragraph, label)
                case A.Placeholder(name=name):
                    paragraph.add_run("{{" + name + "}}").font.name = "Courier New"

    def note_mark(self, paragraph: WordParagraph, label: str) -> None:
        """A superscript note number; the notes are listed at the end of the document."""
        if label in self.footnotes:
            number = self.notes.setdefault(label, len(self.notes) + 1)
            paragraph.add_run(str(number)).font.superscript = True
        else:
            paragraph.add_run(label).font.superscript = True

    def prose(self, value: A.Prose, container: object = None) -> None:
        target = container if container is not None else self.word
        first_cell_paragraph = _empty_first_paragraph(target)
        for block in value.blocks:
            match block:
                case A.Paragraph(inlines=nodes):
                    self.inlines(_paragraph(target, first_cell_paragraph), nodes, {})
                case A.BulletList() | A.NumberedList():
                    self.list(target, block, first_cell_paragraph, 0)
            first_cell_paragraph = None

    def list(self, target: object, block: A.BulletList | A.NumberedList, first: object, depth: int) -> None:
        """A list's items, each followed by the lists nested in it, indented one step per level.
        Numbers are the plan's own, as text: Word's list numbering would continue across lists."""
        indent = Cm(0.63 * (depth + 1))
        for n, item in enumerate(block.items):
            if isinstance(block, A.BulletList):
                p = _paragraph(target, first, "List Bullet" if depth == 0 else "List Bullet 2")
                if depth > 0:
                    p.paragraph_format.left_indent = indent
            else:
                p = _paragraph(target, first)
                p.paragraph_format.left_indent = indent
                p.paragraph_format.first_line_indent = Cm(-0.63)
                p.add_run(f"{block.start + n}.\t")
            self.inlines(p, item.inlines, {})
            first = None
            for child in item.children:
                self.list(target, child, None, depth + 1)

    # -- structure --------------------------------------------------------

    def heading(self, h: Heading, level: int) -> None:
        text = f"{h.number} {h.title}" if h.number else h.title
        paragraph = self.word.add_heading(text, level=min(level, 9))
        if h.footnote:
            self.note_mark(paragraph, h.footnote)

    def blocks(self, items: tuple[Block, ...], level: int) -> None:
        signatures: list[tuple[str, ...]] = []
        for block in items:
            if block.kind != "signature" and signatures:
                self.signatures(signatures)
                signatures = []
            match block.kind:
                case "heading" if block.heading is not None:
                    self.heading(block.heading, level)
                case "subheading" if block.heading is not None:
                    self.heading(block.heading, level + 1)
                case "prose" if block.prose is not None:
                    self.prose(block.prose)
                case "table" if block.table is not None:
                    self.table(block.table)
                case "field":
                    p = self.word.add_paragraph()
                    if block.label:
                        p.add_run(f"{block.label}: ").bold = True
                    p.add_run(block.value)
                case "signature":
                    signatures.append(block.lines)
        if signatures:
            self.signatures(signatures)

    def table(self, t: Table) -> None:
        header_rows = 2 if t.sub_header else 1
        table = self._new_table(len(t.rows) + header_rows, len(t.header))
        align = t.align or "l" * len(t.header)
        for r, row in enumerate((t.header, *((t.sub_header,) if t.sub_header else ()))):
            for c, value in enumerate(row):
                _cell_text(table.cell(r, c), value, bold=True, right=align[c] == "r")
        strong = t.strong or (False,) * len(t.rows)
        for r, (row, bold) in enumerate(zip(t.rows, strong, strict=True), start=header_rows):
            for c, value in enumerate(row):
                _cell_text(table.cell(r, c), value, bold=bold, right=align[c] == "r")
        _repeat_header(table, header_rows)

    def goal_table(self, t: GoalTable) -> None:
        self.heading(t.heading, 2 + t.level)
        self.blocks(t.before, 4)
        if t.intro is not None:
            self.prose(t.intro)
        if t.caption:
            self.word.add_paragraph().add_run(t.caption).bold = True
        if not t.rows:
            return
        header = [phrase(k, self.doc.lang) for k in ("col_number", "col_area", "col_goal", "col_requirements")]
        header += list(t.extra)
        widths = [1.1, 2.8, 4.2, 6.8 - 2.0 * len(t.extra), *(2.0 for _ in t.extra)]
        if t.weights:
            header.append(phrase("col_weight", self.doc.lang))
            widths.append(1.5)
        weight_column = len(header) - 1 if t.weights else -1
        table = self._new_table(len(t.rows) + 1, len(header), widths=tuple(widths))
        for c, value in enumerate(header):
            _cell_text(table.cell(0, c), value, bold=True, right=c == weight_column)
        for r, row in enumerate(t.rows, start=1):
            if row.first:
                _cell_text(table.cell(r, 0), row.number, bold=True)
                _cell_text(table.cell(r, 1), row.area)
                if row.goal_text is not None:
                    self.prose(row.goal_text, table.cell(r, 2))
                if row.span > 1:  # the goal's cells span its requirement rows, as in the source documents
                    for c in range(3):
                        table.cell(r, c).merge(table.cell(r + row.span - 1, c))
            self.requirement(table.cell(r, 3), row)
            for c, value in enumerate(row.extra, start=4):
                _cell_text(table.cell(r, c), value)
            if t.weights:
                _cell_text(table.cell(r, weight_column), row.weight, right=True)
        _repeat_header(table, 1)

    def requirement(self, cell: object, row: GoalRow) -> None:
        paragraph = _empty_first_paragraph(cell)
        if row.label:
            target = paragraph if paragraph is not None else cell.add_paragraph()  # type: ignore[attr-defined]
            target.add_run(row.label + " ").bold = True
            if row.text is not None and row.text.blocks and isinstance(row.text.blocks[0], A.Paragraph):
                self.inlines(target, row.text.blocks[0].inlines, {})
                rest = A.Prose(row.text.blocks[1:])
                if rest.blocks:
                    self.prose(rest, cell)
            elif row.text is not None:
                self.prose(row.text, cell)
        elif row.text is not None:
            self.prose(row.text, cell)
        for note in row.notes:
            cell.add_paragraph().add_run(note).italic = True  # type: ignore[attr-defined]

    def signatures(self, people: list[tuple[str, ...]]) -> None:
        """Side by side in one borderless table row that does not break over pages."""
        table = self.word.add_table(rows=1, cols=len(people))
        for c, lines in enumerate(people):
            cell = table.cell(0, c)
            date_line, name, title, organisation = lines
            first = cell.paragraphs[0]
            first.add_run(date_line)
            first.paragraph_format.space_after = Pt(42)
            _keep_with_next(first)
            rule = cell.add_paragraph("_" * 32)
            _keep_with_next(rule)
            p = cell.add_paragraph()
            p.add_run(name).bold = True
            p.add_run().add_break()
            p.add_run(title)
            p.add_run().add_break()
            p.add_run(organisation)
        _cant_split(table)

    def _new_table(self, rows: int, cols: int, widths: tuple[float, ...] = ()) -> WordTable:
        table = self.word.add_table(rows=rows, cols=cols)
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for c, width in enumerate(widths):
            for cell in table.columns[c].cells:
                cell.width = Cm(width)
        return table

    # -- the whole document -------------------------------------------------

    def write(self) -> bytes:
        self._setup()
        self._title_page()
        for section in self.doc.sections:
            self.heading(section.heading, 1)
            self.blocks(section.blocks, 2)
            for goal_table in section.tables:
                self.goal_table(goal_table)
            self.blocks(section.after, 2)
        if self.doc.annex is not None:
            self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            self.heading(self.doc.annex.heading, 1)
            self.blocks(self.doc.annex.blocks, 2)
        self._notes()
        out = io.BytesIO()
        self.word.save(out)
        return _fixed_zip(out.getvalue())

    def _setup(self) -> None:
        tag = _LANGUAGE_TAGS[self.doc.lang]
        for style in self.word.styles:
            element = getattr(style, "element", None)
            if element is not None and element.find(qn("w:rPr")) is not None:
                _set_language(element.find(qn("w:rPr")), tag)
        defaults = self.word.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                _set_language(rpr, tag)
        self.word.styles["Normal"].font.name = "Calibri"
        self.word.styles["Normal"].font.size = Pt(11)
        section = self.word.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(footer)
        settings = self.word.settings.element
        if not self.doc.compact:  # Word fills the contents on opening (a compact document has none)
            settings.append(_element("w:updateFields", {"w:val": "true"}))
        props = self.word.core_properties
        stamp = _stamp(self.doc.date)
        props.title = self.doc.title
        props.author = self.doc.author
        props.last_modified_by = self.doc.author
        props.subject = self.doc.agency
        props.language = tag
        props.created = props.modified = stamp
        props.last_printed = stamp
        props.revision = 1
        props.comments = ""
        props.keywords = ""

    def _title_page(self) -> None:
        compact = self.doc.compact  # a short document (an allonge): the title heads its first page
        for text, size, bold, before in (
            (self.doc.ministry, 11 if compact else 14, False, 0 if compact else 60),
            (self.doc.title, 18 if compact else 26, True, 20 if compact else 140),
            (self.doc.agency, 13 if compact else 16, False, 12 if compact else 40),
        ):
            p = self.word.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_before = Pt(before)
            run = p.add_run(text)
            run.font.size, run.bold = Pt(size), bold or None
        if compact:
            return
        self.word.add_section(WD_SECTION.NEW_PAGE)
        contents = self.word.add_paragraph()
        contents.add_run(phrase("contents", self.doc.lang)).bold = True
        _toc_field(self.word.add_paragraph())
        self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _notes(self) -> None:
        """The plan's footnotes, numbered by first use, after the text."""
        if not self.notes:
            return
        self.word.add_paragraph()
        for label, number in self.notes.items():
            p = self.word.add_paragraph()
            p.add_run(str(number)).font.superscript = True
            first = True
            for block in self.footnotes[label].blocks:
                if isinstance(block, A.Paragraph):
                    if not first:
                        p.add_run(" ")
                    self.inlines(p, block.inlines, {})
                    first = False
            for run in p.runs:
                run.font.size = Pt(9)


def _empty_first_paragraph(container: object) -> WordParagraph | None:
    """A new table cell holds one empty paragraph: fill it rather than leave a blank line."""
    paragraphs = getattr(container, "paragraphs", None)
    if container is None or not hasattr(container, "merge") or not paragraphs:
        return None
    first = paragraphs[0]
    return first if len(paragraphs) == 1 and not first.text else None


def _paragraph(target: object, reuse: WordParagraph | None, style: str | None = None) -> WordParagraph:
    paragraph = reuse if reuse is not None else target.add_paragraph()  # type: ignore[attr-defined]
    if style is not None:
        paragraph.style = style
    return paragraph


def _cell_text(cell: object, value: str, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    run = paragraph.add_run(value)
    run.bold = bold or None
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_header(table: WordTable, rows: int) -> None:
    """Mark the first rows as the header Word repeats on every page; no row splits a page break."""
    for index, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        if index < rows:
            props.append(_element("w:tblHeader", {"w:val": "true"}))


def _cant_split(table: WordTable) -> None:
    for row in table.rows:
        row._tr.get_or_add_trPr().append(_element("w:cantSplit", {"w:val": "true"}))


def _keep_with_next(paragraph: WordParagraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


def _element(tag: str, attributes: dict[str, str]) -> OxmlElement:
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(key), value)
    return element


def _set_language(rpr: OxmlElement, tag: str) -> None:
    existing = rpr.find(qn("w:lang"))
    if existing is not None:
        rpr.remove(existing)
    rpr.append(_element("w:lang", {"w:val": tag, "w:eastAsia": tag, "w:bidi": tag}))


def _field(paragraph: WordParagraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC): begin, instruction, separate, shown text, end."""
    run = paragraph.add_run()
    run._r.append(_element("w:fldChar", {"w:fldCharType": "begin", "w:dirty": "true"}))
    run = paragraph.add_run()
    text = _element("w:instrText", {})
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    paragraph.add_run()._r.append(_element("w:fldChar", {"w:fldCharType": "separate"}))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(_element("w:fldChar", {"w:fldCharType": "end"}))


def _page_field(paragraph: WordParagraph) -> None:
    _field(paragraph, "PAGE", "1")


def _toc_field(paragraph: WordParagraph) -> None:
    """Word's table of contents over Heading 1-2, linked; Word fills it when the file opens."""
    _field(paragraph, 'TOC \\o "1-2" \\h \\z \\u')


def _stamp(day: date | None) -> datetime:
    if day is None:
        return datetime(1980, 1, 1, tzinfo=UTC)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated _ZIP_TIME, in a fixed order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def build_docx(doc: Document) -> bytes:
    """The .docx file of a document."""
    return _Writer(cast(Document, _xml_safe(doc))).write()


def _xml_safe(value: object) -> object:  # -> the same type as `value`
    """`value` with `word_text` applied to every string it holds (document nodes, the plan's
    prose nodes inside them, tuples); other values as they are. Unchanged parts stay the
    same objects."""
    if isinstance(value, str):
        return word_text(value)
    if isinstance(value, tuple):
        items = tuple(_xml_safe(item) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.init:
                old = getattr(value, f.name)
                new = _xml_safe(old)
                if new is not old:
                    changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
