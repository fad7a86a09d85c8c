"""The LaTeX output compiles, and hostile plan text stays text.

Every example's LaTeX is compiled with pdflatex (page count in a sane range;
the text holds every goal number, requirement label and weight). A hostile
plan renders its characters literally in Markdown (markdown-it HTML) and
LaTeX, and the TeX run reads and writes nothing outside its build directory.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import mrpl
from mrpl import ast as A
from mrpl.render import render
from mrpl.render.document import requirement_label
from mrpl.render.latex_pdf import LatexError, compile_latex, tex_error

ROOT = Path(__file__).resolve().parent.parent
# the examples, and each allonge as the consolidated plan (the plan as amended, with its log)
EXAMPLES = sorted((ROOT / "examples").glob("*.mrp")) + sorted((ROOT / "examples" / "allonger").glob("*.mrp"))
ALLONGES = sorted((ROOT / "examples" / "allonger").glob("*.mrp"))

needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="TeX Live and poppler-utils are needed",
)

HOSTILE_AREA = r"\input{/etc/passwd} \write18{touch x} % & $ _ # ~ ^ { } <script> [link](javascript:x) | end"
HOSTILE = (
    "plan {\n"
    '  titel "Mål- og resultatplan 2022"\n'
    '  ministerium "Ministeriet"\n'
    '  styrelse "Styrelsen <script>alert(1)</script>"\n'
    "  år 2022\n"
    "  periode 1. januar 2022 til 31. december 2022\n"
    '  direktør "Ann & Bo $5 50% #1"\n'
    "}\n"
    'afsnit 1 "Faglige | mål" {\n'
    '  mål 1.1 "' + HOSTILE_AREA + '" {\n'
    '    tekst "# leading hash \\\\input{/etc/passwd} \\\\[link\\\\](javascript:x) `code` <b>x</b> --- |"\n'
    "    vægt 100\n"
    "    resultatkrav a {\n"
    '      tekst "\\\\write18\\\\{touch x\\\\} 100% & $x$ ~ ^ _ #"\n'
    "    }\n"
    "  }\n"
    "}\n"
)


def load(path: Path) -> A.Plan:
    result = mrpl.load_file(str(path))
    assert result.plan is not None, result.diagnostics
    return result.plan


def hostile_plan() -> A.Plan:
    result = mrpl.load_string(HOSTILE, "hostile.mrp")
    assert result.plan is not None, result.diagnostics
    return result.plan


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------


_OVERFULL = re.compile(r"^Overfull \\hbox \(([\d.]+)pt too wide\)", re.M)
_REFERENCE_WARNINGS = re.compile(
    r"^LaTeX Warning: (?:Reference|Citation) .* undefined|There were undefined references", re.M
)


@needs_tex
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_latex_compiles_cleanly(example: Path, lang: str, tmp_path: Path) -> None:
    """pdflatex sets every example with no line more than 1 pt too wide and every reference resolved."""
    plan = load(example)
    pdf, log = compile_latex(render(plan, "tex", lang), example.stem)
    overfull = [float(w) for w in _OVERFULL.findall(log) if float(w) > 1]
    assert not overfull, f"Overfull \\hbox of {max(overfull)} pt"
    assert not _REFERENCE_WARNINGS.search(log)
    assert 3 <= pdf_pages(pdf, tmp_path) <= 40
    text = squash(pdf_text(pdf, tmp_path))
    for goal in plan.all_goals():
        assert goal.number in text
        for req in goal.requirements:
            label = requirement_label(req)
            if label:
                assert squash(label) in text, (goal.number, label)


@needs_tex
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("path", ALLONGES, ids=lambda p: p.stem)
def test_the_allonge_itself_latex_compiles_cleanly(path: Path, lang: str, tmp_path: Path) -> None:
    """`mrplc build ALLONGE --allonge --to tex`: a short document, set with no overfull line."""
    from mrpl.render import render_amendment

    plan = load(path)
    amendment = plan.amendments[-1]
    pdf, log = compile_latex(render_amendment(plan, amendment, "tex", lang).decode("utf-8"), path.stem)
    overfull = [float(w) for w in _OVERFULL.findall(log) if float(w) > 1]
    assert not overfull, f"Overfull \\hbox of {max(overfull)} pt"
    assert pdf_pages(pdf, tmp_path) <= 2
    text = squash(pdf_text(pdf, tmp_path))
    for op in amendment.operations:
        assert op.ref in text


def test_markdown_renders_hostile_text_literally() -> None:
    plan = hostile_plan()
    goal = plan.sections[0].goals[0]
    assert goal.text is not None and goal.requirements[0].text is not None
    md = render(plan, "md")
    out = MarkdownIt("gfm-like", options_update={"linkify": False}).render(md)
    assert "<script" not in out and "<b>" not in out and "<a " not in out and "<code>" not in out
    assert "<h1>leading" not in out
    visible = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert HOSTILE_AREA in visible
    assert "Styrelsen <script>alert(1)</script>" in visible
    assert "Ann & Bo $5 50% #1" in visible
    assert goal.text.plain() in visible
    assert goal.requirements[0].text.plain() in visible
    assert goal.text.plain().startswith("# leading hash")


def test_latex_escapes_every_special_character() -> None:
    tex = render(hostile_plan(), "tex")
    body = tex[tex.index(r"\begin{document}") :]
    assert r"\input{" not in body and r"\write18{" not in body
    assert r"\textbackslash{}input\{/\hspace{0pt}etc/\hspace{0pt}passwd\}" in body
    assert r"\% \& \$ \_ \# \textasciitilde{} \textasciicircum{} \{ \}" in body
    assert "<script>" not in body


@needs_tex
@pytest.mark.slow
def test_latex_pdf_shows_hostile_text_and_touches_nothing_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    pdf, _log = compile_latex(render(hostile_plan(), "tex"), "hostile")
    text = pdf_text(pdf, tmp_path)
    unhyphenated = text.replace("-\n", "")  # TeX hyphenates the narrow Område column
    assert squash(HOSTILE_AREA) in squash(unhyphenated)
    assert "root:" not in text  # /etc/passwd was not read in
    assert not (tmp_path / "x").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_tex_error_points_at_the_generated_line() -> None:
    log = "! Undefined control sequence.\nl.3 \\oops\n"
    message = tex_error(log, "a\nb\n\\oops here\n")
    assert "Undefined control sequence" in message
    assert "line 3: \\oops here" in message


@needs_tex
def test_a_tex_error_is_traced_to_the_plan_text() -> None:
    import mrpl
    from mrpl.render import render
    from mrpl.render.latex import source_marker

    plan_path = str(ROOT / "examples" / "udlaendingestyrelsen-2022.mrp")
    result = mrpl.load_file(plan_path)
    assert result.plan is not None
    assert result.plan.strategy is not None
    mission = result.plan.strategy.parts[0]
    assert isinstance(mission, A.StrategyPart) and mission.kind is A.StrategyKind.MISSION
    tex = render(result.plan, "tex", "da")
    marker = source_marker(mission.text.span)
    assert marker in tex
    broken = tex.replace(marker, marker + "\n\\undefinedmacro", 1)  # as if a template broke inside this text
    with pytest.raises(LatexError) as error:
        compile_latex(broken, "traced", result.files)
    expected = f"{plan_path}:{mission.text.span.line}: LaTeX error: Undefined control sequence"
    assert str(error.value).startswith(expected)


@needs_tex
def test_broken_latex_reports_the_error() -> None:
    with pytest.raises(LatexError, match="LaTeX error"):
        compile_latex("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n", "broken")


def test_pdf_needs_no_tex(tmp_path: Path) -> None:
    """`--to pdf` goes through Typst: it builds with no TeX (nothing at all) on PATH."""
    plan = tmp_path / "p.mrp"
    plan.write_text(HOSTILE)
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "mrpl", "build", str(plan), "--to", "pdf", "--force"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF-")
