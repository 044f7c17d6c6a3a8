"""Role-aware navigation: no link a role is offered leads to a 403. For every persona of the
demo, every link in the menu and on the pages the menu opens (the home page among them)
answers 200 or a redirect."""

import re

import pytest
from django.urls import reverse

PERSONAS = ["animator", "rops", "ksr", "partner", "admin"]
SKIP = ("/django-admin/", "/i18n/", "/konto/wylogowanie/", "/static/", "/media/")


class _NoLayoutHTML:
    def __init__(self, *args, **kwargs):
        pass

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-1.7 stub"


def _links(body, region):
    """The site's own links inside the menu ('nav') or the page's main content ('main')."""
    if region == "nav":
        start, end = body.find('<nav class="navbar'), body.find("</nav>")
    else:
        start, end = body.find('<main id="main"'), body.find("</main>")
    hrefs = re.findall(r'href="(/[^"#]*)', body[start:end])
    return {h.replace("&amp;", "&") for h in hrefs if not h.startswith(SKIP)}


def _menu(body):
    """The main menu's entries (not the brand, the account buttons or the bell)."""
    return set(re.findall(r'<a class="nav-link[^"]*" href="(/[^"]*)"', body))


@pytest.fixture
def browsing(client, monkeypatch):
    monkeypatch.setattr("ksr_portal.core.pdf.HTML", _NoLayoutHTML)
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_link_in_the_menu_or_on_the_pages_it_opens_is_forbidden(browsing, demo_site, persona):
    browsing.force_login(demo_site["users"][persona])
    home = browsing.get(reverse("home"), follow=True)
    assert home.status_code == 200
    body = home.content.decode()
    pages = {reverse("home")} | _links(body, "nav")
    links = set(pages) | _links(body, "main")
    for url in sorted(pages):
        response = browsing.get(url, follow=True)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            links |= _links(response.content.decode(), "main")
    wrong = {}
    for url in sorted(links):
        status = browsing.get(url).status_code
        if status not in (200, 302):
            wrong[url] = status
    assert wrong == {}, f"{persona} is offered links that do not open: {wrong}"


@pytest.mark.django_db
def test_each_role_is_offered_only_its_pages(client, demo_site):
    menus = {}
    for persona in PERSONAS:
        client.force_login(demo_site["users"][persona])
        menus[persona] = _menu(client.get(reverse("home"), follow=True).content.decode())
    assert reverse("ksr_portal:administration") in menus["admin"]
    assert all(reverse("ksr_portal:administration") not in menus[p] for p in PERSONAS[:-1])
    assert reverse("ksr_portal:my_tasks") in menus["partner"]
    assert reverse("stakeholders:gmina_list") not in menus["partner"]
    assert reverse("printing_batch:overview") in menus["partner"]
    # the role table decides, also for the superuser: an administrator has no "my tasks"
    assert reverse("ksr_portal:my_tasks") not in menus["admin"]
    # "Start" is not offered next to the entry it leads to
    for persona in ("ksr", "partner", "admin"):
        assert reverse("home") not in menus[persona], persona
    for persona in ("animator", "rops"):
        assert reverse("home") in menus[persona], persona


@pytest.mark.django_db
def test_a_partners_card_list_says_what_it_shows(client, demo_site):
    client.force_login(demo_site["users"]["partner"])
    body = client.get(reverse("procedures:card_list", args=[demo_site["network"].pk])).content
    assert b'id="partner-cards-note"' in body
    assert demo_site["users"]["partner"].organisation.name.encode() in body
    client.force_login(demo_site["users"]["animator"])
    body = client.get(reverse("procedures:card_list", args=[demo_site["network"].pk])).content
    assert b'id="partner-cards-note"' not in body
