"""The documents page (/dokumenty/): every printable in the user's scope, grouped by LSR, each
link one the user may open, constant queries."""

import re

import pytest
from django.urls import reverse

URL = reverse("printing_batch:overview")


class _NoLayoutHTML:
    def __init__(self, *args, **kwargs):
        pass

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-1.7 stub"


def _hrefs(body):
    main = body[body.index('<main id="main"') : body.index("</main>")]
    return re.findall(r'href="(/[^"]*)"', main)


@pytest.mark.django_db
class TestOnTheDemo:
    @pytest.fixture(autouse=True)
    def _pdf_stub(self, monkeypatch):
        monkeypatch.setattr("ksr_portal.core.pdf.HTML", _NoLayoutHTML)

    def _page(self, client, demo_site, persona):
        client.force_login(demo_site["users"][persona])
        response = client.get(URL)
        assert response.status_code == 200
        return response.content.decode()

    def test_animator_prints_agreements_letters_cards_and_reports_of_its_lsr(
        self, client, demo_site
    ):
        zmudz = demo_site["network"]
        body = self._page(client, demo_site, "animator")
        assert reverse("printing:agreement_pdf", args=[zmudz.pk]) in body
        assert reverse("printing:letters_pdf", args=[zmudz.pk, "zaproszenie"]) in body
        assert (
            reverse("procedures:card_pdf", args=[zmudz.pk, demo_site["objects"]["card_pk"]]) in body
        )
        evaluation = demo_site["objects"]["evaluation_pk"]
        assert reverse("evaluations:evaluation_report_pdf", args=[zmudz.pk, evaluation]) in body
        assert "agreements_batch" not in body and "/dokumenty/wojewodztwo/" not in body

    def test_rops_reads_cards_and_reports_but_prints_no_agreement(self, client, demo_site):
        zmudz = demo_site["network"]
        body = self._page(client, demo_site, "rops")
        assert (
            reverse("procedures:card_pdf", args=[zmudz.pk, demo_site["objects"]["card_pk"]]) in body
        )
        assert reverse("printing:agreement_pdf", args=[zmudz.pk]) not in body
        assert "/dokumenty/wojewodztwo/" not in body

    def test_partner_sees_its_organisations_cards_and_no_draft_report(self, client, demo_site):
        zmudz = demo_site["network"]
        body = self._page(client, demo_site, "partner")
        main_node_card = demo_site["objects"]["card_pk"]  # card 1: the main node's
        assert reverse("procedures:card_pdf", args=[zmudz.pk, main_node_card]) not in body
        assert reverse("printing:agreement_pdf", args=[zmudz.pk]) not in body
        evaluation = demo_site["objects"]["evaluation_pk"]
        assert reverse("evaluations:evaluation_report_pdf", args=[zmudz.pk, evaluation]) not in body

    def test_outsiders_see_nothing_of_the_lsr(self, client, demo_site):
        zmudz = demo_site["network"]
        for persona in ("other_animator", "other_partner"):
            body = self._page(client, demo_site, persona)
            assert f"/sieci/{zmudz.pk}/" not in body, persona

    def test_administrator_is_offered_every_voivodeship_batch(self, client, demo_site):
        body = self._page(client, demo_site, "admin")
        assert reverse("printing_batch:agreements_batch", args=["06"]) in body
        assert body.count("/dokumenty/wojewodztwo/") == 16

    @pytest.mark.parametrize("persona", ["animator", "rops", "ksr", "partner", "admin"])
    def test_every_link_on_the_page_opens(self, client, demo_site, persona):
        body = self._page(client, demo_site, persona)
        links = set(_hrefs(body))
        assert links
        wrong = {}
        for href in sorted(links):
            status = client.get(href).status_code
            if status not in (200, 302):
                wrong[href] = status
        assert wrong == {}

    def test_search_narrows_the_lsrs(self, client, demo_site):
        client.force_login(demo_site["users"]["admin"])
        body = client.get(URL, {"q": "żmudź"}).content.decode()
        assert f'id="lsr-{demo_site["network"].pk}"' in body
        assert body.count('class="card mb-3 lsr-documents"') == 1
        assert "Żadna LSR" in client.get(URL, {"q": "nie ma takiej"}).content.decode()
