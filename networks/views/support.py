"""Support to LSRs: the LSR asks its RSR (animator), the ROPS coordinator works the regional
queue and records trainings and consultations for KIS teams."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.forms import add_service_errors, flash_service_errors

from .. import selectors_support as reads
from ..forms_support import (
    SupportDeclineForm,
    SupportDoneForm,
    SupportEventForm,
    SupportQueueFilterForm,
    SupportRequestForm,
)
from ..models import SupportStatus, Tier
from ..selectors import lsr_get_for_user, may, network_get_for_user
from ..services import support as services

PAGE_SIZE = 25


# --- the LSR's side ----------------------------------------------------------------------------


@login_required
@require_GET
def support_list(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "networks/support/support_list.html",
        {
            "network": network,
            "requests": list(reads.support_requests_of_lsr(user=request.user, lsr=network)),
            "can_request": may(request.user, "request_support", network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def support_create(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="request_support")
    form = SupportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            support = services.support_request_submit(
                user=request.user, lsr=network, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The request has been sent to %(rsr)s.") % {"rsr": network.parent.name},
            )
            return redirect("networks:support_detail", pk=network.pk, request_pk=support.pk)
    return render(request, "networks/support/support_form.html", {"network": network, "form": form})


@login_required
@require_GET
def support_detail(request, pk, request_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    support = reads.support_request_get_for_user(user=request.user, pk=request_pk, lsr=network)
    return render(
        request,
        "networks/support/support_detail.html",
        {
            "network": network,
            "support": support,
            "can_work": may(request.user, "give_support", support.rsr),
        },
    )


# --- the RSR's queue ---------------------------------------------------------------------------


@login_required
@require_GET
def support_queue(request, rsr_pk):
    rsr = network_get_for_user(
        user=request.user, pk=rsr_pk, tier=Tier.RSR, capability="give_support"
    )
    lsrs = reads.region_lsrs(rsr=rsr)
    filter_form = SupportQueueFilterForm(request.GET or None, lsrs=lsrs)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    queue = reads.support_queue(
        rsr=rsr,
        status=filters.get("status") or None,
        kind=filters.get("kind") or None,
        lsr_id=filters["lsr"].pk if filters.get("lsr") else None,
    )
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/support/support_queue.html",
        {
            "rsr": rsr,
            "page": page,
            "filter_form": filter_form,
            "counts": reads.queue_status_counts(rsr=rsr),
            "per_lsr": list(reads.support_per_lsr(rsr=rsr)),
        },
    )


def _work_context(rsr, support, decline_form=None, done_form=None):
    return {
        "rsr": rsr,
        "support": support,
        "decline_form": decline_form or SupportDeclineForm(),
        "done_form": done_form or SupportDoneForm(),
        "can_accept": support.status == SupportStatus.SUBMITTED,
        "can_decline": support.status in (SupportStatus.SUBMITTED, SupportStatus.ACCEPTED),
        "can_complete": support.status == SupportStatus.ACCEPTED,
    }


def _open_for_work(request, rsr_pk, request_pk):
    rsr = network_get_for_user(
        user=request.user, pk=rsr_pk, tier=Tier.RSR, capability="give_support"
    )
    support = reads.support_request_get_for_user(user=request.user, pk=request_pk, rsr=rsr)
    return rsr, support


@login_required
@require_GET
def support_work(request, rsr_pk, request_pk):
    rsr, support = _open_for_work(request, rsr_pk, request_pk)
    return render(request, "networks/support/support_work.html", _work_context(rsr, support))


@login_required
@require_POST
def support_accept(request, rsr_pk, request_pk):
    rsr, support = _open_for_work(request, rsr_pk, request_pk)
    try:
        services.support_request_accept(user=request.user, request=support)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("The request has been accepted; the LSR is told."))
    return redirect("networks:support_work", rsr_pk=rsr.pk, request_pk=support.pk)


@login_required
@require_POST
def support_decline(request, rsr_pk, request_pk):
    rsr, support = _open_for_work(request, rsr_pk, request_pk)
    form = SupportDeclineForm(request.POST)
    if form.is_valid():
        try:
            services.support_request_decline(
                user=request.user, request=support, reason=form.cleaned_data["decline_reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request has been declined; the LSR is told why."))
            return redirect("networks:support_work", rsr_pk=rsr.pk, request_pk=support.pk)
    return render(
        request,
        "networks/support/support_work.html",
        _work_context(rsr, support, decline_form=form),
    )


@login_required
@require_POST
def support_complete(request, rsr_pk, request_pk):
    rsr, support = _open_for_work(request, rsr_pk, request_pk)
    form = SupportDoneForm(request.POST)
    if form.is_valid():
        try:
            services.support_request_done(user=request.user, request=support, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The support given has been recorded; the LSR is told."))
            return redirect("networks:support_work", rsr_pk=rsr.pk, request_pk=support.pk)
    return render(
        request, "networks/support/support_work.html", _work_context(rsr, support, done_form=form)
    )


# --- trainings and consultations for KIS teams ----------------------------------------------------


@login_required
@require_GET
def event_list(request, rsr_pk):
    rsr = network_get_for_user(user=request.user, pk=rsr_pk, tier=Tier.RSR)
    return render(
        request,
        "networks/support/event_list.html",
        {
            "rsr": rsr,
            "events": list(reads.support_events_of_rsr(rsr=rsr)),
            "can_manage": may(request.user, "give_support", rsr),
        },
    )


@login_required
@require_GET
def event_detail(request, rsr_pk, event_pk):
    rsr = network_get_for_user(user=request.user, pk=rsr_pk, tier=Tier.RSR)
    event = reads.support_event_get_for_user(user=request.user, rsr=rsr, pk=event_pk)
    return render(
        request,
        "networks/support/event_detail.html",
        {"rsr": rsr, "event": event, "can_manage": may(request.user, "give_support", rsr)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request, rsr_pk):
    return event_edit(request, rsr_pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, rsr_pk, event_pk=None):
    rsr = network_get_for_user(
        user=request.user, pk=rsr_pk, tier=Tier.RSR, capability="give_support"
    )
    event = (
        reads.support_event_get_for_user(user=request.user, rsr=rsr, pk=event_pk)
        if event_pk
        else None
    )
    initial = {}
    if event is None and request.GET.get("request", "").isdigit():
        initial["requests"] = [int(request.GET["request"])]
    form = SupportEventForm(
        request.POST or None,
        instance=event,
        initial=initial,
        participants=reads.eligible_participants(rsr=rsr),
        requests=reads.support_queue(rsr=rsr).exclude(status=SupportStatus.DECLINED),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.support_event_save(
                user=request.user,
                rsr=rsr,
                event=form.save(commit=False),
                participants=form.cleaned_data["participants"],
                requests=form.cleaned_data["requests"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The training or consultation has been saved."))
            return redirect("networks:event_detail", rsr_pk=rsr.pk, event_pk=saved.pk)
    return render(
        request,
        "networks/support/event_form.html",
        {"rsr": rsr, "form": form, "event": event},
    )
