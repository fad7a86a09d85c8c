"""The formatter: `mrplc fmt`, and the printer of a syntax tree as source text.

`format_source` / `format_file` lay a file out canonically from its own tokens
(mrpl.layout: only what carries no meaning changes; the author's order, words, text
line breaks and comments stay), translate its keywords when asked (`language`), and
check their own output: the text is reparsed and refused (FormatError) if the tree or
the comments changed.

`format_plan` prints a syntax tree built in code (no source to keep) in one layout:
2-space indentation, one statement per line, keywords spelled canonically (first
alternative in grammar/keywords.tsv, a unit agreeing with its number), decimal commas,
one-line strings for single paragraphs and indented `\"\"\"` blocks for longer prose.
It works in two steps: the tree becomes a tree of `_Stmt` (a statement's text, its
children, and the source position it came from), then everything is printed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from mrpl import ast as A
from mrpl.diagnostics import Diagnostic, Severity
from mrpl.files import replace_atomically
from mrpl.keywords import MONTHS_DA, MONTHS_EN, by_name, month_number
from mrpl.layout import LayoutError, lay_out, positioned_tokens
from mrpl.load import parse_file
from mrpl.parse import ParseResult, parse_source
from mrpl.prose import to_markup

INDENT = "  "
ONE_LINE_WIDTH = 80  # a single paragraph longer than this becomes a """ block
TEXT_WIDTH = 90  # prose lines in """ blocks are wrapped at this width (indentation not counted)


class FormatError(Exception):
    """The formatter could not write this plan without changing it (a bug)."""


# --------------------------------------------------------------------------
# Statements: what gets printed, and where it came from


@dataclass(slots=True)
class _Stmt:
    head: str  # may span lines (a \"\"\" block); continuation lines are relative to the indent
    children: list[_Stmt] | None = None  # None: no block
    span: A.Span | None = None  # source position, for attaching comments
    keyword: str | None = None  # keyword name, to find the position when the node has no span
    blank_before: bool = False
    leading: list[str] = field(default_factory=list)  # comments on the lines before
    trailing: list[str] = field(default_factory=list)  # comments at the end of the statement
    head_trailing: list[str] = field(default_factory=list)  # comments after a block's opening brace
    closing: list[str] = field(default_factory=list)  # comments before the closing brace


def _has_span(span: A.Span | None) -> bool:
    return span is not None and span.end > span.start


# --------------------------------------------------------------------------
# Words, numbers, strings, dates


class _Writer:
    """Builds the statement tree of a plan in one keyword language."""

    def __init__(self, language: str) -> None:
        self.lang = language

    def kw(self, name: str) -> str:
        return by_name()[name].spelling(self.lang)

    def stmt(self, keyword: str, *args: str, span: A.Span | None = None,
             children: list[_Stmt] | None = None, blank: bool = False) -> _Stmt:  # fmt: skip
        head = " ".join([self.kw(keyword), *(a for a in args if a)])
        return _Stmt(head, children, span if _has_span(span) else None, keyword, blank)

    # ---- values

    @staticmethod
    def number(value: Decimal | int) -> str:
        if isinstance(value, int):
            return str(value)
        return format(value, "f").replace(".", ",")

    @staticmethod
    def amount(value: Decimal) -> str:
        """A level or an amount in kroner, with dots between thousands as plans write them: 150.000."""
        whole, _, fraction = format(value, "f").partition(".")
        sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
        groups = []
        while len(digits) > 3:
            digits, groups = digits[:-3], [digits[-3:], *groups]
        text = sign + ".".join([digits, *groups])
        return text + ("," + fraction if fraction else "")

    @staticmethod
    def string(value: str) -> str:
        if "\n" in value:
            return _long_string(value.split("\n"))
        return '"' + value.replace('"', '\\"') + '"'

    def prose(self, prose: A.Prose) -> str:
        markup = to_markup(prose)
        one_paragraph = len(prose.blocks) == 1 and isinstance(prose.blocks[0], A.Paragraph)
        if (one_paragraph and len(markup) <= ONE_LINE_WIDTH) or not prose.blocks:
            return '"' + markup.replace('"', '\\"') + '"'
        return _long_string([wrapped for line in markup.split("\n") for wrapped in _wrap(line)])

    def month(self, number: int) -> str:
        return MONTHS_DA[number - 1] if self.lang == "da" else MONTHS_EN[number - 1].capitalize()

    @staticmethod
    def iso(day: date) -> str:
        return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"

    @staticmethod
    def dotted(day: date, short: bool = False) -> str:
        """ "31.12.2017", or "31.12.17" where the plan writes two digits."""
        year = f"{day.year % 100:02d}" if short and 2000 <= day.year < 2100 else f"{day.year:04d}"
        return f"{day.day:02d}.{day.month:02d}.{year}"

    def long_date(self, day: date) -> str:
        """ "1. januar 2022" in Danish, "1 January 2022" in English."""
        dot = "." if self.lang == "da" else ""
        return f"{day.day}{dot} {self.month(day.month)} {day.year}"

    def when(self, d: A.Deadline) -> str:
        written = d.written.strip()
        year = "" if d.year is None else str(d.year)
        match d.kind:
            case A.DeadlineKind.DATE:
                day = date(d.year or 1, d.number or 1, d.day or 1)
                if not written or re.match(r"\d{4}-", written):
                    return self.iso(day)
                if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2}", written):
                    return self.dotted(day, short=True)
                if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", written):
                    return self.dotted(day)
                return self.long_date(day)
            case A.DeadlineKind.YEARS:
                return f"{year}-{d.last_year}"
            case A.DeadlineKind.MONTH_END:
                return f"{self.kw('ULTIMO')} {self.month(d.number or 12)} {year}"
            case A.DeadlineKind.MONTH_START:
                return f"{self.kw('PRIMO')} {self.month(d.number or 1)} {year}"
            case A.DeadlineKind.YEAR_END:
                return f"{self.kw('ULTIMO')} {year}"
            case A.DeadlineKind.YEAR_START:
                return f"{self.kw('PRIMO')} {year}"
            case A.DeadlineKind.QUARTER | A.DeadlineKind.HALF:
                return self._numbered_period(d, written, year)
            case A.DeadlineKind.PERIOD_END:
                return self.kw("PERIOD_END")
            case A.DeadlineKind.YEAR:
                return year
        raise FormatError(f"unknown deadline kind {d.kind}")

    def _numbered_period(self, d: A.Deadline, written: str, year: str) -> str:
        quarter = d.kind is A.DeadlineKind.QUARTER
        code = "Q" if quarter else "H"
        if written[:1] == code:
            return f"{code}{d.number} {year}".strip()
        word = self.kw("QUARTER" if quarter else "HALF")
        if self.lang == "en":
            return f"{word} {d.number} {year}".strip()
        return f"{d.number}. {word} {year}".strip()

    def relation(self, relation: A.Relation) -> str:
        return self.kw(relation.name)

    def time_unit(self, unit: A.TimeUnit) -> str:
        return self.kw(unit.name)

    def duration(self, d: A.Duration) -> str:
        return f"{self.number(d.value)} {counted_spelling(d.unit.name, self.lang, d.value)}"

    def weight(self, w: A.Weight) -> str:
        return self.number(w.value) + (" %" if w.unit is A.WeightUnit.PERCENT else "")

    def quantity(self, q: A.Quantity) -> str:
        value = self.number(q.value)
        match q.unit:
            case None:
                return value
            case "%":
                return f"{value} %"
            case "point":
                return f"{value} {counted_spelling('POINT', self.lang, q.value)}"
        return f"{value} {counted_spelling(A.TimeUnit(q.unit).name, self.lang, q.value)}"

    def step(self, s: A.Step) -> _Stmt:
        fulfil = f"{self.number(s.fulfilment)} %"
        if s.relation is None or s.threshold is None:
            return _Stmt(f"{self.kw('OTHERWISE')}: {fulfil}", None, s.span if _has_span(s.span) else None)
        head = f"{self.relation(s.relation)} {self.quantity(s.threshold)}: {fulfil}"
        return _Stmt(head, None, s.span if _has_span(s.span) else None)


