"""Jinja environments whose output cannot carry unescaped plan text.

Autoescape is on and the finalize hook runs before it: `Markup` (what the
backend's filters and macros build) passes through, `Prose` is marked up by
the backend, and any other value is escaped for the format's text context.
Jinja's own HTML escape then sees only `Markup` and leaves it alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup

from mrpl import ast as A
from mrpl.i18n import phrase
from mrpl.resources import data_dir

_LATEX_SYNTAX: dict[str, Any] = {
    "block_start_string": r"\BLOCK{",
    "block_end_string": "}",
    "variable_start_string": r"\VAR{",
    "variable_end_string": "}",
    "comment_start_string": r"\#{",
    "comment_end_string": "}",
    "line_statement_prefix": None,
    "line_comment_prefix": None,
}


def environment(
    kind: str,
    escape: Callable[[str], str],
    prose: Callable[[A.Prose], str],
    filters: dict[str, Callable[..., Any]],
) -> jinja2.Environment:
    """An environment for `templates/<kind>/` with the format's escaping."""

    def finalize(value: Any) -> Markup:
        if isinstance(value, Markup):
            return value
        if value is None:
            return Markup("")
        if isinstance(value, A.Prose):
            return Markup(prose(value))
        return Markup(escape(str(value)))

    syntax = _LATEX_SYNTAX if kind == "tex" else {}
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates") / kind)),
        autoescape=True,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        **syntax,
    )
    env.filters.update(filters)
    env.globals["phrase"] = phrase
    return env
