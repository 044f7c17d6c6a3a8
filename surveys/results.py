"""Tallies of survey responses: the shares an evaluation report is made of.

Every share is "of those asked": the denominator of a question is the number of respondents who
were shown it (``data["asked"]``), so skip logic never dilutes a result; a follow-up's
denominator is the number of respondents whose answer opened it. Free-text fields (lists, texts,
"other – specify", follow-ups) are listed item by item, with the share of those asked who gave at
least one item coded in each category ("60% proposed X").

Small groups (the one rule, applied here for every aggregate a user outside the research team can
see: a campaign's page, the comparison of groups, the evaluation report page and its PDF): a
campaign with 1–2 responses is left out of every figure, alone and combined with others
(``visible``); a free-text field opened for 1–2 respondents of any campaign in the tally (a
follow-up of a rare branch) shows neither its items nor its coded shares, in that tally and in
every tally that combines that campaign (``TextGroup.hidden``). Both are complementary: no shown
figure minus another shown figure gives a hidden one. The exports (raw answers) are for the
research team only.

Precision: a table and its chart show the same labels (``Share.percent_label``); the shares of a
single-answer question (one choice, yes/no, a scale, plus "no answer") are rounded by the largest
remainder so that they add up to exactly 100 % (``QuestionResult.round_shares``).

Reading costs a constant number of queries, whatever the number of responses: the answers in one
``values_list`` query, the codings in one, the categories in one; everything else is Python over
the JSON.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from statistics import mean

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ksr_portal.core.charts import format_number, format_percent
from ksr_portal.core.charts import share as percent_of

from .models import Campaign, CodeCategory, Coding, Response

MIN_GROUP = 3  # smaller breakdowns are hidden from everyone outside the research team
TEXT_KINDS = {"list", "short_text", "text"}
CHOICE_KINDS = {"choice_single", "choice_multi", "yes_no"}


def answer_label(question: dict, answer: str) -> str:
    """How an answer is shown: yes/no translated, options as written."""
    if question.get("kind") == "yes_no":
        return {"yes": _("yes"), "no": _("no")}.get(answer, answer)
    return str(answer)


def items_of(value) -> list[str]:
    """The free-text items of a stored answer: a list's items, or a text as one item."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str) and value:
        return [value]
    return []


def branch_key(question: dict, answer) -> str | None:
    """The answer whose logic entry applies (mirrors ``engine.branch_of``)."""
    logic = question.get("logic") or {}
    if isinstance(answer, list):
        return next((option for option in answer if option in logic), None)
    return answer if isinstance(answer, str) and answer in logic else None


def followups(question: dict) -> dict[str, dict]:
    """Answer → its follow-up spec, for the answers of a question that open one."""
    return {
        answer: spec["followup"]
        for answer, spec in (question.get("logic") or {}).items()
        if (spec or {}).get("followup")
    }


def text_fields(schema: dict) -> list[tuple[str, dict, str]]:
    """Every free-text field of a questionnaire: ``(field, question, label)``, in form order."""
    fields = []
    for question in sorted(schema["questions"], key=lambda q: q["number"]):
        n = question["number"]
        if question["kind"] in TEXT_KINDS:
            fields.append((f"q{n}", question, question["text"]))
        if question.get("other_label"):
            fields.append((f"q{n}_other", question, question["other_label"]))
        specs = followups(question)
        if specs:
            label = " / ".join(dict.fromkeys(spec.get("text", "") for spec in specs.values()))
            fields.append((f"q{n}_f", question, label or _("Follow-up")))
    return fields


def text_field(schema: dict, name: str) -> tuple[dict, str] | None:
    """The question and label of a free-text field, or None if ``name`` is not one."""
    for field_name, question, label in text_fields(schema):
        if field_name == name:
            return question, label
    return None


# --- results -----------------------------------------------------------------------------------