_LIST_ITEM = re.compile(r"([ \t]*)(?:[-•]|\d+\.) ")
_LINE_START_MARKER = re.compile(r"[-•*]|\d+\.")


def _wrap(line: str) -> list[str]:
    """Wrap one markup line at single spaces (the parser joins lines with one space).

    A continuation line never starts with a word the parser would read as a list
    marker; list items continue on indented lines.
    """
    if len(line) <= TEXT_WIDTH:
        return [line]
    item = _LIST_ITEM.match(line)
    continuation = item.group(1) + "  " if item else ""  # a nested item's lines keep its indent
    words = re.split(r"(?<=\S) (?=\S)", line)
    lines = [words[0]]
    for word in words[1:]:
        fits = len(lines[-1]) + 1 + len(word) <= TEXT_WIDTH
        if fits or _LINE_START_MARKER.fullmatch(word.split(" ")[0]):
            lines[-1] += " " + word
        else:
            lines.append(continuation + word)
    return lines


def _long_string(lines: list[str]) -> str:
    """A \"\"\" block whose body is indented one level below the statement."""
    body = [re.sub(r'"{3,}', lambda m: '\\"' * len(m.group()), line) for line in lines]
    inner = "\n".join(INDENT + line if line.strip() else "" for line in body)
    return '"""\n' + inner + '\n"""'


# --------------------------------------------------------------------------
# The plan as statements


_STANDARD_TEXT_KEYWORDS = {
    A.StandardTextKind.INTRODUCTION: "INTRODUCTION", A.StandardTextKind.FOLLOW_UP: "FOLLOW_UP",
    A.StandardTextKind.RENEGOTIATION: "RENEGOTIATION", A.StandardTextKind.PERIOD: "PERIOD",
}  # fmt: skip


