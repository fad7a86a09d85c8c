"""Checks across the plans of one portfolio (MRP9xx).

What no single plan can show: an agency that leaves out the group-wide goals its sister
agencies import, a shared goal copied into a plan instead of imported, and a goal number
that means another goal in another year. The results files' own problems (a file that fits
no plan, a plan whose results cannot be scored) are MRP904/905.

An imported goal cannot weigh differently from its module without the plan saying so: the
plan's own check already refuses a weights table that disagrees with a goal's weight
(MRP108), so the only way is an override in the `importer` block, which is the statement.
"""

from __future__ import annotations

import difflib
import itertools
import os
from collections import defaultdict
from collections.abc import Iterable

from mrpl import ast as A
from mrpl.codes import CODES, Code, register
from mrpl.diagnostics import Diagnostic, Related, Severity
from mrpl.portfolio.discover import PlanEntry, Portfolio

WARN, INFO, ERROR = Severity.WARNING, Severity.INFO, Severity.ERROR

# A goal number means "another goal" when its area's words have less than this in common.
SAME_MEANING = 0.6

_CODES = (
    Code(
        "MRP901",
        "group-goals-not-imported",
        "A plan leaves out the group-wide goals its sister plans import",
        WARN,
        "portfolio",
        "Two or more plans of the same year and ministry in the folder import a shared module "
        "(group-wide goals, koncernfælles mål); this plan of that year and ministry does not.",
        "Group-wide goals are set by the department for every agency; a plan without them is "
        "usually a plan that was copied from last year's.",
        bad='# udlaendingestyrelsen-2022.mrp and hjemrejsestyrelsen-2022.mrp:  importer "shared/koncernfaelles-2022.mrp"\n'
        "# siri-2022.mrp: no importer",
        good='# siri-2022.mrp\nafsnit 2 "Koncernfælles mål" {\n  importer "shared/koncernfaelles-2022.mrp" { sæt styrelse "SIRI" }\n}',
    ),
    Code(
        "MRP902",
        "shared-goal-copied",
        "A goal is a copy of a shared goal",
        INFO,
        "portfolio",
        "A goal written in this plan has the same area and text as a goal of a shared module in the folder.",
        "A copy drifts: next year the module changes and the copy does not. Import the module "
        "and state this agency's differences as overrides.",
        bad='mål 2.1 "Informationssikkerhed" { tekst "..." }   # the same as in shared/koncernfaelles-2022.mrp',
        good='importer "shared/koncernfaelles-2022.mrp" { sæt styrelse "Udlændingestyrelsen" }',
    ),
    Code(
        "MRP903",
        "goal-number-reused",
        "A goal number means another goal than in another year",
        WARN,
        "portfolio",
        "The same agency's plans of two years give one goal number to goals whose areas have little in common.",
        "Follow-up and annual reports compare goals by number across years; a number that changes its "
        "meaning makes those comparisons wrong without anyone noticing.",
        bad='# 2022: mål 1.2 "Borgerservice"\n# 2023: mål 1.2 "Klagesager"',
        good='# 2023: mål 1.3 "Klagesager" (a new number for a new goal)',
    ),
    Code(
        "MRP904",
        "results-without-plan",
        "A results file belongs to no plan",
        WARN,
        "portfolio",
        "A `.toml` or `.csv` file in the folder does not start with the file name of any plan.",
        "Results are matched to plans by name (PLAN.toml, PLAN.uo2.toml); an unmatched file is not in any report.",
        bad="examples/results/udl-2022.toml   # no plan udl-2022.mrp",
        good="examples/results/udlaendingestyrelsen-2022.uo2.toml",
    ),
    Code(
        "MRP905",
        "portfolio-file-unreadable",
        "A file of the folder cannot be used",
        ERROR,
        "portfolio",
        "A plan or results file in the folder could not be read, or a plan's results cannot be scored.",
        "The portfolio's totals would silently leave the agency out.",
    ),
)


def _register() -> None:
    for code in _CODES:
        if code.code not in CODES:
            register(code)


_register()


def cross_plan_diagnostics(portfolio: Portfolio) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    out += _missing_group_imports(portfolio)
    out += _copied_shared_goals(portfolio)
    out += _reused_goal_numbers(portfolio)
    return out


# ---------------------------------------------------------------- MRP901


