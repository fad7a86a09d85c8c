"""Results files: what an agency reports, read into typed `Result`s.

Two spellings of the same content (docs/scoring.md has the full reference):

TOML (`*.toml`), one `[[result]]` table per requirement or sub-weight member:

    kind = "actual"            # or "expected" (udgiftsopfølgning I-III); per result too
    as_of = 2020-12-31

    [[result]]
    id = "1.4/Beløbsordningen 1. gang"
    value = "92,5 %"
    note = "Opgjort af koncern HR"

CSV (`*.csv`, delimiter `,`, `;` or tab) with a header row naming the same keys;
several values in one cell are separated by `|`, areas and evaluators as
`name=value`.

Reading never scores anything: it checks every entry against the plan's
scoring plan and reports each problem as a `Diagnostic` with the results
file's line and column (codes MRP801-MRP816). A file with errors yields no
results (`ResultsFile.ok` is False).
"""

from __future__ import annotations

import bisect
import csv
import difflib
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal

from mrpl import ast as A
from mrpl.codes import CODES, Code, register
from mrpl.diagnostics import Diagnostic, Related, Severity, has_errors, plural
from mrpl.i18n import describe_target, format_date
from mrpl.keywords import MONTHS_DA, MONTHS_EN
from mrpl.render.escape import csv_cell, toml_string
from mrpl.score import CheckKind, Counts, GoalAssessment, Result, ScoringPlan, State, Status, Unit

E, W = Severity.ERROR, Severity.WARNING

# --------------------------------------------------------------------------
# Diagnostic codes of the results reader (range MRP8xx in mrpl.codes)

_RESULT_CODES: tuple[tuple[str, str, str, Severity, str, str], ...] = (
    (
        "MRP801",
        "unknown-result-id",
        "A result names no requirement of the plan",
        E,
        'The `id` of a result is not the id of a scored requirement ("1.1.a", "2.3") or of a sub-weight member '
        '("1.4/Beløbsordningen 1. gang"). The message suggests the nearest id.',
        "A result under a mistyped id would silently count for nothing.",
    ),
    (
        "MRP802",
        "result-wrong-type",
        "A result value has the wrong type or unit",
        E,
        "A value cannot be read as what the target measures: a percentage for `andel`, a duration for "
        "`gennemsnit`, a number for `antal`, a date for `milepæl`, yes/no for `fastholdt`.",
        "A value in the wrong unit (weeks for days, a text for a number) would be scored as something else.",
    ),
    (
        "MRP803",
        "result-percent-range",
        "A percentage outside 0-100 %",
        E,
        "A share of cases or a fulfilment is reported below 0 % or above 100 %.",
        "Such a share is impossible; it is almost always a typing error.",
    ),
    (
        "MRP804",
        "result-date-outside-period",
        "A delivery date outside the plan's period",
        E,
        "A milestone's delivery date lies before the start or after the end of the contract period.",
        "Deliveries outside the period do not belong to this year's plan; the date is probably mistyped.",
    ),
    (
        "MRP805",
        "result-for-unscored",
        "A result for a requirement that is not scored",
        E,
        "The requirement is marked `ikke scoret` (a support requirement): it carries no points.",
        "A result there suggests the wrong id, or a plan that should score the requirement.",
    ),
    (
        "MRP806",
        "result-for-dropped",
        "A result for a dropped requirement",
        W,
        "The requirement is `udgået` (dropped by agreement): its result is ignored and the total is rebased.",
        "The agency may not know the requirement was dropped.",
    ),
    (
        "MRP807",
        "duplicate-result",
        "Two results for the same id",
        E,
        "The same requirement or member is reported twice.",
        "Which of the two counts would be a guess.",
    ),
    (
        "MRP808",
        "results-unreadable",
        "The results file cannot be read",
        E,
        "The file is not valid TOML, not UTF-8, or its CSV header or `[[result]]` tables are malformed.",
        "Nothing can be scored from a file that cannot be read.",
    ),
    (
        "MRP809",
        "result-unknown-key",
        "An unknown or unused key in a result",
        E,
        "A key (or CSV column) is not one of id, kind, value, delivered, points, areas, baseline, fulfilment, met, "
        "note, title, expects, or it does not apply to this requirement's targets.",
        "A misspelt key (`vaule`) would leave the result empty without a word.",
    ),
    (
        "MRP810",
        "result-count",
        "The wrong number of values",
        E,
        "A requirement with several targets takes one value per measured quantity; a milestone requirement takes "
        "one delivery date per `frist`; a level on N areas takes N levels.",
        "Values would be matched to the wrong target.",
    ),
    (
        "MRP811",
        "result-unknown-area",
        "An area that the target does not list, or a listed area left out",
        E,
        "`areas` must give the level reached on exactly the areas the `niveau` target names.",
        "A missing area cannot be counted as reached or not.",
    ),
    (
        "MRP812",
        "result-points-range",
        "Assessment points below 0 or above the scale's maximum",
        E,
        "The evaluators' points, summed, exceed the maximum of `vurdering ... af N point`, or one is negative.",
        "Points above the maximum are impossible on the scale.",
    ),
    (
        "MRP813",
        "result-kind",
        "An unknown kind of result",
        E,
        '`kind` must be "actual" (year-end result) or "expected" (expected fulfilment at udgiftsopfølgning I-III).',
        "The report says which kind of figures it shows.",
    ),
    (
        "MRP814",
        "result-missing-id",
        "A result without an id",
        E,
        "Every `[[result]]` table (or CSV row) needs an `id`.",
        "Without an id the result belongs to nothing.",
    ),
    (
        "MRP815",
        "result-baseline",
        "A change target without a usable baseline",
        E,
        'An increase or reduction is measured against a baseline value: the plan\'s (`ift. "ultimo 2021" 450`) or '
        "the result's `baseline`. It is missing, zero, or given twice with different values.",
        "Without a baseline the change cannot be computed.",
    ),
    (
        "MRP820",
        "result-not-due",
        "A result for a requirement with nothing due in the year",
        W,
        "In a multi-year plan each results file reports one year (`year = 2017`). The requirement has no target "
        "and no deadline in that year (its targets are `i` other years): its result is ignored.",
        "The result probably belongs to another year's file.",
    ),
    (
        "MRP821",
        "results-year",
        "A results file without a usable year",
        E,
        "A multi-year plan is scored one year at a time: the results file says which year it reports "
        "(`year = 2017` at the top, or `as_of` in that year), and the year lies in the plan's period.",
        "Targets differ from year to year; without the year the results cannot be scored.",
    ),
    (
        "MRP816",
        "result-for-group",
        "A result for a requirement that is scored per part",
        E,
        "The requirement has sub-weight groups; each part (`del`) is reported under its own id.",
        "One figure cannot be split over parts with different targets.",
    ),
)


