"""The status report of `mrplc score`: text, Markdown or JSON.

`report_data` gathers what the report says (exact `Decimal`s); the renderers
only lay it out. Numbers are rounded for people by `display_points` and
`display_percent`, which both go through `mrpl.score.rounded`; JSON keeps the
exact values as strings.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from mrpl import ast as A
from mrpl.i18n import (
    describe_goal_rule,
    describe_scoring,
    describe_step,
    describe_target,
    format_date,
    format_kroner,
    format_number,
    format_quantity,
)
from mrpl.pay import PayRule, cap_kroner, capped, full_pay, pay_kroner, pay_salary_percent
from mrpl.period import PeriodScore
from mrpl.render.escape import markdown_text, terminal_text
from mrpl.score import (
    HUNDRED,
    PERCENT_PLACES,
    POINTS_PLACES,
    ROUNDING_NOTE,
    ROUNDING_NOTE_UNWEIGHTED,
    CheckKind,
    CheckScore,
    Counts,
    GoalScore,
    RequirementScore,
    Result,
    Score,
    State,
    Status,
    UnitScore,
    display_percent,
    display_points,
    rounded,
)

FORMATS = ("text", "md", "json")
_KIND_WORDS = {"actual": "årets resultat", "expected": "forventet målopfyldelse"}


# --------------------------------------------------------------------------
# Numbers for people


def display_reported(value: Decimal) -> str:
    """A reported number as written, without trailing zeros: 90.0 -> "90", 92.50 -> "92,5" (not rounded,
    so a result just under a target never reads as reaching it). Percentages use the same rule as
    `display_percent`: "95 %" and "90 %", never "90,0 %"."""
    plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return format_number(plain)


# --------------------------------------------------------------------------
# What the report says


def report_data(result: Score, results_path: str = "", as_of: Any = None) -> dict[str, Any]:
    splan = result.plan
    goals = [_goal(g) for g in result.goals]
    reqs = list(result.requirements())
    dropped = [
        {"id": r.plan.id, "weight": r.plan.weight, "reason": r.plan.dropped_reason, "on": r.plan.dropped_on}
        for r in reqs
        if r.status is Status.DROPPED
    ]
    missing = [uid for r in reqs if r.status is Status.MISSING for uid in r.missing]
    kinds = result.kinds
    return {
        "plan": splan.title,
        "agency": splan.agency,
        "year": splan.year,
        "results": results_path,
        "kind": kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "actual"),
        "as_of": as_of.isoformat() if as_of else None,
        "goals": goals,
        "goal_rule": _common_rule(goals),
        "weighted": splan.weighted,
        "total": {
            "earned": result.earned,
            "total": result.total,
            "stated_total": splan.stated_total,
            "dropped": result.dropped,
            "rebased": result.rebased,
            "missing_weight": result.missing,
            "not_due": result.not_due,
            "met": result.met,
            "counted": result.counted,
            "goals_met": result.goals_met,
            "goals_counted": result.goals_counted,
            "goal_statuses": {s.value: n for s, n in result.goal_statuses().items() if n},
        },
        "dropped": dropped,
        "missing": missing,
        "pay": _pay(result) if splan.pay or splan.pay_rule is not None else None,
        "amendments": [_amendment(a) for a in splan.amendments],
        "rounding": ROUNDING_NOTE if splan.weighted else ROUNDING_NOTE_UNWEIGHTED,
    }


def _common_rule(goals: list[dict[str, Any]]) -> str | None:
    """The status rule in words when every goal has the same one (printed once, under the heading)."""
    rules = {g["rule"] for g in goals}
    return rules.pop() if len(rules) == 1 else None


def _amendment(amendment: Any) -> dict[str, Any]:
    from mrpl.amend import amendment_title, describe_operations

    return {
        "title": amendment_title(amendment),
        "date": amendment.date.isoformat() if amendment.date else None,
        "changes": describe_operations(amendment),
    }


def _amendment_lines(data: dict[str, Any]) -> list[str]:
    """Which allonges the plan was scored as amended by, in the order they applied."""
    lines = []
    for a in data.get("amendments") or []:
        when = f" af {format_date(_iso(a['date']))}" if a["date"] else ""
        n = len(a["changes"])
        lines.append(f"Scoret efter {a['title']}{when} ({n} {'ændring' if n == 1 else 'ændringer'})")
    return lines


def _goal(g: GoalScore) -> dict[str, Any]:
    """A goal in the report: its status under its rule, its points (when weighted) and requirements."""
    rule = g.plan.rule
    return {
        "number": g.plan.number,
        "area": g.plan.area,
        "status": g.status.value,
        "share": g.share,
        "rule": describe_goal_rule(rule.source) if rule.source is not None else describe_goal_rule(_DEFAULT_RULE),
        "weighted": g.plan.weighted,
        "weight": g.weight,
        "dropped_weight": g.dropped,
        "earned": g.earned,
        "met": g.met,
        "counted": g.counted,
        "remark": _goal_remark(g),
        "note": g.assessment.note if g.assessment else None,
        "requirements": [_requirement(r, g.plan.weighted) for r in g.requirements],
    }


_DEFAULT_RULE = A.DEFAULT_GOAL_RULE


def _goal_remark(g: GoalScore) -> str | None:
    """Why a goal is not met: the requirements that fall short, each with its own remark
    (so a narrowly missed target, 89,4 against 90, is shown under the all-must-be-met rule)."""
    if g.status not in (Status.NOT_MET, Status.PARTLY):
        return None
    if g.plan.rule.kind == A.GoalRuleKind.ASSESSMENT.value:
        return None  # the department's own words are its `note`
    reasons = []
    for r in g.not_met:
        why = _requirement_reason(r)
        reasons.append(f"{r.plan.id} ({why})" if why else r.plan.id)
    if not reasons:
        return None
    share = f"Målopfyldelse {display_percent(g.share)}. " if g.share is not None and g.plan.rule.kind == "share" else ""
    return f"{share}Krav ikke opfyldt: " + "; ".join(reasons) + "."


def _requirement_reason(r: RequirementScore) -> str | None:
    """The first unit's remark, without its final full stop, in lower case."""
    for u in r.units:
        remark = _remark(u)
        if remark:
            text = remark.rstrip(".")
            return text[0].lower() + text[1:]
    return None


