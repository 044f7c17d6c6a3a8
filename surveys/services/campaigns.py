"""State changes of the questionnaire builder, survey campaigns and invitations.

The frozen-schema rules, launching and storing responses live in ``surveys.services.responses``; this module
adds the builder's edits (which never reach a launched campaign: it keeps its frozen schema), the
campaign set-up and the invitation e-mails (sent in batches by a background task).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from networks.models import Network

from ..models import Campaign, Invitation, Question, Questionnaire
from ..services import responses as services

BATCH_SIZE = 100
SHIFT = 10000  # temporary offset for renumbering questions without breaking uniqueness


# --- questionnaires --------------------------------------------------------------------------


def _check_editable(questionnaire: Questionnaire) -> None:
    if questionnaire.network_id is None or questionnaire.is_default:
        raise ValidationError(_("Default templates are read-only: copy the template to adapt it."))


@transaction.atomic
def questionnaire_copy(
    *, source: Questionnaire, network: Network, title: str = ""
) -> Questionnaire:
    """Copy a template for a network, to adapt it in the builder."""
    copy = Questionnaire.objects.create(
        network=network,
        title=title or source.title,
        introduction=source.introduction,
        signature=source.signature,
        based_on=source,
    )
    Question.objects.bulk_create(
        [
            Question(
                questionnaire=copy,
                number=q.number,
                kind=q.kind,
                text=q.text,
                options=q.options,
                other_label=q.other_label,
                list_size=q.list_size,
                scale_min=q.scale_min,
                scale_max=q.scale_max,
                required=q.required,
                logic=q.logic,
            )
            for q in source.questions.all()
        ]
    )
    return copy


def questionnaire_update(*, questionnaire: Questionnaire) -> Questionnaire:
    _check_editable(questionnaire)
    questionnaire.save(update_fields=["title", "introduction", "signature"])
    return questionnaire


def goto_problem(*, number: int | None, target: int, numbers: set[int]) -> str | None:
    """Why a jump from question ``number`` to ``target`` is not allowed (None when it is)."""
    if target not in numbers:
        return _("There is no question %(target)s.") % {"target": target}
    if number is not None and target <= number:
        return _("A jump can only go forward, to a question after question %(n)s.") % {"n": number}
    return None


def logic_problems(questions: list[Question]) -> dict[int, list[str]]:
    """Every invalid jump of a questionnaire, per question number (shown in the builder)."""
    numbers = {q.number for q in questions}
    problems: dict[int, list[str]] = {}
    for question in questions:
        for answer, spec in (question.logic or {}).items():
            target = (spec or {}).get("goto")
            if target is None:
                continue
            problem = goto_problem(number=question.number, target=int(target), numbers=numbers)
            if problem:
                problems.setdefault(question.number, []).append(
                    _("Answer “%(answer)s”: %(problem)s") % {"answer": answer, "problem": problem}
                )
    return problems


QUESTION_FIELDS = [
    "kind",
    "text",
    "options",
    "other_label",
    "list_size",
    "scale_min",
    "scale_max",
    "required",
    "logic",
]


@transaction.atomic
def question_add(*, questionnaire: Questionnaire, values: dict) -> Question:
    _check_editable(questionnaire)
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    last = questionnaire.questions.aggregate(n=Max("number"))["n"] or 0
    return Question.objects.create(
        questionnaire=questionnaire,
        number=last + 1,
        **{k: values[k] for k in QUESTION_FIELDS if k in values},
    )


def question_update(*, question: Question, values: dict) -> Question:
    _check_editable(question.questionnaire)
    for name in QUESTION_FIELDS:
        if name in values:
            setattr(question, name, values[name])
    question.save()
    return question


def _remap_jumps(questionnaire: Questionnaire, mapping) -> None:
    """Rewrite every jump target with ``mapping(target) -> new target | None`` (None: drop)."""
    for question in questionnaire.questions.all():
        logic = dict(question.logic or {})
        changed = False
        for answer, spec in list(logic.items()):
            if not spec or spec.get("goto") is None:
                continue
            new_target = mapping(int(spec["goto"]))
            if new_target == spec["goto"]:
                continue
            changed = True
            spec = {k: v for k, v in spec.items() if k != "goto"}
            if new_target is not None:
                spec["goto"] = new_target
            if spec:
                logic[answer] = spec
            else:
                del logic[answer]
        if changed:
            question.logic = logic
            question.save(update_fields=["logic"])


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Delete a question and close the gap; jumps keep skipping the same questions."""
    questionnaire = question.questionnaire
    _check_editable(questionnaire)
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    number = question.number
    question.delete()
    later = questionnaire.questions.filter(number__gt=number)
    later.update(number=F("number") + SHIFT)
    questionnaire.questions.filter(number__gt=SHIFT).update(number=F("number") - SHIFT - 1)
    last = questionnaire.questions.aggregate(n=Max("number"))["n"] or 0

    def mapping(target: int) -> int | None:
        if target < number:
            return target
        if target == number:
            # the jump skipped to the deleted question: now to the question that followed it
            return number if number <= last else None
        return target - 1

    _remap_jumps(questionnaire, mapping)


