"""The annual report's målrapportering (`mrplc score PLAN RESULTS --to aarsrapport`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mrpl import load_file
from mrpl.annual_report import annual_report
from mrpl.render.document import plan_year
from mrpl.render.documents import render_document
from mrpl.results import read_results
from mrpl.score import score, scoring_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden" / "aarsrapport"


def year_end_results() -> list[tuple[Path, Path]]:
    """Each example plan with its own results file (PLAN.toml or PLAN.csv, not a follow-up's)."""
    pairs = []
    for plan in sorted(EXAMPLES.glob("*.mrp")):
        for suffix in (".toml", ".csv"):
            results = EXAMPLES / "results" / (plan.stem + suffix)
            if results.exists():
                pairs.append((plan, results))
    return pairs


def report_for(plan: Path, results: Path, lang: str = "da"):  # type: ignore[no-untyped-def]
    loaded = load_file(str(plan))
    assert loaded.plan is not None
    splan = scoring_plan(loaded.plan)
    read = read_results(str(results), splan)
    assert read.ok, read.diagnostics
    relative = results.relative_to(ROOT).as_posix()
    ministry = loaded.plan.header.ministry if loaded.plan.header else ""
    return annual_report(score(splan, read.results), lang, relative, read.as_of, plan_year(loaded.plan), ministry or "")


@pytest.mark.parametrize(("plan", "results"), year_end_results(), ids=lambda p: p.name)
def test_annual_report_golden(plan: Path, results: Path, request: pytest.FixtureRequest) -> None:
    text = render_document(report_for(plan, results), "md").decode("utf-8")
    golden = GOLDEN / f"{plan.stem}.md"
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden for {plan.name}: run pytest --update-goldens and review the new file"
    assert text == golden.read_text(encoding="utf-8")


def test_counts_and_statuses_follow_the_score() -> None:
    """Udlændingestyrelsen 2022, year end: 12 of 15 requirements met, 80 of 100 points (README)."""
    doc = report_for(EXAMPLES / "udlaendingestyrelsen-2022.mrp", EXAMPLES / "results" / "udlaendingestyrelsen-2022.csv")
    fields = [b.value for s in doc.sections for b in s.blocks if b.kind == "field"]
    assert "Af årets 15 resultatkrav er 12 opfyldt, 0 delvist opfyldt og 3 ikke opfyldt." in fields
    assert "Samlet målopfyldelse: 80 af 100 point (80 %)." in fields
    overview = next(b.table for b in doc.sections[0].blocks if b.kind == "table")
    assert overview is not None and len(overview.rows) == 15
    assert overview.header == ("Mål", "Resultatkrav", "Måltal", "Resultat", "Vurdering", "Point")
    not_met = [b.heading.title for b in doc.sections[1].blocks if b.kind == "heading" and b.heading]
    assert [t.split()[0] for t in not_met] == ["1.1.b", "1.2.b", "2.3"]


def test_expected_results_say_they_are_not_the_final_result() -> None:
    doc = report_for(EXAMPLES / "hjemrejsestyrelsen-2022.mrp", EXAMPLES / "results" / "hjemrejsestyrelsen-2022.toml")
    basis = [b.value for b in doc.sections[-1].blocks]
    assert any("ikke årets endelige resultat" in v for v in basis)
    fields = [b.value for b in doc.sections[0].blocks if b.kind == "field"]
    assert any(v.startswith("Ikke opgjort: 1.3, 2.1.2, 2.2, 2.3.") for v in fields)


def test_pay_section_where_the_plan_has_one() -> None:
    doc = report_for(EXAMPLES / "english-sample.mrp", EXAMPLES / "results" / "english-sample.toml", "en")
    titles = [s.heading.title for s in doc.sections]
    assert "Performance pay" in titles
    pay = doc.sections[titles.index("Performance pay")]
    assert pay.blocks[0].value.startswith("Performance pay by the plan's scale: 0%")


def test_english_frame() -> None:
    doc = report_for(EXAMPLES / "siri-2020.mrp", EXAMPLES / "results" / "siri-2020.toml", "en")
    text = render_document(doc, "md").decode("utf-8")
    assert "# Goal reporting 2020" in text and "| Goal | Requirement | Target | Result | Assessment | Points |" in text
    assert "Opfyldt |" not in text and "Vurdering" not in text


def test_cli(tmp_path: Path) -> None:
    plan, results = EXAMPLES / "udlaendingestyrelsen-2022.mrp", EXAMPLES / "results" / "udlaendingestyrelsen-2022.csv"
    cmd = [sys.executable, "-m", "mrpl", "score", str(plan), str(results), "--to", "aarsrapport"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2] == "# Målrapportering 2022"
    out = tmp_path / "maalrapportering.md"
    done = subprocess.run([*cmd, "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0 and out.read_text(encoding="utf-8").startswith("Udlændinge- og Integrationsministeriet")
    binary = subprocess.run([*cmd, "--as", "docx"], capture_output=True, text=True)
    assert binary.returncode == 2 and "-o FILE" in binary.stderr
