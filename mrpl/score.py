"""Scoring: how reported results become fulfilment and points.

Two steps, so that the engine here and the generated module
(`mrplc build --to py`) compute the same thing from the same data:

1. `scoring_plan(plan)` turns the syntax tree into a `ScoringPlan`: every
   scored unit (a requirement, or a member of a sub-weight group) with its
   allocated weight in points and its checks (one per `måltal`) with the rule
   (`opfyldelse ...`) that applies to each. Weights and deadlines are resolved
   here, once.
2. `score(splan, results)` measures each check from the unit's `Result`,
   turns the measurement into a fulfilment in [0, 1], and sums points.

All arithmetic is `Decimal` in one fixed context (`CONTEXT`); nothing is
rounded until `display_points` / `display_percent` format a value for people.
The rules are documented with worked examples in docs/scoring.md.

Goal status, for status reports and the annual report's målrapportering: each
`GoalScore` has a `status` under its goal's rule (`GoalPlan.rule`, from the
plan's `målstatus`; by default `andel mindst 100 %`), its `share` (the goal's
fulfilment), `not_met` (the requirements that fall short) and `counts` (whether
it counts in "N af M mål opfyldt"); `Score.goals_met`, `Score.goals_counted`
and `Score.goal_statuses()` count them. `goal_share`, `goal_status` and
`share_status` are the rule itself, mirrored in templates/py/scoring.py.j2.
An unweighted goal (`vægtning ingen`) has `GoalPlan.weighted` False: its
requirements weigh 0 points and it is counted, not scored.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext

from mrpl import ast as A
from mrpl.i18n import format_deadline, locale_of
from mrpl.pay import PayRule, pay_kroner, pay_rule
from mrpl.pay import pay_percent as pay_share
from mrpl.years import year_view

# 28 significant digits, banker's rounding: Python's default, fixed here so a
# changed global context cannot change a score. The generated module uses the same.
CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)


# --------------------------------------------------------------------------
# Display rounding: the one place where computed numbers are rounded.

POINTS_PLACES = Decimal("0.01")  # points: 2 decimals
PERCENT_PLACES = Decimal("0.1")  # percentages: 1 decimal
DISPLAY_ROUNDING = ROUND_HALF_UP
ROUNDING_NOTE = "Point vises med 2 decimaler og procenter med 1 decimal (afrundet halvt op); der regnes uden afrunding."
ROUNDING_NOTE_UNWEIGHTED = "Procenter vises med 1 decimal (afrundet halvt op); der regnes uden afrunding."


def rounded(value: Decimal, places: Decimal) -> Decimal:
    """`value` rounded half up to `places` (POINTS_PLACES or PERCENT_PLACES), for display only."""
    return value.quantize(places, rounding=DISPLAY_ROUNDING)


def display_points(value: Decimal, lang: str = "da") -> str:
    """Points, rounded half up to 2 decimals: "2,5", "1,25", "92,11" ("92.11" in English)."""
    from babel.numbers import format_decimal  # reports only: `check` never formats a score

    return format_decimal(rounded(value, POINTS_PLACES), format="#,##0.##", locale=locale_of(lang))


def display_percent(fraction: Decimal, lang: str = "da") -> str:
    """A fulfilment (0..1) as a percentage rounded half up to 1 decimal: "92,9 %" ("92.9%")."""
    from babel.numbers import format_decimal

    number = format_decimal(rounded(fraction * HUNDRED, PERCENT_PLACES), format="#,##0.#", locale=locale_of(lang))
    return f"{number} %" if lang == "da" else f"{number}%"


# --------------------------------------------------------------------------
# The scoring plan


class CheckKind(enum.Enum):
    SHARE = "share"  # andel mindst 90 %: a percentage
    TIME = "time"  # gennemsnit højst 120 dage: a duration
    COUNT = "count"  # antal mindst 12: a number
    CHANGE = "change"  # fald 10 % ift. baseline: a level, compared with a baseline
    LEVEL = "level"  # niveau 4 på områder: a level per area
    MILESTONE = "milestone"  # milepæl: delivery dates, one per deadline
    ASSESSMENT = "assessment"  # vurdering mindst 81 af 108 point: evaluators' points
    STATUS = "status"  # fastholdt: yes / no
    MANUAL = "manual"  # no target: the fulfilment (or met yes/no) is reported directly


# Checks whose result is a number (or yes/no) under the result's `value` key, in target order.
VALUE_KINDS = (CheckKind.SHARE, CheckKind.TIME, CheckKind.COUNT, CheckKind.CHANGE, CheckKind.STATUS)

# The unit each kind is measured in, for matching a `lineær`/`trin` rule to a check.
MEASURE_UNIT: dict[CheckKind, str | None] = {
    CheckKind.SHARE: "%",
    CheckKind.COUNT: None,
    CheckKind.CHANGE: "%",
    CheckKind.LEVEL: "%",
    CheckKind.MILESTONE: "%",
    CheckKind.ASSESSMENT: "point",
    CheckKind.STATUS: None,
    CheckKind.MANUAL: "%",
}


@dataclass(frozen=True, slots=True)
class Rule:
    """A scoring rule with plain values: `kind` is an `A.ScoringKind` value;
    steps are (relation symbol or None for `ellers`, threshold, fulfilment %)."""

    kind: str = A.ScoringKind.THRESHOLD.value
    floor: Decimal | None = None
    ceiling: Decimal | None = None
    steps: tuple[tuple[str | None, Decimal | None, Decimal], ...] = ()
    source: A.Scoring | None = field(default=None, compare=False)  # for words; never read by the arithmetic


THRESHOLD = Rule()


@dataclass(frozen=True, slots=True)
class Check:
    """One target of a unit, reduced to what scoring needs."""

    kind: CheckKind
    target: A.Target | None  # for words in reports; never read by the arithmetic
    rule: Rule = THRESHOLD
    relation: str | None = None  # ">=", "<=", "<", ">", "="
    goal: Decimal | None = None  # the target number: percent, duration, count, points, level
    unit: str | None = None  # "%", "point", a time unit ("dage"), or None
    slot: int | None = None  # index into the result's values (VALUE_KINDS)
    direction: str | None = None  # change: "increase" | "reduction"
    baseline: Decimal | None = None  # change: the plan's baseline value, if it gives one
    deadlines: tuple[date, ...] = ()  # milestone: one per `frist`
    deadline_words: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # level: named areas
    area_count: int | None = None  # level: a number of areas without names
    maximum: Decimal | None = None  # assessment: the scale's maximum
    level_words: str | None = None  # level: the level in words; areas report true (reached) or false
    approval: str | None = None  # milestone: "approved" | "joint" (A.ApprovalKind values), or None
    party: str | None = None  # milestone: who approves ("departementet"); words only


@dataclass(frozen=True, slots=True)
class Unit:
    """A scored unit: a requirement, or one member of its sub-weight groups."""

    id: str  # "1.1.a" or "1.4/Beløbsordningen 1. gang"
    name: str  # in words
    weight: Decimal  # allocated points
    checks: tuple[Check, ...]
    requirement_id: str
    span: A.Span = field(default=A.NO_SPAN, compare=False)

    @property
    def value_count(self) -> int:
        return len({c.slot for c in self.checks if c.slot is not None})


class State(enum.Enum):
    SCORED = "scored"
    DROPPED = "dropped"  # udgået: excluded, the total is rebased
    NOT_DUE = "not_due"  # ikke aktuelt i året: nothing due this year of a multi-year plan; rebased likewise
    UNSCORED = "unscored"  # ikke scoret: a support requirement without points


@dataclass(frozen=True, slots=True)
class RequirementPlan:
    id: str
    name: str
    weight: Decimal  # allocated points (0 when unscored)
    state: State
    units: tuple[Unit, ...]  # itself, or its sub-weight members
    grouped: bool
    requirement: A.Requirement
    dropped_reason: str | None = None
    dropped_on: str | None = None


@dataclass(frozen=True, slots=True)
class GoalRule:
    """A goal-status rule with plain values (`A.GoalRuleKind` value, relations as symbols, percents)."""

    kind: str = A.GoalRuleKind.ALL.value
    relation: str | None = None
    threshold: Decimal | None = None
    partly_relation: str | None = None
    partly_threshold: Decimal | None = None
    source: A.GoalRule | None = field(default=None, compare=False)  # for words; never read by the arithmetic


def goal_rule(rule: A.GoalRule) -> GoalRule:
    """The plain form of a plan's `målstatus` rule."""
    return GoalRule(
        rule.kind.value,
        rule.relation.value if rule.relation else None,
        rule.threshold,
        rule.partly_relation.value if rule.partly_relation else None,
        rule.partly_threshold,
        rule,
    )


