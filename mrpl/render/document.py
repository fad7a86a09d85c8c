"""The document a plan becomes, independent of the output format.

`build_document(plan, lang)` decides numbering, headings, default texts,
table rows and the annex; numbers and dates are formatted through
`mrpl.i18n`. Strings here are plain text and `Prose` stays `Prose`: each
backend escapes and marks them up for its own syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from mrpl import ast as A
from mrpl.i18n import (
    describe_pay_amount,
    describe_pay_linear,
    describe_step,
    describe_target,
    format_date,
    format_deadline,
    format_kroner,
    format_number,
    format_points,
    format_weight,
    join_words,
    phrase,
)
from mrpl.textdates import deadlines_named

Text = str | A.Prose


@dataclass(frozen=True, slots=True)
class Heading:
    number: str  # "2.1" or "" for an unnumbered heading
    title: str
    footnote: str | None = None  # label of a plan footnote on the heading


@dataclass(frozen=True, slots=True)
class Table:
    """A simple table: a header row, body rows; `strong` marks total rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    strong: tuple[bool, ...] = ()
    sub_header: tuple[str, ...] = ()
    align: str = ""  # one letter per column: l or r


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of a section: a subheading, prose, a table, or a labelled line."""

    kind: str  # "heading" | "subheading" | "prose" | "table" | "field" | "signature"
    heading: Heading | None = None
    prose: A.Prose | None = None
    table: Table | None = None
    label: str = ""
    value: str = ""
    lines: tuple[str, ...] = ()
    depth: int = 0  # headings: levels below where the section puts them (under an annex group heading)


@dataclass(frozen=True, slots=True)
class GoalRow:
    """One row of a goal table: a requirement (or the preamble / postscript)."""

    first: bool  # the goal's number, area and text go in its first row
    span: int  # rows of this goal (for multirow layouts)
    number: str
    area: str
    goal_text: A.Prose | None
    label: str  # "a)", "1.", "1. kvartal:" or ""
    text: A.Prose | None
    notes: tuple[str, ...]
    weight: str
    extra: tuple[str, ...] = ()  # cells of the table's extra columns (type, deadline)


@dataclass(frozen=True, slots=True)
class GoalTable:
    """A goal table. `level` 1 is a core task's table inside its section: an
    unnumbered heading, the core task's objectives in `before`, then its goals."""

    heading: Heading
    intro: A.Prose | None
    caption: str | None
    rows: tuple[GoalRow, ...]
    goal_numbers: tuple[str, ...]
    extra: tuple[str, ...] = ()  # captions of the extra columns, between requirements and weight
    level: int = 0
    before: tuple[Block, ...] = ()
    weights: bool = True  # a Vægt column: not when the weights stand only in a weights table


@dataclass(frozen=True, slots=True)
class Section:
    heading: Heading
    blocks: tuple[Block, ...] = ()
    tables: tuple[GoalTable, ...] = ()
    after: tuple[Block, ...] = ()  # blocks after the goal tables


@dataclass(frozen=True, slots=True)
class Document:
    lang: str
    ministry: str
    title: str
    agency: str
    sections: tuple[Section, ...]
    annex: Section | None
    footnotes: tuple[A.Footnote, ...] = field(default=())
    text_lang: str = "da"  # the language the plan's own text is written in (hyphenation, PDF tags)
    date: date | None = None  # the plan's date: its last signature, else the start of its period
    author: str = ""  # who issues the document: the department, else the ministry
    compact: bool = False  # a short document (an allonge): no title page and no contents

    def footnote(self, label: str) -> A.Prose | None:
        return next((f.text for f in self.footnotes if f.label == label), None)


@dataclass(frozen=True, slots=True)
class Run:
    """A block of a section, or consecutive signatures gathered to be laid out side by side."""

    kind: str  # a Block kind, or "signatures"
    block: Block | None = None
    signatures: tuple[tuple[str, ...], ...] = ()


def runs(blocks: tuple[Block, ...]) -> list[Run]:
    """The blocks with each run of signatures as one item: signatures stay together on a page."""
    out: list[Run] = []
    for block in blocks:
        if block.kind != "signature":
            out.append(Run(block.kind, block))
        elif out and out[-1].kind == "signatures":
            out[-1] = Run("signatures", signatures=(*out[-1].signatures, block.lines))
        else:
            out.append(Run("signatures", signatures=(block.lines,)))
    return out


# --------------------------------------------------------------------------


def plan_year(plan: A.Plan) -> int | None:
    header = plan.header or A.Header()
    if header.year is not None:
        return header.year
    return header.period.start.year if header.period else None


def _prose(text: str) -> A.Prose:
    """A generated sentence as one plain paragraph: the plan's names in it are not markup."""
    return A.Prose((A.Paragraph((A.Text(text),)),))


