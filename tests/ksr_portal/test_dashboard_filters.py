"""Dashboard filters and sorts of issue 14 §5: "no meeting / no monitoring for N months", the
headline links, the voivodeship column of the national list, and the maintained roll-ups."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ksr_portal.dashboards.models import RegionSummary
from ksr_portal.dashboards.queries import months_before
from ksr_portal.dashboards.summaries import regions_differences, summaries_refresh
from tests.builders import make_lsr
from tests.factories import GminaFactory, MeetingFactory, MonitoringTermFactory

pytestmark = pytest.mark.django_db


def _ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def three(personas, territory):
    """Three LSRs in powiat chełmski: last met 7 months ago, last met a month ago, never met;
    monitoring due 8 months ago, 2 weeks ago, never."""
    made = {}
    for i, name in enumerate(("old", "recent", "never")):
        gmina = GminaFactory(county=territory["chelmski"], code=f"0603{70 + i:02d}2", name=name)
        made[name] = make_lsr(personas["admin"], gmina)
    MeetingFactory(network=made["old"], held_at=_ago(213))
    MeetingFactory(network=made["recent"], held_at=_ago(30))
    MeetingFactory(network=made["recent"], held_at=_ago(400))
    MonitoringTermFactory(network=made["old"], due_date=date.today() - timedelta(days=240))
    MonitoringTermFactory(network=made["recent"], due_date=date.today() - timedelta(days=14))
    summaries_refresh(network_ids=[n.pk for n in made.values()])
    return made


def _listed(response, made) -> list[str]:
    ours = {n.pk: name for name, n in made.items()}
    return [ours[r.pk] for r in response.context["rows"] if r.pk in ours]


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(date(2026, 12, 1), 6) == date(2026, 6, 1)
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 3, 15), 15) == date(2024, 12, 15)


def test_no_meeting_for_six_months_filters_and_sorts(client, personas, three):
    client.force_login(personas["rops"])
    url = reverse("dashboards:region", args=["06"])
    response = client.get(url, {"bez_posiedzenia": 6, "sort": "last_meeting"})
    assert response.status_code == 200
    assert _listed(response, three) == ["never", "old"]  # never met first, then the oldest
    response = client.get(url, {"bez_posiedzenia": 12})
    assert _listed(response, three) == ["never"]


def test_no_monitoring_for_six_months(client, personas, three):
    client.force_login(personas["ksr"])
    response = client.get(
        reverse("dashboards:lsr_list"), {"bez_monitoringu": 6, "sort": "last_monitoring"}
    )
    assert _listed(response, three) == ["never", "old"]


@pytest.mark.parametrize("bad", ["0", "-3", "abc", "1000", "6.5"])
def test_bad_months_are_a_message_at_the_field_not_an_error(client, personas, three, bad):
    client.force_login(personas["rops"])
    response = client.get(reverse("dashboards:region", args=["06"]), {"bez_posiedzenia": bad})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_bez_posiedzenia-error"' in body
    assert f'value="{bad}"' in body  # what was typed stays
    assert set(_listed(response, three)) == {"old", "recent", "never"}  # not applied


def test_headline_links_count_and_open_the_filtered_table(client, personas, three):
    client.force_login(personas["rops"])
    response = client.get(reverse("dashboards:region", args=["06"]))
    summary = response.context["summary"]
    stale = client.get(reverse("dashboards:region", args=["06"]), {"bez_posiedzenia": 6})
    assert summary["no_meeting"] == stale.context["row_count"] >= 2
    body = response.content.decode()
    assert "?bez_posiedzenia=6&amp;sort=last_meeting" in body
    # the table sits right under the headline figures, before the charts
    assert (
        body.index('id="lsr-filters"')
        < body.index('id="lsr-table"')
        < body.index('class="ksr-chart')
    )
    country = client.get(reverse("dashboards:country"))
    assert country.status_code == 403  # a ROPS coordinator has no national dashboard


def test_table_marks_overdue_and_stale_rows(client, personas, three):
    client.force_login(personas["rops"])
    body = client.get(reverse("dashboards:region", args=["06"])).content.decode()
    row = body[body.index(f'<tr data-lsr="{three["never"].teryt_code}"') :]
    row = row[: row.index("</tr>")]
    assert "text-danger" in row and "jeszcze nie było" in row


def test_national_list_has_a_voivodeship_column(client, personas, three, region_lsrs):
    client.force_login(personas["ksr"])
    body = client.get(reverse("dashboards:lsr_list")).content.decode()
    assert '<th scope="col">Województwo</th>' in body
    assert "<td>mazowieckie</td>" in body and "<td>lubelskie</td>" in body


@pytest.fixture
def region_lsrs(personas, territory):
    return make_lsr(personas["admin"], territory["warsaw"])


def test_voivodeship_roll_ups_are_maintained_and_checked(client, personas, three, region_lsrs):
    assert regions_differences() == []
    assert RegionSummary.objects.get(code="06").counts["total"] == 3
    call_command("lsr_summaries", "--check")
    client.force_login(personas["ksr"])
    national = client.get(reverse("dashboards:country")).context["national"]
    assert national["total"] == RegionSummary.objects.get(code="06").counts["total"] + 1
    MeetingFactory(network=three["never"], held_at=_ago(2))
    summaries_refresh(network_ids=[three["never"].pk])  # what the meeting service triggers
    assert client.get(reverse("dashboards:country")).context["national"]["no_meeting"] == (
        national["no_meeting"] - 1
    )
    # a row of an earlier day is recomputed before it is read
    RegionSummary.objects.update(computed_on=date.today() - timedelta(days=1), counts={})
    again = client.get(reverse("dashboards:country")).context["national"]
    assert again["total"] == national["total"]
    assert regions_differences() == []
