"""Interviews (IDI/FGI) of an LSR study and their guides, mounted under /sieci/<pk>/.

Participants' names are for the research team only (the animator and the administrator); ROPS
and KSR coordinators see interviews and respondent profiles without names; partner
representatives do not see the study at all (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.forms import add_service_errors
from ksr_portal.core.scoping import has_capability
from networks.selectors import lsr_get_for_user

from ..forms.interviews import InterviewForm, InterviewSetupForm, participant_formset_class
from ..models import Interview, InterviewGuide, InterviewKind
from ..selectors import interviews as selectors
from ..services import interviews as services


@login_required
@require_GET
def interview_list(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk, territorial=True)
    return render(
        request,
        "surveys/interviews/interview_list.html",
        {
            "network": network,
            "interviews": list(selectors.interviews_for_lsr(user=request.user, network=network)),
            "coverage": selectors.idi_coverage(network),
            "can_manage": has_capability(request.user, "run_interviews"),
        },
    )


def _chosen_guide(request, guides, kind: str) -> InterviewGuide:
    """The guide asked for in the query string, else the LSR's or the default guide of the kind."""
    guide_pk = request.GET.get("guide", "")
    if guide_pk.isdigit():
        chosen = guides.filter(pk=int(guide_pk)).first()
        if chosen:
            return chosen
    return guides.filter(kind=kind).order_by("is_default", "-pk").first() or guides.first()


def _interview_form_view(request, network, interview: Interview | None):
    services.guide_ensure_default()
    guides = selectors.guides_for_lsr(network)
    if interview is None:
        kind = request.GET.get("kind")
        kind = kind if kind in InterviewKind.values else InterviewKind.IDI
        guide = _chosen_guide(request, guides, kind)
        setup = InterviewSetupForm(
            initial={"kind": kind, "guide": guide.pk}, guides=guides, auto_id="id_setup_%s"
        )
        instance = Interview(network=network, kind=kind, guide=guide)
        existing = 0
    else:
        kind, guide, setup, instance = interview.kind, interview.guide, None, interview
        existing = len(interview.participants.all())
    high = services.kind_limits(kind)["participants"][1]
    formset_class = participant_formset_class(extra=max(high - existing, 0 if existing else 1))
    data = request.POST if request.method == "POST" else None
    form = InterviewForm(
        data,
        instance=instance,
        guide=guide,
        guides=guides,
        organisations=selectors.interview_organisations(network, instance.organisation),
    )
    formset = formset_class(
        data,
        instance=instance,
        prefix="participants",
        form_kwargs={"allow_names": instance.anonymised_at is None},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = form.save(commit=False)
        saved.notes = form.notes()
        participants = [
            f.instance
            for f in formset.forms
            if f not in formset.deleted_forms and (f.instance.pk or f.has_changed())
        ]
        try:
            outcome = services.interview_save(
                network=network, interview=saved, participants=participants
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The interview has been saved."))
            for warning in outcome.warnings:
                messages.warning(request, warning)
            return redirect("surveys:interview_detail", pk=network.pk, interview_pk=saved.pk)
    return render(
        request,
        "surveys/interviews/interview_form.html",
        {
            "network": network,
            "interview": interview,
            "form": form,
            "formset": formset,
            "setup": setup,
            "guide": guide,
            "kind": kind,
            "limits": services.kind_limits(kind),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def interview_create(request, pk):
    network = lsr_get_for_user(
        user=request.user, pk=pk, territorial=True, capability="run_interviews"
    )
    return _interview_form_view(request, network, None)


@login_required
@require_http_methods(["GET", "POST"])
def interview_edit(request, pk, interview_pk):
    network = lsr_get_for_user(
        user=request.user, pk=pk, territorial=True, capability="run_interviews"
    )
    interview = selectors.interview_get_for_user(
        user=request.user, network=network, pk=interview_pk
    )
    return _interview_form_view(request, network, interview)


@login_required
@require_GET
def interview_detail(request, pk, interview_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, territorial=True)
    interview = selectors.interview_get_for_user(
        user=request.user, network=network, pk=interview_pk
    )
    notes = interview.notes or {}
    parts = [
        {
            **part,
            "answers": [
                (question, notes.get(f"{p}.{q}", ""))
                for q, question in enumerate(part.get("questions") or [])
            ],
        }
        for p, part in enumerate(interview.guide.parts)
    ]
    return render(
        request,
        "surveys/interviews/interview_detail.html",
        {
            "network": network,
            "interview": interview,
            "participants": list(interview.participants.all()),
            "parts": parts,
            "show_names": selectors.can_see_names(request.user),
            "can_manage": has_capability(request.user, "run_interviews"),
            "limits": services.kind_limits(interview.kind),
        },
    )


@login_required
@require_POST
def interview_anonymise(request, pk):
    network = lsr_get_for_user(
        user=request.user, pk=pk, territorial=True, capability="run_interviews"
    )
    done = services.interview_anonymise(network=network)
    messages.success(
        request,
        _(
            "Participants' names have been removed from the study (%(count)s interviews "
            "anonymised now). Profiles, notes and summaries are kept."
        )
        % {"count": done},
    )
    return redirect("surveys:interview_list", pk=network.pk)


@login_required
@require_GET
def guide_list(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk, territorial=True)
    services.guide_ensure_default()
    return render(
        request,
        "surveys/interviews/guide_list.html",
        {
            "network": network,
            "guides": list(selectors.guides_for_lsr(network)),
            "can_manage": has_capability(request.user, "run_interviews"),
        },
    )


@login_required
@require_GET
def guide_detail(request, pk, guide_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, territorial=True)
    guide = selectors.guide_get(network=network, pk=guide_pk)
    return render(
        request,
        "surveys/interviews/guide_detail.html",
        {
            "network": network,
            "guide": guide,
            "can_manage": has_capability(request.user, "run_interviews"),
            "limits": services.kind_limits(guide.kind),
        },
    )


@login_required
@require_POST
def guide_make_fgi(request, pk, guide_pk):
    network = lsr_get_for_user(
        user=request.user, pk=pk, territorial=True, capability="run_interviews"
    )
    source = selectors.guide_get(network=network, pk=guide_pk)
    try:
        guide = services.guide_make_fgi(source=source, network=network)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("surveys:guide_detail", pk=network.pk, guide_pk=source.pk)
    messages.success(request, _("An FGI guide has been made from the guide."))
    return redirect("surveys:guide_detail", pk=network.pk, guide_pk=guide.pk)


urlpatterns = [
    path("wywiady/", interview_list, name="interview_list"),
    path("wywiady/nowy/", interview_create, name="interview_create"),
    path("wywiady/anonimizacja/", interview_anonymise, name="interview_anonymise"),
    path("wywiady/<int:interview_pk>/", interview_detail, name="interview_detail"),
    path("wywiady/<int:interview_pk>/edycja/", interview_edit, name="interview_edit"),
    path("wywiady/scenariusze/", guide_list, name="guide_list"),
    path("wywiady/scenariusze/<int:guide_pk>/", guide_detail, name="guide_detail"),
    path("wywiady/scenariusze/<int:guide_pk>/fgi/", guide_make_fgi, name="guide_make_fgi"),
]
