"""Potential stakeholders of an LSR (card 2's list): the animator keeps them until they join."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.forms import add_service_errors

from .. import selectors_support as reads
from ..forms_support import CandidateForm, CandidateStatusForm
from ..models import CandidateStatus
from ..selectors import lsr_get_for_user, may
from ..services import candidates as services
from ..services.candidates import TRANSITIONS
from .networks import _candidate_organisations


@login_required
@require_GET
def candidate_list(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk, territorial=True)
    candidates = list(reads.candidates_of_lsr(user=request.user, lsr=network))
    counts = dict.fromkeys(CandidateStatus.values, 0)
    for candidate in candidates:
        counts[candidate.status] += 1
    return render(
        request,
        "networks/candidates/candidate_list.html",
        {
            "network": network,
            "candidates": candidates,
            "counts": [(s.label, counts[s.value]) for s in CandidateStatus],
            "can_manage": may(request.user, "manage_networks", network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_create(request, pk):
    network = lsr_get_for_user(
        user=request.user, pk=pk, capability="manage_networks", territorial=True
    )
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_add(
                user=request.user, network=network, candidate=form.save(commit=False)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is on the list of potential stakeholders.") % {"name": candidate.name},
            )
            return redirect("networks:candidate_list", pk=network.pk)
    return render(
        request,
        "networks/candidates/candidate_form.html",
        {"network": network, "form": form, "candidate": None},
    )


def _edit_page(request, network, candidate, form, status_form):
    choices = [(s.value, s.label) for s in CandidateStatus if s in TRANSITIONS[candidate.status]]
    status_form.fields["status"].choices = choices
    return render(
        request,
        "networks/candidates/candidate_form.html",
        {
            "network": network,
            "candidate": candidate,
            "form": form,
            "status_form": status_form if choices else None,
        },
    )


def _status_form(network, user, data=None):
    return CandidateStatusForm(data, organisations=_candidate_organisations(network, user))


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk, candidate_pk):
    network = lsr_get_for_user(
        user=request.user, pk=pk, capability="manage_networks", territorial=True
    )
    candidate = reads.candidate_get_for_user(user=request.user, lsr=network, pk=candidate_pk)
    form = CandidateForm(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(user=request.user, candidate=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The candidate has been saved."))
            return redirect("networks:candidate_list", pk=network.pk)
    return _edit_page(request, network, candidate, form, _status_form(network, request.user))


@login_required
@require_POST
def candidate_status(request, pk, candidate_pk):
    network = lsr_get_for_user(
        user=request.user, pk=pk, capability="manage_networks", territorial=True
    )
    candidate = reads.candidate_get_for_user(user=request.user, lsr=network, pk=candidate_pk)
    status_form = _status_form(network, request.user, request.POST)
    if status_form.is_valid():
        try:
            services.candidate_set_status(
                user=request.user,
                candidate=candidate,
                status=status_form.cleaned_data["status"],
                organisation=status_form.cleaned_data["organisation"],
            )
        except ValidationError as exc:
            add_service_errors(status_form, exc)
        else:
            messages.success(request, _("The candidate's status has been changed."))
            return redirect("networks:candidate_list", pk=network.pk)
    return _edit_page(request, network, candidate, CandidateForm(instance=candidate), status_form)
