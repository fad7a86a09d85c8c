"""Multi-year contracts and performance pay in kroner (issues 11.5, 12.4, 12.5).

Hand-computed edges: year ranges and dotted dates as written, targets per year,
a yearly rate compounded from its baseline, milestones in the year of their
deadline, the whole period, and the pay rule at, under and above its floor,
its full-pay point and its cap. A property checks that the generated module
computes the same pay as the engine.
"""

from __future__ import annotations

import subprocess
import sys
import types
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mrpl import ast as A
from mrpl import load_string
from mrpl.check import check_plan
from mrpl.diagnostics import Severity
from mrpl.fmt import format_source
from mrpl.parse import parse_source
from mrpl.pay import PayRule, pay_kroner, pay_percent, pay_salary_percent
from mrpl.period import YearResult, score_period
from mrpl.render.python import render
from mrpl.report import render_period_report, render_report
from mrpl.results import parse_results, results_template, results_year
from mrpl.score import Result, Status, score, scoring_plan
from mrpl.years import compounded, year_view

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "resultatkontrakt-2016-2019.mrp"
RESULTS = [ROOT / "examples" / "results" / f"resultatkontrakt-2016-2019.{y}.toml" for y in (2016, 2017)]

HEAD = 'plan {\n  titel "T"\n  styrelse "S"\n  periode 2016-2019\n  total 100 point\n}\n'


def plan_of(body: str, head: str = HEAD) -> A.Plan:
    loaded = load_string(head + body, "t.mrp")
    assert [d.message for d in loaded.diagnostics if d.severity == Severity.ERROR] == []
    assert loaded.plan is not None
    return loaded.plan


def one(req_body: str) -> A.Plan:
    return plan_of(f'mål 1.1 "Område" {{\n  vægt 100\n  resultatkrav a {{\n{req_body}\n  }}\n}}\n')


def fulfilment(plan: A.Plan, year: int, **fields: object) -> D | None:
    sp = scoring_plan(plan, year)
    req = next(sp.requirements())
    results = {req.id: Result(req.id, **fields)} if fields else {}  # type: ignore[arg-type]
    return next(score(sp, results).requirements()).fulfilment


# ---------------------------------------------------------------- syntax


def test_period_of_years_is_the_same_period_as_its_dates() -> None:
    years = parse_source(HEAD).plan
    dates = parse_source(HEAD.replace("periode 2016-2019", "periode 2016-01-01 til 2019-12-31")).plan
    dotted = parse_source(HEAD.replace("periode 2016-2019", "periode 01.01.2016 til 31.12.2019")).plan
    assert years is not None and years == dates == dotted
    assert years.header is not None and years.header.period is not None
    assert list(years.header.period.years) == [2016, 2017, 2018, 2019]


@pytest.mark.parametrize(
    ("written", "day"),
    [("31.12.2017", date(2017, 12, 31)), ("31.12.17", date(2017, 12, 31)), ("1.7.2018", date(2018, 7, 1))],
)
def test_dotted_dates(written: str, day: date) -> None:
    plan = one(f"      frist {written}\n      måltal milepæl")
    deadline = plan.all_goals()[0].requirements[0].deadlines[0]
    assert deadline.date == day and deadline.written == written


def test_a_scope_of_years_before_the_contract_is_no_longer_a_syntax_error() -> None:
    plan = one('      omfang "publikationer" i 2011-2015\n      måltal stigning 10 % ift. 2006-2010 40')
    req = plan.all_goals()[0].requirements[0]
    assert req.scope is not None and req.scope.within is not None
    assert (req.scope.within.start_date(2016), req.scope.within.end_date(2016)) == (
        date(2011, 1, 1),
        date(2015, 12, 31),
    )
    target = req.targets[0]
    assert isinstance(target, A.ChangeTarget) and target.baseline is not None
    assert target.baseline.years == A.Years(2006, 2010) and target.baseline.value == D(40)


