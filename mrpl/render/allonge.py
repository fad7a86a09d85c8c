"""Allonges as documents: the amendment log of a consolidated plan, and the allonge itself.

Both are built in the document model (mrpl.render.document), so every back-end
that renders a `Document` renders them too.
"""

from __future__ import annotations

from datetime import date

from mrpl import ast as A
from mrpl.amend.words import amendment_title, describe_operations, signed_by
from mrpl.i18n import format_date, phrase
from mrpl.render.document import Block, Document, Heading, Section, signature_lines, text_language


def _bullets(lines: list[str]) -> A.Prose:
    return A.Prose((A.BulletList(tuple(A.ListItem((A.Text(line),)) for line in lines)),))


def _sentence(text: str) -> A.Prose:
    return A.Prose((A.Paragraph((A.Text(text),)),))


def _what_when_why_who(amendment: A.Amendment, lang: str) -> list[Block]:
    blocks: list[Block] = []
    if amendment.date is not None:
        blocks.append(Block("field", label=phrase("amendment_date", lang), value=format_date(amendment.date, lang)))
    changes = describe_operations(amendment, lang)
    if changes:
        blocks.append(Block("field", label=phrase("amendment_changes", lang)))
        blocks.append(Block("prose", prose=_bullets(changes)))
    if amendment.reason is not None:
        blocks.append(Block("field", label=phrase("amendment_reason", lang)))
        blocks.append(Block("prose", prose=amendment.reason))
    signers = signed_by(amendment)
    if signers:
        blocks.append(Block("field", label=phrase("amendment_signed", lang), value="; ".join(signers)))
    return blocks


def amendment_log(plan: A.Plan, lang: str, number: int) -> Section | None:
    """The consolidated plan's last section: what each allonge changed, when, why, who signed."""
    if not plan.amendments:
        return None
    blocks = [Block("prose", prose=_sentence(phrase("amendment_log_intro", lang)))]
    for n, amendment in enumerate(plan.amendments, 1):
        blocks.append(Block("heading", heading=Heading(f"{number}.{n}", amendment_title(amendment, lang))))
        blocks += _what_when_why_who(amendment, lang)
    return Section(Heading(f"{number}.0", phrase("amendments", lang)), tuple(blocks))


def build_amendment_document(plan: A.Plan, amendment: A.Amendment, lang: str = "da") -> Document:
    """The allonge as the parties sign it: what it amends, the changes, the reason, the signatures."""
    header = plan.header or A.Header()
    plan_title = header.title or phrase("plan_title", lang)
    title = amendment.title or phrase("amendment_to", lang).format(title=plan_title)
    when = format_date(amendment.date, lang) if amendment.date else ""
    intro = phrase("amendment_intro", lang).format(title=plan_title, agency=header.agency or "", date=when)
    sections = [Section(Heading("1.0", phrase("amendment", lang)), (Block("prose", prose=_sentence(intro)),))]
    changes = describe_operations(amendment, lang)
    sections.append(
        Section(Heading("2.0", phrase("amendment_changes", lang)), (Block("prose", prose=_bullets(changes)),))
    )
    if amendment.reason is not None:
        sections.append(
            Section(Heading("3.0", phrase("amendment_reason", lang)), (Block("prose", prose=amendment.reason),))
        )
    signatures = tuple(
        Block("signature", lines=signature_lines(s, header, lang)) for s in (amendment.director, amendment.head) if s
    )
    if signatures:
        sections.append(Section(Heading(f"{len(sections) + 1}.0", phrase("amendment_signatures", lang)), signatures))
    return Document(lang=lang, ministry=header.ministry or "", title=title, agency=header.agency or "",
                    sections=tuple(sections), annex=None, text_lang=text_language(plan),
                    date=_amendment_date(amendment), author=header.department or header.ministry or header.agency or "",
                    compact=True)  # fmt: skip


def _amendment_date(amendment: A.Amendment) -> date | None:
    """The date the allonge carries (the PDF's and Word file's date): its last signature's, else its own."""
    signed = [s.signed_on for s in (amendment.director, amendment.head) if s is not None and s.signed_on is not None]
    return max(signed) if signed else amendment.date
