"""An allonge's operations in the plan's own words, for its document, the consolidated
plan's amendment log, and the score report."""

from __future__ import annotations

from mrpl import ast as A
from mrpl import i18n


def amendment_title(amendment: A.Amendment, lang: str = "da") -> str:
    return amendment.title or i18n.phrase("amendment", lang)


def describe_operations(amendment: A.Amendment, lang: str = "da") -> list[str]:
    """One sentence per change; several `frist` or `måltal` lines for one requirement are one change."""
    out: list[str] = []
    deadlines: dict[str, list[A.Deadline]] = {}
    targets: dict[str, list[A.Target]] = {}
    order: list[tuple[str, str]] = []
    for op in amendment.operations:
        match op:
            case A.SetWeight(ref=ref, weight=weight):
                order.append(
                    ("line", i18n.phrase("op_weight", lang).format(ref=ref, weight=i18n.format_weight(weight, lang)))
                )
            case A.DropRequirement(ref=ref, reason=reason):
                order.append(("line", i18n.phrase("op_drop", lang).format(ref=ref, reason=reason.rstrip("."))))
            case A.MoveDeadline(ref=ref, deadline=deadline):
                if ref not in deadlines:
                    order.append(("deadline", ref))
                deadlines.setdefault(ref, []).append(deadline)
            case A.ReplaceTarget(ref=ref, target=target):
                if ref not in targets:
                    order.append(("target", ref))
                targets.setdefault(ref, []).append(target)
            case A.ReplaceText(ref=ref, text=text):
                order.append(
                    ("line", i18n.phrase("op_text", lang).format(ref=ref, text=" ".join(text.plain().split())))
                )
            case A.AddRequirement(ref=ref, requirement=req):
                text = req.text.plain() if req.text else (req.display or "")
                order.append(("line", i18n.phrase("op_add", lang).format(ref=ref, text=" ".join(text.split()))))
    for kind, value in order:
        if kind == "line":
            out.append(value)
        elif kind == "deadline":
            when = i18n.join_words([i18n.format_deadline(d, lang) for d in deadlines[value]], lang)
            out.append(i18n.phrase("op_deadline", lang).format(ref=value, deadline=when))
        else:
            aims = i18n.join_words([i18n.describe_target(t, lang) for t in targets[value]], lang)
            out.append(i18n.phrase("op_target", lang).format(ref=value, target=aims))
    return out


def signed_by(amendment: A.Amendment) -> list[str]:
    return [
        f"{s.name}, {s.title}" if s.title else s.name for s in (amendment.director, amendment.head) if s is not None
    ]
