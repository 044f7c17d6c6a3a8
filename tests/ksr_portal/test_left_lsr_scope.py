"""An organisation that has left an LSR sees none of that LSR's cards, activities, needs or
deficiencies on "my tasks": the same active-membership rule as the network pages."""

import datetime

import pytest
from django.urls import reverse

from ksr_portal.evaluations.models import Deficiency, Evaluation
from ksr_portal.evaluations.selectors import open_deficiencies_for
from networks.models import MemberRole
from networks.services import networks as network_services
from procedures.models import Activity, Card, Need
from procedures.selectors import cards as selectors

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def partner_of_culture(full_lsr, personas):
    culture = full_lsr.memberships.get(organisation__name="Gminne Centrum Kultury").organisation
    kis = full_lsr.memberships.get(role=MemberRole.MAIN_NODE).organisation
    need = Need.objects.create(
        network=full_lsr, posted_by=kis, kind="premises", description="Sala", needed_when="maj"
    )
    need.addressees.add(culture)
    evaluation = Evaluation.objects.create(
        network=full_lsr,
        title="E",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 2, 1),
        evaluators="Z",
    )
    Deficiency.objects.create(
        evaluation=evaluation,
        text="Brak planu",
        obliged=culture,
        deadline=datetime.date(2030, 1, 1),
    )
    Activity.objects.filter(card__organisation=culture).update(
        planned_date=TODAY - datetime.timedelta(days=3)
    )
    partner = personas["partner"]
    partner.organisation = culture
    partner.save()
    return partner, culture


def test_member_sees_its_lsr_work(partner_of_culture):
    partner, _culture = partner_of_culture
    assert selectors.my_cards(user=partner).exists()
    assert selectors.my_overdue_activities(user=partner).exists()
    assert selectors.my_needs(user=partner).count() == 1
    assert open_deficiencies_for(partner).count() == 1


def test_former_member_sees_nothing_of_that_lsr(partner_of_culture, full_lsr, login):
    partner, culture = partner_of_culture
    membership = full_lsr.memberships.get(organisation=culture)
    network_services.membership_end(membership=membership, left_on=TODAY)
    partner = type(partner).objects.get(pk=partner.pk)  # a fresh scope
    assert Card.objects.filter(organisation=culture).exists()  # the history stays
    assert not selectors.my_cards(user=partner).exists()
    assert not selectors.my_overdue_activities(user=partner).exists()
    assert not selectors.my_needs(user=partner).exists()
    assert not open_deficiencies_for(partner).exists()
    assert not Need.objects.for_user(partner).exists()
    assert not Deficiency.objects.for_user(partner).exists()
    page = login(partner).get(reverse("ksr_portal:my_tasks"))
    assert page.status_code == 200
    assert "Brak planu" not in page.content.decode() and "Sala" not in page.content.decode()
