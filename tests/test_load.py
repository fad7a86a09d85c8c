"""The loader: imports relative to the importing file, placeholders, per-agency overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

import mrpl
from mrpl import ast as A

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
