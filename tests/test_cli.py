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
