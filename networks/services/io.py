"""Import of organisations into an LSR: validation against the network, then the commit.

Reading and validating rows is the stakeholders app's job (``stakeholders.imports``); this module
adds what only a network knows (an organisation from another gmina must be supra-local) and
saves: organisation + membership, row by row, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from stakeholders.imports import RowResult, build_organisation, validate_rows
from stakeholders.models import Gmina, OperatingScope, Organisation, User
from stakeholders.services import organisation_save

from ..models import Network, Tier
from ..selectors import require
from ..services.networks import membership_add


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


@transaction.atomic
def import_commit(
    *, network: Network, row_results: list[RowResult], user: User, include_duplicates: bool = False
) -> ImportReport:
    """Create the organisations of the valid rows and add them as members of the network.

    Rows with errors are skipped; rows that look like duplicates are skipped unless
    ``include_duplicates``. A row that the database refuses (e.g. the membership rules) is rolled
    back alone and reported with the others that failed.
    """
    _check_rights(user, network)
    report = ImportReport()
    for result in row_results:
        if not result.is_valid:
            report.failed.append(result)
            continue
        if result.is_duplicate and not include_duplicates:
            report.duplicates_skipped.append(result)
            continue
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
    return report
