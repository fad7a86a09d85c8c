"""MRP4xx: targets are possible and fulfilment scales are well formed.

A step scale (`trin`, and the `resultatløn` `skala`) is read from the top:
the first step whose condition holds gives the fulfilment, `ellers` catches
the rest. So with `mindst`/`over` the thresholds fall from step to step, with
`højst`/`under` they rise, and the fulfilment never rises on the way down.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from mrpl import ast as A
from mrpl.check.context import Context, plan_number
from mrpl.scanners import compile_ahead

_HUNDRED = Decimal(100)
_UPWARD = (A.Relation.AT_LEAST, A.Relation.ABOVE)  # higher results are better
_DOWNWARD = (A.Relation.AT_MOST, A.Relation.BELOW)  # lower results are better


def check_targets(ctx: Context) -> None:
    for goal in ctx.goals:
        for method in goal.methods:
            _check_scale(ctx, method)
        for req in goal.requirements:
            _check_requirement(ctx, req)
            _check_cells(ctx, req)
    for method in ctx.annex_methods:
        _check_scale(ctx, method)
    if ctx.plan.pay is not None and ctx.plan.pay.schedule:
        _check_steps(ctx, ctx.plan.pay.schedule, ctx.plan.pay.span, "the performance pay schedule")
    for rule in _goal_rules(ctx.plan):
        _check_goal_rule(ctx, rule)


def _goal_rules(plan: A.Plan) -> Iterator[A.GoalRule]:
    """Every `målstatus` the plan states: header, sections, goals."""
    if plan.header is not None and plan.header.goal_rule is not None:
        yield plan.header.goal_rule
    for section in plan.sections:
        if section.goal_rule is not None:
            yield section.goal_rule
    for goal in plan.all_goals():
        if goal.goal_rule is not None:
            yield goal.goal_rule


def _check_goal_rule(ctx: Context, rule: A.GoalRule) -> None:
    """A share rule: thresholds in 0-100 %, reached from below, and a `delvist` clause below the main one."""
    if rule.kind is not A.GoalRuleKind.SHARE or rule.relation is None or rule.threshold is None:
        return
    _percent(ctx, rule.threshold, rule.span, "the goal-status threshold")
    if rule.partly_threshold is not None:
        _percent(ctx, rule.partly_threshold, rule.span, "the threshold for `delvist`")
    relations = [r for r in (rule.relation, rule.partly_relation) if r is not None]
    if any(r not in _UPWARD for r in relations):
        ctx.report(
            "MRP420",
            "a goal's share is reached from below: the goal-status rule takes `mindst` or `over`",
            rule.span,
            fix="write `målstatus andel mindst 80 %`",
        )
    elif rule.partly_threshold is not None and rule.partly_threshold >= rule.threshold:
        ctx.report(
            "MRP420",
            f"`delvist` from {plan_number(rule.partly_threshold)} % is not below the threshold for met "
            f"({plan_number(rule.threshold)} %)",
            rule.span,
            fix="a goal is partly met below the threshold for met: e.g. `andel mindst 80 % delvist mindst 50 %`",
        )


def _check_requirement(ctx: Context, req: A.Requirement) -> None:
    for method in req.methods:
        _check_scale(ctx, method)
    for targets, scoring in _scored_parts(req):
        for target in targets:
            _check_target(ctx, target)
        if scoring is not None:
            _check_scoring(ctx, scoring, targets or req.targets)


def _scored_parts(req: A.Requirement) -> Iterator[tuple[tuple[A.Target, ...], A.Scoring | None]]:
    """The requirement's targets and scoring, then each sub-weight part's own."""
    yield req.targets, req.scoring
    stack: list[A.SubWeight | A.SubWeightGroup] = list(reversed(req.groups))
    while stack:
        member = stack.pop()
        if isinstance(member, A.SubWeight):
            yield member.targets, member.scoring
        else:
            stack.extend(reversed(member.members))


def _percent(ctx: Context, value: Decimal, span: A.Span, what: str) -> None:
    if not 0 <= value <= _HUNDRED:
        ctx.report("MRP401", f"{what} is {plan_number(value)} %; percentages lie between 0 and 100", span)


def _check_level_words(ctx: Context, target: A.LevelTarget) -> None:
    words = (target.words or "").strip()
    if not words:
        ctx.report("MRP432", "the level is given in words, and the words are empty", target.span,
                   fix="write the level as a number (`niveau 4`) or as the plan words it")  # fmt: skip
    elif _CELL_NUMBER.fullmatch(words):
        ctx.report("MRP432", f"the level in words is a number, {words!r}", target.span,
                   fix=f"write it without quotes: `niveau {words}`, so it can be compared with the result")  # fmt: skip


def _check_target(ctx: Context, target: A.Target) -> None:
    if isinstance(target, A.LevelTarget) and target.words is not None:
        _check_level_words(ctx, target)
    match target:
        case A.ShareTarget():
            _percent(ctx, target.percent, target.span, "the share")
            if target.within is None and target.by is None and target.of is None and target.limit is None:
                ctx.report(
                    "MRP407",
                    f"a share of {plan_number(target.percent)} % of what, or by when?",
                    target.span,
                    fix='add a time limit (`inden for 30 dage`), a deadline (`senest ...`) or `af "sagerne"`',
                )
        case A.CountTarget():
            if target.value != target.value.to_integral_value() or target.value < 0:
                ctx.report("MRP402", f"a count of {plan_number(target.value)}; counts are whole numbers",
                           target.span)  # fmt: skip
        case A.ChangeTarget():
            if target.direction == A.ChangeDirection.REDUCTION:
                _percent(ctx, target.percent, target.span, "the reduction")
            elif target.percent < 0:
                _percent(ctx, target.percent, target.span, "the increase")
            if target.baseline is None:
                word = "reduction" if target.direction == A.ChangeDirection.REDUCTION else "increase"
                ctx.report("MRP403", f"the {word} of {plan_number(target.percent)} % names no baseline", target.span,
                           fix='add what it is measured against: `ift. "ultimo 2021"`')  # fmt: skip
        case A.AssessmentTarget():
            if target.maximum <= 0 or (target.points is not None and not 0 < target.points <= target.maximum):
                points = "" if target.points is None else f"{plan_number(target.points)} of "
                ctx.report(
                    "MRP408",
                    f"{points}{plan_number(target.maximum)} {'point' if target.maximum == 1 else 'points'} "
                    "cannot be reached",
                    target.span,
                )


_CELL_NUMBER = compile_ahead(r"\d+(?:,\d+)?")


def _target_number(target: A.Target) -> Decimal | None:
    """The number a part's table cell states for its target: the days of a share's limit,
    a time target's duration, a count."""
    match target:
        case A.ShareTarget(within=A.Duration(value=value)):
            return value
        case A.TimeTarget(duration=A.Duration(value=value)):
            return value
        case A.CountTarget(value=value):
            return value
    return None


