"""The command line's help: every command's summary whole (click cuts a first sentence at "e.g.")."""

from __future__ import annotations

import pytest
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
    """`mrplc` (`mrpl.console:run`) freezes the heap before exit; what it prints and its exit codes stay
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


CHECK_COMMAND_LINES = (
    ["check", "examples/kontrolstyrelsen-2024.mrp"],
    ["check", "examples/udlaendingestyrelsen-2022.mrp", "--strict"],
    ["check", "--format", "json", "examples/udlaendingestyrelsen-2022.mrp"],
    ["check", "--format=json", "--strict", "examples/siri-2020.mrp", "examples/siri-2020.mrp"],
    ["check", "examples/allonger"],
    ["check", "examples/missing.mrp"],
    ["check", "examples/results"],  # a directory without plans
    ["check", "tests/fixtures/check/MRP101/bad.mrp", "--format", "text"],
)


@pytest.mark.parametrize("args", CHECK_COMMAND_LINES, ids=lambda args: " ".join(args[1:]))
def test_a_plain_check_prints_what_the_click_command_prints(args: list[str]) -> None:
    """`mrplc check` with plain arguments runs without click (start-up time): the same output
    and exit code as the click command it stands for."""
    import subprocess
    import sys

    from mrpl.console import plain_check

    assert plain_check(args) is not None
    fast = subprocess.run([sys.executable, "-m", "mrpl", *args], capture_output=True, text=True, check=False)
    with_click = subprocess.run(
        [sys.executable, "-c", "import sys; from mrpl.cli import main; main(sys.argv[1:])", *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (fast.returncode, fast.stdout, fast.stderr) == (with_click.returncode, with_click.stdout, with_click.stderr)
    assert fast.returncode in (0, 1, 2) and (fast.stdout or fast.stderr or fast.returncode == 0)


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--help"],
        ["check", "-h", "p.mrp"],
        ["check", "--format", "xml", "p.mrp"],
        ["check", "--format"],
        ["check", "--", "p.mrp"],
        ["check", "--stric", "p.mrp"],
        ["check", ""],
        ["fmt", "p.mrp"],
        [],
    ],
)
def test_anything_but_a_plain_check_goes_to_click(args: list[str]) -> None:
    from mrpl.console import plain_check

    assert plain_check(args) is None


def test_a_plain_check_does_not_import_click() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom mrpl.console import run\nsys.argv = ['mrplc', 'check', 'examples/siri-2020.mrp']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\nprint('click' in sys.modules, 'mrpl.cli' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_run_freezes_the_heap_and_exits_with_mains_code(monkeypatch) -> None:
    import gc
    import sys

    import pytest

    from mrpl.console import run

    monkeypatch.setattr(sys, "argv", ["mrplc", "explain", "MRP999999"])
    try:
        with pytest.raises(SystemExit) as exited:
            run()
        assert exited.value.code == 2
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
