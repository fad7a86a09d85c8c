"""Regression tests for the hardening issue (#18): bad input gives diagnostics, never a
traceback; imports stay inside the project; generated output cannot be injected into.

Each section is one item of the issue; docs/hardening.md describes the policies.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import mrpl
import mrpl.parse
import mrpl.project
from mrpl import incremental
from mrpl.check import all_diagnostics
from mrpl.cli import main
from mrpl.diagnostics import render_texts
from mrpl.lsp_transport import SaneFraming
from mrpl.parse import parse_source
from mrpl.results import parse_results, results_template
from mrpl.score import scoring_plan
from mrpl.serialize import to_json

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "tests" / "fixtures" / "results"
PLAN_TEXT = (RESULTS / "plan.mrp").read_text(encoding="utf-8")
CLEAN = (ROOT / "tests" / "fixtures" / "check" / "MRP020" / "good.mrp").read_text(encoding="utf-8")


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def codes(text: str, path: str = "t.mrp") -> list[str]:
    return [d.code for d in all_diagnostics(mrpl.load_string(text, path))]


def plan_with(old: str, new: str, base: str = PLAN_TEXT) -> str:
    assert old in base
    return base.replace(old, new, 1)


# ---------------------------------------------------------------- 1. check rejects what later stages cannot handle


@pytest.mark.parametrize("deadline", ["ultimo 0", "ultimo 99999", "Q1 0", "2. kvartal 1800", "primo maj 2300"])
def test_years_outside_the_sane_range_are_errors(deadline: str, tmp_path: Path) -> None:
    text = plan_with("frist 2. kvartal", f"frist {deadline}")
    assert "MRP330" in codes(text)
    plan = tmp_path / "plan.mrp"
    plan.write_text(text, encoding="utf-8")
    code, _, err = cli("build", str(plan), "--to", "py", "--to", "md", "-o", str(tmp_path / "out"), "--force")
    assert code == 0, err  # built despite the error, without a traceback
    code, out, err = cli("score", str(plan), "--template", "--force")
    assert code in (0, 1) and "[[result]]" in out and "Traceback" not in err, err


def test_a_fifth_quarter_builds_with_force(tmp_path: Path) -> None:
    plan = tmp_path / "plan.mrp"
    plan.write_text(plan_with("frist 2. kvartal", "frist 5. kvartal"), encoding="utf-8")
    code, _, err = cli("build", str(plan), "--to", "py", "-o", str(tmp_path / "out"), "--force")
    assert code == 0 and "MRP303" in err


@pytest.mark.parametrize("digits", [16, 30, 5000])
def test_numbers_with_too_many_digits_are_one_error(digits: int) -> None:
    text = plan_with("vægt 40", "vægt " + "9" * digits)
    assert codes(text) == ["MRP021"]  # the syntax error alone: no weight total computed with it


def test_fifteen_digits_are_read_and_printed() -> None:
    from mrpl.i18n import format_number

    text = plan_with("måltal antal mindst 3500", "måltal antal mindst 999999999999999")
    assert "MRP021" not in codes(text)
    assert format_number(mrpl.parse._decimal(mrpl.parse.Token("NUMBER", "999999999999999,999999999999999")))


# ---------------------------------------------------------------- 2. no traceback in the parser


@pytest.mark.parametrize(
    "deadline", ["99999999999999999999. maj 2022", "99999999999999999999", "31. maj 99999999999999999999"]
)
def test_huge_days_and_years_are_syntax_errors(deadline: str) -> None:
    text = plan_with("frist 2. kvartal", f"frist {deadline}")
    assert codes(text) == ["MRP021"]


def _nested(depth: int) -> str:
    inner = 'del "x" { vægt 20; måltal andel mindst 90 % inden for 31 dage }'
    for n in range(depth):
        inner = f'gruppe "g{n}" {{ {inner} }}'
    return plan_with('del "Beløbsordningen" { vægt 20; måltal andel mindst 90 % inden for 31 dage }', inner)


@pytest.mark.parametrize("depth", [250, 400, 5000])
def test_deep_nesting_is_refused_by_the_parser(depth: int, tmp_path: Path) -> None:
    text = _nested(depth)
    result = parse_source(text, "deep.mrp")
    assert result.plan is None and [d.code for d in result.diagnostics] == ["MRP003"]
    plan = tmp_path / "deep.mrp"
    plan.write_text(text, encoding="utf-8")
    for command in (["fmt", "--check"], ["parse"], ["check"]):
        code, _, err = cli(*command, str(plan))
        assert code == 1 and "MRP003" in err and "Traceback" not in err


def test_nesting_up_to_the_limit_goes_through_every_stage(tmp_path: Path) -> None:
    from mrpl.fmt import format_source
    from mrpl.render import render

    text = _nested(mrpl.parse.MAX_NESTING - 6)
    loaded = mrpl.load_string(text, "deep.mrp")
    assert loaded.plan is not None and not loaded.diagnostics
    assert to_json(loaded.plan)
    assert format_source(text, "deep.mrp") is not None
    for fmt in ("md", "tex", "py"):
        assert render(loaded.plan, fmt)


# ---------------------------------------------------------------- 3. imports stay inside the project


def _importing(target: str) -> str:
    return plan_with('afsnit 1 "Faglige mål" {', f'afsnit 1 "Faglige mål" {{\n  importer "{target}"', CLEAN)


def _load_codes(tmp: Path, target: str) -> tuple[list[str], str]:
    plan = tmp / "plan.mrp"
    plan.write_text(_importing(target), encoding="utf-8")
    loaded = mrpl.load_file(str(plan))
    text = render_texts(loaded.diagnostics, loaded.sources)
    return [d.code for d in loaded.diagnostics], text


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../../../etc/passwd", "/dev/zero"])
def test_imports_outside_the_root_are_refused_unread(target: str, tmp_path: Path) -> None:
    found, text = _load_codes(tmp_path, target)
    assert found == ["MRP030"]
    assert "root:" not in text and "/etc/passwd" not in mrpl.load_file(str(tmp_path / "plan.mrp")).sources


def test_a_link_out_of_the_root_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.mrp").symlink_to("/dev/zero")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.mrp"
    outside.write_text(CLEAN, encoding="utf-8")
    (tmp_path / "out.mrp").symlink_to(outside)
    assert _load_codes(tmp_path, "zero.mrp")[0] == ["MRP030"]
    assert _load_codes(tmp_path, "out.mrp")[0] == ["MRP030"]


def test_special_files_are_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.mrp")
    (tmp_path / "folder.mrp").mkdir()
    (tmp_path / "loop.mrp").symlink_to(tmp_path / "loop2.mrp")
    (tmp_path / "loop2.mrp").symlink_to(tmp_path / "loop.mrp")
    (tmp_path / "notes.txt").write_text("secret: hunter2\n", encoding="utf-8")
    for target in ("pipe.mrp", "folder.mrp", "loop.mrp", "notes.txt"):
        found, text = _load_codes(tmp_path, target)
        assert found == ["MRP031"], target
        assert "hunter2" not in text
    assert _load_codes(tmp_path, "missing.mrp")[0] == ["MRP007"]


def test_a_file_too_large_to_be_a_plan_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "big.mrp").write_text(CLEAN * 10, encoding="utf-8")
    monkeypatch.setattr(mrpl.project, "MAX_PLAN_BYTES", 5000)  # above the root plan, below the import
    assert _load_codes(tmp_path, "big.mrp")[0] == ["MRP031"]
    with pytest.raises(mrpl.project.FileTooLarge):
        mrpl.project.read_plan_bytes(str(tmp_path / "big.mrp"))


def test_a_declared_root_lets_plans_share_a_sibling_folder(tmp_path: Path) -> None:
    (tmp_path / "agency").mkdir()
    (tmp_path / "shared").mkdir()
    shared = (ROOT / "tests" / "fixtures" / "check" / "MRP007" / "shared.mrp").read_text(encoding="utf-8")
    (tmp_path / "shared" / "goals.mrp").write_text(shared, encoding="utf-8")
    assert _load_codes(tmp_path / "agency", "../shared/goals.mrp")[0] == ["MRP030"]
    (tmp_path / "mrpl.toml").write_text("# the project root\n", encoding="utf-8")
    assert "MRP030" not in _load_codes(tmp_path / "agency", "../shared/goals.mrp")[0]
    assert mrpl.project.project_root(str(tmp_path / "agency" / "plan.mrp")) == str(tmp_path.resolve())


def test_the_language_server_reader_is_never_asked_for_a_refused_file(tmp_path: Path) -> None:
    asked: list[str] = []

    def reader(path: str) -> str:
        asked.append(path)
        return CLEAN

    root = parse_source(_importing("/etc/passwd"), str(tmp_path / "plan.mrp"))
    loaded = mrpl.load.load_parsed(root, reader=reader)
    assert [d.code for d in loaded.diagnostics] == ["MRP030"] and asked == []


def test_a_root_plan_that_is_not_a_file_is_a_usage_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.mrp")
    code, _, err = cli("check", str(tmp_path / "pipe.mrp"))
    assert code == 2 and "Traceback" not in err


# ---------------------------------------------------------------- 4. placeholders in every text field


def test_placeholders_in_one_line_texts_are_filled() -> None:
    text = plan_with('mål 1.1 "Service" {', 'mål 1.1 "{{styrelse}}s IT-sikkerhed" {', CLEAN)
    loaded = mrpl.load_string(text, "t.mrp")
    assert loaded.plan is not None and loaded.plan.all_goals()[0].area == "Teststyrelsens IT-sikkerhed"


def test_an_unknown_placeholder_in_a_title_is_an_error() -> None:
    text = plan_with('mål 1.1 "Service" {', 'mål 1.1 "{{styrlese}}s IT-sikkerhed" {', CLEAN)
    assert codes(text) == ["MRP009"]


# ---------------------------------------------------------------- 5. no injected output

HOSTILE_TITLE = 'Plan"\nkind = "expected"\n[[result]]\nid = "9.9" =cmd|\' /C calc\'!A0 \x1b[31m\x07 <script>x</script>'


def _hostile_splan():  # type: ignore[no-untyped-def]
    text = plan_with('titel "Mål- og resultatplan 2022"', 'titel "x"')
    plan = mrpl.load_string(text, "t.mrp").plan
    assert plan is not None
    import dataclasses

    header = dataclasses.replace(plan.header, title=HOSTILE_TITLE)
    goal = dataclasses.replace(plan.sections[0].goals[0], area='=HYPERLINK("http://x")\n# comment')
    section = dataclasses.replace(plan.sections[0], goals=(goal, *plan.sections[0].goals[1:]))
    return scoring_plan(dataclasses.replace(plan, header=header, sections=(section, *plan.sections[1:])))


def test_the_toml_template_keeps_plan_text_in_strings() -> None:
    splan = _hostile_splan()
    text = results_template(splan, "toml")
    data = tomllib.loads(text)
    assert data["kind"] == "actual" and data["plan"].startswith(HOSTILE_TITLE)
    assert all(r["id"] != "9.9" for r in data["result"])
    assert parse_results(text, "r.toml", splan).ok


def test_the_csv_template_cannot_start_a_formula() -> None:
    text = results_template(_hostile_splan(), "csv")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'=HYPERLINK" in text


NOTE = "<script>alert(1)</script> <img src=x onerror=alert(1)> \u001b[2J\u0007 | *x*"


def test_reports_escape_result_notes(tmp_path: Path) -> None:
    results = tmp_path / "r.toml"
    escaped = json.dumps(NOTE)  # a TOML basic string
    results.write_text(f'[[result]]\nid = "1.1.a"\nvalue = "85 %"\nnote = {escaped}\n', encoding="utf-8")
    code, md, err = cli("score", str(RESULTS / "plan.mrp"), str(results), "--to", "md")
    assert code == 0, err
    assert "<script>" not in md and "\x1b" not in md and "\x07" not in md
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    code, text, _ = cli("score", str(RESULTS / "plan.mrp"), str(results), "--to", "text")
    assert code == 0 and "\x1b" not in text and "\x07" not in text and "[2J" in text


def test_text_diagnostics_show_control_characters_escaped(tmp_path: Path) -> None:
    plan = tmp_path / "plan.mrp"
    plan.write_text(plan_with("vægt 40", 'vægt "\x1b]0;owned\x07"'), encoding="utf-8")
    code, _, err = cli("check", str(plan))
    assert code == 1 and "\x1b" not in err and "\x07" not in err and "\ufffd]0;owned" in err


# ---------------------------------------------------------------- 6. results files


def _results(text: str, name: str = "r.toml") -> list[str]:
    splan = scoring_plan(mrpl.load_string(PLAN_TEXT, "plan.mrp").plan)  # type: ignore[arg-type]
    out = parse_results(text, name, splan)
    assert not out.ok
    return [d.code for d in out.diagnostics]


@pytest.mark.parametrize(
    "value",
    ["nan", "inf", "-inf", "9" * 38, '"' + "9" * 40 + ',5 dage"', "1e400", '"1,' + "1" * 20 + ' dage"'],
)
def test_results_numbers_out_of_range_are_diagnostics(value: str) -> None:
    assert _results(f'[[result]]\nid = "1.1.b"\nvalue = {value}\n') == ["MRP802"]


def test_results_nested_too_deeply() -> None:
    assert _results('[[result]]\nid = "1.1.c"\nvalue = ' + "[" * 5000 + "]" * 5000 + "\n") == ["MRP808"]
    assert _results('[[result]]\nid = "1.1.c"\nvalue = ' + "[" * 50 + "]" * 50 + "\n") == ["MRP808"]


def test_results_csv_cell_over_the_limit_and_repeated_columns() -> None:
    assert _results("id;value;note\n1.1.a;85 %;" + "x" * 140_000 + "\n", "r.csv") == ["MRP808"]
    assert _results("id;value;value\n1.1.a;85 %;50 %\n", "r.csv") == ["MRP808"]


# ---------------------------------------------------------------- 7. the language server's transport


def _frame(body: bytes, length: bytes | None = None) -> bytes:
    header = b"Content-Length: " + (str(len(body)).encode() if length is None else length) + b"\r\n"
    return (header if length != b"" else b"Content-Type: x\r\n") + b"\r\n" + body


@pytest.mark.parametrize("bad", [b"99999999999999999999", b"-5", b"abc", b"", b"0"])
def test_a_bad_content_length_drops_one_message_only(bad: bytes) -> None:
    good = b'{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}'
    stream = io.BytesIO(_frame(b'{"jsonrpc": "2.0", "id": 1}', bad) + _frame(good) + _frame(good))
    framing = SaneFraming(stream)  # type: ignore[arg-type]
    bodies = []
    while True:
        header = framing.readline()
        if not header:
            break
        assert header.startswith(b"Content-Length: ")
        assert framing.readline() == b"\r\n"
        bodies.append(framing.read(int(header.split(b":")[1])))
    assert bodies == [good, good]


def test_the_server_answers_after_bad_frames_and_invalid_params(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "mrpl", "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert server.stdin is not None and server.stdout is not None

    def send(message: dict[str, object], length: bytes | None = None) -> None:
        server.stdin.write(_frame(json.dumps(message).encode(), length))  # type: ignore[union-attr]
        server.stdin.flush()  # type: ignore[union-attr]

    def answer(wanted: int) -> dict[str, object]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            header = server.stdout.readline()  # type: ignore[union-attr]
            length = int(header.split(b":")[1])
            while server.stdout.readline().strip():  # type: ignore[union-attr]
                pass
            message = json.loads(server.stdout.read(length))  # type: ignore[union-attr]
            if message.get("id") == wanted:
                return message
        raise AssertionError(f"no answer to request {wanted}")

    try:
        send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
        answer(1)
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        uri = (tmp_path / "x.mrp").as_uri()
        doc = {"uri": uri, "languageId": "mrpl", "version": 1, "text": 'mål 1.1 "A" { }\n'}
        send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": doc}})
        for n, bad in enumerate([b"99999999999999999999", b"-1", b"x", b""]):
            send({"jsonrpc": "2.0", "id": 100 + n, "method": "shutdown"}, bad)
            position = {"line": 0, "character": 1}
            send({"jsonrpc": "2.0", "id": 10 + n, "method": "textDocument/hover",
                  "params": {"textDocument": {"uri": uri}, "position": position}})  # fmt: skip
            assert "result" in answer(10 + n)
        send({"jsonrpc": "2.0", "id": 20, "method": "textDocument/hover",
              "params": {"textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}}})  # fmt: skip
        assert answer(20)["error"]["code"] == -32602  # type: ignore[index]
    finally:
        server.kill()
        server.wait()


# ---------------------------------------------------------------- 8. no quadratic paths


def test_text_diagnostics_split_each_source_once() -> None:
    class CountingText(str):
        splits = 0

        def split(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            CountingText.splits += 1
            return super().split(*args, **kwargs)

    source = CountingText(CLEAN)
    result = mrpl.load_string(CLEAN.replace("vægt 40", 'vægt "x"'), "t.mrp")
    diagnostics = [result.diagnostics[0]] * 50
    render_texts(diagnostics, {"t.mrp": source})
    assert CountingText.splits == 1


def test_error_recovery_gives_up_on_a_line_of_garbage(monkeypatch: pytest.MonkeyPatch) -> None:
    real = mrpl.parse._parser()
    calls = 0

    class Counting:
        def parse(self, source: str, on_error):  # type: ignore[no-untyped-def]
            def counted(exc):  # type: ignore[no-untyped-def]
                nonlocal calls
                calls += 1
                return on_error(exc)

            return real.parse(source, on_error=counted)

    monkeypatch.setattr(mrpl.parse, "_parser", lambda: Counting())
    result = parse_source('mål 1.1 "A" {\n' + "} " * 50_000 + "\n}\n", "garbage.mrp")
    assert result.diagnostics and calls <= mrpl.parse.MAX_RECOVERIES


# ---------------------------------------------------------------- 11. incremental re-parse


@pytest.mark.parametrize("tail", ["", "\n"])
def test_incremental_span_after_removing_a_space_in_the_last_statement(tail: str) -> None:
    for before in ('fodnote 1 "abc"', 'mål 1.1 "A" { }\nfodnote 1 "abc"'):
        old = parse_source(before + tail, "x.mrp")
        new_text = (before + tail).replace('1 "', '1"')
        got, want = incremental.reparse(old, new_text), parse_source(new_text, "x.mrp")
        assert got.plan is not None and want.plan is not None
        assert got.plan.span == want.plan.span


# ---------------------------------------------------------------- 10. LaTeX


def test_latex_sets_every_latin_extended_a_letter_and_no_comma_ligature() -> None:
    from mrpl.render.escape import latex_text

    assert latex_text("ħ ſ ĸ ŉ Ŧ ŀ") == r"\mrplchar{0127} \mrplchar{017F} \mrplchar{0138} \mrplchar{0149} " + (
        r"\mrplchar{0166} \mrplchar{0140}"
    )
    assert latex_text("æ ø å ő ł") == "æ ø å ő ł"  # in T1: set as they are
    assert latex_text("a,,b,,,c") == "a,{},b,{},{},c"


@pytest.mark.skipif(shutil.which("latexmk") is None, reason="TeX Live is needed")
def test_tex_writes_generated_fonts_inside_its_build_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A backquote needs a font TeX generates on the fly (mktexpk); it must not land in the
    user's TEXMFVAR or home directory."""
    from mrpl.render import render
    from mrpl.render.latex_pdf import compile_latex

    outside, home = tmp_path / "texmf-var", tmp_path / "home"
    outside.mkdir()
    home.mkdir()
    monkeypatch.setenv("TEXMFVAR", str(outside))
    monkeypatch.setenv("HOME", str(home))
    text = plan_with('mål 1.1 "Service" {', 'mål 1.1 "`Service` ħ ſ ĸ ŉ ,, x" {', CLEAN)
    plan = mrpl.load_string(text, "t.mrp").plan
    assert plan is not None
    assert compile_latex(render(plan, "tex"), "t")[0].startswith(b"%PDF")
    assert list(outside.rglob("*")) == [] and list(home.rglob("*")) == []


