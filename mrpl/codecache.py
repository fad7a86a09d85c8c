"""The code attrs and cattrs write at run time, compiled ahead: the language server's start.

The language server's protocol types (lsprotocol, ~550 attrs classes) have no methods in
their source: attrs writes each class's `__init__`, `__repr__`, `__eq__`, ... as text when the
module is imported and compiles it, and cattrs does the same for each (un)structuring function
it first needs. That compiling was about 350 ms of the ~1 s from the server's start to its
first diagnostics, every start, for the same texts.

`python -m mrpl.codecache` records what they compile while the server is imported and
answers a first session (initialize, a plan opened, its diagnostics, shutdown), and writes
the code objects, marshalled, to mrpl/lsp_code.<python>.marshal (as Python writes a module's
bytecode into __pycache__). `compiled_ahead` then stands in for `compile` in those three
modules (their module global `compile` shadows the builtin): a text found in the file, with
the same file name, mode and `__future__` flags, is taken from it; anything else is compiled
as usual. The key is the text itself, so another attrs, cattrs or lsprotocol version costs
only the time it would have saved; another Python finds no file. tests/test_lsp.py checks the
stored code covers the import and is what `compile` makes.
"""

import __future__

import builtins
import contextlib
import hashlib
import importlib
import io
import marshal
import os
import sys
from types import CodeType, ModuleType
from typing import Any

# The modules that compile generated text (attrs: classes; cattrs: converters).
MODULES = ("attr._make", "cattrs.gen", "cattrs.gen.typeddicts")
FORMAT = 1
_HERE = os.path.dirname(os.path.abspath(__file__))


def cache_path() -> str:
    return os.path.join(_HERE, f"lsp_code.{sys.implementation.cache_tag}.marshal")


