"""Experience items (under /sieci/<pk>/doswiadczenia/, an LSR or an RSR) and the KSR's
recommendations, items overview and findings search (under /rekomendacje/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.forms import add_service_errors, flash_service_errors
from ksr_portal.core.pdf import document_filename, pdf_response, render_pdf
from ksr_portal.core.scoping import has_capability
from ksr_portal.evaluations.models import FindingKind
from networks.selectors import may

from . import selectors, services
from .forms import (
    ExperienceItemForm,
    FindingSearchForm,
    ItemFilterForm,
    MergeForm,
    RecommendationForm,
    ReturnForm,
)
from .models import ItemStatus, Recommendation

PAGE_SIZE = 25

# --- experience items of a network ----------------------------------------------------------------


@login_required
@require_GET
def experience_list(request, pk):
    network = selectors.experience_network_get(user=request.user, pk=pk)
    items = selectors.experience_items_of(user=request.user, network=network)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "recommendations/experience_list.html",
        {
            "network": network,
            "page": page,
            "can_submit": may(request.user, "submit_experience", network),
            "can_review": may(request.user, "review_experience", network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def experience_create(request, pk):
    network = selectors.experience_network_get(
        user=request.user, pk=pk, capability="submit_experience"
    )
    form = ExperienceItemForm(
        request.POST if request.method == "POST" else None,
        themes=selectors.themes(),
        evidence=selectors.evidence_choices(user=request.user, network=network),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.experience_submit(
                user=request.user,
                network=network,
                item=form.save(commit=False),
                themes=data["themes"],
                findings=data["findings"],
                deficiencies=data["deficiencies"],
                cards=data["cards"],
                documents=data["documents"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The experience item has been submitted."))
            return redirect("experience:experience_detail", pk=network.pk, item_pk=item.pk)
    return render(
        request,
        "recommendations/experience_form.html",
        {"network": network, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _detail(request, network, item, *, merge_form=None, return_form=None, status=200):
    can_review = item.status in (ItemStatus.SUBMITTED, ItemStatus.REVIEW) and may(
        request.user, "review_experience", item.network
    )
    targets = selectors.merge_targets(user=request.user, item=item) if can_review else None
    return render(
        request,
        "recommendations/experience_detail.html",
        {
            "network": network,
            "item": item,
            "can_review": can_review,
            "merge_form": merge_form or (MergeForm(targets=targets) if can_review else None),
            "return_form": return_form or ReturnForm(),
        },
        status=status,
    )


@login_required
@require_GET
def experience_detail(request, pk, item_pk):
    network = selectors.experience_network_get(user=request.user, pk=pk)
    item = selectors.experience_item_get(user=request.user, network=network, pk=item_pk)
    return _detail(request, network, item)


def _review_action(request, pk, item_pk):
    network = selectors.experience_network_get(
        user=request.user, pk=pk, capability="review_experience"
    )
    item = selectors.experience_item_get(user=request.user, network=network, pk=item_pk)
    return network, item


def _after_review(network, item):
    return redirect("experience:experience_detail", pk=network.pk, item_pk=item.pk)


@login_required
@require_POST
def experience_review(request, pk, item_pk):
    network, item = _review_action(request, pk, item_pk)
    try:
        services.experience_review_start(user=request.user, item=item)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("The item is under regional review."))
    return _after_review(network, item)


@login_required
@require_POST
def experience_forward(request, pk, item_pk):
    network, item = _review_action(request, pk, item_pk)
    try:
        services.experience_forward(user=request.user, item=item)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("The item has been forwarded to the KSR."))
    return _after_review(network, item)


@login_required
@require_POST
def experience_merge(request, pk, item_pk):
    network, item = _review_action(request, pk, item_pk)
    form = MergeForm(request.POST, targets=selectors.merge_targets(user=request.user, item=item))
    if form.is_valid():
        try:
            services.experience_merge(user=request.user, item=item, into=form.cleaned_data["into"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The item has been merged."))
            return _after_review(network, item)
    return _detail(request, network, item, merge_form=form, status=400)


@login_required
@require_POST
def experience_return(request, pk, item_pk):
    network, item = _review_action(request, pk, item_pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.experience_return(
                user=request.user, item=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The item has been returned to its author."))
            return _after_review(network, item)
    return _detail(request, network, item, return_form=form, status=400)


# --- the KSR: items overview, recommendations, findings search --------------------------------


@login_required
@require_GET
def item_overview(request):
    ksr = selectors.ksr_get_for_user(user=request.user, capability="compose_recommendations")
    themes = selectors.themes()
    form = ItemFilterForm(request.GET or None, themes=themes)
    theme, status = None, ""
    if form.is_valid():
        theme, status = form.cleaned_data["theme"], form.cleaned_data["status"]
    counts, totals = selectors.item_counts_by_theme(user=request.user)
    items = selectors.items_for_ksr(user=request.user, theme=theme, status=status)
    return render(
        request,
        "recommendations/item_overview.html",
        {
            "network": ksr,
            "form": form,
            "counts": counts,
            "totals": totals,
            "statuses": ItemStatus.choices,
            "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


@login_required
@require_GET
def recommendation_list(request):
    recommendations = selectors.recommendation_list_for_user(user=request.user)
    return render(
        request,
        "recommendations/recommendation_list.html",
        {
            "page": Paginator(recommendations, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_compose": has_capability(request.user, "compose_recommendations"),
            "can_search": has_capability(request.user, "search_findings"),
            "experience_networks": selectors.experience_networks_for_user(user=request.user),
        },
    )


def _recommendation_form_view(request, ksr, recommendation: Recommendation | None):
    instance = recommendation or Recommendation(network=ksr)
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        items=selectors.composable_items(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.recommendation_save(
                user=request.user,
                ksr=ksr,
                recommendation=form.save(commit=False),
                items=form.cleaned_data["items"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The recommendation has been saved as a draft."))
            return redirect("recommendations:recommendation_detail", recommendation_pk=saved.pk)
    return render(
        request,
        "recommendations/recommendation_form.html",
        {"network": ksr, "form": form, "recommendation": recommendation},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request):
    ksr = selectors.ksr_get_for_user(user=request.user, capability="compose_recommendations")
    return _recommendation_form_view(request, ksr, None)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, recommendation_pk):
    ksr = selectors.ksr_get_for_user(user=request.user, capability="compose_recommendations")
    recommendation = selectors.recommendation_get_for_user(user=request.user, pk=recommendation_pk)
    if recommendation.is_adopted:
        messages.info(request, _("An adopted recommendation can no longer be changed."))
        return redirect(
            "recommendations:recommendation_detail", recommendation_pk=recommendation.pk
        )
    return _recommendation_form_view(request, ksr, recommendation)


@login_required
@require_GET
def recommendation_detail(request, recommendation_pk):
    recommendation = selectors.recommendation_get_for_user(user=request.user, pk=recommendation_pk)
    return render(
        request,
        "recommendations/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "can_compose": has_capability(request.user, "compose_recommendations"),
        },
    )


@login_required
@require_POST
def recommendation_adopt(request, recommendation_pk):
    selectors.ksr_get_for_user(user=request.user, capability="compose_recommendations")
    recommendation = selectors.recommendation_get_for_user(user=request.user, pk=recommendation_pk)
    try:
        services.recommendation_adopt(user=request.user, recommendation=recommendation)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("The recommendation has been adopted: every user can read it."))
    return redirect("recommendations:recommendation_detail", recommendation_pk=recommendation.pk)


def _pdf(request, recommendations, filename_part: str):
    pdf = render_pdf(
        "recommendations/report_pdf.html",
        {"recommendations": recommendations, "report_date": timezone.localdate()},
        request=request,
    )
    return pdf_response(pdf, document_filename("rekomendacje-ksr", filename_part))


@login_required
@require_GET
def report_pdf(request):
    """The report "Rekomendacje KSR": every adopted recommendation with its evidence."""
    selectors.recommendation_list_for_user(user=request.user)  # the capability check
    return _pdf(
        request, list(selectors.adopted_recommendations()), f"{timezone.localdate():%Y-%m-%d}"
    )


@login_required
@require_GET
def recommendation_pdf(request, recommendation_pk):
    recommendation = selectors.recommendation_get_for_user(user=request.user, pk=recommendation_pk)
    return _pdf(request, [recommendation], str(recommendation.pk))


@login_required
@require_GET
def findings_search(request):
    themes = selectors.themes_for_search(user=request.user)
    form = FindingSearchForm(request.GET or None, themes=themes)
    theme, text, source = None, "", ""
    if form.is_valid():
        theme = form.cleaned_data["theme"]
        text = form.cleaned_data["q"].strip()
        source = form.cleaned_data["source"]
    rows = selectors.findings_search(user=request.user, theme=theme, text=text, source=source)
    return render(
        request,
        "recommendations/findings_search.html",
        {
            "form": form,
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "kind_labels": dict(FindingKind.choices),
        },
    )
