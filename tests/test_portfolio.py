"""The portfolio: a folder of plans, shared modules and results (`mrplc report DIR`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mrpl.portfolio import load_portfolio, portfolio_data, portfolio_diagnostics
from mrpl.render.portfolio import render_portfolio

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).parent / "fixtures" / "portfolio"
GOLDEN = Path(__file__).parent / "golden"

# The three agencies of the ministry portfolio the examples hold (issue: "the two 2022 agencies plus SIRI").
MINISTRY = ("Udlændingestyrelsen", "Hjemrejsestyrelsen", "Styrelsen for International Rekruttering og Integration")
MINISTRY_FILES = (
    "udlaendingestyrelsen-2022.mrp",
    "hjemrejsestyrelsen-2022.mrp",
    "siri-2020.mrp",
    "shared/koncernfaelles-2022.mrp",
)


def ministry_copy(tmp_path: Path) -> Path:
    """The ministry's plans, module and results copied alone, so other examples do not move the goldens."""
    folder = tmp_path / "ministeriet"
    for name in MINISTRY_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLES / name, folder / name)
    (folder / "results").mkdir()
    for path in sorted((EXAMPLES / "results").iterdir()):
        if path.name.split(".")[0] in {Path(n).stem for n in MINISTRY_FILES}:
            shutil.copy(path, folder / "results" / path.name)
    return folder


def test_examples_are_a_portfolio_with_follow_ups() -> None:
    portfolio = load_portfolio(str(EXAMPLES))
    agencies = {p.agency for p in portfolio.plans}
    assert set(MINISTRY) <= agencies
    assert [m for m, _ in portfolio.modules if m.endswith("koncernfaelles-2022.mrp")]
    for entry in portfolio.plans:
        if entry.agency in MINISTRY:
            dated = [r for r in entry.runs if r.score is not None and r.as_of is not None]
            assert len(dated) >= 2, f"{entry.agency}: results for at least two follow-ups"
            assert [r.as_of for r in dated] == sorted(r.as_of for r in dated)


def test_examples_have_no_portfolio_errors() -> None:
    diagnostics = portfolio_diagnostics(load_portfolio(str(EXAMPLES)))
    assert [d for d in diagnostics if d.severity.name == "ERROR"] == []
    assert not [d for d in diagnostics if d.code.startswith("MRP9")], "the examples are a consistent portfolio"


def test_latest_figures_are_the_score_reports(tmp_path: Path) -> None:
    """The portfolio says what `mrplc score` says for the newest results of each plan."""
    data = portfolio_data(load_portfolio(str(ministry_copy(tmp_path))))
    plans = {p["agency"]: p for a in data["agencies"] for p in a["plans"]}
    udl = plans["Udlændingestyrelsen"]
    assert [r["as_of"] for r in udl["runs"]] == ["2022-04-30", "2022-08-31", "2022-12-31"]
    latest = udl["latest"]
    assert (latest["earned"], latest["total"]) == (80, 100)  # README: "I alt: 80 af 100 point; 12 af 15 krav"
    assert (latest["requirements_met"], latest["requirements_counted"]) == (12, 15)
    assert latest["kind"] == "actual" and udl["runs"][0]["kind"] == "expected"
    assert data["counts"] == {"plans": 3, "modules": 1, "results": 7}


