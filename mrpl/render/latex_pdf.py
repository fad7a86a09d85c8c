"""Compiling the LaTeX output with pdflatex: how the tests prove `--to tex`
compiles (mrplc's own PDF comes from Typst, mrpl.render.pdf).

`latexmk` runs in a fresh temporary directory, shell escape off, TeX file
access confined to that directory, a time limit; the PDF and the log come out."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from mrpl.render.latex import source_file_key

TEX_PACKAGES = "texlive-latex-extra latexmk texlive-lang-european"
TIMEOUT_SECONDS = 180


class LatexError(Exception):
    """TeX is missing or the LaTeX run failed; the message says what to do."""


def _require_tex() -> str:
    latexmk = shutil.which("latexmk")
    if latexmk is None or shutil.which("pdflatex") is None:
        raise LatexError(f"PDF output needs pdflatex and latexmk: apt-get install {TEX_PACKAGES}")
    return latexmk


def compile_latex(tex: str, name: str = "plan", files: tuple[str, ...] = ()) -> tuple[bytes, str]:
    """Compile LaTeX text to PDF bytes and the TeX log; `files` are the plan's files, to name them in errors."""
    latexmk = _require_tex()
    with tempfile.TemporaryDirectory(prefix="mrplc-pdf-") as work:
        source = Path(work) / f"{name}.tex"
        source.write_text(tex, encoding="utf-8")
        env = {**os.environ, "openin_any": "p", "openout_any": "p", "TEXMFOUTPUT": work, **_generated_files_in(work)}
        command = [latexmk, "-pdf", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", source.name]
        try:
            subprocess.run(command, cwd=work, env=env, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise LatexError(f"pdflatex did not finish within {TIMEOUT_SECONDS} s") from None
        pdf = Path(work) / f"{name}.pdf"
        log = Path(work) / f"{name}.log"
        if not pdf.is_file():
            raise LatexError(tex_error(log.read_text("utf-8", "replace") if log.is_file() else "", tex, files))
        return pdf.read_bytes(), log.read_text("utf-8", "replace")


_ERROR = re.compile(r"^! (.*)$", re.M)
_LINE = re.compile(r"^l\.(\d+) ?(.*)$", re.M)


_MARKER = re.compile(r"^%mrpl-src:(\w+):(\d+)$")


def _generated_files_in(work: str) -> dict[str, str]:
    """Where TeX writes what it generates on the fly (fonts from mktexpk for a glyph such as
    the backquote's, format files, caches): inside the build directory, which is deleted
    afterwards, never the user's TEXMFVAR."""
    var = os.path.join(work, "texmf-var")
    return {"TEXMFVAR": var, "VARTEXFONTS": os.path.join(var, "fonts"), "TEXMFCACHE": var, "MT_FEATURES": "varfonts"}


def plan_location(tex: str, line: int, files: tuple[str, ...]) -> str | None:
    """`path:line` of the plan text nearest above a line of the generated LaTeX."""
    keys = {source_file_key(f): f for f in files}
    for text in reversed(tex.splitlines()[:line]):
        marker = _MARKER.match(text)
        if marker is not None:
            return f"{keys.get(marker.group(1), 'the plan')}:{marker.group(2)}"
    return None


def tex_error(log: str, tex: str, files: tuple[str, ...] = ()) -> str:
    """The first TeX error with the plan location it comes from (when traceable),
    the generated line and the log context."""
    error = _ERROR.search(log)
    if error is None:
        tail = "\n".join(log.splitlines()[-15:])
        return f"LaTeX failed without an error line; end of the log:\n{tail}"
    context = log[error.start() : error.start() + 600].splitlines()[:8]
    message = "LaTeX error: " + error.group(1)
    line = _LINE.search(log, error.start())
    if line is not None:
        number = int(line.group(1))
        lines = tex.splitlines()
        if 0 < number <= len(lines):
            where = plan_location(tex, number, files)
            if where is not None:
                # Inside a table TeX reports the end of the row, so this is the text nearest above.
                message = f"{where}: {message} (in or near the text that starts on this line)"
            message += f"\n  in the generated LaTeX, line {number}: {lines[number - 1][:200]}"
    return message + "\n" + "\n".join("  | " + c for c in context)
