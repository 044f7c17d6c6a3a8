"""Evaluations of an LSR and the evaluation report (page and PDF), mounted under /sieci/<pk>/.

The animator writes and publishes; ROPS and KSR coordinators of the territory read; the
representatives of the LSR's member organisations read the report (page and PDF) of a published
evaluation; everyone else gets 404, a read-only user who tries to write 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.charts import PAGE_WIDTH
from ksr_portal.core.forms import add_service_errors
from ksr_portal.core.pdf import document_filename, pdf_response, render_pdf
from ksr_portal.core.scoping import has_capability
from networks.selectors import lsr_get_for_user

from . import report, selectors, services
from .forms import EvaluationForm, deficiency_formset_class, finding_formset_class
from .models import Evaluation


def _can_manage(request: HttpRequest) -> bool:
    return has_capability(request.user, "run_evaluations")


@login_required
@require_GET
def evaluation_list(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk, territorial=True)
    return render(
        request,
        "evaluations/evaluation_list.html",
        {
            "network": network,
            "evaluations": selectors.evaluations_of(network),
            "can_manage": _can_manage(request),
        },
    )


def _changed_rows(formset) -> list:
    return [
        form.instance
        for form in formset.forms
        if form not in formset.deleted_forms
        and form.has_changed()
        and not (form.instance.pk is None and not form.cleaned_data)
    ]


def _deleted_rows(formset) -> list:
    return [form.instance for form in formset.deleted_forms if form.instance.pk]


def _evaluation_form_view(request, network, evaluation: Evaluation | None):
    instance = evaluation or Evaluation(network=network)
    data = request.POST if request.method == "POST" else None
    form = EvaluationForm(
        data,
        instance=instance,
        campaigns=selectors.campaigns_for_evaluation(network),
        interviews=selectors.interviews_for_evaluation(network),
    )
    findings = finding_formset_class()(data, instance=instance, prefix="findings")
    deficiencies = deficiency_formset_class()(
        data,
        instance=instance,
        prefix="deficiencies",
        organisations=selectors.obligable_organisations(network),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and findings.is_valid()
        and deficiencies.is_valid()
    ):
        try:
            saved = services.evaluation_save(
                network=network,
                evaluation=form.save(commit=False),
                campaigns=form.cleaned_data["campaigns"],
                interviews=form.cleaned_data["interviews"],
                findings=_changed_rows(findings),
                deficiencies=_changed_rows(deficiencies),
                deleted=_deleted_rows(findings) + _deleted_rows(deficiencies),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The evaluation has been saved."))
            return redirect("evaluations:evaluation_detail", pk=network.pk, evaluation_pk=saved.pk)
    return render(
        request,
        "evaluations/evaluation_form.html",
        {
            "network": network,
            "evaluation": evaluation,
            "form": form,
            "findings": findings,
            "deficiencies": deficiencies,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request, pk):
    network = lsr_get_for_user(
        user=request.user, pk=pk, territorial=True, capability="run_evaluations"
    )
    return _evaluation_form_view(request, network, None)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk, evaluation_pk):
    network = lsr_get_for_user(
        user=request.user, pk=pk, territorial=True, capability="run_evaluations"
    )
    evaluation = selectors.evaluation_get(user=request.user, network=network, pk=evaluation_pk)
    return _evaluation_form_view(request, network, evaluation)


@login_required
@require_GET
def evaluation_detail(request, pk, evaluation_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, territorial=True)
    evaluation = selectors.evaluation_get(user=request.user, network=network, pk=evaluation_pk)
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            "network": network,
            "evaluation": evaluation,
            "campaigns": selectors.campaigns_for_evaluation(network).filter(evaluations=evaluation),
            "interviews": selectors.interviews_for_evaluation(network).filter(
                evaluations=evaluation
            ),
            "findings": evaluation.findings.all(),
            "deficiencies": evaluation.deficiencies.select_related("obliged"),
            "can_manage": _can_manage(request),
        },
    )


@login_required
@require_POST
def evaluation_publish(request, pk, evaluation_pk):
    network = lsr_get_for_user(
        user=request.user, pk=pk, territorial=True, capability="run_evaluations"
    )
    evaluation = selectors.evaluation_get(user=request.user, network=network, pk=evaluation_pk)
    try:
        services.evaluation_publish(evaluation=evaluation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The evaluation has been published: the LSR's partners can read its report.")
        )
    return redirect("evaluations:evaluation_detail", pk=network.pk, evaluation_pk=evaluation.pk)


def _report(request, pk, evaluation_pk, chart_width=None):
    network, evaluation, public = selectors.report_for_user(
        user=request.user, pk=pk, evaluation_pk=evaluation_pk
    )
    context = (
        report.report_context(
            evaluation,
            network=network,
            public=public,
            organisation_id=getattr(request.user, "organisation_id", None),
            chart_width=chart_width,
        )
        if evaluation is not None
        else None
    )
    return network, evaluation, context, public


def _no_evaluation(request, network, public=False):
    return render(
        request,
        "evaluations/no_evaluation.html",
        {"network": network, "can_manage": _can_manage(request) and not public, "public": public},
    )


@login_required
@require_GET
def evaluation_report(request, pk, evaluation_pk=None):
    # on the page, charts no wider than a phone's column (their 12 px text never scaled down)
    network, evaluation, context, public = _report(request, pk, evaluation_pk, PAGE_WIDTH)
    if evaluation is None:
        return _no_evaluation(request, network, public)
    return render(request, "evaluations/report.html", context)


def report_filename(evaluation: Evaluation, network) -> str:
    return document_filename("ewaluacja", network.name or network.pk, f"{evaluation.period_end:%Y}")


@login_required
@require_GET
def evaluation_report_pdf(request, pk, evaluation_pk=None):
    network, evaluation, context, public = _report(request, pk, evaluation_pk)
    if evaluation is None:
        return _no_evaluation(request, network, public)
    pdf = render_pdf("evaluations/report_pdf.html", context, request=request)
    return pdf_response(pdf, report_filename(evaluation, network))
