"""The walk that finds what changed between two plans.

Sections, goals and requirements are paired by identity, then by similarity
(mrpl.diff.match), and yield structural changes (added, removed, renumbered,
moved). Every other field is compared generically over the dataclass fields,
so a field added to the AST later shows up as a change without code here:
container nodes (the header, a budget, a method...) are walked into, and a
value that differs is reported whole, with a `Kind` from its field name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from mrpl import ast as A
from mrpl.diff.match import Pair, in_order, pair_up
from mrpl.diff.model import At, Change, Field, GoalWeight, Item, Kind, Path, PlanDiff, Weights
from mrpl.diff.years import plan_years, shift_years, year_shift

# Nodes whose fields are compared one by one (a change names the field) rather than whole.
_WALK_INTO: tuple[type, ...] = (
    A.Header,
    A.Signatory,
    A.Strategy,
    A.StrategyPart,
    A.CoreTasks,
    A.CoreTask,
    A.Budget,
    A.WeightTable,
    A.PerformancePay,
    A.Footnote,
    A.Annex,
    A.Method,
    A.Background,
)

# Fields handled by the pairing (identity and children), per node type.
IDENTITY_FIELD = {A.GoalSection: "number", A.Goal: "number", A.Requirement: "label"}
_CHILDREN = {A.GoalSection: ("goals", "imports"), A.Goal: ("requirements",), A.Plan: ("sections", "goals", "imports")}

_KIND_BY_FIELD = {
    "weight": Kind.WEIGHT,
    "total": Kind.WEIGHT,
    "entries": Kind.WEIGHT,
    "groups": Kind.WEIGHT,
    "targets": Kind.TARGET,
    "deadlines": Kind.DEADLINE,
    "scope": Kind.SCOPE,
    "scoring": Kind.SCORING,
    "dropped": Kind.DROPPED,
    "scored": Kind.DROPPED,
    "period": Kind.PERIOD,
    "area": Kind.TITLE,
    "title": Kind.TITLE,
}


def identity(node: Any) -> str:
    """The key a plan writes for a section, goal or requirement ("" for an unlabelled requirement)."""
    value = getattr(node, IDENTITY_FIELD[type(node)])
    return "" if value is None else str(value)


def diff_plans(old: A.Plan, new: A.Plan, old_name: str = "", new_name: str = "") -> PlanDiff:
    """Every change from `old` to `new` (both loaded: imports resolved)."""
    shift = year_shift(old, new)
    walker = _Walker()
    walker.plan(shift_years(old, shift), new)
    changes = tuple(walker.changes)
    renamed = {c.old_ref: c.ref for c in changes if c.kind is Kind.GOAL_RENUMBERED}
    removed = {c.ref for c in changes if c.kind is Kind.GOAL_REMOVED}
    weighty = any(c.kind is Kind.WEIGHT or c.structural for c in changes)
    weights = weights_effect(old, new, renamed, removed) if weighty else None
    if weights is not None and not any(g.old != g.new for g in weights.goals):
        weights = None
    return PlanDiff(old_name, new_name, changes, shift, weights, plan_years(old), plan_years(new))


class _Walker:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def emit(self, change: Change) -> None:
        self.changes.append(change)

    # ---- the plan, in document order

    def plan(self, old: A.Plan, new: A.Plan) -> None:
        for f in dataclasses.fields(A.Plan):
            if f.name == "span" or f.name in ("goals", "imports"):
                continue
            if f.name == "sections":
                self.sections(old, new)
                self.goals(old, new)
                continue
            self.value((Field(f.name),), "", getattr(old, f.name), getattr(new, f.name), A.Plan)

    def sections(self, old: A.Plan, new: A.Plan) -> None:
        pairing = pair_up(old.sections, new.sections, identity, lambda s: s.title)
        for i in pairing.removed:
            s = old.sections[i]
            key = identity(s)
            self.emit(Change(Kind.SECTION_REMOVED, key, (Item("sections", key),), old=s, old_key=key))
        for j in pairing.added:
            s = new.sections[j]
            key = identity(s)
            self.emit(Change(Kind.SECTION_ADDED, key, (Item("sections", key),), new=s, new_key=key, index=j))
        kept = in_order(pairing.pairs)
        for pair in pairing.pairs:
            a, b = old.sections[pair.old], new.sections[pair.new]
            ka, kb = identity(a), identity(b)
            path = (Item("sections", kb),)
            if ka != kb or pair.new not in kept:
                self.emit(Change(Kind.SECTION_RENUMBERED, kb, path, old_ref=ka, old_key=ka, new_key=kb, title=b.title,
                                 index=pair.new, matched=pair.matched, similarity=pairing.score_of(pair)))  # fmt: skip
            self.fields(path, kb, a, b)

    def goals(self, old: A.Plan, new: A.Plan) -> None:
        """Goals are paired across the whole plan: a goal may move to another section."""
        old_goals, new_goals = list(_goals_in(old)), list(_goals_in(new))
        pairing = pair_up([g for _, g in old_goals], [g for _, g in new_goals], identity, _goal_text)
        for i in pairing.removed:
            container, g = old_goals[i]
            key = identity(g)
            self.emit(Change(Kind.GOAL_REMOVED, key, (*container, Item("goals", key)), old=g,
                             container=container, old_key=key))  # fmt: skip
        for j in pairing.added:
            container, g = new_goals[j]
            key = identity(g)
            index = _index_in(new_goals, j)
            self.emit(Change(Kind.GOAL_ADDED, key, (*container, Item("goals", key)), new=g,
                             container=container, new_key=key, index=index))  # fmt: skip
        kept = _kept_in_place(pairing.pairs, old_goals, new_goals)
        for pair in pairing.pairs:
            (old_container, a), (container, b) = old_goals[pair.old], new_goals[pair.new]
            ka, kb = identity(a), identity(b)
            path = (*container, Item("goals", kb))
            if ka != kb or pair.new not in kept:
                kind = Kind.GOAL_RENUMBERED if ka != kb else Kind.GOAL_MOVED
                self.emit(Change(kind, kb, path, old_ref=ka, container=container, old_container=old_container, title=b.area,
                                 old_key=ka, new_key=kb, index=_index_in(new_goals, pair.new),
                                 matched=pair.matched, similarity=pairing.score_of(pair)))  # fmt: skip
            self.fields(path, kb, a, b)
            self.requirements(path, a, b)

    def requirements(self, goal_path: Path, old: A.Goal, new: A.Goal) -> None:
        pairing = pair_up(old.requirements, new.requirements, identity, _requirement_text)
        for i in pairing.removed:
            r = old.requirements[i]
            key = identity(r)
            self.emit(Change(Kind.REQUIREMENT_REMOVED, A.requirement_id(old, r), (*goal_path, Item("requirements", key)),
                             old=r, container=goal_path, old_key=key))  # fmt: skip
        for j in pairing.added:
            r = new.requirements[j]
            key = identity(r)
            self.emit(Change(Kind.REQUIREMENT_ADDED, A.requirement_id(new, r), (*goal_path, Item("requirements", key)),
                             new=r, container=goal_path, new_key=key, index=j))  # fmt: skip
        kept = in_order(pairing.pairs)
        for pair in pairing.pairs:
            a, b = old.requirements[pair.old], new.requirements[pair.new]
            ka, kb = identity(a), identity(b)
            ref = A.requirement_id(new, b)
            path = (*goal_path, Item("requirements", kb))
            if ka != kb or pair.new not in kept:
                kind = Kind.REQUIREMENT_RENUMBERED if ka != kb else Kind.REQUIREMENT_MOVED
                self.emit(Change(kind, ref, path, old_ref=A.requirement_id(old, a), container=goal_path, title=requirement_title(b),
                                 old_container=goal_path, old_key=ka, new_key=kb, index=pair.new,
                                 matched=pair.matched, similarity=pairing.score_of(pair)))  # fmt: skip
            self.fields(path, ref, a, b)

    # ---- generic field comparison

    def fields(self, path: Path, ref: str, old: Any, new: Any) -> None:
        """Compare every field but the identity, the span and the paired children."""
        cls = type(new)
        skip = {"span", IDENTITY_FIELD.get(cls, "span"), *_CHILDREN.get(cls, ())}
        for f in dataclasses.fields(new):
            if f.name not in skip and f.compare:
                self.value((*path, Field(f.name)), ref, getattr(old, f.name), getattr(new, f.name), cls)

    def value(self, path: Path, ref: str, old: Any, new: Any, owner: type) -> None:
        if old == new:
            return
        if type(old) is type(new) and isinstance(new, _WALK_INTO):
            self.fields(path, ref, old, new)
            return
        if _walkable_tuples(old, new):
            name = path[-1].name if isinstance(path[-1], Field) else ""
            for i, (a, b) in enumerate(zip(old, new, strict=True)):
                step = At(name, i, member_label(b))
                if a == b:
                    continue
                if isinstance(b, _WALK_INTO):
                    self.fields((*path[:-1], step), ref, a, b)
                else:
                    self.emit(Change(kind_of(path, owner, a, b), ref, (*path[:-1], step), old=a, new=b))
            return
        self.emit(Change(kind_of(path, owner, old, new), ref, path, old=old, new=new))


def member_label(node: Any) -> str:
    """How a reader tells a member of a list without an identity apart."""
    match node:
        case A.StrategyPart(kind=kind, title=title):
            return title or kind.value
        case A.CoreTask(number=number, title=title):
            return f"{number} {title}"
        case A.Annex(title=title):
            return title
        case A.Footnote(label=label):
            return label
        case A.Method(ref=ref, title=title):
            return ref or title or ""
        case A.CoreTasks():
            return "core_tasks"
        case A.Budget():
            return "budget"
    return ""


def _walkable_tuples(old: Any, new: Any) -> bool:
    return (
        isinstance(old, tuple)
        and isinstance(new, tuple)
        and len(old) == len(new) > 0
        and all(type(a) is type(b) for a, b in zip(old, new, strict=True))
        and any(isinstance(b, _WALK_INTO) for b in new)
    )


def kind_of(path: Path, owner: type, old: Any, new: Any) -> Kind:
    """The kind of a changed value, from where it stands and what it is."""
    names = [s.name if isinstance(s, Field) else s.field for s in path]
    if "methods" in names:
        return Kind.METHOD
    if owner is A.Budget or isinstance(old, A.Budget) or isinstance(new, A.Budget):
        return Kind.BUDGET
    if owner is A.Signatory or names[-1] in ("director", "head"):
        return Kind.SIGNATORY
    kind = _KIND_BY_FIELD.get(names[-1])
    if kind is not None:
        return kind
    if isinstance(old, A.Prose | str) or isinstance(new, A.Prose | str):
        return Kind.TEXT
    return Kind.FIELD


# ---- goals across sections


def _goals_in(plan: A.Plan) -> Iterator[tuple[Path, A.Goal]]:
    for section in plan.sections:
        container: Path = (Item("sections", identity(section)),)
        for goal in section.goals:
            yield container, goal
    for goal in plan.goals:
        yield (), goal


def _index_in(items: list[tuple[Path, A.Goal]], j: int) -> int:
    """The position of item j among the goals of its own container."""
    container = items[j][0]
    return sum(1 for c, _ in items[:j] if c == container)


def _kept_in_place(pairs: list[Pair], old: list[tuple[Path, A.Goal]], new: list[tuple[Path, A.Goal]]) -> set[int]:
    """Pairs that stay in their container in their relative order."""
    by_container: dict[Path, list[Pair]] = {}
    for p in pairs:
        if old[p.old][0] == new[p.new][0] and identity(old[p.old][1]) == identity(new[p.new][1]):
            by_container.setdefault(new[p.new][0], []).append(p)
    kept: set[int] = set()
    for group in by_container.values():
        kept |= in_order(group)
    return kept


def _goal_text(goal: A.Goal) -> str:
    return f"{goal.area} {goal.text.plain() if goal.text else ''}"


def requirement_title(req: A.Requirement) -> str:
    if req.display:
        return req.display
    words = req.text.plain().split() if req.text else []
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")


def _requirement_text(req: A.Requirement) -> str:
    return req.text.plain() if req.text else (req.display or "")


# ---- weights


def weights_effect(
    old: A.Plan, new: A.Plan, renamed: dict[str, str] | None = None, removed: set[str] | None = None
) -> Weights:
    """Each goal's effective points and share of the total, before and after.

    `renamed` maps a renumbered goal's old number to its new one, so the goal
    is compared with itself and not with whichever goal took its number."""
    from mrpl.score import scoring_plan  # the one place that knows effective weights

    renamed, removed = renamed or {}, removed or set()
    old_plan, new_plan = scoring_plan(old), scoring_plan(new)
    before = {renamed.get(g.number, g.number): tidy(g.weight) for g in old_plan.goals if g.number not in removed}
    old_total, new_total = tidy(old_plan.total) or Decimal(0), tidy(new_plan.total) or Decimal(0)
    goals = [
        GoalWeight(g.number, g.area, before.get(g.number), tidy(g.weight), _share(before.get(g.number), old_total),
                   _share(g.weight, new_total))
        for g in new_plan.goals
    ]  # fmt: skip
    for g in old_plan.goals:
        if g.number in removed:
            goals.append(GoalWeight(g.number, g.area, tidy(g.weight), None, _share(g.weight, old_total), None))
    return Weights(old_total, new_total, tuple(goals))


def tidy(value: Decimal | None) -> Decimal | None:
    """A sum without the trailing zeros its addends left (2,5 + 2,5 is 5, not 5,0)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _share(points: Decimal | None, total: Decimal) -> Decimal | None:
    if points is None or not total:
        return None
    return (points * 100 / total).quantize(Decimal("0.1"))
