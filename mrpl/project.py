"""Which files a plan may read: the project root and the import policy.

A plan's `importer` lines may only read plan files inside its *project root*:

- the nearest directory, from the root plan's own directory upwards, that holds a
  `mrpl.toml` file (a declared root: a ministry's repository of plans, where each
  agency's plan imports the group-wide goals from a sibling folder); or, when there is none,
- the root plan's own directory.

The checks happen on the resolved path (symbolic links followed), so neither `..`,
an absolute path nor a link can leave the root. What is read must be a regular file
ending in `.mrp` and at most `MAX_PLAN_BYTES` long; devices, pipes and directories
are refused before anything is opened, and the file is opened without blocking and
checked again on the open descriptor (nothing can be swapped in between).
docs/hardening.md describes the policy for users.
"""

from __future__ import annotations

import errno
import os
import stat

from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead

ROOT_MARKER = "mrpl.toml"
PLAN_SUFFIX = ".mrp"
MAX_PLAN_BYTES = 16_000_000  # the parser's limit too (MRP001): no plan comes near it


class SourceError(Exception):
    """A file cannot be read at all (I/O): exit code 2 for the root plan, MRP007 for an import."""


class NotAPlanFile(SourceError):
    """A directory, a device, a pipe or a link loop (MRP031 for an import)."""


class FileTooLarge(NotAPlanFile):
    """More than MAX_PLAN_BYTES (MRP001 for the root plan, MRP031 for an import)."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an import may not be read: the diagnostic code and its message."""

    code: str  # MRP030 outside the root, MRP031 not a plan file, MRP007 missing
    message: str


def project_root(plan_path: str) -> str:
    """The directory imports of the plan at `plan_path` are confined to (resolved, absolute)."""
    start = os.path.dirname(os.path.realpath(plan_path))
    directory = start
    while True:
        if os.path.isfile(os.path.join(directory, ROOT_MARKER)):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return start
        directory = parent


def is_inside(path: str, root: str) -> bool:
    """`path` (resolved) is `root` or lies below it."""
    return os.path.commonpath([path, root]) == root


def check_import(target: str, root: str) -> Refusal | None:
    """None when the import at `target` may be read; otherwise why not.

    `target` is the import's path joined to the importing file's directory."""
    try:
        resolved = os.path.realpath(target, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Refusal("MRP031", "it is a loop of symbolic links")
        lexical = os.path.realpath(target)  # the missing file would still have to lie inside
        if not is_inside(lexical, root):
            return Refusal("MRP030", _outside(root))
        return Refusal("MRP007", f"no such file (looked for {target})")
    if not is_inside(resolved, root):
        return Refusal("MRP030", _outside(root))
    try:
        info = os.stat(resolved)
    except OSError as exc:
        return Refusal("MRP007", f"cannot read it: {exc.strerror or exc}")
    what = _not_regular(info.st_mode)
    if what:
        return Refusal("MRP031", f"it is {what}, not a plan file")
    if not resolved.endswith(PLAN_SUFFIX):
        return Refusal("MRP031", f"only plan files (`{PLAN_SUFFIX}`) can be imported")
    if info.st_size > MAX_PLAN_BYTES:
        return Refusal("MRP031", f"it is {info.st_size / 1_000_000:.0f} MB; a plan is at most 16 MB")
    return None


def _outside(root: str) -> str:
    return (
        f"it lies outside the project root {root} (imports stay inside the plan's directory, "
        f"or inside the nearest directory above it that holds {ROOT_MARKER})"
    )


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_plan_bytes(path: str) -> bytes:
    """The bytes of a plan file, read without blocking and never more than MAX_PLAN_BYTES + 1
    of them (`/dev/zero` cannot fill memory). Raises FileTooLarge past the limit, NotAPlanFile
    for anything that is not a regular file, SourceError for other I/O errors."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAPlanFile(f"{path}: a loop of symbolic links") from exc
        if exc.errno == errno.EISDIR:
            raise NotAPlanFile(f"{path}: a directory, not a plan file") from exc
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        what = _not_regular(os.fstat(fd).st_mode)
        if what:
            raise NotAPlanFile(f"{path}: {what}, not a plan file")
        chunks: list[bytes] = []
        remaining = MAX_PLAN_BYTES + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        if remaining <= 0:
            raise FileTooLarge(f"{path}: larger than {MAX_PLAN_BYTES // 1_000_000} MB, too large to be a plan")
        return b"".join(chunks)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
