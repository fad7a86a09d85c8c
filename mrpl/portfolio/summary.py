"""What a portfolio report says: one list of diagnostics, and the figures per agency and year.

`portfolio_data` returns plain values (exact `Decimal`s, ISO dates, status words) for the
renderers in `mrpl.render.html` and the JSON and Markdown forms of `mrplc report`. The goal
and requirement figures come from `mrpl.report.report_data`, so the portfolio says exactly
what `mrplc score` says for each plan.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from mrpl.annual_report import STATUS_EN
from mrpl.diagnostics import Diagnostic
from mrpl.i18n import format_date
from mrpl.portfolio.crosscheck import cross_plan_diagnostics
from mrpl.portfolio.discover import PlanEntry, Portfolio, ResultsRun
from mrpl.report import report_data
from mrpl.score import HUNDRED, ZERO


def portfolio_diagnostics(portfolio: Portfolio) -> list[Diagnostic]:
    """Every plan's diagnostics (a shared file's once), each module's syntax errors, the results
    files' diagnostics and the cross-plan checks, in a stable order."""
    found: dict[tuple[object, ...], Diagnostic] = {}

    def add(diagnostics: Any) -> None:
        for d in diagnostics:
            found.setdefault((d.code, d.span, d.message), d)

    for entry in portfolio.plans:
        add(entry.diagnostics)
        for run in entry.runs:
            add(run.diagnostics)
    for _path, loaded in portfolio.modules:
        add(loaded.root.diagnostics)  # a module's goals are checked in the plans that import them
    add(portfolio.diagnostics)
    add(cross_plan_diagnostics(portfolio))
    return sorted(found.values(), key=Diagnostic.sort_key)


def portfolio_data(portfolio: Portfolio, lang: str = "da") -> dict[str, Any]:
    agencies: dict[str, list[dict[str, Any]]] = {}
    for entry in sorted(portfolio.plans, key=lambda e: (e.agency, e.year or 0, e.path)):
        agencies.setdefault(entry.agency, []).append(_plan(entry, lang, portfolio.root))
    return {
        "lang": lang,
        "agencies": [{"agency": name, "plans": plans} for name, plans in agencies.items()],
        "counts": {
            "plans": len(portfolio.plans),
            "modules": len(portfolio.modules),
            "results": portfolio.results_files(),
        },
    }


def _plan(entry: PlanEntry, lang: str, root: str) -> dict[str, Any]:
    header = entry.header
    runs = [_run(run, lang, root) for run in entry.runs if run.score is not None]
    return {
        "path": _relative(entry.path, root),
        "title": header.title or "",
        "agency": entry.agency,
        "ministry": header.ministry or "",
        "year": entry.year,
        "period": _period(entry, lang),
        "scorable": entry.splan is not None,
        "runs": runs,
        "latest": runs[-1] if runs else None,
    }


def _period(entry: PlanEntry, lang: str) -> str:
    period = entry.header.period
    if period is None:
        return str(entry.year or "")
    if period.start.year == period.end.year:
        return str(period.start.year)
    return f"{period.start.year}–{period.end.year}"


def _relative(path: str, root: str) -> str:
    """A file as the folder's reader knows it (and the same report wherever the folder lies)."""
    return os.path.relpath(path, root).replace(os.sep, "/")


def _run(run: ResultsRun, lang: str, root: str) -> dict[str, Any]:
    assert run.score is not None
    data = report_data(run.score, _relative(run.path, root), run.as_of)
    total = data["total"]
    goals = [_goal(g, lang) for g in data["goals"]]
    counted_goals = [g for g in goals if g["status"] not in ("Udgået", "Ikke opgjort", "Ikke scoret")]
    return {
        "path": _relative(run.path, root),
        "kind": run.kind,
        "as_of": run.as_of.isoformat() if run.as_of else None,
        "label": _run_label(run, lang),
        "earned": total["earned"],
        "total": total["total"],
        "percent": _percent(total["earned"], total["total"]),
        "rebased": total["rebased"],
        "missing_weight": total["missing_weight"],
        "requirements_met": total["met"],
        "requirements_counted": total["counted"],
        "goals_met": sum(1 for g in counted_goals if g["status"] == "Opfyldt"),
        "goals_counted": len(counted_goals),
        "goals": goals,
    }


def _goal(goal: dict[str, Any], lang: str) -> dict[str, Any]:
    status = goal["status"]  # under the plan's `målstatus` rule: mrpl.score.goal_status, via report_data
    return {
        "number": goal["number"],
        "area": goal["area"],
        "weight": goal["weight"],
        "earned": goal["earned"],
        "percent": _percent(goal["earned"], goal["weight"]),
        "met": goal["met"],
        "counted": goal["counted"],
        "status": status,
        "status_words": status if lang == "da" else STATUS_EN.get(status, status),
    }


def _percent(earned: Decimal | None, total: Decimal | None) -> Decimal | None:
    if earned is None or not total or total <= ZERO:
        return None
    return earned * HUNDRED / total


def _run_label(run: ResultsRun, lang: str) -> str:
    when = format_date(run.as_of, lang) if run.as_of else ""
    if run.kind == "actual":
        return ("Årets resultat" if lang == "da" else "Year-end result") + (f" ({when})" if when else "")
    word = "Forventet pr." if lang == "da" else "Expected as of"
    return f"{word} {when}".strip()
