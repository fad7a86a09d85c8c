"""Word output read back as Word and pandoc read it: heading styles, tables
with repeated headers, page numbers, document properties, language, and the
goal tables equal to the Markdown build's."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

import mrpl
from mrpl import ast as A
from mrpl.render import render, render_bytes
from mrpl.render.document import build_document

ROOT = Path(__file__).resolve().parent.parent
# the examples, and each allonge as the consolidated plan (the plan as amended, with its log)
EXAMPLES = sorted((ROOT / "examples").glob("*.mrp")) + sorted((ROOT / "examples" / "allonger").glob("*.mrp"))
GOAL_HEADER = {
    "da": ["Nr.", "Område", "Mål", "Resultatkrav", "Vægt"],
    "en": ["No.", "Area", "Goal", "Result requirements", "Weight"],
}

needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is needed")


def load(path: Path) -> A.Plan:
    result = mrpl.load_file(str(path))
    assert result.plan is not None, result.diagnostics
    return result.plan


@pytest.fixture(scope="module")
def built() -> dict[tuple[str, str], tuple[A.Plan, bytes]]:
    out = {}
    for example in EXAMPLES:
        plan = load(example)
        for lang in ("da", "en"):
            out[(example.stem, lang)] = (plan, render_bytes(plan, "docx", lang))
    return out


CASES = [(e.stem, lang) for e in EXAMPLES for lang in ("da", "en")]


@pytest.mark.parametrize("key", CASES, ids=[f"{s}-{lang}" for s, lang in CASES])
def test_word_headings_tables_footer_and_properties(built: dict, key: tuple[str, str]) -> None:  # type: ignore[type-arg]
    plan, data = built[key]
    lang = key[1]
    doc = build_document(plan, lang)
    word = docx.Document(io.BytesIO(data))
    headings = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    expected = [f"{s.heading.number} {s.heading.title}".strip() for s in doc.sections]
    assert [re.sub(r"\d+$", "", h) if h not in expected else h for h in headings][: len(expected)] == expected
    level2 = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    for section in doc.sections:
        for table in section.tables:
            if table.level == 0:
                assert f"{table.heading.number} {table.heading.title}".strip() in level2
    goal_tables = [t for t in word.tables if [c.text for c in t.rows[0].cells][:4] == GOAL_HEADER[lang][:4]]
    assert len(goal_tables) == sum(1 for s in doc.sections for t in s.tables if t.rows)
    for table in word.tables[1:]:  # every data table repeats its header row on each page
        if len(table.rows) > 1 and table.rows[0].cells[0].text:
            header = table.rows[0]._tr.trPr
            assert header is not None and header.find(qn("w:tblHeader")) is not None
    footer = word.sections[-1].footer._element.xml
    assert " PAGE " in footer
    props = word.core_properties
    assert props.title == doc.title
    assert props.author == doc.author
    assert props.language == {"da": "da-DK", "en": "en-GB"}[lang]
    if doc.date is not None:
        assert props.created.date() == doc.date and props.modified.date() == doc.date
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    languages = {e.get(qn("w:val")) for e in defaults.iter(qn("w:lang"))}
    assert languages == {props.language}


def test_docx_is_byte_deterministic(built: dict) -> None:  # type: ignore[type-arg]
    plan, data = built[("siri-2020", "da")]
    assert render_bytes(plan, "docx", "da") == data
    dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert dates == {(1980, 1, 1, 0, 0, 0)}


def test_signatures_share_one_unsplittable_row(built: dict) -> None:  # type: ignore[type-arg]
    plan, data = built[("udlaendingestyrelsen-2022", "da")]
    header = plan.header or A.Header()
    names = [s.name for s in (header.director, header.head) if s is not None]
    word = docx.Document(io.BytesIO(data))
    rows = [r for t in word.tables for r in t.rows if all(any(n in c.text for c in r.cells) for n in names)]
    assert len(rows) == 1
    assert rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_allonge_itself_in_word(lang: str) -> None:
    """`mrplc build ALLONGE --allonge --to docx`: the title first, no contents field, a Word
    heading per section, both signatures in one unsplittable row, dated by its signatures."""
    from mrpl.render import render_amendment
    from mrpl.render.allonge import build_amendment_document

    plan = load(ROOT / "examples" / "allonger" / "udlaendingestyrelsen-2022-allonge-1.mrp")
    amendment = plan.amendments[-1]
    data = render_amendment(plan, amendment, "docx", lang)
    assert data == render_amendment(plan, amendment, "docx", lang)
    doc = build_amendment_document(plan, amendment, lang)
    word = docx.Document(io.BytesIO(data))
    assert word.paragraphs[1].text == doc.title
    assert " TOC " not in word.element.xml and len(word.sections) == 1
    headings = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [f"{s.heading.number} {s.heading.title}" for s in doc.sections]
    names = [s.name for s in (amendment.director, amendment.head) if s is not None]
    rows = [r for t in word.tables for r in t.rows if all(any(n in c.text for c in r.cells) for n in names)]
    assert len(rows) == 1 and rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    assert word.core_properties.created.date() == date(2022, 6, 17)


# --------------------------------------------------------------------------
# pandoc reads the same goal tables as the Markdown build has


def _text(node: object) -> str:
    """The plain text of a pandoc JSON node; notes and superscripts (footnote marks) left out."""
    if isinstance(node, list):
        return "".join(_text(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("t")
    if kind in ("Note", "Superscript"):
        return ""
    if kind == "Str":
        return str(node["c"])
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    return _text(node.get("c", []))


def _tables(markup: bytes, source: str) -> list[list[str]]:
    """Each table as its non-empty cells in reading order, squashed (header row first)."""
    result = subprocess.run(
        ["pandoc", "-f", source, "-t", "json"], input=markup, capture_output=True, check=True, timeout=120
    )
    blocks = json.loads(result.stdout)["blocks"]
    tables = []

    def cells(rows: list) -> list[str]:  # type: ignore[type-arg]
        out = []
        for row in rows:
            for cell in row[1]:
                text = re.sub(r"\s+|•|◦", "", _text(cell[4]))
                if text:
                    out.append(text)
        return out

    def walk(nodes: list) -> None:  # type: ignore[type-arg]
        for node in nodes:
            if isinstance(node, dict) and node.get("t") == "Table":
                _attr, _caption, _specs, head, bodies, _foot = node["c"]
                rows = head[1] + [r for body in bodies for r in body[2] + body[3]]
                tables.append(cells(rows))

    walk(blocks)
    return tables


@needs_pandoc
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_pandoc_reads_the_goal_tables_of_the_markdown_build(built: dict, example: Path) -> None:  # type: ignore[type-arg]
    plan, data = built[(example.stem, "da")]
    header = GOAL_HEADER["da"][:4]
    from_word = [t for t in _tables(data, "docx") if t[:4] == header]
    from_markdown = [t for t in _tables(render(plan, "md").encode(), "gfm") if t[:4] == header]
    assert from_word == from_markdown
    doc = build_document(plan, "da")
    assert len(from_word) == sum(1 for s in doc.sections for t in s.tables if t.rows)