DEFAULT_RULE = goal_rule(A.DEFAULT_GOAL_RULE)  # `målstatus andel mindst 100 %`


@dataclass(frozen=True, slots=True)
class GoalPlan:
    number: str
    area: str
    weight: Decimal
    requirements: tuple[RequirementPlan, ...]
    weighted: bool = True  # False under `vægtning ingen`: counted, no points
    rule: GoalRule = DEFAULT_RULE


@dataclass(frozen=True, slots=True)
class ScoringPlan:
    title: str
    agency: str
    goals: tuple[GoalPlan, ...]
    period: A.Period | None
    pay: tuple[A.Step, ...] = ()
    amendments: tuple[A.Amendment, ...] = ()  # the allonges the plan is scored as amended by
    pay_rule: PayRule | None = None  # the pay section in plain values (mrpl.pay)
    year: int | None = None  # the year scored, in a multi-year plan

    @property
    def not_due_weight(self) -> Decimal:
        return sum((r.weight for r in self.requirements() if r.state is State.NOT_DUE), ZERO)

    stated_total: Decimal | None = None  # the header's `total`, when it gives one

    @property
    def weighted(self) -> bool:
        """Whether any goal carries points (False for a plan with `vægtning ingen`)."""
        return any(g.weighted for g in self.goals)

    def requirements(self) -> Iterator[RequirementPlan]:
        for goal in self.goals:
            yield from goal.requirements

    def units(self) -> Iterator[Unit]:
        """Every unit of every requirement that is scored (not dropped, not unscored)."""
        for req in self.requirements():
            if req.state is State.SCORED:
                yield from req.units

    @property
    def total(self) -> Decimal:
        """The points of all goals, dropped requirements included (normally 100)."""
        return sum((g.weight for g in self.goals), ZERO)

    @property
    def dropped_weight(self) -> Decimal:
        return sum((r.weight for r in self.requirements() if r.state is State.DROPPED), ZERO)


def scoring_plan(plan: A.Plan, year: int | None = None) -> ScoringPlan:
    """The scoring plan of a (loaded, checked) plan; of one year of a multi-year
    plan when `year` is given (`mrpl.years.year_view`)."""
    not_due: frozenset[str] = frozenset()
    scored_year = year
    if year is not None:
        plan, not_due = year_view(plan, year)
    with localcontext(CONTEXT):
        header = plan.header or A.Header()
        period = _period_of(header)
        if year is None:
            year = period.start.year if period else (header.year or date.today().year)
        table = {e.ref: e.weight.value for e in plan.weights.entries} if plan.weights else {}
        goals = tuple(
            _goal_plan(g, table if plan.is_weighted(g) else {}, year, period, plan.is_weighted(g), plan.goal_rule_of(g))
            for g in plan.all_goals()
        )
        return ScoringPlan(
            title=header.title or "",
            agency=header.agency or "",
            goals=_not_due(goals, not_due),
            period=period,
            pay=plan.pay.schedule if plan.pay else (),
            amendments=plan.amendments,
            pay_rule=pay_rule(plan.pay),
            year=scored_year if period is not None and period.multi_year else None,
            stated_total=header.total.value if header.total is not None else None,
        )


