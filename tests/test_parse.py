"""The parser: every construct, positions, error messages, robustness."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mrpl import ast as A
from mrpl import parse_string
from mrpl.diagnostics import Severity


def parse_ok(text: str) -> A.Plan:
    result = parse_string(text, "t.mrp")
    assert [d for d in result.diagnostics if d.severity == Severity.ERROR] == []
    assert result.plan is not None
    return result.plan


def only_goal(text: str) -> A.Goal:
    return parse_ok(text).all_goals()[0]


def requirement(body: str) -> A.Requirement:
    return only_goal(f'mål 1.1 "Område" {{\n  resultatkrav a {{\n{body}\n  }}\n}}\n').requirements[0]


# ---------------------------------------------------------------- header


HEADER = """
plan {
  titel "Mål- og resultatplan 2020"
  ministerium "Udlændinge- og Integrationsministeriet"
  departement "Udlændinge- og Integrationsministeriets departement"
  styrelse "Styrelsen for International Rekruttering og Integration"
  forkortelse "SIRI"
  år 2020
  periode 1. januar 2020 til 31. december 2020
  total 100 point
  direktør "Kasper Højvang Kyed" {
    titel "Direktør"
    sted "København"
    dato blank 2019
  }
  departementschef "Pernille Breinholdt Mikkelsen" {
    titel "Departementschef"
    sted "København"
    dato 2021-11-22
  }
  genforhandling "Genforhandling kan finde sted."
  næste forhandling "efteråret 2020"
}
"""


def test_header_fields() -> None:
    h = parse_ok(HEADER).header
    assert h is not None
    assert h.agency_short == "SIRI" and h.year == 2020
    assert h.period == A.Period(date(2020, 1, 1), date(2020, 12, 31))
    assert h.total == A.Weight(Decimal(100))
    assert h.director == A.Signatory("director", "Kasper Højvang Kyed", "Direktør", "København", None, 2019)
    assert h.head is not None and h.head.signed_on == date(2021, 11, 22) and h.head.signed_year == 2021
    assert h.renegotiation is not None and h.renegotiation.plain() == "Genforhandling kan finde sted."
    assert h.next_negotiation == "efteråret 2020"


def test_spans_are_one_based_and_exact() -> None:
    plan = parse_ok('\nmål 1.1 "Område" {\n  vægt 2,5\n}\n')
    goal = plan.all_goals()[0]
    assert (goal.span.line, goal.span.column) == (2, 1)
    assert goal.weight is not None
    assert (goal.weight.span.line, goal.weight.span.column, goal.weight.span.end_column) == (3, 3, 11)
    assert goal.span.file == "t.mrp"


def test_spans_do_not_affect_equality() -> None:
    a = parse_ok('mål 1.1 "x" {\n  vægt 5\n}\n')
    b = parse_ok('\n\n# comment\nmål   1.1   "x"   {  vægt 5 }\n')
    assert a == b


# ---------------------------------------------------------------- strategy and budget


def test_strategy_parts_keep_order_titles_and_prose() -> None:
    plan = parse_ok(
        'strategi {\n  mission "Mission og ambitioner" """\n    Vi *sikrer*:\n    - et\n    - to\n  """\n'
        '  vision "Vi bidrager."\n  tekst "Løs tekst."\n  pejlemærke "Digital" "Først."\n}\n'
    )
    assert plan.strategy is not None
    kinds = [p.kind for p in plan.strategy.parts if isinstance(p, A.StrategyPart)]
    assert kinds == [A.StrategyKind.MISSION, A.StrategyKind.VISION, A.StrategyKind.TEXT, A.StrategyKind.MARKER]
    mission = plan.strategy.parts[0]
    assert isinstance(mission, A.StrategyPart) and mission.title == "Mission og ambitioner"
    para, bullets = mission.text.blocks
    assert para == A.Paragraph((A.Text("Vi "), A.Emphasis((A.Text("sikrer"),)), A.Text(":")))
    assert bullets == A.BulletList((A.ListItem((A.Text("et"),)), A.ListItem((A.Text("to"),))))


BUDGET = """
strategi {
  kerneopgaver {
    tekst "Intro."
    budget {
      finanslov "FFL20 § 14.21.01"
      enhed "Mio. kr. (2020-pl)"
      kolonner R 2017 | B 2019 | F 2020 | BO1 2021
      total "Udgift i alt" | 183,8 | 128,8 | 152,0 | -
      række 0 "Generelle fællesomkostninger" | 80,1 | 44,2 | 0,0 | -
    }
    kerneopgave 0 "Generelle fællesomkostninger" "Tekst."
  }
}
"""


def test_budget_table_keeps_dash_distinct_from_zero_and_decimals() -> None:
    plan = parse_ok(BUDGET)
    assert plan.strategy is not None
    tasks = plan.strategy.parts[0]
    assert isinstance(tasks, A.CoreTasks)
    budget = tasks.items[1]
    assert isinstance(budget, A.Budget)
    assert [(c.kind, c.year) for c in budget.columns] == [("R", 2017), ("B", 2019), ("F", 2020), ("BO1", 2021)]
    assert budget.total is not None and budget.total.number is None
    assert str(budget.total.cells[2].value) == "152.0"  # the written precision is kept
    row = budget.rows[0]
    assert row.cells[2].value == Decimal("0.0") and row.cells[3].value is None
    core = tasks.items[2]
    assert isinstance(core, A.CoreTask) and (core.number, core.title) == (0, "Generelle fællesomkostninger")


# ---------------------------------------------------------------- goals and requirements


def test_goal_with_attributes_background_and_requirements() -> None:
    goal = only_goal(
        'mål 1.1 "Asylsager" {\n  type "Effekt"\n  attribut "Ejer" "Asylkontoret"\n  tekst "Mål."\n'
        '  kravtekst "Forord."\n  resultatkrav a { vægt 10 }\n  resultatkrav b "1. kvartal" { vægt 2,5 }\n'
        '  resultatkrav { ikke scoret }\n  kravnote "Efterskrift."\n  baggrund "Asyl" "Fordi."\n}\n'
    )
    assert goal.attributes == (A.Attribute("type", "Effekt"), A.Attribute("Ejer", "Asylkontoret"))
    assert [r.label for r in goal.requirements] == ["a", "b", None]
    assert goal.requirements[1].display == "1. kvartal"
    assert goal.requirements[1].weight == A.Weight(Decimal("2.5"))
    assert goal.requirements[2].scored is False
    assert goal.background == A.Background(A.Prose((A.Paragraph((A.Text("Fordi."),)),)), "Asyl")
    assert goal.preamble is not None and goal.postscript is not None
    assert A.requirement_id(goal, goal.requirements[0]) == "1.1.a"
    assert A.requirement_id(goal, goal.requirements[2]) == "1.1"


def test_weights_in_percent_and_points() -> None:
    assert requirement("vægt 5 %").weight == A.Weight(Decimal(5), A.WeightUnit.PERCENT)
    assert requirement("vægt 5 pct.").weight == A.Weight(Decimal(5), A.WeightUnit.PERCENT)
    assert requirement("vægt 5 point").weight == A.Weight(Decimal(5), A.WeightUnit.POINTS)


@pytest.mark.parametrize(
    ("written", "kind", "year", "number", "end"),
    [
        ("2022-03-31", A.DeadlineKind.DATE, 2022, 3, date(2022, 3, 31)),
        ("31. marts 2022", A.DeadlineKind.DATE, 2022, 3, date(2022, 3, 31)),
        ("31 March 2022", A.DeadlineKind.DATE, 2022, 3, date(2022, 3, 31)),
        ("ultimo marts 2022", A.DeadlineKind.MONTH_END, 2022, 3, date(2022, 3, 31)),
        ("end of February 2024", A.DeadlineKind.MONTH_END, 2024, 2, date(2024, 2, 29)),
        ("primo april 2022", A.DeadlineKind.MONTH_START, 2022, 4, date(2022, 4, 1)),
        ("ultimo 2021", A.DeadlineKind.YEAR_END, 2021, None, date(2021, 12, 31)),
        ("2. kvartal 2022", A.DeadlineKind.QUARTER, 2022, 2, date(2022, 6, 30)),
        ("Q3 2022", A.DeadlineKind.QUARTER, 2022, 3, date(2022, 9, 30)),
        ("quarter 1 2022", A.DeadlineKind.QUARTER, 2022, 1, date(2022, 3, 31)),
        ("1. halvår 2022", A.DeadlineKind.HALF, 2022, 1, date(2022, 6, 30)),
        ("H2 2022", A.DeadlineKind.HALF, 2022, 2, date(2022, 12, 31)),
        ("2022", A.DeadlineKind.YEAR, 2022, None, date(2022, 12, 31)),
    ],
)
def test_deadline_forms(written: str, kind: A.DeadlineKind, year: int, number: int | None, end: date) -> None:
    (dl,) = requirement(f"frist {written}").deadlines
    assert (dl.kind, dl.year, dl.number, dl.date) == (kind, year, number, end)
    assert dl.written == written


def test_deadline_without_year_resolves_against_a_year() -> None:
    (dl,) = requirement("frist 1. kvartal").deadlines
    assert dl.year is None and dl.date is None
    assert dl.end_date(2020) == date(2020, 3, 31) and dl.start_date(2020) == date(2020, 1, 1)
    (end,) = requirement("frist periodens udgang").deadlines
    assert end.kind == A.DeadlineKind.PERIOD_END


def test_invalid_calendar_date_is_a_located_error() -> None:
    result = parse_string('mål 1.1 "x" {\n  resultatkrav a {\n    frist 2022-02-30\n  }\n}\n', "t.mrp")
    (d,) = result.diagnostics
    assert d.code == "MRP020" and (d.span.line, d.span.column) == (3, 11)


def test_scope() -> None:
    scope = requirement('omfang "sager afgjort" i 2. halvår 2022').scope
    assert scope is not None and scope.text == "sager afgjort"
    assert scope.within is not None and scope.within.kind == A.DeadlineKind.HALF and scope.within.number == 2


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            'andel mindst 90 % inden for 6 måneder af "sager afgjort i 2022"',
            A.ShareTarget(
                A.Relation.AT_LEAST,
                Decimal(90),
                A.Duration(Decimal(6), A.TimeUnit.MONTHS),
                None,
                "sager afgjort i 2022",
            ),
        ),
        (
            "andel minimum 80 pct. inden for 20 min.",
            A.ShareTarget(A.Relation.AT_LEAST, Decimal(80), A.Duration(Decimal(20), A.TimeUnit.MINUTES)),
        ),
        (
            "gennemsnit højst 120 dage",
            A.TimeTarget("average", A.Relation.AT_MOST, A.Duration(Decimal(120), A.TimeUnit.DAYS)),
        ),
        (
            "maksimum højst 3 uger",
            A.TimeTarget("maximum", A.Relation.AT_MOST, A.Duration(Decimal(3), A.TimeUnit.WEEKS)),
        ),
        (
            'antal mindst 12 "udsendelsesprojekter"',
            A.CountTarget(A.Relation.AT_LEAST, Decimal(12), "udsendelsesprojekter"),
        ),
        ('antal under 7 "dage pr. medarbejder"', A.CountTarget(A.Relation.BELOW, Decimal(7), "dage pr. medarbejder")),
        (
            'fald 10 % ift. "ultimo 2021"',
            A.ChangeTarget(A.ChangeDirection.REDUCTION, Decimal(10), A.Baseline("ultimo 2021")),
        ),
        (
            "stigning 5 % ift. 1200",
            A.ChangeTarget(A.ChangeDirection.INCREASE, Decimal(5), A.Baseline(None, Decimal(1200))),
        ),
        ("fald 5 %", A.ChangeTarget(A.ChangeDirection.REDUCTION, Decimal(5), None)),
        (
            'niveau 4 på "Risikostyring" | "Leverandørstyring"',
            A.LevelTarget(Decimal(4), ("Risikostyring", "Leverandørstyring")),
        ),
        ("niveau 3 på 7 områder", A.LevelTarget(Decimal(3), (), 7)),
        ("milepæl", A.MilestoneTarget()),
        ("vurdering mindst 81 af 108 point", A.AssessmentTarget(A.Relation.AT_LEAST, Decimal(81), Decimal(108))),
        ("fastholdt", A.StatusTarget()),
    ],
)
def test_targets(source: str, expected: A.Target) -> None:
    assert requirement(f"måltal {source}").targets == (expected,)


def test_share_by_deadline() -> None:
    (target,) = requirement("måltal andel mindst 95 % senest ultimo marts 2022").targets
    assert isinstance(target, A.ShareTarget) and target.by is not None and target.by.date == date(2022, 3, 31)


def test_scoring_rules() -> None:
    steps = requirement("opfyldelse trin { mindst 90 %: 100 %; mindst 85 %: 50 %; ellers: 0 % }").scoring
    assert steps is not None and steps.kind == A.ScoringKind.STEPS
    assert steps.steps[0] == A.Step(A.Relation.AT_LEAST, A.Quantity(Decimal(90), "%"), Decimal(100))
    assert steps.steps[2] == A.Step(None, None, Decimal(0))
    linear = requirement("opfyldelse lineær fra 80 % til 90 %").scoring
    assert linear == A.Scoring(A.ScoringKind.LINEAR, A.Quantity(Decimal(80), "%"), A.Quantity(Decimal(90), "%"))
    assert requirement("opfyldelse milepæle hver").scoring == A.Scoring(A.ScoringKind.MILESTONES_EACH)
    assert requirement("opfyldelse områder andel").scoring == A.Scoring(A.ScoringKind.AREAS_SHARE)
    assert requirement("opfyldelse tærskel").scoring == A.Scoring(A.ScoringKind.THRESHOLD)


def test_dropped_and_subweight_groups() -> None:
    req = requirement(
        '    udgået "Aftalt med departementet" 2022-06-01\n'
        '    gruppe "Erhverv" {\n      vægt 35\n      kolonner "Mål i dage" | "Vægt"\n'
        '      del "Beløbsordningen 1. gang" { vægt 8; måltal andel mindst 90 % inden for 31 dage }\n'
        '      gruppe "Indre" { vægt 27; del "X" }\n    }'
    )
    assert req.dropped is not None and req.dropped.reason == "Aftalt med departementet"
    assert req.dropped.on is not None and req.dropped.on.date == date(2022, 6, 1)
    (group,) = req.groups
    assert group.weight == A.Weight(Decimal(35)) and group.header == ("Mål i dage", "Vægt")
    part, inner = group.members
    assert isinstance(part, A.SubWeight) and part.weight == A.Weight(Decimal(8)) and len(part.targets) == 1
    assert isinstance(inner, A.SubWeightGroup) and inner.members == (A.SubWeight("X"),)


def test_measurement_methods_inline_and_in_annex() -> None:
    plan = parse_ok(
        'mål 1.1 "x" {\n  opgørelsesmetode {\n    tekst "Sådan."\n    datakilde "ISOLA"\n    måles af "Koncern HR"\n'
        '    hyppighed "kvartalsvis"\n    kriterium "Anses for 100 pct. opfyldt, hvis ..."\n'
        '    point 1 "Ikke tilfredsstillende"\n    point 3 "Tilfredsstillende"\n  }\n}\n'
        'bilag "Bilag" {\n  tekst "Indledning."\n  opgørelsesmetode 1.5 "Servicemål" { tekst "x" }\n  afslutning "Slut."\n}\n'
    )
    (method,) = plan.all_goals()[0].methods
    assert (method.source, method.measured_by, method.frequency) == ("ISOLA", "Koncern HR", "kvartalsvis")
    assert [p.points for p in method.scale] == [Decimal(1), Decimal(3)]
    (annex,) = plan.annexes
    assert annex.methods[0].ref == "1.5" and annex.methods[0].title == "Servicemål"
    assert annex.closing is not None


def test_sections_weights_table_pay_footnotes_imports() -> None:
    plan = parse_ok(
        'målindledning "Målene."\n'
        'afsnit 2 "Koncernfælles mål" {\n  indledning "Nedenfor."\n  tabeltitel "2. Koncernfælles mål"\n'
        '  baggrundstitel "Baggrund for valget"\n  baggrund "Departementet har besluttet."\n'
        '  importer "fælles.mrp" {\n    sæt styrelse "Styrelsen"\n    mål 2.1 { tekst "Andet." }\n  }\n}\n'
        'vægttabel "Vægte" {\n  1.1 5\n  1.2.a 2,5\n}\n'
        'opfølgning "Status."\nresultatløn {\n  tekst "Løn[^1]."\n  fodnote 1\n  skala { mindst 90 point: 100 %; ellers: 0 % }\n}\n'
        'fodnote 1 "Udgår for nævnene."\n'
    )
    (section,) = plan.sections
    assert (section.number, section.table_title, section.background_title) == (
        2,
        "2. Koncernfælles mål",
        "Baggrund for valget",
    )
    (imp,) = section.imports
    assert imp.path == "fælles.mrp" and imp.values == (("styrelse", "Styrelsen"),)
    assert imp.overrides[0].number == "2.1" and imp.overrides[0].area == ""
    assert plan.weights is not None and [e.ref for e in plan.weights.entries] == ["1.1", "1.2.a"]
    assert plan.pay is not None and plan.pay.footnote == "1" and len(plan.pay.schedule) == 2
    assert plan.pay.text is not None
    assert A.FootnoteRef("1") in plan.pay.text.blocks[0].inlines  # type: ignore[union-attr]
    assert plan.footnotes[0].label == "1"


def test_english_keywords_give_the_same_tree() -> None:
    da = parse_string(
        'mål 1.1 "Asyl" {\n  resultatkrav a {\n    vægt 10\n    frist ultimo marts 2022\n'
        "    måltal andel mindst 90 % inden for 30 dage\n    opfyldelse lineær fra 80 % til 90 %\n  }\n}\n"
    )
    en = parse_string(
        'goal 1.1 "Asyl" {\n  requirement a {\n    weight 10\n    deadline end of March 2022\n'
        "    target share at least 90 % within 30 days\n    scoring linear from 80 % to 90 %\n  }\n}\n"
    )
    assert da.plan == en.plan
    assert (da.language, en.language) == ("da", "en")


def test_comments_are_collected_with_positions() -> None:
    result = parse_string('# top\nmål 1.1 "x" { # trailing\n  vægt 5\n}\n')
    assert [(c.text, c.span.line, c.span.column) for c in result.comments] == [("# top", 1, 1), ("# trailing", 2, 15)]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            '# a\n\n  # b\r\nmål 1.1 "x" {\r\n  # c;d\r\n\r\n  vægt 5 # e\r\n}', id="CRLF, runs of comment lines"
        ),
        pytest.param('mål 1.1 "x" { vægt 5; # a\n ; # b\n}\n# last, no line break', id="semicolons, end of file"),
        pytest.param('\ufeff# a\n\f  # b\nmål 1.1 "#x" {\n}\n', id="BOM, form feed, # in a string"),
    ],
)
def test_comments_between_statements_keep_their_exact_place(source: str) -> None:
    """Comment lines travel inside the separator token; each must come out where it stands."""
    result = parse_string(source)
    assert not result.diagnostics
    expected = [(m.group(), m.start(), m.end()) for m in re.finditer(r"#[^\n]*", source) if m.group() != '#x" {']
    assert [(c.text, c.span.start, c.span.end) for c in result.comments] == expected
    for c in result.comments:
        line_start = source.rfind("\n", 0, c.span.start) + 1
        assert (c.span.line, c.span.column) == (source.count("\n", 0, c.span.start) + 1, c.span.start - line_start + 1)
        assert (c.span.end_line, c.span.end_column) == (c.span.line, c.span.column + len(c.text))


def test_a_byte_order_mark_inside_the_file_is_named_not_shown() -> None:
    source = 'plan {\n  titel "a\ufeffb"\n\ufeff  år 2022\n}\n'
    result = parse_string(source)
    (diag,) = result.diagnostics
    assert (diag.code, diag.span.line, diag.span.column) == ("MRP004", 3, 1)
    assert "U+FEFF" in diag.message and diag.fix == "delete it"
    assert result.plan is not None and result.plan.header is not None
    assert result.plan.header.title == "a\ufeffb"  # inside a text it is the writer's own
    assert result.plan.header.year == 2022  # and the parse goes on after it


def test_long_strings_are_dedented_and_unescaped() -> None:
    goal = only_goal(
        'mål 1.1 "Om \\"x\\"" {\n  tekst """\n      Første linje\n      fortsat.\n\n      Andet afsnit.\n  """\n}\n'
    )
    assert goal.area == 'Om "x"'
    assert goal.text is not None and goal.text.plain() == "Første linje fortsat.\n\nAndet afsnit."


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("source", "code", "line", "column", "words"),
    [
        (
            'mål 1.1 "x" {\n  vægt fem\n}\n',
            "MRP002",
            2,
            8,
            "expected a number (decimal comma: 2,5) after `vægt`, found `fem`",
        ),
        ('mål 1.1 "x" {\n  vægt 5\n', "MRP002", 2, 8, "the file ends too early"),
        ('plan {\n  titel "uafsluttet\n}\n', "MRP005", 2, 9, 'this text is never closed: add " where it ends'),
        ('mål 1.1 "x" {\n  tekst """aldrig lukket\n}\n', "MRP005", 2, 9, 'add """ where it ends'),
        ('mål 1.1 "x" {\n  vægt 5 @\n}\n', "MRP004", 2, 10, "unexpected character `@`"),
        ('goal 1.1 "x" {\n  weight\n}\n', "MRP002", 2, 9, "expected a number (decimal comma: 2,5) after `weight`"),
        ('plan {\n  titel "a"\n  titel "b"\n}\n', "MRP010", 3, 3, "`titel` is given twice in this plan header"),
    ],
)
def test_syntax_errors_in_words_with_positions(source: str, code: str, line: int, column: int, words: str) -> None:
    result = parse_string(source, "t.mrp")
    first = result.diagnostics[0]
    assert (first.code, first.span.line, first.span.column) == (code, line, column)
    assert words in first.message
    assert first.severity == Severity.ERROR


def test_several_errors_are_reported_in_one_run() -> None:
    result = parse_string('mål 1.1 "x" {\n  vægt fem\n  frist\n  resultatkrav a { vægt }\n}\n', "t.mrp")
    assert len({d.span.line for d in result.diagnostics}) >= 3


@pytest.mark.parametrize(
    "source",
    [
        "",
        '\ufeffplan {\r\n  titel "a"\r\n}\r\n',
        '\tmål 1.1 "x" {\n\tvægt 5\n}\n',
        "\x00\x01\x02binary\xff",
        "}" * 50,
        "{" * 5000,
        'afsnit 1 "a" {' * 3000,
        '"""' * 7,
        'mål 1.1 "x" { resultatkrav a { gruppe "g" {' + ' gruppe "g" {' * 400 + "}" * 400 + "} } }",
    ],
)
def test_hostile_inputs_give_diagnostics_not_exceptions(source: str) -> None:
    result = parse_string(source, "t.mrp")
    assert result.plan is not None or result.diagnostics


