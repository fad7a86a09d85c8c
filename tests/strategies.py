"""Hypothesis strategies for random *valid* plans: syntax trees the grammar can express.

`plans()` builds `ast.Plan` values (unresolved: imports and top-level goals
allowed) whose every value has a spelling in mrpl source, so that
`parse(fmt(plan)) == plan` must hold. What the grammar cannot express is left
out on purpose:

- one-line texts hold no newline, no tab, and no backslash (a text cannot end
  in a backslash, and `\\"` cannot be written, see the formatter report);
- prose text has no leading or trailing spaces per paragraph or item (lines are
  stripped), no tabs, and formatted runs (`*em*`, `**strong**`, `__u__`,
  footnotes, placeholders) are always separated by plain text;
- `udgået "grund" 2022` (a whole year after a dropped reason) does not parse
  (grammar issue, reported), so dropped dates are never plain years;
- an empty section background title (`baggrundstitel ""`) reads as none (the parser
  uses `or`), so generated titles are never empty;
- a signature date's year equals its blank-date year (the parser derives it).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from mrpl import ast as A

# ---------------------------------------------------------------- leaves

_CHARS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzæøåABCÆØÅ0123456789 .,:;-()%#\"'!?/*_[]{}|•😀"))
_WORD_CHARS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzæøåÆØÅ0123456789.,:;-()%#\"'!?/*_[]{}|•😀"))

texts = st.text(_CHARS, max_size=30)  # one-line string values


@st.composite
def _words(draw: st.DrawFn, min_words: int = 1, max_words: int = 12) -> str:
    """Words with single or double spaces between them, none at either end."""
    words = draw(st.lists(st.text(_WORD_CHARS, min_size=1, max_size=10), min_size=min_words, max_size=max_words))
    seps = draw(st.lists(st.sampled_from([" ", " ", " ", "  "]), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True)).rstrip(" ")


def decimals(min_value: int = 0, max_value: int = 10_000) -> st.SearchStrategy[Decimal]:
    whole = st.integers(min_value, max_value).map(Decimal)
    fractional = st.decimals(min_value, max_value, places=2, allow_nan=False, allow_infinity=False)
    one_place = st.integers(min_value * 10, max_value * 10).map(lambda n: Decimal(n).scaleb(-1))
    return st.one_of(whole, fractional, one_place)


years = st.integers(1990, 2040)
dates = st.dates(date(1990, 1, 1), date(2040, 12, 31))
dotted_goal_numbers = st.tuples(st.integers(1, 9), st.integers(1, 20)).map(lambda t: f"{t[0]}.{t[1]}")
# ids as the plan writes them: "1.2", "3" (numbered across the plan), "A" (lettered), "S2"
goal_numbers = st.one_of(
    dotted_goal_numbers,
    st.integers(1, 30).map(str),
    st.sampled_from(list("ABCÆ")),
    st.tuples(st.sampled_from(list("SKØ")), st.integers(1, 9)).map(lambda t: f"{t[0]}{t[1]}"),
)
refs = st.one_of(
    goal_numbers,
    st.tuples(goal_numbers, st.sampled_from(list("abcæ")) | st.integers(1, 9).map(str)).map(".".join),
)
labels = st.sampled_from(list("abcdefæøå")) | st.integers(1, 20).map(str) | dotted_goal_numbers
names = st.from_regex(r"[a-zæøå_][a-zæøå0-9_]{0,8}", fullmatch=True)

# ---------------------------------------------------------------- prose


@st.composite
def _inlines(draw: st.DrawFn, allow_marks: bool = True) -> tuple[A.Inline, ...]:
    texts_ = draw(st.lists(_words(), min_size=1, max_size=4))
    out: list[A.Inline] = []
    for n, text in enumerate(texts_):
        if n > 0 and allow_marks:
            out.append(draw(_mark()))
        out.append(A.Text(text))
    if allow_marks and draw(st.booleans()):  # a mark may also open or close the run
        mark = draw(_mark())
        out = [mark, *out] if draw(st.booleans()) else [*out, mark]
    return tuple(out)


@st.composite
def _mark(draw: st.DrawFn) -> A.Inline:
    kind = draw(st.sampled_from(["em", "strong", "under", "foot", "place"]))
    if kind == "foot":
        return A.FootnoteRef(str(draw(st.integers(1, 20))))
    if kind == "place":
        return A.Placeholder(draw(st.from_regex(r"[A-Za-zæøå_][a-zæøå0-9_]{0,8}", fullmatch=True)))
    inner = (A.Text(draw(_words(max_words=3))),)
    return {"em": A.Emphasis, "strong": A.Strong, "under": A.Underline}[kind](inner)


def _items(nested: bool = False) -> st.SearchStrategy[tuple[A.ListItem, ...]]:
    """List items; with `nested`, an item may hold a list of its own (a list inside a list item)."""
    children = st.one_of(st.just(()), _lists(nested=False).map(lambda n: (n,))) if nested else st.just(())
    item = st.builds(lambda inlines, kids: A.ListItem(inlines, children=kids), _inlines(), children)
    return st.lists(item, min_size=1, max_size=3).map(tuple)


def _lists(nested: bool) -> st.SearchStrategy[A.BulletList | A.NumberedList]:
    return st.one_of(
        _items(nested).map(A.BulletList),
        st.builds(A.NumberedList, st.integers(0, 12), _items(nested)),
    )


def _prose(nested: bool) -> st.SearchStrategy[A.Prose]:
    blocks = st.one_of(_inlines().map(A.Paragraph), _lists(nested))
    return st.one_of(
        _inlines().map(lambda i: A.Prose((A.Paragraph(i),))),
        st.lists(blocks, min_size=0, max_size=4).map(lambda b: A.Prose(tuple(b))),
    )


# Plans use flat prose; nested lists (which write and read the same in any field) are
# exercised by `prose_with_nested_lists` alone, so random plans stay as fast as before.
prose = _prose(nested=False)
prose_with_nested_lists = _prose(nested=True)

# ---------------------------------------------------------------- time

relations = st.sampled_from(list(A.Relation))
time_units = st.sampled_from(list(A.TimeUnit))
durations = st.builds(A.Duration, decimals(0, 400), time_units)

_K = A.DeadlineKind


@st.composite
def deadlines(draw: st.DrawFn, allow_year: bool = True) -> A.Deadline:
    kinds = [k for k in _K if allow_year or k is not _K.YEAR]
    kind = draw(st.sampled_from(kinds))
    if kind is _K.DATE:
        day = draw(dates)
        written = draw(st.sampled_from(["", "2020-01-01", "1. januar 2020"]))
        return A.Deadline(kind, day.year, day.month, day.day, written=written)
    if kind in (_K.MONTH_END, _K.MONTH_START):
        return A.Deadline(kind, draw(years), draw(st.integers(1, 12)))
    if kind in (_K.YEAR_END, _K.YEAR_START, _K.YEAR):
        return A.Deadline(kind, draw(years))
    if kind is _K.YEARS:
        first = draw(years)
        return A.Deadline(kind, first, last_year=draw(st.integers(first, 2045)))
    if kind in (_K.QUARTER, _K.HALF):
        top = 4 if kind is _K.QUARTER else 2
        written = draw(st.sampled_from(["", "Q", "H"]))
        return A.Deadline(kind, draw(st.none() | years), draw(st.integers(1, top)), written=written)
    return A.Deadline(kind)


# ---------------------------------------------------------------- targets and scoring


@st.composite
def share_targets(draw: st.DrawFn) -> A.ShareTarget:
    limit = draw(st.sampled_from(["none", "within", "by", "words"]))
    within = draw(durations) if limit == "within" else None
    by = draw(deadlines()) if limit == "by" else None
    words = draw(texts) if limit == "words" else None
    return A.ShareTarget(draw(relations), draw(decimals(0, 100)), within, by, draw(st.none() | texts), words)


year_spans = st.builds(lambda first, n: A.Years(first, first + n), years, st.integers(0, 5))
baselines = st.one_of(
    st.builds(A.Baseline, texts, st.none() | decimals()),
    st.builds(A.Baseline, st.none(), decimals()),
    # multi-year baselines: `ift. 2011-2015 [8,0]`, `ift. 2015 1.250` (a single year needs its value)
    st.builds(
        lambda y, v: A.Baseline(None, v, years=y), year_spans.filter(lambda y: y.first < y.last), st.none() | decimals()
    ),
    st.builds(lambda y, v: A.Baseline(None, v, years=A.Years(y, y)), years, decimals()),
)
whole = st.integers(0, 2_000_000).map(Decimal)


@st.composite
def level_changes(draw: st.DrawFn) -> A.ChangeTarget:
    """`stigning [20 %] fra 2.000 [i 2015] til 2.400 ["brugere"]`."""
    direction = draw(st.sampled_from(list(A.ChangeDirection)))
    start, level = draw(whole.filter(bool)), draw(whole)
    base = A.Baseline(None, start, years=draw(st.none() | year_spans))
    written = draw(st.booleans())
    percent = draw(decimals(0, 100)) if written else A.change_percent(direction, start, level)
    unit = draw(st.none() | texts)
    return A.ChangeTarget(direction, percent, base, level=level, unit=unit, percent_written=written)


_plain_targets = st.one_of(
    share_targets(),
    st.builds(A.TimeTarget, st.sampled_from(["average", "maximum"]), relations, durations),
    st.builds(A.CountTarget, relations, decimals(), st.none() | texts),
    st.builds(A.ChangeTarget, st.sampled_from(list(A.ChangeDirection)), decimals(0, 100), st.none() | baselines),
    st.builds(A.LevelTarget, decimals(0, 10), st.lists(texts, min_size=1, max_size=3).map(tuple), st.none()),
    st.builds(A.LevelTarget, decimals(0, 10), st.just(()), st.integers(0, 20)),
    st.builds(lambda words, count: A.LevelTarget(None, (), count, words=words), texts, st.integers(0, 20)),
    st.just(A.MilestoneTarget()),
    st.builds(A.MilestoneTarget, approval=st.builds(A.Approval, st.sampled_from(list(A.ApprovalKind)), texts)),
    st.builds(A.AssessmentTarget, relations, decimals(0, 200), decimals(0, 200)),
    st.builds(A.AssessmentTarget, st.none(), st.none(), decimals(0, 200)),
    st.just(A.StatusTarget()),
    level_changes(),
    st.builds(
        lambda d, p, b: A.ChangeTarget(d, p, b, yearly=True),
        st.sampled_from(list(A.ChangeDirection)),
        decimals(0, 100),
        st.none() | baselines,
    ),
)
targets = st.builds(
    lambda t, y: dataclasses.replace(t, years=y) if y is not None else t, _plain_targets, st.none() | year_spans
)
quantities = st.builds(
    A.Quantity, decimals(-50, 500), st.sampled_from([None, "%", "point", *(u.value for u in A.TimeUnit)])
)
steps = st.one_of(
    st.builds(A.Step, relations, quantities, decimals(0, 100)),
    st.builds(A.Step, st.none(), st.none(), decimals(0, 100)),
)
_S = A.ScoringKind
scorings = st.one_of(
    st.sampled_from([_S.THRESHOLD, _S.MILESTONES_EACH, _S.MILESTONES_ALL, _S.AREAS_ALL, _S.AREAS_SHARE]).map(A.Scoring),
    st.builds(A.Scoring, st.just(_S.LINEAR), quantities, quantities),
    st.builds(A.Scoring, st.just(_S.STEPS), st.none(), st.none(), st.lists(steps, max_size=3).map(tuple)),
)
weights = st.builds(A.Weight, decimals(-5, 100), st.sampled_from(list(A.WeightUnit)))
weightings = st.just(A.Weighting())
_upward = st.sampled_from([A.Relation.AT_LEAST, A.Relation.ABOVE])
goal_rules = st.one_of(
    st.sampled_from([A.GoalRuleKind.ALL, A.GoalRuleKind.ASSESSMENT]).map(A.GoalRule),
    st.builds(A.GoalRule, st.just(A.GoalRuleKind.SHARE), _upward, decimals(0, 100)),
    st.builds(A.GoalRule, st.just(A.GoalRuleKind.SHARE), _upward, decimals(0, 100), _upward, decimals(0, 100)),
)

# ---------------------------------------------------------------- goals


def _small(strategy: st.SearchStrategy, size: int = 2) -> st.SearchStrategy[tuple]:
    return st.lists(strategy, max_size=size).map(tuple)


methods = st.builds(
    A.Method,
    text=st.none() | prose,
    source=st.none() | texts,
    measured_by=st.none() | texts,
    frequency=st.none() | texts,
    criteria=st.none() | prose,
    scale=_small(st.builds(A.ScalePoint, decimals(0, 10), texts)),
    ref=st.none() | refs,
    title=st.none() | texts,
)
parts = st.builds(
    A.SubWeight, texts, st.none() | weights, _small(targets), st.none() | scorings, cell=st.none() | texts
)
groups = st.recursive(
    st.builds(A.SubWeightGroup, texts, st.none() | weights, _small(parts, 3), _small(texts, 3)),
    lambda inner: st.builds(A.SubWeightGroup, texts, st.none() | weights, _small(parts | inner, 3), _small(texts, 3)),
    max_leaves=3,
)
requirements = st.builds(
    A.Requirement,
    label=st.none() | labels,
    text=st.none() | prose,
    display=st.none() | texts,
    weight=st.none() | weights,
    deadlines=_small(deadlines()),
    scope=st.none() | st.builds(A.Scope, texts, st.none() | deadlines()),
    targets=_small(targets),
    scoring=st.none() | scorings,
    groups=_small(groups, 1),
    methods=_small(methods, 1),
    dropped=st.none() | st.builds(A.Dropped, texts, st.none() | deadlines(allow_year=False)),  # see module doc
    scored=st.booleans(),
    type=st.none() | texts,
)
attributes = st.builds(A.Attribute, st.sampled_from(["type"]) | texts, texts)
goals = st.builds(
    A.Goal,
    number=goal_numbers,
    area=texts,
    text=st.none() | prose,
    weight=st.none() | weights,
    preamble=st.none() | prose,
    requirements=_small(requirements, 3),
    postscript=st.none() | prose,
    background=st.none() | st.builds(A.Background, prose, st.none() | texts),
    methods=_small(methods, 1),
    attributes=_small(attributes),
    goal_rule=st.none() | goal_rules,
)
imports = st.builds(A.Import, texts, _small(st.tuples(names, texts)), _small(goals, 1))
_named_parts = st.builds(
    A.StrategyPart,
    st.sampled_from([k for k in A.StrategyKind if k is not A.StrategyKind.TEXT]),
    prose,
    st.none() | texts,
)
_text_parts = st.builds(A.StrategyPart, st.just(A.StrategyKind.TEXT), prose, st.none())
section_tasks = st.builds(
    A.CoreTask,
    st.none() | st.integers(0, 9),
    texts,
    st.none() | prose,
    _small(_text_parts | _named_parts, 2),
    _small(goals, 2),
)


@st.composite
def sections(draw: st.DrawFn) -> A.GoalSection:
    """A section's `goals` are its own goals, then those of its core tasks, in order."""
    own = draw(_small(goals, 2))
    tasks = draw(_small(section_tasks, 2))
    return A.GoalSection(
        number=draw(st.integers(0, 9)),
        title=draw(texts),
        intro=draw(st.none() | prose),
        table_title=draw(st.none() | texts),
        background_title=draw(st.none() | texts.filter(bool)),  # the parser reads `baggrundstitel ""` as no title
        background=draw(st.none() | prose),
        goals=own + tuple(g for t in tasks for g in t.goals),
        imports=draw(_small(imports, 1)),
        core_tasks=tasks,
        columns=draw(st.sampled_from([(), ("type",), ("deadline",), ("type", "deadline"), ("deadline", "type")])),
        weighting=draw(st.none() | weightings),
        goal_rule=draw(st.none() | goal_rules),
        annex_title=draw(st.none() | texts),
    )


