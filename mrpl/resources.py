"""Where the data files are: grammar/ and templates/ ship inside the wheel as
mrpl/grammar and mrpl/templates; in a source checkout they sit beside mrpl/."""

from __future__ import annotations

from pathlib import Path


def data_dir(kind: str) -> Path:
    """The directory `grammar` or `templates`, installed or in the checkout."""
    here = Path(__file__).resolve().parent  # the installed package directory (never zipped)
    for candidate in (here / kind, here.parent / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"{kind}/ is missing from the mrpl installation (looked in {here})")


def grammar_path(name: str) -> str:
    return str(data_dir("grammar") / name)
