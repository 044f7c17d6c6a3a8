"""Evaluations of an LSR: scoped reads and the composition of the evaluation report.

The report is one context (``report_context``) rendered twice: as a page
(``evaluations/report.html``) and as a PDF (``evaluations/report_pdf.html``
through ``ksr_portal.core.pdf.render_pdf``), with the same charts in both (on the page drawn no
wider than a phone's column, ``chart_width``; in the PDF across the text column). It reads the survey
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

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ksr_portal.core.charts import bar_chart, format_number
from ksr_portal.core.pdf import TocEntry
from networks.models import Membership, Network
from networks.picture import network_svg
from networks.selectors import (
    active_members,
    critical_conditions,
    partnerships_of,
)
from procedures.models import Card, CardStatus, CardTemplate
from procedures.selectors.cards import lsr_progress
from surveys import results
from surveys.models import (
    Audience,
    Campaign,
    Interview,
    InterviewKind,
    Participant,
    ParticipantRole,
)

from .models import Evaluation, Finding, FindingKind

CARD_NUMBERS = range(1, 14)


# --- report pieces -----------------------------------------------------------------------------


def percent_label(count: float, total: float) -> str:
    """A whole percentage as in the seed report ("86%"), "–" without a total."""
    if not total:
        return "–"
    return f"{format_number(count * 100 / total, 0)}%"


def share_label(share: Decimal | None) -> str:
    return "–" if share is None else f"{format_number(share, 1)}%"


REPORT_DECIMALS = 0  # whole percent, as the seed report: the tables and their charts alike


@dataclass
class ShareRow:
    label: str
    count: int
    total: int
    shown: str | None = None  # as rounded for the whole question (largest remainder)

    @property
    def percent(self) -> str:
        return self.shown if self.shown is not None else percent_label(self.count, self.total)


@dataclass
class QuestionBlock:
    """One key question of a group: a chart and the same numbers as a table."""

    anchor: str
    title: str
    asked: int
    rows: list[ShareRow]
    chart: SafeString | str  # "" when the question has too many options to chart
    coded: bool = False  # free-text items coded in categories ("% of indications")
    branch: str = ""
    hidden: bool = False  # opened for fewer than MIN_GROUP respondents: withheld


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
    left_out: list[str] = field(default_factory=list)  # small campaigns, not in any figure
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
    """Barriers grouped by share of indications (empty bands left out). A finding with a
    reported band (the seed's own, e.g. 40–60 %, which may overlap) goes under that band,
    highest first; the others by their share."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    reported = sorted(
        {
            (f.band_low, f.band_high)
            for f in barriers
            if f.band_low is not None and f.band_high is not None
        },
        key=lambda band: (-band[1], -band[0]),
    )
    reported_labels = {band: f"{band[0]}–{band[1]}%" for band in reported}
    order = [reported_labels[band] for band in reported]
    order += [label for _low, label in BANDS] + ["<20", "none"]
    for finding in barriers:
        if finding.band_low is not None and finding.band_high is not None:
            grouped[reported_labels[(finding.band_low, finding.band_high)]].append(finding)
            continue
        if finding.share is None:
            grouped["none"].append(finding)
            continue
        label = next((label for low, label in BANDS if finding.share >= low), "<20")
        grouped[label].append(finding)
    names = {
        **{label: _("%(band)s of indications") % {"band": label} for label in order[:-2]},
        "<20": _("below 20% of indications"),
        "none": _("share not given"),
    }
    return [Band(names[key], grouped[key]) for key in order if grouped.get(key)]