_RESULT_CODES += (
    (
        "MRP830",
        "result-counts",
        "A share's counts do not add up",
        E,
        'A share reported as counts (`value = { count = 13, of = 26 }`, "13 af 26") needs whole, non-negative numbers, '
        "a count no larger than the population left after exclusions, and a population above 0.",
        "The share is computed from the counts; counts that cannot be a share would give a share that is not one.",
    ),
    (
        "MRP831",
        "result-exclusions",
        "Exclusions without a share given as counts, or without a reason",
        E,
        '`excluded` takes a table of reasons and numbers (`excluded = { "Trukket tilbage af ansøger" = 1 }`), and '
        "only for a requirement whose share is reported as counts.",
        "An exclusion changes the population the share is taken of; the report must say why.",
    ),
    (
        "MRP832",
        "goal-assessment",
        "A goal assessment that the plan does not take",
        E,
        "A `[[goal]]` table (in CSV a row with id `mål 1.1`) names a goal of the plan; its `status` is one of Opfyldt, "
        "Delvist opfyldt, Ikke opfyldt, and is given only for a goal under `målstatus vurdering` (the other rules "
        "compute the status). A `note` may be given for any goal.",
        "A status the rule would overrule, or for a goal that does not exist, would be silently ignored.",
    ),
    (
        "MRP833",
        "result-approval",
        "An approval date that does not fit the milestone",
        E,
        "A milestone with `godkendt af` or `sammen med` takes one approval date per `frist` (`approved`), false for "
        "not approved; a milestone without approval takes none, and a delivery cannot be approved before it is "
        "delivered.",
        "Whether the milestone is met depends on the approval date: late approval means not met.",
    ),
)


def _register_codes() -> None:
    for code, name, title, severity, explanation, why in _RESULT_CODES:
        if code not in CODES:
            register(Code(code, name, title, severity, "results", explanation, why))


_register_codes()

# --------------------------------------------------------------------------
# The file format

KINDS = ("actual", "expected")
TOP_KEYS = ("kind", "as_of", "year", "plan", "result", "goal")  # `plan`: written by --template for people; ignored
GOAL_KEYS = ("id", "status", "note", "title")
GOAL_STATUSES = {"opfyldt": "MET", "delvist opfyldt": "PARTLY", "ikke opfyldt": "NOT_MET",
                 "met": "MET", "partly met": "PARTLY", "not met": "NOT_MET"}  # fmt: skip
KEYS = (
    "id",
    "kind",
    "value",
    "excluded",
    "delivered",
    "approved",
    "points",
    "areas",
    "baseline",
    "fulfilment",
    "met",
    "note",
    "title",
    "expects",
    "status",
)
INFO_KEYS = ("title", "expects")  # written by --template for people; ignored when read
# The columns `--template --template-format csv` writes: every key but `met`, which a value or a
# fulfilment already says (a CSV file may still have a `met` column).
CSV_COLUMNS = tuple(key for key in KEYS if key not in ("met", "status"))

_PERCENT_WORDS = {"%", "pct", "pct.", "procent", "percent"}
_TIME_WORDS = {
    "minutter": ("minut", "minutter", "min", "min.", "minute", "minutes"),
    "timer": ("time", "timer", "hour", "hours"),
    "dage": ("dag", "dage", "day", "days"),
    "uger": ("uge", "uger", "week", "weeks"),
    "måneder": ("måned", "måneder", "month", "months"),
}
_MINUTES = {"minutter": 1, "timer": 60, "dage": 1440, "uger": 10080}
_YES = {"ja", "yes", "true", "sand", "opfyldt"}
_NO = {"nej", "no", "false", "falsk", "ikke opfyldt"}
_NOT_DELIVERED = {"nej", "no", "false", "ikke leveret", "not delivered", "-"}


@dataclass(frozen=True, slots=True)
class Field:
    value: Any
    span: A.Span


@dataclass(slots=True)
class Entry:
    fields: dict[str, Field]
    span: A.Span
    goal: bool = False  # a goal assessment (`[[goal]]`, or a CSV row with id "mål 1.1")


@dataclass(slots=True)
class ResultsFile:
    path: str
    source: str
    results: dict[str, Result] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    kind: str = "actual"
    as_of: date | None = None
    year: int | None = None  # the year reported (multi-year plans)
    assessments: dict[str, GoalAssessment] = field(default_factory=dict)  # `[[goal]]`, by goal number

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


class _Bad:
    """A value that was reported as an error already."""


BAD = _Bad()


def read_results(path: str, splan: ScoringPlan) -> ResultsFile:
    """Read a results file (TOML, or CSV by its extension). Raises OSError if it cannot be opened."""
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        span = A.Span(exc.start, exc.start + 1, line, 1, line, 2, path)
        diag = Diagnostic("MRP808", E, f"the results file is not UTF-8 text (byte 0x{raw[exc.start]:02x})", span,
                          fix="save it as UTF-8 (in Excel: 'CSV UTF-8')")  # fmt: skip
        return ResultsFile(path, raw.decode("utf-8", "replace"), diagnostics=[diag])
    return parse_results(text, path, splan)


def results_year(text: str, path: str, years: range) -> int | Diagnostic:
    """The year a results file for a multi-year plan reports: its `year`, or the year of
    its `as_of`. A diagnostic (MRP821, or MRP808 for a file that cannot be read) otherwise."""
    reader = _read_csv if path.lower().endswith(".csv") else _read_toml
    top, _entries, diagnostics = reader(text, path)
    if has_errors(diagnostics):
        return next(d for d in diagnostics if d.severity is E)
    where = A.Span(0, 0, 1, 1, 1, 2, path)
    f = top.get("year")
    if f is not None and isinstance(f.value, int) and not isinstance(f.value, bool):
        year, where = f.value, f.span
    elif f is None and top.get("as_of") is not None and isinstance(parse_day(top["as_of"].value), date):
        day = parse_day(top["as_of"].value)
        year, where = (day.year if isinstance(day, date) else 0), top["as_of"].span
    else:
        span = f.span if f is not None else where
        first, last = years[0], years[-1]
        return Diagnostic("MRP821", E, f"the plan runs {first}-{last}: say which year this file reports", span,
                          fix=f"write `year = {first}` at the top of the file (CSV: mrplc score --year {first})")  # fmt: skip
    if year not in years:
        return Diagnostic("MRP821", E, f"{year} is not a year of the plan's period ({years[0]}-{years[-1]})", where)
    return year


def parse_results(text: str, path: str, splan: ScoringPlan) -> ResultsFile:
    """Type the results in `text` against the plan; CSV when `path` ends in .csv."""
    reader = _read_csv if path.lower().endswith(".csv") else _read_toml
    top, entries, diagnostics = reader(text, path)
    out = ResultsFile(path, text, diagnostics=diagnostics)
    if has_errors(diagnostics):
        return out
    typer = _Typer(splan, path, out.diagnostics)
    out.kind = typer.kind(top.get("kind"), "actual")
    out.as_of = typer.as_of(top.get("as_of"))
    out.year = splan.year
    goal_entries = [e for e in entries if e.goal]
    results = typer.entries([e for e in entries if not e.goal], out.kind)
    assessments = typer.goal_entries(goal_entries)
    if not has_errors(out.diagnostics):
        out.results = results
        out.assessments = assessments
    return out


# --------------------------------------------------------------------------
# TOML


