"""One diagnostic model for every stage, and its renderers.

Parser, loader, checker, results reader and language server all report
`Diagnostic`s; the CLI renders them as text (gcc/ruff style with a source
snippet) or JSON, the language server as LSP diagnostics.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import field

from mrpl.ast import Span
from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead
from mrpl.scanners import compile_ahead


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


def render_text(
    diagnostic: Diagnostic, sources: Mapping[str, str], colour: bool = False, lines: _SourceLines | None = None
) -> str:
    """`path:line:col: error[CODE]: message`, a snippet with a caret, notes. Plan text in it
    (messages quote names and texts) goes through `terminal_text`: no control character
    from a plan reaches the terminal."""
    from mrpl.render.escape import terminal_text

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    lines = lines if lines is not None else _SourceLines(sources)
    d = diagnostic
    location = terminal_text(_location(d.span))
    head = f"{paint(_BOLD, location)}: {paint(_COLOURS[d.severity], f'{d.severity.word}[{d.code}]')}: "
    out = [head + terminal_text(d.message)]
    out += _snippet(d.span, lines, paint)
    for rel in d.related:
        out.append(f"  {paint(_BLUE, '=')} {terminal_text(_location(rel.span))}: {terminal_text(rel.message)}")
        out += _snippet(rel.span, lines, paint)
    for note in d.notes:
        out.append(f"  {paint(_BLUE, '=')} note: {terminal_text(note)}")
    if d.fix:
        out.append(f"  {paint(_BLUE, '=')} help: {terminal_text(d.fix)}")
    return "\n".join(out)


class _SourceLines:
    """Each file's lines, split once however many diagnostics point into it. Lines end at
    "\n" only, as the parser counts them (not at form feeds or U+2028)."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = sources
        self.split: dict[str, list[str]] = {}

    def line(self, file: str, number: int) -> str | None:
        lines = self.split.get(file)
        if lines is None:
            source = self.sources.get(file)
            if source is None:
                return None
            lines = self.split[file] = source.split("\n")
        if not 1 <= number <= len(lines):
            return None
        return lines[number - 1].removesuffix("\r")


def _location(span: Span) -> str:
    return f"{span.file or '<input>'}:{span.line}:{span.column}"


# Tabs, other control characters and line separators take one column each in the snippet
# (shown as a space: none reaches the terminal, and the caret stays under its column).
_NOT_SHOWN = compile_ahead(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _snippet(span: Span, lines: _SourceLines, paint) -> list[str]:  # type: ignore[no-untyped-def]
    from mrpl.render.escape import terminal_text

    line = lines.line(span.file, span.line)
    if line is None:
        return []
    text = _NOT_SHOWN.sub(" ", line)
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
        f"{paint(_BLUE, gutter)} {paint(_BLUE, '|')} {terminal_text(text)}",
        f"{pad} {paint(_BLUE, '|')} {' ' * len(terminal_text(text[: span.column - 1]))}{paint(_BOLD, '^' * width)}",
    ]


def render_texts(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str], colour: bool = False) -> str:
    lines = _SourceLines(sources)
    return "\n".join(render_text(d, sources, colour, lines) for d in diagnostics)


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
