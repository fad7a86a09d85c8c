"""The loader: imports relative to the importing file, placeholders, per-agency overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

import mrpl
from mrpl import ast as A
from mrpl.check import all_diagnostics

SHARED = """
mål 2.1 "Informationssikkerhed" {
  tekst "{{styrelse}} skal fastholde niveau 4."
  vægt 5
  resultatkrav a "1. halvår" { tekst "{{styrelse}} har fastholdt niveau 4."; frist 1. halvår 2022 }
  resultatkrav b "2. halvår" { tekst "{{styrelse}} har fastholdt niveau 4."; frist 2. halvår 2022 }
}
mål 2.2 "Leverandørstyring" {
  tekst "{{styrelse}} skal sikre aftaler."
  vægt 5
}
"""


def plan_importing(body: str, agency: str = "Hjemrejsestyrelsen") -> str:
    return (
        f'plan {{\n  styrelse "{agency}"\n  periode 2022-01-01 til 2022-12-31\n}}\n'
        f'afsnit 2 "Koncernfælles mål" {{\n{body}\n}}\n'
    )


def write(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / next(iter(files))


def texts(goal: A.Goal) -> list[str]:
    return [goal.text.plain() if goal.text else ""] + [r.text.plain() for r in goal.requirements if r.text]


def test_import_places_goals_in_the_section_and_fills_placeholders(tmp_path: Path) -> None:
    root = write(
        tmp_path, {"plan.mrp": plan_importing('  importer "fælles/koncern.mrp"'), "fælles/koncern.mrp": SHARED}
    )
    result = mrpl.load_file(str(root))
    assert result.diagnostics == []
    assert result.plan is not None
    (section,) = result.plan.sections
    assert section.imports == ()
    assert [g.number for g in section.goals] == ["2.1", "2.2"]
    assert texts(section.goals[0])[0] == "Hjemrejsestyrelsen skal fastholde niveau 4."
    # Diagnostics and the LSP point into the shared file:
    assert section.goals[0].span.file.endswith("koncern.mrp")
    assert set(result.sources) == {str(root), str(tmp_path / "fælles" / "koncern.mrp")}


def test_import_values_override_the_header_and_overrides_replace_what_they_state(tmp_path: Path) -> None:
    body = (
        '  importer "koncern.mrp" {\n    sæt styrelse "Styrelsen"\n'
        '    mål 2.1 {\n      tekst "Styrelsen skal opnå niveau 4."\n'
        '      resultatkrav a "1. halvår" { tekst "Styrelsen har opnået niveau 3."; frist 1. halvår 2022 }\n    }\n  }'
    )
    root = write(tmp_path, {"plan.mrp": plan_importing(body, "Udlændingestyrelsen"), "koncern.mrp": SHARED})
    result = mrpl.load_file(str(root))
    assert result.diagnostics == []
    assert result.plan is not None
    g21, g22 = result.plan.sections[0].goals
    assert texts(g21) == [
        "Styrelsen skal opnå niveau 4.",
        "Styrelsen har opnået niveau 3.",
        "Styrelsen har fastholdt niveau 4.",
    ]
    assert g21.area == "Informationssikkerhed" and g21.weight == A.Weight(5)  # not stated: kept from the shared goal
    assert texts(g22)[0] == "Styrelsen skal sikre aftaler."


def test_override_of_a_goal_the_file_does_not_have_suggests_one(tmp_path: Path) -> None:
    body = '  importer "koncern.mrp" {\n    mål 2.3 { tekst "x" }\n  }'
    root = write(tmp_path, {"plan.mrp": plan_importing(body), "koncern.mrp": SHARED})
    (d,) = mrpl.load_file(str(root)).diagnostics
    assert d.code == "MRP011" and (d.span.line, d.span.column) == (7, 5)
    assert d.fix in ("did you mean 2.1?", "did you mean 2.2?")


def test_missing_import_is_a_located_error(tmp_path: Path) -> None:
    root = write(tmp_path, {"plan.mrp": plan_importing('  importer "findes-ikke.mrp"')})
    result = mrpl.load_file(str(root))
    (d,) = result.diagnostics
    assert d.code == "MRP007" and (d.span.file, d.span.line, d.span.column) == (str(root), 6, 3)
    assert "findes-ikke.mrp" in d.message
    assert result.plan is not None and result.plan.sections[0].goals == ()


def test_import_cycle_is_a_located_error(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "a.mrp": 'afsnit 1 "A" {\n  importer "b.mrp"\n}\n',
            "b.mrp": 'afsnit 1 "B" {\n  importer "a.mrp"\n}\n',
        },
    )
    diagnostics = mrpl.load_file(str(root)).diagnostics
    (d,) = diagnostics
    assert d.code == "MRP008" and d.message == "import cycle: a.mrp → b.mrp → a.mrp"
    assert d.span.file.endswith("b.mrp") and d.span.line == 2


def test_unknown_placeholder_suggests_a_known_one(tmp_path: Path) -> None:
    root = write(tmp_path, {"plan.mrp": plan_importing('  mål 2.1 "x" {\n    tekst "{{styrelsen}} skal."\n  }')})
    (d,) = mrpl.load_file(str(root)).diagnostics
    assert d.code == "MRP009" and d.fix == "did you mean {{styrelse}}?"


def test_syntax_errors_in_an_imported_file_are_reported_in_that_file(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {"plan.mrp": plan_importing('  importer "koncern.mrp"'), "koncern.mrp": 'mål 2.1 "x" {\n  vægt fem\n}\n'},
    )
    (d, *_) = mrpl.load_file(str(root)).diagnostics
    assert d.code == "MRP002" and d.span.file.endswith("koncern.mrp") and d.span.line == 2


def test_a_file_imported_twice_is_parsed_once(tmp_path: Path) -> None:
    body = '  importer "koncern.mrp"\n'
    files = {
        "plan.mrp": plan_importing(body) + 'afsnit 3 "Igen" {\n  importer "koncern.mrp"\n}\n',
        "koncern.mrp": SHARED,
    }
    root = write(tmp_path, files)
    reads: list[str] = []

    def reader(path: str) -> str:
        reads.append(path)
        return Path(path).read_text(encoding="utf-8")

    result = mrpl.load_file(str(root), reader=reader)
    assert [Path(p).name for p in reads] == ["plan.mrp", "koncern.mrp"]
    assert result.plan is not None and len(result.plan.all_goals()) == 4


def test_cache_avoids_rereading_unchanged_imports(tmp_path: Path) -> None:
    root = write(tmp_path, {"plan.mrp": plan_importing('  importer "koncern.mrp"'), "koncern.mrp": SHARED})
    cache: dict[str, mrpl.ParseResult] = {}
    mrpl.load_file(str(root), cache=cache)
    reads: list[str] = []

    def reader(path: str) -> str:
        reads.append(path)
        return Path(path).read_text(encoding="utf-8")

    mrpl.load_file(str(root), reader=reader, cache=cache)
    assert [Path(p).name for p in reads] == ["plan.mrp"]


def test_not_utf8_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.mrp"
    path.write_bytes('mål 1.1 "x" {\n  tekst "Ærø"\n}\n'.encode().replace("Æ".encode(), "Æ".encode("latin-1")))
    result = mrpl.load_file(str(path))
    (d,) = result.diagnostics
    assert d.code == "MRP006" and (d.span.line, d.span.column) == (
        2,
        10,
    )  # after "mål" in UTF-8: columns count characters


def test_unreadable_root_file_raises_source_error(tmp_path: Path) -> None:
    with pytest.raises(mrpl.SourceError):
        mrpl.load_file(str(tmp_path / "findes-ikke.mrp"))


# ---------------------------------------------------------------- modules: declared parameters

MODULE = 'parameter styrelse "Styrelsens navn, som målene nævner den"\nparameter år "Året" standard "2022"\n' + SHARED


def errors_of(result: mrpl.LoadResult) -> list[tuple[str, str, int]]:
    """Loading errors (MRP0xx) after a full check; the small plans here do not add up to 100."""
    return [(d.code, Path(d.span.file or "").name, d.span.line) for d in all_diagnostics(result)
            if d.severity.name == "ERROR" and d.code.startswith("MRP0")]  # fmt: skip


def test_a_module_checks_clean_alone(tmp_path: Path) -> None:
    module = write(tmp_path, {"shared.mrp": MODULE})
    result = mrpl.load_file(str(module))
    assert errors_of(result) == []
    assert result.plan is not None and [p.name for p in result.plan.parameters] == ["styrelse", "år"]


def test_an_undeclared_placeholder_is_one_error_in_the_module(tmp_path: Path) -> None:
    text = MODULE.replace("{{styrelse}} skal sikre", "{{styrlese}} skal sikre")
    module = write(tmp_path, {"shared.mrp": text})
    assert errors_of(mrpl.load_file(str(module))) == [("MRP012", "shared.mrp", 11)]
    root = write(tmp_path, {"plan.mrp": plan_importing('  importer "shared.mrp"'), "shared.mrp": text})
    assert errors_of(mrpl.load_file(str(root))) == [("MRP012", "shared.mrp", 11)]


def test_a_missing_value_is_one_error_at_the_import(tmp_path: Path) -> None:
    header = 'plan {\n  periode 2022-01-01 til 2022-12-31\n}\nafsnit 2 "Fælles" {\n  importer "shared.mrp"\n}\n'
    root = write(tmp_path, {"plan.mrp": header, "shared.mrp": MODULE})
    result = mrpl.load_file(str(root))
    assert errors_of(result) == [("MRP013", "plan.mrp", 5)]
    missing = next(d for d in result.diagnostics if d.code == "MRP013")
    assert "`styrelse`" in missing.message and missing.related[0].span.line == 1  # points at the declaration


def test_values_come_from_sæt_then_the_header_then_the_default(tmp_path: Path) -> None:
    module = MODULE.replace("skal sikre aftaler.", "skal sikre aftaler i {{år}}.")
    root = write(tmp_path, {"plan.mrp": plan_importing('  importer "shared.mrp"'), "shared.mrp": module})
    plan = mrpl.load_file(str(root)).plan
    assert plan is not None
    text = plan.sections[0].goals[1].text
    assert text is not None and text.plain() == "Hjemrejsestyrelsen skal sikre aftaler i 2022."
    given = plan_importing('  importer "shared.mrp" { sæt styrelse "Styrelsen"; sæt år "2023" }')
    plan = mrpl.load_file(str(write(tmp_path, {"plan.mrp": given}))).plan
    assert plan is not None and plan.sections[0].goals[1].text.plain() == "Styrelsen skal sikre aftaler i 2023."  # type: ignore[union-attr]


def test_setting_an_undeclared_parameter_is_an_error_at_the_sæt(tmp_path: Path) -> None:
    body = '  importer "shared.mrp" {\n    sæt styrlese "Styrelsen"\n  }'
    root = write(tmp_path, {"plan.mrp": plan_importing(body), "shared.mrp": MODULE})
    assert errors_of(mrpl.load_file(str(root))) == [("MRP014", "plan.mrp", 7)]


def test_check_of_the_examples_directory_is_clean() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-m", "mrpl", "check", "examples/"], capture_output=True, text=True, cwd=root
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "koncernfaelles-2022.mrp" in done.stderr and " 0 errors" not in done.stderr  # the module is checked too
    assert done.stderr.splitlines()[-1].startswith("0 errors")
