"""The scoping matrix: roles x URLs, derived from the one capability table."""

import pytest
from django.urls import reverse

from ksr_portal.core.scoping import NATIONAL, Scope, scope_of
from stakeholders.models import Gmina
from stakeholders.roles import CAPABILITIES

pytestmark = pytest.mark.django_db

ALL_PERSONAS = ["animator", "other_animator", "rops", "other_rops", "ksr", "partner", "admin"]


def test_scope_of_each_role(personas):
    assert scope_of(personas["animator"]) == Scope(prefixes=("0603142",))
    assert scope_of(personas["rops"]) == Scope(prefixes=("06",))
    assert scope_of(personas["ksr"]) == NATIONAL
    assert scope_of(personas["admin"]) == NATIONAL
    assert scope_of(personas["partner"]).prefixes == ()


def test_for_user_filters_by_teryt_prefix(personas):
    def codes(user):
        return sorted(Gmina.objects.for_user(user).values_list("code", flat=True))

    assert codes(personas["animator"]) == ["0603142"]
    assert codes(personas["rops"]) == ["0603113", "0603142"]
    assert codes(personas["other_rops"]) == ["1465011"]
    assert codes(personas["ksr"]) == ["0603113", "0603142", "1465011"]
    assert codes(personas["partner"]) == []


def test_inactive_user_sees_nothing(personas):
    user = personas["ksr"]
    user.is_active = False
    assert not Gmina.objects.for_user(user).exists()


# (url name, kwargs, capability, personas whose scope holds the object)
SCOPED_PAGES = [
    (
        "stakeholders:gmina_detail",
        {"code": "0603142"},
        "view_territory",
        {"animator", "rops", "ksr", "admin"},
    ),
    (
        "stakeholders:gmina_detail",
        {"code": "1465011"},
        "view_territory",
        {"other_animator", "other_rops", "ksr", "admin"},
    ),
    ("stakeholders:voivodeship_detail", {"code": "06"}, "view_territory", {"rops", "ksr", "admin"}),
    (
        "stakeholders:voivodeship_detail",
        {"code": "14"},
        "view_territory",
        {"other_rops", "ksr", "admin"},
    ),
    ("stakeholders:gmina_list", {}, "view_territory", set(ALL_PERSONAS)),
    ("ksr_portal:my_networks", {}, "manage_networks", set(ALL_PERSONAS)),
    ("ksr_portal:my_region", {}, "view_regional_dashboard", set(ALL_PERSONAS)),
    ("ksr_portal:country", {}, "view_national_dashboard", set(ALL_PERSONAS)),
    ("ksr_portal:my_tasks", {}, "work_own_tasks", set(ALL_PERSONAS)),
    ("ksr_portal:administration", {}, "view_audit_history", set(ALL_PERSONAS)),
    ("ksr_portal:audit_log", {}, "view_audit_history", set(ALL_PERSONAS)),
]


REDIRECTING = {"ksr_portal:my_region"}  # forwards coordinators to their dashboard


def expected_status(persona_name, user, capability, in_scope, url_name=""):
    if not user.has_capability(capability):
        return 403
    if url_name in REDIRECTING:
        return 302
    return 200 if persona_name in in_scope else 404


@pytest.mark.parametrize("url_name,kwargs,capability,in_scope", SCOPED_PAGES)
def test_scoping_matrix(client, personas, url_name, kwargs, capability, in_scope):
    url = reverse(url_name, kwargs=kwargs)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for name in ALL_PERSONAS:
        user = personas[name]
        client.force_login(user)
        got = client.get(url).status_code
        want = expected_status(name, user, capability, in_scope, url_name)
        assert got == want, f"{name} on {url}: {got}, expected {want}"


def test_out_of_scope_gmina_is_a_polish_404(login, personas):
    response = login(personas["animator"]).get(
        reverse("stakeholders:gmina_detail", args=["1465011"])
    )
    assert response.status_code == 404
    assert "Nie znaleziono strony" in response.content.decode()


def test_gmina_list_shows_only_gminas_in_scope(login, personas):
    body = login(personas["rops"]).get(reverse("stakeholders:gmina_list")).content.decode()
    assert "Żmudź" in body and "Rejowiec" in body
    assert "Warszawa" not in body


def test_gmina_list_filter_with_unknown_value_is_not_an_error(login, personas):
    client = login(personas["ksr"])
    response = client.get(reverse("stakeholders:gmina_list"), {"kind": "x", "county": "999999"})
    assert response.status_code == 200


def test_gmina_list_filter_by_kind(login, personas):
    body = (
        login(personas["ksr"])
        .get(reverse("stakeholders:gmina_list"), {"kind": "1"})
        .content.decode()
    )
    assert "Warszawa" in body and "Żmudź" not in body


def test_every_capability_has_a_role():
    assert all(CAPABILITIES.values())


def test_gmina_list_query_count_does_not_grow(login, personas, django_assert_max_num_queries):
    from tests.factories import GminaFactory

    client = login(personas["ksr"])
    url = reverse("stakeholders:gmina_list")
    with django_assert_max_num_queries(12):
        client.get(url)
    GminaFactory.create_batch(30, county=personas["rops"].voivodeship.counties.first())
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_for_user_within_is_for_user_narrowed_to_the_code(personas, territory):
    """The dashboards' shortcut (the territory condition alone when the scope covers the code)
    gives exactly the rows of ``for_user`` inside the code, for every persona and territory."""
    from networks.models import Network

    from ..builders import make_lsr, make_org

    zmudz = make_lsr(personas["admin"], territory["zmudz"])
    make_lsr(personas["admin"], territory["rejowiec"])
    make_lsr(personas["admin"], territory["warsaw"])
    # the partner reaches Żmudź through its organisation's membership, not through territory
    from networks.services import networks as network_services

    org = make_org(territory["zmudz"], stakeholder_type="B", name="Stowarzyszenie Partner")
    personas["partner"].organisation = org
    personas["partner"].save()
    network_services.membership_add(network=zmudz, organisation=org)
    for user in personas.values():
        for code in ("06", "0603", "0603142", "0603113", "14", "1465011", "2"):
            expected = set(
                Network.objects.for_user(user)
                .filter(teryt_code__startswith=code)
                .values_list("pk", flat=True)
            )
            got = set(Network.objects.for_user_within(user, code).values_list("pk", flat=True))
            assert got == expected, (user.username, code)