# ---------------------------------------------------------------- header, strategy, the rest


@st.composite
def signatories(draw: st.DrawFn, role: str) -> A.Signatory:
    signed = draw(st.sampled_from(["none", "date", "blank"]))
    on = draw(dates) if signed == "date" else None
    year = on.year if on is not None else (draw(years) if signed == "blank" else None)
    return A.Signatory(
        role,
        draw(texts),
        draw(st.none() | texts),
        draw(st.none() | texts),
        on,
        year,
        draw(st.none() | texts),
    )


periods = st.tuples(dates, dates).map(lambda d: A.Period(*d))
headers = st.builds(
    A.Header,
    title=st.none() | texts,
    ministry=st.none() | texts,
    department=st.none() | texts,
    agency=st.none() | texts,
    agency_short=st.none() | texts,
    year=st.none() | years,
    period=st.none() | periods,
    total=st.none() | weights,
    director=st.none() | signatories("director"),
    head=st.none() | signatories("head"),
    renegotiation=st.none() | prose,
    next_negotiation=st.none() | texts,
    running_numbers=st.booleans(),
    weighting=st.none() | weightings,
    goal_rule=st.none() | goal_rules,
)
cells = st.builds(A.BudgetCell, st.none() | decimals(-100, 1000))
budgets = st.builds(
    A.Budget,
    reference=st.none() | texts,
    title=st.none() | texts,
    unit=st.none() | texts,
    columns=_small(st.builds(A.BudgetColumn, st.sampled_from(["R", "B", "F", "BO1", "BO2", "BO3"]), years), 3),
    total=st.none() | st.builds(A.BudgetRow, st.none(), texts, st.lists(cells, min_size=1, max_size=3).map(tuple)),
    rows=_small(st.builds(A.BudgetRow, st.integers(0, 9), texts, st.lists(cells, min_size=1, max_size=3).map(tuple))),
    note=st.none() | prose,
)
core_tasks = st.builds(
    A.CoreTasks,
    st.none() | texts,
    _small(
        st.one_of(prose, budgets, st.builds(A.CoreTask, st.none() | st.integers(0, 9), texts, st.none() | prose)), 3
    ),
)
strategy_parts = st.one_of(
    st.builds(A.StrategyPart, st.just(A.StrategyKind.TEXT), prose, st.none()),
    st.builds(
        A.StrategyPart,
        st.sampled_from([k for k in A.StrategyKind if k is not A.StrategyKind.TEXT]),
        prose,
        st.none() | texts,
    ),
)
strategy_groups = st.builds(A.StrategyGroup, texts, _small(strategy_parts, 3))
strategies_ = st.builds(A.Strategy, _small(strategy_parts | core_tasks | strategy_groups, 3))
_PLACES = ("introduction", "strategy", "goals", "follow_up", "pay", "signatures")
weight_tables = st.builds(
    A.WeightTable, _small(st.builds(A.WeightEntry, refs, weights), 3), st.none() | texts, st.sampled_from(_PLACES)
)
pay_amounts = st.one_of(
    st.builds(lambda k: A.PayAmount(kroner=k), whole),
    st.builds(lambda p, s: A.PayAmount(percent=p, of_salary=s), decimals(0, 100), st.booleans()),
)


