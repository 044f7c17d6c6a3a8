"""The questionnaire form of a campaign, for the public answering page and for the team's paper /
e-mail entry alike: the frozen schema turned into what ``surveys/public/_question.html`` renders,
and a POST turned back into the raw answers the engine validates.

Field names are the engine's (q<N>, q<N>_<i>, q<N>_other, q<N>_f, q<N>_f<i>). One exception: a
question with follow-ups on several branches (Q4 of the ANKIETA asks for three items on YES and
three other items on NO) renders each branch with its own names, q<N>_<branch>_f and
q<N>_<branch>_f<i>, where <branch> is "yes"/"no" or o<k> for the k-th option, so that without
JavaScript the empty inputs of one branch never overwrite what was typed in the other.
`collect_raw` maps the chosen branch back to the engine's names. (The order of the keys of
`logic` is not stable: PostgreSQL's jsonb sorts them, so branches are named, never counted.)
"""

import json
import re
from typing import Any

from django.utils.translation import gettext as _

from .. import engine

FIELD_NAME = re.compile(
    r"q\d{1,4}(?:_(?:\d{1,3}|other|f\d{0,3}|(?:yes|no|o\d{1,3}|b\d{1,3})_f\d{0,3}))?"
)
# Control characters other than tab and line breaks (PostgreSQL's JSON refuses NUL outright).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_VALUES_PER_FIELD = 50


def _clean(value: str) -> str:
    return CONTROL_CHARS.sub("", value)


def followup_branches(question: dict) -> list[tuple[str, str, dict]]:
    """(answer, branch name, follow-up spec) for every branch that opens a follow-up, in the
    order of the answers (yes before no, options in their order)."""
    options = list(question.get("options") or [])
    if question.get("kind") == "yes_no":
        options = ["yes", "no"]
    branches = []
    for answer, spec in (question.get("logic") or {}).items():
        if not (isinstance(spec, dict) and isinstance(spec.get("followup"), dict)):
            continue
        if question.get("kind") == "yes_no" and answer in ("yes", "no"):
            branch = answer
        elif answer in options:
            branch = f"o{options.index(answer) + 1}"
        else:
            branch = ""
        branches.append((answer, branch, spec["followup"]))
    order = {answer: i for i, answer in enumerate(options)}
    branches.sort(key=lambda b: (order.get(b[0], len(order)), b[0]))
    return [
        (answer, branch or f"b{i}", spec) for i, (answer, branch, spec) in enumerate(branches, 1)
    ]


def _qualified(question: dict) -> bool:
    return len(followup_branches(question)) > 1


def _followup_names(n: int, spec: dict, prefix: str) -> list[str]:
    if spec.get("kind") == "list":
        return [f"{prefix}_f{i}" for i in range(1, _size(spec) + 1)]
    return [f"{prefix}_f"]


def _size(spec: dict, default: int = 3) -> int:
    try:
        return max(1, min(int(spec.get("size", default)), 50))
    except (TypeError, ValueError):
        return default


def chosen_branch(question: dict, values) -> str | None:
    """The logic key (answer) whose branch applies to the values, as the engine decides it."""
    logic = question.get("logic") or {}
    branch = engine.branch_of(question, engine.main_answer(question, values))
    for answer, spec in logic.items():
        if spec is branch:
            return answer
    return None


def collect_raw(schema: dict, data) -> dict[str, list[str]]:
    """The answer fields of a POST (a QueryDict), cleaned; anything else is dropped."""
    raw: dict[str, list[str]] = {}
    for key in data:
        if isinstance(key, str) and FIELD_NAME.fullmatch(key):
            values = data.getlist(key)[:MAX_VALUES_PER_FIELD]
            raw[key] = [_clean(v) for v in values if isinstance(v, str)]
    for question in schema.get("questions", []):
        if not _qualified(question):
            continue
        n = question["number"]
        chosen = chosen_branch(question, raw)
        for answer, branch, spec in followup_branches(question):
            if answer != chosen:
                continue
            qualified = _followup_names(n, spec, f"q{n}_{branch}")
            if not any(name in raw for name in qualified):
                continue  # sent with the engine's names: keep them as they are
            for name, plain in zip(qualified, _followup_names(n, spec, f"q{n}"), strict=True):
                raw[plain] = raw.get(name, [])
    return raw


