"""Write docs/pages/<example>-goals.png: the first goal-table page of each example's PDF.

Run after a layout change and look at the images before committing them:

    .venv/bin/python docs/page_images.py

The PDF comes from `mrplc build --to pdf` (Typst); the page is found by its
bookmark (the first goal section's heading) and rendered with poppler's
pdftoppm.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdf

import mrpl
from mrpl.render import render_bytes
from mrpl.render.document import build_document

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "pages"


def goal_page(pdf: bytes, heading: str) -> int:
    """The 1-based page of the bookmark titled `heading`."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    items = list(reader.outline)
    while items:
        item = items.pop(0)
        if isinstance(item, list):
            items[:0] = item
        elif str(item.title) == heading:
            return reader.get_destination_page_number(item) + 1
    raise LookupError(f"no bookmark {heading!r}")


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for example in sorted((ROOT / "examples").glob("*.mrp")):
        plan = mrpl.load_file(str(example)).plan
        assert plan is not None
        doc = build_document(plan, "da")
        tables = [t for s in doc.sections for t in s.tables]
        if not tables:
            continue
        pdf = render_bytes(plan, "pdf", "da")
        page = goal_page(pdf, f"{tables[0].heading.number} {tables[0].heading.title}")
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "plan.pdf"
            source.write_bytes(pdf)
            target = OUT / f"{example.stem}-goals"
            command = ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile"]
            subprocess.run([*command, str(source), str(target)], check=True)
        print(f"wrote {target.relative_to(ROOT)}.png (page {page})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