def test_bom_and_crlf_parse_like_plain_text() -> None:
    assert parse_ok('\ufeffplan {\r\n  titel "a"\r\n}\r\n') == parse_ok('plan {\n  titel "a"\n}\n')


def test_oversized_input_is_refused_with_a_message() -> None:
    big = "# " + "x" * 17_000_000
    result = parse_string(big, "big.mrp")
    assert result.plan is None and result.diagnostics[0].code == "MRP001"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_gives_a_result_never_an_exception(text: str) -> None:
    result = parse_string(text, "fuzz.mrp")
    assert result.plan is not None or result.diagnostics
    for d in result.diagnostics:
        assert d.span.line >= 1 and d.span.column >= 1


_TOKENS = st.sampled_from(
    ['mål', '1.1', '"x"', '{', '}', '\n', 'vægt', '5', '2,5', 'resultatkrav', 'a', 'frist', '2. kvartal', 'måltal',
     'andel', 'mindst', '90', '%', 'inden for', 'dage', '"""\nt\n"""', ';', '#c\n', 'gruppe', 'del', 'afsnit', '1']
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, max_size=40))
def test_near_miss_plans_give_a_result_never_an_exception(tokens: list[str]) -> None:
    result = parse_string(" ".join(tokens), "fuzz.mrp")
    assert result.plan is not None or result.diagnostics


