from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ksr_portal.core.forms import add_service_errors, error_summary, flash_service_errors
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
from ..models import CLOSED_ACTIVITY, Activity, ActivityStatus, CardStatus, Evidence
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
            flash_service_errors(request, exc)
        else:
            messages.success(
                request,
                _("Cards 6–10 are open for %(name)s.")
                % {"name": form.cleaned_data["organisation"]},
            )
    else:
        messages.error(request, _("Choose a type B member of the LSR."))
    return redirect("procedures:card_list", pk=network.pk)


def _action_of(activity: Activity, to: str | None) -> str:
    """Which of an activity's forms posted ``to``: the one shown again with its errors."""
    if activity.status in CLOSED_ACTIVITY:
        return "reopen"
    actions: dict[str, str] = {ActivityStatus.DONE: "done", ActivityStatus.NOT_APPLICABLE: "na"}
    return actions.get(to or "", "start")


def _activity_row(activity: Activity, custom: dict | None = None, saved: bool = False) -> dict:
    """One activity of the card page: the forms of the actions its state allows, fresh or (the
    one that failed) bound with what the user typed."""
    custom = custom or {}
    prefix = f"a{activity.pk}"
    failed = custom.get("transition")
    # an unbound form renders the same wherever it is shown: one for every action but the failed
    fresh = ActivityTransitionForm(
        initial={"version": activity.version, "done_date": timezone.localdate()}, prefix=prefix
    )
    transition_forms = dict.fromkeys(("done", "na", "start", "reopen"), fresh)
    failed_action = None
    if failed is not None:
        failed_action = _action_of(activity, failed.data.get(f"{prefix}-to"))
        transition_forms[failed_action] = failed

    plan_form = custom.get("plan") or ActivityPlanForm(
        initial={
            "version": activity.version,
            "planned_date": activity.planned_date,
            "notes": activity.notes,
        },
        prefix=f"p{activity.pk}",
    )
    evidence_form = custom.get("evidence") or EvidenceForm(prefix=f"e{activity.pk}")
    failing = failed or custom.get("plan") or custom.get("evidence")
    return {
        "activity": activity,
        "closed": activity.status in CLOSED_ACTIVITY,
        **{f"{action}_form": form for action, form in transition_forms.items()},
        "plan_form": plan_form,
        "evidence_form": evidence_form,
        "open": failed_action
        or ("plan" if "plan" in custom else "evidence" if "evidence" in custom else None),
        "errors": error_summary(failing),
        "saved": saved,
    }


def _card_context(request, network, card) -> dict:
    closed = card.completed_at is not None or card.status == CardStatus.NOT_APPLICABLE
    return {
        "network": network,
        "card": card,
        "can_work": selectors.can_work_card(request.user, card),
        "card_closed": closed,
        "all_closed": all(a.status in CLOSED_ACTIVITY for a in card.activities.all()),
    }


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
    forms_by_activity = forms_by_activity or {}
    saved = request.GET.get("saved", "")
    rows = [
        _activity_row(a, forms_by_activity.get(a.pk), saved=saved == str(a.pk))
        for a in card.activities.all()
    ]
    members = member_organisations(network)
    summary = error_summary(fields_form, reopen_form)
    summary += [e for row in rows for e in row["errors"]]
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
            **_card_context(request, network, card),
            "rows": rows,
            "fields_form": fields_form,
            "reopen_form": reopen_form or CardReopenForm(),
            "error_summary": summary,
        },
        status=status,
    )


def _activity_answer(request, network, card_pk, activity_pk, *, custom=None, status=200):
    """The answer to an activity's action: for htmx the activity alone (with the card's status
    and completion block out of band), else the card page (with the errors, or at the
    activity's anchor with its confirmation)."""
    card = selectors.card_get_for_user(user=request.user, network=network, pk=card_pk)
    activity = _activity(card, activity_pk)
    if request.htmx:
        # htmx swaps only successful answers; the errors travel in a 200 fragment
        return render(
            request,
            "procedures/partials/_activity.html",
            {
                **_card_context(request, network, card),
                "row": _activity_row(activity, custom, saved=custom is None),
                "oob": True,
            },
        )
    if custom is None:
        url = reverse("procedures:card_detail", kwargs={"pk": network.pk, "card_pk": card.pk})
        return redirect(f"{url}?saved={activity.pk}#activity-{activity.pk}")
    return _card_page(
        request, network, card, forms_by_activity={activity.pk: custom}, status=status
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
    form = ActivityTransitionForm(request.POST, request.FILES, prefix=f"a{activity.pk}")
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["to"] == ActivityStatus.DONE:
                services.activity_mark_done(
                    activity=activity,
                    expected_version=data["version"],
                    done_date=data["done_date"],
                    evidence_kind=data["evidence_kind"],
                    upload=data["evidence_file"],
                    user=request.user,
                )
            else:
                services.activity_transition(
                    activity=activity,
                    to=data["to"],
                    expected_version=data["version"],
                    reason=data["reason"],
                    user=request.user,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
            status = 409 if isinstance(exc, ConflictError) else 400
        else:
            return _activity_answer(request, network, card.pk, activity.pk)
    return _activity_answer(
        request, network, card.pk, activity.pk, custom={"transition": form}, status=status
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
            return _activity_answer(request, network, card.pk, activity.pk)
    return _activity_answer(
        request, network, card.pk, activity.pk, custom={"plan": form}, status=status
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
        return _activity_answer(request, network, card.pk, activity.pk)
    return _activity_answer(
        request, network, card.pk, activity.pk, custom={"evidence": form}, status=400
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
        flash_service_errors(request, exc)
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
