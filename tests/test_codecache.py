"""The language server's code compiled ahead (mrpl/codecache.py): current, and what `compile` makes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mrpl import codecache

REGENERATE = "python -m mrpl.codecache"

# Run in a fresh interpreter: what attrs compiles happens once, when lsprotocol is first imported.
_IMPORT_AND_RECORD = """
import sys
from mrpl import codecache
fresh = sys.argv[1] == "fresh"
if fresh:
    codecache._read = lambda path: {}
recorded = {}
codecache.compiled_ahead(recorded)
import mrpl.lsp
stored = codecache._read(codecache.cache_path()) if fresh else {}
import marshal
stored_again = marshal.load(open(codecache.cache_path(), "rb"))["codes"]
print(len(recorded), sum(1 for k in recorded if k not in stored_again),
      sum(1 for k, code in recorded.items() if k in stored_again and stored_again[k] != code))
"""


def _versions_match() -> bool:
    return codecache.stored_versions() == codecache.versions()


def _run(mode: str) -> tuple[int, int, int]:
    done = subprocess.run([sys.executable, "-c", _IMPORT_AND_RECORD, mode], capture_output=True, text=True, check=True)
    recorded, missing, different = (int(n) for n in done.stdout.split())
    return recorded, missing, different


def test_the_stored_code_covers_what_importing_the_server_compiles() -> None:
    if codecache.stored_versions() is None:
        pytest.skip(f"no code compiled ahead for this Python ({sys.implementation.cache_tag})")
    if not _versions_match():
        pytest.skip(f"compiled for {codecache.stored_versions()}; installed: {codecache.versions()}")
    recorded, missing, _ = _run("stored")
    assert recorded > 400  # lsprotocol's classes
    # A few texts differ from process to process (cattrs writes a hash of a string into one):
    # those are compiled as usual.
    assert missing <= recorded // 50, f"{missing} of {recorded} texts are not stored: {REGENERATE}"


def test_the_stored_code_is_what_compile_makes() -> None:
    if codecache.stored_versions() is None or not _versions_match():
        pytest.skip("no current code compiled ahead here")
    recorded, missing, different = _run("fresh")
    assert recorded > 400 and missing <= recorded // 50
    assert different == 0  # every stored code object equals the one compiled from its text


def test_a_text_not_stored_is_compiled_with_the_modules_future_flags(tmp_path) -> None:
    import __future__

    import types

    module = types.ModuleType("m")
    module.annotations = __future__.annotations
    recorded: dict[bytes, types.CodeType] = {}
    stand_in = codecache._CompileAhead(module, {}, recorded)
    code = stand_in("def f(x: Undefined) -> None: pass\n", "<generated f>", "exec")
    namespace: dict[str, object] = {}
    exec(code, namespace)  # the annotation stays a string: no NameError
    assert namespace["f"].__annotations__ == {"x": "Undefined", "return": "None"}  # type: ignore[attr-defined]
    assert len(recorded) == 1
    again = codecache._CompileAhead(module, recorded, None)(
        "def f(x: Undefined) -> None: pass\n", "<generated f>", "exec"
    )
    assert again is code  # taken from the stored code


def test_a_missing_or_foreign_file_gives_no_stored_code(tmp_path) -> None:
    import marshal

    assert codecache._read(str(tmp_path / "none.marshal")) == {}
    (tmp_path / "bad.marshal").write_bytes(b"not marshal")
    assert codecache._read(str(tmp_path / "bad.marshal")) == {}
    (tmp_path / "other.marshal").write_bytes(marshal.dumps({"format": 1, "python": 0, "codes": {b"k": None}}))
    assert codecache._read(str(tmp_path / "other.marshal")) == {}
