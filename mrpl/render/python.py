"""The standalone scoring module of a plan (`mrplc build PLAN --to py`).

`render(plan)` fills templates/py/scoring.py.j2 from the plan's scoring plan
(`mrpl.score.scoring_plan`), so the module computes exactly what
`mrplc score` computes (a property test compares them). The module uses the
standard library only.

Safety: every value from the plan reaches the template through the `py`
filter, which writes it with `repr` (a Python literal), or through `ident`
for function names built here; the environment's finalize hook refuses any
other value, so plan text can never become code or a comment. The text is
compiled before it is returned.
"""

from __future__ import annotations

import keyword
import re
from datetime import date
from decimal import Decimal
from typing import Any

import jinja2

from mrpl import ast as A
from mrpl.i18n import describe_scoring, describe_target
from mrpl.resources import data_dir
from mrpl.score import Check, CheckKind, Rule, ScoringPlan, State, Unit, scoring_plan
from mrpl.years import is_multi_year, plan_years

TEMPLATE = "scoring.py.j2"


class Code(str):
    """Text that is already Python source: a literal from `repr`, or a checked identifier."""

    __slots__ = ()


_LITERAL_TYPES = (str, int, Decimal, date, type(None), bool)


def _check_literal(value: Any) -> None:
    if isinstance(value, tuple):
        for item in value:
            _check_literal(item)
    elif not isinstance(value, _LITERAL_TYPES):
        raise TypeError(f"{type(value).__name__} cannot enter the generated module as a literal")


def py_literal(value: Any) -> Code:
    """`value` as a Python literal: only types whose repr is a stdlib expression."""
    _check_literal(value)
    return Code(repr(value))


def identifier(name: Any) -> Code:
    if not (isinstance(name, str) and name.isascii() and name.isidentifier() and not keyword.iskeyword(name)):
        raise ValueError(f"{name!r} is not a safe Python identifier")
    return Code(name)


def _finalize(value: Any) -> Code:
    if isinstance(value, Code):
        return value
    raise TypeError(f"template value {value!r} must pass through the `py` or `ident` filter")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates") / "py")),
        autoescape=False,  # the output is Python: values are made safe by `py`, not by escaping
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["py"] = py_literal
    env.filters["ident"] = identifier
    return env


def render(plan: A.Plan, lang: str = "da") -> str:
    """The scoring module of `plan` as Python source (compiled once to make sure it is valid).
    A multi-year plan's module scores one year at a time: `score(results, year)`."""
    splan = scoring_plan(plan)
    context = _context(splan, lang)
    context["years"] = _years_context(plan, lang) if is_multi_year(plan) else []
    if context["years"]:
        context["units"] = [u for y in context["years"] for u in y["units"]]
        context["goals"] = context["years"][0]["goals"]  # GOALS: the first year's (score() asks for a year)
    text = _environment().get_template(TEMPLATE).render(**context)
    compile(text, "<mrpl scoring module>", "exec")
    return text


# --------------------------------------------------------------------------
# Template context


def _context(splan: ScoringPlan, lang: str) -> dict[str, Any]:
    names = _function_names(splan)
    units = [_unit(u, names[u.id], lang) for u in splan.units()]
    goals = _goals(splan, names)
    pay = tuple(
        (
            s.relation.value if s.relation else None,
            s.threshold.value if s.threshold else None,
            s.threshold.unit if s.threshold else None,
            s.fulfilment,
        )
        for s in splan.pay
    )
    title = " – ".join(x for x in (splan.title, splan.agency) if x)
    doc = (
        f"Målopfyldelse for {title or 'planen'}: beregnes ved score(results)."
        if lang == "da"
        else f"Fulfilment for {title or 'the plan'}: computed by score(results)."
    )
    return {
        "module_doc": doc,
        "units": units,
        "goals": goals,
        "total": splan.total,
        "dropped": splan.dropped_weight,
        "pay": pay,
        **_pay_money(splan),
    }


def _pay_money(splan: ScoringPlan) -> dict[str, Any]:
    """The proportional pay rule and the amounts (mrpl.pay) as literals."""
    rule = splan.pay_rule
    if rule is None:
        return {"pay_linear": None, "pay_money": (None,) * 6}
    linear = (rule.floor, rule.full, rule.unit) if rule.floor is not None and rule.full is not None else None
    money = (
        rule.maximum_kroner,
        rule.maximum_salary_percent,
        rule.salary,
        rule.cap_kroner,
        rule.cap_salary_percent,
        rule.cap_maximum_percent,
    )
    return {"pay_linear": linear, "pay_money": money}


