"""MRP42x: the change a target asks for, and the performance pay in money.

`stigning fra 2.000 til 2.400` states a change twice when it also writes the
percentage: the two agree (MRP440) and the baseline is not zero (MRP441). The
pay section's proportional rule runs from a floor below its full-pay point
(MRP444); a cap lies below the maximum it caps (MRP445); a maximum in money
comes with a rule from points to pay (MRP446).
"""

from __future__ import annotations

from decimal import Decimal

from mrpl import ast as A
from mrpl.check.context import Context, plan_number


def check_pay(ctx: Context) -> None:
    for goal in ctx.goals:
        for req in goal.requirements:
            for target in req.targets:
                if isinstance(target, A.ChangeTarget) and target.level is not None:
                    _check_levels(ctx, target)
    pay = ctx.plan.pay
    if pay is not None:
        _check_linear(ctx, pay)
        _check_cap(ctx, pay)
        _check_rule(ctx, pay)


def _check_levels(ctx: Context, target: A.ChangeTarget) -> None:
    baseline = target.baseline
    start = baseline.value if baseline is not None else None
    if start is None or target.level is None:
        return
    if start == 0:
        ctx.report("MRP441", "a change from 0 cannot be given in percent", target.span,
                   fix="state the target as a count instead: `antal mindst 400`")  # fmt: skip
        return
    level = target.level
    increase = target.direction is A.ChangeDirection.INCREASE
    word = "an increase" if increase else "a reduction"
    if (level <= start) if increase else (level >= start):
        ctx.report(
            "MRP440",
            f"{word} from {plan_number(start)} to {plan_number(level)} does not go {'up' if increase else 'down'}",
            target.span,
            fix=f"write `{'fald' if increase else 'stigning'}`, or swap the two levels",
        )
        return
    if not target.percent_written:
        return
    computed = A.change_percent(target.direction, start, level)
    exponent = target.percent.as_tuple().exponent
    places = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)  # the plan's own decimals
    if computed.quantize(places) != target.percent.quantize(places):
        ctx.report(
            "MRP440",
            f"{plan_number(start)} to {plan_number(level)} is {'+' if increase else '-'}"
            f"{plan_number(computed.quantize(Decimal('0.01')).normalize())} %, not {plan_number(target.percent)} %",
            target.span,
            fix="correct the percentage or the levels (or leave the percentage out: it is computed)",
        )


def _check_linear(ctx: Context, pay: A.PerformancePay) -> None:
    floor, full = pay.floor, pay.full
    if floor is None or full is None:
        return
    if floor.unit != full.unit:
        ctx.report("MRP444", "the pay scale's floor and full-pay point are in different units", floor.span,
                   fix="give both in points or both in %")  # fmt: skip
    elif floor.value >= full.value:
        ctx.report(
            "MRP444",
            f"the pay scale's floor ({plan_number(floor.value)}) is not below its full-pay point "
            f"({plan_number(full.value)})",
            floor.span,
            fix="`skala lineær fra FLOOR til FULL`: no pay at FLOOR, full pay from FULL",
        )


def _check_cap(ctx: Context, pay: A.PerformancePay) -> None:
    cap, maximum = pay.cap, pay.maximum
    if cap is None:
        return
    if maximum is None:
        ctx.report("MRP445", "a cap (`loft`) without a maximum (`maksimum`) caps nothing", cap.span,
                   fix="state the maximum pay: `maksimum 150.000 kr`")  # fmt: skip
        return
    cap_kr, max_kr = _kroner(cap, pay), _kroner(maximum, pay)
    if cap.kroner is None and not cap.of_salary and cap.percent is not None and cap.percent >= 100:
        ctx.report("MRP445", f"a cap of {plan_number(cap.percent)} % of the maximum caps nothing", cap.span)
    elif cap_kr is not None and max_kr is not None and cap_kr >= max_kr:
        ctx.report(
            "MRP445",
            f"the cap ({plan_number(cap_kr)} kr.) is not below the maximum ({plan_number(max_kr)} kr.)",
            cap.span,
            fix="a cap lower than the maximum, or no `loft`",
        )


def _kroner(amount: A.PayAmount, pay: A.PerformancePay) -> Decimal | None:
    if amount.kroner is not None:
        return amount.kroner
    if amount.of_salary and amount.percent is not None and pay.salary is not None:
        return amount.percent * pay.salary / 100
    return None


def _check_rule(ctx: Context, pay: A.PerformancePay) -> None:
    if pay.maximum is not None and not pay.schedule and pay.floor is None:
        ctx.report(
            "MRP446",
            "the performance pay has a maximum but no rule from points to pay",
            pay.maximum.span,
            fix="add `skala { mindst 90 point: 100 %; ... }` or `skala lineær fra 60 % til 100 %`",
        )
