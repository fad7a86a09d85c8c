"""Allonges: loading, applying in date order, checking, building and scoring the amended plan."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from test_diff import edited

import mrpl
from mrpl import ast as A
from mrpl.check import all_diagnostics
from mrpl.cli import main
from mrpl.diff import Kind, apply_diff, diff_plans
from mrpl.diff.render import render_diff
from mrpl.fmt import format_source
from mrpl.parse import parse_source
from mrpl.results import read_results
from mrpl.score import score, scoring_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "udlaendingestyrelsen-2022.mrp"
ALLONGE = ROOT / "examples" / "allonger" / "udlaendingestyrelsen-2022-allonge-1.mrp"
FIXTURES = ROOT / "tests" / "fixtures" / "amend"
RESULTS = FIXTURES / "results-2022.csv"
GOLDEN = ROOT / "tests" / "golden" / "allonge"


def load(path: Path) -> A.Plan:
    result = mrpl.load_file(str(path))
    assert result.plan is not None, result.diagnostics
    return result.plan


def requirement(plan: A.Plan, ref: str) -> A.Requirement:
    for goal in plan.all_goals():
        for req in goal.requirements:
            if A.requirement_id(goal, req) == ref:
                return req
    raise KeyError(ref)


def weight(plan: A.Plan, ref: str) -> Decimal | None:
    w = requirement(plan, ref).weight
    return None if w is None else w.value


def test_the_allonge_checks_clean_as_a_whole() -> None:
    errors = [d for d in all_diagnostics(mrpl.load_file(str(ALLONGE))) if d.severity.name == "ERROR"]
    assert errors == []


def test_operations_change_the_plan() -> None:
    amended = load(ALLONGE)
    assert weight(amended, "1.1.a") == 5 and weight(amended, "1.1.b") == 15
    dropped = requirement(amended, "1.1.c").dropped
    assert dropped is not None and dropped.reason == "Sagerne er afsluttet" and dropped.on is not None
    assert dropped.on.end_date(2022).isoformat() == "2022-06-15"
    target = requirement(amended, "1.1.b").targets
    assert target == (A.TimeTarget("average", A.Relation.AT_MOST, A.Duration(Decimal(110), A.TimeUnit.DAYS)),)
    (deadline,) = requirement(amended, "1.4").deadlines
    assert deadline.end_date(2022).isoformat() == "2022-09-30"
    assert [a.title for a in amended.amendments] == ["Allonge 1 til mål- og resultatplan 2022"]


def test_the_diff_of_plan_and_amended_plan_is_what_the_allonge_says() -> None:
    old, new = load(PLAN), load(ALLONGE)
    diff = diff_plans(old, new)
    assert {(c.kind, c.ref) for c in diff.changes if c.kind is not Kind.FIELD} == {
        (Kind.WEIGHT, "1.1.a"), (Kind.WEIGHT, "1.1.b"), (Kind.TARGET, "1.1.b"), (Kind.DROPPED, "1.1.c"),
        (Kind.DEADLINE, "1.4"), (Kind.TEXT, "1.4"),
    }  # fmt: skip
    assert apply_diff(old, diff) == new


def test_the_amended_plan_scores_as_computed_by_hand() -> None:
    """The 2022 results against the plan as amended, by hand:
    1.1.a 5 of 5 (91,2 % ≥ 90 %); 1.1.b 0 of 15 (124 days > 110); 1.1.c dropped (10 points);
    1.1.d 5 of 5; 1.2: 15 + 0 + 10 + 10 = 35 of 40 (1.2.b 88,9 % < 90 %); 1.3 5 of 5; 1.4 5 of 5
    (delivered 24 June, due end of September); 2.1 5; 2.2 5; 2.3 0 (the 4th-quarter report missed).
    Earned 5 + 0 + 5 + 35 + 5 + 5 + 5 + 5 + 0 = 65 of 100, 10 dropped: 65 × 100 / 90 = 72,22...;
    11 of 14 counted requirements met (1.1.b, 1.2.b and 2.3 not)."""
    splan = scoring_plan(load(ALLONGE))
    results = read_results(str(RESULTS), splan)
    assert results.ok, results.diagnostics
    result = score(splan, results.results)
    assert (result.earned, result.total, result.dropped) == (Decimal(65), Decimal(100), Decimal(10))
    assert result.rebased is not None and round(result.rebased, 2) == Decimal("72.22")
    assert (result.met, result.counted) == (11, 14)


def test_the_report_says_which_allonges_applied() -> None:
    out = CliRunner().invoke(main, ["score", str(ALLONGE), str(RESULTS)]).stdout
    assert "Scoret efter Allonge 1 til mål- og resultatplan 2022 af 15. juni 2022 (6 ændringer)" in out
    assert "I alt: 65 af 100 point;" in out and "11 af 14 krav opfyldt" in out
    for lang, line in (
        ("da", "Opgjort efter planen som ændret ved Allonge 1 til mål- og resultatplan 2022 af 15. juni 2022."),
        ("en", "Scored against the plan as amended by Allonge 1 til mål- og resultatplan 2022 of 15 June 2022."),
    ):
        args = ["score", str(ALLONGE), str(RESULTS), "--to", "aarsrapport", "--as", "md", "--lang", lang]
        report = CliRunner().invoke(main, args)
        assert report.exit_code == 0, report.stderr
        assert line in report.stdout


def test_several_allonges_apply_in_date_order() -> None:
    later = load(FIXTURES / "allonge-2.mrp")  # 1 June (15) then 1 September (12)
    assert [a.date.isoformat() for a in later.amendments if a.date] == ["2022-06-15", "2022-09-01"]
    assert weight(later, "1.1.b") == 12 and weight(later, "1.1.d") == 8 and weight(later, "1.1.a") == 5
    earlier = load(FIXTURES / "allonge-early.mrp")  # written after allonge 1, dated before it
    assert [a.title for a in earlier.amendments] == ["Allonge 0", "Allonge 1 til mål- og resultatplan 2022"]
    assert weight(earlier, "1.1.b") == 15 and weight(earlier, "1.2.a") == 10


def test_weights_must_still_add_up() -> None:
    """Allonge 2 moves 3 points from 1.1.b to 1.1.d: still 100. Allonge 0 takes 5 from 1.2.a
    and gives them nowhere (its 1.1.b is overridden by allonge 1): 95, an error."""
    codes = [d.code for d in all_diagnostics(mrpl.load_file(str(FIXTURES / "allonge-2.mrp")))]
    assert "MRP101" not in codes
    found = [d for d in all_diagnostics(mrpl.load_file(str(FIXTURES / "allonge-early.mrp"))) if d.code == "MRP101"]
    assert len(found) == 1 and "95" in found[0].message


def test_build_the_consolidated_plan_with_its_log_and_the_allonge_itself(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(ALLONGE), "--to", "md", "--to", "tex", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    plan_md = (tmp_path / "udlaendingestyrelsen-2022-allonge-1.md").read_text(encoding="utf-8")
    assert "## 7.0 Allonger" in plan_md and "- Vægten af 1.1.b ændres til 15 point." in plan_md
    assert "**Underskrevet af:** Niels Henrik Larsen, Direktør; Pernille Breinholdt Mikkelsen" in plan_md
    out = tmp_path / "allonge"
    result = runner.invoke(main, ["build", str(ALLONGE), "--allonge", "--to", "md", "--to", "tex", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    md = (out / "udlaendingestyrelsen-2022-allonge-1.md").read_text(encoding="utf-8")
    assert md.splitlines()[2] == "# Allonge 1 til mål- og resultatplan 2022"
    assert "Denne allonge ændrer Mål- og resultatplan 2022 for Udlændingestyrelsen." in md
    assert "- Resultatkrav 1.1.c udgår: Sagerne er afsluttet." in md
    tex = (out / "udlaendingestyrelsen-2022-allonge-1.tex").read_text(encoding="utf-8")
    assert "Allonge 1 til mål-{} og resultatplan 2022" in tex
    again = runner.invoke(main, ["build", str(ALLONGE), "--allonge", "--to", "md", "-o", str(tmp_path / "b")])
    assert again.exit_code == 0
    assert (tmp_path / "b" / "udlaendingestyrelsen-2022-allonge-1.md").read_bytes() == md.encode("utf-8")


DOCUMENT_FORMATS = ("md", "tex", "typ", "pdf", "docx")


def test_the_allonge_builds_to_every_target_in_both_languages(tmp_path: Path) -> None:
    """The consolidated plan to every target (the scoring module too), the allonge itself to every
    document target; in Danish and English."""
    runner = CliRunner()
    for lang in ("da", "en"):
        plan_dir, allonge_dir = tmp_path / lang / "plan", tmp_path / lang / "allonge"
        targets = [a for f in (*DOCUMENT_FORMATS, "py") for a in ("--to", f)]
        args = ["build", str(ALLONGE), *targets, "-o", str(plan_dir), "--lang", lang]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.stderr
        assert sorted(p.suffix for p in plan_dir.iterdir()) == sorted(f".{f}" for f in (*DOCUMENT_FORMATS, "py"))
        targets = [a for f in DOCUMENT_FORMATS for a in ("--to", f)]
        result = runner.invoke(
            main, ["build", str(ALLONGE), "--allonge", *targets, "-o", str(allonge_dir), "--lang", lang]
        )
        assert result.exit_code == 0, result.stderr
        assert sorted(p.suffix for p in allonge_dir.iterdir()) == sorted(f".{f}" for f in DOCUMENT_FORMATS)
        for folder in (plan_dir, allonge_dir):
            stem = folder / "udlaendingestyrelsen-2022-allonge-1"
            assert stem.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
            assert stem.with_suffix(".docx").read_bytes().startswith(b"PK")
        allonge_md = (allonge_dir / "udlaendingestyrelsen-2022-allonge-1.md").read_text(encoding="utf-8")
        assert ("Requirement 1.1.c is dropped" if lang == "en" else "Resultatkrav 1.1.c udgår") in allonge_md


def test_the_amended_plans_scoring_module_scores_as_amended(tmp_path: Path) -> None:
    """`--to py` of an allonge is the amended plan's module: it scores the 2022 results as computed
    by hand (65 of 100, 10 points dropped, 72,22 rebased)."""
    import importlib.util

    result = CliRunner().invoke(main, ["build", str(ALLONGE), "--to", "py", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    spec = importlib.util.spec_from_file_location("amended", tmp_path / "udlaendingestyrelsen_2022_allonge_1.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = read_results(str(RESULTS), scoring_plan(load(ALLONGE)))
    assert results.ok, results.diagnostics
    out = module.score({uid: r.as_dict() for uid, r in results.results.items()})
    assert (out["earned"], out["total"], out["dropped"]) == (Decimal(65), Decimal(100), Decimal(10))
    assert round(out["rebased"], 2) == Decimal("72.22") and "1.1.c" not in out["units"]


def test_the_allonge_has_no_scoring_module_of_its_own(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(ALLONGE), "--allonge", "--to", "md", "--to", "py", "-o", str(tmp_path)]
    )
    assert result.exit_code == 2 and "--allonge --to py" in result.stderr
    assert not tmp_path.exists() or not any(tmp_path.iterdir())  # nothing half written


@pytest.mark.parametrize("fmt", ["md", "tex", "typ"])
@pytest.mark.parametrize("itself", [False, True], ids=["consolidated", "allonge"])
def test_golden(fmt: str, itself: bool, request: pytest.FixtureRequest) -> None:
    """tests/golden/allonge/: the consolidated plan and the allonge itself, reviewed by diff."""
    from mrpl.render import render_amendment, render_bytes

    plan = load(ALLONGE)
    data = render_amendment(plan, plan.amendments[-1], fmt) if itself else render_bytes(plan, fmt)
    golden = GOLDEN / f"{ALLONGE.stem}{'.allonge' if itself else ''}.{fmt}"
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(data)
    assert golden.is_file(), f"no golden {golden.name}: run pytest --update-goldens"
    assert data == golden.read_bytes()


def test_building_a_plan_as_an_allonge_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(PLAN), "--allonge", "--to", "md", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "not one" in result.stderr


def test_english_keywords_give_the_same_allonge() -> None:
    source = ALLONGE.read_text(encoding="utf-8")
    english = format_source(source, str(ALLONGE), "en")
    assert "dropped 1.1.c" in english and "weight 1.1.b 15" in english
    assert parse_source(english, str(ALLONGE)).plan == parse_source(source, str(ALLONGE)).plan


def test_a_missing_plan_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "a.mrp"
    path.write_text('allonge { plan "nowhere.mrp"; dato 2022-06-15 }\n', encoding="utf-8")
    result = mrpl.load_file(str(path))
    assert result.plan is None
    assert [d.code for d in result.diagnostics] == ["MRP090"]
    out = CliRunner().invoke(main, ["check", str(path)])
    assert out.exit_code == 1 and "MRP090" in out.stderr


def test_a_syntax_error_in_an_allonge_is_its_one_message(tmp_path: Path) -> None:
    """The recovery may lose the allonge's `plan` line with the statement in error: no second
    message that the allonge names no plan."""
    path = tmp_path / "a.mrp"
    path.write_text(f'allonge {{ plan "{PLAN}"; måltal 1.1.b mindst 3 }}\n', encoding="utf-8")
    codes = [d.code for d in all_diagnostics(mrpl.load_file(str(path)))]
    assert codes == ["MRP002"]


def test_an_allonge_cycle_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.mrp").write_text('allonge { plan "b.mrp" }\n', encoding="utf-8")
    (tmp_path / "b.mrp").write_text('allonge { plan "a.mrp" }\n', encoding="utf-8")
    result = mrpl.load_file(str(tmp_path / "a.mrp"))
    assert result.plan is None and "MRP008" in [d.code for d in result.diagnostics]


def test_a_diff_written_as_an_allonge_makes_the_same_plan() -> None:
    import dataclasses
    from datetime import date

    from mrpl.amend import apply_amendments
    from mrpl.amend.write import allonge_from_diff

    old, amended = load(PLAN), load(ALLONGE)
    new = dataclasses.replace(amended, amendments=())
    written = allonge_from_diff(diff_plans(old, new), new, "plan.mrp", on=date(2022, 6, 15))
    assert written.text is not None and written.unsupported == ()
    parsed = parse_source(written.text, "allonge.mrp").plan
    assert parsed is not None
    problems: list[object] = []
    replayed = apply_amendments(old, parsed.amendments, problems.append)
    assert [getattr(p, "code", None) for p in problems] == ["MRP690"]  # to be reasoned and signed
    assert dataclasses.replace(replayed, amendments=()) == new


def test_diff_to_allonge_refuses_what_an_allonge_cannot_state() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(PLAN), str(ALLONGE), "--to", "allonge", "--lang", "en"])
    assert result.exit_code == 1 and "weight 1.1.b 15" in result.stdout
    newer = ROOT / "examples" / "udlaendingestyrelsen-2023.mrp"
    result = runner.invoke(main, ["diff", str(PLAN), str(newer), "--to", "allonge"])
    assert result.exit_code == 2 and "belong in a new plan" in result.stderr and "header · period" in result.stderr


def _with_requirement(plan: A.Plan, goal_number: str, req: A.Requirement, at: int | None = None) -> A.Plan:
    import dataclasses

    from test_diff import _edit_goal

    for i, section in enumerate(plan.sections):
        for j, goal in enumerate(section.goals):
            if goal.number == goal_number:
                reqs = list(goal.requirements)
                reqs.insert(len(reqs) if at is None else at, req)
                return _edit_goal(plan, (i, j), dataclasses.replace(goal, requirements=tuple(reqs)))
    raise KeyError(goal_number)


def test_an_added_requirement_with_a_numeric_label_replays() -> None:
    """Goal 2.1 numbers its requirements 1, 2: a third, `resultatkrav 2.1.3 { ... }`, replays."""
    import dataclasses

    old = load(PLAN)
    second = old.sections[1].goals[0].requirements[1]
    new = _with_requirement(old, "2.1", dataclasses.replace(second, label="3", display="3. halvår"))
    replayed = _replay(old, new)
    assert replayed == new


def test_a_requirement_added_between_others_belongs_in_a_new_plan() -> None:
    """An allonge adds after a goal's requirements; one inserted before 1.1.b cannot be stated."""
    import dataclasses
    from datetime import date

    from mrpl.amend.write import allonge_from_diff

    old = load(PLAN)
    first = requirement(old, "1.1.a")
    new = _with_requirement(old, "1.1", dataclasses.replace(first, label="e"), at=1)
    written = allonge_from_diff(diff_plans(old, new), new, "plan.mrp", on=date(2022, 6, 15))
    assert written.text is None and [c.ref for c in written.unsupported] == ["1.1.e"]


