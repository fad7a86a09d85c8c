"""Replaying a diff on the old plan: `apply_diff(old, diff) == new`.

This is what makes the diff trustworthy (a property test checks it on every
example pair), and it is the same path arithmetic allonges use to change a
plan: `get_at` and `set_at` walk a path of identities and rebuild the frozen
nodes above the changed value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from mrpl import ast as A
from mrpl.diff.compare import IDENTITY_FIELD, identity
from mrpl.diff.model import At, Change, Field, Item, Kind, Path, PlanDiff, Step
from mrpl.diff.years import shift_years


class PathError(LookupError):
    """A path names something the plan does not have."""


def _child(node: Any, step: Step) -> Any:
    match step:
        case Field(name=name):
            return getattr(node, name)
        case At(field=name, index=index):
            items = getattr(node, name)
            if not 0 <= index < len(items):
                raise PathError(f"no {name}[{index}]")
            return items[index]
        case Item(field=name, key=key):
            for item in getattr(node, name):
                if identity(item) == key:
                    return item
            raise PathError(f"no {name} {key!r}")
    raise TypeError(step)


def get_at(node: Any, path: Path) -> Any:
    """The value at `path` (PathError when it is not there)."""
    for step in path:
        node = _child(node, step)
    return node


def set_at(node: Any, path: Path, value: Any) -> Any:
    """`node` with the value at `path` replaced by `value`."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    updated = set_at(_child(node, step), rest, value)
    match step:
        case Field(name=name):
            return dataclasses.replace(node, **{name: updated})
        case At(field=name, index=index):
            items = list(getattr(node, name))
            items[index] = updated
            return dataclasses.replace(node, **{name: tuple(items)})
        case Item(field=name, key=key):
            items = [updated if identity(x) == key else x for x in getattr(node, name)]
            return dataclasses.replace(node, **{name: tuple(items)})
    raise TypeError(step)


def remove_at(node: Any, container: Path, name: str, key: str) -> tuple[Any, Any]:
    """(node without the member `key` of `container`'s `name`, the member taken out)."""
    holder = get_at(node, container)
    items = getattr(holder, name)
    taken = next((x for x in items if identity(x) == key), None)
    if taken is None:
        raise PathError(f"no {name} {key!r}")
    rest = tuple(x for x in items if x is not taken)
    return set_at(node, container, dataclasses.replace(holder, **{name: rest})), taken


def insert_at(node: Any, container: Path, name: str, index: int, member: Any) -> Any:
    holder = get_at(node, container)
    items = list(getattr(holder, name))
    items.insert(min(index, len(items)), member)
    return set_at(node, container, dataclasses.replace(holder, **{name: tuple(items)}))


def with_identity(node: Any, key: str) -> Any:
    """The node renumbered to `key` (an int for a section, None for an unlabelled requirement)."""
    name = IDENTITY_FIELD[type(node)]
    value: Any = int(key) if isinstance(node, A.GoalSection) else (key or None)
    return dataclasses.replace(node, **{name: value})


_LEVELS = (
    ("sections", {Kind.SECTION_ADDED}, {Kind.SECTION_REMOVED}, {Kind.SECTION_RENUMBERED}),
    ("goals", {Kind.GOAL_ADDED}, {Kind.GOAL_REMOVED}, {Kind.GOAL_RENUMBERED, Kind.GOAL_MOVED}),
    (
        "requirements",
        {Kind.REQUIREMENT_ADDED},
        {Kind.REQUIREMENT_REMOVED},
        {Kind.REQUIREMENT_RENUMBERED, Kind.REQUIREMENT_MOVED},
    ),
)


_REMOVED = frozenset({Kind.SECTION_REMOVED, Kind.GOAL_REMOVED, Kind.REQUIREMENT_REMOVED})
_ADDED = frozenset({Kind.SECTION_ADDED, Kind.GOAL_ADDED, Kind.REQUIREMENT_ADDED})


def apply_diff(old: A.Plan, diff: PlanDiff) -> A.Plan:
    """The old plan with every change of `diff` made."""
    plan = shift_years(old, diff.year_shift)
    sections, goals, requirements = (_of_level(diff.changes, level) for level in _LEVELS)
    plan, moving_goals = _take_out(plan, "goals", goals)  # before their sections are renumbered or removed
    plan, moving_sections = _take_out(plan, "sections", sections)
    plan = _put_in(plan, "sections", sections, moving_sections, strip=("goals",))
    plan = _put_in(plan, "goals", goals, moving_goals)
    plan, moving_requirements = _take_out(plan, "requirements", requirements)
    plan = _put_in(plan, "requirements", requirements, moving_requirements)
    for change in diff.changes:
        if not change.structural:
            plan = set_at(plan, change.path, change.new)
    return plan


def _of_level(changes: Iterable[Change], level: tuple[str, set[Kind], set[Kind], set[Kind]]) -> list[Change]:
    _, added, removed, moved = level
    return [c for c in changes if c.kind in added | removed | moved]


def _take_out(plan: A.Plan, name: str, changes: list[Change]) -> tuple[A.Plan, dict[int, Any]]:
    """Remove what is removed, renumbered or moved; keep the moving nodes (by change) for `_put_in`."""
    moving: dict[int, Any] = {}
    for n, change in enumerate(changes):
        if change.kind in _ADDED:
            continue
        removed = change.kind in _REMOVED
        container = change.container if removed else change.old_container
        try:
            plan, taken = remove_at(plan, container, name, change.old_key)
        except PathError:
            if removed:
                continue  # gone with its section
            raise
        if not removed:
            moving[n] = with_identity(taken, change.new_key)
    return plan, moving


def _put_in(
    plan: A.Plan, name: str, changes: list[Change], moving: dict[int, Any], strip: tuple[str, ...] = ()
) -> A.Plan:
    """Insert added and moving nodes at their new positions, lowest position first per container."""
    inserts: list[tuple[Path, int, Any]] = []
    for n, change in enumerate(changes):
        if change.kind in _ADDED:
            node = change.new
            if strip:  # an added section's goals arrive as goal changes of their own
                node = dataclasses.replace(node, **{f: () for f in strip})
            inserts.append((change.container, change.index, node))
        elif n in moving:
            inserts.append((change.container, change.index, moving[n]))
    for container, index, node in sorted(inserts, key=lambda t: t[1]):
        plan = insert_at(plan, container, name, index, node)
    return plan
