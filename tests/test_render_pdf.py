"""The PDF (Typst) as a reader sees it.

Every example is compiled once per session in each language; the tests read
the pages (word boxes, footnote numbers, bookmarks) and the PDF/UA structure:
no two words overlap, nothing lies outside the margins, no heading ends a
page, both signatures share a page, footnotes are numbered 1..n each once,
the document is tagged, titled and in its language.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pages import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, Page, Pdf, overlapping_words

import mrpl
from mrpl import ast as A
from mrpl.i18n import phrase
from mrpl.render import render, render_bytes
from mrpl.render.document import build_document, requirement_label
from mrpl.render.escape import typst_markup, typst_raw, typst_string
from mrpl.render.pdf import PdfError, compile_typst

ROOT = Path(__file__).resolve().parent.parent
# the examples, and each allonge as the consolidated plan (the plan as amended, with its log)
EXAMPLES = sorted((ROOT / "examples").glob("*.mrp")) + sorted((ROOT / "examples" / "allonger").glob("*.mrp"))
CASES = [(e, lang) for e in EXAMPLES for lang in ("da", "en")]
IDS = [f"{e.stem}-{lang}" for e, lang in CASES]


def load(path: Path) -> A.Plan:
    result = mrpl.load_file(str(path))
    assert result.plan is not None, result.diagnostics
    return result.plan


@pytest.fixture(scope="session")
def built() -> dict[tuple[str, str], tuple[A.Plan, Pdf]]:
    """Each example's PDF in each language, compiled and read once per session."""
    out = {}
    for example, lang in CASES:
        plan = load(example)
        out[(example.stem, lang)] = (plan, Pdf(render_bytes(plan, "pdf", lang)))
    return out


@pytest.fixture(params=CASES, ids=IDS)
def case(request: pytest.FixtureRequest, built: dict) -> tuple[A.Plan, Pdf, str]:  # type: ignore[type-arg]
    example, lang = request.param
    plan, pdf = built[(example.stem, lang)]
    return plan, pdf, lang


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("\x02", "")


def body_words(page: Page) -> list:  # type: ignore[type-arg]
    """The page's words without its page number and footnotes."""
    return [
        w
        for w in page.words
        if not (page.separator is not None and w.top > page.separator)
        and not (w.text == str(page.number + 1) and w.top > page.height - MARGIN_BOTTOM)
    ]


# --------------------------------------------------------------------------
# Structure


def test_pdf_is_tagged_pdf_ua_with_title_and_language(case: tuple[A.Plan, Pdf, str]) -> None:
    plan, pdf, lang = case
    root = pdf.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).split("-")[0] == lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pdf.reader.metadata is not None
    assert pdf.reader.metadata.title == build_document(plan, lang).title
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    fonts = {str(f) for page in pdf.reader.pages for f in _font_files(page)}
    assert fonts == {"/FontFile2"} or fonts <= {"/FontFile2", "/FontFile3"}  # every font embedded


def _font_files(page) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for font in page["/Resources"]["/Font"].values():
        descendants = font.get_object().get("/DescendantFonts", [font])
        for d in descendants:
            descriptor = d.get_object()["/FontDescriptor"]
            out.extend(k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor)
    return out


def test_bookmarks_follow_the_headings_and_the_contents_has_no_footnote_marks(
    case: tuple[A.Plan, Pdf, str],
) -> None:
    plan, pdf, lang = case
    doc = build_document(plan, lang)
    titles = [t for t, _, _ in pdf.bookmarks()]
    expected = [f"{s.heading.number} {s.heading.title}".strip() for s in doc.sections]
    assert [t for t in titles if t in expected] == expected
    first_section = pdf.bookmarks()[0][1]
    assert not [m for m in pdf.marks if m.page < first_section]  # title page and contents
    contents = squash(" ".join(w.text for p in pdf.pages[:first_section] for w in p.words))
    assert squash(phrase("contents", lang)) in contents
    for title in expected:
        assert squash(title) in contents


def test_every_goal_requirement_and_weight_is_printed(case: tuple[A.Plan, Pdf, str]) -> None:
    plan, pdf, _lang = case
    text = squash(pdf.text())
    for goal in plan.all_goals():
        assert goal.number in text
        for req in goal.requirements:
            label = requirement_label(req)
            if label:
                assert squash(label) in text, (goal.number, label)


def test_english_build_has_no_danish_phrases(built: dict) -> None:  # type: ignore[type-arg]
    for example in EXAMPLES:
        _plan, pdf = built[(example.stem, "en")]
        text = pdf.text()
        for danish in ("Indholdsfortegnelse", "Indledning", "Opfølgning", ", den "):
            assert danish not in text, (example.stem, danish)
        assert "Copenhagen, on" not in text and "København, on" not in text