def _requirement(r: RequirementScore, weighted: bool = True) -> dict[str, Any]:
    plan = r.plan
    out: dict[str, Any] = {
        "id": plan.id,
        "name": plan.name,
        "weighted": weighted,
        "weight": plan.weight,
        "status": r.status.value,
        "fulfilment": r.fulfilment,
        "points": r.points,
        "targets": _targets(plan.requirement),
    }
    if plan.state is State.DROPPED:
        out["remark"] = f"Udgået efter aftale: {plan.dropped_reason}" + (
            f" ({plan.dropped_on})" if plan.dropped_on else ""
        )
        return out
    if plan.state is State.UNSCORED:
        out["remark"] = "Støttekrav: indgår ikke i pointopgørelsen."
        return out
    if plan.state is State.NOT_DUE:
        out["remark"] = "Intet måltal eller frist i året: indgår ikke i årets pointopgørelse."
        return out
    if plan.grouped:
        out["parts"] = [{**_unit(u), "weighted": weighted} for u in r.units]
        not_met = [
            p["id"].rpartition("/")[2]
            for p in out["parts"]
            if p["status"] in (Status.NOT_MET.value, Status.PARTLY.value)
        ]
        missing = [p["id"].rpartition("/")[2] for p in out["parts"] if p["status"] == Status.MISSING.value]
        remarks = []
        if not_met:
            remarks.append("Ikke fuldt opfyldt: " + "; ".join(not_met) + ".")
        if missing:
            remarks.append("Ikke opgjort: " + "; ".join(missing) + ".")
        out["remark"] = " ".join(remarks) or None
        return out
    unit = _unit(r.units[0])
    out.update({k: unit[k] for k in ("result", "kind", "note", "remark")})
    return out


