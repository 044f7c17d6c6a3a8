import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.models import MemberRole
from networks.services import networks as network_services
from procedures.models import Activity, ActivityStatus, Card, CardStatus, CardTemplate
from procedures.services import cards as services
from stakeholders.models import ContactPerson, InstitutionKind, Sector
from tests.networks.conftest import make_org

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def numbers(network, organisation=None):
    qs = Card.objects.filter(network=network)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return sorted(qs.values_list("number", flat=True))


def test_templates_load_all_13_cards_with_exact_titles():
    CardTemplate.objects.all().delete()  # seeded once per session; this test loads them itself
    assert services.card_templates_load() == 13
    assert services.card_templates_load() == 0  # idempotent
    assert CardTemplate.objects.filter(is_current=True).count() == 13
    first = CardTemplate.objects.get(number=1)
    assert first.title == "Inicjacja LSR" and first.institution == "Animator"
    assert first.activities.count() == 4
    assert (
        CardTemplate.objects.get(number=12).title
        == "Wyznaczenie osoby do reprezentowania instytucji/podmiotu"
    )


def test_new_template_version_does_not_rewrite_running_cards(full_lsr):
    card = Card.objects.get(network=full_lsr, number=1)
    old_texts = list(card.activities.values_list("text", flat=True))
    services.card_template_new_version(
        number=1,
        title="Inicjacja LSR (nowa)",
        institution="Animator",
        audience="main_node",
        activities=["Jedna czynność"],
    )
    card.refresh_from_db()
    assert (
        card.title == "Inicjacja LSR"
        and list(card.activities.values_list("text", flat=True)) == old_texts
    )
    assert CardTemplate.objects.get(number=1, is_current=True).version == 2


def test_cards_open_for_the_main_node_and_each_type_c_member(full_lsr, kis):
    assert numbers(full_lsr, kis) == [1, 2, 3, 4, 5]
    culture = full_lsr.memberships.get(organisation__name="Gminne Centrum Kultury").organisation
    assert numbers(full_lsr, culture) == [11, 12, 13]
    ops = full_lsr.memberships.get(organisation__name="GOPS Żmudź").organisation
    assert numbers(full_lsr, ops) == [6, 7, 8, 9, 10]  # the OPS by default
    assert Card.objects.filter(network=full_lsr).count() == 5 + 5 + 3 * 2


def test_cards_1_5_exist_before_the_main_node_and_attach_to_it(lsr, kis):
    assert numbers(lsr) == [1, 2, 3, 4, 5]
    assert not Card.objects.filter(network=lsr, organisation__isnull=False).exists()
    network_services.membership_add(network=lsr, organisation=kis, role=MemberRole.MAIN_NODE)
    assert numbers(lsr, kis) == [1, 2, 3, 4, 5]


def test_type_c_cards_close_as_not_applicable_when_the_member_leaves(full_lsr):
    membership = full_lsr.memberships.get(organisation__name="Firma Lokalna")
    network_services.membership_end(membership=membership, left_on=TODAY)
    cards = Card.objects.filter(network=full_lsr, organisation=membership.organisation)
    assert {c.status for c in cards} == {CardStatus.NOT_APPLICABLE}
    assert (
        not Activity.objects.filter(card__in=cards)
        .exclude(status=ActivityStatus.NOT_APPLICABLE)
        .exists()
    )
    assert all(a.not_applicable_reason for a in Activity.objects.filter(card__in=cards))


def test_assign_type_b_cards(full_lsr, territory):
    ngo = make_org(territory["zmudz"], "B", InstitutionKind.NGO, Sector.NGO)
    network_services.membership_add(network=full_lsr, organisation=ngo)
    services.cards_assign_type_b(network=full_lsr, organisation=ngo)
    assert numbers(full_lsr, ngo) == [6, 7, 8, 9, 10]
    culture = full_lsr.memberships.get(organisation__name="Gminne Centrum Kultury").organisation
    with pytest.raises(ValidationError):
        services.cards_assign_type_b(network=full_lsr, organisation=culture)


def _activity(full_lsr, number=12, position=1):
    return Activity.objects.get(
        card__network=full_lsr,
        card__number=number,
        card__organisation__name="Gminne Centrum Kultury",
        position=position,
    )


ALLOWED = [
    ("todo", "in_progress"),
    ("todo", "done"),
    ("todo", "not_applicable"),
    ("in_progress", "todo"),
    ("in_progress", "done"),
    ("in_progress", "not_applicable"),
    ("done", "in_progress"),
    ("not_applicable", "todo"),
]
ALL_STATUSES = [s.value for s in ActivityStatus]


def _put(activity, status):
    Activity.objects.filter(pk=activity.pk).update(
        status=status,
        done_date=TODAY if status == "done" else None,
        not_applicable_reason="x" if status == "not_applicable" else "",
    )
    activity.refresh_from_db()


@pytest.mark.parametrize(
    "start,end", [(a, b) for a in ALL_STATUSES for b in ALL_STATUSES if a != b]
)
def test_every_transition(full_lsr, start, end):
    activity = _activity(full_lsr)
    _put(activity, start)

    def call():
        return services.activity_transition(
            activity=activity, to=end, expected_version=activity.version, reason="powód"
        )

    if (start, end) in ALLOWED:
        assert call().status == end
    else:
        with pytest.raises(ValidationError):
            call()
        activity.refresh_from_db()
        assert activity.status == start


