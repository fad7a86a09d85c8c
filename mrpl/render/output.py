"""Writing build outputs atomically, never over the plan's source."""

from __future__ import annotations

from pathlib import Path

from mrpl.files import replace_atomically


class OutputError(Exception):
    """An output path that must not be written (e.g. the source itself)."""


def output_path(source: str, out_dir: str | None, extension: str) -> Path:
    """`siri-2020.mrp` -> `<out_dir or source dir>/siri-2020<extension>`."""
    src = Path(source)
    directory = Path(out_dir) if out_dir else src.parent
    return directory / (src.stem + extension)


def write_atomic(path: Path, data: bytes, sources: list[str]) -> None:
    """Replace `path` in one step (readers never see half a file); refuse to overwrite
    any plan source."""
    target = path.resolve()
    if any(target == Path(s).resolve() for s in sources):
        raise OutputError(f"{path}: refusing to overwrite the plan's source")
    replace_atomically(path, data)
