"""Writing a change as an allonge: the operations that turn one plan into another.

`allonge_from_diff` maps a semantic diff (mrpl.diff) onto allonge operations —
weights, dropped requirements, deadlines, targets, texts and new requirements —
and says which changes an allonge cannot state (a renumbered goal, a new
section, a changed header: those belong in a new plan, not an addendum).
`mrplc diff OLD NEW --to allonge` and the language server's code action
"write this change as an allonge" both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mrpl import ast as A
from mrpl.diff.model import Change, Field, Item, Kind, PlanDiff


@dataclass(frozen=True, slots=True)
class Written:
    """The allonge, or None with the changes it cannot state."""

    text: str | None
    operations: tuple[A.Operation, ...]
    unsupported: tuple[Change, ...]


def _ref(change: Change) -> str | None:
    """The id an operation names: the requirement's ("1.1.b") or the goal's ("1.4")."""
    items = [s for s in change.path if isinstance(s, Item)]
    if items and items[-1].field == "requirements":
        return change.ref
    if items and items[-1].field == "goals":
        return items[-1].key
    return None


def operations(diff: PlanDiff, new: A.Plan) -> tuple[list[A.Operation], list[Change]]:
    """The allonge's operations for `diff` (whose new side is `new`), and the changes it cannot state."""
    ops: list[A.Operation] = []
    unsupported: list[Change] = []
    appended = _appended(diff, new)
    for change in diff.changes:
        if change.path[:1] == (Field("amendments"),):
            continue  # the allonges the new plan already went through: not a change to state
        if change.kind is Kind.REQUIREMENT_ADDED and change.ref not in appended:
            unsupported.append(change)  # an allonge adds after the goal's requirements, not between them
            continue
        op = _operation(change)
        if op is None:
            unsupported.append(change)
        else:
            ops += op
    return ops, unsupported


def _appended(diff: PlanDiff, new: A.Plan) -> set[str]:
    """The added requirements that follow every kept requirement of their goal in `new`: the
    ones an allonge can add (`resultatkrav 1.3.c { ... }` goes after the goal's requirements)."""
    added = {c.ref for c in diff.changes if c.kind is Kind.REQUIREMENT_ADDED}
    out: set[str] = set()
    for goal in new.all_goals():
        ids = [A.requirement_id(goal, r) for r in goal.requirements]
        tail = len(ids)
        while tail > 0 and ids[tail - 1] in added:
            tail -= 1
        out.update(ids[tail:])
    return out


def _operation(change: Change) -> list[A.Operation] | None:
    ref = _ref(change)
    if ref is None:
        return None
    if change.kind is Kind.REQUIREMENT_ADDED:
        return [A.AddRequirement(ref, change.new)]
    last = change.path[-1] if change.path else None
    field = last.name if isinstance(last, Field) else None
    on_requirement = any(isinstance(s, Item) and s.field == "requirements" for s in change.path)
    unlabelled = on_requirement and isinstance(change.path[-2], Item) and change.path[-2].key == ""
    match field:
        case "weight" if isinstance(change.new, A.Weight) and not unlabelled:
            # (the weight of a goal's one unlabelled requirement has the goal's id: `vægt 1.4` sets
            # the goal's, so that change is left to a new plan rather than stated ambiguously)
            return [A.SetWeight(ref, change.new)]
        case "dropped" if isinstance(change.new, A.Dropped) and on_requirement:
            return [A.DropRequirement(ref, change.new.reason)]
        case "deadlines" if change.new and on_requirement:
            return [A.MoveDeadline(ref, d) for d in change.new]
        case "targets" if change.new and on_requirement:
            return [A.ReplaceTarget(ref, t) for t in change.new]
        case "text" if isinstance(change.new, A.Prose):
            return [A.ReplaceText(ref, change.new)]
    return None


def allonge_from_diff(
    diff: PlanDiff,
    new: A.Plan,
    plan_file: str,
    language: str = "da",
    title: str | None = None,
    on: date | None = None,
) -> Written:
    """The allonge source that changes the plan in `plan_file` into `new` as `diff` says, when an
    allonge can."""
    from mrpl.fmt import format_plan

    ops, unsupported = operations(diff, new)
    if unsupported or not ops:
        return Written(None, tuple(ops), tuple(unsupported))
    amendment = A.Amendment(title=title, plan=plan_file, date=on, operations=tuple(ops))
    return Written(format_plan(A.Plan(amendments=(amendment,)), language), tuple(ops), ())
