"""The one notification mechanism: fan-out (who gets what, nobody outside the scope), e-mail at
once or in a daily digest, unsubscribe per kind, the bell and the list, and the daily sweep."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ksr_portal.core.notifications import services as notification_services
from ksr_portal.core.notifications.models import Delivery, Kind, Notification
from ksr_portal.evaluations.models import Deficiency, Evaluation
from ksr_portal.evaluations.services import evaluation_save
from networks.services import networks as network_services
from procedures.models import Activity, Card, Meeting, Need, ResponseKind
from procedures.services.meetings import meeting_cancel, meeting_save
from procedures.services.needs import need_post, need_respond
from stakeholders.models import Organisation
from stakeholders.roles import Role
from tests.builders import make_lsr, make_org
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_commit_at_once(monkeypatch):
    """The test's transaction never commits: run what services defer to the commit at once."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def cast(full_lsr, kis, personas, territory):
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    firm = Organisation.objects.get(name="Firma Lokalna")
    warsaw_lsr = make_lsr(personas["admin"], territory["warsaw"])
    warsaw_org = make_org(territory["warsaw"], "C", name="Dom Kultury Warszawa")
    network_services.membership_add(network=warsaw_lsr, organisation=warsaw_org)
    return {
        "lsr": full_lsr,
        "kis": kis,
        "culture": culture,
        "firm": firm,
        "kis_user": UserFactory(username="kis1", role=Role.PARTNER, organisation=kis),
        "culture_user": UserFactory(username="gck1", role=Role.PARTNER, organisation=culture),
        "firm_user": UserFactory(username="firm1", role=Role.PARTNER, organisation=firm),
        "warsaw_user": UserFactory(username="waw1", role=Role.PARTNER, organisation=warsaw_org),
        "warsaw_lsr": warsaw_lsr,
        **personas,
    }


def post_need(cast, addressees):
    return need_post(
        network=cast["lsr"],
        posted_by=cast["kis"],
        need=Need(kind="premises", description="Sala na 20 osób", needed_when="marzec 2027"),
        addressees=addressees,
        addressed_to_all=False,
    )


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_need_is_told_to_its_addressees_only(cast):
    mail.outbox.clear()
    need = post_need(cast, [cast["culture"]])
    assert told(Kind.NEED_ADDRESSED) == {"gck1"}
    assert [m.to for m in mail.outbox] == [["gck1@example.org"]]
    message = mail.outbox[0]
    assert "Sala na 20 osób" in message.body
    assert f"/sieci/{need.network_id}/potrzeby/{need.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "Wypisz się" in html and 'lang="pl"' in html


def test_an_answer_is_told_to_the_poster_and_the_animator_without_addresses(cast):
    need = post_need(cast, [cast["culture"], cast["firm"]])
    mail.outbox.clear()
    need_respond(
        need=need,
        organisation=cast["culture"],
        kind=ResponseKind.OFFER,
        text="Sala w GCK we wtorki",
        user=cast["culture_user"],
    )
    # the animator posts for the KIS; the KIS's own representatives do not reach needs they are
    # not addressed by (the needs' scope), so they are not told either
    assert told(Kind.NEED_ANSWERED) == {"anim"}
    # the answering organisation is named; its people's addresses are not shown to others
    for message in mail.outbox:
        assert "gck1@example.org" not in message.body
        assert "Gminne Centrum Kultury" in message.subject


def test_nobody_outside_the_objects_scope_is_told(cast):
    need = post_need(cast, [cast["culture"]])
    before = Notification.objects.count()
    notification_services.notify(
        recipients=[cast["warsaw_user"], cast["other_animator"], cast["firm_user"]],
        kind=Kind.NEED_ADDRESSED,
        title="x",
        about=need,
    )
    assert Notification.objects.count() == before


def test_meeting_scheduled_and_moved_with_an_ics(cast):
    when = timezone.make_aware(datetime(2027, 3, 10, 17, 0))
    mail.outbox.clear()
    meeting = meeting_save(
        user=cast["animator"],
        network=cast["lsr"],
        meeting=Meeting(held_at=when, agenda="1. Otwarcie", place="Urząd Gminy"),
        attendees=[],
    )
    people = told(Kind.MEETING)
    assert {"anim", "kis1", "gck1", "firm1"} <= people
    assert "waw1" not in people and "anim2" not in people
    with_ics = [m for m in mail.outbox if m.attachments]
    assert with_ics
    name, content, mimetype = with_ics[0].attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "DTSTART;TZID=Europe/Warsaw:20270310T170000" in content
    count = Notification.objects.filter(kind=Kind.MEETING).count()

    meeting.agenda = "1. Otwarcie 2. Wolne wnioski"
    meeting_save(user=cast["animator"], network=cast["lsr"], meeting=meeting, attendees=[])
    assert Notification.objects.filter(kind=Kind.MEETING).count() == count  # not moved

    meeting.held_at = when + timedelta(days=1)
    meeting_save(user=cast["animator"], network=cast["lsr"], meeting=meeting, attendees=[])
    assert Notification.objects.filter(kind=Kind.MEETING).count() == 2 * count
    assert Notification.objects.filter(title__contains="przeniesione").exists()


