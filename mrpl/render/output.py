"""Writing build outputs atomically, never over the plan's source."""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from mrpl.files import replace_atomically


class OutputError(Exception):
    """An output path that must not be written (e.g. the source itself)."""


def output_path(source: str, out_dir: str | None, extension: str) -> Path:
    """`siri-2020.mrp` -> `<out_dir or source dir>/siri-2020<extension>`; a Python module
    gets a name `import` can load: `siri_2020.py`."""
    src = Path(source)
    directory = Path(out_dir) if out_dir else src.parent
    stem = module_name(src.stem) if extension == ".py" else src.stem
    return directory / (stem + extension)


def module_name(stem: str) -> str:
    """A Python identifier for a file stem: other characters become `_`, a leading digit
    or a keyword gets one more `_` (`2022-plan` -> `_2022_plan`, `import` -> `import_`)."""
    name = re.sub(r"\W", "_", stem) or "_"
    if name[0].isdigit():
        name = "_" + name
    return name + "_" if keyword.iskeyword(name) else name


def write_atomic(path: Path, data: bytes, sources: list[str]) -> None:
    """Replace `path` in one step (readers never see half a file); refuse to overwrite
    any plan source."""
    target = path.resolve()
    if any(target == Path(s).resolve() for s in sources):
        raise OutputError(f"{path}: refusing to overwrite the plan's source")
    replace_atomically(path, data)
