"""`mrpl.incremental.reparse` must give exactly what a full parse gives, spans included."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mrpl import ast as A
from mrpl import incremental
from mrpl.parse import ParseResult, parse_source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLANS = {
    name: (EXAMPLES / name).read_text(encoding="utf-8")
    for name in (
        "siri-2020.mrp",
        "udlaendingestyrelsen-2022.mrp",
        "english-sample.mrp",
        "shared/koncernfaelles-2022.mrp",
        "kontrolstyrelsen-2024.mrp",  # core tasks: a goal held by its section and its core task
    )
}
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


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


def _sharing(value: Any, seen: dict[int, int], out: list[int]) -> list[int]:
    """For each node in walk order, the index of its first occurrence (the parser holds a core
    task's goals in its section's goals too: one node for both)."""
    if isinstance(value, tuple):
        for item in value:
            _sharing(item, seen, out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, A.Span):  # spans are values: shared or not
        out.append(seen.setdefault(id(value), len(out)))
        for f in dataclasses.fields(value):
            _sharing(getattr(value, f.name), seen, out)
    return out


def assert_same_parse(got: ParseResult, want: ParseResult) -> None:
    assert got.plan == want.plan
    assert _spans(got.plan, []) == _spans(want.plan, [])
    assert _sharing(got.plan, {}, []) == _sharing(want.plan, {}, [])
    assert got.diagnostics == want.diagnostics
    assert got.comments == want.comments
    assert got.keyword_positions == want.keyword_positions
    assert (got.language, got.keyword_votes) == (want.language, want.keyword_votes)
    assert got.source == want.source


def _edit(text: str, start: int, end: int, insert: str) -> str:
    return text[:start] + insert + text[end:]


# ---- the block re-parse is taken, and is exact


@pytest.fixture
def parsed_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of the text each parse inside `reparse` reads (blanks before it not counted)."""
    sizes: list[int] = []
    real_parse = incremental.parse_source

    def counting_parse(source: str, path: str, **kw: Any) -> ParseResult:
        sizes.append(len(source.lstrip()))
        return real_parse(source, path, **kw)

    monkeypatch.setattr(incremental, "parse_source", counting_parse)
    return sizes


@pytest.mark.parametrize(
    ("anchor", "insert"),
    [
        pytest.param('mål 2.1 "', "Ny ", id="the area of goal 2.1"),
        pytest.param('\nindledning """\n', '  Et nyt afsnit."""\n\n', id="indledning"),
        pytest.param('\nmålindledning """\n', '  Et nyt afsnit."""\n\n', id="målindledning"),
        pytest.param('\nopfølgning """\n', '  Et nyt afsnit."""\n\n', id="opfølgning"),
    ],
)
def test_typing_in_a_statement_reparses_only_that_statement(anchor: str, insert: str, parsed_sizes: list[int]) -> None:
    """(The top-level texts are closed early: the text after the edit is another token.)"""
    text = PLANS["siri-2020.mrp"]
    old = parse_source(text, "siri.mrp")
    at = text.index(anchor) + len(anchor)
    new_text = _edit(text, at, at, insert)
    got = incremental.reparse(old, new_text)
    want = parse_source(new_text, "siri.mrp")
    if not want.diagnostics:
        assert len(parsed_sizes) == 1 and parsed_sizes[0] < len(text) // 5  # one statement, not the file
    assert_same_parse(got, want)


@pytest.mark.parametrize(
    ("anchor", "insert"),
    [
        pytest.param('\nindledning """\n', "  Et nyt afsnit.\n\n", id="a new paragraph in indledning"),
        pytest.param('tekst """\n', "  Ny ", id="a text block"),
        pytest.param('tekst "Inden', " Ny ", id="a one-line text"),
        pytest.param('tekst "Inden', ' et \\"citat\\" ', id="an escaped quote"),
        pytest.param('tekst "Inden', " *fremhævet* og [^1] ", id="markup"),
    ],
)
def test_typing_in_a_text_reads_only_that_text(anchor: str, insert: str, parsed_sizes: list[int]) -> None:
    text = PLANS["siri-2020.mrp"]
    old = parse_source(text, "siri.mrp")
    at = text.index(anchor) + len(anchor)
    new_text = _edit(text, at, at, insert)
    got = incremental.reparse(old, new_text)
    assert parsed_sizes == []
    assert_same_parse(got, parse_source(new_text, "siri.mrp"))


@pytest.mark.parametrize(
    "insert",
    [
        pytest.param('"', id="a quote that ends the text"),
        pytest.param('" tekst "', id="a second text"),
        pytest.param("\n", id="a line break in a one-line string"),
    ],
)
def test_a_text_that_no_longer_reads_as_one_string_is_parsed_again(insert: str, parsed_sizes: list[int]) -> None:
    text = PLANS["siri-2020.mrp"]
    old = parse_source(text, "siri.mrp")
    at = text.index('tekst "Inden') + len('tekst "Inden')
    new_text = _edit(text, at, at, insert)
    got = incremental.reparse(old, new_text)
    assert parsed_sizes  # not read as a text
    assert_same_parse(got, parse_source(new_text, "siri.mrp"))


def test_a_text_followed_on_its_line_is_not_read_alone(parsed_sizes: list[int]) -> None:
    text = PLANS["siri-2020.mrp"]
    at = text.index('tekst "Inden') + len('tekst "Inden')
    line_end = text.index("\n", at)
    text = text[:line_end] + "  # a note" + text[line_end:]
    old = parse_source(text, "siri.mrp")
    new_text = _edit(text, at, at, " Ny")
    got = incremental.reparse(old, new_text)
    assert len(parsed_sizes) == 1  # the goal, as before
    assert_same_parse(got, parse_source(new_text, "siri.mrp"))


