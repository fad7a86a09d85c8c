"""The semantic checker: one fixture pair per code, the examples, suppression, the CLI, properties.

Fixtures: tests/fixtures/check/MRPnnn/bad.mrp triggers MRPnnn at the positions
its `# expect: MRPnnn LINE:COL ...` comment lists; good.mrp, the same plan
corrected, does not report MRPnnn at all.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mrpl
from mrpl import ast as A
from mrpl.check import all_diagnostics, check, check_plan
from mrpl.check.completeness import find_placeholders
from mrpl.check.suppress import ignored_codes
from mrpl.cli import main
from mrpl.codes import CODES, all_codes
from mrpl.diagnostics import Diagnostic, Severity

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "check"
EXAMPLES = ROOT / "examples"
BASE = FIXTURES / "MRP101" / "good.mrp"  # a clean plan: three goals, weights 40 + 30 + 30

# Codes whose trigger cannot be a committed file: tested in tests/test_codes.py.
GENERATED = {"MRP001": "a 16 MB file", "MRP003": "nesting deep enough to exhaust the stack"}
# The results reader's codes have their own fixtures.
OTHER_STAGES = {"results", "portfolio"}  # fixtures in tests/fixtures/results and tests/fixtures/portfolio

_EXPECT = re.compile(r"#\s*expect:\s*(.*)")
_POSITION = re.compile(r"(MRP\d{3})\s+(?:([\w./-]+):)?(\d+):(\d+)")


def _expectations(path: Path) -> list[tuple[str, str, int, int]]:
    head = path.read_bytes()[:400].decode("utf-8", "replace")
    match = _EXPECT.search(head)
    assert match, f"{path} has no `# expect:` line"
    out = []
    for code, file, line, col in _POSITION.findall(match.group(1)):
        out.append((code, str(path.parent / file) if file else str(path), int(line), int(col)))
    return out


def diagnostics_of(path: Path) -> list[Diagnostic]:
    return all_diagnostics(mrpl.load_file(str(path)))


def fixture_codes() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("code", fixture_codes())
def test_bad_fixture_reports_the_code_where_expected(code: str) -> None:
    bad = FIXTURES / code / "bad.mrp"
    found = {(d.code, os.path.abspath(d.span.file), d.span.line, d.span.column) for d in diagnostics_of(bad)}
    for want_code, file, line, col in _expectations(bad):
        assert want_code == code
        assert (code, os.path.abspath(file), line, col) in found, sorted(found)


@pytest.mark.parametrize("code", fixture_codes())
def test_good_fixture_does_not_report_the_code(code: str) -> None:
    codes = [d.code for d in diagnostics_of(FIXTURES / code / "good.mrp")]
    assert code not in codes


@pytest.mark.parametrize("code", fixture_codes())
def test_fixture_code_has_its_registered_severity(code: str) -> None:
    found = [d for d in diagnostics_of(FIXTURES / code / "bad.mrp") if d.code == code]
    assert found and all(d.severity == CODES[code].severity for d in found)


def test_every_registered_code_has_a_fixture_pair() -> None:
    have = set(fixture_codes())
    for code, entry in all_codes().items():
        if entry.stage in OTHER_STAGES or code in GENERATED:
            continue
        assert code in have, f"{code} has no tests/fixtures/check/{code}/ pair"
        assert (FIXTURES / code / "bad.mrp").is_file() and (FIXTURES / code / "good.mrp").is_file()
    assert have <= set(all_codes()), f"fixtures for unregistered codes: {sorted(have - set(CODES))}"


def test_every_emitted_code_is_registered() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "mrpl").rglob("*.py"))
    emitted = set(re.findall(r'"(MRP\d{3})"', source))
    registered = set(all_codes())
    assert emitted <= registered, sorted(emitted - registered)


def test_base_plan_is_clean() -> None:
    assert diagnostics_of(BASE) == []


# ---------------------------------------------------------------- the examples


def _example(name: str) -> Path:
    path = EXAMPLES / name
    assert path.is_file(), path
    return path


@pytest.mark.parametrize(
    "name", ["siri-2020.mrp", "udlaendingestyrelsen-2022.mrp", "hjemrejsestyrelsen-2022.mrp", "english-sample.mrp"]
)
def test_examples_have_no_errors(name: str) -> None:
    errors = [d for d in diagnostics_of(_example(name)) if d.severity == Severity.ERROR]
    assert errors == []


def test_the_seeds_unfilled_placeholders_are_errors(tmp_path: Path) -> None:
    """The SIRI annex as published leaves "[DEP INDSÆTTER POINTGIVNING]" and "[udfyldes af
    departementet]" unfilled; the example keeps them as comments. Put back, both are caught."""
    text = _example("siri-2020.mrp").read_text(encoding="utf-8")
    text = text.replace("jf. nedenfor.\n", "jf. nedenfor.[DEP INDSÆTTER POINTGIVNING]\n", 1)
    anchor = "i løbet af efteråret\n          2020.\n"
    assert anchor in text
    text = text.replace(anchor, anchor + "\n          [udfyldes af departementet]\n", 1)
    path = tmp_path / "siri-2020-as-published.mrp"
    path.write_text(text, encoding="utf-8")
    errors = [d for d in diagnostics_of(path) if d.severity == Severity.ERROR]
    assert {d.code for d in errors} == {"MRP602"}
    found = sorted(d.message.split(": ", 1)[1] for d in errors)
    assert found == ["'[DEP INDSÆTTER POINTGIVNING]'", "'[udfyldes af departementet]'"]


