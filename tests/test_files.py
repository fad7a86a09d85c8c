"""`replace_atomically`: one step, permissions kept, nothing left behind on failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mrpl.files import replace_atomically


def test_a_new_file_is_an_ordinary_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "plan.md"
    replace_atomically(target, b"# Plan\n")
    assert target.read_bytes() == b"# Plan\n"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "plan.mrp"
    target.write_text("old")
    target.chmod(0o640)
    replace_atomically(target, "ny æøå".encode())
    assert target.read_text(encoding="utf-8") == "ny æøå"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.mrp"
    target.write_text("old")

    def refuse(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        replace_atomically(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.mrp"]