def test_committed_lalr_tables_match_the_grammar() -> None:
    from mrpl.parse import tables_are_current

    assert tables_are_current(), 'grammar changed: python -c "from mrpl.parse import write_tables; write_tables()"'


def test_committed_scanners_match_the_grammar() -> None:
    """grammar/mrpl.scanners.json holds every scanner the lexer can compile (for the Python that
    made it: engine code is only valid there, and another Python compiles them as usual)."""
    from mrpl.parse import SCANNERS_FILE, grammar_path, scanners_are_current
    from mrpl.scanners import engine

    with open(grammar_path(SCANNERS_FILE), encoding="utf-8") as fh:
        made_for = json.load(fh)["engine"]
    if made_for != engine():
        pytest.skip(f"the scanners were compiled by {made_for}; this is {engine()}")
    assert scanners_are_current(), 'grammar changed: python -c "from mrpl.parse import write_tables; write_tables()"'


def test_stored_scanners_are_the_patterns_re_compiles() -> None:
    import re

    from mrpl.parse import SCANNERS_FILE, _stamp, grammar_path, make_parser, read_scanners
    from mrpl.parse import _grammar_text as grammar_text
    from mrpl.scanners import CachedRe, scanner_patterns

    stored = read_scanners(grammar_path(SCANNERS_FILE), _stamp(grammar_text()))
    if not stored:
        pytest.skip("no stored scanners for this Python")
    cached = CachedRe(stored)
    samples = ["mål 1.2 ", "  # note\n\n  vægt 10 point", '"tekst" ', "2024-01-01 til 31. december 2024", "foo_bar",
               "ultimo Marts 2023, 2. og 4. kvartal", "- **punkt** [^1] {{ navn }}", "[indsæt tal] TODO mrpl: ignore[MRP601]"]  # fmt: skip
    import mrpl.check  # the modules that compile patterns ahead as they load
    import mrpl.console  # noqa: F401
    from mrpl.scanners import ahead_patterns

    assert len(ahead_patterns()) >= 20
    for pattern, flags in scanner_patterns(make_parser(use_tables=True, stored_scanners=False)) + ahead_patterns():
        mine, theirs = cached.compile(pattern, flags), re.compile(pattern, flags)
        assert mine is not theirs and (mine.pattern, mine.flags, mine.groups, mine.groupindex) == (
            theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex)  # fmt: skip
        for text in samples:
            a, b = mine.match(text), theirs.match(text)
            assert (a and (a.group(0), a.lastgroup)) == (b and (b.group(0), b.lastgroup))


