"""`mrplc`: a thin command line over the library API.

Exit codes: 0 fine, 1 the plan (or results file) has errors, 2 usage or I/O.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

import mrpl
from mrpl.console import (  # what the commands share with `mrplc check`'s fast path, click-free
    CHECK_FORMATS,
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    check_plans,
    fail_usage,
    load_or_exit,
    print_diagnostics,
)
from mrpl.diagnostics import Severity, has_errors, unread_summary

if TYPE_CHECKING:
    from mrpl import ast as A


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


@main.command("fmt", short_help="Lay out plan files canonically (your words, order and line breaks kept).")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 and name the files that would change.")
@click.option("--lang", type=click.Choice(["da", "en"]), help="Translate the keywords to this language.")
@click.option(
    "--wrap",
    type=click.IntRange(min=40),
    metavar="N",
    help="Refill the paragraphs of text blocks to N columns (default: keep the line breaks as written).",
)
def fmt(files: tuple[str, ...], check: bool, lang: str | None, wrap: int | None) -> None:
    """Rewrite plan FILES in the canonical layout.

    Only layout that carries no meaning changes (indentation, spacing, blank lines, tables
    aligned); the order of statements, the words, the line breaks in texts and the comments
    stay as written. A symbolic link stays a link: the file it points to is rewritten.
    """
    from mrpl.fmt import format_file, write_atomic

    status = EXIT_OK
    for path in files:
        if not os.path.isfile(path):
            fail_usage(f"{path}: no such file")
        try:
            outcome = format_file(path, lang, wrap)
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


@main.command(short_help="Build the contract (Markdown, LaTeX, PDF) or the scoring module.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--to",
    "formats",
    multiple=True,
    required=True,
    type=click.Choice(["md", "tex", "typ", "pdf", "docx", "py"]),
    help="Output format; repeat for several.",
)
@click.option("-o", "--output-dir", "out_dir", type=click.Path(file_okay=False), help="Directory for the outputs.")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True, help="Document language.")
@click.option("--force", is_flag=True, help="Build even if the plan has errors.")
@click.option("--allonge", "allonge_itself", is_flag=True,
              help="FILE is an allonge: build the allonge itself, not the plan as amended.")  # fmt: skip
def build(file: str, formats: tuple[str, ...], out_dir: str | None, lang: str, force: bool,
          allonge_itself: bool) -> None:  # fmt: skip
    """Build documents (Markdown, LaTeX, Typst, PDF, Word) or the Python scoring module from plan FILE.

    FILE may be an allonge: the plan it amends is built as amended, with an amendment log;
    with --allonge, the allonge itself is built as a document.

    Errors are printed in full and stop the build (unless --force); warnings and notes are
    counted on one line: `mrplc check FILE` shows them.
    """
    from mrpl.check import all_diagnostics
    from mrpl.render import AMENDMENT_FORMATS
    from mrpl.render.build import BuildError, write_outputs

    if allonge_itself and (other := [f for f in formats if f not in AMENDMENT_FORMATS]):
        fail_usage(f"--allonge --to {other[0]}: an allonge is built as {', '.join(AMENDMENT_FORMATS)}")
    result = load_or_exit(file)
    amendment = None
    if allonge_itself:
        own = result.root.plan.amendments if result.root.plan is not None else ()
        if not own:
            fail_usage(f"{file}: --allonge builds an allonge, and this file is not one")
        amendment = own[0]
    diagnostics = all_diagnostics(result)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    print_diagnostics(errors, result.sources)
    if (line := unread_summary(diagnostics, file, lang)) is not None:  # `check` shows them in full
        click.echo(line, err=True)
    if has_errors(diagnostics) or result.plan is None:
        if not force or result.plan is None:
            click.echo(f"{file}: not built (fix the errors first, or use --force)", err=True)
            sys.exit(EXIT_ERRORS)
        click.echo(f"mrplc: warning: building {file} despite errors (--force)", err=True)
    try:
        for path in write_outputs(result, file, formats, out_dir, lang, amendment):
            click.echo(f"wrote {path}", err=True)
    except BuildError as exc:
        click.echo(f"mrplc: error: {exc}", err=True)
        sys.exit(EXIT_USAGE if exc.unavailable else EXIT_ERRORS)
    sys.exit(EXIT_OK)


@main.command("check", short_help="Check plans and modules (a directory: every .mrp under it).")
@click.argument("paths", metavar="PLAN...", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt_", type=click.Choice(CHECK_FORMATS), default="text", help="Output format.")
@click.option("--strict", is_flag=True, help="Report warnings as errors.")
def check_command(paths: tuple[str, ...], fmt_: str, strict: bool) -> None:
    """Check plans: weights, numbering, dates, targets, budget, completeness.

    A directory stands for every .mrp file under it; a module of shared goals is checked alone
    and in each plan that imports it (a diagnostic found twice is reported once). A directory is
    also checked as a portfolio: its results files, and the checks across its plans (MRP9xx).
    """
    check_plans(paths, fmt_, strict)


@main.command("explain", short_help="Explain a diagnostic code: MRP101, 101 or weights-total.")
@click.argument("code")
def explain_command(code: str) -> None:
    """Explain a diagnostic CODE (MRP101, 101 or its name, e.g. weights-total)."""
    from mrpl.codes import explain, lookup

    entry = lookup(code)
    if entry is None:
        fail_usage(f"no diagnostic code {code!r}; the codes are listed in docs/diagnostics.md")
        return
    click.echo(explain(entry))


ANNUAL_FORMATS = ("md", "typ", "pdf", "docx")


def annual_report_bytes(plan: mrpl.ast.Plan, scored: object, fmt: str, lang: str, results_path: str,
                        as_of: object) -> bytes:  # fmt: skip
    """The annual report's målrapportering for a scored plan, through the document back-ends."""
    from mrpl.annual_report import annual_report
    from mrpl.render.document import plan_year
    from mrpl.render.documents import render_document

    header = plan.header or mrpl.ast.Header()
    doc = annual_report(scored, lang, results_path, as_of, plan_year(plan), header.ministry or "")  # type: ignore[arg-type]
    try:
        return render_document(doc, fmt)
    except ValueError as exc:
        fail_usage(str(exc))
        raise  # unreachable


