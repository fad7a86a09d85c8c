"""`mrplc`: a thin command line over the library API.

Exit codes: 0 fine, 1 the plan (or results file) has errors, 2 usage or I/O.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import click

import mrpl
from mrpl.diagnostics import Diagnostic, has_errors, render_json, render_texts, summary

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


if __name__ == "__main__":  # pragma: no cover
    main()
