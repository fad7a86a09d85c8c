"""Syntax errors in words a policy writer understands.

Lark reports terminal names (`KW_WEIGHT`, `NUMBER`); these become phrases
("a number", "`vægt`"), and the keyword just before the error says where we
are ("expected a number after `vægt`").
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from mrpl.keywords import by_name

_TERMINALS = {
    "STRING": 'a quoted text ("..." or a """...""" block)',
    "NUMBER": "a number (decimal comma: 2,5)",
    "INT": "a whole number",
    "ISO_DATE": "a date (2022-03-31 or 31. marts 2022)",
    "ORDINAL": 'an ordinal ("1.")',
    "GOAL_ID": "a goal number (1.1, 3, A)",
    "LABEL": "a requirement label (a, b, 1, 2, 3.1)",
    "MONTH": "a month name",
    "PERCENT": "% or pct.",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "VBAR": "`|`",
    "COLON": "`:`",
    "COLKIND": "a budget column kind (R, B, F, BO1)",
    "QUARTER_CODE": "a quarter (Q1-Q4)",
    "HALF_CODE": "a half-year (H1, H2)",
    "DASH": "`-` (no amount)",
    "NAME": "a name",
    "_NL": "a new line",
    "$END": "the end of the file",
}


@dataclass(frozen=True, slots=True)
class Curated:
    """A message for a mistake writers make, and small plans that make it. An error is
    matched to the examples as Lark's `UnexpectedInput.match_examples` does, by the
    parser state at the error and the kind of token found, but at any nesting depth
    (mrpl.parse computes the examples' states once)."""

    message: str  # may name the token found as {found}
    fix: str | None
    examples: tuple[str, ...]


def _in_requirement(line: str) -> str:
    return f'mål 1.1 "A" {{\n  resultatkrav {{\n    {line}\n  }}\n}}\n'


CURATED: tuple[Curated, ...] = (
    Curated(
        "{found} is not a unit of a scale step: a step compares a number with %, `point` or a time unit",
        "write the amount without its unit (`mindst 200000: 100 %`) and name the unit in the target",
        (_in_requirement("opfyldelse trin { mindst 200000 kr: 100 %; ellers: 0 % }"),
         _in_requirement("opfyldelse lineær fra 100 kr til 200 point")),
    ),
)  # fmt: skip

_CODE_UNEXPECTED_TOKEN = "MRP002"
_CODE_BAD_CHARACTER = "MRP004"
_CODE_UNCLOSED = "MRP005"


def describe_terminal(name: str, language: str = "da") -> str:
    if name.startswith("KW_"):
        kw = by_name().get(name[3:])
        if kw is not None:
            return f"`{kw.spelling(language)}`"
    return _TERMINALS.get(name, name.lower())


def _expected_phrase(expected: set[str]) -> str:
    names = sorted({describe_terminal(n) for n in expected if n not in ("WS", "COMMENT")})
    if not names:
        return "something else"
    if len(names) > 6:
        return "a statement (" + ", ".join(names[:6]) + ", ...)"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _found(token: Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    if token.type == "_NL":
        return "the end of the line"
    text = token.value if len(token.value) <= 30 else token.value[:27] + "..."
    return f"`{text}`"


def _previous_keyword(exc: UnexpectedToken) -> str:
    """ " after `vægt`" or " inside `resultatkrav`": where the parser was when it stopped."""
    state = getattr(exc, "interactive_parser", None)
    stack = getattr(getattr(state, "parser_state", None), "value_stack", None) or []
    opened = False
    for item in reversed(stack):
        if not isinstance(item, Token):
            break
        if item.type.startswith("KW_"):
            return f" {'inside' if opened else 'after'} `{item.value}`"
        opened = opened or item.value == "{"
    return ""


def _keyword_hint(token: Token, expected: set[str]) -> str | None:
    """ "did you mean `vægt`?" for a misspelled keyword; where a keyword belongs when it is misplaced."""
    if token.type.startswith("KW_"):
        return f"`{token.value}` cannot stand here; see docs/language.md for where it belongs"
    word = token.value.strip()
    if not word.isalpha():
        return None
    spellings = {s: n for n in expected if n.startswith("KW_") for s in _spellings(n[3:])}
    import difflib  # only when a name is unknown: not at start-up

    close = difflib.get_close_matches(word.lower(), list(spellings), n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return 'text belongs inside quotes: "..."'


def _spellings(name: str) -> tuple[str, ...]:
    kw = by_name().get(name)
    return (kw.da + kw.en) if kw else ()


def _misspelt_keyword(token: Token, expected: set[str]) -> str | None:
    """The keyword a word that stands where a keyword belongs is a misspelling of."""
    word = token.value.strip()
    if not word.isalpha() or token.type.startswith("KW_"):
        return None
    spellings = [s for n in expected if n.startswith("KW_") for s in _spellings(n[3:])]
    import difflib  # only when a name is unknown: not at start-up

    close = difflib.get_close_matches(word.lower(), spellings, n=1, cutoff=0.75)
    return close[0] if close else None


def describe_unexpected(
    exc: UnexpectedInput, source: str, curated: Curated | None = None
) -> tuple[str, str, str | None]:
    """(code, message, fix hint) for a Lark parse error; `curated` is the matching entry
    of CURATED, if any."""
    if curated is not None and isinstance(exc, UnexpectedToken):
        return _CODE_UNEXPECTED_TOKEN, curated.message.format(found=_found(exc.token)), curated.fix
    if isinstance(exc, UnexpectedCharacters):
        ch = source[exc.pos_in_stream] if exc.pos_in_stream < len(source) else ""
        rest = source[exc.pos_in_stream : exc.pos_in_stream + 3]
        if rest.startswith('"""') or (ch == '"' and '"' not in source[exc.pos_in_stream + 1 :].split("\n", 1)[0]):
            closer = '"""' if rest.startswith('"""') else '"'
            return _CODE_UNCLOSED, f"this text is never closed: add {closer} where it ends", None
        if ch == "\ufeff":
            return _CODE_BAD_CHARACTER, "an invisible byte order mark (U+FEFF) stands here", "delete it"
        shown = repr(ch) if not ch.isprintable() or ch.isspace() else f"`{ch}`"
        return _CODE_BAD_CHARACTER, f"unexpected character {shown} here", 'text belongs inside quotes: "..."'
    if isinstance(exc, UnexpectedEOF):
        return (
            _CODE_UNEXPECTED_TOKEN,
            f"the file ends too early: expected {_expected_phrase(set(exc.expected))}",
            ("is a `}` missing?"),
        )
    if isinstance(exc, UnexpectedToken):
        expected = _expected_phrase(set(exc.accepts or exc.expected))
        after = _previous_keyword(exc)
        if exc.token.type == "$END":
            return _CODE_UNEXPECTED_TOKEN, f"the file ends too early: expected {expected}{after}", "is a `}` missing?"
        keyword = _misspelt_keyword(exc.token, set(exc.accepts or exc.expected))
        if keyword is not None:
            return _CODE_UNEXPECTED_TOKEN, f"{_found(exc.token)} is not a keyword: did you mean `{keyword}`?", None
        message = f"expected {expected}{after}, found {_found(exc.token)}"
        return _CODE_UNEXPECTED_TOKEN, message, _keyword_hint(exc.token, set(exc.accepts or exc.expected))
    return _CODE_UNEXPECTED_TOKEN, str(exc).splitlines()[0], None
