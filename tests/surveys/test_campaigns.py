"""Survey campaigns: creation, launch, invitations sent in the background, paper entry, scoping."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.signals import task_enqueued

from ksr_portal import urls as portal_urls
from surveys.models import (
    Audience,
    Campaign,
    Channel,
    Invitation,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
)
from surveys.services import campaigns as services_campaigns
from surveys.services import responses as services
from surveys.tasks import send_invitations
from tests.builders import launched_campaign, make_lsr
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


# The public answering pages are written separately; until they exist, the tests mount stand-ins
# with the same names so that the links can be built.
def _stand_in(request, token):
    return HttpResponse(token)


urlpatterns = [
    path(
        "ankieta-test/",
        include(
            (
                [
                    path("<str:token>/", _stand_in, name="general"),
                    path("z/<str:token>/", _stand_in, name="invited"),
                ],
                "answer",
            )
        ),
    ),
    *portal_urls.urlpatterns,
]


@pytest.fixture(autouse=True)
def answer_urls(settings):
    try:
        reverse("answer:invited", args=["x"])
        reverse("answer:general", args=["x"])
    except NoReverseMatch:
        settings.ROOT_URLCONF = __name__


@pytest.fixture
def animator(client, personas):
    client.force_login(personas["animator"])
    return client


@pytest.fixture
def small_questionnaire(lsr):
    """1 yes/no (no → 3, yes → list of 2), 2 single choice, 3 long text (optional)."""
    questionnaire = Questionnaire.objects.create(network=lsr, title="Krótka ankieta")
    Question.objects.create(
        questionnaire=questionnaire,
        number=1,
        kind=QuestionKind.YES_NO,
        text="Czy współpracujecie?",
        logic={
            "no": {"goto": 3},
            "yes": {"followup": {"kind": "list", "size": 2, "text": "Z kim?"}},
        },
    )
    Question.objects.create(
        questionnaire=questionnaire,
        number=2,
        kind=QuestionKind.SINGLE,
        text="Jak często?",
        options=["Często", "Rzadko"],
    )
    Question.objects.create(
        questionnaire=questionnaire,
        number=3,
        kind=QuestionKind.TEXT,
        text="Uwagi",
        required=False,
    )
    return questionnaire


@pytest.fixture
def campaign(lsr, small_questionnaire):
    return launched_campaign(lsr, small_questionnaire)


def url(name, campaign, *extra):
    return reverse(f"surveys:{name}", args=[campaign.network_id, campaign.pk, *extra])


def add_invitations(campaign, n, *, sent=False):
    Invitation.objects.bulk_create(
        [
            Invitation(
                campaign=campaign,
                email=f"osoba{i}@example.pl",
                sent_at=timezone.now() if sent else None,
            )
            for i in range(n)
        ]
    )


# --- creating and launching ------------------------------------------------------------------


def test_create_closes_before_opens_is_a_field_error(animator, lsr, small_questionnaire):
    data = {
        "questionnaire": small_questionnaire.pk,
        "title": "Badanie",
        "audience": Audience.INSTITUTIONS,
        "opens_at": "2030-05-10T10:00",
        "closes_at": "2030-05-03T10:00",
        "anonymous": "on",
    }
    response = animator.post(reverse("surveys:campaign_create", args=[lsr.pk]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["closes_at"]
    assert not Campaign.objects.exists()

    data["closes_at"] = "2030-05-17T10:00"
    response = animator.post(reverse("surveys:campaign_create", args=[lsr.pk]), data)
    campaign = Campaign.objects.get()
    assert response["Location"] == url("campaign_detail", campaign)
    assert campaign.network == lsr and campaign.anonymous and not campaign.is_launched


def test_create_form_offers_templates_and_own_copies(
    animator, lsr, small_questionnaire, personas, territory
):
    default = services.questionnaire_load_default()
    other = make_lsr(personas["admin"], territory["warsaw"])
    foreign = services_campaigns.questionnaire_copy(source=default, network=other)
    form = animator.get(reverse("surveys:campaign_create", args=[lsr.pk])).context["form"]
    assert form.fields["anonymous"].initial is True
    assert set(form.fields["questionnaire"].queryset) == {default, small_questionnaire}
    data = {
        "questionnaire": foreign.pk,
        "title": "Badanie",
        "audience": Audience.RESIDENTS,
        "opens_at": "2030-05-10T10:00",
        "closes_at": "2030-05-17T10:00",
    }
    response = animator.post(reverse("surveys:campaign_create", args=[lsr.pk]), data)
    assert "questionnaire" in response.context["form"].errors


def test_launch_freezes_and_cannot_run_twice(animator, lsr, small_questionnaire):
    campaign = CampaignFactory(network=lsr, questionnaire=small_questionnaire)
    response = animator.post(url("campaign_launch", campaign))
    assert response.status_code == 302
    campaign.refresh_from_db()
    launched_at = campaign.launched_at
    assert campaign.schema["questions"][0]["text"] == "Czy współpracujecie?"

    response = animator.post(url("campaign_launch", campaign), follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    campaign.refresh_from_db()
    assert campaign.launched_at == launched_at

    page = animator.get(url("campaign_detail", campaign))
    assert page.context["general_link"] == "http://testserver" + reverse(
        "answer:general", args=[campaign.public_token]
    )
    assert campaign.public_token in page.content.decode()


# --- invitations -----------------------------------------------------------------------------


def test_invitations_bad_lines_are_reported_and_duplicates_skipped(animator, campaign):
    text = "jan@example.pl\nnie-adres\nanna@example.pl, zly@\n"
    response = animator.post(url("invitations_add", campaign), {"addresses": text})
    assert response.status_code == 200
    errors = response.context["form"].errors["addresses"]
    assert len(errors) == 2
    assert "nie-adres" in errors[0] and "2" in errors[0]
    assert "zly@" in errors[1] and "3" in errors[1]
    assert not campaign.invitations.exists()
    assert "jan@example.pl" in response.content.decode()  # the typed text is kept

    text = "jan@example.pl\nJan@example.pl; anna@example.pl\n\n"
    response = animator.post(url("invitations_add", campaign), {"addresses": text})
    assert response.status_code == 302
    assert sorted(campaign.invitations.values_list("email", flat=True)) == [
        "anna@example.pl",
        "jan@example.pl",
    ]
    animator.post(url("invitations_add", campaign), {"addresses": "anna@example.pl, ewa@x.pl"})
    assert campaign.invitations.count() == 3


def test_sending_500_invitations_runs_one_task(animator, campaign):
    add_invitations(campaign, 500)
    tasks = []

    def record(sender, task_result, **kwargs):
        tasks.append(task_result)

    task_enqueued.connect(record)
    try:
        response = animator.post(url("invitations_send", campaign))
    finally:
        task_enqueued.disconnect(record)
    assert response.status_code == 302
    assert len(tasks) == 1 and tasks[0].task.name == "send_invitations"
    assert len(mail.outbox) == 500
    tokens = set(campaign.invitations.values_list("token", flat=True))
    linked = set()
    for message in mail.outbox:
        found = re.findall(r"http://testserver/\S+", message.body)
        assert len(found) == 1
        path_ = found[0].removeprefix("http://testserver")
        token = next(t for t in tokens if path_ == reverse("answer:invited", args=[t]))
        linked.add(token)
        assert len(message.to) == 1
        assert message.subject.startswith("Zaproszenie")
    assert linked == tokens
    assert not campaign.invitations.filter(sent_at__isnull=True).exists()
    # a second click has nothing left to send
    animator.post(url("invitations_send", campaign))
    assert len(mail.outbox) == 500


@pytest.mark.parametrize("count", [5, 500])
def test_the_send_request_only_enqueues(animator, campaign, settings, count):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    add_invitations(campaign, count)
    animator.get(url("campaign_detail", campaign))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = animator.post(url("invitations_send", campaign))
    assert response.status_code == 302
    assert mail.outbox == []
    results = default_task_backend.results
    assert len(results) == 1
    assert results[0].task.name == send_invitations.name
    assert list(results[0].args) == [campaign.pk, "http://testserver", False]
    assert len(queries) <= 10, [q["sql"] for q in queries]
    assert not campaign.invitations.filter(sent_at__isnull=False).exists()


def test_reminders_go_only_to_those_who_have_not_answered(animator, campaign):
    add_invitations(campaign, 3, sent=True)
    Invitation.objects.create(campaign=campaign, email="nowy@example.pl")  # never sent
    answered = campaign.invitations.get(email="osoba1@example.pl")
    answered.responded = True
    answered.save()
    response = animator.post(url("invitations_remind", campaign))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["osoba0@example.pl", "osoba2@example.pl"]
    assert all(m.subject.startswith("Przypomnienie") for m in mail.outbox)
    reminded = set(
        campaign.invitations.filter(reminded_at__isnull=False).values_list("email", flat=True)
    )
    assert reminded == {"osoba0@example.pl", "osoba2@example.pl"}
    stats = animator.get(url("campaign_detail", campaign)).context["stats"]
    assert (stats["total"], stats["sent"], stats["reminded"], stats["answered"]) == (4, 3, 2, 1)


def test_no_sending_before_launch(animator, lsr, small_questionnaire):
    campaign = CampaignFactory(network=lsr, questionnaire=small_questionnaire)
    add_invitations(campaign, 2)
    animator.post(url("invitations_send", campaign))
    assert mail.outbox == []
    assert not campaign.invitations.filter(sent_at__isnull=False).exists()


# --- paper / e-mail entry --------------------------------------------------------------------


def test_paper_entry_stores_channel_and_keeps_values_on_error(animator, campaign):
    page = animator.get(url("response_enter", campaign))
    key = page.context["form"].initial["submission_key"]
    html = page.content.decode()
    assert 'name="q1_f1"' in html and 'name="q2"' in html

    # q2 is asked (q1 = yes) and required: error next to it, the typed values stay
    data = {"submission_key": key, "channel": "paper", "q1": "yes", "q1_f1": "GOPS"}
    response = animator.post(url("response_enter", campaign), data)
    assert response.status_code == 200
    questions = {q["number"]: q for q in response.context["questions"]}
    assert questions[2]["errors"] and not questions[1]["errors"]
    assert questions[1]["followups"][0]["items"][0]["value"] == "GOPS"
    assert [c["checked"] for c in questions[1]["choices"]] == [True, False]
    assert 'value="GOPS"' in response.content.decode()
    assert not Response.objects.exists()

    data["q2"] = "Rzadko"
    response = animator.post(url("response_enter", campaign), data)
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.channel == Channel.PAPER
    assert stored.data["answers"] == {"q1": "yes", "q1_f": ["GOPS"], "q2": "Rzadko"}

    # the same form sent twice stores nothing new
    animator.post(url("response_enter", campaign), data)
    assert Response.objects.count() == 1

    # an e-mail answer after the survey closed is still entered by the team
    Campaign.objects.filter(pk=campaign.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
        opens_at=timezone.now() - datetime.timedelta(days=7),
    )
    data = {"submission_key": "k" * 20, "channel": "email", "q1": "no", "q3": "Brak"}
    assert animator.post(url("response_enter", campaign), data).status_code == 302
    assert Response.objects.filter(channel=Channel.EMAIL).get().data["asked"] == [1, 3]


# --- scoping and queries ---------------------------------------------------------------------

ALL = ["animator", "other_animator", "rops", "other_rops", "ksr", "partner", "admin"]
READERS = {"animator", "rops", "ksr", "admin"}
MANAGERS = {"animator", "admin"}


def want(name, manage):
    if name not in READERS:
        return 404
    if manage and name not in MANAGERS:
        return 403
    return 200


def test_campaign_scoping_matrix(client, personas, lsr, campaign):
    read = [reverse("surveys:campaign_list", args=[lsr.pk]), url("campaign_detail", campaign)]
    manage = [
        reverse("surveys:campaign_create", args=[lsr.pk]),
        url("invitations_add", campaign),
        url("response_enter", campaign),
    ]
    posts = [
        url("campaign_launch", campaign),
        url("invitations_send", campaign),
        url("invitations_remind", campaign),
        url("invitations_add", campaign),
        url("response_enter", campaign),
        reverse("surveys:campaign_create", args=[lsr.pk]),
    ]
    for name in ALL:
        client.force_login(personas[name])
        for u in read:
            assert client.get(u).status_code == want(name, False), (name, u)
        for u in manage:
            assert client.get(u).status_code == want(name, True), (name, u)
        for u in posts:
            got = client.post(u, {}).status_code
            expected = want(name, True)
            assert got in ((200, 302) if expected == 200 else (expected,)), (name, u, got)
    client.logout()
    for u in read + manage:
        response = client.get(u)
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))
    assert Campaign.objects.count() == 1


def test_readers_see_counts_but_not_addresses(client, personas, campaign):
    add_invitations(campaign, 2, sent=True)
    client.force_login(personas["rops"])
    page = client.get(url("campaign_detail", campaign))
    assert page.context["invitations"] is None
    assert "osoba0@example.pl" not in page.content.decode()
    client.force_login(personas["animator"])
    assert "osoba0@example.pl" in client.get(url("campaign_detail", campaign)).content.decode()


def test_campaign_of_another_lsr_is_404(animator, personas, territory, small_questionnaire, lsr):
    other = make_lsr(personas["admin"], territory["rejowiec"])
    foreign = launched_campaign(other)
    # through this LSR's URL …
    assert (
        animator.get(reverse("surveys:campaign_detail", args=[lsr.pk, foreign.pk])).status_code
        == 404
    )


def test_campaign_list_query_count_is_constant(animator, lsr, small_questionnaire):
    def list_queries():
        with CaptureQueriesContext(connection) as queries:
            response = animator.get(reverse("surveys:campaign_list", args=[lsr.pk]))
        assert response.status_code == 200
        return response, len(queries)

    first = launched_campaign(lsr, small_questionnaire)
    Response.objects.create(campaign=first, data={"asked": [], "answers": {}})
    animator.get(reverse("surveys:campaign_list", args=[lsr.pk]))  # warm up
    _, few = list_queries()
    for i in range(4):
        extra = launched_campaign(lsr, small_questionnaire, title=f"Badanie {i}")
        Response.objects.bulk_create(
            [Response(campaign=extra, data={"asked": [], "answers": {}}) for _ in range(i)]
        )
        add_invitations(extra, i)
    response, many = list_queries()
    assert few == many
    counts = {c.title: c.response_count for c in response.context["campaigns"]}
    assert counts == {
        "Badanie instytucji": 1,
        "Badanie 0": 0,
        "Badanie 1": 1,
        "Badanie 2": 2,
        "Badanie 3": 3,
    }


def test_partner_of_a_member_reads_counts_only(
    client, personas, full_lsr, kis, small_questionnaire
):
    """Campaigns reach partner representatives through their member organisation (read only)."""
    partner = personas["partner"]
    partner.organisation = kis
    partner.save()
    campaign = launched_campaign(full_lsr, small_questionnaire)
    add_invitations(campaign, 1, sent=True)
    client.force_login(partner)
    assert client.get(reverse("surveys:campaign_list", args=[full_lsr.pk])).status_code == 200
    page = client.get(url("campaign_detail", campaign))
    assert page.status_code == 200 and "osoba0@example.pl" not in page.content.decode()
    assert client.get(url("response_enter", campaign)).status_code == 403
    assert client.post(url("invitations_send", campaign)).status_code == 403
    assert mail.outbox == []
