"""mrplc build: documents from plans (Markdown, LaTeX) and i18n formatting.

Goldens: tests/golden/<example>.md|.tex, compared byte for byte; refresh with
`pytest tests/test_render.py --update-goldens` and review the diff.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import mrpl
from mrpl import ast as A
from mrpl import i18n
from mrpl.check import check_plan
from mrpl.render import render
from mrpl.render.document import build_document, weight_entries

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.mrp"))


def load(path: Path) -> A.Plan:
    result = mrpl.load_file(str(path))
    assert result.plan is not None, result.diagnostics
    return result.plan


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mrpl", "build", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


# --------------------------------------------------------------------------
# i18n


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("2.5", "da", "2,5"),
        ("152.0", "da", "152,0"),
        ("3500", "da", "3.500"),
        ("2.5", "en", "2.5"),
        ("3500", "en", "3,500"),
    ],
)
def test_format_number_keeps_the_plans_decimals(value: str, lang: str, expected: str) -> None:
    assert i18n.format_number(Decimal(value), lang) == expected


def test_format_date_and_percent() -> None:
    assert i18n.format_date(date(2022, 1, 1)) == "1. januar 2022"
    assert i18n.format_date(date(2022, 1, 1), "en") == "1 January 2022"
    assert i18n.format_percent(Decimal(90)) == "90 pct."
    assert i18n.format_percent(Decimal("2.5"), "en") == "2.5%"
    assert i18n.format_weight(A.Weight(Decimal("2.5"))) == "2,5 point"
    assert i18n.format_weight(A.Weight(Decimal(1)), "en") == "1 point"


def test_format_deadline_as_written_or_in_words() -> None:
    month_end = A.Deadline(A.DeadlineKind.MONTH_END, 2022, 3, written="ultimo marts 2022")
    assert i18n.format_deadline(month_end, "da") == "ultimo marts 2022"
    assert i18n.format_deadline(month_end, "en") == "end of March 2022"
    quarter = A.Deadline(A.DeadlineKind.QUARTER, 2022, 2, written="Q2 2022")
    assert i18n.format_deadline(quarter, "da") == "2. kvartal 2022"
    assert i18n.format_deadline(quarter, "en") == "Q2 2022"
    iso = A.Deadline(A.DeadlineKind.DATE, 2022, 3, 31, written="2022-03-31")
    assert i18n.format_deadline(iso, "da") == "31. marts 2022"


def test_describe_targets_in_both_languages() -> None:
    share = A.ShareTarget(A.Relation.AT_LEAST, Decimal(90), A.Duration(Decimal(30), A.TimeUnit.DAYS))
    assert i18n.describe_target(share) == "mindst 90 pct. af sagerne inden for 30 dage"
    assert i18n.describe_target(share, "en") == "at least 90% of cases within 30 days"
    average = A.TimeTarget("average", A.Relation.AT_MOST, A.Duration(Decimal(120), A.TimeUnit.DAYS))
    assert i18n.describe_target(average) == "gennemsnitlig højst 120 dage"
    change = A.ChangeTarget(A.ChangeDirection.REDUCTION, Decimal(10), A.Baseline("ultimo 2021"))
    assert i18n.describe_target(change) == "fald på 10 pct. i forhold til ultimo 2021"
    count = A.CountTarget(A.Relation.AT_LEAST, Decimal(12), "udsendelsesprojekter")
    assert i18n.describe_target(count) == "mindst 12 udsendelsesprojekter"
    level = A.LevelTarget(Decimal(4), area_count=7)
    assert i18n.describe_target(level, "en") == "level 4 in 7 areas"


def test_describe_scoring_steps() -> None:
    steps = A.Scoring(
        A.ScoringKind.STEPS,
        steps=(A.Step(A.Relation.AT_LEAST, A.Quantity(Decimal(90), "%"), Decimal(100)), A.Step(None, None, Decimal(0))),
    )
    assert i18n.describe_scoring(steps) == "mindst 90 pct.: 100 pct.; ellers: 0 pct."


def test_every_phrase_exists_in_both_languages() -> None:
    for key, entry in i18n.PHRASES.items():
        assert set(entry) == {"da", "en"}, key
    with pytest.raises(KeyError):
        i18n.phrase("no such phrase")


# --------------------------------------------------------------------------
# Goldens


@pytest.mark.parametrize("fmt", ["md", "tex"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_golden(example: Path, fmt: str, request: pytest.FixtureRequest) -> None:
    text = render(load(example), fmt)
    golden = GOLDEN / f"{example.stem}.{fmt}"
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"no golden {golden.name}: run pytest --update-goldens"
    assert text.encode("utf-8") == golden.read_bytes()


def test_examples_exist() -> None:
    assert {p.stem for p in EXAMPLES} >= {"siri-2020", "udlaendingestyrelsen-2022", "hjemrejsestyrelsen-2022"}


def test_rendering_is_deterministic() -> None:
    plan = load(ROOT / "examples" / "siri-2020.mrp")
    assert render(plan, "md") == render(load(ROOT / "examples" / "siri-2020.mrp"), "md")
    assert render(plan, "tex") == render(plan, "tex")


# --------------------------------------------------------------------------
# Markdown structure


def gfm() -> MarkdownIt:
    """markdown-it's GFM preset (tables, strikethrough) without linkify-it-py."""
    return MarkdownIt("gfm-like", options_update={"linkify": False})


