"""Import of organisations into an LSR: validation against the network, then the commit.

Reading and validating rows is the stakeholders app's job (``stakeholders.imports``); this module
adds what only a network knows (an organisation from another gmina must be supra-local) and
saves: organisations and memberships with bulk writes in one transaction (row by row only when
the database refuses the batch, to tell which row), at most once per preview.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from stakeholders.imports import ROW_KEY, RowResult, build_organisation, validate_rows
from stakeholders.models import Gmina, OperatingScope, Organisation, User
from stakeholders.services import organisation_save

from ..events import NETWORK_CHANGED, figures_changed, publish
from ..models import ImportReceipt, MemberRole, Membership, Network, Tier
from ..selectors import require
from ..services.networks import membership_add


class AlreadyImported(Exception):
    """This preview was confirmed before: nothing is imported again."""


@dataclass
class ImportReport:
    imported: list[Organisation] = field(default_factory=list)  # the created organisations
    failed: list[RowResult] = field(default_factory=list)  # rows with errors
    duplicates_skipped: list[RowResult] = field(default_factory=list)

    @property
    def imported_count(self) -> int:
        return len(self.imported)

    @property
    def skipped_count(self) -> int:
        return len(self.failed)


def import_gminas() -> QuerySet[Gmina]:
    """Gminas an imported organisation may name: any (supra-local members come from afar)."""
    return Gmina.objects.all()


def validate_for_network(
    *, network: Network, rows: list[dict[str, Any]], user: User | None = None
) -> list[RowResult]:
    """``validate_rows`` plus the LSR rule of ``membership_add`` (checked before saving, so the
    preview shows it); duplicates outside the scope of ``user`` are not named."""
    results = validate_rows(rows, gminas_qs=import_gminas(), default_gmina=network.gmina, user=user)
    if network.tier == Tier.LSR:
        for result in results:
            if (
                result.is_valid
                and result.cleaned is not None
                and result.cleaned["gmina"] != network.gmina_id
                and result.cleaned["operating_scope"] == OperatingScope.LOCAL
            ):
                result.add_error(
                    "operating_scope",
                    _(
                        "The organisation is from another gmina. Only organisations marked as "
                        "supra-local (county, regional or national scope) can join this LSR."
                    ),
                )
    return results


def _check_rights(user: User, network: Network) -> None:
    require(user, "manage_networks", network)


def preview_state(results: list[RowResult]) -> list[dict]:
    """What the confirmation needs of a validated preview, as plain data for the session: each
    row's number, its cleaned values when valid, and whether it looked like a duplicate."""
    return [
        {
            "row": r.row,
            "cleaned": r.cleaned if r.is_valid else None,
            "duplicates": list(r.duplicates),
            "values": r.values,
        }
        for r in results
    ]


def results_from_preview(state: list[dict]) -> list[RowResult]:
    """The rows as validated at the preview (no query per row): the confirmation writes them in
    bulk and the database constraints catch what changed in between."""
    results = []
    for item in state:
        result = RowResult(row=item["row"], values=item.get("values") or {})
        result.duplicates = list(item.get("duplicates") or [])
        if item.get("cleaned") is None:
            result.errors["__all__"] = [_("The row has errors (see the preview).")]
        else:
            result.cleaned = dict(item["cleaned"])
        results.append(result)
    return results


def _organisation_of(result: RowResult) -> Organisation:
    if result.form is not None:
        return build_organisation(result)
    cleaned = dict(result.cleaned or {})
    cleaned["gmina_id"] = cleaned.pop("gmina")
    return Organisation(**cleaned)


def _key_hash(token: str) -> str:
    return hashlib.sha256(f"import:{token}".encode()).hexdigest()


def _commit_row_by_row(
    network: Network, results: list[RowResult], user: User, report: ImportReport
) -> None:
    """The slow path, used only when the database refuses the batch: each row alone, so the
    refused one is reported and the others still go in."""
    for result in results:
        try:
            with transaction.atomic():
                organisation = build_organisation(result)
                organisation._history_user = user
                organisation_save(organisation=organisation)
                membership_add(network=network, organisation=organisation)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            for name, messages in errors.items():
                for message in messages:
                    result.add_error(name, message)
            report.failed.append(result)
            continue
        report.imported.append(organisation)


def _commit_in_bulk(network: Network, results: list[RowResult], user: User) -> list[Organisation]:
    """Organisations and their memberships in a few bulk INSERTs (with their audit records). The
    rows were validated against the models and the LSR's rules just before (the preview's
    forms); the database constraints still guard against a concurrent change."""
    organisations = bulk_create_with_history(
        [_organisation_of(result) for result in results],
        Organisation,
        batch_size=500,
        default_user=user,
    )
    today = timezone.localdate()
    bulk_create_with_history(
        [
            Membership(network=network, organisation=org, role=MemberRole.MEMBER, joined_on=today)
            for org in organisations
        ],
        Membership,
        batch_size=500,
        default_user=user,
    )
    return organisations


@transaction.atomic
def import_commit(
    *,
    network: Network,
    row_results: list[RowResult],
    user: User,
    include_duplicates: bool = False,
    token: str | None = None,
) -> ImportReport:
    """Create the organisations of the valid rows and add them as members of the network.

    Rows with errors are skipped; rows that look like duplicates are skipped unless
    ``include_duplicates``. With a ``token`` (the preview's), the import happens at most once:
    a second confirmation raises AlreadyImported and writes nothing. If the database refuses
    the batch (e.g. a membership rule changed meanwhile), the rows go in one by one and the
    refused ones are reported with the others that failed.
    """
    _check_rights(user, network)
    receipt = None
    if token is not None:
        try:
            with transaction.atomic():
                receipt = ImportReceipt.objects.create(network=network, key_hash=_key_hash(token))
        except IntegrityError as exc:
            raise AlreadyImported from exc
    report = ImportReport()
    to_import = []
    for result in row_results:
        if not result.is_valid:
            report.failed.append(result)
        elif result.is_duplicate and not include_duplicates:
            report.duplicates_skipped.append(result)
        else:
            to_import.append(result)
    if to_import:
        try:
            with transaction.atomic():
                report.imported = _commit_in_bulk(network, to_import, user)
        except (IntegrityError, ValidationError):
            if any(result.form is None for result in to_import):
                # rows from the preview's state: validate them again, with the full messages
                to_import = validate_for_network(
                    network=network, rows=[{**r.values, ROW_KEY: r.row} for r in to_import]
                )
                report.failed.extend(r for r in to_import if not r.is_valid)
                to_import = [r for r in to_import if r.is_valid]
            _commit_row_by_row(network, to_import, user, report)
        else:
            publish(NETWORK_CHANGED, network=network)  # the new members' cards, at once
            figures_changed(network.pk)
    if receipt is not None:
        receipt.imported = report.imported_count
        receipt.save(update_fields=["imported"])
    return report
