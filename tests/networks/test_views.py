import datetime

import pytest
from django.urls import reverse

from networks.models import AgreementStatus, MemberRole, Membership, Network, Partnership
from networks.services import networks as services
from stakeholders.models import InstitutionKind, Organisation, Sector

from .conftest import make_lsr, make_org

pytestmark = pytest.mark.django_db
ALL = ["animator", "other_animator", "rops", "other_rops", "ksr", "partner", "admin"]
VIEWERS = {"animator", "rops", "ksr", "admin"}
MANAGERS = {"animator", "admin"}


def status_for(name, user, in_scope, capability):
    if name not in in_scope:
        return 404
    return 200 if user.has_capability(capability) else 403


@pytest.fixture
def pages(full_lsr):
    partnership = services.partnership_create(
        network=full_lsr, partnership=Partnership(name="Pakt", goal="Cel")
    )
    membership = full_lsr.memberships.first()
    task = full_lsr.hub_tasks.first()
    pk = full_lsr.pk
    return {
        "read": [
            reverse("networks:detail", args=[pk]),
            reverse("networks:picture", args=[pk]),
            reverse("networks:member_list", args=[pk]),
            reverse("networks:partnership_detail", args=[pk, partnership.pk]),
        ],
        "manage": [
            reverse("networks:goals", args=[pk]),
            reverse("networks:member_add", args=[pk]),
            reverse("networks:organisation_create", args=[pk]),
            reverse("networks:partnership_create", args=[pk]),
        ],
        "post": [
            reverse("networks:member_end", args=[pk, membership.pk]),
            reverse("networks:member_role", args=[pk, membership.pk]),
            reverse("networks:hub_task_update", args=[pk, task.pk]),
            reverse("networks:partnership_add_partner", args=[pk, partnership.pk]),
            reverse("networks:partnership_status", args=[pk, partnership.pk]),
        ],
    }


def test_network_scoping_matrix(client, personas, pages):
    for name in ALL:
        client.force_login(personas[name])
        user = personas[name]
        for url in pages["read"]:
            assert client.get(url).status_code == status_for(
                name, user, VIEWERS, "view_networks"
            ), (name, url)
        for url in pages["manage"]:
            assert client.get(url).status_code == status_for(
                name, user, VIEWERS, "manage_networks"
            ), (name, url)
        for url in pages["post"]:
            got = client.post(url, {}).status_code
            want = status_for(name, user, VIEWERS, "manage_networks")
            if want == 200:
                want = (302, 400)
                assert got in want, (name, url, got)
            else:
                assert got == want, (name, url, got)


def test_anonymous_goes_to_login_and_get_on_actions_is_405(client, personas, pages):
    for url in pages["read"] + pages["manage"]:
        assert client.get(url).status_code == 302
    client.force_login(personas["animator"])
    for url in pages["post"]:
        assert client.get(url).status_code == 405


def test_partner_of_a_member_organisation_sees_the_network(client, personas, full_lsr):
    partner = personas["partner"]
    partner.organisation = Organisation.objects.get(name="Gminne Centrum Kultury")
    partner.save()
    client.force_login(partner)
    assert client.get(reverse("networks:detail", args=[full_lsr.pk])).status_code == 200
    assert client.get(reverse("networks:goals", args=[full_lsr.pk])).status_code == 403


def test_detail_shows_the_conditions_panel_with_fix_links(client, personas, lsr):
    client.force_login(personas["animator"])
    body = client.get(reverse("networks:detail", args=[lsr.pk])).content.decode()
    assert 'data-condition="type_c" data-ok="false"' in body
    assert reverse("networks:member_add", args=[lsr.pk]) + "?stakeholder_type=C" in body
    assert "<svg" in body


def test_animator_founds_an_lsr_through_the_form(client, personas, territory):
    client.force_login(personas["animator"])
    url = reverse("networks:lsr_create")
    response = client.post(
        url, {"gmina": territory["zmudz"].pk, "name": "LSR Żmudź", "variant": "administrative"}
    )
    assert response.status_code == 200  # act missing: errors next to the fields, input kept
    body = response.content.decode()
    assert 'value="LSR Żmudź"' in body
    assert Network.objects.filter(tier="lsr").count() == 0
    response = client.post(
        url,
        {
            "gmina": territory["zmudz"].pk,
            "name": "LSR Żmudź",
            "variant": "administrative",
            "act_kind": "council_resolution",
            "act_number": "XX/1/2026",
            "act_date": "2026-01-15",
        },
    )
    network = Network.objects.get(tier="lsr")
    assert response.status_code == 302 and response["Location"] == reverse(
        "networks:goals", args=[network.pk]
    )