class _TomlLocator:
    """Lines and columns of keys in TOML text (tomllib gives values only).

    Finds the n-th `[[result]]` header and a key's line inside it; good enough
    for files that tomllib has accepted.
    """

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = text.splitlines(keepends=True)
        self.offsets = [0]
        for line in self.lines:
            self.offsets.append(self.offsets[-1] + len(line))
        self.tables = [i for i, line in enumerate(self.lines) if re.match(r"\s*\[", line)]
        self.headers = self._headers("result")
        self.goal_headers = self._headers("goal")

    def _headers(self, name: str) -> list[int]:
        return [i for i in self.tables if re.match(rf'\s*\[\[\s*"?{name}"?\s*\]\]', self.lines[i])]

    def _span(self, index: int, column: int) -> A.Span:
        text = self.lines[index].rstrip("\r\n") if index < len(self.lines) else ""
        end = max(len(text.rstrip()), column + 1)
        start = self.offsets[index] + column if index < len(self.lines) else 0
        return A.Span(start, start + end - column, index + 1, column + 1, index + 1, end + 1, self.path)

    def _block(self, n: int | None, table: str = "result") -> range:
        headers = self.goal_headers if table == "goal" else self.headers
        if n is None:
            return range(0, self.tables[0] if self.tables else len(self.lines))
        if n >= len(headers):
            return range(0, 0)
        start = headers[n]
        following = bisect.bisect_right(self.tables, start)  # not a scan: thousands of results stay linear
        return range(start, self.tables[following] if following < len(self.tables) else len(self.lines))

    def header(self, n: int, table: str = "result") -> A.Span:
        headers = self.goal_headers if table == "goal" else self.headers
        if n < len(headers):
            return self._span(headers[n], len(self.lines[headers[n]]) - len(self.lines[headers[n]].lstrip()))
        return self.key(table, None)

    def key(self, key: str, n: int | None, table: str = "result") -> A.Span:
        pattern = re.compile(rf'\s*(?:{re.escape(key)}|"{re.escape(key)}")\s*=\s*')
        for i in self._block(n, table):
            match = pattern.match(self.lines[i])
            if match:
                return self._span(i, match.end())
        return self.header(n, table) if n is not None else self._span(0, 0)


def _toml_error_span(exc: tomllib.TOMLDecodeError, path: str) -> A.Span:
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    line, col = (int(match[1]), int(match[2])) if match else (1, 1)
    return A.Span(0, 0, line, col, line, col + 1, path)


MAX_TOML_NESTING = 8


def _nesting(value: Any) -> int:
    """How deep lists and tables nest in `value` (without recursion: any depth is measured)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return deepest


def _read_toml(text: str, path: str) -> tuple[dict[str, Field], list[Entry], list[Diagnostic]]:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except RecursionError:
        span = A.Span(0, 0, 1, 1, 1, 2, path)
        return {}, [], [Diagnostic("MRP808", E, "not valid TOML: arrays or tables nested too deeply", span)]
    except tomllib.TOMLDecodeError as exc:
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        return {}, [], [Diagnostic("MRP808", E, f"not valid TOML: {message}", _toml_error_span(exc, path))]
    where = _TomlLocator(text, path)
    if _nesting(data) > MAX_TOML_NESTING:
        span = A.Span(0, 0, 1, 1, 1, 2, path)
        message = f"arrays or tables nested more than {MAX_TOML_NESTING} deep; a results file needs three levels"
        return {}, [], [Diagnostic("MRP808", E, message, span)]
    diagnostics: list[Diagnostic] = []
    top: dict[str, Field] = {}
    for key, value in data.items():
        if key not in TOP_KEYS:
            diagnostics.append(_unknown_key(key, TOP_KEYS, where.key(key, None)))
        elif key != "result":
            top[key] = Field(value, where.key(key, None))
    tables = data.get("result", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        span = where.key("result", None) if "result" in text else where.header(0)
        diagnostics.append(Diagnostic("MRP808", E, "results must be `[[result]]` tables", span,
                                      fix='write each result as a table: [[result]] id = "1.1.a" value = "92 %"'))  # fmt: skip
        return top, [], diagnostics
    entries = [
        Entry({k: Field(v, where.key(k, n)) for k, v in table.items()}, where.header(n))
        for n, table in enumerate(tables)
    ]
    goals = data.get("goal", [])
    if not isinstance(goals, list) or not all(isinstance(t, dict) for t in goals):
        diagnostics.append(Diagnostic("MRP808", E, "goal assessments must be `[[goal]]` tables", where.key("goal", None),
                                      fix='write each as a table: [[goal]] id = "1.1" status = "Opfyldt"'))  # fmt: skip
        return top, entries, diagnostics
    for n, table in enumerate(goals):
        span = where.header(n, "goal")
        entries.append(Entry({k: Field(v, where.key(k, n, "goal")) for k, v in table.items()}, span, goal=True))
    return top, entries, diagnostics


# --------------------------------------------------------------------------
# CSV


def _cell_columns(line: str, delimiter: str) -> list[int]:
    """0-based start column of each cell of one physical CSV line."""
    starts, quoted = [0], False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            starts.append(i + 1)
    return starts


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_cell(name: str, cell: str) -> Any:
    """A CSV cell in the shape TOML would give: lists for `|`, tables for name=value."""
    text = cell.strip()
    if name not in ("value", "delivered", "approved", "points", "areas", "excluded"):
        return text
    parts = [p.strip() for p in text.split("|")] if "|" in text else [text]
    if name in ("points", "areas", "excluded") and any("=" in p or ":" in p for p in parts):
        table: dict[str, str] = {}
        for p in parts:
            key, _, value = p.partition("=") if "=" in p else p.partition(":")
            table[key.strip()] = value.strip()
        return table
    return parts if len(parts) > 1 else text


def _rows(reader: Any, path: str, diagnostics: list[Diagnostic]) -> Iterable[list[str]]:
    """The reader's rows; a row the csv module refuses (a cell over 128 KiB) ends the file
    with a diagnostic at its line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num
            span = A.Span(0, 0, line, 1, line, 2, path)
            why = f"a cell is longer than {csv.field_size_limit() // 1024} KiB" if "field limit" in str(exc) else exc
            diagnostics.append(Diagnostic("MRP808", E, f"not valid CSV: {why}", span))
            return
        yield row