def _targets(req: A.Requirement) -> list[str]:
    return [describe_target(t) for t in req.targets]


def _unit(u: UnitScore) -> dict[str, Any]:
    result = u.result
    return {
        "id": u.unit.id,
        "name": u.unit.name,
        "weight": u.unit.weight,
        "status": u.status.value,
        "fulfilment": u.fulfilment,
        "points": u.points,
        "targets": [describe_target(c.target) for c in u.unit.checks if c.target is not None],
        "result": result_words(u) if result is not None else None,
        "kind": result.kind if result else None,
        "note": result.note if result else None,
        "remark": _remark(u),
    }


def _remark(u: UnitScore) -> str | None:
    """Why a unit is not (fully) met, or what is missing."""
    if u.fulfilment is None:
        return (
            "Resultatet mangler: tæller ikke med, før det er indberettet."
            if u.result is None
            else "Resultatet er ikke helt udfyldt."
        )
    if u.fulfilment >= 1:
        return None
    reasons = [_not_met_words(c) for c in u.checks if c.check.target is not None and not c.met]
    if not reasons:
        ruled = [
            c for c in u.checks if c.check.rule.source is not None and c.fulfilment is not None and c.fulfilment < 1
        ]
        if ruled:
            c = ruled[0]
            rule = describe_scoring(c.check.rule.source) if c.check.rule.source else ""
            reasons = [f"{display_percent(u.fulfilment)} efter opfyldelsesreglen ({rule}; {_measured_words(c)})"]
        else:
            reasons = [f"indberettet opfyldelse {display_percent(u.fulfilment)}"]
    text = "; ".join(reasons)
    return text[0].upper() + text[1:] + "."


def _not_met_words(c: CheckScore) -> str:
    if c.check.kind is CheckKind.MILESTONE:
        return _milestone_not_met(c)
    return f"måltallet {describe_target(c.check.target)} er ikke nået ({_measured_words(c)})"


def _milestone_not_met(c: CheckScore) -> str:
    """ "milepælen er ikke leveret og godkendt inden fristen (30. juni 2023)"; with several milestones
    the share reached on time."""
    check = c.check
    done = "nået"
    if check.approval is not None:
        done = "leveret og " + ("godkendt" if check.approval == A.ApprovalKind.APPROVED.value else "aftalt")
    if len(check.deadlines) == 1:
        return f"milepælen er ikke {done} inden fristen ({format_date(check.deadlines[0])})"
    return f"milepælene er ikke alle {done} rettidigt ({_measured_words(c)})"


def _measured_words(c: CheckScore) -> str:
    if c.measured is None:
        return "mangler"
    kind = c.check.kind
    if kind is CheckKind.MILESTONE:
        return f"{display_percent(c.measured / HUNDRED)} af milepælene nået rettidigt"
    if kind is CheckKind.LEVEL:
        return f"{display_percent(c.measured / HUNDRED)} af områderne på niveauet"
    if kind is CheckKind.CHANGE:
        return f"ændring {display_percent(c.measured / HUNDRED)}"
    if kind is CheckKind.ASSESSMENT:
        return f"{display_points(c.measured)} point"
    if kind is CheckKind.STATUS:
        return "ikke fastholdt"
    return f"resultat {_value_words(c.check, c.measured)}"


def _value_words(check: Any, value: Decimal) -> str:
    if check.kind is CheckKind.SHARE:
        return f"{display_reported(value)} %"
    if check.kind is CheckKind.TIME:
        return f"{display_reported(value)} {check.unit}"
    return display_reported(value)


def counts_words(check: Any, counts: Counts) -> str:
    """A share from counts with its arithmetic: "13 af 25 sager (26 − 1 undtaget: trukket tilbage) = 52 %"."""
    target = check.target
    population = f" {target.of}" if isinstance(target, A.ShareTarget) and target.of else ""
    base = f"{display_reported(counts.numerator)} af {display_reported(counts.base)}{population}"
    if counts.excluded:
        reasons = "; ".join(f"{reason} ({display_reported(n)})" for reason, n in counts.excluded)
        base += (
            f" ({display_reported(counts.denominator)} − {display_reported(counts.excluded_total)} undtaget: {reasons})"
        )
    share = counts.numerator * HUNDRED / counts.base if counts.base else None
    return base + (f" = {display_percent(share / HUNDRED)}" if share is not None else "")


