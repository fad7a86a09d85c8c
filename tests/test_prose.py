"""Prose markup: the one-plain-line shortcut must read exactly as the full reading."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mrpl import ast as A
from mrpl.prose import parse_prose, read_blocks, to_markup
from tests import strategies

SPAN = A.Span(3, 9, 1, 4, 1, 10, "p.mrp")
_PIECES = st.sampled_from(["Styrelsen", " ", "  ", "\t", "\n", "\n\n", "-", "• ", "* ", "1. ", "2", "*", "**",
                           "__", "_", "[^1]", "[", "{{styrelse}}", "{", "\\", "\f", "\r", "æøå", ".", "kl. 12"])  # fmt: skip


@given(st.lists(_PIECES, max_size=8).map("".join))
def test_parse_prose_equals_the_full_reading(text: str) -> None:
    assert parse_prose(text, SPAN) == read_blocks(text, SPAN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Sagsbehandlingstiden nedbringes. ", "Sagsbehandlingstiden nedbringes."),
        ("- et punkt", None),
        ("Mindst *90 %*", None),
    ],
)
def test_one_plain_line_is_one_paragraph(text: str, expected: str | None) -> None:
    prose = parse_prose(text, SPAN)
    plain = prose.blocks == (A.Paragraph((A.Text(expected or ""),)),)
    assert plain is (expected is not None)
    assert all(inline.span == SPAN for block in prose.blocks for inline in getattr(block, "inlines", ()))


@given(strategies.prose_with_nested_lists)
def test_markup_reads_back_to_the_same_prose(prose: A.Prose) -> None:
    assert parse_prose(to_markup(prose)) == prose


def _item(text: str, *children: A.BulletList | A.NumberedList) -> A.ListItem:
    return A.ListItem((A.Text(text),), children=children)


def test_a_list_inside_a_list_item() -> None:
    text = """Styrelsen skal:

1. gennemføre en kvalitetsmåling på
   - asylsager
   - familiesammenføringssager,
     herunder forlængelser
2. forelægge resultatet for direktionen
\t- senest 30. juni"""
    prose = parse_prose(text)
    nested = A.BulletList((_item("asylsager"), _item("familiesammenføringssager, herunder forlængelser")))
    assert prose.blocks[1] == A.NumberedList(
        1,
        (
            _item("gennemføre en kvalitetsmåling på", nested),
            _item("forelægge resultatet for direktionen", A.BulletList((_item("senest 30. juni"),))),
        ),
    )
    assert prose.plain().splitlines()[3] == "   - asylsager"


def test_a_shallower_item_returns_to_its_own_list() -> None:
    prose = parse_prose("- a\n    - b\n      1. c\n    - d\n- e")
    inner = A.BulletList((_item("b", A.NumberedList(1, (_item("c"),))), _item("d")))
    assert prose.blocks == (A.BulletList((_item("a", inner), _item("e"))),)


def test_a_change_of_kind_inside_an_item_starts_a_new_nested_list() -> None:
    prose = parse_prose("- a\n  - b\n  1. c")
    item = prose.blocks[0].items[0]  # type: ignore[union-attr]
    assert [type(c) for c in item.children] == [A.BulletList, A.NumberedList]
