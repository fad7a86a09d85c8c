"""Lark's serialized grammar objects (terminals, rules), rebuilt faster than Lark does.

A stored parser (grammar/mrpl.tables.json) keeps its ~950 terminal definitions and rules in
a memo that `Lark._load` rebuilds with a generic walk: for every object and every symbol it
looks its class's namespace and fields up again. `rebuild_memo` makes the same objects
the same way (`cls.__new__`, the serialized fields set, the class's `_deserialize` hook
run) with those lookups done once per class; `Lark._load` then takes the memo as built.
`tests/test_parse.py` checks the objects serialize back to exactly what was stored.
"""

from __future__ import annotations

from typing import Any

from lark.grammar import NonTerminal, Rule, Terminal
from lark.lexer import TerminalDef

MEMO_TYPES: dict[str, type] = {"Rule": Rule, "TerminalDef": TerminalDef}


# Symbols are values (compared and hashed by name; Lark never changes one once made): each
# distinct one is made once and shared by the rules that name it.
SHARED = (Terminal, NonTerminal)


class _Builder:
    def __init__(self) -> None:
        self._classes: dict[type, tuple[dict[str, type], tuple[str, ...], bool]] = {}
        self._symbols: dict[tuple[Any, ...], Any] = {}

    def _about(self, cls: type) -> tuple[dict[str, type], tuple[str, ...], bool]:
        about = self._classes.get(cls)
        if about is None:
            namespace = {c.__name__: c for c in getattr(cls, "__serialize_namespace__", [])}
            about = (namespace, tuple(cls.__serialize_fields__), hasattr(cls, "_deserialize"))  # type: ignore[attr-defined]
            self._classes[cls] = about
        return about

    def value(self, data: Any, namespace: dict[str, type]) -> Any:
        if type(data) is dict:
            name = data.get("__type__")
            if name is not None:
                return self.instance(namespace[name], data)
            if "@" in data:
                raise ValueError("a memo entry refers to another")  # Lark's own memo never does
            return {key: self.value(item, namespace) for key, item in data.items()}
        if type(data) is list:
            return [self.value(item, namespace) for item in data]
        return data

    def instance(self, cls: type, data: dict[str, Any]) -> Any:
        if cls in SHARED:  # their data are a few scalars
            key = (cls, *data.values())
            made = self._symbols.get(key)
            if made is None:
                made = self._symbols[key] = self._make(cls, data)
            return made
        return self._make(cls, data)

    def _make(self, cls: type, data: dict[str, Any]) -> Any:
        namespace, fields, hook = self._about(cls)
        made = cls.__new__(cls)
        for name in fields:
            setattr(made, name, self.value(data[name], namespace))
        if hook:
            made._deserialize()
        return made


def rebuild_memo(memo: dict[int, Any]) -> dict[int, Any]:
    """The memo's objects, as `lark.utils.SerializeMemoizer.deserialize` would make them."""
    builder = _Builder()
    return {key: builder.instance(MEMO_TYPES[data["__type__"]], data) for key, data in memo.items()}
