"""The portfolio page: one self-contained, offline HTML file (`mrplc report DIR --to html`).

No script, no external file, no web font: the styles are inline and the charts are inline
SVG built here as plain geometry and laid out by `templates/html/portfolio.html.j2`. Every
chart has a text alternative (`<title>`, `<desc>`) and the table behind it right below, and
status is always written in words beside its colour. Why hand-built SVG and not a chart
library: see docs/report.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mrpl.i18n import format_date
from mrpl.render.escape import html_text
from mrpl.render.jinja import environment
from mrpl.score import HUNDRED, display_percent, display_points

# Colour per status word, with a pattern name for the legend; the word itself is always shown too.
STATUS_COLOURS = {
    "Opfyldt": "#1a7f37",
    "Delvist opfyldt": "#9a5b00",
    "Ikke opfyldt": "#b42318",
    "Ikke opgjort": "#6b7280",
    "Ikke opgjort endnu": "#6b7280",
    "Udgået": "#6b7280",
    "Ikke scoret": "#6b7280",
}

# Goal chart geometry (SVG user units).
BAR_LEFT, BAR_WIDTH, ROW_HEIGHT, CHART_WIDTH = 260, 280, 34, 820
LABEL_CHARS = 32  # what fits left of the bars at 13 px
# Progress chart geometry.
COLUMN_WIDTH, COLUMN_GAP, PROGRESS_HEIGHT = 120, 40, 160

PHRASES: dict[str, dict[str, Any]] = {
    "da": {
        "title": "Mål- og resultatplaner: målopfyldelse",
        "summary": ("plan", "planer", "fælles modul", "fælles moduler", "resultatfil", "resultatfiler"),
        "agency": "Styrelse",
        "plan": "Plan",
        "latest": "Seneste opgørelse",
        "no_results": "Ingen resultater endnu.",
        "not_scorable": "Planen har fejl; resultaterne kan ikke opgøres (kør `mrplc check`).",
        "total": "I alt",
        "points_of": "{earned} af {total} point",
        "goals_met": "{met} af {counted} mål opfyldt",
        "reqs_met": "{met} af {counted} krav opfyldt",
        "goal_chart": "Point pr. mål",
        "goal_chart_desc": "Optjente point ud af mulige point for hvert mål i {plan}, {label}.",
        "progress": "Udvikling over året",
        "progress_desc": "Samlet målopfyldelse i procent ved hver opgørelse af {plan}.",
        "goal": "Mål",
        "area": "Område",
        "earned": "Optjent",
        "weight": "Vægt",
        "fulfilment": "Målopfyldelse",
        "status": "Status",
        "date": "Opgørelse",
        "requirements": "Krav opfyldt",
        "missing": "Ikke opgjort: {weight} point tæller ikke med; totalen er foreløbig.",
        "legend": "Farverne gentager status, som altid også står med ord.",
        "table_of": "Tabel: {caption}",
    },
    "en": {
        "title": "Performance contracts: goal fulfilment",
        "summary": ("plan", "plans", "shared module", "shared modules", "results file", "results files"),
        "agency": "Agency",
        "plan": "Plan",
        "latest": "Latest figures",
        "no_results": "No results yet.",
        "not_scorable": "The plan has errors; its results cannot be scored (run `mrplc check`).",
        "total": "Total",
        "points_of": "{earned} of {total} points",
        "goals_met": "{met} of {counted} goals met",
        "reqs_met": "{met} of {counted} requirements met",
        "goal_chart": "Points per goal",
        "goal_chart_desc": "Points earned out of points available for each goal of {plan}, {label}.",
        "progress": "Progress over the year",
        "progress_desc": "Total fulfilment in percent at each follow-up of {plan}.",
        "goal": "Goal",
        "area": "Area",
        "earned": "Earned",
        "weight": "Weight",
        "fulfilment": "Fulfilment",
        "status": "Status",
        "date": "Figures",
        "requirements": "Requirements met",
        "missing": "Not reported: {weight} points are not counted; the total is provisional.",
        "legend": "Colours repeat the status, which is always written in words too.",
        "table_of": "Table: {caption}",
    },
}


def render_portfolio_html(data: dict[str, Any]) -> str:
    """The page for `mrpl.portfolio.portfolio_data(...)`."""
    lang = data["lang"]
    words = PHRASES[lang]
    env = environment("html", html_text, lambda prose: html_text(prose.plain()), {})
    agencies = [
        {"agency": a["agency"], "id": f"agency-{n}", "plans": [_plan_view(p, lang, f"a{n}p{m}") for m, p in
                                                                 enumerate(a["plans"], 1)]}
        for n, a in enumerate(data["agencies"], 1)
    ]  # fmt: skip
    summary = _summary(data["counts"], words["summary"])
    return env.get_template("portfolio.html.j2").render(
        lang=lang, words=words, agencies=agencies, summary=summary, colours=STATUS_COLOURS
    )


def _summary(counts: dict[str, int], nouns: tuple[str, ...]) -> str:
    """ "4 planer, 1 fælles modul, 8 resultatfiler": each noun in the number its count takes."""
    keys = ("plans", "modules", "results")
    return ", ".join(f"{counts[k]} {nouns[2 * i] if counts[k] == 1 else nouns[2 * i + 1]}" for i, k in enumerate(keys))


def _plan_view(plan: dict[str, Any], lang: str, key: str) -> dict[str, Any]:
    words = PHRASES[lang]
    latest = plan["latest"]
    view: dict[str, Any] = {
        "key": key,
        "heading": _plan_heading(plan["title"], plan["period"]),
        "path": plan["path"],
        "scorable": plan["scorable"],
        "latest": None,
        "progress": None,
    }
    if latest is None:
        return view
    view["latest"] = _run_view(latest, lang, plan["title"] or plan["agency"])
    if len(plan["runs"]) > 1:
        view["progress"] = _progress(plan["runs"], lang, words["progress_desc"].format(plan=plan["title"]))
    return view


def _plan_heading(title: str, period: str) -> str:
    """The plan's title, with its period where the title does not already say it."""
    if not period or period in title:
        return title or period
    return f"{title} ({period})" if title else period


