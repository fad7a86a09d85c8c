"""The language server's first answer (mrpl/lsp_first.py): what it sends is what the server
sends, and the server takes over from it without answering twice."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mrpl.lsp_first import (
    FirstSession,
    Utf16Positions,
    diagnostic_json,
    first_session,
    own_diagnostics,
    stored_answer,
)
from mrpl.lsp_framing import SaneFraming, frame

ROOT = Path(__file__).resolve().parent.parent
# The examples and the checker's fixtures an editor can open (MRP006's is not UTF-8).
PLANS = sorted(ROOT.glob("examples/**/*.mrp")) + [
    p for p in sorted(ROOT.glob("tests/fixtures/check/*/bad.mrp")) if p.parent.name != "MRP006"
]


def _framed(*messages: dict[str, Any]) -> bytes:
    return b"".join(frame(json.dumps({"jsonrpc": "2.0", **message}).encode()) for message in messages)


def _bodies(stream: bytes) -> list[dict[str, Any]]:
    """The messages the server wrote (its headers include a Content-Type)."""
    framing, out = SaneFraming(io.BytesIO(stream)), []  # type: ignore[arg-type]
    while (body := framing.next_body()) is not None:
        out.append(json.loads(body))
    return out


def _initialize(capabilities: dict[str, Any] | None = None, id_: int = 1) -> dict[str, Any]:
    return {"id": id_, "method": "initialize", "params": {"processId": None, "capabilities": capabilities or {}}}


def _open(path: Path, version: int = 1) -> dict[str, Any]:
    document = {"uri": path.as_uri(), "languageId": "mrpl", "version": version, "text": path.read_text("utf-8")}
    return {"method": "textDocument/didOpen", "params": {"textDocument": document}}


def _first(*messages: dict[str, Any], answer: dict[str, Any] | None = None) -> tuple[FirstSession, list[dict]]:
    out = io.BytesIO()
    framing = SaneFraming(io.BytesIO(_framed(*messages)))  # type: ignore[arg-type]
    session = first_session(framing, out, answer if answer is not None else {"capabilities": {}})
    return session, _bodies(out.getvalue())


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_first_diagnostics_are_the_servers(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every diagnostic of the examples and the checker's fixtures, as the first answer publishes
    it and as the server's `to_lsp` makes it (pygls's JSON of it), related locations included."""
    from pygls.workspace.position_codec import PositionCodec

    from mrpl.lsp import Analysis, Positions, server

    session, sent = _first(_initialize(), {"method": "initialized", "params": {}}, _open(plan))
    (opened,) = session.opened
    publication = sent[-1]
    assert publication["method"] == "textDocument/publishDiagnostics"
    assert publication["params"]["uri"] == plan.as_uri() and publication["params"]["version"] == 1
    server.remember(Analysis(opened.uri, opened.path, opened.text, opened.load, opened.diagnostics))
    server._known_positions.clear()
    monkeypatch.setattr(server, "positions", lambda text: Positions(text, PositionCodec()))  # a UTF-16 client's
    positions = Positions(opened.text, PositionCodec())
    analysis = server.analyses[opened.uri]
    theirs = [
        server.protocol._converter.unstructure(server.to_lsp(d, positions)) for d in server.own_diagnostics(analysis)
    ]
    assert publication["params"]["diagnostics"] == theirs
    server.analyses.pop(opened.uri, None)


def test_positions_count_utf16_units_as_pygls_does() -> None:
    from pygls.workspace.position_codec import PositionCodec

    from mrpl import ast as A
    from mrpl.lsp import Positions

    text = 'mål 1 "😀 æ" {\n\tx\n}\n\n'
    mine, theirs = Utf16Positions(text), Positions(text, PositionCodec())
    for line in range(1, 8):  # spans count lines from 1
        for column in range(0, 14):
            span = A.Span(0, 0, line, column, line, column + 1)
            expected = json.loads(json.dumps(server_range(theirs.range(span))))
            assert mine.range(span) == expected, (line, column)


def server_range(r: Any) -> dict[str, Any]:
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}  # fmt: skip


def test_the_stored_answer_to_initialize_is_the_servers() -> None:
    """mrpl/lsp_initialize.json is current: `python -m mrpl.codecache` writes it."""
    answer = stored_answer()
    if answer is None:
        pytest.skip("no stored answer for this pygls and lsprotocol")
    done = _server_session(_initialize(), {"id": 9, "method": "shutdown"}, {"method": "exit"})
    assert answer == next(m["result"] for m in done if m.get("id") == 1)


