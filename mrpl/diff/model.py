"""What a semantic diff is made of: changes located by identity paths.

A `Change` says what changed where, holding the old and the new AST value, so
that renderers can phrase it and `mrpl.diff.apply` can replay it on the old
plan. A path walks the plan by field names and by the identity a plan writes
(a section's number, a goal's number, a requirement's label), never by list
position where an identity exists.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class Field:
    """Step into a field of a node."""

    name: str


@dataclass(frozen=True, slots=True)
class Item:
    """Step into the member of a keyed tuple field by its written identity."""

    field: str
    key: str


@dataclass(frozen=True, slots=True)
class At:
    """Step into a tuple field by position (for children without an identity);
    `label` names the member for a reader ("mission", "kerneopgave 2")."""

    field: str
    index: int
    label: str = field(default="", compare=False)


Step = Field | Item | At
Path = tuple[Step, ...]


class Kind(enum.Enum):
    """What kind of change; the values are the JSON schema's `kind`."""

    SECTION_ADDED = "section-added"
    SECTION_REMOVED = "section-removed"
    SECTION_RENUMBERED = "section-renumbered"
    GOAL_ADDED = "goal-added"
    GOAL_REMOVED = "goal-removed"
    GOAL_RENUMBERED = "goal-renumbered"
    GOAL_MOVED = "goal-moved"
    REQUIREMENT_ADDED = "requirement-added"
    REQUIREMENT_REMOVED = "requirement-removed"
    REQUIREMENT_RENUMBERED = "requirement-renumbered"
    REQUIREMENT_MOVED = "requirement-moved"
    WEIGHT = "weight-changed"
    TARGET = "target-changed"
    DEADLINE = "deadline-moved"
    SCOPE = "scope-changed"
    SCORING = "scoring-changed"
    METHOD = "method-changed"
    DROPPED = "dropped-changed"
    BUDGET = "budget-changed"
    SIGNATORY = "signatory-changed"
    PERIOD = "period-changed"
    TITLE = "title-changed"
    TEXT = "text-changed"
    FIELD = "field-changed"


STRUCTURAL = frozenset(
    {
        Kind.SECTION_ADDED,
        Kind.SECTION_REMOVED,
        Kind.SECTION_RENUMBERED,
        Kind.GOAL_ADDED,
        Kind.GOAL_REMOVED,
        Kind.GOAL_RENUMBERED,
        Kind.GOAL_MOVED,
        Kind.REQUIREMENT_ADDED,
        Kind.REQUIREMENT_REMOVED,
        Kind.REQUIREMENT_RENUMBERED,
        Kind.REQUIREMENT_MOVED,
    }
)


class Matched(enum.Enum):
    """How an old and a new goal or requirement were paired."""

    IDENTITY = "identity"  # the same number or label
    SIMILARITY = "similarity"  # the numbering changed; paired by title and text


@dataclass(frozen=True, slots=True)
class Change:
    """One change.

    `path` locates the changed value: in the new plan's identities for a
    changed field, an added or a renumbered node; in the old plan's for a
    removed node. A structural change names its container (`container`, and
    `old_container` when a goal moved between sections), the identities
    (`old_key`, `new_key`) and the new position (`index`).
    `ref`/`old_ref` are the ids a reader knows ("1.1.b", "afsnit 2").
    """

    kind: Kind
    ref: str
    path: Path = ()
    old: Any = None
    new: Any = None
    old_ref: str = ""
    container: Path = ()
    old_container: Path = ()
    old_key: str = ""
    new_key: str = ""
    index: int = 0
    matched: Matched | None = None
    similarity: Decimal | None = None
    title: str = ""  # a renumbered or moved node's title, for the reader

    @property
    def field(self) -> str | None:
        """The changed field's name, for a field change."""
        last = self.path[-1] if self.path else None
        return last.name if isinstance(last, Field) else None

    @property
    def structural(self) -> bool:
        return self.kind in STRUCTURAL


@dataclass(frozen=True, slots=True)
class GoalWeight:
    """A goal's effective points and share of the total, before and after."""

    number: str
    area: str
    old: Decimal | None
    new: Decimal | None
    old_share: Decimal | None
    new_share: Decimal | None


@dataclass(frozen=True, slots=True)
class Weights:
    """The effect of weight changes: the totals and each goal's share."""

    old_total: Decimal
    new_total: Decimal
    goals: tuple[GoalWeight, ...]


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """Everything that changed from `old` to `new`.

    `year_shift` is the years between the periods' starts: when it is not 0,
    deadlines are compared by their position in the year (ultimo marts 2022
    and ultimo marts 2023 are the same deadline), and `apply` moves every
    deadline of the old plan by it.
    """

    old_name: str
    new_name: str
    changes: tuple[Change, ...]
    year_shift: int = 0
    weights: Weights | None = None
    old_years: tuple[int, ...] = field(default=())
    new_years: tuple[int, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.changes
