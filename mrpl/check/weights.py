"""MRP1xx: weights add up, at every level.

One pass over the goals. A goal counts with its own weight or, without one,
with the sum of its scored requirements'; a requirement with sub-weight groups
but no weight counts with its groups' sum. With a `vægttabel` the table is the
weight source: its value wins, and an inline weight that differs is MRP108.

Under `vægtning ingen` (the plan header, or a section for its goals) nothing is
weighted: those goals are left out of the sums, and any weight given for them
is MRP120.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mrpl import ast as A
from mrpl.check.context import Context, plan_number, weighted
from mrpl.diagnostics import Related

DEFAULT_TOTAL = Decimal(100)


@dataclass(frozen=True, slots=True)
class _Value:
    """An effective weight and where it is written."""

    value: Decimal
    span: A.Span


def check_weights(ctx: Context) -> None:
    table = _table_entries(ctx)
    parts: list[tuple[A.Goal, Decimal]] = []
    missing = 0
    weighted_goals = [g for g in ctx.goals if ctx.plan.is_weighted(g)]
    weighted_ids = {id(g) for g in weighted_goals}
    for goal in ctx.goals:
        if id(goal) not in weighted_ids:
            _check_unweighted_goal(ctx, goal, table)
            continue
        points, unweighted = _goal_points(ctx, goal, table)
        parts.append((goal, points))
        missing += unweighted
    if ctx.plan.weights is not None:
        _check_table_coverage(ctx, table, weighted_goals)
    header = ctx.header
    if header is not None and header.weighting is not None and header.total is not None:
        _report_unweighted(ctx, header.total, "the plan's `total`", "the plan")
    elif header is not None and weighted_goals:
        _check_total(ctx, parts, missing)


def _report_unweighted(ctx: Context, weight: A.Weight | A.WeightEntry, what: str, scope: str) -> None:
    ctx.report(
        "MRP120",
        f"{what} has a weight, but {scope} says `vægtning ingen`",
        weight.span,
        notes=("an unweighted goal is counted (met or not), never scored in points",),
        fix="remove the weight, or remove `vægtning ingen` and weigh every goal",
    )


def _check_unweighted_goal(ctx: Context, goal: A.Goal, table: dict[str, A.WeightEntry]) -> None:
    """Every weight given for a goal under `vægtning ingen` is MRP120 (once per place it is written)."""
    scope = "the plan" if ctx.header is not None and ctx.header.weighting is not None else "its section"
    if goal.weight is not None:
        _report_unweighted(ctx, goal.weight, f"goal {goal.number}", scope)
    if goal.number in table:
        _report_unweighted(ctx, table[goal.number], f"goal {goal.number} in the weight table", scope)
    for req in goal.requirements:
        rid = A.requirement_id(goal, req)
        if req.weight is not None:
            _report_unweighted(ctx, req.weight, f"requirement {rid}", scope)
        if req.label is not None and rid in table:
            _report_unweighted(ctx, table[rid], f"requirement {rid} in the weight table", scope)
        for member in _members(req.groups):
            if member.weight is not None:
                _report_unweighted(ctx, member.weight, f"{member.name!r} of requirement {rid}", scope)


def _members(
    members: tuple[A.SubWeight | A.SubWeightGroup, ...],
) -> list[A.SubWeight | A.SubWeightGroup]:
    out: list[A.SubWeight | A.SubWeightGroup] = []
    for member in members:
        out.append(member)
        if isinstance(member, A.SubWeightGroup):
            out += _members(member.members)
    return out


def _table_entries(ctx: Context) -> dict[str, A.WeightEntry]:
    """The weight table by ref; a repeated ref is MRP109 (the first one counts)."""
    entries: dict[str, A.WeightEntry] = {}
    if ctx.plan.weights is None:
        return entries
    for entry in ctx.plan.weights.entries:
        _check_positive(ctx, entry.weight, f"the weight of {entry.ref} in the weight table")
        first = entries.get(entry.ref)
        if first is not None:
            ctx.report(
                "MRP109",
                f"{entry.ref} is in the weight table twice",
                entry.span,
                related=(Related(first.span, "first given here"),),
                fix="keep one entry",
            )
            continue
        entries[entry.ref] = entry
    return entries


def _check_positive(ctx: Context, weight: A.Weight | None, what: str) -> None:
    if weight is not None and weight.value <= 0:
        ctx.report(
            "MRP105",
            f"{what} is {plan_number(weight.value)}; weights are positive",
            weight.span,
            fix="mark a requirement that should not count `ikke scoret` or `udgået` instead",
        )


def _effective(ctx: Context, inline: A.Weight | None, entry: A.WeightEntry | None, what: str) -> _Value | None:
    """The table's weight if there is one (an inline weight that differs is MRP108), else the inline one."""
    if entry is not None:
        if inline is not None and inline.value != entry.weight.value:
            ctx.report(
                "MRP108",
                f"{what} weighs {plan_number(inline.value)} here but {plan_number(entry.weight.value)} "
                "in the weight table",
                inline.span,
                related=(Related(entry.span, "the weight table's entry"),),
                notes=("the weight table is the weight source; its value is used",),
                fix="remove the weight here, or make the two equal",
            )
        return _Value(entry.weight.value, entry.span)
    if inline is not None:
        return _Value(inline.value, inline.span)
    return None


