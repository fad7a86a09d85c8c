"""MRP3xx: deadlines fall inside the contract period.

A deadline is a point in time: its last day (`Deadline.end_date`) lies in the
period. A scope (`omfang ... i 2. halvår 2022`) is a stretch: it overlaps the
period. A deadline without a year takes the year of a one-year period and is
ambiguous (MRP302) in a multi-year one. Not-a-date (31 June) is the parser's
MRP020.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from mrpl import ast as A
from mrpl.check.context import Context
from mrpl.textdates import deadlines_named

_LIMITS = {A.DeadlineKind.QUARTER: (4, "quarter"), A.DeadlineKind.HALF: (2, "half-year")}
# The years a plan may name (MRP330): wide enough for any contract and its history, narrow
# enough that every later stage (calendars, scoring, documents) can compute with them.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def check_dates(ctx: Context) -> None:
    header = ctx.header
    if not _years_in_range(ctx, header):
        return  # every other date check would compute with a year no calendar should see
    period = header.period if header is not None else None
    if period is not None and period.end < period.start:
        ctx.report(
            "MRP305",
            f"the period ends ({period.end.isoformat()}) before it starts ({period.start.isoformat()})",
            period.span,
        )
        period = None
    if header is not None and period is not None:
        _check_header_dates(ctx, header, period)
    for deadline, is_scope in _deadlines(ctx.goals):
        if _valid_number(ctx, deadline) and period is not None:
            _check_in_period(ctx, deadline, period, is_scope)
    year = header.year if header is not None and header.year is not None else (period.start.year if period else None)
    if year is not None:
        for goal in ctx.goals:
            for req in goal.requirements:
                _check_text_names_deadline(ctx, goal, req, period, year)


def _check_header_dates(ctx: Context, header: A.Header, period: A.Period) -> None:
    if header.year is not None and header.year not in period.years:
        ctx.report(
            "MRP306",
            f"the plan is for {header.year}, but its period is {period.start.isoformat()} to {period.end.isoformat()}",
            header.span,
        )
    for signatory in (header.director, header.head):
        if signatory is not None and signatory.signed_on is not None and signatory.signed_on > period.start:
            ctx.report(
                "MRP304",
                f"{signatory.name} signs on {signatory.signed_on.isoformat()}, after the period started "
                f"({period.start.isoformat()})",
                signatory.span,
            )


def _years_in_range(ctx: Context, header: A.Header | None) -> bool:
    """MRP330 for every year outside FIRST_YEAR..LAST_YEAR; True when there is none."""
    found: list[tuple[int, A.Span]] = []
    if header is not None:
        if header.year is not None:
            found.append((header.year, header.span))
        if header.period is not None:
            found += [(header.period.start.year, header.period.span), (header.period.end.year, header.period.span)]
        for signatory in (header.director, header.head):
            if signatory is not None:
                signed = signatory.signed_on.year if signatory.signed_on else signatory.signed_year
                if signed is not None:
                    found.append((signed, signatory.span))
    found += [(d.year, d.span) for d, _scope in _deadlines(ctx.goals) if d.year is not None]
    bad = [(year, span) for year, span in found if not FIRST_YEAR <= year <= LAST_YEAR]
    for year, span in bad:
        ctx.report("MRP330", f"the year {year} is outside {FIRST_YEAR}-{LAST_YEAR}", span)
    return not bad


def _deadlines(goals: tuple[A.Goal, ...]) -> Iterator[tuple[A.Deadline, bool]]:
    """Every deadline of the plan, and whether it is a scope (a stretch of time)."""
    for goal in goals:
        for req in goal.requirements:
            for deadline in req.deadlines:
                yield deadline, False
            if req.dropped is not None and req.dropped.on is not None:
                yield req.dropped.on, False
            if req.scope is not None and req.scope.within is not None:
                yield req.scope.within, True
            for target in requirement_targets(req):
                if isinstance(target, A.ShareTarget) and target.by is not None:
                    yield target.by, False


def requirement_targets(req: A.Requirement) -> Iterator[A.Target]:
    """The requirement's targets and those of its sub-weight members, at any depth."""
    yield from req.targets
    stack: list[A.SubWeight | A.SubWeightGroup] = list(req.groups)
    while stack:
        member = stack.pop()
        if isinstance(member, A.SubWeight):
            yield from member.targets
        else:
            stack.extend(member.members)


