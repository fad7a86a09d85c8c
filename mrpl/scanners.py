"""The contextual lexer's scanners, compiled ahead: grammar/mrpl.scanners.json.

Lark's contextual lexer matches, in each parser state, one regular expression: the
alternation of every terminal the state accepts (all the keywords it may meet, among
them). It compiles each the first time a plan enters the state: about a hundred for a
real plan, and Python's `re` spends most of that parsing the pattern text. That was the
largest part of a cold `mrplc check` after the imports.

`re` keeps no compiled pattern between processes, and pickling one only stores its text.
What `re` compiles a pattern *to* is a list of integers for its matching engine (`_sre`),
which `_sre.compile` turns into a pattern object at once. `write_scanners` stores that list
for every scanner the grammar can need, in JSON (never pickle), stamped with the grammar's
stamp (the LALR tables') and with the Python that made it (its `_sre` version and code
size): engine code is only valid for the engine that made it. The lexers then compile
through `CachedRe`, which takes a pattern from the file when it is there, with exactly
the text and flags asked for, and compiles anything else as usual: a stale or foreign
file costs only the time it would have saved.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

try:  # the engine `re` compiles to (CPython); elsewhere everything compiles as usual
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _sre = None  # type: ignore[assignment]

SCANNERS_FILE = "mrpl.scanners.json"
Entry = tuple[int, list[int], int, dict[str, int]]  # final flags, code, groups - 1, group index


def engine() -> str | None:
    """Which engine code is valid for: the Python implementation and its `_sre`."""
    if _sre is None:
        return None
    return f"{sys.implementation.cache_tag}/{sys.hexversion:x}/{_sre.MAGIC}/{_sre.CODESIZE}"


class CachedRe:
    """Stands in for the `re` module in Lark's lexers (`compile`, `match`, `error`)."""

    error = re.error

    def __init__(self, stored: dict[tuple[str, int], Entry]) -> None:
        self._stored = stored

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern[str]:
        entry = self._stored.get((pattern, flags)) if isinstance(pattern, str) else None
        if entry is not None:
            final_flags, code, groups, groupindex = entry
            indexgroup: list[str | None] = [None] * (groups + 1)
            for name, index in groupindex.items():
                indexgroup[index] = name
            try:
                return _sre.compile(pattern, final_flags, code, groups, groupindex, tuple(indexgroup))
            except (TypeError, ValueError, RuntimeError):  # not this engine's code after all
                pass
        return re.compile(pattern, flags)

    def match(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return re.match(pattern, string, flags)


def read_scanners(path: str, stamp: str) -> dict[tuple[str, int], Entry]:
    """The stored scanners, if the file is for this grammar and this Python (else none)."""
    try:
        with open(path, encoding="utf-8") as fh:
            stored = json.load(fh)
        if stored.get("stamp") != stamp or stored.get("engine") != engine() or engine() is None:
            return {}
        return {(p, f): (final, code, groups, index) for p, f, final, code, groups, index in stored["patterns"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def install(parser: Any, stored: dict[tuple[str, int], Entry]) -> None:
    """Make a loaded Lark parser's lexers compile through the stored scanners."""
    if not stored:
        return
    cached = CachedRe(stored)
    for lexer in _basic_lexers(parser):
        lexer.re = cached


def scanner_patterns(parser: Any) -> list[tuple[str, int]]:
    """Every regular expression the parser's lexers can compile: each state's scanner (and
    the scanners that tell keywords from names), and the root lexer's, used for errors."""
    found: dict[tuple[str, int], None] = {}
    for lexer in _basic_lexers(parser):
        scanner = lexer.scanner  # built now, as the first plan entering the state would
        scanners = [scanner, *(cb.scanner for cb in lexer.callback.values() if hasattr(cb, "scanner"))]
        scanners += [
            cb.callback1.scanner for cb in lexer.callback.values() if hasattr(getattr(cb, "callback1", None), "scanner")
        ]
        for each in scanners:
            for compiled in each._mres:
                found[(compiled.pattern, lexer.g_regex_flags)] = None
    return list(found)


def scanners_payload(parser: Any, stamp: str) -> dict[str, Any] | None:
    """What grammar/mrpl.scanners.json holds for a parser built from the grammar `stamp`."""
    if engine() is None:
        return None
    patterns = []
    for pattern, flags in sorted(scanner_patterns(parser)):
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        state = parsed.state
        patterns.append([pattern, flags, flags | state.flags, list(code), state.groups - 1, dict(state.groupdict)])
    return {"stamp": stamp, "engine": engine(), "patterns": patterns}


def _basic_lexers(parser: Any) -> list[Any]:
    contextual = parser.parser.lexer
    distinct = {id(lexer): lexer for lexer in contextual.lexers.values()}
    distinct[id(contextual.root_lexer)] = contextual.root_lexer
    return list(distinct.values())