def _tables(tokens: list) -> list[list[list[str]]]:
    """Each table as rows of cell texts (header row first)."""
    tables: list[list[list[str]]] = []
    row: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            tables.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            inline = tokens[i + 1]
            row.append(inline.content if inline.type == "inline" else "")
        elif tok.type == "tr_close":
            tables[-1].append(row)
    return tables


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_markdown_goal_tables_have_one_row_per_requirement(example: Path) -> None:
    plan = load(example)
    tokens = gfm().parse(render(plan, "md"))
    tables = _tables(tokens)
    goal_tables = [t for t in tables if t[0][:4] == ["Nr.", "Område", "Mål", "Resultatkrav"]]
    expected_tables = [t for s in build_document(plan).sections for t in s.tables if t.rows]
    assert len(goal_tables) == len(expected_tables)
    for expected, table in zip(expected_tables, goal_tables, strict=True):
        width = 4 + len(expected.extra) + expected.weights
        assert table[0][4:] == [*expected.extra, *(["Vægt"] if expected.weights else [])]
        body = table[1:]
        assert len(body) == len(expected.rows)
        assert all(len(r) == width for r in body)
        numbers = [r[0].replace("\\", "") for r in body if r[0]]
        assert numbers == list(expected.goal_numbers)
        for cells, row in zip(body, expected.rows, strict=True):
            if row.label:
                assert cells[3].replace("\\", "").startswith(row.label)
            assert [c.replace("\\", "") for c in cells[4:]] == [*row.extra, *([row.weight] if expected.weights else [])]


def test_goal_tables_hold_every_goal_once() -> None:
    """A core task's goals are in its own table, not also in its section's."""
    for example in EXAMPLES:
        plan = load(example)
        doc = build_document(plan)
        shown = [n for s in doc.sections for t in s.tables for n in t.goal_numbers]
        assert sorted(shown) == sorted(g.number for s in plan.sections for g in s.goals), example.name


def test_markdown_weights_summary_total_is_computed() -> None:
    plan = load(ROOT / "examples" / "siri-2020.mrp")
    total = sum(w for _, _, w in weight_entries(plan))
    assert total == Decimal(100)
    assert "| **I alt** |  | **100** |" in render(plan, "md")


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed")
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_pandoc_converts_markdown_with_all_tables(example: Path) -> None:
    text = render(load(example), "md")
    html = subprocess.run(
        ["pandoc", "-f", "gfm", "-t", "html"], input=text, capture_output=True, text=True, check=True
    ).stdout
    assert html.count("<table>") == len(_tables(gfm().parse(text))) > 0


