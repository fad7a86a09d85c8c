"""The command line's help: every command's summary whole (click cuts a first sentence at "e.g.")."""

from __future__ import annotations

from click.testing import CliRunner

from mrpl.cli import main


def test_command_summaries_are_not_cut() -> None:
    listing = CliRunner().invoke(main, ["--help"]).output.split("\n", 1)[1]  # after "Usage: ... [ARGS]..."
    assert "..." not in listing
    for name, command in main.commands.items():  # type: ignore[attr-defined]
        summary = command.get_short_help_str(limit=200)
        assert summary and not summary.endswith("..."), name
        text = CliRunner().invoke(main, [name, "--help"]).output.split("\n", 1)[1]  # after "Usage: ... FILES..."
        assert "..." not in text, name


def test_a_snippet_shows_the_line_the_parser_counts() -> None:
    """Form feeds and U+2028 are not line breaks for the parser, so not for the snippet either."""
    from mrpl.diagnostics import render_text
    from mrpl.parse import parse_source

    source = 'plan {\n  titel "a\u2028b"\f\n  år fem\n}\n'
    (error,) = parse_source(source, "p.mrp").diagnostics
    assert error.span.line == 3
    shown = render_text(error, {"p.mrp": source})
    assert "3 |   år fem" in shown


def test_the_console_script_keeps_the_output_and_exit_codes(tmp_path) -> None:
    """`mrplc` (`mrpl.cli:run`) freezes the heap before exit; what it prints and its exit codes stay
    `main`'s: 0 for a clean plan, 1 for errors, 2 for a missing file."""
    import subprocess
    import sys

    bad = tmp_path / "bad.mrp"
    bad.write_text("plan {\n  år fem\n}\n", encoding="utf-8")
    for args, code, said in (
        (["--version"], 0, "mrplc, version"),
        (["check", str(bad)], 1, "MRP"),
        (["check", str(tmp_path / "missing.mrp")], 2, "no such file"),
    ):
        done = subprocess.run([sys.executable, "-m", "mrpl", *args], capture_output=True, text=True, check=False)
        assert done.returncode == code, (args, done.stderr)
        assert said in done.stdout + done.stderr, args


def test_run_freezes_the_heap_and_exits_with_mains_code(monkeypatch) -> None:
    import gc
    import sys

    import pytest

    from mrpl.cli import run

    monkeypatch.setattr(sys, "argv", ["mrplc", "explain", "MRP999999"])
    try:
        with pytest.raises(SystemExit) as exited:
            run()
        assert exited.value.code == 2
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
