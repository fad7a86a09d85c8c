"""Source text to `ast.Plan`: the only module that sees Lark's parse tree.

`parse_source` never raises on bad input: it returns the plan it could build
(None when nothing usable) and the syntax diagnostics.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import threading
from array import array
from collections.abc import Callable
from dataclasses import field
from datetime import date
from decimal import Decimal
from functools import cache
from types import ModuleType
from typing import Any

import lark
from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from mrpl import ast as A
from mrpl.ast import change_percent
from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead
from mrpl.diagnostics import Diagnostic, Severity
from mrpl.gc_pause import collector_paused
from mrpl.keywords import by_name, keywords, month_number, terminal_definitions
from mrpl.prose import parse_prose
from mrpl.recovery import OpenBlock, close_blocks, missing_brace, recover, where_brace_belongs
from mrpl.resources import grammar_path
from mrpl.scanners import (
    SCANNERS_FILE,
    LazyContextualLexer,
    ahead_patterns,
    compile_ahead,
    packaged_file,
    packaged_scanners,
    read_scanners,
    scanner_patterns,
    scanners_payload,
)
from mrpl.scanners import install as install_scanners
from mrpl.stored_parser import build_parser, tables_source, usable
from mrpl.syntax_messages import CURATED, Curated, describe_unexpected

MAX_SOURCE_CHARS = 16_000_000  # about 16 MB: far beyond any plan, small enough to stay interactive
MAX_SYNTAX_ERRORS = 20
# Tokens error recovery may skip in all: a long line of garbage is given up on, not walked
# token by token (each recovery costs the LALR parser far more than a token read).
MAX_RECOVERIES = 200
# A run of more digits than this in a number, a date or a goal number is refused (MRP021): no plan
# counts beyond 10^15, and longer runs overflow dates, int() and Decimal formatting in later stages.
MAX_DIGITS = 15
# Blocks nested deeper than this are refused (MRP003): real plans nest five levels, and every
# stage after the parser (check, fmt, serialize, render) walks the tree recursively.
MAX_NESTING = 64


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    span: A.Span


@dataclass(slots=True)
class ParseResult:
    """What the parser made of one file."""

    plan: A.Plan | None
    diagnostics: list[Diagnostic]
    source: str
    path: str
    comments: tuple[Comment, ...] = ()
    language: str = "da"  # the keyword language most used in the file
    # Where each keyword stands, 7 ints a keyword (see `_KeywordLog`): a big plan has
    # hundreds of thousands of them, so spans are made only when asked for.
    keyword_positions: array[int] = field(default_factory=lambda: array("l"))
    keyword_votes: tuple[int, int] = (0, 0)  # keywords spelled only in Danish, only in English

    @property
    def keyword_spans(self) -> tuple[tuple[str, A.Span], ...]:
        """(keyword name, span) for every keyword, in source order (the formatter uses them)."""
        names, p = _keyword_names(), self.keyword_positions
        return tuple(
            (names[p[i]], A.Span(p[i + 1], p[i + 2], p[i + 3], p[i + 4], p[i + 5], p[i + 6], self.path))
            for i in range(0, len(p), 7)
        )


@cache
def _keyword_names() -> tuple[str, ...]:
    return tuple(kw.name for kw in keywords())


def keyword_name(index: int) -> str:
    """The canonical name of the keyword stored as `index` in `ParseResult.keyword_positions`."""
    return _keyword_names()[index]


@cache
def _keyword_index() -> dict[str, int]:
    return {f"KW_{name}": i for i, name in enumerate(_keyword_names())}


@cache
def _keyword_facts(terminal: str, spelling: str) -> tuple[int, str | None]:
    """A keyword token's index in `keyword_positions` and the language of its spelling
    (memoised: a plan spells each keyword one or two ways, thousands of times)."""
    return _keyword_index()[terminal], by_name()[terminal[3:]].language_of(spelling)


def keyword_language(index: int, spelling: str) -> str | None:
    """ "da", "en" or None (shared spelling) for the keyword stored as `index`, spelt so."""
    return _keyword_facts(f"KW_{keyword_name(index)}", spelling)[1]


class _KeywordLog:
    """What the lexer saw of keywords during one parse: positions and language votes."""

    __slots__ = ("positions", "votes")

    def __init__(self, seed_votes: tuple[int, int] = (0, 0)) -> None:
        self.positions: array[int] = array("l")
        self.votes = {"da": seed_votes[0], "en": seed_votes[1]}

    def add(self, token: Token) -> None:
        index, lang = _keyword_facts(token.type, token.value)
        self.positions.extend(
            (index, token.start_pos, token.end_pos, token.line, token.column, token.end_line, token.end_column)  # type: ignore[arg-type]
        )
        if lang:
            self.votes[lang] += 1

    def language(self) -> str:
        """The keyword language most used (spellings shared by both count for neither)."""
        return "en" if self.votes["en"] > self.votes["da"] else "da"


_LARK_OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": True}


def _grammar_text() -> str:
    with open(grammar_path("mrpl.lark"), encoding="utf-8") as fh:
        return fh.read() + "\n" + terminal_definitions()


def _stamp(grammar: str) -> str:
    """Which grammar (and Lark) the stored tables were made from."""
    return hashlib.sha256(f"{lark.__version__}\n{grammar}".encode()).hexdigest()


@cache
def _parser() -> Lark:
    return make_parser(use_tables=True)


def make_parser(use_tables: bool, stored_scanners: bool = True) -> Lark:
    """Built once per process. The builder runs inline (`transformer=`): LALR
    calls it at each reduction, so no intermediate parse tree is made.

    The LALR tables come from the generated module mrpl/lalr_tables.py when it
    matches the grammar (computing them takes most of a second); otherwise they
    are computed from the grammar. With the tables, the lexer's scanners come
    from grammar/mrpl.scanners.json where it has them (see `mrpl.scanners`)."""
    callbacks: dict[str, Callable[[Token], Token]] = {"COMMENT": _collect("comments"), "_NL": _comments_in_break}
    callbacks.update({f"KW_{kw.name}": _log_keyword for kw in keywords()})
    callbacks.update(dict.fromkeys(_NUMERIC_TERMINALS, _limit_digits))
    callbacks.update({"LBRACE": _open_block, "RBRACE": _close_block})
    options = {**_LARK_OPTIONS, "transformer": _Dispatch(), "lexer_callbacks": callbacks}
    grammar = _grammar_text()
    stamp = _stamp(grammar)
    tables = _stored_tables(stamp) if use_tables else None
    if tables is not None:
        parser = build_parser(tables, {**options, "_plugins": {"ContextualLexer": LazyContextualLexer}})
        if stored_scanners:
            install_scanners(parser, packaged_scanners(stamp))
        return parser
    return Lark(grammar, **options)


def _stored_tables(stamp: str) -> ModuleType | None:
    """mrpl/lalr_tables.py, if it is there and made from this grammar (and Lark)."""
    try:
        from mrpl import lalr_tables
    except Exception:  # missing, or broken by hand: the grammar is still there to compute from
        return None
    return lalr_tables if usable(lalr_tables, stamp) else None


TABLES_MODULE = "lalr_tables.py"


def write_tables(path: str | None = None) -> str:
    """Compute the LALR tables and write them as mrpl/lalr_tables.py (see grammar/README.md),
    and the lexer's compiled scanners for them (`mrpl.scanners`), unless both are current.

    Lark numbers the states in an order that varies from run to run (it iterates
    over sets of objects), so tables that already match the grammar are left as they
    are rather than rewritten with other numbers."""
    target = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), TABLES_MODULE)
    if path is None and tables_are_current():
        write_scanners()
        return target
    grammar = _grammar_text()
    made_by = '`python -c "from mrpl.parse import write_tables; write_tables()"`'
    text = tables_source(Lark(grammar, **_LARK_OPTIONS), _stamp(grammar), made_by)
    from mrpl.files import replace_atomically  # tempfile and pathlib: not for reading plans

    replace_atomically(target, text.encode("utf-8"))
    if path is None:
        sys.modules.pop("mrpl.lalr_tables", None)
        write_scanners()
    return target


def tables_are_current() -> bool:
    return _stored_tables(_stamp(_grammar_text())) is not None


def write_scanners() -> str | None:
    """Write grammar/mrpl.scanners.json for the current tables and this Python, unless current.
    None where Python's `re` engine is not CPython's (nothing to store)."""
    target = grammar_path(SCANNERS_FILE)
    if scanners_are_current():
        return target
    payload = scanners_payload(_patterns_to_store(), _stamp(_grammar_text()))
    if payload is None:
        return None
    from mrpl.files import replace_atomically

    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    replace_atomically(target, text.encode("utf-8"))
    packaged_file.cache_clear()  # read again when next asked for
    return target


def scanners_are_current() -> bool:
    """Whether grammar/mrpl.scanners.json holds every scanner of the current grammar for this Python."""
    stored = read_scanners(grammar_path(SCANNERS_FILE), _stamp(_grammar_text()))
    return bool(stored) and all(key in stored for key in _patterns_to_store())


def _patterns_to_store() -> list[tuple[str, int]]:
    """The lexer's scanners, and the patterns the modules of a check compile as they load."""
    import mrpl.check
    import mrpl.console  # noqa: F401

    return scanner_patterns(make_parser(use_tables=True, stored_scanners=False)) + ahead_patterns()