def _valid_number(ctx: Context, deadline: A.Deadline) -> bool:
    limit = _LIMITS.get(deadline.kind)
    if limit is None or deadline.number is None or 1 <= deadline.number <= limit[0]:
        return True
    ctx.report(
        "MRP303",
        f"there is no {limit[1]} {deadline.number}; {limit[1]}s are numbered 1 to {limit[0]}",
        deadline.span,
    )
    return False


def _shown(deadline: A.Deadline) -> str:
    return deadline.written or deadline.kind.value


def _check_in_period(ctx: Context, deadline: A.Deadline, period: A.Period, is_scope: bool) -> None:
    if deadline.kind == A.DeadlineKind.PERIOD_END:
        return
    year = deadline.year
    if year is None:
        if len(period.years) > 1:
            ctx.report(
                "MRP302",
                f"{_shown(deadline)!r} has no year, and the period runs {period.start.year}-{period.end.year}",
                deadline.span,
                fix=f"write the year: {_shown(deadline)} {period.start.year}",
            )
            return
        year = period.start.year
    try:
        first, last = deadline.start_date(year), deadline.end_date(year)
    except ValueError:  # an impossible date is the parser's MRP020
        return
    if is_scope and deadline.kind is A.DeadlineKind.YEARS and last < period.start:
        return  # a measurement window before the contract (`i 2011-2015`), as baselines are
    if is_scope:
        first = first if first <= last else last
        if last < period.start or first > period.end:
            _report_outside(ctx, deadline, period, "the scope", last < period.start)
    elif last > period.end or last < period.start:
        _report_outside(ctx, deadline, period, "the deadline", last < period.start)


def _report_outside(ctx: Context, deadline: A.Deadline, period: A.Period, what: str, before: bool) -> None:
    edge: date = period.start if before else period.end
    relation = "before the contract period starts" if before else "after the contract period ends"
    ctx.report(
        "MRP301",
        f"{what} {_shown(deadline)!r} is {relation} ({edge.isoformat()})",
        deadline.span,
        notes=(f"the plan's period is {period.start.isoformat()} to {period.end.isoformat()}",),
    )


def _check_text_names_deadline(
    ctx: Context, goal: A.Goal, req: A.Requirement, period: A.Period | None, year: int
) -> None:
    """MRP310: the requirement's text (or its label, "1. kvartal:") names a deadline, and
    none of the deadlines it names is a `frist` of the requirement."""
    if not req.deadlines:
        return
    text = " ".join(t for t in (req.display or "", req.text.plain() if req.text else "") if t)
    start = period.start if period is not None else date(year, 1, 1)
    # A date before the contract starts is a reference ("regler i kraft 1. juni 2019"), not a deadline.
    named = [n for n in _deadlines_named(text) if n.year is None or _safe_end(n, year) >= start]
    if not named:
        return
    try:
        due = {d.due(period, year) for d in req.deadlines if _in_range(d)}
        if not due or any(n.end_date(year) in due for n in named):
            return
    except ValueError:  # an impossible date is the parser's MRP020
        return
    said = ", ".join(repr(n.written) for n in named)
    frist = ", ".join(repr(_shown(d)) for d in req.deadlines)
    ctx.report(
        "MRP310",
        f"requirement {A.requirement_id(goal, req)}'s text names {said}, but its `frist` is {frist}",
        req.deadlines[0].span,
        fix="make the text and `frist` agree",
    )


@lru_cache(maxsize=2048)
def _deadlines_named(text: str) -> tuple[A.Deadline, ...]:
    """`deadlines_named`, remembered: the language server checks the plan again on every
    keystroke, and all but one of its requirement texts are as they were (a dozen regular
    expressions over each was a third of the dates check)."""
    return tuple(deadlines_named(text))


def _in_range(deadline: A.Deadline) -> bool:
    limit = _LIMITS.get(deadline.kind)
    return limit is None or deadline.number is None or 1 <= deadline.number <= limit[0]


def _safe_end(deadline: A.Deadline, year: int) -> date:
    try:
        return deadline.end_date(year)
    except ValueError:
        return date.min
