"""`mrplc score`: the report formats, the template, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mrpl.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "results"
PLAN = str(FIXTURES / "plan.mrp")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["score", *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_report() -> None:
    code, out, err = run(PLAN, str(FIXTURES / "good.toml"))
    assert code == 0, err
    assert "  1.1.a  Delvist opfyldt  50 %  5 af 10 point" in out
    assert "Fasttrack: Ikke opgjort" in out
    assert "I alt: 70 af 100 point; 1 af 5 mål opfyldt; 4 af 9 krav opfyldt" in out
    assert "Omregnet til planens 100 point: 70 × 100 / (100 − 5) = 73,68 point" in out
    assert "Ikke opgjort: 1.2/Fasttrack (vægt 10 point)" in out
    assert "2.3.b  Udgået" in out and "2.2.c  Ikke scoret" in out


def test_json_report_keeps_exact_values() -> None:
    code, out, _ = run(PLAN, str(FIXTURES / "good.csv"), "--to", "json")
    assert code == 0
    data = json.loads(out)
    assert data["total"]["earned"] == "70" and data["total"]["dropped"] == "5"
    assert data["total"]["rebased"].startswith("73.684210526315789")
    first = data["goals"][0]["requirements"][0]
    assert first["id"] == "1.1.a" and first["status"] == "Delvist opfyldt" and first["fulfilment"] == "0.5"
    assert data["missing"] == ["1.2/Fasttrack"]


def test_markdown_report() -> None:
    code, out, _ = run(PLAN, str(FIXTURES / "good.toml"), "--to", "md")
    assert code == 0
    assert "| Krav | Måltal | Resultat | Opfyldelse | Point | Status | Bemærkning |" in out
    assert "| ↳ Beløbsordningen |" in out


def test_bad_results_file_exit_1_with_positions() -> None:
    code, out, err = run(PLAN, str(FIXTURES / "bad.toml"))
    assert code == 1 and out == ""
    assert "bad.toml:3:6: error[MRP801]" in err
    assert "bad.toml:8:9: error[MRP803]" in err
    assert "bad.toml:12:13: error[MRP804]" in err
    assert "nothing scored" in err


def test_plan_with_errors_is_not_scored(tmp_path: Path) -> None:
    plan = tmp_path / "p.mrp"
    plan.write_text('mål 1.1 "A" { vægt 5; vægt fem }\n', encoding="utf-8")
    code, _, err = run(str(plan), str(FIXTURES / "good.toml"))
    assert code == 1 and "not scored" in err


def test_template_to_file_and_back(tmp_path: Path) -> None:
    target = tmp_path / "results.toml"
    code, _, err = run("--template", PLAN, "-o", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert 'id = "1.1.a"' in text
    code, out, _ = run(PLAN, str(target))
    assert code == 0 and "I alt: 0 af 100 point; 0 af 5 mål opfyldt; 0 af 9 krav opfyldt" in out
    assert "Ikke opgjort: 1.1.a, 1.1.b" in out


def test_csv_template() -> None:
    code, out, _ = run("--template", PLAN, "--template-format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("id,kind,value,excluded,delivered")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(PLAN)[0] == 2
    assert run(PLAN, str(tmp_path / "missing.toml"))[0] == 2
    assert run(str(tmp_path / "missing.mrp"), "--template")[0] == 2


def test_refuses_to_overwrite_the_plan() -> None:
    code, _, _ = run("--template", PLAN, "-o", PLAN)
    assert code == 2
    assert Path(PLAN).read_text(encoding="utf-8").startswith("# A small plan")


def test_force_scores_a_plan_with_errors(tmp_path: Path) -> None:
    plan = tmp_path / "p.mrp"
    plan.write_text('mål 1.1 "A" {\n  vægt 10\n  resultatkrav a { vægt 4; måltal fastholdt }\n}\n', encoding="utf-8")
    results = tmp_path / "r.toml"
    results.write_text('[[result]]\nid = "1.1.a"\nvalue = true\n', encoding="utf-8")
    code, _, err = run(str(plan), str(results))
    assert code == 1 and "MRP102" in err
    code, out, err = run(str(plan), str(results), "--force")
    assert code == 0 and "despite errors" in err
    assert "1.1.a  Opfyldt  100 %  4 af 4 point" in out


EXAMPLES = Path(__file__).parent.parent / "examples"


def test_every_example_plan_has_valid_results_files() -> None:
    """Each example plan has one results file or several (PLAN.toml, PLAN.uo1.toml, ...: the
    portfolio report's follow-ups), and every one of them scores."""
    from mrpl import load_file
    from mrpl.results import read_results, results_year
    from mrpl.score import score, scoring_plan
    from mrpl.years import is_multi_year, plan_years

    for plan_path in sorted(EXAMPLES.glob("*.mrp")):
        found = [
            p
            for p in (EXAMPLES / "results").iterdir()
            if p.name.split(".")[0] == plan_path.stem and p.suffix in (".toml", ".csv")
        ]
        assert found, plan_path.name
        loaded = load_file(str(plan_path))
        assert loaded.plan is not None
        for path in found:
            # a multi-year plan's file reports one year (mrpl.years)
            year = results_year(path.read_text(encoding="utf-8"), str(path), plan_years(loaded.plan) or range(0))
            splan = scoring_plan(loaded.plan, year if is_multi_year(loaded.plan) and isinstance(year, int) else None)
            results = read_results(str(path), splan)
            assert results.ok, results.diagnostics
            assert results.results
            scored = score(splan, results.results, results.assessments)
            # An unweighted plan is counted, not scored in points.
            assert scored.earned > 0 if splan.weighted else scored.met > 0
