"""Survey results: per campaign, compared across audience groups, coding and exports.

Who sees what. The research team (users who may manage the network: its animator, an
administrator) sees everything, codes free-text answers and exports the responses. ROPS and KSR
coordinators read the results of their scope, but never a breakdown of fewer than MIN_GROUP
responses (nor its free-text answers): small groups stay anonymous. Others get a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ksr_portal.core.charts import PAGE_WIDTH, bar_chart
from ksr_portal.core.exports import tabular_response, workbook_response
from ksr_portal.core.forms import add_service_errors
from ksr_portal.core.scoping import get_for_user_or_404, has_capability
from networks.selectors import lsr_get_for_user

from .. import export, results
from ..forms.results import CategoryForm, CodingForm, CompareForm
from ..models import Audience, Campaign, CodeCategory
from ..services import coding as services_coding

CODING_PAGE_SIZE = 50


def is_research_team(user) -> bool:
    return has_capability(user, "run_surveys")


def _campaign(user, network, campaign_pk: int, *, launched: bool = True) -> Campaign:
    campaign = get_for_user_or_404(Campaign.objects.filter(network=network), user, pk=campaign_pk)
    if launched and not campaign.is_launched:
        raise Http404
    return campaign


def _question_sections(tally: results.Tally, prefix: str) -> list[dict]:
    """The questions of a tally with their charts (choice questions and coded categories)."""
    sections = []
    for question in tally.questions:
        chart = None
        question.round_shares(1)
        if question.is_choice and question.options:
            chart = bar_chart(
                question.bars,
                title=f"{question.number}. {question.text}",
                description=_("Share of the %(asked)s respondents asked.")
                % {"asked": question.asked},
                chart_id=f"{prefix}-q{question.number}",
                percent_labels=[o.percent_label for o in question.options],
                max_width=PAGE_WIDTH,
            )
        texts = []
        for index, group in enumerate(question.texts):
            group_chart = None
            if group.categories:
                group_chart = bar_chart(
                    [c.as_bar() for c in group.categories],
                    title=group.label,
                    description=_(
                        "Share of the %(asked)s respondents asked who gave at least one item in each category."
                    )
                    % {"asked": group.asked},
                    chart_id=f"{prefix}-q{question.number}-t{index}",
                    percent_labels=[c.percent_label for c in group.categories],
                    max_width=PAGE_WIDTH,
                )
            texts.append({"group": group, "chart": group_chart})
        sections.append({"question": question, "chart": chart, "texts": texts})
    return sections


@login_required
@require_GET
def campaign_results(request, pk, campaign_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="view_survey_results")
    campaign = _campaign(request.user, network, campaign_pk, launched=False)
    research = is_research_team(request.user)
    context = {"network": network, "campaign": campaign, "research": research}
    if campaign.is_launched:
        src = results.load(campaign)
        responses = len(src.rows)
        src, left_out = results.visible(src, research=research)
        hidden = bool(left_out)
        context.update(
            responses=responses,
            hidden=hidden,
            min_group=results.MIN_GROUP,
            sections=[]
            if hidden
            else _question_sections(
                results.tally_source(src, campaign.schema, research=research),
                f"ksr-chart-c{campaign.pk}",
            ),
        )
    return render(request, "surveys/results/campaign.html", context)


def _compare_rows(shares_per_group: list[list[results.Share] | None]) -> list[dict]:
    """Rows of a comparison table: a label and one cell (a Share, or None) per group."""
    labels: list[str] = []
    for shares in shares_per_group:
        for share in shares or []:
            if share.label not in labels:
                labels.append(share.label)
    rows = []
    for label in labels:
        cells = []
        for shares in shares_per_group:
            found = next((s for s in shares or [] if s.label == label), None)
            cells.append(found)
        rows.append({"label": label, "cells": cells})
    return rows


def _compare_sections(groups: list[results.Breakdown], schema: dict, question_number) -> list:
    sections = []
    for question in sorted(schema["questions"], key=lambda q: q["number"]):
        n = question["number"]
        if question_number and n != question_number:
            continue
        per_group = [None if g.hidden else g.tally.question(n) for g in groups]
        for result in per_group:
            if result is not None:
                result.round_shares(1)
        columns = []
        for group, result in zip(groups, per_group, strict=True):
            chart = None
            if result is not None and result.is_choice and result.options and result.asked:
                chart = bar_chart(
                    result.bars,
                    title=f"{n}. {question['text']} – {group.label}",
                    description=_("Share of the %(asked)s respondents asked.")
                    % {"asked": result.asked},
                    chart_id=f"ksr-chart-compare-{group.key}-q{n}",
                    percent_labels=[o.percent_label for o in result.options],
                    max_width=PAGE_WIDTH,
                )
            columns.append({"group": group, "result": result, "chart": chart})
        texts = []
        text_count = max((len(r.texts) for r in per_group if r is not None), default=0)
        for index in range(text_count):
            parts = [r.texts[index] if r is not None else None for r in per_group]
            first = next(p for p in parts if p is not None)
            texts.append(
                {
                    "label": first.label,
                    "branch": first.branch,
                    "field": first.field,
                    "asked": [p.asked if p else None for p in parts],
                    "answered": _compare_rows([[p.answered_share] if p else None for p in parts]),
                    "rows": _compare_rows([p.categories if p else None for p in parts]),
                    "items": [
                        {"group": g, "items": p.items if p else None}
                        for g, p in zip(groups, parts, strict=True)
                    ],
                }
            )
        sections.append(
            {
                "number": n,
                "text": question["text"],
                "kind": question["kind"],
                "is_choice": question["kind"] in results.CHOICE_KINDS
                or question["kind"] == "scale",
                "asked": [r.asked if r is not None else None for r in per_group],
                "answered": [r.answered if r is not None else None for r in per_group],
                "means": [r.mean_label if r is not None else None for r in per_group],
                "rows": _compare_rows([r.options if r is not None else None for r in per_group]),
                "columns": columns,
                "texts": texts,
            }
        )
    return sections


@login_required
@require_GET
def results_compare(request, pk):
    """The audience groups side by side, for one questionnaire (all launched campaigns of the
    network with that title, combined per group), question by question."""
    network = lsr_get_for_user(user=request.user, pk=pk, capability="view_survey_results")
    research = is_research_team(request.user)
    campaigns = list(
        Campaign.objects.for_user(request.user)
        .filter(network=network, launched_at__isnull=False)
        .order_by("-launched_at", "-pk")
    )
    titles = list(dict.fromkeys((c.schema or {}).get("title", c.title) for c in campaigns))
    context = {"network": network, "research": research, "min_group": results.MIN_GROUP}
    if not titles:
        return render(request, "surveys/results/compare.html", context)
    title = request.GET.get("title")
    if title not in titles:
        title = titles[0]
    chosen = [c for c in campaigns if (c.schema or {}).get("title", c.title) == title]
    schema = chosen[0].schema  # the latest: questions are matched by number
    data = request.GET.copy()
    data["title"] = title
    form = CompareForm(data, titles=titles, questions=schema["questions"])
    question_number = form.cleaned_data.get("question") if form.is_valid() else None

    src = results.load([c.pk for c in chosen])
    counts: dict[int, int] = {}
    for row in src.rows:
        counts[row[2]] = counts.get(row[2], 0) + 1
    src, left_ids = results.visible(src, research=research)
    left_out = [c for c in chosen if c.pk in left_ids]
    audience_of = {c.pk: c.audience for c in chosen}
    groups = results.breakdowns(
        src, schema, Audience.choices, lambda row: audience_of[row[2]], research=research
    ) + results.breakdowns(
        src, schema, [("all", _("All groups"))], lambda row: "all", research=research
    )
    context.update(
        form=form,
        title=title,
        campaigns=[
            {"campaign": c, "left_out": c in left_out, "responses": counts.get(c.pk, 0)}
            for c in chosen
        ],
        left_out=len(left_out),
        groups=groups,
        sections=_compare_sections(groups, schema, question_number),
    )
    return render(request, "surveys/results/compare.html", context)


def _coding_items(src: results.Source, question: dict, field: str) -> list[tuple]:
    """Every free-text item of the field: (response id, item index, text, the question's main
    answer, which tells the branch of a follow-up)."""
    return [
        (response_id, index, text, (data.get("answers") or {}).get(f"q{question['number']}"))
        for response_id, data, _campaign_id in src.rows
        for index, text in enumerate(results.items_of((data.get("answers") or {}).get(field)))
    ]


def _coding_rows(page, src: results.Source, question: dict, field: str, categories) -> list[dict]:
    """The rows of one page of the coding table, with the categories each item has."""
    rows = []
    for number, (response_id, index, text, answer) in enumerate(
        page.object_list, page.start_index()
    ):
        coded = set(src.codings.get((response_id, field, index), []))
        rows.append(
            {
                "key": f"{response_id}-{index}",
                "number": number,
                "text": text,
                "branch": results.answer_label(question, answer)
                if field.endswith("_f") and isinstance(answer, str)
                else "",
                "boxes": [(category, category.name in coded) for category in categories],
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def coding(request, pk, campaign_pk, field):
    """Code the free-text items of one field: categories as columns, one row per item."""
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_surveys")
    campaign = _campaign(request.user, network, campaign_pk)
    found = results.text_field(campaign.schema, field)
    if found is None:
        raise Http404
    question, label = found
    categories = list(
        CodeCategory.objects.filter(campaign=campaign, field=field).order_by("name", "pk")
    )
    src = results.load(campaign)
    items = _coding_items(src, question, field)
    category_form = CategoryForm(prefix="category")
    page = Paginator(items, CODING_PAGE_SIZE).get_page(request.GET.get("page"))
    keys = {(rid, index) for rid, index, _text, _answer in page.object_list}
    coding_form = CodingForm(keys=keys, category_ids=[c.pk for c in categories])
    if request.method == "POST":
        if "category-name" in request.POST:
            category_form = CategoryForm(request.POST, prefix="category")
            if category_form.is_valid():
                try:
                    services_coding.category_add(
                        campaign, field, category_form.cleaned_data["name"]
                    )
                except ValidationError as exc:
                    add_service_errors(category_form, exc)
                else:
                    messages.success(request, _("The category has been added."))
                    return redirect(request.get_full_path())
        else:
            coding_form = CodingForm(
                request.POST, keys=keys, category_ids=[c.pk for c in categories]
            )
            if coding_form.is_valid():
                try:
                    services_coding.coding_replace(
                        campaign, field, coding_form.cleaned_data["assignments"]
                    )
                except ValidationError as exc:
                    add_service_errors(coding_form, exc)
                else:
                    messages.success(request, _("The coding has been saved."))
                    return redirect(request.get_full_path())
    rows = _coding_rows(page, src, question, field, categories)
    return render(
        request,
        "surveys/results/coding.html",
        {
            "network": network,
            "campaign": campaign,
            "field": field,
            "question": question,
            "label": label,
            "categories": categories,
            "category_form": category_form,
            "coding_form": coding_form,
            "rows": rows,
            "page_obj": page,
            "shown": ",".join(row["key"] for row in rows),
            "show_branch": field.endswith("_f"),
        },
    )


@login_required
@require_GET
def results_export(request, pk, campaign_pk, fmt):
    """The responses of a campaign, one row per response, for the research team only."""
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_surveys")
    campaign = _campaign(request.user, network, campaign_pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    headers, rows, codebook = export.export_table(campaign)
    stem = f"{campaign.title}-{campaign.get_audience_display()}-responses"
    if fmt == "csv":
        return tabular_response(filename_stem=stem, fmt="csv", headers=headers, rows=rows)
    return workbook_response(
        filename_stem=stem,
        sheets=[
            ("Responses", headers, rows),
            ("Codebook", [_("column"), _("question"), _("meaning")], codebook),
        ],
    )


urlpatterns = [
    path("ankiety/wyniki/", results_compare, name="results_compare"),
    path("ankiety/<int:campaign_pk>/wyniki/", campaign_results, name="results"),
    path("ankiety/<int:campaign_pk>/kodowanie/<str:field>/", coding, name="coding"),
    path("ankiety/<int:campaign_pk>/eksport.<str:fmt>", results_export, name="results_export"),
]
