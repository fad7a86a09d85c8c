"""The results reader: TOML and CSV, typed values, and a diagnostic with the
results file's line and column for every kind of bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from mrpl import load_file
from mrpl.codes import CODES
from mrpl.diagnostics import Severity
from mrpl.results import ResultsFile, parse_day, parse_number, parse_results, read_results, results_template
from mrpl.score import ScoringPlan, score, scoring_plan

FIXTURES = Path(__file__).parent / "fixtures" / "results"


@pytest.fixture(scope="module")
def splan() -> ScoringPlan:
    loaded = load_file(str(FIXTURES / "plan.mrp"))
    assert loaded.plan is not None
    return scoring_plan(loaded.plan)


def toml(splan: ScoringPlan, text: str) -> ResultsFile:
    return parse_results(text, "r.toml", splan)


def only(rf: ResultsFile) -> tuple[str, int, int, str]:
    """(code, line, column, message) of the single diagnostic."""
    assert len(rf.diagnostics) == 1, rf.diagnostics
    d = rf.diagnostics[0]
    assert d.span.file == rf.path
    return d.code, d.span.line, d.span.column, d.message


# ---------------------------------------------------------------- good files


def test_toml_and_csv_give_the_same_results(splan: ScoringPlan) -> None:
    from_toml = read_results(str(FIXTURES / "good.toml"), splan)
    from_csv = read_results(str(FIXTURES / "good.csv"), splan)
    assert from_toml.ok and from_csv.ok, (from_toml.diagnostics, from_csv.diagnostics)
    assert from_toml.as_of == date(2023, 1, 31)
    a, b = score(splan, from_toml.results), score(splan, from_csv.results)
    assert a.earned == b.earned == D(70)
    assert a.rebased == b.rebased == D(70) * 100 / 95


def test_values_are_typed_in_the_targets_units(splan: ScoringPlan) -> None:
    rf = read_results(str(FIXTURES / "good.toml"), splan)
    r = rf.results
    assert r["1.1.a"].values == (D(85),)
    assert r["1.1.b"].values == (D(119),)  # 17 uger
    assert r["1.1.c"].values == (D(3600), D("96.2"))
    assert r["1.1.d"].values == (D(405),) and r["1.1.d"].baseline == D(450)
    assert r["1.2/Beløbsordningen"].values == (D("92.5"),)
    assert r["1.2/Fasttrack"].values == (None,)  # left empty: not reported
    assert r["2.1"].points == D(25 + 22 + 20 + 19)
    assert r["2.2.a"].delivered == (date(2022, 6, 30), None)
    assert r["2.2.b"].areas == (("Risikostyring", D(4)), ("Kontinuitet", D(3)))
    assert r["2.3.a"].values == (True,) and r["2.3.a"].kind == "expected"
    assert r["2.2.a"].note == "4. kvartal udskudt"


def test_template_lists_every_scored_id_and_reads_back_empty(splan: ScoringPlan) -> None:
    for fmt, path in (("toml", "t.toml"), ("csv", "t.csv")):
        text = results_template(splan, fmt)
        rf = parse_results(text, path, splan)
        assert rf.ok, rf.diagnostics
        assert set(rf.results) == {u.id for u in splan.units()}
        assert all(u.fulfilment is None for r in score(splan, rf.results).requirements() for u in r.units)
    text = results_template(splan, "toml")
    assert 'id = "1.2/Beløbsordningen"' in text and "2.2.c: ikke scoret" in text and "2.3.b: udgået" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("92,5 %", (D("92.5"), "%")), ("1.234", (D(1234), None)), (7, (D(7), None)), ("3 uger", (D(3), "uger")),
     ("12 pct.", (D(12), "%"))],
)  # fmt: skip
def test_parse_number_danish(text: object, expected: tuple[D, str | None]) -> None:
    assert parse_number(text) == expected


def test_parse_number_rejects_dot_decimals_with_a_hint() -> None:
    message = parse_number("92.5")
    assert isinstance(message, str) and "92,5" in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2022-06-30", date(2022, 6, 30)), ("30-06-2022", date(2022, 6, 30)), ("30. juni 2022", date(2022, 6, 30)),
     (False, None), ("nej", None), (date(2022, 1, 2), date(2022, 1, 2))],
)  # fmt: skip
def test_parse_day(raw: object, expected: date | None) -> None:
    assert parse_day(raw) == expected


# ---------------------------------------------------------------- bad input, one diagnostic each


def test_unknown_id_with_did_you_mean(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "1.1.e"\nvalue = 3\n')
    assert only(rf)[:3] == ("MRP801", 2, 6)
    assert rf.diagnostics[0].fix is not None and "1.1." in rf.diagnostics[0].fix
    assert not rf.ok and rf.results == {}


def test_unknown_member_name_suggests_the_member(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "1.2/Beløbsordning"\nvalue = "91 %"\n')
    assert only(rf)[0] == "MRP801"
    assert rf.diagnostics[0].fix == "did you mean 1.2/Beløbsordningen?"


def test_wrong_type(splan: ScoringPlan) -> None:
    rf = toml(splan, '\n[[result]]\nid = "1.1.b"\nvalue = "3 måneder"\n')
    code, line, col, message = only(rf)
    assert (code, line, col) == ("MRP802", 4, 9) and "dage" in message


def test_text_where_a_number_belongs(splan: ScoringPlan) -> None:
    assert only(toml(splan, '[[result]]\nid = "1.1.a"\nvalue = "mange"\n'))[:3] == ("MRP802", 3, 9)


def test_percentage_above_100(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "1.1.a"\nvalue = "101 %"\n')
    assert only(rf)[:3] == ("MRP803", 3, 9)


def test_fulfilment_above_100() -> None:
    from mrpl import load_string

    loaded = load_string('mål 1.1 "O" { vægt 100; resultatkrav { tekst "Uden måltal." } }\n', "p.mrp")
    assert loaded.plan is not None
    plan = scoring_plan(loaded.plan)
    assert only(parse_results('[[result]]\nid = "1.1"\nfulfilment = "120 %"\n', "r.toml", plan))[:3] == (
        "MRP803",
        3,
        14,
    )
    assert parse_results('[[result]]\nid = "1.1"\nfulfilment = "75 %"\n', "r.toml", plan).results[
        "1.1"
    ].fulfilment == D("0.75")


def test_date_outside_the_period(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "2.2.a"\ndelivered = [2022-06-30, 2023-01-15]\n')
    code, line, col, message = only(rf)
    assert (code, line, col) == ("MRP804", 3, 13) and "15. januar 2023" in message


def test_result_for_unscored_requirement(splan: ScoringPlan) -> None:
    assert only(toml(splan, '[[result]]\nid = "2.2.c"\nmet = true\n'))[:3] == ("MRP805", 2, 6)


def test_result_for_dropped_requirement_is_a_warning_and_ignored(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "2.3.b"\nvalue = true\n')
    assert only(rf)[0] == "MRP806" and rf.diagnostics[0].severity is Severity.WARNING
    assert rf.ok and rf.results == {}


def test_duplicate_rows(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "1.1.a"\nvalue = 91\n\n[[result]]\nid = "1.1.a"\nvalue = 92\n')
    code, line, col, _ = only(rf)
    assert (code, line, col) == ("MRP807", 6, 6)
    assert rf.diagnostics[0].related[0].span.line == 2


def test_duplicate_rows_in_csv(splan: ScoringPlan) -> None:
    rf = parse_results("id,value\n1.1.a,91\n1.1.a,92\n", "r.csv", splan)
    assert only(rf)[:3] == ("MRP807", 3, 1)


def test_csv_cell_column(splan: ScoringPlan) -> None:
    rf = parse_results("id;note;value\n1.1.a;fin;101 %\n", "r.csv", splan)
    assert only(rf)[:3] == ("MRP803", 2, 11)


def test_csv_unknown_column(splan: ScoringPlan) -> None:
    rf = parse_results("id,vaule\n1.1.a,91\n", "r.csv", splan)
    assert only(rf)[:3] == ("MRP809", 1, 4) and rf.diagnostics[0].fix == "did you mean `value`?"


def test_toml_syntax_error_has_position(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "1.1.a"\nvalue = = 3\n')
    code, line, _col, _ = only(rf)
    assert (code, line) == ("MRP808", 3)


def test_unknown_key_with_did_you_mean(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "1.1.a"\nvaule = 91\n')
    assert only(rf)[:3] == ("MRP809", 3, 9)
    assert rf.diagnostics[0].fix == "did you mean `value`?"


def test_key_that_the_requirement_does_not_use(splan: ScoringPlan) -> None:
    assert only(toml(splan, '[[result]]\nid = "1.1.a"\ndelivered = 2022-05-01\n'))[0] == "MRP809"


def test_wrong_number_of_values(splan: ScoringPlan) -> None:
    assert only(toml(splan, '[[result]]\nid = "1.1.c"\nvalue = 3600\n'))[0] == "MRP810"
    assert only(toml(splan, '[[result]]\nid = "2.2.a"\ndelivered = 2022-06-01\n'))[0] == "MRP810"


def test_unknown_and_missing_areas(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "2.2.b"\nareas = { "Risikostyrring" = 4, "Kontinuitet" = 3 }\n')
    assert only(rf)[0] == "MRP811" and rf.diagnostics[0].fix == "did you mean 'Risikostyring'?"
    assert only(toml(splan, '[[result]]\nid = "2.2.b"\nareas = { "Kontinuitet" = 3 }\n'))[0] == "MRP811"


def test_points_above_the_maximum(splan: ScoringPlan) -> None:
    assert only(toml(splan, '[[result]]\nid = "2.1"\npoints = [30, 30, 30, 30]\n'))[0] == "MRP812"


def test_bad_kind(splan: ScoringPlan) -> None:
    assert only(toml(splan, 'kind = "forventet"\n'))[:3] == ("MRP813", 1, 8)


def test_missing_id(splan: ScoringPlan) -> None:
    assert only(toml(splan, "[[result]]\nvalue = 3\n"))[:3] == ("MRP814", 1, 1)


def test_baseline_zero_or_conflicting(splan: ScoringPlan) -> None:
    assert only(toml(splan, '[[result]]\nid = "1.1.d"\nvalue = 3\nbaseline = 0\n'))[0] == "MRP815"


def test_result_for_a_grouped_requirement(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "1.2"\nvalue = "91 %"\n')
    assert only(rf)[0] == "MRP816" and "1.2/Fasttrack" in (rf.diagnostics[0].fix or "")


def test_nothing_is_scored_from_a_file_with_errors(splan: ScoringPlan) -> None:
    rf = toml(splan, '[[result]]\nid = "1.1.a"\nvalue = 91\n\n[[result]]\nid = "9.9"\nvalue = 1\n')
    assert not rf.ok and rf.results == {}


def test_codes_are_registered() -> None:
    for n in range(801, 817):
        entry = CODES[f"MRP{n}"]
        assert entry.stage == "results" and entry.title
