"""The semantic checker: what the grammar cannot say about a plan.

    check(load_result)        diagnostics for a loaded plan, `# mrpl: ignore[...]` applied
    check_plan(plan, sources) diagnostics for a Plan (e.g. one changed with dataclasses.replace)

Each rule family is one module and one pass over the plan: weights (MRP1xx),
numbering and references (MRP2xx), dates (MRP3xx; multi-year targets MRP32x),
targets (MRP4xx; changes and performance pay MRP42x), budget
(MRP5xx), completeness (MRP6xx), guidance (MRP7xx). Codes, severities and
explanations live in `mrpl.codes`.

`check` returns only the checker's diagnostics, not the parser's and loader's
(`LoadResult.diagnostics`); it returns none while the file has syntax errors
(MRP001-MRP005, MRP021), since a tree rebuilt around a syntax error would give noise.
Note that `import mrpl` makes `mrpl.check` the function; import from this
module with `from mrpl.check import check_plan`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mrpl import ast as A
from mrpl.check.budget import check_budget
from mrpl.check.completeness import check_completeness
from mrpl.check.context import Context
from mrpl.check.dates import check_dates
from mrpl.check.guidance import check_guidance
from mrpl.check.numbering import check_numbering
from mrpl.check.pay import check_pay
from mrpl.check.suppress import apply_suppressions
from mrpl.check.targets import check_targets
from mrpl.check.weights import check_weights
from mrpl.check.years import check_years
from mrpl.diagnostics import Diagnostic, Severity
from mrpl.gc_pause import collector_paused
from mrpl.load import LoadResult

BLOCKING_CODES = frozenset({"MRP001", "MRP002", "MRP003", "MRP004", "MRP005", "MRP021"})

RULES: tuple[Callable[[Context], None], ...] = (
    check_weights,
    check_numbering,
    check_dates,
    check_targets,
    check_years,
    check_pay,
    check_budget,
    check_completeness,
    check_guidance,
)


def check_plan(plan: A.Plan, sources: Mapping[str, str] | None = None) -> list[Diagnostic]:
    """Every rule on a resolved plan. `sources` (file -> text) makes spans precise
    inside texts and for references; without them spans are whole nodes."""
    ctx = Context(plan, sources or {})
    try:
        with collector_paused():
            for rule in RULES:
                rule(ctx)
    except RecursionError:  # sub-weight groups nested hundreds deep: report, never crash
        ctx.report("MRP003", "the plan is nested too deeply to check", plan.span)
    return sorted(ctx.diagnostics, key=Diagnostic.sort_key)


def has_syntax_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.code in BLOCKING_CODES and d.severity >= Severity.ERROR for d in diagnostics)


def check(result: LoadResult, *, suppress: bool = True) -> list[Diagnostic]:
    """The semantic diagnostics of a loaded plan (the loader's own are in `result.diagnostics`)."""
    if result.plan is None or has_syntax_errors(result.diagnostics):
        return []
    diagnostics = check_plan(result.plan, result.sources)
    if suppress:
        diagnostics = apply_suppressions(diagnostics, result.plan.all_goals(), result.parses)
    return diagnostics


def all_diagnostics(result: LoadResult) -> list[Diagnostic]:
    """The loader's diagnostics and the checker's, for `mrplc check`."""
    return [*result.diagnostics, *check(result)]


__all__ = ["BLOCKING_CODES", "RULES", "all_diagnostics", "check", "check_plan", "has_syntax_errors"]