def rounded_percents(counts: list[int], total: int, *, decimals: int = 0) -> list[Decimal]:
    """Percentages of ``total`` rounded to ``decimals``; when ``counts`` add up to ``total``, by
    the largest remainder, so that they add up to exactly 100 (ties: the earlier count)."""
    if not total:
        return [Decimal(0) for _count in counts]
    unit = Decimal(1).scaleb(-decimals)
    exact = [Decimal(count) * 100 / Decimal(total) for count in counts]
    if sum(counts) != total:  # not the parts of a whole: each rounded on its own
        return [value.quantize(unit, rounding=ROUND_HALF_UP) for value in exact]
    steps = [(value / unit).to_integral_value(rounding=ROUND_FLOOR) for value in exact]
    missing = int(Decimal(100) / unit - sum(steps))
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] / unit - steps[i]), i))
    for i in order[:missing]:
        steps[i] += 1
    return [step * unit for step in steps]


@dataclass
class Share:
    """A count out of a denominator (those asked); ``display`` fixes its shown percentage."""

    label: str
    count: int
    total: int
    display: str | None = None

    @property
    def percent(self) -> float | None:
        return percent_of(self.count, self.total)

    @property
    def percent_label(self) -> str:
        return self.display if self.display is not None else format_percent(self.count, self.total)

    def with_precision(self, decimals: int) -> Share:
        label = (
            "–" if not self.total else f"{format_number(self.count * 100 / self.total, decimals)}%"
        )
        return Share(self.label, self.count, self.total, label)

    def as_bar(self) -> tuple[str, int, int]:
        return (self.label, self.count, self.total)


@dataclass
class TextItem:
    response_id: int
    item: int  # index of the item in the stored answer (0 for a text)
    text: str
    categories: list[str] = field(default_factory=list)


@dataclass
class TextGroup:
    """The items of one free-text field (for a follow-up: of one branch that opens it)."""

    field: str
    label: str
    branch: str  # the answer that opened the follow-up ("" for others)
    asked: int  # respondents who were asked for these items
    # dataclasses.field: the name ``field`` is one of this class's fields
    items: list[TextItem] = dataclasses.field(default_factory=list)
    categories: list[Share] = dataclasses.field(default_factory=list)
    hidden: bool = False  # opened for 1–2 respondents of a campaign: items and shares withheld

    @property
    def answered(self) -> int:
        return len({item.response_id for item in self.items})

    @property
    def answered_share(self) -> Share:
        return Share(_("wrote at least one item"), self.answered, self.asked)


@dataclass
class QuestionResult:
    number: int
    kind: str
    text: str
    asked: int
    answered: int
    options: list[Share] = field(default_factory=list)
    mean: float | None = None
    texts: list[TextGroup] = field(default_factory=list)

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS or self.kind == "scale"

    no_answer_display: str | None = None

    @property
    def no_answer(self) -> Share:
        return Share(_("no answer"), self.asked - self.answered, self.asked, self.no_answer_display)

    @property
    def mean_label(self) -> str:
        return "–" if self.mean is None else format_number(self.mean, 2)

    @property
    def bars(self) -> list[tuple[str, int, int]]:
        return [option.as_bar() for option in self.options]

    @property
    def single_answer(self) -> bool:
        return self.kind in {"choice_single", "yes_no", "scale"}

    def round_shares(self, decimals: int = 1) -> QuestionResult:
        """Fix the shown percentages at ``decimals``; a single-answer question's options and its
        "no answer" add up to 100 % (largest remainder). Returns self."""
        if self.single_answer:
            counts = [o.count for o in self.options] + [self.asked - self.answered]
            percents = rounded_percents(counts, self.asked, decimals=decimals)
            labels = ["–" if not self.asked else f"{format_number(p, decimals)}%" for p in percents]
            self.options = [
                Share(o.label, o.count, o.total, label)
                for o, label in zip(self.options, labels, strict=False)
            ]
            self.no_answer_display = labels[-1]
        else:
            self.options = [o.with_precision(decimals) for o in self.options]
            self.no_answer_display = self.no_answer_share(decimals)
        for group in self.texts:
            group.categories = [c.with_precision(decimals) for c in group.categories]
        return self

    def no_answer_share(self, decimals: int) -> str:
        return (
            Share("", self.asked - self.answered, self.asked).with_precision(decimals).percent_label
        )


@dataclass
class Tally:
    responses: int
    questions: list[QuestionResult]

    def question(self, number: int) -> QuestionResult | None:
        return next((q for q in self.questions if q.number == number), None)


@dataclass
class Source:
    """What a tally reads: (response id, data, campaign id) rows, codings and category names per field."""

    rows: list[tuple[int, dict, int]]
    codings: dict[tuple[int, str, int], list[str]]  # (response, field, item) → category names
    categories: dict[str, list[str]]  # field → category names (all, used or not)