def _level_reached(check: Any, name: str, level: Decimal) -> str:
    """ "Risikostyring: niveau 4", or for a level in words "Risikostyring: nået"."""
    if check.level_words is not None:
        return f"{name}: {'nået' if level >= 1 else 'ikke nået'}"
    return f"{name}: niveau {format_number(level)}"


def result_words(u: UnitScore) -> str:
    """The reported result in words: "92,5 %", "leveret 15. juni 2020", "87 point"."""
    result: Result | None = u.result
    if result is None:
        return ""
    parts: list[str] = []
    seen: set[int] = set()
    for check in u.unit.checks:
        if check.slot is not None and check.slot not in seen:
            seen.add(check.slot)
            counts = result.counts[check.slot] if check.slot < len(result.counts) else None
            if counts is not None:
                parts.append(counts_words(check, counts))
                continue
            value = result.values[check.slot] if check.slot < len(result.values) else None
            parts.append(_reported_value(check, value, result))
        elif check.kind is CheckKind.MILESTONE and check.approval is not None:
            parts.append(_approved_words(check, result.delivered, result.approved))
        elif check.kind is CheckKind.MILESTONE:
            parts.append(_delivered_words(check.deadlines, result.delivered))
        elif check.kind is CheckKind.ASSESSMENT:
            parts.append("ikke udfyldt" if result.points is None else f"{format_number(result.points)} point")
        elif check.kind is CheckKind.LEVEL:
            levels = ", ".join(_level_reached(check, name, level) for name, level in result.areas)
            parts.append(levels or "ikke udfyldt")
        elif check.kind is CheckKind.MANUAL:
            if result.fulfilment is not None:
                parts.append(f"opfyldelse {display_percent(result.fulfilment)}")
            elif result.met is not None:
                parts.append("opfyldt" if result.met else "ikke opfyldt")
            else:
                parts.append("ikke udfyldt")
    return "; ".join(parts)


def _reported_value(check: Any, value: Decimal | bool | None, result: Result) -> str:
    if value is None:
        return "ikke udfyldt"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if check.kind is CheckKind.CHANGE:
        base = check.baseline if check.baseline is not None else result.baseline
        return f"{format_number(value)} (baseline {format_number(base)})" if base is not None else format_number(value)
    return _value_words(check, value)


def _delivered_words(deadlines: tuple[Any, ...], delivered: tuple[Any, ...]) -> str:
    if len(delivered) != len(deadlines):
        return "ikke udfyldt"
    words = []
    for due, day in zip(deadlines, delivered, strict=True):
        if day is None:
            words.append(f"ikke leveret (frist {format_date(due)})")
        else:
            late = "" if day <= due else ", for sent"
            words.append(f"leveret {format_date(day)} (frist {format_date(due)}{late})")
    return ", ".join(words)


def _approved_words(check: Any, delivered: tuple[Any, ...], approved: tuple[Any, ...]) -> str:
    """Delivery and approval per milestone: "leveret 15. juni 2023, godkendt af departementet
    3. juli 2023 (frist 30. juni 2023, godkendt for sent)"."""
    if len(delivered) != len(check.deadlines) or len(approved) != len(check.deadlines):
        return "ikke udfyldt"
    verb = "godkendt af" if check.approval == A.ApprovalKind.APPROVED.value else "aftalt med"
    words = []
    for due, day, ok in zip(check.deadlines, delivered, approved, strict=True):
        done = f"leveret {format_date(day)}" if day is not None else "ikke leveret"
        agreed = f"{verb} {check.party} {format_date(ok)}" if ok is not None else f"ikke {verb} {check.party}"
        late = []
        if day is not None and day > due:
            late.append("leveret for sent")
        if ok is not None and ok > due:
            late.append(f"{verb.split()[0]} for sent")
        words.append(f"{done}, {agreed} (frist {format_date(due)}{''.join(', ' + w for w in late)})")
    return "; ".join(words)


