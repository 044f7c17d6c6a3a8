import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from networks import selectors
from networks.models import (
    AgreementStatus,
    HubTask,
    MemberRole,
    Membership,
    Network,
    Partnership,
    PartnershipMember,
    Stage,
    Tier,
)
from networks.services import networks as services
from stakeholders.models import InstitutionKind, OperatingScope, Sector
from stakeholders.validators import validate_krs, validate_nip, validate_regon

from .conftest import make_lsr, make_org

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.mark.parametrize("value", ["526-025-02-74", "5260250274", "1234563218"])
def test_valid_nip(value):
    validate_nip(value)


@pytest.mark.parametrize(
    "value,code",
    [("5260250275", "nip_checksum"), ("12345", "nip_format"), ("abcdefghij", "nip_format")],
)
def test_invalid_nip(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_nip(value)
    assert exc.value.code == code


def test_regon_and_krs():
    validate_regon("123456785")
    validate_regon("012100784")
    with pytest.raises(ValidationError):
        validate_regon("123456789")
    with pytest.raises(ValidationError):
        validate_regon("1234")
    validate_krs("0000123456")
    with pytest.raises(ValidationError):
        validate_krs("123")


def test_lsr_joins_the_rsr_of_its_voivodeship_which_joins_the_ksr(lsr, territory):
    assert lsr.tier == Tier.LSR and lsr.teryt_code == "0603142"
    assert lsr.parent.tier == Tier.RSR and lsr.parent.voivodeship == territory["lubelskie"]
    assert lsr.parent.parent.tier == Tier.KSR
    assert HubTask.objects.filter(network=lsr).count() == 5


def test_one_lsr_per_gmina(lsr, personas, territory):
    with pytest.raises(ValidationError):
        make_lsr(personas["admin"], territory["zmudz"])


def test_animator_cannot_found_an_lsr_outside_their_gmina(personas, territory):
    with pytest.raises(ValidationError) as exc:
        make_lsr(personas["animator"], territory["warsaw"])
    assert "gmina" in exc.value.error_dict


def test_administrative_variant_needs_the_act(personas, territory):
    network = Network(name="LSR", variant="administrative")
    with pytest.raises(ValidationError) as exc:
        services.lsr_create(user=personas["animator"], gmina=territory["zmudz"], network=network)
    assert {"act_kind", "act_number", "act_date"} <= set(exc.value.error_dict)


def test_second_active_main_node_is_refused(lsr, kis, territory):
    services.membership_add(network=lsr, organisation=kis, role=MemberRole.MAIN_NODE)
    other = make_org(territory["zmudz"], "A", InstitutionKind.KIS, Sector.NGO)
    with pytest.raises(ValidationError) as exc:
        services.membership_add(network=lsr, organisation=other, role=MemberRole.MAIN_NODE)
    assert "role" in exc.value.error_dict
    # and the database refuses it too
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(network=lsr, organisation=other, role=MemberRole.MAIN_NODE)


def test_main_node_that_is_not_a_kis_is_flagged(lsr, territory):
    ops = make_org(territory["zmudz"], "B", InstitutionKind.SOCIAL_ASSISTANCE, Sector.PUBLIC)
    outcome = services.membership_add(network=lsr, organisation=ops, role=MemberRole.MAIN_NODE)
    assert outcome.warnings and "KIS" in outcome.warnings[0]


def test_organisation_from_another_gmina_needs_to_be_supra_local(lsr, territory):
    local_elsewhere = make_org(territory["rejowiec"], "C")
    with pytest.raises(ValidationError) as exc:
        services.membership_add(network=lsr, organisation=local_elsewhere)
    assert "organisation" in exc.value.error_dict
    pup = make_org(
        territory["rejowiec"],
        "B",
        InstitutionKind.LABOUR_OFFICE,
        operating_scope=OperatingScope.COUNTY,
    )
    assert services.membership_add(network=lsr, organisation=pup).obj.pk


def test_leaving_keeps_history_and_rejoining_is_a_new_period(lsr, territory):
    org = make_org(territory["zmudz"], "C")
    first = services.membership_add(
        network=lsr, organisation=org, joined_on=TODAY - datetime.timedelta(days=30)
    ).obj
    with pytest.raises(ValidationError) as exc:
        services.membership_end(membership=first, left_on=TODAY - datetime.timedelta(days=40))
    assert "left_on" in exc.value.error_dict
    services.membership_end(membership=first, left_on=TODAY - datetime.timedelta(days=10))
    second = services.membership_add(network=lsr, organisation=org).obj
    assert Membership.objects.filter(network=lsr, organisation=org).count() == 2
    assert list(Membership.objects.filter(network=lsr).active().values_list("pk", flat=True)) == [
        second.pk
    ]
    with pytest.raises(ValidationError):
        services.membership_add(network=lsr, organisation=org)


def test_leave_before_join_is_refused_by_the_database(lsr, territory):
    org = make_org(territory["zmudz"], "C")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            network=lsr,
            organisation=org,
            joined_on=TODAY,
            left_on=TODAY - datetime.timedelta(days=1),
        )


