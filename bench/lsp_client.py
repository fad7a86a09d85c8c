"""A minimal JSON-RPC client over stdio, enough to time `mrplc lsp`.

It opens one document, then edits one line back and forth and records the time
from sending each `textDocument/didChange` to receiving the matching
`textDocument/publishDiagnostics`. Requests the server sends (configuration,
capability registration, progress) are answered with `null`.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, Any

TIMEOUT_S = 15.0


class LspTimeout(Exception):
    """The server did not answer in time."""


class StdioClient:
    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        )
        self.inbox: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self._next_id = 0
        threading.Thread(target=self._read_loop, args=(self.proc.stdout,), daemon=True).start()

    # ---- wire format

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}, ensure_ascii=False).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read_loop(self, stream: IO[bytes] | None) -> None:
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            message = json.loads(stream.read(length))
            self.inbox.put((time.perf_counter(), message))

    # ---- JSON-RPC

    def request(self, method: str, params: Any) -> Any:
        self._next_id += 1
        my_id = self._next_id
        self.send({"id": my_id, "method": method, "params": params})
        _, reply = self.wait_for(lambda m: m.get("id") == my_id and "method" not in m)
        return reply.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait_for(self, wanted: Any) -> tuple[float, dict[str, Any]]:
        deadline = time.perf_counter() + TIMEOUT_S
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise LspTimeout(f"no answer from the language server within {TIMEOUT_S:.0f} s")
            try:
                at, message = self.inbox.get(timeout=remaining)
            except queue.Empty as exc:
                raise LspTimeout(f"no answer from the language server within {TIMEOUT_S:.0f} s") from exc
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
                continue
            if wanted(message):
                return at, message

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except (LspTimeout, OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def _is_diagnostics_for(uri: str, version: int | None) -> Any:
    def match(message: dict[str, Any]) -> bool:
        if message.get("method") != "textDocument/publishDiagnostics":
            return False
        params = message.get("params", {})
        if params.get("uri") != uri:
            return False
        sent = params.get("version")
        return version is None or sent is None or sent == version

    return match


def _editable_line(text: str) -> tuple[int, str]:
    """The first single-line `tekst "..."` inside a requirement: edits there keep the plan valid."""
    for number, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped.startswith('tekst "Milepæl') and stripped.endswith('"'):
            return number, line
    raise ValueError("the generated plan has no editable line")


def _open(client: StdioClient, path: Path, text: str) -> tuple[str, bool, float]:
    """initialize, initialized, didOpen, as an editor does; the document's URI, whether the server
    takes incremental changes, and the time from the server's start to the document's diagnostics."""
    uri = path.resolve().as_uri()
    caps = client.request(
        "initialize", {"processId": os.getpid(), "rootUri": path.parent.resolve().as_uri(), "capabilities": {}}
    )
    client.notify("initialized", {})
    sync = (caps or {}).get("capabilities", {}).get("textDocumentSync", 1)
    incremental = (sync.get("change") if isinstance(sync, dict) else sync) == 2
    client.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "mrpl", "version": 1, "text": text}}
    )
    at, _ = client.wait_for(_is_diagnostics_for(uri, 1))
    return uri, incremental, at - client.started


def time_to_first_diagnostics(cmd: list[str], path: Path, text: str, env: dict[str, str]) -> float:
    """Seconds from starting the server to the diagnostics of the plan it is given to open."""
    client = StdioClient(cmd, env)
    try:
        return _open(client, path, text)[2]
    finally:
        client.close()


def measure_lsp_latency(cmd: list[str], path: Path, text: str, edits: int, env: dict[str, str]) -> list[float]:
    """Seconds from each didChange to its diagnostics, for `edits` edits of one line
    (a letter typed, then taken back: the text after it moves, as when typing)."""
    client = StdioClient(cmd, env)
    try:
        uri, incremental, _ = _open(client, path, text)
        line_no, original = _editable_line(text)
        lines = text.split("\n")
        latencies = []
        for i in range(edits):
            version = i + 2
            new_line = original if i % 2 else original.replace("Milepæl", "Milepæle", 1)  # type, then undo
            old_line = lines[line_no]
            lines[line_no] = new_line
            if incremental:
                change = {
                    "range": {
                        "start": {"line": line_no, "character": 0},
                        "end": {"line": line_no, "character": len(old_line.encode("utf-16-le")) // 2},
                    },
                    "text": new_line,
                }
            else:
                change = {"text": "\n".join(lines)}
            sent = time.perf_counter()
            client.notify(
                "textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
            )
            received, _ = client.wait_for(_is_diagnostics_for(uri, version))
            latencies.append(received - sent)
        return latencies
    finally:
        client.close()
