"""Escaping plan text for each output context.

One function per context, each a single regex or translation table, so no
character of plan text can become markup in the output:

- `markdown_text`: inline Markdown (paragraphs, headings, table cells);
- `latex_text`: LaTeX text mode;
- `latex_label`: `\\label{}` / `\\ref{}` keys (only a safe alphabet survives);
- `toml_string`: a TOML basic string (the results template);
- `csv_cell`: a spreadsheet cell that cannot start a formula (the CSV results template);
- `terminal_text`: text for a terminal (text reports, diagnostics, diffs): no control
  character reaches it, so no escape sequence can recolour, hide or rewrite output.
- `typst_markup`, `typst_string`, `typst_raw`: Typst markup, string literals and raw text;
- `typst_label`: Typst label names;
- `word_text`: text for a Word (OOXML) run or property: only what XML 1.0 can hold;
- `html_text`: HTML text and attribute values (the portfolio page, its inline SVG).

The template finalize hooks (mrpl.render.jinja) pass `markupsafe.Markup`
(output the renderer built itself) through and send everything else here.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------
# Markdown (CommonMark + GFM tables)

# Every ASCII punctuation character that can start or end inline markup,
# an HTML tag, an entity, a link, a table cell or (at a line start) a block.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>#!|~&^$])")
# At a line start "12." / "12)" opens an ordered list, "-", "+" a bullet list
# or a setext underline, "=" a setext underline.
# What CommonMark reads as structure at the start of a line: an ordered-list marker ("1." or
# "1)" before a space or the end), a bullet ("-", "+" before a space or the end), or a line of
# only "=" or "-" (a setext underline or thematic break). "1.0 Indledning" needs no escape.
_MD_LINE_START = re.compile(r"^(\d+)(?=[.)](?:[ \t]|$))|^(?=[-+](?:[ \t]|$))|^(?=[=-]+[ \t]*$)")
_MD_SPACE = re.compile(r"\s+")
# Control characters (C0 but whitespace, DEL, C1) have no place in a document: shown as U+FFFD.
_MD_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def markdown_text(text: str) -> str:
    """Plan text as inline Markdown: every markup character backslash-escaped,
    whitespace (newlines too) collapsed so text cannot open a block or break
    a table row."""
    flat = _MD_SPACE.sub(" ", _MD_CONTROL.sub("\ufffd", text))
    escaped = _MD_INLINE.sub(r"\\\1", flat)
    return _MD_LINE_START.sub(lambda m: (m.group(1) or "") + "\\", escaped, count=1)


# --------------------------------------------------------------------------
# LaTeX

_TEX_CHARS: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "%": r"\%",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",  # also an active shorthand under babel-danish
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
    "[": "{[}",  # never read as an optional argument
    "]": "{]}",
    "-": "-{}",  # no -- / --- ligatures: a hyphen stays a hyphen
    ",": ",{}",  # only before another comma: ",," is a ligature („) in T1 fonts
    "\u00a0": "~",
    "•": r"\textbullet{}",
    "€": r"\texteuro{}",
    "≥": r"\ensuremath{\geq}",
    "≤": r"\ensuremath{\leq}",
    "→": r"\ensuremath{\rightarrow}",
    "\u2009": r"\,",
    # A line may break after a slash and the word after it may hyphenate
    # ("Leverandørstyring/databehandlerforhold" in a narrow column).
    "/": r"/\hspace{0pt}",
}
# Characters T1 (+ TS1 from textcomp) and utf8 inputenc typeset as they are: Latin-1 and
# Latin Extended-A but the nine letters t1enc.dfu does not define (Ħ ħ ĸ Ŀ ŀ ŉ Ŧ ŧ ſ), which
# would stop pdflatex ("Unicode character not set up"): those are shown as their code point.
_NOT_IN_T1 = "\u0126\u0127\u0138\u013f\u0140\u0149\u0166\u0167\u017f"
_TEX_SAFE = re.compile(
    rf"(?![{_NOT_IN_T1}])[ -~\u00a1-\u00ff\u0100-\u017f\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2026]"
)
_TEX_ANY = re.compile(
    r"[\\{}$&#^_~%<>|\"'`\[\]\-/]|,(?=,)|"
    rf"[{_NOT_IN_T1}]|[^ -~\u00a1-\u017f\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2026]",
    re.S,
)


def _tex_char(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _TEX_CHARS:
        return _TEX_CHARS[char]
    if char in "\n\r\t":
        return " "
    if _TEX_SAFE.fullmatch(char):
        return char
    # Outside what pdflatex can set: show the code point rather than fail.
    return rf"\mrplchar{{{ord(char):04X}}}"


def latex_text(text: str) -> str:
    """Plan text for LaTeX text mode: every special character neutralised."""
    return _TEX_ANY.sub(_tex_char, text)


_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9.:]+")


def latex_label(text: str) -> str:
    """A key for `\\label`/`\\ref`/`\\hypertarget`: letters, digits, '.', ':' and '-'."""
    return _LABEL_UNSAFE.sub("-", text).strip("-") or "x"


# --------------------------------------------------------------------------
# TOML (the results template)

# TOML basic strings forbid every control character but tab (U+0000-U+001F, U+007F); the
# short escapes first, the rest as \uXXXX.
_TOML_SHORT = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_TOML_UNSAFE = re.compile(r'["\\\x00-\x1f\x7f]')


def toml_string(text: str) -> str:
    """`text` as a TOML basic string, quotes included: one line, whatever the text holds."""
    return '"' + _TOML_UNSAFE.sub(lambda m: _TOML_SHORT.get(m.group(), f"\\u{ord(m.group()):04X}"), text) + '"'


# --------------------------------------------------------------------------
# CSV (the results template, opened in a spreadsheet)

# OWASP's CSV-injection advice: a cell starting with = + - @ (or tab / carriage return, which
# some spreadsheets skip before them) is a formula; a leading apostrophe makes it text.
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# A template's row is one line: a bare carriage return (which the csv module, writing "\n"
# line ends, would not quote) or another control character in a title would end the row early.
_CSV_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def csv_cell(text: str) -> str:
    """A text cell on one line that a spreadsheet shows as text (the csv module adds the quoting)."""
    flat = _CSV_CONTROL.sub(" ", text)
    return "'" + flat if flat.startswith(_CSV_FORMULA_START) else flat


# --------------------------------------------------------------------------
# Word (OOXML)

# XML 1.0 cannot hold C0 controls other than tab, newline and carriage return, nor U+FFFE/U+FFFF
# (python-docx refuses them): shown as U+FFFD, as Markdown does.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def word_text(text: str) -> str:
    """Plan text for a Word run, cell or property: python-docx writes it as XML text, so
    only characters XML cannot hold need replacing."""
    return _XML_UNSAFE.sub("\ufffd", text)


# --------------------------------------------------------------------------
# Typst
#
# Three contexts: markup (text in a document or in a `[...]` content block),
# string literals ("..." in code: metadata, labels' texts) and raw text
# (placeholders shown as code). Raw text is written as `#raw("...")`, so it
# rests on the string escape and needs no fence that plan text could close.

# Every ASCII character that starts markup, a shorthand ("--", "...", "~",
# "-1" as a minus, "'" and '"' as smart quotes), a comment ("//", "/*"), a
# URL ("https://" links itself), a label ("<"), a reference ("@"), code ("#"),
# math ("$"), raw text ("`"), a content block's end ("]") or, at a line start,
# a heading ("="), a list ("-", "+", "1."), a term ("/"). Typst reads a
# backslash before any of them as that character itself.
_TYPST_MARKUP = re.compile(r"([\\#$*_`<>@\[\]{}/=\-+~'\".])")
_TYPST_SPACE = re.compile(r"\s+")
# Characters that are never text: C0/C1 controls and the Unicode line/paragraph separators.
_TYPST_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def typst_markup(text: str) -> str:
    """Plan text as Typst markup: whitespace collapsed to single spaces (a newline
    cannot open a block), controls dropped, every markup character escaped."""
    flat = _TYPST_SPACE.sub(" ", _TYPST_CONTROL.sub(" ", text))
    return _TYPST_MARKUP.sub(r"\\\1", flat)


_TYPST_STRING = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def typst_string(text: str) -> str:
    """Plan text as the inside of a Typst string literal (the quotes are the caller's)."""
    clean = _TYPST_CONTROL.sub(" ", text)
    return "".join(_TYPST_STRING.get(c, c) for c in clean)


def typst_raw(text: str) -> str:
    """Plan text shown verbatim in monospace: a `#raw("...")` call on the escaped string."""
    return '#raw("' + typst_string(text) + '")'


_TYPST_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def typst_label(text: str) -> str:
    """A Typst label name (`<mrpl-...>`): letters and digits, the rest as '-'."""
    return "mrpl-" + (_TYPST_LABEL_UNSAFE.sub("-", text).strip("-") or "x")


# --------------------------------------------------------------------------
# HTML (text and quoted attribute values; inline SVG is the same context)

_HTML_CHARS = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
# C0/C1 controls (tab and newline excepted) have no place in a page: they are dropped.
_HTML_ANY = re.compile(r"[&<>\"']|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def html_text(text: str) -> str:
    """Plan text for HTML text or a double- or single-quoted attribute value."""
    return _HTML_ANY.sub(lambda m: _HTML_CHARS.get(m.group(0), ""), text)


# --------------------------------------------------------------------------
# Terminal (text reports, text diagnostics, text diffs)

# C0 and C1 controls (ESC opens a terminal escape sequence), DEL, and the bidi
# overrides and isolates that can make a line read differently than it is.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """Plan text for a terminal: a control character shows as U+FFFD, never acts."""
    return _TERMINAL_UNSAFE.sub("\ufffd", text)
