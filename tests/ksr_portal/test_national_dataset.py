"""The synthetic national data set (issue 7 item 4): the same shape the services produce."""

import io
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command

from ksr_portal.seed.national_dataset import LEFT_REASON, NA_REASONS, SYNTHETIC_DOMAIN
from networks.models import (
    AgreementStatus,
    HubTask,
    MemberRole,
    Membership,
    Network,
    Partnership,
    Tier,
)
from procedures.models import (
    CLOSED_ACTIVITY,
    Activity,
    ActivityStatus,
    Card,
    CardStatus,
    CardTemplate,
    Meeting,
)
from procedures.services.cards import derive_card_status
from stakeholders.models import Gmina, InstitutionKind, Organisation, StakeholderType
from stakeholders.services import teryt_load
from surveys import engine
from surveys.models import Campaign, Response

pytestmark = pytest.mark.django_db

GMINAS, MEMBERS, RESPONSES = 5, 12, 10


def generate(*extra):
    call_command(
        "generate_national_dataset",
        "--gminas",
        str(GMINAS),
        "--members",
        str(MEMBERS),
        "--responses",
        str(RESPONSES),
        *extra,
        stdout=io.StringIO(),
    )


@pytest.fixture
def dataset():
    teryt_load()
    generate()
    return list(Network.objects.filter(tier=Tier.LSR).select_related("gmina", "parent"))


def test_an_lsr_in_each_of_the_first_gminas_under_its_rsr(dataset):
    first = list(Gmina.objects.order_by("code").values_list("code", flat=True)[:GMINAS])
    assert sorted(n.gmina.code for n in dataset) == first
    for network in dataset:
        assert network.teryt_code == network.gmina.code
        assert network.parent.tier == Tier.RSR
        assert network.parent.voivodeship.code == network.gmina.code[:2]
        assert HubTask.objects.filter(network=network).count() == 5


def test_members_with_exactly_one_active_main_node(dataset):
    for network in dataset:
        memberships = Membership.objects.filter(network=network)
        assert MEMBERS * 0.7 <= memberships.count() <= MEMBERS * 1.3
        assert memberships.active().filter(role=MemberRole.MAIN_NODE).count() == 1
        types = set(memberships.values_list("organisation__stakeholder_type", flat=True))
        assert types <= {"A", "B", "C"}
    assert Organisation.objects.exclude(email__endswith=f"@{SYNTHETIC_DOMAIN}").count() == 0


def test_cards_follow_the_rules_of_the_card_service(dataset):
    for network in dataset:
        memberships = list(
            Membership.objects.filter(network=network).select_related("organisation")
        )
        main = next(m for m in memberships if m.role == MemberRole.MAIN_NODE and not m.left_on)
        social = sorted(
            (
                m
                for m in memberships
                if m.organisation.stakeholder_type == StakeholderType.B
                and m.organisation.institution_kind == InstitutionKind.SOCIAL_ASSISTANCE
            ),
            key=lambda m: m.joined_on,
        )
        # cards 6-10 go to the first social-assistance institution to join (the OPS)
        ops = social[0] if social else None
        assert len(social) < 2 or social[0].joined_on < social[1].joined_on
        type_c = {
            m.organisation_id
            for m in memberships
            if m.organisation.stakeholder_type == StakeholderType.C
        }
        expected = {(n, main.organisation_id) for n in range(1, 6)}
        if ops:
            expected |= {(n, ops.organisation_id) for n in range(6, 11)}
        expected |= {(n, org) for org in type_c for n in range(11, 14)}
        cards = set(Card.objects.filter(network=network).values_list("number", "organisation_id"))
        assert cards == expected


def test_activities_copy_the_current_templates(dataset):
    templates = {
        t.number: [(a.position, a.text) for a in t.activities.all()]
        for t in CardTemplate.objects.filter(is_current=True).prefetch_related("activities")
    }
    cards = Card.objects.filter(network__in=dataset).select_related("template")
    activities = defaultdict(list)
    for activity in Activity.objects.filter(card__in=cards).order_by("card", "position"):
        activities[activity.card_id].append((activity.position, activity.text))
    for card in cards:
        assert card.template.is_current
        assert card.title == card.template.title
        assert activities[card.pk] == templates[card.number]


def test_card_status_is_consistent_with_the_activities(dataset):
    statuses = Counter()
    left = set(
        Membership.objects.filter(network__in=dataset, left_on__isnull=False).values_list(
            "network_id", "organisation_id"
        )
    )
    for card in Card.objects.filter(network__in=dataset).prefetch_related("activities"):
        acts = list(card.activities.all())
        for a in acts:
            statuses[a.status] += 1
            assert a.status != ActivityStatus.DONE or a.done_date is not None
            assert a.status != ActivityStatus.NOT_APPLICABLE or a.not_applicable_reason
        closed = all(a.status in CLOSED_ACTIVITY for a in acts)
        if card.status == CardStatus.DONE:
            assert closed and card.completed_at is not None
        if card.completed_at is not None:
            assert closed
        if (card.network_id, card.organisation_id) in left and card.completed_at is None:
            # a leaving member's open cards are closed as not applicable by the service
            assert card.status == CardStatus.NOT_APPLICABLE and closed
            assert all(
                a.not_applicable_reason == LEFT_REASON
                for a in acts
                if a.status == ActivityStatus.NOT_APPLICABLE
                and a.not_applicable_reason not in NA_REASONS
            )
        else:
            assert card.status == derive_card_status(
                [a.status for a in acts], card.completed_at is not None
            )
    # mixed states: every status appears, and some open activities are overdue
    assert set(statuses) == set(ActivityStatus.values)
    assert Activity.objects.filter(card__network__in=dataset).overdue().exists()


def test_partnerships_meetings_and_surveys(dataset):
    for network in dataset:
        partnership = Partnership.objects.get(network=network)
        assert partnership.partners.count() >= 2
        if partnership.agreement_status == AgreementStatus.SIGNED:
            assert partnership.signed_on is not None
        campaign = Campaign.objects.get(network=network)
        assert campaign.is_launched and campaign.schema["questions"]
        responses = Response.objects.filter(campaign=campaign)
        assert responses.count() == RESPONSES
        for response in responses:
            assert set(response.data) == {"asked", "answers"}
            raw = engine.raw_from_answers(campaign.schema, response.data["answers"])
            result = engine.validate(campaign.schema, raw)
            assert result.is_valid
            assert result.asked == response.data["asked"]
    assert Meeting.objects.filter(network__in=dataset).exists()


def test_with_conditions_works_on_the_data_set(dataset):
    rows = list(Network.objects.lsrs().with_conditions())
    assert len(rows) == GMINAS
    for row in rows:
        assert row.has_main_node
        assert row.active_a + row.active_b + row.active_c >= 4


def test_refuses_a_second_run_unless_replace(dataset):
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert Network.objects.filter(tier=Tier.LSR).count() == GMINAS

    generate("--replace", "--seed", "2")
    assert Network.objects.filter(tier=Tier.LSR).count() == GMINAS
    assert Response.objects.count() == GMINAS * RESPONSES
    # the organisations of the first run were removed, not piled up
    assert (
        Organisation.objects.count() == Membership.objects.values("organisation").distinct().count()
    )


def test_loads_the_register_when_missing():
    assert not Gmina.objects.exists()
    call_command(
        "generate_national_dataset",
        "--gminas",
        "2",
        "--members",
        "6",
        "--responses",
        "1",
        stdout=io.StringIO(),
    )
    assert Gmina.objects.count() == 2477
    assert Network.objects.filter(tier=Tier.LSR).count() == 2