def values_from_draft(data: dict) -> dict[str, list[str]]:
    """Draft data (engine.raw_from_answers) as form values."""
    values: dict[str, list[str]] = {}
    for key, value in (data or {}).items():
        items = value if isinstance(value, list) else [value]
        values[str(key)] = [str(v) for v in items if v is not None]
    return values


def _one(values: dict, name: str) -> str:
    items = values.get(name) or []
    return items[-1] if items else ""


# --- what the template renders ---------------------------------------------------------------


def _text_input(name: str, label: str, values: dict, limit: int) -> dict[str, Any]:
    return {"name": name, "id": name, "label": label, "value": _one(values, name), "max": limit}


def _branch_label(question: dict, answer: str) -> str:
    if question["kind"] == "yes_no":
        return {"yes": _("Yes"), "no": _("No")}.get(answer, answer)
    return answer


def build_questions(schema: dict, values: dict, errors: dict) -> list[dict[str, Any]]:
    """One dict per question with everything ``surveys/public/_question.html`` needs (ids,
    values, errors, logic): the public answering page and the team's paper / e-mail entry."""
    questions = []
    for question in sorted(schema.get("questions", []), key=lambda q: q["number"]):
        questions.append(_build_question(question, values, errors))
    return questions


def _build_question(question: dict, values: dict, errors: dict) -> dict[str, Any]:
    n = question["number"]
    kind = question["kind"]
    name = f"q{n}"
    own_errors = errors.get(name, [])
    error_id = f"{name}-error" if own_errors else ""
    item: dict[str, Any] = {
        "number": n,
        "kind": kind,
        "text": question.get("text", ""),
        "required": question.get("required", True),
        "name": name,
        "errors": own_errors,
        "error_id": error_id,
        "choices": [],
        "items": [],
        "field": None,
        "other": None,
        "followups": [],
        "jumps": [],
    }
    _add_answer_inputs(item, question, values)
    item["group"] = kind != "text" and kind != "short_text"
    if question.get("other_label") and kind in engine.CHOICE_KINDS:
        item["other"] = _other_input(question, values, errors)
    item["followups"] = _followup_blocks(question, values, errors)
    item["jumps"], item["logic_json"] = _jumps(question)
    # The first input of the question: where the error summary's link leads.
    if item["choices"]:
        item["first_id"] = item["choices"][0]["id"]
    elif item["items"]:
        item["first_id"] = item["items"][0]["id"]
    else:
        item["first_id"] = name
    item["has_errors"] = bool(
        own_errors
        or (item["other"] and item["other"]["errors"])
        or any(b["errors"] for b in item["followups"])
    )
    return item


def _add_answer_inputs(item: dict[str, Any], question: dict, values: dict) -> None:
    """The inputs of the answer itself: choices (options, yes/no, a scale), list items or one
    text field."""
    kind, name = item["kind"], item["name"]
    chosen_values = values.get(name) or []
    if kind in engine.CHOICE_KINDS:
        for i, option in enumerate(question.get("options", []), 1):
            item["choices"].append(
                {
                    "value": option,
                    "label": option,
                    "id": f"{name}-{i}",
                    "checked": option in chosen_values
                    if kind == "choice_multi"
                    else option == _one(values, name),
                }
            )
    elif kind == "yes_no":
        current = _one(values, name)
        for i, (value, label) in enumerate((("yes", _("Yes")), ("no", _("No"))), 1):
            item["choices"].append(
                {"value": value, "label": label, "id": f"{name}-{i}", "checked": current == value}
            )
    elif kind == "scale":
        current = _one(values, name)
        low, high = question.get("scale_min", 1), question.get("scale_max", 5)
        for i, number in enumerate(range(int(low), int(high) + 1), 1):
            item["choices"].append(
                {
                    "value": str(number),
                    "label": str(number),
                    "id": f"{name}-{i}",
                    "checked": current == str(number),
                }
            )
        item["scale_min"], item["scale_max"] = low, high
    elif kind == "list":
        for i in range(1, _size({"size": question.get("list_size", 3)}) + 1):
            field = _text_input(f"{name}_{i}", str(i), values, engine.ITEM_MAX)
            field["index"] = i
            field["described_by"] = ""
            item["items"].append(field)
    else:
        limit = engine.SHORT_TEXT_MAX if kind == "short_text" else engine.LONG_TEXT_MAX
        field = _text_input(name, "", values, limit)
        field["described_by"] = item["error_id"]
        item["field"] = field