def _department(header: A.Header, lang: str) -> str | None:
    """The department as the parties sentence names it: `departement`, else "<ministry>s
    departement"; None when the plan names neither."""
    if header.department:
        return header.department
    if not header.ministry:
        return None
    if lang == "en":
        return f"the department of {header.ministry}"
    genitive = header.ministry if header.ministry.endswith("s") else header.ministry + "s"
    return f"{genitive} {phrase('department_of', lang)}"


def build_document(plan: A.Plan, lang: str = "da") -> Document:
    header = plan.header or A.Header()
    year = plan_year(plan)
    title = header.title or " ".join(str(p) for p in (phrase("plan_title", lang), year) if p)
    numbers = iter(range(1, 100))
    weights = plan.weights if plan.weights is not None and plan.weights.after != "annex" else None
    sections: list[Section] = []

    def part(name: str, build: Callable[[int], Section] | None) -> None:
        """A numbered part of the body, then the weights table where the plan writes it."""
        if build is not None:
            sections.append(build(next(numbers)))
        if weights is not None and weights.after == name:
            sections.append(_weights_section(plan, weights, lang, next(numbers)))

    # Introduction and follow-up only where the plan writes them or asks for the standard text.
    introduced = plan.introduction is not None or plan.uses_standard_text(A.StandardTextKind.INTRODUCTION)
    part("introduction", (lambda n: _introduction(plan, header, lang, n)) if introduced else None)
    strategy = plan.strategy
    part("strategy", (lambda n: _strategy(strategy, lang, n)) if strategy and strategy.parts else None)
    part("goals", (lambda n: _goals(plan, lang, n)) if plan.sections or plan.goals_intro else None)
    followed = plan.follow_up is not None or plan.uses_standard_text(A.StandardTextKind.FOLLOW_UP)
    part("follow_up", (lambda n: _follow_up(plan, lang, n)) if followed else None)
    pay = plan.pay
    part("pay", (lambda n: _pay(plan, pay, lang, n)) if pay is not None else None)
    period = _period_blocks(plan, header, year, lang)
    if period:
        sections.append(Section(_top(next(numbers), phrase("period", lang)), period))
    if weights is not None and weights.after == "signatures":
        sections.append(_weights_section(plan, weights, lang, None))
    if plan.amendments:  # a consolidated plan: what changed, when, why, who signed
        from mrpl.render.allonge import amendment_log

        log = amendment_log(plan, lang, next(numbers))
        if log is not None:
            sections.append(log)
    return Document(
        lang=lang,
        ministry=header.ministry or "",
        title=title,
        agency=header.agency or "",
        sections=tuple(sections),
        annex=build_annex(plan, lang),
        footnotes=plan.footnotes,
        text_lang=text_language(plan),
        date=plan_date(header),
        author=header.department or header.ministry or header.agency or "",
    )


def plan_date(header: A.Header) -> date | None:
    """The date a plan carries: the last signature's, else its period's first day."""
    signed = [s.signed_on for s in (header.director, header.head) if s is not None and s.signed_on is not None]
    if signed:
        return max(signed)
    if header.period is not None:
        return header.period.start
    return date(header.year, 1, 1) if header.year is not None else None


_WORDS = re.compile(r"[^\W\d_]+")
# The commonest function words of each language: a plan's text is Danish unless English ones dominate.
_DANISH_WORDS = frozenset({"og", "i", "at", "er", "en", "et", "den", "det", "de", "til", "af", "for", "med", "på"})
_ENGLISH_WORDS = frozenset({"the", "and", "of", "to", "in", "is", "a", "for", "with", "on", "that", "be", "by"})


def text_language(plan: A.Plan) -> str:
    """The language the plan's own text is written in ("da" or "en"), whatever its keywords:
    a plan written in Danish stays hyphenated and tagged as Danish in an English build."""
    header = plan.header or A.Header()
    texts = [header.title or "", *(g.area for g in plan.all_goals())]
    texts += [g.text.plain() for g in plan.all_goals() if g.text is not None]
    texts += [r.text.plain() for g in plan.all_goals() for r in g.requirements if r.text is not None]
    words = [w.lower() for t in texts for w in _WORDS.findall(t)]
    danish = sum(w in _DANISH_WORDS for w in words)
    english = sum(w in _ENGLISH_WORDS for w in words)
    return "en" if english > danish else "da"


def _top(number: int, title: str, footnote: str | None = None) -> Heading:
    return Heading(f"{number}.0", title, footnote)


def _introduction(plan: A.Plan, header: A.Header, lang: str, number: int) -> Section:
    """The plan's own introduction; `standardtekst indledning` puts the standard sentences first."""
    heading = _top(number, phrase("introduction", lang))
    blocks = []
    if plan.uses_standard_text(A.StandardTextKind.INTRODUCTION):
        blocks.extend(Block("prose", prose=_prose(t)) for t in standard_introduction(header, lang))
    if plan.introduction is not None:
        blocks.append(Block("prose", prose=plan.introduction))
    return Section(heading, tuple(blocks))