@st.composite
def pays(draw: st.DrawFn) -> A.PerformancePay:
    linear = draw(st.booleans())
    return A.PerformancePay(
        draw(st.none() | prose),
        () if linear else draw(_small(steps, 3)),
        draw(st.none() | st.integers(1, 9).map(str)),
        maximum=draw(st.none() | pay_amounts),
        salary=draw(st.none() | whole),
        cap=draw(st.none() | pay_amounts),
        floor=draw(quantities) if linear else None,
        full=draw(quantities) if linear else None,
    )


annexes = st.builds(
    A.Annex,
    texts,
    st.none() | prose,
    _small(methods, 2),
    st.none() | prose,
    st.none() | weight_tables.map(lambda w: dataclasses.replace(w, after="annex")),
)


def _as_parsed(plan: A.Plan) -> A.Plan:
    """What the parser derives from the rest of the file: requirement ids (a label written in
    full, or `kravnummerering fortløbende`), where the weights table stands, which table counts."""
    running = plan.header is not None and plan.header.running_numbers

    def goal(g: A.Goal) -> A.Goal:
        reqs = tuple(
            dataclasses.replace(r, qualified=r.label is None or ("." not in r.label and not running))
            for r in g.requirements
        )
        return dataclasses.replace(g, requirements=reqs)

    def section(s: A.GoalSection) -> A.GoalSection:
        tasks = tuple(dataclasses.replace(t, goals=tuple(goal(g) for g in t.goals)) for t in s.core_tasks)
        own = tuple(goal(g) for g in s.goals[: len(s.goals) - sum(len(t.goals) for t in tasks)])
        imports = tuple(dataclasses.replace(i, overrides=tuple(plain(g) for g in i.overrides)) for i in s.imports)
        goals = own + tuple(g for t in tasks for g in t.goals)
        return dataclasses.replace(s, goals=goals, core_tasks=tasks, imports=imports)

    def plain(g: A.Goal) -> A.Goal:
        reqs = tuple(dataclasses.replace(r, qualified=r.label is None or "." not in r.label) for r in g.requirements)
        return dataclasses.replace(g, requirements=reqs)

    imports = tuple(dataclasses.replace(i, overrides=tuple(plain(g) for g in i.overrides)) for i in plan.imports)
    plan = dataclasses.replace(
        plan,
        sections=tuple(section(s) for s in plan.sections),
        goals=tuple(plain(g) for g in plan.goals),
        imports=imports,
    )
    if plan.weights is None:
        return dataclasses.replace(plan, weights=next((a.weights for a in plan.annexes if a.weights), None))
    annexes = tuple(dataclasses.replace(a, weights=None) for a in plan.annexes)
    return dataclasses.replace(plan, annexes=annexes, weights=_placed(plan, plan.weights))


