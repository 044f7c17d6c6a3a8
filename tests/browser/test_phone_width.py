"""No page is wider than a phone (issue 14 §9): the main pages of every role on the demo site at
390×844 fit the screen (``scrollWidth <= 390``), pass axe-core (no serious or critical violation,
see conftest), and have unique landmarks (one ``main``; every ``nav`` labelled, no two alike).
A screenshot of each page at 390×844, and of the four pages issue 14 names at 1366×768 too,
goes to ``tests/browser/artifacts/phone/``."""

from pathlib import Path

import pytest
from django.urls import reverse

from ksr_portal.seed.demo import DEMO_PASSWORD
from tests.builders import demo_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).parent / "artifacts" / "phone"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

LANDMARKS = """() => {
  const name = (el) => (el.getAttribute('aria-label')
    || (el.getAttribute('aria-labelledby') || '').split(' ')
         .map((id) => (document.getElementById(id) || {}).textContent || '').join(' ')).trim();
  const navs = [...document.querySelectorAll('nav, [role=navigation]')].map(name);
  return {mains: document.querySelectorAll('main, [role=main]').length, navs};
}"""


def _pages(objects: dict) -> dict[str, list[tuple[str, str]]]:
    pk = objects["pk"]

    def net(name: str, **kwargs) -> str:
        return reverse(name, kwargs={"pk": pk, **kwargs})

    return {
        "animator": [
            ("home", reverse("home")),
            ("lsr", net("networks:detail")),
            ("members", net("networks:member_list")),
            ("organisation", net("networks:organisation_detail", org_pk=objects["org_pk"])),
            (
                "partnership",
                net("networks:partnership_detail", partnership_pk=objects["partnership_pk"]),
            ),
            ("cards", net("procedures:card_list")),
            ("card", net("procedures:card_detail", card_pk=objects["card_pk"])),
            ("needs", net("procedures:need_list")),
            ("meetings", net("procedures:meeting_list")),
            ("monitoring", net("procedures:monitoring")),
            ("library", net("procedures:library")),
            ("surveys", net("surveys:campaign_list")),
            ("results", net("surveys:results", campaign_pk=objects["campaign_pk"])),
            ("evaluations", net("evaluations:evaluation_list")),
            ("documents", net("printing:documents")),
            ("my-tasks", reverse("ksr_portal:my_tasks")),
            ("notifications", reverse("notifications:list")),
        ],
        "partner": [
            ("home", reverse("home")),
            ("card", net("procedures:card_detail", card_pk=objects["partner_card_pk"])),
        ],
        "rops": [
            ("dashboard", reverse("dashboards:region", kwargs={"code": "06"})),
            ("steps", reverse("dashboards:region_steps", kwargs={"code": "06"})),
            ("lsr", net("networks:detail")),
        ],
        "ksr": [
            ("dashboard", reverse("dashboards:country")),
            ("networks", reverse("networks:list")),
        ],
        "admin": [
            ("home", reverse("home")),
            ("audit", reverse("ksr_portal:audit_log")),
        ],
    }


# issue 14: "the home, a card, the member list, the ROPS dashboard" also on a small laptop
LAPTOP_PAGES = {
    ("animator", "home"),
    ("animator", "card"),
    ("animator", "members"),
    ("rops", "dashboard"),
}


def _log_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/konto/logowanie/")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Zaloguj się").click()


def test_main_pages_of_every_role_fit_a_phone(page):
    from procedures.models import Card

    site = demo_site()
    partner_card = Card.objects.filter(
        network=site["network"], organisation=site["users"]["partner"].organisation
    ).first()
    site["objects"]["partner_card_pk"] = partner_card.pk  # a card of the partner's organisation
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    too_wide, landmarks, visited = [], [], 0
    for role, pages in _pages(site["objects"]).items():
        page.set_viewport_size(PHONE)
        _log_in(page, role)
        for name, url in pages:
            response = page.goto(url)  # checks axe
            assert response.status == 200, (role, url, response.status)
            visited += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{role} {url}: {width}px")
            found = page.evaluate(LANDMARKS)
            navs = found["navs"]
            if found["mains"] != 1 or "" in navs or len(set(navs)) != len(navs):
                landmarks.append(f"{role} {url}: {found}")
            page.screenshot(path=ARTIFACTS / f"{role}-{name}-390.png", full_page=True)
            if (role, name) in LAPTOP_PAGES:
                page.set_viewport_size(LAPTOP)
                page.screenshot(path=ARTIFACTS / f"{role}-{name}-1366.png")
                page.set_viewport_size(PHONE)
    assert visited >= 25
    assert not too_wide, "Pages wider than 390 px:\n" + "\n".join(too_wide)
    assert not landmarks, "Landmarks not unique:\n" + "\n".join(landmarks)
