"""The checker's shortcuts for the language server's keystrokes find what the plain way finds:
the placeholder pre-filter, the remembered deadlines of a text, and the whole check after
edits re-parsed incrementally."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mrpl import ast as A
from mrpl import incremental
from mrpl.check import check
from mrpl.check.completeness import _MAYBE, _maybe_with_placeholders
from mrpl.check.context import TextNode
from mrpl.check.dates import _deadlines_named
from mrpl.load import load_parsed
from mrpl.parse import parse_source
from mrpl.textdates import deadlines_named

ROOT = Path(__file__).resolve().parent.parent
PLANS = {
    name: (ROOT / "examples" / name).read_text(encoding="utf-8") for name in ("siri-2020.mrp", "english-sample.mrp")
}
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
# Letters near the placeholder words in every case, brackets, and characters whose case folds oddly.
_ALPHABET = "xXtToOdDbB[] ıİſKÅæ\0\n"


def _nodes(values: list[str]) -> tuple[TextNode, ...]:
    return tuple(TextNode(v, A.NO_SPAN) for v in values)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_ALPHABET, max_size=12), max_size=6))
def test_the_placeholder_filter_keeps_every_text_the_search_would_find(values: list[str]) -> None:
    texts = _nodes(values)
    kept = list(_maybe_with_placeholders(texts))
    assert all(node in kept for node in texts if _MAYBE.search(node.value))


def test_the_placeholder_filter_passes_over_a_plan_without_candidates() -> None:
    assert list(_maybe_with_placeholders(_nodes(["Milepæl nået", "opgørelse 2022"]))) == []
    assert len(list(_maybe_with_placeholders(_nodes(["Milepæl", "beløb [BELØB]"])))) == 2
    assert len(list(_maybe_with_placeholders(_nodes(["ToDo", "x"])))) == 2


@example("senest 1. kvartal 2022 og 2. og 4. kvartal 2023")
@example("inden 31. december 2022, ellers 1. halvår")
@given(st.text("0123456789. kvartalhvårjunidecember og,2022", max_size=40))
def test_the_remembered_deadlines_of_a_text_are_those_it_names(text: str) -> None:
    named = deadlines_named(text)
    assert list(_deadlines_named(text)) == named
    assert list(_deadlines_named(text)) == named  # the second time, from the cache
    if "kvartal 2022" in text:
        assert named  # the examples name deadlines: the comparison is not between empty lists


@st.composite
def string_edits(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A plan and texts typed into its strings, one edit after the other (as in an editor)."""
    name = draw(st.sampled_from(sorted(PLANS)))
    texts, text = [], PLANS[name]
    for _ in range(draw(st.integers(1, 4))):
        strings = list(_STRING.finditer(text))
        m = strings[draw(st.integers(0, len(strings) - 1))]
        at = draw(st.integers(m.start() + 1, m.end() - 1))
        cut = draw(st.integers(0, min(3, m.end() - 1 - at)))
        insert = draw(st.sampled_from(["a", "TODO ", "[BELØB]", "1. kvartal 2020", "[^9]", "XX", ""]))
        text = text[:at] + insert + text[at + cut :]
        texts.append(text)
    return name, texts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(string_edits())
def test_the_check_after_incremental_edits_is_the_full_check(case: tuple[str, list[str]]) -> None:
    name, texts = case
    result = parse_source(PLANS[name], name)
    for text in texts:
        result = incremental.reparse(result, text)
        got = check(load_parsed(result))
        want = check(load_parsed(parse_source(text, name)))
        assert got == want
        assert [(d.span, [r.span for r in d.related]) for d in got] == [
            (d.span, [r.span for r in d.related]) for d in want
        ]
