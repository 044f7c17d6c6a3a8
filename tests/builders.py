"""Builders that go through the services on purpose (an LSR opens its cards, a launched campaign
freezes its questionnaire), with the factories underneath. Plain functions, no fixtures."""

import csv
import io
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from networks.models import Network
from networks.services import networks as services
from stakeholders.models import InstitutionKind, Sector

from . import factories


def make_org(
    gmina, stakeholder_type="C", kind=InstitutionKind.CULTURE, sector=Sector.PUBLIC, **extra
):
    return factories.OrganisationFactory(
        gmina=gmina,
        stakeholder_type=stakeholder_type,
        institution_kind=kind,
        sector=sector,
        **extra,
    )


def make_lsr(user, gmina, **extra):
    """An LSR founded through the service (it joins its RSR; cards open as members join)."""
    network = factories.NetworkFactory.build(gmina=gmina, **extra)
    return services.lsr_create(user=user, gmina=gmina, network=network)


def launched_campaign(network, questionnaire=None, **fields):
    """A campaign frozen at launch through the service (the default ANKIETA unless given); one
    whose closing date has passed is recorded as a survey that has already run."""
    from django.utils import timezone

    from surveys.services import campaigns as campaign_services
    from surveys.services import responses as response_services

    questionnaire = questionnaire or response_services.questionnaire_load_default()
    campaign = factories.CampaignFactory(network=network, questionnaire=questionnaire, **fields)
    if campaign.closes_at <= timezone.now():
        return campaign_services.campaign_record_past(campaign=campaign)
    return campaign_services.campaign_launch(campaign=campaign)


# --- the demo site: the seeded demo data plus one of every object in the Żmudź LSR ----------------


