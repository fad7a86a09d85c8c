"""Writing build outputs atomically, never over the plan's source."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputError(Exception):
    """An output path that must not be written (e.g. the source itself)."""


def output_path(source: str, out_dir: str | None, extension: str) -> Path:
    """`siri-2020.mrp` -> `<out_dir or source dir>/siri-2020<extension>`."""
    src = Path(source)
    directory = Path(out_dir) if out_dir else src.parent
    return directory / (src.stem + extension)


def write_atomic(path: Path, data: bytes, sources: list[str]) -> None:
    """Write through a temporary file in the target directory and `os.replace`,
    so readers never see half a file; refuse to overwrite any plan source."""
    target = path.resolve()
    if any(target == Path(s).resolve() for s in sources):
        raise OutputError(f"{path}: refusing to overwrite the plan's source")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
