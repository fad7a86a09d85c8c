"""The diagnostic code registry, its documentation, and the codes no fixture file can trigger."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import mrpl
import mrpl.parse
from mrpl.codes import CODES, STAGES, Code, all_codes, diagnostics_markdown, explain, lookup, register
from mrpl.diagnostics import Severity

DOC = Path(__file__).resolve().parent.parent / "docs" / "diagnostics.md"

_RANGE_OF_STAGE = {"syntax": "0", "load": "0", "results": "8", "portfolio": "9"}


@pytest.mark.parametrize("code", sorted(all_codes()))
def test_entry_is_complete(code: str) -> None:
    entry = all_codes()[code]
    assert re.fullmatch(r"MRP\d{3}", entry.code) and entry.code == code
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.name)
    assert entry.title and entry.explanation and entry.why
    assert entry.stage in STAGES
    hundreds = code[3]
    if entry.stage == "check":
        assert hundreds in "1234567", f"{code}: checker codes are MRP1xx-MRP7xx"
    else:
        assert hundreds == _RANGE_OF_STAGE[entry.stage]


def test_names_are_unique() -> None:
    names = [c.name for c in all_codes().values()]
    assert len(names) == len(set(names))


def test_checker_codes_have_examples() -> None:
    for entry in CODES.values():
        if entry.stage == "check":
            assert entry.bad and entry.good, entry.code


def test_register_refuses_duplicates_and_unknown_stages() -> None:
    with pytest.raises(ValueError, match="twice"):
        register(CODES["MRP101"])
    with pytest.raises(ValueError, match="stage"):
        register(Code("MRP999", "x", "x", Severity.INFO, "nowhere", "x", "x"))


def test_only_warnings_and_info_are_suppressible() -> None:
    assert not CODES["MRP101"].suppressible
    assert CODES["MRP702"].suppressible and CODES["MRP701"].suppressible


@pytest.mark.parametrize("key", ["MRP207", "mrp207", "207", "method-names-other-goal"])
def test_lookup(key: str) -> None:
    entry = lookup(key)
    assert entry is not None and entry.code == "MRP207"


def test_lookup_unknown() -> None:
    assert lookup("MRP998") is None and lookup("no-such-thing") is None


def test_explain_shows_everything() -> None:
    text = explain(CODES["MRP301"])
    assert text.startswith("MRP301 deadline-outside-period:")
    assert "error (cannot be suppressed)" in text
    assert "frist 1. kvartal 2023" in text and "frist 4. kvartal 2022" in text


def test_docs_are_generated_from_the_registry() -> None:
    """Regenerate with: python -c 'import mrpl.codes as c; print(c.diagnostics_markdown(), end="")' > docs/diagnostics.md"""
    assert DOC.read_text(encoding="utf-8") == diagnostics_markdown()


def test_docs_list_every_code_and_the_json_schema() -> None:
    text = diagnostics_markdown()
    for code in all_codes():
        assert f'<a id="{code.lower()}"></a>' in text
    assert '"version": 1' in text and "`replacement`" in text and "mrpl: ignore[" in text


# ---------------------------------------------------------------- codes without fixture files


def test_mrp001_too_large() -> None:
    text = "#" * (mrpl.parse.MAX_SOURCE_CHARS + 1)
    result = mrpl.parse_string(text, "huge.mrp")
    assert result.plan is None
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("MRP001", 1, 1)]
    assert mrpl.check(mrpl.load_string(text, "huge.mrp")) == []


def test_mrp001_not_for_a_normal_file() -> None:
    assert mrpl.parse_string('mål 1.1 "A" { }', "t.mrp").diagnostics == []


def test_mrp003_too_deep(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser builds the tree without deep recursion, so no file of sane size exhausts the
    stack; the parser's handler for that case is tested by making the parser run out."""

    class Exhausted:
        def parse(self, source: str, on_error: object = None) -> object:
            raise RecursionError

    monkeypatch.setattr(mrpl.parse, "_parser", lambda: Exhausted())
    result = mrpl.parse_string('mål 1.1 "A" { }', "deep.mrp")
    assert result.plan is None
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("MRP003", 1, 1)]