def _goal_points(ctx: Context, goal: A.Goal, table: dict[str, A.WeightEntry]) -> tuple[Decimal, int]:
    """(points the goal contributes to the total, number of scored requirements without weight)."""
    _check_positive(ctx, goal.weight, f"the weight of goal {goal.number}")
    goal_weight = _effective(ctx, goal.weight, table.get(goal.number), f"goal {goal.number}")
    scored = [r for r in goal.requirements if weighted(r)]
    if goal.requirements and not scored:
        return Decimal(0), 0  # every requirement dropped or unscored: the goal scores nothing
    fallback = goal_weight if len(scored) == 1 else None
    weights = [_requirement_weight(ctx, goal, req, table, fallback) for req in scored]
    known = [w for w in weights if w is not None]
    if goal_weight is not None:
        _check_goal_sum(ctx, goal, goal_weight, known, complete=len(known) == len(scored))
        return goal_weight.value, 0
    if not scored:
        ctx.report("MRP106", f"goal {goal.number} has no weight", goal.span, fix="add `vægt N`")
        return Decimal(0), 1
    for req, weight in zip(scored, weights, strict=True):
        if weight is None:
            ctx.report(
                "MRP106",
                f"requirement {A.requirement_id(goal, req)} has no weight, and neither has goal {goal.number}",
                req.span,
                fix="add `vægt N` to the requirement or to the goal",
            )
    return sum((w.value for w in known), Decimal(0)), len(scored) - len(known)


def _check_goal_sum(ctx: Context, goal: A.Goal, goal_weight: _Value, known: list[_Value], complete: bool) -> None:
    if not known:
        return
    parts = sum((w.value for w in known), Decimal(0))
    if parts == goal_weight.value or (not complete and parts < goal_weight.value):
        return
    ctx.report(
        "MRP102",
        f"goal {goal.number} weighs {plan_number(goal_weight.value)} points, but its requirements add up to "
        f"{plan_number(parts)}",
        goal_weight.span,
        related=tuple(Related(w.span, f"{plan_number(w.value)} points") for w in known),
    )


def _requirement_weight(
    ctx: Context, goal: A.Goal, req: A.Requirement, table: dict[str, A.WeightEntry], fallback: _Value | None
) -> _Value | None:
    rid = A.requirement_id(goal, req)
    _check_positive(ctx, req.weight, f"the weight of requirement {rid}")
    entry = table.get(rid) if req.label is not None else None
    weight = _effective(ctx, req.weight, entry, f"requirement {rid}")
    if not req.groups:
        return weight
    tops = [_member_points(ctx, g) for g in req.groups]
    if any(t is None for t in tops):
        return weight
    groups_sum = sum((t for t in tops if t is not None), Decimal(0))
    target = weight or fallback
    if target is not None and groups_sum != target.value:
        owner = f"requirement {rid}" if weight is not None else f"goal {goal.number}"
        ctx.report(
            "MRP104",
            f"the groups of requirement {rid} add up to {plan_number(groups_sum)} points, "
            f"but {owner} weighs {plan_number(target.value)}",
            target.span,
            related=tuple(Related(g.span, f"group {g.name!r}") for g in req.groups),
        )
    if weight is None and fallback is None:
        return _Value(groups_sum, req.groups[0].span)
    return weight


