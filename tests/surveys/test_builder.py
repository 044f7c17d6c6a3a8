"""The questionnaire builder: copy and adapt, read-only templates, skip logic, frozen schemas."""

import datetime

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from surveys.models import Audience, Campaign, Question, QuestionKind, Questionnaire
from surveys.services import campaigns as services_campaigns
from surveys.services import responses as services
from tests.builders import make_lsr

pytestmark = pytest.mark.django_db


@pytest.fixture
def default(db):
    return services.questionnaire_load_default()


@pytest.fixture
def copy(lsr, default):
    return services_campaigns.questionnaire_copy(source=default, network=lsr, title="Nasza ankieta")


@pytest.fixture
def animator(client, personas):
    client.force_login(personas["animator"])
    return client


def edit_url(copy, name="questionnaire_edit", question=None):
    args = [copy.network_id, copy.pk] + ([question.pk] if question else [])
    return reverse(f"surveys:{name}", args=args)


def q(questionnaire, number):
    return Question.objects.get(questionnaire=questionnaire, number=number)


def test_list_shows_defaults_and_own_copies_only(animator, lsr, default, copy, personas, territory):
    other = make_lsr(personas["admin"], territory["warsaw"])
    foreign = services_campaigns.questionnaire_copy(source=default, network=other, title="Cudza")
    response = animator.get(reverse("surveys:questionnaire_list", args=[lsr.pk]))
    assert response.status_code == 200
    listed = set(response.context["questionnaires"])
    assert listed == {default, copy}
    assert foreign not in listed
    # another LSR's copy cannot be opened, edited or copied through this LSR
    for name in ("questionnaire_edit", "questionnaire_copy"):
        url = reverse(f"surveys:{name}", args=[lsr.pk, foreign.pk])
        assert animator.get(url).status_code == 404


