import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ksr_portal.core.decorators import post_or_redirect
from ksr_portal.core.forms import add_service_errors
from ksr_portal.core.scoping import has_capability, require_capability
from networks.selectors import lsr_get_for_user
from procedures import calendar as meeting_calendar
from procedures.selectors.meetings import meeting_get_for_user
from stakeholders.imports import ImportFileError

from . import bulk, calendar, invitations, selectors, services
from .forms import AcceptForm, BulkUploadForm, EmailChangeForm, InvitationForm, ProfileForm
from .models import InvitationStatus
from .tokens import decode_pk

BULK_SESSION_KEY = "accounts.bulk_invitations"
STATUSES = [
    InvitationStatus.PENDING,
    InvitationStatus.ACCEPTED,
    InvitationStatus.EXPIRED,
    InvitationStatus.REVOKED,
]


# --- invitations ------------------------------------------------------------------------------


@login_required
def invitation_list(request):
    require_capability(request.user, "invite_users")
    status = request.GET.get("status", InvitationStatus.PENDING)
    if status not in STATUSES:
        status = InvitationStatus.PENDING
    context = {
        "invitations": selectors.invitations_for_user(user=request.user, status=status),
        "counts": selectors.invitation_counts(user=request.user),
        "status": status,
        "statuses": [(s, InvitationStatus(s).label) for s in STATUSES],
    }
    return render(request, "accounts/invitation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    require_capability(request.user, "invite_users")
    form = InvitationForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invitation_create(
                inviter=request.user,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                target=form.target(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if invitation.user_id:
                messages.success(
                    request,
                    _("%(email)s already has an account: the access was added to it.")
                    % {"email": invitation.email},
                )
                return redirect(f"{_list_url()}?status=accepted")
            messages.success(
                request, _("The invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:invitation_list")
    return render(request, "accounts/invitation_form.html", {"form": form})


def _list_url() -> str:
    return reverse("accounts:invitation_list")


def _invitation_action(request, pk, action, done_message):
    require_capability(request.user, "invite_users")
    invitation = selectors.invitation_get_for_user(user=request.user, pk=pk)
    try:
        result = action(invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done_message(result))
    return redirect(request.POST.get("next") or _list_url())


@login_required
@post_or_redirect("accounts:invitation_list")
def invitation_resend(request, pk):
    return _invitation_action(
        request, pk, invitations.invitation_resend, lambda i: _("The invitation was sent again.")
    )


@login_required
@post_or_redirect("accounts:invitation_list")
def invitation_revoke(request, pk):
    return _invitation_action(
        request, pk, invitations.invitation_revoke, lambda i: _("The invitation was revoked.")
    )


@login_required
@post_or_redirect("accounts:invitation_list")
def access_withdraw(request, pk):
    return _invitation_action(
        request,
        pk,
        invitations.access_withdraw,
        lambda deactivated: (
            _(
                "The access was withdrawn. The account has no scope left: it is deactivated and "
                "the person was told by e-mail."
            )
            if deactivated
            else _("The access was withdrawn.")
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_bulk(request):
    """Upload → preview with per-row errors; nothing is sent before the confirmation."""
    require_capability(request.user, "invite_users")
    if invitations.bulk_role(request.user) is None:
        raise Http404
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            records = bulk.read_invitation_file(form.cleaned_data["file"])
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            rows = invitations.bulk_validate(inviter=request.user, records=records)
            nonce = secrets.token_urlsafe(16)
            request.session[BULK_SESSION_KEY] = {"nonce": nonce, "records": records}
            return render(
                request,
                "accounts/invitation_bulk_preview.html",
                {
                    "rows": rows,
                    "nonce": nonce,
                    "valid_count": sum(r.is_valid for r in rows),
                    "error_count": sum(not r.is_valid for r in rows),
                },
            )
    return render(
        request,
        "accounts/invitation_bulk.html",
        {"form": form, "role": invitations.bulk_role(request.user)},
    )


@login_required
@post_or_redirect("accounts:invitation_bulk")
def invitation_bulk_confirm(request):
    require_capability(request.user, "invite_users")
    stored = request.session.get(BULK_SESSION_KEY)
    if not stored or stored.get("nonce") != request.POST.get("nonce"):
        messages.info(
            request, _("These invitations have already been sent, or the preview expired.")
        )
        return redirect("accounts:invitation_list")
    del request.session[BULK_SESSION_KEY]  # a second click finds nothing to send
    rows = invitations.bulk_validate(inviter=request.user, records=stored["records"])
    sent, refused = invitations.bulk_send(inviter=request.user, rows=rows)
    skipped = sum(not r.is_valid for r in rows)
    messages.success(
        request,
        _("Invitations sent: %(sent)s; rows skipped: %(skipped)s.")
        % {"sent": sent, "skipped": skipped},
    )
    return redirect("accounts:invitation_list")


LINK_MESSAGES = {
    invitations.LinkProblem.INVALID: gettext_lazy(
        "The invitation link is not valid. It may be incomplete (copy the whole link from the "
        "e-mail) or replaced by a newer invitation."
    ),
    invitations.LinkProblem.EXPIRED: gettext_lazy(
        "The invitation link has expired (it is valid for 7 days). Ask the person who invited "
        "you to send it again."
    ),
    invitations.LinkProblem.USED: gettext_lazy(
        "This invitation has already been used: the account exists. Log in, or reset the "
        "password if you have forgotten it."
    ),
    invitations.LinkProblem.REVOKED: gettext_lazy(
        "This invitation has been revoked. Ask the person who invited you if it is a mistake."
    ),
}


def _link_problem_page(request, problem):
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"problem": problem, "message": LINK_MESSAGES[problem]},
        # an unknown or tampered link is "not found"; a genuine one past its use is "gone"
        status=404 if problem == invitations.LinkProblem.INVALID else 410,
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, uidb64, token):
    """The one-time link: the person sets a password and the account is made."""
    invitation = selectors.invitation_for_link(decode_pk(uidb64))
    problem = invitations.invitation_link_problem(invitation, token)
    if problem is not None:
        return _link_problem_page(request, problem)
    form = AcceptForm(
        request.POST or None,
        email=invitation.email,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                invitation=invitation,
                token=token,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as exc:
            if exc.code in LINK_MESSAGES:
                return _link_problem_page(request, exc.code)
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your account is ready. Log in with your e-mail address %(email)s.")
                % {"email": user.username},
            )
            return redirect("login")
    scope = invitations.describe_target(invitations.target_of(invitation))
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation, "scope": scope},
    )


# --- self-service -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    current = services.profile_for(request.user)
    form = ProfileForm(
        request.POST or None,
        initial={
            "first_name": request.user.first_name,
            "last_name": request.user.last_name,
            "phone": current.phone,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.profile_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "email_form": EmailChangeForm(),
            "profile": current,
            "can_invite": has_capability(request.user, "invite_users"),
        },
    )


@login_required
@post_or_redirect("accounts:profile")
def email_change(request):
    form = EmailChangeForm(request.POST)
    if form.is_valid():
        try:
            services.email_change_request(user=request.user, new_email=form.cleaned_data["email"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("We sent a confirmation link to %(email)s. The address changes once you open it.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:profile")
    current = services.profile_for(request.user)
    profile_form = ProfileForm(
        initial={
            "first_name": request.user.first_name,
            "last_name": request.user.last_name,
            "phone": current.phone,
        }
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": profile_form,
            "email_form": form,
            "profile": current,
            "can_invite": has_capability(request.user, "invite_users"),
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    if request.method == "POST":
        try:
            services.email_change_confirm(token=token)
        except ValidationError as exc:
            return render(
                request,
                "accounts/email_confirm.html",
                {"error": " ".join(exc.messages)},
                status=400,
            )
        messages.success(request, _("Your e-mail address is changed."))
        return redirect("accounts:profile" if request.user.is_authenticated else "login")
    return render(request, "accounts/email_confirm.html", {})


# --- calendars --------------------------------------------------------------------------------


@login_required
def calendar_page(request):
    current = services.profile_for(request.user)
    feed_url = (
        request.build_absolute_uri(reverse("accounts:calendar_feed", args=[current.calendar_token]))
        if current.calendar_token
        else ""
    )
    return render(request, "accounts/calendar.html", {"feed_url": feed_url})


@login_required
@post_or_redirect("accounts:calendar")
def calendar_reset(request):
    services.calendar_token_reset(user=request.user)
    messages.success(
        request, _("A new calendar address is ready; the previous one stopped working.")
    )
    return redirect("accounts:calendar")


@login_required
@post_or_redirect("accounts:calendar")
def calendar_revoke(request):
    services.calendar_token_revoke(user=request.user)
    messages.success(request, _("The calendar address is switched off."))
    return redirect("accounts:calendar")


def calendar_feed(request, token):
    """The secret feed: no login (calendar programs cannot log in); 404 for an unknown key."""
    found = selectors.profile_by_calendar_token(token)
    if found is None:
        raise Http404
    response = HttpResponse(
        calendar.feed_ics(found.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="portal-ksr.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def meeting_ics(request, pk, meeting_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    meeting = meeting_get_for_user(user=request.user, network=network, pk=meeting_pk)
    response = HttpResponse(
        meeting_calendar.meeting_ics(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="posiedzenie-{meeting.pk}.ics"'
    return response
