"""Scoring as departments and annual reports count it, with hand-computed edges:
goal status under each `målstatus` rule, unweighted plans, shares from counts,
approval milestones, and the reports and results files that carry them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner

from mrpl import load_string
from mrpl.cli import main
from mrpl.diagnostics import Severity
from mrpl.report import render_report
from mrpl.results import ResultsFile, parse_results
from mrpl.score import Counts, GoalAssessment, Result, ScoringPlan, Status, score, scoring_plan

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "tests" / "fixtures" / "results" / "rules.mrp"
HEAD = 'plan {\n  titel "T"\n  styrelse "S"\n  periode 2023-01-01 til 2023-12-31\n'


def splan(body: str, head: str = "") -> ScoringPlan:
    loaded = load_string(HEAD + head + "}\n" + body, "t.mrp")
    assert [d for d in loaded.diagnostics if d.severity == Severity.ERROR] == []
    assert loaded.plan is not None
    return scoring_plan(loaded.plan)


THREE = """
mål 1.1 "Sagsbehandling" {
  resultatkrav a { vægt 20; måltal andel mindst 90 % af "sagerne" }
  resultatkrav b { vægt 10; måltal antal mindst 12 "kurser" }
  resultatkrav c { vægt 10; måltal gennemsnit højst 30 dage }
}
"""


def goal_of(sp: ScoringPlan, share: str, count: str = "12", days: str = "30", **kw: object) -> tuple[Status, D | None]:
    results = {
        "1.1.a": Result("1.1.a", values=(D(share),)),
        "1.1.b": Result("1.1.b", values=(D(count),)),
        "1.1.c": Result("1.1.c", values=(D(days),)),
    }
    goal = score(sp, results, **kw).goals[0]  # type: ignore[arg-type]
    return goal.status, goal.share


# ---------------------------------------------------------------- goal status: the default and `alle`


@pytest.mark.parametrize(
    ("share", "count", "status"),
    [("90", "12", Status.MET), ("89.4", "12", Status.PARTLY), ("89.4", "11", Status.PARTLY), ("95", "12", Status.MET)],
)
def test_the_default_is_partly_met_below_100_percent(share: str, count: str, status: Status) -> None:
    sp = splan(THREE, "  total 40 point\n")
    assert goal_of(sp, share, count)[0] is status


def test_the_default_is_not_met_when_nothing_is_reached() -> None:
    sp = splan(THREE, "  total 40 point\n")
    assert goal_of(sp, "89.4", "11", "31") == (Status.NOT_MET, D(0))


@pytest.mark.parametrize(("share", "status"), [("90", Status.MET), ("89.4", Status.NOT_MET), ("95", Status.MET)])
def test_all_must_be_met(share: str, status: Status) -> None:
    sp = splan(THREE, "  total 40 point\n  målstatus alle\n")
    assert goal_of(sp, share)[0] is status


def test_narrowly_missed_requirement_is_named_in_the_goal_remark() -> None:
    sp = splan(THREE, "  total 40 point\n  målstatus alle\n")
    results = {"1.1.a": Result("1.1.a", values=(D("89.4"),)), "1.1.b": Result("1.1.b", values=(D(12),)),
               "1.1.c": Result("1.1.c", values=(D(30),))}  # fmt: skip
    text = render_report(score(sp, results))
    assert "Mål 1.1 Sagsbehandling: Ikke opfyldt – 20 af 40 point, 2 af 3 krav opfyldt" in text
    assert (
        "Bemærkning: Krav ikke opfyldt: 1.1.a (måltallet mindst 90 pct. af sagerne er ikke nået (resultat 89,4 %))."
        in text
    )
    assert "I alt: 20 af 40 point; 0 af 1 mål opfyldt; 2 af 3 krav opfyldt" in text


def test_a_missing_result_leaves_the_goal_not_assessed() -> None:
    sp = splan(THREE, "  total 40 point\n  målstatus alle\n")
    goal = score(sp, {"1.1.a": Result("1.1.a", values=(D(95),))}).goals[0]
    assert goal.status is Status.MISSING and goal.share is None


def test_a_goal_whose_requirements_all_dropped_is_dropped_and_not_counted() -> None:
    sp = splan(
        'mål 1.1 "A" { resultatkrav a { vægt 10; måltal antal mindst 1 } }\n'
        'mål 1.2 "B" { resultatkrav a { vægt 10; måltal antal mindst 1; udgået "Aflyst" } }\n',
        "  total 20 point\n",
    )
    result = score(sp, {"1.1.a": Result("1.1.a", values=(D(1),))})
    assert [g.status for g in result.goals] == [Status.MET, Status.DROPPED]
    assert (result.goals_met, result.goals_counted) == (1, 1)


# ---------------------------------------------------------------- goal status: share with thresholds

# Weighted 20/10/10: a met alone is 50 %, b + c alone 50 %, a + b 75 %, everything 100 %.


@pytest.mark.parametrize(
    ("share", "count", "days", "status", "fraction"),
    [
        ("90", "12", "30", Status.MET, "1"),
        ("90", "12", "31", Status.NOT_MET, "0.75"),  # 75 % < 80 %; 75 % >= 50 % is checked below
        ("89", "12", "30", Status.NOT_MET, "0.5"),
        ("89", "11", "31", Status.NOT_MET, "0"),
    ],
)
def test_share_rule_at_80_without_partly(share: str, count: str, days: str, status: Status, fraction: str) -> None:
    sp = splan(THREE, "  total 40 point\n  målstatus andel mindst 80 %\n")
    got, value = goal_of(sp, share, count, days)
    assert value == D(fraction)
    # Without `delvist`, anything above 0 % is partly met.
    assert got is (Status.PARTLY if D(fraction) not in (0, 1) else status)


@pytest.mark.parametrize(
    ("threshold", "partly", "status"),
    [
        ("75", "50", Status.MET),  # exactly at the threshold: met
        ("75.1", "50", Status.PARTLY),  # just above the share: partly
        ("80", "75", Status.PARTLY),  # exactly at the floor for partly
        ("80", "75.1", Status.NOT_MET),  # just under the floor
    ],
)
def test_share_rule_edges_at_75_percent(threshold: str, partly: str, status: Status) -> None:
    rule = f"  total 40 point\n  målstatus andel mindst {threshold.replace('.', ',')} % delvist mindst {partly.replace('.', ',')} %\n"
    sp = splan(THREE, rule)
    assert goal_of(sp, "90", "12", "31") == (status, D("0.75"))


def test_share_rule_excludes_dropped_requirements_from_the_share() -> None:
    body = THREE.replace("måltal gennemsnit højst 30 dage }", 'måltal gennemsnit højst 30 dage; udgået "Aflyst" }')
    sp = splan(body, "  total 40 point\n  målstatus andel mindst 100 %\n")
    results = {"1.1.a": Result("1.1.a", values=(D(90),)), "1.1.b": Result("1.1.b", values=(D(12),))}
    goal = score(sp, results).goals[0]
    assert (goal.status, goal.share, goal.weight, goal.dropped) == (Status.MET, D(1), D(30), D(10))
    assert "30 af 30 point, 2 af 2 krav opfyldt (10 point udgået)" in render_report(score(sp, results))


def test_the_nearest_rule_wins() -> None:
    body = THREE.replace('mål 1.1 "Sagsbehandling" {', 'mål 1.1 "Sagsbehandling" {\n  målstatus andel mindst 50 %')
    sp = splan(body, "  total 40 point\n  målstatus alle\n")
    assert goal_of(sp, "89", "12", "30")[0] is Status.MET  # 50 % under the goal's own rule


# ---------------------------------------------------------------- goal status: the department's assessment


def test_assessment_rule_takes_the_departments_status() -> None:
    sp = splan(THREE, "  total 40 point\n  målstatus vurdering\n")
    assert goal_of(sp, "95")[0] is Status.MISSING
    verdict = {"1.1": GoalAssessment("1.1", Status.PARTLY, "Delvist")}
    assert goal_of(sp, "95", assessments=verdict)[0] is Status.PARTLY


def test_goal_assessments_are_read_from_toml_and_csv() -> None:
    sp = splan(THREE, "  total 40 point\n  målstatus vurdering\n")
    rf = parse_results('[[goal]]\nid = "1.1"\nstatus = "delvist opfyldt"\nnote = "N"\n', "r.toml", sp)
    assert rf.ok and rf.assessments["1.1"] == GoalAssessment("1.1", Status.PARTLY, "N")
    rf = parse_results("id;status;note\nmål 1.1;Ikke opfyldt;Forsinket\n", "r.csv", sp)
    assert rf.ok and rf.assessments["1.1"].status is Status.NOT_MET


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[goal]]\nid = "1.9"\nstatus = "Opfyldt"\n', "the plan has no goal 1.9"),
        ('[[goal]]\nid = "1.1"\nstatus = "Godt"\n', "unknown status"),
    ],
)
def test_bad_goal_assessments(text: str, message: str) -> None:
    sp = splan(THREE, "  total 40 point\n  målstatus vurdering\n")
    rf = parse_results(text, "r.toml", sp)
    assert [(d.code, d.span.line) for d in rf.diagnostics] == [("MRP832", 2 if "1.9" in text else 3)]
    assert message in rf.diagnostics[0].message


def test_a_status_for_a_goal_under_a_computed_rule_is_refused_but_a_note_is_welcome() -> None:
    sp = splan(THREE, "  total 40 point\n")
    assert parse_results('[[goal]]\nid = "1.1"\nstatus = "Opfyldt"\n', "r.toml", sp).diagnostics[0].code == "MRP832"
    rf = parse_results('[[goal]]\nid = "1.1"\nnote = "Godt år"\n', "r.toml", sp)
    assert rf.ok and rf.assessments["1.1"].note == "Godt år"


# ---------------------------------------------------------------- unweighted plans


UNWEIGHTED = """
afsnit 1 "Indsatsområder" {
  mål 1.1 "A" {
    resultatkrav a { måltal antal mindst 12 "kurser" }
    resultatkrav b { måltal andel mindst 90 % af "sagerne" }
  }
  mål 1.2 "B" { resultatkrav a { måltal fastholdt } }
}
"""


def test_an_unweighted_plan_counts_and_shows_no_points() -> None:
    sp = splan(UNWEIGHTED, "  vægtning ingen\n")
    assert not sp.weighted and sp.total == 0
    results = {"1.1.a": Result("1.1.a", values=(D(12),)), "1.1.b": Result("1.1.b", values=(D(90),)),
               "1.2.a": Result("1.2.a", values=(True,))}  # fmt: skip
    scored = score(sp, results)
    assert (scored.met, scored.counted, scored.goals_met, scored.goals_counted) == (3, 3, 2, 2)
    text = render_report(scored)
    assert "I alt: 2 af 2 mål opfyldt; 3 af 3 krav opfyldt\n" in text
    assert "Mål 1.1 A: Opfyldt – 2 af 2 krav opfyldt\n" in text
    assert " point" not in text.lower()  # no points anywhere, the rounding note included
    md = render_report(scored, "md")
    assert "| Krav | Måltal | Resultat | Opfyldelse | Status | Bemærkning |" in md
    data = json.loads(render_report(scored, "json"))
    assert data["weighted"] is False and data["total"]["goals_met"] == 2


def test_an_unweighted_goal_has_the_mean_as_its_share() -> None:
    sp = splan(UNWEIGHTED, "  vægtning ingen\n  målstatus andel mindst 50 %\n")
    results = {"1.1.a": Result("1.1.a", values=(D(12),)), "1.1.b": Result("1.1.b", values=(D("89.9"),))}
    goal = score(sp, results).goals[0]
    assert (goal.status, goal.share) == (Status.MET, D("0.5"))  # one of two: exactly 50 %


def test_weights_only_for_some_sections() -> None:
    body = (
        'afsnit 1 "Kerneopgaver" { mål 1.1 "A" { vægt 100; resultatkrav a { måltal antal mindst 1 } } }\n'
        'afsnit 2 "Udvikling" {\n  vægtning ingen\n  mål 2.1 "B" { resultatkrav a { måltal antal mindst 1 } }\n}\n'
    )
    sp = splan(body, "  total 100 point\n")
    scored = score(sp, {"1.1.a": Result("1.1.a", values=(D(1),)), "2.1.a": Result("2.1.a", values=(D(0),))})
    assert (scored.earned, scored.total, scored.goals_met, scored.goals_counted) == (D(100), D(100), 1, 2)
    text = render_report(scored)
    assert "Mål 1.1 A: Opfyldt – 100 af 100 point, 1 af 1 krav opfyldt" in text
    assert "Mål 2.1 B: Ikke opfyldt – 0 af 1 krav opfyldt" in text


# ---------------------------------------------------------------- shares from counts


def _counted(sp: ScoringPlan, text: str) -> ResultsFile:
    return parse_results(text, "r.toml", sp)


SHARE = 'mål 1.1 "A" { vægt 100; resultatkrav a { måltal andel mindst 90 % af "projekterne" } }\n'


@pytest.mark.parametrize(
    ("value", "excluded", "fulfilment"),
    [
        ("{ count = 27, of = 30 }", "", 1),  # 90 % exactly
        ('"26 af 29"', "", 0),  # 89,66 %
        ('"28/31"', "", 1),  # 90,3 %
        ("{ count = 26, of = 30 }", '{ "trukket tilbage" = 1 }', 0),  # 26 / 29
        ("{ count = 27, of = 31 }", '{ "trukket tilbage" = 1 }', 1),  # 27 / 30 = 90 %
    ],
)
def test_share_from_counts_at_the_threshold(value: str, excluded: str, fulfilment: int) -> None:
    sp = splan(SHARE, "  total 100 point\n")
    text = f'[[result]]\nid = "1.1.a"\nvalue = {value}\n' + (f"excluded = {excluded}\n" if excluded else "")
    rf = _counted(sp, text)
    assert rf.ok, rf.diagnostics
    assert next(score(sp, rf.results).requirements()).fulfilment == fulfilment


def test_the_arithmetic_is_printed() -> None:
    sp = splan(SHARE.replace("90 %", "50 %"), "  total 100 point\n")
    rf = _counted(sp, '[[result]]\nid = "1.1.a"\nvalue = "13 af 26"\nexcluded = { "Aflyst af kommunen" = 1 }\n')
    assert rf.results["1.1.a"].counts == (Counts(D(13), D(26), (("Aflyst af kommunen", D(1)),)),)
    text = render_report(score(sp, rf.results))
    assert "Resultat: 13 af 25 projekterne (26 − 1 undtaget: Aflyst af kommunen (1)) = 52 %" in text


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ('value = "27 af 26"', "MRP830"),  # more than all
        ('value = "0 af 0"', "MRP830"),  # no population
        ('value = "2,5 af 10"', "MRP830"),  # not whole
        ("value = { count = 5 }", "MRP830"),  # no denominator
        ('value = "5 af 10"\nexcluded = { "x" = 10 }', "MRP830"),  # nothing left
        ('value = "9 af 10"\nexcluded = { "x" = 2 }', "MRP830"),  # 9 of 8
        ('value = "90 %"\nexcluded = { "x" = 1 }', "MRP831"),  # nothing counted to exclude from
        ('value = "5 af 10"\nexcluded = 1', "MRP831"),  # no reason
    ],
)
def test_bad_counts(lines: str, code: str) -> None:
    sp = splan(SHARE, "  total 100 point\n")
    rf = _counted(sp, f'[[result]]\nid = "1.1.a"\n{lines}\n')
    assert [d.code for d in rf.diagnostics] == [code]
    assert not rf.ok and rf.results == {}


def test_counts_in_csv() -> None:
    sp = splan(SHARE, "  total 100 point\n")
    rf = parse_results("id;value;excluded\n1.1.a;27 af 31;trukket tilbage=1\n", "r.csv", sp)
    assert rf.ok and rf.results["1.1.a"].counts[0] == Counts(D(27), D(31), (("trukket tilbage", D(1)),))


# ---------------------------------------------------------------- approval milestones


APPROVED = (
    'mål 1.1 "A" {\n  vægt 100\n  resultatkrav a {\n    frist 2. kvartal\n'
    '    måltal milepæl godkendt af "departementet"\n  }\n}\n'
)


@pytest.mark.parametrize(
    ("delivered", "approved", "fulfilment"),
    [
        ("2023-06-01", "2023-06-30", 1),  # approved on the deadline
        ("2023-06-01", "2023-07-01", 0),  # one day late: not met
        ("2023-06-30", "2023-06-30", 1),
        ("2023-07-01", "2023-07-01", 0),  # delivered late
        ("2023-06-01", "false", 0),  # not approved
    ],
)
def test_approval_by_the_deadline(delivered: str, approved: str, fulfilment: int) -> None:
    sp = splan(APPROVED, "  total 100 point\n")
    rf = parse_results(f'[[result]]\nid = "1.1.a"\ndelivered = [{delivered}]\napproved = [{approved}]\n', "r.toml", sp)
    assert rf.ok, rf.diagnostics
    assert next(score(sp, rf.results).requirements()).fulfilment == fulfilment


def test_approval_is_required_for_an_approval_milestone() -> None:
    sp = splan(APPROVED, "  total 100 point\n")
    rf = parse_results('[[result]]\nid = "1.1.a"\ndelivered = [2023-06-01]\n', "r.toml", sp)
    req = next(score(sp, rf.results).requirements())
    assert req.status is Status.MISSING


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("delivered = [2023-06-10]\napproved = [2023-06-01]", "MRP833"),  # approved before delivered
        ("delivered = [2023-06-10]\napproved = [2023-06-11, 2023-06-12]", "MRP833"),  # two for one deadline
    ],
)
def test_bad_approvals(text: str, code: str) -> None:
    sp = splan(APPROVED, "  total 100 point\n")
    rf = parse_results(f'[[result]]\nid = "1.1.a"\n{text}\n', "r.toml", sp)
    assert [d.code for d in rf.diagnostics] == [code]


def test_approved_on_a_plain_milestone_is_an_unused_key() -> None:
    sp = splan(APPROVED.replace(' godkendt af "departementet"', ""), "  total 100 point\n")
    rf = parse_results('[[result]]\nid = "1.1.a"\ndelivered = [2023-06-10]\napproved = [2023-06-11]\n', "r.toml", sp)
    assert [d.code for d in rf.diagnostics] == ["MRP809"]


def test_joint_milestone_in_words() -> None:
    sp = splan(APPROVED.replace('godkendt af "departementet"', 'sammen med "departementet"'), "  total 100 point\n")
    result = Result("1.1.a", delivered=(date(2023, 6, 1),), approved=(date(2023, 7, 3),))
    text = render_report(score(sp, {"1.1.a": result}))
    assert "leveret 1. juni 2023, aftalt med departementet 3. juli 2023 (frist 30. juni 2023, aftalt for sent)" in text
    assert "milepælen er ikke leveret og aftalt inden fristen (30. juni 2023)" in text


# ---------------------------------------------------------------- consistency (issue 12, item 7)


def test_reported_percentages_are_printed_with_one_rule() -> None:
    sp = splan(SHARE, "  total 100 point\n")
    rf = _counted(sp, '[[result]]\nid = "1.1.a"\nvalue = 90.0\n')
    assert "Resultat: 90 %" in render_report(score(sp, rf.results))
    rf = _counted(sp, '[[result]]\nid = "1.1.a"\nvalue = 89.50\n')
    assert "Resultat: 89,5 %" in render_report(score(sp, rf.results))


def test_an_incomplete_result_reads_in_correct_danish() -> None:
    sp = splan('mål 1.1 "A" { vægt 100; resultatkrav a { måltal antal mindst 1; måltal andel mindst 5 % af "x" } }\n',
               "  total 100 point\n")  # fmt: skip
    text = render_report(score(sp, {"1.1.a": Result("1.1.a", values=(D(1), None))}))
    assert "Resultatet er ikke helt udfyldt." in text


def test_text_report_shows_part_notes_as_markdown_does() -> None:
    sp = splan(
        'mål 1.1 "A" {\n vægt 100\n resultatkrav {\n  gruppe "G" {\n'
        '   del "X" { vægt 50; måltal andel mindst 90 % af "x" }\n   del "Y" { vægt 50; måltal andel mindst 90 % af "y" }\n'
        "  }\n }\n}\n",
        "  total 100 point\n",
    )
    results = {
        "1.1/X": Result("1.1/X", values=(D(91),), note="Opgjort af HR"),
        "1.1/Y": Result("1.1/Y", values=(D(80),)),
    }
    text = render_report(score(sp, results))
    assert "        Note: Opgjort af HR" in text
    assert "        Bemærkning: Måltallet mindst 90 pct. af y er ikke nået (resultat 80 %)." in text
    md = render_report(score(sp, results), "md")
    assert "Opgjort af HR" in md


def test_force_says_which_total_it_scores_against(tmp_path: Path) -> None:
    plan = tmp_path / "p.mrp"
    plan.write_text(HEAD + "  total 100 point\n}\n" + 'mål 1.1 "A" { vægt 95; resultatkrav a { måltal antal mindst 1 } }\n',
                    encoding="utf-8")  # fmt: skip
    results = tmp_path / "r.toml"
    results.write_text('[[result]]\nid = "1.1.a"\nvalue = 1\n', encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(plan), str(results), "--force"])
    assert run.exit_code == 0, run.stderr
    assert "the weights add up to 95 points, not the plan's total of 100: scoring against 95" in run.stderr
    assert "Bemærk: vægtene summer til 95 point, ikke planens total på 100; der scores mod 95 point." in run.stdout


def test_template_is_written_despite_errors(tmp_path: Path) -> None:
    plan = tmp_path / "p.mrp"
    plan.write_text(HEAD + "  total 100 point\n}\n" + 'mål 1.1 "A" { vægt 95; resultatkrav a { måltal antal mindst 1 } }\n',
                    encoding="utf-8")  # fmt: skip
    out = tmp_path / "r.toml"
    run = CliRunner().invoke(main, ["score", "--template", str(plan), "-o", str(out)])
    assert run.exit_code == 1
    assert "MRP101" in run.stderr and "the template may change" in run.stderr
    assert 'id = "1.1.a"' in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the rules fixture end to end


def test_rules_fixture_report_in_every_format() -> None:
    from mrpl import load_file

    loaded = load_file(str(RULES))
    assert loaded.plan is not None
    sp = scoring_plan(loaded.plan)
    results = {
        "1.1.a": Result("1.1.a", counts=(Counts(D(13), D(26), (("trukket tilbage", D(1)),)),), values=(None,)),
        "1.1.b": Result("1.1.b", values=(D(75),)),
        "1.1.c": Result("1.1.c", values=(D(30),)),
        "1.2.a": Result("1.2.a", delivered=(date(2023, 6, 1),), approved=(date(2023, 6, 30),)),
        "1.2.b": Result("1.2.b", delivered=(date(2023, 9, 1),), approved=(date(2023, 10, 1),)),
    }
    scored = score(sp, results, {"2.2": GoalAssessment("2.2", Status.MET, "Godt")})
    statuses = {g.plan.number: g.status for g in scored.goals}
    assert statuses == {
        "1.1": Status.NOT_MET,  # all must be met: 52 % < 90 %
        "1.2": Status.PARTLY,  # 10 of 15 points = 66,7 %: at least 50 %, under 80 %
        "2.1": Status.MISSING,
        "2.2": Status.MET,  # the department's assessment, though no result is in
        "2.3": Status.MISSING,
    }
    data = json.loads(render_report(scored, "json"))
    assert data["total"]["goals_met"] == 1 and data["total"]["goals_counted"] == 5
    assert data["goals"][1]["share"].startswith("0.6666")
    assert "13 af 25 sagerne (26 − 1 undtaget: trukket tilbage (1)) = 52 %" in render_report(scored, "md")


def test_a_rule_shared_by_every_goal_is_printed_once() -> None:
    sp = splan(THREE + THREE.replace("1.1", "1.2"), "  total 80 point\n")
    text = render_report(score(sp, {}))
    assert text.count("Målstatus:") == 1
    assert "\nMålstatus: opfyldt, når alle resultatkrav er opfyldt; delvist opfyldt, når en del er nået\n" in text
    mixed = THREE + THREE.replace("1.1", "1.2").replace('"Sagsbehandling" {', '"Sagsbehandling" {\n  målstatus alle')
    text = render_report(score(splan(mixed, "  total 80 point\n"), {}))
    assert text.count("  Målstatus:") == 2
