"""`mrplc build`: check the plan, render each format, write atomically."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import mrpl
from mrpl.render import AMENDMENT_FORMATS, EXTENSIONS, BackendUnavailable, render_amendment, render_bytes
from mrpl.render.output import OutputError, output_path, write_atomic
from mrpl.render.pdf import PdfError


class BuildError(Exception):
    """A format could not be produced; `unavailable` means exit 2, else 1."""

    def __init__(self, message: str, unavailable: bool = False) -> None:
        super().__init__(message)
        self.unavailable = unavailable


def produce(plan: mrpl.ast.Plan, fmt: str, lang: str, amendment: mrpl.ast.Amendment | None = None) -> bytes:
    """The bytes of one output format; with `amendment`, the allonge itself rather than the
    (consolidated) plan."""
    try:
        if amendment is None:
            return render_bytes(plan, fmt, lang)
        if fmt not in AMENDMENT_FORMATS:
            raise BuildError(f"--to {fmt}: an allonge is built as {', '.join(AMENDMENT_FORMATS)}", unavailable=True)
        return render_amendment(plan, amendment, fmt, lang)
    except BackendUnavailable as exc:
        raise BuildError(f"--to {fmt}: not available ({exc})", unavailable=True) from None
    except PdfError as exc:
        raise BuildError(str(exc)) from None


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
        data = produce(result.plan, fmt, lang, amendment)
        try:
            write_atomic(target, data, [source, *result.files])
        except OutputError as exc:
            raise BuildError(str(exc), unavailable=True) from None
        except OSError as exc:
            raise BuildError(f"{target}: {exc.strerror or exc}", unavailable=True) from None
        written.append(target)
    return written
