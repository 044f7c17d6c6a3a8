"""Read-only access to the audit history kept by django-simple-history."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
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


def history_models() -> list:
    return [
        m
        for m in apps.get_models()
        if m.__name__.startswith("Historical")
        and hasattr(m, "instance_type")
        and any(f.name == "history_date" for f in m._meta.fields)
    ]


def _changes(record) -> list[tuple[str, Any, Any]]:
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [
        (str(record.instance_type._meta.get_field(c.field).verbose_name), c.old, c.new)
        for c in delta.changes
    ]


def recent_entries(*, limit: int = 50) -> list[AuditEntry]:
    """The newest changes across every audited model: one query per audited model."""
    records = []
    for model in history_models():
        records += list(
            model.objects.select_related("history_user").order_by("-history_date")[:limit]
        )
    records.sort(key=lambda r: r.history_date, reverse=True)
    entries = []
    for record in records[:limit]:
        entries.append(
            AuditEntry(
                when=record.history_date,
                who=record.history_user,
                action=str(ACTION_LABELS.get(record.history_type, record.history_type)),
                model_label=str(record.instance_type._meta.verbose_name),
                object_repr=str(record.history_object),
                changes=_changes(record),
            )
        )
    return entries
