"""The agreement's "incomplete" box links to exactly the fields that fill each gap; a signed
agreement is a concluded document and asks for nothing."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ksr_portal.printing import agreements
from networks.models import Partnership, PartnershipMember

pytestmark = pytest.mark.django_db


def _links(agreement, text_start):
    item = next(m for m in agreement.missing if str(m).startswith(text_start))
    return dict(item.links)


def test_missing_identifiers_and_addresses_link_to_the_organisation_fields(full_lsr):
    with translation.override("en"):
        agreement = agreements.lsr_agreement(full_lsr)
        no_ids = _links(agreement, "No NIP, REGON or KRS")
        no_address = _links(agreement, "No address")
        goals = _links(agreement, "Not described yet")
    culture = full_lsr.memberships.get(organisation__name="Gminne Centrum Kultury").organisation
    edit = reverse("networks:organisation_edit", args=[full_lsr.pk, culture.pk])
    assert no_ids["Gminne Centrum Kultury"] == f"{edit}#id_nip"
    assert no_address["Gminne Centrum Kultury"] == f"{edit}#id_street"
    assert len(no_ids) == full_lsr.memberships.active().count()
    assert goals["vision"] == reverse("networks:goals", args=[full_lsr.pk]) + "#id_vision"
    html = render_to_string("printing/_agreement_body.html", {"agreement": agreement})
    assert f'<a href="{edit}#id_nip">' in html


def test_a_complete_party_is_not_linked(full_lsr):
    culture = full_lsr.memberships.get(organisation__name="Gminne Centrum Kultury").organisation
    culture.nip = "5260250274"
    culture.save()
    with translation.override("en"):
        no_ids = _links(agreements.lsr_agreement(full_lsr), "No NIP, REGON or KRS")
    assert "Gminne Centrum Kultury" not in no_ids


def test_a_signed_agreement_shows_no_draft_box(full_lsr, kis):
    partnership = Partnership.objects.create(
        network=full_lsr,
        name="Partnerstwo podpisane",
        goal="Cel",
        leader=kis,
        agreement_status="signed",
        signed_on=datetime.date(2026, 3, 2),
    )
    PartnershipMember.objects.create(
        partnership=partnership, organisation=kis, role="lider", contribution="Sala"
    )
    with translation.override("en"):
        signed = agreements.partnership_agreement(full_lsr, partnership)
        html = render_to_string("printing/_agreement_body.html", {"agreement": signed})
    assert signed.missing and signed.is_signed and not signed.draft_missing
    assert "agreement-missing" not in html and "before signing" not in html
    partnership.agreement_status = "draft"
    partnership.save()
    with translation.override("en"):
        draft = agreements.partnership_agreement(full_lsr, partnership)
        html = render_to_string("printing/_agreement_body.html", {"agreement": draft})
    assert "agreement-missing" in html and "to be completed before signing" in html
