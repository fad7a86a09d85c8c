"""LaTeX backend: a complete pdflatex document (babel, T1, longtable, booktabs).

Goal tables are `longtable`s with repeated headers; a goal's requirements
are separate rows so a long goal can break between requirements, and a
cell keeps its paragraphs and lists (p-columns allow them).
"""

from __future__ import annotations

import hashlib
import os

from markupsafe import Markup

from mrpl import ast as A
from mrpl.render.document import Document, GoalRow, Table, runs
from mrpl.render.escape import latex_label, latex_text
from mrpl.render.jinja import environment

_MAX_LIST_DEPTH = 4
_BABEL = {"da": "danish", "en": "british"}


class _Prose:
    """Marks up prose; footnote references become \\footnote with the plan's text."""

    def __init__(self, footnotes: tuple[A.Footnote, ...], text_lang: str = "da", doc_lang: str = "da") -> None:
        self.footnotes = {f.label: f.text for f in footnotes}
        self.used: set[str] = set()
        self.foreign = _BABEL[text_lang] if text_lang != doc_lang else None

    def language(self, markup: str, block: bool = False) -> str:
        """Plan text written in another language than the document's keeps its own hyphenation."""
        if self.foreign is None or not markup:
            return markup
        if block:
            return f"\\begin{{otherlanguage}}{{{self.foreign}}}\n{markup}\n\\end{{otherlanguage}}"
        return f"\\foreignlanguage{{{self.foreign}}}{{{markup}}}"

    def inlines(self, nodes: tuple[A.Inline, ...], in_footnote: bool = False) -> str:
        out: list[str] = []
        for node in nodes:
            match node:
                case A.Text(value=value):
                    out.append(latex_text(value))
                case A.Strong(children=c):
                    out.append(r"\textbf{" + self.inlines(c, in_footnote) + "}")
                case A.Emphasis(children=c):
                    out.append(r"\emph{" + self.inlines(c, in_footnote) + "}")
                case A.Underline(children=c):
                    out.append(r"\underline{" + self.inlines(c, in_footnote) + "}")
                case A.FootnoteRef(label=label):
                    out.append(self.footnote(label) if not in_footnote else "")
                case A.Placeholder(name=name):
                    out.append(latex_text("{{" + name + "}}"))
        return "".join(out)

    def footnote(self, label: str, command: str = "footnote") -> str:
        """`\\footnote{...}` (or `\\footnotetext` after a heading's mark) the first time;
        a later reference repeats the note's number instead of printing the note again."""
        text = self.footnotes.get(label)
        if text is None:
            return r"\textsuperscript{" + latex_text(label) + "}"
        key = latex_label("mrplfn:" + label)
        if label in self.used:
            return r"\textsuperscript{\ref{" + key + "}}"
        self.used.add(label)
        body = r"\par ".join(self.inlines(_block_inlines(b), in_footnote=True) for b in text.blocks)
        return "\\" + command + "{\\label{" + key + "}" + self.language(body) + "}"

    def blocks(self, value: A.Prose) -> str:
        parts: list[str] = []
        for block in value.blocks:
            match block:
                case A.Paragraph(inlines=nodes):
                    parts.append(self.inlines(nodes))
                case A.BulletList() | A.NumberedList():
                    parts.append(self.list_env(block))
        # Blocks are separated, not ended, by a paragraph break: one ending a table cell adds an empty line.
        marker = source_marker(value.span) + "\n" if value.span.file else ""
        return marker + self.language("\\par\n".join(parts), block=True)

    def list_env(self, block: A.BulletList | A.NumberedList, depth: int = 1) -> str:
        """itemize or enumerate; a nested list stands inside its \\item. LaTeX nests lists
        four deep at most: lists below that run on in their item's text after " • "."""
        items = []
        for item in block.items:
            if depth < _MAX_LIST_DEPTH:
                nested = "".join("\n" + self.list_env(child, depth + 1) for child in item.children)
            else:
                nested = "".join(self.inlines(_block_inlines(child)) for child in item.children)
            items.append(r"\item " + self.inlines(item.inlines) + nested)
        body = "\n".join(items)
        if isinstance(block, A.BulletList):
            return "\\begin{itemize}\n" + body + "\n\\end{itemize}"
        return f"\\begin{{enumerate}}[start={block.start}]\n" + body + "\n\\end{enumerate}"