def standard_introduction(header: A.Header, lang: str) -> list[str]:
    """The standard introduction: the parties, the director's contract (when there is a
    director) and Kodeks VII. A sentence whose facts the header lacks is left out, never
    printed with a gap (the checker reports the gap: MRP621)."""
    texts = []
    department, agency = _department(header, lang), header.agency
    if department and agency:
        if header.agency_short and header.agency_short != agency:
            agency = f"{agency} ({header.agency_short})"
        texts.append(phrase("parties", lang).format(department=department, agency=agency))
    if header.director is not None and header.director.name.strip():
        texts.append(phrase("director_contract", lang).format(name=header.director.name))
    texts.append(phrase("kodeks", lang))
    return texts


_STRATEGY_DEFAULTS = {
    A.StrategyKind.MISSION: "mission",
    A.StrategyKind.VISION: "vision",
    A.StrategyKind.VALUES: "values",
    A.StrategyKind.EFFECTS: "effects",
    A.StrategyKind.CONDITIONS: "conditions",
    A.StrategyKind.MARKER: "marker",
}


def _strategy(strategy: A.Strategy, lang: str, number: int) -> Section:
    blocks: list[Block] = []
    sub = 0
    for part in strategy.parts:
        if isinstance(part, A.CoreTasks):
            sub += 1
            blocks.append(
                Block("heading", heading=Heading(f"{number}.{sub}", part.title or phrase("core_tasks", lang)))
            )
            blocks.extend(_core_tasks(part, lang))
            continue
        if isinstance(part, A.StrategyGroup):
            sub += 1
            blocks.append(Block("heading", heading=Heading(f"{number}.{sub}", part.title)))
            blocks.extend(_labelled_parts(part.parts, lang))
            continue
        if part.title or part.kind is not A.StrategyKind.TEXT:
            sub += 1
            title = part.title or phrase(_STRATEGY_DEFAULTS[part.kind], lang)
            blocks.append(Block("heading", heading=Heading(f"{number}.{sub}", title)))
        blocks.append(Block("prose", prose=part.text))
    return Section(_top(number, phrase("strategy", lang)), tuple(blocks))


def _labelled_parts(parts: tuple[A.StrategyPart, ...], lang: str) -> list[Block]:
    """Parts under one heading: each under a subheading of its own title (a named
    pejlemærke) or its kind ("Mission"); an untitled text stands alone."""
    blocks: list[Block] = []
    for part in parts:
        if part.title or part.kind is not A.StrategyKind.TEXT:
            title = part.title or phrase(_STRATEGY_DEFAULTS[part.kind], lang)
            blocks.append(Block("subheading", heading=Heading("", title)))
        blocks.append(Block("prose", prose=part.text))
    return blocks


def core_task_title(task: A.CoreTask, lang: str) -> str:
    """ "Kerneopgave 1: Asylsager", or the title alone for a core task without a number."""
    if task.number is None:
        return task.title
    return f"{phrase('core_task', lang)} {task.number}: {task.title}"


def _core_tasks(tasks: A.CoreTasks, lang: str) -> list[Block]:
    blocks: list[Block] = []
    for item in tasks.items:
        match item:
            case A.Prose():
                blocks.append(Block("prose", prose=item))
            case A.Budget():
                blocks.extend(_budget(item, lang))
            case A.CoreTask(text=text):
                blocks.append(Block("subheading", heading=Heading("", core_task_title(item, lang))))
                if text is not None:
                    blocks.append(Block("prose", prose=text))
    return blocks


def _padded(cells: tuple[str, ...], width: int) -> tuple[str, ...]:
    return cells + ("",) * (width - len(cells))


def _budget(budget: A.Budget, lang: str) -> list[Block]:
    blocks: list[Block] = []
    for line in (budget.reference, budget.title):
        if line:
            blocks.append(Block("field", value=line))
    columns = budget.columns
    header = (budget.unit or "", *(c.kind for c in columns))
    sub_header = ("", *(str(c.year) for c in columns))

    def row(r: A.BudgetRow) -> tuple[str, ...]:
        name = r.name if r.number is None else f"{r.number}. {r.name}"
        return (name, *("-" if c.value is None else format_number(c.value, lang) for c in r.cells))

    rows = ([budget.total] if budget.total else []) + list(budget.rows)
    strong = tuple(r.number is None for r in rows)
    # A row with more or fewer amounts than the columns is an error (MRP503);
    # a `--force` build still gets a rectangular table: every row and the header as wide as the widest.
    cells = [row(r) for r in rows]
    width = max([len(header), *(len(c) for c in cells)])
    header, sub_header = _padded(header, width), _padded(sub_header, width)
    table = Table(header, tuple(_padded(c, width) for c in cells), strong, sub_header, "l" + "r" * (width - 1))
    blocks.append(Block("table", table=table))
    if budget.note is not None:
        blocks.append(Block("prose", prose=budget.note))
    return blocks


