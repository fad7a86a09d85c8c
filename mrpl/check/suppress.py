"""`# mrpl: ignore[MRP702, MRP601]` comments.

A comment silences its codes on its own line and the line below it; inside a
goal's block, on the goal's first line or on the line above the goal it silences
them for the whole goal and its requirements (as everyone expects of a comment
above a `mål`). Only
warnings and info can be silenced: an error stays, with a note saying so.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Mapping

from mrpl import ast as A
from mrpl.codes import CODES
from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead
from mrpl.diagnostics import Diagnostic, Severity
from mrpl.parse import Comment, ParseResult
from mrpl.scanners import compile_ahead

IGNORE = compile_ahead(r"mrpl:\s*ignore\[([^\]]*)\]", re.IGNORECASE)


def ignored_codes(comment: str) -> frozenset[str]:
    match = IGNORE.search(comment)
    if match is None:
        return frozenset()
    return frozenset(c.strip().upper() for c in match.group(1).split(",") if c.strip())


@dataclass(slots=True)
class _FileSuppressions:
    by_line: dict[int, set[str]]  # line -> codes silenced on it
    goal_starts: list[int]  # offsets of goal spans, sorted
    goal_spans: list[A.Span]
    goal_codes: list[set[str]]


def _index(parse: ParseResult, goals: list[A.Goal]) -> _FileSuppressions:
    goals = sorted(goals, key=lambda g: g.span.start)
    index = _FileSuppressions({}, [g.span.start for g in goals], [g.span for g in goals], [set() for _ in goals])
    for comment in parse.comments:
        codes = ignored_codes(comment.text)
        if not codes:
            continue
        for line in (comment.span.line, comment.span.line + 1):
            index.by_line.setdefault(line, set()).update(codes)
        _add_to_goal(index, comment, codes)
    return index


def _enclosing(index: _FileSuppressions, offset: int) -> int | None:
    at = bisect.bisect_right(index.goal_starts, offset) - 1
    if at >= 0 and index.goal_spans[at].start <= offset < index.goal_spans[at].end:
        return at
    return None


def _add_to_goal(index: _FileSuppressions, comment: Comment, codes: frozenset[str]) -> None:
    at = _enclosing(index, comment.span.start)
    if at is None:  # above a goal: the goal it stands on
        at = next((i for i, s in enumerate(index.goal_spans) if s.line == comment.span.line + 1), None)
    if at is not None:
        index.goal_codes[at].update(codes)


def _codes_for(index: _FileSuppressions, span: A.Span) -> set[str]:
    codes = set(index.by_line.get(span.line, ()))
    at = _enclosing(index, span.start)
    if at is not None:
        codes |= index.goal_codes[at]
    return codes


def apply_suppressions(
    diagnostics: Iterable[Diagnostic], goals: Iterable[A.Goal], parses: Mapping[str, ParseResult]
) -> list[Diagnostic]:
    goals_by_file: dict[str, list[A.Goal]] = {}
    for goal in goals:
        goals_by_file.setdefault(goal.span.file, []).append(goal)
    indexes: dict[str, _FileSuppressions] = {}
    out: list[Diagnostic] = []
    for d in diagnostics:
        parse = parses.get(d.span.file)
        if parse is None or not parse.comments:
            out.append(d)
            continue
        if d.span.file not in indexes:
            indexes[d.span.file] = _index(parse, goals_by_file.get(d.span.file, []))
        if d.code not in _codes_for(indexes[d.span.file], d.span):
            out.append(d)
        elif not _suppressible(d):
            note = f"`# mrpl: ignore[{d.code}]` has no effect: errors cannot be suppressed"
            out.append(dataclasses.replace(d, notes=(*d.notes, note)))
    return out


def _suppressible(d: Diagnostic) -> bool:
    entry = CODES.get(d.code)
    severity = entry.severity if entry is not None else d.severity
    return severity < Severity.ERROR and d.severity < Severity.ERROR