# ---------------------------------------------------------------- found by the fuzz target


def test_fmt_is_idempotent_when_a_text_line_is_indented_less_than_the_closing_quotes() -> None:
    # A mutation that moved a word to the start of a line inside a """ text: the closing
    # quotes' indentation became a line of blanks in the first formatting, gone in the second.
    from mrpl.fmt import format_source

    text = plan_with(
        'tekst "Sagerne afgøres inden for 30 dage"',
        'tekst """\n        Sagerne afgøres\nhurtigt\n        inden for 30 dage\n      """',
        CLEAN,
    )
    once = format_source(text, "t.mrp")
    assert format_source(once, "t.mrp") == once
    assert '\n\n      """' not in once


@pytest.mark.parametrize("row", ["|  7,8 |  6,2", "|  7,8 |  6,2 |  26,1 |  26,1 |  26,9 |  26,9 |  26,4 | 1,0 | 2,0"])
def test_a_budget_row_of_the_wrong_width_builds_with_force(row: str, tmp_path: Path) -> None:
    # Found by the fuzz target: the LaTeX column widths indexed a short row past its end.
    source = (ROOT / "examples" / "hjemrejsestyrelsen-2022.mrp").read_text(encoding="utf-8")
    full = "|  7,8 |  6,2 |  26,1 |  26,1 |  26,9 |  26,9 |  26,4"
    plan = tmp_path / "plan.mrp"
    plan.write_text(plan_with(full, row, source), encoding="utf-8")
    shutil.copytree(ROOT / "examples" / "shared", tmp_path / "shared")
    assert "MRP503" in codes(plan.read_text(encoding="utf-8"), str(plan))
    for fmt in ("md", "tex", "typ", "docx"):
        code, _, err = cli("build", str(plan), "--to", fmt, "--force", "-o", str(tmp_path / fmt))
        assert code == 0, err


