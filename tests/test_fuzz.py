"""A bounded, seeded share of the fuzz target (tests/fuzz.py) on every test run.

About two minutes of inputs, half mutated example plans and half random plans from the
grammar strategies, each driven through every stage. `python -m tests.fuzz --hours N`
runs the same target for as long as wanted (docs/hardening.md).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fuzz

CI_SECONDS = 110  # the share of a test run; the count of inputs depends on the machine's speed
CI_MIN_INPUTS = 12  # however slow the machine: both sources, the big examples among them
CI_MAX_INPUTS = 600


def test_the_fuzz_target_finds_nothing() -> None:
    tally = fuzz.run(CI_SECONDS, seed=0, limit=CI_MAX_INPUTS, minimum=CI_MIN_INPUTS)
    assert tally.failures == 0, f"{tally.failures} of {tally.inputs} inputs failed {tally.by_stage}:\n{tally.first}"


def test_the_target_catches_a_stage_that_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """The target reports an exception in any stage (a target that cannot fail would be a defect)."""
    import mrpl.report

    def broken(*args: object, **kwargs: object) -> str:
        raise ZeroDivisionError

    monkeypatch.setattr(mrpl.report, "render_report", broken)
    text = (fuzz.EXAMPLES / "udlaendingestyrelsen-2022.mrp").read_text(encoding="utf-8")
    with pytest.raises(fuzz.FuzzFailure, match="report"):
        fuzz.exercise(text, random.Random(0))


def test_the_mutator_changes_its_input_deterministically() -> None:
    text = (fuzz.EXAMPLES / "english-sample.mrp").read_text(encoding="utf-8")
    first = [fuzz.mutate(text, random.Random(n)) for n in range(20)]
    assert first == [fuzz.mutate(text, random.Random(n)) for n in range(20)]
    assert sum(m != text for m in first) >= 18
