"""What every rule family shares: the plan, its indexes, and a way to report.

The indexes (goals by number, requirements by id, every text of the plan) are
built once, lazily, so each rule family stays a single pass over the plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from functools import cache, cached_property
from typing import Any

from mrpl import ast as A
from mrpl.codes import severity_of
from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead
from mrpl.diagnostics import Diagnostic, Related, Severity

# str fields that are identifiers or syntax, not text a reader sees
_NOT_TEXT = frozenset({"number", "label", "written", "unit", "ref", "role", "kind", "statistic", "span"})


def counted(req: A.Requirement) -> bool:
    """Dropped and unscored requirements need no measurement method or deadline."""
    return req.dropped is None and req.scored


def weighted(req: A.Requirement) -> bool:
    """Whether a requirement's weight is part of the plan's sums. A dropped requirement
    still is: the plan was signed with it, and scoring rebases the total when it drops."""
    return req.scored


def plan_number(value: Decimal) -> str:
    """A number as the plan writes it (decimal comma, no exponent)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True, slots=True)
class TextNode:
    """A piece of text in the plan and the span of the node that holds it."""

    value: str
    span: A.Span


class Context:
    def __init__(self, plan: A.Plan, sources: Mapping[str, str]) -> None:
        self.plan = plan
        self.sources = sources
        self.diagnostics: list[Diagnostic] = []
        self.goals = plan.all_goals()
        self.header = plan.header

    # ---- reporting

    def report(
        self,
        code: str,
        message: str,
        span: A.Span,
        *,
        notes: tuple[str, ...] = (),
        fix: str | None = None,
        related: tuple[Related, ...] = (),
        replacement: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        sev = severity if severity is not None else severity_of(code)
        self.diagnostics.append(Diagnostic(code, sev, message, span, notes, fix, related, replacement))

    # ---- indexes

    @cached_property
    def goal_by_number(self) -> dict[str, A.Goal]:
        """The first goal with each number (duplicates are MRP201)."""
        index: dict[str, A.Goal] = {}
        for goal in self.goals:
            index.setdefault(goal.number, goal)
        return index

    @cached_property
    def requirement_by_id(self) -> dict[str, tuple[A.Goal, A.Requirement]]:
        index: dict[str, tuple[A.Goal, A.Requirement]] = {}
        for goal in self.goals:
            for req in goal.requirements:
                index.setdefault(A.requirement_id(goal, req), (goal, req))
        return index

    def resolves(self, ref: str) -> bool:
        return ref in self.goal_by_number or ref in self.requirement_by_id

    @cached_property
    def annex_methods(self) -> tuple[A.Method, ...]:
        return tuple(m for annex in self.plan.annexes for m in annex.methods)

    @property
    def texts(self) -> tuple[TextNode, ...]:
        """Every text of the plan: prose inlines and plain string fields."""
        return self._text_index[0]

    @property
    def footnote_refs(self) -> tuple[A.FootnoteRef, ...]:
        return self._text_index[1]

    @cached_property
    def _text_index(self) -> tuple[tuple[TextNode, ...], tuple[A.FootnoteRef, ...]]:
        from mrpl.check.textwalk import TEXTS  # generated from mrpl.ast (mrpl/dataclassgen/walks.py)

        texts: list[TextNode] = []
        refs: list[A.FootnoteRef] = []
        try:
            TEXTS[A.Plan](self.plan, self.plan.span, texts, refs)  # knows each class's fields: ~3x as fast
        except RecursionError:  # nested deeper than the stack allows: the same, iteratively
            texts.clear()
            refs.clear()
            _collect_texts(self.plan, texts, refs)
        return tuple(texts), tuple(refs)

    # ---- spans

    def narrow(self, span: A.Span, needle: str, *, first_line_only: bool = False) -> A.Span:
        """The span of `needle` inside `span`'s source text, or `span` itself when not found
        (prose is dedented and joined, so its text need not appear verbatim)."""
        source = self.sources.get(span.file)
        if source is None or not needle or span.end <= span.start:
            return span
        end = span.end
        if first_line_only:
            newline = source.find("\n", span.start, span.end)
            end = newline if newline >= 0 else span.end
        at = source.find(needle, span.start, end)
        if at < 0:
            return span
        return span_at(source, at, at + len(needle), span)


def span_at(source: str, start: int, end: int, within: A.Span) -> A.Span:
    """The span of source[start:end], which lies inside `within`: lines are counted from
    `within`'s start, not from the top of the file (that would make the checker quadratic)."""
    line = within.line + source.count("\n", within.start, start)
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    end_line = line + source.count("\n", start, end)
    end_column = end - (source.rfind("\n", 0, end) + 1) + 1
    return A.Span(start, end, line, column, end_line, end_column, within.file)


@cache
def _text_fields(cls: type) -> tuple[str, ...]:
    """The fields of an AST class that may hold text; none for scalars (Decimal, date, enums)."""
    if not dataclasses.is_dataclass(cls):
        return ()
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in _NOT_TEXT)


@cache
def _may_hold_text(cls: type) -> bool:
    """False for numbers, dates and enums: the walk need not visit them."""
    return cls in (str, tuple, A.Text, A.FootnoteRef) or bool(_text_fields(cls))


def _collect_texts(plan: A.Plan, texts: list[TextNode], refs: list[A.FootnoteRef]) -> None:
    """Every Text inline, FootnoteRef and plain str field of the plan, in source order,
    with the span of the node holding it. Iterative: plans may nest deeply. Dispatches
    on the exact type: this walk visits every node of the plan."""
    stack: list[tuple[Any, A.Span]] = [(plan, plan.span)]
    push = stack.append
    while stack:
        node, owner = stack.pop()
        cls = type(node)
        if cls is str:
            texts.append(TextNode(node, owner))
        elif cls is tuple:
            stack.extend([(item, owner) for item in reversed(node)])
        elif cls is A.Text:
            texts.append(TextNode(node.value, node.span))
        elif cls is A.FootnoteRef:
            refs.append(node)
        elif names := _text_fields(cls):
            span = getattr(node, "span", owner)
            here = span if span.end > span.start else owner
            for name in reversed(names):
                value = getattr(node, name)
                if value is not None and _may_hold_text(type(value)):
                    push((value, here))
