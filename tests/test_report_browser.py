"""The portfolio page in a real browser: headless Chromium (Debian's) driven by Playwright.

Loads the page from disk (a file:// URL) as a reader's browser would and asserts what the
reader gets: no console errors, no request at all beyond the page itself, every agency and
total in the text, a screenshot that is a real picture, and no accessibility violation that
axe-core (the npm package .ci/run installs) finds. `pytest --update-goldens` also writes the
screenshot to docs/portfolio.png, for review by eye.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from mrpl.portfolio import load_portfolio, portfolio_data
from mrpl.render.portfolio import render_portfolio
from tests.test_portfolio import MINISTRY, ministry_copy

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module", params=["da", "en"])
def page_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = ministry_copy(tmp_path_factory.mktemp("portfolio"))
    page = folder.parent / f"portfolio-{request.param}.html"
    page.write_text(render_portfolio(portfolio_data(load_portfolio(str(folder)), request.param), "html"), "utf-8")
    return page


def test_page_loads_offline_without_errors(browser, page_file: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    console: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    assert console == []
    assert requests == [page_file.as_uri()], "the page asks for nothing but itself"
    text = page.inner_text("body")
    for agency in MINISTRY:
        assert agency in text
    assert "80 %" in text or "80%" in text  # Udlændingestyrelsen's year-end total
    assert page.locator("svg[role=img]").count() >= 6  # a goal chart per plan, progress charts
    page.close()


def test_screenshot_is_a_real_picture(browser, page_file: Path, request: pytest.FixtureRequest, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    page.goto(page_file.as_uri())
    lang = page_file.stem.rsplit("-", 1)[1]
    target = tmp_path / "portfolio.png"
    if request.config.getoption("--update-goldens"):
        target = ROOT / "docs" / ("portfolio.png" if lang == "da" else "portfolio-en.png")
    page.screenshot(path=str(target), full_page=False)
    page.close()
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 40_000, "a page with text and charts, not a blank one"


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: npm install --prefix .ci/node axe-core@4")
def test_accessibility_axe(browser, page_file: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(bypass_csp=True)  # the page's own policy forbids scripts, axe's too
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
    violations = [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]]
    assert violations == []
    assert len(result["passes"]) > 20
    context.close()


def test_headings_in_order_and_tables_with_headers(browser, page_file: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(page_file.as_uri())
    levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "els => els.map(e => Number(e.tagName[1]))")
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), "no heading level skipped"
    tables = page.locator("table").all()
    assert tables
    for table in tables:
        assert table.locator("caption").count() == 1
        assert table.locator("thead th[scope=col]").count() >= 3
        assert table.locator("tbody th[scope=row]").count() == table.locator("tbody tr").count()
    for svg in page.locator("svg").all():
        assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-labelledby")
    page.close()
