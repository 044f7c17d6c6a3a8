"""The public answering page (/ankieta/…): rendering, skip logic, validation, idempotency,
invitations, drafts, abuse protection and anonymity."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from surveys.models import (
    Campaign,
    Draft,
    Invitation,
    Question,
    Questionnaire,
    Response,
    SubmissionReceipt,
)
from surveys.services import responses as services
from tests.builders import launched_campaign, make_lsr
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_clean_cache(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    cache.clear()
    yield
    cache.clear()


TITLE = "Ankieta instytucji"


def days(opens, closes):
    now = timezone.now()
    return {"opens_at": now + timedelta(days=opens), "closes_at": now + timedelta(days=closes)}


@pytest.fixture
def network(personas, territory):
    return make_lsr(personas["admin"], territory["zmudz"])


@pytest.fixture
def campaign(network):
    return launched_campaign(network, title=TITLE)


@pytest.fixture
def invitation(campaign):
    return Invitation.objects.create(campaign=campaign, email="gops@zmudz.example.pl")


@pytest.fixture
def all_kinds(network):
    """A questionnaire with every kind of question, follow-ups on a single choice and a scale."""
    questionnaire = Questionnaire.objects.create(network=network, title="Wszystkie rodzaje")
    specs = [
        {
            "kind": "choice_single",
            "text": "Jak często?",
            "options": ["Często", "Rzadko", "Inaczej (wskaż)"],
            "other_label": "Inaczej – jak?",
            "logic": {"Rzadko": {"goto": 4}, "Inaczej (wskaż)": {"specify": True}},
        },
        {
            "kind": "choice_multi",
            "text": "Co?",
            "options": ["A", "B"],
            "logic": {"B": {"followup": {"kind": "text", "text": "Dlaczego B?"}}},
        },
        {"kind": "yes_no", "text": "Czy tak?", "logic": {}},
        {"kind": "list", "text": "Wymień", "list_size": 4},
        {"kind": "short_text", "text": "Krótko", "required": False},
        {"kind": "text", "text": "Długo", "required": False},
        {"kind": "scale", "text": "Ocena", "scale_min": 1, "scale_max": 5},
    ]
    for number, spec in enumerate(specs, 1):
        Question.objects.create(questionnaire=questionnaire, number=number, **spec)
    return launched_campaign(network, questionnaire, title=TITLE)


def general_url(campaign):
    return reverse("answer:general", args=[campaign.public_token])


def invited_url(invitation):
    return reverse("answer:invited", args=[invitation.token])


def submission_key_from(response) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', response.content.decode())
    assert match, "the form carries a one-time submission key"
    return match.group(1)


def valid_answers(**overrides):
    data = {
        "q1": ["Organizacja pozarządowa"],
        "q2": "yes",
        "q2_f1": "integracja",
        "q3": "yes",
        "q4": "yes",
        "q4_yes_f1": "festyn",
        "q5": "yes",
        "q5_f1": "GOPS",
        "q6_1": "warsztaty",
        "q7": "no",
        "q8_1": "kultura",
        "q9": "yes",
        "q9_f1": "aktywizacja",
        "q10": "otwartość",
        "q11_1": "edukacja obywatelska",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def post_form(client, url, data, *, action="submit"):
    """GET the form (for its submission key), then POST the answers."""
    key = submission_key_from(client.get(url))
    payload = {"submission_key": key, "action": action, **data}
    return client.post(url, payload), key


# --- rendering -------------------------------------------------------------------------------


def test_ankieta_renders_every_question_accessibly(client, campaign):
    response = client.get(general_url(campaign))
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    body = unescape(response.content.decode())
    schema = campaign.schema
    assert schema["title"] in body and schema["signature"] in body
    assert "pełnej anonimowości" in body
    assert body.count("<fieldset") >= len(schema["questions"])
    assert body.count("<legend") >= len(schema["questions"])
    for question in schema["questions"]:
        assert question["text"] in body
    # Q1: tick boxes + "other – specify"
    assert body.count('type="checkbox" name="q1"') == 12
    assert 'for="q1_other"' in body and "Wskazanie instytucji/sektora" in body
    # yes/no radios with the yes/no values
    assert 'name="q2" id="q2-1" value="yes"' in body and 'name="q2" id="q2-2" value="no"' in body
    # follow-ups with their branch text and the jump note of Q2
    assert "If yes:" in body and "If no:" in body
    assert "Proszę wskazać cele jego działania" in body
    assert "If you answered NO, go to question 5." in body
    assert 'name="q2_f1"' in body and 'name="q2_f3"' in body
    # Q4 has a list follow-up on both branches: each gets its own inputs
    assert 'name="q4_yes_f1"' in body and 'name="q4_no_f1"' in body
    # list questions: three numbered inputs, each with a label
    for i in (1, 2, 3):
        assert f'for="q6_{i}"' in body and f'id="q6_{i}" name="q6_{i}"' in body
    assert '<textarea class="form-control" id="q10" name="q10"' in body
    assert 'for="q10"' in body
    # data attributes for survey.js, no inline script or style
    assert 'data-question="2"' in body and "data-logic=" in body and "data-followup-when=" in body
    assert "js/survey.js" in body
    assert "<script>" not in body and " style=" not in body
    # abuse protection and the two buttons
    assert 'name="website"' in body and 'autocomplete="off"' in body and 'tabindex="-1"' in body
    assert "Leave empty" in body
    assert 'value="submit"' in body and 'value="save"' in body
    assert "Save draft and come back later" in body


def test_every_kind_renders(client, all_kinds):
    body = unescape(client.get(general_url(all_kinds)).content.decode())
    assert body.count('type="radio" name="q1"') == 3  # single choice
    assert 'for="q1_other"' in body and "Inaczej – jak?" in body
    assert "If you answered Rzadko, go to question 4." in body
    assert body.count('type="checkbox" name="q2"') == 2  # multi choice
    assert "If “B”:" in body and 'name="q2_f"' in body  # follow-up of an option
    assert 'name="q3" id="q3-1" value="yes"' in body  # yes / no
    assert ">Yes</label>" in body and ">No</label>" in body
    assert all(f'name="q4_{i}"' in body for i in range(1, 5))  # list of 4
    assert 'type="text" class="form-control" id="q5" name="q5"' in body  # short text
    assert "(optional)" in body
    assert '<textarea class="form-control" id="q6" name="q6"' in body  # long text
    assert body.count('type="radio" name="q7"') == 5  # scale 1..5
    assert "From 1 (lowest) to 5 (highest)." in body


def test_yes_no_labels_are_polish_by_default(client, campaign):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "pl"
    body = client.get(general_url(campaign)).content.decode()
    assert ">Tak</label>" in body and ">Nie</label>" in body


def test_unknown_tokens_are_404_in_polish(client, campaign):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "pl"
    for url in (
        reverse("answer:general", args=["nie-ma-takiej-ankiety"]),
        reverse("answer:invited", args=["nie-ma-takiego-zaproszenia"]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Nie znaleziono strony" in response.content.decode()
    assert client.post(reverse("answer:general", args=["x" * 300])).status_code == 404


# --- skip logic and validation ---------------------------------------------------------------


def test_skip_logic_discards_skipped_questions_and_stale_follow_ups(client, campaign):
    response, _key = post_form(
        client,
        general_url(campaign),
        valid_answers(q2="no", q3="yes", q4="no", q4_no_f1="brak"),  # q2_f1 is a stale branch
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("answer:thanks")
    stored = Response.objects.get(campaign=campaign)
    assert stored.data["asked"] == [1, 2, 5, 6, 7, 8, 9, 10, 11]
    answers = stored.data["answers"]
    assert "q3" not in answers and "q4" not in answers and "q4_f" not in answers
    assert "q2_f" not in answers, answers
    assert answers.get("q5_f") == ["GOPS"], answers
    assert answers["q2"] == "no" and answers["q5_f"] == ["GOPS"]


def test_follow_up_of_the_chosen_branch_is_kept(client, campaign):
    response, _key = post_form(
        client,
        general_url(campaign),
        valid_answers(
            q4="no", q4_yes_f1="festyn (typed before changing the answer)", q4_no_f1="brak"
        ),
    )
    assert response.status_code == 302
    answers = Response.objects.get().data["answers"]
    assert answers["q2_f"] == ["integracja"]
    assert answers["q4"] == "no" and answers["q4_f"] == ["brak"]


def test_missing_required_answer_rerenders_with_errors_and_typed_values(client, campaign):
    data = valid_answers(
        q1=["Organizacja pozarządowa", "Inna (wskaż sektor)"],
        q1_other="spółdzielczy",
        q4="yes",
        q4_yes_f1="festyn",
        q4_yes_f2="dożynki",
        q6_2="drugi",
        q8_1=None,
        q10="moje „zdanie”",
    )
    response, key = post_form(client, general_url(campaign), data)
    assert response.status_code == 200
    assert Response.objects.count() == 0
    body = unescape(response.content.decode())
    # the error summary at the top links to the question, the error sits next to it
    assert 'id="error-summary"' in body and 'href="#q8_1"' in body
    assert 'id="q8-error"' in body and 'aria-describedby="q8-error"' in body
    assert "This question needs an answer." in body
    assert "<title>Error:" in body
    # every typed value is kept, checkbox states and list items included
    assert 'value="Organizacja pozarządowa" checked' in body
    assert 'value="Inna (wskaż sektor)" checked' in body
    assert 'value="Administracja" checked' not in body
    assert 'value="spółdzielczy"' in body
    assert 'id="q2-1" value="yes" checked' in body
    assert 'name="q4_yes_f1" value="festyn"' in body and 'name="q4_yes_f2" value="dożynki"' in body
    assert 'name="q6_1" value="warsztaty"' in body and 'name="q6_2" value="drugi"' in body
    assert "moje „zdanie”</textarea>" in body
    assert submission_key_from(response) == key


def test_other_specify_error_sits_next_to_its_input(client, campaign):
    response, _key = post_form(
        client, general_url(campaign), valid_answers(q1=["Inna (wskaż sektor)"])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="q1_other-error"' in body and 'aria-describedby="q1_other-error"' in body
    assert 'href="#q1_other"' in body


def test_over_long_text_is_refused(client, campaign):
    response, _key = post_form(client, general_url(campaign), valid_answers(q10="x" * 5001))
    assert response.status_code == 200
    assert "The text is too long: 5001 characters, at most 5000." in response.content.decode()
    assert Response.objects.count() == 0


def test_tampered_option_and_unknown_fields(client, campaign):
    response, _key = post_form(
        client, general_url(campaign), valid_answers(q1=["Nie ma takiej opcji"])
    )
    assert response.status_code == 200
    assert "Choose one of the listed answers." in response.content.decode()
    assert Response.objects.count() == 0

    response, _key = post_form(
        client,
        general_url(campaign),
        valid_answers(q99="x", q7="maybe", q2_f9="?", email="a@b.pl", q10_other="x"),
    )
    assert response.status_code == 200  # "maybe" is not an answer to a yes/no question
    assert "Answer yes or no." in response.content.decode()

    response, _key = post_form(
        client, general_url(campaign), valid_answers(q99="x", q2_f9="?", q10_other="x")
    )
    assert response.status_code == 302
    answers = Response.objects.get().data["answers"]
    assert not {"q99", "q2_f9", "q10_other", "email"} & set(answers)


def test_control_characters_are_stripped(client, campaign):
    response, _key = post_form(client, general_url(campaign), valid_answers(q10="a\x00b\x07c"))
    assert response.status_code == 302
    assert Response.objects.get().data["answers"]["q10"] == "abc"


# --- campaign state --------------------------------------------------------------------------


def test_closed_campaign_refuses_with_the_message(client, network):
    closed = launched_campaign(network, title=TITLE, **days(-10, -1))
    response = client.get(general_url(closed))
    assert response.status_code == 410
    body = response.content.decode()
    assert "This survey closed on" in body and '<form method="post" action' not in body
    response = client.post(general_url(closed), {"submission_key": "k" * 43, **valid_answers()})
    assert response.status_code == 410
    assert Response.objects.count() == 0 and SubmissionReceipt.objects.count() == 0


def test_not_yet_open_and_not_launched(client, network):
    questionnaire = services.questionnaire_load_default()
    later = launched_campaign(network, questionnaire, title=TITLE, **days(2, 9))
    body = client.get(general_url(later)).content.decode()
    assert "This survey opens on" in body and 'name="submission_key"' not in body
    draft = CampaignFactory(network=network, questionnaire=questionnaire, title=TITLE)
    response = client.get(general_url(draft))
    assert "This survey is not available yet." in response.content.decode()
    response = client.post(general_url(draft), {"submission_key": "k" * 43, **valid_answers()})
    assert 'name="submission_key"' not in response.content.decode()
    assert Response.objects.count() == 0


def test_campaign_closing_while_the_form_is_open(client, campaign):
    key = submission_key_from(client.get(general_url(campaign)))
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1)
    )
    response = client.post(general_url(campaign), {"submission_key": key, **valid_answers()})
    assert response.status_code == 410
    assert Response.objects.count() == 0


# --- invitations and idempotency -------------------------------------------------------------


def test_invitation_answers_once(client, campaign, invitation):
    url = invited_url(invitation)
    body = client.get(url).content.decode()
    assert f'name="submission_key" value="{invitation.token}"' in body
    response = client.post(url, {"action": "submit", **valid_answers()})
    assert response.status_code == 302 and response["Location"] == reverse("answer:thanks")
    invitation.refresh_from_db()
    assert invitation.responded
    assert Response.objects.count() == 1

    for method in (client.get, client.post):
        again = method(
            url, {"action": "submit", **valid_answers()} if method == client.post else {}
        )
        assert again.status_code == 200
        assert "You have already answered this survey" in again.content.decode()
        assert 'name="submission_key"' not in again.content.decode()
    assert Response.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.responded


def test_double_post_with_the_same_key_stores_one_response(client, campaign):
    url = general_url(campaign)
    key = submission_key_from(client.get(url))
    payload = {"submission_key": key, "action": "submit", **valid_answers()}
    first = client.post(url, payload)
    second = client.post(url, payload)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("answer:thanks")
    assert Response.objects.count() == 1
    assert client.get(reverse("answer:thanks")).status_code == 200


def test_submission_key_is_required_and_fresh_per_page(client, campaign):
    url = general_url(campaign)
    assert submission_key_from(client.get(url)) != submission_key_from(client.get(url))
    for bad in ({}, {"submission_key": ""}, {"submission_key": "<script>"}):
        response = client.post(url, {"action": "submit", **valid_answers(), **bad})
        assert response.status_code == 400
    assert Response.objects.count() == 0


# --- abuse protection ------------------------------------------------------------------------


def test_honeypot_pretends_success_and_stores_nothing(client, campaign):
    url = general_url(campaign)
    key = submission_key_from(client.get(url))
    response = client.post(
        url, {"submission_key": key, "website": "http://spam.example", **valid_answers()}
    )
    assert response.status_code == 302 and response["Location"] == reverse("answer:thanks")
    assert Response.objects.count() == 0 and SubmissionReceipt.objects.count() == 0
    # the real respondent with the same key is not blocked by the robot's attempt
    assert client.post(url, {"submission_key": key, **valid_answers()}).status_code == 302
    assert Response.objects.count() == 1


def test_rate_limit_answers_429_after_the_limit(client, campaign, settings):
    settings.SURVEY_RATE_LIMIT = 3
    url = general_url(campaign)
    statuses = [client.post(url, {"q10": "x"}).status_code for _ in range(5)]
    assert statuses[:3] == [400, 400, 400] and statuses[3:] == [429, 429]
    response = client.post(url, {"q10": "x"})
    assert "Too many attempts" in response.content.decode()
    assert response["Retry-After"]
    # another address is not affected, GET still works
    assert client.post(url, {"q10": "x"}, REMOTE_ADDR="10.1.2.3").status_code == 400
    assert client.get(url).status_code == 200


def test_rate_limit_is_per_campaign(client, campaign, network, settings):
    settings.SURVEY_RATE_LIMIT = 1
    other = launched_campaign(network, title=TITLE)
    assert client.post(general_url(campaign), {}).status_code == 400
    assert client.post(general_url(campaign), {}).status_code == 429
    assert client.post(general_url(other), {}).status_code == 400


# --- drafts ----------------------------------------------------------------------------------


def test_invitation_draft_save_and_reload(client, campaign, invitation):
    url = invited_url(invitation)
    response = client.post(
        url,
        {
            "action": "save",
            "q1": ["Administracja", "Inna (wskaż sektor)"],
            "q2": "yes",
            "q2_f1": "cel pierwszy",
            "q6_2": "drugi punkt",
            "q10": "połowa odpowiedzi",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    assert Response.objects.count() == 0
    assert not Invitation.objects.get(pk=invitation.pk).responded
    assert Draft.objects.filter(campaign=campaign).count() == 1

    page = client.get(url)
    body = unescape(page.content.decode())
    assert "Your answers have been saved" in body
    assert 'value="Administracja" checked' in body and 'value="Inna (wskaż sektor)" checked' in body
    assert 'id="q2-1" value="yes" checked' in body
    assert 'name="q2_f1" value="cel pierwszy"' in body
    # the engine keeps list items without gaps: the second item comes back as the first
    assert 'name="q6_1" value="drugi punkt"' in body
    assert "połowa odpowiedzi</textarea>" in body

    # a fresh browser with the same invitation link sees the draft too
    client.cookies.clear()
    assert 'name="q6_1" value="drugi punkt"' in client.get(url).content.decode()

    # submitting removes the draft
    assert client.post(url, {"action": "submit", **valid_answers()}).status_code == 302
    assert Draft.objects.count() == 0


def test_general_link_draft_lives_in_a_signed_cookie(client, campaign):
    url = general_url(campaign)
    key = submission_key_from(client.get(url))
    response = client.post(
        url,
        {
            "action": "save",
            "submission_key": key,
            "q4": "no",
            "q4_no_f2": "brak ludzi",
            "q2": "yes",
            "q3": "no",
            "q3_f": "nie wiem",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    cookie = response.cookies[f"ksr_survey_draft_{campaign.pk}"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == url
    assert ":" in cookie.value  # signed
    assert Draft.objects.count() == 1 and Response.objects.count() == 0

    body = unescape(client.get(url).content.decode())
    assert "come back through the same link" in body
    assert 'id="q4-2" value="no" checked' in body
    assert 'name="q4_no_f1" value="brak ludzi"' in body and 'name="q4_yes_f1" value=""' in body
    assert "nie wiem</textarea>" in body

    # another browser does not see it; a forged cookie is ignored
    other = type(client)(HTTP_ACCEPT_LANGUAGE="en")
    assert "brak ludzi" not in other.get(url).content.decode()
    other.cookies[f"ksr_survey_draft_{campaign.pk}"] = "forged-key-forged-key-forged"
    assert "brak ludzi" not in other.get(url).content.decode()

    # a second save updates the same draft; submitting removes it and the cookie
    client.post(url, {"action": "save", "q10": "więcej"})
    assert Draft.objects.count() == 1
    key = submission_key_from(client.get(url))
    response = client.post(url, {"submission_key": key, **valid_answers()})
    assert response.status_code == 302
    assert Draft.objects.count() == 0
    assert response.cookies[f"ksr_survey_draft_{campaign.pk}"]["max-age"] == 0


# --- anonymity -------------------------------------------------------------------------------


def test_response_keeps_no_link_to_the_respondent(client, campaign, invitation):
    forbidden = {"invitation", "ip", "ip_address", "user", "email", "token", "remote_addr"}
    for field in Response._meta.get_fields():
        assert field.name.lower() not in forbidden
        related = getattr(field, "related_model", None)
        if related is not None:
            assert related.__name__ not in {"Invitation", "User", "SubmissionReceipt", "Draft"}

    client.post(invited_url(invitation), {"action": "submit", **valid_answers()})
    key = submission_key_from(client.get(general_url(campaign)))
    client.post(general_url(campaign), {"submission_key": key, **valid_answers()})
    assert Response.objects.count() == 2
    for stored in Response.objects.all():
        text = repr(stored.data)
        assert invitation.token not in text and key not in text
        assert campaign.public_token not in text and "127.0.0.1" not in text
        assert set(stored.data) == {"asked", "answers"}
    assert all(invitation.token not in r.key_hash for r in SubmissionReceipt.objects.all())
