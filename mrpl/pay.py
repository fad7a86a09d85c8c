"""Performance pay (resultatløn) in money: from the plan's points to kroner.

The plan's `resultatløn` section states the full pay (`maksimum 150.000 kr`, or
`maksimum 10 % af lønnen` with `løn 1.200.000 kr`) and a rule from the
(rebased) points to a share of it:

- steps (`skala { mindst 90 point: 100 %; ...; ellers: 0 % }`): the first step
  the points reach; a threshold in % is compared with points × 100 / total;
- proportional (`skala lineær fra 60 point til 100 point`): nothing at or below
  the floor, everything from the full-pay point, linear in between.

A `loft` (cap) limits the amount: in kroner, in % of the salary, or in % of the
maximum. `PayRule` holds plain values only, so the generated scoring module
(`mrplc build --to py`) computes the same numbers from the same literals. All
arithmetic is exact (`Decimal`, the scoring context); amounts are rounded only
when shown. Worked examples are in docs/scoring.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mrpl import ast as A

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)


@dataclass(frozen=True, slots=True)
class PayRule:
    """The pay section in plain values. `steps`: (relation or None for `ellers`,
    threshold, threshold unit, share in %). `floor`/`full`: the proportional rule,
    in `unit` ("%" or "point")."""

    steps: tuple[tuple[str | None, Decimal | None, str | None, Decimal], ...] = ()
    floor: Decimal | None = None
    full: Decimal | None = None
    unit: str | None = None
    maximum_kroner: Decimal | None = None
    maximum_salary_percent: Decimal | None = None  # `maksimum 10 % af lønnen`
    salary: Decimal | None = None
    cap_kroner: Decimal | None = None
    cap_salary_percent: Decimal | None = None  # `loft 8 % af lønnen`
    cap_maximum_percent: Decimal | None = None  # `loft 80 %`: of the maximum

    @property
    def has_rule(self) -> bool:
        return bool(self.steps) or (self.floor is not None and self.full is not None)


def pay_rule(pay: A.PerformancePay | None) -> PayRule | None:
    """The plain rule of a plan's pay section (None when it states neither a rule nor an amount)."""
    if pay is None or (not pay.schedule and pay.floor is None and pay.maximum is None):
        return None
    steps = tuple(
        (
            s.relation.value if s.relation else None,
            s.threshold.value if s.threshold else None,
            s.threshold.unit if s.threshold else None,
            s.fulfilment,
        )
        for s in pay.schedule
    )
    maximum, cap = pay.maximum, pay.cap
    linear = pay.floor is not None and pay.full is not None
    return PayRule(
        steps=steps,
        floor=pay.floor.value if linear and pay.floor else None,
        full=pay.full.value if linear and pay.full else None,
        unit=pay.floor.unit if linear and pay.floor else None,
        maximum_kroner=maximum.kroner if maximum else None,
        maximum_salary_percent=maximum.percent if maximum and maximum.of_salary else None,
        salary=pay.salary,
        cap_kroner=cap.kroner if cap else None,
        cap_salary_percent=cap.percent if cap and cap.of_salary else None,
        cap_maximum_percent=cap.percent if cap and cap.kroner is None and not cap.of_salary else None,
    )


# --------------------------------------------------------------------------
# The arithmetic (mirrored line for line in templates/py/scoring.py.j2)


def _compare(value: Decimal, relation: str, goal: Decimal) -> bool:
    return {
        ">=": value >= goal,
        "<=": value <= goal,
        "<": value < goal,
        ">": value > goal,
        "=": value == goal,
    }[relation]


def _measure(points: Decimal, unit: str | None, total: Decimal) -> Decimal | None:
    """The points as the rule reads them: in % of the total when the rule is in %."""
    if unit != "%":
        return points
    if total == ZERO:
        return None
    return points * HUNDRED / total


def pay_percent(rule: PayRule | None, points: Decimal | None, total: Decimal) -> Decimal | None:
    """The share of the full pay earned, in percent (0-100), or None."""
    if rule is None or points is None or not rule.has_rule:
        return None
    if rule.floor is not None and rule.full is not None:
        value = _measure(points, rule.unit, total)
        if value is None or rule.full <= rule.floor:
            return None
        return min(ONE, max(ZERO, (value - rule.floor) / (rule.full - rule.floor))) * HUNDRED
    for relation, threshold, unit, percent in rule.steps:
        if relation is None or threshold is None:
            return percent
        value = _measure(points, unit, total)
        if value is None:
            return None
        if _compare(value, relation, threshold):
            return percent
    return ZERO


def full_pay(rule: PayRule) -> Decimal | None:
    """The maximum in kroner: stated, or its share of the salary; None when unknown."""
    if rule.maximum_kroner is not None:
        return rule.maximum_kroner
    if rule.maximum_salary_percent is not None and rule.salary is not None:
        return rule.salary * rule.maximum_salary_percent / HUNDRED
    return None


def cap_kroner(rule: PayRule) -> Decimal | None:
    """The cap in kroner, when the plan states one that can be computed."""
    if rule.cap_kroner is not None:
        return rule.cap_kroner
    if rule.cap_salary_percent is not None and rule.salary is not None:
        return rule.salary * rule.cap_salary_percent / HUNDRED
    maximum = full_pay(rule)
    if rule.cap_maximum_percent is not None and maximum is not None:
        return maximum * rule.cap_maximum_percent / HUNDRED
    return None


def pay_kroner(rule: PayRule | None, percent: Decimal | None) -> Decimal | None:
    """The pay in kroner: the full pay × the share earned, at most the cap."""
    if rule is None or percent is None:
        return None
    maximum = full_pay(rule)
    if maximum is None:
        return None
    amount = maximum * percent / HUNDRED
    cap = cap_kroner(rule)
    return amount if cap is None else min(amount, cap)


def pay_salary_percent(rule: PayRule | None, percent: Decimal | None) -> Decimal | None:
    """Without a salary: the pay in % of the salary (`maksimum 10 % af lønnen`), capped."""
    if rule is None or percent is None or rule.maximum_salary_percent is None:
        return None
    share = rule.maximum_salary_percent * percent / HUNDRED
    caps = [c for c in (rule.cap_salary_percent,) if c is not None]
    if rule.cap_maximum_percent is not None:
        caps.append(rule.maximum_salary_percent * rule.cap_maximum_percent / HUNDRED)
    return min([share, *caps])


def capped(rule: PayRule | None, percent: Decimal | None) -> bool:
    """Whether the cap cut the amount."""
    if rule is None or percent is None:
        return False
    maximum, cap = full_pay(rule), cap_kroner(rule)
    return maximum is not None and cap is not None and maximum * percent / HUNDRED > cap
