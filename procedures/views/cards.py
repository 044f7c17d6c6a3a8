from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ksr_portal.core.forms import add_service_errors
from ksr_portal.core.scoping import has_capability
from networks.selectors import lsr_get_for_user, member_organisations
from stakeholders.models import ContactPerson, StakeholderType

from ..forms.cards import (
    ActivityPlanForm,
    ActivityTransitionForm,
    CardFieldsForm,
    CardReopenForm,
    EvidenceForm,
    TypeBAssignForm,
)
from ..models import Activity, ActivityStatus, Evidence
from ..selectors import cards as selectors
from ..services import cards as services
from ..services.cards import ConflictError


@login_required
@require_GET
def card_list(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    cards = list(selectors.cards_for_lsr(user=request.user, network=network))
    groups = [
        (_("Cards 1–5: the main node (animator / KIS)"), [c for c in cards if c.number <= 5]),
        (
            _("Cards 6–10: type B institutions (OPS / NGO)"),
            [c for c in cards if 6 <= c.number <= 10],
        ),
        (_("Cards 11–13: each type C partner"), [c for c in cards if c.number >= 11]),
    ]
    can_manage = has_capability(request.user, "manage_networks")
    type_b = member_organisations(network).filter(stakeholder_type=StakeholderType.B)
    return render(
        request,
        "procedures/card_list.html",
        {
            "network": network,
            "groups": groups,
            "progress": selectors.lsr_progress(network),
            "can_manage": can_manage,
            "assign_form": TypeBAssignForm(organisations=type_b) if can_manage else None,
        },
    )


@login_required
@require_POST
def cards_assign_type_b(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    form = TypeBAssignForm(request.POST, organisations=member_organisations(network))
    if form.is_valid():
        try:
            services.cards_assign_type_b(
                network=network, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Cards 6–10 are open for %(name)s.")
                % {"name": form.cleaned_data["organisation"]},
            )
    else:
        messages.error(request, _("Choose a type B member of the LSR."))
    return redirect("procedures:card_list", pk=network.pk)


def _card_page(
    request,
    network,
    card,
    *,
    forms_by_activity=None,
    fields_form=None,
    reopen_form=None,
    status=200,
):
    can_work = selectors.can_work_card(request.user, card)
    forms_by_activity = forms_by_activity or {}
    rows = []
    for activity in card.activities.all():
        custom = forms_by_activity.get(activity.pk, {})
        rows.append(
            {
                "activity": activity,
                "next": [ActivityStatus(s) for s in services.TRANSITIONS[activity.status]],
                "transition_form": custom.get("transition")
                or ActivityTransitionForm(
                    initial={"version": activity.version}, prefix=f"a{activity.pk}"
                ),
                "plan_form": custom.get("plan")
                or ActivityPlanForm(
                    initial={
                        "version": activity.version,
                        "planned_date": activity.planned_date,
                        "notes": activity.notes,
                    },
                    prefix=f"p{activity.pk}",
                ),
                "evidence_form": custom.get("evidence") or EvidenceForm(prefix=f"e{activity.pk}"),
            }
        )
    members = member_organisations(network)
    fields_form = fields_form or CardFieldsForm(
        initial={
            "responsible": card.responsible_id,
            "cooperating": [o.pk for o in card.cooperating.all()],
            "informed": [o.pk for o in card.informed.all()],
        },
        contacts=ContactPerson.objects.filter(organisation__in=members).select_related(
            "organisation"
        ),
        organisations=members,
    )
    return render(
        request,
        "procedures/card_detail.html",
        {
            "network": network,
            "card": card,
            "rows": rows,
            "can_work": can_work,
            "fields_form": fields_form,
            "reopen_form": reopen_form or CardReopenForm(),
            "all_closed": all(
                a.status in ("done", "not_applicable") for a in card.activities.all()
            ),
        },
        status=status,
    )


@login_required
@require_GET
def card_detail(request, pk, card_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    card = selectors.card_get_for_user(user=request.user, network=network, pk=card_pk)
    return _card_page(request, network, card)


@login_required
@require_POST
def card_fields(request, pk, card_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    card = selectors.card_get_for_work(user=request.user, network=network, pk=card_pk)
    form = CardFieldsForm(request.POST)
    if form.is_valid():
        try:
            services.card_update_fields(card=card, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Card saved."))
            return redirect("procedures:card_detail", pk=network.pk, card_pk=card.pk)
    card = selectors.card_get_for_user(user=request.user, network=network, pk=card_pk)
    return _card_page(request, network, card, fields_form=form, status=400)


def _back_to(network, card, activity):
    url = reverse("procedures:card_detail", kwargs={"pk": network.pk, "card_pk": card.pk})
    return redirect(f"{url}#activity-{activity.pk}")


def _activity(card, activity_pk) -> Activity:
    for activity in card.activities.all():
        if activity.pk == activity_pk:
            return activity
    raise Http404


@login_required
@require_POST
def activity_transition(request, pk, card_pk, activity_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    card = selectors.card_get_for_work(user=request.user, network=network, pk=card_pk)
    activity = _activity(card, activity_pk)
    form = ActivityTransitionForm(request.POST, prefix=f"a{activity.pk}")
    status = 400
    if form.is_valid():
        try:
            services.activity_transition(
                activity=activity,
                to=form.cleaned_data["to"],
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                done_date=form.cleaned_data["done_date"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            status = 409 if isinstance(exc, ConflictError) else 400
        else:
            messages.success(
                request, _("Activity %(n)s: status changed.") % {"n": activity.position}
            )
            return _back_to(network, card, activity)
    card = selectors.card_get_for_user(user=request.user, network=network, pk=card_pk)
    return _card_page(
        request, network, card, forms_by_activity={activity.pk: {"transition": form}}, status=status
    )


@login_required
@require_POST
def activity_update(request, pk, card_pk, activity_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    card = selectors.card_get_for_work(user=request.user, network=network, pk=card_pk)
    activity = _activity(card, activity_pk)
    form = ActivityPlanForm(request.POST, prefix=f"p{activity.pk}")
    status = 400
    if form.is_valid():
        try:
            services.activity_update(
                activity=activity,
                expected_version=form.cleaned_data["version"],
                planned_date=form.cleaned_data["planned_date"],
                notes=form.cleaned_data["notes"],
            )
        except ConflictError as exc:
            add_service_errors(form, exc)
            status = 409
        else:
            messages.success(request, _("Activity %(n)s: plan saved.") % {"n": activity.position})
            return _back_to(network, card, activity)
    card = selectors.card_get_for_user(user=request.user, network=network, pk=card_pk)
    return _card_page(
        request, network, card, forms_by_activity={activity.pk: {"plan": form}}, status=status
    )


@login_required
@require_POST
def evidence_upload(request, pk, card_pk, activity_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    card = selectors.card_get_for_work(user=request.user, network=network, pk=card_pk)
    activity = _activity(card, activity_pk)
    form = EvidenceForm(request.POST, request.FILES, prefix=f"e{activity.pk}")
    if form.is_valid():
        services.evidence_add(
            activity=activity,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            user=request.user,
        )
        messages.success(request, _("Attachment added."))
        return _back_to(network, card, activity)
    card = selectors.card_get_for_user(user=request.user, network=network, pk=card_pk)
    return _card_page(
        request, network, card, forms_by_activity={activity.pk: {"evidence": form}}, status=400
    )


@login_required
@require_GET
def evidence_download(request, pk, evidence_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    evidence = get_object_or_404(Evidence.objects.select_related("activity__card"), pk=evidence_pk)
    card = selectors.card_get_for_user(
        user=request.user, network=network, pk=evidence.activity.card_id
    )
    if evidence.activity.card_id != card.pk:
        raise Http404
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


@login_required
@require_POST
def card_complete(request, pk, card_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    card = selectors.card_get_for_work(user=request.user, network=network, pk=card_pk)
    try:
        services.card_complete(card=card)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Card %(n)s completed.") % {"n": card.number})
    return redirect("procedures:card_detail", pk=network.pk, card_pk=card.pk)


@login_required
@require_POST
def card_reopen(request, pk, card_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    card = selectors.card_get_for_work(user=request.user, network=network, pk=card_pk)
    form = CardReopenForm(request.POST)
    if form.is_valid():
        try:
            services.card_reopen(card=card, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Card %(n)s reopened.") % {"n": card.number})
            return redirect("procedures:card_detail", pk=network.pk, card_pk=card.pk)
    card = selectors.card_get_for_user(user=request.user, network=network, pk=card_pk)
    return _card_page(request, network, card, reopen_form=form, status=400)