def test_not_applicable_needs_a_reason_and_done_a_date_not_in_future(full_lsr):
    activity = _activity(full_lsr)
    with pytest.raises(ValidationError) as exc:
        services.activity_transition(
            activity=activity, to="not_applicable", expected_version=activity.version
        )
    assert "reason" in exc.value.error_dict
    with pytest.raises(ValidationError):
        services.activity_transition(
            activity=activity,
            to="done",
            expected_version=activity.version,
            done_date=TODAY + datetime.timedelta(days=3),
        )
    done = services.activity_transition(
        activity=activity, to="done", expected_version=activity.version
    )
    assert done.done_date == TODAY


def test_card_status_is_derived_and_completion_needs_every_activity_closed(full_lsr):
    card = Card.objects.get(
        network=full_lsr, number=12, organisation__name="Gminne Centrum Kultury"
    )
    assert card.status == CardStatus.TODO
    first, second, third = card.activities.order_by("position")
    services.activity_transition(activity=first, to="in_progress", expected_version=first.version)
    card.refresh_from_db()
    assert card.status == CardStatus.IN_PROGRESS
    with pytest.raises(ValidationError) as exc:
        services.card_complete(card=card)
    assert "1, 2, 3" in exc.value.messages[0]
    first.refresh_from_db()
    services.activity_transition(activity=first, to="done", expected_version=first.version)
    services.activity_transition(activity=second, to="done", expected_version=second.version)
    services.activity_transition(
        activity=third, to="not_applicable", expected_version=third.version, reason="brak potrzeby"
    )
    services.card_complete(card=card)
    card.refresh_from_db()
    assert card.status == CardStatus.DONE and card.completed_at
    # reopening an activity reopens the card, and the reopening is logged in the history
    second.refresh_from_db()
    services.activity_transition(
        activity=second, to="in_progress", expected_version=second.version, reason="korekta listy"
    )
    card.refresh_from_db()
    assert card.status == CardStatus.IN_PROGRESS and card.completed_at is None
    assert (
        second.history.first().history_change_reason == "Ponownie otwarte: korekta listy"
        or "korekta listy" in second.history.first().history_change_reason
    )


def test_card_reopen_needs_a_reason_and_is_logged(full_lsr):
    card = Card.objects.get(
        network=full_lsr, number=11, organisation__name="Gminne Centrum Kultury"
    )
    for a in card.activities.all():
        services.activity_transition(activity=a, to="done", expected_version=a.version)
    services.card_complete(card=card)
    with pytest.raises(ValidationError):
        services.card_reopen(card=card, reason=" ")
    services.card_reopen(card=card, reason="nowe informacje")
    card.refresh_from_db()
    assert card.completed_at is None
    assert "nowe informacje" in card.history.first().history_change_reason


def test_concurrent_edits_are_detected(full_lsr):
    activity = _activity(full_lsr)
    stale_version = activity.version
    services.activity_update(
        activity=activity,
        expected_version=stale_version,
        planned_date=TODAY,
        notes="pierwsza osoba",
    )
    with pytest.raises(services.ConflictError):
        services.activity_update(
            activity=activity,
            expected_version=stale_version,
            planned_date=TODAY,
            notes="druga osoba",
        )
    with pytest.raises(services.ConflictError):
        services.activity_transition(activity=activity, to="done", expected_version=stale_version)
    activity.refresh_from_db()
    assert activity.notes == "pierwsza osoba"


def test_overdue_detection(full_lsr):
    activity = _activity(full_lsr)
    services.activity_update(
        activity=activity,
        expected_version=activity.version,
        planned_date=TODAY - datetime.timedelta(days=1),
        notes="",
    )
    assert Activity.objects.overdue().filter(pk=activity.pk).exists()
    activity.refresh_from_db()
    assert activity.is_overdue
    services.activity_transition(activity=activity, to="done", expected_version=activity.version)
    assert not Activity.objects.overdue().filter(pk=activity.pk).exists()


def test_responsible_person_must_be_from_the_network(full_lsr, territory):
    card = Card.objects.get(network=full_lsr, number=1)
    outsider = make_org(territory["zmudz"], "C")
    stranger = ContactPerson.objects.create(
        organisation=outsider, name="Osoba Spoza", legal_basis="public_task"
    )
    with pytest.raises(ValidationError) as exc:
        services.card_update_fields(card=card, responsible=stranger, cooperating=[], informed=[])
    assert "responsible" in exc.value.error_dict
    insider = ContactPerson.objects.create(
        organisation=card.organisation,
        name="Osoba Z KIS",
        function="koordynator",
        legal_basis="public_task",
    )
    services.card_update_fields(card=card, responsible=insider, cooperating=[], informed=[])
    assert Card.objects.get(pk=card.pk).responsible == insider


