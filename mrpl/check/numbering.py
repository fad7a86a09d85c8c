"""MRP2xx: numbers are unique and in order, and every reference resolves.

Measurement methods in annexes name the goal they measure ("1.4", "2.2.a")
and usually carry the goal's area as a title. A method whose title is another
goal's area is the SIRI 2020 mistake (the annex says 1.5 for the plan's 1.4):
the fix suggests that goal, with a replacement for an editor's code action.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TypeVar

from mrpl import ast as A
from mrpl.check.context import Context
from mrpl.diagnostics import Related

T = TypeVar("T")

_SIMILAR = 0.75  # SequenceMatcher ratio for "the title names this area"


def check_numbering(ctx: Context) -> None:
    _check_goal_numbers(ctx)
    running = ctx.header is not None and ctx.header.running_numbers
    for goal in ctx.goals:
        _check_requirement_labels(ctx, goal, running)
    if running:
        _check_running_labels(ctx)
    _check_sections(ctx)
    _check_written_goal_numbers(ctx)
    for method in ctx.annex_methods:
        if method.ref is not None:
            _check_method_ref(ctx, method)
    if ctx.plan.weights is not None:
        for entry in ctx.plan.weights.entries:
            _check_weight_entry(ctx, entry)
    _check_footnotes(ctx)


# ---- goals and requirements


def _repeats(items: Iterable[T], key: Callable[[T], Hashable]) -> Iterator[tuple[T, T]]:
    """Each item whose key an earlier item already has, with that first item."""
    seen: dict[Hashable, T] = {}
    for item in items:
        first = seen.setdefault(key(item), item)
        if first is not item:
            yield item, first


def _first_defined(first: A.Goal | A.GoalSection | A.Footnote) -> tuple[Related, ...]:
    return (Related(first.span, "first defined here"),)


def _check_goal_numbers(ctx: Context) -> None:
    for goal, first in _repeats(ctx.goals, lambda g: g.number):
        ctx.report("MRP201", f"there are two goals {goal.number}", goal.span, related=_first_defined(first))


def _check_requirement_labels(ctx: Context, goal: A.Goal, running: bool) -> None:
    seen: dict[str | None, A.Requirement] = {}
    previous: str | None = None
    for req in goal.requirements:
        if running and req.label is not None and req.label.isdigit():
            continue  # numbered across the plan: _check_running_labels
        if req.label is not None and "." in req.label:
            _check_full_label(ctx, goal, req, seen)
            continue
        first = seen.setdefault(req.label, req)
        if first is not req:
            what = f"requirement {A.requirement_id(goal, req)}" if req.label else "unlabelled requirement"
            ctx.report(
                "MRP202",
                f"goal {goal.number} has a second {what}",
                req.span,
                related=(Related(first.span, "first defined here"),),
            )
            continue
        if req.label is None:
            continue
        expected = _next_label(previous)
        if req.label != expected and not (previous is None and req.label == "1"):
            ctx.report(
                "MRP205",
                f"requirement {A.requirement_id(goal, req)} follows "
                + (f"{A.requirement_id(goal, seen[previous])}" if previous else "nothing")
                + f"; expected {goal.number}.{expected}",
                req.span,
            )
        previous = req.label


def _check_full_label(ctx: Context, goal: A.Goal, req: A.Requirement, seen: dict[str | None, A.Requirement]) -> None:
    """A label written in full ("3.1") starts with its goal's number and counts 1, 2, 3."""
    assert req.label is not None
    count = sum(1 for r in seen.values() if r.label is not None and not r.qualified)
    expected = f"{goal.number}.{count + 1}"
    seen.setdefault(req.label, req)
    if req.label != expected:
        ctx.report(
            "MRP205",
            f"requirement {req.label} is goal {goal.number}'s requirement number {count + 1}; expected {expected}",
            req.span,
            fix=f"number it {expected}",
        )