# ---------------------------------------------------------------- properties on the AST


@functools.cache
def _loaded(path: Path) -> A.Plan:
    result = mrpl.load_file(str(path))
    assert result.plan is not None
    return result.plan


def _plans() -> list[Path]:
    names = ["siri-2020.mrp", "udlaendingestyrelsen-2022.mrp", "hjemrejsestyrelsen-2022.mrp"]
    return [BASE, *(EXAMPLES / n for n in names if (EXAMPLES / n).is_file())]


Path_ = tuple[tuple[str, int | None], ...]  # (field, index in a tuple field or None) from the plan down


def _paths(
    node: object, found: Callable[[object], bool], pruned: Callable[[object], bool], path: Path_ = ()
) -> list[Path_]:
    """Paths (field, index) from the plan down to every node `found` picks, not entering `pruned` nodes."""
    if found(node):
        return [path]
    if not dataclasses.is_dataclass(node) or pruned(node):
        return []
    out: list[Path_] = []
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, tuple):
            for n, item in enumerate(value):
                out += _paths(item, found, pruned, (*path, (f.name, n)))
        elif dataclasses.is_dataclass(value):
            out += _paths(value, found, pruned, (*path, (f.name, None)))
    return out


def _unweighted(node: object) -> bool:
    """Nodes whose weights do not count: unscored requirements, goals with only those, the table, the header."""
    if isinstance(node, A.Requirement):
        return not (node.dropped is None and node.scored)
    if isinstance(node, A.Goal):
        return bool(node.requirements) and not any(r.dropped is None and r.scored for r in node.requirements)
    return isinstance(node, A.WeightTable | A.Header)


def _weight_paths(plan: A.Plan) -> list[Path_]:
    """Paths to every weight that counts: goals, scored requirements, groups and parts (not the table)."""
    return _paths(plan, lambda n: isinstance(n, A.Weight), _unweighted)


def _replace_at(node: object, path: Path_, new: object) -> object:
    if not path:
        return new
    (name, index), rest = path[0], path[1:]
    value = getattr(node, name)
    if index is None:
        return dataclasses.replace(node, **{name: _replace_at(value, rest, new)})  # type: ignore[type-var]
    items = (*value[:index], _replace_at(value[index], rest, new), *value[index + 1 :])
    return dataclasses.replace(node, **{name: items})  # type: ignore[type-var]


def _get_at(node: object, path: Path_) -> object:
    for name, index in path:
        node = getattr(node, name) if index is None else getattr(node, name)[index]
    return node


_deltas = st.decimals(min_value=-50, max_value=50, places=1, allow_nan=False).filter(lambda d: d != 0)