def test_numbers_with_thousands_dots_and_a_from_to_change() -> None:
    plan = one('      måltal stigning fra 2.000 i 2015 til 2.400 "brugere" i 2019')
    target = plan.all_goals()[0].requirements[0].targets[0]
    assert isinstance(target, A.ChangeTarget)
    assert (target.percent, target.level, target.unit, target.years) == (D(20), D(2400), "brugere", A.Years(2019, 2019))
    assert target.baseline == A.Baseline(None, D(2000), years=A.Years(2015, 2015))


def test_baseline_year_and_value() -> None:
    plan = one("      måltal stigning 2 % om året ift. 2015 1.250")
    target = plan.all_goals()[0].requirements[0].targets[0]
    assert isinstance(target, A.ChangeTarget) and target.yearly
    assert target.baseline == A.Baseline(None, D(1250), years=A.Years(2015, 2015))


PAY = """resultatløn {
  maksimum 10 % af lønnen
  løn 1.200.000 kr
  loft 100.000 kr
  skala lineær fra 60 point til 100 point
}
"""


def test_pay_section_in_money() -> None:
    plan = plan_of(PAY)
    assert plan.pay is not None
    assert plan.pay.maximum == A.PayAmount(percent=D(10), of_salary=True)
    assert (plan.pay.salary, plan.pay.cap) == (D(1200000), A.PayAmount(kroner=D(100000)))
    assert plan.pay.floor == A.Quantity(D(60), "point") and plan.pay.full == A.Quantity(D(100), "point")


@pytest.mark.parametrize("source", [EXAMPLE.read_text(encoding="utf-8"), HEAD + PAY])
def test_fmt_round_trips_in_both_languages(source: str) -> None:
    first = parse_source(source).plan
    danish = format_source(source)
    english = format_source(source, language="en")
    assert format_source(danish) == danish
    assert parse_source(danish).plan == first == parse_source(english).plan
    assert "150.000 kr" in danish or "1.200.000 kr" in danish  # amounts keep their thousands dots