def _semantic(value: Any) -> Any:
    """An answer without its false and empty fields (absent means the same to a client)."""
    if isinstance(value, dict):
        kept = {k: _semantic(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (False, None, {}, [])}
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value


VSCODE_LIKE = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {"synchronization": {"willSave": True, "willSaveWaitUntil": True, "didSave": True},
                     "rename": {"prepareSupport": True}, "hover": {"contentFormat": ["markdown", "plaintext"]}},
    "workspace": {"fileOperations": {"didCreate": True, "willRename": True}, "workspaceFolders": True},
    "notebookDocument": {"synchronization": {}},
}  # fmt: skip


def test_the_stored_answer_means_what_the_server_answers_an_editor() -> None:
    """For an editor's capabilities (VS Code's kind) the server's answer differs only in fields
    that say no (`willSave: false` against none)."""
    answer = stored_answer()
    if answer is None:
        pytest.skip("no stored answer for this pygls and lsprotocol")
    done = _server_session(_initialize(VSCODE_LIKE), {"id": 9, "method": "shutdown"}, {"method": "exit"})
    assert _semantic(answer) == _semantic(next(m["result"] for m in done if m.get("id") == 1))


@pytest.mark.parametrize(
    ("encodings", "fast"),
    [
        (None, True),
        (["utf-16"], True),
        (["utf-8", "utf-16"], False),
        (["utf-32"], False),
        (["latin-1"], True),
        (["latin-1", "utf-16", "utf-8"], True),
        ([], True),
    ],
)
def test_the_first_answer_is_given_only_for_the_servers_position_encoding(encodings: Any, fast: bool) -> None:
    """pygls answers in the first encoding of the client's it supports (UTF-16 when none): the
    stored answer is UTF-16's."""
    from lsprotocol import types as T
    from pygls.capabilities import ServerCapabilitiesBuilder

    capabilities = {} if encodings is None else {"general": {"positionEncodings": encodings}}
    session, sent = _first(_initialize(capabilities))
    assert bool(session.answered) is fast and len(sent) == int(fast)
    client = T.ClientCapabilities(
        general=None if encodings is None else T.GeneralClientCapabilities(position_encodings=encodings)
    )
    assert (ServerCapabilitiesBuilder.choose_position_encoding(client) == "utf-16") is fast


@pytest.mark.parametrize(
    "messages",
    [
        [{"method": "initialized", "params": {}}],  # the first message is not initialize
        [{"id": 1, "method": "shutdown"}],
        [_initialize(), {"id": 2, "method": "textDocument/hover", "params": {}}],  # a request before a plan
        [_initialize(), {"method": "exit"}],
        [{"id": {"not": "an id"}, "method": "initialize", "params": {}}],
        [{"id": 1, "method": "initialize", "params": ["capabilities"]}],
        [{"id": 1, "method": "initialize", "params": {"processId": None}}],  # pygls refuses it (no capabilities)
        [{"id": 1, "method": "initialize", "params": {"processId": "x", "capabilities": {}}}],
        [{"id": 1, "method": "initialize", "params": {"capabilities": {}, "trace": "loud"}}],
        [{"id": 1, "method": "initialize", "params": {"capabilities": {}, "workspaceFolders": [{"uri": 1}]}}],
        [_initialize(), {"method": "textDocument/didOpen", "params": 3}],
        [_initialize(), {"method": "textDocument/didOpen", "params": {"textDocument": {"uri": 5}}}],
    ],
)
def test_the_first_answer_stops_at_what_it_does_not_handle(messages: list[dict[str, Any]]) -> None:
    session, sent = _first(*messages)
    assert len(session.bodies) == len(messages)  # all of it read, for the server to read again
    assert not session.opened and len(sent) == len(session.answered) <= 1
    if messages[0].get("method") == "initialize" and messages[0] != _initialize():
        assert not sent  # not plain: pygls answers it (or refuses it)


def test_a_large_plan_or_a_failing_analysis_is_left_to_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    import mrpl.lsp_first as first

    plan = ROOT / "examples" / "kontrolstyrelsen-2024.mrp"
    monkeypatch.setattr(first, "MAX_FIRST_CHARS", 100)
    session, sent = _first(_initialize(), _open(plan))
    assert not session.opened and len(sent) == 1 and len(session.bodies) == 2  # initialize answered only
    monkeypatch.setattr(first, "MAX_FIRST_CHARS", 10**6)

    def broken(*args: Any) -> None:
        raise RuntimeError("a defect")

    monkeypatch.setattr(first, "load_parsed", broken)
    session, sent = _first(_initialize(), _open(plan))
    assert not session.opened and len(sent) == 1