def _replay(old: A.Plan, new: A.Plan) -> A.Plan | None:
    """Write the change from old to new as an allonge, read it back, apply it to old."""
    import dataclasses
    from datetime import date

    from mrpl.amend import apply_amendments
    from mrpl.amend.write import allonge_from_diff

    diff = diff_plans(old, new)
    written = allonge_from_diff(diff, new, "plan.mrp", on=date(2022, 6, 15))
    if written.text is None:
        return None
    result = parse_source(written.text, "allonge.mrp")
    assert result.plan is not None and not result.diagnostics, written.text
    parsed = result.plan
    errors: list[object] = []
    replayed = apply_amendments(
        old, parsed.amendments, lambda d: errors.append(d) if d.severity.name == "ERROR" else None
    )
    if errors:  # e.g. a second requirement for a goal with one unlabelled one: the check says why
        return None
    return dataclasses.replace(replayed, amendments=())


_OLD = load(PLAN)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited(_OLD))
def test_every_change_an_allonge_can_state_replays_exactly(new: A.Plan) -> None:
    """Random drafts of the plan: whenever the change can be written as an allonge that applies
    without errors, applying it to the old plan gives the new one (drop dates aside: an allonge
    drops from its own date)."""
    replayed = _replay(_OLD, new)
    if replayed is None:
        return
    got, want = _without_drop_dates(replayed), _without_drop_dates(new)
    assert got == want, render_diff(diff_plans(want, got), "text", "en")


def _without_drop_dates(plan: A.Plan) -> A.Plan:
    import dataclasses

    def req(r: A.Requirement) -> A.Requirement:
        return r if r.dropped is None else dataclasses.replace(r, dropped=dataclasses.replace(r.dropped, on=None))

    sections = tuple(
        dataclasses.replace(s, goals=tuple(dataclasses.replace(g, requirements=tuple(map(req, g.requirements)))
                                           for g in s.goals))
        for s in plan.sections
    )  # fmt: skip
    return dataclasses.replace(plan, sections=sections)
