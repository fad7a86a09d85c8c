"""The keyword table (grammar/keywords.tsv): Danish and English spellings.

The parser generates its keyword terminals from it, the formatter writes the
canonical spelling in the file's language, the language server completes from
it. One table, so the three never disagree.
"""

from __future__ import annotations

import re
from functools import cache

from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead
from mrpl.resources import grammar_path

LANGUAGES = ("da", "en")

MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip
MONTHS_EN = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Keyword:
    name: str  # terminal name without the KW_ prefix
    da: tuple[str, ...]
    en: tuple[str, ...]

    def spelling(self, language: str) -> str:
        return (self.da if language == "da" else self.en)[0]

    def language_of(self, text: str) -> str | None:
        """ "da", "en", or None when the spelling is the same in both."""
        norm = " ".join(text.split())
        in_da, in_en = norm in self.da, norm in self.en
        if in_da and in_en:
            return None
        return "da" if in_da else "en" if in_en else None


@cache
def keywords() -> tuple[Keyword, ...]:
    out = []
    with open(grammar_path("keywords.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            name, da, en = line.rstrip("\n").split("\t")
            out.append(Keyword(name, tuple(da.split("|")), tuple(en.split("|"))))
    return tuple(out)


@cache
def by_name() -> dict[str, Keyword]:
    return {k.name: k for k in keywords()}


def _phrase_regex(phrase: str) -> str:
    words = [re.escape(w) for w in phrase.split(" ")]
    return r"[ \t]+".join(words)


def terminal_definitions() -> str:
    """Lark terminal definitions for every keyword and the month names.

    Multi-word keywords get a higher priority so that "end of period" wins over
    "end of"; every keyword must end at a word boundary ("mål" is not the start
    of "måltal").
    """
    lines = []
    for kw in keywords():
        spellings = sorted(set(kw.da + kw.en), key=lambda w: (-len(w), w))
        body = "|".join(_phrase_regex(s) for s in spellings)
        priority = 10 + max(s.count(" ") for s in spellings)
        lines.append(f"KW_{kw.name}.{priority}: /(?:{body})(?![\\wæøåÆØÅ])/")
    months = sorted(set(MONTHS_DA + MONTHS_EN), key=lambda w: (-len(w), w))
    lines.append(f"MONTH.9: /(?i:{'|'.join(months)})(?![\\wæøåÆØÅ])/")
    return "\n".join(lines) + "\n"


def month_number(word: str) -> int:
    w = word.lower()
    return (MONTHS_DA.index(w) if w in MONTHS_DA else MONTHS_EN.index(w)) + 1
