"""Prose markup: the one-plain-line shortcut must read exactly as the full reading."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mrpl import ast as A
from mrpl.prose import parse_prose, read_blocks

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