def _read_csv(text: str, path: str) -> tuple[dict[str, Field], list[Entry], list[Diagnostic]]:
    physical = text.splitlines()
    first = next((i for i, line in enumerate(physical) if line.strip()), None)
    if first is None:
        return {}, [], []
    delimiter = _sniff_delimiter(physical[first])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    diagnostics: list[Diagnostic] = []
    header: list[str] = []
    entries: list[Entry] = []
    previous_end = 0
    for row in _rows(reader, path, diagnostics):
        start, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        line_text = physical[start - 1] if start - 1 < len(physical) else ""
        columns = _cell_columns(line_text, delimiter) if start == reader.line_num else [0] * len(row)
        columns += [0] * (len(row) - len(columns))

        def span(i: int, start: int = start, columns: list[int] = columns, row: list[str] = row) -> A.Span:
            col = columns[i]
            return A.Span(0, 0, start, col + 1, start, col + 1 + max(1, len(row[i])), path)

        if not header:
            header = [cell.strip().lower() for cell in row]
            for i, name in enumerate(header):
                if name not in KEYS:
                    diagnostics.append(_unknown_key(name, KEYS, span(i)))
                elif name in header[:i]:
                    diagnostics.append(Diagnostic("MRP808", E, f"the CSV header names the column `{name}` twice",
                                                  span(i), fix="keep one column of each name"))  # fmt: skip
            if "id" not in header:
                diagnostics.append(Diagnostic("MRP808", E, "the CSV header has no `id` column", span(0),
                                              fix="the first row names the columns: " + ",".join(CSV_COLUMNS)))  # fmt: skip
            continue
        if len(row) > len(header):
            diagnostics.append(Diagnostic("MRP808", E, f"this row has {plural(len(row), 'cell', 'cells')}, the header {len(header)}",
                                          span(len(header))))  # fmt: skip
            continue
        fields = {
            name: Field(_csv_cell(name, cell), span(i))
            for i, (name, cell) in enumerate(zip(header, row, strict=False))
            if cell.strip() and name in KEYS
        }
        goal_id = _goal_row_id(fields.get("id"))
        if goal_id is not None:
            fields["id"] = Field(goal_id, fields["id"].span)
        entries.append(Entry(fields, span(0), goal=goal_id is not None))
    return {}, entries, diagnostics


def _goal_row_id(f: Field | None) -> str | None:
    """The goal number of a CSV row that assesses a goal ("mål 1.1" -> "1.1"), else None."""
    if f is None or not isinstance(f.value, str):
        return None
    match = re.fullmatch(r"\s*(mål|goal)\s+(\S.*?)\s*", f.value, flags=re.IGNORECASE)
    return match[2] if match else None


# --------------------------------------------------------------------------
# Typing entries against the scoring plan


def _unknown_key(key: str, known: Iterable[str], span: A.Span) -> Diagnostic:
    near = difflib.get_close_matches(key, list(known), n=1)
    fix = f"did you mean `{near[0]}`?" if near else f"known keys: {', '.join(known)}"
    return Diagnostic("MRP809", E, f"unknown key `{key}`", span, fix=fix)


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | dict) and not value)


def parse_number(raw: Any) -> tuple[Decimal, str | None] | str:
    """A number with an optional unit word ("92,5 %", 118, "3 uger"), or an error message.

    Text uses Danish number format (decimal comma, dot for thousands) via Babel;
    TOML numbers are taken as they are.
    """
    if isinstance(raw, bool):
        return "expected a number, not true/false"
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
        return _out_of_range(number, str(raw)) or (number, None)
    if not isinstance(raw, str):
        return f"expected a number, not {_type_name(raw)}"
    match = re.fullmatch(r"\s*([+-]?\d[\d.,]*)\s*(.*?)\s*", raw)
    if not match:
        return f"expected a number, not {_shorten(raw)!r}"
    if len(match[1]) > 2 * MAX_RESULT_DIGITS:  # before Babel: no number of thousands of digits is parsed
        return _too_long(match[1])
    try:
        number = parse_decimal(match[1], locale="da_DK", strict=True)
    except NumberFormatError as exc:
        hint = f" (did you mean {exc.suggestions[-1]}?)" if getattr(exc, "suggestions", None) else ""
        return f"{match[1]!r} is not a Danish number{hint}: write decimals with a comma, 92,5"
    return _out_of_range(number, match[1]) or (number, _unit_word(match[2]))


# The largest result: as the plan's own numbers (mrpl.parse.MAX_DIGITS), at most 15 digits before
# the decimal point and 15 after, so that every sum, share and printed figure stays exact.
MAX_RESULT_DIGITS = 15


def _out_of_range(number: Decimal, written: str) -> str | None:
    """Why `number` cannot be a result (not finite, too many digits), or None."""
    if not number.is_finite():
        return f"expected a number, not {written}"
    _sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # a finite number's exponent
    if len(digits) + exponent > MAX_RESULT_DIGITS or -exponent > MAX_RESULT_DIGITS:
        return _too_long(written)
    return None


def _too_long(written: str) -> str:
    return (
        f"{_shorten(written)} has too many digits: a result has at most {MAX_RESULT_DIGITS} "
        f"before the decimal comma and {MAX_RESULT_DIGITS} after"
    )


def _shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def _unit_word(word: str) -> str | None:
    w = word.strip().lower()
    if not w:
        return None
    if w in _PERCENT_WORDS:
        return "%"
    if w in ("point", "points"):
        return "point"
    for unit, spellings in _TIME_WORDS.items():
        if w in spellings:
            return unit
    return w


def _type_name(value: Any) -> str:
    match value:
        case bool():
            return "true/false"
        case list():
            return "a list"
        case dict():
            return "a table"
        case datetime():
            return "a date with a time"
        case date():
            return "a date"
    return type(value).__name__


def parse_day(raw: Any) -> date | str | None:
    """A delivery date: a TOML date, "2020-06-15", "15-06-2020", "15. juni 2020";
    false / "nej" / "ikke leveret" for not delivered (None). An error message otherwise."""
    if raw is False:
        return None
    if isinstance(raw, datetime):
        return "expected a date without a time of day"
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        return f"expected a delivery date, not {_type_name(raw)}"
    text = raw.strip().lower()
    if text in _NOT_DELIVERED:
        return None
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})", text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if (m := re.fullmatch(r"(\d{1,2})\.?\s+(\w+)\s+(\d{4})", text)) and m[2] in (*MONTHS_DA, *MONTHS_EN):
            months = MONTHS_DA if m[2] in MONTHS_DA else MONTHS_EN
            return date(int(m[3]), months.index(m[2]) + 1, int(m[1]))
    except ValueError:
        return f"{raw!r} is not a date in the calendar"
    return f"expected a delivery date (2020-06-15, or false if not delivered), not {raw!r}"


def parse_yes_no(raw: Any) -> bool | str:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _YES | _NO:
        return raw.strip().lower() in _YES
    return f"expected true or false (ja/nej), not {raw!r}"