def _not_due(goals: tuple[GoalPlan, ...], ids: frozenset[str]) -> tuple[GoalPlan, ...]:
    """The goals with the requirements in `ids` marked not due this year."""
    if not ids:
        return goals
    return tuple(
        dataclasses.replace(
            g,
            requirements=tuple(
                dataclasses.replace(r, state=State.NOT_DUE) if r.id in ids and r.state is State.SCORED else r
                for r in g.requirements
            ),
        )
        for g in goals
    )


def _period_of(header: A.Header) -> A.Period | None:
    if header.period is not None:
        return header.period
    if header.year is not None:
        return A.Period(date(header.year, 1, 1), date(header.year, 12, 31))
    return None


def _explicit_weight(weight: A.Weight | None, ref: str, table: Mapping[str, Decimal]) -> Decimal | None:
    if weight is not None:
        return weight.value
    return table.get(ref)


def split_weights(available: Decimal | None, explicit: list[Decimal | None]) -> list[Decimal]:
    """Weights for siblings: an explicit weight is kept; the siblings without one
    share what `available` leaves equally (nothing when it leaves nothing)."""
    given = sum((w for w in explicit if w is not None), ZERO)
    missing = sum(1 for w in explicit if w is None)
    if not missing or available is None or available <= given:
        return [ZERO if w is None else w for w in explicit]
    return _fill_equally(explicit, available - given, missing)


def _fill_equally(explicit: list[Decimal | None], rest: Decimal, missing: int) -> list[Decimal]:
    """The unweighted entries share `rest`; the last takes what the others leave,
    so the shares add up to `rest` exactly (5 / 3: 1,67 + 1,67 + 1,66...)."""
    share = rest / missing
    out: list[Decimal] = []
    left = missing
    for w in explicit:
        if w is not None:
            out.append(w)
            continue
        left -= 1
        out.append(share if left else rest - share * (missing - 1))
    return out


def _goal_plan(
    goal: A.Goal,
    table: Mapping[str, Decimal],
    year: int,
    period: A.Period | None,
    weighted: bool = True,
    rule: A.GoalRule = A.DEFAULT_GOAL_RULE,
) -> GoalPlan:
    """A goal's plan; an unweighted goal (`vægtning ingen`) gives every requirement 0 points."""
    goal_weight = _explicit_weight(goal.weight, goal.number, table) if weighted else ZERO
    scored = [r for r in goal.requirements if r.scored]
    explicit = [_explicit_weight(r.weight, A.requirement_id(goal, r), table) if weighted else ZERO for r in scored]
    allocated = dict(zip((id(r) for r in scored), split_weights(goal_weight, explicit), strict=True))
    requirements = tuple(
        _requirement_plan(goal, r, allocated.get(id(r), ZERO), year, period) for r in goal.requirements
    )
    weight = goal_weight if goal_weight is not None else sum((r.weight for r in requirements), ZERO)
    return GoalPlan(goal.number, goal.area, weight, requirements, weighted, goal_rule(rule))


def requirement_name(goal: A.Goal, req: A.Requirement) -> str:
    """A requirement in words: its display label or the first line of its text, else the goal's area."""
    text = req.text.plain().strip().split("\n")[0] if req.text else ""
    if len(text) > 90:
        text = text[:87].rstrip() + "…"
    return req.display or text or goal.area


def _requirement_plan(
    goal: A.Goal, req: A.Requirement, weight: Decimal, year: int, period: A.Period | None
) -> RequirementPlan:
    rid = A.requirement_id(goal, req)
    name = requirement_name(goal, req)
    if not req.scored:
        state = State.UNSCORED
    elif req.dropped is not None:
        state = State.DROPPED
    else:
        state = State.SCORED
    if req.groups:
        units = tuple(_member_units(rid, req, weight, year, period))
    else:
        checks = _checks(req.targets, req.scoring, req.deadlines, year, period)
        units = (Unit(rid, name, weight, checks, rid, req.span),)
    dropped = req.dropped
    on = format_deadline(dropped.on) if dropped and dropped.on else None
    return RequirementPlan(
        rid,
        name,
        weight if req.scored else ZERO,
        state,
        units,
        bool(req.groups),
        req,
        dropped.reason if dropped else None,
        on,
    )


# ---- sub-weight groups


def _member_weight(member: A.SubWeight | A.SubWeightGroup) -> Decimal | None:
    """A member's own weight; a group without one weighs what its members weigh."""
    if member.weight is not None:
        return member.weight.value
    if isinstance(member, A.SubWeightGroup):
        weights = [_member_weight(m) for m in member.members]
        if weights and all(w is not None for w in weights):
            return sum((w for w in weights if w is not None), ZERO)
    return None


def _allocate(members: tuple[A.SubWeight | A.SubWeightGroup, ...], available: Decimal) -> list[Decimal]:
    """Share `available` points over members in proportion to their weights
    (exactly their weights when these add up to `available`)."""
    weights = split_weights(available, [_member_weight(m) for m in members])
    given = sum(weights, ZERO)
    if given in (available, ZERO):
        return weights
    shares = [w * available / given for w in weights]
    shares[-1] = available - sum(shares[:-1], ZERO)  # the last takes the rest: the shares add up exactly
    return shares


