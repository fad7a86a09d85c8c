"""Rendering a loaded plan to documents: `render(plan, fmt, lang) -> str`.

Text backends: "md" (Markdown), "tex" (LaTeX), "typ" (Typst), "py" (a
Python module, from `mrpl.render.python` when present). Binary formats are
built by `render_bytes`: "pdf" (the Typst source compiled in-process,
mrpl.render.pdf) and "docx" (Word, mrpl.render.word).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from mrpl import ast as A


class BackendUnavailable(Exception):
    """The backend's module is not installed (e.g. `py` before it exists)."""


def _markdown(plan: A.Plan, lang: str) -> str:
    from mrpl.render.document import build_document
    from mrpl.render.markdown import render_markdown

    return render_markdown(build_document(plan, lang))


def _latex(plan: A.Plan, lang: str) -> str:
    from mrpl.render.document import build_document
    from mrpl.render.latex import render_latex

    return render_latex(build_document(plan, lang))


def _typst(plan: A.Plan, lang: str) -> str:
    from mrpl.render.document import build_document
    from mrpl.render.pdf import typst_source

    return typst_source(build_document(plan, lang))


def _pdf(plan: A.Plan, lang: str) -> bytes:
    from mrpl.render.document import build_document
    from mrpl.render.pdf import build_pdf

    return build_pdf(build_document(plan, lang))


def _docx(plan: A.Plan, lang: str) -> bytes:
    from mrpl.render.document import build_document
    from mrpl.render.word import build_docx

    return build_docx(build_document(plan, lang))


def _python(plan: A.Plan, lang: str) -> str:
    try:
        module = importlib.import_module("mrpl.render.python")
    except ModuleNotFoundError as exc:
        if exc.name != "mrpl.render.python":
            raise
        raise BackendUnavailable("the py backend (mrpl.render.python) is not available") from None
    return str(module.render(plan, lang=lang))


BACKENDS: dict[str, Callable[[A.Plan, str], str]] = {"md": _markdown, "tex": _latex, "typ": _typst, "py": _python}
BINARY_BACKENDS: dict[str, Callable[[A.Plan, str], bytes]] = {"pdf": _pdf, "docx": _docx}
EXTENSIONS = {"md": ".md", "tex": ".tex", "typ": ".typ", "pdf": ".pdf", "docx": ".docx", "py": ".py"}


AMENDMENT_FORMATS = ("md", "tex", "typ", "pdf", "docx")


def render_amendment(plan: A.Plan, amendment: A.Amendment, fmt: str, lang: str = "da") -> bytes:
    """The allonge itself as a document, read against the plan it amends: any document format
    ("md", "tex", "typ", "pdf", "docx"); an allonge has no scoring module of its own (the
    amended plan's is built without --allonge)."""
    if fmt not in AMENDMENT_FORMATS:
        raise ValueError(f"an allonge is built as {', '.join(AMENDMENT_FORMATS)}, not {fmt!r}")
    _require_language(lang)
    from mrpl.render.allonge import build_amendment_document

    document = build_amendment_document(plan, amendment, lang)
    if fmt == "tex":
        from mrpl.render.latex import render_latex

        return render_latex(document).encode("utf-8")
    from mrpl.render.documents import render_document

    return render_document(document, fmt)


def _require_language(lang: str) -> None:
    from mrpl.i18n import LANGUAGES  # here, not above: mrpl.render.escape is imported without Babel

    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")


def render(plan: A.Plan, fmt: str, lang: str = "da") -> str:
    """The document text of `plan` in format `fmt` ("md", "tex", "typ", "py")."""
    if fmt not in BACKENDS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(BACKENDS)}")
    _require_language(lang)
    return BACKENDS[fmt](plan, lang)


def render_bytes(plan: A.Plan, fmt: str, lang: str = "da") -> bytes:
    """The file contents of `plan` in any format: text formats as UTF-8, "pdf" and "docx" as built."""
    if fmt in BINARY_BACKENDS:
        _require_language(lang)
        return BINARY_BACKENDS[fmt](plan, lang)
    return render(plan, fmt, lang).encode("utf-8")  # render checks the format and the language


__all__ = [
    "AMENDMENT_FORMATS",
    "BACKENDS",
    "BINARY_BACKENDS",
    "EXTENSIONS",
    "BackendUnavailable",
    "render",
    "render_amendment",
    "render_bytes",
]