def _teryt_of_demo_gminas() -> Path:
    """The TERYT rows the demo needs (its gminas, their counties, all voivodeships): loading
    these instead of the whole register saves most of the seed's time."""
    from ksr_portal.seed.demo import REQUIRED_CODES
    from stakeholders.services import TERYT_FILE

    with TERYT_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counties = {code[:4] for code in REQUIRED_CODES}
    kept = [
        row
        for row in rows
        if row["kind"] == "voivodeship"
        or (row["kind"] == "county" and row["woj"] + row["pow"] in counties)
        or (
            row["kind"] == "municipality"
            and row["woj"] + row["pow"] + row["gmi"] + row["rodz"] in REQUIRED_CODES
        )
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(kept)
    path = Path(tempfile.mkstemp(suffix=".csv")[1])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def demo_load() -> None:
    """The seeded demo on the TERYT rows it needs (``_teryt_of_demo_gminas``), nothing added."""
    from ksr_portal.seed.demo import load_demo
    from stakeholders.services import teryt_load

    teryt = _teryt_of_demo_gminas()
    try:
        teryt_load(path=teryt)
    finally:
        teryt.unlink()
    load_demo()


GARWOLIN_CODE = "1403042"  # the demo LSR in mazowieckie: outside every Żmudź scope


def _account_objects(users: dict, zmudz: Network) -> dict:
    """What the accounts, notifications and printing-job URLs name: an invitation to the portal
    (with its one-time link), a notification, a calendar feed, an e-mail change and unsubscribe
    link, and a finished document job of the administrator's."""
    from ksr_portal.accounts import services as account_services
    from ksr_portal.accounts.tokens import encode_pk, invitation_token
    from ksr_portal.core.notifications.models import Kind
    from ksr_portal.core.notifications.services import unsubscribe_token
    from ksr_portal.printing.models import DocumentKind, JobStatus

    animator = users["animator"]
    invitation = factories.AccountInvitationFactory(invited_by=animator)
    invitation.gminas.set([zmudz.gmina])
    job = factories.DocumentJobFactory(
        user=users["admin"],
        kind=DocumentKind.BATCH,
        network=None,
        voivodeship=zmudz.gmina.county.voivodeship,
        status=JobStatus.DONE,
        progress=100,
        file=ContentFile(b"%PDF-1.7 walker", name="porozumienia.pdf"),
        filename="porozumienia.pdf",
    )
    return {
        "account_invitation_pk": invitation.pk,
        "invitation_uidb64": encode_pk(invitation.pk),
        "invitation_link_token": invitation_token.make_token(invitation),
        "notification_pk": factories.NotificationFactory(recipient=animator).pk,
        "calendar_token": account_services.calendar_token_reset(user=animator).calendar_token,
        "email_token": account_services.email_change_request(
            user=animator, new_email="animator-nowy@example.org"
        ),
        "unsubscribe_token": unsubscribe_token(animator, Kind.NEED_ADDRESSED),
        "job_pk": job.pk,
    }


def _recommendation_objects(zmudz) -> dict:
    """The demo's experience item of the Żmudź LSR and its adopted KSR recommendation."""
    from ksr_portal.recommendations.models import ExperienceItem, Recommendation

    return {
        "item_pk": ExperienceItem.objects.filter(network=zmudz).order_by("pk").first().pk,
        "recommendation_pk": Recommendation.objects.order_by("pk").first().pk,
    }


def demo_site() -> dict:
    """``load_demo`` (users animator, rops, ksr, partner, admin; four LSRs, the RSRs and the KSR)
    plus what the demo leaves out in the Żmudź LSR (a meeting, a monitoring term, a library
    document, evidence, an evaluation, a questionnaire and an interview guide of its own), and
    users outside the Żmudź scope. Returns the users and the objects by URL argument name."""
    from ksr_portal.seed.demo import DEMO_USERS, ZMUDZ_CODE
    from procedures.models import Activity, Card, Need
    from stakeholders.models import Gmina, Voivodeship
    from stakeholders.roles import Role
    from surveys.models import Campaign, Interview
    from surveys.services.campaigns import questionnaire_copy

    demo_load()
    User = factories.UserFactory._meta.model
    users = {
        u.username: u for u in User.objects.filter(username__in=[u["username"] for u in DEMO_USERS])
    }
    zmudz = Network.objects.get(tier="lsr", gmina__code=ZMUDZ_CODE)
    garwolin = Gmina.objects.get(code=GARWOLIN_CODE)
    outsider_org = factories.OrganisationFactory(gmina=garwolin, name="Organizacja spoza Żmudzi")
    users.update(
        other_animator=factories.UserFactory(
            username="animator_garwolin", role=Role.ANIMATOR, gminas=[garwolin]
        ),
        other_rops=factories.UserFactory(
            username="rops_mazowieckie",
            role=Role.ROPS,
            voivodeship=Voivodeship.objects.get(code="14"),
        ),
        other_partner=factories.UserFactory(
            username="partner_garwolin", role=Role.PARTNER, organisation=outsider_org
        ),
    )

    card = Card.objects.filter(network=zmudz).order_by("number").first()
    activity = Activity.objects.filter(card=card).order_by("position").first()
    meeting = factories.MeetingFactory(network=zmudz)
    campaign = Campaign.objects.filter(network=zmudz).order_by("pk").first()
    questionnaire = questionnaire_copy(
        source=campaign.questionnaire, network=zmudz, title="Kopia ANKIETY"
    )
    guide = factories.InterviewGuideFactory(network=zmudz)
    evaluation = factories.EvaluationFactory(network=zmudz)
    open_campaign = launched_campaign(zmudz, title="Ankieta otwarta")
    partner_need = factories.NeedFactory(
        network=zmudz,
        posted_by=zmudz.memberships.get(role="main", left_on__isnull=True).organisation,
        addressees=[users["partner"].organisation],
    )
    membership = zmudz.memberships.filter(left_on__isnull=True).order_by("pk").first()
    objects_of_accounts = _account_objects(users, zmudz)
    partnership = zmudz.partnerships.order_by("pk").first()
    objects = {
        "pk": zmudz.pk,
        "card_pk": card.pk,
        "activity_pk": activity.pk,
        "evidence_pk": factories.EvidenceFactory(activity=activity).pk,
        "membership_pk": membership.pk,
        "org_pk": membership.organisation_id,
        "contact_pk": factories.ContactPersonFactory(organisation=membership.organisation).pk,
        "task_pk": zmudz.hub_tasks.order_by("pk").first().pk,
        "partnership_pk": partnership.pk,
        "need_pk": partner_need.pk,
        "meeting_pk": meeting.pk,
        "term_pk": factories.MonitoringTermFactory(network=zmudz, presented_at=meeting).pk,
        "doc_pk": factories.LibraryDocumentFactory(network=zmudz).pk,
        "campaign_pk": campaign.pk,
        "questionnaire_pk": questionnaire.pk,
        "question_pk": questionnaire.questions.order_by("number").first().pk,
        "interview_pk": Interview.objects.filter(network=zmudz).order_by("pk").first().pk,
        "guide_pk": guide.pk,
        "evaluation_pk": evaluation.pk,
        "field": "q11",
        "fmt": "csv",
        "kind": "list-intencyjny",
        "code": ZMUDZ_CODE,
        "token": factories.InvitationFactory(campaign=open_campaign).token,
        "public_token": open_campaign.public_token,
        "uidb64": "MQ",
        **_recommendation_objects(zmudz),
        **objects_of_accounts,
        "rsr_pk": zmudz.parent_id,
        "escalated_need_pk": Need.objects.get(network=zmudz, escalated_at__isnull=False).pk,
        **_support_objects(zmudz),
    }
    return {"users": users, "objects": objects, "network": zmudz}


def _support_objects(zmudz) -> dict:
    """The demo's support to LSRs (``ksr_portal.seed.demo_support``) by URL argument name."""
    from networks.models import PotentialStakeholder, SupportEvent, SupportRequest
    from procedures.models import SeminarParticipant

    return {
        "participant_pk": SeminarParticipant.objects.filter(meeting__network=zmudz)
        .order_by("pk")
        .first()
        .pk,
        "rsr_pk": zmudz.parent_id,
        "request_pk": SupportRequest.objects.filter(lsr=zmudz).order_by("pk").first().pk,
        "event_pk": SupportEvent.objects.filter(rsr_id=zmudz.parent_id).order_by("pk").first().pk,
        "candidate_pk": PotentialStakeholder.objects.filter(network=zmudz, status="contacted")
        .order_by("pk")
        .first()
        .pk,
    }
