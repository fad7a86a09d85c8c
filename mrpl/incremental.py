"""Re-parse only what an edit touched, for the language server.

A plan is a list of statements, and a goal inside a section is a statement of
its own. When an edit falls inside one such block (after its keyword, before
its closing brace; or inside the text of a top-level `indledning`,
`målindledning` or `opfølgning`), `reparse` parses that statement alone, at its
own offsets, and splices it into the previous AST; what follows it moves by the
edit's length and line count. The result equals `parse_source` of the new text,
spans included (tests/test_incremental.py checks this on random edits).
Whenever that cannot be guaranteed, it parses the whole text instead: the
previous parse had syntax errors, the block no longer reads as one clean
statement of the same kind, anything follows the block on its last line, or the
file mixes Danish and English keywords.

Most keystrokes fall inside the quotes of a text (`tekst "..."`): when the
text still reads as the same one string, only that text is read again, as the
parser reads it (`_retyped_text`), and no statement is parsed.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from array import array
from collections.abc import Iterator
from functools import cache
from typing import Any

from lark import Token

from mrpl import ast as A
from mrpl.dataclassgen.moved import MOVED
from mrpl.diagnostics import Diagnostic, Related
from mrpl.gc_pause import collector_paused
from mrpl.parse import Comment, ParseResult, _parser, _unquote, keyword_language, keyword_name, parse_source
from mrpl.prose import parse_prose

# Problems the AST builder reports about one block; any other parse diagnostic
# is a syntax error, after which error recovery may have read across blocks.
_BLOCK_CODES = frozenset({"MRP010", "MRP020"})

# Plan fields that hold one top-level statement each, or a tuple of them.
_TOP_FIELDS = ("header", "strategy", "weights", "pay", "sections", "footnotes", "annexes", "goals", "imports")
# Plan fields that hold the text of one top-level statement, with that statement's keyword.
_TEXT_FIELDS = {"introduction": "INTRODUCTION", "goals_intro": "GOALS_INTRO", "follow_up": "FOLLOW_UP"}


@dataclasses.dataclass(frozen=True, slots=True)
class _Edit:
    """The old text [start, old_end) became the new text [start, new_end)."""

    start: int
    old_end: int
    new_end: int
    lines: int  # how many lines the edit added (negative: removed)

    @property
    def delta(self) -> int:
        return self.new_end - self.old_end


@dataclasses.dataclass(frozen=True, slots=True)
class _Target:
    """The statement an edit falls in: the AST node its parse replaces, the statement's
    text (from its keyword to its end), and for a top-level text the Plan field."""

    node: Any
    region: A.Span
    field: str | None = None


def reparse(old: ParseResult, source: str) -> ParseResult:
    """`parse_source(source, old.path)`, re-parsing only the block the change from `old.source` falls in."""
    if source == old.source:
        return old
    with collector_paused():  # a splice makes thousands of nodes, no cycles (see mrpl/gc_pause.py)
        spliced = _splice(old, source)
    return spliced or parse_source(source, old.path)


def _splice(old: ParseResult, source: str) -> ParseResult | None:
    if old.plan is None or any(d.code not in _BLOCK_CODES for d in old.diagnostics):
        return None
    edit = _edit_between(old.source, source)
    retyped = _retyped_text(old, source, edit)
    if retyped is not None:
        return retyped
    target = _enclosing_statement(old, edit)
    if target is None or not _ends_its_line(old.source, target.region.end):
        return None
    parsed_block = _parse_block(old, source, target, edit)
    if parsed_block is None:
        return None
    new_node, parsed = parsed_block
    region = target.region
    votes = _votes_after(old, parsed, region)
    if votes is None:
        return None
    return ParseResult(
        _replace(old.plan, target.node, new_node, edit),
        _merge_diagnostics(old.diagnostics, parsed.diagnostics, region, edit),
        source,
        old.path,
        _merge_comments(old.comments, parsed.comments, region, edit),
        "en" if votes[1] > votes[0] else "da",
        _merge_keywords(old.keyword_positions, parsed.keyword_positions, region, edit),
        votes,
    )


# --------------------------------------------------------------------------
# Typing inside a text


def _retyped_text(old: ParseResult, source: str, edit: _Edit) -> ParseResult | None:
    """The parse of `source` when the edit falls inside the quotes of a text (a Prose) that
    still reads as the same one string token, read again as the parser reads it; None when
    another path must decide. The parser makes a Prose from its string token alone and no
    other node reads it, so nothing else changes; a text is no keyword and holds no comment.
    Columns after it stay only when nothing follows it on its last line, and the problems
    the parser reported must lie wholly before or after it."""
    prose = _prose_holding(old.plan, edit)
    if prose is None or not _ends_its_line(old.source, prose.span.end):
        return None
    span, string = prose.span, _string_token()
    if _touches(old.diagnostics, span) or _matched_end(string, old.source, span.start) != span.end:
        return None
    end = span.end + edit.delta
    if _matched_end(string, source, span.start) != end:
        return None  # a quote typed or taken away: the text ends elsewhere
    end_column = end - source.rfind("\n", 0, end)
    moved = A.Span(span.start, end, span.line, span.column, span.end_line + edit.lines, end_column, span.file)
    retyped = parse_prose(_unquote(Token("STRING", source[span.start : end])), moved)
    return ParseResult(
        _replace(old.plan, prose, retyped, edit),
        _merge_diagnostics(old.diagnostics, [], span, edit),
        source,
        old.path,
        _merge_comments(old.comments, (), span, edit),
        old.language,
        _merge_keywords(old.keyword_positions, array(old.keyword_positions.typecode), span, edit),
        old.keyword_votes,
    )


def _prose_holding(node: Any, edit: _Edit) -> A.Prose | None:
    """The text whose quotes hold the whole edit, found from the plan down through the nodes
    that hold it (spans nest: at most one child of a node holds it)."""
    while type(node) is not A.Prose:
        inner = None
        for name in _field_names(type(node)) or ():
            value = getattr(node, name)
            for child in value if type(value) is tuple else (value,):
                if _holds(getattr(child, "span", A.NO_SPAN), edit):
                    inner = child
                    break
            if inner is not None:
                break
        if inner is None:
            return None
        node = inner
    return node


def _touches(diagnostics: list[Diagnostic], span: A.Span) -> bool:
    """Whether a problem (or a place it refers to) overlaps `span`."""
    spans = [d.span for d in diagnostics] + [r.span for d in diagnostics for r in d.related]
    return any(s.start < span.end and span.start < s.end for s in spans)


@cache
def _string_token() -> re.Pattern[str]:
    """The pattern the lexer reads a string with (no other token starts with a quote)."""
    terminal = next(t for t in _parser().terminals if t.name == "STRING")
    return re.compile(terminal.pattern.to_regexp())


def _matched_end(pattern: re.Pattern[str], source: str, start: int) -> int:
    found = pattern.match(source, start)
    return -1 if found is None else found.end()


# --------------------------------------------------------------------------
# Where the edit is


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, by halving (string comparison runs in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _edit_between(old: str, new: str) -> _Edit:
    start = _common_prefix(old, new)
    limit = min(len(old), len(new)) - start
    suffix = _common_prefix(old[len(old) - limit :][::-1], new[len(new) - limit :][::-1]) if limit else 0
    old_end, new_end = len(old) - suffix, len(new) - suffix
    lines = new.count("\n", start, new_end) - old.count("\n", start, old_end)
    return _Edit(start, old_end, new_end, lines)


def _enclosing_statement(old: ParseResult, edit: _Edit) -> _Target | None:
    """The goal or top-level statement whose braces (or quotes) hold the whole edit."""
    plan = old.plan
    assert plan is not None
    for node in _statements(plan):
        if not _holds(node.span, edit):
            continue
        if isinstance(node, A.GoalSection):
            inner = next((g for g in (*node.goals, *node.imports) if _holds(g.span, edit)), None)
            node = inner or node
        if not _stands_alone(plan, node):
            return None
        return _Target(node, node.span)
    for name in _TEXT_FIELDS:
        prose = getattr(plan, name)
        if prose is not None and _holds(prose.span, edit):
            return _text_statement(old, prose, name)
    return None


def _stands_alone(plan: A.Plan, node: Any) -> bool:
    """Whether the statement parses alone to what it is in the file: not the header
    (`kravnummerering` changes every requirement id), not a weights table (its place
    depends on what follows it), not a goal whose ids depend on the header."""
    if isinstance(node, A.Header | A.WeightTable) or (isinstance(node, A.Annex) and node.weights is not None):
        return False
    running = plan.header is not None and plan.header.running_numbers
    return not (running and isinstance(node, A.Goal | A.GoalSection))


def _statements(plan: A.Plan) -> Iterator[Any]:
    """The plan's top-level statements that are blocks (not its top-level texts)."""
    for name in _TOP_FIELDS:
        value = getattr(plan, name)
        yield from (n for n in (value if isinstance(value, tuple) else (value,)) if n is not None)