def _imports_of(entry: PlanEntry) -> set[str]:
    return {os.path.realpath(f) for f in entry.loaded.files[1:]}


def _missing_group_imports(portfolio: Portfolio) -> Iterable[Diagnostic]:
    # Group-wide goals are one ministry's: plans of the same year under the same ministry.
    by_year: dict[tuple[int | None, str], list[PlanEntry]] = defaultdict(list)
    for entry in portfolio.plans:
        if entry.loaded.plan is not None:
            by_year[(entry.year, entry.header.ministry or entry.header.department or "")].append(entry)
    for (year, _ministry), entries in by_year.items():
        importers: dict[str, list[PlanEntry]] = defaultdict(list)
        for entry in entries:
            for module in _imports_of(entry):
                importers[module].append(entry)
        for module, users in sorted(importers.items()):
            if len(users) < 2:
                continue
            for entry in entries:
                if entry not in users:
                    yield _not_imported(portfolio.root, entry, module, users, year)


def _not_imported(root: str, entry: PlanEntry, module: str, users: list[PlanEntry], year: int | None) -> Diagnostic:
    shown = _shown(root, module)
    others = ", ".join(u.agency for u in users)
    return Diagnostic(
        "MRP901",
        WARN,
        f"{entry.agency} does not import the group-wide goals in {shown}, which {len(users)} other plans "
        f"of {year} import ({others})",
        entry.plan.span if entry.plan.header is None else entry.plan.header.span,
        fix=f'importer "{os.path.relpath(module, os.path.dirname(entry.path))}"',
    )


# ---------------------------------------------------------------- MRP902


def _goal_key(goal: A.Goal) -> tuple[str, str]:
    text = goal.text.plain() if goal.text else ""
    return (" ".join(goal.area.split()).lower(), " ".join(text.split()).lower())


def _copied_shared_goals(portfolio: Portfolio) -> Iterable[Diagnostic]:
    shared: dict[tuple[str, str], tuple[str, A.Goal]] = {}
    for path, loaded in portfolio.modules:
        if loaded.root.plan is None:
            continue
        for goal in loaded.root.plan.all_goals():
            if goal.text is not None and "{{" not in goal.text.plain():
                shared.setdefault(_goal_key(goal), (path, goal))
    for entry in portfolio.plans:
        for goal in entry.plan.all_goals():
            if goal.span.file not in ("", entry.path):  # imported: not a copy
                continue
            found = shared.get(_goal_key(goal))
            if found is not None:
                module, original = found
                yield Diagnostic(
                    "MRP902",
                    INFO,
                    f"goal {goal.number} is the same as goal {original.number} of the shared module "
                    f"{_shown(portfolio.root, module)}",
                    goal.span,
                    related=(Related(original.span, "the shared goal"),),
                    fix="import the module instead of copying the goal",
                )


# ---------------------------------------------------------------- MRP903


def _reused_goal_numbers(portfolio: Portfolio) -> Iterable[Diagnostic]:
    by_agency: dict[str, list[PlanEntry]] = defaultdict(list)
    for entry in portfolio.plans:
        by_agency[entry.agency].append(entry)
    for entries in by_agency.values():
        ordered = sorted((e for e in entries if e.year is not None), key=lambda e: (e.year, e.path))
        for older, newer in itertools.pairwise(ordered):
            if older.year == newer.year:
                continue
            yield from _compare_numbers(older, newer)


def _compare_numbers(older: PlanEntry, newer: PlanEntry) -> Iterable[Diagnostic]:
    before = {g.number: g for g in older.plan.all_goals()}
    for goal in newer.plan.all_goals():
        was = before.get(goal.number)
        if was is None:
            continue
        similarity = difflib.SequenceMatcher(None, was.area.lower(), goal.area.lower()).ratio()
        if similarity < SAME_MEANING:
            yield Diagnostic(
                "MRP903",
                WARN,
                f"goal {goal.number} is \u201c{goal.area}\u201d in {newer.year} but was \u201c{was.area}\u201d "
                f"in {older.year}",
                goal.span,
                related=(Related(was.span, f"goal {was.number} in {older.year}"),),
                fix="give a new goal a new number, so that years compare goal by goal",
            )


def _shown(root: str, path: str) -> str:
    """A file as the portfolio's reader knows it: relative to the folder."""
    return os.path.relpath(os.path.realpath(path), os.path.realpath(root))
