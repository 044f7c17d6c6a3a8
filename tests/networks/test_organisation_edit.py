"""Editing an organisation and its contact persons: gate, scope, history, kept input, cards."""

import pytest
from django.urls import reverse

from procedures.models import Card, CardStatus
from stakeholders.models import ContactPerson, Organisation

pytestmark = pytest.mark.django_db
VALID_NIP = "5260250274"


def _org(full_lsr, name="Gminne Centrum Kultury"):
    return full_lsr.memberships.get(organisation__name=name).organisation


def _data(org, **changes):
    data = {
        "name": org.name,
        "short_name": org.short_name,
        "stakeholder_type": org.stakeholder_type,
        "institution_kind": org.institution_kind,
        "sector": org.sector,
        "legal_form": org.legal_form,
        "operating_scope": org.operating_scope,
        "street": org.street,
        "postal_code": org.postal_code,
        "city": org.city,
        "gmina": org.gmina_id,
        "nip": org.nip,
        "regon": org.regon,
        "krs": org.krs,
        "email": org.email,
        "phone": org.phone,
        "website": org.website,
    }
    data.update(changes)
    return data


def test_animator_edits_an_organisation_and_history_keeps_the_editor(client, personas, full_lsr):
    org = _org(full_lsr)
    url = reverse("networks:organisation_edit", args=[full_lsr.pk, org.pk])
    client.force_login(personas["animator"])
    page = client.get(url)
    assert page.status_code == 200 and 'id="id_nip"' in page.content.decode()
    response = client.post(url, _data(org, nip="526-025-02-74", street="ul. Parkowa 3"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.nip == VALID_NIP and org.street == "ul. Parkowa 3"
    last = org.history.first()
    assert last.history_user == personas["animator"] and last.nip == VALID_NIP


def test_a_bad_nip_is_refused_at_the_field_and_in_the_summary_keeping_the_input(
    client, personas, full_lsr
):
    org = _org(full_lsr)
    client.force_login(personas["animator"])
    response = client.post(
        reverse("networks:organisation_edit", args=[full_lsr.pk, org.pk]),
        _data(org, nip="1234567890", street="ul. Wpisana 7"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_nip"' in body.split('id="error-summary"')[1].split("</div>")[0]
    assert 'value="ul. Wpisana 7"' in body and 'value="1234567890"' in body
    assert Organisation.objects.get(pk=org.pk).street != "ul. Wpisana 7"


def test_changing_the_type_resyncs_the_cards(client, personas, full_lsr):
    org = _org(full_lsr)
    client.force_login(personas["animator"])
    assert Card.objects.filter(network=full_lsr, organisation=org, number=11).exists()
    response = client.post(
        reverse("networks:organisation_edit", args=[full_lsr.pk, org.pk]),
        _data(org, stakeholder_type="B"),
    )
    assert response.status_code == 302
    card = Card.objects.get(network=full_lsr, organisation=org, number=11)
    assert card.status == CardStatus.NOT_APPLICABLE  # no longer a type C member


def test_edit_gate_outsiders_404_readers_403(client, personas, full_lsr):
    org = _org(full_lsr)
    url = reverse("networks:organisation_edit", args=[full_lsr.pk, org.pk])
    for name, expected in {
        "other_animator": 404,
        "rops": 403,
        "ksr": 403,
        "admin": 200,
    }.items():
        client.force_login(personas[name])
        assert client.get(url).status_code == expected, name
    client.force_login(personas["animator"])
    stranger = Organisation.objects.create(
        name="Obca",
        stakeholder_type="C",
        institution_kind="culture",
        sector="public",
        operating_scope="local",
        gmina=org.gmina,
    )
    assert (
        client.get(
            reverse("networks:organisation_edit", args=[full_lsr.pk, stranger.pk])
        ).status_code
        == 404
    )


def test_contact_person_is_edited_with_history(client, personas, full_lsr):
    org = _org(full_lsr)
    contact = ContactPerson.objects.create(
        organisation=org, name="Jan Kowalski", function="dyrektor", legal_basis="public_task"
    )
    url = reverse("networks:contact_edit", args=[full_lsr.pk, org.pk, contact.pk])
    client.force_login(personas["animator"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "", "function": "prezes", "legal_basis": "public_task"})
    assert bad.status_code == 400 and 'value="prezes"' in bad.content.decode()
    ok = client.post(
        url, {"name": "Jan Kowalski", "function": "prezes", "legal_basis": "public_task"}
    )
    assert ok.status_code == 302
    contact.refresh_from_db()
    assert contact.function == "prezes" and contact.history.count() == 2
    other = ContactPerson.objects.create(
        organisation=_org(full_lsr, "Firma Lokalna"), name="Ktoś", legal_basis="public_task"
    )
    assert (
        client.get(
            reverse("networks:contact_edit", args=[full_lsr.pk, org.pk, other.pk])
        ).status_code
        == 404
    )