def _text_statement(old: ParseResult, prose: A.Prose, name: str) -> _Target | None:
    """`indledning "..."`: the statement starts at the keyword just before the text."""
    p = old.keyword_positions
    i = _first_at(p, prose.span.start) - 7
    if i < 0 or keyword_name(p[i]) != _TEXT_FIELDS[name]:
        return None
    s = prose.span
    return _Target(prose, A.Span(p[i + 1], s.end, p[i + 3], p[i + 4], s.end_line, s.end_column, s.file), name)


def _holds(span: A.Span, edit: _Edit) -> bool:
    return span is not A.NO_SPAN and span.start < edit.start and edit.old_end < span.end


def _ends_its_line(source: str, end: int) -> bool:
    """Only blanks after the statement on its last line: no column after it moves."""
    line_end = source.find("\n", end)
    return source[end : len(source) if line_end < 0 else line_end].strip() == ""


# --------------------------------------------------------------------------
# Parsing the block alone


def _parse_block(old: ParseResult, source: str, target: _Target, edit: _Edit) -> tuple[Any, ParseResult] | None:
    span = target.region
    end = span.end + edit.delta
    # Blanks in place of the text before the statement keep its offsets, lines and columns.
    before = span.start - (span.line - 1) - (span.column - 1)
    padded = " " * before + "\n" * (span.line - 1) + " " * (span.column - 1) + source[span.start : end]
    parsed = parse_source(padded, old.path, seed_votes=old.keyword_votes)
    if parsed.plan is None or any(d.code not in _BLOCK_CODES for d in parsed.diagnostics):
        return None
    node = _only_statement(parsed.plan, target)
    if node is None or node.span.start != target.node.span.start or node.span.end != end:
        return None
    return node, parsed