# --------------------------------------------------------------------------
# Goals


def requirement_label(req: A.Requirement) -> str:
    """ "a)" for letters, "1." for numbers, the `display` text when given."""
    if req.display:
        return req.display if req.display.endswith((":", ")", ".")) else req.display + ":"
    if req.label is None:
        return ""
    if "." in req.label:  # written in full: "3.1"
        return req.label
    return f"{req.label}." if req.label.isdigit() else f"{req.label})"


def _weight_text(weight: A.Weight | None, lang: str) -> str:
    if weight is None:
        return ""
    return format_number(weight.value, lang) + (" %" if weight.unit is A.WeightUnit.PERCENT else "")


@dataclass(frozen=True, slots=True)
class _Layout:
    """How a goal table shows a requirement's type and deadlines: as columns, else as lines."""

    columns: tuple[str, ...] = ()  # "type", "deadline"
    year: int | None = None


def _deadlines_text(req: A.Requirement, lang: str) -> str:
    return join_words([format_deadline(d, lang) for d in req.deadlines], lang)


def _deadline_said(goal: A.Goal, req: A.Requirement, year: int | None) -> bool:
    """Whether the document already says when the requirement is due: its text, its label,
    its goal's texts or a measurement method name each of its deadlines."""
    texts = [req.display or "", *(p.plain() for p in (req.text, goal.preamble, goal.text, goal.postscript) if p)]
    for method in (*req.methods, *goal.methods):
        texts += [p.plain() for p in (method.text, method.criteria) if p is not None]
        texts.append(method.frequency or "")
    named = deadlines_named(" ".join(texts))
    if year is None or not named:
        return bool(named)
    try:
        said = {n.end_date(year) for n in named}
        return all(d.end_date(year) in said for d in req.deadlines)
    except ValueError:
        return False


def _lines(goal: A.Goal, req: A.Requirement, layout: _Layout, lang: str) -> tuple[str, ...]:
    """The type and deadline lines of a requirement whose table has no column for them."""
    lines: list[str] = []
    if req.type and "type" not in layout.columns:
        lines.append(f"{phrase('col_type', lang)}: {req.type}")
    if req.deadlines and "deadline" not in layout.columns and not _deadline_said(goal, req, layout.year):
        lines.append(f"{phrase('deadline', lang)}: {_deadlines_text(req, lang)}")
    return tuple(lines)


def _extra_cells(goal: A.Goal, req: A.Requirement | None, layout: _Layout, lang: str) -> tuple[str, ...]:
    cells = {
        "type": (req.type if req is not None and req.type else None) or goal.type or "",
        "deadline": _deadlines_text(req, lang) if req is not None else "",
    }
    return tuple(cells[c] for c in layout.columns)


def _requirement_notes(req: A.Requirement, lang: str) -> tuple[str, ...]:
    notes: list[str] = []
    if req.dropped is not None:
        notes.append(f"{phrase('dropped', lang)}: {req.dropped.reason}")
    if not req.scored:
        notes.append(f"({phrase('unscored', lang)})")
    return tuple(notes)


def _goal_text(goal: A.Goal, layout: _Layout, lang: str) -> A.Prose | None:
    """The goal's text, with its type as a label below it when the table has no type column."""
    if not goal.type or "type" in layout.columns:
        return goal.text
    label = A.Paragraph((A.Emphasis((A.Text(f"{phrase('col_type', lang)}: {goal.type}"),)),))
    return A.Prose((*(goal.text.blocks if goal.text else ()), label))


def goal_rows(goal: A.Goal, lang: str, layout: _Layout | None = None) -> list[GoalRow]:
    """The rows of one goal: preamble, one per requirement, postscript.

    A goal-level weight goes in the first row; requirement weights on their
    own rows, so each requirement stands on its own weight level."""
    layout = layout or _Layout()
    Part = tuple[str, A.Prose | None, tuple[str, ...], str, tuple[str, ...]]
    blank = _extra_cells(goal, None, layout, lang)
    parts: list[Part] = []
    if goal.preamble is not None:
        parts.append(("", goal.preamble, (), "", blank))
    for req in goal.requirements:
        notes = _lines(goal, req, layout, lang) + _requirement_notes(req, lang)
        extra = _extra_cells(goal, req, layout, lang)
        parts.append((requirement_label(req), req.text, notes, _weight_text(req.weight, lang), extra))
    if goal.postscript is not None:
        parts.append(("", goal.postscript, (), "", blank))
    if not parts:
        parts.append(("", None, (), "", blank))
    if goal.weight is not None:
        label, text, notes, weight, extra = parts[0]
        parts[0] = (label, text, notes, weight or _weight_text(goal.weight, lang), extra)
    goal_text = _goal_text(goal, layout, lang)
    return [
        GoalRow(i == 0, len(parts), goal.number, goal.area, goal_text, label, text, notes, weight, extra)
        for i, (label, text, notes, weight, extra) in enumerate(parts)
    ]


