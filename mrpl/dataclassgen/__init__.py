"""Dataclasses made without compiling their methods at start-up.

The syntax tree's nodes (mrpl/ast.py) and the records a cold `mrplc check` creates on the way
(diagnostics, codes, keywords, parse and load results: the modules in `MODULES`) are declared
with `@dataclass(frozen=True, slots=True)` or `@dataclass(slots=True)` as usual, but take
`dataclass` from here. For each class this decorator makes what `dataclasses.dataclass` makes
— the same fields (so `dataclasses.fields`, `replace` and `asdict` work), `__slots__`,
`__match_args__`, the same `__init__`, `__repr__`, `__eq__`, `__hash__`, for a frozen class
`__setattr__`/`__delattr__` that refuse and pickling — but takes the methods from
`mrpl/dataclassgen/methods.py`, plain source written by `python -m mrpl.dataclassgen` and
compiled to bytecode once, like any module. `dataclasses` writes each method as text and
compiles it on every start: for the ~85 classes that was about a quarter of a cold check.

A class the generated module does not describe exactly as it is declared (a class changed
and `python -m mrpl.dataclassgen` was not run again; other options; a field with `kw_only`;
a base class that is a dataclass; a method the decorator would otherwise write) is made by
`dataclasses` itself: correct, only slower. `tests/test_dataclassgen.py` fails until the
module is current, and compares every class made here with the one `dataclasses` makes
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

# The modules whose dataclasses have generated methods (`python -m mrpl.dataclassgen` reads them).
MODULES = (
    "mrpl.ast",
    "mrpl.diagnostics",
    "mrpl.codes",
    "mrpl.keywords",
    "mrpl.parse",
    "mrpl.prose",
    "mrpl.recovery",
    "mrpl.syntax_messages",
    "mrpl.load",
    "mrpl.project",
    "mrpl.check.context",
    "mrpl.check.suppress",
    "mrpl.check.weights",
)
# The options the generated methods are written for: frozen (the nodes, diagnostics) or not.
OPTIONS = ({"frozen": True, "slots": True}, {"slots": True})

# What a field is, as the generated module records it: (name, default kind, init, repr,
# compare, hash); the kind is 0 (required), 1 (a default) or 2 (a default factory).
FieldSpec = tuple[str, int, bool, bool, bool, bool | None]
NO_DEFAULT, DEFAULT, FACTORY = 0, 1, 2

# Methods `dataclass` would not write over (or refuses): such a class is left to it.
_OWN_METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__post_init__",
                "__slots__", "__getstate__", "__setstate__", "__match_args__")  # fmt: skip
_PLAIN = os.environ.get("MRPL_PLAIN_DATACLASSES") == "1"


def dataclass(**options: Any) -> Callable[[type[T]], type[T]]:
    """`dataclasses.dataclass(**options)`, from generated methods for the `OPTIONS`."""
    plain = dataclasses.dataclass(**options)
    if _PLAIN or options not in OPTIONS:
        return plain
    frozen = options.get("frozen", False)

    def decorate(cls: type[T]) -> type[T]:
        return _from_generated(cls, frozen) or plain(cls)

    return decorate


def _from_generated(cls: type[T], frozen: bool) -> type[T] | None:
    """The class made with the generated methods, or None when they do not fit it."""
    try:
        from mrpl.dataclassgen.methods import CLASSES
    except ImportError:  # not generated yet (python -m mrpl.dataclassgen writes it)
        return None
    entry = CLASSES.get(f"{cls.__module__}.{cls.__qualname__}")
    params = _params(frozen)
    if entry is None or params is None or cls.__module__ not in MODULES or not _plain_class(cls):
        return None
    was_frozen, spec, make_methods, doc = entry
    if was_frozen != frozen:
        return None
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
    if not frozen:
        made.__hash__ = None  # type: ignore[assignment]  # eq without frozen: unhashable, as `dataclasses` makes it
        return made
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


_PARAMS: dict[bool, Any] = {}


def _params(frozen: bool) -> Any:
    """`__dataclass_params__` for slots=True, frozen or not (its fields vary with Python's version)."""
    if frozen not in _PARAMS:
        values = {"init": True, "repr": True, "eq": True, "order": False, "unsafe_hash": False, "frozen": frozen,
                  "match_args": True, "kw_only": False, "slots": True, "weakref_slot": False}  # fmt: skip
        make = dataclasses._DataclassParams  # type: ignore[attr-defined]
        code = make.__init__.__code__
        wanted = code.co_varnames[1 : code.co_argcount]
        _PARAMS[frozen] = make(*(values[name] for name in wanted)) if set(wanted) <= set(values) else None
    return _PARAMS[frozen]
