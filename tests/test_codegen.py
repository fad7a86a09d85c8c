"""The generated scoring module (`mrplc build --to py`): standalone, safe,
and in agreement with the engine on random results for every example plan."""

from __future__ import annotations

import ast
import importlib
import sys
import types
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mrpl import load_file, load_string
from mrpl.render.python import render
from mrpl.score import (
    CheckKind,
    Counts,
    GoalAssessment,
    Result,
    ScoringPlan,
    Status,
    Unit,
    plain_score,
    score,
    scoring_plan,
)
from mrpl.years import is_multi_year, plan_years

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.mrp"))
FIXTURE = Path(__file__).parent / "fixtures" / "results" / "plan.mrp"
RULES = Path(__file__).parent / "fixtures" / "results" / "rules.mrp"  # every goal rule, counts, approvals
PLANS = [*EXAMPLES, *sorted((ROOT / "examples" / "allonger").glob("*.mrp")), FIXTURE, RULES]


def plan_of(path: Path) -> Any:
    loaded = load_file(str(path))
    assert loaded.plan is not None
    return loaded.plan


def module_of(text: str) -> types.ModuleType:
    module = types.ModuleType("generated_scoring")
    exec(compile(text, "generated_scoring.py", "exec"), module.__dict__)
    return module


@pytest.fixture(scope="module", params=PLANS, ids=lambda p: p.stem)
def generated(request: pytest.FixtureRequest) -> tuple[ScoringPlan, str, types.ModuleType]:
    plan = plan_of(request.param)
    text = render(plan)
    return scoring_plan(plan), text, module_of(text)


def test_there_are_example_plans() -> None:
    assert len(EXAMPLES) >= 2


def test_standard_library_only_and_no_mrpl(generated: tuple[ScoringPlan, str, types.ModuleType]) -> None:
    _splan, text, _module = generated
    imported = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "datetime", "decimal"}
    assert imported <= set(sys.stdlib_module_names)


def test_one_function_per_scored_unit_with_a_docstring(generated: tuple[ScoringPlan, str, types.ModuleType]) -> None:
    splan, text, module = generated
    tree = ast.parse(text)
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name.startswith("score_")}
    # A multi-year plan has one function per unit and year (score_2017_1_1_a).
    per_year = [
        members for goals, _not_due in module.GOALS_BY_YEAR.values() for _g, reqs in goals for _r, members in reqs
    ]
    expected = sum(len(m) for m in per_year) if per_year else len(list(splan.units()))
    assert len(functions) == expected
    for f in functions.values():
        doc = ast.get_docstring(f)
        assert doc is not None and doc.startswith("Resultatkrav ")


def test_plan_text_never_in_comments(generated: tuple[ScoringPlan, str, types.ModuleType]) -> None:
    splan, text, _module = generated
    comments = [line.split("#", 1)[1] for line in text.splitlines() if line.lstrip().startswith("#")]
    names = [u.name for u in splan.units()] + [splan.title, splan.agency]
    for comment in comments:
        for name in names:
            if len(name) > 6:
                assert name not in comment


def test_hostile_plan_text_stays_inside_literals() -> None:
    evil = '\\"\\"\\" ; import os; os.system(\\"echo owned\\") # \\u2028'
    text = (
        f'plan {{ titel "{evil}"; styrelse "x\\"\\"\\"y"; periode 2022-01-01 til 2022-12-31 }}\n'
        f'mål 1.1 "A" {{ vægt 100; resultatkrav a "{evil}" {{ måltal antal mindst 3 "{evil}" }} }}\n'
    )
    loaded = load_string(text, "evil.mrp")
    assert loaded.plan is not None
    source = render(loaded.plan)
    tree = ast.parse(source)
    calls = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert "system" not in calls
    assert not any(isinstance(n, ast.Import) and n.names[0].name == "os" for n in ast.walk(tree))
    module = module_of(source)
    assert module.score({"1.1.a": {"values": [D(3)]}})["units"]["1.1.a"]["fulfilment"] == 1


def test_generated_module_scores_the_fixture() -> None:
    plan = plan_of(FIXTURE)
    module = module_of(render(plan))
    out = module.score({"1.1.a": {"values": [D(85)]}, "2.2.a": {"delivered": [date(2022, 6, 30), None]}})
    assert out["units"]["1.1.a"] == {"fulfilment": D("0.5"), "points": D(5), "status": "Delvist opfyldt"}
    assert out["units"]["2.2.a"]["points"] == D("2.5")
    assert out["earned"] == D("7.5") and out["total"] == D(100) and out["dropped"] == D(5)
    assert "1.1.b" in out["missing"]