def _only_statement(plan: A.Plan, target: _Target) -> Any | None:
    """The one statement the block's parse holds, if it is of the target's kind."""
    found = list(_statements(plan))
    texts = {name: getattr(plan, name) for name in _TEXT_FIELDS if getattr(plan, name) is not None}
    if target.field is not None:
        return texts[target.field] if not found and list(texts) == [target.field] else None
    if len(found) != 1 or not isinstance(found[0], type(target.node)) or texts:
        return None
    return found[0]


def _votes_after(old: ParseResult, parsed: ParseResult, span: A.Span) -> tuple[int, int] | None:
    """The file's keyword-language votes after the edit, when the file keeps to one language
    (then the block's messages are worded as in a full parse)."""
    gone = _votes_in(old, span)
    da = old.keyword_votes[0] - gone[0] + parsed.keyword_votes[0]
    en = old.keyword_votes[1] - gone[1] + parsed.keyword_votes[1]
    return (da, en) if da == 0 or en == 0 else None


def _votes_in(result: ParseResult, span: A.Span) -> tuple[int, int]:
    p, source = result.keyword_positions, result.source
    da = en = 0
    for i in range(_first_at(p, span.start), len(p), 7):
        if p[i + 1] >= span.end:
            break
        lang = keyword_language(p[i], source[p[i + 1] : p[i + 2]])
        da, en = da + (lang == "da"), en + (lang == "en")
    return da, en


