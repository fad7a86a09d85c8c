"""`mrplc`: a thin command line over the library API.

Exit codes: 0 fine, 1 the plan (or results file) has errors, 2 usage or I/O.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

import click

import mrpl
from mrpl.diagnostics import Diagnostic, has_errors, render_json, render_texts, summary

if TYPE_CHECKING:
    from mrpl import ast as A

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def fail_usage(message: str) -> None:
    """An I/O or usage problem: say it on stderr and exit 2."""
    click.echo(f"mrplc: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def load_or_exit(path: str) -> mrpl.LoadResult:
    if not os.path.isfile(path):
        fail_usage(f"{path}: no such file")
    try:
        return mrpl.load_file(path)
    except mrpl.SourceError as exc:
        fail_usage(str(exc))
        raise  # unreachable


def print_diagnostics(diagnostics: Iterable[Diagnostic], sources: dict[str, str], fmt: str = "text") -> None:
    diags = sorted(diagnostics, key=Diagnostic.sort_key)
    if fmt == "json":
        click.echo(render_json(diags))
        return
    if diags:
        colour = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
        click.echo(render_texts(diags, sources, colour=colour), err=True)
        click.echo(summary(diags), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(mrpl.__version__, prog_name="mrplc")
def main() -> None:
    """mrpl: mål- og resultatplaner as code."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--spans", is_flag=True, help="Include source positions.")
@click.option("--no-imports", is_flag=True, help="Show the file alone, imports unresolved.")
def parse(file: str, spans: bool, no_imports: bool) -> None:
    """Print the syntax tree of FILE as JSON."""
    from mrpl.serialize import to_json

    result = load_or_exit(file)
    plan = result.root.plan if no_imports else result.plan
    errors = [d for d in result.diagnostics if d.severity.name == "ERROR"]
    print_diagnostics(errors, result.sources)
    if plan is not None and not has_errors(errors):
        click.echo(to_json(plan, spans=spans))
    sys.exit(EXIT_ERRORS if has_errors(errors) else EXIT_OK)


@main.command("fmt")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 and name the files that would change.")
@click.option("--lang", type=click.Choice(["da", "en"]), help="Keyword language (default: the file's own).")
def fmt(files: tuple[str, ...], check: bool, lang: str | None) -> None:
    """Rewrite plan FILES in the canonical layout (comments kept)."""
    from mrpl.fmt import format_file, write_atomic

    status = EXIT_OK
    for path in files:
        if not os.path.isfile(path):
            fail_usage(f"{path}: no such file")
        try:
            outcome = format_file(path, lang)
        except mrpl.SourceError as exc:
            fail_usage(str(exc))
            raise  # unreachable
        if outcome.diagnostics or outcome.error:
            print_diagnostics(outcome.diagnostics, {path: outcome.original})
            if outcome.error:
                click.echo(f"mrplc: error: {outcome.error}", err=True)
            click.echo(f"{path}: not formatted (fix the errors first)", err=True)
            status = EXIT_ERRORS
        elif outcome.changed and check:
            click.echo(f"would reformat {path}")
            status = EXIT_ERRORS
        elif outcome.changed and outcome.formatted is not None:
            write_atomic(path, outcome.formatted)
            click.echo(f"reformatted {path}", err=True)
    sys.exit(status)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--to",
    "formats",
    multiple=True,
    required=True,
    type=click.Choice(["md", "tex", "pdf", "py"]),
    help="Output format; repeat for several.",
)
@click.option("-o", "--output-dir", "out_dir", type=click.Path(file_okay=False), help="Directory for the outputs.")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True, help="Document language.")
@click.option("--force", is_flag=True, help="Build even if the plan has errors.")
def build(file: str, formats: tuple[str, ...], out_dir: str | None, lang: str, force: bool) -> None:
    """Build documents (Markdown, LaTeX, PDF) from plan FILE."""
    from mrpl.check import all_diagnostics
    from mrpl.render.build import BuildError, write_outputs

    result = load_or_exit(file)
    diagnostics = all_diagnostics(result)
    print_diagnostics(diagnostics, result.sources)
    if has_errors(diagnostics) or result.plan is None:
        if not force or result.plan is None:
            click.echo(f"{file}: not built (fix the errors first, or use --force)", err=True)
            sys.exit(EXIT_ERRORS)
        click.echo(f"mrplc: warning: building {file} despite errors (--force)", err=True)
    try:
        for path in write_outputs(result, file, formats, out_dir, lang):
            click.echo(f"wrote {path}", err=True)
    except BuildError as exc:
        click.echo(f"mrplc: error: {exc}", err=True)
        sys.exit(EXIT_USAGE if exc.unavailable else EXIT_ERRORS)
    sys.exit(EXIT_OK)


