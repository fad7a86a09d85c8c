"""The walks over the syntax tree generated ahead (mrpl/dataclassgen/walks.py): current, and
the same as the generic walks they replace on every plan we have."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from mrpl import ast as A
from mrpl.check.context import Context, _collect_texts
from mrpl.check.textwalk import TEXTS
from mrpl.dataclassgen.moved import MOVED
from mrpl.dataclassgen.walks import COMMAND, GENERATED, may_hold_spans
from mrpl.load import load_file
from mrpl.parse import parse_source

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted([*ROOT.glob("examples/**/*.mrp"), *ROOT.glob("tests/fixtures/check/*/*.mrp")])


def _plan(path: Path) -> A.Plan | None:
    return load_file(str(path)).plan


# The fixtures whose file yields no plan (MRP006's is not UTF-8; MRP090's allonge amends a plan
# that is missing) have nothing to walk: they are left out, not skipped (CI allows no skips).
LOADED = [path for path in PLANS if _plan(path) is not None]
PARSED = [path for path in PLANS if parse_source(path.read_text(encoding="utf-8", errors="replace"), str(path)).plan]


@pytest.mark.parametrize("target", sorted(GENERATED), ids=lambda t: Path(t).name)
def test_the_generated_modules_are_current(target: str) -> None:
    with open(target, encoding="utf-8") as fh:
        assert fh.read() == GENERATED[target](), f"{target} is not current: run `{COMMAND}` and commit the result"


# ---- moved.py: every span moved


def _spans(value: Any, out: list[tuple[str, A.Span]]) -> list[tuple[str, A.Span]]:
    if isinstance(value, tuple):
        for item in value:
            _spans(item, out)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name == "span":
                out.append((type(value).__name__, item))
            else:
                _spans(item, out)
    return out


def _moved_by_walking(value: Any, delta: int, lines: int) -> Any:
    """The reference: every field of every node looked at, every span moved."""
    if isinstance(value, A.Span):
        if value is A.NO_SPAN:
            return value
        return dataclasses.replace(
            value, start=value.start + delta, end=value.end + delta, line=value.line + lines,
            end_line=value.end_line + lines,
        )  # fmt: skip
    if isinstance(value, tuple):
        return tuple(_moved_by_walking(v, delta, lines) for v in value)
    if dataclasses.is_dataclass(value):
        changes = {f.name: _moved_by_walking(getattr(value, f.name), delta, lines) for f in dataclasses.fields(value)}
        return type(value)(**changes)
    return value


@pytest.mark.parametrize("path", PARSED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_span_of_every_node_moves(path: Path) -> None:
    plan = parse_source(path.read_text(encoding="utf-8", errors="replace"), str(path)).plan
    assert plan is not None
    got, want = MOVED[A.Plan](plan, 7, -2), _moved_by_walking(plan, 7, -2)
    assert got == want
    assert _spans(got, []) == _spans(want, []) != _spans(plan, [])


def test_a_field_type_that_may_hold_a_span_is_recognised() -> None:
    assert may_hold_spans("tuple[Inline, ...]") and may_hold_spans("Prose | None") and may_hold_spans("Target")
    assert not may_hold_spans("tuple[tuple[str, str], ...]") and not may_hold_spans("Decimal | None")
    assert not may_hold_spans("Relation | None") and not may_hold_spans("date | None")
    with pytest.raises(ValueError, match="Unknown"):
        may_hold_spans("Unknown | None")


# ---- textwalk.py: every text, in order, with its span


def _texts_by_walking(plan: A.Plan) -> tuple[list[Any], list[A.FootnoteRef]]:
    texts: list[Any] = []
    refs: list[A.FootnoteRef] = []
    _collect_texts(plan, texts, refs)
    return texts, refs


@pytest.mark.parametrize("path", LOADED, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_text_walk_finds_what_the_generic_walk_finds(path: Path) -> None:
    plan = _plan(path)
    assert plan is not None
    texts: list[Any] = []
    refs: list[A.FootnoteRef] = []
    TEXTS[A.Plan](plan, plan.span, texts, refs)
    want_texts, want_refs = _texts_by_walking(plan)
    assert texts == want_texts  # values and spans (a TextNode compares both), in order
    assert [(r, r.span) for r in refs] == [(r, r.span) for r in want_refs]


def test_a_plan_nested_deeper_than_the_stack_is_walked_all_the_same() -> None:
    """The parser refuses such nesting, but a plan made in code may have it."""
    span = A.Span(0, 1, 1, 1, 1, 2, "deep.mrp")
    group = A.SubWeightGroup("innermost", None, (), ("kolonne",), span)
    for depth in range(3000):
        group = A.SubWeightGroup(f"gruppe {depth}", None, (group,), (), span)
    req = A.Requirement(None, None, None, None, (), None, (), None, (group,), (), None, True, None, False, span)
    goal = A.Goal("1", "Område", None, None, None, (req,), None, None, (), (), span)
    plan = A.Plan(None, None, None, None, (), None, None, None, (), (), (goal,), (), (), (), (), span)
    ctx = Context(plan, {})
    assert (list(ctx.texts), list(ctx.footnote_refs)) == _texts_by_walking(plan)
    assert len(ctx.texts) == 3003  # the area, 3,001 group names and a column heading
