"""The animation-information seminar (card 1): a meeting kind with the seed's agenda and
participants who need not be contacts of members, their names minimised."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from networks.services.networks import membership_add
from procedures.models import SeminarParticipant
from procedures.selectors.seminars import seminar_agenda_text, seminar_plan
from procedures.services import seminars as services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar(lsr):
    return factories.MeetingFactory(network=lsr, kind="seminar", agenda=seminar_agenda_text())


def _add(user, meeting, **fields):
    data = {"name": "Maria Kowalczyk", "role": "resident"}
    data.update(fields)
    return services.seminar_participant_add(
        user=user, meeting=meeting, participant=SeminarParticipant(**data)
    )


def test_the_agenda_is_the_seeds_plan():
    plan = seminar_plan()
    assert plan["form"] == "prelekcje i warsztaty"
    assert len(plan["agenda"]) == 5
    assert plan["agenda"][0].startswith("Wprowadzenie w tematykę modelu Krajowej Sieci")
    assert "5. Podsumowanie" in seminar_agenda_text()


def test_the_new_seminar_form_starts_with_the_agenda(personas, lsr, login):
    url = reverse("procedures:meeting_create", args=[lsr.pk]) + "?kind=seminar"
    response = login(personas["animator"]).get(url)
    assert "Wprowadzenie w tematykę modelu" in response.content.decode()
    assert response.context["form"].initial["kind"] == "seminar"


def test_participants_need_not_be_contacts_and_may_represent_a_candidate(personas, seminar):
    candidate = factories.PotentialStakeholderFactory(network=seminar.network, name="OSP Żmudź")
    participant = _add(personas["animator"], seminar, role="candidate", candidate=candidate)
    assert participant.organisation == "OSP Żmudź"
    other = factories.PotentialStakeholderFactory()
    with pytest.raises(ValidationError):
        _add(personas["animator"], seminar, role="candidate", candidate=other)


def test_only_a_seminar_takes_participants_and_only_the_animator_adds(personas, lsr, seminar):
    meeting = factories.MeetingFactory(network=lsr)
    with pytest.raises(Http404):
        _add(personas["animator"], meeting)
    for persona in ("rops", "partner", "other_animator"):
        with pytest.raises(PermissionDenied):
            _add(personas[persona], seminar)
    with pytest.raises(ValidationError):
        _add(personas["animator"], seminar, name="  ")


def test_names_are_seen_only_by_those_who_run_meetings(personas, seminar, kis, login):
    _add(personas["animator"], seminar, name="Tomasz Lis")
    url = reverse("procedures:meeting_detail", args=[seminar.network_id, seminar.pk])
    assert "Tomasz Lis" in login(personas["animator"]).get(url).content.decode()
    rops_page = login(personas["rops"]).get(url).content.decode()
    assert "Tomasz Lis" not in rops_page and 'id="participant-counts"' in rops_page
    membership_add(network=seminar.network, organisation=kis)
    partner = factories.UserFactory(role="partner", organisation=kis)
    partner_page = login(partner).get(url)
    assert partner_page.status_code == 200
    assert "Tomasz Lis" not in partner_page.content.decode()


def test_a_bad_participant_keeps_what_was_typed(personas, seminar, login):
    response = login(personas["animator"]).post(
        reverse("procedures:seminar_participant_add", args=[seminar.network_id, seminar.pk]),
        {"name": "", "organisation": "Koło Gospodyń Wiejskich", "role": "guest"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Koło Gospodyń Wiejskich"' in body and "is-invalid" in body
    assert not SeminarParticipant.objects.exists()


def test_remove_a_participant(personas, seminar, login):
    participant = _add(personas["animator"], seminar)
    response = login(personas["animator"]).post(
        reverse(
            "procedures:seminar_participant_remove",
            args=[seminar.network_id, seminar.pk, participant.pk],
        )
    )
    assert response.status_code == 302
    assert not SeminarParticipant.objects.exists()