def _first_at(positions: array[int], offset: int) -> int:
    """Index of the first keyword record starting at or after `offset` (records are 7 ints, in order)."""
    return 7 * bisect.bisect_left(range(len(positions) // 7), offset, key=lambda record: positions[record * 7 + 1])


# --------------------------------------------------------------------------
# Splicing and moving


def _shift_span(span: A.Span, edit: _Edit) -> A.Span:
    if span is A.NO_SPAN:
        return span
    d, lines = edit.delta, edit.lines
    return A.Span(span.start + d, span.end + d, span.line + lines, span.column, span.end_line + lines,
                  span.end_column, span.file)  # fmt: skip


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


def _shifted(node: Any, edit: _Edit) -> Any:
    """`node` with every span moved by the edit (all of it lies after the edit). Every node
    after a keystroke is made again, so this runs code generated per class (it copies the
    fields that hold no span as they are): a generic walk was two thirds of a re-parse."""
    return MOVED[type(node)](node, edit.delta, edit.lines)


# Classes whose nodes may hold a node the plan holds twice: the parser puts a core task's goals
# in its section's goals too, one node for both. They are made again field by field, so that
# the shared goal is made once (moving them whole would make two).
_SHARING = (A.GoalSection, A.CoreTask)


def _replace(plan: A.Plan, target: Any, block: Any, edit: _Edit) -> A.Plan:
    """`plan` with `target` replaced by `block`, what precedes it kept and what follows moved;
    a node held in two places is made again once, for both."""
    made: dict[int, Any] = {}  # id of an old node -> the node made in its place

    def rebuilt(value: Any) -> Any:
        """`value`, which may hold the target."""
        if value is target:
            return block
        if isinstance(value, tuple):
            return tuple([rebuilt(v) for v in value])
        names = _field_names(type(value))
        span = value.span if names is not None and "span" in names else None
        if span is None or span is A.NO_SPAN or span.end <= target.span.start:
            return value
        if span.start >= target.span.end:
            return moved(value)
        if id(value) not in made:
            grown = _grown(span, edit, target, block)
            made[id(value)] = type(value)(*[grown if n == "span" else rebuilt(getattr(value, n)) for n in names])
        return made[id(value)]

    def moved(value: Any) -> Any:
        """`value`, which lies wholly after the target."""
        if isinstance(value, tuple):
            return tuple([moved(v) for v in value])
        names = _field_names(type(value))
        if names is None:
            return value
        if id(value) not in made:
            if isinstance(value, _SHARING):
                span = _shift_span(value.span, edit)
                made[id(value)] = type(value)(*[span if n == "span" else moved(getattr(value, n)) for n in names])
            else:
                made[id(value)] = _shifted(value, edit)
        return made[id(value)]

    return rebuilt(plan)


def _grown(span: A.Span, edit: _Edit, target: Any, block: Any) -> A.Span:
    """The span of a node around the edit: its end moves, and when the node ends on the line
    the re-parsed statement ends on (the plan's last statement), so does its end column."""
    column = span.end_column
    if span.end_line == target.span.end_line:
        column += block.span.end_column - target.span.end_column
    return dataclasses.replace(span, end=span.end + edit.delta, end_line=span.end_line + edit.lines, end_column=column)


def _merge_diagnostics(old: list[Diagnostic], new: list[Diagnostic], span: A.Span, edit: _Edit) -> list[Diagnostic]:
    before = [d for d in old if d.span.end <= span.start]
    after = [_shifted_diagnostic(d, edit) for d in old if d.span.start >= span.end]
    return sorted(before + new + after, key=Diagnostic.sort_key)  # as parse_source orders them


def _shifted_diagnostic(d: Diagnostic, edit: _Edit) -> Diagnostic:
    related = tuple(Related(_shift_span(r.span, edit), r.message) for r in d.related)
    return dataclasses.replace(d, span=_shift_span(d.span, edit), related=related)


def _merge_comments(
    old: tuple[Comment, ...], new: tuple[Comment, ...], span: A.Span, edit: _Edit
) -> tuple[Comment, ...]:
    before = tuple(c for c in old if c.span.end <= span.start)
    after = tuple(Comment(c.text, _shift_span(c.span, edit)) for c in old if c.span.start >= span.end)
    return before + new + after


def _merge_keywords(old: array[int], new: array[int], span: A.Span, edit: _Edit) -> array[int]:
    after = old[_first_at(old, span.end) :]
    # Each record's start and end offsets (fields 1, 2) and lines (3, 5) move: a whole
    # column of records at a time, by slices with a step (a loop over the records took ~1 ms).
    for field, by in ((1, edit.delta), (2, edit.delta), (3, edit.lines), (5, edit.lines)):
        if by:
            after[field::7] = array(after.typecode, [value + by for value in after[field::7]])
    return old[: _first_at(old, span.start)] + new + after
