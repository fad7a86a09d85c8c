"""Shared pytest options."""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/* from the current renderer instead of comparing.",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """With MRPL_REQUIRE_ALL=1 (set by .ci/run) a skipped test fails: CI installs TeX, pandoc
    and the npm packages, so a skip there means an install step went missing."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("MRPL_REQUIRE_ALL") == "1" and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be skipped: {reason}"