def test_copy_and_adapt(animator, lsr, default):
    response = animator.post(
        reverse("surveys:questionnaire_copy", args=[lsr.pk, default.pk]), {"title": "Moja"}
    )
    copy = Questionnaire.objects.get(network=lsr)
    assert response.status_code == 302
    assert response["Location"] == edit_url(copy)
    assert copy.title == "Moja" and copy.based_on == default
    assert copy.questions.count() == default.questions.count()

    response = animator.post(
        edit_url(copy), {"title": "Ankieta 2025", "introduction": "Wstęp", "signature": "Zespół"}
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert (copy.title, copy.introduction) == ("Ankieta 2025", "Wstęp")

    question = q(copy, 6)
    response = animator.post(
        edit_url(copy, "question_edit", question),
        {"kind": "list", "text": "Nowe działania", "list_size": "5", "required": "on"},
    )
    assert response.status_code == 302, response.context["form"].errors
    question.refresh_from_db()
    assert (question.text, question.list_size) == ("Nowe działania", 5)
    assert q(default, 6).text != "Nowe działania"


def test_default_template_is_read_only(animator, lsr, default):
    page = animator.get(reverse("surveys:questionnaire_edit", args=[lsr.pk, default.pk]))
    assert page.status_code == 200 and page.context["editable"] is False
    before = services.schema_of(default)
    first = q(default, 1)
    posts = [
        (reverse("surveys:questionnaire_edit", args=[lsr.pk, default.pk]), {"title": "X"}),
        (
            reverse("surveys:question_edit", args=[lsr.pk, default.pk, first.pk]),
            {"kind": "text", "text": "X"},
        ),
        (reverse("surveys:question_add", args=[lsr.pk, default.pk]), {"kind": "text", "text": "X"}),
        (reverse("surveys:question_delete", args=[lsr.pk, default.pk, first.pk]), {}),
        (
            reverse("surveys:question_move", args=[lsr.pk, default.pk, first.pk]),
            {"direction": "down"},
        ),
    ]
    for url, data in posts:
        assert animator.post(url, data).status_code == 403, url
    assert animator.get(posts[1][0]).status_code == 403
    assert services.schema_of(default) == before


def test_add_single_choice_with_per_option_jumps(animator, copy):
    url = edit_url(copy, "question_add") + "?kind=choice_single"
    page = animator.get(url)
    assert "options" in page.context["form"].fields
    data = {
        "kind": "choice_single",
        "text": "Jak często?",
        "options": "Często\nRzadko\nNigdy",
        "other_label": "",
        "required": "on",
        "jump_0": "",
        "jump_1": "",
        "jump_2": "",
    }
    assert animator.post(url, data).status_code == 302
    added = q(copy, 12)
    assert added.options == ["Często", "Rzadko", "Nigdy"] and added.logic == {}

    # a jump from question 3 per option, edited on the question itself
    third = q(copy, 3)
    data = {
        "kind": "choice_single",
        "text": third.text,
        "options": "Tak\nNie",
        "required": "on",
        "jump_0": "",
        "jump_1": "7",
    }
    response = animator.post(edit_url(copy, "question_edit", third), data)
    assert response.status_code == 302, response.context["form"].errors
    third.refresh_from_db()
    assert third.kind == "choice_single" and third.logic == {"Nie": {"goto": 7}}


def test_yes_no_logic_and_followups(animator, copy):
    question = q(copy, 7)
    data = {
        "kind": "yes_no",
        "text": question.text,
        "required": "on",
        "yes_action": "list",
        "yes_size": "4",
        "yes_prompt": "Jakie zadania?",
        "no_action": "goto",
        "no_goto": "9",
    }
    response = animator.post(edit_url(copy, "question_edit", question), data)
    assert response.status_code == 302, response.context["form"].errors
    question.refresh_from_db()
    assert question.logic == {
        "yes": {"followup": {"kind": "list", "text": "Jakie zadania?", "size": 4}},
        "no": {"goto": 9},
    }
    # the stored logic is shown back in the form
    form = animator.get(edit_url(copy, "question_edit", question)).context["form"]
    assert form.initial["no_action"] == "goto" and form.initial["no_goto"] == 9


@pytest.mark.parametrize("target", ["5", "7", "99"])
def test_invalid_jump_is_reported_next_to_the_field(animator, copy, target):
    question = q(copy, 7)
    before = question.logic
    data = {
        "kind": "yes_no",
        "text": question.text,
        "required": "on",
        "yes_action": "goto",
        "yes_goto": target,
        "no_action": "text",
        "no_prompt": "",
    }
    response = animator.post(edit_url(copy, "question_edit", question), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "yes_goto" in errors and "no_prompt" in errors
    question.refresh_from_db()
    assert question.logic == before


def test_jump_to_a_missing_question_when_adding(animator, copy):
    url = edit_url(copy, "question_add") + "?kind=choice_single"
    data = {"kind": "choice_single", "text": "?", "options": "A\nB", "jump_0": "3"}
    response = animator.post(url, data)
    assert response.status_code == 200
    assert "jump_0" in response.context["form"].errors
    assert copy.questions.count() == 11


def test_delete_renumbers_and_keeps_jumps_on_their_questions(animator, copy):
    # q2 "no" jumps to 5; deleting question 3 makes the old q5 number 4
    old_q5 = q(copy, 5)
    response = animator.post(edit_url(copy, "question_delete", q(copy, 3)))
    assert response.status_code == 302
    assert list(copy.questions.values_list("number", flat=True)) == list(range(1, 11))
    assert q(copy, 2).logic["no"] == {"goto": 4}
    assert q(copy, 4) == old_q5


def test_move_swaps_neighbours_and_reports_backward_jumps(animator, copy):
    old_q5, old_q4 = q(copy, 5), q(copy, 4)
    response = animator.post(edit_url(copy, "question_move", old_q5), {"direction": "up"})
    assert response.status_code == 302
    assert q(copy, 4) == old_q5 and q(copy, 5) == old_q4
    assert q(copy, 2).logic["no"] == {"goto": 4}  # still points at the same question
    assert services_campaigns.logic_problems(list(copy.questions.all())) == {}
    # moving q2 below its target makes a backward jump: shown next to the question
    second = q(copy, 2)
    for _ in range(3):
        animator.post(edit_url(copy, "question_move", second), {"direction": "down"})
    second.refresh_from_db()
    assert second.number == 5 and second.logic["no"] == {"goto": 3}
    page = animator.get(edit_url(copy))
    assert page.context["has_problems"]


def test_edit_after_launch_keeps_the_frozen_schema(animator, lsr, copy):
    now = timezone.now()
    campaign = Campaign.objects.create(
        network=lsr,
        questionnaire=copy,
        title="Badanie",
        audience=Audience.INSTITUTIONS,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=7),
    )
    services_campaigns.campaign_launch(campaign=campaign)
    campaign.refresh_from_db()
    frozen = campaign.schema
    page = animator.get(edit_url(copy))
    assert page.status_code == 200 and page.context["launched_count"] == 1

    question = q(copy, 6)
    response = animator.post(
        edit_url(copy, "question_edit", question),
        {"kind": "text", "text": "Zmienione", "required": "on"},
    )
    assert response.status_code == 302
    animator.post(edit_url(copy, "question_delete", q(copy, 11)))
    animator.post(edit_url(copy), {"title": "Nowy tytuł", "introduction": "", "signature": ""})
    campaign.refresh_from_db()
    assert campaign.schema == frozen
    assert campaign.schema["questions"][5]["text"] != "Zmienione"
    assert len(campaign.schema["questions"]) == 11


BUILDER_READ = "questionnaire_list"


@pytest.mark.parametrize(
    "name,list_status,edit_status",
    [
        ("animator", 200, 200),
        ("other_animator", 404, 404),
        ("rops", 200, 403),
        ("other_rops", 404, 404),
        ("ksr", 200, 403),
        ("partner", 404, 404),
        ("admin", 200, 200),
    ],
)
def test_builder_scoping(client, personas, copy, default, name, list_status, edit_status):
    client.force_login(personas[name])
    network_pk = copy.network_id
    assert (
        client.get(reverse("surveys:questionnaire_list", args=[network_pk])).status_code
        == list_status
    )
    assert client.get(edit_url(copy)).status_code == edit_status
    assert client.get(edit_url(copy, "question_add")).status_code == edit_status
    copy_url = reverse("surveys:questionnaire_copy", args=[network_pk, default.pk])
    assert client.get(copy_url).status_code == edit_status
    if edit_status != 200:
        assert client.post(copy_url, {"title": "x"}).status_code == edit_status
        assert client.post(edit_url(copy, "question_delete", q(copy, 1))).status_code == edit_status
        assert copy.questions.count() == 11


def test_builder_anonymous_goes_to_login(client, copy):
    response = client.get(reverse("surveys:questionnaire_list", args=[copy.network_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("kind", [k for k, _label in QuestionKind.choices])
def test_question_form_renders_every_kind(animator, copy, kind):
    response = animator.get(edit_url(copy, "question_add") + f"?kind={kind}")
    assert response.status_code == 200
    assert response.context["form"].kind == kind
    html = response.content.decode()
    assert "style=" not in html.split("<main", 1)[1]
    assert html.count("<h1") == 1