_COLUMN_CAPTIONS = {"type": "col_type", "deadline": "deadline"}


def _goals(plan: A.Plan, lang: str, number: int) -> Section:
    blocks = [Block("prose", prose=plan.goals_intro)] if plan.goals_intro is not None else []
    tables: list[GoalTable] = []
    year = plan_year(plan)
    for index, section in enumerate(plan.sections, start=1):
        heading = Heading(f"{number}.{index}", section.title)
        unweighted = section.weighting is not None or (plan.header is not None and plan.header.weighting is not None)
        tables.extend(_section_tables(section, heading, year, lang, plan.weights is not None, unweighted))
    return Section(_top(number, phrase("goals", lang)), tuple(blocks), tuple(tables), tuple(_backgrounds(plan)))


def _background_title(goal: A.Goal) -> str:
    """ "1.3 Kvalitet i sagsbehandlingen": the goal's number before the background's own
    title (or the goal's area), unless the title already starts with it."""
    title = (goal.background.title if goal.background else None) or goal.area
    if title == goal.number or title.startswith((goal.number + " ", goal.number + ".")):
        return title
    return f"{goal.number} {title}"


def _section_tables(
    section: A.GoalSection,
    heading: Heading,
    year: int | None,
    lang: str,
    table_weights: bool = False,
    unweighted: bool = False,
) -> list[GoalTable]:
    """The section's table of its own goals, then one table per core task. An unweighted section
    (`vægtning ingen`, its own or the plan's) has no Vægt column."""
    layout = _Layout(section.columns, year)
    weighted = any(g.weight or any(r.weight for r in g.requirements) for g in section.goals) or not table_weights
    weighted = weighted and not unweighted
    extra = tuple(phrase(_COLUMN_CAPTIONS[c], lang) for c in section.columns)
    in_tasks = [g for t in section.core_tasks for g in t.goals]
    own = []
    for goal in section.goals:
        if goal in in_tasks:
            in_tasks.remove(goal)
        else:
            own.append(goal)

    def table(goals: list[A.Goal] | tuple[A.Goal, ...], **kw: object) -> GoalTable:
        rows = tuple(row for goal in goals for row in goal_rows(goal, lang, layout))
        numbers = tuple(g.number for g in goals)
        return GoalTable(rows=rows, goal_numbers=numbers, extra=extra, weights=weighted, **kw)  # type: ignore[arg-type]

    tables = [table(own, heading=heading, intro=section.intro, caption=section.table_title)]
    for task in section.core_tasks:
        before = tuple(_labelled_parts(task.parts, lang))
        heading = Heading("", core_task_title(task, lang))
        tables.append(table(task.goals, heading=heading, intro=task.text, caption=None, level=1, before=before))
    return tables


def _backgrounds(plan: A.Plan) -> list[Block]:
    blocks: list[Block] = []
    for section in plan.sections:
        if section.background_title:
            blocks.append(Block("heading", heading=Heading("", section.background_title)))
        if section.background is not None:
            blocks.append(Block("prose", prose=section.background))
        for goal in section.goals:
            if goal.background is None:
                continue
            blocks.append(Block("subheading", heading=Heading("", _background_title(goal))))
            blocks.append(Block("prose", prose=goal.background.text))
    return blocks


# --------------------------------------------------------------------------
# Follow-up, pay, period and signatures


def _follow_up(plan: A.Plan, lang: str, number: int) -> Section:
    """The plan's follow-up text; `standardtekst opfølgning` puts the standard paragraph first."""
    blocks = []
    if plan.uses_standard_text(A.StandardTextKind.FOLLOW_UP):
        blocks.append(Block("prose", prose=_prose(phrase("follow_up_default", lang))))
    if plan.follow_up is not None:
        blocks.append(Block("prose", prose=plan.follow_up))
    return Section(_top(number, phrase("follow_up", lang)), tuple(blocks))


def _pay(plan: A.Plan, pay: A.PerformancePay, lang: str, number: int) -> Section:
    footnote = pay.footnote if any(f.label == pay.footnote for f in plan.footnotes) else None
    blocks: list[Block] = []
    if pay.text is not None:
        blocks.append(Block("prose", prose=pay.text))
    if pay.schedule:
        rows = tuple(tuple(describe_step(s, lang).rsplit(": ", 1)) for s in pay.schedule)
        blocks.append(
            Block("table", table=Table((phrase("pay_schedule", lang), phrase("pay_share", lang)), rows, align="lr"))
        )
    blocks += _pay_amount_blocks(pay, lang)
    return Section(_top(number, phrase("pay", lang), footnote), tuple(blocks))


