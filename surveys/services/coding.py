"""Coding of free-text answers: categories per field of a campaign and the items put in them.

A coding names an item by (response, field, item index): index ``i`` of a list answer, 0 for a
text. Only the research team codes (the views check it); these functions check the data.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Campaign, CodeCategory, Coding, Response
from ..results import items_of, text_field

CATEGORY_NAME_MAX = 255


def _check_field(campaign: Campaign, field: str) -> None:
    if not campaign.schema or text_field(campaign.schema, field) is None:
        raise ValidationError(
            _("“%(field)s” is not a free-text field of this survey.") % {"field": field}
        )


def category_add(campaign: Campaign, field: str, name: str) -> CodeCategory:
    """A new category for coding one free-text field of a campaign."""
    _check_field(campaign, field)
    name = " ".join(str(name).split())
    if not name:
        raise ValidationError({"name": _("Give the category a name.")})
    if len(name) > CATEGORY_NAME_MAX:
        raise ValidationError(
            {"name": _("At most %(limit)s characters.") % {"limit": CATEGORY_NAME_MAX}}
        )
    if CodeCategory.objects.filter(campaign=campaign, field=field, name__iexact=name).exists():
        raise ValidationError({"name": _("This field already has a category of that name.")})
    return CodeCategory.objects.create(campaign=campaign, field=field, name=name)


def _category_ids(campaign_id: int, field: str, categories: Iterable) -> set[int]:
    ids = {c.pk if isinstance(c, CodeCategory) else int(c) for c in categories}
    known = set(
        CodeCategory.objects.filter(campaign_id=campaign_id, field=field, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    if ids - known:
        raise ValidationError(_("A chosen category does not belong to this field."))
    return ids


@transaction.atomic
def coding_set(response: Response, field: str, item: int, categories: Iterable) -> None:
    """Put one item of a response in exactly these categories (objects or ids; none: uncode)."""
    campaign = response.campaign
    _check_field(campaign, field)
    if not 0 <= int(item) < len(items_of((response.data.get("answers") or {}).get(field))):
        raise ValidationError(_("This response has no such item."))
    coding_replace(campaign, field, {(response.pk, int(item)): categories})


@transaction.atomic
def coding_replace(campaign: Campaign, field: str, assignments: dict) -> int:
    """Set the categories of many items of one field at once, in a constant number of queries.

    ``assignments`` maps (response id, item index) → categories (objects or ids); items not
    named keep their codings. Items must belong to responses of ``campaign``. Returns the number
    of codings added or removed."""
    _check_field(campaign, field)
    wanted = {
        (int(rid), int(item)): _ids_only(categories)
        for (rid, item), categories in assignments.items()
    }
    if not wanted:
        return 0
    all_ids = set().union(*wanted.values())
    if all_ids:
        _category_ids(campaign.pk, field, all_ids)
    response_ids = {rid for rid, _item in wanted}
    found = set(
        Response.objects.filter(campaign=campaign, pk__in=response_ids).values_list("pk", flat=True)
    )
    if response_ids - found:
        raise ValidationError(_("A coded item does not belong to this survey."))
    existing = Coding.objects.filter(response_id__in=response_ids, field=field).values_list(
        "pk", "response_id", "item", "category_id"
    )
    have: dict[tuple[int, int], dict[int, int]] = {}
    for pk, rid, item, category_id in existing:
        have.setdefault((rid, item), {})[category_id] = pk
    to_delete = []
    to_create = []
    for key, ids in wanted.items():
        current = have.get(key, {})
        to_delete.extend(pk for category_id, pk in current.items() if category_id not in ids)
        to_create.extend(
            Coding(response_id=key[0], field=field, item=key[1], category_id=category_id)
            for category_id in ids
            if category_id not in current
        )
    if to_delete:
        Coding.objects.filter(pk__in=to_delete).delete()
    if to_create:
        Coding.objects.bulk_create(to_create, ignore_conflicts=True)
    return len(to_delete) + len(to_create)


def _ids_only(categories: Iterable) -> set[int]:
    return {c.pk if isinstance(c, CodeCategory) else int(c) for c in categories}