def _partner_of(personas, full_lsr, name="Gminne Centrum Kultury"):
    partner = personas["partner"]
    partner.organisation = full_lsr.memberships.get(organisation__name=name).organisation
    partner.save()
    return partner


def test_partner_sees_only_its_own_cards(client, personas, full_lsr):
    partner = _partner_of(personas, full_lsr)
    client.force_login(partner)
    body = client.get(reverse("procedures:card_list", args=[full_lsr.pk])).content.decode()
    assert body.count('data-card="') == 3
    own = Card.objects.get(network=full_lsr, number=12, organisation=partner.organisation)
    foreign = Card.objects.get(network=full_lsr, number=12, organisation__name="Firma Lokalna")
    assert (
        client.get(reverse("procedures:card_detail", args=[full_lsr.pk, own.pk])).status_code == 200
    )
    assert (
        client.get(reverse("procedures:card_detail", args=[full_lsr.pk, foreign.pk])).status_code
        == 404
    )
    kis_card = Card.objects.get(network=full_lsr, number=1)
    assert (
        client.get(reverse("procedures:card_detail", args=[full_lsr.pk, kis_card.pk])).status_code
        == 404
    )


def test_card_scoping_matrix(client, personas, full_lsr):
    card = Card.objects.get(network=full_lsr, number=1)
    activity = card.activities.first()
    read = reverse("procedures:card_detail", args=[full_lsr.pk, card.pk])
    write = reverse("procedures:activity_transition", args=[full_lsr.pk, card.pk, activity.pk])
    expected = {
        "animator": (200, 302),
        "admin": (200, 302),
        "rops": (200, 403),
        "ksr": (200, 403),
        "other_animator": (404, 404),
        "other_rops": (404, 404),
        "partner": (404, 404),
    }
    for name, (want_read, want_write) in expected.items():
        client.force_login(personas[name])
        assert client.get(read).status_code == want_read, name
        current = Activity.objects.get(pk=activity.pk).status
        got = client.post(
            write,
            {
                f"a{activity.pk}-to": "in_progress" if current == "todo" else "todo",
                f"a{activity.pk}-version": Activity.objects.get(pk=activity.pk).version,
            },
        ).status_code
        assert got == want_write, (name, got)
    assert client.get(write).status_code == 405


def test_views_refuse_a_bad_transition_with_a_message(client, personas, full_lsr):
    client.force_login(personas["animator"])
    card = Card.objects.get(network=full_lsr, number=2)
    activity = card.activities.first()
    url = reverse("procedures:activity_transition", args=[full_lsr.pk, card.pk, activity.pk])
    response = client.post(
        url,
        {
            f"a{activity.pk}-to": "not_applicable",
            f"a{activity.pk}-version": activity.version,
            f"a{activity.pk}-reason": "",
        },
    )
    assert response.status_code == 400
    stale = client.post(
        url, {f"a{activity.pk}-to": "done", f"a{activity.pk}-version": activity.version + 5}
    )
    assert stale.status_code == 409
    complete = client.post(
        reverse("procedures:card_complete", args=[full_lsr.pk, card.pk]), follow=True
    )
    assert complete.status_code == 200
    assert Card.objects.get(pk=card.pk).completed_at is None


def test_evidence_upload_checks_type_and_size(
    client, personas, full_lsr, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas["animator"])
    card = Card.objects.get(network=full_lsr, number=1)
    activity = card.activities.first()
    url = reverse("procedures:evidence_upload", args=[full_lsr.pk, card.pk, activity.pk])
    fake_pdf = SimpleUploadedFile("pismo.pdf", b"this is not a pdf", content_type="application/pdf")
    assert (
        client.post(
            url, {f"e{activity.pk}-kind": "letter", f"e{activity.pk}-file": fake_pdf}
        ).status_code
        == 400
    )
    exe = SimpleUploadedFile("program.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    assert (
        client.post(
            url, {f"e{activity.pk}-kind": "letter", f"e{activity.pk}-file": exe}
        ).status_code
        == 400
    )
    from procedures import files

    big = SimpleUploadedFile(
        "lista.pdf", b"%PDF-1.4\n" + b"0" * 2048, content_type="application/pdf"
    )
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 1024)
    response = client.post(url, {f"e{activity.pk}-kind": "list", f"e{activity.pk}-file": big})
    assert response.status_code == 400
    monkeypatch.undo()
    good = SimpleUploadedFile(
        "list-intencyjny.pdf", b"%PDF-1.4\nhello", content_type="application/pdf"
    )
    response = client.post(url, {f"e{activity.pk}-kind": "letter", f"e{activity.pk}-file": good})
    assert response.status_code == 302
    evidence = activity.evidence.get()
    download = client.get(reverse("procedures:evidence_download", args=[full_lsr.pk, evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(personas["other_animator"])
    assert (
        client.get(
            reverse("procedures:evidence_download", args=[full_lsr.pk, evidence.pk])
        ).status_code
        == 404
    )


def test_card_list_query_count_is_constant(client, personas, full_lsr, territory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas["animator"])
    url = reverse("procedures:card_list", args=[full_lsr.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(8):
        network_services.membership_add(
            network=full_lsr, organisation=make_org(territory["zmudz"], "C")
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
