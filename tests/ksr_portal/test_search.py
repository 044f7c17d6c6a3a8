"""Search across LSRs and organisations (issue 14 §5): Polish diacritics and case ignored, scoped,
paginated, with a number of queries that does not depend on the number of results."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ksr_portal.dashboards.search import clean_query, fold
from networks.models import MemberRole
from networks.services import networks as network_services
from tests.builders import make_lsr, make_org

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:search")


@pytest.fixture
def places(personas, territory, lsr, kis):
    """LSR Żmudź with the member "Świetlica ŁÓDŹ" and the KIS "KIS w Żmudzi"; LSR Warszawa with
    "Fundacja Łódź-Żmudź" (mazowieckie: outside lubelskie)."""
    lsr.name = "LSR Żmudź"
    lsr.save()
    lodz = make_org(territory["zmudz"], "C", name="Świetlica ŁÓDŹ")
    network_services.membership_add(network=lsr, organisation=lodz, role=MemberRole.MEMBER)
    warsaw = make_lsr(personas["admin"], territory["warsaw"], name="LSR Warszawa")
    far = make_org(territory["warsaw"], "C", name="Fundacja Łódź-Żmudź")
    network_services.membership_add(network=warsaw, organisation=far, role=MemberRole.MEMBER)
    return {"zmudz": lsr, "lodz": lodz, "warsaw": warsaw, "far": far}


def _found(response):
    lsrs = [n.name for n in response.context["lsr_page"].object_list]
    orgs = [o.name for o in response.context["organisation_page"].object_list]
    return lsrs, orgs


def test_folding_rule():
    assert fold("Żmudź") == "zmudz"
    assert fold("ŁÓDŹ") == fold("Łódź") == fold("lodz") == "lodz"
    assert clean_query("  Gminne   Centrum ") == "gminne centrum"


def test_database_folds_like_python(places):
    with connection.cursor() as cursor:
        cursor.execute("SELECT ksr_fold(%s), ksr_fold(%s)", ["ŻMUDŹ Łęczna", "Ćmielów Ślęża"])
        assert cursor.fetchone() == (fold("ŻMUDŹ Łęczna"), fold("Ćmielów Ślęża"))


def test_diacritics_and_case_are_ignored(client, personas, places):
    client.force_login(personas["ksr"])
    lsrs, orgs = _found(client.get(URL, {"q": "zmudz"}))
    assert lsrs == ["LSR Żmudź"]
    assert orgs == ["Fundacja Łódź-Żmudź", "KIS w Żmudzi"]
    lsrs, orgs = _found(client.get(URL, {"q": "LODZ"}))
    assert lsrs == [] and orgs == ["Fundacja Łódź-Żmudź", "Świetlica ŁÓDŹ"]
    response = client.get(URL, {"q": "łódź"})
    assert _found(response)[1] == ["Fundacja Łódź-Żmudź", "Świetlica ŁÓDŹ"]
    body = response.content.decode()
    link = reverse("networks:organisation_detail", args=[places["zmudz"].pk, places["lodz"].pk])
    assert f'href="{link}"' in body


def test_results_stay_in_scope(client, personas, places):
    client.force_login(personas["animator"])  # Żmudź only
    assert _found(client.get(URL, {"q": "zmudz"})) == (["LSR Żmudź"], ["KIS w Żmudzi"])
    client.force_login(personas["other_rops"])  # mazowieckie
    assert _found(client.get(URL, {"q": "zmudz"})) == ([], ["Fundacja Łódź-Żmudź"])
    client.force_login(personas["other_animator"])  # Warszawa
    lsrs, orgs = _found(client.get(URL, {"q": "lodz"}))
    assert lsrs == [] and orgs == ["Fundacja Łódź-Żmudź"]
    body = client.get(URL, {"q": "lsr"}).content.decode()
    assert "LSR Żmudź" not in body and "Świetlica" not in body


def test_short_or_empty_query_is_a_message(client, personas, places):
    client.force_login(personas["rops"])
    response = client.get(URL, {"q": "ż"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="search-q-error"' in body and 'value="ż"' in body
    assert client.get(URL).status_code == 200
    assert client.get(URL, {"q": "%_" * 300}).status_code == 200  # LIKE wildcards are literal
    assert _found(client.get(URL, {"q": "%%"})) == ([], [])


def test_pages_and_constant_queries(client, personas, territory, places):
    client.force_login(personas["ksr"])

    def measured():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"q": "swietlica"})
        assert response.status_code == 200
        return response, len(queries.captured_queries)

    _response, small = measured()
    for i in range(24):
        org = make_org(territory["zmudz"], "C", name=f"Świetlica nr {i:02d}")
        network_services.membership_add(network=places["zmudz"], organisation=org)
    response, large = measured()
    assert large == small
    page = response.context["organisation_page"]
    assert page.paginator.count == 25 and len(page.object_list) == 20
    second = client.get(URL, {"q": "swietlica", "org_page": 2}).context["organisation_page"]
    names = [o.name for o in page.object_list] + [o.name for o in second.object_list]
    assert len(set(names)) == 25


def test_header_has_the_search_box(client, personas):
    client.force_login(personas["partner"])
    body = client.get(reverse("home"), follow=True).content.decode()
    assert 'id="header-search"' in body and f'action="{URL}"' in body
