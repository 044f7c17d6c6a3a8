"""Benchmark: the evaluation report PDF of an LSR with 1,000 survey responses.

Run on the database of DATABASE_URL (migrated if empty), e.g.

    .ci/with-postgres .venv/bin/python benchmarks/evaluation_pdf.py

Everything it creates lives in one transaction that is rolled back at the end, so the database
is left as it was. Prints ``evaluation_pdf_seconds=<best of 3> pages=<n>`` (target: < 3 s);
a render is what the PDF view does: compose the report context, then render the PDF.
"""

import io
import os
import sys
import time
import uuid
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ksr_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

RESPONSES = {"institutions": 300, "members": 200, "residents": 500}  # 1,000 in all
RUNS = 3


class Rollback(Exception):
    pass


def ensure_schema() -> None:
    if "surveys_evaluation" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0, interactive=False)


def build():
    from django.contrib.auth import get_user_model

    from ksr_portal.evaluations.models import Deficiency, Evaluation, Finding, FindingKind
    from ksr_portal.seed.demo_surveys import TOPICS, _answers
    from networks.models import MemberRole, Network
    from networks.services import networks as network_services
    from stakeholders.models import (
        County,
        Gmina,
        GminaKind,
        InstitutionKind,
        OperatingScope,
        Organisation,
        Sector,
        Voivodeship,
    )
    from stakeholders.roles import Role
    from surveys import engine
    from surveys.models import (
        AgeBand,
        Campaign,
        CodeCategory,
        Coding,
        Gender,
        Interview,
        InterviewKind,
        Participant,
        ParticipantRole,
        Response,
    )
    from surveys.services import campaigns as survey_campaign_services
    from surveys.services import responses as survey_services
    from surveys.services.interviews import guide_load_default

    tag = uuid.uuid4().hex[:6]
    voivodeship, _ = Voivodeship.objects.get_or_create(code="98", defaults={"name": "bench"})
    county, _ = County.objects.get_or_create(
        code="9801", defaults={"name": "powiat benchmarkowy", "voivodeship": voivodeship}
    )
    gmina = Gmina.objects.create(
        code=f"98{tag[:4].translate(str.maketrans('abcdef', '123456'))}2"[:7],
        name=f"Żmudź-benchmark-{tag}",
        kind=GminaKind.RURAL,
        county=county,
    )
    user = get_user_model().objects.create(username=f"bench-{tag}", role=Role.KSR)
    network = network_services.lsr_create(
        user=user,
        gmina=gmina,
        network=Network(name=f"LSR {gmina.name}", variant="civic", initiators="Liderzy"),
    )

    def org(name, stakeholder_type="C", kind=InstitutionKind.CULTURE, sector=Sector.PUBLIC):
        return Organisation.objects.create(
            name=name,
            stakeholder_type=stakeholder_type,
            institution_kind=kind,
            sector=sector,
            gmina=gmina,
            operating_scope=OperatingScope.LOCAL,
        )

    kis = org("Klub Integracji Społecznej w Żmudzi", "A", InstitutionKind.KIS, Sector.NGO)
    network_services.membership_add(network=network, organisation=kis, role=MemberRole.MAIN_NODE)
    for i in range(11):
        network_services.membership_add(
            network=network, organisation=org(f"Instytucja partnerska nr {i + 1} – gęślą jaźń")
        )

    questionnaire = survey_services.questionnaire_load_default()
    tz = timezone.get_current_timezone()
    campaigns = []
    for audience, size in RESPONSES.items():
        campaign = Campaign.objects.create(
            network=network,
            questionnaire=questionnaire,
            title=f"Ewaluacja – {audience}",
            audience=audience,
            opens_at=datetime(2017, 10, 2, 8, tzinfo=tz),
            closes_at=datetime(2017, 10, 9, 16, tzinfo=tz),
        )
        campaign = survey_campaign_services.campaign_record_past(campaign=campaign)
        rows = []
        for i in range(size):
            result = engine.validate(campaign.schema, _answers(i, size, know_share=0.86))
            assert result.is_valid, result
            rows.append(
                Response(campaign=campaign, data={"asked": result.asked, "answers": result.answers})
            )
        Response.objects.bulk_create(rows, batch_size=500)
        categories = {
            name: CodeCategory.objects.create(campaign=campaign, field="q11", name=name)
            for name in TOPICS
        }
        Coding.objects.bulk_create(
            (
                Coding(response=r, field="q11", item=item, category=categories[text])
                for r in Response.objects.filter(campaign=campaign)
                for item, text in enumerate(r.data["answers"].get("q11", []))
                if text in categories
            ),
            batch_size=1000,
        )
        campaigns.append(campaign)

    guide = guide_load_default()
    interviews = []
    for k in range(3):
        interview = Interview.objects.create(
            network=network,
            guide=guide,
            kind=InterviewKind.IDI,
            organisation=kis,
            moderator="Zespół Badawczy LSR",
            held_on=date(2017, 10, 10 + k),
            duration_minutes=50,
            consent_recorded=True,
            summary="Respondent wskazuje na potrzebę wspólnych zasobów finansowych.",
        )
        Participant.objects.create(
            interview=interview,
            name="",
            gender=Gender.FEMALE,
            age_band=AgeBand.B41_60,
            position="dyrektor",
            role=ParticipantRole.MANAGER,
        )
        interviews.append(interview)

    evaluation = Evaluation.objects.create(
        network=network,
        title="Badanie ewaluacyjne – benchmark",
        period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 31),
        evaluators="Zespół Badawczy LSR",
        aim="Ocena aktywności partnerów w obszarze reintegracji społeczno-zawodowej.",
        conclusion="Najpoważniejszym deficytem są zasoby finansowe.",
    )
    evaluation.campaigns.set(campaigns)
    evaluation.interviews.set(interviews)
    Finding.objects.bulk_create(
        Finding(evaluation=evaluation, kind=kind, audience="members", text=text, share=share)
        for kind, text, share in [
            (FindingKind.BARRIER, "Brak wspólnych zasobów finansowych", 80),
            (FindingKind.BARRIER, "Duże obciążenie obowiązkami zawodowymi", 50),
            (FindingKind.BARRIER, "Mała integracja z podmiotami regionalnymi", 15),
            (FindingKind.SUCCESS, "Wzajemna realizacja projektów", 60),
            (FindingKind.NEED, "Problematyka bezrobocia", 100),
        ]
    )
    Deficiency.objects.create(
        evaluation=evaluation,
        text="Niewystarczająca polityka informacyjna",
        obliged=kis,
        deadline=date(2018, 6, 30),
    )
    return evaluation


def render(evaluation) -> bytes:
    from ksr_portal.core.pdf import render_pdf
    from ksr_portal.evaluations.report import report_context

    return render_pdf("evaluations/report_pdf.html", report_context(evaluation))


def main() -> None:
    ensure_schema()
    timings, cpu, pages = [], [], 0
    try:
        with transaction.atomic():
            evaluation = build()
            for _run in range(RUNS):
                start, start_cpu = time.perf_counter(), time.process_time()
                pdf = render(evaluation)
                timings.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                pages = len(PdfReader(io.BytesIO(pdf)).pages)
            raise Rollback
    except Rollback:
        pass
    print(f"evaluation_pdf_seconds={min(timings):.2f} pages={pages}")
    # wall time suffers when other processes share the CPUs; this process's CPU time does not
    print(f"evaluation_pdf_cpu_seconds={min(cpu):.2f} load_average={os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
