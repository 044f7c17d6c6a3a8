"""The frozen-schema rules (default questionnaire, schema, jump logic) and storing responses
(drafts, submissions). The builder, campaigns and invitations: ``surveys.services.campaigns``."""

import hashlib
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import engine
from ..models import (
    Campaign,
    Channel,
    Draft,
    Invitation,
    Question,
    Questionnaire,
    Response,
    SubmissionReceipt,
)

DATA = Path(__file__).resolve().parents[1] / "data"
QUESTIONNAIRE_FILE = DATA / "questionnaire_lsr.yaml"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# --- questionnaires --------------------------------------------------------------------------


def _logic_from_yaml(item: dict) -> dict:
    logic = {}
    for branch, answer in (("if_yes", "yes"), ("if_no", "no")):
        spec = item.get(branch)
        if not spec:
            continue
        if "goto" in spec:
            logic[answer] = {"goto": int(spec["goto"])}
        elif "list3" in spec:
            logic[answer] = {"followup": {"kind": "list", "size": 3, "text": spec["list3"]}}
        elif "text" in spec:
            logic[answer] = {"followup": {"kind": "text", "text": spec["text"]}}
    for option in item.get("options", []):
        if "wskaż" in option.lower():
            logic[option] = {"specify": True}
    return logic


KIND_FROM_YAML = {
    "choice_multi": "choice_multi",
    "yes_no": "yes_no",
    "list3": "list",
    "text": "text",
}


@transaction.atomic
def questionnaire_load_default(*, path: Path = QUESTIONNAIRE_FILE) -> Questionnaire:
    """The default LSR questionnaire (ANKIETA) exactly as shipped; idempotent."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    existing = Questionnaire.objects.filter(is_default=True, title=data["title"]).first()
    if existing:
        return existing
    questionnaire = Questionnaire.objects.create(
        title=data["title"],
        introduction=data["introduction"],
        signature=data["signature"],
        is_default=True,
    )
    Question.objects.bulk_create(
        [
            Question(
                questionnaire=questionnaire,
                number=item["number"],
                kind=KIND_FROM_YAML[item["kind"]],
                text=item["text"],
                options=item.get("options", []),
                other_label=item.get("specify_text", ""),
                list_size=3,
                logic=_logic_from_yaml(item),
            )
            for item in data["questions"]
        ]
    )
    return questionnaire


def schema_of(questionnaire: Questionnaire) -> dict:
    return {
        "title": questionnaire.title,
        "introduction": questionnaire.introduction,
        "signature": questionnaire.signature,
        "questions": [
            {
                "number": q.number,
                "kind": q.kind,
                "text": q.text,
                "options": list(q.options or []),
                "other_label": q.other_label,
                "list_size": q.list_size,
                "scale_min": q.scale_min,
                "scale_max": q.scale_max,
                "required": q.required,
                "logic": dict(q.logic or {}),
            }
            for q in questionnaire.questions.order_by("number")
        ],
    }


def validate_logic(questionnaire: Questionnaire) -> None:
    """Jumps go forward to an existing question; follow-ups are lists or texts."""
    numbers = set(questionnaire.questions.values_list("number", flat=True))
    for question in questionnaire.questions.all():
        for answer, spec in (question.logic or {}).items():
            target = spec.get("goto")
            if target is not None and (target not in numbers or target <= question.number):
                raise ValidationError(
                    _(
                        "Question %(n)s: the answer “%(answer)s” jumps to question %(target)s, which does not follow it."
                    )
                    % {"n": question.number, "answer": answer, "target": target}
                )


class SurveyClosed(ValidationError):
    pass


class AlreadySubmitted(Exception):
    """The same form or invitation was submitted before: nothing new is stored."""


class InvalidAnswers(ValidationError):
    def __init__(self, result: engine.Result):
        super().__init__(_("Some answers need correcting."))
        self.result = result


def _check_open(campaign: Campaign) -> None:
    if not campaign.is_launched:
        raise SurveyClosed(_("This survey has not been launched yet."))
    now = timezone.now()
    if now < campaign.opens_at:
        raise SurveyClosed(
            _("This survey opens on %(date)s.")
            % {"date": timezone.localtime(campaign.opens_at).strftime("%d.%m.%Y %H:%M")}
        )
    if now >= campaign.closes_at:
        raise SurveyClosed(
            _("This survey closed on %(date)s; answers are no longer accepted.")
            % {"date": timezone.localtime(campaign.closes_at).strftime("%d.%m.%Y %H:%M")}
        )


def invitation_for(campaign: Campaign, token: str) -> Invitation | None:
    return Invitation.objects.filter(campaign=campaign, token=token).first()


@transaction.atomic
def response_submit(
    *,
    campaign: Campaign,
    raw,
    submission_key: str,
    invitation: Invitation | None = None,
    channel: str = Channel.ONLINE,
    check_open: bool = True,
    draft_key: str | None = None,
) -> Response:
    """Store one response exactly once. `submission_key` is the one-time key of the form (or the
    invitation token); a repeated key raises AlreadySubmitted and stores nothing. The response keeps
    no link to the invitation: only the invitation's bare `responded` flag changes."""
    if check_open:
        _check_open(campaign)
    if invitation is not None:
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.responded:
            raise AlreadySubmitted
    result = engine.validate(campaign.schema, raw)
    if not result.is_valid:
        raise InvalidAnswers(result)
    if invitation is None:
        # General link: the one-time form key makes a double POST harmless. An invitation needs
        # no receipt: its locked `responded` flag already allows one answer, and a receipt
        # derived from its token could be matched to the response.
        try:
            with transaction.atomic():
                SubmissionReceipt.objects.create(
                    campaign=campaign, key_hash=key_hash(f"{campaign.pk}:{submission_key}")
                )
        except IntegrityError as exc:
            raise AlreadySubmitted from exc
    response = Response.objects.create(
        campaign=campaign, channel=channel, data={"asked": result.asked, "answers": result.answers}
    )
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(responded=True)
    Draft.objects.filter(key_hash=key_hash(f"{campaign.pk}:{draft_key or submission_key}")).delete()
    return response


@transaction.atomic
def draft_save(*, campaign: Campaign, draft_key: str, raw) -> Draft:
    """Keep what the respondent typed so far (validated only for lengths and known fields)."""
    _check_open(campaign)
    result = engine.validate(campaign.schema, raw, partial=True)
    draft, _created = Draft.objects.update_or_create(
        key_hash=key_hash(f"{campaign.pk}:{draft_key}"),
        defaults={
            "campaign": campaign,
            "data": engine.raw_from_answers(campaign.schema, result.answers),
        },
    )
    return draft


def draft_load(*, campaign: Campaign, draft_key: str) -> dict:
    draft = Draft.objects.filter(
        key_hash=key_hash(f"{campaign.pk}:{draft_key}"), campaign=campaign
    ).first()
    return draft.data if draft else {}
