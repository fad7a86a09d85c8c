"""Deadlines a text names: "i 2. kvartal", "inden udgangen af 1. halvår 2022", "ultimo marts",
"31. marts 2022", "31.12.2022", "Q3", "H2 2022".

Plans repeat a requirement's `frist` in its prose. The checker warns when the two disagree
(MRP310), and the document leaves out a deadline line that the text already states. Only
points in time a reader would take for a deadline are read; a bare year ("i 2022") is not.
"""

from __future__ import annotations

import re
from datetime import date

from mrpl import ast as A
from mrpl.keywords import MONTHS_DA, MONTHS_EN
from mrpl.scanners import compile_ahead

_MONTHS = {name: n for names in (MONTHS_DA, MONTHS_EN) for n, name in enumerate(names, start=1)}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?:\s+(?P<year>(?:19|20)\d\d))?"

_PATTERNS: tuple[tuple[A.DeadlineKind, re.Pattern[str]], ...] = (
    (A.DeadlineKind.QUARTER, compile_ahead(r"\b(?P<n>[1-4])\.\s*kvartal" + _YEAR, re.I)),
    (A.DeadlineKind.QUARTER, compile_ahead(r"\bquarter\s+(?P<n>[1-4])" + _YEAR, re.I)),
    (A.DeadlineKind.QUARTER, compile_ahead(r"\bQ(?P<n>[1-4])\b" + _YEAR)),
    (A.DeadlineKind.HALF, compile_ahead(r"\b(?P<n>[12])\.\s*halvår" + _YEAR, re.I)),
    (A.DeadlineKind.HALF, compile_ahead(r"\bH(?P<n>[12])\b" + _YEAR)),
    (
        A.DeadlineKind.MONTH_END,
        compile_ahead(r"\b(?:ultimo|end of|udgangen af)\s+(?P<month>" + _MONTH + r")\b" + _YEAR, re.I),
    ),
    (A.DeadlineKind.YEAR_END, compile_ahead(r"\b(?:ultimo|end of|udgangen af)\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    (A.DeadlineKind.DATE, compile_ahead(r"\b(?P<day>[0-3]?\d)\.?\s+(?P<month>" + _MONTH + r")\b" + _YEAR, re.I)),
    (A.DeadlineKind.DATE, compile_ahead(r"\b(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)?\d\d)\b")),
    (A.DeadlineKind.DATE, compile_ahead(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if len(text) == 4 else 2000 + int(text)


def _deadline(kind: A.DeadlineKind, m: re.Match[str]) -> A.Deadline | None:
    groups = m.groupdict()
    year = _year(groups.get("year"))
    if kind in (A.DeadlineKind.QUARTER, A.DeadlineKind.HALF):
        return A.Deadline(kind, year, int(groups["n"]), written=m.group(0))
    if kind is A.DeadlineKind.YEAR_END:
        return A.Deadline(kind, year, written=m.group(0))
    month = _MONTHS[groups["month"].lower()] if groups.get("month") else int(groups["mnum"])
    if kind is A.DeadlineKind.MONTH_END:
        return A.Deadline(kind, year, month, written=m.group(0))
    day = int(groups["day"])
    try:
        date(year or 2000, month, day)
    except ValueError:
        return None
    return A.Deadline(kind, year, month, day, written=m.group(0))


# "2. og 4. kvartal 2022", "1., 2. og 3. kvartal": every number takes the unit and year at the end.
_LIST = compile_ahead(
    r"\b(?P<head>(?:[1-4]\.\s*(?:,|og|eller|and|or)\s*)+)(?P<n>[1-4])\.\s*(?P<unit>kvartal|halvår)" + _YEAR, re.I
)


def _listed(text: str) -> list[tuple[int, int, A.Deadline]]:
    out = []
    for m in _LIST.finditer(text):
        kind = A.DeadlineKind.QUARTER if m.group("unit").lower() == "kvartal" else A.DeadlineKind.HALF
        year = _year(m.group("year"))
        for n in [*re.findall(r"[1-4]", m.group("head")), m.group("n")]:
            if kind is A.DeadlineKind.QUARTER or n in "12":
                out.append((m.start(), m.end(), A.Deadline(kind, year, int(n), written=m.group(0))))
    return out


def deadlines_named(text: str) -> list[A.Deadline]:
    """The deadlines a text names, in the order written (overlapping readings once)."""
    found: list[tuple[int, int, A.Deadline]] = _listed(text)
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b, _ in found):
                continue
            deadline = _deadline(kind, m)
            if deadline is not None:
                found.append((m.start(), m.end(), deadline))
    return [d for _, _, d in sorted(found, key=lambda f: f[0])]


def names_due_date(text: str, due: date, year: int) -> bool | None:
    """Whether the text names a deadline ending on `due` ("1. halvår" is "2. kvartal");
    None when it names no deadline at all."""
    named = deadlines_named(text)
    if not named:
        return None
    return any(n.end_date(year) == due for n in named)
