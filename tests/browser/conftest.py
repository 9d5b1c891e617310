"""Browser tests: Playwright (PyPI) driving Debian's chromium, headless, never downloaded.

Chromium must be at ``/usr/bin/chromium`` (``apt-get install -y chromium``; ``.ci/run``
installs it when missing). Without it these tests fail, saying so; they are never skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.server import EMAIL, PASSWORD, LiveServer

CHROMIUM = Path(os.environ.get("INKBOOK_TEST_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
# The README's pictures are retaken only when asked: a test run leaves the tree clean.
README_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
UPDATE_SCREENSHOTS = os.environ.get("INKBOOK_UPDATE_SCREENSHOTS") == "1"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")  # closed before other modules' asyncio tests run
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Chromium at {CHROMIUM}: install it with "
            "`apt-get update && apt-get install -y chromium` (Debian), or point "
            "INKBOOK_TEST_CHROMIUM at a Chromium binary",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: ``docs/screenshots`` with INKBOOK_UPDATE_SCREENSHOTS=1, else a
    temporary folder (the pictures are still taken, so the page is still rendered in full)."""
    return README_SCREENSHOTS if UPDATE_SCREENSHOTS else tmp_path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path).start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def page(browser: object, server: LiveServer) -> Iterator[object]:
    context = browser.new_context(base_url=server.url, viewport=PHONE)  # type: ignore[attr-defined]
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []  # a blocked script or style (CSP), a JavaScript error
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    expected = ("status of 403", "status of 401", "status of 409")  # the tests' own refusals
    assert [e for e in errors if not any(x in e for x in expected)] == []


def sign_in(page: object, email: str = EMAIL, password: str = PASSWORD,
            path: str = "/inbox") -> None:
    page.goto(path)  # type: ignore[attr-defined]
    page.get_by_label("Email").fill(email)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