def test_english_headings() -> None:
    plan = load(ROOT / "examples" / "siri-2020.mrp")
    md = render(plan, "md", "en")
    assert "## 3.0 Goals and result requirements" in md.replace("\\", "")
    assert "| No. | Area | Goal | Result requirements | Weight |" in md
    assert "from 1 January 2020 up to and including 31 December 2020" in md
    tex = render(plan, "tex", "en")
    # English phrases, the plan's Danish text hyphenated as Danish (babel's last language is the main one).
    assert r"\usepackage[danish,british]{babel}" in tex
    assert r"\begin{otherlanguage}{danish}" in tex
    english = render(load(ROOT / "examples" / "english-sample.mrp"), "tex", "en")
    assert r"\usepackage[british]{babel}" in english and "otherlanguage" not in english


def test_introduction_names_parties_and_short_name() -> None:
    md = render(load(ROOT / "examples" / "siri-2020.mrp"), "md")
    assert (
        "Denne mål- og resultatplan er indgået mellem Udlændinge- og Integrationsministeriets departement og "
        "Styrelsen for International Rekruttering og Integration (SIRI)." in md
    )
    assert "direktør Kasper Højvang Kyed" in md


def test_budget_dash_cells_stay_distinct_from_zero() -> None:
    md = render(load(ROOT / "examples" / "hjemrejsestyrelsen-2022.mrp"), "md")
    budget = next(t for t in _tables(gfm().parse(md)) if t[0][0].startswith("Mio. kr."))
    cells = [c for row in budget[1:] for c in row[1:]]
    assert "\\-" in cells  # "-" (no amount), escaped so it cannot start a list
    assert "0,0" in cells


# --------------------------------------------------------------------------
# The command


def test_build_refuses_a_plan_with_errors_unless_forced(tmp_path: Path) -> None:
    plan = tmp_path / "broken.mrp"
    plan.write_text(
        'plan {\n  titel "X"\n}\nafsnit 1 "A" {\n  mål 1.1 "B" {\n    vægt 50\n  }\n  mål 1.1 "C" {\n    vægt 50\n  }\n}\n'
    )
    refused = run_build(str(plan), "--to", "md")
    assert refused.returncode == 1, refused.stderr
    assert not (tmp_path / "broken.md").exists()
    forced = run_build(str(plan), "--to", "md", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "despite errors" in forced.stderr
    assert (tmp_path / "broken.md").is_file()


def test_build_prints_errors_in_full_and_one_line_for_the_rest(tmp_path: Path) -> None:
    plan = ROOT / "examples" / "udlaendingestyrelsen-2022.mrp"
    result = run_build(str(plan), "--to", "md", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].endswith(f"kør `mrplc check {plan}` for at se dem") and "advarsler" in lines[0], lines
    assert lines[1:] == [f"wrote {tmp_path / 'udlaendingestyrelsen-2022.md'}"]
    english = run_build(str(plan), "--to", "md", "-o", str(tmp_path), "--lang", "en")
    assert "warnings and" in english.stderr and "run `mrplc check" in english.stderr


def test_build_writes_next_to_the_input_or_into_a_new_directory(tmp_path: Path) -> None:
    src = tmp_path / "siri-2020.mrp"
    shutil.copy(ROOT / "examples" / "siri-2020.mrp", src)
    result = run_build(str(src), "--to", "md", "--force")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "siri-2020.md").read_text() == render(load(src), "md")
    out = tmp_path / "new" / "dir"
    result = run_build(str(src), "--to", "md", "--to", "tex", "-o", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["siri-2020.md", "siri-2020.tex"]


def test_build_never_overwrites_the_source(tmp_path: Path) -> None:
    src = tmp_path / "plan.md"  # a plan whose name ends like the output
    src.write_text((ROOT / "examples" / "siri-2020.mrp").read_text())
    before = src.read_bytes()
    result = run_build(str(src), "--to", "md", "--force")
    assert result.returncode == 2
    assert "refusing to overwrite" in result.stderr
    assert src.read_bytes() == before


def test_build_py_without_backend_says_not_available(tmp_path: Path) -> None:
    try:
        import mrpl.render.python  # noqa: F401
    except ModuleNotFoundError:
        result = run_build(str(ROOT / "examples" / "siri-2020.mrp"), "--to", "py", "-o", str(tmp_path), "--force")
        assert result.returncode == 2
        assert "not available" in result.stderr
    else:
        result = run_build(str(ROOT / "examples" / "siri-2020.mrp"), "--to", "py", "-o", str(tmp_path), "--force")
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "siri_2020.py").is_file()


