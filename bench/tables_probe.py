"""Measure the cold-start fix for `mrplc check`: load saved LALR tables instead of building them.

    python bench/tables_probe.py

Builds mrpl's parser the way `mrpl.parse._parser()` does, then saves its tables
without the (unpicklable) callbacks and times `Lark.load` with the callbacks and
the inline transformer passed back in, checking that both parse a plan the same.
This is an explicit, build-time artefact (not Lark's `cache=True`).
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lark import Lark  # noqa: E402

from mrpl import parse as P  # noqa: E402


def main() -> int:
    start = time.perf_counter()
    built = P._parser()
    build_s = time.perf_counter() - start
    options = built.options
    bare = Lark(built.source_grammar, parser="lalr", lexer="contextual", maybe_placeholders=options.maybe_placeholders)
    buffer = io.BytesIO()
    bare.save(buffer)
    saved = buffer.getvalue()
    start = time.perf_counter()
    loaded = Lark.__new__(Lark)._load(
        io.BytesIO(saved), transformer=options.transformer, lexer_callbacks=options.lexer_callbacks
    )
    load_s = time.perf_counter() - start
    example = ROOT / "examples" / "siri-2020.mrp"
    text = example.read_text(encoding="utf-8") if example.exists() else "plan {\n}\n"
    same = P.parse_source(text, "x").plan
    P._parser.cache_clear()
    original = P._parser
    P._parser = lambda: loaded  # type: ignore[assignment]
    try:
        again = P.parse_source(text, "x").plan
    finally:
        P._parser = original
    print(
        f"build tables: {build_s * 1000:.0f} ms; load saved tables ({len(saved):,} bytes): {load_s * 1000:.0f} ms; "
        f"same plan: {same == again}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
