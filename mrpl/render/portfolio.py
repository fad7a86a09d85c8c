"""`mrplc report DIR`: the portfolio in HTML (a page), Markdown (a table) or JSON (the data)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from mrpl.render.escape import markdown_text

FORMATS = ("html", "md", "json")

_MD_HEAD = {
    "da": ("Styrelse", "Plan", "Periode", "Opgørelse", "Målopfyldelse", "Point", "Mål opfyldt", "Krav opfyldt"),
    "en": ("Agency", "Plan", "Period", "Figures", "Fulfilment", "Points", "Goals met", "Requirements met"),
}
_MD_TITLE = {"da": "Målopfyldelse for porteføljen", "en": "Portfolio goal fulfilment"}
_NO_RESULTS = {"da": "ingen resultater", "en": "no results"}


def render_portfolio(data: dict[str, Any], fmt: str) -> str:
    if fmt == "html":
        from mrpl.render.html import render_portfolio_html

        return render_portfolio_html(data)
    if fmt == "md":
        return _markdown(data)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


def _json_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    raise TypeError(type(value).__name__)


def _markdown(data: dict[str, Any]) -> str:
    from mrpl.render.html import _pct, _points

    lang = data["lang"]
    head = _MD_HEAD[lang]
    lines = [f"# {_MD_TITLE[lang]}", "", "| " + " | ".join(head) + " |", "|---|---|---|---|---:|---:|---:|---:|"]
    for agency in data["agencies"]:
        for plan in agency["plans"]:
            run = plan["latest"]
            if run is None:
                cells = [agency["agency"], plan["title"], plan["period"], _NO_RESULTS[lang], "", "", "", ""]
            else:
                cells = [
                    agency["agency"],
                    plan["title"],
                    plan["period"],
                    run["label"],
                    _pct(run["percent"], lang),
                    f"{_points(run['earned'], lang)} / {_points(run['total'], lang)}",
                    f"{run['goals_met']} / {run['goals_counted']}",
                    f"{run['requirements_met']} / {run['requirements_counted']}",
                ]
            lines.append("| " + " | ".join(markdown_text(str(c)) for c in cells) + " |")
    return "\n".join(lines) + "\n"
