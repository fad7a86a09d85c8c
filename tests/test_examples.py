"""The example plans say what the reference documents (the seeds) say.

Each example is loaded with its imports resolved and compared with facts read
off the seeds by hand: the weight of every goal, the plan total, every
requirement label, the annex's sub-weight table, and where the two 2022 plans'
group-wide goals differ. Also: English and Danish keywords give equal trees,
and docs/language.md lists every keyword.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import mrpl
from mrpl import ast as A
from mrpl.diagnostics import Severity
from mrpl.keywords import keywords
from mrpl.serialize import to_data

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SIRI = "siri-2020.mrp"
US = "udlaendingestyrelsen-2022.mrp"
HS = "hjemrejsestyrelsen-2022.mrp"
ENGLISH = "english-sample.mrp"


@cache
def load(name: str) -> A.Plan:
    result = mrpl.load_file(str(EXAMPLES / name))
    errors = [d for d in result.diagnostics if d.severity >= Severity.ERROR]
    assert not errors, [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in errors]
    assert result.plan is not None
    return result.plan


def goal(plan: A.Plan, number: str) -> A.Goal:
    return next(g for g in plan.all_goals() if g.number == number)


def goal_weight(g: A.Goal) -> Decimal:
    """The goal's own weight, or the sum of its requirements' weights."""
    if g.weight is not None:
        assert all(r.weight is None for r in g.requirements), f"{g.number} is weighted twice"
        return g.weight.value
    assert all(r.weight is not None for r in g.requirements), f"{g.number} has unweighted requirements"
    return sum((r.weight.value for r in g.requirements if r.weight), Decimal(0))


def all_prose(node: Any) -> list[str]:
    """The plain text of every prose value under `node`."""
    out: list[str] = []
    if isinstance(node, A.Prose):
        out.append(node.plain())
    elif isinstance(node, tuple):
        for item in node:
            out += all_prose(item)
    elif dataclasses.is_dataclass(node) and not isinstance(node, (type, A.Span)):
        for f in dataclasses.fields(node):
            out += all_prose(getattr(node, f.name))
    return out


def all_deadlines(node: Any) -> list[A.Deadline]:
    out: list[A.Deadline] = []
    if isinstance(node, A.Deadline):
        out.append(node)
    elif isinstance(node, tuple):
        for item in node:
            out += all_deadlines(item)
    elif dataclasses.is_dataclass(node) and not isinstance(node, (type, A.Span)):
        for f in dataclasses.fields(node):
            out += all_deadlines(getattr(node, f.name))
    return out


# --------------------------------------------------------------------------
# Every example loads cleanly


@pytest.mark.parametrize("name", [SIRI, US, HS, ENGLISH])
def test_example_loads_without_errors(name: str) -> None:
    plan = load(name)
    assert plan.imports == ()
    assert all("{{" not in text for text in all_prose(plan)), "an unfilled placeholder is left"


def test_shared_file_parses_alone_and_keeps_its_placeholders() -> None:
    parsed = mrpl.parse_file(str(EXAMPLES / "shared" / "koncernfaelles-2022.mrp"))
    assert parsed.diagnostics == []
    assert parsed.plan is not None
    assert [g.number for g in parsed.plan.goals] == ["2.1", "2.2", "2.3"]
    assert parsed.plan.goals[0].text is not None
    assert "{{styrelse}}" in parsed.plan.goals[0].text.plain()


# --------------------------------------------------------------------------
# Weights, as the seeds state them

GOAL_WEIGHTS = {
    SIRI: {"1.1": 5, "1.2": 5, "1.3": 5, "1.4": 70, "2.1": 5, "2.2": 5, "2.3": 5},
    US: {"1.1": 35, "1.2": 40, "1.3": 5, "1.4": 5, "2.1": 5, "2.2": 5, "2.3": 5},
    HS: {"1.1": 60, "1.2": 10, "1.3": 15, "2.1": 5, "2.2": 5, "2.3": 5},
}


@pytest.mark.parametrize("name", list(GOAL_WEIGHTS))
def test_goal_weights_and_total(name: str) -> None:
    plan = load(name)
    weights = {g.number: goal_weight(g) for g in plan.all_goals()}
    assert weights == {k: Decimal(v) for k, v in GOAL_WEIGHTS[name].items()}
    assert sum(weights.values()) == Decimal(100)
    assert plan.header is not None and plan.header.total is not None
    assert plan.header.total.value == Decimal(100)


REQUIREMENT_WEIGHTS = {
    US: {
        "1.1.a": "10", "1.1.b": "10", "1.1.c": "10", "1.1.d": "5",
        "1.2.a": "15", "1.2.b": "5", "1.2.c": "10", "1.2.d": "10",
        "1.3.a": "2.5", "1.3.b": "2.5",
    },
    HS: {
        "1.1.a": "20", "1.1.b": "10", "1.1.c": "5", "1.1.d": "5",
        "1.1.e": "5", "1.1.f": "5", "1.1.g": "5", "1.1.h": "5",
    },
}  # fmt: skip


@pytest.mark.parametrize("name", list(REQUIREMENT_WEIGHTS))
def test_lettered_requirements_carry_the_weights(name: str) -> None:
    plan = load(name)
    found = {A.requirement_id(g, r): str(r.weight.value) for g in plan.all_goals() for r in g.requirements if r.weight}
    assert {k: Decimal(v) for k, v in found.items()} == {k: Decimal(v) for k, v in REQUIREMENT_WEIGHTS[name].items()}


def test_siri_weighs_goals_not_requirements() -> None:
    plan = load(SIRI)
    assert all(g.weight is not None for g in plan.all_goals())
    assert all(r.weight is None for g in plan.all_goals() for r in g.requirements)


# --------------------------------------------------------------------------
# Every requirement of the seeds is there

REQUIREMENT_IDS = {
    SIRI: [
        "1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.3.1", "1.3.2", "1.3.3", "1.4",
        "2.1.a", "2.1.b", "2.1.c", "2.2.1", "2.2.2", "2.2.3", "2.2.4", "2.3",
    ],
    US: [
        "1.1.a", "1.1.b", "1.1.c", "1.1.d", "1.2.a", "1.2.b", "1.2.c", "1.2.d",
        "1.3.a", "1.3.b", "1.4", "2.1.1", "2.1.2", "2.2", "2.3",
    ],
    HS: [
        "1.1.a", "1.1.b", "1.1.c", "1.1.d", "1.1.e", "1.1.f", "1.1.g", "1.1.h",
        "1.2", "1.3", "2.1.1", "2.1.2", "2.2", "2.3",
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", list(REQUIREMENT_IDS))
def test_every_requirement_of_the_seed_is_present(name: str) -> None:
    plan = load(name)
    ids = [A.requirement_id(g, r) for g in plan.all_goals() for r in g.requirements]
    assert ids == REQUIREMENT_IDS[name]
    assert all(r.text is not None for g in plan.all_goals() for r in g.requirements)


@pytest.mark.parametrize("name", [SIRI, US, HS])
def test_deadlines_fall_inside_the_contract_year(name: str) -> None:
    plan = load(name)
    assert plan.header is not None and plan.header.period is not None
    period = plan.header.period
    deadlines = [d for g in plan.all_goals() for d in all_deadlines(g)]
    assert deadlines
    for d in deadlines:
        assert period.contains(d.end_date(period.start.year)), d.written


def test_siri_quarters_without_a_year_resolve_to_2020() -> None:
    req = goal(load(SIRI), "2.2").requirements[0]
    (deadline,) = req.deadlines
    assert deadline.kind is A.DeadlineKind.QUARTER and deadline.year is None
    assert deadline.end_date(2020).isoformat() == "2020-03-31"
    assert req.display == "1. kvartal"


# --------------------------------------------------------------------------
# SIRI: the annex folded in

SERVICE_GROUPS = {
    "Servicemål erhvervssagsområdet": (35, [("Beløbsordningen 1. gang", 8, 90, 31), ("Fasttrack, 1. gang", 7, 90, 31),
                                            ("Landbrug ikke-komplicerede sager 1. gang", 5, 90, 31),
                                            ("Lønarbejde, ikke-komplicerede sager, 1. gang", 5, 90, 31),
                                            ("Positivlisten 1. gang", 5, 90, 31),
                                            ("Medfølgende familie, erhverv 1. gang", 5, 90, 62)]),
    "Servicemål studiesagsområdet": (15, [("Praktikant 1. gang", 5, 90, 62), ("Studie 1. gang", 5, 90, 62),
                                          ("Ph. D. 1. gang", 5, 90, 92)]),
    "EU-området": (20, [("75% afgjort inden", 10, 75, 1), ("85% afgjort inden", 5, 85, 31),
                        ("98% afgjort inden", 5, 98, 92)]),
}  # fmt: skip


def test_siri_service_goal_sub_weights_follow_the_annex_table() -> None:
    g = goal(load(SIRI), "1.4")
    (req,) = g.requirements
    assert [grp.name for grp in req.groups] == list(SERVICE_GROUPS)
    for grp in req.groups:
        weight, parts = SERVICE_GROUPS[grp.name]
        assert grp.weight is not None and grp.weight.value == weight
        members = [m for m in grp.members if isinstance(m, A.SubWeight)]
        assert sum(m.weight.value for m in members if m.weight) == weight
        found = []
        for m in members:
            (target,) = m.targets
            assert isinstance(target, A.ShareTarget) and target.relation is A.Relation.AT_LEAST
            assert target.within is not None and target.within.unit is A.TimeUnit.DAYS
            assert m.weight is not None
            found.append((m.name, int(m.weight.value), int(target.percent), int(target.within.value)))
        assert found == parts
    assert sum(grp.weight.value for grp in req.groups if grp.weight) == g.weight.value == 70  # type: ignore[union-attr]
    assert req.groups[0].header == ("Mål i dage", "Vægt")


def test_siri_annex_methods_are_folded_into_the_goals() -> None:
    plan = load(SIRI)
    for number in ("1.1", "1.2", "1.3", "1.4", "2.1", "2.3"):
        assert goal(plan, number).methods, number
    assert all(r.methods for r in goal(plan, "2.2").requirements)
    assert [a.title for a in plan.annexes] == ["Bilag for mål og resultatplan 2020 – opgørelsesmetode for resultatkrav"]
    criteria = goal(plan, "1.1").methods[0].criteria
    assert criteria is not None and "anses for 100 pct. opfyldt" in criteria.plain()


def test_siri_assessment_scale_and_placeholders_are_kept() -> None:
    plan = load(SIRI)
    (method,) = goal(plan, "2.1").methods
    assert [(int(p.points), p.definition) for p in method.scale] == [
        (1, "Ikke tilfredsstillende"),
        (2, "Delvis tilfredsstillende"),
        (3, "Tilfredsstillende"),
    ]
    text = "\n".join(all_prose(method))
    assert "108 point (4*27)" in text
    assert "jf. nedenfor." in text
    # The seed's unfilled placeholders stand as comments where the seed has them (see test_check.py).
    source = (EXAMPLES / "siri-2020.mrp").read_text(encoding="utf-8")
    assert '"[DEP INDSÆTTER POINTGIVNING]"' in source and '"[udfyldes af departementet]"' in source


@pytest.mark.parametrize(
    ("name", "parties", "director"),
    [
        (SIRI, "Styrelsen for International Rekruttering og Integration (SIRI).", "Kasper Højvang Kyed"),
        (US, "Udlændingestyrelsen.", "Niels Henrik Larsen"),
        (HS, "Hjemrejsestyrelsen.", "Claes Nilas"),
    ],
)
def test_introduction_keeps_the_seeds_wording(name: str, parties: str, director: str) -> None:
    plan = load(name)
    assert plan.introduction is not None
    first, contract, kodeks = plan.introduction.plain().split("\n\n")
    assert first == (
        "Denne mål- og resultatplan er indgået mellem Udlændinge- og Integrationsministeriets departement og " + parties
    )
    assert contract == f"Mål og resultatplanen er samtidig gældende som direktørkontrakt for direktør {director}."
    assert kodeks.startswith("Direktøren forpligter sig til sikre, at de syv centrale pligter")


def test_siri_header_and_footnote() -> None:
    plan = load(SIRI)
    h = plan.header
    assert h is not None and h.director is not None and h.head is not None
    assert (h.agency_short, h.year, h.period and h.period.start.isoformat()) == ("SIRI", 2020, "2020-01-01")
    for signatory in (h.director, h.head):
        assert (signatory.signed_on, signatory.signed_year, signatory.place) == (None, 2019, "København")
    assert (h.director.name, h.director.title) == ("Kasper Højvang Kyed", "Direktør")
    assert (h.head.name, h.head.title) == ("Christian Hesthaven", "Departementschef")
    assert plan.pay is not None and plan.pay.footnote == "1"
    assert [f.label for f in plan.footnotes] == ["1"]


def test_siri_budget_rows_add_up_to_the_total() -> None:
    plan = load(SIRI)
    assert plan.strategy is not None
    (core,) = [p for p in plan.strategy.parts if isinstance(p, A.CoreTasks)]
    (budget,) = [i for i in core.items if isinstance(i, A.Budget)]
    assert budget.reference == "FFL20 § 14.21.01"
    assert [f"{c.kind} {c.year}" for c in budget.columns] == [
        "R 2017", "R 2018", "B 2019", "F 2020", "BO1 2021", "BO2 2022", "BO3 2023",
    ]  # fmt: skip
    assert budget.total is not None
    for col, total in enumerate(budget.total.cells):
        assert sum(r.cells[col].value or 0 for r in budget.rows) == total.value


def test_hjemrejsestyrelsen_budget_keeps_dashes_and_remark() -> None:
    plan = load(HS)
    assert plan.strategy is not None
    (core,) = [p for p in plan.strategy.parts if isinstance(p, A.CoreTasks)]
    (budget,) = [i for i in core.items if isinstance(i, A.Budget)]
    assert [r.cells[1].value for r in budget.rows] == [Decimal("6.2"), Decimal("39.2"), None, None, None]
    assert budget.note is not None and budget.note.plain().startswith("Bemærkninger: Hjemrejsestyrelsen er etableret")


# --------------------------------------------------------------------------
# Structured targets where the seeds state one


def test_targets_of_the_2022_plans() -> None:
    us, hs = load(US), load(HS)
    (a,) = goal(us, "1.1").requirements[0].targets
    assert isinstance(a, A.ShareTarget) and (a.percent, a.within) == (90, A.Duration(Decimal(30), A.TimeUnit.DAYS))
    b = goal(us, "1.1").requirements[1]
    assert b.scope is not None and b.scope.within is not None
    assert (b.scope.within.kind, b.scope.within.number, b.scope.within.year) == (A.DeadlineKind.HALF, 2, 2022)
    (avg,) = b.targets
    assert isinstance(avg, A.TimeTarget) and avg.statistic == "average" and avg.duration.value == 120
    (c,) = goal(us, "1.1").requirements[2].deadlines
    assert c.kind is A.DeadlineKind.MONTH_END and c.date is not None and c.date.isoformat() == "2022-03-31"
    (fall,) = goal(hs, "1.1").requirements[0].targets
    assert isinstance(fall, A.ChangeTarget) and fall.direction is A.ChangeDirection.REDUCTION
    assert fall.percent == 10 and fall.baseline == A.Baseline("ultimo 2021")
    (count,) = goal(hs, "1.1").requirements[1].targets
    assert isinstance(count, A.CountTarget) and (count.relation, count.value) == (A.Relation.AT_LEAST, 12)


# --------------------------------------------------------------------------
# The group-wide goals 2.1-2.3: shared, with each agency's differences


def _neutral(goal_: A.Goal) -> Any:
    """The goal as data with the agency's name replaced, so only real differences remain."""
    data = to_data(goal_)

    def scrub(node: Any) -> Any:
        if isinstance(node, str):
            return re.sub(r"\b(Hjemrejsestyrelsen|Styrelsen)\b", "STYRELSEN", node)
        if isinstance(node, list):
            return [scrub(x) for x in node]
        if isinstance(node, dict):
            return {k: scrub(v) for k, v in node.items()}
        return node

    return scrub(data)