def test_build_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run_build(str(tmp_path / "nope.mrp"), "--to", "md")
    assert result.returncode == 2


def test_markdown_escapes_only_what_commonmark_reads_as_structure() -> None:
    from mrpl.render.escape import markdown_text

    assert markdown_text("1.0 Indledning") == "1.0 Indledning"
    assert markdown_text("1. kvartal") == "1\\. kvartal"
    assert markdown_text("2) b") == "2\\) b"
    assert markdown_text("- punkt") == "\\- punkt"
    assert markdown_text("-3 grader") == "-3 grader"
    assert markdown_text("===") == "\\==="


# --------------------------------------------------------------------------
# No invented contract text: standard texts only where the plan asks for them

_SMALL_PLAN = """
plan {
  ministerium "Udlændinge- og Integrationsministeriet"
  styrelse "Hjemrejsestyrelsen"
  periode 1. januar 2022 til 31. december 2022
  direktør "Claes Nilas"
  departementschef "Pernille Breinholdt Mikkelsen" { sted "København"; dato 2021-11-22 }
}
STANDARD
afsnit 1 "Faglige mål" {
  mål 1.1 "Hjemrejser" {
    tekst "Flere udlændinge uden lovligt ophold rejser hjem."
    vægt 100
    resultatkrav { tekst "Antallet af udsendelser stiger."; måltal stigning 10 % }
  }
}
"""

_STANDARD_SENTENCES = ("parties", "director_contract", "kodeks", "validity", "renegotiation", "follow_up_default")


def _small(standard: str = "", header_change: tuple[str, str] = ("", "")) -> A.Plan:
    source = _SMALL_PLAN.replace("STANDARD", standard).replace(*header_change)
    result = mrpl.load_string(source, "small.mrp")
    assert result.plan is not None, result.diagnostics
    return result.plan


def _sentence_start(key: str, lang: str) -> str:
    """The fixed opening words of a standard sentence (before its first {field})."""
    return i18n.phrase(key, lang).split("{")[0][:40]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_plan_without_standard_texts_gets_none(lang: str) -> None:
    plan = _small()
    for fmt in ("md", "tex"):
        text = render(plan, fmt, lang).replace("-{}", "-")
        for key in _STANDARD_SENTENCES:
            assert _sentence_start(key, lang) not in text, (fmt, key)
    md = render(plan, "md", lang)
    assert i18n.phrase("introduction", lang) not in md and i18n.phrase("follow_up", lang) not in md
    assert f"## 1.0 {i18n.phrase('goals', lang)}" in md  # the sections that exist are numbered from 1


@pytest.mark.parametrize("lang", ["da", "en"])
def test_standard_texts_are_printed_where_the_plan_asks(lang: str) -> None:
    standard = "standardtekst indledning\nstandardtekst opfølgning\nstandardtekst periode\nstandardtekst genforhandling"
    md = render(_small(standard), "md", lang)
    for key in _STANDARD_SENTENCES:
        assert _sentence_start(key, lang) in md, key
    period = "1. januar 2022 til og med 31. december 2022" if lang == "da" else "1 January 2022 up to and including"
    assert period in md