def test_goal_status_words(tmp_path: Path) -> None:
    data = portfolio_data(load_portfolio(str(ministry_copy(tmp_path))), "en")
    hjem = next(p for a in data["agencies"] for p in a["plans"] if p["agency"] == "Hjemrejsestyrelsen")
    words = {g["number"]: g["status_words"] for g in hjem["latest"]["goals"]}
    assert words["1.2"] == "Met" and words["2.2"] == "Not reported"


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_report_golden(fmt: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    folder = str(ministry_copy(tmp_path))  # paths in the report are relative to the folder
    text = render_portfolio(portfolio_data(load_portfolio(folder)), fmt)
    golden = GOLDEN / f"portfolio.{fmt}"
    if request.config.getoption("--update-goldens"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert text == render_portfolio(portfolio_data(load_portfolio(folder)), fmt), "deterministic"


def test_english_page(tmp_path: Path) -> None:
    page = render_portfolio(portfolio_data(load_portfolio(str(ministry_copy(tmp_path))), "en"), "html")
    assert '<html lang="en">' in page and "Points per goal" in page and "Partly met" in page
    assert "Opfyldt" not in page.replace("Opfyldelse", "")


# ---------------------------------------------------------------- the cross-plan checks


CODES = sorted(p.name for p in FIXTURES.iterdir() if p.name.startswith("MRP"))


@pytest.mark.parametrize("code", CODES)
def test_fixture_bad_reports_the_code(code: str) -> None:
    found = portfolio_diagnostics(load_portfolio(str(FIXTURES / code / "bad")))
    hits = [d for d in found if d.code == code]
    assert len(hits) == 1, [(d.code, d.message) for d in found]
    source = Path(hits[0].span.file).read_text(encoding="utf-8")
    assert code in source.splitlines()[0], "the bad fixture's first line names the code it shows"


@pytest.mark.parametrize("code", CODES)
def test_fixture_good_is_quiet(code: str) -> None:
    found = portfolio_diagnostics(load_portfolio(str(FIXTURES / code / "good")))
    assert [d.code for d in found if d.code.startswith("MRP9") or d.severity.name != "INFO"] == []


def test_every_portfolio_code_has_a_fixture() -> None:
    from mrpl.codes import all_codes

    assert [c for c in all_codes() if c.startswith("MRP9")] == CODES


# ---------------------------------------------------------------- safety


def test_plan_text_cannot_become_markup(tmp_path: Path) -> None:
    folder = ministry_copy(tmp_path)
    plan = folder / "udlaendingestyrelsen-2022.mrp"
    text = plan.read_text(encoding="utf-8")
    hostile = '<script>alert(1)</script>\\" onload=\\"x\\u0007'
    plan.write_text(text.replace('styrelse "Udlændingestyrelsen"', f'styrelse "{hostile}"', 1), encoding="utf-8")
    page = render_portfolio(portfolio_data(load_portfolio(str(folder))), "html")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '" onload' not in page and "\x07" not in page
    markdown = render_portfolio(portfolio_data(load_portfolio(str(folder))), "md")
    assert "<script>" not in markdown


def test_the_page_needs_no_network(tmp_path: Path) -> None:
    page = render_portfolio(portfolio_data(load_portfolio(str(ministry_copy(tmp_path)))), "html")
    for needle in ("http://", "https://", "<script", "<link", "@import", "url("):
        assert needle not in page.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_links_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(EXAMPLES / "siri-2020.mrp", outside / "secret-2020.mrp")
    folder = ministry_copy(tmp_path)
    (folder / "secret-2020.mrp").symlink_to(outside / "secret-2020.mrp")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    portfolio = load_portfolio(str(folder))
    read = set(portfolio.sources)
    assert not [p for p in read if "secret" in p or "elsewhere" in p]


# ---------------------------------------------------------------- the command


def mrplc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mrpl", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_report_writes_the_page(tmp_path: Path) -> None:
    folder = ministry_copy(tmp_path)
    out = tmp_path / "site" / "index.html"
    out.parent.mkdir()
    done = mrplc("report", str(folder), "--to", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"wrote {out}" in done.stderr


def test_cli_report_exit_codes(tmp_path: Path) -> None:
    assert mrplc("report", str(tmp_path / "nowhere")).returncode == 2
    bad = mrplc("report", str(FIXTURES / "MRP905" / "bad"))
    assert bad.returncode == 1 and "MRP101" in bad.stderr
    assert "alfa-2024" not in bad.stdout.split("ingen resultater")[0] or "ingen resultater" in bad.stdout


def test_check_dir_runs_the_checks_across_plans() -> None:
    done = mrplc("check", str(FIXTURES / "MRP901" / "bad"))
    assert "MRP901" in done.stderr and done.returncode == 0  # a warning
    done = mrplc("check", str(FIXTURES / "MRP905" / "bad"))
    assert "MRP905" in done.stderr and "MRP101" in done.stderr and done.returncode == 1
    assert "[MRP9" not in mrplc("check", str(FIXTURES / "MRP901" / "good")).stderr


def test_the_project_root_marker_is_not_a_results_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    portfolio = load_portfolio(str(tmp_path / "examples"))
    assert (tmp_path / "examples" / "mrpl.toml").is_file()
    assert not [d for d in portfolio_diagnostics(portfolio) if d.span.file.endswith("mrpl.toml")]


def test_check_dir_loads_and_checks_each_plan_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mrplc check DIR` reads and checks every plan once, for its own checks and the portfolio's."""
    import importlib

    from click.testing import CliRunner

    import mrpl
    import mrpl.portfolio.discover as discover
    from mrpl.cli import main

    check_module = importlib.import_module("mrpl.check")  # `mrpl.check` is the function
    folder = ministry_copy(tmp_path)
    loads: list[str] = []
    checks: list[str] = []
    real_load, real_check = mrpl.load_file, check_module.all_diagnostics

    def counting_load(path: str) -> mrpl.LoadResult:
        loads.append(path)
        return real_load(path)

    def counting_check(result: mrpl.LoadResult) -> list:
        checks.append(result.root.path)
        return real_check(result)

    monkeypatch.setattr(mrpl, "load_file", counting_load)
    monkeypatch.setattr(discover, "load_file", counting_load)
    monkeypatch.setattr(check_module, "all_diagnostics", counting_check)
    done = CliRunner().invoke(main, ["check", str(folder)])
    assert done.exit_code in (0, 1), done.output
    assert len(loads) == len(MINISTRY_FILES) == len(set(loads))
    assert len(checks) == len(MINISTRY_FILES) == len(set(checks))
