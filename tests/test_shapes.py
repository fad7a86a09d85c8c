"""Plan shapes beyond the reference plans (issue 11): ids as the plan writes them, goal groups
and core tasks, `type` on goals and requirements, a weights section where the plan puts it, and
deadlines in the document."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mrpl
from mrpl import ast as A
from mrpl.check import check_plan
from mrpl.fmt import format_source
from mrpl.i18n import deadline_in_words
from mrpl.render import render
from mrpl.render.document import Document, build_document
from mrpl.textdates import deadlines_named

ROOT = Path(__file__).resolve().parent.parent
SHAPED = [ROOT / "examples" / "kontrolstyrelsen-2024.mrp", ROOT / "examples" / "digitaliseringsstyrelsen-2025.mrp"]

HEADER = 'plan { titel "P"; styrelse "S"; år 2024; periode 2024-01-01 til 2024-12-31 }\n'


def parse(text: str) -> A.Plan:
    result = mrpl.parse_string(text, "t.mrp")
    assert [d.message for d in result.diagnostics] == []
    assert result.plan is not None
    return result.plan


def codes(text: str) -> list[tuple[str, str]]:
    plan = parse(text)
    return [(d.code, d.message) for d in check_plan(plan, {"t.mrp": text})]


def ids(plan: A.Plan) -> list[str]:
    return [i for g in plan.all_goals() for i in (g.number, *(A.requirement_id(g, r) for r in g.requirements))]


# ---------------------------------------------------------------- ids as written


def test_goal_and_requirement_ids_are_what_the_plan_writes() -> None:
    plan = parse(
        HEADER
        + """afsnit 1 "A" {
  mål 3 "Tilsyn" { resultatkrav 3.1 { tekst "x" }; resultatkrav 3.2 { tekst "y" } }
  mål A "Digital" { resultatkrav a { tekst "z" } }
  mål S2 "Strategi" { resultatkrav { tekst "w" } }
  mål 1.4 "Service" { resultatkrav 1 { tekst "v" } }
}"""
    )
    assert ids(plan) == ["3", "3.1", "3.2", "A", "A.a", "S2", "S2", "1.4", "1.4.1"]


def test_running_requirement_numbers_are_ids_across_the_plan() -> None:
    plan = parse(
        HEADER.replace("}", "; kravnummerering fortløbende }", 1)
        + """afsnit 1 "A" {
  mål A "X" { resultatkrav 1 { tekst "x" }; resultatkrav 2 { tekst "y" } }
  mål B "Y" { resultatkrav 3 { tekst "z" } }
}"""
    )
    assert ids(plan) == ["A", "1", "2", "B", "3"]


def test_english_keywords_give_the_same_tree() -> None:
    da = parse(
        'plan { titel "P"; kravnummerering fortløbende }\n'
        'strategi { del "Mission og vision" { mission "M"; pejlemærke "Navn" "T" } }\n'
        'afsnit 1 "A" { kolonner type | frist\n'
        '  kerneopgave "Kontrol" "Tekst" { tekst "Mål"; mål 3 "X" { resultatkrav 1 { type "Effekt"; frist Q2 } } } }'
    )
    en = parse(
        'plan { title "P"; requirement numbering running }\n'
        'strategy { part "Mission og vision" { mission "M"; marker "Navn" "T" } }\n'
        'section 1 "A" { columns type | deadline\n'
        '  core task "Kontrol" "Tekst" { text "Mål"; goal 3 "X" { requirement 1 { type "Effekt"; deadline Q2 } } } }'
    )
    assert da == en


@pytest.mark.parametrize(
    ("goals", "message"),
    [
        ('mål 1 "X" {}\nmål 3 "Y" {}', "goal 3 follows goal 1; expected 2"),
        ('mål A "X" {}\nmål C "Y" {}', "goal C follows goal A; expected B"),
        ('mål S2 "X" {}', "goal S2 is the first such goal; expected S1"),
    ],
)
def test_goals_numbered_across_the_plan_count_in_order(goals: str, message: str) -> None:
    found = codes(HEADER + f'afsnit 1 "A" {{\n{goals}\n}}')
    assert ("MRP203", message) in found


def test_goals_of_several_families_count_each_on_their_own() -> None:
    found = codes(HEADER + 'afsnit 1 "A" { mål S1 "X" {}; mål S2 "Y" {} }\nafsnit 2 "B" { mål 1 "Z" {}; mål 2 "W" {} }')
    assert [c for c in found if c[0] in ("MRP203", "MRP204")] == []


def test_a_requirement_written_in_full_starts_with_its_goal() -> None:
    found = codes(
        HEADER + 'afsnit 1 "A" { mål 3 "X" { resultatkrav 3.1 { tekst "a" }; resultatkrav 4.2 { tekst "b" } } }'
    )
    assert ("MRP205", "requirement 4.2 is goal 3's requirement number 2; expected 3.2") in found


def test_running_numbers_repeat_skip_and_clash_with_goals() -> None:
    found = codes(
        HEADER.replace("}", "; kravnummerering fortløbende }", 1)
        + 'afsnit 1 "A" { mål 1 "X" { resultatkrav 1 { tekst "a" }; resultatkrav 3 { tekst "b" } }'
        + '\n mål 2 "Y" { resultatkrav 3 { tekst "c" } } }'
    )
    assert ("MRP205", "requirement 3 follows requirement 1; expected 2") in found
    assert ("MRP202", "there are two requirements 3 (requirements are numbered across the plan)") in found
    assert ("MRP202", "requirement 1 has the same id as goal 1") in found


# ---------------------------------------------------------------- document


def _headings(doc: Document) -> list[str]:
    return [f"{s.heading.number} {s.heading.title}".strip() for s in doc.sections]


BODY = 'afsnit 1 "Mål" { mål 1 "X" { resultatkrav { tekst "Sagerne afgøres." } } }\n'


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        (BODY + 'VÆGT\nopfølgning "F"', ["2.0 V", "3.0 Opfølgning"]),
        (BODY + 'opfølgning "F"\nVÆGT', ["2.0 Opfølgning", "V"]),
        (BODY + 'opfølgning "F"\nVÆGT\nfodnote 1 "n"', ["2.0 Opfølgning", "V"]),
        ('VÆGT\nindledning "I"\n' + BODY, []),
    ],
)
def test_the_weights_table_stands_where_the_plan_writes_it(layout: str, expected: list[str]) -> None:
    plan = parse(HEADER + layout.replace("VÆGT", 'vægttabel "V" { 1 100 }'))
    headings = _headings(build_document(plan))
    if layout.startswith("VÆGT"):  # before every part of the body: right after the introduction
        assert headings[:3] == ["1.0 Indledning", "2.0 V", "3.0 Mål og resultatkrav"]
    else:
        # No `indledning` and no `standardtekst indledning`: the goals are section 1.0; no
        # signatures and no standard texts: no "Kontraktperiode og påtegning" section.
        assert headings[headings.index("1.0 Mål og resultatkrav") + 1 :] == expected
    assert "(vægt 0 point)" not in render(plan, "md")


def test_a_weights_table_in_an_annex_stays_there() -> None:
    plan = parse(
        HEADER + BODY + 'bilag "Bilag 1" { opgørelsesmetode 1 { tekst "m" }\n vægttabel "Scorebog" { 1 100 } }'
    )
    doc = build_document(plan)
    assert plan.weights is not None and plan.weights.after == "annex"
    assert "Scorebog" not in _headings(doc)
    assert doc.annex is not None
    assert [b.heading.title for b in doc.annex.blocks if b.heading][-1] == "Scorebog"
    assert "Resultatkrav 1 X (vægt 100 point)" in render(plan, "md")


def test_a_weights_table_in_the_plan_and_in_an_annex_is_one_too_many() -> None:
    result = mrpl.parse_string(HEADER + BODY + 'vægttabel { 1 100 }\nbilag "B" { vægttabel { 1 100 } }', "t.mrp")
    assert [d.code for d in result.diagnostics] == ["MRP010"]


def _requirement_cells(plan: A.Plan) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    doc = build_document(plan)
    return [(r.label, r.notes, r.extra) for s in doc.sections for t in s.tables for r in t.rows if r.label]


def test_a_deadline_is_a_line_unless_the_text_says_it_and_a_column_when_the_table_has_one() -> None:
    goals = """  mål 1 "X" {
    resultatkrav a { tekst "Løsningen er i drift."; frist 3. kvartal; type "Proces" }
    resultatkrav b { tekst "Rapporten sendes i 1. halvår."; frist 2. kvartal }
  }"""
    lines = _requirement_cells(parse(HEADER + f'afsnit 1 "A" {{\n{goals}\n}}'))
    assert lines == [("a)", ("Type: Proces", "Frist: 3. kvartal"), ()), ("b)", (), ())]
    columns = _requirement_cells(parse(HEADER + f'afsnit 1 "A" {{\n  kolonner frist | type\n{goals}\n}}'))
    assert columns == [("a)", (), ("3. kvartal", "Proces")), ("b)", (), ("2. kvartal", ""))]


def test_a_goal_type_is_a_label_or_the_default_of_its_requirements_column() -> None:
    goal = 'mål 1 "X" { type "Koncernfælles"; tekst "T"; resultatkrav a { tekst "R" } }'
    label = render(parse(HEADER + f'afsnit 1 "A" {{ {goal} }}'), "md")
    assert "| 1 | X | T *Type: Koncernfælles* | a) R |" in label
    column = render(parse(HEADER + f'afsnit 1 "A" {{ kolonner type\n {goal} }}'), "md")
    assert "| 1 | X | T | a) R | Koncernfælles |" in column


def test_core_tasks_without_a_number_print_their_title() -> None:
    plan = parse(
        HEADER
        + 'strategi { kerneopgaver { kerneopgave "Tilsyn" "T"; kerneopgave 2 "Vejledning" } }\n'
        + 'afsnit 1 "A" { kerneopgave "Tilsyn" { pejlemærke "Strategisk mål" "S"; mål 1 "X" {} } }'
    )
    md = render(plan, "md")
    assert "#### Tilsyn\n\nT" in md and "#### Kerneopgave 2: Vejledning" in md
    assert "Kerneopgave :" not in md and "##### Strategisk mål\n\nS" in md


# ---------------------------------------------------------------- the examples


@pytest.mark.parametrize("path", SHAPED, ids=lambda p: p.stem)
def test_shaped_examples_check_clean(path: Path) -> None:
    load = mrpl.load_file(str(path))
    assert load.plan is not None
    assert [d.code for d in load.diagnostics] == []
    assert [(d.code, d.message) for d in mrpl.check(load)] == []


@pytest.mark.parametrize("path", SHAPED, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_shaped_examples_format_and_round_trip(path: Path, lang: str) -> None:
    source = path.read_text(encoding="utf-8")
    if lang == "da":
        assert format_source(source, str(path)) == source
    again = format_source(format_source(source, str(path), lang), str(path), "da")
    assert parse(again) == parse(source)


def test_a_core_task_without_a_number_matches_its_budget_row_by_name() -> None:
    budget = 'budget { kolonner F 2024; total "I alt" | 10; række 1 "Tilsyn" | 10 }'
    found = codes(HEADER + f'strategi {{ kerneopgaver {{ {budget}\n kerneopgave "Tilsyn" "T" }} }}')
    assert [c for c in found if c[0] == "MRP504"] == []
    found = codes(HEADER + f'strategi {{ kerneopgaver {{ {budget}\n kerneopgave "Vejledning" "T" }} }}')
    assert ("MRP504", "budget row 1 'Tilsyn' has no `kerneopgave 1`") in found


@given(
    st.sampled_from([A.DeadlineKind.QUARTER, A.DeadlineKind.HALF, A.DeadlineKind.MONTH_END, A.DeadlineKind.DATE]),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(2000, 2040),
    st.sampled_from(["da", "en"]),
)
def test_a_deadline_written_in_words_is_read_back_from_a_text(
    kind: A.DeadlineKind, n: int, day: int, year: int, lang: str
) -> None:
    """What the document prints for a `frist` ("2. kvartal 2024", "ultimo marts 2024") is what
    the text reader finds again: the same last day."""
    number = {A.DeadlineKind.QUARTER: (n - 1) % 4 + 1, A.DeadlineKind.HALF: (n - 1) % 2 + 1}.get(kind, n)
    deadline = A.Deadline(kind, year, number, day if kind is A.DeadlineKind.DATE else None)
    text = f"Opgaven skal være løst {deadline_in_words(deadline, lang)}, som aftalt."
    (named,) = deadlines_named(text)
    assert named.end_date(year) == deadline.end_date(year)


def test_an_unlabelled_requirement_in_a_running_plan_round_trips() -> None:
    source = 'plan { kravnummerering fortløbende }\nafsnit 1 "A" { mål 1 "X" { resultatkrav { tekst "R" } } }\n'
    plan = parse(source)
    (req,) = plan.sections[0].goals[0].requirements
    assert req.qualified and A.requirement_id(plan.sections[0].goals[0], req) == "1"
    assert parse(format_source(source)) == plan