def _canonical_table(parser: Any) -> list[tuple[Any, ...]]:
    """A parser's LALR table with its states renumbered in the order a walk from the start state
    meets them (Lark numbers them differently from run to run), reductions by rule."""
    from lark.parsers.lalr_analysis import Shift

    table = parser.parser.parser._parse_table
    order = {table.start_states["start"]: 0}
    queue, rows = [table.start_states["start"]], []
    while queue:
        state = queue.pop(0)
        row = []
        for token, (action, arg) in sorted(table.states[state].items()):
            if action is Shift:
                if arg not in order:
                    order[arg] = len(order)
                    queue.append(arg)
                row.append((str(token), "shift", order[arg]))
            else:
                row.append(
                    (str(token), "reduce", str(arg.origin.name), tuple(str(s.name) for s in arg.expansion), arg.order)
                )
        rows.append(tuple(row))
    assert len(order) == len(table.states)
    return rows


def _described_rules(parser: Any) -> list[tuple[Any, ...]]:
    described = []
    for r in parser.rules:
        o = r.options
        options = (o.keep_all_tokens, o.expand1, o.priority, o.template_source, tuple(o.empty_indices))
        expansion = tuple((s, getattr(s, "filter_out", None)) for s in r.expansion)
        described.append((r.origin, expansion, r.order, r.alias, *options))
    return described