def _years_context(plan: A.Plan, lang: str) -> list[dict[str, Any]]:
    """Per year of a multi-year plan: its units (functions named score_2017_...), goals and the
    points not due that year."""
    out = []
    for year in plan_years(plan) or ():
        ysplan = scoring_plan(plan, year)
        names = {uid: name.replace("score_", f"score_{year}_", 1) for uid, name in _function_names(ysplan).items()}
        out.append(
            {
                "year": year,
                "units": [_unit(u, names[u.id], lang) for u in ysplan.units()],
                "goals": _goals(ysplan, names),
                "not_due": ysplan.not_due_weight,
            }
        )
    return out


def _goals(splan: ScoringPlan, names: dict[str, str]) -> list[dict[str, Any]]:
    """Each goal's status rule and its scored requirements' units (weight, function name)."""
    return [
        {
            "number": g.number,
            "weighted": g.weighted,
            "rule": (g.rule.kind, g.rule.relation, g.rule.threshold, g.rule.partly_relation, g.rule.partly_threshold),
            "dropped": any(r.state is State.DROPPED for r in g.requirements),
            "requirements": [
                {"id": r.id, "units": [{"id": u.id, "weight": u.weight, "function": names[u.id]} for u in r.units]}
                for r in g.requirements
                if r.state is State.SCORED
            ],
        }
        for g in splan.goals
    ]


def _function_names(splan: ScoringPlan) -> dict[str, str]:
    """`score_1_1_a` for a requirement, `score_1_4_part_3` for a part; unique, ASCII."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    parts: dict[str, int] = {}
    for unit in splan.units():
        base = re.sub(r"[^0-9A-Za-z]+", "_", unit.requirement_id).strip("_")
        if unit.id != unit.requirement_id:
            parts[unit.requirement_id] = parts.get(unit.requirement_id, 0) + 1
            base += f"_part_{parts[unit.requirement_id]}"
        name = f"score_{base}"
        n = 2
        while name in taken:
            name, n = f"score_{base}_{n}", n + 1
        taken.add(name)
        names[unit.id] = name
    return names


def _unit(unit: Unit, function: str, lang: str) -> dict[str, Any]:
    return {
        "id": unit.id,
        "function": function,
        "doc": _docstring(unit, lang),
        "checks": [_check(c) for c in unit.checks],
    }


def _docstring(unit: Unit, lang: str) -> str:
    da = lang == "da"
    lead = ("Resultatkrav" if da else "Requirement") + f" {unit.id}: {unit.name}"
    targets = [describe_target(c.target, lang) for c in unit.checks if c.target is not None]
    lines = [lead]
    if targets:
        lines.append(("Måltal: " if da else "Target: ") + ("; ".join(targets)))
    else:
        lines.append(
            "Uden måltal: opfyldelsen indberettes direkte." if da else "No target: the fulfilment is reported."
        )
    rules = [_rule_words(c.rule, lang) for c in unit.checks if c.rule.kind != A.ScoringKind.THRESHOLD.value]
    if rules:
        lines.append(("Opfyldelse: " if da else "Scoring: ") + "; ".join(rules))
    lines.append(("Vægt: " if da else "Weight: ") + str(unit.weight) + " point")
    lines.append("Returnerer opfyldelsen (0-1) eller None, hvis resultatet mangler." if da
                 else "Returns the fulfilment (0-1), or None when the result is missing.")  # fmt: skip
    return "\n".join(lines)


def _rule_words(rule: Rule, lang: str) -> str:
    return describe_scoring(rule.source, lang) if rule.source is not None else rule.kind


def _check(check: Check) -> dict[str, Any]:
    rule = check.rule
    count = len(check.areas) or check.area_count or 0
    return {
        "kind": check.kind.value,
        "slot": check.slot,
        "relation": check.relation,
        "goal": check.goal,
        "baseline": check.baseline,
        "direction": check.direction,
        "deadlines": tuple(check.deadlines),
        "count": count if check.kind is CheckKind.LEVEL else 0,
        "approval": check.approval,
        "rule": (rule.kind, rule.floor, rule.ceiling, tuple(rule.steps)),
    }
