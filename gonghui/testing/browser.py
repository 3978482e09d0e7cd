"""Browser tests (marked ``browser``): Debian's Chromium through Playwright, against the live server.

The live server needs committed data: these tests use ``transactional_db`` (the regions stay loaded, see
gonghui.testing.fixtures). Every page the browser opens is watched: a Content-Security-Policy violation or
a script error fails the test."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip


def is_csp_violation(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


def sign_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/orgs/")


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright (its own browser download cannot work here)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; the browser tests must run in CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A phone-sized page that fails the test on any CSP violation or uncaught script error."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if is_csp_violation(message.text) else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    yield page
    page.close()
    assert not problems, f"the browser reported: {problems}"