class _PlanWriter(_Writer):
    def plan(self, plan: A.Plan) -> list[_Stmt]:
        out: list[_Stmt] = [self.parameter(p) for p in plan.parameters]
        if plan.header is not None:
            out.append(self.header(plan.header))
        standard = [self.stmt("STANDARD_TEXT", self.kw(_STANDARD_TEXT_KEYWORDS[t.kind]), span=t.span)
                    for t in plan.standard_texts]  # fmt: skip
        if standard:  # one group, in the order written, right after the header
            standard[0].blank_before = bool(out)
            out += standard
        weights = plan.weights if plan.weights is not None and plan.weights.after != "annex" else None

        def part(name: str, stmts: list[_Stmt]) -> None:
            """A part of the body, then the weights table the plan writes after it."""
            out.extend(stmts)
            if weights is not None and weights.after == name:
                out.append(self.weights(weights))

        intro = plan.introduction
        part("introduction", [self.stmt("INTRODUCTION", self.prose(intro), span=intro.span)] if intro else [])
        part("strategy", [self.strategy(plan.strategy)] if plan.strategy is not None else [])
        goals: list[_Stmt] = []
        if plan.goals_intro is not None:
            goals.append(self.stmt("GOALS_INTRO", self.prose(plan.goals_intro), span=plan.goals_intro.span))
        goals += [self.section(s) for s in plan.sections]
        goals += [self.goal(g) for g in plan.goals]
        goals += [self.import_(i) for i in plan.imports]
        part("goals", goals)
        follow_up = plan.follow_up
        part("follow_up", [self.stmt("FOLLOW_UP", self.prose(follow_up), span=follow_up.span)] if follow_up else [])
        part("pay", [self.pay(plan.pay)] if plan.pay is not None else [])
        part("signatures", [])
        out += [self.stmt("FOOTNOTE", f.label, self.prose(f.text), span=f.span) for f in plan.footnotes]
        out += [self.annex(a) for a in plan.annexes]
        out += [self.amendment(a) for a in plan.amendments]
        for stmt in out[1:]:
            if stmt.keyword != "STANDARD_TEXT":
                stmt.blank_before = True
        return out

    def parameter(self, p: A.Parameter) -> _Stmt:
        default = (self.kw("DEFAULT"), self.string(p.default)) if p.default is not None else ()
        return self.stmt("PARAMETER", p.name, self.string(p.description), *default, span=p.span)

    # ---- allonge

    def amendment(self, a: A.Amendment) -> _Stmt:
        items: list[_Stmt] = []
        self._opt_str(items, "PLAN", a.plan)
        if a.date is not None:
            items.append(self.stmt("DATE", self.iso(a.date)))
        self._opt_prose(items, "REASON", a.reason)
        items += [self.signatory(s) for s in (a.director, a.head) if s is not None]
        ops = [self.operation(op) for op in a.operations]
        if ops:
            ops[0].blank_before = True
        title = self.string(a.title) if a.title is not None else ""
        return self.stmt("AMENDMENT", title, span=a.span, children=items + ops)

    def operation(self, op: A.Operation) -> _Stmt:
        match op:
            case A.SetWeight(ref=ref, weight=weight):
                return self.stmt("WEIGHT", ref, self.weight(weight), span=op.span)
            case A.DropRequirement(ref=ref, reason=reason):
                return self.stmt("DROPPED", ref, self.string(reason), span=op.span)
            case A.MoveDeadline(ref=ref, deadline=deadline):
                return self.stmt("DEADLINE", ref, self.when(deadline), span=op.span)
            case A.ReplaceTarget(ref=ref, target=target):
                return self.stmt("TARGET", ref, self.target(target), span=op.span)
            case A.ReplaceText(ref=ref, text=text):
                return self.stmt("TEXT", ref, self.prose(text), span=op.span)
            case A.AddRequirement(ref=ref, requirement=req):
                stmt = self.requirement(req)
                # the ref names the new requirement (its label is the ref's last part): no label after it
                display = self.string(req.display) if req.display is not None else ""
                stmt.head = " ".join(p for p in (self.kw("REQUIREMENT"), ref, display) if p)
                stmt.span = op.span if _has_span(op.span) else None
                return stmt
        raise FormatError(f"unknown allonge change {op!r}")

    # ---- header

    def header(self, h: A.Header) -> _Stmt:
        items: list[_Stmt] = []
        self._opt_str(items, "TITLE", h.title)
        self._opt_str(items, "MINISTRY", h.ministry)
        self._opt_str(items, "DEPARTMENT", h.department)
        self._opt_str(items, "AGENCY", h.agency)
        self._opt_str(items, "SHORT", h.agency_short)
        if h.year is not None:
            items.append(self.stmt("YEAR", str(h.year)))
        if h.period is not None:
            items.append(self.period(h.period))
        if h.total is not None:
            items.append(self.stmt("TOTAL", self.weight(h.total), span=h.total.span))
        self._scoring_choices(items, h.weighting, h.goal_rule)
        for signatory in (h.director, h.head):
            if signatory is not None:
                items.append(self.signatory(signatory))
        if h.renegotiation is not None:
            items.append(self.stmt("RENEGOTIATION", self.prose(h.renegotiation), span=h.renegotiation.span))
        self._opt_str(items, "NEXT_NEGOTIATION", h.next_negotiation)
        if h.running_numbers:
            items.append(self.stmt("NUMBERING", self.kw("RUNNING")))
        return self.stmt("PLAN", span=h.span, children=items)

    def period(self, p: A.Period) -> _Stmt:
        whole_years = p.start == date(p.start.year, 1, 1) and p.end == date(p.end.year, 12, 31)
        if p.in_years and whole_years:
            return self.stmt("PERIOD", f"{p.start.year}-{p.end.year}", span=p.span)
        if p.dotted:
            start, end = self.dotted(p.start), self.dotted(p.end)
        elif p.long_dates:
            start, end = self.long_date(p.start), self.long_date(p.end)
        else:
            start, end = self.iso(p.start), self.iso(p.end)
        return self.stmt("PERIOD", start, self.kw("TO"), end, span=p.span)

    def _scoring_choices(self, items: list[_Stmt], weighting: A.Weighting | None, rule: A.GoalRule | None) -> None:
        """`vægtning ingen` and `målstatus ...`, in the header, a section or (the rule) a goal."""
        if weighting is not None:
            items.append(self.stmt("WEIGHTING", self.kw("NONE"), span=weighting.span))
        if rule is not None:
            items.append(self.goal_rule(rule))

    def goal_rule(self, rule: A.GoalRule) -> _Stmt:
        match rule.kind:
            case A.GoalRuleKind.ALL:
                return self.stmt("GOAL_STATUS", self.kw("ALL"), span=rule.span)
            case A.GoalRuleKind.ASSESSMENT:
                return self.stmt("GOAL_STATUS", self.kw("ASSESSMENT"), span=rule.span)
        if rule.relation is None or rule.threshold is None:
            raise FormatError("a share rule needs a threshold")
        parts = [self.kw("SHARE"), self.relation(rule.relation), self.number(rule.threshold), "%"]
        if rule.partly_relation is not None and rule.partly_threshold is not None:
            parts += [self.kw("PARTLY"), self.relation(rule.partly_relation), self.number(rule.partly_threshold), "%"]
        return self.stmt("GOAL_STATUS", *parts, span=rule.span)

    def _opt_str(self, items: list[_Stmt], keyword: str, value: str | None) -> None:
        if value is not None:
            items.append(self.stmt(keyword, self.string(value)))

    def signatory(self, s: A.Signatory) -> _Stmt:
        items: list[_Stmt] = []
        self._opt_str(items, "TITLE", s.title)
        self._opt_str(items, "PLACE", s.place)
        if s.signed_on is not None:
            items.append(self.stmt("DATE", self.iso(s.signed_on)))
        elif s.signed_year is not None:
            items.append(self.stmt("DATE", self.kw("BLANK"), str(s.signed_year)))
        self._opt_str(items, "ORGANISATION", s.organisation)
        keyword = "DIRECTOR" if s.role == "director" else "HEAD"
        return self.stmt(keyword, self.string(s.name), span=s.span, children=items or None)

    # ---- strategy and budget

    def strategy(self, s: A.Strategy) -> _Stmt:
        items = [self.strategy_item(p) for p in s.parts]
        return self.stmt("STRATEGY", span=s.span, children=items)

    def strategy_item(self, p: A.StrategyPart | A.StrategyGroup | A.CoreTasks) -> _Stmt:
        if isinstance(p, A.CoreTasks):
            return self.core_tasks(p)
        if isinstance(p, A.StrategyGroup):
            parts = [self.strategy_part(x) for x in p.parts]
            return self.stmt("PART", self.string(p.title), span=p.span, children=parts)
        return self.strategy_part(p)

    def strategy_part(self, p: A.StrategyPart) -> _Stmt:
        title = self.string(p.title) if p.title is not None else ""
        return self.stmt(p.kind.name, title, self.prose(p.text), span=p.span)

    def core_tasks(self, c: A.CoreTasks) -> _Stmt:
        items: list[_Stmt] = []
        for item in c.items:
            if isinstance(item, A.Prose):
                items.append(self.stmt("TEXT", self.prose(item), span=item.span))
            elif isinstance(item, A.Budget):
                items.append(self.budget(item))
            else:
                text = self.prose(item.text) if item.text is not None else ""
                number = "" if item.number is None else str(item.number)
                items.append(self.stmt("CORE_TASK", number, self.string(item.title), text, span=item.span))
        title = self.string(c.title) if c.title is not None else ""
        return self.stmt("CORE_TASKS", title, span=c.span, children=items)

    def budget(self, b: A.Budget) -> _Stmt:
        items: list[_Stmt] = []
        self._opt_str(items, "APPROPRIATION", b.reference)
        self._opt_str(items, "TITLE", b.title)
        self._opt_str(items, "UNIT", b.unit)
        if b.columns:
            columns = " | ".join(f"{c.kind} {c.year}" for c in b.columns)
            items.append(self.stmt("COLUMNS", columns, span=b.columns[0].span))
        rows = ([("TOTAL", b.total)] if b.total is not None else []) + [("ROW", r) for r in b.rows]
        items += self.budget_rows(rows)
        if b.note is not None:
            items.append(self.stmt("NOTE", self.prose(b.note), span=b.note.span))
        return self.stmt("BUDGET", span=b.span, children=items)

    def budget_rows(self, rows: list[tuple[str, A.BudgetRow]]) -> list[_Stmt]:
        """Budget rows as a table: names padded, amounts right-aligned per column."""
        heads = [" ".join(x for x in (self.kw(k), "" if r.number is None else str(r.number), self.string(r.name)) if x)
                 for k, r in rows]  # fmt: skip
        cells = [["-" if c.value is None else self.number(c.value) for c in r.cells] for _, r in rows]
        widths = [
            max((len(row[i]) for row in cells if i < len(row)), default=0)
            for i in range(max(map(len, cells), default=0))
        ]
        name_width = max(map(len, heads), default=0)
        out = []
        for (keyword, row), head, values in zip(rows, heads, cells, strict=True):
            amounts = " | ".join(v.rjust(widths[i]) for i, v in enumerate(values))
            stmt = _Stmt(
                f"{head.ljust(name_width)} | {amounts}", None, row.span if _has_span(row.span) else None, keyword
            )
            out.append(stmt)
        return out

    # ---- goals

    def section(self, s: A.GoalSection) -> _Stmt:
        items: list[_Stmt] = []
        if s.intro is not None:
            items.append(self.stmt("INTRODUCTION", self.prose(s.intro), span=s.intro.span))
        self._opt_str(items, "TABLE_TITLE", s.table_title)
        if s.background is not None:
            title = self.string(s.background_title) if s.background_title is not None else ""
            items.append(self.stmt("BACKGROUND", title, self.prose(s.background), span=s.background.span))
        else:
            self._opt_str(items, "BACKGROUND_TITLE", s.background_title)
        self._opt_str(items, "ANNEX_TITLE", s.annex_title)
        if s.columns:
            names = {"type": "TYPE", "deadline": "DEADLINE"}
            items.append(self.stmt("COLUMNS", " | ".join(self.kw(names[c]) for c in s.columns)))
        self._scoring_choices(items, s.weighting, s.goal_rule)
        items += self._spaced(self._section_goals(s) + [self.import_(i) for i in s.imports], items)
        return self.stmt("SECTION", str(s.number), self.string(s.title), span=s.span, children=items)

    def _section_goals(self, s: A.GoalSection) -> list[_Stmt]:
        """The section's goals, those of a core task inside its `kerneopgave` block.
        A core task's goals are consecutive in `s.goals`; a core task without goals
        is written before the next one that has some (or at the end)."""
        out: list[_Stmt] = []
        tasks = list(s.core_tasks)
        index = 0
        while index < len(s.goals):
            goal = s.goals[index]
            owner = next((t for t in tasks if t.goals and t.goals[0] is goal), None)
            owner = owner or next((t for t in tasks if t.goals and t.goals[0] == goal), None)
            if owner is None:
                out.append(self.goal(goal))
                index += 1
                continue
            while tasks and tasks[0] is not owner:
                out.append(self.section_task(tasks.pop(0)))
            out.append(self.section_task(tasks.pop(0)))
            index += len(owner.goals)
        out += [self.section_task(t) for t in tasks]
        return out

    def section_task(self, t: A.CoreTask) -> _Stmt:
        items = [self.strategy_part(p) for p in t.parts]
        items += self._spaced([self.goal(g) for g in t.goals], items)
        number = "" if t.number is None else str(t.number)
        text = self.prose(t.text) if t.text is not None else ""
        return self.stmt("CORE_TASK", number, self.string(t.title), text, span=t.span, children=items)

    @staticmethod
    def _spaced(stmts: list[_Stmt], before: list[_Stmt]) -> list[_Stmt]:
        """Blank lines between big statements (goals, requirements, methods)."""
        for n, stmt in enumerate(stmts):
            stmt.blank_before = bool(before) or n > 0
        return stmts

    def goal(self, g: A.Goal) -> _Stmt:
        items: list[_Stmt] = []
        for n, attr in enumerate(g.attributes):
            if n == 0 and attr.name == "type":
                items.append(self.stmt("TYPE", self.string(attr.value)))
            else:
                items.append(self.stmt("ATTRIBUTE", self.string(attr.name), self.string(attr.value), span=attr.span))
        self._opt_prose(items, "TEXT", g.text)
        if g.weight is not None:
            items.append(self.stmt("WEIGHT", self.weight(g.weight), span=g.weight.span))
        self._scoring_choices(items, None, g.goal_rule)
        self._opt_prose(items, "PREAMBLE", g.preamble)
        big = [self.requirement(r) for r in g.requirements]
        self._opt_prose(big, "POSTSCRIPT", g.postscript)
        if g.background is not None:
            bg = g.background
            title = self.string(bg.title) if bg.title is not None else ""
            big.append(self.stmt("BACKGROUND", title, self.prose(bg.text), span=bg.span))
        big += [self.method(m) for m in g.methods]
        items += self._spaced(big, items) if g.requirements else big
        area = self.string(g.area) if g.area else ""
        return self.stmt("GOAL", g.number, area, span=g.span, children=items)

    def _opt_prose(self, items: list[_Stmt], keyword: str, value: A.Prose | None) -> None:
        if value is not None:
            items.append(self.stmt(keyword, self.prose(value), span=value.span))

    def requirement(self, r: A.Requirement) -> _Stmt:
        items: list[_Stmt] = []
        self._opt_str(items, "TYPE", r.type)
        self._opt_prose(items, "TEXT", r.text)
        if r.weight is not None:
            items.append(self.stmt("WEIGHT", self.weight(r.weight), span=r.weight.span))
        items += [self.stmt("DEADLINE", self.when(d), span=d.span) for d in r.deadlines]
        if r.scope is not None:
            within = f"{self.kw('IN')} {self.when(r.scope.within)}" if r.scope.within is not None else ""
            items.append(self.stmt("SCOPE", self.string(r.scope.text), within, span=r.scope.span))
        items += [self.stmt("TARGET", self.target(t), span=t.span) for t in r.targets]
        if r.scoring is not None:
            items.append(self.scoring(r.scoring))
        items += [self.group(g) for g in r.groups]
        items += [self.method(m) for m in r.methods]
        if r.dropped is not None:
            on = self.when(r.dropped.on) if r.dropped.on is not None else ""
            items.append(self.stmt("DROPPED", self.string(r.dropped.reason), on, span=r.dropped.span))
        if not r.scored:
            items.append(self.stmt("UNSCORED"))
        display = self.string(r.display) if r.display is not None else ""
        return self.stmt("REQUIREMENT", r.label or "", display, span=r.span, children=items)

    def group(self, g: A.SubWeightGroup) -> _Stmt:
        items: list[_Stmt] = []
        if g.weight is not None:
            items.append(self.stmt("WEIGHT", self.weight(g.weight), span=g.weight.span))
        if g.header:
            items.append(self.stmt("COLUMNS", " | ".join(self.string(c) for c in g.header)))
        for member in g.members:
            items.append(self.group(member) if isinstance(member, A.SubWeightGroup) else self.part(member))
        return self.stmt("GROUP", self.string(g.name), span=g.span, children=items)

    def part(self, p: A.SubWeight) -> _Stmt:
        items: list[_Stmt] = []
        if p.weight is not None:
            items.append(self.stmt("WEIGHT", self.weight(p.weight), span=p.weight.span))
        items += [self.stmt("TARGET", self.target(t), span=t.span) for t in p.targets]
        if p.scoring is not None:
            items.append(self.scoring(p.scoring))
        self._opt_str(items, "CELL", p.cell)
        return self.stmt("PART", self.string(p.name), span=p.span, children=items or None)

    # ---- targets and scoring

    def target(self, t: A.Target) -> str:
        body = self._target_body(t)
        return body if t.years is None else f"{body} {self.kw('IN')} {t.years.words()}"

    def _target_body(self, t: A.Target) -> str:
        match t:
            case A.ShareTarget():
                parts = [self.kw("SHARE"), self.relation(t.relation), self.number(t.percent), "%"]
                if t.within is not None:
                    parts += [self.kw("WITHIN"), self.duration(t.within)]
                elif t.limit is not None:
                    parts += [self.kw("WITHIN"), self.string(t.limit)]
                elif t.by is not None:
                    parts += [self.kw("BY"), self.when(t.by)]
                if t.of is not None:
                    parts += [self.kw("OF"), self.string(t.of)]
                return " ".join(parts)
            case A.TimeTarget():
                statistic = self.kw("AVERAGE" if t.statistic == "average" else "MAXIMUM")
                return f"{statistic} {self.relation(t.relation)} {self.duration(t.duration)}"
            case A.CountTarget():
                unit = f" {self.string(t.unit)}" if t.unit is not None else ""
                return f"{self.kw('COUNT')} {self.relation(t.relation)} {self.number(t.value)}{unit}"
            case A.ChangeTarget():
                return self.change(t)
            case A.LevelTarget():
                if t.area_count is not None:
                    areas = f"{t.area_count} {self.kw('AREAS')}"
                else:
                    areas = " | ".join(self.string(a) for a in t.areas)
                level = self.string(t.words) if t.words is not None else self.number(t.level or 0)
                return f"{self.kw('LEVEL')} {level} {self.kw('ON')} {areas}"
            case A.MilestoneTarget(approval=None):
                return self.kw("MILESTONE")
            case A.MilestoneTarget(approval=approval):
                if approval.kind is A.ApprovalKind.APPROVED:
                    return f"{self.kw('MILESTONE')} {self.kw('APPROVED')} {self.string(approval.party)}"
                return f"{self.kw('MILESTONE')} {self.kw('JOINTLY')} {self.string(approval.party)}"
            case A.AssessmentTarget():
                top = self.number(t.maximum)
                if t.relation is None or t.points is None:
                    return f"{self.kw('ASSESSMENT')} {self.kw('OF')} {top} {self.kw('POINT')}"
                rel, pts = self.relation(t.relation), self.number(t.points)
                return f"{self.kw('ASSESSMENT')} {rel} {pts} {self.kw('OF')} {top} {self.kw('POINT')}"
            case A.StatusTarget():
                return self.kw("KEPT")
        raise FormatError(f"unknown target {t!r}")

    def change(self, t: A.ChangeTarget) -> str:
        parts = [self.kw("INCREASE" if t.direction is A.ChangeDirection.INCREASE else "REDUCTION")]
        if t.percent_written or t.level is None:
            parts.append(f"{self.number(t.percent)} %")
        if t.level is not None and t.baseline is not None and t.baseline.value is not None:
            parts += [self.kw("FROM"), self.amount(t.baseline.value)]
            if t.baseline.years is not None:
                parts += [self.kw("IN"), t.baseline.years.words()]
            parts += [self.kw("TO"), self.amount(t.level)]
            if t.unit is not None:
                parts.append(self.string(t.unit))
            return " ".join(parts)
        if t.yearly:
            parts.append(self.kw("YEARLY"))
        if t.baseline is not None:
            parts += [self.kw("AGAINST"), self.baseline(t.baseline)]
        return " ".join(parts)

    def baseline(self, b: A.Baseline) -> str:
        if b.years is not None and b.label is None:
            first, last = b.years.first, b.years.last
            if first != last:
                return f"{first}-{last}" + (f" {self.amount(b.value)}" if b.value is not None else "")
            if b.value is not None:  # `ift. 2015 2.000`; a year alone would read as the value
                return f"{first} {self.amount(b.value)}"
        parts = [self.string(b.label)] if b.label is not None else []
        if b.value is not None:
            parts.append(self.number(b.value))
        return " ".join(parts)

    def scoring(self, s: A.Scoring) -> _Stmt:
        k = A.ScoringKind
        words = {
            k.THRESHOLD: ("THRESHOLD",), k.MILESTONES_EACH: ("MILESTONES", "EACH"),
            k.MILESTONES_ALL: ("MILESTONES", "ALL"), k.AREAS_ALL: ("AREAS", "ALL"), k.AREAS_SHARE: ("AREAS", "SHARE"),
        }  # fmt: skip
        if s.kind in words:
            return self.stmt("SCORING", *(self.kw(w) for w in words[s.kind]), span=s.span)
        if s.kind is k.LINEAR:
            if s.floor is None or s.ceiling is None:
                raise FormatError("linear scoring needs both ends")
            ends = [self.kw("LINEAR"), self.kw("FROM"), self.quantity(s.floor), self.kw("TO"), self.quantity(s.ceiling)]
            return self.stmt("SCORING", *ends, span=s.span)
        return self.stmt("SCORING", self.kw("STEPS"), span=s.span, children=[self.step(x) for x in s.steps])

    # ---- methods, weights, pay, annexes, imports

    def method(self, m: A.Method) -> _Stmt:
        items: list[_Stmt] = []
        self._opt_prose(items, "TEXT", m.text)
        self._opt_str(items, "SOURCE", m.source)
        self._opt_str(items, "MEASURED_BY", m.measured_by)
        self._opt_str(items, "FREQUENCY", m.frequency)
        self._opt_prose(items, "CRITERIA", m.criteria)
        for p in m.scale:
            items.append(self.stmt("POINT", self.number(p.points), self.string(p.definition), span=p.span))
        title = self.string(m.title) if m.title is not None else ""
        return self.stmt("METHOD", m.ref or "", title, span=m.span, children=items)

    def weights(self, w: A.WeightTable) -> _Stmt:
        entries = [
            _Stmt(f"{e.ref} {self.weight(e.weight)}", None, e.span if _has_span(e.span) else None) for e in w.entries
        ]
        title = self.string(w.title) if w.title is not None else ""
        return self.stmt("WEIGHTS", title, span=w.span, children=entries)

    def pay(self, p: A.PerformancePay) -> _Stmt:
        items: list[_Stmt] = []
        self._opt_prose(items, "TEXT", p.text)
        if p.maximum is not None:
            items.append(self.stmt("MAXIMUM", self.pay_amount(p.maximum), span=p.maximum.span))
        if p.salary is not None:
            items.append(self.stmt("SALARY", f"{self.amount(p.salary)} {self.kw('KRONER')}"))
        if p.cap is not None:
            items.append(self.stmt("CAP", self.pay_amount(p.cap), span=p.cap.span))
        if p.schedule:
            items.append(self.stmt("SCHEDULE", children=[self.step(s) for s in p.schedule]))
        if p.floor is not None and p.full is not None:
            ends = [self.kw("LINEAR"), self.kw("FROM"), self.quantity(p.floor), self.kw("TO"), self.quantity(p.full)]
            items.append(self.stmt("SCHEDULE", *ends))
        if p.footnote is not None:
            items.append(self.stmt("FOOTNOTE", p.footnote))
        return self.stmt("PAY", span=p.span, children=items)

    def pay_amount(self, a: A.PayAmount) -> str:
        if a.kroner is not None:
            return f"{self.amount(a.kroner)} {self.kw('KRONER')}"
        salary = by_name()["SALARY"].da[-1] if self.lang == "da" else self.kw("SALARY")  # "af lønnen"
        of = f" {self.kw('OF')} {salary}" if a.of_salary else ""
        return f"{self.number(a.percent or Decimal(0))} %{of}"

    def annex(self, a: A.Annex) -> _Stmt:
        items: list[_Stmt] = []
        self._opt_prose(items, "TEXT", a.text)
        items += self._spaced([self.method(m) for m in a.methods], items)
        if a.weights is not None:
            items.append(self.weights(a.weights))
        self._opt_prose(items, "CLOSING", a.closing)
        return self.stmt("ANNEX", self.string(a.title), span=a.span, children=items)

    def import_(self, i: A.Import) -> _Stmt:
        items = [self.stmt("SET", name, self.string(value)) for name, value in i.values]
        items += self._spaced([self.goal(g) for g in i.overrides], items)
        return self.stmt("IMPORT", self.string(i.path), span=i.span, children=items or None)


