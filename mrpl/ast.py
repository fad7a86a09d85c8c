"""Typed syntax tree of an mrpl plan.

Every node is a frozen, slotted dataclass. Children are tuples, numbers are
`Decimal`, dates are `datetime.date`. Every node carries a `span` that is
excluded from equality and `repr`, so two plans that differ only in layout (or
in keyword language) compare equal.

The tree is produced by `mrpl.parse` and is the only thing later stages
(check, render, score, lsp, fmt) read.
"""

from __future__ import annotations

import enum
from dataclasses import field
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead


@dataclass(frozen=True, slots=True)
class Span:
    """A source range: offsets are 0-based, lines and columns 1-based.

    Columns count Unicode code points; the language server converts them to
    the client's UTF-16 units.
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    file: str = ""


NO_SPAN = Span(0, 0, 1, 1, 1, 1)


def _days_in_month(year: int, month: int) -> int:
    """The last day of a month (without `calendar`, which imports `locale`: start-up time)."""
    if month == 12:  # also where the next month's year would be past date's range (9999)
        return 31
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - date(year, month, 1)).days


# --------------------------------------------------------------------------
# Prose: paragraphs, bullet and numbered lists, light emphasis


@dataclass(frozen=True, slots=True)
class Text:
    value: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Emphasis:
    """`*kursiv*`"""

    children: tuple[Inline, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Strong:
    """`**fed**`"""

    children: tuple[Inline, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Underline:
    """`__understreget__`"""

    children: tuple[Inline, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """`[^1]`: a reference to a `fodnote` defined at top level."""

    label: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Placeholder:
    """`{{styrelse}}`: replaced by a value when a shared file is imported."""

    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


Inline = Text | Emphasis | Strong | Underline | FootnoteRef | Placeholder


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ListItem:
    """A list item: its text, then the lists nested in it (a list inside a list item)."""

    inlines: tuple[Inline, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    children: tuple[BulletList | NumberedList, ...] = ()


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[ListItem, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class NumberedList:
    start: int
    items: tuple[ListItem, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


Block = Paragraph | BulletList | NumberedList


@dataclass(frozen=True, slots=True)
class Prose:
    """A text value: a one-line string or a triple-quoted block."""

    blocks: tuple[Block, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def plain(self) -> str:
        """The text without markup, blocks separated by blank lines."""
        return "\n\n".join(_plain_block(b) for b in self.blocks)


def plain_inlines(inlines: tuple[Inline, ...]) -> str:
    out: list[str] = []
    for node in inlines:
        match node:
            case Text(value=value):
                out.append(value)
            case Emphasis(children=c) | Strong(children=c) | Underline(children=c):
                out.append(plain_inlines(c))
            case FootnoteRef():
                pass
            case Placeholder(name=name):
                out.append("{{" + name + "}}")
    return "".join(out)


def _plain_block(block: Block, indent: str = "") -> str:
    match block:
        case Paragraph(inlines=inlines):
            return plain_inlines(inlines)
        case BulletList(items=items):
            return "\n".join(_plain_item(indent, "- ", i) for i in items)
        case NumberedList(start=start, items=items):
            return "\n".join(_plain_item(indent, f"{start + n}. ", i) for n, i in enumerate(items))
    raise TypeError(block)


def _plain_item(indent: str, marker: str, item: ListItem) -> str:
    """An item's line, then its nested lists indented under its text."""
    inner = indent + " " * len(marker)
    return "\n".join([indent + marker + plain_inlines(item.inlines), *(_plain_block(c, inner) for c in item.children)])


# --------------------------------------------------------------------------
# Quantities, dates and deadlines


class WeightUnit(enum.Enum):
    POINTS = "point"
    PERCENT = "pct"


@dataclass(frozen=True, slots=True)
class Weight:
    value: Decimal
    unit: WeightUnit = WeightUnit.POINTS
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


class TimeUnit(enum.Enum):
    HOURS = "timer"
    DAYS = "dage"
    WEEKS = "uger"
    MONTHS = "måneder"
    MINUTES = "minutter"