def _pay_amount_blocks(pay: A.PerformancePay, lang: str) -> list[Block]:
    """The pay in money as the plan states it: maximum, salary, cap, and a proportional rule."""
    blocks: list[Block] = []
    if pay.maximum is not None:
        blocks.append(Block("field", label=phrase("pay_maximum", lang), value=describe_pay_amount(pay.maximum, lang)))
    if pay.salary is not None:
        blocks.append(Block("field", label=phrase("pay_salary", lang), value=format_kroner(pay.salary, lang)))
    if pay.cap is not None:
        blocks.append(Block("field", label=phrase("pay_cap", lang), value=describe_pay_amount(pay.cap, lang)))
    if pay.floor is not None and pay.full is not None:
        rule = describe_pay_linear(pay.floor, pay.full, lang)
        blocks.append(Block("field", label=phrase("pay_rule", lang), value=rule))
    return blocks


def _period_blocks(plan: A.Plan, header: A.Header, year: int | None, lang: str) -> tuple[Block, ...]:
    """Validity, renegotiation, next negotiation and signatures: the standard sentences only
    where the plan asks for them (`standardtekst periode`, `standardtekst genforhandling`)."""
    blocks: list[Block] = []
    if header.period is not None and plan.uses_standard_text(A.StandardTextKind.PERIOD):
        text = phrase("validity", lang).format(
            start=format_date(header.period.start, lang), end=format_date(header.period.end, lang)
        )
        blocks.append(Block("prose", prose=_prose(text)))
    if plan.uses_standard_text(A.StandardTextKind.RENEGOTIATION):
        blocks.append(Block("prose", prose=_prose(phrase("renegotiation", lang))))
    if header.renegotiation is not None:
        blocks.append(Block("prose", prose=header.renegotiation))
    if header.next_negotiation:
        blocks.append(Block("prose", prose=_prose(_next_negotiation(header.next_negotiation, year, lang))))
    for signatory in (header.director, header.head):
        if signatory is not None:
            blocks.append(Block("signature", lines=signature_lines(signatory, header, lang)))
    return tuple(blocks)


def _next_negotiation(value: str, year: int | None, lang: str) -> str:
    """A full sentence ("... indledes i efteråret 2020.") stands as written;
    a bare time ("efteråret 2020") fills the standard sentence."""
    if value.rstrip().endswith(".") or year is None:
        return value
    return phrase("next_negotiation", lang).format(year=year + 1, when=value)


def signature_lines(s: A.Signatory, header: A.Header, lang: str) -> tuple[str, ...]:
    """Date line (may be empty), name, title, organisation."""
    # Danish: "København, den 20. november 2021" / "den ___ / 2021"; English has no word
    # before a date: "Copenhagen, 20 November 2021" / "Copenhagen, ________ 2021".
    the = phrase("the_date", lang) + " " if lang == "da" else ""
    if s.signed_on is not None:
        when = f"{the}{format_date(s.signed_on, lang)}"
    elif s.signed_year is not None:
        blank = "         / " if lang == "da" else "________ "
        when = f"{the}{blank}{s.signed_year}"  # a blank to sign on
    else:
        when = ""
    date_line = ", ".join(p for p in (s.place or "", when) if p)
    default_title = phrase("director_title" if s.role == "director" else "head_title", lang)
    default_org = header.agency if s.role == "director" else header.ministry
    return (date_line, s.name, s.title or default_title, s.organisation or default_org or "")


# --------------------------------------------------------------------------
# Annex: measurement methods, sub-weights, weights summary


@dataclass(frozen=True, slots=True)
class _Target:
    goal: A.Goal
    requirement: A.Requirement | None


def _find(plan: A.Plan, ref: str) -> _Target | None:
    for goal in plan.all_goals():
        if goal.number == ref:
            return _Target(goal, None)
        for req in goal.requirements:
            if A.requirement_id(goal, req) == ref:
                return _Target(goal, req)
    return None


def goal_weight(goal: A.Goal, table: dict[str, Decimal] | None = None) -> Decimal | None:
    """The goal's points: the weights table's or its own weight, else the sum of its
    scored requirements' (from the table or written on them); None when none has one."""
    table = table or {}
    if goal.number in table:
        return table[goal.number]
    if goal.weight is not None:
        return goal.weight.value
    points = [
        table.get(A.requirement_id(goal, r), r.weight.value if r.weight else None)
        for r in goal.requirements
        if r.scored and not r.dropped
    ]
    known = [p for p in points if p is not None]
    return sum(known, Decimal(0)) if known else None