@pytest.mark.parametrize("path", _plans(), ids=lambda p: p.name)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), delta=_deltas)
def test_changing_any_weight_gives_a_weights_error(path: Path, data: st.DataObject, delta: Decimal) -> None:
    plan = _loaded(path)
    if plan.weights is not None:
        pytest.skip("weights come from the weight table")
    where = data.draw(st.sampled_from(_weight_paths(plan)))
    weight = _get_at(plan, where)
    assert isinstance(weight, A.Weight)
    changed = _replace_at(plan, where, dataclasses.replace(weight, value=weight.value + delta))
    assert isinstance(changed, A.Plan)
    errors = [d for d in check_plan(changed) if d.severity == Severity.ERROR and d.code.startswith("MRP1")]
    assert errors, f"changing the weight at {where} by {delta} went unnoticed"


def _deadline_paths(plan: A.Plan) -> list[Path_]:
    """Paths to every deadline, drop date, share deadline and scope period in the goals."""

    def found(n: object) -> bool:
        return isinstance(n, A.Deadline) and n.kind != A.DeadlineKind.PERIOD_END

    return _paths(plan, found, lambda n: isinstance(n, A.Header | A.Annex | A.Deadline))


@pytest.mark.parametrize("path", _plans(), ids=lambda p: p.name)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_moving_a_deadline_past_the_period_gives_the_deadline_error(path: Path, data: st.DataObject) -> None:
    plan = _loaded(path)
    assert plan.header is not None and plan.header.period is not None
    paths = _deadline_paths(plan)
    if not paths:
        pytest.skip("no deadlines")
    where = data.draw(st.sampled_from(paths))
    deadline = _get_at(plan, where)
    assert isinstance(deadline, A.Deadline)
    moved = _replace_at(plan, where, dataclasses.replace(deadline, year=plan.header.period.end.year + 1))
    assert isinstance(moved, A.Plan)
    codes = [(x.code, x.severity) for x in check_plan(moved)]
    assert ("MRP301", Severity.ERROR) in codes, f"moving {deadline.written!r} at {where} went unnoticed"


# ---------------------------------------------------------------- rules in detail


def check_text(text: str) -> list[Diagnostic]:
    return check(mrpl.load_string(text, "t.mrp"))


def base_with(old: str, new: str) -> str:
    text = BASE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    return text.replace(old, new)


def test_total_message_counts_missing_points_and_unweighted_requirements() -> None:
    diags = check_text(
        base_with('    vægt 30\n    resultatkrav a {\n      tekst "Omg', '    resultatkrav a {\n      tekst "Omg')
    )
    total = [d for d in diags if d.code == "MRP101"]
    assert len(total) == 1
    assert "70 points, not 100: 30 points missing (1 scored requirement without weight)" in total[0].message


def test_plan_total_from_header_in_percent() -> None:
    diags = check_text(base_with("  år 2022\n", "  år 2022\n  total 100 pct.\n"))
    assert "MRP101" not in {d.code for d in diags}
    diags = check_text(base_with("  år 2022\n", "  år 2022\n  total 90 pct.\n"))
    assert any(d.code == "MRP101" and "100 %, not 90" in d.message for d in diags)


def test_unscored_requirements_do_not_count_and_dropped_ones_keep_their_weight() -> None:
    text = base_with(
        "    vægt 40\n    resultatkrav a {\n",
        '    vægt 40\n    resultatkrav z {\n      vægt 10\n      udgået "aftalt"\n    }\n'
        "    resultatkrav y {\n      ikke scoret\n      vægt 5\n    }\n    resultatkrav a {\n      vægt 30\n",
    )
    codes = {d.code for d in check_text(text)}
    assert not codes & {"MRP101", "MRP102", "MRP106", "MRP601"}
    wrong = text.replace("      vægt 30\n", "      vægt 40\n", 1)  # 10 + 40 is not the goal's 40
    assert "MRP102" in {d.code for d in check_text(wrong)}


def test_weight_table_is_the_weight_source() -> None:
    text = base_with("    vægt 40\n", "") + "vægttabel { 1.1 40; 1.2 30; 1.3 30 }\n"
    assert check_text(text) == []
    text = base_with("    vægt 40\n", "") + "vægttabel { 1.1 35; 1.2 30; 1.3 30 }\n"
    assert [d.code for d in check_text(text)] == ["MRP101"]


