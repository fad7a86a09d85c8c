"""The formatter: canonical layout, comments kept, meaning never changed."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from mrpl import ast as A
from mrpl.fmt import FormatError, format_plan, format_result, format_source
from mrpl.parse import parse_source
from tests import strategies

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "**", "*.mrp"), recursive=True))


def reparse(text: str) -> A.Plan:
    result = parse_source(text, "<fmt>")
    errors = [d for d in result.diagnostics if d.severity.name == "ERROR"]
    assert not errors, "\n".join(f"{d.span.line}:{d.span.column} {d.message}" for d in errors) + "\n" + text
    assert result.plan is not None
    return result.plan


# ---------------------------------------------------------------- properties


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(strategies.plans)
def test_random_plan_format_then_parse_is_identity(plan: A.Plan) -> None:
    for language in ("da", "en"):
        text = format_plan(plan, language)
        assert reparse(text) == plan


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(strategies.plans)
def test_formatting_twice_changes_nothing(plan: A.Plan) -> None:
    once = format_plan(plan)
    assert format_source(once) == once


@settings(max_examples=100, deadline=None)
@given(strategies.prose_with_nested_lists)
def test_prose_statements_round_trip(prose: A.Prose) -> None:
    plan = A.Plan(introduction=prose)
    assert reparse(format_plan(plan)) == plan


@settings(max_examples=50, deadline=None)
@given(strategies.prose_with_nested_lists)
def test_nested_lists_round_trip_inside_blocks(prose: A.Prose) -> None:
    """A goal's text is indented two levels: nested items and wrapped lines keep their places."""
    goal = A.Goal("1.1", "Område", text=prose)
    plan = A.Plan(sections=(A.GoalSection(1, "Faglige mål", goals=(goal,)),))
    assert reparse(format_plan(plan)) == plan


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_examples_keep_their_meaning_and_comments(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    original = parse_source(source, path)
    formatted = format_source(source, path)
    again = parse_source(formatted, path)
    assert again.plan == original.plan
    assert sorted(c.text.rstrip() for c in again.comments) == sorted(c.text.rstrip() for c in original.comments)
    assert format_source(formatted, path) == formatted


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_examples_in_the_other_language_mean_the_same(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    english = format_source(source, path, "en")
    assert parse_source(english, path).language == "en"
    assert reparse(english) == parse_source(source, path).plan
    assert reparse(format_source(english, path, "da")) == reparse(source)


def test_no_examples_is_not_silently_ok() -> None:
    assert EXAMPLES, "examples/*.mrp are missing"


# ---------------------------------------------------------------- layout

SAMPLE = """\
# top of file
plan {   # header
  # before the title
      forkortelse "S"
  titel "T"   # after the title
  periode 1. januar 2020 til 31. december 2020
  total 100 point


  direktør "X" { titel "D"; dato blank 2019 } # director
}
afsnit 1 "F" {

 mål 1.1 "V" {
    vægt 5,50 # weight
    # before the requirement
    resultatkrav a {
      frist ultimo marts 2020; måltal andel mindst 90 % inden for 1 dag
      opfyldelse trin { mindst 90 % : 100 %; ellers: 0 % } # steps
      # end of the requirement

    }
  } # end of goal
}
# end of file
"""

EXPECTED = """\
# top of file
plan {  # header
  # before the title
  forkortelse "S"
  titel "T"  # after the title
  periode 1. januar 2020 til 31. december 2020
  total 100 point

  direktør "X" { titel "D"; dato blank 2019 }  # director
}
afsnit 1 "F" {
  mål 1.1 "V" {
    vægt 5,50  # weight
    # before the requirement
    resultatkrav a {
      frist ultimo marts 2020
      måltal andel mindst 90 % inden for 1 dag
      opfyldelse trin { mindst 90 %: 100 %; ellers: 0 % }  # steps
      # end of the requirement
    }
  }  # end of goal
}
# end of file
"""


def test_canonical_layout_keeps_the_authors_choices() -> None:
    """Indentation, spacing and blank lines change; order, words, one-line blocks and comments stay."""
    assert format_source(SAMPLE) == EXPECTED
    assert format_source(EXPECTED) == EXPECTED


def test_keywords_in_english_when_asked() -> None:
    out = format_source(SAMPLE, language="en")
    assert "goal 1.1" in out and "deadline end of March 2020" in out and "scoring steps {" in out
    assert "at least 90 %: 100 %" in out and "otherwise: 0 %" in out
    assert "period 1 January 2020 to 31 December 2020" in out and "total 100 points" in out
    assert "within 1 day\n" in out
    assert "# before the requirement" in out
    assert format_source(out, language="da") == EXPECTED


@pytest.mark.parametrize(
    ("danish", "english"),
    [("inden for 1 dag", "within 1 day"), ("inden for 2 dage", "within 2 days"),
     ("inden for 1 time", "within 1 hour"), ("inden for 1,5 timer", "within 1,5 hours")],
)  # fmt: skip
def test_units_agree_with_their_number_in_both_languages(danish: str, english: str) -> None:
    source = f"mål 1.1 {{\n  resultatkrav {{\n    måltal andel mindst 90 % {danish}\n  }}\n}}\n"
    assert danish in format_source(source)
    assert english in format_source(source, language="en")
    assert danish in format_source(format_source(source, language="en"), language="da")


def test_the_tree_printer_writes_singular_units_after_one() -> None:
    target = A.TimeTarget("average", A.Relation.AT_MOST, A.Duration(Decimal(1), A.TimeUnit.HOURS))
    plan = A.Plan(goals=(A.Goal("1.1", "Område", requirements=(A.Requirement(None, targets=(target,)),)),))
    assert "gennemsnit højst 1 time\n" in format_plan(plan)
    assert "average at most 1 hour\n" in format_plan(plan, "en")


def test_keyword_language_follows_the_file() -> None:
    english = 'plan {\n  title "T"\n}\n\nsection 1 "F" {\n  goal 1.1 {\n    weight 5\n  }\n}\n'
    assert format_source(english) == english


def test_decimal_comma_and_no_thousands_separator() -> None:
    out = format_source('afsnit 1 "F" {\n  mål 1.1 {\n    vægt 12345,5\n  }\n}\n')
    assert "vægt 12345,5\n" in out


def test_text_line_breaks_are_kept_and_text_blocks_reindented() -> None:
    source = (
        'indledning """\n        Første afsnit med "citat",\n        på to linjer.\n\n'
        '        - et punkt\n        - to punkter\n    """\nopfølgning "kort"\n'
    )
    assert format_source(source) == (
        'indledning """\n  Første afsnit med "citat",\n  på to linjer.\n\n  - et punkt\n  - to punkter\n"""\nopfølgning "kort"\n'
    )


def test_wrap_refills_paragraphs_and_list_items() -> None:
    words = " ".join(["ord"] * 40)
    source = f'indledning """\n  {words}\n  kort\n\n  - {words}\n"""\n'
    out = format_source(source, wrap=40)
    assert all(len(line) <= 40 for line in out.splitlines())
    assert reparse(out) == reparse(source)
    assert "\n    ord" in out  # a list item continues on indented lines


def test_wrap_keeps_a_word_longer_than_the_line_after_its_bullet() -> None:
    url = "https://www.example.org/" + "x" * 90
    source = f'indledning """\n  - {url} og så videre\n  - to\n"""\n'
    out = format_source(source, wrap=60)
    assert f"  - {url}\n" in out
    assert reparse(out) == reparse(source)


def test_a_long_one_line_text_with_a_tab_is_kept() -> None:
    source = 'opfølgning "' + "ord " * 30 + '\tmed tabulator"\n'
    assert format_source(source) == source
    assert format_source(source, wrap=40) == source


def test_examples_pass_fmt_check() -> None:
    """Every shipped plan is formatted (docs/editors.md and the pre-commit hook rely on it)."""
    result = run_cli("fmt", "--check", *EXAMPLES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(EXAMPLES) >= 5


def test_cli_keeps_a_symbolic_link(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target, link = tmp_path / "plan.mrp", tmp_path / "link.mrp"
    target.write_text(SAMPLE, encoding="utf-8")
    link.symlink_to(target)
    assert run_cli("fmt", str(link)).returncode == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == EXPECTED


def test_long_paragraph_is_wrapped_without_starting_a_list() -> None:
    words = " ".join(["ord"] * 30 + ["-", "slut", "1.", "kvartal"] + ["ord"] * 30)
    plan = A.Plan(introduction=A.Prose((A.Paragraph((A.Text(words),)),)))
    text = format_plan(plan)
    assert text.startswith('indledning """\n')
    assert all(len(line) <= 100 for line in text.splitlines())
    body = [line.strip() for line in text.splitlines()[1:-1]]
    assert not any(line.startswith(("- ", "1. ")) for line in body)
    assert reparse(text) == plan


def test_triple_quotes_inside_prose_survive() -> None:
    plan = A.Plan(introduction=A.Prose((A.Paragraph((A.Text('a """ b'),)), A.Paragraph((A.Text('""""'),)))))
    assert reparse(format_plan(plan)) == plan


def test_syntax_errors_are_not_formatted() -> None:
    with pytest.raises(FormatError):
        format_source("plan {\n  titel 5\n}\n")


def test_format_result_refuses_a_failed_parse() -> None:
    with pytest.raises(FormatError):
        format_result(parse_source("plan {", "<x>"))


# ---------------------------------------------------------------- command line


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mrpl", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_check_names_files_and_leaves_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    messy, tidy = tmp_path / "messy.mrp", tmp_path / "tidy.mrp"
    messy.write_text(SAMPLE, encoding="utf-8")
    tidy.write_text(EXPECTED, encoding="utf-8")
    result = run_cli("fmt", "--check", str(messy), str(tidy))
    assert result.returncode == 1
    assert str(messy) in result.stdout and str(tidy) not in result.stdout
    assert messy.read_text(encoding="utf-8") == SAMPLE


def test_cli_rewrites_in_place(tmp_path) -> None:  # type: ignore[no-untyped-def]
    messy = tmp_path / "messy.mrp"
    messy.write_text(SAMPLE, encoding="utf-8")
    assert run_cli("fmt", str(messy)).returncode == 0
    assert messy.read_text(encoding="utf-8") == EXPECTED
    assert run_cli("fmt", "--check", str(messy)).returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["messy.mrp"]  # no temporary file left behind


def test_cli_lang_switches_keywords(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.mrp"
    path.write_text(EXPECTED, encoding="utf-8")
    assert run_cli("fmt", "--lang", "en", str(path)).returncode == 0
    assert path.read_text(encoding="utf-8").startswith(
        '# top of file\nplan {  # header\n  # before the title\n  short "S"\n  title'
    )


def test_cli_syntax_error_exits_1_with_diagnostics(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.mrp"
    bad.write_text("plan {\n  titel 5\n}\n", encoding="utf-8")
    result = run_cli("fmt", str(bad))
    assert result.returncode == 1
    assert f"{bad}:2:9: error[MRP002]" in result.stderr
    assert bad.read_text(encoding="utf-8") == "plan {\n  titel 5\n}\n"


def test_cli_missing_file_is_a_usage_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("fmt", str(tmp_path / "nope.mrp")).returncode == 2


def test_the_period_keeps_the_way_its_dates_were_written() -> None:
    long = format_source("plan {\n  periode 1. januar 2022 til 31. december 2022\n}\n")
    assert "periode 1. januar 2022 til 31. december 2022" in long
    iso = format_source("plan {\n  periode 2022-01-01 til 2022-12-31\n}\n")
    assert "periode 2022-01-01 til 2022-12-31" in iso
