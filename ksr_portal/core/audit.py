"""Read-only access to the audit history kept by django-simple-history.

One list across every audited model, newest first, in pages: the history tables are joined with
``UNION ALL`` in the database (their ids, dates and model names only), so counting and paging do
not depend on how many changes there are; then the records of one page are read with their
predecessors, one query per history table on the page. Each change is shown field by field,
before → after, with the fields' and choices' Polish labels; a save that changed nothing tracked
(a login, a form sent again) is left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    Field,
    FileField,
    ForeignKey,
    Func,
    JSONField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
PER_PAGE = 50
TEXT_LIMIT = 120


@dataclass
class Change:
    label: str
    before: str
    after: str
    summary_only: bool = False  # a structured value (JSON): "changed", without the contents


@dataclass
class AuditEntry:
    when: datetime
    who: Any
    action: str
    model_key: str
    model_label: str
    object_id: Any
    object_repr: str
    changes: list[Change] = field(default_factory=list)


def history_models() -> list[type[Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__name__.startswith("Historical")
        and hasattr(m, "instance_type")
        and any(f.name == "history_date" for f in m._meta.fields)
    ]


def model_key(history_model: type[Model]) -> str:
    """The audited model's ``app_label.model`` (what the "object type" filter sends)."""
    return str(history_model.instance_type._meta.label_lower)  # type: ignore[attr-defined]


def _sentence(text: Any) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _models_by_key() -> dict[str, type[Model]]:
    return {model_key(m): m for m in history_models()}


def object_type_choices() -> list[tuple[str, str]]:
    return sorted(
        (
            (key, _sentence(m.instance_type._meta.verbose_name_plural))  # type: ignore[attr-defined]
            for key, m in _models_by_key().items()
        ),
        key=lambda choice: choice[1],
    )


def _tracked_fields(model: type[Model]) -> list[Field]:
    """The audited fields of a history table, without the time stamps Django sets on every save
    (``auto_now``): a save that changed only those changed nothing."""
    return [
        f
        for f in model._meta.fields
        if not f.name.startswith("history_") and not getattr(f, "auto_now", False)
    ]


class _NotDistinct(Func):
    """``a IS NOT DISTINCT FROM b``: equal, NULL counting as equal to NULL."""

    arg_joiner = " IS NOT DISTINCT FROM "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _previous_id(model: type[Model]) -> Subquery:
    return Subquery(
        model._default_manager.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )


def _without_empty_changes(model: type[Model], qs: QuerySet) -> QuerySet:
    """Leave out saves that changed no tracked field (``last_login`` is not tracked, so a
    login is one of them)."""
    same = model._default_manager.filter(history_id=OuterRef("previous_history_id"))
    for f in _tracked_fields(model):
        same = same.filter(_NotDistinct(F(f.attname), OuterRef(f.attname)))
    return qs.annotate(previous_history_id=_previous_id(model)).exclude(
        Q(history_type="~") & Exists(same)
    )