def test_method_title_names_the_right_goal_with_a_replacement() -> None:
    text = BASE.read_text(encoding="utf-8") + 'bilag "B" {\n  opgørelsesmetode 1.3.a "Service" { tekst "x" }\n}\n'
    (diag,) = [d for d in check_text(text) if d.code == "MRP207"]
    assert diag.fix == "did you mean 1.1.a?" and diag.replacement == "1.1.a"
    line = text.splitlines()[diag.span.line - 1]
    assert line[diag.span.column - 1 : diag.span.end_column - 1] == "1.3.a"


def test_unknown_method_ref_suggests_by_title_first() -> None:
    text = BASE.read_text(encoding="utf-8") + 'bilag "B" {\n  opgørelsesmetode 1.5 "Kvalitet" { tekst "x" }\n}\n'
    (diag,) = [d for d in check_text(text) if d.code == "MRP206"]
    assert diag.replacement == "1.2"


def test_placeholders_found() -> None:
    assert find_placeholders("Point: [DEP INDSÆTTER POINTGIVNING] og XX pct. TODO") == [
        "[DEP INDSÆTTER POINTGIVNING]",
        "XX",
        "TODO",
    ]
    assert find_placeholders("[udfyldes af departementet] [...] []") == ["[udfyldes af departementet]", "[...]", "[]"]
    assert find_placeholders("Udgiftsopfølgning I, II og III (jf. bilag)") == []


def test_deadline_without_year_resolves_against_one_year_period() -> None:
    diags = check_text(base_with("frist 2. kvartal", "frist 4. kvartal"))
    assert "MRP301" not in {d.code for d in diags} and "MRP302" not in {d.code for d in diags}


def test_budget_tolerance_is_half_a_unit_per_row() -> None:
    strategy = (
        'strategi {\n  kerneopgaver {\n    kerneopgave 1 "A"\n    kerneopgave 2 "B"\n    budget {\n'
        '      kolonner B 2022\n      total "I alt" | TOTAL\n      række 1 "A" | 7,04\n      række 2 "B" | 3,04\n    }\n  }\n}\n'
    )
    within = BASE.read_text(encoding="utf-8") + strategy.replace("TOTAL", "10,09")  # 10,08 ± 0,01
    beyond = BASE.read_text(encoding="utf-8") + strategy.replace("TOTAL", "10,10")
    assert "MRP501" not in {d.code for d in check_text(within)}
    assert "MRP501" in {d.code for d in check_text(beyond)}


def test_shared_fragment_is_not_held_to_the_total() -> None:
    text = 'mål 2.1 "Fælles" {\n  tekst "x"\n  vægt 5\n  resultatkrav { tekst "y"; måltal fastholdt; opgørelsesmetode { tekst "z" } }\n}\n'
    assert check_text(text) == []


def test_checker_does_not_run_on_syntax_errors() -> None:
    result = mrpl.load_string(base_with("    vægt 40\n", "    vægt fyrre\n"), "t.mrp")
    assert result.diagnostics and check(result) == []


# ---------------------------------------------------------------- suppression


def test_ignore_comment_on_the_line_above() -> None:
    text = base_with("      frist 2. kvartal\n", "").replace(
        '    resultatkrav a {\n      tekst "Den digitale',
        '    # mrpl: ignore[MRP702]\n    resultatkrav a {\n      tekst "Den digitale',
    )
    assert check_text(text) == []
    assert [d.code for d in check(mrpl.load_string(text, "t.mrp"), suppress=False)] == ["MRP702"]


def test_ignore_comment_inside_a_goal_covers_the_goal() -> None:
    text = base_with("      frist 2. kvartal\n", "").replace(
        '    tekst "Flere ansøgninger', '    # mrpl: ignore[MRP601, MRP702]\n    tekst "Flere ansøgninger'
    )
    assert check_text(text) == []


def test_ignore_comment_above_a_goal_covers_its_requirements() -> None:
    text = base_with("      frist 2. kvartal\n", "")
    above = text.replace('  mål 1.3 "Digitalisering"', '  # mrpl: ignore[MRP702]\n  mål 1.3 "Digitalisering"')
    assert above != text and check_text(above) == []


def test_mrp101_lists_the_goals_that_make_up_the_sum() -> None:
    (total,) = [d for d in check_text(base_with("    vægt 40\n", "    vægt 45\n")) if d.code == "MRP101"]
    assert total.notes == ("45 (1.1) + 30 (1.2) + 30 (1.3) = 105",)
    assert [r.message for r in total.related] == ["goal 1.1: 45", "goal 1.2: 30", "goal 1.3: 30"]
    assert total.related[0].span.line < total.related[1].span.line


