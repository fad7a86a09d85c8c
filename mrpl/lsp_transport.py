"""The language server's transport: input made well-formed before pygls reads it
(`SaneFraming`, mrpl/lsp_framing.py), and an answer to every request, even one whose
parameters are invalid.

pygls answers a request whose parameters do not fit the protocol's types (`"line": -1`) with
no response at all, so the client waits forever; `AnsweringProtocol` sends the JSON-RPC
error (-32602 Invalid Params) for its id.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

from pygls.exceptions import JsonRpcException
from pygls.protocol import LanguageServerProtocol

from mrpl.lsp_framing import SaneFraming

__all__ = ["AnsweringProtocol", "SaneFraming"]

log = logging.getLogger(__name__)


class AnsweringProtocol(LanguageServerProtocol):
    """pygls's protocol, but a request it cannot read still gets an error response; and a
    request the first answer already answered (mrpl/lsp_first.py: `initialize`, read again by
    pygls to set itself up) gets no second one."""

    answered_before: set[Any]

    def _send_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        answered = getattr(self, "answered_before", set())
        if msg_id in answered:
            answered.discard(msg_id)
            return
        super()._send_response(msg_id, result, error)

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "id" in data and "method" in data and isinstance(data["id"], int | str):
                self._send_response(data["id"], error=exc.to_response_error())
            log.error("refused a message: %s", exc)
            return _IGNORED  # handle_message drops a message of another JSON-RPC version


_IGNORED = SimpleNamespace(jsonrpc="refused")
