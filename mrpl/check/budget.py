"""MRP5xx: the budget table adds up and matches the core tasks.

Amounts are rounded in the published tables, so a column may miss its total
by half a unit of the last decimal per row (0,05 x rows for one decimal).
"-" means "no amount" (not zero); the sum counts it as zero and says so (MRP502).
Row 0 is the agency's general overhead and needs no core task.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from mrpl import ast as A
from mrpl.check.context import Context, plan_number
from mrpl.diagnostics import plural

GENERAL_COSTS_ROW = 0  # "række 0 "Generelle fællesomkostninger"": overhead, no core task of its own


def check_budget(ctx: Context) -> None:
    for tasks in _core_tasks(ctx.plan):
        budgets = [i for i in tasks.items if isinstance(i, A.Budget)]
        for budget in budgets:
            _check_budget(ctx, budget)
        _check_core_tasks(ctx, tasks, budgets)


def _core_tasks(plan: A.Plan) -> Iterator[A.CoreTasks]:
    if plan.strategy is not None:
        yield from (p for p in plan.strategy.parts if isinstance(p, A.CoreTasks))


def _column_name(budget: A.Budget, index: int) -> str:
    if index < len(budget.columns):
        column = budget.columns[index]
        return f"{column.kind} {column.year}"
    return f"column {index + 1}"


def _check_budget(ctx: Context, budget: A.Budget) -> None:
    width = len(budget.columns) or (len(budget.total.cells) if budget.total is not None else 0)
    rows = ([budget.total] if budget.total is not None else []) + list(budget.rows)
    for row in rows:
        if width and len(row.cells) != width:
            ctx.report(
                "MRP503",
                f"the row {row.name!r} has {plural(len(row.cells), 'amount', 'amounts')} for "
                f"{plural(width, 'column', 'columns')}",
                row.span,
            )
    if budget.total is None:
        return
    for index, total_cell in enumerate(budget.total.cells[:width]):
        if total_cell.value is not None:
            _check_column(ctx, budget, index, total_cell)
    _check_dashes(ctx, budget, width)


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _check_column(ctx: Context, budget: A.Budget, index: int, total_cell: A.BudgetCell) -> None:
    assert total_cell.value is not None
    cells = [row.cells[index] for row in budget.rows if index < len(row.cells)]
    amounts = [c.value for c in cells if c.value is not None]
    places = max((_decimals(v) for v in [*amounts, total_cell.value]), default=0)
    tolerance = Decimal(5).scaleb(-(places + 1)) * len(amounts)
    added = sum(amounts, Decimal(0))
    name = _column_name(budget, index)
    if abs(added - total_cell.value) > tolerance:
        ctx.report(
            "MRP501",
            f"{name}: the rows add up to {plan_number(added)}, but the total says {plan_number(total_cell.value)}",
            total_cell.span,
            notes=(f"rounding allows a difference of up to {plan_number(tolerance)}",),
        )


def _check_dashes(ctx: Context, budget: A.Budget, width: int) -> None:
    """One note per row with `-` cells (MRP502), naming every column whose total counts them."""
    assert budget.total is not None
    totals = budget.total.cells[:width]
    for row in budget.rows:
        columns = [i for i, cell in enumerate(row.cells[: len(totals)]) if cell.value is None
                   and totals[i].value is not None]  # fmt: skip
        if not columns:
            continue
        names = _and([_column_name(budget, i) for i in columns])
        what = f"row {row.number} {row.name!r}" if row.number is not None else f"row {row.name!r}"
        counts = "the total of" if len(columns) == 1 else "the totals of"
        ctx.report("MRP502", f"{what} has no amount (`-`); {counts} {names} count it as zero",
                   row.cells[columns[0]].span)  # fmt: skip


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _check_core_tasks(ctx: Context, tasks: A.CoreTasks, budgets: list[A.Budget]) -> None:
    numbers = {i.number: i for i in tasks.items if isinstance(i, A.CoreTask) and i.number is not None}
    # A core task without a number matches its budget row by name.
    titles = {i.title.casefold().rstrip(":") for i in tasks.items if isinstance(i, A.CoreTask) and i.number is None}
    if not (numbers or titles) or not budgets:
        return
    rows: dict[int, A.BudgetRow] = {}
    for budget in budgets:
        for row in budget.rows:
            if row.number is None or row.number == GENERAL_COSTS_ROW:
                continue
            rows.setdefault(row.number, row)
            if row.number not in numbers and row.name.casefold().rstrip(":") not in titles:
                ctx.report("MRP504", f"budget row {row.number} {row.name!r} has no `kerneopgave {row.number}`",
                           row.span)  # fmt: skip
    for number, task in numbers.items():
        if number not in rows and number != GENERAL_COSTS_ROW:
            ctx.report("MRP504", f"core task {number} {task.title!r} has no budget row", task.span)