@main.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt_", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.option("--strict", is_flag=True, help="Report warnings as errors.")
def check_command(files: tuple[str, ...], fmt_: str, strict: bool) -> None:
    """Check plan FILES: weights, numbering, dates, targets, budget, completeness."""
    from mrpl.check import all_diagnostics
    from mrpl.diagnostics import promote_warnings

    for path in files:  # every file must exist before any is reported
        if not os.path.isfile(path):
            fail_usage(f"{path}: no such file")
    found: dict[tuple[object, ...], Diagnostic] = {}  # files importing the same shared file report it once
    sources: dict[str, str] = {}
    for path in files:
        result = load_or_exit(path)
        sources.update(result.sources)
        for d in all_diagnostics(result):
            found.setdefault((d.code, d.span, d.message), d)
    diagnostics = promote_warnings(found.values()) if strict else list(found.values())
    print_diagnostics(diagnostics, sources, fmt_)
    sys.exit(EXIT_ERRORS if has_errors(diagnostics) else EXIT_OK)


@main.command("explain")
@click.argument("code")
def explain_command(code: str) -> None:
    """Explain a diagnostic CODE (MRP101, 101 or its name, e.g. weights-total)."""
    from mrpl.codes import explain, lookup

    entry = lookup(code)
    if entry is None:
        fail_usage(f"no diagnostic code {code!r}; the codes are listed in docs/diagnostics.md")
        return
    click.echo(explain(entry))


@main.command("score")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False))
@click.argument("results_files", metavar="[RESULTS]...", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--to", "fmt_", type=click.Choice(["text", "md", "json"]), default="text", show_default=True, help="Report format."
)
@click.option("--template", is_flag=True, help="Write an empty results file for PLAN instead of scoring.")
@click.option(
    "--template-format",
    type=click.Choice(["toml", "csv"]),
    default="toml",
    show_default=True,
    help="Format of the --template file.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Score even if the plan has errors (the results file must still be valid).")