def _question_blocks(
    tally: results.Tally, prefix: str, chart_width: float | None = None
) -> list[QuestionBlock]:
    blocks = []
    for question in tally.questions:
        question.round_shares(REPORT_DECIMALS)
        if question.asked and question.is_choice and question.options:
            title = f"{question.number}. {question.text}"
            rows = [ShareRow(o.label, o.count, o.total, o.percent_label) for o in question.options]
            if question.single_answer and question.no_answer.count:
                no_answer = question.no_answer
                rows.append(
                    ShareRow(
                        no_answer.label, no_answer.count, no_answer.total, no_answer.percent_label
                    )
                )
            charted = question.kind != "choice_multi" or len(rows) <= CHART_MAX_OPTIONS
            blocks.append(
                QuestionBlock(
                    anchor=f"{prefix}-q{question.number}",
                    title=title,
                    asked=question.asked,
                    rows=rows,
                    chart=bar_chart(
                        [(r.label, r.count, r.total) for r in rows],
                        title=title,
                        chart_id=f"{prefix}-q{question.number}-chart",
                        percent_labels=[r.percent for r in rows],
                        max_width=chart_width,
                    )
                    if charted
                    else "",
                )
            )
        for index, group in enumerate(question.texts):
            if group.hidden and group.asked:
                blocks.append(
                    QuestionBlock(
                        anchor=f"{prefix}-q{question.number}-t{index}",
                        title=f"{question.number}. {group.label}",
                        asked=group.asked,
                        rows=[],
                        chart=SafeString(""),
                        coded=True,
                        branch=group.branch,
                        hidden=True,
                    )
                )
                continue
            if not group.asked or not group.categories:
                continue
            title = f"{question.number}. {group.label}"
            blocks.append(
                QuestionBlock(
                    anchor=f"{prefix}-q{question.number}-t{index}",
                    title=title,
                    asked=group.asked,
                    rows=[
                        ShareRow(c.label, c.count, c.total, c.percent_label)
                        for c in group.categories
                    ],
                    chart=bar_chart(
                        [c.as_bar() for c in group.categories],
                        title=title,
                        chart_id=f"{prefix}-q{question.number}-t{index}-chart",
                        percent_labels=[c.percent_label for c in group.categories],
                        max_width=chart_width,
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


def _result_sets(
    key: str, campaigns: list[Campaign], chart_width: float | None = None
) -> list[ResultSet]:
    """One result set per questionnaire of the group's campaigns (usually one)."""
    by_schema: dict[str, list[Campaign]] = {}
    for campaign in campaigns:
        if campaign.schema:
            by_schema.setdefault(json.dumps(campaign.schema, sort_keys=True), []).append(campaign)
    sets = []
    for index, same in enumerate(by_schema.values()):
        # the report is read outside the research team (and printed): the small-group rule
        # always applies, so a small campaign is left out of its group's figures
        src, left_out = results.visible(results.load([c.pk for c in same]), research=False)
        tally = results.tally_source(
            src, _report_schema(same[0].schema, set(src.categories)), research=False
        )
        hidden = bool(left_out) and not tally.responses
        sets.append(
            ResultSet(
                titles=[c.title for c in same if c.pk not in left_out],
                responses=tally.responses,
                hidden=hidden,
                left_out=[c.title for c in same if c.pk in left_out],
                blocks=[] if hidden else _question_blocks(tally, f"{key}-{index}", chart_width),
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


GROUP_ANCHORS: dict[str, str] = {
    Audience.INSTITUTIONS: "group-institutions",
    Audience.MEMBERS: "group-members",
    Audience.RESIDENTS: "group-residents",
}


def report_context(
    evaluation: Evaluation,
    *,
    network: Network | None = None,
    public: bool = False,
    organisation_id: int | None = None,
    chart_width: float | None = None,
) -> dict:
    """Everything the report page and the report PDF show, read in a bounded number of queries
    (a constant per linked campaign group and per section). ``public`` (a member organisation's
    representative reading a published report): aggregates only, no interviews; the
    deficiencies obliging ``organisation_id`` are listed first as "yours". ``chart_width``: the
    page's charts no wider (``charts.PAGE_WIDTH``); the PDF's span the text column."""
    network = network or evaluation.network
    if not hasattr(network, "has_kis_main"):  # critical conditions need the annotations
        network = Network.objects.with_conditions().select_related("gmina").get(pk=network.pk)

    campaigns = list(
        evaluation.campaigns.filter(network=network).order_by("audience", "opens_at", "pk")
    )
    interviews = (
        []
        if public
        else list(
            evaluation.interviews.filter(network=network)
            .select_related("guide")
            .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("pk")))
            .order_by("held_on", "pk")
        )
    )
    member_ids = set(
        Membership.objects.filter(network=network).values_list("organisation_id", flat=True)
    )
    groups = []
    for key, label in Audience.choices:
        group = GroupSection(key=key, label=str(label), anchor=GROUP_ANCHORS[key])
        group.campaigns = [c for c in campaigns if c.audience == key]
        group.result_sets = _result_sets(key, group.campaigns, chart_width)
        groups.append(group)
    by_key = {g.key: g for g in groups}
    for interview in interviews:
        by_key[_interview_group(interview, member_ids)].quotes.extend(_quotes(interview))

    findings = list(evaluation.findings.all())
    for finding in findings:
        # labels for the report template, set on the loaded rows
        finding.share_label = share_label(finding.share)  # type: ignore[attr-defined]
        finding.audience_label = (  # type: ignore[attr-defined]
            str(Audience(finding.audience).label) if finding.audience else ""
        )

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

    own_deficiencies = [d for d in deficiencies if d.obliged_id == organisation_id]
    missing = []
    if not campaigns:
        missing.append(_("No survey campaign is linked to this evaluation."))
    if not interviews and not public:
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
        "conditions": critical_conditions(network),  # type: ignore[arg-type]  # annotated above
        "progress": lsr_progress(network),
        "card_rows": card_rows(network),
        "deficiencies": deficiencies,
        "own_deficiencies": own_deficiencies,
        "public": public,
        "min_group": results.MIN_GROUP,
    }