def _method_heading(ref: str, area: str, weight: Decimal | None, lang: str) -> Heading:
    if weight is None:
        return Heading("", f"{phrase('requirement', lang)} {ref} {area}")
    text = phrase("method_heading", lang).format(ref=ref, area=area, weight=format_points(weight, lang))
    return Heading("", text)


def _method_blocks(method: A.Method, lang: str) -> list[Block]:
    blocks: list[Block] = []
    if method.text is not None:
        blocks.append(Block("prose", prose=method.text))
    if method.criteria is not None:
        blocks.append(Block("prose", prose=method.criteria))
    for key, value in (("source", method.source), ("measured_by", method.measured_by), ("frequency", method.frequency)):
        if value:
            blocks.append(Block("field", label=phrase(key, lang), value=value))
    if method.scale:
        rows = tuple((format_number(p.points, lang), p.definition) for p in method.scale)
        header = (phrase("scale_points", lang), phrase("scale_definition", lang))
        blocks.append(Block("table", table=Table(header, rows, align="rl")))
    return blocks


def _group_rows(group: A.SubWeightGroup, lang: str) -> list[tuple[tuple[str, ...], bool]]:
    total = phrase("group_heading", lang).format(weight=format_weight(group.weight, lang)) if group.weight else ""
    rows: list[tuple[tuple[str, ...], bool]] = [((group.name, "", total), True)]
    for member in group.members:
        if isinstance(member, A.SubWeightGroup):
            rows.extend(_group_rows(member, lang))
        else:
            # The cell as the annex writes it ("31", "0-1 dag"), else the targets in words.
            targets = (
                member.cell if member.cell is not None else "; ".join(describe_target(t, lang) for t in member.targets)
            )
            weight = format_number(member.weight.value, lang) if member.weight else ""
            rows.append(((member.name, targets, weight), False))
    return rows


def _groups_table(groups: tuple[A.SubWeightGroup, ...], lang: str) -> Block:
    header = next((g.header for g in groups if g.header), ())
    if len(header) == 2:
        header = (phrase("sub_name", lang), *header)
    if len(header) != 3:
        header = (phrase("sub_name", lang), phrase("sub_target", lang), phrase("col_weight", lang))
    rows = [row for g in groups for row in _group_rows(g, lang)]
    table = Table(tuple(header), tuple(r for r, _ in rows), tuple(s for _, s in rows), align="llr")
    return Block("table", table=table)


def _requirement_heading(
    goal: A.Goal, req: A.Requirement, lang: str, table: dict[str, Decimal] | None = None, name: str | None = None
) -> Heading:
    """ "Resultatkrav 2.2.1 – 1. kvartal (vægt 5 point)"; `name` (a method's own title)
    stands where the requirement's display text would."""
    title = f"{phrase('requirement', lang)} {A.requirement_id(goal, req)}"
    shown = name or (req.display.rstrip(":") if req.display else None)
    if shown:
        title += f" – {shown}"
    weight = req.weight
    if weight is None and table and A.requirement_id(goal, req) in table:
        weight = A.Weight(table[A.requirement_id(goal, req)])
    if weight is not None:
        title += f" ({phrase('weight_word', lang)} {format_weight(weight, lang)})"
    return Heading("", title)


def _goal_annex(goal: A.Goal, lang: str, table: dict[str, Decimal]) -> list[Block]:
    """The goal's heading with its methods, then each requirement's methods and
    sub-weight table under its own subheading. A method's own title names the goal
    or requirement in its heading ("Resultatkrav 1.4 Servicemål (vægt 70 point)");
    a goal's further titled methods get a subheading of their own."""
    with_content = [r for r in goal.requirements if r.methods or r.groups]
    if not goal.methods and not with_content:
        return []
    # The goal's own method names it, else the method of its single unlabelled requirement.
    unlabelled = [m for r in goal.requirements if r.label is None for m in r.methods]
    first = (goal.methods or unlabelled or (None,))[0]
    name = first.title if first is not None and first.title else goal.area
    blocks = [Block("heading", heading=_method_heading(goal.number, name, goal_weight(goal, table), lang))]
    for n, method in enumerate(goal.methods):
        if n > 0 and method.title:
            blocks.append(Block("subheading", heading=Heading("", method.title)))
        blocks.extend(_method_blocks(method, lang))
    for req in with_content:
        if req.label is not None:
            titled = req.methods[0].title if req.methods else None
            blocks.append(Block("subheading", heading=_requirement_heading(goal, req, lang, table, titled)))
            if req.text is not None and req.methods:
                blocks.append(Block("prose", prose=req.text))
        for method in req.methods:
            blocks.extend(_method_blocks(method, lang))
        if req.groups:
            blocks.append(_groups_table(req.groups, lang))
    return blocks


