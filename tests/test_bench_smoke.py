"""The benchmark runs end to end on tiny sizes, and its synthetic plans are valid.

No timings are asserted: figures belong in docs/performance.md, not in tests.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import mrpl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402


def _errors(result: mrpl.LoadResult) -> list[str]:
    diagnostics = list(result.diagnostics)
    check = getattr(mrpl, "check", None)
    if callable(check):
        diagnostics += list(check(result) or [])
    return [f"{d.code} {d.message}" for d in diagnostics if d.severity.name == "ERROR"]


@pytest.mark.parametrize("goals", [1, 5, 8, 23])
def test_generated_plan_is_valid_and_weights_add_up_to_100(goals: int) -> None:
    result = mrpl.load_string(generate.plan_text(goals), "synthetic.mrp")
    assert result.plan is not None
    assert _errors(result) == []
    assert len(result.plan.all_goals()) == goals
    assert sum(e.weight.value for e in result.plan.weights.entries) == Decimal(100)


def test_generated_numbering_is_unique() -> None:
    plan = mrpl.load_string(generate.plan_text(30), "synthetic.mrp").plan
    assert plan is not None
    numbers = [g.number for g in plan.all_goals()]
    assert len(numbers) == len(set(numbers)) == 30
    assert "5.2" in numbers  # seven goals per section: goal 30 is 5.2


def test_plan_sizes_follow_the_request() -> None:
    small, large = generate.plan_of_bytes(20_000), generate.plan_of_bytes(200_000)
    assert 15_000 < len(small.encode()) < 25_000
    assert 180_000 < len(large.encode()) < 220_000
    assert 900 < generate.plan_of_lines(1000).count("\n") < 1100


def test_weights_split_exactly() -> None:
    assert generate.split_evenly(100_000, 3) == [33_334, 33_333, 33_333]
    assert generate.points(2500) == "2,5"
    assert generate.points(5000) == "5"
    assert generate.points(33) == "0,033"


def test_quick_benchmark_runs_and_prints_the_table() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert "| measure | value | reference | ratio | target | met |" in out
    for measure in (
        "throughput",
        "cold `mrplc check",
        "scaling: 2× plan vs 1×",
        "LSP start → first diagnostics",
        "LSP didChange",
        "`mrplc check DIR`",
        "mrplc build --to pdf",
        "mrplc build --to tex",
        "peak memory",
    ):
        assert measure in out, measure
    assert "Machine:" in out and "Python 3." in out
    assert "Traceback" not in proc.stderr
