"""One diagnostic model for every stage, and its renderers.

Parser, loader, checker, results reader and language server all report
`Diagnostic`s; the CLI renders them as text (gcc/ruff style with a source
snippet) or JSON, the language server as LSP diagnostics.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import field

from mrpl.ast import Span
from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def word(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Related:
    """Another location that explains a diagnostic ("first defined here")."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span
    notes: tuple[str, ...] = ()
    fix: str | None = None  # a human hint ("did you mean 1.4?")
    related: tuple[Related, ...] = ()
    replacement: str | None = field(default=None)  # exact text to put at `span`, for code actions

    @property
    def file(self) -> str:
        return self.span.file

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.file, self.span.line, self.span.column, self.code)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity >= Severity.ERROR for d in diagnostics)


def promote_warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """`--strict`: warnings become errors."""
    out = []
    for d in diagnostics:
        if d.severity == Severity.WARNING:
            d = Diagnostic(d.code, Severity.ERROR, d.message, d.span, d.notes, d.fix, d.related, d.replacement)
        out.append(d)
    return out


# --------------------------------------------------------------------------
# Text renderer


_COLOURS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
_BOLD, _BLUE, _RESET = "\x1b[1m", "\x1b[1;34m", "\x1b[0m"


def render_text(diagnostic: Diagnostic, sources: Mapping[str, str], colour: bool = False) -> str:
    """`path:line:col: error[CODE]: message`, a snippet with a caret, notes."""

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    d = diagnostic
    head = (
        f"{paint(_BOLD, _location(d.span))}: {paint(_COLOURS[d.severity], f'{d.severity.word}[{d.code}]')}: {d.message}"
    )
    lines = [head]
    lines += _snippet(d.span, sources.get(d.span.file), paint)
    for rel in d.related:
        lines.append(f"  {paint(_BLUE, '=')} {_location(rel.span)}: {rel.message}")
        lines += _snippet(rel.span, sources.get(rel.span.file), paint)
    for note in d.notes:
        lines.append(f"  {paint(_BLUE, '=')} note: {note}")
    if d.fix:
        lines.append(f"  {paint(_BLUE, '=')} help: {d.fix}")
    return "\n".join(lines)


def _location(span: Span) -> str:
    return f"{span.file or '<input>'}:{span.line}:{span.column}"


# Tabs, other control characters and line separators take one column each in the snippet.
_NOT_SHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _snippet(span: Span, source: str | None, paint) -> list[str]:  # type: ignore[no-untyped-def]
    if source is None:
        return []
    lines = source.split("\n")  # as the parser counts lines: not at \f, \v or U+2028 (str.splitlines does)
    if not 1 <= span.line <= len(lines):
        return []
    text = _NOT_SHOWN.sub(" ", lines[span.line - 1].rstrip("\r"))
    if len(text) > 200:  # keep snippets of huge one-line inputs readable
        text = text[:200] + "…"
    gutter = str(span.line)
    width = 1
    if span.end_line == span.line:
        width = max(1, span.end_column - span.column)
    width = max(1, min(width, len(text) - span.column + 2))
    pad = " " * len(gutter)
    return [
        f"{pad} {paint(_BLUE, '|')}",
        f"{paint(_BLUE, gutter)} {paint(_BLUE, '|')} {text}",
        f"{pad} {paint(_BLUE, '|')} {' ' * (span.column - 1)}{paint(_BOLD, '^' * width)}",
    ]


def render_texts(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str], colour: bool = False) -> str:
    return "\n".join(render_text(d, sources, colour) for d in diagnostics)


def summary(diagnostics: list[Diagnostic]) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in Severity}
    parts = [
        plural(counts[Severity.ERROR], "error", "errors"),
        plural(counts[Severity.WARNING], "warning", "warnings"),
        f"{counts[Severity.INFO]} info",
    ]
    return ", ".join(parts)


_UNREAD = {
    "da": ("advarsel", "advarsler", "note", "noter", "og", "kør `mrplc check {file}` for at se {them}", "den", "dem"),
    "en": ("warning", "warnings", "note", "notes", "and", "run `mrplc check {file}` to see {them}", "it", "them"),
}  # fmt: skip


def unread_summary(diagnostics: list[Diagnostic], file: str, lang: str = "da") -> str | None:
    """One line for the warnings and notes a command does not print (`build`):
    "16 advarsler og 6 noter — kør `mrplc check plan.mrp` for at se dem"."""
    warning, warnings, note, notes, and_, hint, it, them = _UNREAD["da" if lang == "da" else "en"]
    counts = [sum(1 for d in diagnostics if d.severity is s) for s in (Severity.WARNING, Severity.INFO)]
    parts = [plural(n, one, many) for n, one, many in zip(counts, (warning, note), (warnings, notes), strict=True) if n]
    if not parts:
        return None
    return f" {and_} ".join(parts) + " — " + hint.format(file=file, them=it if sum(counts) == 1 else them)


def plural(count: object, one: str, many: str) -> str:
    """ "1 error", "2 errors" (Danish too: "1 advarsel", "2 advarsler")."""
    return f"{count} {one if count == 1 else many}"


# --------------------------------------------------------------------------
# JSON renderer (schema documented in docs/diagnostics.md; version 1)

JSON_SCHEMA_VERSION = 1


def _range(span: Span) -> dict[str, object]:
    return {
        "start": {"line": span.line, "column": span.column, "offset": span.start},
        "end": {"line": span.end_line, "column": span.end_column, "offset": span.end},
    }


def to_json_dict(d: Diagnostic) -> dict[str, object]:
    return {
        "code": d.code,
        "severity": d.severity.word,
        "message": d.message,
        "file": d.span.file,
        "range": _range(d.span),
        "notes": list(d.notes),
        "suggestion": d.fix,
        "replacement": d.replacement,
        "related": [{"file": r.span.file, "range": _range(r.span), "message": r.message} for r in d.related],
    }


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    items = [to_json_dict(d) for d in diagnostics]
    return json.dumps({"version": JSON_SCHEMA_VERSION, "diagnostics": items}, ensure_ascii=False, indent=2)
