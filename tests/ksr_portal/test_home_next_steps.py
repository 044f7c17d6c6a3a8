"""The animator's home says what to do next, per LSR, in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.models import MemberRole
from networks.services import networks as network_services
from procedures.models import Activity, Card
from procedures.services import cards as card_services
from stakeholders.models import InstitutionKind, Sector
from tests.builders import make_lsr, make_org
from tests.factories.apps import (
    MeetingFactory,
    MonitoringTermFactory,
    NeedFactory,
    NeedResponseFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
URL = reverse("ksr_portal:my_networks")


def _plan(network, number, position, days):
    activity = Activity.objects.get(
        card__network=network,
        card__number=number,
        position=position,
        card__organisation__isnull=False,
    )
    card_services.activity_update(
        activity=activity,
        expected_version=activity.version,
        planned_date=TODAY + datetime.timedelta(days=days),
        notes="",
    )
    return activity


def _busy(network):
    """An LSR with late and due activities, a need without answers and one with an offer."""
    _plan(network, 1, 1, -10)
    _plan(network, 1, 2, 5)
    NeedFactory(network=network, description="Sala na warsztaty")
    offered = NeedFactory(network=network, description="Transport na wycieczkę")
    NeedResponseFactory(need=offered)
    MeetingFactory(network=network, held_at=timezone.now() + datetime.timedelta(days=20))
    MonitoringTermFactory(network=network, due_date=TODAY + datetime.timedelta(days=40))


def test_home_names_what_to_do_next_per_lsr(client, personas, full_lsr):
    _busy(full_lsr)
    client.force_login(personas["animator"])
    body = client.get(URL).content.decode()
    block = body.split(f'id="next-lsr-{full_lsr.pk}"')[1].split("</article>")[0]
    card = Card.objects.get(network=full_lsr, number=1)
    late = block.split('class="next-overdue"')[1].split("</ul>")[0]
    assert f"Karta 1. {card.title} – czynność 1" in late and card.organisation.name in late
    assert f"#activity-{card.activities.get(position=1).pk}" in late
    due = block.split('class="next-due"')[1].split("</ul>")[0]
    assert "czynność 2" in due
    assert "Sala na warsztaty" in block.split('class="next-needs"')[1].split("</ul>")[0]
    assert "Transport na wycieczkę" in block.split('class="next-offers"')[1].split("</ul>")[0]
    assert "Następne posiedzenie" in block and "nie zaplanowano" not in block
    assert "nie wyznaczono" not in block


def test_unmet_conditions_come_with_their_fix_links(client, personas, lsr):
    client.force_login(personas["animator"])
    body = client.get(URL).content.decode()
    block = body.split(f'id="next-lsr-{lsr.pk}"')[1].split("</article>")[0]
    conditions = block.split('class="next-conditions"')[1].split("</ul>")[0]
    assert reverse("networks:member_add", args=[lsr.pk]) + "?stakeholder_type=C" in conditions
    assert reverse("networks:partnership_create", args=[lsr.pk]) in conditions
    assert reverse("procedures:meeting_create", args=[lsr.pk]) in block  # no meeting planned
    assert reverse("procedures:monitoring_term_create", args=[lsr.pk]) in block


def test_home_queries_do_not_grow_with_lsrs_and_activities(client, personas, full_lsr, territory):
    animator = personas["animator"]
    _busy(full_lsr)
    client.force_login(animator)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    animator.gminas.add(territory["rejowiec"])
    other = make_lsr(personas["admin"], territory["rejowiec"])
    kis = make_org(territory["rejowiec"], "A", InstitutionKind.KIS, Sector.NGO, name="KIS R.")
    network_services.membership_add(network=other, organisation=kis, role=MemberRole.MAIN_NODE)
    _busy(other)
    for position, days in ((1, -3), (2, 2), (3, 4)):
        _plan(full_lsr, 2, position, days)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert response.status_code == 200
    assert f'id="next-lsr-{other.pk}"' in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


def test_other_animators_lsr_is_not_listed(client, personas, full_lsr):
    _busy(full_lsr)
    client.force_login(personas["other_animator"])
    body = client.get(URL).content.decode()
    assert f'id="next-lsr-{full_lsr.pk}"' not in body and "Sala na warsztaty" not in body