def _pay(result: Score) -> dict[str, Any]:
    rule = result.plan.pay_rule
    out: dict[str, Any] = {
        "percent": result.pay,
        "provisional": result.missing > 0,
        "schedule": [describe_step(s) for s in result.plan.pay],
    }
    if rule is not None:
        out.update(_pay_money(rule, result.pay))
    return out


def _pay_money(rule: PayRule, percent: Decimal | None) -> dict[str, Any]:
    """The pay in money (mrpl.pay): the amount, the full pay, the cap, and the rule in words."""
    linear = None
    if rule.floor is not None and rule.full is not None:
        floor, full = (
            format_quantity(A.Quantity(rule.floor, rule.unit)),
            format_quantity(A.Quantity(rule.full, rule.unit)),
        )
        linear = f"lineært fra {floor} (0 %) til {full} (100 %)"
    return {
        "amount": pay_kroner(rule, percent),
        "maximum": full_pay(rule),
        "cap": cap_kroner(rule),
        "capped": capped(rule, percent),
        "salary_percent": pay_salary_percent(rule, percent) if full_pay(rule) is None else None,
        "maximum_salary_percent": rule.maximum_salary_percent,
        "linear": linear,
    }


def _pay_line(pay: dict[str, Any]) -> str:
    """ "Resultatløn: 80 % → 120.000 kr. af 150.000 kr." (or in % of the salary)."""
    if pay["percent"] is None:
        return "Resultatløn: kan ikke beregnes."
    rule = pay.get("linear") or ("efter skalaen (" + "; ".join(pay["schedule"]) + ")" if pay["schedule"] else "")
    share = f"{format_number(rounded(pay['percent'], PERCENT_PLACES).normalize() + 0)} %"
    note = " (foreløbig: ikke opgjorte krav mangler)" if pay["provisional"] else ""
    if pay.get("amount") is not None:
        text = f"Resultatløn: {share} → {format_kroner(rounded(pay['amount'], POINTS_PLACES))} af {format_kroner(pay['maximum'])}"
        if pay["capped"]:
            text += f" (loft {format_kroner(pay['cap'])})"
    elif pay.get("salary_percent") is not None:
        of = format_number(pay["maximum_salary_percent"])
        text = (
            f"Resultatløn: {share} → {format_number(rounded(pay['salary_percent'], Decimal('0.01')).normalize() + 0)} % "
            f"af lønnen (højst {of} %)"
        )
    elif pay["schedule"]:  # steps without money: the share as the schedule gives it
        return f"Resultatløn: {format_number(pay['percent'])} % efter skalaen ({'; '.join(pay['schedule'])}){note}"
    else:
        text = f"Resultatløn: {share} af den fulde resultatløn"
    return f"{text}{'; ' + rule if rule else ''}{note}"


# --------------------------------------------------------------------------
# Renderers


def render_report(result: Score, fmt: str = "text", results_path: str = "", as_of: Any = None) -> str:
    data = report_data(result, results_path, as_of)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    if fmt == "md":
        return _markdown(data)
    if fmt == "text":
        return _text(data)
    raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


def _json_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # exact, without exponent or trailing zeros: "70", "1.25"
    raise TypeError(type(value).__name__)


def _of(points: Decimal | None, weight: Decimal) -> str:
    return "–" if points is None else f"{display_points(points)} af {display_points(weight)} point"


def _pct(fulfilment: Decimal | None) -> str:
    return "–" if fulfilment is None else display_percent(fulfilment)


def _heading_lines(data: dict[str, Any]) -> list[str]:
    kind = _KIND_WORDS.get(data["kind"], "blandet: årets resultat og forventet målopfyldelse")
    year = f" {data['year']}" if data.get("year") else ""
    lines = [f"Målopfyldelse{year}: {data['plan'] or 'planen'}" + (f" – {data['agency']}" if data["agency"] else "")]
    source = f"Resultater: {data['results']} ({kind}"
    if data["as_of"]:
        source += f", opgjort pr. {format_date(_iso(data['as_of']))}"
    lines.append(source + ")")
    return lines


