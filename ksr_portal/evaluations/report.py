"""Evaluations of an LSR: scoped reads and the composition of the evaluation report.

The report is one context (``report_context``) rendered twice: as a page
(``evaluations/report.html``) and as a PDF (``evaluations/report_pdf.html``
through ``ksr_portal.core.pdf.render_pdf``), with the same SVG charts in both. It reads the survey
results (``surveys.results``), the interviews (never a participant's name: a profile only),
the findings and deficiencies of the evaluation, the network picture and critical conditions
(``networks``) and the procedure-card progress (``procedures``); this module is the one level
above those apps where they meet (see ARCHITECTURE.md: surveys and procedures do not import
each other).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ksr_portal.core.charts import bar_chart, format_number
from ksr_portal.core.pdf import TocEntry
from ksr_portal.core.scoping import (
    get_for_user_or_404,
    has_capability,
)
from networks.models import Membership, Network
from networks.picture import network_svg
from networks.selectors import (
    active_members,
    critical_conditions,
    member_organisations,
    partnerships_of,
)
from procedures.models import Card, CardStatus, CardTemplate
from procedures.selectors.cards import lsr_progress
from stakeholders.models import Organisation
from surveys import results
from surveys.models import (
    Audience,
    Campaign,
    Interview,
    InterviewKind,
    Participant,
    ParticipantRole,
)

from .models import Deficiency, Evaluation, Finding, FindingKind

CARD_NUMBERS = range(1, 14)


# --- scoped reads ------------------------------------------------------------------------------


def evaluations_of(network: Network) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(network=network)
        .annotate(
            campaign_count=Count("campaigns", distinct=True),
            finding_count=Count("findings", distinct=True),
            open_deficiency_count=Count(
                "deficiencies", filter=Q(deficiencies__removed_on__isnull=True), distinct=True
            ),
        )
        .order_by("-period_end", "-pk")
    )


def evaluation_get(*, user, network: Network, pk: int) -> Evaluation:
    return get_for_user_or_404(
        Evaluation.objects.select_related("network"), user, pk=pk, network=network
    )


def latest_evaluation(network: Network) -> Evaluation | None:
    return Evaluation.objects.filter(network=network).order_by("-period_end", "-pk").first()


def campaigns_for_evaluation(network: Network) -> QuerySet[Campaign]:
    """The launched survey campaigns of the network, with their number of responses."""
    return (
        Campaign.objects.filter(network=network, launched_at__isnull=False)
        .annotate(response_count=Count("responses"))
        .order_by("audience", "-opens_at", "pk")
    )


def interviews_for_evaluation(network: Network) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(network=network)
        .select_related("organisation")
        .annotate(participant_count=Count("participants"))
        .order_by("-held_on", "-pk")
    )


def obligable_organisations(network: Network) -> QuerySet[Organisation]:
    """Organisations a deficiency may oblige: the network's active members."""
    return member_organisations(network)


def open_deficiencies_for(user) -> QuerySet[Deficiency]:
    """Deficiencies still to remove, for the "my tasks" page: a partner representative's are
    those obliging its organisation; an animator's (or administrator's) those of the LSRs in
    their scope. Everyone else has none. Overdue ones carry ``overdue=True``."""
    qs = (
        Deficiency.objects.open()
        .select_related("evaluation__network", "obliged")
        .annotate(
            overdue=ExpressionWrapper(
                Q(deadline__lt=timezone.localdate()), output_field=BooleanField()
            )
        )
        .order_by("deadline", "pk")
    )
    if has_capability(user, "run_evaluations"):
        return qs.for_user(user)
    if has_capability(user, "work_own_tasks") and getattr(user, "organisation_id", None):
        return qs.filter(obliged_id=user.organisation_id)
    return qs.none()


# --- report pieces -----------------------------------------------------------------------------


def percent_label(count: float, total: float) -> str:
    """A whole percentage as in the seed report ("86%"), "–" without a total."""
    if not total:
        return "–"
    return f"{format_number(count * 100 / total, 0)}%"


def share_label(share: Decimal | None) -> str:
    return "–" if share is None else f"{format_number(share, 1)}%"


@dataclass
class ShareRow:
    label: str
    count: int
    total: int

    @property
    def percent(self) -> str:
        return percent_label(self.count, self.total)


