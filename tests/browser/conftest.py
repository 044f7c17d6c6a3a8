"""Playwright driving Debian's Chromium against pytest-django's live server.

Every page a browser test visits is checked with axe-core: `page.goto` runs the check after
loading, tests call `assert_accessible(page)` after form submissions, and the last page is
checked when the test ends. Serious or critical violations fail the test.

Journeys call `journey_step(name)` on every page they want looked at on both screens: axe at
390×844 and 1366×768, nothing wider than the screen at either size, and a full-page screenshot
of each under tests/browser/artifacts/<module>/ (git-ignored).
"""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SCREENS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 768}}
# the elements that stick out on the right (outside a scrolling table), to name the culprit
STICKING_OUT = """(width) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 1
               && !e.parentElement.closest('.table-responsive'))
  .slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className)"""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _violations(axe, page) -> list[str]:
    results = axe.run(page)
    found = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") in BLOCKING_IMPACTS:
            targets = [node.get("target") for node in violation.get("nodes", [])][:5]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}"
            )
    return found


@pytest.fixture
def assert_accessible(axe):
    def check(page):
        page.wait_for_load_state("load")
        problems = _violations(axe, page)
        assert not problems, f"Accessibility violations on {page.url}:\n" + "\n".join(problems)

    return check


@pytest.fixture
def page(browser, live_server, assert_accessible):
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    original_goto = page.goto

    def goto(url, **kwargs):
        response = original_goto(url, **kwargs)
        assert_accessible(page)
        return response

    page.goto = goto
    yield page
    try:
        if page.url.startswith(live_server.url):
            assert_accessible(page)
    finally:
        context.close()


@pytest.fixture
def log_in(page, assert_accessible):
    def _log_in(username, password):
        page.goto("/konto/logowanie/")
        page.get_by_label("Nazwa użytkownika").fill(username)
        page.get_by_label("Hasło").fill(password)
        page.get_by_role("button", name="Zaloguj się").click()
        page.wait_for_load_state("load")
        assert_accessible(page)
        return page

    return _log_in


@pytest.fixture
def journey_step(request, page, assert_accessible):
    """`journey_step(name)`: the current page on a phone and on a laptop, then the test's own size.

    At 390×844 and at 1366×768: axe (no serious or critical violation), ``scrollWidth`` no wider
    than the screen, and a full-page screenshot ``<name>-390.png`` / ``<name>-1366.png``.
    """
    folder = ARTIFACTS / request.module.__name__.rpartition(".")[2].removeprefix("test_")
    folder.mkdir(parents=True, exist_ok=True)

    def step(name):
        own_size = page.viewport_size
        page.wait_for_load_state("load")
        for label, size in SCREENS.items():
            page.set_viewport_size(size)
            assert_accessible(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], (
                f"{name}: {page.url} is {width} px wide on a {label} px screen: "
                f"{page.evaluate(STICKING_OUT, size['width'])}"
            )
            page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
        if own_size:
            page.set_viewport_size(own_size)

    return step