def member_ids(rid: str, groups: tuple[A.SubWeightGroup, ...]) -> list[tuple[A.SubWeight, tuple[str, ...], str]]:
    """(member, group path, id) for every member, in order. The id is
    "1.4/Beløbsordningen 1. gang"; a name used twice in the requirement gets
    its group in the id: "1.4/EU-området/Studie"."""
    found: list[tuple[A.SubWeight, tuple[str, ...]]] = []

    def walk(members: tuple[A.SubWeight | A.SubWeightGroup, ...], path: tuple[str, ...]) -> None:
        for m in members:
            if isinstance(m, A.SubWeightGroup):
                walk(m.members, (*path, m.name))
            else:
                found.append((m, path))

    walk(tuple(groups), ())
    # A part's id holds its name with the spacing normalised: a results file's id is read trimmed,
    # and "Studie " and "Studie" are one part to the people who fill it in.
    names = [_id_part(m.name) for m, _ in found]
    out = []
    for (member, path), name in zip(found, names, strict=True):
        unique = names.count(name) == 1
        out.append((member, path, f"{rid}/{name}" if unique else "/".join((rid, *map(_id_part, path[-1:]), name))))
    return out


def _id_part(name: str) -> str:
    return " ".join(name.split())


def _member_units(rid: str, req: A.Requirement, weight: Decimal, year: int, period: A.Period | None) -> Iterator[Unit]:
    allocated: dict[int, Decimal] = {}

    def walk(members: tuple[A.SubWeight | A.SubWeightGroup, ...], available: Decimal) -> None:
        for member, share in zip(members, _allocate(members, available), strict=True):
            if isinstance(member, A.SubWeightGroup):
                walk(member.members, share)
            else:
                allocated[id(member)] = share

    walk(tuple(req.groups), weight)
    for member, _path, uid in member_ids(rid, req.groups):
        checks = _checks(member.targets, member.scoring, req.deadlines, year, period)
        yield Unit(uid, member.name, allocated[id(member)], checks, rid, member.span)


# ---- checks


def _rule(scoring: A.Scoring) -> Rule:
    steps = tuple(
        (s.relation.value if s.relation else None, s.threshold.value if s.threshold else None, s.fulfilment)
        for s in scoring.steps
    )
    floor = scoring.floor.value if scoring.floor else None
    ceiling = scoring.ceiling.value if scoring.ceiling else None
    return Rule(scoring.kind.value, floor, ceiling, steps, scoring)


def _rule_unit(scoring: A.Scoring) -> str | None:
    quantities = [scoring.floor, scoring.ceiling, *(s.threshold for s in scoring.steps)]
    return next((q.unit for q in quantities if q is not None), None)


def _applies_to(scoring: A.Scoring | None, checks: list[Check]) -> int | None:
    """Index of the check a `opfyldelse` rule applies to: milestone rules to the
    milestone, area rules to the level, a linear or step rule to the first check
    measured in the rule's unit (else the first check). The other checks are
    thresholds: all must be met."""
    if scoring is None or not checks:
        return None
    kind = scoring.kind
    if kind in (A.ScoringKind.MILESTONES_EACH, A.ScoringKind.MILESTONES_ALL):
        return next((i for i, c in enumerate(checks) if c.kind is CheckKind.MILESTONE), None)
    if kind in (A.ScoringKind.AREAS_ALL, A.ScoringKind.AREAS_SHARE):
        return next((i for i, c in enumerate(checks) if c.kind is CheckKind.LEVEL), None)
    if kind is A.ScoringKind.THRESHOLD:
        return None
    unit = _rule_unit(scoring)
    return next((i for i, c in enumerate(checks) if _measure_unit(c) == unit), 0)


def _measure_unit(check: Check) -> str | None:
    return check.unit if check.kind is CheckKind.TIME else MEASURE_UNIT[check.kind]


def _checks(
    targets: tuple[A.Target, ...],
    scoring: A.Scoring | None,
    deadlines: tuple[A.Deadline, ...],
    year: int,
    period: A.Period | None,
) -> tuple[Check, ...]:
    checks: list[Check] = []
    slots: dict[tuple[object, ...], int] = {}
    for target in targets:
        check = _check(target, deadlines, year, period)
        if check.kind in VALUE_KINDS:
            # Targets on the same quantity ("antal mindst 4" and "antal højst 8 kommuner") share one value.
            check = _with(check, slot=slots.setdefault(_quantity_key(check), len(slots)))
        checks.append(check)
    if not checks:
        checks.append(Check(CheckKind.MANUAL, None))
    index = _applies_to(scoring, checks)
    if index is not None and scoring is not None:
        checks[index] = _with(checks[index], rule=_rule(scoring))
    return tuple(checks)


def _quantity_key(check: Check) -> tuple[object, ...]:
    """What a value-check measures: two checks with the same key read the same value."""
    target = check.target
    detail: tuple[object, ...] = ()
    if isinstance(target, A.ShareTarget):
        detail = (target.within, target.by, target.of)
    elif isinstance(target, A.TimeTarget):
        detail = (target.statistic,)
    elif isinstance(target, A.ChangeTarget):
        detail = (check.baseline, target.baseline.label if target.baseline else None)
    return (check.kind, check.unit, *detail)


def _with(check: Check, **changes: object) -> Check:
    return dataclasses.replace(check, **changes)  # type: ignore[arg-type]