class AuditFilter(django_filters.FilterSet):
    """Who, what kind of object (and which one), from and until which day. The filters apply to
    each history table; every one has these columns."""

    user = django_filters.ModelChoiceFilter(
        field_name="history_user",
        queryset=lambda request: get_user_model().objects.order_by(
            "last_name", "first_name", "username"
        ),
        label=_("Who"),
        empty_label=_("anyone"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    object_type = django_filters.ChoiceFilter(
        choices=object_type_choices,
        method="_by_type",
        label=_("Object type"),
        empty_label=_("any"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    object = django_filters.NumberFilter(
        field_name="id", widget=forms.HiddenInput, label=_("Object")
    )
    date_from = django_filters.DateFilter(
        field_name="history_date",
        lookup_expr="date__gte",
        label=_("Changed from (date)"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    date_to = django_filters.DateFilter(
        field_name="history_date",
        lookup_expr="date__lte",
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def _by_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # the type chooses the history tables (``audit_page``), not the rows

    def clean_dates(self) -> None:
        data = self.form.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.form.add_error("date_to", _("The end date is before the start date."))


def _keys(model: type[Model], filterset: AuditFilter) -> QuerySet:
    qs = filterset.filter_queryset(model._default_manager.all())
    return (
        _without_empty_changes(model, qs)
        .annotate(model=Value(model_key(model), output_field=CharField()))
        .values_list("history_date", "model", "history_id")
    )


def audit_page(
    *, data: Any, page_number: Any = 1, per_page: int = PER_PAGE
) -> tuple[AuditFilter, Page]:
    """The filter form and one page of audit entries. Queries: two for the page's keys (count,
    slice), then at most a fixed few per history table present on the page."""
    models = _models_by_key()
    filterset = AuditFilter(
        data if data is not None else {},
        queryset=next(iter(models.values()))._default_manager.none(),
    )
    valid = filterset.is_valid()
    if valid:
        filterset.clean_dates()
        valid = not filterset.form.errors
    chosen = filterset.form.cleaned_data.get("object_type") if valid else None
    if chosen:
        models = {chosen: models[chosen]}
    elif valid and filterset.form.cleaned_data.get("object") is not None:
        valid = False  # an object id means nothing without its type
    parts = [_keys(m, filterset) for m in models.values()] if valid else []
    if not parts:
        keys: Any = []
    elif len(parts) == 1:
        keys = parts[0].order_by("-history_date", "model", "-history_id")
    else:
        keys = (
            parts[0].union(*parts[1:], all=True).order_by("-history_date", "model", "-history_id")
        )
    page = Paginator(keys, per_page).get_page(page_number)
    page.object_list = _entries(list(page.object_list), models)
    return filterset, page


def recent_entries(*, limit: int = 50) -> list[AuditEntry]:
    """The newest changes across every audited model (the administration page's panel)."""
    return list(audit_page(data=None, per_page=limit)[1].object_list)


# --- one page of entries -----------------------------------------------------------------------


def _entries(
    keys: list[tuple[datetime, str, int]], models: dict[str, type[Model]]
) -> list[AuditEntry]:
    ids_by_model: dict[str, list[int]] = {}
    for _when, key, history_id in keys:
        ids_by_model.setdefault(key, []).append(history_id)
    records: dict[tuple[str, int], Any] = {}
    previous: dict[tuple[str, int], Any] = {}
    live: dict[tuple[str, Any], Model] = {}
    for key, ids in ids_by_model.items():
        model = models[key]
        rows = list(
            model._default_manager.select_related("history_user")
            .annotate(previous_history_id=_previous_id(model))
            .filter(history_id__in=ids)
        )
        before_ids = [r.previous_history_id for r in rows if r.previous_history_id]
        before = (
            {
                p.history_id: p  # type: ignore[attr-defined]
                for p in model._default_manager.filter(history_id__in=before_ids)
            }
            if before_ids
            else {}
        )
        for r in rows:
            records[key, r.history_id] = r
            previous[key, r.history_id] = before.get(r.previous_history_id)
        live.update(_live_objects(model, {r.id for r in rows}, key))
    # each record's diff once: the related names and the shown changes both read it
    diffs = {k: _diff(records[k], previous[k]) if previous[k] is not None else [] for k in records}
    labels = _related_labels([(records[k], diffs[k]) for k in records])
    entries = []
    for _when, key, history_id in keys:
        record = records[key, history_id]
        instance_type = record.instance_type
        obj = live.get((key, record.id))
        entries.append(
            AuditEntry(
                when=record.history_date,
                who=record.history_user,
                action=str(ACTION_LABELS.get(record.history_type, record.history_type)),
                model_key=key,
                model_label=_sentence(instance_type._meta.verbose_name),
                object_id=record.id,
                object_repr=str(obj) if obj is not None else _last_name(record),
                changes=_changes(record, diffs[key, history_id], labels),
            )
        )
    return entries


def _live_objects(
    history_model: type[Model], ids: set[Any], key: str
) -> dict[tuple[str, Any], Model]:
    """The audited objects that still exist, with their foreign keys (for their names)."""
    model = history_model.instance_type  # type: ignore[attr-defined]
    relations = [f.name for f in model._meta.fields if isinstance(f, ForeignKey)]
    return {
        (key, obj.pk): obj
        for obj in model._default_manager.select_related(*relations).filter(pk__in=ids)
    }


def _last_name(record: Any) -> str:
    """A deleted object's name as its history last knew it."""
    for name in ("name", "title", "username", "original_name"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    return f"#{record.id}"


@dataclass
class _Diff:
    field: str
    old: Any
    new: Any


def _diff(record: Any, before: Any) -> list[_Diff]:
    """What changed between two records: ``diff_against`` for the fields forms edit, the same
    comparison for those only code sets (``editable=False``, which ``diff_against`` skips)."""
    fields = [f for f in _tracked_fields(type(record)) if f.name != "id"]
    editable = [f.name for f in fields if f.editable]
    changes = [
        _Diff(c.field, c.old, c.new)
        for c in record.diff_against(before, included_fields=editable).changes
    ]
    for f in fields:
        if not f.editable:
            old, new = getattr(before, f.attname), getattr(record, f.attname)
            if old != new:
                changes.append(_Diff(f.name, old, new))
    return changes


def _related_labels(
    pairs: list[tuple[Any, list[_Diff]]],
) -> dict[tuple[type[Model], Any], str]:
    """Names of the objects foreign keys point to, one query per related model."""
    wanted: dict[type[Model], set[Any]] = {}
    for record, diffs in pairs:
        for change in diffs:
            meta = record.instance_type._meta.get_field(change.field)
            if isinstance(meta, ForeignKey):
                related: Any = meta.related_model
                wanted.setdefault(related, set()).update(
                    v for v in (change.old, change.new) if v is not None
                )
    labels = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            labels[related, obj.pk] = str(obj)
    return labels


def _shown(meta: Field, value: Any, labels: dict[tuple[type[Model], Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(meta, ForeignKey):
        related: Any = meta.related_model
        return labels.get((related, value), f"#{value}")
    if meta.choices:
        return str(dict(meta.flatchoices).get(value, value))
    if isinstance(meta, BooleanField) or isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(meta, FileField):
        return str(getattr(value, "name", value)).rsplit("/", 1)[-1]
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)  # only reached outside JSON fields
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return formats.number_format(value, force_grouping=True)
    return Truncator(str(value)).chars(TEXT_LIMIT)


def _changes(
    record: Any, diffs: list[_Diff], labels: dict[tuple[type[Model], Any], str]
) -> list[Change]:
    """Changed fields, before → after, with Polish labels (m2m changes: the object's own
    history in data administration)."""
    changes = []
    model_meta = record.instance_type._meta
    for change in diffs:
        meta = model_meta.get_field(change.field)
        label = _sentence(meta.verbose_name)
        if isinstance(meta, JSONField):
            changes.append(Change(label, "", "", summary_only=True))
            continue
        changes.append(
            Change(label, _shown(meta, change.old, labels), _shown(meta, change.new, labels))
        )
    return changes
