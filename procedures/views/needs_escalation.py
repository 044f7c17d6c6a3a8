"""Needs an LSR could not meet, escalated to its RSR and on to the KSR (issue 12 §5): the tier's
queue, one escalated need with the offers made there, and the offer form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.forms import add_service_errors, flash_service_errors
from networks.models import Tier
from stakeholders.models import Organisation

from ..forms.needs import NeedOfferForm
from ..selectors import needs as selectors_needs
from ..services import needs as services_needs


def _offer_choices(user, network, need, *, for_others):
    """Whom the user may offer for: any organisation of the tier (a coordinator), or its own
    organisation when that is one of them (a representative)."""
    candidates = services_needs.offer_candidates(need, network)
    if for_others:
        return candidates
    if user.has_capability("offer_resources") and user.organisation_id:
        return candidates.filter(pk=user.organisation_id)
    return Organisation.objects.none()


@login_required
@require_GET
def escalated_needs(request, pk):
    network = selectors_needs.escalation_network_get_for_user(user=request.user, pk=pk)
    needs = list(selectors_needs.escalated_needs(network=network))
    return render(
        request,
        "procedures/needs/escalated_needs.html",
        {"network": network, "needs": needs},
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalated_need(request, pk, need_pk):
    network = selectors_needs.escalation_network_get_for_user(user=request.user, pk=pk)
    need = selectors_needs.escalated_need_get(network=network, pk=need_pk)
    for_others = services_needs.may_offer_for_others(request.user, network)
    choices = _offer_choices(request.user, network, need, for_others=for_others)
    open_for_offers = need.closed_at is None and need.status != services_needs.NeedStatus.MET
    form = NeedOfferForm(
        request.POST or None,
        candidates=choices,
        initial={"organisation": request.user.organisation_id} if not for_others else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_needs.need_offer(
                need=need,
                network=network,
                organisation=form.cleaned_data["organisation"],
                text=form.cleaned_data["text"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The offer has been sent to %(lsr)s; its animator decides whether to accept it.")
                % {"lsr": need.network.name},
            )
            return redirect("procedures:escalated_need", pk=network.pk, need_pk=need.pk)
    offers = [r for r in need.responses.all() if r.tier != Tier.LSR]
    if not for_others:  # a representative sees its own organisation's offer only
        offers = [r for r in offers if r.organisation_id == request.user.organisation_id]
    return render(
        request,
        "procedures/needs/escalated_need.html",
        {
            "network": network,
            "need": need,
            "form": form,
            "offers": offers,
            "for_others": for_others,
            "can_offer": open_for_offers and choices.exists(),
            "can_escalate": network.tier == Tier.RSR
            and for_others  # may_offer_for_others requires the escalate_needs capability
            and need.escalated_to_ksr_at is None
            and need.closed_at is None,
            "escalation_refusal": services_needs.escalation_refusal(need, to=Tier.KSR),
            "declines": sum(1 for r in need.responses.all() if r.kind == "decline"),
        },
    )


@login_required
@require_POST
def escalated_need_to_ksr(request, pk, need_pk):
    network = selectors_needs.escalation_network_get_for_user(
        user=request.user, pk=pk, capability="escalate_needs"
    )
    need = selectors_needs.escalated_need_get(network=network, pk=need_pk)
    try:
        services_needs.need_escalate_to_ksr(need=need, user=request.user)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(
            request,
            _("The need has been escalated to the KSR: national organisations can now offer."),
        )
    return redirect("procedures:escalated_need", pk=network.pk, need_pk=need.pk)


urlpatterns = [
    path("potrzeby-eskalowane/", escalated_needs, name="escalated_needs"),
    path("potrzeby-eskalowane/<int:need_pk>/", escalated_need, name="escalated_need"),
    path(
        "potrzeby-eskalowane/<int:need_pk>/do-ksr/",
        escalated_need_to_ksr,
        name="escalated_need_to_ksr",
    ),
]