def _run_view(run: dict[str, Any], lang: str, plan_name: str) -> dict[str, Any]:
    words = PHRASES[lang]
    goals = [_goal_row(g, lang, i) for i, g in enumerate(run["goals"])]
    total_points = words["points_of"].format(earned=_points(run["earned"], lang), total=_points(run["total"], lang))
    return {
        "label": run["label"],
        "total_points": total_points if run["total"] else "",
        "percent": _pct(run["percent"], lang),
        "goals_met": words["goals_met"].format(met=run["goals_met"], counted=run["goals_counted"]),
        "reqs_met": words["reqs_met"].format(met=run["requirements_met"], counted=run["requirements_counted"]),
        "missing": words["missing"].format(weight=_points(run["missing_weight"], lang))
        if run["missing_weight"]
        else "",
        "goals": goals,
        "chart_height": ROW_HEIGHT * len(goals) + 12,
        "chart_desc": words["goal_chart_desc"].format(plan=plan_name, label=run["label"]),
        "geometry": {"left": BAR_LEFT, "width": BAR_WIDTH, "chart_width": CHART_WIDTH},
    }


def _goal_row(goal: dict[str, Any], lang: str, index: int) -> dict[str, Any]:
    words = PHRASES[lang]
    weight, earned = goal["weight"], goal["earned"]
    share = (earned / weight) if weight else Decimal(0)
    filled = int((Decimal(BAR_WIDTH) * max(min(share, Decimal(1)), Decimal(0))).to_integral_value())
    label = f"{goal['number']} {goal['area']}"
    return {
        "number": goal["number"],
        "area": goal["area"],
        "label": label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…",
        "y": 6 + index * ROW_HEIGHT,
        "filled": filled,
        "colour": STATUS_COLOURS.get(goal["status"], "#6b7280"),
        "status": goal["status_words"],
        "points": words["points_of"].format(earned=_points(earned, lang), total=_points(weight, lang)),
        "earned": _points(earned, lang),
        "weight": _points(weight, lang),
        "percent": _pct(goal["percent"], lang),
    }


def _progress(runs: list[dict[str, Any]], lang: str, desc: str) -> dict[str, Any]:
    columns = []
    for i, run in enumerate(runs):
        percent = run["percent"] or Decimal(0)
        height = int((Decimal(PROGRESS_HEIGHT - 40) * min(percent, Decimal(100)) / 100).to_integral_value())
        columns.append(
            {
                "x": 20 + i * (COLUMN_WIDTH + COLUMN_GAP),
                "height": height,
                "y": PROGRESS_HEIGHT - 20 - height,
                "percent": _pct(run["percent"], lang),
                "date": format_date(_iso(run["as_of"]), lang) if run["as_of"] else run["label"],
                "label": run["label"],
                "points": PHRASES[lang]["points_of"].format(
                    earned=_points(run["earned"], lang), total=_points(run["total"], lang)
                ),
                "reqs": f"{run['requirements_met']}/{run['requirements_counted']}",
            }
        )
    width = 40 + len(runs) * (COLUMN_WIDTH + COLUMN_GAP)
    return {"columns": columns, "width": width, "height": PROGRESS_HEIGHT, "desc": desc, "column_width": COLUMN_WIDTH}


def _iso(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def _points(value: Decimal | None, lang: str) -> str:
    return "–" if value is None else display_points(value, lang)


def _pct(value: Decimal | None, lang: str) -> str:
    """A percentage (0..100) as the reports write it."""
    return "–" if value is None else display_percent(value / HUNDRED, lang)