def _check(target: A.Target, deadlines: tuple[A.Deadline, ...], year: int, period: A.Period | None) -> Check:
    match target:
        case A.ShareTarget(relation=relation, percent=percent):
            return Check(CheckKind.SHARE, target, relation=relation.value, goal=percent, unit="%")
        case A.TimeTarget(relation=relation, duration=duration):
            return Check(CheckKind.TIME, target, relation=relation.value, goal=duration.value, unit=duration.unit.value)
        case A.CountTarget(relation=relation, value=value, unit=unit):
            return Check(CheckKind.COUNT, target, relation=relation.value, goal=value, unit=unit)
        case A.ChangeTarget(direction=direction, percent=percent, baseline=baseline):
            base = baseline.value if baseline else None
            return Check(
                CheckKind.CHANGE,
                target,
                relation=">=",
                goal=percent,
                unit="%",
                direction=direction.value,
                baseline=base,
            )
        case A.LevelTarget(level=level, areas=areas, area_count=count, words=words):
            # A level in words has no number: each area reports reached (1) or not (0).
            goal = Decimal(1) if words is not None else level
            return Check(CheckKind.LEVEL, target, relation=">=", goal=goal, areas=areas, area_count=count,
                         level_words=words)  # fmt: skip
        case A.MilestoneTarget(approval=approval):
            if deadlines:
                days = tuple(d.due(period, year) for d in deadlines)
                words = tuple(d.written for d in deadlines)
            else:
                end = period.end if period else date(year, 12, 31)
                days, words = (end,), ("periodens udgang",)
            kind, party = (approval.kind.value, approval.party) if approval else (None, None)
            return Check(CheckKind.MILESTONE, target, deadlines=days, deadline_words=words, approval=kind, party=party)
        case A.AssessmentTarget(relation=relation, points=points, maximum=maximum):
            if relation is None or points is None:  # no pass mark: points of the maximum (see `fulfilment`)
                return Check(CheckKind.ASSESSMENT, target, goal=maximum, unit="point", maximum=maximum)
            return Check(
                CheckKind.ASSESSMENT, target, relation=relation.value, goal=points, unit="point", maximum=maximum
            )
        case A.StatusTarget():
            return Check(CheckKind.STATUS, target)
    raise TypeError(target)


# --------------------------------------------------------------------------
# Results (read by mrpl.results) and their plain form for the generated module


@dataclass(frozen=True, slots=True)
class Counts:
    """A share reported as counts: `numerator` of `denominator`, less `excluded` cases
    (reason, number), so the share is numerator / (denominator − excluded)."""

    numerator: Decimal
    denominator: Decimal
    excluded: tuple[tuple[str, Decimal], ...] = ()

    @property
    def excluded_total(self) -> Decimal:
        return sum((n for _reason, n in self.excluded), ZERO)

    @property
    def base(self) -> Decimal:
        """The population the share is taken of: denominator − excluded."""
        return self.denominator - self.excluded_total

    def as_tuple(self) -> tuple[Decimal, Decimal, Decimal]:
        """(numerator, denominator, excluded in all): the generated module's input."""
        return (self.numerator, self.denominator, self.excluded_total)


def counted_share(numerator: Decimal, denominator: Decimal, excluded: Decimal) -> Decimal | None:
    """The share in percent of numerator / (denominator − excluded); None for an empty population."""
    base = denominator - excluded
    if base <= ZERO:
        return None
    return numerator * HUNDRED / base


@dataclass(frozen=True, slots=True)
class Result:
    """One unit's reported result, already typed and in the target's units.

    An entry is None (or a list is empty) when the agency has not filled it in.
    """

    id: str
    kind: str = "actual"  # "expected" (udgiftsopfølgning I-III) | "actual" (year end)
    values: tuple[Decimal | bool | None, ...] = ()  # one per VALUE_KINDS check, in order
    delivered: tuple[date | None, ...] = ()  # milestone: one per deadline; None = not delivered
    approved: tuple[date | None, ...] = ()  # milestone with approval: one per deadline; None = not approved
    counts: tuple[Counts | None, ...] = ()  # share reported as counts: one per value slot (None: a percentage)
    points: Decimal | None = None  # assessment: the evaluators' points, summed
    areas: tuple[tuple[str, Decimal], ...] = ()  # level: the level reached per area
    baseline: Decimal | None = None  # change: the baseline value, when the plan gives none
    fulfilment: Decimal | None = None  # manual: fraction 0..1
    met: bool | None = None  # manual: met yes/no
    note: str | None = None
    span: A.Span = field(default=A.NO_SPAN, compare=False)

    def as_dict(self) -> dict[str, object]:
        """The plain form the generated scoring module takes (stdlib types only)."""
        return {
            "values": list(self.values),
            "delivered": list(self.delivered),
            "approved": list(self.approved),
            "counts": [None if c is None else c.as_tuple() for c in self.counts],
            "points": self.points,
            "areas": dict(self.areas),
            "baseline": self.baseline,
            "fulfilment": self.fulfilment,
            "met": self.met,
        }


# --------------------------------------------------------------------------
# Measuring and fulfilment (mirrored line for line in templates/py/scoring.py.j2)


def compare(value: Decimal, relation: str, goal: Decimal) -> bool:
    match relation:
        case ">=":
            return value >= goal
        case "<=":
            return value <= goal
        case "<":
            return value < goal
        case ">":
            return value > goal
        case "=":
            return value == goal
    raise ValueError(relation)


def measure(check: Check, result: Result) -> Decimal | None:
    """The check's measurement from the result, or None when it is missing."""
    kind = check.kind
    if kind is CheckKind.SHARE and check.slot is not None and check.slot < len(result.counts):
        counts = result.counts[check.slot]
        if counts is not None:
            return counted_share(*counts.as_tuple())
    if kind in VALUE_KINDS:
        value = result.values[check.slot] if check.slot is not None and check.slot < len(result.values) else None
        if value is None:
            return None
        if kind is CheckKind.STATUS:
            return HUNDRED if value is True else ZERO
        if kind is CheckKind.CHANGE:
            return _change(check, Decimal(value), result.baseline)
        return Decimal(value)
    if kind is CheckKind.ASSESSMENT:
        return result.points
    if kind is CheckKind.MILESTONE:
        if check.approval is not None:
            return _milestones_approved_in_time(check.deadlines, result.delivered, result.approved)
        return _milestones_on_time(check.deadlines, result.delivered)
    if kind is CheckKind.LEVEL:
        return _areas_reached(check, result.areas)
    return _manual(result)