def _responses_of(source) -> QuerySet[Response]:
    if isinstance(source, QuerySet) and source.model is Response:
        return source
    if isinstance(source, Campaign):
        return Response.objects.filter(campaign=source)
    if isinstance(source, QuerySet) and source.model is Campaign:
        return Response.objects.filter(campaign__in=source.values("pk"))
    campaigns = [c.pk if isinstance(c, Campaign) else int(c) for c in source]
    return Response.objects.filter(campaign__in=campaigns)


def load(source, *, with_codes: bool = True) -> Source:
    """Read the responses of a campaign, of campaigns (objects, ids or a queryset) or a response
    queryset in three queries. Rows are (response id, data, campaign id), so one read can be
    split into breakdowns."""
    responses = _responses_of(source).order_by("pk")
    rows = [tuple(row) for row in responses.values_list("pk", "data", "campaign_id")]
    codings: dict[tuple[int, str, int], list[str]] = defaultdict(list)
    categories: dict[str, list[str]] = defaultdict(list)
    if with_codes and rows:
        for response_id, name, item, category in (
            Coding.objects.filter(response__in=responses.values("pk"))
            .order_by("category__name")
            .values_list("response_id", "field", "item", "category__name")
        ):
            codings[(response_id, name, item)].append(category)
        for name, category in (
            CodeCategory.objects.filter(
                campaign__in=responses.values("campaign").order_by().distinct()
            )
            .order_by("field", "name")
            .values_list("field", "name")
            .distinct()
        ):
            categories[name].append(category)
    return Source(rows=rows, codings=dict(codings), categories=dict(categories))


def _choice_result(question: dict, base: QuestionResult, answered_rows: list) -> None:
    kind = question["kind"]
    if kind == "yes_no":
        known = ["yes", "no"]
    elif kind == "scale":
        low, high = question.get("scale_min", 1), question.get("scale_max", 5)
        known = [str(v) for v in range(low, high + 1)]
    else:
        known = [str(o) for o in question.get("options", [])]
    counts: dict[str, int] = dict.fromkeys(known, 0)
    values = []
    for answer in answered_rows:
        chosen = answer if isinstance(answer, list) else [answer]
        for option in dict.fromkeys(str(c) for c in chosen):
            counts[option] = counts.get(option, 0) + 1  # unknown options are kept, at the end
        if kind == "scale":
            with suppress(TypeError, ValueError):
                values.append(float(answer))
    base.options = [
        Share(answer_label(question, option), count, base.asked) for option, count in counts.items()
    ]
    base.mean = mean(values) if values else None


def _text_groups(
    question: dict,
    name: str,
    label: str,
    asked_rows: list,
    src: Source,
    campaign_of: dict,
    *,
    research: bool,
) -> list:
    """The item groups of one free-text field; asked_rows = [(response id, answers)]."""
    if name.endswith("_f"):
        specs = followups(question)
        branches: dict[str, list] = {answer: [] for answer in specs}
        for response_id, answers in asked_rows:
            key = branch_key(question, answers.get(f"q{question['number']}"))
            if key in branches:
                branches[key].append((response_id, answers))
        groups = [
            (
                answer,
                specs[answer].get("text") or label,
                rows,
            )
            for answer, rows in branches.items()
        ]
    else:
        groups = [("", label, asked_rows)]
    # categories used in a branch; a field with one group shows all (also the unused ones)
    all_categories = src.categories.get(name, [])
    result = []
    for answer, group_label, rows in groups:
        group = TextGroup(
            field=name,
            label=group_label,
            branch=answer_label(question, answer) if answer else "",
            asked=len(rows),
        )
        coded: dict[str, set[int]] = defaultdict(set)
        for response_id, answers in rows:
            for index, text in enumerate(items_of(answers.get(name))):
                names = src.codings.get((response_id, name, index), [])
                group.items.append(TextItem(response_id, index, text, list(names)))
                for category in names:
                    coded[category].add(response_id)
        shown = all_categories if len(groups) == 1 else [c for c in all_categories if c in coded]
        group.categories = sorted(
            (Share(category, len(coded.get(category, ())), group.asked) for category in shown),
            key=lambda s: (-s.count, s.label),
        )
        per_campaign = Counter(campaign_of.get(response_id) for response_id, _answers in rows)
        if not research and any(is_small(n) for n in per_campaign.values()):
            group.hidden = True
            group.items, group.categories = [], []
        result.append(group)
    return result


