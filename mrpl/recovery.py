"""Error recovery for the parser: one mistake, one message.

Lark's default recovery drops the token it cannot use and goes on, so one wrong word
usually gives a cascade: the rest of the statement fails word by word, and the lines
of a block whose header failed land in the enclosing block ("`tekst` is given twice").
Here the parser resynchronises instead, as a hand-written compiler does:

- a block left open (a `}` missing: the next statement stands at or left of the
  block's own indentation) is closed where the author's indentation says it ends;
- otherwise the broken statement is dropped whole: the parser state goes back to
  where the statement began, and reading resumes at the next statement of the same
  block, skipping a block the statement opened, or the more indented lines below it
  when its `{` is missing, or at the `}` that closes the enclosing block.

`recover` is called from `mrpl.parse` for each syntax error, after it is reported.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass

from lark import Token
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_interactive_parser import InteractiveParser

from mrpl.layout import positioned_tokens


@dataclass(frozen=True, slots=True)
class OpenBlock:
    """A `{` not yet closed when the error happened."""

    keyword: str  # the statement's first word, as written
    line: int
    indent: int
    offset: int  # of the `{`


def open_blocks(parser: InteractiveParser, source: str) -> list[OpenBlock]:
    """The blocks open at the error, outermost first (from the parser's value stack)."""
    out = []
    stack = parser.parser_state.value_stack
    for i, value in enumerate(stack):
        if isinstance(value, Token) and value.type == "LBRACE":
            keyword = next(
                (v.value for v in reversed(stack[:i]) if isinstance(v, Token) and v.type.startswith("KW_")), ""
            )
            line = value.line or 1
            block = OpenBlock(" ".join(keyword.split()), line, _indent_of_line(source, line), value.start_pos or 0)
            out.append(block)
    return out


def missing_brace(exc: UnexpectedInput, source: str) -> OpenBlock | None:
    """The block a `}` is missing from, when the token that failed starts a line at or left
    of the indentation of the innermost open block (and closing it lets the parse go on)."""
    if not isinstance(exc, UnexpectedToken) or exc.token.type in ("_NL", "$END", "RBRACE"):
        return None
    parser = exc.interactive_parser
    token = exc.token
    if not _first_on_line(source, token.start_pos or 0):
        return None
    indent = _indent_of_line(source, token.line or 1)
    blocks = open_blocks(parser, source)
    closing = [b for b in blocks if b.indent >= indent]
    if not closing or not _accepts(parser, ["RBRACE"] * len(closing) + ["_NL", token.type]):
        return None
    return closing[0]


def where_brace_belongs(source: str, block: OpenBlock, offset: int) -> int:
    """The offset where the missing `}` of `block` belongs, as the indentation tells: before
    the first `}` that closes a block left of where it opened (that `}` was meant for an
    outer block), else on the line after the last statement before `offset`."""
    opened: list[int] = []
    for kind, _, at in positioned_tokens(source, block.offset):
        if at >= offset:
            break
        if kind == "open":
            opened.append(_indent_of_offset(source, at))
        elif kind == "close" and opened:
            indent = opened.pop()
            if _first_on_line(source, at) and _indent_at(source, at) < indent:
                return _line_for_brace(source, _line_start(source, at), indent)
    return _line_for_brace(source, _line_start(source, offset), block.indent)


def _line_for_brace(source: str, line_start: int, indent: int) -> int:
    """A point on the line after the last line of code before `line_start` (blank lines and
    comment lines do not count), at `indent`; `line_start` itself when there is none."""
    start = line_start
    while start > 0:
        previous = source.rfind("\n", 0, start - 1) + 1
        text = source[previous : start - 1].strip()
        if text and not text.startswith("#"):
            break
        start = previous
    if start >= line_start:
        return line_start
    end = source.find("\n", start)
    return min(start + indent, end if end >= 0 else len(source))


def _line_start(source: str, offset: int) -> int:
    return source.rfind("\n", 0, offset) + 1


def _indent_of_offset(source: str, offset: int) -> int:
    start = _line_start(source, offset)
    line = source[start:offset]
    return len(line) - len(line.lstrip(" \t"))


def close_blocks(exc: UnexpectedToken, source: str) -> None:
    """Close the open blocks the failed token's indentation ends, then feed it again."""
    parser, token = exc.interactive_parser, exc.token
    indent = _indent_of_line(source, token.line or 1)
    count = sum(1 for b in open_blocks(parser, source) if b.indent >= indent)
    for _ in range(count):
        parser.feed_token(Token.new_borrow_pos("RBRACE", "}", token))
    parser.feed_token(Token.new_borrow_pos("_NL", "\n", token))
    parser.feed_token(token)


def recover(exc: UnexpectedInput, source: str) -> None:
    """Drop the broken statement and resume at the next one (see the module's docstring)."""
    parser: InteractiveParser = exc.interactive_parser
    start = _unwind_statement(parser)
    offset = _error_offset(exc)
    statement_start = offset if start is None else min(start, offset)
    resume = _resume_offset(source, offset, _indent_of_line(source, _line_at(source, statement_start)))
    line_counter = parser.lexer_thread.state.line_ctr
    if resume > line_counter.char_pos:
        line_counter.feed(source[line_counter.char_pos : resume])
    elif _is_closing(exc, resume) and _accepts(parser, ["RBRACE"]):
        parser.feed_token(exc.token)  # type: ignore[attr-defined]  # the failed `}` closes the enclosing block


def _is_closing(exc: UnexpectedInput, resume: int) -> bool:
    return isinstance(exc, UnexpectedToken) and exc.token.type == "RBRACE" and resume == exc.token.start_pos


def _error_offset(exc: UnexpectedInput) -> int:
    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        return exc.token.start_pos or 0
    return getattr(exc, "pos_in_stream", None) or 0


def _unwind_statement(parser: InteractiveParser) -> int | None:
    """Pop the parser's stacks back to the start of the statement being read: to the
    separator or `{` before it (or the start of the file). Returns the offset where the
    dropped part began, or None when nothing was dropped."""
    state = parser.parser_state
    start = None
    while state.value_stack and not _before_statement(state.value_stack[-1]):
        state.state_stack.pop()
        start = _start_offset(state.value_stack.pop(), start)
    return start


def _before_statement(value: object) -> bool:
    return isinstance(value, Token) and value.type in ("_NL", "LBRACE")


def _start_offset(value: object, known: int | None) -> int | None:
    """The earlier of `known` and where `value` (a token, a node or an item) starts."""
    if isinstance(value, Token):
        found = value.start_pos
    else:
        span = getattr(value, "span", None)
        found = span.start if span is not None and span.end > span.start else None
    if found is None:
        return known
    return found if known is None else min(found, known)


def _accepts(parser: InteractiveParser, types: list[str]) -> bool:
    """Whether the parser would take these token types in a row (no callbacks run)."""
    trial = parser.copy(deepcopy_values=False)
    conf = copy(trial.parser_state.parse_conf)
    conf.callbacks = {}
    trial.parser_state.parse_conf = conf
    try:
        for kind in types:
            trial.feed_token(Token(kind, ""))
    except UnexpectedInput:
        return False
    except Exception:  # a reduction without callbacks can fail on placeholders: not accepted
        return False
    return True


# --------------------------------------------------------------------------
# Where the next statement starts, from the source text


def _resume_offset(source: str, offset: int, indent: int) -> int:
    """The offset of the first token of the next statement after `offset` in the same
    block, or of the `}` closing that block, or the end of the text."""
    depth = 0
    tokens = _tokens_from(source, offset)
    for kind, _, at in tokens:
        if kind == "open":
            depth += 1
        elif kind == "close":
            if depth == 0:
                return at
            depth -= 1
        elif kind in ("newline", "semi") and depth == 0:
            following = _next_code(tokens)
            if following is None:
                return len(source)
            at2 = following[2]
            if kind == "newline" and _indent_at(source, at2) > indent and _first_on_line(source, at2):
                return _after_indented_lines(source, at2, indent)  # a block whose `{` is missing
            return at2
    return len(source)


def _after_indented_lines(source: str, offset: int, indent: int) -> int:
    """Skip the lines indented deeper than `indent` from `offset`, and a `}` line at
    `indent` that closes them; the offset of the next statement."""
    tokens = _tokens_from(source, offset)
    for kind, _, at in tokens:
        if kind in ("newline", "comment") or not _first_on_line(source, at):
            continue
        if _indent_at(source, at) > indent:
            continue
        if kind == "close" and _indent_at(source, at) == indent:
            following = _next_code(tokens, after_line=True)
            return len(source) if following is None else following[2]
        return at
    return len(source)


def _tokens_from(source: str, offset: int):  # type: ignore[no-untyped-def]
    return iter(positioned_tokens(source, offset))


def _next_code(tokens, after_line: bool = False):  # type: ignore[no-untyped-def]
    """The next token that is not a line break or a comment."""
    for kind, text, at in tokens:
        if kind in ("newline", "comment"):
            continue
        if after_line and kind == "semi":
            continue
        return kind, text, at
    return None


def _line_at(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def _indent_at(source: str, offset: int) -> int:
    start = source.rfind("\n", 0, offset) + 1
    line = source[start:offset]
    return len(line) - len(line.lstrip(" \t"))


def _indent_of_line(source: str, line: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = source.find("\n", start) + 1
        if start == 0:
            return 0
    end = source.find("\n", start)
    text = source[start : end if end >= 0 else len(source)]
    return len(text) - len(text.lstrip(" \t"))


def _first_on_line(source: str, offset: int) -> bool:
    start = source.rfind("\n", 0, offset) + 1
    return not source[start:offset].strip(" \t\f")