def test_ignore_comment_elsewhere_has_no_effect() -> None:
    text = "# mrpl: ignore[MRP702]\n" + base_with("      frist 2. kvartal\n", "")
    assert [d.code for d in check_text(text)] == ["MRP702"]


def test_errors_cannot_be_suppressed() -> None:
    text = base_with("    vægt 40\n", "    vægt 0  # mrpl: ignore[MRP105]\n")
    (diag,) = [d for d in check_text(text) if d.code == "MRP105"]
    assert any("cannot be suppressed" in n for n in diag.notes)


def test_ignored_codes_parsing() -> None:
    assert ignored_codes("# mrpl: ignore[MRP701, mrp702]") == {"MRP701", "MRP702"}
    assert ignored_codes("# just a comment") == frozenset()


# ---------------------------------------------------------------- CLI


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_clean_plan_exits_0() -> None:
    code, out, err = run("check", str(BASE))
    assert (code, out, err) == (0, "", "")


def test_cli_errors_exit_1_in_gcc_form() -> None:
    code, _, err = run("check", str(FIXTURES / "MRP301" / "bad.mrp"))
    assert code == 1
    assert re.search(r"bad\.mrp:\d+:\d+: error\[MRP301\]: the deadline '1\. kvartal 2023'", err)
    assert "^" in err


def test_cli_warnings_exit_0_unless_strict() -> None:
    bad = str(FIXTURES / "MRP702" / "bad.mrp")
    assert run("check", bad)[0] == 0
    code, _, err = run("check", "--strict", bad)
    assert code == 1 and "error[MRP702]" in err


def test_cli_json() -> None:
    code, out, _ = run("check", "--format", "json", str(FIXTURES / "MRP207" / "bad.mrp"))
    data = json.loads(out)
    assert code == 1 and data["version"] == 1
    (diag,) = [d for d in data["diagnostics"] if d["code"] == "MRP207"]
    assert diag["replacement"] == "1.1" and diag["severity"] == "error"


def test_cli_missing_file_exits_2() -> None:
    code, _, err = run("check", str(BASE), "no-such-plan.mrp")
    assert code == 2 and "no such file" in err


def test_cli_several_files_report_a_shared_import_once(tmp_path: Path) -> None:
    shared = tmp_path / "shared.mrp"
    shared.write_text('mål 1.4 "Fælles" {\n  tekst "TODO"\n}\n', encoding="utf-8")
    plans = []
    for name in ("a.mrp", "b.mrp"):
        plan = tmp_path / name
        plan.write_text(base_with('  mål 1.3 "Digi', '  importer "shared.mrp"\n  mål 1.3 "Digi'), encoding="utf-8")
        plans.append(str(plan))
    _, out, _ = run("check", "--format", "json", *plans)
    placeholders = [d for d in json.loads(out)["diagnostics"] if d["code"] == "MRP602"]
    assert len(placeholders) == 1


def test_cli_explain() -> None:
    code, out, _ = run("explain", "mrp207")
    assert code == 0 and out.startswith("MRP207 method-names-other-goal")
    assert run("explain", "MRP999")[0] == 2


def test_a_dropped_requirement_keeps_its_weight_in_the_sums() -> None:
    """The plan was signed with it; scoring rebases the total, the checker must not flag it."""
    import mrpl

    text = (
        'plan {\n  styrelse "S"\n  periode 2022-01-01 til 2022-12-31\n  direktør "D"\n  departementschef "C"\n}\n'
        'afsnit 1 "Faglige mål" {\n  mål 1.1 "A" {\n    tekst "t"\n    vægt 100\n'
        '    resultatkrav a { tekst "x"; vægt 50; frist 2022-06-30; måltal milepæl }\n'
        '    resultatkrav b { tekst "y"; vægt 50; frist 2022-06-30; måltal milepæl; udgået "Aftalt" }\n  }\n}\n'
    )
    result = mrpl.load_string(text, "dropped.mrp")
    codes = {d.code for d in mrpl.check(result)}
    assert not {c for c in codes if c.startswith("MRP1")}, codes
