"""The `mrplc` console script, and what its commands share without click.

`run` is the console script (and `python -m mrpl`). A plain `mrplc check PLAN...` (only
paths, `--strict` and `--format text|json`) and `mrplc lsp` are answered here without
importing click: a cold check is mostly start-up, and click's import was a sixth of it
(docs/performance.md).
Every other command line, `--help` and anything unusual (an unknown option, `--`, a missing
path, a stream that is not UTF-8) goes to the click CLI in `mrpl.cli`, which defines the
same `check` with the same function, `check_plans`. tests/test_cli.py runs both ways and
compares what they print and their exit codes.

Exit codes: 0 fine, 1 the plan (or results file) has errors, 2 usage or I/O.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable
from typing import NoReturn

import mrpl
from mrpl.diagnostics import Diagnostic, has_errors, render_json, render_texts, summary

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
CHECK_FORMATS = ("text", "json")


def echo(message: str, err: bool = False) -> None:
    """A line on stdout (or stderr), flushed: `click.echo` for text, without importing click
    (the click CLI uses it too, so both paths print alike)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{message}\n")
    stream.flush()


def fail_usage(message: str) -> NoReturn:
    """An I/O or usage problem: say it on stderr and exit 2."""
    echo(f"mrplc: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def load_or_exit(path: str) -> mrpl.LoadResult:
    if not os.path.isfile(path):
        fail_usage(f"{path}: no such file")
    try:
        return mrpl.load_file(path)
    except mrpl.SourceError as exc:
        fail_usage(str(exc))


def print_diagnostics(diagnostics: Iterable[Diagnostic], sources: dict[str, str], fmt: str = "text") -> None:
    diags = sorted(diagnostics, key=Diagnostic.sort_key)
    if fmt == "json":
        echo(render_json(diags))
        return
    if diags:
        colour = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
        echo(render_texts(diags, sources, colour=colour), err=True)
        echo(summary(diags), err=True)


def plan_files(paths: Iterable[str]) -> list[str]:
    """The files named, a directory standing for every `.mrp` under it (sorted)."""
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(
                os.path.join(folder, name)
                for folder, _, names in os.walk(path)
                for name in names
                if name.endswith(".mrp")
            )
            if not found:
                fail_usage(f"{path}: no .mrp files in this directory")
            out += found
        elif os.path.isfile(path):
            out.append(path)
        else:
            fail_usage(f"{path}: no such file")
    return list(dict.fromkeys(out))


def check_plans(paths: Iterable[str], fmt: str, strict: bool) -> NoReturn:
    """`mrplc check`: print the diagnostics of the plans (a directory: every .mrp under it, and
    the checks across its plans and its results files), and exit 1 if there are errors."""
    from mrpl.check import all_diagnostics
    from mrpl.diagnostics import promote_warnings

    paths = list(paths)
    files = plan_files(paths)  # every file must exist before any is reported
    found: dict[tuple[object, ...], Diagnostic] = {}  # files importing the same shared file report it once
    sources: dict[str, str] = {}
    loaded: dict[str, mrpl.LoadResult] = {}
    checked: dict[str, list[Diagnostic]] = {}
    for path in files:
        result = load_or_exit(path)
        sources.update(result.sources)
        loaded[path] = result
        checked[path] = all_diagnostics(result)
        for d in checked[path]:
            found.setdefault((d.code, d.span, d.message), d)
    for d in folder_diagnostics(paths, sources, loaded, checked):
        found.setdefault((d.code, d.span, d.message), d)
    diagnostics = promote_warnings(found.values()) if strict else list(found.values())
    print_diagnostics(diagnostics, sources, fmt)
    sys.exit(EXIT_ERRORS if has_errors(diagnostics) else EXIT_OK)


def folder_diagnostics(
    paths: Iterable[str],
    sources: dict[str, str],
    loaded: dict[str, mrpl.LoadResult],
    checked: dict[str, list[Diagnostic]],
) -> list[Diagnostic]:
    """For each directory checked: the checks across its plans (MRP9xx) and its results files'.
    The plans already `loaded` and `checked` are not read or checked a second time."""
    folders = [path for path in paths if os.path.isdir(path)]
    if not folders:
        return []  # the portfolio's modules (scoring, results, reports) are not imported for files
    from mrpl.portfolio import cross_plan_diagnostics, load_portfolio

    out: list[Diagnostic] = []
    for path in folders:
        try:
            portfolio = load_portfolio(path, loaded=loaded, checked=checked)
        except mrpl.SourceError as exc:
            fail_usage(str(exc))
        sources.update(portfolio.sources)
        out += portfolio.diagnostics
        out += [d for entry in portfolio.plans for run in entry.runs for d in run.diagnostics]
        out += cross_plan_diagnostics(portfolio)
    return out


def serve_lsp() -> None:
    """`mrplc lsp`: the language server on stdin/stdout. It answers the editor's first messages
    (`initialize`, the plan opened) before loading the protocol library (mrpl/lsp_first.py),
    which then loads with what attrs and cattrs compile taken from the code compiled ahead
    (mrpl/codecache.py): those two were most of the server's start."""
    from mrpl.codecache import compiled_ahead
    from mrpl.gc_pause import collector_paused
    from mrpl.lsp_first import first_session, stored_answer
    from mrpl.lsp_framing import SaneFraming

    framing = SaneFraming(sys.stdin.buffer)
    first = first_session(framing, sys.stdout.buffer, stored_answer())
    with collector_paused():  # the imports make ~110,000 tracked objects, none of them garbage
        compiled_ahead()
        from mrpl.lsp import start
    start(framing, first)


def plain_check(argv: list[str]) -> tuple[list[str], str, bool] | None:
    """(paths, format, strict) when `argv` is a plain `check` command line that needs no
    help, usage message or conversion from click; None for anything else."""
    if len(argv) < 2 or argv[0] != "check" or not _utf8(sys.stdout) or not _utf8(sys.stderr):
        return None
    paths: list[str] = []
    fmt, strict = "text", False
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--strict":
            strict = True
        elif arg == "--format" or arg.startswith("--format="):
            fmt = arg.partition("=")[2] if "=" in arg else next(rest, "")
            if fmt not in CHECK_FORMATS:
                return None
        elif arg.startswith("-") or not arg:
            return None
        else:
            paths.append(arg)
    return (paths, fmt, strict) if paths else None


def _utf8(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None) or ""
    return encoding.lower().replace("-", "").replace("_", "") == "utf8"


def run() -> NoReturn:
    """The `mrplc` console script (and `python -m mrpl`): `check` or the click CLI, then a quick exit.

    Python's last act is a full collection over everything still alive: the parser's
    tables, the plans, the diagnostics; it frees nothing a process about to end needs
    freed, and on a cold `check` it was about a sixth of the run. `gc.freeze()` moves it
    all to the permanent generation, which that collection skips. Output is flushed and
    the exit code is the command's, exactly as from `mrpl.cli.main()`.
    """
    try:
        plain = plain_check(sys.argv[1:])
        if sys.argv[1:] == ["lsp"]:
            _quietly(serve_lsp)
        elif plain is None:
            from mrpl.cli import main

            main()
        else:
            _quietly(check_plans, *plain)
    except SystemExit as exc:
        code = exc.code
    else:  # pragma: no cover (both always exit)
        code = EXIT_OK
    gc.freeze()
    sys.exit(code)


def _quietly(command: object, *args: object) -> None:
    """What click's standalone mode does around a command: Ctrl-C is "Aborted!" and exit 1,
    and a reader that goes away (`mrplc check ... | head`) ends the run with exit 1, quietly."""
    try:
        command(*args)  # type: ignore[operator]
    except KeyboardInterrupt:
        echo("Aborted!", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.stdout = _Discard()  # the interpreter's final flush must not fail again
        sys.exit(1)


class _Discard:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
