"""Tallies of survey responses: the shares an evaluation report is made of.

Every share is "of those asked": the denominator of a question is the number of respondents who
were shown it (``data["asked"]``), so skip logic never dilutes a result; a follow-up's
denominator is the number of respondents whose answer opened it. Free-text fields (lists, texts,
"other – specify", follow-ups) are listed item by item, with the share of those asked who gave at
least one item coded in each category ("60% proposed X").

Reading costs a constant number of queries, whatever the number of responses: the answers in one
``values_list`` query, the codings in one, the categories in one; everything else is Python over
the JSON.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
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


@dataclass
class Share:
    """A count out of a denominator (those asked)."""

    label: str
    count: int
    total: int

    @property
    def percent(self) -> float | None:
        return percent_of(self.count, self.total)

    @property
    def percent_label(self) -> str:
        return format_percent(self.count, self.total)

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

    @property
    def no_answer(self) -> Share:
        return Share(_("no answer"), self.asked - self.answered, self.asked)

    @property
    def mean_label(self) -> str:
        return "–" if self.mean is None else format_number(self.mean, 2)

    @property
    def bars(self) -> list[tuple[str, int, int]]:
        return [option.as_bar() for option in self.options]


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


def _text_groups(question: dict, name: str, label: str, asked_rows: list, src: Source) -> list:
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
        result.append(group)
    return result


def tally_source(src: Source, schema: dict, *, rows: Iterable | None = None) -> Tally:
    """The tally of already-read rows (``rows`` defaults to all of ``src``)."""
    rows = list(src.rows if rows is None else rows)
    parsed = []
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
            result.texts.extend(_text_groups(question, name, label, asked_rows, src))
        questions.append(result)
    return Tally(responses=len(rows), questions=questions)


def tally(campaigns_or_responses, schema: dict, *, with_codes: bool = True) -> Tally:
    """Per question of ``schema``: how many were asked and answered, option counts and shares of
    those asked, the scale's distribution and mean, and the free-text items with the shares of
    their coded categories. Reads a campaign, campaigns or a response queryset in 3 queries."""
    return tally_source(load(campaigns_or_responses, with_codes=with_codes), schema)


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
        result_tally = tally_source(src, schema, rows=by_key.get(key, []))
        hidden = not research and is_small(result_tally.responses)
        if hidden:  # nothing of a small group reaches a template
            result_tally = Tally(responses=result_tally.responses, questions=[])
        result.append(Breakdown(key, str(label), result_tally, hidden))
    return result


# --- the export table --------------------------------------------------------------------------


@dataclass
class Column:
    name: str
    question: str
    meaning: str
    value: Callable[..., object]  # (asked numbers, answers, codes) → cell


def _numbered(question: dict) -> str:
    return f"{question['number']}. {question['text']}"


def _multi_column(n: int, i: int, option: str, question: dict) -> Column:
    def value(asked, answers, codes):
        if n not in asked:
            return None
        chosen = answers.get(f"q{n}") or []
        return 1 if option in chosen else 0

    return Column(
        f"q{n}_{i}",
        _numbered(question),
        _("1 = chose “%(option)s”, 0 = did not; empty = not asked") % {"option": option},
        value,
    )


def _main_columns(question: dict) -> list[Column]:
    n = question["number"]
    kind = question["kind"]
    name = f"q{n}"
    asked_only = _("empty = not asked or no answer")
    if kind == "choice_multi":
        return [
            _multi_column(n, i, option, question)
            for i, option in enumerate(question.get("options", []), 1)
        ]
    if kind == "list":
        return [
            Column(
                f"{name}_{i}",
                _numbered(question),
                _("item %(i)s of the list; %(empty)s") % {"i": i, "empty": asked_only},
                lambda asked, answers, codes, i=i: _item(answers.get(name), i - 1),
            )
            for i in range(1, int(question.get("list_size") or 3) + 1)
        ]
    if kind == "yes_no":
        return [
            Column(
                name,
                _numbered(question),
                _("1 = yes, 0 = no; %(empty)s") % {"empty": asked_only},
                lambda asked, answers, codes: {"yes": 1, "no": 0}.get(answers.get(name)),
            )
        ]
    if kind == "choice_single":
        meaning = _("the chosen answer, one of: %(options)s; %(empty)s") % {
            "options": " | ".join(question.get("options", [])),
            "empty": asked_only,
        }
    elif kind == "scale":
        meaning = _("a value from %(low)s to %(high)s; %(empty)s") % {
            "low": question.get("scale_min", 1),
            "high": question.get("scale_max", 5),
            "empty": asked_only,
        }
    else:
        meaning = _("the text of the answer; %(empty)s") % {"empty": asked_only}
    return [
        Column(name, _numbered(question), meaning, lambda asked, answers, codes: answers.get(name))
    ]


def _item(value, index: int):
    items = items_of(value) if isinstance(value, list) else []
    return items[index] if index < len(items) else None


def _followup_columns(question: dict) -> list[Column]:
    n = question["number"]
    name = f"q{n}_f"
    specs = followups(question)
    lists = {a: s for a, s in specs.items() if s.get("kind") == "list"}
    texts = {a: s for a, s in specs.items() if s.get("kind") != "list"}

    def opened_by(group: dict) -> str:
        return "; ".join(
            _("if “%(answer)s”: %(text)s")
            % {"answer": answer_label(question, answer), "text": spec.get("text", "")}
            for answer, spec in group.items()
        )

    columns = []
    size = max((int(spec.get("size") or 3) for spec in lists.values()), default=0)
    for i in range(1, size + 1):
        columns.append(
            Column(
                f"{name}{i}",
                _numbered(question),
                _("follow-up, item %(i)s – %(followup)s") % {"i": i, "followup": opened_by(lists)},
                lambda asked, answers, codes, i=i: _item(answers.get(name), i - 1),
            )
        )
    if texts:
        columns.append(
            Column(
                name,
                _numbered(question),
                _("follow-up text – %(followup)s") % {"followup": opened_by(texts)},
                lambda asked, answers, codes: (
                    answers.get(name) if isinstance(answers.get(name), str) else None
                ),
            )
        )
    return columns


def _code_columns(name: str, question: dict, categories: list[tuple[int, str]]) -> list[Column]:
    def value(asked, answers, codes, category_id):
        if not items_of(answers.get(name)):
            return None
        return 1 if category_id in codes.get(name, ()) else 0

    return [
        Column(
            f"{name}_c{i}",
            _numbered(question),
            _("1 = at least one item of %(field)s coded “%(category)s”, 0 = none; empty = no item")
            % {"field": name, "category": category},
            lambda asked, answers, codes, category_id=category_id: value(
                asked, answers, codes, category_id
            ),
        )
        for i, (category_id, category) in enumerate(categories, 1)
    ]


def export_columns(schema: dict, categories: dict[str, list[tuple[int, str]]]) -> list[Column]:
    """The columns of the response table, stable for a schema: per question its answer columns
    (one 0/1 column per option of a multiple choice, one per list item), then its "other" text
    and follow-ups, then one 0/1 column per code category (in order of creation)."""
    columns = []
    for question in sorted(schema["questions"], key=lambda q: q["number"]):
        n = question["number"]
        columns.extend(_main_columns(question))
        if question.get("other_label"):
            columns.append(
                Column(
                    f"q{n}_other",
                    _numbered(question),
                    _("“other – specify” text: %(label)s") % {"label": question["other_label"]},
                    lambda asked, answers, codes, n=n: answers.get(f"q{n}_other"),
                )
            )
        if followups(question):
            columns.extend(_followup_columns(question))
        for name, _question, _label in text_fields({"questions": [question]}):
            if categories.get(name):
                columns.extend(_code_columns(name, question, categories[name]))
    return columns


FIXED_COLUMNS = ["no", "channel", "submitted_on"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(value):
    """Text without the control characters a spreadsheet cannot hold."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def export_table(campaign: Campaign):
    """(headers, rows, codebook rows) of a campaign's responses, in 3 queries. Nothing that
    identifies a respondent: a row number (not the database id), the channel and the date."""
    from .models import Channel

    schema = campaign.schema
    categories: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, category in (
        CodeCategory.objects.filter(campaign=campaign)
        .order_by("pk")
        .values_list("pk", "field", "name")
    ):
        categories[name].append((pk, category))
    codes: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for response_id, name, category_id in Coding.objects.filter(
        response__campaign=campaign
    ).values_list("response_id", "field", "category_id"):
        codes[response_id][name].add(category_id)
    columns = export_columns(schema, categories)
    headers = FIXED_COLUMNS + [c.name for c in columns]
    rows = []
    for number, (pk, channel, submitted_on, data) in enumerate(
        Response.objects.filter(campaign=campaign)
        .order_by("pk")
        .values_list("pk", "channel", "submitted_on", "data"),
        1,
    ):
        data = data or {}
        asked = {int(n) for n in data.get("asked", []) or []}
        answers = data.get("answers") or {}
        response_codes = codes.get(pk, {})
        rows.append(
            [number, channel, submitted_on]
            + [_clean(c.value(asked, answers, response_codes)) for c in columns]
        )
    channels = ", ".join(f"{value} = {label}" for value, label in Channel.choices)
    codebook = [
        ["no", "", _("row number, in order of submission (not linked to any person)")],
        ["channel", "", _("how the answers came in: %(channels)s") % {"channels": channels}],
        ["submitted_on", "", _("date of submission (YYYY-MM-DD)")],
    ] + [[c.name, c.question, c.meaning] for c in columns]
    return headers, rows, codebook