def _check_cells(ctx: Context, req: A.Requirement) -> None:
    """A part's `celle` ("31", "0-1 dag") is printed instead of its target in words: its
    last number must be the target's (MRP431), or the annex and the scoring disagree."""
    stack: list[A.SubWeight | A.SubWeightGroup] = list(req.groups)
    while stack:
        member = stack.pop()
        if isinstance(member, A.SubWeightGroup):
            stack.extend(member.members)
            continue
        numbers = _CELL_NUMBER.findall(member.cell or "")
        stated = [n for n in (_target_number(t) for t in member.targets) if n is not None]
        if numbers and len(stated) == 1 and Decimal(numbers[-1].replace(",", ".")) != stated[0]:
            ctx.report("MRP431", f"the cell of {member.name!r} reads {member.cell!r}, but its target says "
                       f"{plan_number(stated[0])}", member.span, fix="make the cell and the target agree")  # fmt: skip


def _direction(targets: tuple[A.Target, ...]) -> A.Relation | None:
    for target in targets:
        relation = getattr(target, "relation", None)
        if relation is not None:
            return relation
    return None


def _check_scoring(ctx: Context, scoring: A.Scoring, targets: tuple[A.Target, ...]) -> None:
    if scoring.kind == A.ScoringKind.STEPS:
        _check_steps(ctx, scoring.steps, scoring.span, "the scale")
    elif scoring.kind == A.ScoringKind.LINEAR and scoring.floor is not None and scoring.ceiling is not None:
        _check_linear(ctx, scoring, scoring.floor, scoring.ceiling, _direction(targets))


