"""Respondent privacy that no view can bypass, and exactly-once under races.

Adversarial small-group tests (a campaign of two combined with another in an evaluation, a
follow-up asked of one person, the comparison of groups; page vs PDF vs export), shares that
add up to 100 %, the same precision in a chart and its table, "not asked" vs "no answer" in the
export, and concurrent submits, draft saves and rate-limited requests on PostgreSQL with threads.
"""

import csv
import io
import random
import re
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ksr_portal.evaluations.models import Deficiency, Evaluation
from ksr_portal.evaluations.report import report_context
from surveys import ratelimit, results
from surveys.models import Audience, Campaign, Draft, Invitation, Response
from surveys.services import responses as services
from tests.builders import launched_campaign, make_lsr
from tests.pdf_utils import normalised, pages_text

from .test_results import answers, english, respond  # noqa: F401 – a fixture

pytestmark = pytest.mark.django_db

SECRET = "tajemnica-jednej-osoby"


@pytest.fixture
def campaign(lsr):
    return launched_campaign(lsr)


def text_of(response) -> str:
    return normalised(re.sub(r"<[^>]+>", " ", response.content.decode()))


def evaluation_of(network, campaigns, **fields):
    evaluation = Evaluation.objects.create(
        network=network,
        title="Ewaluacja testowa",
        period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 31),
        evaluators="Zespół",
        **fields,
    )
    evaluation.campaigns.set(campaigns)
    return evaluation


def report_url(name, evaluation):
    return reverse(f"evaluations:{name}", args=[evaluation.network_id, evaluation.pk])


# --- rounding and precision ----------------------------------------------------------------


def test_largest_remainder_adds_up_to_exactly_100():
    rng = random.Random(15)
    for _ in range(2000):
        counts = [rng.randint(0, 30) for _ in range(rng.randint(1, 7))]
        total = sum(counts)
        if not total:
            continue
        for decimals in (0, 1):
            percents = results.rounded_percents(counts, total, decimals=decimals)
            assert sum(percents) == 100, (counts, decimals, percents)
            # each is its exact share rounded down or up
            unit = Decimal(1).scaleb(-decimals)
            for count, percent in zip(counts, percents, strict=True):
                assert abs(percent - Decimal(count) * 100 / total) < unit
    # one third each: the remainder goes to the first, the rest stay whole
    assert results.rounded_percents([1, 1, 1], 3) == [34, 33, 33]
    # not the parts of one whole (multiple choice): each is rounded on its own
    assert results.rounded_percents([1, 1], 3) == [33, 33]


def test_single_answer_shares_with_no_answer_add_up_to_100(campaign):
    for q7 in ["yes", "yes", "yes", "no", "no", "no", "yes"]:
        respond(campaign, q7=q7)
    # a paper questionnaire with Q7 left blank: the last one loses its answer
    response = Response.objects.filter(campaign=campaign).order_by("pk").last()
    response.data["answers"].pop("q7")
    response.save()
    q7 = results.tally(campaign, campaign.schema, research=True).question(7).round_shares(0)
    labels = [o.percent_label for o in q7.options] + [q7.no_answer.percent_label]
    assert sum(int(label.rstrip("%")) for label in labels) == 100
    assert labels == ["43%", "43%", "14%"]  # 3/7, 3/7, 1/7: 42,86 → 43, 42,86 → 43, 14,29 → 14


def test_the_report_chart_says_what_its_table_says(campaign, lsr):
    for q3 in ["yes", "yes", "yes", "yes", "yes", "no", "no"]:
        respond(campaign, q3=q3, q3_f="powód" if q3 == "no" else "")
    context = report_context(evaluation_of(lsr, [campaign]))
    (institutions,) = [g for g in context["groups"] if g.key == Audience.INSTITUTIONS]
    (block,) = [
        b for b in institutions.result_sets[0].blocks if b.title.startswith("3.") and not b.coded
    ]
    # 5/7 = 71,43 %: whole percent in the table and in the chart alike (not 71,4 % vs 71 %)
    assert [row.percent for row in block.rows] == ["71%", "29%"]
    bars = re.findall(r">(\d+(?:,\d+)?%) \(", str(block.chart))
    assert bars == ["71%", "29%"]


# --- suppression ----------------------------------------------------------------------------


@pytest.fixture
def combined(lsr):
    """Two residents' campaigns on one questionnaire: five responses and two."""
    big = launched_campaign(lsr, audience=Audience.RESIDENTS, title="Mieszkańcy – duża")
    small = launched_campaign(lsr, audience=Audience.RESIDENTS, title="Mieszkańcy – mała")
    for q7 in ["yes", "yes", "yes", "no", "no"]:
        respond(big, q7=q7)
    respond(small, q7="no", q3="no", q3_f=SECRET)
    respond(small, q7="no")
    return big, small


