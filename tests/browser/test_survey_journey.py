from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import Campaign, Invitation, Response
from surveys.services import campaigns as services_campaigns
from surveys.services import responses as services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_answers_the_ankieta_through_an_invitation_taking_the_q2_no_jump(
    page, assert_accessible, personas, full_lsr
):
    campaign = Campaign.objects.create(
        network=full_lsr,
        questionnaire=services.questionnaire_load_default(),
        title="Ankieta 2026",
        audience="members",
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=7),
    )
    campaign = services_campaigns.campaign_launch(campaign=campaign)
    invitation = Invitation.objects.create(campaign=campaign, email="partner@example.org")

    page.goto(f"/ankieta/z/{invitation.token}/")
    assert page.locator("#question-3").is_visible()
    page.locator('input[name="q1"][value="Organizacja pozarządowa"]').check()
    page.locator('input[name="q2"][value="no"]').check()
    # the jump: questions 3 and 4 are hidden once Q2 = NIE
    assert page.locator("#question-3").is_hidden()
    assert page.locator("#question-4").is_hidden()
    page.locator('input[name="q5"][value="yes"]').check()
    page.locator('[name="q6_1"]').fill("warsztaty edukacji obywatelskiej")
    page.locator('input[name="q7"][value="yes"]').check()
    page.locator('[name="q8_1"]').fill("zajęcia kulturalne")
    page.locator('input[name="q9"][value="yes"]').check()
    page.locator('[name="q10"]').fill("otwartość i zaufanie")
    page.locator('[name="q11_1"]').fill("edukacja obywatelska")
    with page.expect_navigation():
        page.locator('button[name="action"][value="submit"]').click()
    assert_accessible(page)
    assert page.url.endswith("/ankieta/dziekujemy/")

    response = Response.objects.get(campaign=campaign)
    assert response.data["asked"] == [1, 2, 5, 6, 7, 8, 9, 10, 11]
    assert "q3" not in response.data["answers"] and response.data["answers"]["q2"] == "no"
    invitation.refresh_from_db()
    assert invitation.responded

    # the same link cannot answer twice
    page.goto(f"/ankieta/z/{invitation.token}/")
    assert page.locator("form#survey-form").count() == 0
    assert Response.objects.filter(campaign=campaign).count() == 1