# --------------------------------------------------------------------------
# Printing


def _print(stmts: list[_Stmt], depth: int, out: list[str]) -> None:
    pad = INDENT * depth
    previous_multiline = False
    for n, stmt in enumerate(stmts):
        multiline = bool(stmt.children) or "\n" in stmt.head
        wants_blank = stmt.blank_before or (n > 0 and (multiline or previous_multiline))
        previous_multiline = multiline
        if wants_blank and out and out[-1] != "" and not out[-1].endswith("{"):
            out.append("")
        out += [pad + c for c in stmt.leading]
        lines = stmt.head.split("\n")
        lines = [lines[0]] + [pad + line if line else "" for line in lines[1:]]
        lines[0] = pad + lines[0]
        if stmt.children is None:
            out += _with_trailing(lines, stmt.trailing)
            continue
        if not stmt.children and not stmt.closing and not stmt.head_trailing:
            out += _with_trailing([*lines[:-1], lines[-1] + " {}"], stmt.trailing)
            continue
        out += _with_trailing([*lines[:-1], lines[-1] + " {"], stmt.head_trailing)
        _print(stmt.children, depth + 1, out)
        out += [pad + INDENT + c for c in stmt.closing]
        out += _with_trailing([pad + "}"], stmt.trailing)


def _with_trailing(lines: list[str], trailing: list[str]) -> list[str]:
    if not trailing:
        return lines
    return [*lines[:-1], lines[-1] + "  " + "  ".join(trailing)]


