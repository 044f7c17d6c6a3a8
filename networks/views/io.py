"""Export of a network's members (CSV/XLSX) and import of organisations from a spreadsheet."""

from __future__ import annotations

import secrets
import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from ksr_portal.core.exports import FORMATS, tabular_response
from stakeholders.import_files import MAX_FILE_SIZE, MAX_ROWS, ImportFileError
from stakeholders.imports import (
    CHOICE_FIELDS,
    COLUMNS,
    REQUIRED_COLUMNS,
    column_title,
    parse_table,
)

from .. import selectors
from ..services.io import (
    AlreadyImported,
    import_commit,
    preview_state,
    results_from_preview,
    validate_for_network,
)

SESSION_KEY = "organisation_imports"
PENDING_TTL_SECONDS = 60 * 60
MAX_PENDING = 3
ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------------------- export


def _member_headers() -> list[str]:
    return [
        _("Organisation"),
        _("Short name"),
        _("Type"),
        _("Institution kind"),
        _("Sector"),
        _("Gmina TERYT"),
        _("NIP"),
        _("REGON"),
        _("KRS"),
        _("Role"),
        _("Joined on"),
        _("Left on"),
        _("Representatives"),
    ]


def _member_rows(memberships):
    for membership in memberships:
        organisation = membership.organisation
        yield [
            organisation.name,
            organisation.short_name,
            organisation.stakeholder_type,
            organisation.get_institution_kind_display(),
            organisation.get_sector_display(),
            organisation.gmina.code,
            organisation.nip,
            organisation.regon,
            organisation.krs,
            membership.get_role_display(),
            membership.joined_on,
            membership.left_on,
            ", ".join(str(person) for person in membership.representatives.all()),
        ]


@login_required
@require_http_methods(["GET", "HEAD"])
def member_export(request, pk, fmt):
    """The member list, filtered exactly as on the member list page, as CSV or XLSX."""
    if fmt not in FORMATS:
        raise Http404
    network = selectors.network_get_for_user(user=request.user, pk=pk)
    memberships = selectors.member_filter(network=network, data=request.GET).qs
    stem = f"{_('members')}-{network.teryt_code or network.tier}-{timezone.localdate():%Y-%m-%d}"
    return tabular_response(
        filename_stem=stem,
        fmt=fmt,
        headers=_member_headers(),
        rows=_member_rows(memberships),
    )


# ---------------------------------------------------------------------------------------- import


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet with organisations (CSV or XLSX)"),
        help_text=gettext_lazy(
            "Accepted: .csv (UTF-8 or Windows-1250, separated by ; or ,) and .xlsx, up to 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "form-control"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.cleaned_data["rows"] = parse_table(uploaded)
        except ImportFileError as exc:
            raise ValidationError(exc.message, code="import_file") from exc
        return uploaded


def _pending(request) -> dict:
    now = time.time()
    pending = {
        token: entry
        for token, entry in request.session.get(SESSION_KEY, {}).items()
        if now - entry.get("created", 0) < PENDING_TTL_SECONDS
    }
    return pending


def _store_pending(request, network, rows: list[dict], checked: list[dict]) -> str:
    pending = _pending(request)
    while len(pending) >= MAX_PENDING:
        oldest = min(pending, key=lambda t: pending[t]["created"])
        del pending[oldest]
    token = secrets.token_urlsafe(24)
    pending[token] = {
        "network": network.pk,
        "created": time.time(),
        "rows": rows,
        "checked": checked,  # the validated rows: the confirmation writes them without re-asking
    }
    request.session[SESSION_KEY] = pending
    return token


def _pop_pending(request, token: str, network) -> dict | None:
    pending = _pending(request)
    entry = pending.get(token) if token else None
    if entry is None or entry.get("network") != network.pk:
        request.session[SESSION_KEY] = pending
        return None
    del pending[token]
    request.session[SESSION_KEY] = pending
    return entry


def _column_help() -> list[dict]:
    """The expected columns for the upload page: header, required, accepted values."""
    result = []
    for name, spellings in COLUMNS.items():
        choices = CHOICE_FIELDS.get(name)
        result.append(
            {
                "title": column_title(name),
                "field": name,
                "required": name in REQUIRED_COLUMNS,
                "choices": [(value, label) for value, label in choices.choices] if choices else [],
                "aliases": list(spellings[1:]),
            }
        )
    return result


def _upload_page(request, network, form, status=200):
    return render(
        request,
        "networks/import_upload.html",
        {
            "network": network,
            "form": form,
            "columns": _column_help(),
            "sample_url": static("samples/organisations_sample.csv"),
            "max_size_mb": MAX_FILE_SIZE // (1024 * 1024),
            "max_rows": MAX_ROWS,
            "accept": ACCEPT,
        },
        status=status,
    )


def _confirm(request, network):
    entry = _pop_pending(request, request.POST.get("token", ""), network)
    if entry is None:
        messages.error(
            request,
            _("This import preview has expired or has already been used. Upload the file again."),
        )
        return redirect("networks:organisation_import", pk=network.pk)
    if "checked" in entry:
        results = results_from_preview(entry["checked"])
    else:
        results = validate_for_network(network=network, rows=entry["rows"], user=request.user)
    try:
        report = import_commit(
            network=network,
            row_results=results,
            user=request.user,
            include_duplicates=request.POST.get("include_duplicates") == "1",
            token=request.POST.get("token", ""),
        )
    except AlreadyImported:
        messages.warning(
            request, _("This import has already been confirmed; nothing was imported again.")
        )
        return redirect("networks:member_list", pk=network.pk)
    text = _("%(imported)s, %(skipped)s.") % {
        "imported": ngettext(
            "%(count)d organisation imported",
            "%(count)d organisations imported",
            report.imported_count,
        )
        % {"count": report.imported_count},
        "skipped": ngettext(
            "%(count)d row skipped with errors",
            "%(count)d rows skipped with errors",
            report.skipped_count,
        )
        % {"count": report.skipped_count},
    }
    if report.duplicates_skipped:
        count = len(report.duplicates_skipped)
        text += " " + ngettext(
            "%(count)d row skipped as a possible duplicate.",
            "%(count)d rows skipped as possible duplicates.",
            count,
        ) % {"count": count}
    level = messages.SUCCESS if report.imported_count and not report.failed else messages.WARNING
    messages.add_message(request, level, text)
    return redirect("networks:member_list", pk=network.pk)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_import(request, pk):
    """Upload a spreadsheet, preview every row (nothing saved), confirm to import valid rows."""
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, network)
    if request.method == "GET":
        return _upload_page(request, network, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, network, form)
    rows = form.cleaned_data["rows"]
    results = validate_for_network(network=network, rows=rows, user=request.user)
    token = _store_pending(request, network, rows, preview_state(results))
    valid = [r for r in results if r.is_valid]
    return render(
        request,
        "networks/import_preview.html",
        {
            "network": network,
            "results": results,
            "token": token,
            "file_name": form.cleaned_data["file"].name,
            "valid_count": len(valid),
            "invalid_count": len(results) - len(valid),
            "duplicate_count": sum(1 for r in valid if r.is_duplicate),
            "new_count": sum(1 for r in valid if not r.is_duplicate),
        },
    )