def test_a_small_campaign_is_left_out_of_a_combined_evaluation(client, personas, lsr, combined):
    big, small = combined
    evaluation = evaluation_of(lsr, [big, small])
    client.force_login(personas["rops"])
    page = client.get(report_url("evaluation_report", evaluation))
    pdf = client.get(report_url("evaluation_report_pdf", evaluation))
    single = client.get(reverse("surveys:results", args=[lsr.pk, big.pk]))
    small_page = client.get(reverse("surveys:results", args=[lsr.pk, small.pk]))
    assert page.status_code == pdf.status_code == single.status_code == 200
    texts = {"page": text_of(page), "pdf": normalised(" ".join(pages_text(pdf.content)))}
    for where, text in texts.items():
        # the combined figures are those of the big campaign alone: 3 of 5 said yes to Q7,
        # so nothing of the small one can be recovered by subtracting the single campaign
        assert "3 / 5" in text and "2 / 5" in text, where
        assert "3 / 7" not in text and "4 / 7" not in text, where
        assert "Mieszkańcy – mała" in text and SECRET not in text, where
    context = report_context(evaluation)
    (residents,) = [g for g in context["groups"] if g.key == Audience.RESIDENTS]
    assert residents.responses == 5 and residents.result_sets[0].left_out == [small.title]
    assert "hidden to protect anonymity" in text_of(small_page)
    assert SECRET not in small_page.content.decode()


def test_the_comparison_cannot_be_subtracted(client, personas, lsr, combined):
    big, small = combined
    members = launched_campaign(lsr, audience=Audience.MEMBERS, title="Członkowie")
    for q7 in ["yes", "no", "no"]:
        respond(members, q7=q7)
    client.force_login(personas["rops"])
    page = client.get(reverse("surveys:results_compare", args=[lsr.pk]))
    groups = {g.key: g for g in page.context["groups"]}
    # "All groups" is exactly the visible groups: 5 residents (the small campaign left out) + 3
    assert groups["all"].responses == groups["residents"].responses + groups["members"].responses
    assert (groups["residents"].responses, groups["all"].responses) == (5, 8)
    q7 = {k: g.tally.question(7) for k, g in groups.items() if not g.hidden and g.responses}
    assert q7["all"].options[0].count == q7["residents"].options[0].count + 1
    assert SECRET not in page.content.decode()
    # the research team sees everything
    client.force_login(personas["animator"])
    page = client.get(reverse("surveys:results_compare", args=[lsr.pk]))
    assert {g.key: g.responses for g in page.context["groups"]}["all"] == 10
    assert SECRET in page.content.decode()


def test_a_follow_up_asked_of_one_person_is_withheld_everywhere(client, personas, lsr, campaign):
    for _ in range(4):
        respond(campaign, q3="yes")
    respond(campaign, q3="no", q3_f=SECRET)
    services_url = reverse("surveys:results", args=[lsr.pk, campaign.pk])
    evaluation = evaluation_of(lsr, [campaign])
    client.force_login(personas["rops"])
    for url in [
        services_url,
        reverse("surveys:results_compare", args=[lsr.pk]),
        report_url("evaluation_report", evaluation),
    ]:
        response = client.get(url)
        assert response.status_code == 200 and SECRET not in response.content.decode(), url
    pdf = client.get(report_url("evaluation_report_pdf", evaluation))
    assert SECRET not in " ".join(pages_text(pdf.content))
    assert "fewer than 3 respondents" in text_of(client.get(services_url))
    # the raw answers stay with the research team
    export = reverse("surveys:results_export", args=[lsr.pk, campaign.pk, "csv"])
    assert client.get(export).status_code == 403
    client.force_login(personas["animator"])
    assert SECRET in client.get(services_url).content.decode()
    assert SECRET in client.get(export).content.decode("utf-8")


def test_a_branch_small_in_one_campaign_is_withheld_in_every_combination(lsr):
    """Campaign A asks Q3's follow-up of 4, campaign B of 1: the combination shows 5 items;
    A alone shows 4 — so the combination must withhold it too."""
    a = launched_campaign(lsr, audience=Audience.RESIDENTS, title="A")
    b = launched_campaign(lsr, audience=Audience.RESIDENTS, title="B")
    for _ in range(4):
        respond(a, q3="no", q3_f="powód A")
    for _ in range(3):
        respond(b, q3="yes")
    respond(b, q3="no", q3_f=SECRET)
    alone = results.tally(a, a.schema).question(3).texts[0]
    both = results.tally([a, b], a.schema).question(3).texts[0]
    assert not alone.hidden and len(alone.items) == 4
    assert both.hidden and both.items == [] and both.categories == []


