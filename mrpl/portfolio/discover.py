"""Find and load what a portfolio folder holds.

A folder is walked in sorted order (so every report is byte-identical for the same files):

- every `.mrp` file is loaded; a file another plan imports, or one without a `plan { ... }`
  header, is a *module* (shared goals), the others are *plans*;
- a results file (`.toml` or `.csv`) belongs to the plan whose file name it starts with:
  `udlaendingestyrelsen-2022.toml`, or `udlaendingestyrelsen-2022.uo2.toml` for one of several
  (the part after the first dot names the follow-up; its `as_of` date orders them);
- hidden folders, `node_modules`, virtual environments and build outputs are skipped, links
  are not followed out of the folder, and nothing outside it is read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mrpl import ast as A
from mrpl.diagnostics import Diagnostic, Severity, has_errors
from mrpl.load import LoadResult, SourceError, load_file
from mrpl.project import ROOT_MARKER
from mrpl.results import read_results, results_year
from mrpl.score import Score, ScoringPlan, score, scoring_plan
from mrpl.years import is_multi_year, plan_years

PLAN_SUFFIX = ".mrp"
RESULTS_SUFFIXES = (".toml", ".csv")
NOT_RESULTS = ("pyproject.toml", ROOT_MARKER)  # a Python project's file; the project root's marker
SKIPPED_DIRS = frozenset({"node_modules", ".venv", "venv", "build", "dist", "out", "__pycache__"})
MAX_RESULTS_BYTES = 8 * 1024 * 1024  # a results file is a few KB; larger is not one


@dataclass(frozen=True, slots=True)
class ResultsRun:
    """One results file of a plan, read and scored."""

    path: str
    kind: str  # "actual" | "expected" | "mixed"
    as_of: date | None
    score: Score | None  # None when the file has errors
    diagnostics: tuple[Diagnostic, ...]
    source: str = ""

    @property
    def sort_key(self) -> tuple[date, str]:
        return (self.as_of or date.max, self.path)


@dataclass(frozen=True, slots=True)
class PlanEntry:
    path: str
    loaded: LoadResult
    diagnostics: tuple[Diagnostic, ...]  # the loader's and the checker's
    splan: ScoringPlan | None
    runs: tuple[ResultsRun, ...] = ()

    @property
    def plan(self) -> A.Plan:
        assert self.loaded.plan is not None
        return self.loaded.plan

    @property
    def header(self) -> A.Header:
        return self.plan.header or A.Header()

    @property
    def year(self) -> int | None:
        header = self.header
        if header.year is not None:
            return header.year
        return header.period.start.year if header.period else None

    @property
    def agency(self) -> str:
        return self.header.agency or Path(self.path).stem

    @property
    def latest(self) -> ResultsRun | None:
        """The newest results that could be scored: year-end results over any follow-up."""
        scored = [r for r in self.runs if r.score is not None]
        return scored[-1] if scored else None


@dataclass(frozen=True, slots=True)
class Portfolio:
    root: str
    plans: tuple[PlanEntry, ...]
    modules: tuple[tuple[str, LoadResult], ...]
    diagnostics: tuple[Diagnostic, ...] = ()  # files that could not be read, results without a plan
    sources: dict[str, str] = field(default_factory=dict)

    def results_files(self) -> int:
        return sum(len(p.runs) for p in self.plans)


def load_portfolio(
    root: str,
    *,
    loaded: Mapping[str, LoadResult] | None = None,
    checked: Mapping[str, Sequence[Diagnostic]] | None = None,
) -> Portfolio:
    """Load every plan, module and results file under `root`. Raises SourceError when
    `root` is not a readable folder.

    `loaded` and `checked` are plans a caller has already loaded and checked, by the path
    the walk finds them at (`mrplc check DIR` has): they are used as they are, not read
    and checked again."""
    if not os.path.isdir(root):
        raise SourceError(f"{root}: not a folder")
    plan_paths, results_paths = _walk(root)
    loaded, problems = _load_all(plan_paths, loaded or {})
    # An allonge is reported through the plan it amends, not as a plan of its own (and the
    # plan it reads is no shared module).
    loaded = {p: res for p, res in loaded.items() if not (res.root.plan and res.root.plan.amendments)}
    imported = {os.path.realpath(f) for res in loaded.values() for f in res.files[1:]}
    plans, modules = [], []
    sources: dict[str, str] = {}
    for path, res in loaded.items():
        sources.update(res.sources)
        if os.path.realpath(path) in imported or res.plan is None or res.plan.header is None:
            modules.append((path, res))
        else:
            plans.append(path)
    claimed: set[str] = set()
    entries = []
    for path in plans:
        mine = _results_of(path, results_paths)
        claimed.update(mine)
        entries.append(_plan_entry(path, loaded[path], mine, sources, (checked or {}).get(path)))
    problems += [_orphan(p) for p in results_paths if p not in claimed]
    return Portfolio(root, tuple(entries), tuple(modules), tuple(problems), sources)


def _walk(root: str) -> tuple[list[str], list[str]]:
    real_root = os.path.realpath(root)
    plans: list[str] = []
    results: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = os.path.join(folder, name)
            if not _inside(path, real_root) or not os.path.isfile(path):
                continue
            if name.endswith(PLAN_SUFFIX):
                plans.append(path)
            elif name.endswith(RESULTS_SUFFIXES) and name not in NOT_RESULTS:
                results.append(path)
    return plans, results


def _inside(path: str, real_root: str) -> bool:
    """A link that leads out of the folder is not followed."""
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)


def _load_all(paths: list[str], known: Mapping[str, LoadResult]) -> tuple[dict[str, LoadResult], list[Diagnostic]]:
    loaded: dict[str, LoadResult] = {}
    problems: list[Diagnostic] = []
    for path in paths:
        try:
            loaded[path] = known[path] if path in known else load_file(path)
        except (SourceError, OSError) as exc:
            problems.append(_file_problem(path, str(exc)))
    return loaded, problems


def _results_of(plan_path: str, results_paths: list[str]) -> list[str]:
    stem = Path(plan_path).stem
    return [p for p in results_paths if Path(p).name.split(".")[0] == stem]


def _plan_entry(
    path: str,
    loaded: LoadResult,
    results_paths: list[str],
    sources: dict[str, str],
    checked: Sequence[Diagnostic] | None = None,
) -> PlanEntry:
    from mrpl.check import all_diagnostics

    diagnostics = tuple(all_diagnostics(loaded) if checked is None else checked)
    if loaded.plan is None or has_errors(diagnostics):
        runs = tuple(_unscored(p, "the plan has errors: fix them before its results are scored") for p in results_paths)
        return PlanEntry(path, loaded, diagnostics, None, runs)
    splan = scoring_plan(loaded.plan)
    runs = sorted((_run(p, splan, sources, loaded.plan) for p in results_paths), key=lambda r: r.sort_key)
    return PlanEntry(path, loaded, diagnostics, splan, tuple(runs))


def _run(path: str, splan: ScoringPlan, sources: dict[str, str], plan: A.Plan | None = None) -> ResultsRun:
    try:
        if os.path.getsize(path) > MAX_RESULTS_BYTES:
            return _unscored(path, f"larger than {MAX_RESULTS_BYTES // (1024 * 1024)} MB: not a results file")
        if plan is not None and is_multi_year(plan):  # a multi-year plan: the file's year (mrpl.years)
            year_plan = _year_plan(path, plan)
            if isinstance(year_plan, Diagnostic):
                return ResultsRun(path, "actual", None, None, (year_plan,))
            splan = year_plan
        results = read_results(path, splan)
    except OSError as exc:
        return _unscored(path, f"cannot read: {exc.strerror or exc}")
    sources[path] = results.source
    diagnostics = tuple(results.diagnostics)
    if not results.ok:
        return ResultsRun(path, results.kind, results.as_of, None, diagnostics, results.source)
    scored = score(splan, results.results)
    kinds = scored.kinds
    kind = kinds[0] if len(kinds) == 1 else ("mixed" if kinds else results.kind)
    as_of = results.as_of or (splan.period.end if splan.period and kind == "actual" else None)
    return ResultsRun(path, kind, as_of, scored, diagnostics, results.source)


def _year_plan(path: str, plan: A.Plan) -> ScoringPlan | Diagnostic:
    """The scoring plan of the year a multi-year plan's results file reports (or why it has none)."""
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        text = fh.read()
    year = results_year(text, path, plan_years(plan) or range(0))
    return year if isinstance(year, Diagnostic) else scoring_plan(plan, year)


def _unscored(path: str, why: str) -> ResultsRun:
    return ResultsRun(path, "actual", None, None, (_file_problem(path, why, Severity.WARNING),))


def _file_problem(path: str, message: str, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic("MRP905", severity, message, A.Span(0, 0, 1, 1, 1, 1, path))


def _orphan(path: str) -> Diagnostic:
    return Diagnostic(
        "MRP904",
        Severity.WARNING,
        "this results file belongs to no plan in the folder",
        A.Span(0, 0, 1, 1, 1, 1, path),
        fix="name it after its plan: PLAN.toml, or PLAN.uo2.toml for one of several",
    )