def _diff_paths(a: Any, b: Any, path: str = "") -> set[str]:
    if isinstance(a, dict) and isinstance(b, dict) and a.get("node") == b.get("node") != "Prose":
        return set().union(*(_diff_paths(a.get(k), b.get(k), f"{path}.{k}") for k in a.keys() | b.keys()))
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and path.endswith("requirements"):
        return set().union(*(_diff_paths(x, y, f"{path}[{i}]") for i, (x, y) in enumerate(zip(a, b, strict=True))))
    return set() if a == b else {path}


def test_group_wide_goal_21_differs_exactly_where_the_seeds_differ() -> None:
    us, hs = goal(load(US), "2.1"), goal(load(HS), "2.1")
    assert _diff_paths(_neutral(us), _neutral(hs)) == {
        ".text",
        ".requirements[0].text",
        ".requirements[0].targets",
        ".requirements[1].text",
        ".requirements[1].targets",
    }
    assert us.text is not None and hs.text is not None
    assert "skal styrelsen fastholde og forankre det ønskede niveau 4" in us.text.plain()
    assert "skal styrelsen opnå det ønskede niveau 4" in hs.text.plain()
    assert us.text.plain().startswith("Styrelsen har") and hs.text.plain().startswith("Hjemrejsestyrelsen har")

    def levels(g: A.Goal) -> list[tuple[str | None, Decimal, bool]]:
        out = []
        for r in g.requirements:
            level = next(t for t in r.targets if isinstance(t, A.LevelTarget))
            assert level.area_count == 7
            out.append((r.display, level.level, any(isinstance(t, A.StatusTarget) for t in r.targets)))
        return out

    assert levels(us) == [("1. halvår", 4, True), ("2. halvår", 4, True)]  # kept all year
    assert levels(hs) == [("1. halvår", 3, False), ("2. halvår", 4, False)]  # reached step by step


