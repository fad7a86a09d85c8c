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

import base64
import json
import re
import sys
import zlib
from array import array
from copy import copy
from functools import cache
from typing import Any

from lark.lexer import ContextualLexer

from mrpl.resources import grammar_path

try:  # the engine `re` compiles to (CPython); elsewhere everything compiles as usual
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _sre = None  # type: ignore[assignment]

SCANNERS_FILE = "mrpl.scanners.json"
FORMAT = 2  # of the file: 2 stores each scanner's code deflated
Entry = tuple[int, str, int, dict[str, int]]  # final flags, code as stored (see `_code`), groups - 1, group index


def engine() -> str | None:
    """Which engine code is valid for: the Python implementation and its `_sre`."""
    if _sre is None or array(_CODE_TYPE).itemsize != _sre.CODESIZE:
        return None
    return f"{sys.implementation.cache_tag}/{sys.hexversion:x}/{_sre.MAGIC}/{_sre.CODESIZE}/{sys.byteorder}"


_CODE_TYPE = "I"  # the engine's code units (CODESIZE 4): stored as the array's bytes, deflated, in base64


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
                return _sre.compile(pattern, final_flags, _code(code), groups, groupindex, tuple(indexgroup))
            except (TypeError, ValueError, RuntimeError, zlib.error):  # not this engine's code after all
                pass
        return re.compile(pattern, flags)

    def match(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return re.match(pattern, string, flags)


def read_scanners(path: str, stamp: str | None) -> dict[tuple[str, int], Entry]:
    """The stored patterns, if the file is for this grammar (any, for `stamp` None) and this
    Python (else none). Each one's code is decoded when first compiled (a plan needs about a
    hundred scanners)."""
    made_for, patterns = _read_file(path)
    return patterns if stamp is None or stamp == made_for else {}


def packaged_scanners(stamp: str) -> dict[tuple[str, int], Entry]:
    """`read_scanners` of the file in the package, which is read once a process (the lexers and
    `compile_ahead` both take their patterns from it)."""
    made_for, patterns = packaged_file()
    return patterns if stamp == made_for else {}


@cache
def packaged_file() -> tuple[str | None, dict[tuple[str, int], Entry]]:
    """grammar/mrpl.scanners.json: the grammar stamp it was made for, and its patterns."""
    return _read_file(grammar_path(SCANNERS_FILE))


def _read_file(path: str) -> tuple[str | None, dict[tuple[str, int], Entry]]:
    """A scanners file's grammar stamp and patterns; none when it is not for this Python."""
    try:
        with open(path, encoding="utf-8") as fh:
            stored = json.load(fh)
        if engine() is None or (stored.get("format"), stored.get("engine")) != (FORMAT, engine()):
            return None, {}
        patterns = {(p, f): (final, code, groups, index) for p, f, final, code, groups, index in stored["patterns"]}
        return stored.get("stamp"), patterns
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, {}


class _Lexers(dict):  # type: ignore[type-arg]
    """A state's lexer, made when first asked for."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, state: int) -> Any:
        lexer = self[state] = self._make(state)
        return lexer


class LazyContextualLexer(ContextualLexer):
    """Lark's contextual lexer, with each parser state's lexer made the first time a plan
    enters the state (Lark makes all ~190 distinct ones, for ~900 states, when it loads the
    parser; a plan enters about a hundred states). Given to `Lark._load` as its
    `ContextualLexer` plugin; made as Lark makes them, shared by states that accept the same
    terminals."""

    def __init__(self, conf: Any, states: dict[int, Any], always_accept: Any = ()) -> None:
        self._conf = copy(conf)
        self._conf.terminals = list(conf.terminals)
        self._states = states
        self._always = set(always_accept)
        self._by_tokens: dict[frozenset[str], Any] = {}
        self._root: Any = None
        self.lexers = _Lexers(self._lexer_for)

    def compile_with(self, re_module: Any) -> None:
        """The module the lexers not made yet compile their scanners with (and those made)."""
        self._conf.re_module = re_module
        for lexer in self._made():
            lexer.re = re_module

    def every_lexer(self) -> list[Any]:
        """All of them, made now (the root lexer, for errors, too)."""
        for state in self._states:
            self.lexers[state]
        return self._made()

    def _made(self) -> list[Any]:
        made = list({id(lexer): lexer for lexer in self._by_tokens.values()}.values())
        return made + ([self._root] if self._root is not None else [])

    def _lexer_for(self, state: int) -> Any:
        accepts = self._states[state]
        key = frozenset(accepts)
        lexer = self._by_tokens.get(key)
        if lexer is None:
            conf = copy(self._conf)
            wanted = set(accepts) | set(self._conf.ignore) | self._always
            by_name, callbacks = self._conf.terminals_by_name, self._conf.callbacks
            conf.terminals = [by_name[n] for n in wanted if n in by_name]
            # Only its own terminals' callbacks (a lexer copies those it is given when it builds
            # its scanner: ~210, a keyword's each, against ~50 terminals of its own).
            conf.callbacks = {n: callbacks[n] for n in wanted if n in callbacks}
            lexer = self._by_tokens[key] = self.BasicLexer(conf, None)
        return lexer

    @property
    def root_lexer(self) -> Any:  # type: ignore[override]
        if self._root is None:
            self._root = self.BasicLexer(copy(self._conf), None)
        return self._root


def _code(text: str) -> list[int]:
    """Engine code from its stored text (a third of the size, and twice as fast to read, as
    the JSON list of its numbers)."""
    return array(_CODE_TYPE, zlib.decompress(base64.b64decode(text))).tolist()


def install(parser: Any, stored: dict[tuple[str, int], Entry]) -> None:
    """Make a loaded Lark parser's lexers compile through the stored scanners."""
    if not stored:
        return
    cached = CachedRe(stored)
    contextual = parser.parser.lexer
    if isinstance(contextual, LazyContextualLexer):
        contextual.compile_with(cached)
        return
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


def scanners_payload(wanted: list[tuple[str, int]], stamp: str) -> dict[str, Any] | None:
    """What grammar/mrpl.scanners.json holds: the `wanted` patterns (a parser's scanners, built
    from the grammar `stamp`, and `ahead_patterns`)."""
    if engine() is None:
        return None
    patterns = []
    for pattern, flags in sorted(set(wanted)):
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        state = parsed.state
        packed = base64.b64encode(zlib.compress(array(_CODE_TYPE, code).tobytes(), 9)).decode("ascii")
        patterns.append([pattern, flags, flags | state.flags, packed, state.groups - 1, dict(state.groupdict)])
    return {"format": FORMAT, "stamp": stamp, "engine": engine(), "patterns": patterns}


def _basic_lexers(parser: Any) -> list[Any]:
    contextual = parser.parser.lexer
    if isinstance(contextual, LazyContextualLexer):
        contextual.root_lexer  # noqa: B018  (made now, to be listed)
        return contextual.every_lexer()
    distinct = {id(lexer): lexer for lexer in contextual.lexers.values()}
    distinct[id(contextual.root_lexer)] = contextual.root_lexer
    return list(distinct.values())


# ---- mrpl's own regular expressions
#
# The modules a check imports compile some fifty patterns as they load (dates in texts, prose
# markup, placeholders): about 8 ms of a cold check, most of it `re` parsing the pattern text.
# They compile through `compile_ahead`, from the same file when it has them.

_AHEAD: dict[tuple[str, int], None] = {}  # every pattern asked for, for `write_scanners` to store


def compile_ahead(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)` for a module's constant pattern, from the engine code stored
    in grammar/mrpl.scanners.json when it is there (compiled as usual when not)."""
    _AHEAD[(pattern, int(flags))] = None
    return _stored().compile(pattern, int(flags))


def ahead_patterns() -> list[tuple[str, int]]:
    """The patterns the modules imported so far compiled through `compile_ahead`."""
    return list(_AHEAD)


@cache
def _stored() -> CachedRe:
    return CachedRe(packaged_file()[1])
