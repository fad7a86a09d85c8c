"""PDF through Typst: the `typst` package's bundled compiler, run in-process.

The Typst source (mrpl.render.typ) is compiled in a fresh temporary build
directory that is Typst's root, with no system fonts and no package
directories outside it: the document can read nothing but its own source and
the fonts that ship with the compiler. The PDF is tagged PDF/UA-1 (title,
language, structure tree, bookmarks) and byte-deterministic: its timestamp is
the plan's date, else SOURCE_DATE_EPOCH, else the epoch.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from mrpl.render.document import Document
from mrpl.render.typ import render_typst

PDF_STANDARDS = ["ua-1"]


class PdfError(Exception):
    """The Typst run failed; the message says where."""


def document_day(doc: Document) -> date | None:
    """The date in the PDF's metadata: the plan's, else SOURCE_DATE_EPOCH's, else none."""
    if doc.date is not None:
        return doc.date
    epoch = _source_date_epoch()
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).date()


def _source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else None


def timestamp(day: date | None) -> datetime:
    """The compile timestamp: the document's day at midnight UTC, else the epoch."""
    if day is not None:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return datetime.fromtimestamp(_source_date_epoch() or 0, UTC)


def typst_source(doc: Document) -> str:
    return render_typst(doc, document_day(doc))


def compile_typst(source: str, day: date | None = None) -> bytes:
    """Compile Typst source text to PDF bytes inside a throw-away root directory."""
    import typst  # a compiled extension: loaded only when a PDF is built

    with tempfile.TemporaryDirectory(prefix="mrplc-typst-") as work:
        main = Path(work) / "plan.typ"
        main.write_text(source, encoding="utf-8")
        packages = Path(work) / "packages"
        try:
            pdf = typst.compile(
                str(main),
                root=work,
                font_paths=[],
                ignore_system_fonts=True,
                format="pdf",
                pdf_standards=PDF_STANDARDS,
                timestamp=timestamp(day),
                package_path=str(packages),
                package_cache_path=str(packages),
            )
        except typst.TypstError as exc:
            raise PdfError(f"Typst error: {exc.message}\n{exc.diagnostic}".rstrip()) from None
        except RuntimeError as exc:  # older bindings raise plain RuntimeError
            raise PdfError(f"Typst error: {exc}") from None
    if not isinstance(pdf, bytes):
        raise PdfError("Typst produced no PDF")
    return pdf


def build_pdf(doc: Document) -> bytes:
    """The PDF of a document."""
    day = document_day(doc)
    return compile_typst(render_typst(doc, day), day)
