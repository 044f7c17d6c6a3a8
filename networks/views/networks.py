from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.forms import add_service_errors, flash_service_errors
from ksr_portal.core.scoping import require_capability
from stakeholders.forms import ContactPersonForm, OrganisationForm
from stakeholders.models import Gmina, OperatingScope, Organisation
from stakeholders.selectors import Duplicates, organisation_duplicates_for_user
from stakeholders.services import contact_person_add

from .. import selectors
from ..forms import (
    AgreementStatusForm,
    HubTaskForm,
    LsrFoundingForm,
    MembershipAddForm,
    MembershipEndForm,
    MembershipRoleForm,
    NetworkGoalsForm,
    ParticipationForm,
    PartnerForm,
    PartnershipForm,
)
from ..models import Network, TaskStatus, Tier
from ..picture import network_svg
from ..services import networks as services


def _step_context(network, step):
    return {"network": network, "step": step}


@login_required
@require_GET
def network_list(request):
    tier = request.GET.get("tier", "")
    networks = list(selectors.networks_of_every_tier_for_user(user=request.user, tier=tier or None))
    return render(
        request,
        "networks/network_list.html",
        {
            "upper": [n for n in networks if not n.is_lsr],
            "networks": [n for n in networks if n.is_lsr],
            "tier": tier if tier in Tier.values else "",
            "tiers": Tier.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lsr_create(request):
    require_capability(request.user, "manage_networks")
    gminas = (
        Gmina.objects.for_user(request.user).filter(networks__isnull=True).select_related("county")
    )
    form = LsrFoundingForm(
        request.POST or None, gminas=gminas, initial={"gmina": request.GET.get("gmina")}
    )
    if request.method == "POST" and form.is_valid():
        network = form.save(commit=False)
        try:
            network = services.lsr_create(
                user=request.user, gmina=form.cleaned_data["gmina"], network=network
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The LSR has been founded. Now describe its goals."))
            return redirect("networks:goals", pk=network.pk)
    return render(request, "networks/lsr_create.html", {"form": form, "step": 1})


@login_required
@require_http_methods(["GET", "POST"])
def network_goals(request, pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    form = NetworkGoalsForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_update(network=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Goals saved. Now gather the members."))
            return redirect("networks:member_list", pk=network.pk)
    return render(
        request, "networks/network_goals.html", {**_step_context(network, 2), "form": form}
    )


@login_required
@require_GET
def network_detail(request, pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk)
    members = list(selectors.active_members(network))
    partnerships = list(selectors.partnerships_of(network))
    children = (
        [] if network.is_lsr else selectors.member_networks(user=request.user, network=network)
    )
    can_manage = selectors.may(request.user, "manage_networks", network)
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "conditions": selectors.critical_conditions(network),
            "members": members,
            "partnerships": partnerships,
            "hub_tasks": network.hub_tasks.all(),
            "task_statuses": TaskStatus.choices,
            "picture": network_svg(network, members, partnerships, children),
            "can_manage": can_manage,
            "can_give_support": not network.is_lsr
            and selectors.may(request.user, "give_support", network),
            "children": children,
            "sees_escalated_needs": not network.is_lsr
            and request.user.has_capability("offer_resources"),
        },
    )


@login_required
@require_GET
def network_picture(request, pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk)
    children = (
        [] if network.is_lsr else selectors.member_networks(user=request.user, network=network)
    )
    svg = network_svg(
        network, selectors.active_members(network), selectors.partnerships_of(network), children
    )
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@login_required
@require_GET
def member_list(request, pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk)
    filterset = selectors.member_filter(network=network, data=request.GET)
    context = {
        **_step_context(network, 3),
        "member_networks": []
        if network.is_lsr or request.htmx
        else selectors.member_networks(user=request.user, network=network),
        "filter": filterset,
        "memberships": filterset.qs,
        "can_manage": selectors.may(request.user, "manage_networks", network),
        "query": request.GET.urlencode(),
    }
    template = (
        "networks/partials/_member_rows.html" if request.htmx else "networks/member_list.html"
    )
    return render(request, template, context)


def _candidate_organisations(network: Network, user, stakeholder_type: str | None = None):
    """Organisations that may join, not active members: for an LSR from its gmina, supra-local
    ones whose area covers it (county, voivodeship, country), or already in the user's scope
    (never the local organisations of other gminas: the choices are no register of the
    country); for an RSR the supra-local organisations of its voivodeship; for the KSR the
    national ones."""
    qs = Organisation.objects.exclude(pk__in=network.memberships.open().values("organisation_id"))
    gmina = network.gmina
    if gmina is not None:
        covers = (
            Q(gmina_id=network.gmina_id)
            | Q(operating_scope=OperatingScope.NATIONAL)
            | Q(
                operating_scope=OperatingScope.REGIONAL,
                gmina__county__voivodeship_id=gmina.county.voivodeship_id,
            )
            | Q(operating_scope=OperatingScope.COUNTY, gmina__county_id=gmina.county_id)
        )
        in_scope = Organisation.objects.for_user(user).supra_local().values("pk")
        qs = qs.filter(covers | Q(pk__in=in_scope))
    elif network.tier == Tier.RSR:  # supra-local organisations of the voivodeship
        qs = qs.filter(gmina__code__startswith=network.teryt_code).supra_local()
    else:  # the KSR: organisations of national scope
        qs = qs.filter(operating_scope=OperatingScope.NATIONAL)
    if stakeholder_type in ("A", "B", "C"):
        qs = qs.filter(stakeholder_type=stakeholder_type)
    return qs.order_by("stakeholder_type", "name")


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    organisations = _candidate_organisations(
        network, request.user, request.GET.get("stakeholder_type")
    )
    form = MembershipAddForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.membership_add(network=network, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s has joined the network.") % {"name": outcome.obj.organisation.name},
            )
            for warning in outcome.warnings:
                messages.warning(request, warning)
            return redirect("networks:member_list", pk=network.pk)
    return render(request, "networks/member_add.html", {**_step_context(network, 3), "form": form})


@login_required
@require_POST
def member_end(request, pk, membership_pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    membership = selectors.membership_get_for_user(
        user=request.user, network=network, pk=membership_pk
    )
    form = MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            services.membership_end(membership=membership, left_on=form.cleaned_data["left_on"])
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s has left the network; its history is kept.")
                % {"name": membership.organisation.name},
            )
    else:
        messages.error(request, _("Give a valid date of leaving."))
    return redirect("networks:member_list", pk=network.pk)


@login_required
@require_POST
def member_role(request, pk, membership_pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    membership = selectors.membership_get_for_user(
        user=request.user, network=network, pk=membership_pk
    )
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            outcome = services.membership_set_role(
                membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Role changed."))
            for warning in outcome.warnings:
                messages.warning(request, warning)
    return redirect("networks:member_list", pk=network.pk)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request, pk):
    """A new organisation, checked for duplicates, joining the network at once."""
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    selectors.require(request.user, "manage_organisations", network)
    voivodeship_code = network.teryt_code[:2]
    gminas = (
        Gmina.objects.in_voivodeship(voivodeship_code) if voivodeship_code else Gmina.objects.all()
    )
    form = OrganisationForm(
        request.POST or None, gminas=gminas, initial={"gmina": network.gmina_id}
    )
    duplicates = Duplicates()
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        duplicates = organisation_duplicates_for_user(
            user=request.user,
            name=organisation.name,
            gmina_id=organisation.gmina_id,
            nip=organisation.nip,
            regon=organisation.regon,
            krs=organisation.krs,
        )
        if duplicates and not request.POST.get("confirm_duplicate"):
            messages.warning(
                request, _("A similar organisation already exists. Check the list below.")
            )
        else:
            try:
                outcome = services.organisation_create_member(
                    network=network, organisation=organisation
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s has been added and joined the network.")
                    % {"name": organisation.name},
                )
                for warning in outcome.warnings:
                    messages.warning(request, warning)
                return redirect("networks:member_list", pk=network.pk)
    return render(
        request,
        "networks/organisation_form.html",
        {**_step_context(network, 3), "form": form, "duplicates": duplicates},
    )


@login_required
@require_POST
def hub_task_update(request, pk, task_pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    task = selectors.hub_task_get_for_user(user=request.user, network=network, pk=task_pk)
    form = HubTaskForm(request.POST, instance=task)
    if form.is_valid():
        services.hub_task_update(
            task=task, status=form.cleaned_data["status"], notes=form.cleaned_data["notes"]
        )
        if request.htmx:
            return render(
                request,
                "networks/partials/_hub_task.html",
                {
                    "task": task,
                    "network": network,
                    "can_manage": True,
                    "saved": True,
                    "task_statuses": TaskStatus.choices,
                },
            )
        messages.success(request, _("KIS task saved."))
    else:
        messages.error(request, _("The task could not be saved: choose a valid status."))
    return redirect("networks:detail", pk=network.pk)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request, pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    members = selectors.member_organisations(network)
    form = PartnershipForm(request.POST or None, organisations=members)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(
                network=network, partnership=form.save(commit=False)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Task partnership created. Add the partners and their contributions.")
            )
            return redirect(
                "networks:partnership_detail", pk=network.pk, partnership_pk=partnership.pk
            )
    return render(
        request, "networks/partnership_form.html", {**_step_context(network, 4), "form": form}
    )


def _partnership_page(
    request, network, partnership, partner_form=None, status_form=None, status=200
):
    members = selectors.member_organisations(network).exclude(
        pk__in=partnership.partners.values("organisation_id")
    )
    return render(
        request,
        "networks/partnership_detail.html",
        {
            **_step_context(network, 4),
            "partnership": partnership,
            "partner_form": partner_form or PartnerForm(organisations=members),
            "status_form": status_form or AgreementStatusForm(),
            "next_statuses": services.AGREEMENT_TRANSITIONS[partnership.agreement_status],
            "can_manage": selectors.may(request.user, "manage_networks", network),
            "can_print": selectors.may(request.user, "print_documents", network),
        },
        status=status,
    )


@login_required
@require_GET
def partnership_detail(request, pk, partnership_pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk)
    partnership = selectors.partnership_get_for_user(
        user=request.user, network=network, pk=partnership_pk
    )
    return _partnership_page(request, network, partnership)


@login_required
@require_POST
def partnership_add_partner(request, pk, partnership_pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    partnership = selectors.partnership_get_for_user(
        user=request.user, network=network, pk=partnership_pk
    )
    members = selectors.member_organisations(network)
    form = PartnerForm(request.POST, organisations=members)
    if form.is_valid():
        try:
            services.partnership_add_partner(
                partnership=partnership, partner=form.save(commit=False)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Partner added."))
            return redirect(
                "networks:partnership_detail", pk=network.pk, partnership_pk=partnership.pk
            )
    return _partnership_page(request, network, partnership, partner_form=form, status=400)


@login_required
@require_POST
def partnership_status(request, pk, partnership_pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    partnership = selectors.partnership_get_for_user(
        user=request.user, network=network, pk=partnership_pk
    )
    form = AgreementStatusForm(request.POST)
    if form.is_valid():
        try:
            services.partnership_set_status(
                partnership=partnership,
                status=form.cleaned_data["status"],
                signed_on=form.cleaned_data["signed_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Agreement status changed."))
            return redirect(
                "networks:partnership_detail", pk=network.pk, partnership_pk=partnership.pk
            )
    return _partnership_page(request, network, partnership, status_form=form, status=400)


def _organisation_page(request, network, organisation, contact_form=None, status=200):
    periods = network.memberships.filter(organisation=organisation).prefetch_related(
        "representatives"
    )
    return render(
        request,
        "networks/organisation_detail.html",
        {
            "network": network,
            "organisation": organisation,
            "periods": periods,
            "active": next((m for m in periods if m.left_on is None), None),
            "contact_form": contact_form or ContactPersonForm(),
            "can_manage": selectors.may(request.user, "manage_organisations", network),
        },
        status=status,
    )


@login_required
@require_GET
def organisation_detail(request, pk, org_pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk)
    organisation = selectors.member_organisation_get(network=network, pk=org_pk)
    return _organisation_page(request, network, organisation)


@login_required
@require_POST
def contact_add(request, pk, org_pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    selectors.require(request.user, "manage_organisations", network)
    organisation = selectors.member_organisation_get(network=network, pk=org_pk)
    form = ContactPersonForm(request.POST)
    if form.is_valid():
        try:
            contact_person_add(organisation=organisation, contact=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact person added."))
            return redirect("networks:organisation_detail", pk=network.pk, org_pk=organisation.pk)
    return _organisation_page(request, network, organisation, contact_form=form, status=400)


@login_required
@require_POST
def representatives_set(request, pk, org_pk):
    network = selectors.network_get_for_user(user=request.user, pk=pk, capability="manage_networks")
    organisation = selectors.member_organisation_get(network=network, pk=org_pk)
    membership = network.memberships.open().filter(organisation=organisation).first()
    if membership is None:
        messages.error(request, _("Only an active member has representatives."))
    else:
        chosen = organisation.contacts.filter(pk__in=request.POST.getlist("representatives"))
        services.membership_set_representatives(membership=membership, representatives=list(chosen))
        messages.success(request, _("Representatives saved."))
    return redirect("networks:organisation_detail", pk=network.pk, org_pk=organisation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def network_participation(request, pk):
    """The runner of the network above marks a member network as (not) taking part."""
    network = selectors.network_get_for_user(user=request.user, pk=pk)
    if network.parent is None:
        raise Http404
    selectors.require(request.user, "manage_networks", network.parent)
    initial = {
        "takes_part": "0" if network.parent_left_on else "1",
        "left_on": network.parent_left_on,
        "reason": network.parent_left_reason,
    }
    form = ParticipationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_set_participation(
                user=request.user, network=network, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The participation of %(name)s has been saved.") % {"name": network.name}
            )
            return redirect("networks:member_list", pk=network.parent_id)
    return render(request, "networks/participation_form.html", {"network": network, "form": form})
