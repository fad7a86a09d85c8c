"""The AST as plain JSON-able data (`mrplc parse`): stable keys, no floats."""

from __future__ import annotations

import dataclasses
import enum
import json
from datetime import date
from decimal import Decimal
from typing import Any

from mrpl.ast import Span


def to_data(node: Any, spans: bool = False) -> Any:
    """Dataclasses become {"node": ClassName, field: value, ...}; Decimals become
    strings ("2.5"), dates ISO strings, enums their value."""
    if isinstance(node, Span):
        return {"line": node.line, "column": node.column, "end_line": node.end_line, "end_column": node.end_column}
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        out: dict[str, Any] = {"node": type(node).__name__}
        for f in dataclasses.fields(node):
            if f.name == "span" and not spans:
                continue
            out[f.name] = to_data(getattr(node, f.name), spans)
        if spans and "span" not in out and hasattr(node, "span"):
            out["span"] = to_data(node.span)
        return out
    if isinstance(node, (tuple, list)):
        return [to_data(x, spans) for x in node]
    if isinstance(node, Decimal):
        return str(node)
    if isinstance(node, date):
        return node.isoformat()
    if isinstance(node, enum.Enum):
        return node.value
    return node


def to_json(node: Any, spans: bool = False) -> str:
    return json.dumps(to_data(node, spans), ensure_ascii=False, indent=2)