def test_a_new_line_in_a_goal_moves_everything_after_it() -> None:
    text = PLANS["udlaendingestyrelsen-2022.mrp"]
    old = parse_source(text, "u.mrp")
    goal = old.plan.all_goals()[0]
    at = text.index("\n", goal.span.start) + 1
    new_text = _edit(text, at, at, "\n\n  # a note\n")
    got = incremental.reparse(old, new_text)
    assert got.plan.all_goals()[-1].span.line == old.plan.all_goals()[-1].span.line + 3
    assert_same_parse(got, parse_source(new_text, "u.mrp"))


def test_a_second_edit_builds_on_the_first() -> None:
    text = PLANS["siri-2020.mrp"]
    result = parse_source(text, "s.mrp")
    for n, goal in enumerate(result.plan.all_goals()[:6]):
        at = result.source.index(f'mål {goal.number} "') + len(f'mål {goal.number} "')
        result = incremental.reparse(result, _edit(result.source, at, at, "æ" * (n + 1)))
    assert_same_parse(result, parse_source(result.source, "s.mrp"))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(("mål 2.1", "}"), id="a brace that closes the goal early"),
        pytest.param(("mål 2.1", '"'), id="an unclosed string"),
        pytest.param(("mål 2.1", "vægt 3 point\n"), id="a second weight (MRP010)"),
    ],
)
def test_edits_that_break_the_goal_read_as_in_a_full_parse(change: tuple[str, str]) -> None:
    anchor, insert = change
    text = PLANS["siri-2020.mrp"]
    at = text.index("\n", text.index(anchor)) + 1
    new_text = _edit(text, at, at, insert)
    want = parse_source(new_text, "s.mrp")
    assert want.diagnostics  # the edit is an error, wherever the parse puts it
    assert_same_parse(incremental.reparse(parse_source(text, "s.mrp"), new_text), want)


def test_problems_before_and_inside_the_block_keep_the_order_of_a_full_parse() -> None:
    """The section's duplicate `tabeltitel` is reported when the section is reduced, after its
    goals: both kinds of parse list the diagnostics in source order."""
    title = '  tabeltitel "1. Ekstern rettede mål"\n'
    text = PLANS["udlaendingestyrelsen-2022.mrp"].replace(title, title + '  tabeltitel "igen"\n', 1)
    old = parse_source(text, "u.mrp")
    at = text.index("\n", old.plan.sections[0].goals[0].span.start) + 1
    new_text = _edit(text, at, at, "  vægt 1 point\n  vægt 2 point\n")
    got = incremental.reparse(old, new_text)
    assert [d.code for d in got.diagnostics] == ["MRP010", "MRP010"]
    assert_same_parse(got, parse_source(new_text, "u.mrp"))


@pytest.mark.parametrize("second", ['tekst "Mindst 95', 'mål 1 "'], ids=["a text", "a goal's area"])
def test_a_goal_held_by_a_section_and_its_core_task_stays_one_node_after_edits(second: str) -> None:
    """The parser holds a core task's goal in the section's goals too: an edit before the
    section moves it, and an edit inside it must then change it in both places."""
    text = PLANS["kontrolstyrelsen-2024.mrp"]
    result = parse_source(text, "k.mrp")
    for anchor in ('kerneopgave "Kontrol og tilsyn" "Styrelsen', second):
        at = result.source.index(anchor) + len(anchor)
        result = incremental.reparse(result, _edit(result.source, at, at, " ny"))
        assert_same_parse(result, parse_source(result.source, "k.mrp"))
    section = result.plan.sections[0]
    assert section.core_tasks[0].goals[0] is section.goals[0]


def test_an_edit_across_two_goals_parses_the_whole_file() -> None:
    text = PLANS["siri-2020.mrp"]
    start, end = text.index("mål 2.1"), text.index("mål 2.2")
    new_text = _edit(text, start + 10, end + 10, "")
    assert_same_parse(incremental.reparse(parse_source(text, "s.mrp"), new_text), parse_source(new_text, "s.mrp"))


# ---- properties: any edit, the same result as a full parse


def _string_edit(draw: st.DrawFn, text: str) -> str:
    strings = list(_STRING.finditer(text))
    m = strings[draw(st.integers(0, len(strings) - 1))]
    at = draw(st.integers(m.start() + 1, m.end() - 1))
    cut = draw(st.integers(0, min(3, m.end() - 1 - at)))
    return _edit(text, at, at + cut, draw(st.text("aæø Å1,.", max_size=4)))


def _line_edit(draw: st.DrawFn, text: str) -> str:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    at = starts[draw(st.integers(0, len(starts) - 1))]
    return _edit(text, at, at, draw(st.sampled_from(["\n", "\n\n", "# note\n", "  \n"])))


def _any_edit(draw: st.DrawFn, text: str) -> str:
    at = draw(st.integers(0, len(text)))
    cut = draw(st.integers(0, 12))
    return _edit(text, at, min(len(text), at + cut), draw(st.text('ab1 .{}"\n#æ', max_size=6)))


@st.composite
def edited_plans(draw: st.DrawFn) -> tuple[str, list[str]]:
    name = draw(st.sampled_from(sorted(PLANS)))
    texts, text = [], PLANS[name]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from([_string_edit, _string_edit, _line_edit, _any_edit]))
        text = kind(draw, text)
        texts.append(text)
    return name, texts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_plans())
def test_reparse_equals_a_full_parse(case: tuple[str, list[str]]) -> None:
    name, texts = case
    result = parse_source(PLANS[name], name)
    for text in texts:
        result = incremental.reparse(result, text)
        assert_same_parse(result, parse_source(text, name))
