import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import MemberRole, Network, Partnership, PartnershipMember
from networks.services import networks as network_services
from procedures.models import Card
from stakeholders.models import InstitutionKind, Sector
from tests.builders import make_lsr, make_org
from tests.factories import GminaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(personas, territory, full_lsr):
    """Żmudź (full: KIS, type C, no signed partnership) + Rejowiec (OPS main node, no type C)
    in lubelskie; Warszawa in mazowieckie."""
    rejowiec = make_lsr(personas["admin"], territory["rejowiec"])
    ops = make_org(territory["rejowiec"], "B", InstitutionKind.SOCIAL_ASSISTANCE, Sector.PUBLIC)
    network_services.membership_add(network=rejowiec, organisation=ops, role=MemberRole.MAIN_NODE)
    warsaw = make_lsr(personas["admin"], territory["warsaw"])
    return {"zmudz": full_lsr, "rejowiec": rejowiec, "warsaw": warsaw}


def sign(network, partner_name):
    partnership = network_services.partnership_create(
        network=network, partnership=Partnership(name="Pakt", goal="Cel")
    )
    org = network.memberships.get(organisation__name=partner_name).organisation
    network_services.partnership_add_partner(
        partnership=partnership,
        partner=PartnershipMember(
            organisation=org, role="r", contribution_kind="premises", contribution="sala"
        ),
    )
    network_services.partnership_set_status(partnership=partnership, status="consultation")
    import datetime

    network_services.partnership_set_status(
        partnership=partnership, status="signed", signed_on=datetime.date.today()
    )


def rows_of(response):
    body = response.content.decode()
    return body.count('<tr data-lsr="')


def test_region_dashboard_figures_match_independent_counts(client, personas, region):
    client.force_login(personas["rops"])
    response = client.get(reverse("dashboards:region", args=["06"]))
    assert response.status_code == 200
    assert (
        rows_of(response)
        == Network.objects.filter(tier="lsr", teryt_code__startswith="06").count()
        == 2
    )
    summary = response.context["summary"]
    assert summary["total"] == 2
    assert summary["conditions"]["kis_main"]["count"] == 1
    assert summary["conditions"]["type_c"]["count"] == 1
    assert summary["conditions"]["signed_partnership"]["count"] == 0
    zmudz_row = next(r for r in response.context["rows"] if r.pk == region["zmudz"].pk)
    assert (zmudz_row.active_a, zmudz_row.active_b, zmudz_row.active_c) == (1, 1, 2)
    assert zmudz_row.cards_done == 0


def test_completed_cards_and_signed_agreement_show_up(client, personas, region):
    from procedures.services import cards as card_services

    card = Card.objects.get(network=region["zmudz"], number=1)
    for a in card.activities.all():
        card_services.activity_transition(activity=a, to="done", expected_version=a.version)
    card_services.card_complete(card=card)
    sign(region["zmudz"], "Gminne Centrum Kultury")
    client.force_login(personas["rops"])
    response = client.get(reverse("dashboards:region", args=["06"]))
    row = next(r for r in response.context["rows"] if r.pk == region["zmudz"].pk)
    assert row.cards_done == 1 and row.card_1_done and not row.card_2_done
    assert response.context["summary"]["cards"][0] == {"number": 1, "count": 1, "share": 50.0}
    assert response.context["summary"]["conditions"]["all"]["count"] == 1


def test_filter_without_type_c_and_unknown_values(client, personas, region):
    client.force_login(personas["rops"])
    url = reverse("dashboards:region", args=["06"])
    response = client.get(url, {"missing": "type_c"})
    assert [r.pk for r in response.context["rows"]] == [region["rejowiec"].pk]
    response = client.get(url, {"has": "kis_main"})
    assert [r.pk for r in response.context["rows"]] == [region["zmudz"].pk]
    for bad in (
        {"stage": "x"},
        {"missing": "y"},
        {"card_done": "99"},
        {"sort": "drop table"},
        {"county": "abc"},
    ):
        assert client.get(url, bad).status_code == 200


def test_scoping_of_dashboards(client, personas, region):
    url06, url14 = (
        reverse("dashboards:region", args=["06"]),
        reverse("dashboards:region", args=["14"]),
    )
    expected = {
        "rops": (200, 404, 403),
        "other_rops": (404, 200, 403),
        "ksr": (200, 200, 200),
        "admin": (200, 200, 200),
        "animator": (403, 403, 403),
        "partner": (403, 403, 403),
    }
    for name, (want06, want14, want_country) in expected.items():
        client.force_login(personas[name])
        assert client.get(url06).status_code == want06, name
        assert client.get(url14).status_code == want14, name
        assert client.get(reverse("dashboards:country")).status_code == want_country, name
    client.force_login(personas["rops"])
    assert client.get(reverse("dashboards:region", args=["99"])).status_code == 404


def test_country_dashboard_per_voivodeship(client, personas, region):
    client.force_login(personas["ksr"])
    response = client.get(reverse("dashboards:country"))
    regions = {r["voivodeship"].code: r["summary"]["total"] for r in response.context["regions"]}
    assert regions == {"06": 2, "14": 1}
    assert response.context["national"]["total"] == 3
    body = response.content.decode()
    assert reverse("dashboards:region", args=["06"]) in body


def test_exports(client, personas, region):
    client.force_login(personas["rops"])
    url = reverse("dashboards:region", args=["06"])
    response = client.get(url, {"missing": "type_c", "format": "csv"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "gmina" and len(rows) == 2 and rows[1][0] == "Rejowiec"
    response = client.get(url, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3
    assert client.get(url, {"format": "pdf"}).status_code == 404


def test_empty_voivodeship_is_a_clear_page(client, personas, territory):
    client.force_login(personas["other_rops"])
    response = client.get(reverse("dashboards:region", args=["14"]))
    assert response.status_code == 200
    assert response.context["summary"]["total"] == 0


@pytest.mark.parametrize("view", ["region", "country", "lsr_list"])
def test_dashboard_query_count_is_constant(client, personas, territory, region, view):
    from django.core.cache import cache

    client.force_login(personas["ksr"])
    url = {
        "region": reverse("dashboards:region", args=["06"]),
        "country": reverse("dashboards:country"),
        "lsr_list": reverse("dashboards:lsr_list"),
    }[view]
    cache.clear()
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(12):
        # explicit codes: the factory's sequence can land on Żmudź's code, which has an LSR
        gmina = GminaFactory(county=territory["chelmski"], code=f"0603{50 + i:02d}2")
        network = make_lsr(personas["admin"], gmina)
        network_services.membership_add(
            network=network, organisation=make_org(network.gmina, "C"), role=MemberRole.MEMBER
        )
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_region_dashboard_links_to_its_own_rsr(client, personas, region, territory):
    lubelskie = territory["rejowiec"].county.voivodeship
    mazowieckie = territory["warsaw"].county.voivodeship
    rsr = network_services.rsr_ensure(voivodeship=lubelskie)
    other = network_services.rsr_ensure(voivodeship=mazowieckie)
    client.force_login(personas["rops"])
    response = client.get(reverse("dashboards:region", args=["06"]))
    body = response.content.decode()
    assert response.context["rsr"] == rsr
    assert reverse("networks:support_queue", args=[rsr.pk]) in body
    assert reverse("networks:support_queue", args=[other.pk]) not in body
