"""MRP6xx: nothing is missing and nothing is left to fill in."""

from __future__ import annotations

import re
from collections.abc import Iterable

from mrpl import ast as A
from mrpl.check.context import Context, TextNode, counted
from mrpl.scanners import compile_ahead

# Placeholders as they appear in draft plans. Matched on every text and name of the plan.
_PLACEHOLDER_ANY_CASE = compile_ahead(
    r"\[\s*\]"  # []
    r"|\[\s*(?:\.\.\.|…)\s*\]"  # [...]
    r"|\[[^\]\n]*?(?:indsæt|udfyld|todo|tbd)[^\]\n]*\]",  # [DEP INDSÆTTER ...], [udfyldes af departementet]
    re.IGNORECASE,
)
_PLACEHOLDER_EXACT = compile_ahead(
    r"\[[A-ZÆØÅ][A-ZÆØÅ0-9 .,:/-]{2,}\]"  # an all-capitals bracket: [BELØB]
    r"|\bX{2,}\b|\bTODO\b|\bTBD\b"
)

_MAYBE = compile_ahead(r"\[|XX|TODO|TBD", re.IGNORECASE)


def find_placeholders(text: str) -> list[str]:
    """The placeholders in `text`, as written, in order (a match inside another counts once)."""
    if not _MAYBE.search(text):  # most texts: one cheap scan instead of two regexes
        return []
    matches = sorted([*_PLACEHOLDER_ANY_CASE.finditer(text), *_PLACEHOLDER_EXACT.finditer(text)],
                     key=lambda m: (m.start(), -m.end()))  # fmt: skip
    found: list[str] = []
    covered = -1
    for m in matches:
        if m.start() >= covered:
            found.append(m.group(0))
            covered = m.end()
    return found


def check_completeness(ctx: Context) -> None:
    _check_placeholders(ctx)
    _check_standard_texts(ctx)
    _check_methods(ctx)
    for section in ctx.plan.sections:
        if not section.goals:
            ctx.report("MRP603", f"section {section.number} {section.title!r} has no goals", section.span)
    for goal in ctx.goals:
        _check_goal(ctx, goal)
    if ctx.header is not None:
        _check_header(ctx, ctx.header)
        for goal in ctx.plan.goals:
            ctx.report(
                "MRP608",
                f"goal {goal.number} stands outside every section",
                goal.span,
                fix="move it (or its `importer`) into an `afsnit`",
            )


_STANDARD_TEXT_NAMES = {
    A.StandardTextKind.INTRODUCTION: "indledning", A.StandardTextKind.FOLLOW_UP: "opfølgning",
    A.StandardTextKind.RENEGOTIATION: "genforhandling", A.StandardTextKind.PERIOD: "periode",
}  # fmt: skip


def _check_standard_texts(ctx: Context) -> None:
    """Each standard text once, and the header facts it states present (MRP606 covers
    a header without `styrelse` or `periode`)."""
    seen: set[A.StandardTextKind] = set()
    for use in ctx.plan.standard_texts:
        name = _STANDARD_TEXT_NAMES[use.kind]
        if use.kind in seen:
            ctx.report("MRP622", f"`standardtekst {name}` is given twice; it is printed once", use.span,
                       fix="delete this line")  # fmt: skip
            continue
        seen.add(use.kind)
        header = ctx.header
        if header is None and use.kind in (A.StandardTextKind.INTRODUCTION, A.StandardTextKind.PERIOD):
            ctx.report("MRP621", f"`standardtekst {name}` states facts from the plan header, and there is none",
                       use.span, fix="add a `plan { ... }` header, or write the text out")  # fmt: skip
        elif (
            header is not None
            and use.kind is A.StandardTextKind.INTRODUCTION
            and not (header.department or header.ministry)
        ):
            ctx.report("MRP621", "`standardtekst indledning` names the parties, and the header names no department",
                       use.span, fix='add `ministerium "..."` (or `departement "..."`) to the header')  # fmt: skip


def _check_placeholders(ctx: Context) -> None:
    for node in _maybe_with_placeholders(ctx.texts):
        for found in find_placeholders(node.value):
            ctx.report(
                "MRP602",
                f"placeholder text left in the plan: {found!r}",
                ctx.narrow(node.span, found),
                fix="fill it in before the plan is signed",
            )


def _maybe_with_placeholders(texts: tuple[TextNode, ...]) -> Iterable[TextNode]:
    """The texts `find_placeholders` must look at. Most plans have no candidate at all, and
    str.find over all texts at once says so ~8x as fast as `_MAYBE` over each: its matches are
    a "[" or, in any case, "xx", "todo" or "tbd", which lowercase to just those letters."""
    joined = "\0".join([node.value for node in texts])
    if "[" in joined:
        return texts
    folded = joined.lower()
    return texts if any(word in folded for word in ("xx", "todo", "tbd")) else ()


def _check_methods(ctx: Context) -> None:
    """Every scored requirement has a method: its own, its goal's, or an annex method naming either."""
    annexed = {m.ref for m in ctx.annex_methods if m.ref is not None}
    for goal in ctx.goals:
        goal_has = bool(goal.methods) or goal.number in annexed
        for req in goal.requirements:
            if not counted(req) or goal_has or req.methods:
                continue
            rid = A.requirement_id(goal, req)
            if rid not in annexed:
                ctx.report(
                    "MRP601",
                    f"requirement {rid} has no measurement method",
                    req.span,
                    fix=f"add `opgørelsesmetode {{ ... }}` to it, or `opgørelsesmetode {rid} {{ ... }}` in an annex",
                )


def _check_goal(ctx: Context, goal: A.Goal) -> None:
    if not goal.requirements:
        ctx.report("MRP604", f"goal {goal.number} has no requirements", goal.span,
                   fix="add a `resultatkrav { ... }` with what is measured")  # fmt: skip
    lacks = [
        what for what, absent in (("an area", not goal.area.strip()), ("a goal text", _empty(goal.text))) if absent
    ]
    if lacks:
        ctx.report("MRP605", f"goal {goal.number} has no {' and no '.join(w.split(' ', 1)[1] for w in lacks)}",
                   goal.span,
                   fix=f'write the area after the number (`mål {goal.number} "Område"`) and a `tekst "..."`')  # fmt: skip


def _empty(prose: A.Prose | None) -> bool:
    return prose is None or not prose.plain().strip()


def _check_header(ctx: Context, header: A.Header) -> None:
    missing = [w for w, v in (("the agency (`styrelse`)", header.agency), ("the period (`periode`)", header.period))
               if not v]  # fmt: skip
    if missing:
        ctx.report("MRP606", f"the plan header does not name {' or '.join(missing)}", header.span)
    unsigned = [w for w, v in (("director (`direktør`)", header.director),
                               ("department head (`departementschef`)", header.head)) if v is None]  # fmt: skip
    if unsigned:
        ctx.report("MRP607", f"the plan header has no {' and no '.join(unsigned)}", header.span)