def _change(check: Check, value: Decimal, reported_baseline: Decimal | None) -> Decimal | None:
    """The change achieved in percent of the baseline, positive in the wanted direction."""
    base = check.baseline if check.baseline is not None else reported_baseline
    if base is None or base == ZERO:
        return None
    moved = base - value if check.direction == A.ChangeDirection.REDUCTION.value else value - base
    return moved * HUNDRED / base


def _milestones_on_time(deadlines: tuple[date, ...], delivered: tuple[date | None, ...]) -> Decimal | None:
    """Percent of milestones delivered on or before their deadline."""
    if len(delivered) != len(deadlines) or not deadlines:
        return None
    on_time = sum(1 for due, day in zip(deadlines, delivered, strict=True) if day is not None and day <= due)
    return Decimal(on_time) * HUNDRED / Decimal(len(deadlines))


def _milestones_approved_in_time(
    deadlines: tuple[date, ...], delivered: tuple[date | None, ...], approved: tuple[date | None, ...]
) -> Decimal | None:
    """Percent of milestones both delivered and approved (or decided jointly) on or before their deadline:
    a late approval is a milestone not met."""
    if len(delivered) != len(deadlines) or len(approved) != len(deadlines) or not deadlines:
        return None
    in_time = sum(
        1
        for due, day, ok in zip(deadlines, delivered, approved, strict=True)
        if day is not None and ok is not None and day <= due and ok <= due
    )
    return Decimal(in_time) * HUNDRED / Decimal(len(deadlines))


def _areas_reached(check: Check, areas: tuple[tuple[str, Decimal], ...]) -> Decimal | None:
    """Percent of the areas at or above the level."""
    if not areas:
        return None
    count = len(check.areas) or check.area_count or len(areas)
    reached = sum(1 for _name, level in areas if check.goal is not None and level >= check.goal)
    return Decimal(reached) * HUNDRED / Decimal(count)


def _manual(result: Result) -> Decimal | None:
    if result.fulfilment is not None:
        return result.fulfilment * HUNDRED
    if result.met is not None:
        return HUNDRED if result.met else ZERO
    return None


def meets(check: Check, measured: Decimal) -> bool:
    """Whether the measurement reaches the target."""
    if check.kind in (CheckKind.LEVEL, CheckKind.MILESTONE, CheckKind.STATUS, CheckKind.MANUAL):
        return measured == HUNDRED
    if check.kind is CheckKind.ASSESSMENT and check.relation is None:  # no pass mark: full points
        return check.goal is not None and measured >= check.goal
    if check.relation is None or check.goal is None:
        return False
    return compare(measured, check.relation, check.goal)


def fulfilment(check: Check, measured: Decimal) -> Decimal:
    """The check's fulfilment in [0, 1] under its rule."""
    rule = check.rule
    kind = rule.kind
    if check.kind is CheckKind.MANUAL:
        return measured / HUNDRED
    if kind == A.ScoringKind.LINEAR.value and rule.floor is not None and rule.ceiling is not None:
        if rule.floor == rule.ceiling:
            return ONE if meets(check, measured) else ZERO
        return min(ONE, max(ZERO, (measured - rule.floor) / (rule.ceiling - rule.floor)))
    if kind == A.ScoringKind.STEPS.value:
        for relation, threshold, percent in rule.steps:
            if relation is None or threshold is None or compare(measured, relation, threshold):
                return percent / HUNDRED
        return ZERO
    if kind in (A.ScoringKind.MILESTONES_EACH.value, A.ScoringKind.AREAS_SHARE.value):
        return measured / HUNDRED
    if check.kind is CheckKind.ASSESSMENT and check.relation is None and check.goal:
        return min(ONE, max(ZERO, measured / check.goal))  # no pass mark: the points reached of the maximum
    return ONE if meets(check, measured) else ZERO


# --------------------------------------------------------------------------
# Scores


class Status(enum.Enum):
    MET = "Opfyldt"
    PARTLY = "Delvist opfyldt"
    NOT_MET = "Ikke opfyldt"
    DROPPED = "Udgået"
    NOT_DUE = "Ikke aktuelt i året"
    NOT_YET = "Ikke opgjort endnu"  # a year of a multi-year plan that is not reported yet
    MISSING = "Ikke opgjort"
    UNSCORED = "Ikke scoret"


@dataclass(frozen=True, slots=True)
class CheckScore:
    check: Check
    measured: Decimal | None
    met: bool
    fulfilment: Decimal | None


@dataclass(frozen=True, slots=True)
class UnitScore:
    unit: Unit
    result: Result | None
    checks: tuple[CheckScore, ...]
    fulfilment: Decimal | None  # None: not reported (Ikke opgjort)
    points: Decimal | None

    @property
    def status(self) -> Status:
        return status_of(self.fulfilment)


@dataclass(frozen=True, slots=True)
class RequirementScore:
    plan: RequirementPlan
    status: Status
    units: tuple[UnitScore, ...]
    fulfilment: Decimal | None
    points: Decimal | None  # points earned; for a partly reported group, the parts reported so far

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(u.unit.id for u in self.units if u.fulfilment is None)


