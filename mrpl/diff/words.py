"""Changes in the words of the plan's reader: what, before, after, redline.

Every output format (text, Markdown, HTML, JSON) renders the same `Entry`
list, so they say the same thing. Values are phrased by mrpl.i18n.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from mrpl import ast as A
from mrpl import i18n
from mrpl.diff.compare import requirement_title
from mrpl.diff.model import At, Change, Field, Item, Kind, Matched, PlanDiff
from mrpl.diff.redline import Segment, redline
from mrpl.diff.years import shift_years

# Texts up to this many words are shown before → after; longer ones as a redline.
_SHORT_TEXT = 12


@dataclass(frozen=True, slots=True)
class Entry:
    """One change as a reader sees it, under a heading (`group`)."""

    group: str
    what: str
    tone: str  # "added" | "removed" | "changed"
    before: str | None = None
    after: str | None = None
    redline: tuple[Segment, ...] = ()
    details: tuple[str, ...] = ()
    note: str | None = None
    change: Change | None = None

    @property
    def order(self) -> tuple[object, ...]:
        """Where the entry's heading stands in the plan: header and strategy, the
        sections and their goals in number order, then the parts after the goals."""
        return document_order(self.change.path if self.change else ())


_AFTER_GOALS = ("weights", "follow_up", "pay", "footnotes", "annexes", "amendments")


def _number_key(text: str) -> tuple[tuple[int, object], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in text.split("."))


def document_order(path: tuple[object, ...]) -> tuple[object, ...]:
    items = [s for s in path if isinstance(s, Item)]
    section = next((s.key for s in items if s.field == "sections"), None)
    goal = next((s.key for s in items if s.field == "goals"), None)
    if section is None and goal is None:
        first = path[0] if path else None
        after = isinstance(first, Field) and first.name in _AFTER_GOALS
        return (2 if after else 0,)
    goal_key = _number_key(goal) if goal is not None else ()
    section_key = _number_key(section) if section is not None else _number_key(goal or "")[:1]
    return (1, section_key, goal_key)


def entries(diff: PlanDiff, lang: str = "da") -> list[Entry]:
    return [_entry(c, diff, lang) for c in diff.changes]


def group_of(change: Change, lang: str) -> str:
    """The heading a change stands under: its goal, its section, or the plan."""
    items = [s for s in change.path if isinstance(s, Item)]
    goal = next((s for s in reversed(items) if s.field == "goals"), None)
    if goal is not None:
        return i18n.diff_phrase("goal", lang, ref=goal.key)
    section = next((s for s in items if s.field == "sections"), None)
    if section is not None:
        return i18n.diff_phrase("section", lang, ref=section.key)
    return i18n.diff_phrase("plan", lang)


def _entry(change: Change, diff: PlanDiff, lang: str) -> Entry:
    group = group_of(change, lang)
    if change.structural:
        return _structural(change, group, lang)
    what = _what(change, lang)
    old, new = change.old, change.new
    note = None
    if diff.year_shift and _has_deadline(old):
        old = shift_years(old, -diff.year_shift)  # shown as the old plan wrote it
        note = i18n.diff_phrase("by_position", lang)
    if change.kind is Kind.BUDGET and change.field == "rows":
        return Entry(group, what, "changed", details=tuple(_row_changes(old, new, lang)), change=change)
    if _is_text(old, new):
        a, b = _plain(old), _plain(new)
        if len(a.split()) > _SHORT_TEXT or len(b.split()) > _SHORT_TEXT:
            return Entry(group, what, _tone(old, new), redline=redline(a, b), note=note, change=change)
    if isinstance(old, tuple) and isinstance(new, tuple) and len(old) == len(new) > 1:
        pairs = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
        old, new = tuple(a for a, _ in pairs), tuple(b for _, b in pairs)
    return Entry(group, what, _tone(old, new), words(old, lang), words(new, lang), note=note, change=change)


def _tone(old: Any, new: Any) -> str:
    if _absent(old):
        return "added"
    if _absent(new):
        return "removed"
    return "changed"


def _absent(value: Any) -> bool:
    return value is None or value == ()


def _what(change: Change, lang: str) -> str:
    """The changed field, after the requirement it belongs to: "resultatkrav 1.1.b: måltal"."""
    names = [_step_name(s, lang) for s in change.path if not isinstance(s, Item)]
    requirement = any(isinstance(s, Item) and s.field == "requirements" for s in change.path)
    lead = i18n.diff_phrase("requirement", lang, ref=change.ref) if requirement else ""
    return ": ".join(x for x in (lead, " · ".join(names)) if x)


def _step_name(step: Field | At, lang: str) -> str:
    if isinstance(step, Field):
        return i18n.field_name(step.name, lang)
    if step.label:
        return i18n.field_name(step.label, lang) if step.label in i18n.FIELD_NAMES else step.label
    return f"{i18n.field_name(step.field, lang)} {step.index + 1}"


def _structural(change: Change, group: str, lang: str) -> Entry:
    node = change.new if change.new is not None else change.old
    level = {"sections": "section", "goals": "goal", "requirements": "requirement"}
    step = change.path[-1]
    key = level[step.field] if isinstance(step, Item) else "goal"
    what = i18n.diff_phrase(key, lang, ref=change.ref)
    title = _title(node) or change.title
    if title:
        what = f"{what} «{title}»"
    if change.kind.value.endswith("-added"):
        return Entry(group, what, "added", after=i18n.diff_phrase("added", lang), details=_summary(node, lang),
                     change=change)  # fmt: skip
    if change.kind.value.endswith("-removed"):
        return Entry(group, what, "removed", before=i18n.diff_phrase("removed", lang), details=_summary(node, lang),
                     change=change)  # fmt: skip
    if change.kind.value.endswith("-renumbered"):
        said = i18n.diff_phrase("renumbered", lang, old=change.old_ref)
        if change.old_container != change.container:
            said += ", " + i18n.diff_phrase("moved_from", lang, old=_container_words(change, lang))
    elif change.old_container != change.container:
        said = i18n.diff_phrase("moved_from", lang, old=_container_words(change, lang))
    else:
        said = i18n.diff_phrase("moved", lang)
    note = None
    if change.matched is Matched.SIMILARITY and change.similarity is not None:
        note = i18n.diff_phrase("paired", lang, percent=i18n.format_percent(change.similarity * 100, lang))
    return Entry(group, what, "changed", after=said, note=note, change=change)


def _container_words(change: Change, lang: str) -> str:
    section = next((s for s in change.old_container if isinstance(s, Item) and s.field == "sections"), None)
    return i18n.diff_phrase("section", lang, ref=section.key) if section else i18n.diff_phrase("plan", lang)


def _title(node: Any) -> str:
    match node:
        case A.Goal(area=area):
            return area
        case A.GoalSection(title=title):
            return title
        case A.Requirement():
            return requirement_title(node)
    return ""


def _summary(node: Any, lang: str) -> tuple[str, ...]:
    """What an added or removed goal or requirement weighed and aimed at."""
    out: list[str] = []
    weight = getattr(node, "weight", None)
    if isinstance(weight, A.Weight):
        out.append(f"{i18n.field_name('weight', lang)}: {i18n.format_weight(weight, lang)}")
    for target in getattr(node, "targets", ()):
        out.append(f"{i18n.field_name('targets', lang)}: {i18n.describe_target(target, lang)}")
    for deadline in getattr(node, "deadlines", ()):
        out.append(f"{i18n.field_name('deadlines', lang)}: {i18n.format_deadline(deadline, lang)}")
    return tuple(out)


# ---- values in words


def _is_text(old: Any, new: Any) -> bool:
    return all(isinstance(v, A.Prose | str) or v is None for v in (old, new)) and not (old is None and new is None)


def _plain(value: Any) -> str:
    if isinstance(value, A.Prose):
        return value.plain()
    return value or ""


def _has_deadline(value: Any) -> bool:
    if isinstance(value, A.Deadline):
        return value.year is not None
    if isinstance(value, tuple):
        return any(_has_deadline(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_has_deadline(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "span")
    return False


def words(value: Any, lang: str = "da") -> str:
    """Any plan value in words; a node type without a phrasing reads field by field."""
    match value:
        case None:
            return i18n.diff_phrase("none_value", lang)
        case bool():
            return i18n.diff_phrase("yes" if value else "no", lang)
        case str():
            return value
        case int():
            return str(value)
        case Decimal():
            return i18n.format_number(value, lang)
        case date():
            return i18n.format_date(value, lang)
        case enum.Enum():
            return str(value.value)
        case tuple():
            return "; ".join(words(v, lang) for v in value) if value else i18n.diff_phrase("none_value", lang)
        case A.Prose():
            return value.plain()
        case A.Weight():
            return i18n.format_weight(value, lang)
        case A.Deadline():
            return i18n.format_deadline(value, lang)
        case A.Period(start=start, end=end):
            return f"{i18n.format_date(start, lang)} – {i18n.format_date(end, lang)}"
        case A.Scope(text=text, within=within):
            return text if within is None else f"{text} {'i' if lang == 'da' else 'in'} {words(within, lang)}"
        case A.Scoring():
            return i18n.describe_scoring(value, lang)
        case A.Dropped(reason=reason, on=on):
            return reason if on is None else f"{reason} ({words(on, lang)})"
        case A.Quantity():
            return i18n.format_quantity(value, lang)
        case A.Step():
            return i18n.describe_step(value, lang)
        case A.Signatory(name=name, title=title):
            return f"{name} ({title})" if title else name
        case A.BudgetRow(name=name, cells=cells):
            return f"«{name}»: {words(cells, lang)}"
        case A.BudgetCell(value=amount):
            return "-" if amount is None else i18n.format_number(amount, lang)
        case A.BudgetColumn(kind=kind, year=year):
            return f"{kind} {year}"
        case A.Amendment(title=title, date=when):
            name = title or i18n.phrase("amendment", lang)
            return name if when is None else f"{name} ({i18n.format_date(when, lang)})"
        case A.WeightEntry(ref=ref, weight=weight):
            return f"{ref}: {i18n.format_weight(weight, lang)}"
    if isinstance(value, _TARGETS):
        return i18n.describe_target(value, lang)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields_in_words(value, lang)
    return str(value)


_TARGETS = (
    A.ShareTarget,
    A.TimeTarget,
    A.CountTarget,
    A.ChangeTarget,
    A.LevelTarget,
    A.MilestoneTarget,
    A.AssessmentTarget,
    A.StatusTarget,
)


def _fields_in_words(node: Any, lang: str) -> str:
    parts = []
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if f.name == "span" or value is None or value == ():
            continue
        parts.append(f"{i18n.field_name(f.name, lang)}: {words(value, lang)}")
    return ", ".join(parts)


# ---- budget rows


def _row_changes(old: tuple[A.BudgetRow, ...], new: tuple[A.BudgetRow, ...], lang: str) -> list[str]:
    """One line per row that changed, rows paired by their core-task number (then name)."""

    def key(row: A.BudgetRow) -> object:
        return row.number if row.number is not None else row.name

    before = {key(r): r for r in old or ()}
    after = {key(r): r for r in new or ()}
    out = []
    for k in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(k), after.get(k)
        if a == b:
            continue
        row = b or a
        assert row is not None
        name = f"{i18n.diff_phrase('row', lang, n=row.number)} «{row.name}»"
        if a is None or b is None:
            said = i18n.diff_phrase("row_added" if a is None else "row_removed", lang)
            out.append(f"{name}: {said}: {words(row.cells, lang)}")
            continue
        if a.name != b.name:
            out.append(f"{name}: «{a.name}» → «{b.name}»")
        if a.cells != b.cells:
            out.append(f"{name}: {words(a.cells, lang)} → {words(b.cells, lang)}")
    return out
