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
from mrpl.render.document import Document, GoalRow, Table
from mrpl.render.escape import latex_text
from mrpl.render.jinja import environment


class _Prose:
    """Marks up prose; footnote references become \\footnote with the plan's text."""

    def __init__(self, footnotes: tuple[A.Footnote, ...]) -> None:
        self.footnotes = {f.label: f.text for f in footnotes}

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
        """`\\footnote{...}` (or `\\footnotetext` after a heading's mark)."""
        text = self.footnotes.get(label)
        if text is None:
            return r"\textsuperscript{" + latex_text(label) + "}"
        body = r"\par ".join(self.inlines(_block_inlines(b), in_footnote=True) for b in text.blocks)
        return "\\" + command + "{" + body + "}"

    def blocks(self, value: A.Prose) -> str:
        parts: list[str] = [source_marker(value.span)] if value.span.file else []
        for block in value.blocks:
            match block:
                case A.Paragraph(inlines=nodes):
                    parts.append(self.inlines(nodes) + r"\par")
                case A.BulletList(items=items):
                    body = "\n".join(r"\item " + self.inlines(i.inlines) for i in items)
                    parts.append("\\begin{itemize}\n" + body + "\n\\end{itemize}")
                case A.NumberedList(start=start, items=items):
                    body = "\n".join(r"\item " + self.inlines(i.inlines) for i in items)
                    parts.append(f"\\begin{{enumerate}}[start={start}]\n" + body + "\n\\end{enumerate}")
        return "\n".join(parts)


def source_file_key(path: str) -> str:
    """A file's name in the markers: a hash of its base name, so no user text ends up in a
    TeX comment and the output does not depend on where the plan lies."""
    return hashlib.sha256(os.path.basename(path).encode("utf-8")).hexdigest()[:12]


def source_marker(span: A.Span) -> str:
    """`%mrpl-src:KEY:LINE`: where the prose that follows comes from in the plan, so a
    TeX error can be traced back to it (see `mrpl.render.latex_pdf.tex_error`)."""
    return f"%mrpl-src:{source_file_key(span.file)}:{span.line}"


def _block_inlines(block: A.Block) -> tuple[A.Inline, ...]:
    if isinstance(block, A.Paragraph):
        return block.inlines
    return tuple(n for item in block.items for n in (A.Text(" • "), *item.inlines))


def table(t: Table) -> Markup:
    """A longtable: left columns share the width, right columns fit their numbers."""
    align = t.align or "l" * len(t.header)
    wide = align.count("l")
    share = max(0.25, 0.82 - 0.1 * (len(align) - wide))
    width = f"{share / max(wide, 1):.3f}"
    spec = "".join(rf"P{{{width}\linewidth}}" if a == "l" else "r" for a in align)
    head = " & ".join(r"\textbf{" + latex_text(h) + "}" for h in t.header) + r" \\"
    if t.sub_header:
        head += "\n" + " & ".join(r"\textbf{" + latex_text(h) + "}" for h in t.sub_header) + r" \\"
    rows = []
    strong = t.strong or (False,) * len(t.rows)
    for row, bold in zip(t.rows, strong, strict=True):
        cells = [latex_text(c) for c in row]
        if bold:
            cells = [r"\textbf{" + c + "}" if c else c for c in cells]
        rows.append(" & ".join(cells) + r" \\")
    lines = [
        rf"\begin{{longtable}}{{@{{}}{spec}@{{}}}}",
        r"\toprule",
        head,
        r"\midrule",
        r"\endhead",
        r"\bottomrule",
        r"\endfoot",
        *rows,
        r"\end{longtable}",
    ]
    return Markup("\n".join(lines))


def render_latex(doc: Document) -> str:
    prose = _Prose(doc.footnotes)

    def requirement_cell(row: GoalRow) -> Markup:
        parts = []
        if row.label:
            parts.append(r"\mrpllabel{" + latex_text(row.label) + "}")
        if row.text is not None:
            parts.append(prose.blocks(row.text))
        parts.extend(r"\emph{" + latex_text(n) + r"}\par" for n in row.notes)
        return Markup("\n".join(parts))

    filters = {
        "table": table,
        "requirement_cell": requirement_cell,
        "footnotetext": lambda label: Markup(prose.footnote(label, "footnotetext")),
    }
    env = environment("tex", latex_text, prose.blocks, filters)
    return env.get_template("plan.tex.j2").render(
        doc=doc, lang=doc.lang, babel="danish" if doc.lang == "da" else "british"
    )