def _check_running_labels(ctx: Context) -> None:
    """`kravnummerering fortløbende`: numbered requirements count 1, 2, 3 across the plan,
    and no requirement has a goal's id."""
    previous: int | None = None
    first_of: dict[str, A.Requirement] = {}
    for goal in ctx.goals:
        for req in goal.requirements:
            if req.label is None or not req.label.isdigit():
                continue
            first = first_of.setdefault(req.label, req)
            if first is not req:
                ctx.report("MRP202", f"there are two requirements {req.label} (requirements are numbered across the plan)",
                           req.span, related=(Related(first.span, "first defined here"),))  # fmt: skip
                continue
            if req.label in ctx.goal_by_number:
                other = ctx.goal_by_number[req.label]
                ctx.report("MRP202", f"requirement {req.label} has the same id as goal {other.number}", req.span,
                           related=(Related(other.span, f"goal {other.number}"),))  # fmt: skip
            number = int(req.label)
            expected = 1 if previous is None else previous + 1
            if number != expected:
                after = f"follows requirement {previous}" if previous is not None else "is the plan's first requirement"
                ctx.report("MRP205", f"requirement {req.label} {after}; expected {expected}", req.span)
            previous = number


def _written_family(number: str) -> tuple[str, int] | None:
    """ "3" → ("", 3); "S2" → ("S", 2); "C" → ("letters", 3). None for dotted ids."""
    if "." in number:
        return None
    if number.isdigit():
        return "", int(number)
    if len(number) == 1:
        return "letters", ord(number) - ord("A") + 1
    if number[1:].isdigit():
        return number[0], int(number[1:])
    return None


def _written_id(family: str, n: int) -> str:
    return chr(ord("A") + n - 1) if family == "letters" else f"{family}{n}"


def _check_written_goal_numbers(ctx: Context) -> None:
    """Goals numbered as the plan writes them ("Mål 3", "Mål A", "S2") count 1, 2, 3 (or A, B, C)
    across the whole plan, each family on its own."""
    previous: dict[str, int] = {}
    for goal in ctx.goals:
        family = _written_family(goal.number)
        if family is None:
            continue
        name, n = family
        before = previous.get(name)
        expected = 1 if before is None else before + 1
        if n != expected and (before is None or n != before):  # a repeat is MRP201
            after = f"follows goal {_written_id(name, before)}" if before is not None else "is the first such goal"
            ctx.report("MRP203", f"goal {goal.number} {after}; expected {_written_id(name, expected)}", goal.span)
        previous[name] = n


def _next_label(previous: str | None) -> str:
    """a → b, 1 → 2; a goal's first label is `a` (or `1`, accepted by the caller)."""
    if previous is None:
        return "a"
    if previous.isdigit():
        return str(int(previous) + 1)
    return chr(ord(previous) + 1)


def _check_sections(ctx: Context) -> None:
    for section, first in _repeats(ctx.plan.sections, lambda s: s.number):
        ctx.report("MRP212", f"there are two sections {section.number}", section.span, related=_first_defined(first))
    for section in ctx.plan.sections:
        _check_goal_order(ctx, section)


def _check_goal_order(ctx: Context, section: A.GoalSection) -> None:
    prefix = str(section.number)
    previous: int | None = None
    for goal in section.goals:
        parts = goal.number.split(".")
        if len(parts) == 1:
            continue  # numbered across the plan: _check_written_goal_numbers
        if parts[0] != prefix:
            ctx.report(
                "MRP204",
                f"goal {goal.number} is in section {prefix}, whose goals are numbered {prefix}.x",
                goal.span,
            )
            continue
        if len(parts) != 2 or not parts[1].isdigit():
            continue
        number = int(parts[1])
        expected = 1 if previous is None else previous + 1
        if number != expected:
            after = f"follows {prefix}.{previous}" if previous is not None else "is the section's first goal"
            ctx.report(
                "MRP203",
                f"goal {goal.number} {after}; expected {prefix}.{expected}",
                goal.span,
            )
        previous = number


# ---- references


def _similar(title: str, area: str) -> bool:
    a, b = title.casefold().strip(), area.casefold().strip()
    if len(a) < 4 or len(b) < 4:
        return a == b and bool(a)
    if a in b or b in a:
        return True
    import difflib  # only for a title that is not plainly its area: not at start-up

    return difflib.SequenceMatcher(None, a, b).ratio() >= _SIMILAR


def _goal_named(ctx: Context, title: str, other_than: A.Goal | None = None) -> A.Goal | None:
    """The goal whose area the title names. Runs only when a reference looks wrong."""
    return next((g for g in ctx.goals if g is not other_than and _similar(title, g.area)), None)


