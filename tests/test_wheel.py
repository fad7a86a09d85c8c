"""The wheel carries grammar/ and templates/ and works outside the checkout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        check=True,
        cwd=out,
    )
    (whl,) = out.glob("mrpl-*.whl")
    return whl


def test_wheel_contains_every_package_grammar_and_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for module in (ROOT / "mrpl").rglob("*.py"):
        assert str(module.relative_to(ROOT)) in names, f"{module} is missing from the wheel (pyproject packages)"
    assert "mrpl/grammar/mrpl.lark" in names
    assert "mrpl/lalr_tables.py" in names and "mrpl/grammar/mrpl.scanners.json" in names
    assert any(n.startswith("mrpl/lsp_code.") and n.endswith(".marshal") for n in names)  # mrpl/codecache.py
    assert "mrpl/grammar/keywords.tsv" in names
    assert any(n.startswith("mrpl/templates/") for n in names)


def test_installed_wheel_parses_an_example_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # The dependencies come from the running environment's site-packages (no network needed). Paths
    # listed in a .pth are plain sys.path entries: the checkout's editable install is not activated,
    # and the wheel's own mrpl in the venv comes first.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "deps-from-test-runner.pth").write_text("\n".join(p for p in sys.path if "site-packages" in p) + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, cwd=tmp_path)
    shutil.copytree(ROOT / "examples", tmp_path / "plans")
    where = subprocess.run(
        [str(python), "-c", "import mrpl; print(mrpl.__file__)"],
        check=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    ).stdout
    assert str(env_dir) in where, where
    plan = tmp_path / "plans" / "siri-2020.mrp"
    done = subprocess.run(
        [str(env_dir / "bin" / "mrplc"), "parse", str(plan)], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    tree = json.loads(done.stdout)
    numbers = [g["number"] for s in tree["sections"] for g in s["goals"]]
    assert "1.4" in numbers and "2.3" in numbers
