"""The public answering pages: no login, mounted under /ankieta/ (namespace "answer").

/ankieta/<public_token>/  the campaign's general link
/ankieta/z/<token>/       a personal invitation link
/ankieta/dziekujemy/      the thank-you page

The server is the authority on skip logic and validation (engine.validate through
services.response_submit); survey.js only hides what the respondent does not need to see.
Nothing here records who answered: the rate limit keeps a hashed address in the cache only, a
general-link draft is found through a random key in a signed cookie, and an invitation only has
its bare `responded` flag set.
"""

import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import ratelimit
from ..forms.public import build_questions, collect_raw, error_summary, values_from_draft
from ..models import Campaign, Invitation
from ..services import responses as services

HONEYPOT_FIELD = "website"
KEY_FIELD = "submission_key"
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,128}")
DRAFT_SALT = "surveys.public.draft"
DRAFT_COOKIE_MIN_AGE = 60 * 60
DRAFT_COOKIE_MAX_AGE = 60 * 60 * 24 * 90

OPEN, NOT_LAUNCHED, NOT_YET_OPEN, CLOSED = "open", "not_launched", "not_yet_open", "closed"


def _state(campaign: Campaign) -> str:
    if not campaign.is_launched or not campaign.schema:
        return NOT_LAUNCHED
    now = timezone.now()
    if now < campaign.opens_at:
        return NOT_YET_OPEN
    if now >= campaign.closes_at:
        return CLOSED
    return OPEN


def _title(campaign: Campaign) -> str:
    return (campaign.schema or {}).get("title") or campaign.title


def _unavailable(request, campaign: Campaign, state: str, message: str = ""):
    """The survey cannot be answered now: a page with the reason and no form."""
    return render(
        request,
        "surveys/public/unavailable.html",
        {
            "campaign": campaign,
            "survey_title": _title(campaign),
            "state": state,
            "message": message,
            "opens_at": campaign.opens_at,
            "closes_at": campaign.closes_at,
        },
        status=410 if state == CLOSED else 200,
    )


def _already_answered(request, campaign: Campaign):
    return render(
        request,
        "surveys/public/already_answered.html",
        {"campaign": campaign, "survey_title": _title(campaign)},
    )


def _rate_limited(request, campaign: Campaign):
    response = render(
        request,
        "surveys/public/rate_limited.html",
        {"campaign": campaign, "survey_title": _title(campaign)},
        status=429,
    )
    response["Retry-After"] = str(getattr(settings, "SURVEY_RATE_WINDOW", ratelimit.DEFAULT_WINDOW))
    return response


# --- drafts of the general link ---------------------------------------------------------------


def _draft_cookie_name(campaign: Campaign) -> str:
    return f"ksr_survey_draft_{campaign.pk}"


def _draft_cookie_path(campaign: Campaign) -> str:
    return reverse("answer:general", args=[campaign.public_token])


def _cookie_draft_key(request, campaign: Campaign) -> str | None:
    key = request.get_signed_cookie(_draft_cookie_name(campaign), default=None, salt=DRAFT_SALT)
    return key if key and KEY_PATTERN.fullmatch(key) else None


def _draft_key(request, campaign: Campaign, invitation: Invitation | None) -> str | None:
    if invitation is not None:
        return invitation.token
    return _cookie_draft_key(request, campaign)


