"""Reading a PDF as a reader sees it: words with their boxes, footnote marks,
bookmarks (pypdfium2 for the page contents: it is fast; pypdf for the
document structure)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from statistics import median

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# The Typst template's page geometry (templates/typ/plan.typ.j2), in points.
CM = 72 / 2.54
MARGIN_X = 2.2 * CM
MARGIN_TOP = 2.5 * CM
MARGIN_BOTTOM = 2.8 * CM


@dataclass(frozen=True)
class Word:
    page: int  # 0-based
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class Mark:
    """A raised, smaller run of digits: a footnote number (in the text or before its note)."""

    page: int
    number: int
    top: float
    in_notes: bool  # below the footnote separator


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    separator: float | None  # top of the footnote rule, if the page has notes


class Pdf:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reader = pypdf.PdfReader(io.BytesIO(data))
        doc = pdfium.PdfDocument(data)
        try:
            pages, marks = [], []
            for index in range(len(doc)):
                page = doc[index]
                chars = _chars(page)
                separator = _separator(page)
                pages.append(Page(index, page.get_width(), page.get_height(), tuple(_words(index, chars)), separator))
                marks.extend(_marks(index, chars, separator))
            self.pages = tuple(pages)
            self.marks = tuple(marks)
        finally:
            doc.close()

    def text(self) -> str:
        return " ".join(w.text for p in self.pages for w in p.words)

    def bookmarks(self) -> list[tuple[str, int, float]]:
        """(title, page index, top measured from the page's top) of every bookmark, in order."""
        out: list[tuple[str, int, float]] = []

        def walk(items: list) -> None:  # type: ignore[type-arg]
            for item in items:
                if isinstance(item, list):
                    walk(item)
                    continue
                page = self.reader.get_destination_page_number(item)
                height = float(self.reader.pages[page].mediabox.height)
                out.append((str(item.title), page, height - float(item.top)))

        walk(self.reader.outline)
        return out


@dataclass(frozen=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def _chars(page: pdfium.PdfPage) -> list[_Char]:
    """The page's characters in reading order, with tight boxes in top-down coordinates."""
    height = page.get_height()
    text = page.get_textpage()
    out = []
    for i in range(text.count_chars()):
        left, bottom, right, top = text.get_charbox(i)
        code = pdfium_c.FPDFText_GetUnicode(text.raw, i)
        size = pdfium_c.FPDFText_GetFontSize(text.raw, i)
        out.append(_Char(chr(code), left, right, height - top, height - bottom, size))
    return out


def _words(index: int, chars: list[_Char]) -> list[Word]:
    """Runs of non-blank characters on one line with no gap between them."""
    words: list[Word] = []
    run: list[_Char] = []

    def flush() -> None:
        if run:
            words.append(
                Word(
                    index,
                    "".join(c.text for c in run),
                    min(c.x0 for c in run),
                    max(c.x1 for c in run),
                    min(c.top for c in run),
                    max(c.bottom for c in run),
                    max(c.size for c in run),
                )
            )
            run.clear()

    for c in chars:
        if c.text.isspace() or c.text in "\x00\ufffe\u00ad":
            flush()
            continue
        if run:
            last = run[-1]
            same_line = c.top < last.bottom + 1 and c.bottom > last.top - 1
            if not same_line or c.x0 < last.x0 or c.x0 - last.x1 > 0.25 * max(c.size, 1):
                flush()
        run.append(c)
    flush()
    return words


def _separator(page: pdfium.PdfPage) -> float | None:
    """The top of the footnote rule: a short horizontal line at the left margin in the lower half."""
    height, width = page.get_height(), page.get_width()
    rules = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = obj.get_bounds()
        short = right - left < 0.4 * (width - 2 * MARGIN_X)
        if top - bottom < 1.5 and abs(left - MARGIN_X) < 1.5 and bottom < height / 2 and short:
            rules.append(height - top)
    return max(rules) if rules else None


def _marks(index: int, chars: list[_Char], separator: float | None) -> list[Mark]:
    """Footnote numbers: digits set smaller than the text around them on their line."""
    marks: list[Mark] = []
    run: list[_Char] = []

    def line_size(c: _Char) -> float:
        near = [
            o.size
            for o in chars
            if not o.text.isdigit()
            and not o.text.isspace()
            and o.top < c.bottom
            and o.bottom > c.top
            and abs(o.x0 - c.x0) < 60
        ]
        return median(near) if near else c.size

    def flush() -> None:
        if run:
            in_notes = separator is not None and run[0].top > separator
            marks.append(Mark(index, int("".join(c.text for c in run)), run[0].top, in_notes))
            run.clear()

    for c in chars:
        raised = c.text.isdigit() and c.size < 0.8 * line_size(c)
        if raised and run and c.x0 - run[-1].x1 < 1:
            run.append(c)
            continue
        flush()
        if raised:
            run.append(c)
    flush()
    return marks


def overlaps(a: Word, b: Word, tolerance: float = 0.5) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and min(a.bottom, b.bottom) - max(a.top, b.top) > tolerance


def overlapping_words(page: Page) -> list[tuple[Word, Word]]:
    """Pairs of words whose boxes overlap (a sweep over the words sorted by their top)."""
    words = sorted(page.words, key=lambda w: w.top)
    found = []
    for i, word in enumerate(words):
        for other in words[i + 1 :]:
            if other.top >= word.bottom:
                break
            if overlaps(word, other):
                found.append((word, other))
    return found