# --------------------------------------------------------------------------
# Page layout


def test_no_two_words_overlap(case: tuple[A.Plan, Pdf, str]) -> None:
    _plan, pdf, _lang = case
    assert_no_two_words_overlap(pdf)


def assert_no_two_words_overlap(pdf: Pdf) -> None:
    for page in pdf.pages:
        clashes = overlapping_words(page)
        assert not clashes, (page.number + 1, [(a.text, b.text) for a, b in clashes[:5]])


def test_nothing_outside_the_margins(case: tuple[A.Plan, Pdf, str]) -> None:
    _plan, pdf, _lang = case
    assert_nothing_outside_the_margins(pdf)


def assert_nothing_outside_the_margins(pdf: Pdf) -> None:
    for page in pdf.pages:
        for w in page.words:
            where = (page.number + 1, w.text)
            assert w.x0 >= MARGIN_X - 1 and w.x1 <= page.width - MARGIN_X + 1, where
            # The text area starts at the first line's cap height: parentheses and accents reach above it.
            assert w.top >= MARGIN_TOP - 0.25 * w.size, where
            if w.text == str(page.number + 1) and w.top > page.height - MARGIN_BOTTOM:
                continue  # the page number in the footer
            # The text area ends at the last line's baseline: descenders may hang below it.
            assert w.bottom <= page.height - MARGIN_BOTTOM + 0.3 * w.size, where


def test_no_heading_is_the_last_line_of_a_page(case: tuple[A.Plan, Pdf, str]) -> None:
    _plan, pdf, _lang = case
    assert_no_heading_is_the_last_line_of_a_page(pdf)


def assert_no_heading_is_the_last_line_of_a_page(pdf: Pdf) -> None:
    for title, index, top in pdf.bookmarks():
        page = pdf.pages[index]
        words = body_words(page)
        heading = [w for w in words if abs(w.top - top) < 25 and w.text in title.split()]
        assert heading, (title, index + 1)
        bottom = max(w.bottom for w in heading)
        below = [w for w in words if w.top > bottom + 1]
        assert below, f"heading {title!r} is the last line of page {index + 1}"


def test_both_signatures_are_on_one_page(case: tuple[A.Plan, Pdf, str]) -> None:
    plan, pdf, _lang = case
    header = plan.header or A.Header()
    assert_signatures_on_one_page(pdf, (header.director, header.head))


def assert_signatures_on_one_page(pdf: Pdf, signatories: tuple[A.Signatory | None, ...]) -> None:
    names = [squash(s.name) for s in signatories if s is not None]
    pages = [p for p in pdf.pages if all(n in squash(" ".join(w.text for w in p.words)) for n in names)]
    assert pages, f"{names} are not on one page"


def test_footnotes_are_numbered_from_one_and_each_printed_once(case: tuple[A.Plan, Pdf, str]) -> None:
    plan, pdf, _lang = case
    notes = [m.number for m in pdf.marks if m.in_notes]
    marks = {m.number for m in pdf.marks if not m.in_notes}
    assert notes == list(range(1, len(notes) + 1))
    assert marks == set(notes)
    used = {label for label in _footnote_refs(plan) if any(f.label == label for f in plan.footnotes)}
    assert len(notes) == len(used)


def _footnote_refs(plan: A.Plan) -> list[str]:
    found: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, A.FootnoteRef):
            found.append(node.label)
        elif isinstance(node, tuple | list):
            for child in node:
                visit(child)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                if name != "span":
                    visit(getattr(node, name))

    visit(plan)
    if plan.pay is not None and plan.pay.footnote:
        found.append(plan.pay.footnote)
    return found


def test_goal_cells_span_their_requirement_rows() -> None:
    """Requirements follow each other with no gap: each goal's number, area and text are cells
    spanning the goal's rows (the template's `mrpl-goal-table` gets the rows grouped by goal)."""
    plan = load(ROOT / "examples" / "siri-2020.mrp")
    source = render(plan, "typ")
    assert "table.cell(rowspan: rows, breakable: not keep" in source
    for goal in plan.all_goals():
        rows = len(goal.requirements) + (goal.preamble is not None) + (goal.postscript is not None)
        number = typst_markup(goal.number)
        start = source.index(f"(number: [{number}], area:")
        end = source.find("(number: [", start + 1)
        group = source[source.index("rows: ((", start) : end if end > 0 else None]
        assert len(re.findall(r"\), \(\[", group)) + 1 == max(rows, 1), goal.number


