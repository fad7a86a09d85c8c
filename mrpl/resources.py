"""Where the data files are: grammar/ and templates/ ship inside the wheel as
mrpl/grammar and mrpl/templates; in a source checkout they sit beside mrpl/."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def data_dir(kind: str) -> Path:
    """The directory `grammar` or `templates`, installed or in the checkout."""
    from pathlib import Path  # pathlib imports urllib: not needed to read a plan

    return Path(_data_dir(kind))


def _data_dir(kind: str) -> str:
    here = os.path.dirname(os.path.realpath(__file__))  # the installed package directory (never zipped)
    for candidate in (os.path.join(here, kind), os.path.join(os.path.dirname(here), kind)):
        if os.path.isdir(candidate):
            return candidate
    raise FileNotFoundError(f"{kind}/ is missing from the mrpl installation (looked in {here})")


def grammar_path(name: str) -> str:
    return os.path.join(_data_dir("grammar"), name)