def _set_draft_cookie(response, campaign: Campaign, key: str) -> None:
    remaining = int((campaign.closes_at - timezone.now()).total_seconds())
    response.set_signed_cookie(
        _draft_cookie_name(campaign),
        key,
        salt=DRAFT_SALT,
        max_age=max(DRAFT_COOKIE_MIN_AGE, min(remaining, DRAFT_COOKIE_MAX_AGE)),
        path=_draft_cookie_path(campaign),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# --- the form -------------------------------------------------------------------------------


def _form(
    request,
    campaign: Campaign,
    invitation: Invitation | None,
    *,
    values: dict,
    errors: dict,
    submission_key: str,
    status: int = 200,
):
    schema = campaign.schema
    questions = build_questions(schema, values, errors)
    return render(
        request,
        "surveys/public/form.html",
        {
            "campaign": campaign,
            "schema": schema,
            "survey_title": _title(campaign),
            "questions": questions,
            "summary": error_summary(questions),
            "submission_key": submission_key,
            "invitation": invitation is not None,
            "honeypot_field": HONEYPOT_FIELD,
            "key_field": KEY_FIELD,
            "action": request.path,
        },
        status=status,
    )


def _save_draft(request, campaign: Campaign, invitation: Invitation | None, raw: dict):
    key = _draft_key(request, campaign, invitation) or secrets.token_urlsafe(32)
    try:
        services.draft_save(campaign=campaign, draft_key=key, raw=raw)
    except services.SurveyClosed as exc:
        return _unavailable(request, campaign, _state(campaign), exc.messages[0])
    if invitation is not None:
        message = _(
            "Your answers have been saved. To finish, open the link from your invitation again."
        )
    else:
        message = _(
            "Your answers have been saved. To finish, come back through the same link "
            "in this browser."
        )
    messages.success(request, message)
    response = redirect(request.path)
    if invitation is None:
        _set_draft_cookie(response, campaign, key)
    return response


def _submit(request, campaign: Campaign, invitation: Invitation | None, raw: dict):
    if invitation is not None:
        key = invitation.token
    else:
        key = request.POST.get(KEY_FIELD, "")
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            return render(request, "400.html", status=400)
    draft_key = _draft_key(request, campaign, invitation)
    try:
        services.response_submit(
            campaign=campaign,
            raw=raw,
            submission_key=key,
            invitation=invitation,
            draft_key=draft_key,
        )
    except services.InvalidAnswers as exc:
        return _form(
            request,
            campaign,
            invitation,
            values=raw,
            errors=exc.result.errors,
            submission_key=key,
        )
    except services.AlreadySubmitted:
        if invitation is not None:
            return _already_answered(request, campaign)
        return redirect("answer:thanks")
    except services.SurveyClosed as exc:
        return _unavailable(request, campaign, _state(campaign), exc.messages[0])
    response = redirect("answer:thanks")
    if invitation is None and draft_key:
        response.delete_cookie(
            _draft_cookie_name(campaign), path=_draft_cookie_path(campaign), samesite="Lax"
        )
    return response


def _answer(request, campaign: Campaign, invitation: Invitation | None):
    if request.method == "POST" and not ratelimit.hit(request, f"survey-post:{campaign.pk}"):
        return _rate_limited(request, campaign)
    if invitation is not None and invitation.responded:
        return _already_answered(request, campaign)
    state = _state(campaign)
    if state != OPEN:
        return _unavailable(request, campaign, state)

    if request.method == "POST":
        if request.POST.get(HONEYPOT_FIELD, ""):
            # Filled in by a robot: look like a success and store nothing.
            return redirect("answer:thanks")
        raw = collect_raw(campaign.schema, request.POST)
        if request.POST.get("action") == "save":
            return _save_draft(request, campaign, invitation, raw)
        return _submit(request, campaign, invitation, raw)

    draft_key = _draft_key(request, campaign, invitation)
    draft = services.draft_load(campaign=campaign, draft_key=draft_key) if draft_key else {}
    return _form(
        request,
        campaign,
        invitation,
        values=values_from_draft(draft),
        errors={},
        submission_key=invitation.token if invitation else secrets.token_urlsafe(32),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def general(request, public_token: str):
    campaign = get_object_or_404(Campaign, public_token=public_token)
    return _answer(request, campaign, None)


@never_cache
@require_http_methods(["GET", "POST"])
def invited(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("campaign"), token=token)
    return _answer(request, invitation.campaign, invitation)


@never_cache
@require_GET
def thanks(request):
    return render(request, "surveys/public/thanks.html")


urlpatterns = [
    path("dziekujemy/", thanks, name="thanks"),
    path("z/<str:token>/", invited, name="invited"),
    path("<str:public_token>/", general, name="general"),
]
