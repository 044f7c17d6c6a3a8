"""The card page guides: one action per activity state, errors at the field and in a summary,
what was typed kept, the confirmation at the activity, closed cards read-only."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from procedures.models import Activity, ActivityStatus, Card
from procedures.services import cards as services

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _card(full_lsr, number=2):
    return Card.objects.get(network=full_lsr, number=number)


def _url(name, network, card, activity=None):
    args = [network.pk, card.pk] + ([activity.pk] if activity else [])
    return reverse(f"procedures:{name}", args=args)


def _section(body, activity):
    match = re.search(
        rf'<section[^>]*id="activity-{activity.pk}".*?</section>', body, flags=re.DOTALL
    )
    assert match, "activity section missing"
    return match.group(0)


def _mark_done(client, network, card, activity, evidence_file):
    """Post "done" for the activity today with a list of participants as its evidence."""
    return client.post(
        _url("activity_transition", network, card, activity),
        {
            f"a{activity.pk}-to": "done",
            f"a{activity.pk}-version": activity.version,
            f"a{activity.pk}-done_date": TODAY.isoformat(),
            f"a{activity.pk}-evidence_kind": "list",
            f"a{activity.pk}-evidence_file": evidence_file,
        },
    )


def test_each_state_offers_its_one_action_and_no_status_select(client, personas, full_lsr):
    card = _card(full_lsr)
    first, second, third = list(card.activities.order_by("position"))[:3]
    services.activity_transition(activity=second, to="in_progress", expected_version=1)
    services.activity_transition(activity=third, to="done", expected_version=1)
    client.force_login(personas["animator"])
    body = client.get(_url("card_detail", full_lsr, card)).content.decode()
    assert f'name="a{first.pk}-to"' in body
    assert not re.search(r'<select[^>]*name="a\d+-to"', body)  # the status is never a select
    todo = _section(body, first)
    assert "Rozpocznij czynność" in todo
    assert re.search(r"<details>\s*<summary>Już wykonana", todo)  # done waits behind a disclosure
    doing = _section(body, second)
    assert "Rozpocznij czynność" not in doing
    assert "Oznacz jako wykonaną" in doing and "<details><summary>Już wykonana" not in doing
    done = _section(body, third)
    assert "Otwórz czynność ponownie" in done and "Oznacz jako wykonaną" not in done
    assert 'value="in_progress"' in done  # reopening a done activity leads to "in progress"


def test_not_applicable_without_reason_keeps_the_choice_and_the_text(client, personas, full_lsr):
    card = _card(full_lsr)
    activity = card.activities.order_by("position").first()
    client.force_login(personas["animator"])
    response = client.post(
        _url("activity_transition", full_lsr, card, activity),
        {
            f"a{activity.pk}-to": "not_applicable",
            f"a{activity.pk}-version": activity.version,
            f"a{activity.pk}-reason": "   ",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    summary = body.split('id="error-summary"')[1].split("</div>")[0]
    assert re.search(r'id="error-summary" tabindex="-1"', body)  # focusable, focused by JS
    assert f'href="#id_a{activity.pk}-reason"' in summary
    section = _section(body, activity)
    # the "not applicable" form is open again, with the error at its field
    assert re.search(r"<details open><summary>Czy czynność nie dotyczy", section)
    assert "is-invalid" in section.split("activity-na")[1]
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.TODO
    # what was typed stays: a reason typed with a bad version comes back
    typed = client.post(
        _url("activity_transition", full_lsr, card, activity),
        {
            f"a{activity.pk}-to": "not_applicable",
            f"a{activity.pk}-version": activity.version + 3,
            f"a{activity.pk}-reason": "Nie ma w gminie takiej placówki",
        },
    )
    assert typed.status_code == 409
    assert "Nie ma w gminie takiej placówki" in _section(typed.content.decode(), activity)


def test_mark_done_with_evidence_answers_at_the_activity(
    client, personas, full_lsr, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    card = _card(full_lsr)
    activity = card.activities.order_by("position").first()
    client.force_login(personas["animator"])
    upload = SimpleUploadedFile("lista.pdf", b"%PDF-1.4\nlista", content_type="application/pdf")
    response = _mark_done(client, full_lsr, card, activity, upload)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?saved={activity.pk}#activity-{activity.pk}")
    activity.refresh_from_db()
    assert activity.status == "done" and activity.evidence.get().kind == "list"
    page = client.get(response["Location"]).content.decode()
    assert "data-saved" in _section(page, activity)


def test_a_refused_file_leaves_the_activity_open(client, personas, full_lsr, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    card = _card(full_lsr)
    activity = card.activities.order_by("position").first()
    client.force_login(personas["animator"])
    exe = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = _mark_done(client, full_lsr, card, activity, exe)
    assert response.status_code == 400
    assert Activity.objects.get(pk=activity.pk).status == "todo"
    assert f'href="#id_a{activity.pk}-evidence_file"' in response.content.decode()


def test_htmx_answers_the_activity_alone_with_the_card_state(client, personas, full_lsr):
    card = _card(full_lsr)
    activity = card.activities.order_by("position").first()
    client.force_login(personas["animator"])
    url = _url("activity_transition", full_lsr, card, activity)
    ok = client.post(
        url,
        {f"a{activity.pk}-to": "in_progress", f"a{activity.pk}-version": activity.version},
        headers={"HX-Request": "true"},
    )
    body = ok.content.decode()
    assert ok.status_code == 200 and "<html" not in body
    assert "data-saved" in body and 'id="card-state" hx-swap-oob="true"' in body
    bad = client.post(
        url,
        {f"a{activity.pk}-to": "not_applicable", f"a{activity.pk}-version": activity.version + 1},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 200  # htmx swaps only successful answers
    assert "data-error-summary" in bad.content.decode()


def test_closed_card_is_read_only_with_reopen(client, personas, full_lsr):
    card = _card(full_lsr)
    for activity in card.activities.all():
        services.activity_transition(
            activity=activity, to="done", expected_version=activity.version
        )
    services.card_complete(card=card)
    client.force_login(personas["animator"])
    body = client.get(_url("card_detail", full_lsr, card)).content.decode()
    assert 'id="card-read-only"' in body
    assert "activity_transition" not in body and "/czynnosci/" not in body
    assert "Otwórz kartę ponownie" in body
    missing = client.post(_url("card_reopen", full_lsr, card), {"reason": ""})
    assert missing.status_code == 400 and 'id="error-summary"' in missing.content.decode()
    reopened = client.post(_url("card_reopen", full_lsr, card), {"reason": "Nowy partner"})
    assert reopened.status_code == 302
    body = client.get(_url("card_detail", full_lsr, card)).content.decode()
    assert 'id="card-read-only"' not in body and "Otwórz czynność ponownie" in body


def test_partner_completes_its_own_activity(client, personas, full_lsr):
    partner = personas["partner"]
    partner.organisation = full_lsr.memberships.get(
        organisation__name="Gminne Centrum Kultury"
    ).organisation
    partner.save()
    card = Card.objects.get(network=full_lsr, number=12, organisation=partner.organisation)
    activity = card.activities.order_by("position").first()
    client.force_login(partner)
    assert "Rozpocznij czynność" in client.get(_url("card_detail", full_lsr, card)).content.decode()
    response = client.post(
        _url("activity_transition", full_lsr, card, activity),
        {
            f"a{activity.pk}-to": "done",
            f"a{activity.pk}-version": activity.version,
            f"a{activity.pk}-done_date": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).status == "done"