def test_conditions_panel_of_an_empty_lsr(lsr):
    network = Network.objects.with_conditions().get(pk=lsr.pk)
    conditions = {c.key: c.ok for c in selectors.critical_conditions(network)}
    assert conditions == {
        "kis_main": False,
        "type_c": False,
        "signed_partnership": False,
        "sectors": False,
    }


def test_conditions_panel_satisfied(full_lsr, kis, territory):
    partnership = services.partnership_create(
        network=full_lsr, partnership=Partnership(name="Pakt", goal="Cel")
    )
    assert partnership.leader == kis  # the KIS leads by default
    culture = full_lsr.memberships.get(organisation__name="Gminne Centrum Kultury").organisation
    services.partnership_add_partner(
        partnership=partnership,
        partner=PartnershipMember(
            organisation=culture,
            role="sala",
            contribution_kind="premises",
            contribution="Sala widowiskowa",
        ),
    )
    network = Network.objects.with_conditions().get(pk=full_lsr.pk)
    assert {c.key: c.ok for c in selectors.critical_conditions(network)}[
        "signed_partnership"
    ] is False
    services.partnership_set_status(partnership=partnership, status=AgreementStatus.CONSULTATION)
    services.partnership_set_status(
        partnership=partnership, status=AgreementStatus.SIGNED, signed_on=TODAY
    )
    network = Network.objects.with_conditions().get(pk=full_lsr.pk)
    assert all(c.ok for c in selectors.critical_conditions(network))
    assert (network.active_a, network.active_b, network.active_c) == (1, 1, 2)
    assert network.stage == Stage.AGREEMENT


def test_member_who_left_no_longer_counts(full_lsr):
    membership = full_lsr.memberships.get(organisation__name="Firma Lokalna")
    services.membership_end(membership=membership, left_on=TODAY)
    network = Network.objects.with_conditions().get(pk=full_lsr.pk)
    assert network.has_business is False
    assert network.active_c == 1


def test_agreement_transitions(full_lsr):
    partnership = services.partnership_create(
        network=full_lsr, partnership=Partnership(name="P", goal="G")
    )
    with pytest.raises(ValidationError):  # draft cannot jump to signed
        services.partnership_set_status(
            partnership=partnership, status=AgreementStatus.SIGNED, signed_on=TODAY
        )
    services.partnership_set_status(partnership=partnership, status=AgreementStatus.CONSULTATION)
    with pytest.raises(ValidationError) as exc:  # no date
        services.partnership_set_status(partnership=partnership, status=AgreementStatus.SIGNED)
    assert "signed_on" in exc.value.error_dict
    with pytest.raises(ValidationError):  # no partners yet
        services.partnership_set_status(
            partnership=partnership, status=AgreementStatus.SIGNED, signed_on=TODAY
        )


def test_partner_must_be_an_active_member(full_lsr, territory):
    partnership = services.partnership_create(
        network=full_lsr, partnership=Partnership(name="P", goal="G")
    )
    outsider = make_org(territory["zmudz"], "C")
    with pytest.raises(ValidationError):
        services.partnership_add_partner(
            partnership=partnership,
            partner=PartnershipMember(
                organisation=outsider, role="r", contribution_kind="knowledge", contribution="x"
            ),
        )


def test_partner_scope_sees_only_networks_of_its_organisation(full_lsr, personas, territory):
    partner = personas["partner"]
    culture = full_lsr.memberships.get(organisation__name="Gminne Centrum Kultury").organisation
    partner.organisation = culture
    partner.save()
    partner = type(partner).objects.get(pk=partner.pk)
    other = make_lsr(personas["admin"], territory["warsaw"])
    visible = set(Network.objects.for_user(partner).values_list("pk", flat=True))
    assert full_lsr.pk in visible and other.pk not in visible