def test_cli_build_writes_the_module(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mrpl.cli import main

    plan = ROOT / "examples" / "udlaendingestyrelsen-2022.mrp"
    result = CliRunner().invoke(main, ["build", str(plan), "--to", "py", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "udlaendingestyrelsen_2022.py").read_text(encoding="utf-8")
    assert "def score(results: dict, assessments: dict | None = None, year=None) -> dict:" in written
    module_of(written)
    sys.path.insert(0, str(tmp_path))
    try:  # the file name is one `import` can load
        assert importlib.import_module("udlaendingestyrelsen_2022").score({})["total"] == 100
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("udlaendingestyrelsen_2022", None)


@pytest.mark.parametrize(
    ("stem", "module"), [("siri-2020", "siri_2020"), ("2022 plan", "_2022_plan"), ("import", "import_"), ("mål", "mål")]
)
def test_python_outputs_get_importable_names(stem: str, module: str) -> None:
    from mrpl.render.output import module_name, output_path

    assert module_name(stem) == module and module.isidentifier()
    assert output_path(f"x/{stem}.mrp", None, ".md").name == f"{stem}.md"


# ---------------------------------------------------------------- the property: module == engine


def _decimals(low: int, high: int) -> st.SearchStrategy[D]:
    return st.integers(low * 10, high * 10).map(lambda n: D(n) / 10)


def _value(unit: Unit, slot: int) -> st.SearchStrategy[Any]:
    check = next(c for c in unit.checks if c.slot == slot)
    if check.kind is CheckKind.STATUS:
        return st.booleans()
    if check.kind is CheckKind.SHARE:
        return _decimals(0, 100)
    if check.goal is not None:
        return _decimals(0, int(check.goal * 2) + 2)
    return _decimals(0, 1000)


def _day_near(due: date) -> st.SearchStrategy[date | None]:
    return st.one_of(st.none(), st.integers(-20, 20).map(lambda n: due + timedelta(days=n)))


def _counts() -> st.SearchStrategy[Counts]:
    """numerator <= denominator - excluded, as the results reader insists; sometimes an empty population."""

    @st.composite
    def draw(draw_: Any) -> Counts:
        denominator = draw_(st.integers(0, 40))
        excluded = draw_(st.integers(0, denominator))
        numerator = draw_(st.integers(0, denominator - excluded))
        reasons = (("trukket tilbage", D(excluded)),) if excluded else ()
        return Counts(D(numerator), D(denominator), reasons)

    return draw()


def _share_counts(unit: Unit) -> st.SearchStrategy[tuple[Counts | None, ...]]:
    slots = []
    for slot in range(unit.value_count):
        check = next(c for c in unit.checks if c.slot == slot)
        slots.append(st.one_of(st.none(), _counts()) if check.kind is CheckKind.SHARE else st.none())
    return st.tuples(*slots)


def _result(unit: Unit) -> st.SearchStrategy[Result | None]:
    parts: dict[str, st.SearchStrategy[Any]] = {}
    if unit.value_count:
        parts["values"] = st.tuples(*(st.one_of(st.none(), _value(unit, s)) for s in range(unit.value_count)))
        parts["counts"] = _share_counts(unit)
    for check in unit.checks:
        if check.kind is CheckKind.MILESTONE:
            parts["delivered"] = st.tuples(*(_day_near(d) for d in check.deadlines))
            if check.approval is not None:
                parts["approved"] = st.tuples(*(_day_near(d) for d in check.deadlines))
        elif check.kind is CheckKind.ASSESSMENT and check.maximum is not None:
            parts["points"] = _decimals(0, int(check.maximum))
        elif check.kind is CheckKind.LEVEL:
            names = check.areas or tuple(str(i) for i in range(check.area_count or 1))
            parts["areas"] = st.tuples(*(st.tuples(st.just(n), st.integers(0, 5).map(D)) for n in names))
        elif check.kind is CheckKind.CHANGE and check.baseline is None:
            parts["baseline"] = _decimals(1, 1000)
        elif check.kind is CheckKind.MANUAL:
            parts["fulfilment"] = st.one_of(st.none(), _decimals(0, 100).map(lambda d: d / 100))
            parts["met"] = st.one_of(st.none(), st.booleans())
    fixed = st.fixed_dictionaries(parts).map(lambda kw: Result(unit.id, **kw))
    return st.one_of(st.none(), fixed)


def _results(splan: ScoringPlan) -> st.SearchStrategy[dict[str, Result]]:
    units = list(splan.units())
    return st.tuples(*(_result(u) for u in units)).map(
        lambda rs: {u.id: r for u, r in zip(units, rs, strict=True) if r is not None}
    )


def _years(plan: Any) -> list[int | None]:
    """The years a plan is scored in: each year of a multi-year plan, else one (None)."""
    return list(plan_years(plan) or ()) if is_multi_year(plan) else [None]


@pytest.mark.parametrize(
    ("path", "year"), [(p, y) for p in PLANS for y in _years(plan_of(p))], ids=lambda v: getattr(v, "stem", str(v))
)
def test_module_and_engine_agree_on_random_results(path: Path, year: int | None) -> None:
    plan = plan_of(path)
    splan = scoring_plan(plan, year)
    module = module_of(render(plan))

    assessed = [g.number for g in splan.goals if g.rule.kind == "assessment"]
    verdicts = st.one_of(st.none(), st.sampled_from([Status.MET, Status.PARTLY, Status.NOT_MET]))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_results(splan), st.tuples(*(verdicts for _ in assessed)))
    def agree(results: dict[str, Result], statuses: tuple[Status | None, ...]) -> None:
        assessments = {n: GoalAssessment(n, s) for n, s in zip(assessed, statuses, strict=True) if s is not None}
        engine = plain_score(score(splan, results, assessments))
        generated = module.score(
            {uid: r.as_dict() for uid, r in results.items()},
            {n: a.status.value for n, a in assessments.items()},
            year=year,
        )
        assert {
            k: {"fulfilment": v["fulfilment"], "points": v["points"]} for k, v in generated["units"].items()
        } == engine["units"]
        for key in (
            "earned",
            "total",
            "dropped",
            "rebased",
            "pay",
            "pay_amount",
            "goals",
            "goals_met",
            "goals_counted",
        ):
            assert generated[key] == engine[key], key

    agree()
