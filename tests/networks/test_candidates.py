"""Potential stakeholders of an LSR (card 2): contacted → interested → joined / declined."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from networks.models import Membership, PotentialStakeholder
from networks.services import candidates as services
from stakeholders.models import Organisation
from tests.builders import make_org

pytestmark = pytest.mark.django_db


def _candidate(user, lsr, **fields):
    data = {
        "name": "Biblioteka Publiczna w Żmudzi",
        "stakeholder_type": "C",
        "institution_kind": "culture",
        "sector": "public",
        "contact_note": "Rozmowa z dyrektorką.",
    }
    data.update(fields)
    return services.candidate_add(user=user, network=lsr, candidate=PotentialStakeholder(**data))


def test_joined_creates_the_organisation_and_its_membership(personas, lsr):
    animator = personas["animator"]
    candidate = _candidate(animator, lsr)
    assert candidate.status == "contacted"
    services.candidate_set_status(user=animator, candidate=candidate, status="interested")
    candidate = services.candidate_set_status(user=animator, candidate=candidate, status="joined")
    organisation = candidate.organisation
    assert (organisation.name, organisation.gmina_id) == (candidate.name, lsr.gmina_id)
    assert Membership.objects.filter(network=lsr, organisation=organisation).active().exists()
    assert candidate.history.count() == 3


def test_joined_links_an_existing_organisation(personas, lsr, territory):
    existing = make_org(territory["zmudz"], name="Biblioteka (w rejestrze)")
    candidate = _candidate(personas["animator"], lsr)
    candidate = services.candidate_set_status(
        user=personas["animator"], candidate=candidate, status="joined", organisation=existing
    )
    assert candidate.organisation == existing
    assert Organisation.objects.filter(name="Biblioteka Publiczna w Żmudzi").count() == 0


def test_a_refused_join_writes_nothing(personas, lsr, territory):
    """An organisation of another gmina that is not supra-local cannot join: no organisation,
    no membership, the candidate keeps its status."""
    foreign = make_org(territory["warsaw"], name="Firma z Warszawy")
    candidate = _candidate(personas["animator"], lsr)
    with pytest.raises(ValidationError) as exc:
        services.candidate_set_status(
            user=personas["animator"], candidate=candidate, status="joined", organisation=foreign
        )
    assert "organisation" in exc.value.error_dict
    candidate.refresh_from_db()
    assert candidate.status == "contacted" and candidate.organisation is None


def test_joined_and_declined_follow_the_workflow(personas, lsr):
    animator = personas["animator"]
    candidate = _candidate(animator, lsr)
    candidate = services.candidate_set_status(user=animator, candidate=candidate, status="declined")
    with pytest.raises(ValidationError):
        services.candidate_set_status(user=animator, candidate=candidate, status="interested")
    candidate = services.candidate_set_status(
        user=animator, candidate=candidate, status="contacted"
    )  # contacted again later
    candidate = services.candidate_set_status(user=animator, candidate=candidate, status="joined")
    with pytest.raises(ValidationError):
        services.candidate_set_status(user=animator, candidate=candidate, status="declined")


@pytest.mark.parametrize("persona", ["rops", "other_animator", "partner"])
def test_only_the_animator_keeps_the_list(personas, lsr, persona):
    with pytest.raises(PermissionDenied):
        _candidate(personas[persona], lsr)


def test_the_list_is_the_territorys_and_the_form_keeps_what_was_typed(personas, lsr, login):
    candidate = _candidate(personas["animator"], lsr)
    url = reverse("networks:candidate_list", args=[lsr.pk])
    assert login(personas["other_animator"]).get(url).status_code == 404
    assert login(personas["rops"]).get(url).status_code == 200
    client = login(personas["animator"])
    response = client.post(
        reverse("networks:candidate_create", args=[lsr.pk]),
        {"name": "", "stakeholder_type": "C", "contact_note": "Notatka zostaje"},
    )
    assert response.status_code == 200 and "Notatka zostaje" in response.content.decode()
    response = client.post(
        reverse("networks:candidate_status", args=[lsr.pk, candidate.pk]), {"status": "joined"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "joined"


def test_the_list_answers_in_constant_queries(personas, lsr, login, django_assert_max_num_queries):
    client = login(personas["animator"])
    url = reverse("networks:candidate_list", args=[lsr.pk])
    for i in range(2):
        _candidate(personas["animator"], lsr, name=f"Kandydat {i}")
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for i in range(20):
        _candidate(personas["animator"], lsr, name=f"Kandydat więcej {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_cards_1_and_2_link_to_their_homes(personas, full_lsr, login):
    from procedures.models import Card

    client = login(personas["animator"])
    list_url = reverse("networks:candidate_list", args=[full_lsr.pk])
    for number, home in ((1, "?kind=seminar"), (2, list_url)):
        card = Card.objects.filter(network=full_lsr, number=number).first()
        body = client.get(reverse("procedures:card_detail", args=[full_lsr.pk, card.pk]))
        assert home in body.content.decode()
