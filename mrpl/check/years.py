"""MRP32x: multi-year contracts: targets per year, yearly rates and baselines.

A target may apply to some years of the period (`måltal andel mindst 85 % i 2017`);
those years lie inside the period (MRP320), and two targets on the same quantity
name each year once (MRP321). A change measured from a baseline needs a baseline
before the years it applies to (MRP323); a yearly rate (`stigning 2 % om året`)
counts from the baseline's year, which the plan should state (MRP322).
"""

from __future__ import annotations

from mrpl import ast as A
from mrpl.check.context import Context
from mrpl.check.dates import requirement_targets as _targets


def check_years(ctx: Context) -> None:
    header = ctx.header
    period = header.period if header is not None else None
    if period is not None and period.end < period.start:
        period = None  # MRP305
    for goal in ctx.goals:
        for req in goal.requirements:
            targets = list(_targets(req))
            if period is not None:
                for target in targets:
                    _check_years_in_period(ctx, target, period)
            _check_overlaps(ctx, A.requirement_id(goal, req), targets)
            for target in targets:
                if isinstance(target, A.ChangeTarget):
                    _check_baseline(ctx, target, period)


def _check_years_in_period(ctx: Context, target: A.Target, period: A.Period) -> None:
    years = target.years
    if years is None:
        return
    if years.first > years.last:
        ctx.report(
            "MRP320", f"the years {years.words()} run backwards", years.span, fix=f"write {years.last}-{years.first}"
        )
        return
    outside = [y for y in (years.first, years.last) if y not in period.years]
    if outside:
        ctx.report(
            "MRP320",
            f"the target is for {years.words()}, outside the contract period {_period_words(period)}",
            years.span,
            notes=(f"the plan's period is {period.start.isoformat()} to {period.end.isoformat()}",),
        )


def _period_words(period: A.Period) -> str:
    first, last = period.start.year, period.end.year
    return str(first) if first == last else f"{first}-{last}"


def _quantity(target: A.Target) -> tuple[object, ...]:
    """What a target measures and in which direction: two targets with the same key
    and overlapping years would give one year two targets."""
    relation = getattr(target, "relation", None)
    detail: tuple[object, ...] = ()
    if isinstance(target, A.ShareTarget):
        detail = (target.within, target.by, target.of, target.limit)
    elif isinstance(target, A.TimeTarget):
        detail = (target.statistic,)
    elif isinstance(target, A.CountTarget):
        detail = (target.unit,)
    elif isinstance(target, A.ChangeTarget):
        detail = (target.direction,)
    return (type(target).__name__, relation, *detail)


def _check_overlaps(ctx: Context, rid: str, targets: list[A.Target]) -> None:
    seen: dict[tuple[object, ...], list[A.Years]] = {}
    for target in targets:
        if target.years is None:
            continue
        key = _quantity(target)
        for earlier in seen.get(key, []):
            common = max(earlier.first, target.years.first), min(earlier.last, target.years.last)
            if common[0] <= common[1]:
                year = str(common[0]) if common[0] == common[1] else f"{common[0]}-{common[1]}"
                ctx.report(
                    "MRP321",
                    f"{rid} has two targets of this kind for {year}",
                    target.years.span,
                    fix="give each year one target (`i 2016`, `i 2017-2019`)",
                )
                break
        seen.setdefault(key, []).append(target.years)


def _check_baseline(ctx: Context, target: A.ChangeTarget, period: A.Period | None) -> None:
    baseline = target.baseline
    if baseline is None:
        return  # MRP403
    base_years = baseline.years
    if target.yearly and base_years is None:
        start = f"{period.start.year - 1}" if period is not None else "2015"
        ctx.report(
            "MRP322",
            "a yearly rate counts from a baseline year, and this target names none",
            target.span,
            fix=f"name the baseline year and value: `ift. {start} 2.000`",
        )
        return
    if base_years is None:
        return
    first = target.years.first if target.years is not None else (period.start.year if period else None)
    if first is not None and base_years.last >= first:
        ctx.report(
            "MRP323",
            f"the baseline ({base_years.words()}) is not before the first year the target applies to ({first})",
            base_years.span,
            fix="a baseline is measured before the years of the target",
        )
