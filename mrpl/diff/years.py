"""Comparing plans of different years: deadlines by their position in the year."""

from __future__ import annotations

import dataclasses
from typing import Any

from mrpl import ast as A


def plan_years(plan: A.Plan) -> tuple[int, ...]:
    """The calendar years the plan's period covers (or its `år`), else ()."""
    header = plan.header
    if header is None:
        return ()
    if header.period is not None:
        return tuple(header.period.years)
    return (header.year,) if header.year is not None else ()


def year_shift(old: A.Plan, new: A.Plan) -> int:
    """Years between the two plans' first years; 0 when either has none."""
    old_years, new_years = plan_years(old), plan_years(new)
    if not old_years or not new_years:
        return 0
    return new_years[0] - old_years[0]


def shift_years(node: Any, years: int) -> Any:
    """`node` with every deadline that names its year moved by `years`.

    The moved deadline forgets how it was written (the words named the old
    year), so documents and the diff phrase it afresh.
    """
    if not years:
        return node
    return _shift(node, years)


def _shift(node: Any, years: int) -> Any:
    if isinstance(node, A.Deadline):
        if node.year is None:
            return node
        return dataclasses.replace(node, year=node.year + years, written="")
    if isinstance(node, tuple):
        return tuple(_shift(x, years) for x in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type) and _may_hold_deadline(type(node)):
        changes = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            moved = _shift(value, years)
            if moved is not value:
                changes[f.name] = moved
        return dataclasses.replace(node, **changes) if changes else node
    return node


_NO_DEADLINES = (A.Span, A.Prose, A.Paragraph, A.BulletList, A.NumberedList, A.ListItem, A.Text, A.Weight, A.Period)


def _may_hold_deadline(cls: type) -> bool:
    return not issubclass(cls, _NO_DEADLINES)