# The parser is shared; what one parse collects lives in thread-local state.
_local = threading.local()


def _collect(sink_name: str) -> Callable[[Token], Token]:
    def callback(token: Token) -> Token:
        sink = getattr(_local, sink_name, None)
        if sink is not None:
            sink.append(token)
        return token

    return callback


_NUMERIC_TERMINALS = ("NUMBER", "INT", "ORDINAL", "GOAL_ID", "LABEL")
_LONG_DIGITS = compile_ahead(rf"\d{{{MAX_DIGITS + 1},}}")


def _limit_digits(token: Token) -> Token:
    """A number too long for any plan is reported (MRP021) and read as a short one of the
    same shape, so that later stages never see it and the parse goes on."""
    if len(token) <= MAX_DIGITS or not _LONG_DIGITS.search(token):
        return token
    builder = getattr(_local, "builder", None)
    if builder is not None:
        longest = max(len(m) for m in _LONG_DIGITS.findall(token))
        builder.report(
            "MRP021",
            f"a number of {longest} digits; mrpl reads numbers of at most {MAX_DIGITS} digits",
            builder.tok_span(token),
        )
    return token.update(value=_LONG_DIGITS.sub("1", token))


class _Nesting:
    """How deep the lexer is in `{ }` blocks, and the first brace past MAX_NESTING."""

    def __init__(self) -> None:
        self.depth = 0
        self.too_deep: Token | None = None


def _open_block(token: Token) -> Token:
    nesting = getattr(_local, "nesting", None)
    if nesting is not None:
        nesting.depth += 1
        if nesting.depth > MAX_NESTING and nesting.too_deep is None:
            nesting.too_deep = token
    return token


def _close_block(token: Token) -> Token:
    nesting = getattr(_local, "nesting", None)
    if nesting is not None:
        nesting.depth = max(0, nesting.depth - 1)
    return token


def _span_of_token(tok: Token, path: str) -> A.Span:
    return A.Span(
        tok.start_pos or 0,
        tok.end_pos or 0,
        tok.line or 1,
        tok.column or 1,
        tok.end_line or tok.line or 1,
        tok.end_column or tok.column or 1,
        path,
    )


def _line_break_span(tok: Token, path: str) -> A.Span:
    """The first line break (or `;`) of a separator token, which may span several lines."""
    start, line, column = tok.start_pos or 0, tok.line or 1, tok.column or 1
    m = _FIRST_BREAK.match(tok)
    cut = m.end() if m else len(tok)
    if tok[cut - 1 : cut] == "\n":
        return A.Span(start, start + cut, line, column, line + 1, 1, path)
    return A.Span(start, start + cut, line, column, line, column + cut, path)


_FIRST_BREAK = compile_ahead(r"[ \t\f]*(?:#[^\n]*)?(?:\r?\n|;)")
_COMMENT = compile_ahead(r"#[^\n]*")


def _comments_in_break(token: Token) -> Token:
    """Comment lines are part of the separator token (one token for the whole run):
    collect them as the COMMENT terminal would."""
    sink = getattr(_local, "comments", None)
    if sink is not None and "#" in token:
        sink.extend(_token_within(token, m.start(), m.group()) for m in _COMMENT.finditer(token))
    return token


def _token_within(outer: Token, index: int, text: str) -> Token:
    """A COMMENT token for `text`, found at `index` in `outer`."""
    newline = outer.rfind("\n", 0, index)
    line = (outer.line or 1) + outer.count("\n", 0, index)
    column = index - newline if newline >= 0 else (outer.column or 1) + index
    start = (outer.start_pos or 0) + index
    return Token("COMMENT", text, start, line, column, line, column + len(text), start + len(text))


def _point_span(source: str, offset: int, path: str) -> A.Span:
    line = source.count("\n", 0, offset) + 1
    col = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return A.Span(offset, offset + 1, line, col, line, col + 1, path)


def parse_source(source: str, path: str = "<input>", *, seed_votes: tuple[int, int] = (0, 0)) -> ParseResult:
    """`seed_votes` start the keyword-language count (da, en): `mrpl.incremental`
    re-parses one statement of a file as it would read within the whole file."""
    if len(source) > MAX_SOURCE_CHARS:
        size = f"{len(source) / 1_000_000:.0f} MB"
        msg = f"this file is {size}; mrpl reads plans of at most {MAX_SOURCE_CHARS // 1_000_000} MB"
        return ParseResult(None, [_error("MRP001", msg, _point_span(source, 0, path))], source, path)
    diagnostics: list[Diagnostic] = []
    builder = _Builder(path, source, diagnostics)
    _local.comments, _local.keywords, _local.builder = [], _KeywordLog(seed_votes), builder
    _local.nesting = nesting = _Nesting()
    try:
        with collector_paused():
            plan = _parse_with_recovery(source, path, diagnostics)
        comments, log = _local.comments, _local.keywords
    finally:
        _local.comments = _local.keywords = _local.builder = _local.nesting = None
    if nesting.too_deep is not None:
        message = f"blocks nested more than {MAX_NESTING} deep; plans nest a few levels"
        diagnostics.append(_error("MRP003", message, _span_of_token(nesting.too_deep, path)))
        plan = None
    diagnostics.sort(key=Diagnostic.sort_key)  # in source order, not in the order rules were reduced
    comment_nodes = tuple(Comment(t.value, _span_of_token(t, path)) for t in comments)
    votes = (log.votes["da"] - seed_votes[0], log.votes["en"] - seed_votes[1])
    return ParseResult(plan, diagnostics, source, path, comment_nodes, log.language(), log.positions, votes)


def _log_keyword(token: Token) -> Token:
    log = getattr(_local, "keywords", None)
    if log is not None:
        log.add(token)
    return token


def _error(code: str, message: str, span: A.Span, fix: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, fix=fix)


def _parse_with_recovery(source: str, path: str, diagnostics: list[Diagnostic]) -> A.Plan | None:
    """Parse, reporting unexpected tokens and skipping them to find more errors."""
    error_lines: set[int] = set()
    recoveries = 0

    def on_error(exc: UnexpectedInput) -> bool:
        nonlocal recoveries
        recoveries += 1
        line = getattr(exc, "line", 0)
        unclosed = missing_brace(exc, source)
        if line not in error_lines and len(error_lines) < MAX_SYNTAX_ERRORS:
            error_lines.add(line)
            diagnostics.append(_missing_brace_diagnostic(unclosed, exc, source, path) if unclosed else
                               _syntax_diagnostic(exc, source, path))  # fmt: skip
        going_on = len(error_lines) < MAX_SYNTAX_ERRORS and recoveries < MAX_RECOVERIES
        going_on = going_on and not isinstance(exc, UnexpectedEOF)
        if going_on and unclosed is not None:
            close_blocks(exc, source)  # type: ignore[arg-type]
        elif going_on and _drops_the_statement(exc, source):
            recover(exc, source)
        return going_on

    try:
        plan = _parser().parse(_without_bom(source), on_error=on_error)
    except UnexpectedInput as exc:
        if getattr(exc, "line", 0) not in error_lines:
            diagnostics.append(_syntax_diagnostic(exc, source, path))
        return None
    except RecursionError:
        diagnostics.append(_error("MRP003", "the plan is nested too deeply to read", _point_span(source, 0, path)))
        return None
    return plan if isinstance(plan, A.Plan) else None