def _member_points(ctx: Context, member: A.SubWeight | A.SubWeightGroup) -> Decimal | None:
    """A group's or part's points: its weight, or for a group without one its members' sum."""
    _check_positive(ctx, member.weight, f"the weight of {member.name!r}")
    if isinstance(member, A.SubWeight):
        return member.weight.value if member.weight is not None else None
    values = [_member_points(ctx, m) for m in member.members]
    inner = sum((v for v in values if v is not None), Decimal(0)) if values and None not in values else None
    if member.weight is None:
        return inner
    if inner is not None and inner != member.weight.value:
        ctx.report(
            "MRP103",
            f"group {member.name!r} weighs {plan_number(member.weight.value)} points, but its members add up to "
            f"{plan_number(inner)}",
            member.weight.span,
            related=tuple(Related(m.span, f"{m.name!r}") for m in member.members),
        )
    return member.weight.value


def _check_table_coverage(ctx: Context, table: dict[str, A.WeightEntry], goals: list[A.Goal]) -> None:
    """Every scored, weighted goal is in the table: by number, or by all its scored requirements' ids."""
    assert ctx.plan.weights is not None
    for goal in goals:
        scored = [r for r in goal.requirements if weighted(r)]
        if goal.requirements and not scored:
            continue
        if goal.number in table:
            continue
        ids = [A.requirement_id(goal, r) for r in scored]
        if ids and all(i in table for i in ids):
            continue
        absent = [i for i in ids if i not in table]
        detail = f" (no entry for {', '.join(absent)})" if absent and len(absent) < len(ids) else ""
        ctx.report(
            "MRP107",
            f"goal {goal.number} is not in the weight table{detail}",
            goal.span,
            related=(Related(ctx.plan.weights.span, "the weight table"),),
            fix=f"add `{goal.number} N` to `vægttabel`",
        )


def _check_total(ctx: Context, parts: list[tuple[A.Goal, Decimal]], missing: int) -> None:
    """MRP101 at the plan's total, with the goals and weights that make up the sum."""
    header = ctx.header
    assert header is not None
    total = sum((points for _, points in parts), Decimal(0))
    expected = header.total.value if header.total is not None else DEFAULT_TOTAL
    if total == expected:
        return
    unit = "%" if header.total is not None and header.total.unit == A.WeightUnit.PERCENT else "points"
    short = expected - total
    gap = f"{plan_number(short)} {unit} missing" if short > 0 else f"{plan_number(-short)} {unit} too many"
    message = f"the weights add up to {plan_number(total)} {unit}, not {plan_number(expected)}: {gap}"
    if missing:
        message += f" ({missing} scored requirement{'s' if missing != 1 else ''} without weight)"
    if header.total is not None:
        span = header.total.span
    elif ctx.plan.weights is not None:
        span = ctx.plan.weights.span
    else:
        span = header.span
    weighed = [(goal, points) for goal, points in parts if points]
    breakdown = " + ".join(f"{plan_number(points)} ({goal.number})" for goal, points in weighed)
    related = tuple(
        Related(
            goal.weight.span if goal.weight is not None else goal.span, f"goal {goal.number}: {plan_number(points)}"
        )
        for goal, points in weighed
    )
    notes = (f"{breakdown} = {plan_number(total)}",) if weighed else ()
    total_where = "" if header.total is not None else f" (no `total`: the plan's total is {plan_number(expected)})"
    ctx.report("MRP101", message + total_where, span, notes=notes, related=related)