class _Typer:
    def __init__(self, splan: ScoringPlan, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.period = splan.period
        self.year = splan.year
        self.units: dict[str, Unit] = {u.id: u for u in splan.units()}
        self.goals = {g.number: g for g in splan.goals}
        self.others: dict[str, str] = {}  # ids that are known but take no result -> why
        for req in splan.requirements():
            if req.state is State.UNSCORED:
                self.others[req.id] = "unscored"
            elif req.state is State.NOT_DUE:
                for uid in {req.id, *(u.id for u in req.units)}:
                    self.others[uid] = "not_due"
            elif req.state is State.DROPPED:
                for uid in {req.id, *(u.id for u in req.units)}:
                    self.others[uid] = "dropped:" + (req.dropped_reason or "")
            elif req.grouped:
                self.others[req.id] = "grouped:" + ", ".join(u.id for u in req.units)

    def error(self, code: str, message: str, span: A.Span, fix: str | None = None, severity: Severity = E) -> _Bad:
        self.diagnostics.append(Diagnostic(code, severity, message, span, fix=fix))
        return BAD

    # ---- file level

    def kind(self, f: Field | None, default: str) -> str:
        if f is None or _empty(f.value):
            return default
        if f.value not in KINDS:
            self.error("MRP813", f"unknown kind {f.value!r}", f.span, fix='use "actual" or "expected"')
            return default
        return str(f.value)

    def as_of(self, f: Field | None) -> date | None:
        if f is None or _empty(f.value):
            return None
        day = parse_day(f.value)
        if isinstance(day, date):
            return day
        self.error("MRP802", f"`as_of`: {day or 'expected a date'}", f.span)
        return None

    def entries(self, entries: list[Entry], default_kind: str) -> dict[str, Result]:
        results: dict[str, Result] = {}
        first_seen: dict[str, A.Span] = {}
        for entry in entries:
            uid = self._id(entry)
            if uid is None:
                continue
            if uid in first_seen:
                self.diagnostics.append(Diagnostic(
                    "MRP807", E, f"a second result for {uid}", entry.fields["id"].span,
                    related=(Related(first_seen[uid], "the first result for it"),),
                    fix="keep one result per id"))  # fmt: skip
                continue
            first_seen[uid] = entry.fields["id"].span
            result = self._result(self.units[uid], entry, default_kind)
            if result is not None:
                results[uid] = result
        return results

    def goal_entries(self, entries: list[Entry]) -> dict[str, GoalAssessment]:
        """The department's goal assessments (`[[goal]]`): a status for goals under `målstatus vurdering`,
        a note for any goal."""
        out: dict[str, GoalAssessment] = {}
        for entry in entries:
            f = entry.fields.get("id")
            if f is None or _empty(f.value):
                self.error("MRP814", "this goal assessment has no `id`", entry.span, fix='add id = "1.1"')
                continue
            number = str(f.value).strip()
            goal = self.goals.get(number)
            if goal is None:
                near = difflib.get_close_matches(number, list(self.goals), n=1, cutoff=0.5)
                fix = f"did you mean {near[0]}?" if near else f"the goals are: {', '.join(self.goals)}"
                self.error("MRP832", f"the plan has no goal {number}", f.span, fix=fix)
                continue
            if number in out:
                self.error("MRP807", f"a second assessment of goal {number}", f.span, fix="keep one per goal")
                continue
            for key, field_ in entry.fields.items():
                if key not in GOAL_KEYS and not _empty(field_.value):
                    self.error("MRP809", f"goal {number}: unknown key `{key}`", field_.span,
                               fix=f"a goal assessment takes: {', '.join(GOAL_KEYS)}")  # fmt: skip
            status = self._goal_status(goal.number, goal.rule.kind, entry.fields.get("status"))
            note = entry.fields.get("note")
            text = str(note.value).strip() if note is not None and not _empty(note.value) else None
            if not isinstance(status, _Bad):
                out[number] = GoalAssessment(number, status, text or None, entry.span)
        return out

    def _goal_status(self, number: str, rule: str, f: Field | None) -> Status | _Bad | None:
        if f is None or _empty(f.value):
            return None
        if rule != A.GoalRuleKind.ASSESSMENT.value:
            return self.error("MRP832", f"goal {number}'s status follows from its requirements (its rule is not "
                              "`målstatus vurdering`)", f.span, fix="leave out `status`; a `note` is welcome")  # fmt: skip
        word = " ".join(str(f.value).split()).lower()
        if word not in GOAL_STATUSES:
            return self.error("MRP832", f"goal {number}: unknown status {f.value!r}", f.span,
                              fix='one of "Opfyldt", "Delvist opfyldt", "Ikke opfyldt"')  # fmt: skip
        return Status[GOAL_STATUSES[word]]

    def _id(self, entry: Entry) -> str | None:
        f = entry.fields.get("id")
        if f is None or _empty(f.value):
            self.error("MRP814", "this result has no `id`", entry.span, fix='add id = "1.1.a"')
            return None
        if not isinstance(f.value, str):
            self.error("MRP802", f"`id` must be text, not {_type_name(f.value)}", f.span, fix=f'write id = "{f.value}"')
            return None
        uid = f.value.strip()
        if uid in self.units:
            return uid
        why = self.others.get(uid)
        if why == "not_due":
            self.error("MRP820", f"{uid} has nothing due in {self.year}: this result is ignored", f.span, severity=W)
        elif why == "unscored":
            self.error("MRP805", f"{uid} is not scored (`ikke scoret`): it takes no result", f.span)
        elif why is not None and why.startswith("dropped:"):
            reason = why.partition(":")[2]
            self.error("MRP806", f"{uid} is dropped ({reason}): this result is ignored", f.span, severity=W)
        elif why is not None and why.startswith("grouped:"):
            parts = why.partition(":")[2]
            self.error("MRP816", f"{uid} is scored per part: report each part", f.span, fix=f"use the ids {parts}")
        else:
            near = difflib.get_close_matches(uid, [*self.units, *self.others], n=1, cutoff=0.5)
            fix = f"did you mean {near[0]}?" if near else "`mrplc score --template PLAN` lists every id"
            self.error("MRP801", f"the plan has no requirement {uid}", f.span, fix=fix)
        return None

    # ---- one result

    def _result(self, unit: Unit, entry: Entry, default_kind: str) -> Result | None:
        fields = entry.fields
        kinds = {c.kind for c in unit.checks}
        allowed = {"id", "kind", "note", *INFO_KEYS}
        if unit.value_count:
            allowed.add("value")
        if CheckKind.SHARE in kinds:
            allowed.add("excluded")
        if CheckKind.MILESTONE in kinds:
            allowed.add("delivered")
        if any(c.approval is not None for c in unit.checks):
            allowed.add("approved")
        if CheckKind.ASSESSMENT in kinds:
            allowed.add("points")
        if CheckKind.LEVEL in kinds:
            allowed.add("areas")
        if CheckKind.CHANGE in kinds:
            allowed.add("baseline")
        if CheckKind.MANUAL in kinds:
            allowed |= {"fulfilment", "met", "value"}
        errors_before = len(self.diagnostics)
        for key, f in fields.items():
            if key not in KEYS:
                self.diagnostics.append(_unknown_key(key, KEYS, f.span))
            elif key not in allowed and not _empty(f.value):
                self.error(
                    "MRP809",
                    f"{unit.id} does not use `{key}`",
                    f.span,
                    fix=f"it takes: {', '.join(sorted(allowed - {'id', *INFO_KEYS}))}",
                )
        note = fields.get("note")
        kind = self.kind(fields.get("kind"), default_kind)
        values, counts = self._values(unit, fields.get("value")) if unit.value_count else ((), ())
        counts = self._excluded(unit, counts, fields.get("excluded"))
        delivered = self._delivered(unit, fields.get("delivered"))
        result = Result(
            id=unit.id,
            kind=kind,
            values=values,
            counts=counts,
            delivered=delivered,
            approved=self._approved(unit, fields.get("approved"), delivered),
            points=self._points(unit, fields.get("points")),
            areas=self._areas(unit, fields.get("areas")),
            baseline=self._baseline(unit, fields.get("baseline")),
            fulfilment=self._fulfilment(unit, fields.get("fulfilment")),
            met=self._met(unit, fields.get("met"), fields.get("value")),
            note=str(note.value).strip() or None if note is not None and not _empty(note.value) else None,
            span=entry.span,
        )
        if has_errors(self.diagnostics[errors_before:]):
            return None
        return result

    def _values(
        self, unit: Unit, f: Field | None
    ) -> tuple[tuple[Decimal | bool | None, ...], tuple[Counts | None, ...]]:
        """One value per measured quantity; a share may come as counts instead (then its value is None)."""
        count = unit.value_count
        if f is None or _empty(f.value):
            return (None,) * count, (None,) * count
        raw = f.value if isinstance(f.value, list) else [f.value]
        if len(raw) != count:
            what = "; ".join(_describe(c.target) for c in _value_checks(unit))
            self.error("MRP810", f"{unit.id} takes {plural(count, 'value', 'values')}, one per target, not {len(raw)}", f.span,
                       fix=f"in this order: {what}" if count > 1 else "write a single value")  # fmt: skip
            return (None,) * count, (None,) * count
        out: list[Decimal | bool | None] = []
        counts: list[Counts | None] = []
        for slot, item in enumerate(raw):
            check = next(c for c in unit.checks if c.slot == slot)
            given = self._counts(unit, check, item, f.span) if check.kind is CheckKind.SHARE else None
            if given is not None:
                out.append(None)
                counts.append(None if isinstance(given, _Bad) else given)
                continue
            value = None if _empty(item) else self._value(unit, check, item, f.span)
            out.append(None if isinstance(value, _Bad) else value)
            counts.append(None)
        return tuple(out), tuple(counts)

    def _counts(self, unit: Unit, check: Any, raw: Any, span: A.Span) -> Counts | _Bad | None:
        """A share given as counts: `{ count = 13, of = 26 }` or "13 af 26" / "13/26"; None for a percentage."""
        if isinstance(raw, dict):
            unknown = [k for k in raw if k not in ("count", "of")]
            if unknown or "count" not in raw or "of" not in raw:
                return self.error("MRP830", f"{unit.id}: a share as counts is {{ count = N, of = M }}", span,
                                  fix="e.g. value = { count = 13, of = 26 }")  # fmt: skip
            numerator, denominator = raw["count"], raw["of"]
        elif isinstance(raw, str) and (m := re.fullmatch(r"\s*(\S+)\s*(?:/|af|of)\s*(\S+)\s*", raw)):
            numerator, denominator = m[1], m[2]
        else:
            return None
        numbers = [self._whole(unit, n, span) for n in (numerator, denominator)]
        if any(isinstance(n, _Bad) for n in numbers):
            return BAD
        num, den = (n for n in numbers if isinstance(n, Decimal))
        if num > den:
            return self.error("MRP830", f"{unit.id}: {num} of {den} is more than all", span)
        if den == 0:
            return self.error("MRP830", f"{unit.id}: a share of 0 cases cannot be computed", span,
                              fix="leave the value empty (not reported) until there are cases")  # fmt: skip
        return Counts(num, den)

    def _whole(self, unit: Unit, raw: Any, span: A.Span) -> Decimal | _Bad:
        parsed = parse_number(raw)
        if isinstance(parsed, str):
            return self.error("MRP830", f"{unit.id}: {parsed}", span)
        number, word = parsed
        if word is not None or number < 0 or number != number.to_integral_value():
            return self.error("MRP830", f"{unit.id}: counts are whole numbers of cases, not {raw!r}", span)
        return number

    def _excluded(self, unit: Unit, counts: tuple[Counts | None, ...], f: Field | None) -> tuple[Counts | None, ...]:
        """Exclusions (reason -> number) taken out of the one share given as counts."""
        if f is None or _empty(f.value):
            return counts
        given = [i for i, c in enumerate(counts) if c is not None]
        if len(given) != 1:
            why = "no share is given as counts" if not given else "several shares are given as counts"
            self.error("MRP831", f"{unit.id}: `excluded` needs one share given as counts ({why})", f.span,
                       fix="value = { count = 13, of = 26 } and excluded = { \"reason\" = 1 }")  # fmt: skip
            return counts
        if not isinstance(f.value, dict) or not f.value:
            self.error("MRP831", f"{unit.id}: exclusions are given with their reasons", f.span,
                       fix='excluded = { "Trukket tilbage af ansøger" = 1 }')  # fmt: skip
            return counts
        reasons: list[tuple[str, Decimal]] = []
        for reason, raw in f.value.items():
            number = self._whole(unit, raw, f.span)
            if isinstance(number, _Bad):
                return counts
            if not str(reason).strip():
                self.error("MRP831", f"{unit.id}: an exclusion without a reason", f.span)
                return counts
            reasons.append((str(reason).strip(), number))
        slot = given[0]
        old = counts[slot]
        assert old is not None
        new = Counts(old.numerator, old.denominator, tuple(reasons))
        if new.base <= 0:
            self.error(
                "MRP830", f"{unit.id}: {new.excluded_total} excluded of {old.denominator} leaves no cases", f.span
            )
            return counts
        if new.numerator > new.base:
            self.error("MRP830", f"{unit.id}: {new.numerator} of {new.base} (after {new.excluded_total} excluded) "
                       "is more than all", f.span)  # fmt: skip
            return counts
        return tuple(new if i == slot else c for i, c in enumerate(counts))

    def _approved(self, unit: Unit, f: Field | None, delivered: tuple[date | None, ...]) -> tuple[date | None, ...]:
        """Approval dates of a milestone with `godkendt af` / `sammen med`: one per deadline, false for none."""
        check = next((c for c in unit.checks if c.kind is CheckKind.MILESTONE and c.approval is not None), None)
        if check is None or f is None or _empty(f.value):
            return ()
        raw = f.value if isinstance(f.value, list) else [f.value]
        if len(raw) != len(check.deadlines):
            self.error("MRP833", f"{unit.id} has {len(check.deadlines)} milestone(s), not {len(raw)} approval date(s)",
                       f.span, fix="one date per `frist`, in order; false for one not approved")  # fmt: skip
            return ()
        days: list[date | None] = []
        for n, item in enumerate(raw):
            if isinstance(item, str) and not item.strip():
                return ()
            day = parse_day(item)
            if isinstance(day, str):
                self.error("MRP802", f"{unit.id}: approved: {day}", f.span)
                return ()
            if (
                day is not None
                and self.period is not None
                and not self.period.contains(day)
                and day < self.period.start
            ):
                self.error("MRP804", f"{unit.id}: approved {format_date(day)}, before the plan's period", f.span)
                return ()
            handed_in = delivered[n] if n < len(delivered) else None
            if day is not None and handed_in is not None and day < handed_in:
                self.error("MRP833", f"{unit.id}: approved {format_date(day)}, before it was delivered "
                           f"({format_date(handed_in)})", f.span)  # fmt: skip
                return ()
            days.append(day)
        return tuple(days)

    def _value(self, unit: Unit, check: Any, raw: Any, span: A.Span) -> Decimal | bool | _Bad:
        if check.kind is CheckKind.STATUS:
            answer = parse_yes_no(raw)
            return self.error("MRP802", f"{unit.id}: {answer}", span) if isinstance(answer, str) else answer
        parsed = parse_number(raw)
        if isinstance(parsed, str):
            return self.error("MRP802", f"{unit.id}: {parsed}", span, fix=_hint(check))
        number, word = parsed
        match check.kind:
            case CheckKind.SHARE:
                if word not in (None, "%"):
                    return self.error(
                        "MRP802", f"{unit.id}: a share is a percentage, not {word}", span, fix=_hint(check)
                    )
                if not 0 <= number <= 100:
                    return self.error("MRP803", f"{unit.id}: a share of {number} % is outside 0-100 %", span)
            case CheckKind.TIME:
                converted = _convert_time(number, word, check.unit)
                if converted is None:
                    return self.error("MRP802", f"{unit.id}: expected a duration in {check.unit}, not {word}", span,
                                      fix=_hint(check))  # fmt: skip
                number = converted
            case CheckKind.COUNT | CheckKind.CHANGE:
                if word == "%" or word in _MINUTES or word == "måneder":
                    return self.error(
                        "MRP802", f"{unit.id}: expected a number, not a value in {word}", span, fix=_hint(check)
                    )
        if number < 0:
            return self.error("MRP802", f"{unit.id}: a negative value ({number}) cannot be a result", span)
        return number

    def _delivered(self, unit: Unit, f: Field | None) -> tuple[date | None, ...]:
        check = next((c for c in unit.checks if c.kind is CheckKind.MILESTONE), None)
        if check is None or f is None or _empty(f.value):
            return ()
        raw = f.value if isinstance(f.value, list) else [f.value]
        if len(raw) != len(check.deadlines):
            due = ", ".join(check.deadline_words)
            self.error("MRP810", f"{unit.id} has {plural(len(check.deadlines), 'milestone', 'milestones')} ({due}), "
                       f"not {plural(len(raw), 'delivery date', 'delivery dates')}",
                       f.span, fix="one date per `frist`, in order; false for a milestone not delivered")  # fmt: skip
            return ()
        days: list[date | None] = []
        for item in raw:
            if isinstance(item, str) and not item.strip():
                return ()  # a milestone not filled in: the result is incomplete
            day = parse_day(item)
            if isinstance(day, str):
                self.error("MRP802", f"{unit.id}: {day}", f.span)
                return ()
            if day is not None and self.period is not None and not self.period.contains(day):
                start, end = format_date(self.period.start), format_date(self.period.end)
                self.error(
                    "MRP804", f"{unit.id}: {format_date(day)} is outside the plan's period ({start} – {end})", f.span
                )
                return ()
            days.append(day)
        return tuple(days)

    def _points(self, unit: Unit, f: Field | None) -> Decimal | None:
        check = next((c for c in unit.checks if c.kind is CheckKind.ASSESSMENT), None)
        if check is None or f is None or _empty(f.value):
            return None
        total = Decimal(0)
        for item in _leaves(f.value):
            parsed = parse_number(item)
            if isinstance(parsed, str):
                self.error("MRP802", f"{unit.id}: points: {parsed}", f.span)
                return None
            if parsed[1] not in (None, "point"):
                self.error("MRP802", f"{unit.id}: points are points, not {parsed[1]}", f.span)
                return None
            if parsed[0] < 0:
                self.error("MRP812", f"{unit.id}: negative points ({parsed[0]})", f.span)
                return None
            total += parsed[0]
        if check.maximum is not None and total > check.maximum:
            self.error(
                "MRP812",
                f"{unit.id}: {plural(total, 'point', 'points')} in all, above the scale's maximum of {check.maximum}",
                f.span,
            )
            return None
        return total

    def _areas(self, unit: Unit, f: Field | None) -> tuple[tuple[str, Decimal], ...]:
        check = next((c for c in unit.checks if c.kind is CheckKind.LEVEL), None)
        if check is None or f is None or _empty(f.value):
            return ()
        if not isinstance(f.value, dict):  # one level for every area
            names = check.areas or tuple(f"{n + 1}" for n in range(check.area_count or 1))
            raw: dict[str, Any] = dict.fromkeys(names, f.value)
        else:
            raw = f.value
        levels: list[tuple[str, Decimal]] = []
        for name, value in raw.items():
            if check.areas and name not in check.areas:
                near = difflib.get_close_matches(name, list(check.areas), n=1)
                fix = f"did you mean {near[0]!r}?" if near else f"the areas are: {', '.join(check.areas)}"
                self.error("MRP811", f"{unit.id}: the target lists no area {name!r}", f.span, fix=fix)
                return ()
            if check.level_words is not None:  # a level in words: reached or not
                if not isinstance(value, bool):
                    self.error("MRP802", f"{unit.id}: whether {name!r} reached {check.level_words!r}: write true "
                               f"or false, not {value!r}", f.span)  # fmt: skip
                    return ()
                levels.append((name, Decimal(int(value))))
                continue
            parsed = parse_number(value)
            if isinstance(parsed, str) or parsed[0] < 0:
                self.error(
                    "MRP802",
                    f"{unit.id}: the level of {name!r}: {parsed if isinstance(parsed, str) else 'negative'}",
                    f.span,
                )
                return ()
            levels.append((name, parsed[0]))
        missing = [a for a in check.areas if a not in raw]
        if missing:
            self.error("MRP811", f"{unit.id}: no level reported for {', '.join(repr(a) for a in missing)}", f.span)
            return ()
        if check.area_count is not None and not check.areas and len(levels) != check.area_count:
            self.error(
                "MRP810",
                f"{unit.id}: the target counts {plural(check.area_count, 'area', 'areas')}, not {len(levels)}",
                f.span,
            )
            return ()
        return tuple(levels)

    def _baseline(self, unit: Unit, f: Field | None) -> Decimal | None:
        check = next((c for c in unit.checks if c.kind is CheckKind.CHANGE), None)
        if check is None:
            return None
        if f is None or _empty(f.value):
            return None
        parsed = parse_number(f.value)
        if isinstance(parsed, str):
            self.error("MRP802", f"{unit.id}: baseline: {parsed}", f.span)
            return None
        value = parsed[0]
        if check.baseline is not None and value != check.baseline:
            self.error("MRP815", f"{unit.id}: the plan fixes the baseline at {check.baseline}, not {value}", f.span,
                       fix="leave `baseline` out")  # fmt: skip
        elif value == 0:
            self.error("MRP815", f"{unit.id}: a baseline of 0 cannot measure a change in percent", f.span)
        return value

    def _fulfilment(self, unit: Unit, f: Field | None) -> Decimal | None:
        if f is None or _empty(f.value) or not any(c.kind is CheckKind.MANUAL for c in unit.checks):
            return None
        parsed = parse_number(f.value)
        if isinstance(parsed, str) or parsed[1] not in (None, "%"):
            self.error("MRP802", f'{unit.id}: fulfilment is a percentage, e.g. "75 %"', f.span)
            return None
        if not 0 <= parsed[0] <= 100:
            self.error("MRP803", f"{unit.id}: a fulfilment of {parsed[0]} % is outside 0-100 %", f.span)
            return None
        return parsed[0] / 100

    def _met(self, unit: Unit, f: Field | None, value: Field | None) -> bool | None:
        if not any(c.kind is CheckKind.MANUAL for c in unit.checks):
            return None
        source = f if f is not None and not _empty(f.value) else value
        if source is None or _empty(source.value):
            return None
        answer = parse_yes_no(source.value)
        if isinstance(answer, str):
            self.error("MRP802", f"{unit.id}: met: {answer}", source.span)
            return None
        return answer


def _leaves(value: Any) -> Iterable[Any]:
    """Every number in a points value: a number, a list, or a table of evaluators."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _convert_time(number: Decimal, word: str | None, unit: str | None) -> Decimal | None:
    """`number` in `word` expressed in the target's `unit` (exact factors only)."""
    if word is None or word == unit:
        return number
    if word in _MINUTES and unit in _MINUTES:
        return number * _MINUTES[word] / _MINUTES[unit]
    return None


def _value_checks(unit: Unit) -> list[Any]:
    seen: dict[int, Any] = {}
    for c in unit.checks:
        if c.slot is not None:
            seen.setdefault(c.slot, c)
    return [seen[k] for k in sorted(seen)]


def _describe(target: A.Target | None) -> str:
    return describe_target(target) if target is not None else "opfyldelse"


def _hint(check: Any) -> str:
    match check.kind:
        case CheckKind.SHARE:
            return 'a percentage, e.g. value = "92,5 %"'
        case CheckKind.TIME:
            return f'a duration, e.g. value = "118 {check.unit}"'
        case CheckKind.COUNT:
            return "a number, e.g. value = 6"
        case CheckKind.CHANGE:
            return "the level reached (a number), e.g. value = 405"
    return ""


# --------------------------------------------------------------------------
# The empty results file (`mrplc score --template`)


def expects(unit: Unit) -> dict[str, str]:
    """What to fill in for a unit: key -> explanation (Danish), in file order."""
    out: dict[str, str] = {}
    values = _value_checks(unit)
    if values:
        parts = [f"{_slot_words(unit, c.slot)} ({_kind_words(c)})" for c in values]
        out["value"] = ("en værdi: " if len(parts) == 1 else "en liste med en værdi pr. måltal: ") + "; ".join(parts)
    for c in unit.checks:
        if c.kind is CheckKind.MILESTONE:
            due = ", ".join(f"{w} ({format_date(d)})" for w, d in zip(c.deadline_words, c.deadlines, strict=True))
            out["delivered"] = f"leveringsdato pr. frist: {due}; false = ikke leveret"
            if c.approval is not None:
                verb = "godkendt af" if c.approval == A.ApprovalKind.APPROVED.value else "aftalt med"
                out["approved"] = f"datoen, hvor milepælen blev {verb} {c.party}, pr. frist; false = ikke endnu"
        elif c.kind is CheckKind.ASSESSMENT:
            out["points"] = (
                f"evaluatorernes point (tal, liste eller tabel), i alt højst {c.maximum}: {_describe(c.target)}"
            )
        elif c.kind is CheckKind.LEVEL:
            names = ", ".join(c.areas) if c.areas else f"{c.area_count} områder"
            what = "true (nået) eller false pr. område" if c.level_words is not None else "niveau nået pr. område"
            out["areas"] = f"{what} ({names}): {_describe(c.target)}"
        elif c.kind is CheckKind.CHANGE and c.baseline is None:
            out["baseline"] = "baselineværdien (planen angiver ingen)"
        elif c.kind is CheckKind.MANUAL:
            out["fulfilment"] = "ingen måltal: opfyldelse i procent (0-100 %), eller met = true/false"
    return out


def _slot_words(unit: Unit, slot: int | None) -> str:
    """The targets that read one value, in words: "mindst 4 kommuner og højst 8 kommuner"."""
    return " og ".join(_describe(c.target) for c in unit.checks if c.slot == slot)


def _kind_words(check: Any) -> str:
    return {
        CheckKind.SHARE: 'procent, fx "92,5 %", eller antal af i alt, fx "13 af 26" (undtagne under excluded)',
        CheckKind.TIME: f'varighed i {check.unit}, fx "12 {check.unit}"',
        CheckKind.COUNT: "antal, fx 6",
        CheckKind.CHANGE: "niveauet nået, fx 405",
        CheckKind.STATUS: "true eller false",
    }.get(check.kind, "")


_EMPTY_TOML = {
    "value": '""',
    "delivered": "[]",
    "approved": "[]",
    "points": "[]",
    "areas": "{}",
    "baseline": '""',
    "fulfilment": '""',
}


def _csv_columns(units: list[Unit]) -> tuple[str, ...]:
    """The template's columns: `approved` only when a milestone needs approval (the rest always)."""
    approval = any(c.approval is not None for u in units for c in u.checks)
    return tuple(c for c in CSV_COLUMNS if c != "approved" or approval)


def results_template(splan: ScoringPlan, fmt: str = "toml") -> str:
    """An empty results file for the plan: every scored id, with what it expects."""
    units = list(splan.units())
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        columns = _csv_columns(units)
        writer.writerow(columns)
        for unit in units:
            hint = " | ".join(f"{k}: {v}" for k, v in expects(unit).items())
            row = {"id": unit.id, "title": unit.name, "expects": hint}
            writer.writerow([csv_cell(row.get(column, "")) for column in columns])
        return buffer.getvalue()
    plan_name = (splan.title or "planen") + (f" ({splan.agency})" if splan.agency else "")
    lines = [  # plan text goes in strings only, never in a comment (a line break would end it)
        "# Resultater for planen nedenfor (plan).",
        "# Udfyld værdierne; et tomt felt betyder 'ikke opgjort' og tæller ikke som 0.",
        "# plan, title og expects er kun til orientering og læses ikke.",
        f"plan = {toml_string(plan_name)}",
        'kind = "actual"  # "actual" (årets resultat) eller "expected" (forventet, udgiftsopfølgning I-III)',
    ]
    if splan.year is not None:
        lines.append(f"year = {splan.year}  # året, filen gør op")
        lines.append(f"# as_of = {splan.year}-12-31")
    elif splan.period is not None:
        lines.append(f"# as_of = {splan.period.end.isoformat()}")
    skipped = [r for r in splan.requirements() if r.state is not State.SCORED]
    for req in skipped:
        why = {State.DROPPED: "udgået", State.NOT_DUE: f"ikke aktuelt i {splan.year}"}.get(req.state, "ikke scoret")
        lines.append(f"# {req.id}: {why}, skal ikke udfyldes")
    for unit in units:
        lines += ["", "[[result]]", f"id = {toml_string(unit.id)}", f"title = {toml_string(unit.name)}"]
        wanted = expects(unit)
        lines.append(f"expects = {toml_string('; '.join(f'{k}: {v}' for k, v in wanted.items()))}")
        lines += [f"{key} = {_EMPTY_TOML[key]}" for key in wanted]
        lines.append('note = ""')
    return "\n".join(lines) + "\n"