# --------------------------------------------------------------------------
# Public API


def format_plan(plan: A.Plan, language: str = "da") -> str:
    """Source text for a syntax tree built in code (no comments), laid out as `mrplc fmt`
    lays out a file (so formatting it again changes nothing)."""
    stmts = _PlanWriter(language).plan(plan)
    out: list[str] = []
    _print(stmts, 0, out)
    return lay_out("\n".join(out) + "\n") if out else ""


def format_result(result: ParseResult, language: str | None = None, wrap: int | None = None) -> str:
    """Source text for a parsed file in canonical layout (mrpl.layout), comments kept.
    `language` translates the keywords; `wrap` refills the paragraphs of text blocks.
    The file must have parsed without errors."""
    if result.plan is None:
        raise FormatError(f"{result.path}: the file has syntax errors")
    source = result.source
    if language is not None:
        source = translate_keywords(result, language)
    try:
        return lay_out(source, wrap)
    except LayoutError as exc:
        raise FormatError(f"{result.path}: {exc}") from exc


def format_source(source: str, path: str = "<input>", language: str | None = None, wrap: int | None = None) -> str:
    """Format plan text; raises FormatError when the text has syntax errors or
    when the result would not mean the same (a formatter bug, never written).

    Refilled paragraphs (`wrap`) that would change a text (one that is not prose,
    so its line breaks count) are left as written."""
    result = parse_source(source, path)
    if result.plan is None or any(d.severity is Severity.ERROR for d in result.diagnostics):
        raise FormatError(f"{path}: the file has syntax errors")
    text = format_result(result, language, wrap)
    problem = _changed_meaning(result, text)
    if problem and wrap is not None:
        text = format_result(result, language, None)
        problem = _changed_meaning(result, text)
    if problem:
        raise FormatError(f"{path}: formatting would {problem} (a formatter bug; please report it)")
    return text


