"""The demo networks: idempotent, and they show the model's critical conditions both met and not."""

import pytest
from django.db import transaction

from ksr_portal.seed.demo import GCK_ZMUDZ, ZMUDZ_CODE, ZMUDZ_PACT, load_demo
from networks.models import (
    AgreementStatus,
    HubTask,
    MemberRole,
    Membership,
    Network,
    Partnership,
    PartnershipMember,
    Tier,
)
from stakeholders.models import (
    ContactPerson,
    InstitutionKind,
    LegalBasis,
    Organisation,
    StakeholderType,
    User,
)
from stakeholders.roles import Role
from tests.builders import demo_load

pytestmark = pytest.mark.django_db

# Real persons named in the seed documents: never to be used for demo people.
REAL_PERSONS = ["Edyta Niezgoda", "Edyta Niezgody", "Andrzej Trzeciecki"]

MODELS = [
    Organisation,
    ContactPerson,
    User,
    Network,
    Membership,
    Partnership,
    PartnershipMember,
    HubTask,
]


def counts():
    result = {model.__name__: model.objects.count() for model in MODELS}
    for model in (Organisation, ContactPerson, Network, Membership, Partnership, HubTask):
        result[f"history of {model.__name__}"] = model.history.count()
    return result


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo on the TERYT rows it needs, once for the module: written in a transaction
    rolled back after its last test (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield
        transaction.set_rollback(True)


def test_second_run_creates_and_changes_nothing(demo):
    before = counts()
    assert before["Network"] >= 1 + 3 + 4  # KSR, RSRs, LSRs
    summary = load_demo()
    assert counts() == before
    assert list(summary) == []


def test_zmudz_meets_every_critical_condition(demo):
    zmudz = Network.objects.with_conditions().get(tier=Tier.LSR, gmina__code=ZMUDZ_CODE)
    assert zmudz.has_kis_main
    assert zmudz.active_c >= 1
    assert zmudz.has_signed_partnership
    assert zmudz.has_public and zmudz.has_ngo and zmudz.has_business
    assert zmudz.variant == "administrative" and zmudz.act_number and zmudz.act_date
    assert zmudz.stage == "operating" and zmudz.seat == "Żmudź"
    assert zmudz.vision and zmudz.mission and zmudz.main_goal
    assert len(zmudz.specific_goal_list()) >= 3
    main = zmudz.memberships.active().get(role=MemberRole.MAIN_NODE).organisation
    assert main.name == "Klub Integracji Społecznej w Żmudzi" and main.is_kis

    pact = Partnership.objects.get(network=zmudz, name=ZMUDZ_PACT)
    assert pact.agreement_status == AgreementStatus.SIGNED and pact.signed_on
    assert pact.leader == main
    assert pact.partners.count() == 9  # every party seed 000 names (test_demo_consistency)
    kinds = set(pact.partners.values_list("contribution_kind", flat=True))
    assert {"premises", "staff_hours", "knowledge", "equipment"} <= kinds
    assert all(p.amount for p in pact.partners.filter(contribution_kind="staff_hours"))

    pup = zmudz.memberships.get(organisation__institution_kind=InstitutionKind.LABOUR_OFFICE)
    assert pup.organisation.is_supra_local and pup.organisation.gmina.code != ZMUDZ_CODE
    assert zmudz.memberships.active().count() == 11


def test_other_lsrs_miss_conditions(demo):
    lsrs = Network.objects.lsrs().with_conditions().exclude(gmina__code=ZMUDZ_CODE)
    assert lsrs.count() >= 3
    assert any(n.active_c == 0 for n in lsrs)
    assert any(not n.has_kis_main and n.has_main_node for n in lsrs)
    assert {n.teryt_code[:2] for n in lsrs} >= {"06", "14"}
    assert len({n.stage for n in lsrs}) >= 2
    without_c = next(n for n in lsrs if n.active_c == 0)
    assert without_c.has_kis_main and not without_c.has_signed_partnership
    assert without_c.partnerships.filter(agreement_status=AgreementStatus.DRAFT).exists()


def test_upper_tiers_have_their_main_nodes(demo):
    ksr = Network.objects.get(tier=Tier.KSR)
    rsr = Network.objects.get(tier=Tier.RSR, voivodeship__code="06")
    ksr_main = ksr.memberships.get(role=MemberRole.MAIN_NODE).organisation
    rsr_main = rsr.memberships.get(role=MemberRole.MAIN_NODE).organisation
    assert ksr_main.institution_kind == InstitutionKind.NATIONAL_CENTRE
    assert rsr_main.institution_kind == InstitutionKind.ROWR
    assert Network.objects.get(tier=Tier.LSR, gmina__code=ZMUDZ_CODE).parent == rsr


def test_partner_user_represents_a_type_c_member_of_zmudz(demo):
    partner = User.objects.get(username="partner")
    assert partner.role == Role.PARTNER
    assert partner.organisation.name == GCK_ZMUDZ
    assert partner.organisation.stakeholder_type == StakeholderType.C
    assert (
        Membership.objects.active()
        .filter(network__gmina__code=ZMUDZ_CODE, organisation=partner.organisation)
        .exists()
    )


def test_demo_people_are_invented(demo):
    contacts = list(ContactPerson.objects.values_list("name", flat=True))
    assert contacts
    assert not ContactPerson.objects.exclude(legal_basis=LegalBasis.PUBLIC_TASK).exists()
    users = [u.get_full_name() for u in User.objects.all()]
    for real in REAL_PERSONS:
        surname = real.split()[1][:6].casefold()
        for name in contacts + users:
            assert name != real
            assert surname not in name.casefold()