def test_agreement_in_consultation_is_told_to_its_partners(cast):
    from networks.models import Partnership, PartnershipMember

    partnership = network_services.partnership_create(
        network=cast["lsr"], partnership=Partnership(name="Partnerstwo pracy", goal="Praca")
    )
    network_services.partnership_add_partner(
        partnership=partnership,
        partner=PartnershipMember(
            organisation=cast["culture"], role="r", contribution_kind="premises", contribution="s"
        ),
    )
    network_services.partnership_set_status(partnership=partnership, status="consultation")
    assert told(Kind.AGREEMENT_CONSULTATION) == {"gck1"}


def test_deficiency_obliging_and_its_reminder_seven_days_before(cast):
    deadline = timezone.localdate() + timedelta(days=7)
    evaluation = Evaluation(
        title="E", period_start=date(2026, 1, 1), period_end=date(2026, 6, 1), evaluators="Z"
    )
    evaluation_save(
        network=cast["lsr"],
        evaluation=evaluation,
        campaigns=[],
        interviews=[],
        deficiencies=[Deficiency(text="Brak regulaminu", obliged=cast["firm"], deadline=deadline)],
    )
    assert told(Kind.DEFICIENCY_OBLIGED) == {"firm1"}
    call_command("send_reminders")
    call_command("send_reminders")  # the daily sweep tells each event once
    assert Notification.objects.filter(kind=Kind.DEFICIENCY_REMINDER).count() == 1
    assert told(Kind.DEFICIENCY_REMINDER) == {"firm1"}


def test_overdue_activities_and_monitoring_terms_in_the_sweep(cast):
    card = Card.objects.filter(network=cast["lsr"], organisation=cast["culture"]).first()
    activity = Activity.objects.filter(card=card).first()
    activity.planned_date = timezone.localdate() - timedelta(days=3)
    activity.save()
    from procedures.services.meetings import monitoring_term_create

    monitoring_term_create(
        user=cast["animator"],
        network=cast["lsr"],
        due_date=timezone.localdate() + timedelta(days=5),
        scope="Liczba uczestników",
    )
    call_command("send_reminders")
    call_command("send_reminders")
    assert told(Kind.ACTIVITY_OVERDUE) == {"gck1"}
    assert Notification.objects.filter(kind=Kind.ACTIVITY_OVERDUE).count() == 1
    assert {"anim", "gck1", "kis1", "firm1"} <= told(Kind.MONITORING_DUE)
    assert "waw1" not in told(Kind.MONITORING_DUE)


def test_cards_assigned_to_an_organisation_are_told(cast, territory):
    ops2 = make_org(territory["zmudz"], "B", name="Stowarzyszenie Pomocy")
    network_services.membership_add(network=cast["lsr"], organisation=ops2)
    user = UserFactory(username="ops2", role=Role.PARTNER, organisation=ops2)
    from procedures.services.cards import cards_assign_type_b

    cards_assign_type_b(network=cast["lsr"], organisation=ops2)
    assert Notification.objects.filter(recipient=user, kind=Kind.ACTIVITY_ASSIGNED).count() == 5


def test_daily_digest_instead_of_immediate_mail(cast):
    notification_services.preference_save(
        user=cast["culture_user"], delivery=Delivery.DIGEST, muted_kinds=[]
    )
    mail.outbox.clear()
    post_need(cast, [cast["culture"]])
    post_need(cast, [cast["culture"], cast["firm"]])
    assert [m.to for m in mail.outbox] == [["firm1@example.org"]]  # firm1 gets it at once
    mail.outbox.clear()
    call_command("send_digests")
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["gck1@example.org"]
    assert "(2)" in digest.subject
    assert digest.body.count("Potrzeba skierowana do Twojej organizacji") == 2
    call_command("send_digests")
    assert len(mail.outbox) == 1  # nothing is sent twice