@transaction.atomic
def question_move(*, question: Question, up: bool) -> bool:
    """Swap a question with its neighbour; jumps follow the questions they point to."""
    questionnaire = question.questionnaire
    _check_editable(questionnaire)
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    siblings = questionnaire.questions.exclude(pk=question.pk)
    neighbour = (
        siblings.filter(number__lt=question.number).order_by("-number").first()
        if up
        else siblings.filter(number__gt=question.number).order_by("number").first()
    )
    if neighbour is None:
        return False
    a, b = question.number, neighbour.number
    Question.objects.filter(pk=question.pk).update(number=0)
    Question.objects.filter(pk=neighbour.pk).update(number=a)
    Question.objects.filter(pk=question.pk).update(number=b)
    question.number = b

    def mapping(target: int) -> int:
        return b if target == a else a if target == b else target

    _remap_jumps(questionnaire, mapping)
    return True


# --- campaigns -------------------------------------------------------------------------------


def campaign_create(*, network, campaign: Campaign) -> Campaign:
    if campaign.closes_at and campaign.opens_at and campaign.closes_at <= campaign.opens_at:
        raise ValidationError({"closes_at": _("The survey must close after it opens.")})
    questionnaire = campaign.questionnaire
    if questionnaire.network_id not in (None, network.pk):
        raise ValidationError({"questionnaire": _("Choose a questionnaire of this LSR.")})
    campaign.network = network
    campaign.save()
    return campaign


@transaction.atomic
def campaign_launch(*, campaign: Campaign) -> Campaign:
    """Launch a survey: freeze the questionnaire into the campaign (later edits of the template do
    not reach it), unless its closing date has passed or it is launched already."""
    if campaign.closes_at <= timezone.now():
        raise ValidationError(_("The closing date has passed: the survey cannot be launched."))
    return _freeze(campaign)


@transaction.atomic
def campaign_record_past(*, campaign: Campaign) -> Campaign:
    """Record a survey that has already run (the 2017 survey of the seed data, results brought
    from paper): frozen like a launch, whatever its dates."""
    return _freeze(campaign)


