"""The syntax tree's frozen dataclasses, made without compiling their methods at import.

`mrpl/ast.py` declares its nodes with `@dataclass(frozen=True, slots=True)` as usual, but
takes `dataclass` from here. For each class this decorator makes what
`dataclasses.dataclass(frozen=True, slots=True)` makes — the same fields (so
`dataclasses.fields`, `replace` and `asdict` work), `__slots__`, `__match_args__`, the same
`__init__`, `__repr__`, `__eq__`, `__hash__`, frozen `__setattr__`/`__delattr__` and
pickling — but takes the methods from `mrpl/astgen/methods.py`, plain source written by
`python -m mrpl.astgen` and compiled to bytecode once, like any module. `dataclasses`
writes each method as text and compiles it on every start: for the ~70 nodes that was
about a quarter of a cold `mrplc check`.

A class the generated module does not describe exactly as it is declared (ast.py changed
and `python -m mrpl.astgen` was not run again; a field with `kw_only`; a base class that
is a dataclass; a method the decorator would otherwise write) is made by `dataclasses`
itself: correct, only slower. `tests/test_astgen.py` fails until the module is current,
and compares every class made here with the one `dataclasses` makes
(`MRPL_PLAIN_DATACLASSES=1` makes them all with `dataclasses`).
"""

from __future__ import annotations

import dataclasses
import inspect  # imported by dataclasses anyway
import os
from collections.abc import Callable
from dataclasses import MISSING, Field
from typing import Any, TypeVar

T = TypeVar("T")

# What a field is, as the generated module records it: (name, default kind, init, repr,
# compare, hash); the kind is 0 (required), 1 (a default) or 2 (a default factory).
FieldSpec = tuple[str, int, bool, bool, bool, bool | None]
NO_DEFAULT, DEFAULT, FACTORY = 0, 1, 2

# Methods `dataclass` would not write over (or refuses): such a class is left to it.
_OWN_METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__post_init__",
                "__slots__", "__getstate__", "__setstate__", "__match_args__")  # fmt: skip
_PLAIN = os.environ.get("MRPL_PLAIN_DATACLASSES") == "1"


def dataclass(**options: Any) -> Callable[[type[T]], type[T]]:
    """`dataclasses.dataclass(**options)`; `frozen=True, slots=True` from generated methods."""
    plain = dataclasses.dataclass(**options)
    if _PLAIN or options != {"frozen": True, "slots": True}:
        return plain

    def decorate(cls: type[T]) -> type[T]:
        return _from_generated(cls) or plain(cls)

    return decorate


def _from_generated(cls: type[T]) -> type[T] | None:
    """The class made with the generated methods, or None when they do not fit it."""
    try:
        from mrpl.astgen.methods import CLASSES
    except ImportError:  # not generated yet (python -m mrpl.astgen writes it)
        return None
    entry = CLASSES.get(cls.__qualname__)
    params = _params()
    if entry is None or params is None or cls.__module__ != "mrpl.ast" or not _plain_class(cls):
        return None
    spec, make_methods, doc = entry
    fields = _fields_of(cls)
    if fields is None or tuple(_spec_of(f) for f in fields) != spec:
        return None
    names = tuple(f.name for f in fields)
    namespace = {k: v for k, v in cls.__dict__.items() if k not in names and k not in ("__dict__", "__weakref__")}
    namespace.update(
        __slots__=names,
        __dataclass_fields__={f.name: f for f in fields},
        __dataclass_params__=params,
        __match_args__=tuple(f.name for f in fields if f.init),
    )
    if cls.__doc__ is None:
        namespace["__doc__"] = doc
    made = type(cls)(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    defaults = [f.default if f.default is not MISSING else f.default_factory for f in fields if _kind(f) != NO_DEFAULT]
    for name, method in make_methods(made, *defaults).items():
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(made, name, method)
    for name in ("__getstate__", "__setstate__"):  # pickling a frozen, slotted class (as `dataclasses` does)
        method = getattr(dataclasses, f"_dataclass_{name.strip('_')}", None)
        if method is not None:
            setattr(made, name, method)
    return made


def _plain_class(cls: type) -> bool:
    """No dataclass base, no method the decorator writes, nothing but plain annotations."""
    if any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:]):
        return False
    if any(name in cls.__dict__ for name in _OWN_METHODS):
        return False
    annotations = inspect.get_annotations(cls)
    return all(
        isinstance(t, str) and not t.startswith(("ClassVar", "InitVar", "KW_ONLY", "dataclasses.", "typing."))
        for t in annotations.values()
    )


def _fields_of(cls: type) -> list[Field[Any]] | None:
    """The fields `dataclasses` would find in the class body, in order."""
    fields: list[Field[Any]] = []
    for name, type_ in inspect.get_annotations(cls).items():
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, Field):
            made = value
        elif isinstance(value, list | dict | set):  # `dataclasses` refuses these: let it say so
            return None
        else:
            made = dataclasses.field(default=value)
        if made.kw_only is not MISSING:
            return None
        made.name, made.type, made.kw_only = name, type_, False
        made._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # what `fields()` selects on
        fields.append(made)
    return fields


def _kind(f: Field[Any]) -> int:
    if f.default is not MISSING:
        return DEFAULT
    return FACTORY if f.default_factory is not MISSING else NO_DEFAULT


def _spec_of(f: Field[Any]) -> FieldSpec:
    return (f.name, _kind(f), f.init, f.repr, f.compare, f.hash)


_PARAMS: list[Any] = []


def _params() -> Any:
    """`__dataclass_params__` for frozen=True, slots=True (its fields vary with Python's version)."""
    if not _PARAMS:
        values = {"init": True, "repr": True, "eq": True, "order": False, "unsafe_hash": False, "frozen": True,
                  "match_args": True, "kw_only": False, "slots": True, "weakref_slot": False}  # fmt: skip
        make = dataclasses._DataclassParams  # type: ignore[attr-defined]
        code = make.__init__.__code__
        wanted = code.co_varnames[1 : code.co_argcount]
        _PARAMS.append(make(*(values[name] for name in wanted)) if set(wanted) <= set(values) else None)
    return _PARAMS[0]