def _drops_the_statement(exc: UnexpectedInput, source: str) -> bool:
    """A character that cannot start anything is skipped alone (the rest of the statement
    may be fine); an unexpected word, or a quote never closed, costs the statement."""
    if getattr(exc, "interactive_parser", None) is None:
        return False
    if isinstance(exc, UnexpectedCharacters):
        return source[exc.pos_in_stream : exc.pos_in_stream + 1] == '"'
    return True


def _missing_brace_diagnostic(block: OpenBlock, exc: UnexpectedInput, source: str, path: str) -> Diagnostic:
    """At the line where the `}` belongs (mrpl.recovery.where_brace_belongs)."""
    offset = exc.token.start_pos or 0  # type: ignore[attr-defined]
    span = _point_span(source, where_brace_belongs(source, block, offset), path)
    what = f"`{block.keyword}`" if block.keyword else "the block"
    message = f"`}}` is missing: {what} opened on line {block.line} is not closed"
    return _error("MRP002", message, span, f"add `}}` at the indentation of line {block.line}")


def _without_bom(source: str) -> str:
    """A byte order mark opening the file, as a blank of the same length (offsets stay)."""
    return " " + source[1:] if source.startswith("\ufeff") else source


def _syntax_diagnostic(exc: UnexpectedInput, source: str, path: str) -> Diagnostic:
    offset = getattr(exc, "pos_in_stream", None)
    if isinstance(exc, UnexpectedToken) and exc.token.type == "_NL":
        span = _line_break_span(exc.token, path)
    elif isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        span = _span_of_token(exc.token, path)
    elif isinstance(exc, (UnexpectedEOF,)) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        span = (
            _point_span(source, max(0, len(source.rstrip()) - 1), path)
            if source.strip()
            else _point_span(source, 0, path)
        )
    else:
        offset = offset or 0
        if source[max(0, offset - 2) : offset + 1] == '"""':  # `"""` lexed as "" + an unclosed "
            offset -= 2
            exc.pos_in_stream = offset
        span = _point_span(source, offset, path)
    code, message, fix = describe_unexpected(exc, source, _curated_for(exc))
    return _error(code, message, span, fix)


def _curated_for(exc: UnexpectedInput) -> Curated | None:
    if not isinstance(exc, UnexpectedToken) or exc.state is None:
        return None
    return _curated_signatures().get((exc.state.position, exc.token.type))


@cache
def _curated_signatures() -> dict[tuple[int, str], Curated]:
    """Where the parser stands when it fails on each curated example (see
    mrpl.syntax_messages.CURATED): its LALR state and the kind of token it found."""
    out: dict[tuple[int, str], Curated] = {}
    saved = (getattr(_local, "comments", None), getattr(_local, "keywords", None), getattr(_local, "builder", None))
    try:
        for entry in CURATED:
            for example in entry.examples:
                _local.comments, _local.keywords = [], _KeywordLog()
                _local.builder = _Builder("<example>", example, [])
                try:
                    _parser().parse(example)
                except UnexpectedToken as exc:
                    out.setdefault((exc.state.position, exc.token.type), entry)
                except UnexpectedInput:
                    pass
    finally:
        _local.comments, _local.keywords, _local.builder = saved
    return out


# --------------------------------------------------------------------------
# Parse tree to AST


@dataclass(slots=True)
class _Item:
    key: str
    value: Any
    span: A.Span


_REPEATABLE = {
    "deadline", "target", "requirement", "goal", "method", "group", "part", "attribute",
    "core_item", "strategy_item", "weight_entry", "footnote", "annex", "section",
    "import", "set_value", "parameter", "step", "scale_point", "column", "budget_row", "section_task",
    "table_column", "standard_text", "amendment", "operation",
}  # fmt: skip


class _Fields:
    """The items of one block, by key; repeated single-valued keys are reported."""

    def __init__(self, items: list[_Item], builder: _Builder, where: str) -> None:
        self.single: dict[str, Any] = {}
        self.lists: dict[str, list[Any]] = {}
        for item in items:
            if not isinstance(item, _Item):
                continue
            if item.key in _REPEATABLE:
                self.lists.setdefault(item.key, []).append(item.value)
            elif item.key in self.single:
                builder.report(
                    "MRP010",
                    f"`{builder.spelling(item.key)}` is given twice in this {where}; keep one",
                    item.span,
                )
            else:
                self.single[item.key] = item.value

    def get(self, key: str, default: Any = None) -> Any:
        return self.single.get(key, default)

    def many(self, key: str) -> tuple[Any, ...]:
        return tuple(self.lists.get(key, ()))


_KEY_KEYWORD = {
    "text": "TEXT", "weight": "WEIGHT", "title": "TITLE", "scoring": "SCORING", "scope": "SCOPE",
    "background": "BACKGROUND", "dropped": "DROPPED", "unscored": "UNSCORED", "type": "TYPE",
    "preamble": "PREAMBLE", "postscript": "POSTSCRIPT", "place": "PLACE", "signed": "DATE",
    "organisation": "ORGANISATION", "source": "SOURCE", "measured_by": "MEASURED_BY",
    "frequency": "FREQUENCY", "criteria": "CRITERIA", "unit": "UNIT", "appropriation": "APPROPRIATION",
    "columns": "COLUMNS", "budget_total": "TOTAL", "note": "NOTE", "ministry": "MINISTRY",
    "department": "DEPARTMENT", "agency": "AGENCY", "short": "SHORT", "year": "YEAR",
    "period": "PERIOD", "total": "TOTAL", "director": "DIRECTOR", "head": "HEAD",
    "renegotiation": "RENEGOTIATION", "next_negotiation": "NEXT_NEGOTIATION",
    "introduction": "INTRODUCTION", "table_title": "TABLE_TITLE", "background_title": "BACKGROUND_TITLE",
    "annex_title": "ANNEX_TITLE", "part_cell": "CELL",
    "schedule": "SCHEDULE", "pay_footnote": "FOOTNOTE", "closing": "CLOSING", "plan": "PLAN",
    "strategy": "STRATEGY", "goals_intro": "GOALS_INTRO", "weights": "WEIGHTS", "follow_up": "FOLLOW_UP",
    "pay": "PAY", "group_columns": "COLUMNS", "numbering": "NUMBERING", "table_columns": "COLUMNS",
    "amends": "PLAN", "amend_date": "DATE", "reason": "REASON",
    "pay_maximum": "MAXIMUM", "pay_cap": "CAP", "salary": "SALARY",
    "weighting": "WEIGHTING", "goal_rule": "GOAL_STATUS",
}  # fmt: skip

# Top-level statements that are parts of the document's body, with the part a
# weights table written after them follows.
_BODY_PARTS = {
    "introduction": "introduction", "strategy": "strategy", "goals_intro": "goals", "section": "goals",
    "goal": "goals", "import": "goals", "follow_up": "follow_up", "pay": "pay",
}  # fmt: skip

_STRATEGY_KINDS = {
    "MISSION": A.StrategyKind.MISSION, "VISION": A.StrategyKind.VISION, "VALUES": A.StrategyKind.VALUES,
    "EFFECTS": A.StrategyKind.EFFECTS, "CONDITIONS": A.StrategyKind.CONDITIONS,
    "MARKER": A.StrategyKind.MARKER,
}  # fmt: skip

_STANDARD_TEXTS = {
    "KW_INTRODUCTION": A.StandardTextKind.INTRODUCTION, "KW_FOLLOW_UP": A.StandardTextKind.FOLLOW_UP,
    "KW_RENEGOTIATION": A.StandardTextKind.RENEGOTIATION, "KW_PERIOD": A.StandardTextKind.PERIOD,
}  # fmt: skip

_RELATIONS = {
    "AT_LEAST": A.Relation.AT_LEAST, "AT_MOST": A.Relation.AT_MOST, "BELOW": A.Relation.BELOW,
    "ABOVE": A.Relation.ABOVE, "EXACTLY": A.Relation.EXACTLY,
}  # fmt: skip

_TIME_UNITS = {
    "HOURS": A.TimeUnit.HOURS, "MINUTES": A.TimeUnit.MINUTES, "DAYS": A.TimeUnit.DAYS,
    "WEEKS": A.TimeUnit.WEEKS, "MONTHS": A.TimeUnit.MONTHS,
}  # fmt: skip