@dataclass(frozen=True, slots=True)
class Duration:
    value: Decimal
    unit: TimeUnit
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


class DeadlineKind(enum.Enum):
    DATE = "date"  # 2022-03-31, 31. marts 2022
    MONTH_END = "month_end"  # ultimo marts 2022
    MONTH_START = "month_start"  # primo april 2022
    YEAR_END = "year_end"  # ultimo 2021
    YEAR_START = "year_start"  # primo 2022
    QUARTER = "quarter"  # 2. kvartal 2022, Q2 2022
    HALF = "half"  # 1. halvår 2022, H1 2022
    YEAR = "year"  # 2022 (as a scope)
    PERIOD_END = "period_end"  # periodens udgang
    YEARS = "years"  # 2016-2019 (as a scope): `year` is the first, `last_year` the last


def _clamp(value: int, low: int, high: int) -> int:
    return min(max(value, low), high)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A point or stretch in time as the plan wrote it.

    `year` is None where the plan leaves it to the context ("1. kvartal" in a
    one-year plan); `resolve` fills it from the contract period.
    `written` is the source text, kept so that documents say it the same way.
    """

    kind: DeadlineKind
    year: int | None = None
    number: int | None = None  # month, quarter or half-year
    day: int | None = None
    written: str = field(default="", compare=False)
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    last_year: int | None = None  # YEARS: the last year of the range

    @property
    def date(self) -> date | None:
        """The last day the deadline covers, if the year is known."""
        if self.year is None:
            return None
        return self.end_date(self.year)

    def end_date(self, year: int) -> date:
        """The last day covered. A year, month, quarter or half-year out of range (reported by
        check: MRP020, MRP303, MRP330) is clamped, so that `--force` builds never fail here."""
        y = _clamp(self.year if self.year is not None else year, 1, 9999)
        match self.kind:
            case DeadlineKind.DATE:
                m = _clamp(self.number or 1, 1, 12)
                return date(y, m, _clamp(self.day or 1, 1, _days_in_month(y, m)))
            case DeadlineKind.MONTH_END:
                m = _clamp(self.number or 12, 1, 12)
                return date(y, m, _days_in_month(y, m))
            case DeadlineKind.MONTH_START:
                return date(y, _clamp(self.number or 1, 1, 12), 1)
            case DeadlineKind.YEAR_START:
                return date(y, 1, 1)
            case DeadlineKind.QUARTER:
                m = 3 * _clamp(self.number or 4, 1, 4)
                return date(y, m, _days_in_month(y, m))
            case DeadlineKind.HALF:
                return date(y, 6, 30) if self.number == 1 else date(y, 12, 31)
            case DeadlineKind.YEAR_END | DeadlineKind.YEAR | DeadlineKind.PERIOD_END:
                return date(y, 12, 31)
            case DeadlineKind.YEARS:
                return date(self.last_year or y, 12, 31)
        raise ValueError(self.kind)

    def due(self, period: Period | None, year: int) -> date:
        """The last day the deadline allows, read against the contract period:
        "periodens udgang" is the period's last day, a missing year is `year`."""
        if self.kind is DeadlineKind.PERIOD_END and period is not None:
            return period.end
        return self.end_date(year)

    def start_date(self, year: int) -> date:
        """The first day the deadline covers (for quarters, halves, years)."""
        y = _clamp(self.year if self.year is not None else year, 1, 9999)
        match self.kind:
            case DeadlineKind.QUARTER:
                return date(y, 3 * _clamp(self.number or 1, 1, 4) - 2, 1)
            case DeadlineKind.HALF:
                return date(y, 1 if self.number == 1 else 7, 1)
            case DeadlineKind.YEAR | DeadlineKind.YEARS:
                return date(y, 1, 1)
        return self.end_date(year)


