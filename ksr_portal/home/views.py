"""Pages that span apps: each role's home page and the administration overview."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from ksr_portal.core.audit import audit_page, recent_entries
from ksr_portal.core.scoping import require_capability
from ksr_portal.evaluations.selectors import open_deficiencies_for
from networks import selectors as network_selectors
from procedures.selectors import cards as procedure_selectors
from stakeholders import selectors as stakeholder_selectors
from stakeholders.roles import CAPABILITIES, CAPABILITY_LABELS, ROLE_SCOPE, Role

from . import selectors as home_selectors

HOME_BY_ROLE = {
    Role.ANIMATOR: "ksr_portal:my_networks",
    Role.ROPS: "ksr_portal:my_region",
    Role.KSR: "dashboards:country",
    Role.PARTNER: "ksr_portal:my_tasks",
    Role.ADMIN: "ksr_portal:administration",
}


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    role = Role.ADMIN if request.user.is_superuser else request.user.role
    return redirect(HOME_BY_ROLE.get(role, "ksr_portal:my_tasks"))


@login_required
@require_GET
def my_networks(request):
    require_capability(request.user, "manage_networks")
    next_steps = home_selectors.next_steps_for_user(user=request.user)
    gminas_without = (
        request.user.gminas.filter(networks__isnull=True)
        .select_related("county__voivodeship")
        .order_by("name")
    )
    return render(
        request,
        "home/my_networks.html",
        {
            # the same LSRs as network_list_for_user, already read for the next steps
            "networks": [step.network for step in next_steps],
            "gminas_without": gminas_without,
            "next_steps": next_steps,
        },
    )


@login_required
@require_GET
def my_region(request):
    require_capability(request.user, "view_regional_dashboard")
    voivodeship = request.user.voivodeship
    if voivodeship is None:
        if request.user.has_capability("view_national_dashboard"):
            return redirect("dashboards:country")
        return render(request, "home/no_region.html")
    if request.user.role == Role.ROPS:
        return redirect("dashboards:region", code=voivodeship.code)
    voivodeship = stakeholder_selectors.voivodeship_get_for_user(
        user=request.user, code=voivodeship.code
    )
    counties = stakeholder_selectors.counties_with_gmina_counts(voivodeship=voivodeship)
    networks = network_selectors.network_list_for_user(user=request.user)
    return render(
        request,
        "home/my_region.html",
        {"voivodeship": voivodeship, "counties": counties, "networks": networks},
    )


@login_required
@require_GET
def country(request):
    require_capability(request.user, "view_national_dashboard")
    voivodeships = stakeholder_selectors.voivodeship_list_for_user(user=request.user)
    totals = {
        "voivodeships": len(voivodeships),
        "counties": sum(v.county_count for v in voivodeships),
        "gminas": sum(v.gmina_count for v in voivodeships),
    }
    return render(request, "home/country.html", {"voivodeships": voivodeships, "totals": totals})


@login_required
@require_GET
def my_tasks(request):
    require_capability(request.user, "work_own_tasks")
    return render(
        request,
        "home/my_tasks.html",
        {
            "organisation": request.user.organisation,
            "networks": network_selectors.network_list_for_user(user=request.user),
            "cards": procedure_selectors.my_cards(user=request.user),
            "overdue": procedure_selectors.my_overdue_activities(user=request.user),
            "needs": procedure_selectors.my_needs(user=request.user),
            "deficiencies": open_deficiencies_for(request.user),
        },
    )


@login_required
@require_GET
def administration(request):
    require_capability(request.user, "manage_users")
    users_by_role = dict(
        get_user_model().objects.values_list("role").annotate(n=Count("id")).order_by()
    )
    roles = [(label, users_by_role.get(value, 0)) for value, label in Role.choices]
    capability_rows = [
        (CAPABILITY_LABELS[cap], [value in roles_ for value, _label in Role.choices])
        for cap, roles_ in CAPABILITIES.items()
    ]
    return render(
        request,
        "home/administration.html",
        {
            "roles": roles,
            "role_choices": Role.choices,
            "role_scopes": [ROLE_SCOPE[value] for value, _label in Role.choices],
            "capability_rows": capability_rows,
            "entries": recent_entries(limit=20),
        },
    )


@login_required
@require_GET
def audit_log(request):
    require_capability(request.user, "view_audit_history")
    filterset, page = audit_page(data=request.GET, page_number=request.GET.get("page"))
    return render(
        request,
        "home/audit_log.html",
        {"filter": filterset, "page": page, "entries": page.object_list},
    )
