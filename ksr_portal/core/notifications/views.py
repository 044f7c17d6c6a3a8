from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ksr_portal.core.decorators import post_or_redirect

from . import selectors, services
from .forms import PreferenceForm
from .models import Kind


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notifications_for_user(user=request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page_obj": page})


@login_required
@post_or_redirect("notifications:list")
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification as read and go to what it is about."""
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@post_or_redirect("notifications:list")
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    return redirect("notifications:list")


@login_required
@post_or_redirect("notifications:list")
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    preference = services.preference_for(request.user)
    initial = {
        "delivery": preference.delivery,
        "emailed_kinds": [k for k in Kind.values if k not in preference.muted_kinds],
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        emailed = set(form.cleaned_data["emailed_kinds"])
        services.preference_save(
            user=request.user,
            delivery=form.cleaned_data["delivery"],
            muted_kinds=[k for k in Kind.values if k not in emailed],
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link at the foot of every e-mail: no login, a signed token naming person and kind."""
    found = services.unsubscribe_read(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    user_id, kind = found
    done = False
    if request.method == "POST":
        services.unsubscribe(user_id=user_id, kind=kind)
        done = True
    return render(
        request, "notifications/unsubscribe.html", {"kind_label": Kind(kind).label, "done": done}
    )
