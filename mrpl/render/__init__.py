"""Rendering a loaded plan to documents: `render(plan, fmt, lang) -> str`.

Backends: "md" (Markdown), "tex" (LaTeX), "py" (a Python module, from
`mrpl.render.python` when present). PDF is built from the LaTeX text by
`mrpl.render.pdf`, since it needs a TeX run, not just text.
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


def _python(plan: A.Plan, lang: str) -> str:
    try:
        module = importlib.import_module("mrpl.render.python")
    except ModuleNotFoundError as exc:
        if exc.name != "mrpl.render.python":
            raise
        raise BackendUnavailable("the py backend (mrpl.render.python) is not available") from None
    return str(module.render(plan, lang=lang))


BACKENDS: dict[str, Callable[[A.Plan, str], str]] = {"md": _markdown, "tex": _latex, "py": _python}
EXTENSIONS = {"md": ".md", "tex": ".tex", "pdf": ".pdf", "py": ".py"}


def render(plan: A.Plan, fmt: str, lang: str = "da") -> str:
    """The document text of `plan` in format `fmt` ("md", "tex", "py")."""
    from mrpl.i18n import LANGUAGES  # here, not above: mrpl.render.escape is imported without Babel

    if fmt not in BACKENDS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(BACKENDS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return BACKENDS[fmt](plan, lang)


__all__ = ["BACKENDS", "EXTENSIONS", "BackendUnavailable", "render"]
