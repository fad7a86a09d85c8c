"""Word-level redline of two texts, and trimming of long unchanged stretches."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\s+|\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)

EQUAL, DELETE, INSERT = "equal", "delete", "insert"


@dataclass(frozen=True, slots=True)
class Segment:
    op: str  # "equal" | "delete" | "insert"
    text: str


def _tokens(text: str) -> list[str]:
    # Whitespace counts as one blank: a re-wrapped paragraph is not a change.
    return ["\n\n" if "\n\n" in t else " " if t.isspace() else t for t in _TOKEN.findall(text.strip())]


def redline(old: str, new: str) -> tuple[Segment, ...]:
    """The new text with what was deleted and inserted marked, word by word."""
    a, b = _tokens(old), _tokens(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            _add(out, EQUAL, "".join(a[i1:i2]))
            continue
        if op in ("delete", "replace"):
            _add(out, DELETE, "".join(a[i1:i2]))
        if op in ("insert", "replace"):
            _add(out, INSERT, "".join(b[j1:j2]))
    return _joined(out)


def _joined(segments: list[Segment]) -> tuple[Segment, ...]:
    """A blank between two changes joins them: "[-Niels Henrik Larsen-]{+Claes Nilas+}",
    not word by word."""
    out: list[Segment] = []
    n = 0
    while n < len(segments):
        seg = segments[n]
        if seg.op == EQUAL:
            out.append(seg)
            n += 1
            continue
        deleted, inserted = "", ""
        while n < len(segments):
            seg = segments[n]
            if seg.op == DELETE:
                deleted += seg.text
            elif seg.op == INSERT:
                inserted += seg.text
            elif seg.text.isspace() and n + 1 < len(segments) and segments[n + 1].op != EQUAL:
                deleted += seg.text
                inserted += seg.text
            else:
                break
            n += 1
        out += [Segment(op, text) for op, text in ((DELETE, deleted), (INSERT, inserted)) if text]
    return tuple(out)


def _add(out: list[Segment], op: str, text: str) -> None:
    if not text:
        return
    if out and out[-1].op == op:
        out[-1] = Segment(op, out[-1].text + text)
    else:
        out.append(Segment(op, text))


def trimmed(segments: tuple[Segment, ...], context: int = 8) -> tuple[Segment, ...]:
    """Long unchanged stretches cut to `context` words either side of a change ("…")."""
    out: list[Segment] = []
    last = len(segments) - 1
    for n, seg in enumerate(segments):
        if seg.op != EQUAL:
            out.append(seg)
            continue
        words = seg.text.split(" ")
        keep_head = context if n > 0 else 0
        keep_tail = context if n < last else 0
        if len(words) <= keep_head + keep_tail + 1:
            out.append(seg)
            continue
        head = " ".join(words[:keep_head])
        tail = " ".join(words[len(words) - keep_tail :]) if keep_tail else ""
        text = (head + " … " if keep_head else "… ") + (tail if keep_tail else "")
        out.append(Segment(EQUAL, text if keep_tail else text.rstrip() + (" …" if not keep_head else "")))
    return tuple(out)