@dataclass
class QuestionBlock:
    """One key question of a group: a chart and the same numbers as a table."""

    anchor: str
    title: str
    asked: int
    rows: list[ShareRow]
    chart: SafeString
    coded: bool = False  # free-text items coded in categories ("% of indications")
    branch: str = ""


@dataclass
class Quote:
    kind: str
    held_on: date
    profile: str
    question: str
    text: str


@dataclass
class ResultSet:
    """The results of the campaigns of one group that share a questionnaire."""

    titles: list[str]
    responses: int
    hidden: bool
    blocks: list[QuestionBlock] = field(default_factory=list)


@dataclass
class GroupSection:
    key: str
    label: str
    anchor: str
    campaigns: list[Campaign] = field(default_factory=list)
    result_sets: list[ResultSet] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def responses(self) -> int:
        return sum(r.responses for r in self.result_sets)


@dataclass
class Band:
    label: str
    findings: list[Finding]


@dataclass
class CardRow:
    number: int
    title: str
    cards: int
    done: int
    not_applicable: int
    status: str


BANDS = [(Decimal(70), "70–100%"), (Decimal(40), "40–69%"), (Decimal(20), "20–39%")]


def barrier_bands(barriers: list[Finding]) -> list[Band]:
    """Barriers grouped by share of indications as in the seed report (empty bands left out)."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    order = [label for _low, label in BANDS] + ["<20", "none"]
    for finding in barriers:
        if finding.share is None:
            grouped["none"].append(finding)
            continue
        label = next((label for low, label in BANDS if finding.share >= low), "<20")
        grouped[label].append(finding)
    names = {
        **{label: _("%(band)s of indications") % {"band": label} for _low, label in BANDS},
        "<20": _("below 20% of indications"),
        "none": _("share not given"),
    }
    return [Band(names[key], grouped[key]) for key in order if grouped.get(key)]


def _question_blocks(tally: results.Tally, prefix: str) -> list[QuestionBlock]:
    blocks = []
    for question in tally.questions:
        if question.asked and question.is_choice and question.options:
            title = f"{question.number}. {question.text}"
            rows = [ShareRow(o.label, o.count, o.total) for o in question.options]
            charted = question.kind != "choice_multi" or len(rows) <= CHART_MAX_OPTIONS
            blocks.append(
                QuestionBlock(
                    anchor=f"{prefix}-q{question.number}",
                    title=title,
                    asked=question.asked,
                    rows=rows,
                    chart=bar_chart(
                        [o.as_bar() for o in question.options],
                        title=title,
                        chart_id=f"{prefix}-q{question.number}-chart",
                    )
                    if charted
                    else "",
                )
            )
        for index, group in enumerate(question.texts):
            if not group.asked or not group.categories:
                continue
            title = f"{question.number}. {group.label}"
            blocks.append(
                QuestionBlock(
                    anchor=f"{prefix}-q{question.number}-t{index}",
                    title=title,
                    asked=group.asked,
                    rows=[ShareRow(c.label, c.count, c.total) for c in group.categories],
                    chart=bar_chart(
                        [c.as_bar() for c in group.categories],
                        title=title,
                        chart_id=f"{prefix}-q{question.number}-t{index}-chart",
                    ),
                    coded=True,
                    branch=group.branch,
                )
            )
    return blocks


CHART_MAX_OPTIONS = 6  # a multiple choice with more options (a profile question) gets a table


def _report_schema(schema: dict, coded: set[str]) -> dict:
    """The schema reduced to what the report shows: free-text fields (lists, texts, "other",
    follow-ups) are tallied only when coded in categories, so uncoded items are not read."""
    questions = []
    for question in schema["questions"]:
        question = dict(question)
        n = question["number"]
        if question["kind"] in results.TEXT_KINDS and f"q{n}" not in coded:
            question["kind"] = "uncoded_text"
        if question.get("other_label") and f"q{n}_other" not in coded:
            question["other_label"] = ""
        if f"q{n}_f" not in coded:
            question["logic"] = {}
        questions.append(question)
    return {**schema, "questions": questions}


def _result_sets(key: str, campaigns: list[Campaign]) -> list[ResultSet]:
    """One result set per questionnaire of the group's campaigns (usually one)."""
    by_schema: dict[str, list[Campaign]] = {}
    for campaign in campaigns:
        if campaign.schema:
            by_schema.setdefault(json.dumps(campaign.schema, sort_keys=True), []).append(campaign)
    sets = []
    for index, same in enumerate(by_schema.values()):
        src = results.load([c.pk for c in same])
        tally = results.tally_source(src, _report_schema(same[0].schema, set(src.categories)))
        hidden = results.is_small(tally.responses)
        sets.append(
            ResultSet(
                titles=[c.title for c in same],
                responses=tally.responses,
                hidden=hidden,
                blocks=[] if hidden else _question_blocks(tally, f"{key}-{index}"),
            )
        )
    return sets