def test_the_stored_parser_is_the_parser_lark_computes() -> None:
    """mrpl/lalr_tables.py holds every terminal, rule and table entry of the grammar's parser."""
    from mrpl.parse import make_parser

    stored, computed = make_parser(use_tables=True), make_parser(use_tables=False)
    assert stored.source_path == "<stored>" and computed.source_path != "<stored>"

    def terminals(p: Any) -> list[tuple[Any, ...]]:
        return [(t.name, t.pattern, t.pattern.max_width, t.pattern.min_width, t.priority) for t in p.terminals]

    assert terminals(stored) == terminals(computed)
    assert stored.lexer_conf.ignore == tuple(computed.lexer_conf.ignore)
    assert _described_rules(stored) == _described_rules(computed)
    assert _canonical_table(stored) == _canonical_table(computed)
    end = stored.parser.parser._parse_table.end_states["start"]
    assert _canonical_table(stored)[0] and end in stored.parser.parser._parse_table.states


def test_a_stale_or_broken_tables_module_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    import mrpl
    import mrpl.parse as P

    stale = types.ModuleType("mrpl.lalr_tables")
    stale.FORMAT, stale.STAMP = 1, "another grammar"
    monkeypatch.setitem(sys.modules, "mrpl.lalr_tables", stale)
    monkeypatch.setattr(mrpl, "lalr_tables", stale, raising=False)
    assert not P.tables_are_current()
    assert P.make_parser(use_tables=True).source_path != "<stored>"  # computed from the grammar
    monkeypatch.setitem(sys.modules, "mrpl.lalr_tables", None)  # an import that fails
    monkeypatch.delattr(mrpl, "lalr_tables")
    assert P._stored_tables(P._stamp(P._grammar_text())) is None