_BRACES = frozenset({"LBRACE", "RBRACE"})
_KEYWORDS_AND_BRACES = _BRACES | {f"KW_{kw.name}" for kw in keywords()}


def _decimal(token: Token) -> Decimal:
    """A number as written: decimal comma, dots between thousands ("2.400" is 2400)."""
    return Decimal(token.value.replace(".", "").replace(",", "."))


def full_year(written: str) -> int:
    """The year of a dotted date: "2017", or "17" for 2017 (plans write two digits for this century)."""
    return int(written) + 2000 if len(written) == 2 else int(written)


def _year_range(token: Token) -> tuple[int, int]:
    """ "2016-2019" (or with an en dash) -> (2016, 2019)."""
    first, last = token.value.replace("\u2013", "-").split("-")
    return int(first), int(last)


def _unquote(token: Token) -> str:
    raw = token.value
    if raw.startswith('"""') and len(raw) >= 6:  # a text block
        body = raw[3:-3]
        return _dedent_block(_unescape(body))
    return _unescape(raw[1:-1])


def _unescape(body: str) -> str:
    """Only \\" is an escape at this level; other backslashes stay for the prose markup."""
    if "\\" not in body:
        return body
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] == '"':
            out.append('"')
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _dedent_block(body: str) -> str:
    body = body.replace("\r\n", "\n").replace("\t", "    ")
    lines = body.split("\n")
    if lines and not lines[0].strip():
        lines = lines[1:]
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines).strip("\n")


class _Meta:
    """The children of one reduction, for the span of the rule: from its first to its
    last positioned child (Lark's inline transformer gives no positions of its own).
    Found only when a builder asks: many reductions never do."""

    __slots__ = ("children", "found")

    def __init__(self, children: list[Any]) -> None:
        self.children = children
        self.found: A.Span | None = None  # builders often ask twice: for the node and for its item

    def span(self, path: str) -> A.Span:
        if self.found is None:
            self.found = self._find(path)
        return self.found

    def _find(self, path: str) -> A.Span:
        children = self.children
        for child in children:
            if type(child) is Token:  # the usual first child: a keyword
                start, line, column = child.start_pos, child.line, child.column
                break
            if child is not None and (first := _start_of(child)) is not None:
                start, line, column = first
                break
        else:
            return A.NO_SPAN
        for child in reversed(children):
            if type(child) is Token:  # the usual last child: a closing brace or a value
                return A.Span(start, child.end_pos, line, column, child.end_line, child.end_column, path)  # type: ignore[arg-type]
            if child is not None and (last := _end_of(child)) is not None:
                return A.Span(start, last[0], line, column, last[1], last[2], path)  # type: ignore[arg-type]
        raise AssertionError("a child with a start has an end")


# These two run at nearly every reduction: exact type tests first (Lark makes plain
# Tokens; every `span` attribute is an A.Span).


def _start_of(child: Any) -> tuple[int, int, int] | None:
    if type(child) is Token:
        return (child.start_pos, child.line, child.column)  # type: ignore[return-value]
    span = getattr(child, "span", None)
    if span is not None and span is not A.NO_SPAN:
        return (span.start, span.line, span.column)
    if type(child) is tuple and child:
        return _start_of(child[0])
    return None


def _end_of(child: Any) -> tuple[int, int, int] | None:
    if type(child) is Token:
        return (child.end_pos, child.end_line, child.end_column)  # type: ignore[return-value]
    span = getattr(child, "span", None)
    if span is not None and span is not A.NO_SPAN:
        return (span.end, span.end_line, span.end_column)
    if type(child) is tuple and child:
        return _end_of(child[-1])
    return None


@dataclass(frozen=True, slots=True)
class _Positioned:
    """A value that has no span of its own (an enum) with the place it was written,
    so the rule around it starts where the text does."""

    value: Any
    span: A.Span


def _unwrap(value: Any) -> Any:
    return value.value if isinstance(value, _Positioned) else value


@dataclass(frozen=True, slots=True)
class _DateLiteral:
    """A date with the place it was written (a `date` cannot carry a span)."""

    value: date
    span: A.Span


class _Dispatch:
    """What Lark holds as its transformer: forwards each reduction to the builder
    of the parse that is running on this thread."""

    def __getattr__(self, name: str) -> Callable[[list[Any]], Any]:
        method = getattr(_Builder, name, None)
        if name.startswith("_") or not callable(method) or name in _Builder.HELPERS:
            raise AttributeError(name)

        def reduce(children: list[Any]) -> Any:
            return method(_local.builder, _Meta(children), children)

        return reduce


