"""`mrplc build`: check the plan, render each format, write atomically."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import mrpl
from mrpl.render import EXTENSIONS, BackendUnavailable, render, render_amendment
from mrpl.render.output import OutputError, output_path, write_atomic
from mrpl.render.pdf import PdfError, build_pdf


class BuildError(Exception):
    """A format could not be produced; `unavailable` means exit 2, else 1."""

    def __init__(self, message: str, unavailable: bool = False) -> None:
        super().__init__(message)
        self.unavailable = unavailable


def produce(
    plan: mrpl.ast.Plan,
    fmt: str,
    lang: str,
    name: str,
    files: tuple[str, ...] = (),
    amendment: mrpl.ast.Amendment | None = None,
) -> bytes:
    """The bytes of one output format; `files` name the plan's files in TeX errors.
    With `amendment`, the allonge itself rather than the (consolidated) plan."""

    def text(target: str) -> str:
        if amendment is None:
            return render(plan, target, lang)
        if target not in ("md", "tex"):
            raise BuildError(f"--to {fmt}: an allonge is built as md, tex or pdf")
        return render_amendment(plan, amendment, target, lang)

    try:
        if fmt == "pdf":
            return build_pdf(text("tex"), name, files)
        return text(fmt).encode("utf-8")
    except BackendUnavailable as exc:
        raise BuildError(f"--to {fmt}: not available ({exc})", unavailable=True) from None
    except PdfError as exc:
        raise BuildError(str(exc), unavailable="apt-get install" in str(exc)) from None


def write_outputs(
    result: mrpl.LoadResult,
    source: str,
    formats: Iterable[str],
    out_dir: str | None,
    lang: str,
    amendment: mrpl.ast.Amendment | None = None,
) -> list[Path]:
    """Render and write each format; sources are never overwritten."""
    assert result.plan is not None
    written = []
    for fmt in dict.fromkeys(formats):
        target = output_path(source, out_dir, EXTENSIONS[fmt])
        data = produce(result.plan, fmt, lang, Path(source).stem, result.files, amendment)
        try:
            write_atomic(target, data, [source, *result.files])
        except OutputError as exc:
            raise BuildError(str(exc), unavailable=True) from None
        except OSError as exc:
            raise BuildError(f"{target}: {exc.strerror or exc}", unavailable=True) from None
        written.append(target)
    return written
