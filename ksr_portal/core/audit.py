"""Read-only access to the audit history kept by django-simple-history."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import Field, Model, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class AuditEntry:
    when: datetime
    who: Any
    action: str
    model_label: str
    object_repr: str
    changes: list[tuple[str, Any, Any]]


def history_models() -> list[type[Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__name__.startswith("Historical")
        and hasattr(m, "instance_type")
        and any(f.name == "history_date" for f in m._meta.fields)
    ]


HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


def _tracked_fields(model: type[Model]) -> list[Field]:
    return [
        f
        for f in model._meta.fields
        if f.name not in HISTORY_FIELDS and not f.name.startswith("history_")
    ]


def _changes(record: Any, previous: Any) -> list[tuple[str, Any, Any]]:
    """Field values before → after (foreign keys as ids; m2m changes are in the object's history)."""
    if previous is None:
        return []
    changes = []
    for field in _tracked_fields(type(record)):
        old, new = getattr(previous, field.attname), getattr(record, field.attname)
        if old != new:
            try:
                label = record.instance_type._meta.get_field(field.name).verbose_name
            except Exception:  # a field of the history table only
                label = field.verbose_name
            changes.append((str(label), old, new))
    return changes


def _with_previous(model: Any, limit: int) -> list[tuple[Any, Any]]:
    """The newest records of one history table with their predecessors: two queries."""
    previous_id = Subquery(
        model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date")
        .values("history_id")[:1]
    )
    records = list(
        model.objects.select_related("history_user")
        .annotate(previous_history_id=previous_id)
        .order_by("-history_date")[:limit]
    )
    ids = [r.previous_history_id for r in records if r.previous_history_id]
    previous = {p.history_id: p for p in model.objects.filter(history_id__in=ids)} if ids else {}
    return [(r, previous.get(r.previous_history_id)) for r in records]


def recent_entries(*, limit: int = 50) -> list[AuditEntry]:
    """The newest changes across every audited model: two queries per audited model (plus what
    an object's name needs)."""
    pairs = []
    for model in history_models():
        pairs += _with_previous(model, limit)
    pairs.sort(key=lambda pair: pair[0].history_date, reverse=True)
    return [
        AuditEntry(
            when=record.history_date,
            who=record.history_user,
            action=str(ACTION_LABELS.get(record.history_type, record.history_type)),
            model_label=str(record.instance_type._meta.verbose_name),
            object_repr=str(record.history_object),
            changes=_changes(record, previous),
        )
        for record, previous in pairs[:limit]
    ]
