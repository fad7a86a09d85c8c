"""One mistake, one message: single-token mutations of the shipped examples.

Each example is mutated at MUTATIONS random token positions (seeded, so the run is
deterministic): a token deleted, a token written twice, a keyword misspelt (a letter
dropped or two swapped), or a brace dropped. A mutant that still reads as a valid plan
(deleting an optional title, say) is not a mistake and is not counted. Of the others,
at least 90 % must give exactly one error, and at least 90 % must give their first
error on the mutated line. The test prints the ratios.

`python -m tests.test_recovery [N]` prints every mutant that misses, for work on the
parser's recovery (mrpl.parse) and messages (mrpl.syntax_messages).
"""

from __future__ import annotations

import glob
import os
import random
import sys
from dataclasses import dataclass

import pytest

from mrpl.check import all_diagnostics
from mrpl.diagnostics import Diagnostic, Severity
from mrpl.keywords import keywords
from mrpl.layout import positioned_tokens
from mrpl.load import load_parsed
from mrpl.parse import ParseResult, parse_source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "**", "*.mrp"), recursive=True))
MUTATIONS = 300  # per example
SEED = 16
BAR = 0.90

_KEYWORD_WORDS = frozenset(w for kw in keywords() for s in kw.da + kw.en for w in s.split(" ") if len(w) > 2)


@dataclass(frozen=True)
class Mutant:
    kind: str
    text: str
    line: int  # of the mutated token, in the mutated text
    what: str


def mutants(source: str, rng: random.Random, count: int) -> list[Mutant]:
    tokens = [(kind, text, at) for kind, text, at in positioned_tokens(source) if kind not in ("comment", "newline")]
    braces = [t for t in tokens if t[0] in ("open", "close")]
    words = [t for t in tokens if t[0] == "word" and t[1] in _KEYWORD_WORDS]
    out = []
    for _ in range(count):
        kind = rng.choice(("delete", "duplicate", "misspell", "brace"))
        pool = braces if kind == "brace" else words if kind == "misspell" else tokens
        _, text, at = rng.choice(pool)
        if kind in ("delete", "brace"):
            new, replaced = "", text
        elif kind == "duplicate":
            new, replaced = text + " " + text, text
        else:
            new, replaced = _misspell(text, rng), text
        mutated = source[:at] + new + source[at + len(replaced) :]
        out.append(Mutant(kind, mutated, source.count("\n", 0, at) + 1, f"{kind} {text[:30]!r}"))
    return out


def _misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1 :]  # a letter dropped
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped


def errors_of(text: str, path: str, cache: dict[str, ParseResult]) -> list[Diagnostic]:
    loaded = load_parsed(parse_source(text, path), None, cache)
    return sorted((d for d in all_diagnostics(loaded) if d.severity is Severity.ERROR), key=Diagnostic.sort_key)


@dataclass
class Tally:
    mistakes: int = 0
    valid: int = 0
    one_error: int = 0
    at_line: int = 0

    def ratio(self, n: int) -> float:
        return n / self.mistakes if self.mistakes else 1.0


def measure(paths: list[str], count: int, misses: list[str] | None = None) -> Tally:
    tally = Tally()
    cache: dict[str, ParseResult] = {}
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
        rng = random.Random(f"{SEED}:{os.path.basename(path)}")
        for m in mutants(source, rng, count):
            errors = errors_of(m.text, path, cache)
            if not errors:
                tally.valid += 1
                continue
            tally.mistakes += 1
            one = len(errors) == 1
            here = errors[0].span.line == m.line and errors[0].span.file == path
            tally.one_error += one
            tally.at_line += here
            if misses is not None and not (one and here):
                found = "; ".join(f"{d.span.line}: {d.code} {d.message}" for d in errors[:4])
                misses.append(f"{os.path.basename(path)}:{m.line} {m.what} -> {len(errors)}: {found}")
    return tally


def test_single_mistakes_give_one_message_on_their_line(capsys: pytest.CaptureFixture[str]) -> None:
    tally = measure(EXAMPLES, MUTATIONS)
    one, here = tally.ratio(tally.one_error), tally.ratio(tally.at_line)
    with capsys.disabled():  # the ratios belong in the CI log, pass or fail
        print(
            f"\nrecovery: {tally.mistakes} mutants with errors ({tally.valid} still valid) in {len(EXAMPLES)} "
            f"examples; exactly one error: {one:.1%}; first error on the mutated line: {here:.1%}"
        )
    assert len(EXAMPLES) >= 5 and tally.mistakes >= 300 * len(EXAMPLES) * 0.7
    assert one >= BAR, f"{one:.1%} of single mistakes give exactly one error"
    assert here >= BAR, f"{here:.1%} of single mistakes give their first error on the mutated line"


# ---------------------------------------------------------------- the mistakes named in issue 16


def _in_goal(lines: str) -> str:
    return f'mål 1.1 "A" {{\n  tekst "x"\n{lines}}}\n'


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        (_in_goal('  resultatkrv b {\n    tekst "y"\n    vægt 5\n  }\n'), 3, "did you mean `resultatkrav`?"),
        (_in_goal("  resultatkrav {\n    opfyldelse trin { mindst 200000 kr: 100 %; ellers: 0 % }\n  }\n"), 4,
         "`kr` is not a unit of a scale step"),
        (_in_goal('  resultatkrav a {\n    tekst "y"\n\n  resultatkrav b {\n    tekst "z"\n  }\n'), 5,
         "`}` is missing: `resultatkrav` opened on line 3 is not closed"),
        (_in_goal('  resultatkrav a\n    tekst "y"\n    vægt 5\n  }\n'), 3, "expected `{`"),
    ],
    ids=["misspelt keyword", "unit in a scale", "missing }",
         "missing {"],
)  # fmt: skip
def test_a_named_mistake_gives_one_message_that_says_what_to_do(source: str, line: int, words: str) -> None:
    errors = [d for d in parse_source(source, "plan.mrp").diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == 1, [(d.span.line, d.message) for d in errors]
    assert errors[0].span.line == line and words in errors[0].message, (errors[0].span.line, errors[0].message)


def test_every_curated_example_fails_where_its_message_says() -> None:
    from mrpl.parse import _curated_signatures
    from mrpl.syntax_messages import CURATED

    assert set(_curated_signatures().values()) == set(CURATED)
    for entry in CURATED:
        for example in entry.examples:
            (error,) = parse_source(example, "x.mrp").diagnostics
            assert entry.message.split("{found}")[-1] in error.message and error.fix == entry.fix, example


if __name__ == "__main__":  # pragma: no cover
    found: list[str] = []
    result = measure(EXAMPLES, int(sys.argv[1]) if len(sys.argv) > 1 else MUTATIONS, found)
    print("\n".join(found))
    print(result, f"one: {result.ratio(result.one_error):.1%} at line: {result.ratio(result.at_line):.1%}")
