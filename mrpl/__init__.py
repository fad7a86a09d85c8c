"""mrpl: a language and compiler for Danish state mål- og resultatplaner.

The public API, used by the `mrplc` command line and the language server:

    parse_string(text, path)   one file to a ParseResult (plan + syntax diagnostics)
    parse_file(path)           the same, read from disk
    load_file(path)            a plan with its imports resolved: LoadResult
    load_string(text, path)    the same from text
    check(result)              semantic diagnostics for a LoadResult

Heavy parts (templates, the language server) are imported only where used,
so `mrplc check` starts fast.
"""

from __future__ import annotations

from mrpl.gc_pause import collector_paused

# Importing the API makes ~30,000 tracked objects (classes, functions, the parser's tables), none of
# them garbage: the cyclic collector ran ~40 times over them while they were made, a few per
# cent of a cold `mrplc check`. It is paused meanwhile (see `collector_paused`).
with collector_paused():
    from mrpl.check import check  # light: no templates; note this makes `mrpl.check` the function
    from mrpl.load import LoadResult, SourceError, load_file, load_string, parse_file
    from mrpl.parse import ParseResult, parse_source

__version__ = "0.1.0"


def parse_string(text: str, path: str = "<input>") -> ParseResult:
    """Parse plan text (one file, imports left unresolved)."""
    return parse_source(text, path)


__all__ = [
    "LoadResult",
    "ParseResult",
    "SourceError",
    "__version__",
    "check",
    "load_file",
    "load_string",
    "parse_file",
    "parse_string",
]