def tally_source(
    src: Source, schema: dict, *, rows: Iterable | None = None, research: bool = False
) -> Tally:
    """The tally of already-read rows (``rows`` defaults to all of ``src``). Unless
    ``research``, free-text fields opened for 1–2 respondents of a campaign are withheld."""
    rows = list(src.rows if rows is None else rows)
    parsed = []
    campaign_of = {row[0]: (row[2] if len(row) > 2 else None) for row in rows}
    for row in rows:
        data = row[1] or {}
        parsed.append(
            (row[0], {int(n) for n in data.get("asked", []) or []}, data.get("answers") or {})
        )
    fields_by_question: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for name, question, label in text_fields(schema):
        fields_by_question[question["number"]].append((name, label))
    questions = []
    for question in sorted(schema["questions"], key=lambda q: q["number"]):
        n = question["number"]
        asked_rows = [(rid, answers) for rid, asked, answers in parsed if n in asked]
        given = [
            answers[f"q{n}"]
            for _rid, answers in asked_rows
            if answers.get(f"q{n}") not in (None, "", [])
        ]
        result = QuestionResult(
            number=n,
            kind=question["kind"],
            text=question["text"],
            asked=len(asked_rows),
            answered=len(given),
        )
        if question["kind"] in CHOICE_KINDS or question["kind"] == "scale":
            _choice_result(question, result, given)
        for name, label in fields_by_question.get(n, []):
            result.texts.extend(
                _text_groups(question, name, label, asked_rows, src, campaign_of, research=research)
            )
        questions.append(result)
    return Tally(responses=len(rows), questions=questions)


def tally(
    campaigns_or_responses, schema: dict, *, with_codes: bool = True, research: bool = False
) -> Tally:
    """Per question of ``schema``: how many were asked and answered, option counts and shares of
    those asked, the scale's distribution and mean, and the free-text items with the shares of
    their coded categories. Reads a campaign, campaigns or a response queryset in 3 queries."""
    src = load(campaigns_or_responses, with_codes=with_codes)
    src, _left_out = visible(src, research=research)
    return tally_source(src, schema, research=research)


def visible(src: Source, *, research: bool) -> tuple[Source, set[int]]:
    """The rows a user may see aggregated, and the ids of the campaigns left out: outside the
    research team, every campaign with 1–2 responses is left out of every figure, so a figure
    combining it with other campaigns cannot be compared with theirs to reveal it."""
    if research:
        return src, set()
    counts = Counter(row[2] for row in src.rows)
    left_out = {campaign for campaign, n in counts.items() if is_small(n)}
    if not left_out:
        return src, left_out
    rows = [row for row in src.rows if row[2] not in left_out]
    return Source(rows=rows, codings=src.codings, categories=src.categories), left_out


# --- comparing audience groups -------------------------------------------------------------------


@dataclass
class Breakdown:
    """The results of one audience group (or of one campaign); hidden when too small."""

    key: str
    label: str
    tally: Tally
    hidden: bool = False

    @property
    def responses(self) -> int:
        return self.tally.responses


def is_small(responses: int) -> bool:
    """Too few responses to show outside the research team (none at all is not "small")."""
    return 0 < responses < MIN_GROUP


def breakdowns(
    src: Source, schema: dict, groups: list[tuple[str, str]], key_of, *, research: bool
) -> list[Breakdown]:
    """One tally per group: ``key_of(row)`` names a row's group. A group with 1–2 responses is
    hidden (its tally emptied) unless ``research``."""
    by_key: dict[str, list] = defaultdict(list)
    for row in src.rows:
        by_key[key_of(row)].append(row)
    result = []
    for key, label in groups:
        result_tally = tally_source(src, schema, rows=by_key.get(key, []), research=research)
        hidden = not research and is_small(result_tally.responses)
        if hidden:  # nothing of a small group reaches a template
            result_tally = Tally(responses=result_tally.responses, questions=[])
        result.append(Breakdown(key, str(label), result_tally, hidden))
    return result
