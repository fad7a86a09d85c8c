"""Multi-year contracts: the plan as it stands in one year of its period.

A plan whose `periode` spans several years (`periode 2016-2019`) is scored one
year at a time. `year_view(plan, year)` gives the plan of that year:

- a target with years (`måltal andel mindst 85 % i 2017-2019`) counts only in
  those years; a target without years counts in every year;
- a milestone counts in the year its deadline falls in (`frist 31.12.2017`);
  a deadline without a year (`2. kvartal`) falls in every year;
- a yearly rate (`stigning 2 % om året ift. 2015 2.000`) becomes that year's
  target, compounded from the baseline year: 2017 is 2 years after 2015, so
  the target is (1,02² − 1) = 4,04 % above the baseline;
- a requirement with nothing due in the year is *not due* (`ikke aktuelt i
  året`): scoring leaves its points out of that year's total, as it does for a
  dropped requirement.

`mrpl.score.scoring_plan(plan, year)` scores the view; `mrpl.period` adds the
years up to the whole period. A one-year plan's view of its own year is the
plan itself.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal, localcontext

from mrpl import ast as A

HUNDRED = Decimal(100)


def plan_years(plan: A.Plan) -> range | None:
    """The years of the plan's period, or None when it states no period."""
    header = plan.header
    if header is None:
        return None
    if header.period is not None and header.period.start <= header.period.end:
        return header.period.years
    if header.year is not None:
        return range(header.year, header.year + 1)
    return None


def is_multi_year(plan: A.Plan) -> bool:
    years = plan_years(plan)
    return years is not None and len(years) > 1


def applies(target: A.Target, year: int) -> bool:
    return target.years is None or year in target.years


def base_year(target: A.ChangeTarget, period: A.Period | None) -> int | None:
    """The year a yearly rate counts from: the baseline's last year, else the year before the period."""
    if target.baseline is not None and target.baseline.years is not None:
        return target.baseline.years.last
    return period.start.year - 1 if period is not None else None


def compounded(target: A.ChangeTarget, years: int) -> Decimal:
    """The change after `years` years of the yearly rate, in percent of the baseline:
    an increase of r % a year gives (1 + r)^n − 1; a reduction 1 − (1 − r)^n."""
    rate = target.percent / HUNDRED
    with localcontext() as ctx:
        ctx.prec = 28
        increase = target.direction is A.ChangeDirection.INCREASE
        factor = (1 + rate) ** years - 1 if increase else 1 - (1 - rate) ** years
        return (factor * HUNDRED).normalize() + 0


def target_in_year(target: A.Target, year: int, period: A.Period | None) -> A.Target:
    """The target as it stands in `year`: a yearly rate becomes that year's change."""
    if not isinstance(target, A.ChangeTarget) or not target.yearly:
        return target
    start = base_year(target, period)
    if start is None:
        return target
    return dataclasses.replace(target, percent=compounded(target, max(0, year - start)), yearly=False)


def _due_in(deadline: A.Deadline, year: int, period: A.Period | None) -> bool:
    if deadline.kind is A.DeadlineKind.PERIOD_END:
        return period is None or period.end.year == year
    return deadline.year is None or deadline.due(period, year).year == year


def _requirement_in_year(req: A.Requirement, year: int, period: A.Period | None) -> tuple[A.Requirement, bool]:
    """The requirement in `year`, and whether anything of it is due that year."""
    targets = tuple(target_in_year(t, year, period) for t in req.targets if applies(t, year))
    deadlines = tuple(d for d in req.deadlines if _due_in(d, year, period))
    milestone = any(isinstance(t, A.MilestoneTarget) for t in targets)
    due = bool(targets) or not req.targets
    if milestone and req.deadlines and not deadlines:
        due = False
    if not targets and req.targets:
        due = False
    groups = tuple(_group_in_year(g, year, period) for g in req.groups)
    view = dataclasses.replace(req, targets=targets, deadlines=deadlines if milestone else req.deadlines, groups=groups)
    return view, due


def _group_in_year(group: A.SubWeightGroup, year: int, period: A.Period | None) -> A.SubWeightGroup:
    members: list[A.SubWeight | A.SubWeightGroup] = []
    for m in group.members:
        if isinstance(m, A.SubWeightGroup):
            members.append(_group_in_year(m, year, period))
        else:
            kept = tuple(target_in_year(t, year, period) for t in m.targets if applies(t, year))
            members.append(dataclasses.replace(m, targets=kept))
    return dataclasses.replace(group, members=tuple(members))


def year_view(plan: A.Plan, year: int) -> tuple[A.Plan, frozenset[str]]:
    """The plan as it stands in `year`, and the ids of the requirements not due that year."""
    period = plan.header.period if plan.header is not None else None
    not_due: set[str] = set()

    def goal_in_year(goal: A.Goal) -> A.Goal:
        reqs = []
        for req in goal.requirements:
            view, due = _requirement_in_year(req, year, period)
            if not due:
                not_due.add(A.requirement_id(goal, req))
            reqs.append(view)
        return dataclasses.replace(goal, requirements=tuple(reqs))

    sections = tuple(dataclasses.replace(s, goals=tuple(goal_in_year(g) for g in s.goals)) for s in plan.sections)
    goals = tuple(goal_in_year(g) for g in plan.goals)
    return dataclasses.replace(plan, sections=sections, goals=goals), frozenset(not_due)
