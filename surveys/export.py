"""The export table of a campaign's responses (CSV/XLSX) and its codebook: one column per
question, option, follow-up and coded category; ``NOT_ASKED`` and ``NO_ANSWER`` are different
codes, so counts over an export equal the results page. For the research team only."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Campaign, CodeCategory, Coding, Response
from .results import answer_label, branch_key, followups, items_of, text_fields


@dataclass
class Column:
    name: str
    question: str
    meaning: str
    value: Callable[..., object]  # (asked numbers, answers, codes) → cell


def _numbered(question: dict) -> str:
    return f"{question['number']}. {question['text']}"


NOT_ASKED = (
    -1
)  # the questionnaire's logic did not show the question (or did not open the follow-up)
NO_ANSWER = -2  # shown, left without an answer
EMPTY: tuple[object, ...] = (None, "", [])


def _shown(n: int, value):
    """A question's cell: NOT_ASKED, NO_ANSWER or ``value(answers)``."""

    def cell(asked, answers, codes):
        if n not in asked:
            return NOT_ASKED
        result = value(answers)
        return NO_ANSWER if result in EMPTY else result

    return cell


def _codes_legend() -> str:
    return _("%(not_asked)s = not asked (skipped by the logic), %(no_answer)s = no answer") % {
        "not_asked": NOT_ASKED,
        "no_answer": NO_ANSWER,
    }


def _multi_column(n: int, i: int, option: str, question: dict) -> Column:
    def value(answers):
        chosen = answers.get(f"q{n}") or []
        return (1 if option in chosen else 0) if chosen else None

    return Column(
        f"q{n}_{i}",
        _numbered(question),
        _("1 = chose “%(option)s”, 0 = did not; %(codes)s")
        % {"option": option, "codes": _codes_legend()},
        _shown(n, value),
    )


def _main_columns(question: dict) -> list[Column]:
    n = question["number"]
    kind = question["kind"]
    name = f"q{n}"
    codes = _codes_legend()
    if kind == "choice_multi":
        return [
            _multi_column(n, i, option, question)
            for i, option in enumerate(question.get("options", []), 1)
        ]
    if kind == "list":

        def item(i):
            def cell(asked, answers, codes_):
                if n not in asked:
                    return NOT_ASKED
                if not items_of(answers.get(name)):
                    return NO_ANSWER
                return _item(answers.get(name), i - 1)

            return cell

        return [
            Column(
                f"{name}_{i}",
                _numbered(question),
                _("item %(i)s of the list; empty = no further item; %(codes)s")
                % {"i": i, "codes": codes},
                item(i),
            )
            for i in range(1, int(question.get("list_size") or 3) + 1)
        ]
    if kind == "yes_no":
        return [
            Column(
                name,
                _numbered(question),
                _("1 = yes, 0 = no; %(codes)s") % {"codes": codes},
                _shown(n, lambda answers: {"yes": 1, "no": 0}.get(answers.get(name))),
            )
        ]
    if kind == "choice_single":
        meaning = _("the chosen answer, one of: %(options)s; %(codes)s") % {
            "options": " | ".join(question.get("options", [])),
            "codes": codes,
        }
    elif kind == "scale":
        meaning = _("a value from %(low)s to %(high)s; %(codes)s") % {
            "low": question.get("scale_min", 1),
            "high": question.get("scale_max", 5),
            "codes": codes,
        }
    else:
        meaning = _("the text of the answer; %(codes)s") % {"codes": codes}
    return [
        Column(name, _numbered(question), meaning, _shown(n, lambda answers: answers.get(name)))
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
    codes = _codes_legend()

    def opened_by(group: dict) -> str:
        return "; ".join(
            _("if “%(answer)s”: %(text)s")
            % {"answer": answer_label(question, answer), "text": spec.get("text", "")}
            for answer, spec in group.items()
        )

    def state(asked, answers, group: dict):
        """NOT_ASKED unless the follow-up of ``group`` was opened; NO_ANSWER if left empty."""
        if n not in asked or branch_key(question, answers.get(f"q{n}")) not in group:
            return NOT_ASKED
        return None if answers.get(name) not in EMPTY else NO_ANSWER

    columns = []
    size = max((int(spec.get("size") or 3) for spec in lists.values()), default=0)
    for i in range(1, size + 1):

        def item(asked, answers, codes_, i=i):
            code = state(asked, answers, lists)
            return code if code is not None else _item(answers.get(name), i - 1)

        columns.append(
            Column(
                f"{name}{i}",
                _numbered(question),
                _("follow-up, item %(i)s – %(followup)s; empty = no further item; %(codes)s")
                % {"i": i, "followup": opened_by(lists), "codes": codes},
                item,
            )
        )
    if texts:

        def text(asked, answers, codes_):
            code = state(asked, answers, texts)
            value = answers.get(name)
            return code if code is not None else (value if isinstance(value, str) else None)

        columns.append(
            Column(
                name,
                _numbered(question),
                _("follow-up text – %(followup)s; %(codes)s")
                % {"followup": opened_by(texts), "codes": codes},
                text,
            )
        )
    return columns


def _code_columns(name: str, question: dict, categories: list[tuple[int, str]]) -> list[Column]:
    def value(asked, answers, codes, category_id):
        if question["number"] not in asked:
            return NOT_ASKED
        if not items_of(answers.get(name)):
            return None
        return 1 if category_id in codes.get(name, ()) else 0

    return [
        Column(
            f"{name}_c{i}",
            _numbered(question),
            _(
                "1 = at least one item of %(field)s coded “%(category)s”, 0 = none; "
                "empty = no item; %(not_asked)s = not asked"
            )
            % {"field": name, "category": category, "not_asked": NOT_ASKED},
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
                    _(
                        "“other – specify” text: %(label)s; empty = not given; %(not_asked)s = not asked"
                    )
                    % {"label": question["other_label"], "not_asked": NOT_ASKED},
                    lambda asked, answers, codes, n=n: (
                        answers.get(f"q{n}_other") if n in asked else NOT_ASKED
                    ),
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
    codebook += [
        [str(NOT_ASKED), "", _("not asked: the questionnaire's logic skipped the question")],
        [str(NO_ANSWER), "", _("no answer: the question was shown and left unanswered")],
    ]
    return headers, rows, codebook
