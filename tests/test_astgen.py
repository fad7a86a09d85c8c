"""The syntax tree's dataclass methods, generated ahead (mrpl/astgen): current, and the same
classes `dataclasses` makes."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from mrpl import ast as A
from mrpl.astgen.__main__ import COMMAND, TARGET, generate, node_classes

ROOT = Path(__file__).resolve().parent.parent
STALE = f"mrpl/astgen/methods.py is not current with mrpl/ast.py: run `{COMMAND}` and commit the result"

DESCRIBE = """
import dataclasses, inspect, json, sys
from mrpl import ast as A
from mrpl import parse_string
from mrpl.astgen.__main__ import node_classes

def r(value):
    return "MISSING" if value is dataclasses.MISSING else repr(value)

def describe(cls):
    return {
        "fields": [[f.name, str(f.type), r(f.default), r(f.default_factory), f.init, f.repr, f.hash,
                    f.compare, dict(f.metadata), r(f.kw_only), repr(f._field_type)] for f in dataclasses.fields(cls)],
        "params": repr(cls.__dataclass_params__),
        "slots": list(cls.__slots__),
        "match_args": list(cls.__match_args__),
        "doc": cls.__doc__,
        "qualname": cls.__qualname__,
        "module": cls.__module__,
        "bases": [b.__qualname__ for b in cls.__bases__],
        "attributes": sorted(vars(cls)),
        "signature": str(inspect.signature(cls)),
        "init_annotations": {k: repr(v) for k, v in cls.__init__.__annotations__.items()},
        "qualnames": {m: getattr(cls, m).__qualname__ for m in ("__init__", "__repr__", "__eq__", "__setattr__")},
    }

plans = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as fh:
        plan = parse_string(fh.read(), path).plan
    plans[path] = [repr(plan), str(plan == plan), str(hash(plan) == hash(plan))]
print(json.dumps({"classes": {c.__qualname__: describe(c) for c in node_classes()}, "plans": plans}))
"""


def _described(plain: bool) -> dict:
    examples = sorted(str(p) for p in (ROOT / "examples").glob("*.mrp"))
    env = {**os.environ, "MRPL_PLAIN_DATACLASSES": "1" if plain else "0"}
    done = subprocess.run(
        [sys.executable, "-c", DESCRIBE, *examples], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_generated_module_is_current() -> None:
    with open(TARGET, encoding="utf-8") as fh:
        assert fh.read() == generate(), STALE


def test_every_node_is_made_from_the_generated_methods() -> None:
    slow = [cls.__qualname__ for cls in node_classes() if cls.__init__.__module__ != "mrpl.astgen.methods"]
    assert not slow, f"{STALE} (made by dataclasses: {', '.join(slow)})"
    assert len(node_classes()) > 50


def test_the_nodes_are_the_classes_dataclasses_makes() -> None:
    """Fields, parameters, slots, docs, signatures and attributes; and every example parses to a
    tree with the same repr."""
    generated, plain = _described(plain=False), _described(plain=True)
    assert generated["classes"].keys() == plain["classes"].keys()
    for name, described in plain["classes"].items():
        assert generated["classes"][name] == described, name
    assert generated["plans"] == plain["plans"]


def test_nodes_are_frozen() -> None:
    span = A.Span(1, 2, 1, 2, 1, 3, "p.mrp")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'value'"):
        A.Text("x").value = "y"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'start'"):
        del span.start  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        A.Text("x").other = 1  # type: ignore[attr-defined]


def test_spans_are_left_out_of_equality_hash_and_repr() -> None:
    span = A.Span(1, 2, 1, 2, 1, 3, "p.mrp")
    here, there = A.Weight(Decimal("10"), A.WeightUnit.POINTS, span), A.Weight(Decimal("10.0"), A.WeightUnit.POINTS)
    assert here == there and hash(here) == hash(there)
    assert repr(here) == "Weight(value=Decimal('10'), unit=<WeightUnit.POINTS: 'point'>)"
    assert here != A.Weight(Decimal("11"), A.WeightUnit.POINTS)
    assert A.Text("x") != A.Emphasis((A.Text("x"),))
    assert (A.Text("x") == "x") is False


def test_the_dataclass_functions_work_on_nodes() -> None:
    span = A.Span(1, 2, 1, 2, 1, 3, "p.mrp")
    text = A.Text("x", span)
    assert [f.name for f in dataclasses.fields(text)] == ["value", "span"]
    assert dataclasses.replace(text, value="y") == A.Text("y") and dataclasses.replace(text, value="y").span is span
    assert dataclasses.asdict(A.Emphasis((text,)))["children"][0]["value"] == "x"
    assert dataclasses.astuple(text)[0] == "x" and dataclasses.is_dataclass(text)
    assert pickle.loads(pickle.dumps(text)).span == span and copy.deepcopy(text).span == span
    match text:
        case A.Text(value):
            assert value == "x"
    with pytest.raises(TypeError):
        A.Text()  # type: ignore[call-arg]
    assert not hasattr(text, "__dict__")
