"""A diff as text (coloured on a terminal), Markdown, a self-contained HTML redline page, or JSON.

All four render the `Entry` list of mrpl.diff.words; plan text passes through
the one escape function of its context (mrpl.render.escape). JSON follows the
schema documented in docs/diff.md (`"schema": "mrpl-diff/1"`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from mrpl import i18n
from mrpl.diff.model import At, Field, Item, Path, PlanDiff, Weights
from mrpl.diff.redline import DELETE, EQUAL, INSERT, Segment, trimmed
from mrpl.diff.words import Entry, entries
from mrpl.render.escape import html_text, markdown_text, terminal_text
from mrpl.serialize import to_data

FORMATS = ("text", "md", "html", "json")
SCHEMA = "mrpl-diff/1"


def render_diff(diff: PlanDiff, fmt: str = "text", lang: str = "da", colour: bool = False) -> str:
    if fmt == "json":
        return render_json(diff, lang)
    if fmt == "md":
        return render_markdown(diff, lang)
    if fmt == "html":
        return render_html(diff, lang)
    if fmt == "text":
        return render_text(diff, lang, colour)
    raise ValueError(f"unknown diff format {fmt!r}: use one of {', '.join(FORMATS)}")


def title(diff: PlanDiff, lang: str) -> str:
    return i18n.diff_phrase("title", lang, old=diff.old_name, new=diff.new_name)


def count(diff: PlanDiff, lang: str) -> str:
    n = len(diff.changes)
    if n == 0:
        return i18n.diff_phrase("none", lang)
    return i18n.diff_phrase("count_one" if n == 1 else "count_many", lang, n=n)


def notes(diff: PlanDiff, lang: str) -> list[str]:
    if not diff.year_shift:
        return []
    old = "–".join(str(y) for y in (diff.old_years[0], diff.old_years[-1]) if y) if diff.old_years else "?"
    new = "–".join(str(y) for y in (diff.new_years[0], diff.new_years[-1]) if y) if diff.new_years else "?"
    return [i18n.diff_phrase("year_shift", lang, old=_years(old), new=_years(new))]


def _years(span: str) -> str:
    first, _, last = span.partition("–")
    return first if first == last or not last else span


def grouped(diff: PlanDiff, lang: str) -> Iterator[tuple[str, list[Entry]]]:
    """Entries under their headings, headings in order of first appearance."""
    groups: dict[str, list[Entry]] = {}
    for entry in sorted(entries(diff, lang), key=lambda e: e.order):
        groups.setdefault(entry.group, []).append(entry)
    yield from groups.items()


def weight_lines(weights: Weights, lang: str) -> list[tuple[str, str, str]]:
    """(goal, points before → after, share before → after) for each goal whose weight or share moved."""
    none = i18n.diff_phrase("none_value", lang)
    rows = []
    for g in weights.goals:
        if g.old == g.new and g.old_share == g.new_share:
            continue
        points = f"{_num(g.old, lang, none)} → {_num(g.new, lang, none)}"
        share = f"{_pct(g.old_share, lang, none)} → {_pct(g.new_share, lang, none)}"
        rows.append((f"{g.number} {g.area}", points, share))
    return rows


def _num(value: Any, lang: str, none: str) -> str:
    return none if value is None else i18n.format_points(value, lang)


def _pct(value: Any, lang: str, none: str) -> str:
    return none if value is None else i18n.format_percent(value, lang)


def weights_heading(weights: Weights, lang: str) -> str:
    total = i18n.diff_phrase(
        "weights_total",
        lang,
        old=i18n.format_points(weights.old_total, lang),
        new=i18n.format_points(weights.new_total, lang),
    )
    return f"{i18n.diff_phrase('weights', lang)}: {total}"


# --------------------------------------------------------------------------
# Text

_ANSI = {"added": "\x1b[32m", "removed": "\x1b[31m", "changed": "\x1b[33m", "bold": "\x1b[1m", "reset": "\x1b[0m"}
_MARK = {"added": "+", "removed": "-", "changed": "~"}


def render_text(diff: PlanDiff, lang: str = "da", colour: bool = False) -> str:
    def paint(text: str, style: str) -> str:
        return f"{_ANSI[style]}{text}{_ANSI['reset']}" if colour else text

    t = terminal_text
    lines = [paint(t(title(diff, lang)), "bold")]
    lines += [t(n) for n in notes(diff, lang)]
    for heading, items in grouped(diff, lang):
        lines += ["", paint(t(heading), "bold")]
        for e in items:
            lines += _text_entry(e, paint, lang)
    if diff.weights is not None:
        lines += ["", paint(t(weights_heading(diff.weights, lang)), "bold")]
        lines += [f"  {t(goal)}: {points} ({i18n.diff_phrase('share', lang)} {share})"
                  for goal, points, share in weight_lines(diff.weights, lang)]  # fmt: skip
    lines += ["", count(diff, lang)]
    return "\n".join(lines) + "\n"


def _text_entry(e: Entry, paint: Callable[[str, str], str], lang: str) -> list[str]:
    t = terminal_text
    head = f"  {paint(_MARK[e.tone], e.tone)} {t(e.what)}"
    if e.before is not None or e.after is not None:
        head += ": " + _arrow(t(_flat(e.before)), t(_flat(e.after)), paint)
    if e.note:
        head += f" ({t(e.note)})"
    out = [head]
    if e.redline:
        out.append("      " + "".join(_text_segment(s, paint) for s in trimmed(e.redline)))
    out += [f"      {t(d)}" for d in e.details]
    return out


def _arrow(before: str, after: str, paint: Callable[[str, str], str]) -> str:
    if before and after:
        return f"{paint(before, 'removed')} → {paint(after, 'added')}"
    return paint(after, "added") if after else paint(before, "removed")


def _text_segment(s: Segment, paint: Callable[[str, str], str]) -> str:
    text = terminal_text(_blanks(s.text))
    if s.op == DELETE:
        return paint(f"[-{text}-]", "removed")
    if s.op == INSERT:
        return paint(f"{{+{text}+}}", "added")
    return text


def _blanks(text: str) -> str:
    """Runs of blanks and line breaks as one space, kept at the ends (they separate words)."""
    return re.sub(r"\s+", " ", text)


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


# --------------------------------------------------------------------------
# Markdown


def render_markdown(diff: PlanDiff, lang: str = "da") -> str:
    m = markdown_text
    lines = [f"# {m(title(diff, lang))}", ""]
    for n in notes(diff, lang):
        lines += [f"> {m(n)}", ""]
    for heading, items in grouped(diff, lang):
        lines += [f"## {m(heading)}", ""]
        for e in items:
            lines += _md_entry(e)
        lines.append("")
    if diff.weights is not None:
        lines += [f"## {m(weights_heading(diff.weights, lang))}", ""]
        lines += [f"| {m(i18n.field_name('title', lang).capitalize())} | {m(i18n.field_name('weight', lang).capitalize())} "
                  f"| {m(i18n.diff_phrase('share', lang).capitalize())} |", "|---|---|---|"]  # fmt: skip
        lines += [f"| {m(g)} | {m(p)} | {m(s)} |" for g, p, s in weight_lines(diff.weights, lang)]
        lines.append("")
    lines += [f"*{m(count(diff, lang))}*"]
    if any(e.redline for _, items in grouped(diff, lang) for e in items):
        lines += ["", f"*{m(i18n.diff_phrase('legend', lang))}*"]
    return "\n".join(lines) + "\n"


def _md_entry(e: Entry) -> list[str]:
    m = markdown_text
    line = f"- {_MARK[e.tone]} **{m(e.what)}**"
    if e.before is not None and e.after is not None:
        line += f": ~~{m(_flat(e.before))}~~ → **{m(_flat(e.after))}**"
    elif e.after is not None:
        line += f": {m(_flat(e.after))}"
    elif e.before is not None:
        line += f": {m(_flat(e.before))}"
    if e.note:
        line += f" *({m(e.note)})*"
    out = [line]
    if e.redline:
        out.append("  " + "".join(_md_segment(s) for s in trimmed(e.redline)))
    out += [f"  - {m(d)}" for d in e.details]
    return out


def _md_segment(s: Segment) -> str:
    text = markdown_text(s.text)
    if not text.strip():
        return text
    lead, core, tail = _split_blanks(text)
    if s.op == DELETE:
        return f"{lead}~~{core}~~{tail}"
    if s.op == INSERT:
        return f"{lead}<ins>{core}</ins>{tail}"
    return text


def _split_blanks(text: str) -> tuple[str, str, str]:
    """Emphasis markers must touch the text they mark: blanks go outside them."""
    core = text.strip()
    start = text.index(core[0]) if core else 0
    return text[:start], core, text[start + len(core) :]


# --------------------------------------------------------------------------
# HTML

_CSS = """
body { font-family: Georgia, "Times New Roman", serif; max-width: 52em; margin: 2em auto; padding: 0 1em;
       color: #1a1a1a; line-height: 1.5; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; border-bottom: 1px solid #ccc; margin-top: 1.6em; }
.note { background: #f4f4f4; border-left: 4px solid #888; padding: .4em .8em; }
ul.changes { list-style: none; padding-left: 0; } ul.changes > li { margin: .5em 0; }
.mark { display: inline-block; width: 1.2em; font-weight: bold; }
.added .mark { color: #0a6b2b; } .removed .mark { color: #a3141b; } .changed .mark { color: #8a5a00; }
del { color: #a3141b; text-decoration: line-through; background: #fbe9ea; }
ins { color: #0a6b2b; text-decoration: underline; background: #e6f4ea; }
.redline { margin: .3em 0 0 1.2em; padding: .4em .8em; border-left: 3px solid #ddd; }
.why { color: #555; font-style: italic; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .2em .6em; text-align: left; }
footer { margin-top: 2em; color: #555; }
""".strip()


def render_html(diff: PlanDiff, lang: str = "da") -> str:
    h = html_text
    body = [f"<h1>{h(title(diff, lang))}</h1>"]
    body += [f'<p class="note">{h(n)}</p>' for n in notes(diff, lang)]
    for heading, items in grouped(diff, lang):
        body.append(f"<h2>{h(heading)}</h2>")
        body.append('<ul class="changes">')
        body += [_html_entry(e) for e in items]
        body.append("</ul>")
    if diff.weights is not None:
        body.append(f"<h2>{h(weights_heading(diff.weights, lang))}</h2>")
        body.append(f"<table><tr><th>{h(i18n.field_name('title', lang).capitalize())}</th>"
                    f"<th>{h(i18n.field_name('weight', lang).capitalize())}</th>"
                    f"<th>{h(i18n.diff_phrase('share', lang).capitalize())}</th></tr>")  # fmt: skip
        body += [
            f"<tr><td>{h(g)}</td><td>{h(p)}</td><td>{h(s)}</td></tr>" for g, p, s in weight_lines(diff.weights, lang)
        ]
        body.append("</table>")
    body.append(f"<footer><p>{h(count(diff, lang))} {h(i18n.diff_phrase('legend', lang))}</p></footer>")
    return (
        f'<!DOCTYPE html>\n<html lang="{h(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(title(diff, lang))}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _html_entry(e: Entry) -> str:
    h = html_text
    parts = [f'<li class="{e.tone}"><span class="mark">{_MARK[e.tone]}</span><strong>{h(e.what)}</strong>']
    if e.before is not None and e.after is not None:
        parts.append(f": <del>{h(_flat(e.before))}</del> → <ins>{h(_flat(e.after))}</ins>")
    elif e.after is not None:
        parts.append(f": <ins>{h(_flat(e.after))}</ins>")
    elif e.before is not None:
        parts.append(f": <del>{h(_flat(e.before))}</del>")
    if e.note:
        parts.append(f' <span class="why">({h(e.note)})</span>')
    if e.redline:
        parts.append('<div class="redline">' + "".join(_html_segment(s) for s in e.redline) + "</div>")
    if e.details:
        parts.append("<ul>" + "".join(f"<li>{h(d)}</li>" for d in e.details) + "</ul>")
    parts.append("</li>")
    return "".join(parts)


def _html_segment(s: Segment) -> str:
    paragraphs = [html_text(p) for p in s.text.split("\n\n")]
    text = "<br><br>".join(paragraphs)
    if s.op == DELETE:
        return f"<del>{text}</del>"
    if s.op == INSERT:
        return f"<ins>{text}</ins>"
    return text


# --------------------------------------------------------------------------
# JSON


def path_text(path: Path) -> str:
    """A path as one string: `sections[1]/goals[1.1]/requirements[b]/weight`."""
    parts = []
    for step in path:
        match step:
            case Field(name=name):
                parts.append(name)
            case Item(field=name, key=key):
                parts.append(f"{name}[{key}]")
            case At(field=name, index=index):
                parts.append(f"{name}[#{index}]")
    return "/".join(parts)


def render_json(diff: PlanDiff, lang: str = "da") -> str:
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "old": {"file": diff.old_name, "years": list(diff.old_years)},
        "new": {"file": diff.new_name, "years": list(diff.new_years)},
        "changed": not diff.empty,
        "year_shift": diff.year_shift,
        "notes": notes(diff, lang),
        "changes": [_json_entry(e) for e in entries(diff, lang)],
        "weights": _json_weights(diff.weights),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _json_entry(e: Entry) -> dict[str, Any]:
    c = e.change
    assert c is not None
    out: dict[str, Any] = {
        "kind": c.kind.value,
        "ref": c.ref,
        "old_ref": c.old_ref or None,
        "path": path_text(c.path),
        "group": e.group,
        "what": e.what,
        "before": e.before,
        "after": e.after,
        "note": e.note,
        "details": list(e.details),
        "redline": [{"op": s.op, "text": s.text} for s in e.redline],
        "old_value": to_data(c.old),
        "new_value": to_data(c.new),
    }
    if c.structural:
        out["position"] = c.index
        out["matched"] = c.matched.value if c.matched else None
        out["similarity"] = str(c.similarity) if c.similarity is not None else None
    return out


def _json_weights(weights: Weights | None) -> dict[str, Any] | None:
    if weights is None:
        return None
    return {
        "old_total": str(weights.old_total),
        "new_total": str(weights.new_total),
        "goals": [
            {"goal": g.number, "area": g.area, "old": _s(g.old), "new": _s(g.new),
             "old_share": _s(g.old_share), "new_share": _s(g.new_share)}
            for g in weights.goals
        ],
    }  # fmt: skip


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


__all__ = ["EQUAL", "FORMATS", "SCHEMA", "render_diff"]