@pytest.mark.parametrize(
    "body", [b"[" * 100_000, b"\xff\xfe", b"[]", b'{"jsonrpc": "1.0", "id": 1, "method": "initialize"}']
)
def test_a_message_that_is_not_json_rpc_is_left_to_the_server(body: bytes) -> None:
    out = io.BytesIO()
    framing = SaneFraming(io.BytesIO(b"Content-Length: %d\r\n\r\n" % len(body) + body))  # type: ignore[arg-type]
    session = first_session(framing, out, {"capabilities": {}})
    assert session.bodies == [body] and not session.answered and out.getvalue() == b""


def test_malformed_input_is_left_to_the_server() -> None:
    out = io.BytesIO()
    framing = SaneFraming(io.BytesIO(b"Content-Length: 5\r\n\r\n{nope"))  # type: ignore[arg-type]
    session = first_session(framing, out, {"capabilities": {}})
    assert session.bodies == [b"{nope"] and not session.answered and out.getvalue() == b""
    framing.replay(session.bodies)
    assert framing.readline() == b"Content-Length: 5\r\n" and framing.read() == b"\r\n{nope"


def _server_session(*messages: dict[str, Any], timeout: float = 60) -> list[dict[str, Any]]:
    """What `python -m mrpl lsp` sends for these messages (stdin closed after them)."""
    done = subprocess.run([sys.executable, "-m", "mrpl", "lsp"], input=_framed(*messages), capture_output=True,
                          timeout=timeout, cwd=ROOT, check=False)  # fmt: skip
    return _bodies(done.stdout)


def test_the_server_takes_over_without_answering_twice() -> None:
    """An editor's first session through `mrplc lsp`: one answer to initialize, the plan's
    diagnostics (first answer's, then the server's: the same), later requests answered."""
    plan = ROOT / "examples" / "udlaendingestyrelsen-2022.mrp"
    hover = {"textDocument": {"uri": plan.as_uri()}, "position": {"line": 0, "character": 2}}
    sent = _server_session(
        _initialize(), {"method": "initialized", "params": {}}, _open(plan),
        {"id": 2, "method": "textDocument/hover", "params": hover},
        {"id": 3, "method": "shutdown"}, {"method": "exit"},
    )  # fmt: skip
    answers = [m for m in sent if "id" in m and "method" not in m]
    assert [m["id"] for m in answers] == [1, 2, 3]
    assert answers[0]["result"]["capabilities"]["positionEncoding"] == "utf-16"
    published = [m["params"] for m in sent if m.get("method") == "textDocument/publishDiagnostics"]
    if stored_answer() is None:  # another pygls or lsprotocol: the server answered everything itself
        assert len(published) <= 1
        return
    assert len(published) == 1  # the first answer's: the server does not publish them again
    assert len(published[0]["diagnostics"]) > 5  # the plan has warnings


def test_a_utf8_editor_is_served_by_the_server_alone() -> None:
    plan = ROOT / "examples" / "udlaendingestyrelsen-2022.mrp"
    sent = _server_session(
        _initialize({"general": {"positionEncodings": ["utf-8"]}}), {"method": "initialized", "params": {}},
        _open(plan), {"id": 3, "method": "shutdown"}, {"method": "exit"},
    )  # fmt: skip
    answers = [m for m in sent if "id" in m and "method" not in m]
    assert [m["id"] for m in answers] == [1, 3]
    assert answers[0]["result"]["capabilities"]["positionEncoding"] == "utf-8"  # pygls's own answer


def test_own_diagnostics_put_an_imported_files_findings_on_its_import_line() -> None:
    from mrpl import load_file

    plan = ROOT / "examples" / "udlaendingestyrelsen-2022.mrp"
    result = load_file(str(plan))
    from mrpl.check import check

    diagnostics = [*result.diagnostics, *check(result)]
    own = own_diagnostics(diagnostics, result.root.plan, str(plan))
    assert any(d.span.file != str(plan) for d in diagnostics)  # it imports a shared file with findings
    assert all(d.span.file == str(plan) for d in own)
    assert any(": " in d.message and d.message.split(":")[0].endswith(".mrp") for d in own)
    assert diagnostic_json(own[0], Utf16Positions(plan.read_text("utf-8")), lambda path: None)["source"] == "mrpl"