@dataclass(frozen=True, slots=True)
class Period:
    """The contract period: `periode 2020-01-01 til 2020-12-31`."""

    start: date
    end: date
    long_dates: bool = field(default=False, compare=False)  # written "1. januar 2020", not ISO
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    # written as years, `periode 2016-2019`: the same period as 2016-01-01 til 2019-12-31
    in_years: bool = field(default=False, compare=False)
    dotted: bool = field(default=False, compare=False)  # written 01.01.2016 til 31.12.2019

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    @property
    def multi_year(self) -> bool:
        return self.end.year > self.start.year

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Scope:
    """What a requirement is measured on: `omfang "sager afgjort" i 2. halvår 2022`."""

    text: str
    within: Deadline | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Years:
    """`i 2017` or `i 2016-2019` after a target: the years of a multi-year plan it applies to."""

    first: int
    last: int
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.first <= year <= self.last

    def words(self) -> str:
        """ "2017" or "2016-2019"."""
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


# --------------------------------------------------------------------------
# Targets


class Relation(enum.Enum):
    AT_LEAST = ">="  # mindst, minimum
    AT_MOST = "<="  # højst, maksimalt
    BELOW = "<"  # under
    ABOVE = ">"  # over
    EXACTLY = "="  # præcis


class ChangeDirection(enum.Enum):
    INCREASE = "increase"
    REDUCTION = "reduction"


@dataclass(frozen=True, slots=True)
class ShareTarget:
    """`andel mindst 90 % inden for 30 dage`: share of cases within a limit."""

    relation: Relation
    percent: Decimal
    within: Duration | None = None
    by: Deadline | None = None
    of: str | None = None  # denominator in words
    limit: str | None = None  # a limit in words: `inden for "fristerne i Dublin-forordningen"`
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    years: Years | None = None  # `i 2017`: the years it applies to (None: every year)


@dataclass(frozen=True, slots=True)
class TimeTarget:
    """`gennemsnit højst 120 dage` or `maksimum højst 3 uger`."""

    statistic: str  # "average" | "maximum"
    relation: Relation
    duration: Duration
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    years: Years | None = None  # `i 2017`: the years it applies to (None: every year)


@dataclass(frozen=True, slots=True)
class CountTarget:
    """`antal mindst 12 "udsendelsesprojekter"`."""

    relation: Relation
    value: Decimal
    unit: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    years: Years | None = None  # `i 2017`: the years it applies to (None: every year)


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a change is measured against: a named period, a value, or both."""

    label: str | None = None
    value: Decimal | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    years: Years | None = None  # `ift. 2011-2015`, `ift. 2015 2.000`, `fra 2.000 i 2015`


@dataclass(frozen=True, slots=True)
class ChangeTarget:
    """`fald 10 % ift. "ultimo 2021"`: increase or reduction against a baseline.

    `stigning fra 2.000 til 2.400 "brugere"` gives the baseline's value and the
    level to reach (`level`); `percent` is then computed from the two when the plan
    does not write it (`percent_written` False). `stigning 2 % om året` (`yearly`)
    moves the target by the rate every year after the baseline, compounded."""

    direction: ChangeDirection
    percent: Decimal
    baseline: Baseline | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    level: Decimal | None = None
    unit: str | None = None
    yearly: bool = False
    percent_written: bool = field(default=True, compare=False)
    years: Years | None = None  # `i 2017`: the years it applies to (None: every year)


def change_percent(direction: ChangeDirection, base: Decimal | None, level: Decimal) -> Decimal:
    """The change from `base` to `level` in percent of `base`, positive in the wanted
    direction: 2.000 -> 2.400 is an increase of 20 %. Zero when there is no base (MRP441)."""
    if not base:
        return Decimal(0)
    with localcontext(Context(prec=28, rounding=ROUND_HALF_EVEN)):
        moved = level - base if direction is ChangeDirection.INCREASE else base - level
        return (moved * 100 / base).normalize() + 0


@dataclass(frozen=True, slots=True)
class LevelTarget:
    """`niveau 4 på "A" | "B"` or `niveau 4 på 7 områder`; a level the plan states in
    words, not as a number (`niveau "det forventede modenhedsniveau" på 7 områder`), has
    `level` None and `words` set: each area then reaches it or not."""

    level: Decimal | None
    areas: tuple[str, ...] = ()
    area_count: int | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    years: Years | None = None  # `i 2017`: the years it applies to (None: every year)
    words: str | None = None


class ApprovalKind(enum.Enum):
    APPROVED = "approved"  # `godkendt af "departementet"`: the department approves the delivery
    JOINT = "joint"  # `sammen med "departementet"`: decided together with the department


@dataclass(frozen=True, slots=True)
class Approval:
    """A milestone that counts only when another party has approved it (or decided it jointly)
    by the deadline: the results file gives the approval date beside the delivery date."""

    kind: ApprovalKind
    party: str  # "departementet"
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class MilestoneTarget:
    """`milepæl`: delivered by the requirement's deadline (and approved by then, with `approval`)."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    years: Years | None = None  # `i 2017`: the years it applies to (None: every year)
    approval: Approval | None = None


