"""Plans generated from valid constructs parse to the AST they were generated from.

Each keyword is drawn in Danish or English independently, so mixed files are
covered too; numbers, dates and texts are random.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mrpl import ast as A
from mrpl import parse_string
from mrpl.keywords import MONTHS_DA, MONTHS_EN, by_name


@dataclass(frozen=True)
class Generated:
    source: str
    node: object


def kw(name: str) -> st.SearchStrategy[str]:
    k = by_name()[name]
    return st.sampled_from(k.da + k.en)


plain_text = (
    st.text(
        alphabet=st.characters(whitelist_categories=("L", "N"), whitelist_characters=" æøåÆØÅ.,:;-()%§"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def decimal_text(value: Decimal) -> str:
    return str(value).replace(".", ",")


numbers = st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False, allow_infinity=False)
whole = st.integers(min_value=0, max_value=500)
years = st.integers(min_value=2000, max_value=2040)


@st.composite
def weights(draw: st.DrawFn) -> Generated:
    value = draw(numbers)
    unit = draw(st.sampled_from([None, A.WeightUnit.POINTS, A.WeightUnit.PERCENT]))
    unit_text = {None: "", A.WeightUnit.POINTS: " " + draw(kw("POINT")), A.WeightUnit.PERCENT: " %"}[unit]
    return Generated(
        f"{draw(kw('WEIGHT'))} {decimal_text(value)}{unit_text}", A.Weight(value, unit or A.WeightUnit.POINTS)
    )


@st.composite
def deadlines(draw: st.DrawFn) -> Generated:
    year = draw(years)
    form = draw(st.sampled_from(["iso", "long", "ultimo", "quarter", "half", "code"]))
    if form == "iso":
        d = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
        text, node = d.isoformat(), A.Deadline(A.DeadlineKind.DATE, d.year, d.month, d.day)
    elif form == "long":
        d = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
        month = draw(st.sampled_from([MONTHS_DA, MONTHS_EN]))[d.month - 1]
        text, node = f"{d.day}. {month} {d.year}", A.Deadline(A.DeadlineKind.DATE, d.year, d.month, d.day)
    elif form == "ultimo":
        m = draw(st.integers(1, 12))
        text = f"{draw(kw('ULTIMO'))} {draw(st.sampled_from([MONTHS_DA, MONTHS_EN]))[m - 1]} {year}"
        node = A.Deadline(A.DeadlineKind.MONTH_END, year, m)
    elif form == "quarter":
        q = draw(st.integers(1, 4))
        text, node = f"{q}. {draw(kw('QUARTER'))} {year}", A.Deadline(A.DeadlineKind.QUARTER, year, q)
    elif form == "half":
        h = draw(st.integers(1, 2))
        text, node = f"{h}. {draw(kw('HALF'))} {year}", A.Deadline(A.DeadlineKind.HALF, year, h)
    else:
        q = draw(st.integers(1, 4))
        text, node = f"Q{q} {year}", A.Deadline(A.DeadlineKind.QUARTER, year, q)
    return Generated(text, node)


@st.composite
def targets(draw: st.DrawFn) -> Generated:
    relation_name = draw(st.sampled_from(["AT_LEAST", "AT_MOST", "BELOW", "ABOVE", "EXACTLY"]))
    relation = A.Relation[relation_name]
    rel = draw(kw(relation_name))
    unit_name = draw(st.sampled_from(["DAYS", "WEEKS", "MONTHS", "HOURS"]))
    unit = A.TimeUnit[unit_name]
    amount = draw(whole)
    kind = draw(st.sampled_from(["share", "average", "count", "reduction", "level", "milestone"]))
    if kind == "share":
        pct = draw(st.integers(0, 100))
        text = f"{draw(kw('SHARE'))} {rel} {pct} % {draw(kw('WITHIN'))} {amount} {draw(kw(unit_name))}"
        node: object = A.ShareTarget(relation, Decimal(pct), A.Duration(Decimal(amount), unit))
    elif kind == "average":
        text = f"{draw(kw('AVERAGE'))} {rel} {amount} {draw(kw(unit_name))}"
        node = A.TimeTarget("average", relation, A.Duration(Decimal(amount), unit))
    elif kind == "count":
        label = draw(plain_text)
        text = f"{draw(kw('COUNT'))} {rel} {amount} {quoted(label)}"
        node = A.CountTarget(relation, Decimal(amount), label)
    elif kind == "reduction":
        base = draw(plain_text)
        pct = draw(st.integers(0, 100))
        text = f"{draw(kw('REDUCTION'))} {pct} % {draw(kw('AGAINST'))} {quoted(base)}"
        node = A.ChangeTarget(A.ChangeDirection.REDUCTION, Decimal(pct), A.Baseline(base))
    elif kind == "level":
        areas = draw(st.lists(plain_text, min_size=1, max_size=3))
        text = f"{draw(kw('LEVEL'))} {amount} {draw(kw('ON'))} " + " | ".join(quoted(a) for a in areas)
        node = A.LevelTarget(Decimal(amount), tuple(areas))
    else:
        text, node = draw(kw("MILESTONE")), A.MilestoneTarget()
        approval = draw(st.sampled_from([None, "APPROVED", "JOINTLY"]))
        if approval is not None:
            party = draw(plain_text)
            text += f" {draw(kw(approval))} {quoted(party)}"
            kind_ = A.ApprovalKind.APPROVED if approval == "APPROVED" else A.ApprovalKind.JOINT
            node = A.MilestoneTarget(approval=A.Approval(kind_, party))
    return Generated(f"{draw(kw('TARGET'))} {text}", node)


@st.composite
def requirements(draw: st.DrawFn, label: str) -> Generated:
    text = draw(plain_text)
    weight = draw(st.none() | weights())
    due = draw(st.lists(deadlines(), max_size=2))
    goals_ = draw(st.lists(targets(), max_size=2))
    lines = [f"{draw(kw('TEXT'))} {quoted(text)}"]
    lines += [weight.source] if weight else []
    lines += [f"{draw(kw('DEADLINE'))} {d.source}" for d in due]
    lines += [t.source for t in goals_]
    sep = draw(st.sampled_from(["\n", "; "]))
    source = f"{draw(kw('REQUIREMENT'))} {label} {{\n" + sep.join(lines) + "\n}"
    node = A.Requirement(
        label=label,
        text=A.Prose((A.Paragraph((A.Text(text),)),)),
        weight=weight.node if weight else None,  # type: ignore[arg-type]
        deadlines=tuple(d.node for d in due),  # type: ignore[misc]
        targets=tuple(t.node for t in goals_),  # type: ignore[misc]
    )
    return Generated(source, node)


@st.composite
def plans(draw: st.DrawFn) -> Generated:
    sections = []
    sources = []
    for s_no in range(1, draw(st.integers(1, 3)) + 1):
        goals = []
        goal_sources = []
        for g_no in range(1, draw(st.integers(1, 3)) + 1):
            area = draw(plain_text)
            reqs = [draw(requirements(label)) for label in "abc"[: draw(st.integers(0, 3))]]
            number = f"{s_no}.{g_no}"
            body = "\n".join(r.source for r in reqs)
            goal_sources.append(f"{draw(kw('GOAL'))} {number} {quoted(area)} {{\n{body}\n}}")
            goals.append(A.Goal(number=number, area=area, requirements=tuple(r.node for r in reqs)))  # type: ignore[misc]
        title = draw(plain_text)
        sources.append(f"{draw(kw('SECTION'))} {s_no} {quoted(title)} {{\n" + "\n".join(goal_sources) + "\n}")
        sections.append(A.GoalSection(number=s_no, title=title, goals=tuple(goals)))
    return Generated("\n\n".join(sources) + "\n", A.Plan(sections=tuple(sections)))


@settings(max_examples=150, deadline=None)
@given(plans())
def test_generated_plans_parse_to_the_expected_tree(generated: Generated) -> None:
    result = parse_string(generated.source, "gen.mrp")
    assert result.diagnostics == []
    assert result.plan == generated.node