def source_file_key(path: str) -> str:
    """A file's name in the markers: a hash of its base name, so no user text ends up in a
    TeX comment and the output does not depend on where the plan lies."""
    return hashlib.sha256(os.path.basename(path).encode("utf-8")).hexdigest()[:12]


def source_marker(span: A.Span) -> str:
    """`%mrpl-src:KEY:LINE`: where the prose that follows comes from in the plan, so a
    TeX error can be traced back to it (see `mrpl.render.latex_pdf.tex_error`)."""
    return f"%mrpl-src:{source_file_key(span.file)}:{span.line}"


def _block_inlines(block: A.Block) -> tuple[A.Inline, ...]:
    """A block run into one line (a footnote's text): list items after " • ", nested ones too."""
    if isinstance(block, A.Paragraph):
        return block.inlines
    out: list[A.Inline] = []
    for item in block.items:
        out.extend((A.Text(" • "), *item.inlines))
        for child in item.children:
            out.extend(_block_inlines(child))
    return tuple(out)


_SHORT_COLUMN = 14  # characters: a column whose longest value is shorter takes its natural width


def _column_spec(t: Table) -> str:
    """Short columns at their natural width (l or r), long ones sharing the rest (X): a
    narrow number column never takes half a table, a label column never wraps needlessly."""
    align = t.align or "l" * len(t.header)
    widths = [max((len(r[c]) for r in t.rows), default=0) for c in range(len(align))]
    long = [a == "l" and w > _SHORT_COLUMN for a, w in zip(align, widths, strict=True)]
    if not any(long):  # a table of short values: the widest text column takes the rest
        texts = [c for c, a in enumerate(align) if a == "l"]
        if texts:
            long[max(texts, key=lambda c: widths[c])] = True
    return "".join("Y" if wide else ("r" if a == "r" else "l") for a, wide in zip(align, long, strict=True))


def table(t: Table) -> Markup:
    """An xltabular (a longtable with X columns) the width of the text, header repeated on each page."""
    spec = _column_spec(t)
    head = " & ".join(r"\textbf{" + latex_text(h) + "}" for h in t.header) + r" \\"
    if t.sub_header:
        head += "\n" + " & ".join(r"\textbf{" + latex_text(h) + "}" for h in t.sub_header) + r" \\"
    rows = []
    strong = t.strong or (False,) * len(t.rows)
    for index, (row, bold) in enumerate(zip(t.rows, strong, strict=True)):
        cells = [latex_text(c) for c in row]
        if bold:
            cells = [r"\textbf{" + c + "}" if c else c for c in cells]
        # `\\*` forbids a page break: the first two rows and the last two stay together.
        keep = index == 0 or index == len(t.rows) - 2
        rows.append(" & ".join(cells) + (r" \\*" if keep else r" \\"))
    lines = [
        rf"\begin{{xltabular}}{{\linewidth}}{{@{{}}{spec}@{{}}}}",
        r"\toprule",
        head,
        r"\midrule",
        r"\endhead",
        r"\bottomrule",
        r"\endfoot",
        *rows,
        r"\end{xltabular}",
    ]
    return Markup("\n".join(lines))


def render_latex(doc: Document) -> str:
    prose = _Prose(doc.footnotes, doc.text_lang, doc.lang)

    def requirement_cell(row: GoalRow) -> Markup:
        parts = []
        if row.label:
            parts.append(r"\mrpllabel{" + latex_text(row.label) + "}")
        if row.text is not None:
            parts.append(prose.blocks(row.text))
        parts.extend(r"\par\emph{" + latex_text(n) + "}" for n in row.notes)
        return Markup("\n".join(parts))

    filters = {
        "table": table,
        "requirement_cell": requirement_cell,
        "footnotetext": lambda label: Markup(prose.footnote(label, "footnotetext")),
        "runs": runs,
        "plan_text": lambda text: Markup(prose.language(latex_text(text))),
    }
    env = environment("tex", latex_text, prose.blocks, filters)
    return env.get_template("plan.tex.j2").render(
        doc=doc, lang=doc.lang, babel_languages=",".join(dict.fromkeys((_BABEL[doc.text_lang], _BABEL[doc.lang])))
    )