@dataclass(frozen=True, slots=True)
class AssessmentTarget:
    """`vurdering mindst 81 af 108 point`: points on an assessment scale.

    `vurdering af 108 point` names the scale without a pass mark (relation and
    points None): fulfilment is then the points reached of the maximum, unless
    an `opfyldelse trin` table maps points to fulfilment."""

    relation: Relation | None
    points: Decimal | None
    maximum: Decimal
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    years: Years | None = None  # `i 2017`: the years it applies to (None: every year)


@dataclass(frozen=True, slots=True)
class StatusTarget:
    """`fastholdt`: a status kept (yes/no)."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    years: Years | None = None  # `i 2017`: the years it applies to (None: every year)


Target = (
    ShareTarget
    | TimeTarget
    | CountTarget
    | ChangeTarget
    | LevelTarget
    | MilestoneTarget
    | AssessmentTarget
    | StatusTarget
)


# --------------------------------------------------------------------------
# Plan-level scoring choices: weighting and the goal-status rule


class WeightingKind(enum.Enum):
    NONE = "none"  # `vægtning ingen`: no weights; fulfilment is counted, not scored in points


@dataclass(frozen=True, slots=True)
class Weighting:
    """`vægtning ingen` in the plan header (the whole plan) or in a section (its goals)."""

    kind: WeightingKind = WeightingKind.NONE
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


class GoalRuleKind(enum.Enum):
    ALL = "all"  # `målstatus alle`: a goal is met when all its requirements are met, else not met
    SHARE = "share"  # `målstatus andel mindst 80 %`: when its (weighted) fulfilment reaches the threshold
    ASSESSMENT = "assessment"  # `målstatus vurdering`: the department's assessment in the results file


@dataclass(frozen=True, slots=True)
class GoalRule:
    """How a goal's status (Opfyldt / Delvist opfyldt / Ikke opfyldt) follows from its requirements.

    Stated in the plan header (every goal), a section (its goals) or a goal; the nearest wins.
    `partly_*`: the optional `delvist mindst 50 %` of a share rule."""

    kind: GoalRuleKind = GoalRuleKind.ALL
    relation: Relation | None = None
    threshold: Decimal | None = None  # percent
    partly_relation: Relation | None = None
    partly_threshold: Decimal | None = None  # percent
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# Without `målstatus`: met when every requirement is met, partly met when something is reached, else not
# met; the same as writing `målstatus andel mindst 100 %` (docs/scoring.md, "Goal status").
DEFAULT_GOAL_RULE = GoalRule(GoalRuleKind.SHARE, Relation.AT_LEAST, Decimal(100))

# --------------------------------------------------------------------------
# Scoring rules (how a reported result becomes a fulfilment in [0, 1])


class ScoringKind(enum.Enum):
    THRESHOLD = "threshold"  # tærskel: met or not
    LINEAR = "linear"  # lineær fra X til Y
    STEPS = "steps"  # trin { ... }
    MILESTONES_EACH = "milestones_each"  # milepæle hver
    MILESTONES_ALL = "milestones_all"  # milepæle alle
    AREAS_ALL = "areas_all"  # områder alle
    AREAS_SHARE = "areas_share"  # områder andel


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with an optional unit word: 90 %, 81 point, 120 dage."""

    value: Decimal
    unit: str | None = None  # "%", "point", a TimeUnit value, or None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Step:
    """`mindst 90 %: 100 %`; `relation` None means `ellers` (otherwise)."""

    relation: Relation | None
    threshold: Quantity | None
    fulfilment: Decimal  # percent
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Scoring:
    kind: ScoringKind
    floor: Quantity | None = None  # linear
    ceiling: Quantity | None = None  # linear
    steps: tuple[Step, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# --------------------------------------------------------------------------
# Measurement methods


@dataclass(frozen=True, slots=True)
class ScalePoint:
    """`point 1 "Ikke tilfredsstillende"`."""

    points: Decimal
    definition: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Method:
    """`opgørelsesmetode { ... }`: how fulfilment is measured.

    `ref` is set when the method stands outside its goal (in an annex) and
    names the goal or requirement it belongs to, e.g. "1.4" or "2.2.a".
    """

    text: Prose | None = None
    source: str | None = None  # datakilde
    measured_by: str | None = None  # måles af
    frequency: str | None = None  # hyppighed
    criteria: Prose | None = None  # kriterium ("anses for 100 pct. opfyldt, hvis ...")
    scale: tuple[ScalePoint, ...] = ()
    ref: str | None = None
    title: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# --------------------------------------------------------------------------
# Goals and requirements


@dataclass(frozen=True, slots=True)
class SubWeight:
    """A member of a sub-weight group: `del "Beløbsordningen 1. gang" { ... }`."""

    name: str
    weight: Weight | None = None
    targets: tuple[Target, ...] = ()
    scoring: Scoring | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    cell: str | None = None  # `celle "31"`: the annex table's target cell as written


@dataclass(frozen=True, slots=True)
class SubWeightGroup:
    """`gruppe "Servicemål erhvervssagsområdet" { vægt 35 ... }`; groups nest."""

    name: str
    weight: Weight | None = None
    members: tuple[SubWeight | SubWeightGroup, ...] = ()
    header: tuple[str, ...] = ()  # column captions for the annex table
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Dropped:
    """`udgået "begrundelse" [dato]`: dropped by agreement during the year."""

    reason: str
    on: Deadline | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Requirement:
    """A result requirement (resultatkrav) under a goal.

    `label` is "a", "1", "3.1" or None for a goal's single unlabelled requirement;
    `display` overrides how the label is shown ("1. kvartal").
    `qualified` is whether the id needs the goal's number in front ("1.1.a"):
    not for a label written in full ("3.1") or in a plan that numbers its
    requirements across goals (`kravnummerering fortløbende`).
    """

    label: str | None
    text: Prose | None = None
    display: str | None = None
    weight: Weight | None = None
    deadlines: tuple[Deadline, ...] = ()
    scope: Scope | None = None
    targets: tuple[Target, ...] = ()
    scoring: Scoring | None = None
    groups: tuple[SubWeightGroup, ...] = ()
    methods: tuple[Method, ...] = ()
    dropped: Dropped | None = None
    scored: bool = True
    type: str | None = None  # `type "Effekt"`: Effekt, Kvalitet, Aktivitet, Proces, Økonomi ...
    qualified: bool = True
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Background:
    """`baggrund ["titel"] "..."`: why the goal was chosen."""

    text: Prose
    title: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Attribute:
    """Free attribute on a goal: `type "Effekt"`, `attribut "Ejer" "Kontor X"`."""

    name: str
    value: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Goal:
    number: str  # "1.1"
    area: str  # Område
    text: Prose | None = None  # Mål
    weight: Weight | None = None
    preamble: Prose | None = None  # text above the requirements
    requirements: tuple[Requirement, ...] = ()
    postscript: Prose | None = None  # text below the requirements
    background: Background | None = None
    methods: tuple[Method, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    goal_rule: GoalRule | None = None  # `målstatus ...` for this goal

    @property
    def type(self) -> str | None:
        """`type "Koncernfælles"`: kept as the goal's first attribute."""
        return next((a.value for a in self.attributes[:1] if a.name == "type"), None)


@dataclass(frozen=True, slots=True)
class Parameter:
    """`parameter styrelse "Styrelsens navn" standard "Styrelsen"`: a placeholder a
    module (a file of shared goals) declares, for the plans that import it to fill."""

    name: str
    description: str
    default: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Import:
    """`importer "fil.mrp" { sæt styrelse "Styrelsen"  mål 2.1 { ... } }`.

    Only the unresolved module holds imports; `mrpl.load` replaces them with
    the imported goals, placeholders filled and overrides applied.
    """

    path: str
    values: tuple[tuple[str, str], ...] = ()
    overrides: tuple[Goal, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class GoalSection:
    """`afsnit 1 "Faglige mål" { ... }`: a goal table with its own numbering."""

    number: int
    title: str
    intro: Prose | None = None
    table_title: str | None = None
    background_title: str | None = None
    background: Prose | None = None
    goals: tuple[Goal, ...] = ()  # every goal of the section, also those under a core task
    imports: tuple[Import, ...] = ()
    core_tasks: tuple[CoreTask, ...] = ()  # `kerneopgave "..." { mål 3 ... }`: goals grouped by core task
    columns: tuple[str, ...] = ()  # extra goal-table columns: "type", "deadline" (`kolonner type | frist`)
    annex_title: str | None = None  # the heading over these goals' methods in the annex
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    weighting: Weighting | None = None  # `vægtning ingen`: this section's goals carry no weights
    goal_rule: GoalRule | None = None  # `målstatus ...` for this section's goals


# --------------------------------------------------------------------------
# Header, strategy, budget


@dataclass(frozen=True, slots=True)
class Signatory:
    """`direktør "Navn" { titel "Direktør"; sted "København"; dato ... }`.

    `signed_on` None with `signed_year` set is the blank date line
    ("København, den / 2019"); both None means no date line at all.
    """

    role: str  # "director" | "head"
    name: str
    title: str | None = None
    place: str | None = None
    signed_on: date | None = None
    signed_year: int | None = None
    organisation: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Header:
    title: str | None = None
    ministry: str | None = None
    department: str | None = None
    agency: str | None = None
    agency_short: str | None = None
    year: int | None = None
    period: Period | None = None
    total: Weight | None = None
    director: Signatory | None = None
    head: Signatory | None = None
    renegotiation: Prose | None = None
    next_negotiation: str | None = None
    running_numbers: bool = False  # `kravnummerering fortløbende`: requirement labels are plan-wide ids
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    weighting: Weighting | None = None  # `vægtning ingen`: the plan carries no weights
    goal_rule: GoalRule | None = None  # `målstatus ...`: the default rule for every goal


@dataclass(frozen=True, slots=True)
class BudgetColumn:
    kind: str  # R, B, F, BO1, BO2, BO3
    year: int
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BudgetCell:
    """An amount, or `-` (no amount) as `value=None`."""

    value: Decimal | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BudgetRow:
    number: int | None  # core task number; None for the total row
    name: str
    cells: tuple[BudgetCell, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Budget:
    reference: str | None = None  # "FFL20 § 14.21.01"
    title: str | None = None
    unit: str | None = None  # "Mio. kr. (2020-pl)"
    columns: tuple[BudgetColumn, ...] = ()
    total: BudgetRow | None = None
    rows: tuple[BudgetRow, ...] = ()
    note: Prose | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class CoreTask:
    """`kerneopgave [1] "Titel" ["tekst"]`; in a goal section it holds its
    strategic objectives (`parts`) and its goals."""

    number: int | None
    title: str
    text: Prose | None = None
    parts: tuple[StrategyPart, ...] = ()
    goals: tuple[Goal, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class CoreTasks:
    """`kerneopgaver { tekst ...; budget { ... }; kerneopgave 1 "..." ... }`."""

    title: str | None = None
    items: tuple[Prose | Budget | CoreTask, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


class StrategyKind(enum.Enum):
    MISSION = "mission"
    VISION = "vision"
    VALUES = "values"
    EFFECTS = "effects"
    CONDITIONS = "conditions"
    MARKER = "marker"  # pejlemærke
    TEXT = "text"  # an untitled paragraph group


@dataclass(frozen=True, slots=True)
class StrategyPart:
    kind: StrategyKind
    text: Prose
    title: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class StrategyGroup:
    """`del "Mission, vision og værdier" { mission "..."; pejlemærke "Navn" "..." }`:
    several parts under one heading, as the plan writes them."""

    title: str
    parts: tuple[StrategyPart, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Strategy:
    parts: tuple[StrategyPart | StrategyGroup | CoreTasks, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# --------------------------------------------------------------------------
# Weights table, follow-up, pay, footnotes, annexes


@dataclass(frozen=True, slots=True)
class WeightEntry:
    ref: str  # "1.1" or "1.1.a"
    weight: Weight
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class WeightTable:
    """`vægttabel "Vægtning af resultatmål" { 1.1 20 ... }`.

    `after` is the part of the document the table follows, from where the plan
    writes it: "goals", "follow_up", "pay" (a section of its own before the next
    part), "signatures" (written after every part of the body) or "annex"
    (written inside a `bilag`)."""

    entries: tuple[WeightEntry, ...]
    title: str | None = None
    after: str = "goals"
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class PayAmount:
    """`150.000 kr`, `10 % af lønnen`, or (for `loft` only) `80 %` of the maximum."""

    kroner: Decimal | None = None
    percent: Decimal | None = None
    of_salary: bool = False
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class PerformancePay:
    """`resultatløn { tekst ...; maksimum 150.000 kr; skala { mindst 90 point: 100 % ... } }`.

    The rule from points to pay is either `schedule` (steps) or proportional:
    `skala lineær fra 60 % til 100 %` (`floor`, `full`): nothing at or below the
    floor, full pay from `full`, linear between. `maximum` is the full pay (in
    kroner, or a share of `salary`); `cap`, if given, is a ceiling on the amount."""

    text: Prose | None = None
    schedule: tuple[Step, ...] = ()
    footnote: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    maximum: PayAmount | None = None
    salary: Decimal | None = None
    cap: PayAmount | None = None
    floor: Quantity | None = None
    full: Quantity | None = None


@dataclass(frozen=True, slots=True)
class Footnote:
    label: str
    text: Prose
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Annex:
    """`bilag "Titel" { tekst ...; opgørelsesmetode 1.4 { ... } }`."""

    title: str
    text: Prose | None = None
    methods: tuple[Method, ...] = ()
    closing: Prose | None = None
    weights: WeightTable | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# --------------------------------------------------------------------------
# Amendments (allonge): signed changes to a plan during its period


@dataclass(frozen=True, slots=True)
class SetWeight:
    """`vægt 1.1.b 15`: the goal's or requirement's weight becomes this."""

    ref: str
    weight: Weight
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DropRequirement:
    """`udgået 1.1.c "begrundelse"`: the requirement is dropped (udgået) from the allonge's date."""

    ref: str
    reason: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class MoveDeadline:
    """`frist 1.3 ultimo september 2022`: the requirement's deadlines become the ones the
    allonge gives for it (several `frist` lines for one requirement give several)."""

    ref: str
    deadline: Deadline
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ReplaceTarget:
    """`måltal 1.1.b gennemsnit højst 100 dage`: the requirement's targets become the ones the
    allonge gives for it."""

    ref: str
    target: Target
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ReplaceText:
    """`tekst 1.4 "..."`: the requirement's (or goal's) text becomes this."""

    ref: str
    text: Prose
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AddRequirement:
    """`resultatkrav 1.3.c { ... }`: a new requirement `c` under goal 1.3."""

    ref: str
    requirement: Requirement
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


Operation = SetWeight | DropRequirement | MoveDeadline | ReplaceTarget | ReplaceText | AddRequirement


@dataclass(frozen=True, slots=True)
class Amendment:
    """`allonge "Allonge 1" { plan "fil.mrp"; dato ...; begrundelse ...; ... }`."""

    title: str | None = None
    plan: str | None = None  # the file of the plan it amends, relative to the allonge
    date: date | None = None
    reason: Prose | None = None
    director: Signatory | None = None
    head: Signatory | None = None
    operations: tuple[Operation, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


class StandardTextKind(enum.Enum):
    """The standard texts a plan can ask for (`standardtekst opfølgning`); their wording is
    in `mrpl.i18n.PHRASES` and docs/language.md. Nothing else is printed that the plan does
    not state itself."""

    INTRODUCTION = "introduction"  # indledning: the parties, the director's contract, Kodeks VII
    FOLLOW_UP = "follow_up"  # opfølgning: status at udgiftsopfølgning I, II and III
    RENEGOTIATION = "renegotiation"  # genforhandling: when the contract may be renegotiated
    PERIOD = "period"  # periode: "gældende fra ... til og med ..."


@dataclass(frozen=True, slots=True)
class StandardText:
    """`standardtekst opfølgning`: the plan asks for a standard text by name."""

    kind: StandardTextKind
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Plan:
    """A whole file. After `mrpl.load`, `imports` is empty and sections hold
    the imported goals; a file parsed alone keeps its `Import` nodes."""

    header: Header | None = None
    introduction: Prose | None = None
    strategy: Strategy | None = None
    goals_intro: Prose | None = None
    sections: tuple[GoalSection, ...] = ()
    weights: WeightTable | None = None
    follow_up: Prose | None = None
    pay: PerformancePay | None = None
    footnotes: tuple[Footnote, ...] = ()
    annexes: tuple[Annex, ...] = ()
    goals: tuple[Goal, ...] = ()  # top-level goals: only in shared files
    imports: tuple[Import, ...] = ()  # top-level imports of whole sections
    amendments: tuple[Amendment, ...] = ()  # an allonge file: its `allonge` statement
    parameters: tuple[Parameter, ...] = ()  # a module's declared placeholders
    standard_texts: tuple[StandardText, ...] = ()  # in the order written
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def uses_standard_text(self, kind: StandardTextKind) -> bool:
        return any(s.kind is kind for s in self.standard_texts)

    def all_goals(self) -> tuple[Goal, ...]:
        return tuple(g for s in self.sections for g in s.goals) + self.goals

    def section_of(self, goal: Goal) -> GoalSection | None:
        """The section that holds `goal` (the very node), if any."""
        return next((s for s in self.sections if any(g is goal for g in s.goals)), None)

    def is_weighted(self, goal: Goal) -> bool:
        """False when the plan or the goal's section says `vægtning ingen`."""
        if self.header is not None and self.header.weighting is not None:
            return False
        section = self.section_of(goal)
        return section is None or section.weighting is None

    def goal_rule_of(self, goal: Goal) -> GoalRule:
        """The goal's status rule: its own, else its section's, else the header's, else `alle`."""
        section = self.section_of(goal)
        for rule in (
            goal.goal_rule,
            section.goal_rule if section else None,
            self.header.goal_rule if self.header else None,
        ):
            if rule is not None:
                return rule
        return DEFAULT_GOAL_RULE


def requirement_id(goal: Goal, req: Requirement) -> str:
    """The stable id of a requirement, as the plan writes it: "1.1.a", "1.4.1",
    "2.3" when unlabelled, "3.1" when written in full, "7" when numbered across goals."""
    if req.label is None:
        return goal.number
    return f"{goal.number}.{req.label}" if req.qualified else req.label
