import re

import pytest

from ksr_portal.seed.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_PAGES = {
    "animator": ("/moje-lsr/", "Moje LSR"),
    "rops": ("/pulpit/region/06/", "Pulpit regionalny: województwo lubelskie"),
    "ksr": ("/pulpit/kraj/", "Pulpit krajowy"),
    "partner": ("/moje-zadania/", "Moje zadania"),
    "admin": ("/administracja/", "Administracja"),
}


@pytest.fixture
def demo(db):
    load_demo()


@pytest.mark.parametrize("username", list(HOME_PAGES))
def test_each_demo_role_lands_on_its_home_page(demo, page, log_in, username):
    path, heading = HOME_PAGES[username]
    log_in(username, DEMO_PASSWORD)
    assert page.url.endswith(path)
    assert page.get_by_role("heading", level=1).inner_text().startswith(heading)


def test_wrong_password_shows_polish_error(demo, page, log_in):
    log_in("animator", "not-the-password")
    assert re.search(r"/konto/logowanie/", page.url)
    alert = page.locator("#login-error")
    assert "Niepoprawna nazwa użytkownika lub hasło" in alert.inner_text()
    # the user name typed stays in the field
    assert page.get_by_label("Nazwa użytkownika").input_value() == "animator"


def test_logout_returns_to_login(demo, page, log_in):
    log_in("ksr", DEMO_PASSWORD)
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_url(re.compile(r"/konto/logowanie/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Logowanie do Portalu KSR"
