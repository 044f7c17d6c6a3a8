"""Needs to the end (issue 14 §4: accept an offer, re-address, close with an outcome) and needs
escalated LSR → RSR → KSR with offers of the tier (issue 12 §5)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ksr_portal.core.notifications.models import Kind, Notification
from networks.models import Network, Tier
from networks.services import networks as network_services
from procedures.models import Need, NeedEventKind, NeedKind, NeedResponse, ResponseKind
from procedures.selectors import needs as selectors_needs
from procedures.services.needs import (
    NeedStatus,
    escalation_refusal,
    need_accept_offer,
    need_close,
    need_escalate,
    need_escalate_to_ksr,
    need_offer,
    need_post,
    need_readdress,
    need_respond,
    need_status,
)
from stakeholders.models import OperatingScope
from stakeholders.roles import Role
from tests.builders import make_lsr, make_org
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def cast(cast, personas, territory):
    """The needs cast (tests/procedures/conftest.py) with the Żmudź LSR in the RSR lubelskie,
    which has a supra-local member (a labour office); the Rejowiec LSR of the same region with a
    partner; the KSR with a national organisation; a partner user for each organisation that
    answers; an outsider outside the region."""
    lsr = cast["lsr"]
    rsr = lsr.parent
    ksr = rsr.parent
    labour_office = make_org(
        territory["rejowiec"],
        "B",
        name="Powiatowy Urząd Pracy",
        operating_scope=OperatingScope.COUNTY,
    )
    network_services.membership_add(network=rsr, organisation=labour_office)
    rejowiec = make_lsr(personas["admin"], territory["rejowiec"])
    neighbour = make_org(territory["rejowiec"], "C", name="Dom Kultury w Rejowcu")
    network_services.membership_add(network=rejowiec, organisation=neighbour)
    national = make_org(
        territory["warsaw"],
        "C",
        name="Fundacja Ogólnopolska",
        operating_scope=OperatingScope.NATIONAL,
    )
    network_services.membership_add(network=ksr, organisation=national)

    def rep(username, organisation):
        return UserFactory(username=username, role=Role.PARTNER, organisation=organisation)

    return {
        **cast,
        "rsr": rsr,
        "ksr_net": ksr,
        "labour_office": labour_office,
        "neighbour": neighbour,
        "national": national,
        "outsider": make_org(territory["warsaw"], "C", name="Firma spoza regionu"),
        "labour_office_user": rep("pup1", labour_office),
        "neighbour_user": rep("rejowiec1", neighbour),
        "national_user": rep("national1", national),
        **personas,
    }


def post(cast, *addressees, **fields):
    return need_post(
        network=cast["lsr"],
        posted_by=cast["kis"],
        need=Need(
            kind=NeedKind.PERSONNEL,
            description=fields.get("description", "Instruktor plastyki na 4 godziny"),
            needed_when="luty–czerwiec, wtorki",
            answer_by=fields.get("answer_by"),
        ),
        addressees=[cast[a] for a in addressees],
        addressed_to_all=False,
        user=cast["animator"],
    )


def answer(cast, need, who, kind=ResponseKind.OFFER, text="Sala we wtorki"):
    return need_respond(
        need=need, organisation=cast[who], kind=kind, text=text, user=cast[f"{who}_user"]
    )


def declined(cast):
    need = post(cast, "culture")
    answer(cast, need, "culture", ResponseKind.DECLINE, "Brak instruktora")
    return need


def fresh(need):
    return selectors_needs.with_status(Need.objects.filter(pk=need.pk)).get()


def steps(need):
    return list(need.events.values_list("kind", flat=True))


def told(user, kind=None):
    notes = Notification.objects.filter(recipient=user)
    return list((notes.filter(kind=kind) if kind else notes).values_list("title", flat=True))


# --- accept, re-address, close ---------------------------------------------------------------------


class TestAccept:
    def test_accepting_an_offer_meets_the_need_and_tells_the_partner(self, cast):
        need = post(cast, "culture", "firm")
        offer = answer(cast, need, "culture")
        need_accept_offer(need=need, response=offer, user=cast["animator"])
        assert fresh(need).status == NeedStatus.MET == need_status(need)
        offer.refresh_from_db()
        assert offer.accepted_at is not None
        assert any("accepted the offer" in t for t in told(cast["culture_user"]))
        assert steps(need) == [NeedEventKind.POSTED, NeedEventKind.OFFERED, NeedEventKind.ACCEPTED]

    def test_a_met_need_takes_no_more_answers_nor_a_second_acceptance(self, cast):
        need = post(cast, "culture", "firm")
        need_accept_offer(need=need, response=answer(cast, need, "culture"), user=cast["animator"])
        with pytest.raises(ValidationError, match="already been accepted"):
            answer(cast, need, "firm")
        with pytest.raises(ValidationError, match="already been accepted"):
            need_accept_offer(need=need, response=NeedResponse.objects.get(), user=cast["animator"])

    def test_a_decline_is_not_accepted(self, cast):
        need = declined(cast)
        with pytest.raises(ValidationError, match="offers made for this need"):
            need_accept_offer(need=need, response=need.responses.get(), user=cast["animator"])

    def test_only_the_animator_accepts(self, cast):
        need = post(cast, "culture")
        offer = answer(cast, need, "culture")
        for who in ("rops", "culture_user", "other_animator"):
            with pytest.raises(PermissionDenied):
                need_accept_offer(need=need, response=offer, user=cast[who])


class TestReaddress:
    def test_a_declined_need_goes_to_more_partners(self, cast):
        need = declined(cast)
        assert fresh(need).status == NeedStatus.DECLINED
        need_readdress(need=need, addressees=[cast["firm"]], user=cast["animator"])
        assert set(need.addressees.values_list("name", flat=True)) == {
            "Gminne Centrum Kultury",
            "Firma Lokalna",
        }
        assert fresh(need).status == NeedStatus.OPEN
        assert told(cast["firm_user"], Kind.NEED_ADDRESSED)
        assert steps(need)[-1] == NeedEventKind.READDRESSED

    @pytest.mark.parametrize(
        ("who", "message"),
        [
            ("culture", "not been addressed to yet"),
            ("outsider", "only to active members"),
            ("kis", "only to active members"),
        ],
    )
    def test_bad_addressees(self, cast, who, message):
        need = declined(cast)
        with pytest.raises(ValidationError, match=message):
            need_readdress(need=need, addressees=[cast[who]], user=cast["animator"])
        with pytest.raises(ValidationError, match="at least one"):
            need_readdress(need=need, addressees=[], user=cast["animator"])


class TestClose:
    def test_close_with_an_outcome(self, cast):
        need = declined(cast)
        need_close(need=need, outcome="partly", outcome_text="Pół semestru", user=cast["animator"])
        need.refresh_from_db()
        assert (need.outcome, need.outcome_text) == ("partly", "Pół semestru")
        assert fresh(need).status == NeedStatus.CLOSED
        event = need.events.last()
        assert event.kind == NeedEventKind.CLOSED and "Pół semestru" in event.text

    def test_outcome_and_text_are_needed(self, cast):
        need = declined(cast)
        with pytest.raises(ValidationError) as exc:
            need_close(need=need, outcome="maybe", outcome_text=" ")
        assert set(exc.value.message_dict) == {"outcome", "outcome_text"}
        assert Need.objects.get().closed_at is None


# --- escalation ---------------------------------------------------------------------------------


class TestEscalate:
    def test_a_need_declined_by_all_goes_to_the_rsr_then_to_the_ksr(self, cast):
        need = declined(cast)
        need_escalate(need=need, user=cast["animator"])
        need.refresh_from_db()
        assert need.escalation_tier == Tier.RSR
        assert any("escalated to" in t for t in told(cast["rops"], Kind.QUEUE_ITEM))
        assert told(cast["labour_office_user"], Kind.QUEUE_ITEM)
        with pytest.raises(ValidationError, match="already been escalated to the RSR"):
            need_escalate(need=need, user=cast["animator"])
        need_escalate_to_ksr(need=need, user=cast["rops"])
        need.refresh_from_db()
        assert need.escalation_tier == Tier.KSR
        with pytest.raises(ValidationError, match="already been escalated to the KSR"):
            need_escalate_to_ksr(need=need, user=cast["rops"])
        assert steps(need)[-2:] == [NeedEventKind.ESCALATED_RSR, NeedEventKind.ESCALATED_KSR]

    def test_no_offer_by_the_deadline_escalates(self, cast):
        yesterday = timezone.localdate() - timedelta(days=1)
        need = post(cast, "culture", answer_by=yesterday)
        assert escalation_refusal(need, to=Tier.RSR) is None
        late = post(cast, "culture", answer_by=yesterday + timedelta(days=2))
        assert "every addressed partner has declined" in escalation_refusal(late, to=Tier.RSR)

    def test_an_open_need_with_or_without_an_offer_does_not_escalate(self, cast):
        waiting = post(cast, "culture", "firm")
        with pytest.raises(ValidationError, match="every addressed partner has declined"):
            need_escalate(need=waiting, user=cast["animator"])
        answer(cast, waiting, "culture", ResponseKind.DECLINE, "Nie")
        answer(cast, waiting, "firm")
        with pytest.raises(ValidationError, match="Only unmet needs are escalated"):
            need_escalate(need=waiting, user=cast["animator"])
        assert Need.objects.get().escalated_at is None

    def test_a_met_or_closed_need_does_not_escalate(self, cast):
        met = post(cast, "culture", "firm")
        answer(cast, met, "firm", ResponseKind.DECLINE, "Nie")
        need_accept_offer(need=met, response=answer(cast, met, "culture"), user=cast["animator"])
        with pytest.raises(ValidationError, match="closed|Only unmet"):
            need_escalate(need=met, user=cast["animator"])
        closed = declined(cast)
        need_close(need=closed, outcome="not_met", outcome_text="Brak")
        with pytest.raises(ValidationError, match="closed"):
            need_escalate(need=closed, user=cast["animator"])

    def test_an_lsr_without_an_rsr_cannot_escalate(self, cast):
        Network.objects.filter(pk=cast["lsr"].pk).update(parent=None)
        need = declined(cast)
        with pytest.raises(ValidationError, match="not a member of an RSR"):
            need_escalate(need=need, user=cast["animator"])

    def test_the_ksr_only_after_the_rsr(self, cast):
        need = declined(cast)
        with pytest.raises(ValidationError, match="escalate it to the RSR first"):
            need_escalate_to_ksr(need=need, user=cast["rops"])

    @pytest.mark.parametrize("who", ["rops", "culture_user", "other_animator", "ksr"])
    def test_only_the_animator_escalates_from_the_lsr(self, cast, who):
        with pytest.raises(PermissionDenied):
            need_escalate(need=declined(cast), user=cast[who])

    @pytest.mark.parametrize("who", ["animator", "other_rops", "labour_office_user"])
    def test_only_a_coordinator_of_the_region_escalates_to_the_ksr(self, cast, who):
        need = declined(cast)
        need_escalate(need=need, user=cast["animator"])
        with pytest.raises(PermissionDenied):
            need_escalate_to_ksr(need=need, user=cast[who])


class TestOffer:
    @pytest.fixture
    def escalated(self, cast):
        need = declined(cast)
        return need_escalate(need=need, user=cast["animator"])

    def offer(self, cast, need, who, by=None, network="rsr", text="Instruktor we wtorki"):
        return need_offer(
            need=need,
            network=cast[network],
            organisation=cast[who],
            text=text,
            user=cast[by or f"{who}_user"],
        )

    def test_a_supra_local_member_offers_and_the_animator_hears(self, cast, escalated):
        response = self.offer(cast, escalated, "labour_office")
        assert (response.tier, response.kind) == (Tier.RSR, ResponseKind.OFFER)
        assert fresh(escalated).status == NeedStatus.MATCHED
        assert any("escalated to the RSR" in t for t in told(cast["animator"], Kind.NEED_ANSWERED))
        need_accept_offer(need=escalated, response=response, user=cast["animator"])
        assert any("accepted the offer" in t for t in told(cast["labour_office_user"]))
        assert steps(escalated)[-2:] == [NeedEventKind.OFFERED, NeedEventKind.ACCEPTED]

    def test_a_partner_of_another_lsr_of_the_region_offers(self, cast, escalated):
        assert self.offer(cast, escalated, "neighbour").organisation == cast["neighbour"]

    def test_the_coordinator_offers_for_a_member_organisation(self, cast, escalated):
        response = self.offer(cast, escalated, "labour_office", by="rops")
        assert response.responded_by == cast["rops"]
        need_accept_offer(need=escalated, response=response, user=cast["animator"])
        assert told(cast["rops"], Kind.NEED_ANSWERED)  # who recorded it hears too

    def test_who_may_not_offer(self, cast, escalated):
        with pytest.raises(ValidationError, match="cannot offer here"):
            self.offer(cast, escalated, "outsider", by="rops")
        with pytest.raises(ValidationError, match="cannot offer here"):
            self.offer(cast, escalated, "national", by="rops")  # a KSR member, not yet
        with pytest.raises(PermissionDenied):
            self.offer(cast, escalated, "neighbour", by="labour_office_user")
        with pytest.raises(PermissionDenied):
            self.offer(cast, escalated, "labour_office", by="animator")
        with pytest.raises(PermissionDenied):
            self.offer(cast, escalated, "labour_office", by="other_rops")
        assert not NeedResponse.objects.filter(tier=Tier.RSR).exists()

    def test_a_need_not_escalated_takes_no_tier_offer(self, cast):
        need = declined(cast)
        with pytest.raises(ValidationError, match="has not been escalated"):
            self.offer(cast, need, "labour_office")

    def test_one_offer_per_organisation_and_a_description(self, cast, escalated):
        with pytest.raises(ValidationError) as exc:
            self.offer(cast, escalated, "labour_office", text="  ")
        assert "text" in exc.value.message_dict
        self.offer(cast, escalated, "labour_office")
        with pytest.raises(ValidationError, match="already answered|cannot offer here"):
            self.offer(cast, escalated, "labour_office")

    def test_national_organisations_offer_at_the_ksr(self, cast, escalated):
        with pytest.raises(ValidationError, match="has not been escalated"):
            self.offer(cast, escalated, "national", network="ksr_net")
        need_escalate_to_ksr(need=escalated, user=cast["rops"])
        response = self.offer(cast, escalated, "national", network="ksr_net")
        assert response.tier == Tier.KSR
        assert any("escalated to the KSR" in t for t in told(cast["animator"]))
        response = self.offer(cast, escalated, "neighbour", by="ksr", network="ksr_net")
        assert response.responded_by == cast["ksr"]


# --- views --------------------------------------------------------------------------------------


@pytest.fixture
def escalated(cast):
    return need_escalate(need=declined(cast), user=cast["animator"])


def queue(network):
    return reverse("procedures:escalated_needs", args=[network.pk])


def page(network, need):
    return reverse("procedures:escalated_need", args=[network.pk, need.pk])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # RSR queue, escalated need (RSR), LSR pk as the queue; the RSR is open to the animator
        # of its LSR (open_network_path), but the queue is for those who offer resources: 403
        ("rops", (200, 200, 404)),
        ("ksr", (200, 200, 404)),
        ("admin", (200, 200, 404)),
        ("other_rops", (404, 404, 404)),
        ("animator", (403, 403, 403)),
        ("labour_office_user", (200, 200, 404)),
        ("other_animator", (404, 404, 404)),
    ],
)
def test_queue_scoping(client, cast, escalated, who, expected):
    client.force_login(cast[who])
    got = (
        client.get(queue(cast["rsr"])).status_code,
        client.get(page(cast["rsr"], escalated)).status_code,
        client.get(queue(cast["lsr"])).status_code,
    )
    assert got == expected


def test_the_ksr_queue(client, cast, escalated):
    client.force_login(cast["ksr"])
    assert escalated.pk not in [n.pk for n in client.get(queue(cast["ksr_net"])).context["needs"]]
    need_escalate_to_ksr(need=escalated, user=cast["rops"])
    response = client.get(queue(cast["ksr_net"]))
    assert [n.pk for n in response.context["needs"]] == [escalated.pk]
    assert client.get(page(cast["ksr_net"], escalated)).status_code == 200
    client.force_login(cast["national_user"])
    assert client.get(page(cast["ksr_net"], escalated)).status_code == 200
    client.force_login(cast["animator"])
    assert client.get(queue(cast["ksr_net"])).status_code == 403  # open to it, not its tool


def test_a_need_not_in_this_queue_is_404(client, cast, escalated):
    client.force_login(cast["ksr"])
    assert client.get(page(cast["ksr_net"], escalated)).status_code == 404  # not at the KSR yet
    client.force_login(cast["rops"])
    assert client.get(page(cast["rsr"], declined(cast))).status_code == 404


def test_the_rops_coordinator_offers_and_escalates_from_the_page(client, cast, escalated):
    client.force_login(cast["rops"])
    body = client.get(queue(cast["rsr"])).content.decode()
    assert "Instruktor plastyki" in body and "LSR" in body
    response = client.post(
        page(cast["rsr"], escalated),
        {"organisation": cast["labour_office"].pk, "text": "Doradczyni we wtorki"},
    )
    assert response.status_code == 302
    assert NeedResponse.objects.get(tier=Tier.RSR).organisation == cast["labour_office"]
    response = client.post(
        reverse("procedures:escalated_need_to_ksr", args=[cast["rsr"].pk, escalated.pk]),
        follow=True,
    )
    assert "Only unmet needs are escalated" in response.content.decode()


def test_offer_bad_input_keeps_what_was_typed(client, cast, escalated):
    client.force_login(cast["rops"])
    response = client.post(page(cast["rsr"], escalated), {"organisation": "", "text": "Sala"})
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert "Sala" in response.content.decode()
    response = client.post(
        page(cast["rsr"], escalated), {"organisation": cast["outsider"].pk, "text": "Sala"}
    )
    assert response.status_code == 200 and response.context["form"].errors["organisation"]
    assert not NeedResponse.objects.filter(tier=Tier.RSR).exists()


def test_a_representative_offers_for_its_own_organisation_only(client, cast, escalated):
    client.force_login(cast["labour_office_user"])
    response = client.get(page(cast["rsr"], escalated))
    assert list(response.context["form"].fields["organisation"].queryset) == [cast["labour_office"]]
    client.post(
        page(cast["rsr"], escalated),
        {"organisation": cast["labour_office"].pk, "text": "Doradczyni zawodowa"},
    )
    assert NeedResponse.objects.get(tier=Tier.RSR).responded_by == cast["labour_office_user"]


def test_the_animator_accepts_on_the_need_page_and_sees_the_timeline(client, cast, escalated):
    offer = need_offer(
        need=escalated,
        network=cast["rsr"],
        organisation=cast["labour_office"],
        text="Doradczyni we wtorki",
        user=cast["rops"],
    )
    url = reverse("procedures:need_detail", args=[cast["lsr"].pk, escalated.pk])
    client.force_login(cast["animator"])
    body = client.get(url).content.decode()
    assert "Doradczyni we wtorki" in body and 'id="need-timeline"' in body
    accept = reverse("procedures:need_accept", args=[cast["lsr"].pk, escalated.pk])
    assert client.post(accept, {"response": "nonsense"}, follow=True).status_code == 200
    response = client.post(accept, {"response": offer.pk}, follow=True)
    assert "has been accepted" in response.content.decode()
    assert fresh(escalated).status == NeedStatus.MET
    timeline = response.context["events"]
    assert [e.kind for e in timeline][-3:] == ["escalated_rsr", "offered", "accepted"]
    client.force_login(cast["rops"])
    assert client.post(accept, {"response": offer.pk}).status_code == 403


def test_escalate_view_refuses_with_a_message(client, cast):
    need = post(cast, "culture")
    client.force_login(cast["animator"])
    url = reverse("procedures:need_escalate", args=[cast["lsr"].pk, need.pk])
    response = client.post(url, follow=True)
    assert "every addressed partner has declined" in response.content.decode()
    answer(cast, need, "culture", ResponseKind.DECLINE, "Nie")
    assert client.post(url).status_code == 302
    assert Need.objects.get().escalated_at is not None


def test_close_and_readdress_pages_keep_bad_input(client, cast):
    need = declined(cast)
    client.force_login(cast["animator"])
    close = reverse("procedures:need_close", args=[cast["lsr"].pk, need.pk])
    response = client.post(close, {"outcome": "", "outcome_text": "Nic z tego"})
    assert response.status_code == 200 and response.context["form"].errors["outcome"]
    assert "Nic z tego" in response.content.decode()
    readdress = reverse("procedures:need_readdress", args=[cast["lsr"].pk, need.pk])
    response = client.post(readdress, {"addressees": [cast["outsider"].pk]})
    assert response.status_code == 200 and response.context["form"].errors["addressees"]
    assert client.post(readdress, {"addressees": [cast["firm"].pk]}).status_code == 302
    assert client.post(close, {"outcome": "met", "outcome_text": "Firma"}).status_code == 302
    assert Need.objects.get().outcome == "met"


@pytest.mark.parametrize("tier", ["rsr", "ksr"])
def test_queue_query_count_is_constant(client, cast, tier):
    network = cast["rsr"] if tier == "rsr" else cast["ksr_net"]
    client.force_login(cast["rops"] if tier == "rsr" else cast["ksr"])
    url = queue(network)

    def make(n):
        for i in range(n):
            need = need_escalate(
                need=declined(cast) if i % 2 else post(cast, "culture", answer_by=yesterday),
                user=cast["animator"],
            )
            if tier == "ksr":
                need_escalate_to_ksr(need=need, user=cast["rops"])
            need_offer(
                need=need,
                network=network,
                organisation=cast["labour_office"],
                text=f"Oferta {i}",
                user=cast["rops"] if tier == "rsr" else cast["ksr"],
            )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    yesterday = timezone.localdate() - timedelta(days=1)
    make(2)
    few = count()
    make(6)
    assert len(client.get(url).context["needs"]) == 8
    assert count() == few


def test_escalated_pages_follow_the_house_rules(client, cast, escalated):
    client.force_login(cast["rops"])
    pages = [client.get(queue(cast["rsr"])), client.get(page(cast["rsr"], escalated))]
    client.force_login(cast["animator"])
    for name in ("need_detail", "need_close", "need_readdress"):
        pages.append(client.get(reverse(f"procedures:{name}", args=[cast["lsr"].pk, escalated.pk])))
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        assert body.count("<h1") == 1
        assert " style=" not in body
        assert "<script>" not in body