def participant_profile(participants: list[Participant]) -> str:
    """Who spoke, without a name: role and age band ("manager, 41–60"), counted for groups."""
    if not participants:
        return _("profile not recorded")
    counts = Counter(
        f"{p.get_role_display()}, {p.get_age_band_display()}"
        for p in sorted(participants, key=lambda p: (p.role, p.age_band))
    )
    return "; ".join(label if n == 1 else f"{label} (×{n})" for label, n in counts.items())


def _interview_group(interview: Interview, member_ids: set[int]) -> str:
    participants = list(interview.participants.all())
    if participants and all(p.role == ParticipantRole.RESIDENT for p in participants):
        return Audience.RESIDENTS
    if interview.organisation_id:
        return (
            Audience.MEMBERS if interview.organisation_id in member_ids else Audience.INSTITUTIONS
        )
    return Audience.RESIDENTS if interview.kind == InterviewKind.FGI else Audience.INSTITUTIONS


def _quotes(interview: Interview) -> list[Quote]:
    participants = list(interview.participants.all())
    profile = participant_profile(participants)
    if interview.kind == InterviewKind.FGI:
        profile = _("%(count)s participants: %(profile)s") % {
            "count": len(participants),
            "profile": profile,
        }
    questions = {}
    for p, part in enumerate(interview.guide.parts or []):
        for q, text in enumerate(part.get("questions") or []):
            questions[f"{p}.{q}"] = str(text)
    quotes = []
    if interview.summary.strip():
        quotes.append(
            Quote(interview.kind, interview.held_on, profile, "", interview.summary.strip())
        )
    for key, text in (interview.notes or {}).items():
        if str(text).strip():
            quotes.append(
                Quote(
                    interview.kind,
                    interview.held_on,
                    profile,
                    questions.get(key, ""),
                    str(text).strip(),
                )
            )
    return quotes


def card_rows(network: Network) -> list[CardRow]:
    """The 13 procedure cards: how many run, how many are done, and a status per number."""
    titles = dict(CardTemplate.objects.filter(is_current=True).values_list("number", "title"))
    stats = {
        row["number"]: row
        for row in Card.objects.filter(network=network)
        .values("number")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=CardStatus.DONE)),
            na=Count("pk", filter=Q(status=CardStatus.NOT_APPLICABLE)),
            started=Count("pk", filter=Q(status=CardStatus.IN_PROGRESS)),
        )
    }
    card_titles = dict(
        Card.objects.filter(network=network).order_by("number", "pk").values_list("number", "title")
    )
    rows = []
    for number in CARD_NUMBERS:
        row = stats.get(number)
        title = titles.get(number) or card_titles.get(number) or "—"
        if not row:
            rows.append(CardRow(number, title, 0, 0, 0, _("not opened")))
            continue
        applicable = row["total"] - row["na"]
        if applicable == 0:
            status = _("not applicable")
        elif row["done"] == applicable:
            status = _("done")
        elif row["done"] or row["started"]:
            status = _("in progress")
        else:
            status = _("to do")
        rows.append(CardRow(number, title, row["total"], row["done"], row["na"], status))
    return rows


# --- the report --------------------------------------------------------------------------------


GROUP_ANCHORS = {
    Audience.INSTITUTIONS: "group-institutions",
    Audience.MEMBERS: "group-members",
    Audience.RESIDENTS: "group-residents",
}


