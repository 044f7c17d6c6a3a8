"""Needs of the KIS/OPS (cards 9, 10) and the partners' answers (card 13)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.forms import add_service_errors, flash_service_errors
from ksr_portal.core.scoping import has_capability
from networks.models import MemberRole, Membership, Tier
from networks.selectors import lsr_get_for_user, member_organisations
from stakeholders.models import StakeholderType

from ..forms.needs import (
    NeedAcceptForm,
    NeedCloseForm,
    NeedForm,
    NeedReaddressForm,
    NeedResponseForm,
    NeedStatusFilterForm,
)
from ..models import ResponseKind
from ..selectors import needs as selectors_needs
from ..services import needs as services_needs


def _posters(network):
    """Who may post: the main node (KIS) or a type B member (OPS)."""
    main_node = Membership.objects.filter(network=network, role=MemberRole.MAIN_NODE).active()
    return member_organisations(network).filter(
        Q(pk__in=main_node.values("organisation_id")) | Q(stakeholder_type=StakeholderType.B)
    )


def _can_answer(user, need) -> bool:
    return bool(
        user.has_capability("work_own_tasks")
        and user.organisation_id
        and any(org.pk == user.organisation_id for org in need.addressees.all())
    )


@login_required
@require_GET
def need_list(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    needs = selectors_needs.needs_for_lsr(user=request.user, network=network)
    filter_form = NeedStatusFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else None
    return render(
        request,
        "procedures/needs/need_list.html",
        {
            "network": network,
            "needs": list(selectors_needs.filter_status(needs, status)),
            "counts": selectors_needs.status_counts(needs),
            "filter_form": filter_form,
            "status": status,
            "can_manage": has_capability(request.user, "post_needs"),
            "sees_all": selectors_needs.sees_all_needs(request.user, network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="post_needs")
    posters = _posters(network)
    members = member_organisations(network)
    main_node_id = (
        Membership.objects.filter(network=network, role=MemberRole.MAIN_NODE)
        .active()
        .values_list("organisation_id", flat=True)
        .first()
    )
    form = NeedForm(
        request.POST or None,
        posters=posters,
        members=members,
        initial={"posted_by": main_node_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            need = services_needs.need_post(
                network=network,
                posted_by=form.cleaned_data["posted_by"],
                need=form.save(commit=False),
                addressees=form.cleaned_data["addressees"],
                addressed_to_all=form.cleaned_data["addressed_to_all"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The need has been posted to %(count)s partner(s).")
                % {"count": need.addressees.count()},
            )
            return redirect("procedures:need_detail", pk=network.pk, need_pk=need.pk)
    return render(
        request,
        "procedures/needs/need_form.html",
        {"network": network, "form": form, "has_posters": posters.exists()},
    )


def _readdress_candidates(network, need):
    """Active members the need has not been addressed to yet (the poster excluded)."""
    return (
        member_organisations(network)
        .exclude(pk=need.posted_by_id)
        .exclude(pk__in=[org.pk for org in need.addressees.all()])
    )


@login_required
@require_GET
def need_detail(request, pk, need_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    need = selectors_needs.need_get_for_user(user=request.user, network=network, pk=need_pk)
    sees_all = selectors_needs.sees_all_needs(request.user, network)
    own_answer = selectors_needs.answer_of(need, request.user.organisation_id)
    answers = {r.organisation_id: r for r in need.responses.all()}
    addressees = [(org, answers.get(org.pk)) for org in need.addressees.all()]
    addressee_ids = {org.pk for org in need.addressees.all()}
    tier_offers = [r for r in need.responses.all() if r.organisation_id not in addressee_ids]
    can_manage = has_capability(request.user, "post_needs")
    is_open = need.closed_at is None and need.status != services_needs.NeedStatus.MET
    refusal = services_needs.escalation_refusal(need, to=Tier.RSR) if can_manage else None
    return render(
        request,
        "procedures/needs/need_detail.html",
        {
            "network": network,
            "need": need,
            "sees_all": sees_all,
            "addressees": addressees,
            "tier_offers": tier_offers,
            "own_answer": own_answer,
            "can_answer": _can_answer(request.user, need) and own_answer is None and is_open,
            "can_close": can_manage and need.closed_at is None,
            "can_accept": can_manage and is_open,
            "can_readdress": can_manage
            and is_open
            and _readdress_candidates(network, need).exists(),
            "can_escalate": can_manage and need.escalated_at is None and need.closed_at is None,
            "escalation_refusal": refusal,
            "events": need.events.all(),
            "escalation_network": network.parent if need.escalated_at else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_respond(request, pk, need_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    need = selectors_needs.need_get_for_user(user=request.user, network=network, pk=need_pk)
    if not _can_answer(request.user, need):
        raise PermissionDenied
    own_answer = selectors_needs.answer_of(need, request.user.organisation_id)
    form = NeedResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services_needs.need_respond(
                need=need,
                organisation=request.user.organisation,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you: your offer has been sent to the animator.")
                if response.kind == ResponseKind.OFFER
                else _("Thank you: the animator now knows you cannot fulfil this need."),
            )
            return redirect("procedures:need_detail", pk=network.pk, need_pk=need.pk)
    return render(
        request,
        "procedures/needs/need_respond.html",
        {"network": network, "need": need, "form": form, "own_answer": own_answer},
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_close(request, pk, need_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="post_needs")
    need = selectors_needs.need_get_for_user(user=request.user, network=network, pk=need_pk)
    form = NeedCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_needs.need_close(
                need=need,
                outcome=form.cleaned_data["outcome"],
                outcome_text=form.cleaned_data["outcome_text"],
                user=request.user,
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "closed":
                flash_service_errors(request, exc)
                return redirect("procedures:need_detail", pk=network.pk, need_pk=need.pk)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The need has been closed with its outcome."))
            return redirect("procedures:need_detail", pk=network.pk, need_pk=need.pk)
    return render(
        request,
        "procedures/needs/need_close.html",
        {"network": network, "need": need, "form": form},
    )


@login_required
@require_POST
def need_accept(request, pk, need_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="post_needs")
    need = selectors_needs.need_get_for_user(user=request.user, network=network, pk=need_pk)
    form = NeedAcceptForm(request.POST)
    response = None
    if form.is_valid():
        response = next(
            (r for r in need.responses.all() if r.pk == form.cleaned_data["response"]), None
        )
    if response is None:
        messages.error(request, _("Choose one of the offers made for this need."))
        return redirect("procedures:need_detail", pk=network.pk, need_pk=need.pk)
    try:
        services_needs.need_accept_offer(need=need, response=response, user=request.user)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(
            request,
            _("The offer of %(name)s has been accepted; the organisation has been told.")
            % {"name": response.organisation.name},
        )
    return redirect("procedures:need_detail", pk=network.pk, need_pk=need.pk)


@login_required
@require_http_methods(["GET", "POST"])
def need_readdress(request, pk, need_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="post_needs")
    need = selectors_needs.need_get_for_user(user=request.user, network=network, pk=need_pk)
    form = NeedReaddressForm(request.POST or None, candidates=_readdress_candidates(network, need))
    if request.method == "POST" and form.is_valid():
        try:
            new_ids = services_needs.need_readdress(
                need=need, addressees=form.cleaned_data["addressees"], user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The need has been addressed to %(count)s more partner(s).")
                % {"count": len(new_ids)},
            )
            return redirect("procedures:need_detail", pk=network.pk, need_pk=need.pk)
    return render(
        request,
        "procedures/needs/need_readdress.html",
        {"network": network, "need": need, "form": form},
    )


@login_required
@require_POST
def need_escalate(request, pk, need_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="post_needs")
    need = selectors_needs.need_get_for_user(user=request.user, network=network, pk=need_pk)
    try:
        services_needs.need_escalate(need=need, user=request.user)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(
            request,
            _("The need has been escalated to %(network)s: its members can now offer.")
            % {"network": network.parent.name},
        )
    return redirect("procedures:need_detail", pk=network.pk, need_pk=need.pk)


urlpatterns = [
    path("potrzeby/", need_list, name="need_list"),
    path("potrzeby/nowa/", need_create, name="need_create"),
    path("potrzeby/<int:need_pk>/", need_detail, name="need_detail"),
    path("potrzeby/<int:need_pk>/odpowiedz/", need_respond, name="need_respond"),
    path("potrzeby/<int:need_pk>/zamknij/", need_close, name="need_close"),
    path("potrzeby/<int:need_pk>/akceptuj/", need_accept, name="need_accept"),
    path("potrzeby/<int:need_pk>/adresaci/", need_readdress, name="need_readdress"),
    path("potrzeby/<int:need_pk>/eskaluj/", need_escalate, name="need_escalate"),
]
