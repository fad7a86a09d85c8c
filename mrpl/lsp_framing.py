"""The language server's input framing, made well-formed before anything reads it.

pygls trusts the `Content-Length` header: a huge one makes it try to read that many bytes
(and die), and a missing, negative or non-numeric one desynchronises it for good (each
following body is read as a header line). `SaneFraming` sits between stdin and the server: it
reads each message's headers itself, passes on only messages with a sane length, and after
a bad header skips to the next `Content-Length:` so the server keeps answering. It imports no
protocol library: the server's first answer (mrpl/lsp_first.py) reads through it too, and
gives back what it read (`replay`) for pygls to read again.
"""

from __future__ import annotations

import logging
import re
from typing import BinaryIO

MAX_MESSAGE_BYTES = 64_000_000  # a 16 MB plan (the parser's limit) as JSON-escaped text, with room
MAX_HEADER_LINE = 8192  # header lines are short; a longer one is not a header

_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*([^\r\n]*)", re.IGNORECASE)
_MARKER = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)

log = logging.getLogger(__name__)


def frame(body: bytes) -> bytes:
    """A message as it travels: its header, then its body."""
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class SaneFraming:
    """A binary reader with `readline` and `read`, as pygls uses stdin, that serves only
    well-framed messages: `Content-Length: N\\r\\n\\r\\n` and N bytes of body."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.buffer = bytearray()
        self.pending = b""  # the start of a header line found while skipping a broken message
        self.closed = False

    # ---- what pygls calls

    def readline(self) -> bytes:
        if not self._fill():
            return b""
        end = self.buffer.find(b"\n")
        end = len(self.buffer) if end < 0 else end + 1
        return self._take(end)

    def read(self, size: int = -1) -> bytes:
        if not self._fill():
            return b""
        return self._take(len(self.buffer) if size < 0 else min(size, len(self.buffer)))

    # ---- what the first answer calls (mrpl/lsp_first.py)

    def next_body(self) -> bytes | None:
        """The next well-framed message's body (None at the end of the input)."""
        while True:
            if self.buffer:
                raise RuntimeError("next_body after readline/read")  # the two ways of reading do not mix
            message = self._next_message()
            if message is None:
                self.closed = True
                return None
            if message:
                return message

    def replay(self, bodies: list[bytes]) -> None:
        """Serve these bodies again, framed, before anything not read yet."""
        self.buffer[:0] = b"".join(frame(body) for body in bodies)

    # ---- framing

    def _take(self, n: int) -> bytes:
        out = bytes(self.buffer[:n])
        del self.buffer[:n]
        return out

    def _fill(self) -> bool:
        """Make sure the buffer holds something; False at the end of the input."""
        while not self.buffer and not self.closed:
            message = self._next_message()
            if message is None:
                self.closed = True
            elif message:
                self.buffer += b"Content-Length: %d\r\n\r\n" % len(message) + message
        return bool(self.buffer)

    def _next_message(self) -> bytes | None:
        """The next message's body; b"" for a message that was dropped; None at the end."""
        headers = self._headers()
        if headers is None:
            return None
        length = _content_length(headers)
        if length is None:
            log.error("dropped a message with a bad Content-Length header: %r", headers[:200])
            self._resynchronise()
            return b""
        body = self._read_exactly(length)
        if body is None:
            return None
        return body

    def _headers(self) -> bytes | None:
        """The header block up to its blank line (blank lines before it are skipped)."""
        lines: list[bytes] = []
        while True:
            line = self.pending or self.raw.readline(MAX_HEADER_LINE)
            self.pending = b""
            if not line:
                return None
            if not line.strip():
                if lines:
                    return b"".join(lines)
                continue
            lines.append(line)
            if len(lines) > 32:  # no client sends that many headers: not a header block
                return b"".join(lines)

    def _resynchronise(self) -> None:
        """Skip input up to the next `Content-Length:`, which starts the next message."""
        while True:
            line = self.raw.readline(MAX_HEADER_LINE)
            if not line:
                return
            found = _MARKER.search(line)
            if found:
                self.pending = line[found.start() :]
                return

    def _read_exactly(self, length: int) -> bytes | None:
        chunks, remaining = [], length
        while remaining:
            chunk = self.raw.read(remaining)
            if not chunk:
                return None
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)


def _content_length(headers: bytes) -> int | None:
    """The body length the headers state, if it is a sane one."""
    match = _LENGTH.search(headers)
    if match is None:
        return None
    value = match.group(1).strip()
    if not value.isdigit() or len(value) > 12:
        return None
    length = int(value)
    return length if 0 < length <= MAX_MESSAGE_BYTES else None