def _changed_meaning(result: ParseResult, text: str) -> str | None:
    again = parse_source(text, result.path)
    if again.plan != result.plan:
        return "change the plan's meaning"
    if [c.text.rstrip() for c in again.comments] != [c.text.rstrip() for c in result.comments]:
        return "lose or move comments"
    return None


# --------------------------------------------------------------------------
# Keyword language


_COUNTED = frozenset({"POINT", "HOURS", "MINUTES", "DAYS", "WEEKS", "MONTHS"})  # singular after 1
_NUMBER_BEFORE = re.compile(r"(-?\d+(?:,\d+)?)[ \t\f]*$")


def counted_spelling(name: str, language: str, count: Decimal | int | None) -> str:
    """A unit keyword agreeing with its number: `1 dag`, `2 dage`; `1 hour`, `2 hours`.
    The keyword table lists the plural first and the singular second."""
    spellings = by_name()[name].da if language == "da" else by_name()[name].en
    return spellings[1] if count == 1 and len(spellings) > 1 else spellings[0]


def translate_keywords(result: ParseResult, language: str) -> str:
    """The source with every keyword (and month name) spelt in `language`; a keyword
    already spelt in it stays as written, a unit agrees with its number."""
    source = result.source
    edits: list[tuple[int, int, str]] = []
    for name, span in result.keyword_spans:
        written = " ".join(source[span.start : span.end].split())
        keyword = by_name()[name]
        if written in (keyword.da if language == "da" else keyword.en) and (
            name not in _COUNTED or language == result.language
        ):
            continue
        if name in _COUNTED:
            number = _NUMBER_BEFORE.search(source, 0, span.start)
            count = Decimal(number.group(1).replace(",", ".")) if number else None
            edits.append((span.start, span.end, counted_spelling(name, language, count)))
        else:
            edits.append((span.start, span.end, keyword.spelling(language)))
    edits += _month_edits(source, language)
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
    return source