@dataclass(frozen=True, slots=True)
class GoalAssessment:
    """The department's assessment of a goal, from the results file (`[[goal]]`)."""

    goal: str
    status: Status | None = None  # for a goal under `målstatus vurdering`
    note: str | None = None
    span: A.Span = field(default=A.NO_SPAN, compare=False)


@dataclass(frozen=True, slots=True)
class GoalScore:
    """A goal's score and status.

    `status` follows the goal's rule (`plan.rule`, see `goal_status`); `share` is
    the goal's fulfilment (weighted by points, or the mean for an unweighted goal)
    once every counted requirement is reported. `weight` is the maximum the goal
    can still earn: its scored requirements without the dropped ones (`dropped`)."""

    plan: GoalPlan
    requirements: tuple[RequirementScore, ...]
    earned: Decimal
    weight: Decimal  # of scored requirements, dropped excluded
    met: int
    counted: int  # requirements scored and not dropped
    status: Status = Status.MISSING
    share: Decimal | None = None
    dropped: Decimal = ZERO  # weight of the goal's dropped requirements
    assessment: GoalAssessment | None = None

    @property
    def not_met(self) -> tuple[RequirementScore, ...]:
        """The counted requirements that are not (fully) met: why a goal is not met."""
        return tuple(r for r in self.requirements if r.status in (Status.NOT_MET, Status.PARTLY))

    @property
    def counts(self) -> bool:
        """Whether the goal counts in "N af M mål opfyldt" (not dropped, not wholly unscored)."""
        return self.status not in (Status.DROPPED, Status.UNSCORED)


@dataclass(frozen=True, slots=True)
class Score:
    plan: ScoringPlan
    goals: tuple[GoalScore, ...]
    earned: Decimal  # points earned
    total: Decimal  # the points scored against: the sum of the goals' weights (see ScoringPlan.stated_total)
    dropped: Decimal  # weight of dropped requirements
    missing: Decimal  # weight of the units (requirements or parts) not reported
    rebased: Decimal | None  # earned × total / (total − dropped)
    met: int
    counted: int
    pay: Decimal | None  # performance pay in percent of the full pay, from the schedule or the linear rule
    kinds: tuple[str, ...]  # result kinds used: "actual", "expected"
    pay_amount: Decimal | None = None  # the pay in kroner (capped), when the plan states the full pay in money
    not_due: Decimal = ZERO  # weight of requirements with nothing due in the year scored (multi-year plans)

    def requirements(self) -> Iterator[RequirementScore]:
        for goal in self.goals:
            yield from goal.requirements

    @property
    def goals_met(self) -> int:
        return sum(1 for g in self.goals if g.status is Status.MET)

    @property
    def goals_counted(self) -> int:
        """Goals that count in "N af M mål opfyldt": not dropped and not wholly unscored."""
        return sum(1 for g in self.goals if g.counts)

    def goal_statuses(self) -> dict[Status, int]:
        """How many goals have each status, in the order of `Status` (for an annual report's table)."""
        return {status: sum(1 for g in self.goals if g.status is status) for status in Status}


def status_of(value: Decimal | None) -> Status:
    if value is None:
        return Status.MISSING
    if value >= ONE:
        return Status.MET
    if value <= ZERO:
        return Status.NOT_MET
    return Status.PARTLY


def score_unit(unit: Unit, result: Result | None) -> UnitScore:
    if result is None:
        return UnitScore(unit, None, (), None, None)
    scores = []
    for check in unit.checks:
        measured = measure(check, result)
        if measured is None:
            scores.append(CheckScore(check, None, False, None))
        else:
            scores.append(CheckScore(check, measured, meets(check, measured), fulfilment(check, measured)))
    if any(s.fulfilment is None for s in scores):
        return UnitScore(unit, result, tuple(scores), None, None)
    # A conjunction: every target must be met, so the fulfilment is the smallest.
    value = min(s.fulfilment for s in scores if s.fulfilment is not None)
    return UnitScore(unit, result, tuple(scores), value, unit.weight * value)


def _score_requirement(req: RequirementPlan, results: Mapping[str, Result]) -> RequirementScore:
    if req.state is State.UNSCORED:
        return RequirementScore(req, Status.UNSCORED, (), None, None)
    if req.state is State.DROPPED:
        return RequirementScore(req, Status.DROPPED, (), None, None)
    if req.state is State.NOT_DUE:
        return RequirementScore(req, Status.NOT_DUE, (), None, None)
    units = tuple(score_unit(u, results.get(u.id)) for u in req.units)
    earned = [u.points for u in units if u.points is not None]
    points = sum(earned, ZERO) if earned else None
    if any(u.fulfilment is None for u in units):
        return RequirementScore(req, Status.MISSING, units, None, points)
    if len(units) == 1:
        value = units[0].fulfilment
    else:
        value = points / req.weight if points is not None and req.weight else _mean(units)
    return RequirementScore(req, status_of(value), units, value, points)


def _mean(units: tuple[UnitScore, ...]) -> Decimal:
    values = [u.fulfilment for u in units if u.fulfilment is not None]
    return sum(values, ZERO) / len(values) if values else ZERO


def _score_goal(goal: GoalPlan, results: Mapping[str, Result], assessment: GoalAssessment | None) -> GoalScore:
    reqs = tuple(_score_requirement(r, results) for r in goal.requirements)
    earned = sum((r.points for r in reqs if r.points is not None), ZERO)
    weight = sum((r.plan.weight for r in reqs if r.plan.state is State.SCORED), ZERO)
    dropped = sum((r.plan.weight for r in reqs if r.plan.state is State.DROPPED), ZERO)
    met = sum(1 for r in reqs if r.status is Status.MET)
    counted = sum(1 for r in reqs if r.plan.state is State.SCORED)
    share = goal_share(reqs, goal.weighted)
    status = goal_status(goal.rule, reqs, share, assessment.status if assessment else None)
    return GoalScore(goal, reqs, earned, weight, met, counted, status, share, dropped, assessment)


