"""Issue 16 §1: writes that bypass the services (the admin site, a shell, cascades of
deletions) reach both dashboards at the next request too; the services' own writes are not
recomputed twice."""

import datetime
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ksr_portal.dashboards import freshness
from ksr_portal.dashboards.models import LsrSummary, RegionSummary
from ksr_portal.dashboards.summaries import regions_differences, summaries_differences
from networks.models import MemberRole, Network
from networks.services import networks as network_services
from procedures.models import Activity, Card
from stakeholders.models import InstitutionKind, Sector
from tests.builders import make_lsr, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(personas, territory, full_lsr):
    rejowiec = make_lsr(personas["admin"], territory["rejowiec"])
    ops = make_org(territory["rejowiec"], "B", InstitutionKind.SOCIAL_ASSISTANCE, Sector.PUBLIC)
    network_services.membership_add(network=rejowiec, organisation=ops, role=MemberRole.MAIN_NODE)
    return {"zmudz": full_lsr, "rejowiec": rejowiec}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose writes are committed: its on-commit callbacks run at its end (the test's
    own transaction never commits; the fixtures' notes wait for it and are set aside)."""

    @contextmanager
    def block(execute=True):
        freshness.forget_pending()
        with django_capture_on_commit_callbacks(execute=execute) as callbacks:
            yield callbacks

    return block


def figures(client, personas):
    """(the ROPS dashboard's roll-up of lubelskie, its row on the national dashboard)."""
    client.force_login(personas["rops"])
    region = client.get(reverse("dashboards:region", args=["06"])).context["summary"]
    client.force_login(personas["ksr"])
    country = client.get(reverse("dashboards:country")).context
    lubelskie = next(r for r in country["regions"] if r["voivodeship"].code == "06")["summary"]
    return region, lubelskie


def test_a_write_outside_the_services_shows_on_both_dashboards_after_its_commit(
    client, personas, region, committed
):
    assert [s["conditions"]["type_c"]["count"] for s in figures(client, personas)] == [1, 1]
    ended = region["zmudz"].memberships.filter(organisation__stakeholder_type="C")
    with committed(), transaction.atomic():
        for membership in ended:  # as the admin's inline form saves it: no service
            membership.joined_on = timezone.localdate() - datetime.timedelta(days=30)
            membership.left_on = timezone.localdate() - datetime.timedelta(days=1)
            membership.save()
    assert [s["conditions"]["type_c"]["count"] for s in figures(client, personas)] == [0, 0]
    assert summaries_differences() == [] and regions_differences() == []


def test_an_activity_edited_outside_the_services_is_traced_to_its_lsr(personas, region, committed):
    activity = Activity.objects.filter(card__network=region["rejowiec"]).first()
    with committed():
        activity.planned_date = timezone.localdate() - datetime.timedelta(days=2)
        activity.save()
    assert LsrSummary.objects.get(network=region["rejowiec"]).overdue == 1
    assert summaries_differences() == []


def test_an_organisation_edited_outside_the_services_updates_its_networks(
    personas, region, committed
):
    kis = region["zmudz"].memberships.get(role=MemberRole.MAIN_NODE).organisation
    assert LsrSummary.objects.get(network=region["zmudz"]).has_kis_main
    with committed():
        kis.institution_kind = InstitutionKind.CULTURE  # no longer a KIS
        kis.save()
    assert not LsrSummary.objects.get(network=region["zmudz"]).has_kis_main
    assert summaries_differences() == []


def test_deleting_an_lsr_in_the_admin_updates_its_voivodeship_at_once(
    client, personas, region, committed
):
    assert RegionSummary.objects.get(code="06").counts["total"] == 2
    client.force_login(personas["admin"])
    url = reverse("admin:networks_network_delete", args=[region["rejowiec"].pk])
    with committed():
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Network.objects.filter(pk=region["rejowiec"].pk).exists()
    assert RegionSummary.objects.get(code="06").counts["total"] == 1
    assert [s["total"] for s in figures(client, personas)] == [1, 1]
    assert summaries_differences() == [] and regions_differences() == []


def test_a_rolled_back_write_leaves_nothing_behind(personas, region, committed):
    card = Card.objects.filter(network=region["zmudz"]).first()
    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        card.title = "x"
        card.save()
        raise RuntimeError
    assert callbacks == []


def test_a_write_after_a_rolled_back_one_still_reaches_the_dashboards(personas, region, committed):
    """The notes of the rolled-back savepoint are gone with its callback: the next write of the
    same transaction takes new notes, with a callback of their own."""
    card = Card.objects.filter(network=region["zmudz"]).first()
    activity = Activity.objects.filter(card__network=region["rejowiec"]).first()
    with committed() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            card.title = "x"
            card.save()
            raise RuntimeError
        activity.planned_date = timezone.localdate() - datetime.timedelta(days=2)
        activity.save()
    assert len(callbacks) == 1
    assert LsrSummary.objects.get(network=region["rejowiec"]).overdue == 1


def test_the_services_writes_are_not_recomputed_again_at_commit(personas, region, committed):
    with committed(execute=False) as callbacks:
        network_services.membership_add(
            network=region["rejowiec"], organisation=make_org(region["rejowiec"].gmina, "C")
        )
    assert callbacks  # the signals took their notes ...
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    # ... and the commit finds them served by the service's own refresh: nothing recomputed
    assert not [q for q in queries.captured_queries if "dashboards_" in q["sql"]]