def _check_linear(
    ctx: Context, scoring: A.Scoring, floor: A.Quantity, ceiling: A.Quantity, relation: A.Relation | None
) -> None:
    for q in (floor, ceiling):
        if q.unit == "%":
            _percent(ctx, q.value, q.span, "the scale's end")
    if floor.unit != ceiling.unit:
        problem = f"its ends have different units ({floor.unit or 'none'} and {ceiling.unit or 'none'})"
    elif floor.value == ceiling.value:
        problem = "its floor and ceiling are equal"
    elif relation in _DOWNWARD and floor.value < ceiling.value:
        problem = "lower is better for this target, so the floor (0 %) must be above the ceiling (100 %)"
    elif relation not in _DOWNWARD and floor.value > ceiling.value:
        problem = "its floor (0 %) is above its ceiling (100 %)"
    else:
        return
    ctx.report("MRP406", f"the linear scale from {plan_number(floor.value)} to {plan_number(ceiling.value)}: {problem}",
               scoring.span)  # fmt: skip


def _check_steps(ctx: Context, steps: tuple[A.Step, ...], span: A.Span, what: str) -> None:
    for step in steps:
        _percent(ctx, step.fulfilment, step.span, "the fulfilment")
        if step.threshold is not None and step.threshold.unit == "%":
            _percent(ctx, step.threshold.value, step.threshold.span, "the threshold")
    otherwise = [s for s in steps if s.relation is None]
    if not otherwise or steps[-1].relation is not None or len(otherwise) > 1:
        where = otherwise[0].span if otherwise and otherwise[0] is not steps[-1] else span
        ctx.report("MRP404", f"{what} must end with exactly one `ellers` step", where,
                   fix="add `ellers: 0 %` as the last step")  # fmt: skip
    _check_step_order(ctx, [s for s in steps if s.relation is not None], steps[-1] if otherwise else None, what)


def _check_step_order(ctx: Context, steps: list[A.Step], otherwise: A.Step | None, what: str) -> None:
    directions = {s.relation in _UPWARD for s in steps if s.relation in _UPWARD + _DOWNWARD}
    if len(directions) > 1:
        ctx.report("MRP405", f"{what} mixes `mindst`/`over` with `højst`/`under` steps", steps[0].span)
        return
    upward = directions == {True}
    previous: A.Step | None = None
    for step in steps:
        if previous is not None and previous.threshold is not None and step.threshold is not None:
            before, now = previous.threshold.value, step.threshold.value
            if (upward and now >= before) or (not upward and directions and now <= before):
                ctx.report(
                    "MRP405",
                    f"this step's threshold {plan_number(now)} overlaps the step before it ({plan_number(before)})",
                    step.span,
                    notes=("steps are tried from the top; each must be reachable",),
                )
            elif step.fulfilment > previous.fulfilment:
                ctx.report("MRP405", "a worse result cannot give a higher fulfilment than the step before it",
                           step.span)  # fmt: skip
        previous = step
    if otherwise is not None and previous is not None and otherwise.fulfilment > previous.fulfilment:
        ctx.report("MRP405", "`ellers` cannot give a higher fulfilment than the last step", otherwise.span)


def _check_scale(ctx: Context, method: A.Method) -> None:
    seen: dict[Decimal, A.ScalePoint] = {}
    for point in method.scale:
        if point.points in seen:
            ctx.report("MRP409", f"the scale has {plan_number(point.points)} points twice", point.span)
        seen.setdefault(point.points, point)