@main.command("score", short_help="Score a plan against a results file, or write an empty one.")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False))
@click.argument("results_files", metavar="[RESULTS]...", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--to",
    "fmt_",
    type=click.Choice(["text", "md", "json", "aarsrapport"]),
    default="text",
    show_default=True,
    help="Report format; aarsrapport: the annual report's målrapportering section.",
)
@click.option(
    "--as",
    "document_format",
    type=click.Choice(ANNUAL_FORMATS),
    default="md",
    show_default=True,
    help="With --to aarsrapport: the document format (docx and pdf need -o).",
)
@click.option(
    "--lang", type=click.Choice(["da", "en"]), default="da", show_default=True, help="Language of --to aarsrapport."
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
def score_command(plan_file: str, results_files: tuple[str, ...], fmt_: str, document_format: str, lang: str,
                  template: bool, template_format: str, output: str | None, force: bool,
                  year: int | None) -> None:  # fmt: skip
    """Score PLAN against a RESULTS file (TOML or CSV), or write an empty one with --template
    (also when the plan has errors: they are printed, and the exit status is 1).

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
    years = plan_years(loaded.plan) if loaded.plan is not None and is_multi_year(loaded.plan) else None
    if year is not None and (years is None or year not in years):
        fail_usage(f"--year {year}: " + (f"the plan runs {years[0]}-{years[-1]}" if years else "not a multi-year plan"))
    if template and loaded.plan is not None:
        # The template is how an agency starts reporting: it is written even when the plan has errors
        # (they are on stderr, and the exit status says so).
        template_year = (year or years[0]) if years is not None else None
        text = results_template(scoring_plan(loaded.plan, template_year), template_format)
        _write_output(text, text.encode("utf-8"), output, list(loaded.files))
        if errors:
            click.echo(f"mrplc: warning: {plan_file} has errors; the template may change when they are fixed", err=True)
        sys.exit(EXIT_ERRORS if errors else EXIT_OK)
    if loaded.plan is None or (errors and not force):
        click.echo(f"{plan_file}: not scored (fix the plan's errors first, or use --force)", err=True)
        sys.exit(EXIT_ERRORS)
    if errors:
        click.echo(f"mrplc: warning: scoring {plan_file} despite errors (--force)", err=True)
    if years is not None:
        if fmt_ == "aarsrapport":
            fail_usage("--to aarsrapport takes a one-year plan; a multi-year plan reports --to text, md or json")
        text = _score_years(loaded.plan, years, results_files, year, fmt_)
        _write_output(text, text.encode("utf-8"), output, [*loaded.files, *results_files])
        sys.exit(EXIT_OK)
    if len(results_files) > 1:
        fail_usage("a one-year plan is scored against one RESULTS file")
    results_file = results_files[0]
    splan = scoring_plan(loaded.plan)
    if splan.weighted and splan.stated_total is not None and splan.stated_total != splan.total:
        click.echo(
            f"mrplc: warning: the weights add up to {splan.total} points, not the plan's total of "
            f"{splan.stated_total}: scoring against {splan.total}",
            err=True,
        )
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
    scored = score(splan, results.results, results.assessments)
    if fmt_ == "aarsrapport":
        if output is None and document_format not in ("md", "typ"):
            fail_usage(f"--as {document_format} writes a binary file: give it with -o FILE")
        data = annual_report_bytes(loaded.plan, scored, document_format, lang, results_file, results.as_of)
        text = data.decode("utf-8") if output is None else ""
    else:
        text = render_report(scored, fmt_, results_file, results.as_of)
        data = text.encode("utf-8")
    _write_output(text, data, output, [*loaded.files, results_file])
    sys.exit(EXIT_OK)


def _write_output(text: str, data: bytes, output: str | None, inputs: list[str]) -> None:
    """`text` to stdout, or `data` atomically to `output` (never over one of the `inputs`)."""
    from pathlib import Path

    from mrpl.render.output import OutputError, write_atomic

    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(Path(output), data, inputs)
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
        scored = score(splan, results.results, results.assessments)
        reported[found] = YearResult(found, scored, path, results.as_of)
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


@main.command("diff", short_help="What changed from one plan to another (exit 1 when something did).")
@click.argument("old_file", metavar="OLD", type=click.Path(dir_okay=False))
@click.argument("new_file", metavar="NEW", type=click.Path(dir_okay=False))
@click.option(
    "--to", "fmt_", type=click.Choice(["text", "md", "html", "json", "allonge"]), default="text", show_default=True,
    help="Output format; `allonge` writes the allonge that makes OLD into NEW.",
)  # fmt: skip
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True, help="Report language.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--color/--no-color", "colour", default=None, help="Colour the text output (default: on a terminal).")
def diff_command(old_file: str, new_file: str, fmt_: str, lang: str, output: str | None, colour: bool | None) -> None:
    """What changed from plan OLD to plan NEW: exit 0 nothing, 1 something, 2 an error."""
    from pathlib import Path

    from mrpl.diff import diff_plans
    from mrpl.diff.render import render_diff
    from mrpl.render.output import OutputError, write_atomic

    plans = []
    for path in (old_file, new_file):
        loaded = load_or_exit(path)
        errors = [d for d in loaded.diagnostics if d.severity.name == "ERROR"]
        if loaded.plan is None or errors:
            print_diagnostics(errors, loaded.sources)
            click.echo(f"{path}: cannot compare a plan that does not read (fix the errors first)", err=True)
            sys.exit(EXIT_USAGE)
        plans.append(loaded)
    old, new = plans
    assert old.plan is not None and new.plan is not None
    result = diff_plans(old.plan, new.plan, os.path.basename(old_file), os.path.basename(new_file))
    if colour is None:
        colour = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if fmt_ == "allonge":
        text = _as_allonge(result, new.plan, old_file, output, lang)
    else:
        text = render_diff(result, fmt_, lang, colour=colour and fmt_ == "text")
    if output is None:
        click.echo(text, nl=False, color=colour)
    else:
        try:
            write_atomic(Path(output), text.encode("utf-8"), [*old.files, *new.files])
        except (OutputError, OSError) as exc:
            fail_usage(str(exc))
        click.echo(f"wrote {output}", err=True)
    sys.exit(EXIT_OK if result.empty else EXIT_ERRORS)


@main.command("report", short_help="Goal fulfilment for every plan in a folder, with checks across plans.")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False))
@click.option(
    "--to", "fmt_", type=click.Choice(["html", "md", "json"]), default="md", show_default=True, help="Report format."
)
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True, help="Report language.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
def report_command(folder: str, fmt_: str, lang: str, output: str | None) -> None:
    """Report goal fulfilment for every plan in DIR (a ministry's agencies, several years).

    Results files are matched to plans by name: PLAN.toml, or PLAN.uo2.toml for one of several
    follow-ups. The diagnostics of every plan and the cross-plan checks go to stderr, as
    `mrplc check DIR` prints them.
    """
    from pathlib import Path

    from mrpl.portfolio import load_portfolio, portfolio_data, portfolio_diagnostics
    from mrpl.render.output import OutputError, write_atomic
    from mrpl.render.portfolio import render_portfolio

    if not os.path.isdir(folder):
        fail_usage(f"{folder}: no such folder")
    try:
        portfolio = load_portfolio(folder)
    except mrpl.SourceError as exc:
        fail_usage(str(exc))
        return
    diagnostics = portfolio_diagnostics(portfolio)
    print_diagnostics([d for d in diagnostics if d.severity.name == "ERROR"], portfolio.sources)
    text = render_portfolio(portfolio_data(portfolio, lang), fmt_)
    if output is None:
        click.echo(text, nl=False)
    else:
        sources = [p.path for p in portfolio.plans] + [r.path for p in portfolio.plans for r in p.runs]
        try:
            write_atomic(Path(output), text.encode("utf-8"), sources)
        except (OutputError, OSError) as exc:
            fail_usage(str(exc))
        click.echo(f"wrote {output}", err=True)
    sys.exit(EXIT_ERRORS if has_errors(diagnostics) else EXIT_OK)


def _as_allonge(result: object, new: object, old_file: str, output: str | None, lang: str) -> str:
    """The allonge that makes the old plan into the new one; exit 2 naming what an allonge cannot state."""
    from mrpl.amend.write import allonge_from_diff
    from mrpl.diff.words import entries

    where = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    plan_ref = os.path.relpath(os.path.abspath(old_file), where).replace(os.sep, "/")
    written = allonge_from_diff(result, new, plan_ref, lang)  # type: ignore[arg-type]
    if written.text is None:
        if not written.unsupported:
            click.echo("mrplc: nothing changed: no allonge to write", err=True)
            sys.exit(EXIT_OK)
        shown = [e for e in entries(result, "en") if e.change in written.unsupported]  # type: ignore[arg-type]
        click.echo("mrplc: error: an allonge cannot state these changes (they belong in a new plan):", err=True)
        for e in shown:
            click.echo(f"  {e.group}: {e.what}", err=True)
        sys.exit(EXIT_USAGE)
    return written.text


@main.command("lsp")
def lsp() -> None:
    """Run the language server on stdin/stdout (for editors)."""
    from mrpl.console import serve_lsp

    serve_lsp()


if __name__ == "__main__":  # pragma: no cover
    main()
