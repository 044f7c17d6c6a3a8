"""Playwright driving Debian's Chromium against pytest-django's live server.

Every page a browser test visits is checked with axe-core: `page.goto` runs the check after
loading, tests call `assert_accessible(page)` after form submissions, and the last page is
checked when the test ends. Serious or critical violations fail the test.
"""

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