def _section_annex(section: A.GoalSection, lang: str, table: dict[str, Decimal]) -> list[Block]:
    """A section's goals in the annex; under the section's `bilagstitel`, one level deeper."""
    blocks = [b for goal in section.goals for b in _goal_annex(goal, lang, table)]
    if not blocks or not section.annex_title:
        return blocks
    deeper = [replace(b, depth=b.depth + 1) if b.kind in ("heading", "subheading") else b for b in blocks]
    return [Block("heading", heading=Heading("", section.annex_title)), *deeper]


def _annex_methods(plan: A.Plan, annex: A.Annex, lang: str, first: bool) -> list[Block]:
    """An annex's own methods (those written outside their goals, with a ref)."""
    table = _table_weights(plan)
    blocks: list[Block] = []
    if not first:
        blocks.append(Block("heading", heading=Heading("", annex.title)))
        if annex.text is not None:
            blocks.append(Block("prose", prose=annex.text))
    for method in annex.methods:
        found = _find(plan, method.ref) if method.ref else None
        if found is not None and found.requirement is not None:
            heading = _requirement_heading(found.goal, found.requirement, lang, table, method.title)
        elif found is not None:
            name = method.title or found.goal.area
            heading = _method_heading(found.goal.number, name, goal_weight(found.goal, table), lang)
        elif method.title:
            heading = Heading("", method.title)
        else:
            heading = Heading("", f"{phrase('requirement', lang)} {method.ref or ''}".strip())
        blocks.append(Block("heading", heading=heading))
        blocks.extend(_method_blocks(method, lang))
    if annex.closing is not None:
        blocks.append(Block("prose", prose=annex.closing))
    return blocks


def _weights_section(plan: A.Plan, weights: A.WeightTable, lang: str, number: int | None) -> Section:
    """The weights table as a section of its own ("Vægtning af resultatmål", "Scorebog"),
    numbered in the body, unnumbered after the signatures."""
    title = weights.title or phrase("weights_section", lang)
    heading = Heading("" if number is None else f"{number}.0", title)
    return Section(heading, tuple(_weights_table(plan, lang, heading=False)))


def _table_weights(plan: A.Plan) -> dict[str, Decimal]:
    if plan.weights is None:
        return {}
    return {e.ref: e.weight.value for e in plan.weights.entries}


def weight_entries(plan: A.Plan) -> list[tuple[str, str, Decimal]]:
    """(ref, area, points) per weighted goal or requirement, in plan order."""
    if plan.weights is not None:
        entries = []
        for e in plan.weights.entries:
            found = _find(plan, e.ref)
            entries.append((e.ref, found.goal.area if found else "", e.weight.value))
        return entries
    out: list[tuple[str, str, Decimal]] = []
    for goal in plan.all_goals():
        if goal.weight is not None:
            out.append((goal.number, goal.area, goal.weight.value))
            continue
        for req in goal.requirements:
            if req.weight is not None and req.scored and req.dropped is None:
                out.append((A.requirement_id(goal, req), goal.area, req.weight.value))
    return out


def _weights_table(plan: A.Plan, lang: str, heading: bool = True) -> list[Block]:
    entries = weight_entries(plan)
    if not entries:
        return []
    total = sum((w for _, _, w in entries), Decimal(0))
    rows = [(ref, area, format_number(w, lang)) for ref, area, w in entries]
    rows.append((phrase("total", lang), "", format_number(total, lang)))
    title = plan.weights.title if plan.weights and plan.weights.title else phrase("weights_summary", lang)
    header = (phrase("col_number", lang), phrase("col_area", lang), phrase("col_weight", lang))
    table = Table(header, tuple(rows), tuple([False] * len(entries) + [True]), align="llr")
    if not heading:
        return [Block("table", table=table)]
    return [Block("heading", heading=Heading("", title)), Block("table", table=table)]


def build_annex(plan: A.Plan, lang: str) -> Section | None:
    """The measurement-method annex: the first `bilag` gives its title and
    introduction; goal and requirement methods follow in plan order, then the
    methods written in annexes, then the weights summary."""
    blocks: list[Block] = []
    if plan.annexes and plan.annexes[0].text is not None:
        blocks.append(Block("prose", prose=plan.annexes[0].text))
    table = _table_weights(plan)
    for section in plan.sections:
        blocks.extend(_section_annex(section, lang, table))
    for goal in plan.goals:
        blocks.extend(_goal_annex(goal, lang, table))
    for index, annex in enumerate(plan.annexes):
        blocks.extend(_annex_methods(plan, annex, lang, first=index == 0))
    if not blocks:
        return None
    if plan.weights is None or plan.weights.after == "annex":
        blocks.extend(_weights_table(plan, lang))
    title = plan.annexes[0].title if plan.annexes else phrase("annex_methods", lang)
    return Section(Heading("", title), tuple(blocks))
