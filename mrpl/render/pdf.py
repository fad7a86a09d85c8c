"""PDF through pdflatex: `latexmk` in a fresh temporary directory, shell escape
off, TeX file access confined to that directory, a time limit, and only the
PDF copied out."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

TEX_PACKAGES = "texlive-latex-extra latexmk texlive-lang-european"
TIMEOUT_SECONDS = 180


class PdfError(Exception):
    """TeX is missing or the LaTeX run failed; the message says what to do."""


def _require_tex() -> str:
    latexmk = shutil.which("latexmk")
    if latexmk is None or shutil.which("pdflatex") is None:
        raise PdfError(f"PDF output needs pdflatex and latexmk: apt-get install {TEX_PACKAGES}")
    return latexmk


def build_pdf(tex: str, name: str = "plan") -> bytes:
    """Compile LaTeX text to PDF bytes."""
    latexmk = _require_tex()
    with tempfile.TemporaryDirectory(prefix="mrplc-pdf-") as work:
        source = Path(work) / f"{name}.tex"
        source.write_text(tex, encoding="utf-8")
        env = {**os.environ, "openin_any": "p", "openout_any": "p", "TEXMFOUTPUT": work}
        command = [latexmk, "-pdf", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", source.name]
        try:
            subprocess.run(command, cwd=work, env=env, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"pdflatex did not finish within {TIMEOUT_SECONDS} s") from None
        pdf = Path(work) / f"{name}.pdf"
        log = Path(work) / f"{name}.log"
        if not pdf.is_file():
            raise PdfError(tex_error(log.read_text("utf-8", "replace") if log.is_file() else "", tex))
        return pdf.read_bytes()


_ERROR = re.compile(r"^! (.*)$", re.M)
_LINE = re.compile(r"^l\.(\d+) ?(.*)$", re.M)


def tex_error(log: str, tex: str) -> str:
    """The first TeX error with its log context and the generated line."""
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
            message += f"\n  in the generated LaTeX, line {number}: {lines[number - 1][:200]}"
    return message + "\n" + "\n".join("  | " + c for c in context)