def test_group_wide_goals_22_and_23_differ_only_in_the_seeds_details() -> None:
    us, hs = load(US), load(HS)
    assert _diff_paths(_neutral(goal(us, "2.2")), _neutral(goal(hs, "2.2"))) == {".text"}
    assert "databehandlerens" in goal(us, "2.2").text.plain()  # type: ignore[union-attr]
    assert "databehandlernes" in goal(hs, "2.2").text.plain()  # type: ignore[union-attr]
    assert _diff_paths(_neutral(goal(us, "2.3")), _neutral(goal(hs, "2.3"))) == {".requirements[0].text"}
    us_req, hs_req = goal(us, "2.3").requirements[0].text, goal(hs, "2.3").requirements[0].text
    assert us_req is not None and hs_req is not None
    assert us_req.plain().endswith("(til rapporteringen anvendes departementets skabelon.")
    assert hs_req.plain().endswith("til departementet.")


def test_each_2022_plan_names_itself_in_the_shared_goals() -> None:
    for name, agency in ((US, "Styrelsen"), (HS, "Hjemrejsestyrelsen")):
        for number in ("2.1", "2.2", "2.3"):
            g = goal(load(name), number)
            assert g.text is not None and g.text.plain().startswith(agency + " "), (name, number)


# --------------------------------------------------------------------------
# English and Danish keywords give the same tree

