"""The annual report's målrapportering: the year's result requirements, their results and status.

`mrplc score PLAN RESULTS --to aarsrapport` writes the section an agency puts in its annual
report (årsrapport). It follows Økonomistyrelsen's guidance on annual reports for state bodies
("Vejledning om udarbejdelse af årsrapport", the chapter on målrapportering as published on
oes.dk, 2024 edition): part 1 is a schematic overview of every goal agreed with another party
and whether the expected result was reached; part 2 analyses selected goals, and a significant
goal that was not met must always be analysed. mrpl writes part 1 in full (the overview table,
and the counts of requirements and goals met, partly met and not met), and for part 2 the facts
an analysis starts from (target, result, the agency's note) for every requirement not fully
met; the analysis itself is the agency's to write. The performance-pay outcome follows where
the plan has a pay section.

The report is a `mrpl.render.document.Document`, so every document back-end (Markdown, Typst
PDF, Word) renders it as it renders a plan. Its figures are `mrpl.report.report_data`'s: the
annual report says exactly what `mrplc score` says.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mrpl.i18n import format_date
from mrpl.render.document import Block, Document, Heading, Section, Table
from mrpl.report import display_percent, display_points, report_data
from mrpl.score import Score

MET, PARTLY, NOT_MET = "Opfyldt", "Delvist opfyldt", "Ikke opfyldt"
DROPPED, MISSING, UNSCORED = "Udgået", "Ikke opgjort", "Ikke scoret"

_WORDS: dict[str, dict[str, Any]] = {
    "da": {
        "title": "Målrapportering {year}",
        "part1": "Målrapporteringens første del: skematisk oversigt",
        "part2": "Målrapporteringens anden del: krav, der ikke er fuldt opfyldt",
        "basis": "Grundlag",
        "caption": "Tabel 1. Årets resultatkrav og deres opfyldelse",
        "goals_caption": "Tabel 2. Årets mål og deres opfyldelse",
        "columns": ("Mål", "Resultatkrav", "Måltal", "Resultat", "Vurdering"),
        "weighted_columns": ("Point",),
        "goal_columns": ("Mål", "Område", "Krav opfyldt", "Vurdering"),
        "goal_weighted_columns": ("Point",),
        "counts_req": "Af årets {n} resultatkrav er {met} opfyldt, {partly} delvist opfyldt og {not_met} ikke opfyldt.",
        "counts_goal": "Af årets {n} mål er {met} opfyldt, {partly} delvist opfyldt og {not_met} ikke opfyldt.",
        "dropped": "{n} resultatkrav er udgået efter aftale og indgår ikke i opgørelsen.",
        "dropped_one": "Et resultatkrav er udgået efter aftale og indgår ikke i opgørelsen.",
        "missing": "Ikke opgjort: {ids}. De tæller ikke som ikke opfyldt, og opgørelsen er foreløbig.",
        "points": "Samlet målopfyldelse: {earned} af {total} point ({percent}).",
        "rebased": "Omregnet for udgåede krav: {rebased} af {total} point.",
        "nothing_missed": "Alle opgjorte resultatkrav er opfyldt.",
        "target": "Måltal",
        "result": "Resultat",
        "note": "Styrelsens bemærkning",
        "remark": "Vurdering",
        "analysis": "Analysen af årsagerne skrives af styrelsen (vejledningens anden del).",
        "pay": "Resultatløn",
        "pay_line": "Resultatløn efter planens skala: {percent} % ({schedule}).",
        "pay_none": "Resultatlønnen kan ikke beregnes af de opgjorte resultater.",
        "pay_provisional": "Foreløbig: ikke alle krav er opgjort.",
        "source": "Resultater: {path}{as_of}. {kind}",
        "as_of": ", opgjort pr. {date}",
        "actual": "Årets resultat.",
        "expected": "Forventet målopfyldelse (udgiftsopfølgning), ikke årets endelige resultat.",
        "mixed": "Blandet: årets resultat og forventet målopfyldelse.",
        "guidance": "Opstillet efter Økonomistyrelsens vejledning om årsrapport, afsnittet om målrapportering.",
        "amended": "Opgjort efter planen som ændret ved {title}{when}.",
        "amended_when": " af {date}",
    },
    "en": {
        "title": "Goal reporting {year}",
        "part1": "Goal reporting, part 1: overview",
        "part2": "Goal reporting, part 2: requirements not fully met",
        "basis": "Basis",
        "caption": "Table 1. The year's result requirements and their fulfilment",
        "goals_caption": "Table 2. The year's goals and their fulfilment",
        "columns": ("Goal", "Requirement", "Target", "Result", "Assessment"),
        "weighted_columns": ("Points",),
        "goal_columns": ("Goal", "Area", "Requirements met", "Assessment"),
        "goal_weighted_columns": ("Points",),
        "counts_req": "Of the year's {n} result requirements, {met} were met, {partly} partly met and {not_met} not met.",
        "counts_goal": "Of the year's {n} goals, {met} were met, {partly} partly met and {not_met} not met.",
        "dropped": "{n} result requirements were dropped by agreement and are not counted.",
        "dropped_one": "One result requirement was dropped by agreement and is not counted.",
        "missing": "Not reported: {ids}. They do not count as not met, and the figures are provisional.",
        "points": "Total fulfilment: {earned} of {total} points ({percent}).",
        "rebased": "Rebased for dropped requirements: {rebased} of {total} points.",
        "nothing_missed": "Every requirement reported was met.",
        "target": "Target",
        "result": "Result",
        "note": "The agency's note",
        "remark": "Assessment",
        "analysis": "The analysis of the causes is the agency's to write (part 2 of the guidance).",
        "pay": "Performance pay",
        "pay_line": "Performance pay by the plan's scale: {percent}% ({schedule}).",
        "pay_none": "The performance pay cannot be computed from the results reported.",
        "pay_provisional": "Provisional: not every requirement is reported.",
        "source": "Results: {path}{as_of}. {kind}",
        "as_of": ", as of {date}",
        "actual": "The year's result.",
        "expected": "Expected fulfilment (a follow-up during the year), not the year's final result.",
        "mixed": "Mixed: year-end results and expected fulfilment.",
        "guidance": "Laid out after the Danish Agency for Public Finance and Management's guidance on annual reports (goal reporting).",
        "amended": "Scored against the plan as amended by {title}{when}.",
        "amended_when": " of {date}",
    },
}

STATUS_EN = {MET: "Met", PARTLY: "Partly met", NOT_MET: "Not met", DROPPED: "Dropped", MISSING: "Not reported",
             UNSCORED: "Not scored", "Ikke opgjort endnu": "Not yet reported"}  # fmt: skip


def annual_report(result: Score, lang: str = "da", results_path: str = "", as_of: Any = None,
                  year: int | None = None, ministry: str = "") -> Document:  # fmt: skip
    """The målrapportering section for `result` (a scored plan), as a document."""
    data = report_data(result, results_path, as_of)
    words = _WORDS[lang]
    weighted = bool(data["total"]["total"])
    parts = [
        (words["part1"], _overview(data, words, lang, weighted)),
        (words["part2"], _not_met(data, words, lang)),
    ]
    if data["pay"] is not None:
        parts.append((words["pay"], _pay(data, words)))
    parts.append((words["basis"], _basis(data, words, lang)))
    sections = tuple(Section(Heading(str(n), title), tuple(blocks)) for n, (title, blocks) in enumerate(parts, 1))
    title = words["title"].format(year=year or "").strip()
    return Document(lang=lang, ministry=ministry, title=title, agency=data["agency"], sections=sections, annex=None)


def _status(word: str | None, lang: str) -> str:
    word = word or ""
    return word if lang == "da" else STATUS_EN.get(word, word)


def _overview(data: dict[str, Any], words: dict[str, Any], lang: str, weighted: bool) -> list[Block]:
    header = words["columns"] + (words["weighted_columns"] if weighted else ())
    rows: list[tuple[str, ...]] = []
    for goal in data["goals"]:
        for req in goal["requirements"]:
            row = (
                goal["number"],
                _requirement_words(req),
                "; ".join(req["targets"]),
                req.get("result") or _parts_result(req),
                _status(req["status"], lang),
            )
            if weighted:
                row += (_of(req["points"], req["weight"]),)
            rows.append(row)
    align = "lllll" + ("r" if weighted else "")
    blocks = [
        Block("field", value=words["caption"]),
        Block("table", table=Table(header=header, rows=tuple(rows), align=align)),
        *(Block("field", value=line) for line in _counts(data, words, lang)),
        Block("field", value=words["goals_caption"]),
        Block("table", table=_goal_table(data, words, lang, weighted)),
    ]
    return blocks


def _requirement_words(req: dict[str, Any]) -> str:
    name = req["name"]
    return f"{req['id']} {name}" if name else req["id"]


def _parts_result(req: dict[str, Any]) -> str:
    parts = req.get("parts") or []
    return "; ".join(f"{p['name']}: {p['result']}" for p in parts if p.get("result"))


def _of(points: Decimal | None, weight: Decimal) -> str:
    return "–" if points is None else f"{display_points(points)} / {display_points(weight)}"


def _goal_status(goal: dict[str, Any]) -> str:
    """The goal's status under the plan's `målstatus` rule (mrpl.score.goal_status, via report_data)."""
    return str(goal["status"])


def _goal_table(data: dict[str, Any], words: dict[str, Any], lang: str, weighted: bool) -> Table:
    header = words["goal_columns"] + (words["goal_weighted_columns"] if weighted else ())
    rows = []
    for goal in data["goals"]:
        row = (goal["number"], goal["area"], f"{goal['met']} / {goal['counted']}", _status(_goal_status(goal), lang))
        if weighted:
            row += (_of(goal["earned"], goal["weight"]),)
        rows.append(row)
    return Table(header=header, rows=tuple(rows), align="llrl" + ("r" if weighted else ""))


def _counts(data: dict[str, Any], words: dict[str, Any], lang: str) -> list[str]:
    reqs = [r for g in data["goals"] for r in g["requirements"]]
    counted = [r for r in reqs if r["status"] in (MET, PARTLY, NOT_MET)]
    lines = [_count_line(words["counts_req"], [r["status"] for r in counted])]
    goal_statuses = [s for s in (_goal_status(g) for g in data["goals"]) if s in (MET, PARTLY, NOT_MET)]
    lines.append(_count_line(words["counts_goal"], goal_statuses))
    dropped = [r for r in reqs if r["status"] == DROPPED]
    if dropped:
        lines.append(words["dropped_one"] if len(dropped) == 1 else words["dropped"].format(n=len(dropped)))
    if data["missing"]:
        lines.append(words["missing"].format(ids=", ".join(data["missing"])))
    total = data["total"]
    if total["total"]:
        percent = display_percent(total["earned"] / total["total"])
        if lang == "en":
            percent = percent.replace(",", ".").replace(" %", "%")
        lines.append(words["points"].format(earned=display_points(total["earned"]),
                                            total=display_points(total["total"]), percent=percent))  # fmt: skip
        if total["dropped"] and total["rebased"] is not None:
            lines.append(words["rebased"].format(rebased=display_points(total["rebased"]),
                                                 total=display_points(total["total"])))  # fmt: skip
    return lines


def _count_line(template: str, statuses: list[str]) -> str:
    return template.format(
        n=len(statuses),
        met=statuses.count(MET),
        partly=statuses.count(PARTLY),
        not_met=statuses.count(NOT_MET),
    )


def _not_met(data: dict[str, Any], words: dict[str, Any], lang: str) -> list[Block]:
    blocks: list[Block] = []
    for goal in data["goals"]:
        for req in goal["requirements"]:
            if req["status"] not in (PARTLY, NOT_MET):
                continue
            title = f"{req['id']} {req['name']}".strip()
            blocks.append(Block("heading", heading=Heading("", title)))
            blocks.append(Block("field", label=words["remark"], value=_status(req["status"], lang)))
            if req["targets"]:
                blocks.append(Block("field", label=words["target"], value="; ".join(req["targets"])))
            result = req.get("result") or _parts_result(req)
            if result:
                blocks.append(Block("field", label=words["result"], value=result))
            if req.get("remark"):
                blocks.append(Block("field", value=req["remark"]))
            if req.get("note"):
                blocks.append(Block("field", label=words["note"], value=req["note"]))
    if not blocks:
        return [Block("field", value=words["nothing_missed"])]
    return [*blocks, Block("field", value=words["analysis"])]


def _pay(data: dict[str, Any], words: dict[str, Any]) -> list[Block]:
    pay = data["pay"]
    if pay.get("percent") is None:
        return [Block("field", value=words["pay_none"])]
    lines = [words["pay_line"].format(percent=pay["percent"], schedule="; ".join(pay.get("schedule") or ()))]
    if pay.get("provisional"):
        lines.append(words["pay_provisional"])
    return [Block("field", value=line) for line in lines]


def _basis(data: dict[str, Any], words: dict[str, Any], lang: str) -> list[Block]:
    as_of = ""
    if data["as_of"]:
        from datetime import date

        as_of = words["as_of"].format(date=format_date(date.fromisoformat(data["as_of"]), lang))
    kind = words.get(data["kind"], words["mixed"])
    return [
        Block("field", value=words["source"].format(path=data["results"], as_of=as_of, kind=kind)),
        *(Block("field", value=line) for line in _amended(data, words, lang)),
        Block("field", value=words["guidance"]),
        Block("field", value=data["rounding"]),
    ]


def _amended(data: dict[str, Any], words: dict[str, Any], lang: str) -> list[str]:
    """The allonges the plan was scored as amended by, in the order they applied."""
    from datetime import date

    lines = []
    for a in data.get("amendments") or []:
        when = words["amended_when"].format(date=format_date(date.fromisoformat(a["date"]), lang)) if a["date"] else ""
        lines.append(words["amended"].format(title=a["title"], when=when))
    return lines
