"""`mrplc diff`: the semantic diff, its formats, exit codes, and its properties.

Goldens in tests/golden/diff are the 2022 → 2023 Udlændingestyrelsen pair in
every format; `pytest tests/test_diff.py --update-goldens` rewrites them.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mrpl
from mrpl import ast as A
from mrpl.cli import main
from mrpl.diff import Kind, apply_diff, diff_plans
from mrpl.diff.redline import DELETE, INSERT, redline
from mrpl.diff.render import render_diff
from mrpl.fmt import format_source
from mrpl.parse import parse_source

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden" / "diff"
OLD = EXAMPLES / "udlaendingestyrelsen-2022.mrp"
NEW = EXAMPLES / "udlaendingestyrelsen-2023.mrp"
PLANS = sorted(EXAMPLES.glob("*.mrp")) + sorted((EXAMPLES / "allonger").glob("*.mrp"))


def load(path: Path) -> A.Plan:
    plan = mrpl.load_file(str(path)).plan
    assert plan is not None
    return plan


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["diff", *args])
    return result.exit_code, result.stdout, result.stderr


def kinds(old: A.Plan, new: A.Plan) -> list[Kind]:
    return [c.kind for c in diff_plans(old, new).changes]


# --------------------------------------------------------------------------
# What the 2022 → 2023 pair shows


def test_renumbered_goals_are_recognised_and_said_so() -> None:
    diff = diff_plans(load(OLD), load(NEW))
    renumbered = {(c.old_ref, c.ref) for c in diff.changes if c.kind is Kind.GOAL_RENUMBERED}
    assert renumbered == {("1.4", "3.1")}  # into the new section 3, recognised by what it says
    assert not any(c.kind in (Kind.GOAL_ADDED, Kind.GOAL_REMOVED) for c in diff.changes)
    assert [c.ref for c in diff.changes if c.kind is Kind.SECTION_ADDED] == ["3"]
    relettered = [c for c in diff.changes if c.kind is Kind.REQUIREMENT_RENUMBERED]
    assert [(c.old_ref, c.ref) for c in relettered] == [("1.1.d", "1.1.c")]
    removed = [c for c in diff.changes if c.kind is Kind.REQUIREMENT_REMOVED]
    assert [c.ref for c in removed] == ["1.1.c"]  # the evacuated Afghans, not the relettered d


def test_target_tightened_and_weights_moved_in_words() -> None:
    text = render_diff(diff_plans(load(OLD), load(NEW), "a", "b"), "text")
    assert "Resultatkrav 1.1.b: måltal: gennemsnitlig højst 120 dage → gennemsnitlig højst 100 dage" in text
    assert "Resultatkrav 1.1.b: vægt: 10 point → 15 point" in text
    assert "1.2 Familiesammenføringssager og forlængelse af opholdstilladelser mv.: 40 point → 45 point" in text
    assert "(andel 40,0 pct. → 45,0 pct.)" in text


def test_across_years_deadlines_compare_by_position_in_the_year() -> None:
    diff = diff_plans(load(OLD), load(NEW))
    assert diff.year_shift == 1
    moved = [c for c in diff.changes if c.kind is Kind.DEADLINE]
    assert [c.ref for c in moved] == ["3.1"]  # 1. halvår → ultimo september; 2.2's Q2/Q4 2022 → 2023 are the same
    text = render_diff(diff, "text")
    assert "frister sammenlignes efter deres placering i året" in text
    assert "frist: 1. halvår 2022 → ultimo september 2023 (sammenlignet efter placering i året)" in text


def test_budget_rows_by_row() -> None:
    text = render_diff(diff_plans(load(OLD), load(NEW)), "text", "en")
    assert "row 3 «Visumsager»: 18.7; 15.6; 16.9; 18.4; 9.8; 9.7; 9.7 → 15.6; 16.9; 18.4; 9.8; 9.7; 9.7; 9.7" in text


def test_signatory_changes() -> None:
    old = load(OLD)
    assert old.header is not None and old.header.director is not None
    director = dataclasses.replace(old.header.director, name="Anne Andersen")
    new = dataclasses.replace(old, header=dataclasses.replace(old.header, director=director))
    assert kinds(old, new) == [Kind.SIGNATORY]
    assert "direktør · navn: Niels Henrik Larsen → Anne Andersen" in render_diff(diff_plans(old, new), "text")


# --------------------------------------------------------------------------
# Properties


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_a_plan_against_itself_is_empty(path: Path) -> None:
    plan = load(path)
    assert diff_plans(plan, plan).empty


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_danish_and_english_file_of_the_same_plan_diff_empty(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    english = parse_source(format_source(source, str(path), "en"), str(path)).plan
    danish = parse_source(source, str(path)).plan
    assert english is not None and danish is not None
    assert diff_plans(danish, english).empty


@pytest.mark.parametrize("old", PLANS, ids=lambda p: p.stem)
@pytest.mark.parametrize("new", PLANS, ids=lambda p: p.stem)
def test_applying_the_diff_gives_the_new_plan(old: Path, new: Path) -> None:
    a, b = load(old), load(new)
    assert apply_diff(a, diff_plans(a, b)) == b


_OPPOSITE = {
    Kind.GOAL_ADDED: Kind.GOAL_REMOVED,
    Kind.GOAL_REMOVED: Kind.GOAL_ADDED,
    Kind.REQUIREMENT_ADDED: Kind.REQUIREMENT_REMOVED,
    Kind.REQUIREMENT_REMOVED: Kind.REQUIREMENT_ADDED,
    Kind.SECTION_ADDED: Kind.SECTION_REMOVED,
    Kind.SECTION_REMOVED: Kind.SECTION_ADDED,
}


_MOVES = (Kind.GOAL_MOVED, Kind.REQUIREMENT_MOVED)


def assert_symmetric(a: A.Plan, b: A.Plan) -> None:
    """Backwards, every change is there with old and new swapped (added ↔ removed)."""
    forward, backward = diff_plans(a, b), diff_plans(b, a)
    assert forward.year_shift == -backward.year_shift
    there = sorted((_OPPOSITE.get(c.kind, c.kind).value, c.old_ref or c.ref, c.ref) for c in forward.changes
                   if c.structural and c.kind not in _MOVES)  # fmt: skip
    back = sorted((c.kind.value, c.ref, c.old_ref or c.ref) for c in backward.changes
                  if c.structural and c.kind not in _MOVES)  # fmt: skip
    assert there == back
    # Which of two swapped members "moved" is a choice; both directions replay exactly.
    assert apply_diff(b, backward) == a
    fields_there = sorted((c.kind.value, c.field or "") for c in forward.changes if not c.structural)
    fields_back = sorted((c.kind.value, c.field or "") for c in backward.changes if not c.structural)
    assert fields_there == fields_back


def test_diff_is_symmetric_up_to_direction() -> None:
    assert_symmetric(load(OLD), load(NEW))


# Random edits of a real plan: what a policy writer does between two drafts.


def _goals(plan: A.Plan) -> list[tuple[int, int]]:
    return [(s, g) for s, section in enumerate(plan.sections) for g in range(len(section.goals))]


def _edit_goal(plan: A.Plan, at: tuple[int, int], goal: A.Goal | None) -> A.Plan:
    s, g = at
    section = plan.sections[s]
    goals = list(section.goals)
    if goal is None:
        del goals[g]
    else:
        goals[g] = goal
    sections = list(plan.sections)
    sections[s] = dataclasses.replace(section, goals=tuple(goals))
    return dataclasses.replace(plan, sections=tuple(sections))


@st.composite
def edited(draw: st.DrawFn, plan: A.Plan) -> A.Plan:
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(_goals(plan)))
        goal = plan.sections[where[0]].goals[where[1]]
        action = draw(st.sampled_from(["weight", "drop", "renumber", "remove", "text", "target", "swap", "add"]))
        reqs = list(goal.requirements)
        r = draw(st.integers(0, len(reqs) - 1))
        if action == "weight":
            reqs[r] = dataclasses.replace(reqs[r], weight=A.Weight(Decimal(draw(st.integers(1, 40)))))
        elif action == "drop":
            reqs[r] = dataclasses.replace(reqs[r], dropped=A.Dropped(draw(st.sampled_from(["Udgået", "Ændret lov"]))))
        elif action == "remove" and len(reqs) > 1:
            del reqs[r]
        elif action == "text":
            reqs[r] = dataclasses.replace(
                reqs[r],
                text=A.Prose(
                    (A.Paragraph((A.Text(draw(st.from_regex(r"[a-cæø]{1,8}( [a-cæø]{1,8}){0,3}", fullmatch=True))),)),)
                ),
            )
        elif action == "target":
            reqs[r] = dataclasses.replace(
                reqs[r], targets=(A.CountTarget(A.Relation.AT_LEAST, Decimal(draw(st.integers(1, 99)))),)
            )
        elif action == "swap" and len(reqs) > 1:
            reqs[0], reqs[-1] = reqs[-1], reqs[0]
        elif action == "add":
            reqs.append(dataclasses.replace(reqs[r], label=f"{len(reqs) + 10}"))
        goal = dataclasses.replace(goal, requirements=tuple(reqs))
        if action == "renumber":
            goal = dataclasses.replace(goal, number=f"{goal.number}{draw(st.integers(1, 9))}")
        plan = _edit_goal(plan, where, None if action == "remove" and len(plan.all_goals()) > 1 else goal)
    return plan


_PLAN = load(OLD)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited(_PLAN))
def test_random_edits_round_trip_and_are_symmetric(new: A.Plan) -> None:
    diff = diff_plans(_PLAN, new)
    assert apply_diff(_PLAN, diff) == new
    assert diff.empty == (new == _PLAN)
    assert_symmetric(_PLAN, new)


# --------------------------------------------------------------------------
# Redline


def test_redline_marks_words_and_joins_neighbours() -> None:
    segs = redline("direktør Niels Henrik Larsen skal", "direktør Claes Nilas skal")
    assert [(s.op, s.text) for s in segs if s.op != "equal"] == [
        (DELETE, "Niels Henrik Larsen"),
        (INSERT, "Claes Nilas"),
    ]


def test_rewrapped_text_is_not_a_change() -> None:
    assert all(s.op == "equal" for s in redline("a  b\nc", "a b c"))


# --------------------------------------------------------------------------
# Formats, goldens and the command line

FORMATS = {"text": "txt", "md": "md", "html": "html", "json": "json"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_golden(fmt: str, lang: str, request: pytest.FixtureRequest) -> None:
    code, out, err = run(str(OLD), str(NEW), "--to", fmt, "--lang", lang)
    assert code == 1, err
    golden = GOLDEN / f"udlaendingestyrelsen-2022-2023.{lang}.{FORMATS[fmt]}"
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(out.encode("utf-8"))
    assert golden.is_file(), f"no golden {golden.name}: run pytest --update-goldens"
    assert out.encode("utf-8") == golden.read_bytes()


@pytest.mark.parametrize("lang", ["da", "en"])
def test_golden_allonge(lang: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--to allonge`: the allonge that makes the 2022 plan into the example allonge's amended
    plan, written from the allonge's folder (so it names `../udlaendingestyrelsen-2022.mrp`)."""
    allonge = EXAMPLES / "allonger" / "udlaendingestyrelsen-2022-allonge-1.mrp"
    monkeypatch.chdir(allonge.parent)
    code, out, err = run(str(OLD), str(allonge), "--to", "allonge", "--lang", lang)
    assert code == 1, err
    golden = GOLDEN / f"udlaendingestyrelsen-2022-allonge-1.{lang}.allonge"
    if request.config.getoption("--update-goldens"):
        golden.write_bytes(out.encode("utf-8"))
    assert golden.is_file(), f"no golden {golden.name}: run pytest --update-goldens"
    assert out.encode("utf-8") == golden.read_bytes()
    assert not parse_source(out, "allonge.mrp").diagnostics


