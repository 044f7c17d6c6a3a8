"""The synthetic national data set (issue 7, item 4): `generate` builds an LSR in every gmina of
the TERYT register with members, cards, meetings, partnerships and survey responses, in bulk and
in the shape the services produce (what that shape is: `ksr_portal.seed.national`, whose modules
are the generator's steps).
"""

import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from ksr_portal.dashboards.summaries import summaries_refresh
from ksr_portal.seed.national.bulk import delete_dataset
from ksr_portal.seed.national.cards import CardSteps
from ksr_portal.seed.national.meetings import MeetingSteps
from ksr_portal.seed.national.members import MemberSteps
from ksr_portal.seed.national.networks import NetworkSteps
from ksr_portal.seed.national.partnerships import PartnershipSteps
from ksr_portal.seed.national.plans import Report, _Phases
from ksr_portal.seed.national.surveys import SurveySteps
from ksr_portal.seed.national.vocabulary import LEFT_REASON, NA_REASONS, SYNTHETIC_DOMAIN
from networks.models import Network, Tier
from procedures.models import CardTemplate
from procedures.services.cards import card_templates_load
from stakeholders.models import Gmina
from stakeholders.services import teryt_load
from surveys.services.responses import questionnaire_load_default, schema_of

__all__ = [
    "LEFT_REASON",
    "NA_REASONS",
    "SYNTHETIC_DOMAIN",
    "DatasetExists",
    "NationalDataset",
    "delete_dataset",
    "generate",
]


class DatasetExists(Exception):
    """LSRs are already in the database and --replace was not given."""


class NationalDataset(
    NetworkSteps, MemberSteps, CardSteps, MeetingSteps, PartnershipSteps, SurveySteps
):
    """The generator: its steps (one module each in `ksr_portal.seed.national`) run in order in one
    transaction."""

    def __init__(
        self,
        *,
        gminas: int | None = None,
        members: int = 30,
        responses: int = 100,
        seed: int = 1,
        log: Callable[[str], None] = print,
    ):
        self.gmina_limit = gminas
        self.members = max(4, members)
        self.responses = max(0, responses)
        self.seed = seed
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.plans = []
        self.templates = {}
        self.template_activities = {}
        self.card_rows = []
        self.pups = {}

    # -- prerequisites

    def prerequisites(self) -> None:
        if not Gmina.objects.exists():
            self.log("  the TERYT register is empty: loading it")
            teryt_load()
        if CardTemplate.objects.filter(is_current=True).count() < 13:
            card_templates_load()
        current = CardTemplate.objects.filter(is_current=True).prefetch_related("activities")
        self.templates = {t.number: t for t in current}
        self.template_activities = {
            number: [(a.position, a.text) for a in t.activities.all()]
            for number, t in self.templates.items()
        }
        self.questionnaire = questionnaire_load_default()
        self.schema = schema_of(self.questionnaire)

    # -- all of it

    def run(self) -> Report:
        report = Report()
        self.report_extra = report.counts
        phases = _Phases(report, self.log)
        started = time.perf_counter()
        with transaction.atomic():
            phases.run("prerequisites", self.prerequisites)
            phases.run("networks (LSR)", self.networks)
            phases.run("KIS hub tasks", self.hub_tasks)
            phases.run("organisations", self.organisations)
            phases.run("contact persons", self.contacts)
            phases.run("memberships", self.memberships)
            phases.run("cards", self.cards)
            phases.run("activities", self.activities)
            phases.run("meetings", self.meetings)
            phases.run("monitoring terms", self.monitoring_terms)
            phases.run("task partnerships", self.partnerships)
            phases.run("survey responses", self.surveys)
            # Statistics first: without them the planner takes the freshly filled tables for
            # empty and runs the summaries' correlated subqueries as sequential scans (365 s).
            phases.run("analyze", _analyze)
            phases.run("dashboard summaries", summaries_refresh)
            commit_started = time.perf_counter()
        report.timings["commit"] = time.perf_counter() - commit_started
        self.log(f"  {'commit':<28} {report.timings['commit']:8.2f} s")
        # what autovacuum does to a freshly loaded database within minutes: statistics, and the
        # visibility map that lets PostgreSQL count from an index alone (inside a test's
        # transaction, where VACUUM cannot run, statistics only)
        phases.run("vacuum analyze", _vacuum_analyze)
        report.total_seconds = time.perf_counter() - started
        return report


def _vacuum_analyze() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def _analyze(table: str = "") -> None:
    """Fresh planner statistics, of every table or of one (PostgreSQL allows ANALYZE inside a
    transaction; it counts the rows this transaction inserted)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}" if table else "ANALYZE")


def generate(
    *,
    gminas: int | None = None,
    members: int = 30,
    responses: int = 100,
    seed: int = 1,
    replace: bool = False,
    log: Callable[[str], None] = print,
) -> Report:
    """Build the data set; refuses (DatasetExists) when LSRs exist, unless `replace`."""
    started = time.perf_counter()
    existing = Network.objects.filter(tier=Tier.LSR).count()
    deleted_seconds = 0.0
    if existing:
        if not replace:
            raise DatasetExists(
                f"The database already has {existing} LSR(s). Run with --replace to delete every "
                "LSR (with its members' cards, meetings, partnerships and surveys) and the "
                "organisations this generator made, then build the data set again."
            )
        with transaction.atomic():
            networks, organisations = delete_dataset()
        deleted_seconds = time.perf_counter() - started
        log(
            f"  {'--replace: deleted':<28} {deleted_seconds:8.2f} s "
            f"({networks} LSRs, {organisations} generated organisations)"
        )
    report = NationalDataset(
        gminas=gminas, members=members, responses=responses, seed=seed, log=log
    ).run()
    if deleted_seconds:
        report.timings["delete (--replace)"] = deleted_seconds
    report.total_seconds = time.perf_counter() - started
    return report