def _placed(plan: A.Plan, weights: A.WeightTable) -> A.WeightTable:
    present = {
        "introduction": plan.introduction is not None,
        "strategy": plan.strategy is not None,
        "goals": bool(plan.goals_intro or plan.sections or plan.goals or plan.imports),
        "follow_up": plan.follow_up is not None,
        "pay": plan.pay is not None,
    }
    order = list(present)
    at = order.index(weights.after) if weights.after in order else len(order) - 1
    if not any(present[p] for p in order[at + 1 :]):
        return dataclasses.replace(weights, after="signatures")
    before = [p for p in order[: at + 1] if present[p]]
    return dataclasses.replace(weights, after=before[-1] if before else "introduction")


plans = st.builds(
    A.Plan,
    header=st.none() | headers,
    introduction=st.none() | prose,
    strategy=st.none() | strategies_,
    goals_intro=st.none() | prose,
    sections=_small(sections(), 2),
    weights=st.none() | weight_tables,
    follow_up=st.none() | prose,
    pay=st.none() | pays(),
    footnotes=_small(st.builds(A.Footnote, st.integers(1, 20).map(str), prose)),
    annexes=_small(annexes, 1),
    goals=_small(goals, 1),
    imports=_small(imports, 1),
    standard_texts=_small(st.builds(A.StandardText, st.sampled_from(list(A.StandardTextKind))), 3),
).map(_as_parsed)