DANISH_TWIN = '''
plan {
  titel "Performance Plan 2022"
  ministerium "Ministry of Examples"
  departement "The Ministry of Examples, Department"
  styrelse "Agency for Sample Cases"
  forkortelse "ASC"
  år 2022
  periode 1. januar 2022 til 31. december 2022
  total 100 point
  direktør "Jane Doe" {
    titel "Director"
    organisation "Agency for Sample Cases"
    sted "Copenhagen"
    dato 15. december 2021
  }
  departementschef "John Roe" {
    titel "Permanent Secretary"
    sted "Copenhagen"
    dato blank 2021
  }
  genforhandling "The plan can be renegotiated if its basis changes materially."
  næste forhandling "Negotiations on the 2023 plan start in the autumn of 2022."
}
standardtekst periode
indledning "This plan is agreed between the department and the agency."
strategi {
  mission "The agency decides sample cases *fast* and **right**."
  vision "Every case decided within a month."
  værdier """
    - Openness
    - Quality
  """
  kerneopgaver {
    tekst "The agency has two core tasks."
    budget {
      finanslov "FL22 § 99.01.01"
      titel "Expenses per task"
      enhed "DKK million (2022 prices)"
      kolonner R 2020 | B 2021 | F 2022
      total "Total" | 7,0 | 11,0 | 12,0
      række 1 "Case work" | 7,0 | 8,0 | 9,0
      række 2 "Guidance" | - | 3,0 | 3,0
      bemærkning "Guidance started in 2021."
    }
    kerneopgave 1 "Case work" "Deciding sample cases."
    kerneopgave 2 "Guidance"
  }
}
målindledning "The goals support the agency's core tasks."
afsnit 1 "Professional goals" {
  indledning "The goals below face citizens."
  tabeltitel "1. External goals"
  baggrundstitel "Why these goals"
  mål 1.1 "Case processing" {
    type "Effect"
    attribut "Owner" "Case office"
    tekst "The agency decides cases on time."
    kravtekst "The agency must:"
    resultatkrav a {
      tekst "decide 90 % of cases within 30 days[^1]."
      vægt 30 point
      omfang "cases decided" i 2. halvår 2022
      måltal andel mindst 90 % inden for 30 dage af "cases decided"
      opfyldelse trin { mindst 90 %: 100 %; minimum 80 %: 50 %; ellers: 0 % }
    }
    resultatkrav b {
      tekst "keep the average processing time at most 20 days."
      vægt 30 point
      frist periodens udgang
      måltal gennemsnit højst 20 dage
      opfyldelse lineær fra 30 dage til 20 dage
    }
    resultatkrav c "Q1" {
      tekst "publish a new guide."
      vægt 10 point
      frist ultimo marts 2022
      frist 1. kvartal 2022
      måltal milepæl
      opfyldelse milepæle alle
      opgørelsesmetode {
        tekst "The department checks the website."
        datakilde "the agency's website"
        måles af "the department"
        hyppighed "once"
        kriterium "Met if the guide is published."
      }
    }
    kravnote "See also the annex."
    baggrund "Processing times matter to citizens."
    opgørelsesmetode { datakilde "the case system"; hyppighed "quarterly" }
  }
  mål 1.2 "Service goals" {
    tekst "The agency keeps its service goals."
    vægt 20 point
    opgørelsesmetode { måles af "the department" }
    resultatkrav {
      tekst "Service goals per case type."
      gruppe "Work permits" {
        kolonner "Days" | "Weight"
        vægt 15
        del "First-time applications" { vægt 10; måltal andel mindst 90 % inden for 31 dage; opfyldelse tærskel }
        del "Extensions" { vægt 5; måltal andel mindst 85 % inden for 62 dage }
      }
      gruppe "Students" {
        vægt 5
        del "Studies" { vægt 5; måltal andel mindst 90 % inden for 62 dage }
      }
    }
  }
}
afsnit 2 "Internal goals" {
  mål 2.1 "Sickness absence" {
    tekst "The agency is a good employer."
    vægt 10
    opgørelsesmetode { datakilde "ISOLA" }
    resultatkrav {
      tekst "Sickness absence below 7 days per employee."
      måltal gennemsnit under 7 dage
      måltal fald 10 % ift. "end of 2021"
      måltal antal mindst 12 "staff meetings"
      måltal niveau 4 på 7 områder
      måltal vurdering mindst 81 af 108 point
      måltal fastholdt
      frist primo 2022
      frist halvår 2 2022
    }
  }
}
vægttabel "Weights" { 1.1.a 30; 1.1.b 30; 1.1.c 10; 1.2 20; 2.1 10 }
opfølgning "The department follows up at the three expense follow-ups."
resultatløn {
  fodnote 1
  tekst "Performance pay depends on fulfilment."
  skala { mindst 90 point: 100 %; ellers: 0 % }
}
fodnote 1 "Cases decided in 2022."
bilag "Annex: measurement methods" {
  tekst "How each requirement is measured."
  opgørelsesmetode 1.1.a "Processing times" {
    måles af "the department"
    point 1 "Not satisfactory"
    point 3 "Satisfactory"
  }
  afslutning "End of annex."
}
'''