def test_a_foreign_scanners_file_is_not_used(tmp_path: Path) -> None:
    from mrpl.scanners import FORMAT, CachedRe, engine, read_scanners

    path = tmp_path / "s.json"
    path.write_text(
        json.dumps({"format": FORMAT, "stamp": "x", "engine": "other", "patterns": [["a", 0, 32, "", 0, {}]]})
    )
    assert read_scanners(str(path), "x") == {}
    path.write_text(
        json.dumps({"format": FORMAT, "stamp": "x", "engine": engine(), "patterns": [["a+", 0, 32, "%%", 0, {}]]})
    )
    broken = CachedRe(read_scanners(str(path), "x"))  # code that is not base64 of deflated data
    assert broken.compile("a+").match("aab").group(0) == "aa"  # compiled as usual
    path.write_text("not json")
    assert read_scanners(str(path), "x") == {}


def test_tables_and_grammar_give_the_same_trees(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    import mrpl.parse as P

    sources = [p.read_text(encoding="utf-8") for p in sorted(Path("examples").rglob("*.mrp"))]
    with_tables = [parse_string(s).plan for s in sources]
    monkeypatch.setattr(P, "_parser", lambda: P.make_parser(use_tables=False))
    assert [parse_string(s).plan for s in sources] == with_tables


def test_terminal_definitions_are_deterministic() -> None:
    import subprocess
    import sys

    code = "from mrpl.parse import _grammar_text, _stamp; print(_stamp(_grammar_text()))"
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(3)
    }
    assert len(runs) == 1


