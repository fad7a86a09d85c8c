"""MRP7xx: the ministry's guidance, not hard rules.

Requirement deadlines: a measured target (a share, a time, a count, a level, a
change, an assessment, a kept status) is read at the end of the period, so the
period end is its implied deadline. Only milestones, and requirements without
any target, need an explicit `frist` (or a scope period, or `senest`).
"""

from __future__ import annotations

from mrpl import ast as A
from mrpl.check.context import Context
from mrpl.diagnostics import plural

MIN_GOALS, MAX_GOALS = 3, 10


def check_guidance(ctx: Context) -> None:
    if ctx.header is not None and ctx.goals:
        count = len(ctx.goals)
        if not MIN_GOALS <= count <= MAX_GOALS:
            ctx.report(
                "MRP701",
                f"the plan has {plural(count, 'goal', 'goals')}; the guidance suggests {MIN_GOALS} to {MAX_GOALS}",
                ctx.header.span,
            )
    for goal in ctx.goals:
        for req in goal.requirements:
            if req.dropped is None and req.scored and _needs_deadline(req) and not _has_time(req):
                ctx.report(
                    "MRP702",
                    f"requirement {A.requirement_id(goal, req)} says nothing about when it is due",
                    req.span,
                    fix="add `frist ...` (e.g. `frist 2. kvartal`)",
                )


def _needs_deadline(req: A.Requirement) -> bool:
    targets = [*req.targets, *_part_targets(req.groups)]
    return not targets or any(isinstance(t, A.MilestoneTarget) for t in targets)


def _part_targets(members: tuple[A.SubWeight | A.SubWeightGroup, ...]) -> list[A.Target]:
    out: list[A.Target] = []
    for member in members:
        out += member.targets if isinstance(member, A.SubWeight) else _part_targets(member.members)
    return out


def _has_time(req: A.Requirement) -> bool:
    if req.deadlines or (req.scope is not None and req.scope.within is not None):
        return True
    return any(isinstance(t, A.ShareTarget) and t.by is not None for t in req.targets)