def _freeze(campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.is_launched:
        raise ValidationError(_("This survey has already been launched."))
    services.validate_logic(campaign.questionnaire)
    schema = services.schema_of(campaign.questionnaire)
    if not schema["questions"]:
        raise ValidationError(_("The questionnaire has no questions."))
    campaign.schema = schema
    campaign.launched_at = timezone.now()
    campaign.save(update_fields=["schema", "launched_at"])
    return campaign


# --- invitations -----------------------------------------------------------------------------

SEPARATORS = re.compile(r"[,;\s]+")


@dataclass
class ParsedAddresses:
    addresses: list[str] = field(default_factory=list)
    invalid: list[tuple[int, str]] = field(default_factory=list)
    repeated: int = 0


def parse_addresses(text: str) -> ParsedAddresses:
    """E-mail addresses one per line and/or separated by commas, semicolons or spaces."""
    parsed = ParsedAddresses()
    seen: set[str] = set()
    for line_no, line in enumerate(text.splitlines(), 1):
        for token in SEPARATORS.split(line.strip()):
            token = token.strip().strip("<>").strip()
            if not token:
                continue
            try:
                validate_email(token)
            except ValidationError:
                parsed.invalid.append((line_no, token))
                continue
            address = token.lower()
            if address in seen:
                parsed.repeated += 1
                continue
            seen.add(address)
            parsed.addresses.append(address)
    return parsed


@dataclass
class InvitationsAdded:
    added: int
    skipped: int


def _check_not_closed(campaign: Campaign) -> None:
    if campaign.closes_at <= timezone.now():
        raise ValidationError(_("This survey has closed."))


@transaction.atomic
def invitations_add(*, campaign: Campaign, text: str) -> InvitationsAdded:
    """Add invitations from pasted addresses. Invalid addresses are reported per line and nothing
    is added until they are corrected; addresses already invited are skipped."""
    _check_not_closed(campaign)
    parsed = parse_addresses(text)
    if parsed.invalid:
        raise ValidationError(
            {
                "addresses": [
                    ValidationError(
                        _("Line %(line)s: “%(address)s” is not a valid e-mail address.")
                        % {"line": line, "address": address}
                    )
                    for line, address in parsed.invalid
                ]
            }
        )
    if not parsed.addresses:
        raise ValidationError({"addresses": _("Give at least one e-mail address.")})
    existing = set(
        Invitation.objects.filter(campaign=campaign, email__in=parsed.addresses).values_list(
            "email", flat=True
        )
    )
    new = [a for a in parsed.addresses if a not in existing]
    Invitation.objects.bulk_create(
        [Invitation(campaign=campaign, email=a) for a in new], ignore_conflicts=True
    )
    return InvitationsAdded(added=len(new), skipped=len(existing) + parsed.repeated)


def _pending(campaign_pk: int, *, reminder: bool, started=None):
    qs = Invitation.objects.filter(campaign_id=campaign_pk)
    if not reminder:
        return qs.filter(sent_at__isnull=True)
    qs = qs.filter(sent_at__isnull=False, responded=False)
    if started is not None:
        qs = qs.filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=started))
    return qs


def invitations_dispatch(*, campaign: Campaign, base_url: str, reminder: bool = False) -> int:
    """Queue the sending of invitations (or reminders to those who have not answered) and return
    how many are due; the e-mails go out in the background."""
    from ..tasks import send_invitations

    if not campaign.is_launched:
        raise ValidationError(_("Launch the survey before sending invitations."))
    _check_not_closed(campaign)
    due = _pending(campaign.pk, reminder=reminder).count()
    if not due:
        raise ValidationError(
            _("Nobody is waiting for a reminder.")
            if reminder
            else _("Every invitation has already been sent.")
        )
    send_invitations.enqueue(campaign.pk, base_url, reminder)
    return due


def invitation_link(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + reverse("answer:invited", args=[token])


def _message(campaign: Campaign, invitation: Invitation, base_url: str, reminder: bool):
    kind = "reminder" if reminder else "invitation"
    schema = campaign.schema or {}
    context = {
        "campaign": campaign,
        "network": campaign.network,
        "questionnaire_title": schema.get("title") or campaign.title,
        "signature": schema.get("signature") or "",
        "link": invitation_link(base_url, invitation.token),
        "closes_at": campaign.closes_at,
    }
    subject = render_to_string(f"surveys/email/{kind}_subject.txt", context)
    body = render_to_string(f"surveys/email/{kind}_body.txt", context)
    return mail.EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )


def invitations_deliver(
    *, campaign_pk: int, base_url: str, reminder: bool = False, batch_size: int = BATCH_SIZE
) -> int:
    """Send the due invitations (or reminders) in batches over one connection; each batch is
    marked sent in the same transaction that locked it, so two workers never send twice."""
    campaign = Campaign.objects.select_related("network").filter(pk=campaign_pk).first()
    if campaign is None or not campaign.is_launched:
        return 0
    try:
        invitation_link(base_url, "x")
    except NoReverseMatch as exc:
        raise RuntimeError(
            "The public answering pages (namespace 'answer') are not installed."
        ) from exc
    started = timezone.now()
    sent = 0
    connection = mail.get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            with transaction.atomic():
                batch = list(
                    _pending(campaign_pk, reminder=reminder, started=started)
                    .select_for_update(skip_locked=True)
                    .order_by("pk")[:batch_size]
                )
                if not batch:
                    break
                messages = [_message(campaign, inv, base_url, reminder) for inv in batch]
                connection.send_messages(messages)
                now = timezone.now()
                Invitation.objects.filter(pk__in=[inv.pk for inv in batch]).update(
                    **({"reminded_at": now} if reminder else {"sent_at": now})
                )
                sent += len(batch)
    return sent
