"""State changes of interview guides and interviews (IDI/FGI), including RODO anonymisation."""

import copy
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import Membership, Network

from ..models import Interview, InterviewGuide, InterviewKind, Participant
from ..selectors.interviews import guides_for_lsr

DATA = Path(__file__).resolve().parents[1] / "data"
GUIDE_FILE = DATA / "interview_guide.yaml"
DEFAULT_TITLE = "Scenariusz wywiadu IDI"

# IDI: one respondent, or two from the same stakeholder; FGI from the YAML (kinds.FGI.participants).
IDI_PARTICIPANTS = (1, 2)
HEADER_BLOCKS = {"IDI": "IDI", "FGI": "FGI", "Data": "Data protection"}


@dataclass
class Outcome:
    obj: object
    warnings: list[str] = field(default_factory=list)


# --- the shipped guide ------------------------------------------------------------------------


@cache
def _guide_data(path: Path = GUIDE_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _header_blocks(path: Path = GUIDE_FILE) -> dict[str, str]:
    """The YAML's header comments split into blocks: "IDI", "FGI" and "Data protection".

    A block starts at a comment line opening with "IDI", "FGI" or "Data"; the lines after it
    continue it. The first line (the file's provenance) is left out.
    """
    blocks: dict[str, list[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.startswith("#"):
            break
        text = line[1:]
        if not text.strip():
            continue
        first_word = text.strip().split(" ")[0]
        if not text.startswith("  ") and first_word in HEADER_BLOCKS:
            current = HEADER_BLOCKS[first_word]
            blocks[current] = [text.strip()]
        elif current and text.strip().startswith("- "):
            blocks[current].append(text.strip())
        elif current:  # a wrapped line continues the previous one
            blocks[current][-1] += " " + text.strip()
    return {key: "\n".join(lines) for key, lines in blocks.items()}


def kind_limits(kind: str) -> dict:
    """Participants (min, max) and usual duration in minutes (min, max) of an interview kind."""
    kinds = _guide_data()["kinds"]
    if kind == InterviewKind.FGI:
        return {
            "participants": tuple(kinds["FGI"]["participants"]),
            "duration": tuple(kinds["FGI"]["duration_minutes"]),
        }
    return {"participants": IDI_PARTICIPANTS, "duration": tuple(kinds["IDI"]["duration_minutes"])}


def guide_rules(kind: str, path: Path = GUIDE_FILE) -> str:
    """The rules text of a guide of this kind, from the YAML header comments and its limits."""
    blocks = _header_blocks(path)
    limits = kind_limits(kind)
    low, high = limits["duration"]
    if kind == InterviewKind.FGI:
        first, second = limits["participants"]
        summary = f"FGI: {first}–{second} participants, {low}–{high} minutes."
    else:
        persons = _guide_data(path)["kinds"]["IDI"]["min_persons_per_stakeholder"]
        summary = (
            f"IDI: at least {persons} persons per stakeholder "
            f"(a manager and a substantive worker), {low}–{high} minutes."
        )
    return "\n\n".join([blocks.get(kind, ""), blocks.get("Data protection", ""), summary]).strip()


def _parts_from_yaml(data: dict) -> list[dict]:
    return [
        {
            "part": item["part"],
            "minutes": int(item["minutes"]),
            "notes": item.get("notes", ""),
            "questions": list(item.get("questions", [])),
        }
        for item in data["scenario"]
    ]


@transaction.atomic
def guide_load_default(*, path: Path = GUIDE_FILE) -> InterviewGuide:
    """The default IDI guide exactly as shipped in the YAML; idempotent."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    values = {
        "parts": _parts_from_yaml(data),
        "rules": guide_rules(InterviewKind.IDI, path),
    }
    guide = (
        InterviewGuide.objects.select_for_update()
        .filter(is_default=True, kind=InterviewKind.IDI, network__isnull=True, title=DEFAULT_TITLE)
        .order_by("pk")
        .first()
    )
    if guide is None:
        return InterviewGuide.objects.create(
            is_default=True, kind=InterviewKind.IDI, title=DEFAULT_TITLE, **values
        )
    if not guide.parts:  # a placeholder (e.g. made by the demo loader) gets the real content
        for name, value in values.items():
            setattr(guide, name, value)
        guide.save(update_fields=list(values))
    return guide


def guide_ensure_default() -> None:
    """Load the shipped guide the first time the interview pages need it (one query after)."""
    if not InterviewGuide.objects.filter(is_default=True, network__isnull=True).exists():
        guide_load_default()


@transaction.atomic
def guide_make_fgi(*, source: InterviewGuide, network: Network) -> InterviewGuide:
    """An FGI guide for the LSR with the source's parts and questions and the FGI rules."""
    if source.network_id not in (None, network.pk):
        raise ValidationError(_("This guide belongs to another LSR."))
    title = re.sub(r"\bIDI\b", "FGI", source.title)
    if title == source.title:
        title = f"{source.title} (FGI)"
    guide = InterviewGuide(
        network=network,
        kind=InterviewKind.FGI,
        title=title,
        parts=copy.deepcopy(source.parts),
        rules=guide_rules(InterviewKind.FGI),
        based_on=source,
        is_default=False,
    )
    guide.full_clean()
    guide.save()
    return guide


# --- interviews -------------------------------------------------------------------------------


def note_keys(guide: InterviewGuide) -> list[str]:
    """The keys of Interview.notes for a guide: "<part index>.<question index>"."""
    return [
        f"{p}.{q}"
        for p, part in enumerate(guide.parts)
        for q, _question in enumerate(part.get("questions") or [])
    ]


def _check_interview(interview: Interview, participants: list[Participant], network) -> dict:
    errors: dict[str, list[str]] = {}
    if interview.guide_id and not guides_for_lsr(network).filter(pk=interview.guide_id).exists():
        errors.setdefault("guide", []).append(_("Choose a guide of this LSR or a default one."))
    if (
        interview.organisation_id
        and not Membership.objects.filter(
            network=network, organisation_id=interview.organisation_id
        ).exists()
    ):
        errors.setdefault("organisation", []).append(
            _("The organisation must be a member of the LSR.")
        )
    low, high = kind_limits(interview.kind)["participants"]
    count = len(participants)
    if not low <= count <= high:
        values = {"low": low, "high": high, "count": count}
        if interview.kind == InterviewKind.FGI:
            message = (
                _(
                    "A focus group interview (FGI) needs %(low)s to %(high)s participants; "
                    "%(count)s given."
                )
                % values
            )
        else:
            message = (
                _(
                    "An individual interview (IDI) has %(low)s or %(high)s participants; "
                    "%(count)s given."
                )
                % values
            )
        errors.setdefault("__all__", []).append(message)
    named = any(p.name.strip() for p in participants)
    if named and interview.anonymised_at:
        errors.setdefault("__all__", []).append(
            _("The interview has been anonymised: participants' names can no longer be recorded.")
        )
    elif named and not interview.consent_recorded:
        errors.setdefault("consent_recorded", []).append(
            _(
                "Record the participants' consent before saving their names, "
                "or leave the names empty."
            )
        )
    return errors


@transaction.atomic
def interview_save(
    *, network: Network, interview: Interview, participants: list[Participant]
) -> Outcome:
    """Save an interview with its complete list of participants (others are removed).

    FGI: 6–12 participants; IDI: 1–2. A duration outside the kind's usual range is a warning.
    Names only with the participants' consent recorded, and never after anonymisation.
    """
    interview.network = network
    for participant in participants:
        participant.name = (participant.name or "").strip()
    errors = _check_interview(interview, participants, network)
    if errors:
        raise ValidationError(errors)
    interview.full_clean()
    keys = set(note_keys(interview.guide))
    interview.notes = {
        key: str(text).strip()
        for key, text in (interview.notes or {}).items()
        if key in keys and str(text).strip()
    }
    interview.save()
    keep = []
    for participant in participants:
        participant.interview = interview
        participant.full_clean()
        participant.save()
        keep.append(participant.pk)
    for removed in interview.participants.exclude(pk__in=keep):
        removed.delete()  # one by one, so the history records each removal

    warnings = []
    low, high = kind_limits(interview.kind)["duration"]
    if not low <= interview.duration_minutes <= high:
        warnings.append(
            _("A %(kind)s usually lasts %(low)s–%(high)s minutes; this one lasted %(minutes)s.")
            % {
                "kind": interview.kind,
                "low": low,
                "high": high,
                "minutes": interview.duration_minutes,
            }
        )
    return Outcome(interview, warnings)


@transaction.atomic
def interview_anonymise(*, network: Network, interview: Interview | None = None) -> int:
    """RODO, when the study ends: blank the participants' names of the LSR's interviews (or of
    one of them) and mark them anonymised. Profiles, notes and summaries stay. The history of
    participants never keeps names (``excluded_fields``). Returns the interviews anonymised."""
    interviews = Interview.objects.select_for_update().filter(network=network)
    if interview is not None:
        interviews = interviews.filter(pk=interview.pk)
    Participant.objects.filter(interview__in=interviews.values("pk")).exclude(name="").update(
        name=""
    )
    now = timezone.now()
    done = 0
    for item in interviews.filter(anonymised_at__isnull=True):
        item.anonymised_at = now
        item.save(update_fields=["anonymised_at"])  # a history record per interview
        done += 1
    if interview is not None:
        interview.refresh_from_db()
    return done
