"""Any `Document` (a plan's, or the annual report's) to the bytes of one document format.

`mrplc build` renders plans through `mrpl.render.render`; reports that are documents too (the
annual report's målrapportering) come here, so they get the same back-ends: Markdown, Typst
source, PDF (Typst, PDF/UA) and Word.
"""

from __future__ import annotations

from mrpl.render.document import Document

DOCUMENT_FORMATS = ("md", "typ", "pdf", "docx")


def render_document(doc: Document, fmt: str) -> bytes:
    if fmt == "md":
        from mrpl.render.markdown import render_markdown

        return render_markdown(doc).encode("utf-8")
    if fmt == "typ":
        from mrpl.render.pdf import typst_source

        return typst_source(doc).encode("utf-8")
    if fmt == "pdf":
        from mrpl.render.pdf import build_pdf

        return build_pdf(doc)
    if fmt == "docx":
        from mrpl.render.word import build_docx

        return build_docx(doc)
    raise ValueError(f"unknown document format {fmt!r}: use one of {', '.join(DOCUMENT_FORMATS)}")