def test_dropped_with_a_year_and_baselines_with_whole_and_decimal_values() -> None:
    req = requirement('udgået "Aftalt" 2022\n    måltal stigning 5 % ift. "2021" 1200')
    assert req.dropped is not None and req.dropped.on is not None and req.dropped.on.kind == A.DeadlineKind.YEAR
    assert req.targets[0] == A.ChangeTarget(A.ChangeDirection.INCREASE, Decimal(5), A.Baseline("2021", Decimal(1200)))
    (t,) = requirement('måltal fald 5 % ift. "2021" 12,5').targets
    assert t == A.ChangeTarget(A.ChangeDirection.REDUCTION, Decimal(5), A.Baseline("2021", Decimal("12.5")))


def test_an_empty_background_title_is_kept_as_empty() -> None:
    plan = parse_ok('afsnit 1 "A" {\n  baggrundstitel ""\n  baggrund "Titel" "Tekst."\n}\n')
    assert plan.sections[0].background_title == ""


def test_period_end_is_the_periods_last_day() -> None:
    (dl,) = requirement("frist periodens udgang").deadlines
    multi_year = A.Period(date(2012, 1, 1), date(2015, 12, 31))
    assert dl.due(multi_year, 2012) == date(2015, 12, 31)
    (q,) = requirement("frist 2. kvartal").deadlines
    assert q.due(multi_year, 2013) == date(2013, 6, 30)


def test_assessment_without_a_pass_mark() -> None:
    (t,) = requirement("måltal vurdering af 36 point").targets
    assert t == A.AssessmentTarget(None, None, Decimal(36))
    (en,) = requirement("target assessment of 36 points").targets
    assert en == t


def test_share_within_a_limit_in_words() -> None:
    (t,) = requirement('måltal andel minimum 90 % inden for "fristerne i Dublin-forordningen"').targets
    assert t == A.ShareTarget(A.Relation.AT_LEAST, Decimal(90), limit="fristerne i Dublin-forordningen")