def goal_share(reqs: tuple[RequirementScore, ...], weighted: bool) -> Decimal | None:
    """A goal's fulfilment in [0, 1] once all its counted requirements are reported: points earned of
    the points at stake (dropped excluded), or for an unweighted goal the mean fulfilment."""
    counted = [r for r in reqs if r.plan.state is State.SCORED]
    if not counted or any(r.fulfilment is None for r in counted):
        return None
    weight = sum((r.plan.weight for r in counted), ZERO)
    if weighted and weight > ZERO:
        return sum((r.points or ZERO for r in counted), ZERO) / weight
    return sum((r.fulfilment or ZERO for r in counted), ZERO) / len(counted)


def goal_status(
    rule: GoalRule, reqs: tuple[RequirementScore, ...], share: Decimal | None, assessed: Status | None = None
) -> Status:
    """A goal's status under its rule (docs/scoring.md, "Goal status"):

    - no scored requirement left: Udgået if one was dropped, else Ikke scoret;
    - `vurdering`: the department's assessment from the results file, else Ikke opgjort;
    - a counted requirement not reported: Ikke opgjort;
    - `alle` (the default): Opfyldt when every counted requirement is met, else Ikke opfyldt;
    - `andel R X %`: Opfyldt when share × 100 R X; else Delvist opfyldt when it meets the `delvist` clause
      (without one: when the share is above 0); else Ikke opfyldt.
    """
    counted = [r for r in reqs if r.plan.state is State.SCORED]
    if not counted:
        return Status.DROPPED if any(r.plan.state is State.DROPPED for r in reqs) else Status.UNSCORED
    if rule.kind == A.GoalRuleKind.ASSESSMENT.value:
        return assessed if assessed is not None else Status.MISSING
    if share is None:
        return Status.MISSING
    if rule.kind == A.GoalRuleKind.ALL.value:
        return Status.MET if all(r.status is Status.MET for r in counted) else Status.NOT_MET
    return share_status(rule, share)


def share_status(rule: GoalRule, share: Decimal) -> Status:
    """The status a share rule gives a goal's share (0..1)."""
    percent = share * HUNDRED
    if rule.relation is not None and rule.threshold is not None and compare(percent, rule.relation, rule.threshold):
        return Status.MET
    if rule.partly_relation is not None and rule.partly_threshold is not None:
        return Status.PARTLY if compare(percent, rule.partly_relation, rule.partly_threshold) else Status.NOT_MET
    return Status.PARTLY if percent > ZERO else Status.NOT_MET


def rebase(earned: Decimal, total: Decimal, dropped: Decimal) -> Decimal | None:
    """Points on the plan's full scale after dropped requirements are taken out:
    earned × total / (total − dropped). None when everything was dropped."""
    if dropped == ZERO:
        return earned
    if total - dropped <= ZERO:
        return None
    return earned * total / (total - dropped)


def pay_percent(schedule: tuple[A.Step, ...], points: Decimal | None, total: Decimal) -> Decimal | None:
    """The performance pay in percent: the first step of the schedule that the
    (rebased) points reach; a step in % is compared with points × 100 / total."""
    if not schedule or points is None:
        return None
    for step in schedule:
        if step.relation is None or step.threshold is None:
            return step.fulfilment
        value = points
        if step.threshold.unit == "%":
            if total == ZERO:
                return None
            value = points * HUNDRED / total
        if compare(value, step.relation.value, step.threshold.value):
            return step.fulfilment
    return ZERO


def score(
    splan: ScoringPlan, results: Mapping[str, Result], assessments: Mapping[str, GoalAssessment] | None = None
) -> Score:
    """Score a plan against results keyed by unit id, and the department's goal assessments
    (`[[goal]]` in the results file) keyed by goal number."""
    assessments = assessments or {}
    with localcontext(CONTEXT):
        goals = tuple(_score_goal(g, results, assessments.get(g.number)) for g in splan.goals)
        reqs = [r for g in goals for r in g.requirements]
        earned = sum((g.earned for g in goals), ZERO)
        total = splan.total
        dropped = splan.dropped_weight
        missing = sum((u.unit.weight for r in reqs for u in r.units if u.fulfilment is None), ZERO)
        rebased = rebase(earned, total, dropped + splan.not_due_weight)
        kinds = tuple(sorted({r.kind for r in results.values()}))
        return Score(
            plan=splan,
            goals=goals,
            earned=earned,
            total=total,
            dropped=dropped,
            missing=missing,
            rebased=rebased,
            met=sum(g.met for g in goals),
            counted=sum(g.counted for g in goals),
            pay=pay_share(splan.pay_rule, rebased, total),
            kinds=kinds,
            pay_amount=pay_kroner(splan.pay_rule, pay_share(splan.pay_rule, rebased, total)),
            not_due=splan.not_due_weight,
        )


def plain_score(result: Score) -> dict[str, object]:
    """The numbers of a score in the shape the generated module returns, for comparison."""
    units = {
        u.unit.id: {"fulfilment": u.fulfilment, "points": u.points} for r in result.requirements() for u in r.units
    }
    goals = {g.plan.number: {"status": g.status.value, "share": g.share} for g in result.goals}
    return {
        "units": units,
        "goals": goals,
        "goals_met": result.goals_met,
        "goals_counted": result.goals_counted,
        "earned": result.earned,
        "total": result.total,
        "dropped": result.dropped,
        "rebased": result.rebased,
        "pay": result.pay,
        "pay_amount": result.pay_amount,
    }