def test_animator_cannot_found_in_another_gmina(client, personas, territory):
    client.force_login(personas["animator"])
    response = client.post(
        reverse("networks:lsr_create"),
        {"gmina": territory["warsaw"].pk, "name": "X", "variant": "civic", "initiators": "Y"},
    )
    assert response.status_code == 200
    assert not Network.objects.filter(tier="lsr").exists()


def test_adding_an_outsider_shows_the_error_and_keeps_the_form(client, personas, lsr, territory):
    client.force_login(personas["animator"])
    local_elsewhere = make_org(territory["rejowiec"], "C", name="Biblioteka w Rejowcu")
    response = client.post(
        reverse("networks:member_add", args=[lsr.pk]),
        {"organisation": local_elsewhere.pk, "role": "member", "joined_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(network=lsr).exists()


def test_second_main_node_via_the_form_is_refused(client, personas, full_lsr, territory):
    client.force_login(personas["animator"])
    other = make_org(territory["zmudz"], "A", InstitutionKind.KIS, Sector.NGO)
    response = client.post(
        reverse("networks:member_add", args=[full_lsr.pk]),
        {"organisation": other.pk, "role": MemberRole.MAIN_NODE, "joined_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(organisation=other).exists()


def test_organisation_create_with_invalid_nip_keeps_input(client, personas, lsr, territory):
    client.force_login(personas["animator"])
    data = {
        "name": "Stowarzyszenie Nowe",
        "stakeholder_type": "C",
        "institution_kind": "ngo",
        "sector": "ngo",
        "operating_scope": "local",
        "gmina": territory["zmudz"].pk,
        "nip": "5260250275",
    }
    response = client.post(reverse("networks:organisation_create", args=[lsr.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Stowarzyszenie Nowe"' in body
    assert not Organisation.objects.filter(name="Stowarzyszenie Nowe").exists()
    data["nip"] = "526-025-02-74"
    response = client.post(reverse("networks:organisation_create", args=[lsr.pk]), data)
    assert response.status_code == 302
    org = Organisation.objects.get(name="Stowarzyszenie Nowe")
    assert org.nip == "5260250274"
    assert Membership.objects.filter(network=lsr, organisation=org).exists()


def test_duplicate_warning_before_create(client, personas, lsr, territory):
    make_org(territory["zmudz"], "C", name="Gminna Biblioteka")
    client.force_login(personas["animator"])
    data = {
        "name": "gminna biblioteka",
        "stakeholder_type": "C",
        "institution_kind": "culture",
        "sector": "public",
        "operating_scope": "local",
        "gmina": territory["zmudz"].pk,
    }
    response = client.post(reverse("networks:organisation_create", args=[lsr.pk]), data)
    assert response.status_code == 200
    assert 'name="confirm_duplicate"' in response.content.decode()
    assert Organisation.objects.filter(name__iexact="gminna biblioteka").count() == 1
    response = client.post(
        reverse("networks:organisation_create", args=[lsr.pk]), {**data, "confirm_duplicate": "1"}
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name__iexact="gminna biblioteka").count() == 2


def test_member_end_before_joining_gives_a_message(client, personas, full_lsr):
    client.force_login(personas["animator"])
    membership = full_lsr.memberships.get(organisation__name="Firma Lokalna")
    response = client.post(
        reverse("networks:member_end", args=[full_lsr.pk, membership.pk]),
        {"left_on": "2000-01-01"},
        follow=True,
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.left_on is None


def test_sign_partnership_via_views(client, personas, full_lsr):
    client.force_login(personas["animator"])
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    response = client.post(
        reverse("networks:partnership_create", args=[full_lsr.pk]), {"name": "Pakt", "goal": "Cel"}
    )
    partnership = Partnership.objects.get(name="Pakt")
    assert response.status_code == 302
    client.post(
        reverse("networks:partnership_add_partner", args=[full_lsr.pk, partnership.pk]),
        {
            "organisation": culture.pk,
            "role": "Gospodarz",
            "contribution_kind": "premises",
            "contribution": "Sala",
            "amount": "",
        },
    )
    client.post(
        reverse("networks:partnership_status", args=[full_lsr.pk, partnership.pk]),
        {"status": "consultation"},
    )
    bad = client.post(
        reverse("networks:partnership_status", args=[full_lsr.pk, partnership.pk]),
        {"status": "signed"},
    )
    assert bad.status_code == 400
    client.post(
        reverse("networks:partnership_status", args=[full_lsr.pk, partnership.pk]),
        {"status": "signed", "signed_on": datetime.date.today().isoformat()},
    )
    partnership.refresh_from_db()
    assert partnership.agreement_status == AgreementStatus.SIGNED


def test_hub_task_update_with_htmx(client, personas, lsr):
    client.force_login(personas["animator"])
    task = lsr.hub_tasks.first()
    response = client.post(
        reverse("networks:hub_task_update", args=[lsr.pk, task.pk]),
        {"status": "done", "notes": "OK"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.status == "done" and task.notes == "OK"


def test_member_list_filters(client, personas, full_lsr):
    client.force_login(personas["rops"])
    url = reverse("networks:member_list", args=[full_lsr.pk])
    body = client.get(url, {"stakeholder_type": "C"}).content.decode()
    assert "Gminne Centrum Kultury" in body and "GOPS Żmudź" not in body
    body = client.get(url, {"sector": "business"}).content.decode()
    assert "Firma Lokalna" in body and "Gminne Centrum Kultury" not in body
    assert client.get(url, {"stakeholder_type": "Z", "status": "bogus"}).status_code == 200


@pytest.mark.parametrize("view", ["networks:member_list", "networks:detail"])
def test_query_count_does_not_grow_with_members(
    client, personas, full_lsr, territory, view, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas["animator"])
    url = reverse(view, args=[full_lsr.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(40):
        org = make_org(
            territory["zmudz"],
            "ABC"[i % 3],
            sector=[Sector.PUBLIC, Sector.NGO, Sector.BUSINESS][i % 3],
        )
        services.membership_add(network=full_lsr, organisation=org)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_network_list_query_count_constant(
    client, personas, territory, django_assert_max_num_queries
):
    from tests.factories import GminaFactory

    client.force_login(personas["ksr"])
    for i in range(3):
        make_lsr(personas["admin"], GminaFactory(county=territory["chelmski"]))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("networks:list")).status_code == 200
    for i in range(20):
        make_lsr(personas["admin"], GminaFactory(county=territory["chelmski"]))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("networks:list")).status_code == 200


def test_contact_person_with_legal_basis_and_representatives(client, personas, full_lsr):
    client.force_login(personas["animator"])
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    url = reverse("networks:contact_add", args=[full_lsr.pk, culture.pk])
    bad = client.post(
        url, {"name": "Ewa Przykładowa", "function": "dyrektor", "legal_basis": "consent"}
    )
    assert bad.status_code == 400  # consent needs its date
    assert 'value="Ewa Przykładowa"' in bad.content.decode()
    ok = client.post(
        url,
        {
            "name": "Ewa Przykładowa",
            "function": "dyrektor",
            "legal_basis": "consent",
            "consent_date": "2026-01-10",
        },
    )
    assert ok.status_code == 302
    contact = culture.contacts.get()
    client.post(
        reverse("networks:representatives_set", args=[full_lsr.pk, culture.pk]),
        {"representatives": [contact.pk]},
    )
    membership = full_lsr.memberships.get(organisation=culture)
    assert list(membership.representatives.all()) == [contact]
    page = client.get(reverse("networks:organisation_detail", args=[full_lsr.pk, culture.pk]))
    assert page.status_code == 200 and "Ewa Przykładowa" in page.content.decode()


def test_organisation_outside_the_network_is_404(client, personas, full_lsr, territory):
    client.force_login(personas["animator"])
    stranger = make_org(territory["zmudz"], "C")
    assert (
        client.get(
            reverse("networks:organisation_detail", args=[full_lsr.pk, stranger.pk])
        ).status_code
        == 404
    )
    client.force_login(personas["other_animator"])
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    assert (
        client.get(
            reverse("networks:organisation_detail", args=[full_lsr.pk, culture.pk])
        ).status_code
        == 404
    )


def test_an_organisation_that_left_no_longer_opens_the_network(client, personas, full_lsr):
    """Scoping by organisation counts active memberships only (the mechanism, not each view)."""
    partner = personas["partner"]
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    partner.organisation = culture
    partner.save()
    client.force_login(partner)
    detail = reverse("networks:detail", args=[full_lsr.pk])
    meetings = reverse("procedures:meeting_list", args=[full_lsr.pk])
    assert client.get(detail).status_code == 200
    assert client.get(meetings).status_code == 200
    services.membership_end(
        membership=full_lsr.memberships.get(organisation=culture), left_on=datetime.date.today()
    )
    assert client.get(detail).status_code == 404
    assert client.get(meetings).status_code == 404
    assert not Network.objects.for_user(partner).filter(pk=full_lsr.pk).exists()
