"""The questionnaire engine: skip logic, field names and server-side validation of answers.

A questionnaire is used as a plain "schema" dict (frozen in a campaign at launch):
{"title", "introduction", "signature", "questions": [{"number", "kind", "text", "options",
"other_label", "list_size", "scale_min", "scale_max", "required", "logic"}]}.
`logic` maps an answer ("yes"/"no" or an option text) to {"goto": N}, {"followup": {"kind":
"list"|"text", "size": N, "text": "..."}} and/or {"specify": true} ("other – specify" needed).

Field names: q<N> (main answer), q<N>_<i> (items of a list question), q<N>_other (the "other –
specify" text), q<N>_f (a text follow-up) or q<N>_f<i> (items of a list follow-up).
Answers are kept only for questions the respondent was meant to see, and a follow-up only for
the branch actually chosen — so changing an answer after a jump never leaves a stale branch.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000
ITEM_MAX = 500

CHOICE_KINDS = {"choice_single", "choice_multi"}


@dataclass
class Result:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    asked: list[int] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def _get(raw, name: str) -> str:
    value = raw.get(name, "") if hasattr(raw, "get") else ""
    if isinstance(value, list):
        value = value[-1] if value else ""
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""


def _getlist(raw, name: str) -> list[str]:
    if hasattr(raw, "getlist"):
        values = raw.getlist(name)
    else:
        value = raw.get(name, [])
        values = value if isinstance(value, list) else [value]
    values = [v.replace("\x00", "").strip() for v in values if isinstance(v, str)]
    return [v for v in values if v]


def branch_of(question: dict, answer: Any) -> dict:
    """The logic entry that applies to an answer (for multi choice: the first option with one)."""
    logic = question.get("logic") or {}
    if isinstance(answer, list):
        for option in answer:
            if option in logic:
                return logic[option]
        return {}
    return logic.get(answer, {}) if isinstance(answer, str) else {}


def _jump_target(question: dict, answer: Any) -> int | None:
    target = branch_of(question, answer).get("goto")
    return int(target) if target is not None else None


def main_answer(question: dict, raw) -> Any:
    """The raw main answer of a question, normalised (no validation)."""
    n = question["number"]
    kind = question["kind"]
    if kind == "choice_multi":
        return _getlist(raw, f"q{n}")
    if kind == "list":
        return [
            v
            for v in (_get(raw, f"q{n}_{i}") for i in range(1, question.get("list_size", 3) + 1))
            if v
        ]
    return _get(raw, f"q{n}")


def asked_numbers(schema: dict, raw) -> list[int]:
    """The questions the respondent is meant to see, following jumps of the answers given."""
    questions = sorted(schema["questions"], key=lambda q: q["number"])
    asked: list[int] = []
    skip_to: int | None = None
    for question in questions:
        if skip_to is not None and question["number"] < skip_to:
            continue
        skip_to = None
        asked.append(question["number"])
        target = _jump_target(question, main_answer(question, raw))
        if target is not None and target > question["number"]:
            skip_to = target
    return asked


def _text(result: Result, name: str, value: str, limit: int) -> str:
    if len(value) > limit:
        result.add_error(
            name,
            _("The text is too long: %(length)s characters, at most %(limit)s.")
            % {"length": len(value), "limit": limit},
        )
    return value


def _followup(result: Result, question: dict, branch: dict, raw) -> None:
    followup = branch.get("followup")
    if not followup:
        return
    n = question["number"]
    if followup.get("kind") == "list":
        items = []
        for i in range(1, int(followup.get("size", 3)) + 1):
            value = _get(raw, f"q{n}_f{i}")
            if value:
                items.append(_text(result, f"q{n}_f", value, ITEM_MAX))
        if items:
            result.answers[f"q{n}_f"] = items
    else:
        value = _get(raw, f"q{n}_f")
        if value:
            result.answers[f"q{n}_f"] = _text(result, f"q{n}_f", value, LONG_TEXT_MAX)


def validate(schema: dict, raw, *, partial: bool = False) -> Result:
    """Clean the answers of the visible questions; `partial` (a draft) skips required checks."""
    result = Result(asked=asked_numbers(schema, raw))
    by_number = {q["number"]: q for q in schema["questions"]}
    for n in result.asked:
        question = by_number[n]
        kind = question["kind"]
        name = f"q{n}"
        answer = main_answer(question, raw)
        required = question.get("required", True) and not partial
        if not answer and answer != 0:
            if required:
                result.add_error(name, _("This question needs an answer."))
            continue
        if kind in CHOICE_KINDS:
            chosen = answer if isinstance(answer, list) else [answer]
            unknown = [c for c in chosen if c not in question.get("options", [])]
            if unknown:
                result.add_error(name, _("Choose one of the listed answers."))
                continue
            if kind == "choice_single" and len(chosen) > 1:
                result.add_error(name, _("Choose one answer."))
                continue
            result.answers[name] = answer
            if question.get("other_label"):
                other = _get(raw, f"{name}_other")
                needs_other = any(
                    (question.get("logic") or {}).get(c, {}).get("specify") for c in chosen
                )
                if other:
                    result.answers[f"{name}_other"] = _text(
                        result, f"{name}_other", other, SHORT_TEXT_MAX
                    )
                elif needs_other and not partial:
                    result.add_error(f"{name}_other", _("Please specify."))
        elif kind == "yes_no":
            if answer not in ("yes", "no"):
                result.add_error(name, _("Answer yes or no."))
                continue
            result.answers[name] = answer
        elif kind == "list":
            result.answers[name] = [_text(result, name, item, ITEM_MAX) for item in answer]
        elif kind == "scale":
            try:
                value = int(answer)
            except ValueError:
                result.add_error(name, _("Choose a value of the scale."))
                continue
            low, high = question.get("scale_min", 1), question.get("scale_max", 5)
            if not low <= value <= high:
                result.add_error(
                    name, _("Choose a value from %(low)s to %(high)s.") % {"low": low, "high": high}
                )
                continue
            result.answers[name] = value
        else:
            limit = SHORT_TEXT_MAX if kind == "short_text" else LONG_TEXT_MAX
            result.answers[name] = _text(result, name, answer, limit)
        _followup(result, question, branch_of(question, result.answers.get(name)), raw)
    return result


def field_names(schema: dict) -> list[str]:
    """Every answer field of a questionnaire, in a stable order (export columns)."""
    names = []
    for q in sorted(schema["questions"], key=lambda q: q["number"]):
        n = q["number"]
        names.append(f"q{n}")
        if q.get("other_label"):
            names.append(f"q{n}_other")
        if any((b or {}).get("followup") for b in (q.get("logic") or {}).values()):
            names.append(f"q{n}_f")
    return names


def raw_from_answers(schema: dict, answers: dict) -> dict[str, Any]:
    """Form field values that re-create stored answers (to refill a draft or a form)."""
    raw: dict[str, Any] = {}
    by_number = {q["number"]: q for q in schema["questions"]}
    for key, value in answers.items():
        base = key.split("_")[0]
        question = by_number.get(int(base[1:])) if base[1:].isdigit() else None
        if question is None:
            continue
        if key == base and question["kind"] == "list":
            for i, item in enumerate(value, 1):
                raw[f"{key}_{i}"] = item
        elif key.endswith("_f") and isinstance(value, list):
            for i, item in enumerate(value, 1):
                raw[f"{key}{i}"] = item
        else:
            raw[key] = value
    return raw