@click.option("--year", type=int, help="Multi-year plans: the year of the --template, or of a CSV results file.")
def score_command(plan_file: str, results_files: tuple[str, ...], fmt_: str, template: bool, template_format: str,
                  output: str | None, force: bool, year: int | None) -> None:  # fmt: skip
    """Score PLAN against a RESULTS file (TOML or CSV), or write an empty one with --template.

    A multi-year plan takes one RESULTS file per year (each says its `year`) and reports
    the years side by side and the whole period."""

    from mrpl.check import all_diagnostics
    from mrpl.report import render_report
    from mrpl.results import read_results, results_template
    from mrpl.score import score, scoring_plan
    from mrpl.years import is_multi_year, plan_years

    if not template and not results_files:
        fail_usage("give a RESULTS file to score, or --template to write an empty one")
    loaded = load_or_exit(plan_file)
    errors = [d for d in all_diagnostics(loaded) if d.severity.name == "ERROR"]
    print_diagnostics(errors, loaded.sources)
    if loaded.plan is None or (errors and not force):
        click.echo(f"{plan_file}: not scored (fix the plan's errors first, or use --force)", err=True)
        sys.exit(EXIT_ERRORS)
    if errors:
        click.echo(f"mrplc: warning: scoring {plan_file} despite errors (--force)", err=True)
    years = plan_years(loaded.plan) if is_multi_year(loaded.plan) else None
    if year is not None and (years is None or year not in years):
        fail_usage(f"--year {year}: " + (f"the plan runs {years[0]}-{years[-1]}" if years else "not a multi-year plan"))
    if years is not None:
        if template:
            text = results_template(scoring_plan(loaded.plan, year or years[0]), template_format)
        else:
            text = _score_years(loaded.plan, years, results_files, year, fmt_)
        _write_report(text, output, [*loaded.files, *results_files])
        sys.exit(EXIT_OK)
    if len(results_files) > 1:
        fail_usage("a one-year plan is scored against one RESULTS file")
    results_file = results_files[0] if results_files else None
    splan = scoring_plan(loaded.plan)
    if template:
        text = results_template(splan, template_format)
    else:
        assert results_file is not None
        if not os.path.isfile(results_file):
            fail_usage(f"{results_file}: no such file")
        try:
            results = read_results(results_file, splan)
        except OSError as exc:
            fail_usage(f"{results_file}: cannot read: {exc.strerror or exc}")
            return
        print_diagnostics(results.diagnostics, {results_file: results.source})
        if not results.ok:
            click.echo(f"{results_file}: nothing scored (fix the errors first)", err=True)
            sys.exit(EXIT_ERRORS)
        text = render_report(score(splan, results.results), fmt_, results_file, results.as_of)
    _write_report(text, output, [*loaded.files, *([results_file] if results_file else [])])
    sys.exit(EXIT_OK)


def _write_report(text: str, output: str | None, inputs: list[str]) -> None:
    from pathlib import Path

    from mrpl.render.output import OutputError, write_atomic

    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(Path(output), text.encode("utf-8"), inputs)
    except (OutputError, OSError) as exc:
        fail_usage(str(exc))
    click.echo(f"wrote {output}", err=True)


def _score_years(plan: A.Plan, years: range, paths: tuple[str, ...], year: int | None, fmt_: str) -> str:
    """Score each year's results file of a multi-year plan; the period report (exits on errors)."""
    from mrpl.period import YearResult, score_period
    from mrpl.report import render_period_report
    from mrpl.results import parse_results, results_year
    from mrpl.score import score, scoring_plan

    if year is not None and len(paths) > 1:
        fail_usage("--year names the year of one RESULTS file; with several, each file says its `year`")
    reported: dict[int, YearResult] = {}
    for path in paths:
        text = _read_text(path)
        found = year if year is not None else results_year(text, path, years)
        if not isinstance(found, int):
            print_diagnostics([found], {path: text})
            click.echo(f"{path}: nothing scored (fix the errors first)", err=True)
            sys.exit(EXIT_ERRORS)
        if found in reported:
            fail_usage(f"{path}: a second results file for {found} (the first is {reported[found].path})")
        splan = scoring_plan(plan, found)
        results = parse_results(text, path, splan)
        print_diagnostics(results.diagnostics, {path: text})
        if not results.ok:
            click.echo(f"{path}: nothing scored (fix the errors first)", err=True)
            sys.exit(EXIT_ERRORS)
        reported[found] = YearResult(found, score(splan, results.results), path, results.as_of)
    return render_period_report(score_period(years, list(reported.values())), fmt_)


def _read_text(path: str) -> str:
    """A results file's text; a usage error (exit 2) when it cannot be read."""
    if not os.path.isfile(path):
        fail_usage(f"{path}: no such file")
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        return raw.decode("utf-8-sig")
    except OSError as exc:
        fail_usage(f"{path}: cannot read: {exc.strerror or exc}")
    except UnicodeDecodeError:
        fail_usage(f"{path}: not UTF-8 text (in Excel: save as 'CSV UTF-8')")
    return ""


@main.command("lsp")
def lsp() -> None:
    """Run the language server on stdin/stdout (for editors)."""
    from mrpl.lsp import start

    start()


if __name__ == "__main__":  # pragma: no cover
    main()
