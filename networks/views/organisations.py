"""Editing an organisation and its contact persons, from the network they are members of.

The gate: the network in the user's scope (404 outside), the ``manage_organisations``
capability (403), the organisation a member (now or before) of that network (404 otherwise)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ksr_portal.core.forms import add_service_errors, error_summary
from stakeholders.forms import ContactPersonForm, OrganisationForm
from stakeholders.models import Gmina
from stakeholders.selectors import Duplicates, organisation_duplicates_for_user

from .. import selectors
from ..services import organisations as services


def _gminas(network, organisation):
    code = network.teryt_code[:2]
    qs = Gmina.objects.in_voivodeship(code) if code else Gmina.objects.all()
    return qs | Gmina.objects.filter(pk=organisation.gmina_id)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk, org_pk):
    network = selectors.network_get_for_user(
        user=request.user, pk=pk, capability="manage_organisations"
    )
    organisation = selectors.member_organisation_get(network=network, pk=org_pk)
    title = organisation.name  # the form's validation writes into the instance
    form = OrganisationForm(
        request.POST or None, instance=organisation, gminas=_gminas(network, organisation)
    )
    duplicates = Duplicates()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            changed = form.save(commit=False)
            identifiers = {f: getattr(changed, f) for f in ("nip", "regon", "krs")}
            duplicates = organisation_duplicates_for_user(
                user=request.user,
                name=changed.name,
                gmina_id=changed.gmina_id,
                exclude_pk=organisation.pk,
                **identifiers,
            )
            if duplicates and not request.POST.get("confirm_duplicate"):
                messages.warning(
                    request, _("A similar organisation already exists. Check the list below.")
                )
            else:
                try:
                    services.organisation_update(
                        organisation=changed, changed=form.changed_data, user=request.user
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Organisation saved."))
                    return redirect(
                        "networks:organisation_detail", pk=network.pk, org_pk=organisation.pk
                    )
    return render(
        request,
        "networks/organisation_edit.html",
        {
            "network": network,
            "organisation": organisation,
            "title": title,
            "form": form,
            "duplicates": duplicates,
            "error_summary": error_summary(form),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk, org_pk, contact_pk):
    network = selectors.network_get_for_user(
        user=request.user, pk=pk, capability="manage_organisations"
    )
    organisation = selectors.member_organisation_get(network=network, pk=org_pk)
    contact = next((c for c in organisation.contacts.all() if c.pk == contact_pk), None)
    if contact is None:
        raise Http404
    form = ContactPersonForm(request.POST or None, instance=contact)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.contact_person_update(contact=form.save(commit=False))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Contact person saved."))
                return redirect(
                    "networks:organisation_detail", pk=network.pk, org_pk=organisation.pk
                )
    return render(
        request,
        "networks/contact_edit.html",
        {
            "network": network,
            "organisation": organisation,
            "form": form,
            "error_summary": error_summary(form),
        },
        status=status,
    )


urlpatterns = [
    path(
        "<int:pk>/organizacje/<int:org_pk>/edycja/",
        organisation_edit,
        name="organisation_edit",
    ),
    path(
        "<int:pk>/organizacje/<int:org_pk>/kontakty/<int:contact_pk>/",
        contact_edit,
        name="contact_edit",
    ),
]