def _other_input(question: dict, values: dict, errors: dict) -> dict[str, Any]:
    """The "other (which?)" text field of a choice question."""
    other_name = f"q{question['number']}_other"
    other_errors = errors.get(other_name, [])
    other = _text_input(other_name, question["other_label"], values, engine.SHORT_TEXT_MAX)
    other["errors"] = other_errors
    other["error_id"] = f"{other_name}-error" if other_errors else ""
    other["described_by"] = other["error_id"]
    return other


def _followup_blocks(question: dict, values: dict, errors: dict) -> list[dict[str, Any]]:
    """One block per answer that opens a follow-up (its own field names when there are several:
    see the module's docstring); the errors go to the chosen branch."""
    n = question["number"]
    name = f"q{n}"
    qualified = _qualified(question)
    chosen = chosen_branch(question, values)
    followup_errors = errors.get(f"{name}_f", [])
    blocks = []
    for answer, branch, spec in followup_branches(question):
        prefix = f"q{n}_{branch}" if qualified else name
        is_chosen = answer == chosen
        block: dict[str, Any] = {
            "when": answer,
            "when_label": _branch_label(question, answer),
            "kind": "list" if spec.get("kind") == "list" else "text",
            "text": spec.get("text", ""),
            "id": f"{prefix}-followup",
            "errors": followup_errors if is_chosen else [],
            "items": [],
            "field": None,
        }
        block["error_id"] = f"{prefix}_f-error" if block["errors"] else ""
        names = _followup_names(n, spec, prefix)
        plain = _followup_names(n, spec, name)
        for i, (field_name, plain_name) in enumerate(zip(names, plain, strict=True), 1):
            if field_name in values:
                value = _one(values, field_name)
            else:
                value = _one(values, plain_name) if is_chosen else ""
            limit = engine.ITEM_MAX if block["kind"] == "list" else engine.LONG_TEXT_MAX
            field = {
                "name": field_name,
                "id": field_name,
                "value": value,
                "max": limit,
                "index": i,
                "described_by": "" if block["kind"] == "list" else block["error_id"],
            }
            if block["kind"] == "list":
                block["items"].append(field)
            else:
                block["field"] = field
        blocks.append(block)
    return blocks


def _jumps(question: dict) -> tuple[list[dict[str, Any]], str]:
    """The jumps to show ("If you answered NO, go to question 5") and the logic as JSON for
    the page's script."""
    jumps = []
    logic_for_js = {}
    for answer, spec in (question.get("logic") or {}).items():
        if not isinstance(spec, dict):
            continue
        target = spec.get("goto")
        try:
            target = int(target) if target is not None else None
        except (TypeError, ValueError):
            target = None
        logic_for_js[answer] = {"goto": target}
        if target is not None:
            jumps.append(
                {
                    "when": answer,
                    "when_label": _branch_label(question, answer).upper()
                    if question["kind"] == "yes_no"
                    else answer,
                    "target": target,
                }
            )
    return jumps, json.dumps(logic_for_js, ensure_ascii=False)


def error_summary(questions: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Links of the error summary at the top, in the order of the questions."""
    links = []
    for q in questions:
        for message in q["errors"]:
            links.append({"href": q["first_id"], "number": q["number"], "message": message})
        if q["other"]:
            for message in q["other"]["errors"]:
                links.append({"href": q["other"]["id"], "number": q["number"], "message": message})
        for block in q["followups"]:
            target = block["items"][0]["id"] if block["items"] else block["field"]["id"]
            for message in block["errors"]:
                links.append({"href": target, "number": q["number"], "message": message})
    return links