# --- exports --------------------------------------------------------------------------------


def test_export_tells_not_asked_from_no_answer_and_counts_equal_the_page(
    client, personas, lsr, campaign
):
    respond(campaign, q1=["Administracja"], q3="yes")
    respond(campaign, q1=["Administracja", "Organizacja pozarządowa"], q3="no")
    respond(campaign, q2="no", q1=["Organizacja pozarządowa"])  # jumps over Q3 and Q4
    # a paper questionnaire with Q7 left blank (kept as given)
    blank = respond(campaign)
    blank.data["answers"].pop("q7")
    blank.save()
    client.force_login(personas["animator"])
    response = client.get(reverse("surveys:results_export", args=[lsr.pk, campaign.pk, "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))
    assert [row["q3"] for row in rows] == ["1", "0", "-1", "1"]
    assert [row["q7"] for row in rows] == ["0", "0", "0", "-2"]
    assert [row["q4_f1"] for row in rows][2] == "-1"
    tally = results.tally(campaign, campaign.schema, research=True)
    for number, column in [(3, "q3"), (7, "q7")]:
        question = tally.question(number)
        asked = [row for row in rows if row[column] != "-1"]
        answered = [row for row in asked if row[column] != "-2"]
        assert (len(asked), len(answered)) == (question.asked, question.answered)
        yes = sum(1 for row in asked if row[column] == "1")
        assert yes == question.options[0].count
    page = client.get(reverse("surveys:results", args=[lsr.pk, campaign.pk]))
    share = tally.question(1).options[0]  # Administracja: 2 of 4 asked
    ticked = sum(1 for row in rows if row["q1_1"] == "1")
    shown = [row for row in rows if row["q1_1"] != "-1"]
    assert (ticked, len(shown)) == (share.count, share.total) == (2, 4)
    assert "50%" in text_of(page)


# --- openness of published evaluations ------------------------------------------------------


@pytest.fixture
def published_setup(full_lsr, kis, personas):
    institutions = launched_campaign(full_lsr, audience=Audience.INSTITUTIONS, title="Instytucje")
    for _ in range(4):
        respond(institutions)
    evaluation = evaluation_of(
        full_lsr, [institutions], conclusion="Reasumpcja testowa.", completed_on=date(2017, 11, 30)
    )
    Deficiency.objects.create(
        evaluation=evaluation,
        text="Brak strony internetowej",
        obliged=kis,
        deadline=date(2030, 1, 1),
    )
    partner = personas["partner"]
    partner.organisation = kis
    partner.save()
    return evaluation, partner


def test_the_animator_publishes_and_member_representatives_read(client, personas, published_setup):
    evaluation, partner = published_setup
    publish = report_url("evaluation_publish", evaluation)
    client.force_login(partner)
    assert client.get(report_url("evaluation_report", evaluation)).status_code == 404
    client.force_login(personas["rops"])
    assert client.post(publish).status_code == 403
    client.force_login(personas["animator"])
    assert client.get(publish).status_code == 405
    assert client.post(publish).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.published_at and evaluation.published_by == personas["animator"]

    client.force_login(partner)
    page = client.get(report_url("evaluation_report", evaluation))
    latest = client.get(reverse("evaluations:evaluation_report", args=[evaluation.network_id]))
    pdf = client.get(report_url("evaluation_report_pdf", evaluation))
    assert page.status_code == latest.status_code == pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = text_of(page)
    assert "Deficiencies your organisation is obliged to remove" in text
    assert "Brak strony internetowej" in text and "Reasumpcja testowa." in text
    assert page.context["public"] and page.context["interviews"] == []
    # the research material stays with the research team
    network = evaluation.network
    assert client.get(report_url("evaluation_detail", evaluation)).status_code == 404
    linked = evaluation.campaigns.get()
    assert client.get(reverse("surveys:results", args=[network.pk, linked.pk])).status_code in (
        403,
        404,
    )
    # a representative of an organisation outside the LSR gets 404
    outsider = personas["partner"]
    outsider.organisation = None
    outsider.save()
    client.force_login(outsider)
    assert client.get(report_url("evaluation_report", evaluation)).status_code == 404


def test_only_a_final_evaluation_can_be_published(client, personas, lsr):
    draft = evaluation_of(lsr, [])
    client.force_login(personas["animator"])
    response = client.post(report_url("evaluation_publish", draft), follow=True)
    draft.refresh_from_db()
    assert draft.published_at is None
    assert "Only a final evaluation can be published" in text_of(response)


# --- drafts expire --------------------------------------------------------------------------


def test_drafts_expire_when_the_campaign_closes(lsr, campaign):
    services.draft_save(campaign=campaign, draft_key="k" * 20, raw={"q10": "pół odpowiedzi"})
    assert services.draft_load(campaign=campaign, draft_key="k" * 20) == {"q10": "pół odpowiedzi"}
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    campaign.refresh_from_db()
    assert services.draft_load(campaign=campaign, draft_key="k" * 20) == {}
    assert not Draft.objects.filter(campaign=campaign).exists()
    other = launched_campaign(lsr)
    services.draft_save(campaign=other, draft_key="m" * 20, raw={"q10": "x"})
    Campaign.objects.filter(pk=other.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert services.drafts_expire() == 1


# --- races (PostgreSQL, threads) ------------------------------------------------------------


def run_in_threads(count: int, target) -> list:
    """Start ``count`` threads together; each runs ``target(i)`` with its own connection."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def worker(i):
        try:
            barrier.wait()
            outcomes[i] = target(i)
        except Exception as exc:  # noqa: BLE001 – the outcome is what the test checks
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def live_campaign(personas, territory):
    network = make_lsr(personas["admin"], territory["zmudz"])
    return launched_campaign(network)


def raw_answers(**overrides):
    return answers(**overrides)


@pytest.mark.django_db(transaction=True)
def test_the_rate_limit_is_atomic_under_50_parallel_requests():
    outcomes = run_in_threads(50, lambda i: ratelimit.count("k" * 64, window=600))
    assert sorted(outcomes) == list(range(1, 51))  # every hit counted once, none lost
    allowed = run_in_threads(
        40, lambda i: ratelimit.count("j" * 64, window=600) <= ratelimit.DEFAULT_LIMIT
    )
    assert allowed.count(True) == ratelimit.DEFAULT_LIMIT


@pytest.mark.django_db(transaction=True)
def test_personal_links_are_not_blocked_behind_one_address(live_campaign, settings):
    settings.SURVEY_RATE_LIMIT = 5
    invitations = [
        Invitation.objects.create(campaign=live_campaign, email=f"osoba{i}@urzad.example")
        for i in range(12)
    ]

    def answer(i):
        client = Client(REMOTE_ADDR="10.0.0.1")
        url = reverse("answer:invited", args=[invitations[i].token])
        return client.post(url, raw_answers()).status_code

    outcomes = run_in_threads(12, answer)
    assert outcomes == [302] * 12, outcomes
    assert Response.objects.filter(campaign=live_campaign).count() == 12
    # the general link from that one address is still limited
    client = Client(REMOTE_ADDR="10.0.0.1")
    url = reverse("answer:general", args=[live_campaign.public_token])
    statuses = [client.post(url, {}).status_code for _ in range(7)]
    assert statuses[-1] == 429


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_of_one_invitation_store_one_response(live_campaign):
    invitation = Invitation.objects.create(campaign=live_campaign, email="a@b.example")

    def submit(i):
        services.response_submit(
            campaign=live_campaign,
            raw=raw_answers(),
            submission_key=invitation.token,
            invitation=invitation,
        )
        return "stored"

    outcomes = run_in_threads(8, submit)
    assert outcomes.count("stored") == 1
    assert all(isinstance(o, services.AlreadySubmitted) for o in outcomes if o != "stored")
    assert Response.objects.filter(campaign=live_campaign).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("personal", [True, False])
def test_a_draft_save_racing_the_submit_leaves_no_draft(live_campaign, personal):
    for round_ in range(6):
        invitation = (
            Invitation.objects.create(campaign=live_campaign, email=f"r{round_}@b.example")
            if personal
            else None
        )
        draft_key = invitation.token if personal else f"draft-key-{round_}-" + "x" * 16

        def act(i, invitation=invitation, draft_key=draft_key):
            if i == 0:
                return services.response_submit(
                    campaign=live_campaign,
                    raw=raw_answers(),
                    submission_key=draft_key if personal else f"form-{round_}-" + "y" * 16,
                    invitation=invitation,
                    draft_key=draft_key,
                )
            return services.draft_save(
                campaign=live_campaign,
                draft_key=draft_key,
                raw={"q10": "w trakcie"},
                invitation=invitation,
            )

        outcomes = run_in_threads(4, act)
        assert isinstance(outcomes[0], Response), outcomes
        assert all(isinstance(o, Draft | services.AlreadySubmitted) for o in outcomes[1:]), outcomes
        # whatever the order, no draft outlives the stored response
        assert not Draft.objects.filter(campaign=live_campaign).exists(), (round_, outcomes)
    assert Response.objects.filter(campaign=live_campaign).count() == 6