# --------------------------------------------------------------------------
# Determinism and confinement


def test_pdf_is_byte_deterministic_and_dated_by_the_plan(built: dict) -> None:  # type: ignore[type-arg]
    plan, pdf = built[("udlaendingestyrelsen-2022", "da")]
    assert render_bytes(plan, "pdf", "da") == pdf.data
    assert pdf.reader.metadata is not None
    assert pdf.reader.metadata["/CreationDate"].startswith("D:20211122")


def test_source_date_epoch_dates_a_plan_without_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    result = mrpl.load_string('plan {\n  titel "Plan"\n  styrelse "S"\n}\n', "undated.mrp")
    assert result.plan is not None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = render_bytes(result.plan, "pdf")
    assert b"D:20231114" in first
    assert render_bytes(result.plan, "pdf") == first


def test_the_document_cannot_read_files_outside_its_build_directory(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cret")
    for path in ("/etc/passwd", str(secret), "../secret.txt"):
        with pytest.raises(PdfError):
            compile_typst(f'#set document(title: "t")\n#read("{path}")\n')


# --------------------------------------------------------------------------
# Plan text never becomes Typst code

HOSTILE_LINES = (
    '#read("/etc/passwd") #panic() $x^2$ *bold* _emph_ `raw` <label> @ref',
    "// comment /* block */ \\ back\\slash ] [ ) \" quote ' apostrophe ~ nbsp",
    "= heading",
    "- bullet",
    "+ enum",
    "1. numbered",
    "/ term: description",
    "https://example.org -- en --- em ... dots -1 minus \\u{41} \\#",
    "#{ let x = 1 } #let y = 2 #set text(red) #show: none",
)

PREAMBLE = '#set document(title: "t")\n#set text(font: "Libertinus Serif")\n'
_TYPST_TEXT = st.text(st.sampled_from(list("ab æø 1.2:#$*_`<>@[]{}/\\=-+~'\"().,;!?\n\t")), min_size=1, max_size=40)


def _printed(lines: list[str]) -> list[str]:
    """Each line escaped into its own paragraph, compiled, and read back from the PDF."""
    body = "\n\n".join(f"QQ{i}QQ " + typst_markup(line) for i, line in enumerate(lines))
    pdf = Pdf(compile_typst(PREAMBLE + "#set text(hyphenate: false)\n#set page(width: 40cm)\n" + body))
    text = squash(pdf.text().replace("\x02", "-"))  # no hyphenation here: a hyphen ending a line is the text's
    parts = re.split(r"QQ\d+QQ", text)[1:]
    return parts


def test_hostile_text_prints_literally_in_typst() -> None:
    assert _printed(list(HOSTILE_LINES)) == [squash(line) for line in HOSTILE_LINES]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TYPST_TEXT, min_size=1, max_size=8))
def test_any_text_prints_literally_in_typst(lines: list[str]) -> None:
    lines = [line for line in lines if line.strip()] or ["x"]
    assert _printed(lines) == [squash(line) for line in lines]


def test_string_and_raw_contexts_escape_everything() -> None:
    nasty = 'a"b\\c\n#d")#panic()'
    source = f'#let s = "{typst_string(nasty)}"\n#s\n\n{typst_raw(nasty)}\n'
    text = squash(Pdf(compile_typst(PREAMBLE + source)).text())
    assert text == squash(nasty) * 2


def test_hostile_plan_builds_and_shows_its_text(tmp_path: Path) -> None:
    area = "#read(/etc/passwd) $x$ *b* _e_ `r` <l> @r ] [ = - +"
    source = (
        'plan {\n  titel "#panic() ]"\n  styrelse "S"\n  år 2022\n}\n'
        'afsnit 1 "A" {\n  mål 1.1 "' + area + '" {\n    tekst "= x"\n    vægt 100\n'
        '    resultatkrav a { tekst "- y" }\n  }\n}\n'
    )
    result = mrpl.load_string(source, "hostile.mrp")
    assert result.plan is not None
    goal = result.plan.all_goals()[0]
    pdf = Pdf(render_bytes(result.plan, "pdf"))
    text = squash(pdf.text())
    assert squash(goal.area) in text
    assert "root:" not in text
    assert pdf.reader.metadata is not None and pdf.reader.metadata.title == (result.plan.header or A.Header()).title


