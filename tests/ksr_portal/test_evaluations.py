"""Evaluations of an LSR: list, create, edit, detail with the findings and deficiencies formsets,
the rules, the scoping matrix and the deficiencies on the "my tasks" list."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from ksr_portal.evaluations.models import Deficiency, Evaluation, Finding, FindingKind
from ksr_portal.evaluations.selectors import open_deficiencies_for
from networks.services import networks as network_services
from stakeholders.models import Organisation
from surveys.models import Audience
from tests.builders import make_lsr, make_org

from .test_evaluation_report import answered_campaign, interview_with_a_named_participant

pytestmark = pytest.mark.django_db

ALL = ["animator", "other_animator", "rops", "other_rops", "ksr", "partner", "admin"]
READERS = {"animator", "rops", "ksr", "admin"}
WRITERS = {"animator", "admin"}


def _management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_data(*, campaigns=(), interviews=(), findings=(), deficiencies=(), **fields):
    data = {
        "title": "Ewaluacja 2017",
        "period_start": "2017-01-01",
        "period_end": "2017-12-31",
        "method": "external",
        "evaluators": "Zespół Badawczy LSR",
        "aim": "Ocena aktywności partnerów",
        "conclusion": "Reasumpcja: partnerstwo jest rozpoznawalne.",
        "completed_on": "",
        "campaigns": [c.pk for c in campaigns],
        "interviews": [i.pk for i in interviews],
        **_management("findings", len(findings)),
        **_management("deficiencies", len(deficiencies)),
    }
    for i, finding in enumerate(findings):
        data.update({f"findings-{i}-{k}": v for k, v in finding.items()})
    for i, deficiency in enumerate(deficiencies):
        data.update({f"deficiencies-{i}-{k}": v for k, v in deficiency.items()})
    data.update(fields)
    return data


@pytest.fixture
def kis_member(full_lsr):
    return Organisation.objects.get(name="KIS w Żmudzi")


@pytest.fixture
def evaluation(full_lsr, kis_member):
    evaluation = Evaluation.objects.create(
        network=full_lsr,
        title="Ewaluacja Żmudź",
        period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 31),
        evaluators="Zespół",
    )
    Deficiency.objects.create(
        evaluation=evaluation, text="Brak strony www", obliged=kis_member, deadline=date(2030, 1, 1)
    )
    return evaluation


def url(name, network, evaluation=None):
    args = [network.pk] + ([evaluation.pk] if evaluation else [])
    return reverse(f"evaluations:{name}", args=args)


# --- create / edit ---------------------------------------------------------------------------


def test_animator_creates_an_evaluation_with_sources_findings_and_deficiencies(
    client, personas, full_lsr, kis_member
):
    campaign = answered_campaign(full_lsr, Audience.INSTITUTIONS, 3, 1.0)
    interview = interview_with_a_named_participant(full_lsr, kis_member)
    client.force_login(personas["animator"])
    assert client.get(url("evaluation_create", full_lsr)).status_code == 200

    response = client.post(
        url("evaluation_create", full_lsr),
        form_data(
            campaigns=[campaign],
            interviews=[interview],
            findings=[
                {"kind": "barrier", "audience": "members", "text": "Brak zasobów", "share": "80"},
                {"kind": "need", "audience": "residents", "text": "Bezrobocie", "share": "100"},
                {"kind": "", "audience": "", "text": "", "share": ""},  # an unused row
            ],
            deficiencies=[
                {
                    "text": "Brak polityki informacyjnej",
                    "obliged": kis_member.pk,
                    "deadline": "2018-06-30",
                    "removed_on": "",
                    "notes": "",
                },
            ],
        ),
    )

    evaluation = Evaluation.objects.get(network=full_lsr)
    assert response.status_code == 302
    assert response["Location"] == url("evaluation_detail", full_lsr, evaluation)
    assert list(evaluation.campaigns.all()) == [campaign]
    assert list(evaluation.interviews.all()) == [interview]
    assert sorted(evaluation.findings.values_list("kind", "share")) == [
        ("barrier", 80),
        ("need", 100),
    ]
    deficiency = evaluation.deficiencies.get()
    assert deficiency.obliged == kis_member and deficiency.removed_on is None
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "Brak polityki informacyjnej" in detail.content.decode()


def test_edit_marks_a_deficiency_removed_and_deletes_a_finding(
    client, personas, evaluation, kis_member
):
    finding = Finding.objects.create(
        evaluation=evaluation, kind=FindingKind.SUCCESS, text="Jarmark", share=45
    )
    deficiency = evaluation.deficiencies.get()
    client.force_login(personas["animator"])
    data = form_data(
        findings=[
            {
                "id": finding.pk,
                "kind": "success",
                "audience": "",
                "text": "Jarmark",
                "share": "45",
                "DELETE": "on",
            }
        ],
        deficiencies=[
            {
                "id": deficiency.pk,
                "text": deficiency.text,
                "obliged": kis_member.pk,
                "deadline": "2030-01-01",
                "removed_on": "2024-03-01",
                "notes": "zrobione",
            }
        ],
        title="Ewaluacja poprawiona",
    )
    data.update(_management("findings", 1, 1))
    data.update(_management("deficiencies", 1, 1))

    response = client.post(url("evaluation_edit", evaluation.network, evaluation), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    evaluation.refresh_from_db()
    deficiency.refresh_from_db()
    assert evaluation.title == "Ewaluacja poprawiona"
    assert not evaluation.findings.exists()
    assert deficiency.removed_on == date(2024, 3, 1) and deficiency.notes == "zrobione"


@pytest.mark.parametrize("share", ["-1", "100.1", "250"])
def test_share_must_be_0_to_100(client, personas, full_lsr, share):
    client.force_login(personas["animator"])
    response = client.post(
        url("evaluation_create", full_lsr),
        form_data(findings=[{"kind": "barrier", "audience": "", "text": "X", "share": share}]),
    )
    assert response.status_code == 400
    assert not Evaluation.objects.exists()


def test_obliged_partner_must_be_an_active_member(client, personas, full_lsr, territory):
    outsider = make_org(territory["zmudz"], name="Nie-członek")
    left = make_org(territory["zmudz"], name="Były członek")
    membership = network_services.membership_add(network=full_lsr, organisation=left).obj
    network_services.membership_end(membership=membership, left_on=date.today())
    client.force_login(personas["animator"])
    for organisation in (outsider, left):
        response = client.post(
            url("evaluation_create", full_lsr),
            form_data(
                deficiencies=[
                    {
                        "text": "X",
                        "obliged": organisation.pk,
                        "deadline": "2030-01-01",
                        "removed_on": "",
                        "notes": "",
                    }
                ]
            ),
        )
        assert response.status_code == 400
    assert not Evaluation.objects.exists()


def test_service_refuses_an_inactive_obliged_partner(full_lsr, territory):
    from django.core.exceptions import ValidationError

    from ksr_portal.evaluations.services import evaluation_save

    outsider = make_org(territory["zmudz"], name="Nie-członek")
    evaluation = Evaluation(
        title="E", period_start=date(2017, 1, 1), period_end=date(2017, 2, 1), evaluators="Z"
    )
    with pytest.raises(ValidationError):
        evaluation_save(
            network=full_lsr,
            evaluation=evaluation,
            campaigns=[],
            interviews=[],
            deficiencies=[Deficiency(text="X", obliged=outsider, deadline=date(2030, 1, 1))],
        )


def test_period_must_be_in_order(client, personas, full_lsr):
    client.force_login(personas["animator"])
    response = client.post(url("evaluation_create", full_lsr), form_data(period_start="2018-01-01"))
    assert response.status_code == 400
    assert not Evaluation.objects.exists()


def test_campaigns_of_another_lsr_cannot_be_linked(client, personas, full_lsr, territory):
    other = make_lsr(personas["admin"], territory["rejowiec"])
    foreign = answered_campaign(other, Audience.RESIDENTS, 3, 1.0)
    client.force_login(personas["animator"])
    response = client.post(url("evaluation_create", full_lsr), form_data(campaigns=[foreign]))
    assert response.status_code == 400
    assert not Evaluation.objects.filter(network=full_lsr).exists()


# --- scoping matrix --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL)
def test_read_views_scoping(client, personas, evaluation, persona):
    client.force_login(personas[persona])
    network = evaluation.network
    for name, args in [
        ("evaluation_list", (network,)),
        ("evaluation_detail", (network, evaluation)),
        ("evaluation_report", (network, evaluation)),
    ]:
        response = client.get(url(name, *args))
        assert response.status_code == (200 if persona in READERS else 404), (name, persona)


@pytest.mark.parametrize("persona", ALL)
def test_write_views_scoping(client, personas, evaluation, persona):
    client.force_login(personas[persona])
    network = evaluation.network
    expected = 200 if persona in WRITERS else 403 if persona in READERS else 404
    assert client.get(url("evaluation_create", network)).status_code == expected
    assert client.get(url("evaluation_edit", network, evaluation)).status_code == expected
    response = client.post(url("evaluation_create", network), form_data())
    assert response.status_code == (302 if persona in WRITERS else expected)


def test_partner_of_a_member_organisation_gets_404_until_published(
    client, personas, evaluation, kis_member
):
    partner = personas["partner"]
    partner.organisation = kis_member
    partner.save()
    client.force_login(partner)
    assert client.get(url("evaluation_list", evaluation.network)).status_code == 404
    assert client.get(url("evaluation_detail", evaluation.network, evaluation)).status_code == 404
    # an unpublished evaluation's report stays with the research team and the coordinators
    assert client.get(url("evaluation_report", evaluation.network, evaluation)).status_code == 404
    assert (
        client.get(url("evaluation_report_pdf", evaluation.network, evaluation)).status_code == 404
    )
    latest = client.get(url("evaluation_report_pdf", evaluation.network))
    assert latest.status_code == 200 and latest["Content-Type"].startswith("text/html")


def test_anonymous_is_sent_to_login(client, evaluation):
    response = client.get(url("evaluation_list", evaluation.network))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_wrong_methods(client, personas, evaluation):
    client.force_login(personas["animator"])
    network = evaluation.network
    assert client.post(url("evaluation_list", network)).status_code == 405
    assert client.post(url("evaluation_detail", network, evaluation)).status_code == 405
    assert client.post(url("evaluation_report_pdf", network, evaluation)).status_code == 405


def test_evaluation_of_another_lsr_is_404(client, personas, evaluation, territory):
    other = make_lsr(personas["admin"], territory["rejowiec"])
    client.force_login(personas["animator"])
    assert client.get(url("evaluation_detail", other, evaluation)).status_code == 404
    assert client.get(url("evaluation_edit", other, evaluation)).status_code == 404


def test_pages_have_one_h1(client, personas, evaluation):
    import re

    client.force_login(personas["animator"])
    network = evaluation.network
    for name, args in [
        ("evaluation_list", (network,)),
        ("evaluation_create", (network,)),
        ("evaluation_edit", (network, evaluation)),
        ("evaluation_detail", (network, evaluation)),
        ("evaluation_report", (network, evaluation)),
    ]:
        body = client.get(url(name, *args)).content.decode()
        assert len(re.findall(r"<h1[\s>]", body)) == 1, name
        assert ' style="' not in body, name


# --- my tasks --------------------------------------------------------------------------------


def test_open_deficiencies_for_partner_and_animator(personas, evaluation, kis_member, territory):
    other_org = Organisation.objects.get(name="Firma Lokalna")
    Deficiency.objects.create(
        evaluation=evaluation,
        text="Firma: brak",
        obliged=other_org,
        deadline=date.today() - timedelta(days=1),
    )
    Deficiency.objects.create(
        evaluation=evaluation,
        text="Usunięty",
        obliged=kis_member,
        deadline=date(2020, 1, 1),
        removed_on=date(2020, 1, 1),
    )
    other_lsr = make_lsr(personas["admin"], territory["warsaw"])
    warsaw_org = make_org(territory["warsaw"], name="Fundacja Warszawska")
    network_services.membership_add(network=other_lsr, organisation=warsaw_org)
    other_evaluation = Evaluation.objects.create(
        network=other_lsr,
        title="W",
        period_start=date(2020, 1, 1),
        period_end=date(2020, 2, 1),
        evaluators="Z",
    )
    Deficiency.objects.create(
        evaluation=other_evaluation,
        text="Warszawa",
        obliged=warsaw_org,
        deadline=date(2030, 1, 1),
    )

    partner = personas["partner"]
    partner.organisation = kis_member
    partner.save()
    assert [d.text for d in open_deficiencies_for(partner)] == ["Brak strony www"]

    animator = [d.text for d in open_deficiencies_for(personas["animator"])]
    assert animator == ["Firma: brak", "Brak strony www"]  # by deadline; removed ones left out
    overdue = {d.text: d.overdue for d in open_deficiencies_for(personas["animator"])}
    assert overdue == {"Firma: brak": True, "Brak strony www": False}
    assert [d.text for d in open_deficiencies_for(personas["other_animator"])] == ["Warszawa"]
    assert not open_deficiencies_for(personas["rops"]).exists()
    assert not open_deficiencies_for(personas["ksr"]).exists()
