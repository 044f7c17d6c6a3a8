"""The legal pages: the accessibility statement in the ministry's structure, the RODO clause,
edited by the administrator only, linked from every page's footer and every personal-data form."""

import pytest
from django.urls import reverse

from ksr_portal.legal.models import AccessibilityStatement

TEMPLATE_IDS = [
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-data-sporzadzenie",
    "a11y-data-deklaracja-przeglad",
    "a11y-ocena",
    "a11y-kontakt",
    "a11y-osoba",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-architektura",
    "a11y-komunikacja",
    "a11y-aplikacje",
]


@pytest.mark.django_db
def test_the_statement_has_the_templates_elements_and_is_public(client):
    response = client.get(reverse("legal:accessibility"))
    assert response.status_code == 200
    body = response.content.decode()
    for element in TEMPLATE_IDS:
        assert f'id="{element}"' in body, element
    assert 'datetime="2026-12-01"' in body and "01.12.2026" in body
    assert "częściowo zgodna" in body  # the status, with the non-accessible content and why
    assert "Rzecznika Praw Obywatelskich" in body  # the complaint procedure
    assert "ustawy z dnia 4 kwietnia 2019 r. o dostępności cyfrowej" in body  # the act it follows


@pytest.mark.django_db
def test_the_rodo_clause_names_controller_data_basis_retention_rights_and_puodo(client):
    body = client.get(reverse("legal:privacy")).content.decode()
    for element in ("rodo-administrator", "rodo-dane", "rodo-cele", "rodo-okres", "rodo-prawa"):
        assert f'id="{element}"' in body
    assert "art. 6 ust. 1 lit. e RODO" in body
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in body


@pytest.mark.django_db
def test_only_the_administrator_edits_the_statement(client, personas):
    statement = AccessibilityStatement.objects.get()
    change = reverse("admin:legal_accessibilitystatement_change", args=[statement.pk])
    for role in ("animator", "rops", "ksr", "partner"):
        client.force_login(personas[role])
        assert client.get(change).status_code == 302  # to the administration's login
    client.force_login(personas["admin"])
    form = client.get(change)
    assert form.status_code == 200
    data = {
        f.name: f.value_from_object(statement)
        for f in AccessibilityStatement._meta.fields
        if f.name != "id"
    }
    data.update(status="compliant", updated_on="2027-01-15", published_on="2026-12-01")
    for name in ("prepared_on", "reviewed_on"):
        data[name] = data[name].isoformat()
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    body = client.get(reverse("legal:accessibility")).content.decode()
    assert 'datetime="2027-01-15"' in body and ">zgodna<" in body
    assert statement.history.first().status == "compliant"  # the change is in the history


@pytest.mark.django_db
def test_an_empty_table_still_shows_the_defaults(client):
    AccessibilityStatement.objects.all().delete()
    assert 'id="a11y-status"' in client.get(reverse("legal:accessibility")).content.decode()


@pytest.mark.django_db
class TestLinks:
    def test_every_page_links_the_statement_and_the_clause_in_its_footer(self, client, demo_site):
        # every page the URL walker opens checks the footer too (test_guards); these are the
        # pages without a login
        for url in (reverse("login"), reverse("password_reset"), reverse("legal:privacy")):
            body = client.get(url).content.decode()
            footer = body[body.index("<footer") :]
            assert reverse("legal:accessibility") in footer and reverse("legal:privacy") in footer

    @pytest.mark.parametrize(
        "persona,url_name,args",
        [
            ("animator", "networks:organisation_detail", ("pk", "org_pk")),
            ("animator", "networks:organisation_create", ("pk",)),
            ("animator", "accounts:invitation_create", ()),
            ("animator", "accounts:invitation_bulk", ()),
            ("animator", "accounts:profile", ()),
            ("animator", "surveys:interview_create", ("pk",)),
            (None, "answer:general", ("public_token",)),
            (None, "accounts:invitation_accept", ("invitation_uidb64", "invitation_link_token")),
        ],
    )
    def test_forms_that_collect_personal_data_link_the_rodo_clause(
        self, client, demo_site, persona, url_name, args
    ):
        if persona:
            client.force_login(demo_site["users"][persona])
        objects = demo_site["objects"]
        url = reverse(url_name, args=[objects[a] for a in args])
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        main = body[body.index('<main id="main"') : body.index("</main>")]
        assert 'class="small text-body-secondary rodo-notice"' in main
        assert f'href="{reverse("legal:privacy")}"' in main