def test_json_schema() -> None:
    _, out, _ = run(str(OLD), str(NEW), "--to", "json")
    data = json.loads(out)
    assert data["schema"] == "mrpl-diff/1" and data["changed"] is True and data["year_shift"] == 1
    keys = {"kind", "ref", "old_ref", "path", "group", "what", "before", "after", "note", "details", "redline",
            "old_value", "new_value"}  # fmt: skip
    assert all(keys <= set(c) for c in data["changes"])
    weight = next(c for c in data["changes"] if c["kind"] == "weight-changed")
    assert weight["path"] == "sections[1]/goals[1.1]/requirements[b]/weight"
    assert weight["old_value"] == {"node": "Weight", "value": "10", "unit": "point"}
    assert {g["goal"]: (g["old"], g["new"]) for g in data["weights"]["goals"]}["1.1"] == ("35", "30")


def test_exit_codes(tmp_path: Path) -> None:
    assert run(str(OLD), str(OLD))[0] == 0
    assert run(str(OLD), str(NEW))[0] == 1
    assert run(str(OLD), str(tmp_path / "missing.mrp"))[0] == 2
    broken = tmp_path / "broken.mrp"
    broken.write_text('mål 1.1 "A" {\n', encoding="utf-8")
    code, out, err = run(str(OLD), str(broken))
    assert code == 2 and out == "" and "broken.mrp:" in err


def _plan_with(title: str) -> str:
    return f'plan {{ titel "{title}" }}\nmål 1.1 "A" {{ vægt 100; resultatkrav {{ måltal milepæl }} }}\n'


def test_user_text_cannot_drive_the_terminal_or_the_page(tmp_path: Path) -> None:
    old, new = tmp_path / "old.mrp", tmp_path / "new.mrp"
    old.write_text(_plan_with("Plan"), encoding="utf-8")
    new.write_text(_plan_with("Plan \x1b[2J <script>alert(1)</script>"), encoding="utf-8")
    code, out, _ = run(str(old), str(new), "--color")
    assert code == 1 and "\x1b[2J" not in out and "\ufffd[2J" in out and "\x1b[32m" in out
    assert "\x1b" not in run(str(old), str(new))[1]  # no colour unless asked (not a terminal)
    _, page, _ = run(str(old), str(new), "--to", "html")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "redline.html"
    code, out, err = run(str(OLD), str(NEW), "--to", "html", "-o", str(target))
    assert code == 1 and out == "" and "wrote" in err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