def test_a_standard_text_comes_before_the_plans_own_text() -> None:
    own = 'standardtekst opfølgning\nopfølgning "Status forelægges skriftligt for departementschefen."'
    md = render(_small(own), "md")
    standard = md.index(_sentence_start("follow_up_default", "da"))
    assert standard < md.index("Status forelægges skriftligt") < md.index("## 3.0 Kontraktperiode")


def test_the_standard_introduction_never_prints_a_sentence_with_a_gap() -> None:
    no_ministry = ('  ministerium "Udlændinge- og Integrationsministeriet"\n', "")
    plan = _small("standardtekst indledning", no_ministry)
    md = render(plan, "md")
    assert "indgået mellem" not in md and "s departement" not in md
    assert "direktørkontrakt for direktør Claes Nilas." in md
    codes = [d.code for d in check_plan(plan)]
    assert codes.count("MRP621") == 1


def test_a_signature_without_place_or_date_still_bolds_the_name() -> None:
    md = render(_small(), "md")
    assert "**Claes Nilas**\\\nDirektør\\\nHjemrejsestyrelsen" in md
    assert "København, den 22. november 2021\\\n**Pernille Breinholdt Mikkelsen**\\\nDepartementschef" in md


# --------------------------------------------------------------------------
# Headings as the reference plans write them


def test_a_background_with_its_own_title_keeps_the_goal_number() -> None:
    md = render(load(ROOT / "examples" / "siri-2020.mrp"), "md")
    assert "##### 1.3 Kvalitet i sagsbehandlingen og afgørelser\n" in md
    assert "##### 1.1 Virksomhedsrettet integrationsindsats\n" in md


def test_an_annex_method_title_names_the_goal_in_its_heading() -> None:
    md = render(load(ROOT / "examples" / "siri-2020.mrp"), "md")
    assert "#### Resultatkrav 1.4 Servicemål (vægt 70 point)\n" in md


def test_annex_group_headings_stand_over_their_sections_methods() -> None:
    md = render(load(ROOT / "examples" / "siri-2020.mrp"), "md")
    external = md.index("### Faglige mål (eksternt rettede)\n")
    internal = md.index("### Internt rettede mål\n")
    assert external < md.index("#### Resultatkrav 1.1 ") < internal < md.index("#### Resultatkrav 2.1 ")
    tex = render(load(ROOT / "examples" / "siri-2020.mrp"), "tex")
    assert r"\mrplunnumbered{Internt rettede mål}" in tex


# --------------------------------------------------------------------------
# Cells as the annex writes them, a level in words (examples/faerdselsstyrelsen-2024.mrp)


def test_annex_cells_are_printed_as_the_annex_writes_them() -> None:
    md = render(load(ROOT / "examples" / "faerdselsstyrelsen-2024.mrp"), "md")
    assert "| Praktisk prøve, kategori B | 42 | 30 |" in md
    assert "| Bekræftelse af booking | 0-1 dag | 10 |" in md
    assert "#### Resultatkrav 1.1 Servicemål (vægt 60 point)" in md  # the unlabelled requirement's method title


def test_a_plan_without_ministry_names_its_department_and_opens_with_the_title() -> None:
    md = render(load(ROOT / "examples" / "faerdselsstyrelsen-2024.mrp"), "md")
    assert md.startswith("# Mål- og resultatplan 2024\n")
    assert "indgået mellem Transportministeriets departement og Færdselsstyrelsen." in md
    assert "**Anne Holm**\\\nDirektør" in md


def test_nested_lists_in_markdown_latex_and_table_cells() -> None:
    plan = load(ROOT / "examples" / "faerdselsstyrelsen-2024.mrp")
    md = render(plan, "md")
    assert "1. afvikle køreprøver og syn med kort ventetid\n   - for personbiler" in md
    assert "• køreprøver ◦ praktisk prøve, kategori B ◦ teoriprøve, kategori B • booking af prøvetid" in md
    tex = render(plan, "tex")
    assert "\\item afvikle køreprøver og syn med kort ventetid\n\\begin{itemize}\n\\item for personbiler" in tex