class _Builder:
    """Turns each grammar rule into AST nodes; structural problems become diagnostics."""

    HELPERS = frozenset({"span", "tok_span", "report", "spelling", "language"})

    def __init__(self, path: str, source: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self._source = source
        self.diagnostics = diagnostics

    # ---- helpers

    def span(self, meta: _Meta) -> A.Span:
        return meta.span(self.path)

    def tok_span(self, tok: Token) -> A.Span:
        return _span_of_token(tok, self.path)

    def report(self, code: str, message: str, span: A.Span) -> None:
        self.diagnostics.append(_error(code, message, span))

    def spelling(self, key: str) -> str:
        kw = by_name().get(_KEY_KEYWORD.get(key, key.upper()))
        return kw.spelling(self.language()) if kw else key

    def language(self) -> str:
        log = getattr(_local, "keywords", None)
        return log.language() if log is not None else "da"

    def _prose(self, tok: Token) -> A.Prose:
        return parse_prose(_unquote(tok), self.tok_span(tok))

    @staticmethod
    def _tokens(children: list[Any]) -> list[Token]:
        return [c for c in children if isinstance(c, Token)]

    @staticmethod
    def _values(children: list[Any]) -> list[Any]:
        """Children without keyword and brace tokens (placeholders for absent optionals stay as None)."""
        return [c for c in children if type(c) is not Token or c.type not in _KEYWORDS_AND_BRACES]

    def _item(self, key: str, value: Any, meta: _Meta) -> _Item:
        return _Item(key, value, self.span(meta))

    # ---- leaves

    def _str(self, tok: Token | None) -> str | None:
        return None if tok is None else _unquote(tok)

    # ---- top level

    def start(self, meta: _Meta, children: list[Any]) -> A.Plan:
        f = _Fields(children, self, "plan")
        sections, imports, goals = [], [], []
        for item in children:
            if isinstance(item, _Item) and item.key == "section":
                sections.append(item.value)
            elif isinstance(item, _Item) and item.key == "import":
                imports.append(item.value)
            elif isinstance(item, _Item) and item.key == "goal":
                goals.append(item.value)
        header = f.get("plan")
        if header is not None and header.running_numbers:
            sections = [_running(s) for s in sections]
        annexes = f.many("annex")
        weights = f.get("weights")
        if weights is not None:
            weights = dataclasses.replace(weights, after=_weights_place(children))
            for annex in annexes:
                if annex.weights is not None:
                    self.report("MRP010", "the plan has a `vægttabel` of its own and one in an annex; keep one",
                                annex.weights.span)  # fmt: skip
        else:
            weights = next((a.weights for a in annexes if a.weights is not None), None)
        return A.Plan(
            header=header,
            introduction=f.get("introduction"),
            strategy=f.get("strategy"),
            goals_intro=f.get("goals_intro"),
            sections=tuple(sections),
            weights=weights,
            follow_up=f.get("follow_up"),
            pay=f.get("pay"),
            footnotes=f.many("footnote"),
            annexes=annexes,
            goals=tuple(goals),
            imports=tuple(imports),
            amendments=f.many("amendment"),
            parameters=f.many("parameter"),
            standard_texts=f.many("standard_text"),
            span=self.span(meta),
        )

    # ---- amendments (allonge)

    def amendment(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        f = _Fields(children, self, "allonge")
        amendment = A.Amendment(
            title=self._str(values[0]) if not isinstance(values[0], _Item) else None,
            plan=f.get("amends"),
            date=f.get("amend_date"),
            reason=f.get("reason"),
            director=f.get("director"),
            head=f.get("head"),
            operations=f.many("operation"),
            span=self.span(meta),
        )
        return self._item("amendment", amendment, meta)

    def amend_date(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("amend_date", self._values(children)[0].value, meta)

    def amend_weight(self, meta: _Meta, children: list[Any]) -> _Item:
        ref, number, unit = self._values(children)
        weight = A.Weight(_decimal(number), unit or A.WeightUnit.POINTS, self.tok_span(number))
        return self._item("operation", A.SetWeight(ref.value, weight, self.span(meta)), meta)

    def amend_drop(self, meta: _Meta, children: list[Any]) -> _Item:
        ref, reason = self._values(children)
        return self._item("operation", A.DropRequirement(ref.value, _unquote(reason), self.span(meta)), meta)

    def amend_deadline(self, meta: _Meta, children: list[Any]) -> _Item:
        ref, when = self._values(children)
        return self._item("operation", A.MoveDeadline(ref.value, when, self.span(meta)), meta)

    def amend_target(self, meta: _Meta, children: list[Any]) -> _Item:
        ref, target = self._values(children)
        return self._item("operation", A.ReplaceTarget(ref.value, target, self.span(meta)), meta)

    def amend_text(self, meta: _Meta, children: list[Any]) -> _Item:
        ref, text = self._values(children)
        return self._item("operation", A.ReplaceText(ref.value, self._prose(text), self.span(meta)), meta)

    def amend_requirement(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        ref, display = values[0], values[1]
        f = _Fields(children, self, "requirement")
        req = A.Requirement(
            label=None,
            text=f.get("text"),
            display=self._str(display),
            weight=f.get("weight"),
            deadlines=f.many("deadline"),
            scope=f.get("scope"),
            targets=f.many("target"),
            scoring=f.get("scoring"),
            groups=f.many("group"),
            methods=f.many("method"),
            dropped=f.get("dropped"),
            scored=f.get("unscored") is None,
            span=self.span(meta),
        )
        return self._item("operation", A.AddRequirement(ref.value, req, self.span(meta)), meta)

    # ---- header

    def plan(self, meta: _Meta, children: list[Any]) -> _Item:
        f = _Fields(children, self, "plan header")
        header = A.Header(
            title=f.get("title"),
            ministry=f.get("ministry"),
            department=f.get("department"),
            agency=f.get("agency"),
            agency_short=f.get("short"),
            year=f.get("year"),
            period=f.get("period"),
            total=f.get("total"),
            director=f.get("director"),
            head=f.get("head"),
            renegotiation=f.get("renegotiation"),
            next_negotiation=f.get("next_negotiation"),
            running_numbers=f.get("numbering") is not None,
            span=self.span(meta),
            weighting=f.get("weighting"),
            goal_rule=f.get("goal_rule"),
        )
        return self._item("plan", header, meta)

    def numbering(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("numbering", True, meta)

    def _string_item(key: str) -> Callable[..., _Item]:  # type: ignore[misc]
        def method(self: _Builder, meta: _Meta, children: list[Any]) -> _Item:
            return self._item(key, _unquote(self._values(children)[0]), meta)

        return method

    def _prose_item(key: str) -> Callable[..., _Item]:  # type: ignore[misc]
        def method(self: _Builder, meta: _Meta, children: list[Any]) -> _Item:
            return self._item(key, self._prose(self._values(children)[0]), meta)

        return method

    title = _string_item("title")
    ministry = _string_item("ministry")
    department = _string_item("department")
    agency = _string_item("agency")
    short = _string_item("short")
    place = _string_item("place")
    organisation = _string_item("organisation")
    next_negotiation = _string_item("next_negotiation")
    appropriation = _string_item("appropriation")
    unit = _string_item("unit")
    table_title = _string_item("table_title")
    background_title = _string_item("background_title")
    annex_title = _string_item("annex_title")
    part_cell = _string_item("part_cell")
    goal_type = _string_item("type")
    source = _string_item("source")
    measured_by = _string_item("measured_by")
    frequency = _string_item("frequency")
    renegotiation = _prose_item("renegotiation")
    introduction = _prose_item("introduction")
    goals_intro = _prose_item("goals_intro")
    text = _prose_item("text")
    preamble = _prose_item("preamble")
    postscript = _prose_item("postscript")
    criteria = _prose_item("criteria")
    note = _prose_item("note")
    follow_up = _prose_item("follow_up")
    closing = _prose_item("closing")
    amends = _string_item("amends")
    reason = _prose_item("reason")

    def year(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("year", int(self._values(children)[0]), meta)

    def period(self, meta: _Meta, children: list[Any]) -> _Item:
        start, end = self._values(children)
        written = self._written(start.span)
        dotted = bool(re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2,4}", written))
        long_dates = not dotted and (not written[:4].isdigit() or "-" not in written)
        period = A.Period(start.value, end.value, long_dates, self.span(meta), dotted=dotted)
        return self._item("period", period, meta)

    def period_years(self, meta: _Meta, children: list[Any]) -> _Item:
        first, last = _year_range(self._values(children)[0])
        period = A.Period(date(first, 1, 1), date(last, 12, 31), span=self.span(meta), in_years=True)
        return self._item("period", period, meta)

    def total(self, meta: _Meta, children: list[Any]) -> _Item:
        number, unit = self._values(children)
        return self._item("total", A.Weight(_decimal(number), unit or A.WeightUnit.POINTS, self.span(meta)), meta)

    def _signatory(self, role: str, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        f = _Fields(values[1:], self, "signature")
        signed = f.get("signed")
        return self._item(
            role,
            A.Signatory(
                role=role,
                name=_unquote(values[0]),
                title=f.get("title"),
                place=f.get("place"),
                signed_on=signed if isinstance(signed, date) else None,
                signed_year=signed.year if isinstance(signed, date) else signed,
                organisation=f.get("organisation"),
                span=self.span(meta),
            ),
            meta,
        )

    def director(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._signatory("director", meta, children)

    def head(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._signatory("head", meta, children)

    def signed_on(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("signed", self._values(children)[0].value, meta)

    def signed_blank(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("signed", int(self._values(children)[0]), meta)

    # ---- strategy and budget

    @staticmethod
    def _strategy_parts(children: list[Any]) -> tuple[Any, ...]:
        parts = []
        for item in children:
            if isinstance(item, _Item):
                parts.append(
                    A.StrategyPart(A.StrategyKind.TEXT, item.value, None, item.span)
                    if item.key == "text"
                    else item.value
                )
        return tuple(parts)

    def strategy(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("strategy", A.Strategy(self._strategy_parts(children), self.span(meta)), meta)

    def strategy_group(self, meta: _Meta, children: list[Any]) -> _Item:
        title = _unquote(self._values(children)[0])
        group = A.StrategyGroup(title, self._strategy_parts(children), self.span(meta))
        return self._item("strategy_item", group, meta)

    def strategy_part(self, meta: _Meta, children: list[Any]) -> _Item:
        kw = children[0]
        first, second = self._values(children)
        title, body = (_unquote(first), second) if second is not None else (None, first)
        kind = _STRATEGY_KINDS[kw.type[3:]]
        return self._item("strategy_item", A.StrategyPart(kind, self._prose(body), title, self.span(meta)), meta)

    def core_tasks(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        title = self._str(values[0]) if values and (values[0] is None or isinstance(values[0], Token)) else None
        items = []
        for item in children:
            if isinstance(item, _Item):
                items.append(item.value)
        return self._item("strategy_item", A.CoreTasks(title, tuple(items), self.span(meta)), meta)

    def core_task(self, meta: _Meta, children: list[Any]) -> _Item:
        number, first, second = self._values(children)[:3]
        title, body = _unquote(first), (self._prose(second) if second is not None else None)
        number = None if number is None else int(number)
        return self._item("core_item", A.CoreTask(number, title, body, span=self.span(meta)), meta)

    def section_task(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        number, first, second = values[0], values[1], values[2]
        parts, goals = [], []
        for item in children:
            if isinstance(item, _Item) and item.key == "goal":
                goals.append(item.value)
            elif isinstance(item, _Item) and item.key == "text":
                parts.append(A.StrategyPart(A.StrategyKind.TEXT, item.value, None, item.span))
            elif isinstance(item, _Item) and item.key == "strategy_item":
                parts.append(item.value)
        task = A.CoreTask(
            None if number is None else int(number),
            _unquote(first),
            self._prose(second) if second is not None else None,
            tuple(parts),
            tuple(goals),
            self.span(meta),
        )
        return self._item("section_task", task, meta)

    def table_columns(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("table_columns", tuple(c for c in children if type(c) is str), meta)

    def table_column(self, meta: _Meta, children: list[Any]) -> str:
        return "type" if children[0].type == "KW_TYPE" else "deadline"

    def budget(self, meta: _Meta, children: list[Any]) -> _Item:
        f = _Fields(children, self, "budget")
        columns = f.get("columns", ())
        budget = A.Budget(
            reference=f.get("appropriation"),
            title=f.get("title"),
            unit=f.get("unit"),
            columns=columns,
            total=f.get("budget_total"),
            rows=f.many("budget_row"),
            note=f.get("note"),
            span=self.span(meta),
        )
        return self._item("core_item", budget, meta)

    def columns(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("columns", tuple(c for c in self._values(children) if isinstance(c, A.BudgetColumn)), meta)

    def column(self, meta: _Meta, children: list[Any]) -> A.BudgetColumn:
        kind, year = children
        return A.BudgetColumn(kind.value, int(year), self.span(meta))

    def cell(self, meta: _Meta, children: list[Any]) -> A.BudgetCell:
        tok = children[0]
        return A.BudgetCell(None if tok.type == "DASH" else _decimal(tok), self.span(meta))

    def budget_total(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        row = A.BudgetRow(None, _unquote(values[0]), tuple(values[1:]), self.span(meta))
        return self._item("budget_total", row, meta)

    def budget_row(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        row = A.BudgetRow(int(values[0]), _unquote(values[1]), tuple(values[2:]), self.span(meta))
        return self._item("budget_row", row, meta)

    # ---- goal sections

    def section(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        f = _Fields(children, self, "section")
        bg = f.get("background")
        goals, imports, tasks = [], [], []
        for item in children:
            if isinstance(item, _Item) and item.key == "goal":
                goals.append(item.value)
            elif isinstance(item, _Item) and item.key == "import":
                imports.append(item.value)
            elif isinstance(item, _Item) and item.key == "section_task":
                tasks.append(item.value)
                goals.extend(item.value.goals)
        section = A.GoalSection(
            number=int(values[0]),
            title=_unquote(values[1]),
            intro=f.get("introduction"),
            table_title=f.get("table_title"),
            background_title=f.get("background_title")
            if "background_title" in f.single
            else (bg.title if bg else None),
            background=bg.text if bg else None,
            goals=tuple(goals),
            imports=tuple(imports),
            core_tasks=tuple(tasks),
            columns=f.get("table_columns", ()),
            annex_title=f.get("annex_title"),
            span=self.span(meta),
            weighting=f.get("weighting"),
            goal_rule=f.get("goal_rule"),
        )
        return self._item("section", section, meta)

    def background(self, meta: _Meta, children: list[Any]) -> _Item:
        first, second = self._values(children)
        title, body = (_unquote(first), second) if second is not None else (None, first)
        return self._item("background", A.Background(self._prose(body), title, self.span(meta)), meta)

    def attribute(self, meta: _Meta, children: list[Any]) -> _Item:
        name, value = self._values(children)
        return self._item("attribute", A.Attribute(_unquote(name), _unquote(value), self.span(meta)), meta)

    def goal(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        number, area = values[0], values[1]
        f = _Fields(children, self, "goal")
        attributes = list(f.many("attribute"))
        if f.get("type") is not None:
            attributes.insert(0, A.Attribute("type", f.get("type"), self.span(meta)))
        goal = A.Goal(
            number=number.value,
            area=self._str(area) or "",
            text=f.get("text"),
            weight=f.get("weight"),
            preamble=f.get("preamble"),
            requirements=f.many("requirement"),
            postscript=f.get("postscript"),
            background=f.get("background"),
            methods=f.many("method"),
            attributes=tuple(attributes),
            span=self.span(meta),
            goal_rule=f.get("goal_rule"),
        )
        return self._item("goal", goal, meta)

    def requirement(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        label, display = values[0], values[1]
        f = _Fields(children, self, "requirement")
        groups = f.many("group")
        req = A.Requirement(
            label=None if label is None else label.value,
            type=f.get("type"),
            qualified=label is None or "." not in label.value,
            text=f.get("text"),
            display=self._str(display),
            weight=f.get("weight"),
            deadlines=f.many("deadline"),
            scope=f.get("scope"),
            targets=f.many("target"),
            scoring=f.get("scoring"),
            groups=groups,
            methods=f.many("method"),
            dropped=f.get("dropped"),
            scored=f.get("unscored") is None,
            span=self.span(meta),
        )
        return self._item("requirement", req, meta)

    def deadline(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("deadline", self._values(children)[0], meta)

    def scope(self, meta: _Meta, children: list[Any]) -> _Item:
        text, within = self._values(children)
        return self._item("scope", A.Scope(_unquote(text), within, self.span(meta)), meta)

    def dropped(self, meta: _Meta, children: list[Any]) -> _Item:
        reason, on = self._values(children)
        return self._item("dropped", A.Dropped(_unquote(reason), on, self.span(meta)), meta)

    def unscored(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("unscored", True, meta)

    def weight(self, meta: _Meta, children: list[Any]) -> _Item:
        number, unit = self._values(children)
        return self._item("weight", A.Weight(_decimal(number), unit or A.WeightUnit.POINTS, self.span(meta)), meta)

    def weight_unit(self, meta: _Meta, children: list[Any]) -> A.WeightUnit:
        return A.WeightUnit.PERCENT if children[0].type == "PERCENT" else A.WeightUnit.POINTS

    def group(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        f = _Fields(children, self, "group")
        members = [i.value for i in children if isinstance(i, _Item) and i.key in ("part", "group")]
        group = A.SubWeightGroup(
            name=_unquote(values[0]),
            weight=f.get("weight"),
            members=tuple(members),
            header=f.get("group_columns", ()),
            span=self.span(meta),
        )
        return self._item("group", group, meta)

    def group_columns(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("group_columns", tuple(_unquote(t) for t in self._values(children)), meta)

    def part(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        f = _Fields(children, self, "part")
        part = A.SubWeight(
            name=_unquote(values[0]),
            weight=f.get("weight"),
            targets=f.many("target"),
            scoring=f.get("scoring"),
            span=self.span(meta),
            cell=f.get("part_cell"),
        )
        return self._item("part", part, meta)

    # ---- time

    def _deadline(self, meta: _Meta, kind: A.DeadlineKind, **kw: Any) -> A.Deadline:
        span = self.span(meta)
        return A.Deadline(kind, written=self._written(span), span=span, **kw)

    def _written(self, span: A.Span) -> str:
        return " ".join(self._source[span.start : span.end].split()) if span is not A.NO_SPAN else ""

    def iso_date(self, meta: _Meta, children: list[Any]) -> _DateLiteral:
        return self._make_date(meta, *(int(p) for p in children[0].value.split("-")))

    def long_date(self, meta: _Meta, children: list[Any]) -> _DateLiteral:
        day, month, year = children
        return self._make_date(meta, int(year), month_number(month.value), int(day.value.rstrip(".")))

    def dotted_date(self, meta: _Meta, children: list[Any]) -> _DateLiteral:
        day, month, year = children[0].value.split(".")
        return self._make_date(meta, full_year(year), int(month), int(day))

    def _make_date(self, meta: _Meta, year: int, month: int, day: int) -> _DateLiteral:
        span = self.span(meta)
        try:
            return _DateLiteral(date(year, month, day), span)
        except (ValueError, OverflowError):
            self.report("MRP020", f"{year:04d}-{month:02d}-{day:02d} is not a date in the calendar", span)
            return _DateLiteral(date(max(1, min(year, 9999)), 1, 1), span)

    def when(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        d = children[0].value
        return self._deadline(meta, A.DeadlineKind.DATE, year=d.year, number=d.month, day=d.day)

    def month_end(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        month, year = self._values(children)
        return self._deadline(meta, A.DeadlineKind.MONTH_END, year=int(year), number=month_number(month.value))

    def month_start(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        month, year = self._values(children)
        return self._deadline(meta, A.DeadlineKind.MONTH_START, year=int(year), number=month_number(month.value))

    def year_end(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        return self._deadline(meta, A.DeadlineKind.YEAR_END, year=int(self._values(children)[0]))

    def year_start(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        return self._deadline(meta, A.DeadlineKind.YEAR_START, year=int(self._values(children)[0]))

    def _numbered(self, meta: _Meta, children: list[Any], kind: A.DeadlineKind) -> A.Deadline:
        number_tok, year = self._values(children)
        digits = "".join(ch for ch in number_tok.value if ch.isdigit())
        return self._deadline(meta, kind, year=None if year is None else int(year), number=int(digits))

    def quarter(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        return self._numbered(meta, children, A.DeadlineKind.QUARTER)

    def half(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        return self._numbered(meta, children, A.DeadlineKind.HALF)

    def period_end(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        return self._deadline(meta, A.DeadlineKind.PERIOD_END)

    def whole_year(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        return self._deadline(meta, A.DeadlineKind.YEAR, year=int(children[0]))

    def year_range(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        first, last = _year_range(children[0])
        return self._deadline(meta, A.DeadlineKind.YEARS, year=first, last_year=last)

    # ---- targets

    def target(self, meta: _Meta, children: list[Any]) -> _Item:
        body, years = self._values(children)[:2]
        if years is not None:
            body = dataclasses.replace(body, years=years)
        return self._item("target", body, meta)

    def target_years(self, meta: _Meta, children: list[Any]) -> A.Years:
        token = self._values(children)[0]
        first, last = _year_range(token) if token.type == "YEAR_RANGE" else (int(token), int(token))
        return A.Years(first, last, self.span(meta))

    def relation(self, meta: _Meta, children: list[Any]) -> _Positioned:
        return _Positioned(_RELATIONS[children[0].type[3:]], self.span(meta))

    def time_unit(self, meta: _Meta, children: list[Any]) -> A.TimeUnit:
        return _TIME_UNITS[children[0].type[3:]]

    def share(self, meta: _Meta, children: list[Any]) -> A.ShareTarget:
        relation, percent, _pct, limit, of = self._values(children)
        within = limit if isinstance(limit, A.Duration) else None
        by = limit if isinstance(limit, A.Deadline) else None
        words = limit.value if isinstance(limit, _Positioned) else None
        return A.ShareTarget(
            _unwrap(relation), _decimal(percent), within, by, self._str(of), words, span=self.span(meta)
        )

    def share_of(self, meta: _Meta, children: list[Any]) -> Token:
        return self._values(children)[0]

    def scope_in(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        return self._values(children)[0]

    def against(self, meta: _Meta, children: list[Any]) -> A.Baseline:
        return self._values(children)[0]

    def within_text(self, meta: _Meta, children: list[Any]) -> _Positioned:
        return _Positioned(_unquote(self._values(children)[0]), self.span(meta))

    def within(self, meta: _Meta, children: list[Any]) -> A.Duration:
        number, unit = self._values(children)
        return A.Duration(_decimal(number), unit, self.span(meta))

    def by(self, meta: _Meta, children: list[Any]) -> A.Deadline:
        return self._values(children)[0]

    def _time_target(self, statistic: str, meta: _Meta, children: list[Any]) -> A.TimeTarget:
        relation, number, unit = self._values(children)
        return A.TimeTarget(
            statistic, _unwrap(relation), A.Duration(_decimal(number), unit, self.span(meta)), self.span(meta)
        )

    def average(self, meta: _Meta, children: list[Any]) -> A.TimeTarget:
        return self._time_target("average", meta, children)

    def maximum(self, meta: _Meta, children: list[Any]) -> A.TimeTarget:
        return self._time_target("maximum", meta, children)

    def count(self, meta: _Meta, children: list[Any]) -> A.CountTarget:
        relation, number, unit = self._values(children)
        return A.CountTarget(_unwrap(relation), _decimal(number), self._str(unit), self.span(meta))

    def _change(self, direction: A.ChangeDirection, meta: _Meta, children: list[Any]) -> A.ChangeTarget:
        percent, _pct, yearly, baseline = self._values(children)
        return A.ChangeTarget(direction, _decimal(percent), baseline, yearly=yearly is not None, span=self.span(meta))

    def increase(self, meta: _Meta, children: list[Any]) -> A.ChangeTarget:
        return self._change(A.ChangeDirection.INCREASE, meta, children)

    def reduction(self, meta: _Meta, children: list[Any]) -> A.ChangeTarget:
        return self._change(A.ChangeDirection.REDUCTION, meta, children)

    def yearly(self, meta: _Meta, children: list[Any]) -> bool:
        return True

    def _change_levels(self, direction: A.ChangeDirection, meta: _Meta, children: list[Any]) -> A.ChangeTarget:
        percent, _pct, levels = self._values(children)
        baseline, level, unit = levels
        written = percent is not None
        value = _decimal(percent) if written else change_percent(direction, baseline.value, level)
        return A.ChangeTarget(
            direction, value, baseline, self.span(meta), level=level, unit=unit, percent_written=written
        )

    def increase_levels(self, meta: _Meta, children: list[Any]) -> A.ChangeTarget:
        return self._change_levels(A.ChangeDirection.INCREASE, meta, children)

    def reduction_levels(self, meta: _Meta, children: list[Any]) -> A.ChangeTarget:
        return self._change_levels(A.ChangeDirection.REDUCTION, meta, children)

    def change_levels(self, meta: _Meta, children: list[Any]) -> tuple[A.Baseline, Decimal, str | None]:
        start, years, end, unit = self._values(children)
        baseline = A.Baseline(None, _decimal(start), self.span(meta), years=years)
        return baseline, _decimal(end), self._str(unit)

    def baseline(self, meta: _Meta, children: list[Any]) -> A.Baseline:
        values = [v for v in children if v is not None]
        label = next((_unquote(v) for v in values if v.type == "STRING"), None)
        years = next((_year_range(v) for v in values if v.type == "YEAR_RANGE"), None)
        numbers = [v for v in values if v.type in ("NUMBER", "INT")]
        if years is None and len(numbers) == 2:  # `ift. 2015 2.000`: a year, then the value
            year = int(numbers.pop(0))
            years = (year, year)
        value = _decimal(numbers[0]) if numbers else None
        span = self.span(meta)
        return A.Baseline(label, value, span, years=A.Years(*years, span=span) if years else None)

    def level(self, meta: _Meta, children: list[Any]) -> A.LevelTarget:
        value, areas = self._values(children)
        words = _unquote(value) if value.type == "STRING" else None
        level = None if words is not None else _decimal(value)
        if isinstance(areas, int):
            return A.LevelTarget(level, (), areas, self.span(meta), words=words)
        return A.LevelTarget(level, areas, None, self.span(meta), words=words)

    def area_count(self, meta: _Meta, children: list[Any]) -> int:
        return int(self._values(children)[0])

    def area_list(self, meta: _Meta, children: list[Any]) -> tuple[str, ...]:
        return tuple(_unquote(t) for t in self._values(children))

    def milestone(self, meta: _Meta, children: list[Any]) -> A.MilestoneTarget:
        (approval,) = self._values(children)
        return A.MilestoneTarget(span=self.span(meta), approval=approval)

    def approved(self, meta: _Meta, children: list[Any]) -> A.Approval:
        (party,) = self._values(children)
        return A.Approval(A.ApprovalKind.APPROVED, _unquote(party), self.span(meta))

    def jointly(self, meta: _Meta, children: list[Any]) -> A.Approval:
        (party,) = self._values(children)
        return A.Approval(A.ApprovalKind.JOINT, _unquote(party), self.span(meta))

    # ---- weighting and goal status

    def weighting(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("weighting", A.Weighting(A.WeightingKind.NONE, self.span(meta)), meta)

    def goal_status_all(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("goal_rule", A.GoalRule(A.GoalRuleKind.ALL, span=self.span(meta)), meta)

    def goal_status_assessment(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("goal_rule", A.GoalRule(A.GoalRuleKind.ASSESSMENT, span=self.span(meta)), meta)

    def goal_status_share(self, meta: _Meta, children: list[Any]) -> _Item:
        values = [v for v in self._values(children) if not (isinstance(v, Token) and v.type == "PERCENT")]
        relation, number, partly = values
        rule = A.GoalRule(
            A.GoalRuleKind.SHARE,
            _unwrap(relation),
            _decimal(number),
            partly[0] if partly else None,
            partly[1] if partly else None,
            self.span(meta),
        )
        return self._item("goal_rule", rule, meta)

    def partly(self, meta: _Meta, children: list[Any]) -> tuple[A.Relation, Decimal]:
        values = [v for v in self._values(children) if not (isinstance(v, Token) and v.type == "PERCENT")]
        relation, number = values
        return _unwrap(relation), _decimal(number)

    def assessment(self, meta: _Meta, children: list[Any]) -> A.AssessmentTarget:
        relation, points, maximum = self._values(children)
        threshold = None if points is None else _decimal(points)
        return A.AssessmentTarget(_unwrap(relation), threshold, _decimal(maximum), self.span(meta))

    def kept(self, meta: _Meta, children: list[Any]) -> A.StatusTarget:
        return A.StatusTarget(self.span(meta))

    # ---- scoring

    def _scoring(self, kind: A.ScoringKind, meta: _Meta, **kw: Any) -> _Item:
        return self._item("scoring", A.Scoring(kind, span=self.span(meta), **kw), meta)

    def threshold(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._scoring(A.ScoringKind.THRESHOLD, meta)

    def linear(self, meta: _Meta, children: list[Any]) -> _Item:
        floor, ceiling = self._values(children)
        return self._scoring(A.ScoringKind.LINEAR, meta, floor=floor, ceiling=ceiling)

    def steps(self, meta: _Meta, children: list[Any]) -> _Item:
        steps = tuple(c for c in children if isinstance(c, A.Step))
        return self._scoring(A.ScoringKind.STEPS, meta, steps=steps)

    def milestones(self, meta: _Meta, children: list[Any]) -> _Item:
        kind = A.ScoringKind.MILESTONES_EACH if children[-1].type == "KW_EACH" else A.ScoringKind.MILESTONES_ALL
        return self._scoring(kind, meta)

    def areas(self, meta: _Meta, children: list[Any]) -> _Item:
        kind = A.ScoringKind.AREAS_ALL if children[-1].type == "KW_ALL" else A.ScoringKind.AREAS_SHARE
        return self._scoring(kind, meta)

    def step(self, meta: _Meta, children: list[Any]) -> A.Step:
        values = [v for v in self._values(children) if not (isinstance(v, Token) and v.type == "PERCENT")]
        if len(values) == 1:  # otherwise: NUMBER
            return A.Step(None, None, _decimal(values[0]), self.span(meta))
        relation, quantity, fulfilment = values
        return A.Step(_unwrap(relation), quantity, _decimal(fulfilment), self.span(meta))

    def quantity(self, meta: _Meta, children: list[Any]) -> A.Quantity:
        number, unit = children[0], children[1] if len(children) > 1 else None
        match unit:
            case None:
                word = None
            case A.TimeUnit():
                word = unit.value
            case Token(type="PERCENT"):
                word = "%"
            case _:
                word = "point"
        return A.Quantity(_decimal(number), word, self.span(meta))

    # ---- methods

    def method(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        ref, title = values[0], values[1]
        f = _Fields(children, self, "measurement method")
        method = A.Method(
            text=f.get("text"),
            source=f.get("source"),
            measured_by=f.get("measured_by"),
            frequency=f.get("frequency"),
            criteria=f.get("criteria"),
            scale=f.many("scale_point"),
            ref=None if ref is None else ref.value,
            title=self._str(title),
            span=self.span(meta),
        )
        return self._item("method", method, meta)

    def scale_point(self, meta: _Meta, children: list[Any]) -> _Item:
        points, definition = self._values(children)
        return self._item("scale_point", A.ScalePoint(_decimal(points), _unquote(definition), self.span(meta)), meta)

    # ---- the rest

    def weights(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        title = self._str(values[0]) if values and (values[0] is None or isinstance(values[0], Token)) else None
        entries = tuple(i.value for i in children if isinstance(i, _Item))
        return self._item("weights", A.WeightTable(entries, title, span=self.span(meta)), meta)

    def weight_entry(self, meta: _Meta, children: list[Any]) -> _Item:
        ref, number, unit = children
        weight = A.Weight(_decimal(number), unit or A.WeightUnit.POINTS, self.span(meta))
        return self._item("weight_entry", A.WeightEntry(ref.value, weight, self.span(meta)), meta)

    def pay(self, meta: _Meta, children: list[Any]) -> _Item:
        f = _Fields(children, self, "performance pay")
        rule = f.get("schedule", ())
        floor, full = rule if isinstance(rule, list) else (None, None)
        pay = A.PerformancePay(
            f.get("text"),
            rule if isinstance(rule, tuple) else (),
            f.get("pay_footnote"),
            self.span(meta),
            maximum=f.get("pay_maximum"),
            salary=f.get("salary"),
            cap=f.get("pay_cap"),
            floor=floor,
            full=full,
        )
        return self._item("pay", pay, meta)

    def schedule(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("schedule", tuple(c for c in children if isinstance(c, A.Step)), meta)

    def schedule_linear(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("schedule", list(self._values(children)), meta)  # [floor, full]: see `pay`

    def pay_maximum(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("pay_maximum", self._values(children)[0], meta)

    def pay_cap(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("pay_cap", self._values(children)[0], meta)

    def pay_amount(self, meta: _Meta, children: list[Any]) -> A.PayAmount:
        values = self._values(children)
        if isinstance(values[0], _Positioned):
            return A.PayAmount(kroner=values[0].value, span=values[0].span)
        of_salary = any(isinstance(c, Token) and c.type == "KW_SALARY" for c in children)
        return A.PayAmount(percent=_decimal(values[0]), of_salary=of_salary, span=self.span(meta))

    def salary(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("salary", self._values(children)[0].value, meta)

    def money(self, meta: _Meta, children: list[Any]) -> _Positioned:
        return _Positioned(_decimal(self._values(children)[0]), self.span(meta))

    def pay_footnote(self, meta: _Meta, children: list[Any]) -> _Item:
        return self._item("pay_footnote", self._values(children)[0].value, meta)

    def footnote(self, meta: _Meta, children: list[Any]) -> _Item:
        label, body = self._values(children)
        return self._item("footnote", A.Footnote(label.value, self._prose(body), self.span(meta)), meta)

    def annex(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        f = _Fields(children, self, "annex")
        weights = f.get("weights")
        if weights is not None:
            weights = dataclasses.replace(weights, after="annex")
        annex = A.Annex(
            _unquote(values[0]), f.get("text"), f.many("method"), f.get("closing"), weights, self.span(meta)
        )
        return self._item("annex", annex, meta)

    def standard_text(self, meta: _Meta, children: list[Any]) -> _Item:
        kind = _STANDARD_TEXTS[children[-1].type]
        return self._item("standard_text", A.StandardText(kind, self.span(meta)), meta)

    def import_stmt(self, meta: _Meta, children: list[Any]) -> _Item:
        values = self._values(children)
        f = _Fields(children, self, "import")
        imp = A.Import(_unquote(values[0]), f.many("set_value"), f.many("goal"), self.span(meta))
        return self._item("import", imp, meta)

    def parameter(self, meta: _Meta, children: list[Any]) -> _Item:
        name, description, *rest = self._values(children)  # rest: the default, or None placeholders
        default = next((v for v in rest if v is not None), None)
        parameter = A.Parameter(name.value, _unquote(description), self._str(default), self.span(meta))
        return self._item("parameter", parameter, meta)

    def set_value(self, meta: _Meta, children: list[Any]) -> _Item:
        name, value = self._values(children)
        return self._item("set_value", (name.value, _unquote(value)), meta)


def _running(section: A.GoalSection) -> A.GoalSection:
    """A section whose requirement labels are plan-wide ids (`kravnummerering fortløbende`)."""
    done: dict[int, A.Goal] = {}  # a core task's goal is also the section's: one node for both

    def goal(g: A.Goal) -> A.Goal:
        if id(g) not in done:
            reqs = tuple(dataclasses.replace(r, qualified=r.label is None) for r in g.requirements)
            done[id(g)] = dataclasses.replace(g, requirements=reqs)
        return done[id(g)]

    tasks = tuple(dataclasses.replace(t, goals=tuple(goal(g) for g in t.goals)) for t in section.core_tasks)
    return dataclasses.replace(section, goals=tuple(goal(g) for g in section.goals), core_tasks=tasks)


def _weights_place(children: list[Any]) -> str:
    """The part a top-level weights table follows: the body part written before it,
    or the signatures when no part of the body is written after it."""
    items = [c for c in children if isinstance(c, _Item)]
    at = next(i for i, c in enumerate(items) if c.key == "weights")
    if not any(c.key in _BODY_PARTS for c in items[at + 1 :]):
        return "signatures"
    before = [_BODY_PARTS[c.key] for c in items[:at] if c.key in _BODY_PARTS]
    return before[-1] if before else "introduction"
