"""A refused action leaves nothing behind; "not yours" reads like "does not exist"."""

import pytest
from django.urls import reverse

from networks.models import Membership
from stakeholders.models import OperatingScope, Organisation
from tests.builders import make_org

pytestmark = pytest.mark.django_db

NEW = {
    "stakeholder_type": "C",
    "institution_kind": "ngo",
    "sector": "ngo",
    "operating_scope": "local",
}


def test_refused_new_organisation_is_not_saved(client, personas, lsr, territory):
    """A local organisation of another gmina may not join: neither it nor a membership stays."""
    client.force_login(personas["animator"])
    data = {**NEW, "name": "Stowarzyszenie z Rejowca", "gmina": territory["rejowiec"].pk}
    response = client.post(reverse("networks:organisation_create", args=[lsr.pk]), data)
    assert response.status_code == 200
    assert "supra-local" in response.content.decode() or "ponadlokaln" in response.content.decode()
    assert not Organisation.objects.filter(name="Stowarzyszenie z Rejowca").exists()
    assert not Membership.objects.filter(network=lsr).exists()


def test_duplicate_outside_scope_is_not_named(client, personas, lsr, territory):
    make_org(territory["warsaw"], "C", name="Fundacja Tajna Warszawska", nip="5260250274")
    make_org(territory["zmudz"], "C", name="Koło Gospodyń Żmudź", regon="123456785")
    client.force_login(personas["animator"])
    data = {**NEW, "name": "Nowa Fundacja", "gmina": territory["zmudz"].pk, "nip": "5260250274"}
    response = client.post(reverse("networks:organisation_create", args=[lsr.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and 'name="confirm_duplicate"' in body
    assert "Tajna" not in body and "Warszaw" not in body
    assert "already registered" in body or "już zarejestrowan" in body
    data = {**NEW, "name": "Inne Koło", "gmina": territory["zmudz"].pk, "regon": "123456785"}
    body = client.post(reverse("networks:organisation_create", args=[lsr.pk]), data).content
    assert "Koło Gospodyń Żmudź" in body.decode()  # in scope: named


def test_member_choices_hold_no_local_organisations_of_other_gminas(
    client, personas, lsr, territory
):
    make_org(territory["warsaw"], "C", name="Lokalna Warszawska")
    make_org(
        territory["warsaw"], "C", name="Krajowa Fundacja", operating_scope=OperatingScope.NATIONAL
    )
    make_org(
        territory["warsaw"],
        "C",
        name="Mazowiecka Regionalna",
        operating_scope=OperatingScope.REGIONAL,
    )
    make_org(
        territory["rejowiec"], "C", name="Powiatowa Chełmska", operating_scope=OperatingScope.COUNTY
    )
    make_org(territory["zmudz"], "C", name="Biblioteka Żmudź")
    client.force_login(personas["animator"])
    body = client.get(reverse("networks:member_add", args=[lsr.pk])).content.decode()
    assert "Biblioteka Żmudź" in body and "Krajowa Fundacja" in body
    assert "Powiatowa Chełmska" in body
    assert "Lokalna Warszawska" not in body and "Mazowiecka Regionalna" not in body
    hidden = Organisation.objects.get(name="Lokalna Warszawska")
    response = client.post(
        reverse("networks:member_add", args=[lsr.pk]),
        {"organisation": hidden.pk, "role": "member", "joined_on": "2026-01-01"},
    )
    assert response.status_code == 200 and "Warszaw" not in response.content.decode()
    assert not Membership.objects.filter(organisation=hidden).exists()