def _ref_span(ctx: Context, method: A.Method, ref: str) -> A.Span:
    """The span of the goal number right after `opgørelsesmetode`."""
    return ctx.narrow(method.span, ref, first_line_only=True)


def _retarget(ref: str, goal: A.Goal, old_goal_number: str | None) -> str:
    """The ref pointing at `goal`, keeping a requirement label ("1.5.a" → "1.4.a")."""
    if old_goal_number is not None and ref.startswith(old_goal_number + "."):
        return goal.number + ref[len(old_goal_number) :]
    return goal.number


def _check_method_ref(ctx: Context, method: A.Method) -> None:
    ref = method.ref
    assert ref is not None
    target = ctx.goal_by_number.get(ref)
    if target is None and ref in ctx.requirement_by_id:
        target = ctx.requirement_by_id[ref][0]
    span = _ref_span(ctx, method, ref)
    if target is None:
        _report_unknown_method_ref(ctx, method, ref, span)
        return
    if not method.title or _similar(method.title, target.area):
        return
    named = _goal_named(ctx, method.title, other_than=target)
    if named is None:
        return
    replacement = _retarget(ref, named, target.number)
    ctx.report(
        "MRP207",
        f"the method for {ref} is titled {method.title!r}, which is goal {named.number}'s area; "
        f"goal {target.number} is {target.area!r}",
        span,
        related=(Related(named.span, f"goal {named.number} {named.area!r}"),),
        fix=f"did you mean {replacement}?",
        replacement=replacement if span is not method.span else None,
    )


def _report_unknown_method_ref(ctx: Context, method: A.Method, ref: str, span: A.Span) -> None:
    suggestion: str | None = None
    named = _goal_named(ctx, method.title) if method.title else None
    if named is not None:
        suggestion = named.number
    else:
        import difflib  # only when a name is unknown: not at start-up

        close = difflib.get_close_matches(ref, [*ctx.goal_by_number, *ctx.requirement_by_id], n=1, cutoff=0.6)
        suggestion = close[0] if close else None
    ctx.report(
        "MRP206",
        f"the measurement method refers to {ref}, but the plan has no goal or requirement {ref}",
        span,
        fix=f"did you mean {suggestion}?" if suggestion else None,
        replacement=suggestion if suggestion and span is not method.span else None,
    )


def _check_weight_entry(ctx: Context, entry: A.WeightEntry) -> None:
    if ctx.resolves(entry.ref):
        return
    import difflib  # only when a name is unknown: not at start-up

    close = difflib.get_close_matches(entry.ref, [*ctx.goal_by_number, *ctx.requirement_by_id], n=1, cutoff=0.6)
    span = entry.span
    if span.end - span.start >= len(entry.ref):  # the entry starts with its ref
        span = A.Span(span.start, span.start + len(entry.ref), span.line, span.column, span.line,
                      span.column + len(entry.ref), span.file)  # fmt: skip
    ctx.report(
        "MRP208",
        f"the weight table names {entry.ref}, but the plan has no goal or requirement {entry.ref}",
        span,
        fix=f"did you mean {close[0]}?" if close else None,
        replacement=close[0] if close else None,
    )


def _check_footnotes(ctx: Context) -> None:
    defined: dict[str, A.Footnote] = {}
    for note in ctx.plan.footnotes:
        defined.setdefault(note.label, note)  # the first of each label wins
    for note, first in _repeats(ctx.plan.footnotes, lambda n: n.label):
        ctx.report("MRP210", f"there are two footnotes {note.label}", note.span, related=_first_defined(first))
    used: set[str] = set()
    for ref in ctx.footnote_refs:
        used.add(ref.label)
        if ref.label not in defined:
            ctx.report("MRP209", f"there is no footnote {ref.label}", ctx.narrow(ref.span, f"[^{ref.label}]"),
                       fix=f'add `fodnote {ref.label} "..."`')  # fmt: skip
    pay = ctx.plan.pay
    if pay is not None and pay.footnote is not None:
        used.add(pay.footnote)
        if pay.footnote not in defined:
            ctx.report("MRP209", f"`resultatløn` names footnote {pay.footnote}, which does not exist",
                       pay.span)  # fmt: skip
    for label, note in defined.items():
        if label not in used:
            ctx.report("MRP211", f"footnote {label} is never referred to", note.span,
                       fix=f"refer to it with [^{label}] in a text, or remove it")  # fmt: skip
