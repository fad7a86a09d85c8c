"""The scoring engine: every rule kind at its edges, weights, rebasing, pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from mrpl import load_string
from mrpl.diagnostics import Severity
from mrpl.report import display_percent, display_points
from mrpl.score import Result, ScoringPlan, Status, score, scoring_plan

HEAD = 'plan {\n  titel "T"\n  styrelse "S"\n  periode 2022-01-01 til 2022-12-31\n  total 100 point\n}\n'


def splan(body: str, head: str = HEAD) -> ScoringPlan:
    loaded = load_string(head + body, "t.mrp")
    assert [d for d in loaded.diagnostics if d.severity == Severity.ERROR] == []
    assert loaded.plan is not None
    return scoring_plan(loaded.plan)


def one(req_body: str, weight: str = "100") -> ScoringPlan:
    return splan(f'mål 1.1 "Område" {{\n  vægt {weight}\n  resultatkrav a {{\n{req_body}\n  }}\n}}\n')


def fulfil(sp: ScoringPlan, **fields: object) -> D | None:
    uid = next(iter(sp.units())).id
    result = score(sp, {uid: Result(uid, **fields)})  # type: ignore[arg-type]
    return next(result.requirements()).fulfilment


# ---------------------------------------------------------------- threshold (default)


@pytest.mark.parametrize(("value", "expected"), [("90", 1), ("89.9", 0), ("95", 1), ("0", 0), ("100", 1)])
def test_threshold_share_at_the_edges(value: str, expected: int) -> None:
    sp = one("måltal andel mindst 90 % inden for 30 dage")
    assert fulfil(sp, values=(D(value),)) == expected


@pytest.mark.parametrize(("value", "expected"), [("120", 1), ("120.1", 0), ("7", 1)])
def test_threshold_at_most_duration(value: str, expected: int) -> None:
    assert fulfil(one("måltal gennemsnit højst 120 dage"), values=(D(value),)) == expected


def test_below_is_strict() -> None:
    sp = one("måltal gennemsnit under 7 dage")
    assert fulfil(sp, values=(D(7),)) == 0
    assert fulfil(sp, values=(D("6.99"),)) == 1


# ---------------------------------------------------------------- linear


@pytest.mark.parametrize(
    ("value", "expected"),
    [("79", "0"), ("80", "0"), ("85", "0.5"), ("87.5", "0.75"), ("90", "1"), ("95", "1")],
)
def test_linear_between_floor_and_target(value: str, expected: str) -> None:
    sp = one("måltal andel mindst 90 %\n opfyldelse lineær fra 80 % til 90 %")
    assert fulfil(sp, values=(D(value),)) == D(expected)


def test_linear_for_lower_is_better() -> None:
    sp = one("måltal gennemsnit højst 120 dage\n opfyldelse lineær fra 150 dage til 120 dage")
    assert fulfil(sp, values=(D(135),)) == D("0.5")
    assert fulfil(sp, values=(D(110),)) == 1
    assert fulfil(sp, values=(D(160),)) == 0


def test_points_are_exact_decimals() -> None:
    """2,5 point × 50 % = 1,25 point, exactly."""
    sp = splan(
        'mål 1.1 "O" {\n resultatkrav a {\n  vægt 2,5\n  måltal andel mindst 90 %\n'
        "  opfyldelse lineær fra 80 % til 90 %\n }\n}\n"
    )
    result = score(sp, {"1.1.a": Result("1.1.a", values=(D(85),))})
    assert result.earned == D("1.25")
    assert display_points(result.earned) == "1,25"


# ---------------------------------------------------------------- steps


STEPS = "måltal andel mindst 90 %\n opfyldelse trin { mindst 90 %: 100 %; mindst 85 %: 50 %; ellers: 0 % }"


@pytest.mark.parametrize(
    ("value", "expected"), [("90", "1"), ("89.9", "0.5"), ("85", "0.5"), ("84.9", "0"), ("100", "1")]
)
def test_steps_first_match_wins(value: str, expected: str) -> None:
    assert fulfil(one(STEPS), values=(D(value),)) == D(expected)


def test_steps_without_otherwise_give_zero() -> None:
    sp = one("måltal andel mindst 90 %\n opfyldelse trin { mindst 90 %: 100 % }")
    assert fulfil(sp, values=(D(50),)) == 0


# ---------------------------------------------------------------- milestones

MILESTONES = "frist 2. kvartal\n frist 4. kvartal\n måltal milepæl\n opfyldelse milepæle {}"


def test_milestones_each_counts_share_on_time() -> None:
    sp = one(MILESTONES.format("hver"))
    on_time, late = date(2022, 6, 30), date(2022, 7, 1)
    assert fulfil(sp, delivered=(on_time, date(2022, 12, 31))) == 1
    assert fulfil(sp, delivered=(late, date(2022, 12, 1))) == D("0.5")
    assert fulfil(sp, delivered=(None, None)) == 0


def test_milestones_all_or_nothing() -> None:
    sp = one(MILESTONES.format("alle"))
    assert fulfil(sp, delivered=(date(2022, 6, 30), date(2022, 12, 31))) == 1
    assert fulfil(sp, delivered=(date(2022, 7, 1), date(2022, 12, 1))) == 0


def test_milestone_default_is_all() -> None:
    sp = one("frist 2. kvartal\n frist 4. kvartal\n måltal milepæl")
    assert fulfil(sp, delivered=(date(2022, 6, 1), None)) == 0


# ---------------------------------------------------------------- assessment scale (the annex's 108 points)

ASSESSMENT = (
    "måltal vurdering mindst 81 af 108 point\n"
    " opfyldelse trin { mindst 90 point: 100 %; mindst 81 point: 50 %; ellers: 0 % }"
)


@pytest.mark.parametrize(("points", "expected"), [("90", "1"), ("89", "0.5"), ("81", "0.5"), ("80", "0"), ("108", "1")])
def test_assessment_points_map_to_fulfilment(points: str, expected: str) -> None:
    assert fulfil(one(ASSESSMENT), points=D(points)) == D(expected)


def test_assessment_threshold_default() -> None:
    sp = one("måltal vurdering mindst 81 af 108 point")
    assert fulfil(sp, points=D(81)) == 1
    assert fulfil(sp, points=D(80)) == 0


# ---------------------------------------------------------------- areas

AREAS = 'måltal niveau 4 på "A" | "B" | "C" | "D"\n opfyldelse områder {}'
LEVELS = (("A", D(4)), ("B", D(4)), ("C", D(3)), ("D", D(5)))


def test_areas_all() -> None:
    sp = one(AREAS.format("alle"))
    assert fulfil(sp, areas=LEVELS) == 0
    assert fulfil(sp, areas=tuple((n, D(4)) for n, _ in LEVELS)) == 1


def test_areas_share() -> None:
    assert fulfil(one(AREAS.format("andel")), areas=LEVELS) == D("0.75")


def test_areas_counted_without_names() -> None:
    sp = one("måltal niveau 3 på 7 områder\n opfyldelse områder andel")
    levels = tuple((str(i), D(3) if i < 6 else D(2)) for i in range(7))
    assert fulfil(sp, areas=levels) == D(6) / D(7)


# ---------------------------------------------------------------- change against a baseline


@pytest.mark.parametrize(("value", "expected"), [("450", 1), ("451", 0), ("400", 1)])
def test_reduction_against_plan_baseline(value: str, expected: int) -> None:
    sp = one('måltal fald 10 % ift. "ultimo 2021" 500')
    assert fulfil(sp, values=(D(value),)) == expected


def test_increase_against_reported_baseline() -> None:
    sp = one('måltal stigning 5 % ift. "2021"')
    assert fulfil(sp, values=(D(105),), baseline=D(100)) == 1
    assert fulfil(sp, values=(D("104.9"),), baseline=D(100)) == 0
    assert fulfil(sp, values=(D(105),)) is None  # no baseline: not reported, not zero


def test_reduction_with_linear_partial_credit() -> None:
    sp = one('måltal fald 10 % ift. "ultimo 2021" 200\n opfyldelse lineær fra 0 % til 10 %')
    assert fulfil(sp, values=(D(190),)) == D("0.5")


# ---------------------------------------------------------------- conjunctions


def test_conjunction_takes_the_minimum() -> None:
    sp = one('måltal antal mindst 3500 "klagesager"\n måltal andel mindst 95 %')
    assert fulfil(sp, values=(D(3600), D(96))) == 1
    assert fulfil(sp, values=(D(3600), D(94))) == 0
    assert fulfil(sp, values=(D(3400), D(96))) == 0


def test_conjunction_rule_applies_to_matching_unit() -> None:
    sp = one('måltal antal mindst 100 "sager"\n måltal andel mindst 90 %\n opfyldelse lineær fra 80 % til 90 %')
    assert fulfil(sp, values=(D(100), D(85))) == D("0.5")
    assert fulfil(sp, values=(D(99), D(95))) == 0


def test_two_bounds_on_one_quantity_share_one_value() -> None:
    sp = one('måltal antal mindst 4 "kommuner"\n måltal antal højst 8 "kommuner"')
    assert next(iter(sp.units())).value_count == 1
    assert fulfil(sp, values=(D(6),)) == 1
    assert fulfil(sp, values=(D(9),)) == 0


def test_status_kept() -> None:
    sp = one("måltal fastholdt")
    assert fulfil(sp, values=(True,)) == 1
    assert fulfil(sp, values=(False,)) == 0


def test_manual_fulfilment_without_target() -> None:
    sp = one('tekst "Et krav uden måltal."')
    assert fulfil(sp, fulfilment=D("0.75")) == D("0.75")
    assert fulfil(sp, met=True) == 1


# ---------------------------------------------------------------- weights

GROUPS = """
mål 1.4 "Servicemål" {
  vægt 70
  resultatkrav {
    gruppe "Erhverv" {
      vægt 35
      del "Beløbsordningen" { vægt 20; måltal andel mindst 90 % inden for 31 dage }
      del "Fasttrack" { vægt 15; måltal andel mindst 90 % inden for 31 dage }
    }
    gruppe "EU" {
      vægt 35
      del "75 pct." { vægt 25; måltal andel mindst 75 % inden for 1 dag }
      del "98 pct." { vægt 10; måltal andel mindst 98 % inden for 92 dage; opfyldelse lineær fra 88 % til 98 % }
    }
  }
}
mål 2.1 "Andet" { vægt 30; resultatkrav { måltal fastholdt } }
"""


def test_sub_weight_groups_are_summed_member_by_member() -> None:
    sp = splan(GROUPS)
    results = {
        "1.4/Beløbsordningen": Result("1.4/Beløbsordningen", values=(D(91),)),
        "1.4/Fasttrack": Result("1.4/Fasttrack", values=(D(80),)),
        "1.4/75 pct.": Result("1.4/75 pct.", values=(D(75),)),
        "1.4/98 pct.": Result("1.4/98 pct.", values=(D(93),)),
        "2.1": Result("2.1", values=(True,)),
    }
    result = score(sp, results)
    req = next(result.requirements())
    assert req.points == D(20) + D(0) + D(25) + D(5)  # 10 × 0,5 for the linear member
    assert req.fulfilment == D(50) / D(70)
    assert req.status is Status.PARTLY
    assert result.earned == D(80) and result.total == D(100)


def test_goal_weight_split_equally_and_exactly() -> None:
    sp = splan('mål 1.1 "O" {\n vægt 5\n resultatkrav a { måltal fastholdt }\n resultatkrav b { måltal fastholdt }\n'
               ' resultatkrav c { måltal fastholdt }\n}\n')  # fmt: skip
    weights = [r.weight for r in sp.requirements()]
    assert sum(weights) == D(5)
    assert weights[0] == weights[1] and abs(weights[2] - weights[0]) < D("1e-26")
    full = score(sp, {r.id: Result(r.id, values=(True,)) for r in sp.requirements()})
    assert full.earned == D(5) and full.met == 3


def test_unscored_support_requirement_takes_no_points() -> None:
    sp = splan('mål 1.1 "O" {\n vægt 10\n resultatkrav a { måltal fastholdt }\n resultatkrav b { ikke scoret }\n}\n')
    reqs = list(sp.requirements())
    assert [r.weight for r in reqs] == [D(10), D(0)]
    result = score(sp, {"1.1.a": Result("1.1.a", values=(True,))})
    assert [r.status for r in result.requirements()] == [Status.MET, Status.UNSCORED]
    assert result.total == D(10) and result.counted == 1


# ---------------------------------------------------------------- dropped requirements and rebasing

DROPPED = """
mål 1.1 "A" { vægt 50; resultatkrav { måltal andel mindst 90 % } }
mål 1.2 "B" { vægt 25; resultatkrav { måltal andel mindst 90 %; udgået "Lovændring" 2022-06-30 } }
mål 1.3 "C" { vægt 25; resultatkrav { måltal andel mindst 90 %; opfyldelse lineær fra 80 % til 90 % } }
"""


def test_dropped_requirement_is_excluded_and_total_rebased() -> None:
    sp = splan(DROPPED)
    result = score(sp, {"1.1": Result("1.1", values=(D(95),)), "1.3": Result("1.3", values=(D(84),))})
    assert result.earned == D(60)  # 50 + 25 × 0,4
    assert result.dropped == D(25) and result.total == D(100)
    assert result.rebased == D(80)  # 60 × 100 / (100 − 25)
    statuses = {r.plan.id: r.status for r in result.requirements()}
    assert statuses == {"1.1": Status.MET, "1.2": Status.DROPPED, "1.3": Status.PARTLY}
    assert result.counted == 2
    dropped = next(r for r in sp.requirements() if r.id == "1.2")
    assert dropped.dropped_reason == "Lovændring"


def test_everything_dropped_cannot_be_rebased() -> None:
    sp = splan('mål 1.1 "A" { vægt 100; resultatkrav { måltal fastholdt; udgået "x" } }\n')
    assert score(sp, {}).rebased is None


# ---------------------------------------------------------------- missing results


def test_missing_result_is_not_scored_as_zero() -> None:
    sp = splan(DROPPED)
    result = score(sp, {"1.1": Result("1.1", values=(D(95),))})
    missing = next(r for r in result.requirements() if r.plan.id == "1.3")
    assert missing.status is Status.MISSING and missing.points is None and missing.fulfilment is None
    assert result.missing == D(25)
    assert result.earned == D(50)


def test_incomplete_conjunction_is_missing() -> None:
    sp = one('måltal antal mindst 3500 "sager"\n måltal andel mindst 95 %')
    assert fulfil(sp, values=(D(3600), None)) is None


# ---------------------------------------------------------------- performance pay

PAY = """
resultatløn {
  skala { mindst 90 point: 100 %; mindst 80 point: 75 %; ellers: 0 % }
}
"""


@pytest.mark.parametrize(("share", "pay"), [("95", "100"), ("90", "100"), ("85", "75"), ("79", "0")])
def test_performance_pay_schedule(share: str, pay: str) -> None:
    sp = splan(
        'mål 1.1 "A" { vægt 100; resultatkrav { måltal andel mindst 0 %; opfyldelse lineær fra 0 % til 100 % } }\n'
        + PAY
    )
    result = score(sp, {"1.1": Result("1.1", values=(D(share),))})
    assert result.pay == D(pay)


def test_pay_uses_rebased_points() -> None:
    sp = splan(DROPPED + PAY)
    result = score(sp, {"1.1": Result("1.1", values=(D(95),)), "1.3": Result("1.3", values=(D(89),))})
    assert result.earned == D("72.5") and result.rebased is not None
    assert result.rebased.quantize(D("0.01")) == D("96.67")
    assert result.pay == D(100)


# ---------------------------------------------------------------- display rounding


def test_display_rounding_is_half_up_in_one_place() -> None:
    assert display_points(D("1.005")) == "1,01"
    assert display_points(D("1.004999")) == "1"
    assert display_points(D("92.105263")) == "92,11"
    assert display_percent(D("0.92857")) == "92,9 %"
    assert display_percent(D("0.00049")) == "0 %"
    assert display_percent(D("0.00050")) == "0,1 %"


def test_assessment_without_a_pass_mark_scores_the_points_reached() -> None:
    from mrpl import ast as A
    from mrpl.score import Check, CheckKind, fulfilment, meets

    target = A.AssessmentTarget(None, None, D(36))
    check = Check(CheckKind.ASSESSMENT, target, goal=D(36), unit="point", maximum=D(36))
    assert fulfilment(check, D(27)) == D("0.75")
    assert fulfilment(check, D(36)) == 1 and meets(check, D(36))
    assert fulfilment(check, D(0)) == 0 and not meets(check, D(35))


def test_a_level_in_words_is_reached_or_not_per_area() -> None:
    """`niveau "det forventede modenhedsniveau" på 7 områder`: each area reports true or false."""
    from mrpl import load_file
    from mrpl.report import result_words
    from mrpl.results import parse_results

    plan = load_file("examples/faerdselsstyrelsen-2024.mrp").plan
    assert plan is not None
    splan = scoring_plan(plan)
    areas = ", ".join(f'"{n}" = {"false" if n == 3 else "true"}' for n in range(1, 8))
    text = f'[[result]]\nid = "2.1"\nareas = {{ {areas} }}\n'
    results = parse_results(text, "r.toml", splan)
    assert results.diagnostics == []
    units = [u for g in score(splan, results.results).goals for r in g.requirements for u in r.units]
    unit = next(u for u in units if u.unit.id == "2.1")
    assert unit.fulfilment == D(6) / D(7)
    assert "3: ikke nået" in result_words(unit)
    wrong = parse_results(text.replace("false", "3"), "r.toml", splan)
    assert [d.code for d in wrong.diagnostics] == ["MRP802"]
