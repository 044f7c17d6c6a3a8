"""Issue 16: fresh figures from maintained per-LSR summary rows, equal to the live tables;
agreements in force; last meeting held vs next; yes/no in exports; paging with repeated names;
step-level monitoring."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ksr_portal.dashboards.models import LsrSummary
from ksr_portal.dashboards.summaries import (
    summaries_differences,
    summaries_refresh,
    summaries_refresh_due,
)
from networks.models import MemberRole, Network, Partnership, PartnershipMember, Tier
from networks.services import networks as network_services
from procedures.models import Activity, Card, Meeting
from procedures.services import cards as card_services
from stakeholders.models import GminaKind, InstitutionKind, Sector
from tests.builders import make_lsr, make_org
from tests.factories import GminaFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def region(personas, territory, full_lsr):
    rejowiec = make_lsr(personas["admin"], territory["rejowiec"])
    ops = make_org(territory["rejowiec"], "B", InstitutionKind.SOCIAL_ASSISTANCE, Sector.PUBLIC)
    network_services.membership_add(network=rejowiec, organisation=ops, role=MemberRole.MAIN_NODE)
    warsaw = make_lsr(personas["admin"], territory["warsaw"])
    return {"zmudz": full_lsr, "rejowiec": rejowiec, "warsaw": warsaw}


def sign(network, partner_name, **dates):
    partnership = network_services.partnership_create(
        network=network, partnership=Partnership(name="Pakt", goal="Cel", **dates)
    )
    org = network.memberships.get(organisation__name=partner_name).organisation
    network_services.partnership_add_partner(
        partnership=partnership,
        partner=PartnershipMember(
            organisation=org, role="r", contribution_kind="premises", contribution="sala"
        ),
    )
    network_services.partnership_set_status(partnership=partnership, status="consultation")
    network_services.partnership_set_status(
        partnership=partnership, status="signed", signed_on=TODAY()
    )
    return partnership


def complete_card(network, number):
    card = Card.objects.get(network=network, number=number)
    for activity in card.activities.all():
        card_services.activity_transition(
            activity=activity, to="done", expected_version=activity.version
        )
    card_services.card_complete(card=card)


def dashboards(client, personas):
    client.force_login(personas["rops"])
    region = client.get(reverse("dashboards:region", args=["06"])).context["summary"]
    client.force_login(personas["ksr"])
    country = client.get(reverse("dashboards:country")).context
    national = country["national"]
    lubelskie = next(r for r in country["regions"] if r["voivodeship"].code == "06")["summary"]
    return region, lubelskie, national


def test_a_write_shows_on_both_dashboards_at_the_next_request(client, personas, region):
    before = dashboards(client, personas)
    assert [s["conditions"]["all"]["count"] for s in before] == [0, 0, 0]
    assert [s["cards"][0]["count"] for s in before] == [0, 0, 0]

    sign(region["zmudz"], "Gminne Centrum Kultury")
    after = dashboards(client, personas)
    assert [s["conditions"]["signed_partnership"]["count"] for s in after] == [1, 1, 1]
    assert [s["conditions"]["all"]["count"] for s in after] == [1, 1, 1]

    complete_card(region["zmudz"], 1)
    after = dashboards(client, personas)
    assert [s["cards"][0]["count"] for s in after] == [1, 1, 1]

    c_member = region["rejowiec"].memberships.get(role=MemberRole.MAIN_NODE)
    network_services.membership_add(
        network=region["rejowiec"], organisation=make_org(region["rejowiec"].gmina, "C")
    )
    after = dashboards(client, personas)
    assert [s["conditions"]["type_c"]["count"] for s in after] == [2, 2, 2]
    network_services.membership_end(membership=c_member, left_on=TODAY())
    after = dashboards(client, personas)
    assert [s["conditions"]["kis_main"]["count"] for s in after] == [1, 1, 1]


def test_maintained_figures_equal_the_live_tables(personas, region):
    sign(region["zmudz"], "Gminne Centrum Kultury")
    complete_card(region["zmudz"], 2)
    activity = Activity.objects.filter(card__network=region["rejowiec"]).first()
    card_services.activity_update(
        activity=activity,
        expected_version=activity.version,
        planned_date=TODAY() - datetime.timedelta(days=3),
        notes="",
    )
    assert LsrSummary.objects.get(network=region["rejowiec"]).overdue == 1
    assert summaries_differences() == []
    call_command("lsr_summaries", "--check", stdout=io.StringIO())


def test_the_command_reports_and_repairs_a_difference(personas, region):
    summaries_refresh()
    # a change that bypasses the services: the stored row no longer matches
    Card.objects.filter(network=region["zmudz"], number=3).update(status="done")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("lsr_summaries", "--check", stdout=out)
    assert f"LSR {region['zmudz'].pk}: card_3_done: stored False, live True" in out.getvalue()
    out = io.StringIO()
    call_command("lsr_summaries", stdout=out)
    assert "differences: 2 in 1 LSR(s)" in out.getvalue()  # card_3_done and cards_done
    assert summaries_differences() == []


def test_figures_that_change_with_the_calendar_are_recomputed_on_their_day(personas, region):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    network_services.membership_add(
        network=region["rejowiec"],
        organisation=make_org(region["rejowiec"].gmina, "C"),
        joined_on=tomorrow,
    )
    row = LsrSummary.objects.get(network=region["rejowiec"])
    assert row.active_c == 0 and row.valid_until == tomorrow
    assert summaries_refresh_due() == 0
    assert summaries_refresh_due(today=tomorrow) == 1
    assert LsrSummary.objects.get(network=region["rejowiec"]).active_c == 1


def test_signed_partnership_means_an_agreement_in_force(client, personas, region):
    yesterday = TODAY() - datetime.timedelta(days=1)
    partnership = sign(
        region["zmudz"],
        "Gminne Centrum Kultury",
        starts_on=yesterday - datetime.timedelta(days=30),
        ends_on=yesterday,
    )
    assert not LsrSummary.objects.get(network=region["zmudz"]).has_signed_partnership
    assert not Network.objects.with_conditions().get(pk=region["zmudz"].pk).has_signed_partnership
    client.force_login(personas["animator"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    panel = client.get(reverse("networks:detail", args=[region["zmudz"].pk])).content.decode()
    assert "No task partnership has an agreement in force today" in panel
    # ends today: still in force
    Partnership.objects.filter(pk=partnership.pk).update(ends_on=TODAY())
    summaries_refresh()
    assert LsrSummary.objects.get(network=region["zmudz"]).has_signed_partnership
    # starts tomorrow: not yet
    Partnership.objects.filter(pk=partnership.pk).update(
        starts_on=TODAY() + datetime.timedelta(days=1), ends_on=None
    )
    summaries_refresh()
    row = LsrSummary.objects.get(network=region["zmudz"])
    assert not row.has_signed_partnership
    assert row.valid_until == TODAY() + datetime.timedelta(days=1)


def test_last_meeting_held_and_next_meeting_apart(client, personas, region):
    now = timezone.now()
    for days in (-10, -2, 5, 12):
        Meeting.objects.create(
            network=region["zmudz"], held_at=now + datetime.timedelta(days=days), agenda="x"
        )
    summaries_refresh()
    client.force_login(personas["rops"])
    response = client.get(reverse("dashboards:region", args=["06"]))
    row = next(r for r in response.context["rows"] if r.pk == region["zmudz"].pk)
    assert timezone.localdate(row.last_meeting) == TODAY() - datetime.timedelta(days=2)
    assert timezone.localdate(row.next_meeting) == TODAY() + datetime.timedelta(days=5)


def test_yes_no_is_the_same_text_in_csv_and_xlsx(client, personas, region):
    client.force_login(personas["rops"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("dashboards:region", args=["06"])
    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    xlsx_rows = [
        [("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    headers = csv_rows[0]
    for name in ("type C present", "KIS as main node", "agreement in force"):
        column = headers.index(name)
        assert {r[column] for r in csv_rows[1:]} <= {"yes", "no"}
        assert [r[column] for r in xlsx_rows[1:]] == [r[column] for r in csv_rows[1:]]
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "pl"
    polish = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert ";tak;" in polish and ";nie;" in polish


def test_paging_through_repeated_gmina_names_shows_every_lsr_once(client, personas, territory):
    gminas = [
        GminaFactory(
            code=f"0603{i:02d}{kind}", name="Dubeltowo", county=territory["chelmski"], kind=kind
        )
        for i in range(40, 100)
        for kind in (GminaKind.URBAN, GminaKind.URBAN_RURAL)
    ]
    parent = network_services.rsr_ensure(voivodeship=territory["lubelskie"])
    Network.objects.bulk_create(
        [
            Network(tier=Tier.LSR, name="LSR", gmina=g, teryt_code=g.code, parent=parent)
            for g in gminas
        ]
    )
    client.force_login(personas["ksr"])
    url = reverse("dashboards:lsr_list")
    for sort in ("name", "stage", "-cards_done", "active_c"):
        seen = []
        pages = client.get(url, {"sort": sort}).context["page"].paginator.num_pages
        assert pages > 1
        for page in range(1, pages + 1):
            response = client.get(url, {"sort": sort, "page": page})
            seen += [r.pk for r in response.context["rows"]]
        assert len(seen) == len(set(seen)) == len(gminas), sort


def test_step_monitoring_figures_links_and_exports(client, personas, region):
    card = Card.objects.get(network=region["zmudz"], number=1)
    first, second = list(card.activities.order_by("position"))[:2]
    card_services.activity_transition(activity=first, to="done", expected_version=first.version)
    card_services.activity_transition(
        activity=second, to="not_applicable", expected_version=second.version, reason="Brak kadry"
    )
    client.force_login(personas["ksr"])
    response = client.get(reverse("dashboards:steps"))
    assert response.status_code == 200
    steps = {r["step"]: r for r in response.context["activities"]}
    lsrs_with_card_1 = Card.objects.filter(number=1).values("network").distinct().count()
    assert steps["1.1"]["done"] == 1 and steps["1.1"]["total"] == lsrs_with_card_1
    assert steps["1.2"]["not_applicable"] == 1
    reasons = [(r["step"], r["reason"], r["count"]) for r in response.context["reasons"]]
    assert ("1.2", "Brak kadry", 1) in reasons
    kinds = {k["kind"]: k["summary"]["total"] for k in response.context["breakdowns"]["kinds"]}
    assert kinds == {GminaKind.URBAN: 1, GminaKind.RURAL: 1, GminaKind.URBAN_RURAL: 1}
    counties = [c["county"].code for c in response.context["breakdowns"]["counties"]]
    assert counties == ["0603", "1465"]
    # the link behind "done" of step 1.1 lists exactly that LSR
    listed = client.get(reverse("dashboards:lsr_list"), {"step": "1.1", "step_state": "done"})
    assert [r.pk for r in listed.context["rows"]] == [region["zmudz"].pk]
    listed = client.get(reverse("dashboards:lsr_list"), {"kind": GminaKind.URBAN})
    assert [r.pk for r in listed.context["rows"]] == [region["warsaw"].pk]
    for bad in ({"step": "x"}, {"step": "1.1", "step_state": "y"}, {"county_code": "abc"}):
        assert list(client.get(reverse("dashboards:lsr_list"), bad).context["rows"]) == []
    # regional page: only its voivodeship; every table as CSV and all as one workbook
    client.force_login(personas["rops"])
    url = reverse("dashboards:region_steps", args=["06"])
    response = client.get(url, {"kind": GminaKind.RURAL})
    assert response.context["breakdowns"]["total"]["total"] == 1
    for table in ("cards", "activities", "reasons", "kinds", "counties"):
        download = client.get(url, {"format": "csv", "table": table})
        assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert len(workbook.sheetnames) == 5
    assert client.get(url, {"format": "csv", "table": "nope"}).status_code == 404
    assert client.get(reverse("dashboards:region_steps", args=["14"])).status_code == 404
    client.force_login(personas["animator"])
    assert client.get(reverse("dashboards:steps")).status_code == 403


def test_step_monitoring_query_count_is_constant(client, personas, territory, region):
    client.force_login(personas["ksr"])
    url = reverse("dashboards:steps")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(5):
        network = make_lsr(personas["admin"], GminaFactory(county=territory["chelmski"]))
        network_services.membership_add(network=network, organisation=make_org(network.gmina, "C"))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_service_write_refreshes_with_a_constant_number_of_queries(personas, region):
    network = region["zmudz"]
    with CaptureQueriesContext(connection) as queries:
        summaries_refresh(network_ids=[network.pk])
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # one SELECT computing every figure, one upsert; the voivodeship roll-up: one grouped
    # aggregate, one upsert
    assert len(statements) == 4
    every = list(Network.objects.lsrs().values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as many:
        summaries_refresh(network_ids=every)
    assert len(many.captured_queries) == len(queries.captured_queries)
