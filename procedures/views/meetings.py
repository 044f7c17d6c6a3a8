"""Meetings (posiedzenia) and monitoring of a network of any tier (card 4 in an LSR)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.forms import add_service_errors, flash_service_errors
from networks.selectors import (
    lsr_get_for_user,
    may,
    member_organisations,
    network_get_for_user,
    require,
)

from ..forms.meetings import (
    MeetingCancelForm,
    MeetingForm,
    MonitoringPresentForm,
    MonitoringReportForm,
    MonitoringTermForm,
)
from ..forms.seminars import SeminarParticipantForm
from ..models import Meeting, MeetingKind, MonitoringReport
from ..selectors import meetings as selectors
from ..selectors import seminars as selectors_seminars
from ..services import meetings as services
from ..services import seminars as services_seminars

# --- meetings ---------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request, pk):
    network = network_get_for_user(user=request.user, pk=pk)
    meetings = list(selectors.meetings_for_lsr(user=request.user, network=network))
    return render(
        request,
        "procedures/meetings/meeting_list.html",
        {
            "network": network,
            "meetings": meetings,
            "can_manage": may(request.user, "run_meetings", network),
        },
    )


def _meeting_form_view(request, network, meeting: Meeting | None):
    require(request.user, "run_meetings", network)
    initial = {}
    if meeting is None and request.GET.get("kind") == MeetingKind.SEMINAR:
        # card 1's information meeting: the seed's seminar plan as the agenda
        initial = {"kind": MeetingKind.SEMINAR, "agenda": selectors_seminars.seminar_agenda_text()}
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        initial=initial,
        attendees=selectors.eligible_attendees(network, meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.meeting_save(
                user=request.user,
                network=network,
                meeting=form.save(commit=False),
                attendees=form.cleaned_data["attendees"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect("procedures:meeting_detail", pk=network.pk, meeting_pk=saved.pk)
    return render(
        request,
        "procedures/meetings/meeting_form.html",
        {"network": network, "meeting": meeting, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    network = network_get_for_user(user=request.user, pk=pk)
    return _meeting_form_view(request, network, None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk, meeting_pk):
    network = network_get_for_user(user=request.user, pk=pk)
    meeting = selectors.meeting_get_for_user(user=request.user, network=network, pk=meeting_pk)
    return _meeting_form_view(request, network, meeting)


@login_required
@require_GET
def meeting_detail(request, pk, meeting_pk):
    network = network_get_for_user(user=request.user, pk=pk)
    meeting = selectors.meeting_get_for_user(user=request.user, network=network, pk=meeting_pk)
    return _meeting_page(request, network, meeting, MeetingCancelForm())


@login_required
@require_POST
def meeting_cancel(request, pk, meeting_pk):
    network = network_get_for_user(user=request.user, pk=pk, capability="run_meetings")
    meeting = selectors.meeting_get_for_user(user=request.user, network=network, pk=meeting_pk)
    form = MeetingCancelForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_cancel(
                user=request.user,
                network=network,
                meeting=meeting,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The meeting has been cancelled; the network's members have been told.")
            )
            return redirect("procedures:meeting_detail", pk=network.pk, meeting_pk=meeting.pk)
    return _meeting_page(request, network, meeting, form, status=400)


def _meeting_page(request, network, meeting, cancel_form, status=200, participant_form=None):
    decisions = [line.strip() for line in meeting.decisions.splitlines() if line.strip()]
    can_manage = may(request.user, "run_meetings", network)
    return render(
        request,
        "procedures/meetings/meeting_detail.html",
        {
            "network": network,
            "meeting": meeting,
            "decisions": decisions,
            "presented_terms": meeting.monitoring_presented.all(),
            "can_manage": can_manage and not meeting.is_cancelled,
            "can_cancel": can_manage
            and not meeting.is_cancelled
            and meeting.held_at > timezone.now(),
            "cancel_form": cancel_form,
            **selectors_seminars.seminar_context(request.user, meeting),
            "participant_form": participant_form
            or SeminarParticipantForm(candidates=selectors_seminars.seminar_candidates(meeting)),
        },
        status=status,
    )


# --- monitoring -------------------------------------------------------------------------------


@login_required
@require_GET
def monitoring(request, pk):
    network = network_get_for_user(user=request.user, pk=pk)
    terms = list(selectors.monitoring_terms_for_lsr(user=request.user, network=network))
    own_organisation_id = request.user.organisation_id
    for term in terms:
        term.own_report = next(
            (r for r in term.reports.all() if r.organisation_id == own_organisation_id), None
        )
    return render(
        request,
        "procedures/meetings/monitoring.html",
        {
            "network": network,
            "terms": terms,
            "member_count": member_organisations(network).count(),
            "can_manage": may(request.user, "run_meetings", network),
            "can_report": may(request.user, "supply_monitoring", network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_term_create(request, pk):
    network = network_get_for_user(user=request.user, pk=pk)
    require(request.user, "run_meetings", network)
    form = MonitoringTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_term_create(
                user=request.user,
                network=network,
                due_date=form.cleaned_data["due_date"],
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The monitoring term has been added."))
            return redirect("procedures:monitoring", pk=network.pk)
    return render(
        request, "procedures/meetings/monitoring_term_form.html", {"network": network, "form": form}
    )


def _organisation_from_query(request, network):
    """The animator enters (or edits) the information of the member named in ?organisation=."""
    value = request.GET.get("organisation", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(member_organisations(network), pk=int(value))


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_report(request, pk, term_pk):
    network = network_get_for_user(user=request.user, pk=pk)
    term = selectors.monitoring_term_get_for_user(user=request.user, network=network, pk=term_pk)
    require(request.user, "supply_monitoring", network)
    if selectors.reports_for_any_member(request.user, network):
        organisation = _organisation_from_query(request, network)
    else:
        organisation = request.user.organisation
    report = (
        MonitoringReport.objects.filter(term=term, organisation=organisation).first()
        if organisation is not None
        else None
    )
    if organisation is None:
        choices = member_organisations(network).exclude(monitoring_reports__term=term)
        form = MonitoringReportForm(request.POST or None, organisations=choices)
    else:
        initial = {"information": report.information} if report else None
        form = MonitoringReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        information = form.cleaned_data["information"]
        try:
            if report is not None:
                services.monitoring_report_update(
                    user=request.user, report=report, information=information
                )
            else:
                services.monitoring_report_submit(
                    user=request.user,
                    term=term,
                    organisation=organisation or form.cleaned_data["organisation"],
                    information=information,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The monitoring information has been saved."))
            return redirect("procedures:monitoring", pk=network.pk)
    return render(
        request,
        "procedures/meetings/monitoring_report_form.html",
        {
            "network": network,
            "term": term,
            "organisation": organisation,
            "report": report,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_present(request, pk, term_pk):
    network = network_get_for_user(user=request.user, pk=pk)
    term = selectors.monitoring_term_get_for_user(user=request.user, network=network, pk=term_pk)
    require(request.user, "run_meetings", network)
    form = MonitoringPresentForm(
        request.POST or None,
        meetings=network.meetings.order_by("-held_at"),
        initial={"meeting": term.presented_at_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_term_present(
                user=request.user, term=term, meeting=form.cleaned_data["meeting"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The presentation of the monitoring term has been saved."))
            return redirect("procedures:monitoring", pk=network.pk)
    return render(
        request,
        "procedures/meetings/monitoring_present_form.html",
        {"network": network, "term": term, "form": form},
    )


# --- the animation-information seminar: participants (card 1) ---------------------------------


@login_required
@require_POST
def seminar_participant_add(request, pk, meeting_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_meetings")
    meeting = selectors.meeting_get_for_user(user=request.user, network=network, pk=meeting_pk)
    form = SeminarParticipantForm(
        request.POST, candidates=selectors_seminars.seminar_candidates(meeting)
    )
    if form.is_valid():
        try:
            services_seminars.seminar_participant_add(
                user=request.user, meeting=meeting, participant=form.save(commit=False)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The participant has been added."))
            url = reverse("procedures:meeting_detail", args=[network.pk, meeting.pk])
            return redirect(f"{url}#participants-heading")
    return _meeting_page(request, network, meeting, MeetingCancelForm(), participant_form=form)


@login_required
@require_POST
def seminar_participant_remove(request, pk, meeting_pk, participant_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_meetings")
    meeting = selectors.meeting_get_for_user(user=request.user, network=network, pk=meeting_pk)
    participant = get_object_or_404(meeting.seminar_participants, pk=participant_pk)
    try:
        services_seminars.seminar_participant_remove(user=request.user, participant=participant)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("The participant has been removed."))
    url = reverse("procedures:meeting_detail", args=[network.pk, meeting.pk])
    return redirect(f"{url}#participants-heading")


urlpatterns = [
    path("posiedzenia/", meeting_list, name="meeting_list"),
    path("posiedzenia/nowe/", meeting_create, name="meeting_create"),
    path("posiedzenia/<int:meeting_pk>/", meeting_detail, name="meeting_detail"),
    path("posiedzenia/<int:meeting_pk>/edycja/", meeting_edit, name="meeting_edit"),
    path("posiedzenia/<int:meeting_pk>/odwolanie/", meeting_cancel, name="meeting_cancel"),
    path(
        "posiedzenia/<int:meeting_pk>/uczestnicy-seminarium/",
        seminar_participant_add,
        name="seminar_participant_add",
    ),
    path(
        "posiedzenia/<int:meeting_pk>/uczestnicy-seminarium/<int:participant_pk>/usun/",
        seminar_participant_remove,
        name="seminar_participant_remove",
    ),
    path("monitoring/", monitoring, name="monitoring"),
    path("monitoring/nowy-termin/", monitoring_term_create, name="monitoring_term_create"),
    path("monitoring/<int:term_pk>/informacja/", monitoring_report, name="monitoring_report"),
    path("monitoring/<int:term_pk>/prezentacja/", monitoring_present, name="monitoring_present"),
]