def test_pdfua_checker_finds_nothing(built: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    """The `pdfua` checker (a machine-checkable subset of PDF/UA-1) on every example, both languages."""
    from pdfua import validate

    for (stem, lang), (_plan, pdf) in built.items():
        path = tmp_path / f"{stem}-{lang}.pdf"
        path.write_bytes(pdf.data)
        report = validate(str(path))
        assert not report.findings, (stem, lang, [(f.rule_id, f.message) for f in report.findings][:5])


def test_a_short_goal_is_never_split_over_two_pages(case: tuple[A.Plan, Pdf, str]) -> None:
    """No requirement row stands alone on a page: a goal shorter than a third of a page (by its
    text) has its number and every requirement label on one page."""
    plan, pdf, _lang = case
    numbers = {g.number for g in plan.all_goals()}
    places = [
        (w.page, w.top, w.text)
        for p in pdf.pages
        for w in p.words
        if w.text in numbers and w.size < 10 and MARGIN_X + 2 < w.x0 < MARGIN_X + 8
    ]
    for goal in plan.all_goals():
        labels = [requirement_label(r) for r in goal.requirements if requirement_label(r)]
        size = len(goal.text.plain() if goal.text else "") + sum(
            len(r.text.plain()) for r in goal.requirements if r.text
        )
        if not labels or size > 500:
            continue
        mine = [(page, top) for page, top, text in places if text == goal.number]
        assert mine, goal.number
        page, top = mine[0]
        following = [t for p, t, _ in places if p == page and t > top + 1]
        bottom = min(following) if following else float("inf")
        words = [w.text for w in pdf.pages[page].words if top - 1 <= w.top < bottom]
        for label in labels:
            assert label.split()[0] in words, (goal.number, label, page + 1)


def test_every_example_builds_to_every_document_format(tmp_path: Path) -> None:
    """`mrplc build --to pdf --to typ --to tex --to docx --to md` for an example, through the CLI."""
    example = ROOT / "examples" / "udlaendingestyrelsen-2022.mrp"
    formats = ("pdf", "typ", "tex", "docx", "md")
    command = [sys.executable, "-m", "mrpl", "build", str(example), "-o", str(tmp_path), "--lang", "en"]
    for fmt in formats:
        command += ["--to", fmt]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert sorted(p.suffix for p in tmp_path.iterdir()) == sorted(f".{f}" for f in formats)
    assert (tmp_path / "udlaendingestyrelsen-2022.docx").read_bytes().startswith(b"PK")
    assert "#set document(" in (tmp_path / "udlaendingestyrelsen-2022.typ").read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# The allonge itself (`mrplc build ALLONGE --allonge --to pdf`)

ALLONGES = sorted((ROOT / "examples" / "allonger").glob("*.mrp"))
ALLONGE_CASES = [(a, lang) for a in ALLONGES for lang in ("da", "en")]


@pytest.fixture(scope="module", params=ALLONGE_CASES, ids=[f"{a.stem}-{lang}" for a, lang in ALLONGE_CASES])
def allonge_pdf(request: pytest.FixtureRequest) -> tuple[A.Plan, A.Amendment, Pdf, str]:
    from mrpl.render import render_amendment

    path, lang = request.param
    plan = load(path)
    amendment = plan.amendments[-1]  # the file's own allonge applies last
    return plan, amendment, Pdf(render_amendment(plan, amendment, "pdf", lang)), lang


def test_the_allonge_reads_as_a_signed_document(allonge_pdf: tuple[A.Plan, A.Amendment, Pdf, str]) -> None:
    from mrpl.render.allonge import build_amendment_document

    plan, amendment, pdf, lang = allonge_pdf
    doc = build_amendment_document(plan, amendment, lang)
    root = pdf.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and str(root["/Lang"]).split("-")[0] == lang
    assert pdf.reader.metadata is not None and pdf.reader.metadata.title == doc.title
    titles = [t for t, _, _ in pdf.bookmarks()]
    assert titles == [f"{s.heading.number} {s.heading.title}" for s in doc.sections]
    text = squash(pdf.text())
    for op in amendment.operations:
        assert squash(op.ref) in text, op.ref
    assert_no_two_words_overlap(pdf)
    assert_nothing_outside_the_margins(pdf)
    assert_no_heading_is_the_last_line_of_a_page(pdf)
    assert_signatures_on_one_page(pdf, (amendment.director, amendment.head))


def test_the_allonge_passes_the_pdfua_checker(
    allonge_pdf: tuple[A.Plan, A.Amendment, Pdf, str], tmp_path: Path
) -> None:
    from pdfua import validate

    _plan, _amendment, pdf, _lang = allonge_pdf
    path = tmp_path / "allonge.pdf"
    path.write_bytes(pdf.data)
    report = validate(str(path))
    assert not report.findings, [(f.rule_id, f.message) for f in report.findings][:5]
