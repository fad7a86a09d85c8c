"""A multi-year contract scored over its whole period.

Each year is scored on its own (`mrpl.score.score` on `scoring_plan(plan, year)`,
one results file per year). `score_period` lays the years side by side:

- per requirement and year: the year's status and fulfilment; a year with no
  results file yet is "Ikke opgjort endnu"; a year in which nothing of the
  requirement is due is "Ikke aktuelt i året";
- per requirement over the period: the mean of its fulfilment in the years that
  are reported and in which it is due;
- the period: Σ weight × period fulfilment over the requirements with at least
  one such year, out of their weights; provisional while a year is missing.

The rule is documented with a worked example in docs/scoring.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from mrpl.score import CONTEXT, ZERO, RequirementScore, Score, Status


@dataclass(frozen=True, slots=True)
class YearResult:
    """One year's score and where its results came from."""

    year: int
    score: Score
    path: str = ""
    as_of: date | None = None


@dataclass(frozen=True, slots=True)
class YearCell:
    year: int
    status: Status
    fulfilment: Decimal | None  # 0..1; None when not scored that year


@dataclass(frozen=True, slots=True)
class RequirementOverYears:
    id: str
    name: str
    weight: Decimal
    years: tuple[YearCell, ...]
    fulfilment: Decimal | None  # mean over the reported years in which it is due
    points: Decimal | None


@dataclass(frozen=True, slots=True)
class PeriodScore:
    years: tuple[int, ...]
    reported: tuple[YearResult, ...]
    requirements: tuple[RequirementOverYears, ...]
    earned: Decimal  # Σ weight × period fulfilment
    counted: Decimal  # Σ weight of the requirements with a period fulfilment
    total: Decimal  # the plan's points

    @property
    def missing_years(self) -> tuple[int, ...]:
        done = {r.year for r in self.reported}
        return tuple(y for y in self.years if y not in done)

    @property
    def fulfilment(self) -> Decimal | None:
        if self.counted == ZERO:
            return None
        with localcontext(CONTEXT):
            return self.earned / self.counted

    @property
    def provisional(self) -> bool:
        return bool(self.missing_years) or any(r.score.missing > 0 for r in self.reported)

    @property
    def pay_amount(self) -> Decimal | None:
        """The performance pay of the reported years together, when every year has an amount."""
        amounts = [r.score.pay_amount for r in self.reported]
        if not amounts or any(a is None for a in amounts):
            return None
        return sum((a for a in amounts if a is not None), ZERO)


_COUNTED = (Status.MET, Status.PARTLY, Status.NOT_MET)


def score_period(years: Sequence[int], reported: Sequence[YearResult]) -> PeriodScore:
    """Lay the reported years side by side (see the module's docstring)."""
    ordered = tuple(sorted(reported, key=lambda r: r.year))
    by_year = {r.year: {q.plan.id: q for q in r.score.requirements()} for r in ordered}
    first = ordered[0].score if ordered else None
    rows: list[RequirementOverYears] = []
    with localcontext(CONTEXT):
        for req in first.requirements() if first is not None else ():
            cells = tuple(_cell(year, by_year.get(year, {}).get(req.plan.id)) for year in years)
            values = [c.fulfilment for c in cells if c.status in _COUNTED and c.fulfilment is not None]
            dropped = any(c.status is Status.DROPPED for c in cells) or req.status is Status.UNSCORED
            mean = sum(values, ZERO) / len(values) if values and not dropped else None
            points = req.plan.weight * mean if mean is not None else None
            rows.append(RequirementOverYears(req.plan.id, req.plan.name, req.plan.weight, cells, mean, points))
        earned = sum((r.points for r in rows if r.points is not None), ZERO)
        counted = sum((r.weight for r in rows if r.fulfilment is not None), ZERO)
    total = first.total if first is not None else ZERO
    return PeriodScore(tuple(years), ordered, tuple(rows), earned, counted, total)


def _cell(year: int, req: RequirementScore | None) -> YearCell:
    if req is None:
        return YearCell(year, Status.NOT_YET, None)
    return YearCell(year, req.status, req.fulfilment)
