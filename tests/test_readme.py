"""The README's example plan is a whole, valid plan."""

from __future__ import annotations

from pathlib import Path

import mrpl
from mrpl.diagnostics import Severity

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_plan_checks_clean() -> None:
    text = README.read_text(encoding="utf-8")
    plan = text.split("## A plan", 1)[1].split("```mrp\n", 1)[1].split("```", 1)[0]
    result = mrpl.load_string(plan, "README.mrp")
    diagnostics = [*result.diagnostics, *mrpl.check(result)]
    assert [d for d in diagnostics if d.severity >= Severity.WARNING] == []
    assert result.plan is not None and len(result.plan.all_goals()) == 3
