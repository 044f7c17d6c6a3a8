"""Three working tiers (issue 12 §1–3, §8): who runs which network, openness of the networks
above one's own, members of an RSR and of the KSR, and the same tools at every tier."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from networks.models import MemberRole, Network
from networks.selectors import may, member_networks
from networks.services import networks as services
from procedures.services import meetings as meeting_services
from stakeholders.models import InstitutionKind, OperatingScope, Sector
from stakeholders.roles import NETWORK_CAPABILITIES, Role, roles_at_tier

from ..builders import make_lsr, make_org
from ..factories import ContactPersonFactory, GminaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiers(personas, territory, full_lsr, kis):
    """Żmudź LSR → RSR lubelskie → KSR, and an LSR in Warsaw under the RSR mazowieckie."""
    rsr = full_lsr.parent
    ksr = rsr.parent
    warsaw_lsr = make_lsr(personas["admin"], territory["warsaw"])
    partner = UserFactory(username="kis-rep", role=Role.PARTNER, organisation=kis)
    return {
        "lsr": full_lsr,
        "rsr": rsr,
        "ksr": ksr,
        "other_rsr": warsaw_lsr.parent,
        "other_lsr": warsaw_lsr,
        "partner": partner,
    }


def _regional(territory, name="Regionalny Ośrodek Kultury", type_="C", scope="regional"):
    return make_org(
        territory["rejowiec"],
        type_,
        InstitutionKind.CULTURE,
        Sector.PUBLIC,
        name=name,
        operating_scope=scope,
    )


# --- the rule: roles × tiers ---------------------------------------------------------------------

# persona -> the tiers of the Żmudź chain (lsr, rsr, ksr) at which it runs the network tools
RUNS = {
    "animator": {"lsr"},
    "rops": {"rsr"},
    "ksr": {"ksr"},
    "admin": {"lsr", "rsr", "ksr"},
    "other_rops": set(),
    "other_animator": set(),
}


@pytest.mark.parametrize("capability", sorted(NETWORK_CAPABILITIES - {"supply_monitoring"}))
@pytest.mark.parametrize("persona", sorted(RUNS))
def test_each_tier_is_run_by_its_runners(personas, tiers, persona, capability):
    user = personas[persona]
    for tier in ("lsr", "rsr", "ksr"):
        expected = tier in RUNS[persona]
        assert may(user, capability, tiers[tier]) is expected, (persona, capability, tier)


@pytest.mark.parametrize(
    "capability", ["post_needs", "work_cards", "run_surveys", "run_evaluations"]
)
def test_rops_and_ksr_only_read_an_lsr(personas, tiers, capability):
    for persona in ("rops", "ksr"):
        assert not may(personas[persona], capability, tiers["lsr"])
    assert roles_at_tier(capability, "rsr") == roles_at_tier(capability, "lsr")


def test_a_partner_shares_documents_where_its_organisation_is_a_member(personas, tiers, territory):
    partner = tiers["partner"]  # the KIS of the Żmudź LSR
    assert may(partner, "share_documents", tiers["lsr"])
    assert not may(partner, "share_documents", tiers["rsr"])  # opened to it, not its own
    services.membership_add(network=tiers["rsr"], organisation=_regional(territory))
    regional_rep = UserFactory(
        username="rok-rep",
        role=Role.PARTNER,
        organisation=tiers["rsr"].memberships.get().organisation,
    )
    assert may(regional_rep, "share_documents", tiers["rsr"])
    assert not may(regional_rep, "manage_networks", tiers["rsr"])


# --- openness ------------------------------------------------------------------------------------


def _visible(user):
    return set(Network.objects.for_user(user).values_list("pk", flat=True))


def test_everyone_sees_the_networks_above_their_own_and_no_other(personas, tiers):
    lsr, rsr, ksr = tiers["lsr"], tiers["rsr"], tiers["ksr"]
    other_rsr, other_lsr = tiers["other_rsr"], tiers["other_lsr"]
    assert _visible(personas["animator"]) == {lsr.pk, rsr.pk, ksr.pk}
    assert _visible(tiers["partner"]) == {lsr.pk, rsr.pk, ksr.pk}
    assert _visible(personas["rops"]) == {lsr.pk, rsr.pk, ksr.pk}
    assert _visible(personas["other_rops"]) == {other_rsr.pk, other_lsr.pk, ksr.pk}
    assert _visible(personas["partner"]) == set()  # represents no organisation


RSR_READ_PAGES = [
    "networks:detail",
    "networks:member_list",
    "procedures:meeting_list",
    "procedures:monitoring",
    "procedures:library",
]
RSR_RUN_PAGES = [
    "networks:member_add",
    "networks:organisation_create",
    "networks:partnership_create",
    "networks:goals",
    "procedures:meeting_create",
    "procedures:monitoring_term_create",
    "procedures:library_upload",
]


@pytest.mark.parametrize("tier", ["rsr", "ksr"])
def test_the_networks_above_read_only_for_the_animator(client, personas, tiers, tier):
    network = tiers[tier]
    client.force_login(personas["animator"])
    for name in RSR_READ_PAGES:
        assert client.get(reverse(name, args=[network.pk])).status_code == 200, name
    for name in RSR_RUN_PAGES:
        assert client.get(reverse(name, args=[network.pk])).status_code == 403, name


def test_the_rops_coordinator_runs_the_rsr_and_reads_the_ksr(client, personas, tiers):
    client.force_login(personas["rops"])
    for name in RSR_READ_PAGES + RSR_RUN_PAGES:
        assert client.get(reverse(name, args=[tiers["rsr"].pk])).status_code == 200, name
    for name in RSR_RUN_PAGES:
        assert client.get(reverse(name, args=[tiers["ksr"].pk])).status_code == 403, name


def test_the_ksr_coordinator_runs_the_ksr(client, personas, tiers):
    client.force_login(personas["ksr"])
    for name in RSR_READ_PAGES + RSR_RUN_PAGES:
        assert client.get(reverse(name, args=[tiers["ksr"].pk])).status_code == 200, name
    assert client.get(reverse("networks:member_add", args=[tiers["rsr"].pk])).status_code == 403


def test_another_region_is_404(client, personas, tiers):
    for persona in ("other_rops", "other_animator"):
        client.force_login(personas[persona])
        for name in RSR_READ_PAGES + RSR_RUN_PAGES:
            got = client.get(reverse(name, args=[tiers["rsr"].pk])).status_code
            assert got == 404, (persona, name, got)


def test_lsr_only_pages_still_refuse_an_rsr(client, personas, tiers):
    client.force_login(personas["rops"])
    for name in ("procedures:card_list", "procedures:need_list", "surveys:campaign_list"):
        assert client.get(reverse(name, args=[tiers["rsr"].pk])).status_code == 404


def test_the_network_list_shows_every_tier(client, personas, tiers):
    client.force_login(personas["animator"])
    body = client.get(reverse("networks:list")).content.decode()
    for key in ("lsr", "rsr", "ksr"):
        assert tiers[key].name in body
    assert tiers["other_rsr"].name not in body
    body = client.get(reverse("networks:list"), {"tier": "lsr"}).content.decode()
    assert tiers["rsr"].name not in body and tiers["lsr"].name in body


def test_the_network_list_has_constant_queries(
    client, personas, tiers, territory, django_assert_max_num_queries
):
    client.force_login(personas["ksr"])
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("networks:list"))
    for i in range(4):
        county = territory["chelmski"]
        gmina = GminaFactory(code=f"06031{60 + i}", name=f"Gmina {i}", county=county)
        make_lsr(personas["admin"], gmina)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("networks:list"))
    assert len(response.context["networks"]) == 6  # Żmudź, Warsaw and the four new LSRs
    assert len(response.context["upper"]) == 3  # the KSR and two RSRs


# --- members of an RSR and of the KSR ------------------------------------------------------------


def test_the_rops_coordinator_adds_a_supra_local_organisation(client, personas, tiers, territory):
    rsr = tiers["rsr"]
    org = _regional(territory)
    client.force_login(personas["rops"])
    url = reverse("networks:member_add", args=[rsr.pk])
    response = client.post(
        url, {"organisation": org.pk, "role": "member", "joined_on": "2026-03-01"}
    )
    assert response.status_code == 302
    assert rsr.memberships.active().filter(organisation=org).exists()


def test_an_organisation_outside_the_region_or_local_cannot_join_the_rsr(
    personas, tiers, territory
):
    rsr = tiers["rsr"]
    warsaw = make_org(
        territory["warsaw"],
        "B",
        InstitutionKind.NGO,
        Sector.NGO,
        name="Fundacja",
        operating_scope="regional",
    )
    local = _regional(territory, name="Biblioteka Gminna", scope=OperatingScope.LOCAL)
    for org in (warsaw, local):
        with pytest.raises(ValidationError) as exc:
            services.membership_add(network=rsr, organisation=org)
        assert "organisation" in exc.value.message_dict
        assert "RSR" in exc.value.message_dict["organisation"][0]


def test_bad_input_on_joining_the_rsr_is_a_polish_message_at_the_field(
    client, personas, tiers, territory
):
    rsr = tiers["rsr"]
    org = _regional(territory)
    services.membership_add(network=rsr, organisation=org)
    client.force_login(personas["rops"])
    url = reverse("networks:member_add", args=[rsr.pk])
    # the organisation is already an active member: not among the choices, refused at the field
    response = client.post(
        url, {"organisation": org.pk, "role": "member", "joined_on": "2026-03-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert "Wybierz poprawną wartość" in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        services.membership_add(network=rsr, organisation=org)
    assert exc.value.message_dict["organisation"]


def test_the_ksr_takes_national_organisations_only(personas, tiers, territory):
    regional = _regional(territory)
    with pytest.raises(ValidationError) as exc:
        services.membership_add(network=tiers["ksr"], organisation=regional)
    assert "KSR" in exc.value.message_dict["organisation"][0]
    national = make_org(
        territory["warsaw"],
        "A",
        InstitutionKind.NATIONAL_CENTRE,
        Sector.PUBLIC,
        name="Krajowy Ośrodek",
        operating_scope=OperatingScope.NATIONAL,
    )
    outcome = services.membership_add(
        network=tiers["ksr"], organisation=national, role=MemberRole.MAIN_NODE
    )
    assert outcome.warnings == []  # the national centre is the KSR's main node


def test_the_region_s_lsrs_are_members_of_the_rsr_with_dates(personas, tiers):
    rsr = tiers["rsr"]
    children = member_networks(user=personas["animator"], network=rsr)
    assert [c.pk for c in children] == [tiers["lsr"].pk]
    assert children[0].joined_parent_on == timezone.localdate()
    assert children[0].reachable
    ksr_children = member_networks(user=personas["animator"], network=tiers["ksr"])
    assert {c.pk for c in ksr_children} == {rsr.pk, tiers["other_rsr"].pk}
    assert {c.pk for c in ksr_children if c.reachable} == {rsr.pk}


def test_an_lsr_outside_the_region_cannot_be_a_member_of_the_rsr(tiers):
    other_lsr = tiers["other_lsr"]
    other_lsr.parent = tiers["rsr"]
    with pytest.raises(ValidationError) as exc:
        other_lsr.full_clean()
    assert "parent" in exc.value.message_dict


def test_an_lsr_is_marked_as_not_taking_part_with_date_reason_and_history(personas, tiers):
    lsr = tiers["lsr"]
    rops = personas["rops"]
    with pytest.raises(PermissionDenied):
        services.network_set_participation(
            user=personas["animator"],
            network=lsr,
            takes_part=False,
            left_on=date.today(),
            reason="x",
        )
    with pytest.raises(ValidationError) as exc:
        services.network_set_participation(user=rops, network=lsr, takes_part=False, reason=" ")
    assert set(exc.value.message_dict) == {"left_on", "reason"}
    with pytest.raises(ValidationError) as exc:
        services.network_set_participation(
            user=rops,
            network=lsr,
            takes_part=False,
            left_on=timezone.localdate() - timedelta(days=400),
            reason="zawieszenie",
        )
    assert "left_on" in exc.value.message_dict
    today = timezone.localdate()
    services.network_set_participation(
        user=rops, network=lsr, takes_part=False, left_on=today, reason="Gmina zawiesiła LSR."
    )
    lsr.refresh_from_db()
    assert lsr.parent_left_on == today and not lsr.takes_part
    services.network_set_participation(user=rops, network=lsr, takes_part=True)
    lsr.refresh_from_db()
    assert lsr.parent_left_on is None and lsr.parent_left_reason == ""
    reasons = list(lsr.history.values_list("parent_left_reason", flat=True))
    assert "Gmina zawiesiła LSR." in reasons


def test_the_participation_form_keeps_what_was_typed(client, personas, tiers):
    lsr = tiers["lsr"]
    client.force_login(personas["rops"])
    url = reverse("networks:participation", args=[lsr.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"takes_part": "0", "left_on": "", "reason": "Brak koordynatora"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Brak koordynatora" in body
    assert "Podaj dzień, od którego sieć nie uczestniczy." in body
    response = client.post(
        url, {"takes_part": "0", "left_on": timezone.localdate().isoformat(), "reason": "Brak"}
    )
    assert response.status_code == 302
    client.force_login(personas["animator"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("tier", ["rsr", "ksr"])
def test_member_list_has_constant_queries(
    client, personas, tiers, territory, tier, django_assert_max_num_queries
):
    network = tiers[tier]
    user = personas["admin"]
    client.force_login(user)
    url = reverse("networks:member_list", args=[network.pk])

    def grow(i):
        if tier == "rsr":
            org = _regional(territory, name=f"Ośrodek {i}")
            gmina = GminaFactory(code=f"06031{70 + i}", name=f"G{i}", county=territory["chelmski"])
            make_lsr(user, gmina)
        else:
            org = make_org(
                territory["warsaw"],
                "C",
                InstitutionKind.NGO,
                Sector.NGO,
                name=f"Fundacja {i}",
                operating_scope=OperatingScope.NATIONAL,
            )
        services.membership_add(network=network, organisation=org)
        ContactPersonFactory(organisation=org)

    grow(0)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    for i in range(1, 5):
        grow(i)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# --- the same tools at every tier ----------------------------------------------------------------


def test_a_task_partnership_inside_the_rsr(client, personas, tiers, territory):
    rsr = tiers["rsr"]
    rowr = make_org(
        territory["rejowiec"],
        "A",
        InstitutionKind.ROWR,
        Sector.PUBLIC,
        name="ROWR przy ROPS",
        operating_scope=OperatingScope.REGIONAL,
    )
    services.membership_add(network=rsr, organisation=rowr, role=MemberRole.MAIN_NODE)
    client.force_login(personas["rops"])
    response = client.post(
        reverse("networks:partnership_create", args=[rsr.pk]),
        {"name": "Szkolenia KIS", "goal": "Kompetencje zespołów KIS"},
    )
    assert response.status_code == 302
    partnership = rsr.partnerships.get()
    assert partnership.leader == rowr


def test_a_regional_meeting_read_by_the_animator(client, personas, tiers, territory):
    rsr = tiers["rsr"]
    kis_contact = ContactPersonFactory(
        organisation=tiers["lsr"].memberships.get(role="main").organisation
    )
    with pytest.raises(PermissionDenied):
        meeting_services.meeting_save(
            user=personas["animator"],
            network=rsr,
            meeting=rsr.meetings.model(held_at=timezone.now(), agenda="x"),
            attendees=[],
        )
    meeting = meeting_services.meeting_save(
        user=personas["rops"],
        network=rsr,
        meeting=rsr.meetings.model(
            held_at=timezone.now() - timedelta(days=1),
            agenda="Przegląd LSR regionu",
            minutes="Omówiono potrzeby szkoleniowe KIS.",
        ),
        attendees=[kis_contact],  # the KIS of a member LSR attends
    )
    client.force_login(personas["animator"])
    detail = reverse("procedures:meeting_detail", args=[rsr.pk, meeting.pk])
    response = client.get(detail)
    assert response.status_code == 200
    assert "Omówiono potrzeby szkoleniowe KIS." in response.content.decode()
    assert (
        client.get(reverse("procedures:meeting_edit", args=[rsr.pk, meeting.pk])).status_code == 403
    )
    client.force_login(personas["other_rops"])
    assert client.get(detail).status_code == 404


def test_the_rsr_picture_and_export_show_its_lsrs_and_supra_local_members(
    client, personas, tiers, territory
):
    rsr = tiers["rsr"]
    org = _regional(territory, name="Wojewódzki Ośrodek Kultury")
    services.membership_add(network=rsr, organisation=org)
    client.force_login(personas["animator"])  # openness: the picture and the list are public
    svg = client.get(reverse("networks:picture", args=[rsr.pk])).content.decode()
    assert "Wojewódzki Ośrodek Kultury" in svg
    assert tiers["lsr"].name in svg and "ksr-type-L" in svg
    ksr_svg = client.get(reverse("networks:picture", args=[tiers["ksr"].pk])).content.decode()
    assert rsr.name in ksr_svg and "ksr-type-R" in ksr_svg
    client.force_login(personas["rops"])
    export = client.get(reverse("networks:member_export", args=[rsr.pk, "csv"]))
    assert export.status_code == 200
    assert "Wojewódzki Ośrodek Kultury" in export.content.decode("utf-8-sig", errors="replace")
