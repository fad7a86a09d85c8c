"""Applying allonges to a plan: the consolidated plan, with every allonge it took.

Amendments apply in date order (an allonge without a date last, in the order
given). Each operation names a goal or requirement by the id the plan writes;
an id the plan does not have, a requirement added twice, a change to a
dropped requirement, or a date outside the period is a diagnostic located in
the allonge. The consolidated plan keeps the applied allonges in
`Plan.amendments`, so documents print the amendment log and the score report
says which allonges it scored against.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from mrpl import ast as A
from mrpl.diagnostics import Diagnostic, Severity
from mrpl.diff.apply import get_at, set_at
from mrpl.diff.model import Field, Item, Path

Report = Callable[[Diagnostic], None]


@dataclass(frozen=True, slots=True)
class Target:
    """Where an id points: a goal, or a requirement of a goal."""

    goal: A.Goal
    goal_path: Path
    requirement: A.Requirement | None = None

    @property
    def path(self) -> Path:
        if self.requirement is None:
            return self.goal_path
        return (*self.goal_path, Item("requirements", self.requirement.label or ""))


def goal_paths(plan: A.Plan) -> list[tuple[A.Goal, Path]]:
    out = [(g, (Item("sections", str(s.number)), Item("goals", g.number))) for s in plan.sections for g in s.goals]
    out += [(g, (Item("goals", g.number),)) for g in plan.goals]
    return out


def resolve(plan: A.Plan, ref: str) -> Target | None:
    """The goal or requirement `ref` names ("1.1.b", "2.3", "1.4"); None when the plan has none."""
    for goal, path in goal_paths(plan):
        if ref == goal.number:
            return Target(goal, path)
        for req in goal.requirements:
            if req.label is not None and A.requirement_id(goal, req) == ref:
                return Target(goal, path, req)
    return None


def known_ids(plan: A.Plan) -> list[str]:
    ids = []
    for goal, _ in goal_paths(plan):
        ids.append(goal.number)
        ids += [A.requirement_id(goal, r) for r in goal.requirements if r.label is not None]
    return ids


def sort_by_date(amendments: Sequence[A.Amendment]) -> list[A.Amendment]:
    """Date order; an allonge without a date after the dated ones; ties keep their order."""
    return sorted(amendments, key=lambda a: a.date or date.max)


def apply_amendments(plan: A.Plan, amendments: Sequence[A.Amendment], report: Report) -> A.Plan:
    """The plan with every allonge applied in date order, `Plan.amendments` listing them."""
    ordered = sort_by_date(amendments)
    for amendment in ordered:
        plan = _Applier(plan, amendment, report).run()
    return dataclasses.replace(plan, amendments=tuple(ordered))


class _Applier:
    def __init__(self, plan: A.Plan, amendment: A.Amendment, report: Report) -> None:
        self.plan = plan
        self.amendment = amendment
        self.report = report
        self.deadlines: dict[str, list[A.Deadline]] = {}
        self.targets: dict[str, list[A.Target]] = {}

    def error(self, code: str, message: str, span: A.Span, fix: str | None = None) -> None:
        self.report(Diagnostic(code, Severity.ERROR, message, span, fix=fix))

    def warning(self, code: str, message: str, span: A.Span, fix: str | None = None) -> None:
        self.report(Diagnostic(code, Severity.WARNING, message, span, fix=fix))

    def run(self) -> A.Plan:
        self._check_date()
        for op in self.amendment.operations:
            if isinstance(op, A.AddRequirement):
                self._add(op)
                continue
            target = self._target(op)
            if target is None:
                continue
            match op:
                case A.SetWeight():
                    self._set_weight(op, target)
                case A.DropRequirement():
                    self._drop(op, target)
                case A.MoveDeadline():
                    self.deadlines.setdefault(op.ref, []).append(op.deadline)
                    self._set(target, "deadlines", tuple(self.deadlines[op.ref]))
                case A.ReplaceTarget():
                    self.targets.setdefault(op.ref, []).append(op.target)
                    self._set(target, "targets", tuple(self.targets[op.ref]))
                case A.ReplaceText():
                    self._set(target, "text", op.text)
        return self.plan

    # ---- checks

    def _check_date(self) -> None:
        a = self.amendment
        header = self.plan.header
        period = header.period if header else None
        if a.date is not None and period is not None and not period.contains(a.date):
            self.error(
                "MRP390",
                f"the allonge is dated {a.date.isoformat()}, outside the plan's period "
                f"{period.start.isoformat()} to {period.end.isoformat()}",
                a.span,
                fix="an allonge changes a plan during its period; a later change belongs in next year's plan",
            )
        missing = [
            what
            for what, absent in (
                ("its date (`dato`)", a.date is None),
                ("a reason (`begrundelse`)", a.reason is None),
                ("the director's signature", a.director is None),
                ("the department head's signature", a.head is None),
            )
            if absent
        ]
        if missing:
            listed = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
            self.warning("MRP690", f"the allonge lacks {listed}", a.span,
                         fix="an allonge is dated, reasoned and signed by both parties, as the log prints it")  # fmt: skip

    def _target(self, op: A.Operation) -> Target | None:
        target = resolve(self.plan, op.ref)
        if target is None:
            self._unknown(op.ref, op.span)
            return None
        if target.requirement is None and not isinstance(op, A.SetWeight):
            single = [r for r in target.goal.requirements if r.label is None]
            if len(target.goal.requirements) == 1 and single:  # "2.3" is also the id of its one requirement
                return Target(target.goal, target.goal_path, single[0])
            if isinstance(op, A.ReplaceText):
                return target  # the goal's own text
            labels = ", ".join(A.requirement_id(target.goal, r) for r in target.goal.requirements)
            self.error("MRP290", f"{op.ref} is a goal; this change is made to one of its requirements, by its id",
                       op.span, fix=f"name one of {labels}" if labels else None)  # fmt: skip
            return None
        if target.requirement is not None and target.requirement.dropped is not None:
            self.warning("MRP292", f"requirement {op.ref} is already dropped (udgået)", op.span,
                         fix="leave it out of the allonge, or drop the earlier `udgået`")  # fmt: skip
        return target

    def _unknown(self, ref: str, span: A.Span) -> None:
        close = difflib.get_close_matches(ref, known_ids(self.plan), n=1, cutoff=0.6)
        self.error("MRP290", f"the allonge refers to {ref}, but the plan has no goal or requirement {ref}", span,
                   fix=f"did you mean {close[0]}?" if close else None)  # fmt: skip

    # ---- operations

    def _set(self, target: Target, name: str, value: object) -> None:
        self.plan = set_at(self.plan, (*target.path, Field(name)), value)

    def _set_weight(self, op: A.SetWeight, target: Target) -> None:
        path = target.path
        if target.requirement is None:
            single = target.goal.requirements[0] if len(target.goal.requirements) == 1 else None
            if target.goal.weight is None and single is not None and single.label is None and single.weight is not None:
                path = (*path, Item("requirements", ""))  # "vægt 2.3 5" on a goal weighed on its one requirement
        if self.plan.weights is not None:
            entries = tuple(
                dataclasses.replace(e, weight=op.weight) if e.ref == op.ref else e for e in self.plan.weights.entries
            )
            self.plan = dataclasses.replace(self.plan, weights=dataclasses.replace(self.plan.weights, entries=entries))
            if get_at(self.plan, (*path, Field("weight"))) is None:
                return
        self.plan = set_at(self.plan, (*path, Field("weight")), op.weight)

    def _drop(self, op: A.DropRequirement, target: Target) -> None:
        on = None
        if self.amendment.date is not None:
            d = self.amendment.date
            on = A.Deadline(A.DeadlineKind.DATE, d.year, d.month, d.day, span=op.span)
        self._set(target, "dropped", A.Dropped(op.reason, on, op.span))

    def _add(self, op: A.AddRequirement) -> None:
        goal_target = None
        for goal, path in goal_paths(self.plan):
            if op.ref.startswith(goal.number + ".") and (
                goal_target is None or len(goal.number) > len(goal_target.goal.number)
            ):
                goal_target = Target(goal, path)
        if goal_target is None:
            self._unknown(op.ref.rsplit(".", 1)[0], op.span)
            return
        label = op.ref[len(goal_target.goal.number) + 1 :]
        goal = goal_target.goal
        if any(r.label == label for r in goal.requirements):
            self.error("MRP291", f"the plan already has requirement {op.ref}; an allonge adds a new one", op.span,
                       fix="give the new requirement the next free label, or change the existing one")  # fmt: skip
            return
        if any(r.label is None for r in goal.requirements):
            self.error("MRP291", f"goal {goal.number} has one unlabelled requirement; a second one needs labels for both",
                       op.span, fix="a goal with several requirements letters them a), b), ...")  # fmt: skip
            return
        req = dataclasses.replace(op.requirement, label=label)
        self.plan = set_at(self.plan, (*goal_target.path, Field("requirements")), (*goal.requirements, req))