def test_the_example_checks_clean() -> None:
    loaded = load_string(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert loaded.plan is not None
    assert [d.code for d in check_plan(loaded.plan)] == []


# ---------------------------------------------------------------- the year's view


def test_targets_per_year_at_the_edges() -> None:
    plan = one(
        "      måltal andel mindst 80 % inden for 60 dage i 2016\n"
        "      måltal andel mindst 85 % inden for 60 dage i 2017-2019"
    )
    assert fulfilment(plan, 2016, values=(D(80),)) == 1
    assert fulfilment(plan, 2016, values=(D("79.9"),)) == 0
    assert fulfilment(plan, 2017, values=(D("84.9"),)) == 0
    assert fulfilment(plan, 2017, values=(D(85),)) == 1
    assert fulfilment(plan, 2019, values=(D("85.1"),)) == 1


def test_a_yearly_rate_compounds_from_the_baseline_year() -> None:
    rate = A.ChangeTarget(A.ChangeDirection.INCREASE, D(2), None, yearly=True)
    assert [compounded(rate, n) for n in (1, 2, 3)] == [D(2), D("4.04"), D("6.1208")]
    fall = A.ChangeTarget(A.ChangeDirection.REDUCTION, D(2), None, yearly=True)
    assert compounded(fall, 2) == D("3.96")
    plan = one("      måltal stigning 2 % om året ift. 2015 1.250")
    # 2017: 1.250 × 1,0404 = 1.300,5 exactly is the edge
    assert fulfilment(plan, 2017, values=(D("1300.5"),)) == 1
    assert fulfilment(plan, 2017, values=(D("1300.4"),)) == 0
    assert fulfilment(plan, 2016, values=(D(1275),)) == 1
    assert fulfilment(plan, 2016, values=(D("1274.9"),)) == 0


def test_a_milestone_counts_in_the_year_of_its_deadline() -> None:
    plan = one("      frist 31.12.2016\n      frist 30.06.18\n      måltal milepæl")
    view, not_due = year_view(plan, 2017)
    assert not_due == {"1.1.a"}
    assert view.all_goals()[0].requirements[0].deadlines == ()
    sp = scoring_plan(plan, 2018)
    check = next(sp.units()).checks[0]
    assert check.deadlines == (date(2018, 6, 30),)
    assert fulfilment(plan, 2018, delivered=(date(2018, 6, 30),)) == 1
    assert fulfilment(plan, 2018, delivered=(date(2018, 7, 1),)) == 0


def test_not_due_is_left_out_of_the_years_total() -> None:
    plan = plan_of(
        'mål 1.1 "A" {\n  vægt 60\n  resultatkrav a { måltal antal mindst 4 "x" }\n}\n'
        'mål 1.2 "B" {\n  vægt 40\n  resultatkrav a { måltal antal mindst 9 "y" i 2019 }\n}\n'
    )
    sp = scoring_plan(plan, 2016)
    assert sp.not_due_weight == D(40)
    result = score(sp, {"1.1.a": Result("1.1.a", values=(D(4),))})
    assert result.rebased == D(100)  # 60 × 100 / (100 − 40)
    assert [r.status for r in result.requirements()] == [Status.MET, Status.NOT_DUE]
    text = render_report(result)
    assert "Ikke aktuelt i 2016: 1.2.a (40 point)" in text
    assert "60 × 100 / (100 − 40) = 100 point" in text


# ---------------------------------------------------------------- results files


def test_results_name_their_year() -> None:
    plan = one('      måltal antal mindst 4 "x" i 2017')
    years = range(2016, 2020)
    assert results_year("year = 2017\n", "r.toml", years) == 2017
    assert results_year("as_of = 2018-02-01\n", "r.toml", years) == 2018
    missing = results_year('kind = "actual"\n', "r.toml", years)
    assert not isinstance(missing, int) and missing.code == "MRP821"
    outside = results_year("year = 2021\n", "r.toml", years)
    assert not isinstance(outside, int) and outside.code == "MRP821"
    sp = scoring_plan(plan, 2016)
    rf = parse_results('year = 2016\n[[result]]\nid = "1.1.a"\nvalue = 5\n', "r.toml", sp)
    assert [(d.code, d.severity) for d in rf.diagnostics] == [("MRP820", Severity.WARNING)]
    assert "year = 2017" in results_template(scoring_plan(plan, 2017))


# ---------------------------------------------------------------- the whole period


def _example_years() -> list[YearResult]:
    loaded = load_string(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert loaded.plan is not None
    out = []
    for path in RESULTS:
        text = path.read_text(encoding="utf-8")
        year = results_year(text, str(path), range(2016, 2020))
        assert isinstance(year, int)
        sp = scoring_plan(loaded.plan, year)
        rf = parse_results(text, str(path), sp)
        assert rf.ok, [d.message for d in rf.diagnostics]
        out.append(YearResult(year, score(sp, rf.results), str(path), rf.as_of))
    return out


def test_the_example_period_by_hand() -> None:
    years = _example_years()
    # 2016: 1.1.a 30 + 1.2.b 0 (1.268 < 1.275) + 1.3.a 20 + 1.4.a 25 = 75 of 90 due; 1.2.a (10) not due
    # 2017: 1.1.a 0 (84,1 < 85) + 1.2.b 15 (1.310 ≥ 1.300,5) + 1.3.a 20 + 1.4.a 0 (late) = 35
    assert [y.score.earned for y in years] == [D(75), D(35)]
    assert years[0].score.rebased is not None and round(years[0].score.rebased, 6) == D("83.333333")
    # pay 2016: (83,33 − 60) / 40 = 58,33 % of 150.000 = 87.500 kr.; 2017: 38,89 points, below the floor
    assert round(years[0].score.pay_amount or 0, 2) == D("87500.00")
    assert years[1].score.pay_amount == 0
    period = score_period(range(2016, 2020), years)
    assert period.missing_years == (2018, 2019) and period.provisional
    by_id = {r.id: r for r in period.requirements}
    assert by_id["1.1.a"].fulfilment == D("0.5") and by_id["1.2.b"].fulfilment == D("0.5")
    assert by_id["1.2.a"].fulfilment is None
    assert [c.status for c in by_id["1.2.a"].years] == [Status.NOT_DUE, Status.NOT_DUE, Status.NOT_YET, Status.NOT_YET]
    # 30 × 0,5 + 15 × 0,5 + 20 × 1 + 25 × 0,5 = 55 of 90
    assert (period.earned, period.counted) == (D(55), D(90))
    text = render_period_report(period)
    assert "Hele perioden 2016-2019: 55 af 90 point (61,1 %)" in text
    assert "2018: Ikke opgjort endnu" in text
    assert "Resultatløn: 58,3 % → 87.500 kr. af 150.000 kr." in text


def test_cli_scores_several_years(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "mrpl", "score", str(EXAMPLE), *map(str, RESULTS), "--to", "md"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "| Krav | 2016 | 2017 | 2018 | 2019 | Perioden |" in done.stdout
    no_year = tmp_path / "r.toml"
    no_year.write_text('[[result]]\nid = "1.1.a"\nvalue = "90 %"\n', encoding="utf-8")
    bad = subprocess.run([*cmd[:5], str(no_year)], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1 and "MRP821" in bad.stderr and "Traceback" not in bad.stderr
    template = subprocess.run([*cmd[:5], "--template", "--year", "2018"], capture_output=True, text=True, cwd=ROOT)
    assert template.returncode == 0 and "year = 2018" in template.stdout
    wrong = subprocess.run([*cmd[:5], "--template", "--year", "2030"], capture_output=True, text=True, cwd=ROOT)
    assert wrong.returncode == 2


# ---------------------------------------------------------------- performance pay


LINEAR = PayRule(floor=D(60), full=D(100), unit="point", maximum_kroner=D(150000))


@pytest.mark.parametrize(
    ("points", "percent", "kroner"),
    [
        ("59", "0", "0"),
        ("60", "0", "0"),  # at the floor: nothing
        ("60.4", "1", "1500"),
        ("80", "50", "75000"),
        ("99.6", "99", "148500"),
        ("100", "100", "150000"),  # full pay
        ("104", "100", "150000"),  # above: never more than the full pay
    ],
)
def test_linear_pay_at_the_edges(points: str, percent: str, kroner: str) -> None:
    share = pay_percent(LINEAR, D(points), D(100))
    assert share == D(percent)
    assert pay_kroner(LINEAR, share) == D(kroner)


def test_linear_pay_in_percent_of_the_total() -> None:
    rule = PayRule(floor=D(60), full=D(90), unit="%", maximum_kroner=D(90000))
    assert pay_percent(rule, D(150), D(200)) == D(50)  # 75 % of 200 points: halfway from 60 to 90
    assert pay_kroner(rule, D(50)) == D(45000)


@pytest.mark.parametrize(("percent", "kroner"), [("80", "120000"), ("90", "130000"), ("100", "130000")])
def test_the_cap_limits_the_amount(percent: str, kroner: str) -> None:
    rule = PayRule(floor=D(60), full=D(100), unit="point", maximum_kroner=D(150000), cap_kroner=D(130000))
    assert pay_kroner(rule, D(percent)) == D(kroner)


def test_a_share_of_the_salary() -> None:
    rule = PayRule(steps=((">=", D(90), "point", D(100)), (None, None, None, D(0))), maximum_salary_percent=D(10))
    assert pay_percent(rule, D(90), D(100)) == D(100)
    assert pay_percent(rule, D("89.99"), D(100)) == D(0)
    assert pay_kroner(rule, D(100)) is None  # no salary: no amount ...
    assert pay_salary_percent(rule, D(100)) == D(10)  # ... but 10 % of the salary
    with_salary = PayRule(rule.steps, maximum_salary_percent=D(10), salary=D(1200000), cap_maximum_percent=D(80))
    assert pay_kroner(with_salary, D(100)) == D(96000)  # 120.000, capped at 80 % of it


def test_score_prints_the_amount() -> None:
    plan = plan_of(
        'mål 1.1 "A" {\n  vægt 100\n  resultatkrav a { måltal antal mindst 4 "x" i 2016 }\n}\n'
        "resultatløn {\n  maksimum 150.000 kr\n  skala {\n    mindst 80 point: 80 %\n    ellers: 0 %\n  }\n}\n"
    )
    sp = scoring_plan(plan, 2016)
    text = render_report(score(sp, {"1.1.a": Result("1.1.a", values=(D(4),))}))
    assert "Resultatløn: 80 % → 120.000 kr. af 150.000 kr." in text


# ---------------------------------------------------------------- the generated module computes the pay too

_RULES = st.one_of(
    st.builds(
        lambda lo, width, unit, top, cap: (
            f"  skala lineær fra {lo} {unit} til {lo + width} {unit}\n  maksimum {top} kr\n"
            + (f"  loft {cap} kr\n" if cap and cap < top else "")
        ),
        st.integers(0, 80),
        st.integers(1, 40),
        st.sampled_from(["point", "%"]),
        st.integers(1000, 500000),
        st.one_of(st.none(), st.integers(500, 500000)),
    ),
    st.builds(
        lambda top, salary: (
            f"  skala {{ mindst 90 %: 100 %; mindst 70 %: 50 %; ellers: 0 % }}\n"
            f"  maksimum {top} % af lønnen\n  løn {salary} kr\n"
        ),
        st.integers(1, 20),
        st.integers(100000, 2000000),
    ),
)


@settings(max_examples=40, deadline=None)
@given(_RULES, st.integers(0, 1000).map(lambda n: D(n) / 10))
def test_generated_module_computes_the_same_pay(rule: str, value: D) -> None:
    plan = plan_of(
        f'mål 1.1 "A" {{\n  vægt 100\n  resultatkrav a {{ måltal antal mindst 100 "x" }}\n}}\nresultatløn {{\n{rule}}}\n'
    )
    module = types.ModuleType("generated_pay")
    exec(compile(render(plan), "generated_pay.py", "exec"), module.__dict__)
    results = {"1.1.a": Result("1.1.a", values=(value,))}
    sp = scoring_plan(plan, 2016)
    engine = score(sp, results)
    generated = module.score({k: r.as_dict() for k, r in results.items()}, year=2016)
    assert (generated["pay"], generated["pay_amount"]) == (engine.pay, engine.pay_amount)


# ---------------------------------------------------------------- language server


def test_lsp_hover_and_symbols_for_pay_and_yearly_rates() -> None:
    from lsprotocol import types as T
    from pygls.workspace import PositionCodec

    from mrpl.lsp import Positions, document_symbols, hover_text

    text = EXAMPLE.read_text(encoding="utf-8")
    loaded = load_string(text, "k.mrp")
    assert loaded.plan is not None
    symbols = document_symbols(loaded.plan, Positions(text, PositionCodec(T.PositionEncodingKind.Utf16)))
    pay = next(s for s in symbols if s.name == "resultatløn")
    assert pay.detail == "maksimum 150.000 kr.; lineært fra 60 point til 100 point"
    hover = hover_text(loaded.plan, "k.mrp", text.index("maksimum 150.000"), "da")
    assert hover is not None and "Ingen resultatløn ved en målopfyldelse på 60 point" in hover
    rate = hover_text(loaded.plan, "k.mrp", text.index("om året ift."), "da")
    assert rate is not None and "2017: stigning på 4,04 pct. i forhold til 2015 (1.250)" in rate
    years = hover_text(loaded.plan, "k.mrp", text.index("i 2018-2019"), "da")
    assert years is not None and "mindst 90 pct. af sagerne inden for 60 dage i 2018-2019" in years