def _iso(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def _counted(met: int, counted: int, noun: str) -> str:
    """ "11 af 15 mål opfyldt", "1 af 1 krav opfyldt"."""
    return f"{met} af {counted} {noun} opfyldt"


def _total_lines(data: dict[str, Any]) -> list[str]:
    t = data["total"]
    counts = f"{_counted(t['goals_met'], t['goals_counted'], 'mål')}; {_counted(t['met'], t['counted'], 'krav')}"
    points = f"{_of(t['earned'], t['total'])}; " if data["weighted"] else ""
    lines = [f"I alt: {points}{counts}"]
    if data["weighted"] and t["stated_total"] is not None and t["stated_total"] != t["total"]:
        lines.append(
            f"Bemærk: vægtene summer til {display_points(t['total'])} point, ikke planens total på "
            f"{display_points(t['stated_total'])}; der scores mod {display_points(t['total'])} point."
        )
    others = [f"{n} {status.lower()}" for status, n in t["goal_statuses"].items() if status != Status.MET.value]
    if others:
        lines.append("Mål i øvrigt: " + ", ".join(others) + ".")
    for d in data["dropped"]:
        when = f", {d['on']}" if d["on"] else ""
        lines.append(f"Udgået: {d['id']} ({display_points(d['weight'])} point{when}): {d['reason']}")
    if t.get("not_due"):
        lines.append(_not_due_line(data))
    out_of_year = t["dropped"] + t.get("not_due", 0)
    if out_of_year:
        if t["rebased"] is None:
            lines.append("Omregning: ingen krav tæller; der kan ikke omregnes.")
        else:
            lines.append(
                f"Omregnet til planens {display_points(t['total'])} point: {display_points(t['earned'])} × "
                f"{display_points(t['total'])} / ({display_points(t['total'])} − {display_points(out_of_year)}) "
                f"= {display_points(t['rebased'])} point"
            )
    if data["missing"]:
        lines.append(
            f"Ikke opgjort: {', '.join(data['missing'])} (vægt {display_points(t['missing_weight'])} point); "
            "tæller ikke som 0, og totalen er foreløbig."
        )
    pay = data["pay"]
    if pay is not None:
        lines.append(_pay_line(pay))
    lines.append(data["rounding"])
    return lines


def _not_due_line(data: dict[str, Any]) -> str:
    ids = [r["id"] for g in data["goals"] for r in g["requirements"] if r["status"] == Status.NOT_DUE.value]
    weight = display_points(data["total"]["not_due"])
    return f"Ikke aktuelt i {data['year']}: {', '.join(ids)} ({weight} point); totalen omregnes uden dem."


def _goal_summary(g: dict[str, Any]) -> str:
    """ "Ikke opfyldt – 30 af 40 point, 2 af 3 krav opfyldt" (no points for an unweighted goal)."""
    points = f"{_of(g['earned'], g['weight'])}, " if g["weighted"] else ""
    dropped = f" ({display_points(g['dropped_weight'])} point udgået)" if g["weighted"] and g["dropped_weight"] else ""
    return f"{g['status']} – {points}{_counted(g['met'], g['counted'], 'krav')}{dropped}"


def _text(data: dict[str, Any]) -> str:
    lines = _heading_lines(data) + _amendment_lines(data)
    if data["goal_rule"]:
        lines.append(f"Målstatus: {data['goal_rule']}")
    for g in data["goals"]:
        lines += ["", f"Mål {g['number']} {g['area']}: {_goal_summary(g)}"]
        if not data["goal_rule"]:
            lines.append(f"  Målstatus: {g['rule']}")
        if g["remark"]:
            lines.append(f"  Bemærkning: {g['remark']}")
        if g["note"]:
            lines.append(f"  Note: {g['note']}")
        for r in g["requirements"]:
            lines += _text_requirement(r, data["kind"] == "mixed")
    lines += ["", *_total_lines(data)]
    return "\n".join(terminal_text(line) for line in lines) + "\n"  # one line per field, whatever a note holds


def _kind_marker(r: dict[str, Any], mixed: bool) -> str:
    """In a file that mixes kinds, say which figures are expected ones."""
    return " (forventet)" if mixed and r.get("kind") == "expected" else ""


def _text_requirement(r: dict[str, Any], mixed: bool) -> list[str]:
    points = f"  {_of(r['points'], r['weight'])}" if r["weighted"] else ""
    lines = [f"  {r['id']}  {r['status']}  {_pct(r['fulfilment'])}{points}"]
    pad = "      "
    if r["targets"]:
        lines.append(f"{pad}Måltal: {' og '.join(r['targets'])}")
    if r.get("result"):
        lines.append(f"{pad}Resultat: {r['result']}" + _kind_marker(r, mixed))
    for p in r.get("parts", []):
        result = f"; resultat {p['result']}" if p["result"] else ""
        points = f", {_of(p['points'], p['weight'])}" if p["weighted"] else ""
        lines.append(f"{pad}{p['name']}: {p['status']}, {_pct(p['fulfilment'])}{points}{result}")
        for key, word in (("note", "Note"), ("remark", "Bemærkning")):
            if p.get(key) and not (key == "remark" and p["status"] == Status.MISSING.value and not p["result"]):
                lines.append(f"{pad}  {word}: {p[key]}")
    if r.get("note"):
        lines.append(f"{pad}Note: {r['note']}")
    if r.get("remark"):
        lines.append(f"{pad}Bemærkning: {r['remark']}")
    return lines


def _md_cell(text: Any) -> str:
    """Plan and results text in the Markdown report: never markup, HTML or a broken table row."""
    return markdown_text(str(text))


def _markdown(data: dict[str, Any]) -> str:
    head = _heading_lines(data)
    lines = [f"# {_md_cell(head[0])}", "", _md_cell(head[1])]
    lines += [f"\n{_md_cell(line)}" for line in _amendment_lines(data)]
    if data["goal_rule"]:
        lines += ["", f"Målstatus: {_md_cell(data['goal_rule'])}."]
    for g in data["goals"]:
        lines += ["", f"## Mål {g['number']} {_md_cell(g['area'])}", "", f"**{_md_cell(_goal_summary(g))}.**"]
        if not data["goal_rule"]:
            lines += ["", f"Målstatus: {_md_cell(g['rule'])}."]
        for key, word in (("remark", "Bemærkning"), ("note", "Note")):
            if g[key]:
                lines += ["", f"{word}: {_md_cell(g[key])}"]
        heads = [
            "Krav",
            "Måltal",
            "Resultat",
            "Opfyldelse",
            *(["Point"] if g["weighted"] else []),
            "Status",
            "Bemærkning",
        ]
        rules = ["---", "---", "---", "---:", *(["---:"] if g["weighted"] else []), "---", "---"]
        lines += ["", "| " + " | ".join(heads) + " |", "|" + "|".join(rules) + "|"]
        for r in g["requirements"]:
            lines.append(_md_row(r["id"], r))
            for p in r.get("parts", []):
                lines.append(_md_row("↳ " + p["name"], p))
    lines += ["", "## I alt", ""]
    lines += [f"- {_md_cell(line)}" for line in _total_lines(data)]
    return "\n".join(lines) + "\n"


def _md_row(label: str, r: dict[str, Any]) -> str:
    remark = " ".join(x for x in (r.get("remark"), r.get("note")) if x)
    cells = [
        label,
        " og ".join(r["targets"]),
        r.get("result") or "",
        _pct(r["fulfilment"]),
        *([_of(r["points"], r["weight"])] if r["weighted"] else []),
        r["status"],
        remark,
    ]
    return "| " + " | ".join(_md_cell(c) for c in cells) + " |"


# --------------------------------------------------------------------------
# A multi-year contract: the years side by side, then each year's report


def period_data(period: PeriodScore) -> dict[str, Any]:
    """What the period report says (exact values); each year's own report under "years"."""
    years = {str(r.year): report_data(r.score, r.path, r.as_of) for r in period.reported}
    return {
        "years": list(period.years),
        "reported": [r.year for r in period.reported],
        "not_yet": list(period.missing_years),
        "requirements": [
            {
                "id": r.id,
                "name": r.name,
                "weight": r.weight,
                "years": {str(c.year): {"status": c.status.value, "fulfilment": c.fulfilment} for c in r.years},
                "fulfilment": r.fulfilment,
                "points": r.points,
            }
            for r in period.requirements
        ],
        "earned": period.earned,
        "counted": period.counted,
        "total": period.total,
        "fulfilment": period.fulfilment,
        "provisional": period.provisional,
        "pay": {str(r.year): r.score.pay_amount for r in period.reported},
        "pay_total": period.pay_amount,
        "by_year": years,
    }


def render_period_report(period: PeriodScore, fmt: str = "text") -> str:
    """The report of a multi-year plan: a table of the years, the whole period, then each year's report."""
    data = period_data(period)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    if fmt not in ("text", "md"):
        raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    overview = _period_markdown(data) if fmt == "md" else _period_text(data)
    reports = [render_report(r.score, fmt, r.path, r.as_of) for r in period.reported]
    return "\n".join([overview, *reports])


def _year_cell(cell: dict[str, Any]) -> str:
    if cell["fulfilment"] is None:
        return cell["status"]
    return f"{cell['status']} ({display_percent(cell['fulfilment'])})"


def _period_summary(data: dict[str, Any]) -> list[str]:
    years = data["years"]
    span = f"{years[0]}-{years[-1]}" if years else ""
    lines = []
    if data["fulfilment"] is None:
        lines.append(f"Hele perioden {span}: intet opgjort endnu.")
    else:
        lines.append(
            f"Hele perioden {span}: {display_points(data['earned'])} af {display_points(data['counted'])} point "
            f"({display_percent(data['fulfilment'])}), gennemsnit af de opgjorte år pr. krav"
        )
    if data["not_yet"]:
        lines.append(f"Ikke opgjort endnu: {', '.join(str(y) for y in data['not_yet'])}; opgørelsen er foreløbig.")
    pay = [(y, a) for y, a in data["pay"].items() if a is not None]
    if pay:
        each = "; ".join(f"{y}: {format_kroner(rounded(a, POINTS_PLACES))}" for y, a in pay)
        total = f" – i alt {format_kroner(rounded(data['pay_total'], POINTS_PLACES))}" if data["pay_total"] else ""
        lines.append(f"Resultatløn: {each}{total}")
    return lines


def _period_text(data: dict[str, Any]) -> str:
    years = data["years"]
    lines = [f"Målopfyldelse {years[0]}-{years[-1]} år for år" if years else "Målopfyldelse år for år"]
    for r in data["requirements"]:
        period = display_percent(r["fulfilment"]) if r["fulfilment"] is not None else "–"
        lines.append(f"  {r['id']}  perioden: {period}")
        for year, cell in r["years"].items():
            lines.append(f"      {year}: {_year_cell(cell)}")
    lines += ["", *_period_summary(data)]
    return "\n".join(lines) + "\n"


def _period_markdown(data: dict[str, Any]) -> str:
    years = [str(y) for y in data["years"]]
    lines = [
        f"# Målopfyldelse {years[0]}-{years[-1]} år for år" if years else "# Målopfyldelse år for år",
        "",
        "| Krav | " + " | ".join(years) + " | Perioden |",
        "|---|" + "---|" * len(years) + "---:|",
    ]
    for r in data["requirements"]:
        period = display_percent(r["fulfilment"]) if r["fulfilment"] is not None else "–"
        cells = [_year_cell(r["years"][y]) for y in years]
        lines.append("| " + " | ".join(_md_cell(c) for c in [r["id"], *cells, period]) + " |")
    lines += ["", *[f"- {_md_cell(line)}" for line in _period_summary(data)]]
    return "\n".join(lines) + "\n"
