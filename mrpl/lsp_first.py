"""The language server's first answer, given before the protocol library is loaded.

An editor starts the server, sends `initialize`, `initialized` and `textDocument/didOpen` for
the plan on screen, and waits for its diagnostics. Loading pygls and lsprotocol is most of the
server's start (lsprotocol makes ~550 attrs classes at import: mrpl/codecache.py keeps their
compiling out of it, not the rest); analysing the plan is about a sixth of it. So
`first_session` answers those messages itself, in plain JSON: `initialize` with the answer
pygls gives (stored ahead, with the code compiled ahead, by `python -m mrpl.codecache`; used
only when pygls and lsprotocol are the ones it was made with and the client's position
encoding is UTF-16, the answer's), and the opened plan's diagnostics exactly as the server
publishes them (the same functions make them: `own_diagnostics`, and `diagnostic_json`,
which tests/test_lsp_first.py compares with the server's `to_lsp`).

Then the server proper starts (`mrpl.lsp.start`) and reads everything again from the start
(`SaneFraming.replay`): it sets itself up from `initialize` (its own answer to it is not sent:
`AnsweringProtocol`), takes the analyses made here, and goes on. At the first message the
first answer does not handle — a request, a malformed message, another encoding — it stops
and leaves that message and everything after it to the server.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import Any, BinaryIO

from pygls.uris import from_fs_path, to_fs_path

from mrpl import ast as A
from mrpl.check import check
from mrpl.diagnostics import Diagnostic, Severity
from mrpl.load import LoadResult, load_parsed
from mrpl.lsp_framing import SaneFraming, frame
from mrpl.parse import ParseResult, parse_source

SEVERITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}  # LSP's DiagnosticSeverity
# What the stored `initialize` answer depends on besides mrpl: pygls's capabilities and its
# `initialize` handler, and lsprotocol's types (their JSON names).
ANSWER_SOURCES = (("pygls", "capabilities.py"), ("pygls", "protocol", "language_server.py"), ("lsprotocol", "types.py"))
ANSWER_FILE = "lsp_initialize.json"
# A plan larger than this is left to the server, which analyses on a worker thread and answers
# other requests meanwhile (a real plan is well under 0.1 MB; the parser takes up to 16 MB).
MAX_FIRST_CHARS = 1_000_000  # written by `python -m mrpl.codecache`, beside this module


@dataclass(frozen=True)
class Opened:
    """A plan opened during the first answer, analysed as the server analyses it."""

    uri: str
    version: int
    path: str
    text: str
    load: LoadResult
    diagnostics: list[Diagnostic]


@dataclass
class FirstSession:
    bodies: list[bytes] = field(default_factory=list)  # every message read, for the server to read again
    answered: set[Any] = field(default_factory=set)  # ids of the requests answered here
    opened: list[Opened] = field(default_factory=list)
    parse_cache: dict[str, ParseResult] = field(default_factory=dict)  # imported files, as the server keeps them


def first_session(framing: SaneFraming, out: BinaryIO, answer: dict[str, Any] | None) -> FirstSession:
    """Answer `initialize` with `answer` and publish the diagnostics of the first plan opened,
    reading through `framing`; stop at anything else (see the module's docstring)."""
    session = FirstSession()
    if answer is None:
        return session
    initialized = False
    while True:
        body = framing.next_body()
        if body is None:
            return session
        session.bodies.append(body)
        message = _message(body)
        if message is None:
            return session
        method, is_request = message.get("method"), "id" in message
        if not initialized:
            if method != "initialize" or type(message.get("id")) not in (int, str):
                return session
            if not _plain_initialize(message.get("params")) or not _utf16_client(message["params"]):
                return session
            _send(out, {"jsonrpc": "2.0", "id": message["id"], "result": answer})
            session.answered.add(message["id"])
            initialized = True
        elif method == "textDocument/didOpen" and not is_request:
            _publish_first(message.get("params"), session, out)
            return session
        elif is_request or method in (None, "exit"):
            return session
        # any other notification (`initialized`, a setting): the server reads it in its turn


def _message(body: bytes) -> dict[str, Any] | None:
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the stack
        return None
    return message if isinstance(message, dict) and message.get("jsonrpc") == "2.0" else None


# The fields of `initialize` and the JSON types pygls reads them as: a request with anything else
# (which pygls may refuse: -32602) is left to it.
_INITIALIZE_FIELDS: dict[str, tuple[type, ...]] = {
    "processId": (int, type(None)), "rootUri": (str, type(None)), "rootPath": (str, type(None)),
    "locale": (str,), "clientInfo": (dict,), "capabilities": (dict,), "initializationOptions": (object,),
    "trace": (str,), "workspaceFolders": (list, type(None)), "workDoneToken": (int, str),
}  # fmt: skip


def _plain_initialize(params: Any) -> bool:
    """Whether `initialize`'s parameters are the plain kind every editor sends (pygls reads them)."""
    if not isinstance(params, dict) or not isinstance(params.get("capabilities"), dict):
        return False
    for name, value in params.items():
        kinds = _INITIALIZE_FIELDS.get(name)
        if kinds is None or not isinstance(value, kinds) or isinstance(value, bool):
            return False
    folders = params.get("workspaceFolders") or []
    if not all(
        isinstance(f, dict) and isinstance(f.get("uri"), str) and isinstance(f.get("name"), str) for f in folders
    ):
        return False
    info = params.get("clientInfo", {"name": ""})
    return isinstance(info.get("name"), str) and params.get("trace", "off") in ("off", "messages", "verbose")


def _utf16_client(params: Any) -> bool:
    """Whether pygls would choose UTF-16 positions for this client (its first supported choice)."""
    general = (params.get("capabilities") or {}).get("general") if isinstance(params, dict) else None
    encodings = general.get("positionEncodings") if isinstance(general, dict) else None
    if not isinstance(encodings, list):
        return True
    for encoding in encodings:
        if encoding in ("utf-8", "utf-16", "utf-32"):
            return encoding == "utf-16"
    return True


def _send(out: BinaryIO, message: dict[str, Any]) -> None:
    out.write(frame(json.dumps(message, ensure_ascii=False).encode("utf-8")))
    out.flush()


def _publish_first(params: Any, session: FirstSession, out: BinaryIO) -> None:
    try:
        opened = _open(params, session.parse_cache)
        if opened is None:
            return
        publication = _publication(opened)
    except Exception:  # never expected: the server analyses it again, and reports what it finds
        return
    session.opened.append(opened)
    _send(out, publication)


def _open(params: Any, parse_cache: dict[str, ParseResult]) -> Opened | None:
    """The opened plan, analysed as `MrplServer.analyse` analyses a plan opened first."""
    document = params.get("textDocument") if isinstance(params, dict) else None
    if not isinstance(document, dict):
        return None
    uri, text, version = document.get("uri"), document.get("text"), document.get("version")
    if not isinstance(uri, str) or not isinstance(text, str) or type(version) is not int:
        return None
    if len(text) > MAX_FIRST_CHARS:
        return None
    path = to_fs_path(uri) or uri
    load = load_parsed(parse_source(text, path), cache=parse_cache)
    return Opened(uri, version, path, text, load, [*load.diagnostics, *check(load)])


def _publication(opened: Opened) -> dict[str, Any]:
    """The `textDocument/publishDiagnostics` the server sends for the opened plan."""
    own = own_diagnostics(opened.diagnostics, opened.load.root.plan, opened.path)
    positions = Utf16Positions(opened.text)
    others: dict[str, Utf16Positions | None] = {}

    def positions_of(path: str) -> Utf16Positions | None:  # a related span's file, as the server finds it
        if path not in others:
            text = opened.load.sources.get(path)
            others[path] = None if text is None else Utf16Positions(text)
        return others[path]

    diagnostics = [diagnostic_json(d, positions, positions_of) for d in own]
    params = {"uri": opened.uri, "diagnostics": diagnostics, "version": opened.version}
    return {"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": params}


# --------------------------------------------------------------------------
# What the server publishes, shared with mrpl/lsp.py


def norm(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def import_span(plan: A.Plan | None, path: str, file: str) -> A.Span | None:
    """The `importer` statement through which `file` was read (the first one for deeper imports)."""
    if plan is None:
        return None
    imports = [*plan.imports, *(i for s in plan.sections for i in s.imports)]
    for imp in imports:
        target = os.path.normpath(os.path.join(os.path.dirname(path), imp.path))
        if norm(target) == norm(file):
            return imp.span
    return imports[0].span if imports else None


def own_diagnostics(diagnostics: list[Diagnostic], plan: A.Plan | None, path: str) -> list[Diagnostic]:
    """A file's diagnostics; those found in imported files are shown on the `importer` line."""
    out = []
    for d in diagnostics:
        if norm(d.span.file or path) == norm(path):
            out.append(d)
            continue
        span = import_span(plan, path, d.span.file)
        if span is not None:
            where = f"{os.path.basename(d.span.file)}:{d.span.line}:{d.span.column}"
            out.append(Diagnostic(d.code, d.severity, f"{where}: {d.message}", span, d.notes, d.fix, d.related))
    return out


class Utf16Positions:
    """A text's spans as LSP ranges in UTF-16 code units, as pygls's `PositionCodec` converts
    them (`mrpl.lsp.Positions` with the codec of a UTF-16 client)."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")

    def position(self, line: int, column: int) -> dict[str, int]:
        index, character = line - 1, max(column - 1, 0)
        try:
            prefix = self.lines[index][:character]
        except IndexError:
            return {"line": len(self.lines), "character": 0}
        units = len(prefix) if prefix.isascii() else len(prefix) + sum(1 for c in prefix if ord(c) > 0xFFFF)
        return {"line": index, "character": units}

    def range(self, span: A.Span) -> dict[str, dict[str, int]]:
        return {"start": self.position(span.line, span.column), "end": self.position(span.end_line, span.end_column)}


def diagnostic_json(
    d: Diagnostic, positions: Utf16Positions, positions_of: Callable[[str], Utf16Positions | None]
) -> dict[str, Any]:
    """`MrplServer.to_lsp(d)` as the JSON pygls sends (its fields that are not None)."""
    out: dict[str, Any] = {
        "range": positions.range(d.span),
        "message": d.message + (f"\nhelp: {d.fix}" if d.fix else ""),
        "severity": SEVERITY[d.severity],
        "code": d.code,
        "source": "mrpl",
    }
    related = [_related_json(r, positions_of) for r in d.related]
    if related:
        out["relatedInformation"] = related
    if d.replacement is not None:
        out["data"] = {"replacement": d.replacement}
    return out


def _related_json(r: Any, positions_of: Callable[[str], Utf16Positions | None]) -> dict[str, Any]:
    location = {"uri": from_fs_path(r.span.file) or r.span.file, "range": _related_range(r.span, positions_of)}
    return {"location": location, "message": r.message}


def _related_range(span: A.Span, positions_of: Callable[[str], Utf16Positions | None]) -> dict[str, Any]:
    positions = positions_of(span.file)
    if positions is None:  # a file the analysis did not read
        start = {"line": max(span.line - 1, 0), "character": 0}
        return {"start": start, "end": dict(start)}
    return positions.range(span)


# --------------------------------------------------------------------------
# The stored answer to `initialize`


def answer_fingerprint() -> str | None:
    """What the stored answer depends on, as a hash of those modules' sources (read, not
    imported: importing them is what the first answer saves). None when one is missing."""
    digest = hashlib.sha256()
    for package, *parts in ANSWER_SOURCES:
        spec = find_spec(package)  # a top-level package is found, not imported (its submodules would be)
        if spec is None or not spec.submodule_search_locations:
            return None
        try:
            with open(os.path.join(spec.submodule_search_locations[0], *parts), "rb") as fh:
                digest.update(fh.read())
        except OSError:
            return None
    return digest.hexdigest()


def stored_answer() -> dict[str, Any] | None:
    """The server's answer to `initialize`, when stored for this mrpl, pygls and lsprotocol."""
    import mrpl

    try:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), ANSWER_FILE), encoding="utf-8") as fh:
            stored = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("mrpl") != mrpl.__version__:
        return None
    if stored.get("fingerprint") != answer_fingerprint():
        return None
    result = stored.get("result")
    return result if isinstance(result, dict) else None
