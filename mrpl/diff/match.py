"""Pairing the old and the new members of a list of goals, requirements or sections.

Identity first (the same number), then similarity of title and text when the
numbering changed, so that a goal renumbered from 1.4 to 1.3 is one goal that
moved, not one removed and one added. A same-numbered pair that reads as a
different thing altogether yields to a better similar partner.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from mrpl.diff.model import Matched

T = TypeVar("T")

# Same identity and at least this similar: surely the same item.
SAME_IDENTITY = 0.5
# Different identity, at least this similar: the same item, renumbered.
SIMILAR = 0.6

_WORD = re.compile(r"\w+", re.UNICODE)


def similarity(a: str, b: str) -> float:
    """How alike two texts are, word by word (0..1); two empty texts are alike."""
    wa, wb = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    if not wa and not wb:
        return 1.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


@dataclass(slots=True)
class Pair:
    old: int
    new: int
    matched: Matched
    score: float


@dataclass(slots=True)
class Pairing(Generic[T]):
    pairs: list[Pair] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)

    def score_of(self, pair: Pair) -> Decimal:
        return Decimal(round(pair.score * 100)) / 100


def pair_up(old: Sequence[T], new: Sequence[T], key: Callable[[T], str], text: Callable[[T], str]) -> Pairing[T]:
    """Pair old and new items: same key and alike, then alike under another key, then same key."""
    old_text = [text(x) for x in old]
    new_text = [text(x) for x in new]
    scores: dict[tuple[int, int], float] = {}

    def score(i: int, j: int) -> float:
        if (i, j) not in scores:
            scores[(i, j)] = similarity(old_text[i], new_text[j])
        return scores[(i, j)]

    new_by_key: dict[str, int] = {}
    for j, item in enumerate(new):
        new_by_key.setdefault(key(item), j)
    free_old, free_new = set(range(len(old))), set(range(len(new)))
    pairs: list[Pair] = []

    def take(i: int, j: int, how: Matched) -> None:
        pairs.append(Pair(i, j, how, score(i, j)))
        free_old.discard(i)
        free_new.discard(j)

    for i, item in enumerate(old):  # 1: the same number and recognisably the same
        j = new_by_key.get(key(item))
        if j is not None and j in free_new and score(i, j) >= SAME_IDENTITY:
            take(i, j, Matched.IDENTITY)
    candidates = sorted(
        ((score(i, j), i, j) for i in free_old for j in free_new if key(old[i]) != key(new[j])),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    for s, i, j in candidates:  # 2: renumbered, paired by what it says
        if s >= SIMILAR and i in free_old and j in free_new:
            take(i, j, Matched.SIMILARITY)
    for i in sorted(free_old):  # 3: the same number, rewritten
        j = new_by_key.get(key(old[i]))
        if j is not None and j in free_new:
            take(i, j, Matched.IDENTITY)
    pairs.sort(key=lambda p: p.new)
    return Pairing(pairs, sorted(free_old), sorted(free_new))


def in_order(pairs: Sequence[Pair]) -> set[int]:
    """The new indices of the longest run of pairs that kept their relative order;
    the others moved. Pairs must be sorted by new index."""
    tails: list[int] = []  # index into pairs of the smallest tail of each length
    back: list[int] = [-1] * len(pairs)
    for n, pair in enumerate(pairs):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if pairs[tails[mid]].old < pair.old:
                lo = mid + 1
            else:
                hi = mid
        back[n] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(n)
        else:
            tails[lo] = n
    kept: set[int] = set()
    n = tails[-1] if tails else -1
    while n >= 0:
        kept.add(pairs[n].new)
        n = back[n]
    return kept