def test_the_csv_template_keeps_a_title_with_a_carriage_return_on_one_row() -> None:
    # Found by the fuzz target: a bare "\r" in a title ended the template's row early.
    from mrpl.results import parse_results, results_template
    from mrpl.score import scoring_plan

    text = plan_with('tekst "Sagerne afgøres inden for 30 dage"', 'tekst """\n Sagerne\r1.2.b afgøres\n"""', CLEAN)
    loaded = mrpl.load_string(text, "t.mrp")
    assert loaded.plan is not None
    splan = scoring_plan(loaded.plan)
    template = results_template(splan, "csv")
    assert parse_results(template, "results.csv", splan).ok


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../../../etc/passwd.mrp", "/dev/zero"])
def test_an_allonge_names_no_plan_outside_the_root(target: str, tmp_path: Path) -> None:
    allonge = tmp_path / "allonge.mrp"
    allonge.write_text(f'allonge "Allonge 1" {{\n  plan "{target}"\n  dato 2022-06-01\n}}\n', encoding="utf-8")
    loaded = mrpl.load_file(str(allonge))
    assert [d.code for d in loaded.diagnostics if d.severity.name == "ERROR"] == ["MRP030"]
    assert list(loaded.sources) == [str(allonge)]


@pytest.mark.parametrize("fmt", ["toml", "csv"])
def test_a_part_named_with_a_trailing_space_reads_back_from_its_template(fmt: str) -> None:
    # Found by the fuzz target: the part's id kept the space, the results reader trims ids.
    from mrpl.results import parse_results, results_template
    from mrpl.score import scoring_plan

    path = ROOT / "examples" / "faerdselsstyrelsen-2024.mrp"
    text = plan_with(
        'del "Teoriprøve, kategori B" {', 'del "Teoriprøve,  kategori B " {', path.read_text(encoding="utf-8")
    )
    loaded = mrpl.load_string(text, str(path))
    assert loaded.plan is not None
    splan = scoring_plan(loaded.plan)
    assert any(unit.id.endswith("/Teoriprøve, kategori B") for unit in splan.units())
    read = parse_results(results_template(splan, fmt), f"results.{fmt}", splan)
    assert read.ok, read.diagnostics[:3]