class _CompileAhead:
    """`compile` for one module: from the stored code when it has the text."""

    def __init__(self, module: ModuleType, stored: dict[bytes, CodeType], recorded: dict[bytes, CodeType] | None):
        self.flags = _future_flags(module)
        self.stored = stored
        self.recorded = recorded

    def __call__(self, source: Any, filename: Any, mode: str, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or type(source) is not str or type(filename) is not str:
            return builtins.compile(source, filename, mode, *args, **kwargs)  # not attrs' or cattrs' way
        key = _key(source, filename, mode, self.flags)
        code = self.stored.get(key)
        if code is None:
            code = builtins.compile(source, filename, mode, self.flags, dont_inherit=True)
        if self.recorded is not None:
            self.recorded[key] = code
        return code


def compiled_ahead(recorded: dict[bytes, CodeType] | None = None) -> None:
    """From now on, attrs and cattrs take what they compile from the stored code where it has it
    (and put everything they compile into `recorded`, when given: for `write`)."""
    stored = _read(cache_path())
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # another version without it: nothing to stand in for
            continue
        module.compile = _CompileAhead(module, stored, recorded)  # type: ignore[attr-defined]


def _future_flags(module: ModuleType) -> int:
    """The `__future__` flags code compiled in `module` inherits (`from __future__ import annotations`)."""
    flags = 0
    for value in vars(module).values():
        if isinstance(value, __future__._Feature):
            flags |= value.compiler_flag
    return flags


def _key(source: str, filename: str, mode: str, flags: int) -> bytes:
    return hashlib.sha256(f"{filename}\0{mode}\0{flags}\0{source}".encode()).digest()


def versions() -> dict[str, str]:
    """The versions of what writes the texts: the stored code is current for these."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("attrs", "cattrs", "lsprotocol", "pygls"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = ""
    return found


def stored_versions(path: str | None = None) -> dict[str, str] | None:
    """The versions the stored code was recorded with (None: no file for this Python)."""
    payload = _payload(path or cache_path())
    return None if payload is None else payload.get("versions")


def _read(path: str) -> dict[bytes, CodeType]:
    payload = _payload(path)
    codes = None if payload is None else payload.get("codes")
    return codes if isinstance(codes, dict) else {}


def _payload(path: str) -> dict[str, Any] | None:
    """The stored file, when it is one this Python wrote."""
    try:
        with open(path, "rb") as fh:
            stored = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("python") != sys.hexversion:
        return None
    return stored


def write(recorded: dict[bytes, CodeType], path: str | None = None) -> str:
    """Store the recorded code (in key order; marshal's output still varies from process to
    process, so a file that is current is not rewritten: `is_current`)."""
    from mrpl.files import replace_atomically

    target = path or cache_path()
    payload = {
        "format": FORMAT,
        "python": sys.hexversion,
        "versions": versions(),
        "codes": dict(sorted(recorded.items())),
    }
    replace_atomically(target, marshal.dumps(payload))
    return target


def record_first_session() -> tuple[dict[bytes, CodeType], dict[str, Any] | None]:
    """What attrs and cattrs compile while the language server is imported and answers a first
    session (initialize, initialized, an example plan opened: its diagnostics, shutdown, exit),
    and the server's answer to that `initialize`."""
    import json

    recorded: dict[bytes, CodeType] = {}
    compiled_ahead(recorded)
    from mrpl import lsp
    from mrpl.lsp_framing import SaneFraming, frame
    from mrpl.parse import grammar_path

    plan = os.path.join(os.path.dirname(grammar_path("mrpl.lark")), "..", "examples", "siri-2020.mrp")
    text = 'plan {\n  titel "P"\n  år 2024\n}\n'
    if os.path.exists(plan):
        with open(plan, encoding="utf-8") as fh:
            text = fh.read()
    document = {"uri": "file:///tmp/mrpl-first-session/plan.mrp", "languageId": "mrpl", "version": 1, "text": text}
    messages = [
        {"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}},
        {"method": "initialized", "params": {}},
        {"method": "textDocument/didOpen", "params": {"textDocument": document}},
        {"id": 2, "method": "shutdown"},
        {"method": "exit"},
    ]
    stream = b"".join(frame(json.dumps({"jsonrpc": "2.0", **m}).encode()) for m in messages)
    output = _KeptOpen()
    with contextlib.suppress(SystemExit):  # the `exit` notification ends the server
        lsp.server.start_io(stdin=io.BytesIO(stream), stdout=output)  # type: ignore[arg-type]
    sent = SaneFraming(io.BytesIO(output.getvalue()))  # type: ignore[arg-type]
    while (body := sent.next_body()) is not None:
        message = json.loads(body)
        if message.get("id") == 1 and "result" in message:
            return recorded, message["result"]
    return recorded, None


class _KeptOpen(io.BytesIO):
    """The server's output, readable after the server closed it at `exit`."""

    def close(self) -> None:
        pass


def is_current(recorded: dict[bytes, CodeType], path: str | None = None) -> bool:
    """Whether the stored code has (nearly) all of `recorded`: a few texts differ from run to
    run (one of cattrs' classes holds a string's hash, which Python varies per process), and the
    file is not rewritten for them."""
    stored = _read(path or cache_path())
    missing = sum(1 for key in recorded if key not in stored)
    return bool(stored) and missing <= len(recorded) // 50


def write_answer(answer: dict[str, Any]) -> str:
    """Store the server's answer to `initialize` for the first answer (mrpl/lsp_first.py)."""
    import json

    from mrpl.files import replace_atomically
    from mrpl.lsp_first import ANSWER_FILE, answer_fingerprint

    target = os.path.join(_HERE, ANSWER_FILE)
    import mrpl

    payload = {"fingerprint": answer_fingerprint(), "mrpl": mrpl.__version__, "result": answer}
    replace_atomically(target, (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return target


if __name__ == "__main__":  # pragma: no cover (python -m mrpl.codecache)
    session, answer = record_first_session()
    print(f"{cache_path()} is current" if is_current(session) else f"wrote {write(session)}")
    print(f"wrote {write_answer(answer)}" if answer is not None else "no answer to initialize")