def report_context(evaluation: Evaluation, *, network: Network | None = None) -> dict:
    """Everything the report page and the report PDF show, read in a bounded number of queries
    (a constant per linked campaign group and per section)."""
    network = network or evaluation.network
    if not hasattr(network, "has_kis_main"):  # critical conditions need the annotations
        network = Network.objects.with_conditions().select_related("gmina").get(pk=network.pk)

    campaigns = list(
        evaluation.campaigns.filter(network=network).order_by("audience", "opens_at", "pk")
    )
    interviews = list(
        evaluation.interviews.filter(network=network)
        .select_related("guide")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("pk")))
        .order_by("held_on", "pk")
    )
    member_ids = set(
        Membership.objects.filter(network=network).values_list("organisation_id", flat=True)
    )
    groups = []
    for key, label in Audience.choices:
        group = GroupSection(key=key, label=str(label), anchor=GROUP_ANCHORS[key])
        group.campaigns = [c for c in campaigns if c.audience == key]
        group.result_sets = _result_sets(key, group.campaigns)
        groups.append(group)
    by_key = {g.key: g for g in groups}
    for interview in interviews:
        by_key[_interview_group(interview, member_ids)].quotes.extend(_quotes(interview))

    findings = list(evaluation.findings.all())
    for finding in findings:
        finding.share_label = share_label(finding.share)
        finding.audience_label = str(Audience(finding.audience).label) if finding.audience else ""

    def of_kind(kind):
        return sorted(
            (f for f in findings if f.kind == kind),
            key=lambda f: (f.share is None, -(f.share or 0), f.pk),
        )

    members = list(active_members(network))
    partnerships = list(partnerships_of(network))
    today = timezone.localdate()
    deficiencies = list(evaluation.deficiencies.select_related("obliged").order_by("deadline"))
    for deficiency in deficiencies:
        if deficiency.removed_on:
            deficiency.status_label = _("removed on %(date)s") % {
                "date": deficiency.removed_on.strftime("%d.%m.%Y")
            }
        elif deficiency.deadline < today:
            deficiency.status_label = _("overdue")
        else:
            deficiency.status_label = _("open")

    missing = []
    if not campaigns:
        missing.append(_("No survey campaign is linked to this evaluation."))
    if not interviews:
        missing.append(_("No interview is linked to this evaluation."))
    if not findings:
        missing.append(_("No findings (barriers, successes, needs) have been recorded."))
    if not members:
        missing.append(_("The LSR has no active members (partners)."))
    if not evaluation.conclusion.strip():
        missing.append(_("The conclusion has not been written yet."))

    sections = [
        ("aim", _("Aim and method")),
        *[(g.anchor, _("Results: %(group)s") % {"group": g.label}) for g in groups],
        ("barriers", _("Barriers and deficits")),
        ("successes", _("Successes")),
        ("needs", _("Needs")),
    ]
    others = of_kind(FindingKind.OTHER)
    if others:
        sections.append(("other-findings", _("Other findings")))
    sections += [
        ("network", _("The network and its critical conditions")),
        ("cards", _("Progress of the procedure cards")),
        ("deficiencies", _("Deficiencies to remove")),
        ("conclusion", _("Conclusion")),
    ]
    gmina = network.gmina
    cover_lines = [
        line
        for line in [
            _("gmina %(name)s") % {"name": gmina.name} if gmina else "",
            _("evaluated period: %(start)s – %(end)s")
            % {
                "start": evaluation.period_start.strftime("%d.%m.%Y"),
                "end": evaluation.period_end.strftime("%d.%m.%Y"),
            },
            f"{evaluation.get_method_display()}: {evaluation.evaluators}",
        ]
        if line
    ]
    return {
        "network": network,
        "evaluation": evaluation,
        "cover_lines": cover_lines,
        "report_date": evaluation.completed_on or today,
        "toc": [TocEntry(anchor, str(title)) for anchor, title in sections],
        "missing": missing,
        "campaigns": campaigns,
        "interviews": interviews,
        "groups": groups,
        "barrier_bands": barrier_bands(of_kind(FindingKind.BARRIER)),
        "successes": of_kind(FindingKind.SUCCESS),
        "needs": of_kind(FindingKind.NEED),
        "other_findings": others,
        "members": members,
        "partnerships": partnerships,
        "picture": network_svg(network, members, partnerships),
        "conditions": critical_conditions(network),
        "progress": lsr_progress(network),
        "card_rows": card_rows(network),
        "deficiencies": deficiencies,
        "min_group": results.MIN_GROUP,
    }