def test_unsubscribe_link_stops_that_kind_of_mail_only(client, cast):
    mail.outbox.clear()
    post_need(cast, [cast["culture"]])
    path = re.search(r"http://[^/\s]+(/powiadomienia/wypisz/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    mail.outbox.clear()
    post_need(cast, [cast["culture"]])
    assert not mail.outbox
    assert Notification.objects.filter(recipient=cast["culture_user"]).count() == 2
    assert client.get("/powiadomienia/wypisz/zmyslony-token/").status_code == 404


def test_bell_list_and_mark_as_read(client, cast, django_assert_max_num_queries):
    for _n in range(5):
        post_need(cast, [cast["culture"]])
    user = cast["culture_user"]
    client.force_login(user)
    home = client.get(reverse("notifications:list"))
    assert b'id="unread-count">5' in home.content
    with django_assert_max_num_queries(12):
        client.get(reverse("notifications:list"))
    first = Notification.objects.filter(recipient=user).first()
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response.url == first.url
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert b'id="unread-count"' not in client.get(reverse("notifications:list")).content
    # another person's notification answers 404; a GET on an action goes to the list
    client.force_login(cast["firm_user"])
    assert client.post(reverse("notifications:read", args=[first.pk])).status_code == 404
    assert client.get(reverse("notifications:read_all")).status_code == 302


def test_preferences_page_saves_delivery_and_kinds(client, cast):
    client.force_login(cast["culture_user"])
    response = client.post(
        reverse("notifications:preferences"),
        {"delivery": "digest", "emailed_kinds": ["need_addressed"]},
    )
    assert response.status_code == 302
    preference = cast["culture_user"].notification_preference
    assert preference.delivery == "digest"
    assert "meeting" in preference.muted_kinds and "need_addressed" not in preference.muted_kinds
    bad = client.post(reverse("notifications:preferences"), {"delivery": "pigeon"})
    assert bad.status_code == 200 and "delivery" in bad.context["form"].errors


def test_inactive_accounts_are_not_told(cast):
    user = cast["culture_user"]
    user.is_active = False
    user.save()
    post_need(cast, [cast["culture"]])
    assert not Notification.objects.filter(recipient=user).exists()


def _future_meeting(cast, days=30):
    return meeting_save(
        user=cast["animator"],
        network=cast["lsr"],
        meeting=Meeting(
            held_at=timezone.now() + timedelta(days=days), agenda="1. Otwarcie", place="GCK"
        ),
        attendees=[],
    )


def test_meeting_cancelled_is_told_with_an_ics_that_cancels_it(cast):
    meeting = _future_meeting(cast)
    mail.outbox.clear()
    meeting_cancel(
        user=cast["animator"], network=cast["lsr"], meeting=meeting, reason="Choroba prowadzącej"
    )
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancel_reason == "Choroba prowadzącej"
    cancelled = Notification.objects.filter(kind=Kind.MEETING, title__contains="odwołane")
    people = set(cancelled.values_list("recipient__username", flat=True))
    assert {"anim", "kis1", "gck1", "firm1"} <= people
    assert "waw1" not in people and "anim2" not in people
    assert all("Choroba prowadzącej" in n.body for n in cancelled)
    with_ics = [m for m in mail.outbox if m.attachments]
    assert with_ics
    _name, content, _mimetype = with_ics[0].attachments[0]
    assert "METHOD:CANCEL" in content and "STATUS:CANCELLED" in content


def test_a_meeting_is_cancelled_once_before_it_takes_place_and_then_not_edited(cast):
    meeting = _future_meeting(cast)
    with pytest.raises(ValidationError) as missing:
        meeting_cancel(user=cast["animator"], network=cast["lsr"], meeting=meeting, reason=" ")
    assert "reason" in missing.value.error_dict
    meeting_cancel(user=cast["animator"], network=cast["lsr"], meeting=meeting, reason="Powódź")
    with pytest.raises(ValidationError):
        meeting_cancel(user=cast["animator"], network=cast["lsr"], meeting=meeting, reason="Znowu")
    meeting.refresh_from_db()
    meeting.agenda = "zmiana"
    with pytest.raises(ValidationError):
        meeting_save(user=cast["animator"], network=cast["lsr"], meeting=meeting, attendees=[])
    past = _future_meeting(cast, days=-3)
    with pytest.raises(ValidationError):
        meeting_cancel(user=cast["animator"], network=cast["lsr"], meeting=past, reason="Za późno")
    assert not Meeting.objects.get(pk=past.pk).is_cancelled


def test_cancelling_through_the_page(cast, client):
    meeting = _future_meeting(cast)
    url = reverse("procedures:meeting_cancel", args=[cast["lsr"].pk, meeting.pk])
    detail = reverse("procedures:meeting_detail", args=[cast["lsr"].pk, meeting.pk])
    client.force_login(cast["animator"])
    page = client.get(detail)
    assert "Odwołaj posiedzenie" in page.content.decode()
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400
    assert "To pole jest wymagane" in empty.content.decode()
    assert not Meeting.objects.get(pk=meeting.pk).is_cancelled
    client.force_login(cast["culture_user"])
    assert client.post(url, {"reason": "Nie moje"}).status_code == 403
    client.force_login(cast["other_animator"])
    assert client.post(url, {"reason": "Obca sieć"}).status_code == 404
    client.force_login(cast["animator"])
    done = client.post(url, {"reason": "Remont sali"}, follow=True)
    body = done.content.decode()
    assert "To posiedzenie zostało odwołane." in body and "Remont sali" in body
    assert "Odwołaj posiedzenie i powiadom" not in body
    listing = client.get(reverse("procedures:meeting_list", args=[cast["lsr"].pk]))
    assert "odwołane" in listing.content.decode()


def test_a_cancelled_meeting_is_not_the_next_meeting_on_the_dashboards(cast):
    from ksr_portal.dashboards.models import LsrSummary

    meeting = _future_meeting(cast, days=10)
    assert LsrSummary.objects.get(network=cast["lsr"]).next_meeting is not None
    meeting_cancel(user=cast["animator"], network=cast["lsr"], meeting=meeting, reason="Brak sali")
    assert LsrSummary.objects.get(network=cast["lsr"]).next_meeting is None