def test_english_keywords_give_the_same_tree_as_danish() -> None:
    english = mrpl.parse_file(str(EXAMPLES / ENGLISH))
    danish = mrpl.parse_string(DANISH_TWIN, "twin.mrp")
    assert english.diagnostics == [] and danish.diagnostics == []
    assert (english.language, danish.language) == ("en", "da")
    assert english.plan is not None and danish.plan is not None
    assert english.plan == danish.plan


def test_a_changed_keyword_argument_makes_the_trees_differ() -> None:
    """The equality above is not vacuous: one number changed is noticed."""
    changed = mrpl.parse_string(DANISH_TWIN.replace("vægt 20 point", "vægt 25 point"), "twin.mrp")
    english = mrpl.parse_file(str(EXAMPLES / ENGLISH))
    assert changed.plan is not None and changed.plan != english.plan


# --------------------------------------------------------------------------
# The language reference lists every keyword


def test_language_reference_lists_every_keyword_spelling() -> None:
    doc = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    missing = [s for kw in keywords() for s in kw.da + kw.en if f"`{s}`" not in doc]
    assert missing == []


def _mrp_blocks(markdown: str) -> list[tuple[int, str]]:
    """The ```mrp code blocks of a Markdown text, with the line each starts on."""
    return [
        (markdown.count("\n", 0, m.start()) + 2, m.group(1))
        for m in re.finditer(r"^```mrp\n(.*?)^```", markdown, flags=re.S | re.M)
    ]


def test_every_mrp_example_in_the_language_reference_parses() -> None:
    doc = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    blocks = _mrp_blocks(doc)
    assert len(blocks) >= 20
    for line, code in blocks:
        result = mrpl.parse_string(code, f"docs/language.md:{line}")
        assert result.diagnostics == [], (line, [d.message for d in result.diagnostics])
        assert result.plan is not None