_BEFORE_MONTH = re.compile(r"\d+\.?|ultimo|primo|of", re.I)


def _month_edits(source: str, language: str) -> list[tuple[int, int, str]]:
    """Month names of dates (`1. januar 2022`, `ultimo marts 2022`): a month word after
    a day or `ultimo`/`primo` outside texts and comments. A day is written `1.` in
    Danish and `1` in English."""
    edits = []
    previous, previous_at = "", 0
    for kind, text, offset in positioned_tokens(source):
        lower = text.lower()
        if kind == "word" and _BEFORE_MONTH.fullmatch(previous) and (lower in MONTHS_DA or lower in MONTHS_EN):
            number = month_number(lower)
            wanted = MONTHS_DA[number - 1] if language == "da" else MONTHS_EN[number - 1].capitalize()
            if wanted != text:
                edits.append((offset, offset + len(text), wanted))
            if previous[:1].isdigit():
                day = previous.rstrip(".") + ("." if language == "da" else "")
                if day != previous:
                    edits.append((previous_at, previous_at + len(previous), day))
        previous, previous_at = (text, offset) if kind == "word" else ("", 0)
    return edits


# --------------------------------------------------------------------------
# Files


@dataclass(slots=True)
class FileOutcome:
    """What formatting one file gave: the new text, or the reason there is none."""

    path: str
    original: str
    formatted: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # syntax errors: not formatted
    error: str | None = None  # the formatter refused (its own bug), not the plan's fault

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original


def format_file(path: str, language: str | None = None, wrap: int | None = None) -> FileOutcome:
    """Format one file (not written). Raises mrpl.SourceError when it cannot be read."""
    result = parse_file(path)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if result.plan is None or errors:
        return FileOutcome(path, result.source, None, errors)
    try:
        return FileOutcome(path, result.source, format_source(result.source, path, language, wrap))
    except FormatError as exc:
        return FileOutcome(path, result.source, None, error=str(exc))


def write_atomic(path: str, text: str) -> None:
    """Replace `path` by `text` in one step, keeping its permissions. A symbolic link
    stays a link: the file it points to is rewritten."""
    replace_atomically(os.path.realpath(path), text.encode("utf-8"))
