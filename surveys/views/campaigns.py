"""The questionnaire builder, survey campaigns, invitations and paper / e-mail entry of answers.

Mounted under /sieci/<pk>/ (namespace "surveys"): every view gets ``pk``, the network id. Reading
needs the network in scope (404 otherwise); every change needs ``run_surveys`` (403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.forms import add_service_errors
from ksr_portal.core.scoping import has_capability
from networks.selectors import lsr_get_for_user

from ..forms.campaigns import (
    CampaignForm,
    InvitationsForm,
    QuestionForm,
    QuestionKindForm,
    QuestionnaireCopyForm,
    QuestionnaireForm,
    ResponseEntryForm,
    schema_questions,
)
from ..models import QuestionKind
from ..selectors import campaigns as selectors
from ..services import campaigns as services_campaigns
from ..services import responses as services


def _can_manage(user) -> bool:
    return has_capability(user, "run_surveys")


def _error_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- builder ---------------------------------------------------------------------------------


@login_required
@require_GET
def questionnaire_list(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "surveys/builder/questionnaire_list.html",
        {
            "network": network,
            "questionnaires": selectors.questionnaire_list_for_network(network=network),
            "can_manage": _can_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_copy(request, pk, questionnaire_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_surveys")
    source = selectors.questionnaire_get(network=network, pk=questionnaire_pk)
    form = QuestionnaireCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        copy = services_campaigns.questionnaire_copy(
            source=source, network=network, title=form.cleaned_data["title"]
        )
        messages.success(request, _("The questionnaire has been copied. Adapt it below."))
        return redirect("surveys:questionnaire_edit", pk=network.pk, questionnaire_pk=copy.pk)
    return render(
        request,
        "surveys/builder/questionnaire_copy.html",
        {"network": network, "source": source, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, pk, questionnaire_pk):
    """A copy: its title and introduction, and its questions. A default template: read-only."""
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_surveys")
    questionnaire = selectors.questionnaire_get(
        network=network, pk=questionnaire_pk, editable=request.method == "POST"
    )
    editable = questionnaire.network_id == network.pk
    form = QuestionnaireForm(request.POST or None, instance=questionnaire) if editable else None
    if request.method == "POST" and form.is_valid():
        try:
            services_campaigns.questionnaire_update(questionnaire=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The questionnaire has been saved."))
            return redirect(
                "surveys:questionnaire_edit", pk=network.pk, questionnaire_pk=questionnaire.pk
            )
    questions = selectors.questions_of(questionnaire)
    problems = services_campaigns.logic_problems(questions)
    return render(
        request,
        "surveys/builder/questionnaire_edit.html",
        {
            "network": network,
            "questionnaire": questionnaire,
            "form": form,
            "editable": editable,
            "questions": [(q, problems.get(q.number, [])) for q in questions],
            "has_problems": bool(problems),
            "launched_count": questionnaire.campaigns.filter(launched_at__isnull=False).count(),
            "kind_form": QuestionKindForm(),
        },
    )


def _editable_questionnaire(request, pk, questionnaire_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_surveys")
    questionnaire = selectors.questionnaire_get(network=network, pk=questionnaire_pk, editable=True)
    return network, questionnaire


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request, pk, questionnaire_pk):
    network, questionnaire = _editable_questionnaire(request, pk, questionnaire_pk)
    kind = request.GET.get("kind")
    if kind not in QuestionKind.values:
        kind = QuestionKind.SHORT_TEXT
    numbers = list(questionnaire.questions.values_list("number", flat=True))
    form = QuestionForm(
        request.POST or None,
        kind=kind,
        numbers=numbers,
        number=(max(numbers) if numbers else 0) + 1,
        initial={"kind": kind},
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = services_campaigns.question_add(
                questionnaire=questionnaire, values=form.values
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Question %(n)s has been added.") % {"n": question.number})
            return redirect(
                "surveys:questionnaire_edit", pk=network.pk, questionnaire_pk=questionnaire.pk
            )
    return render(
        request,
        "surveys/builder/question_form.html",
        {"network": network, "questionnaire": questionnaire, "form": form, "question": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk, questionnaire_pk, question_pk):
    network, questionnaire = _editable_questionnaire(request, pk, questionnaire_pk)
    question = selectors.get_question(questionnaire=questionnaire, pk=question_pk)
    numbers = questionnaire.questions.values_list("number", flat=True)
    form = QuestionForm(request.POST or None, instance=question, numbers=numbers)
    if request.method == "POST" and form.is_valid():
        try:
            services_campaigns.question_update(question=question, values=form.values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Question %(n)s has been saved.") % {"n": question.number})
            return redirect(
                "surveys:questionnaire_edit", pk=network.pk, questionnaire_pk=questionnaire.pk
            )
    return render(
        request,
        "surveys/builder/question_form.html",
        {"network": network, "questionnaire": questionnaire, "form": form, "question": question},
    )


@login_required
@require_POST
def question_delete(request, pk, questionnaire_pk, question_pk):
    network, questionnaire = _editable_questionnaire(request, pk, questionnaire_pk)
    question = selectors.get_question(questionnaire=questionnaire, pk=question_pk)
    number = question.number
    services_campaigns.question_delete(question=question)
    messages.success(
        request,
        _("Question %(n)s has been deleted; the following questions were renumbered.")
        % {"n": number},
    )
    return redirect("surveys:questionnaire_edit", pk=network.pk, questionnaire_pk=questionnaire.pk)


@login_required
@require_POST
def question_move(request, pk, questionnaire_pk, question_pk):
    network, questionnaire = _editable_questionnaire(request, pk, questionnaire_pk)
    question = selectors.get_question(questionnaire=questionnaire, pk=question_pk)
    services_campaigns.question_move(question=question, up=request.POST.get("direction") == "up")
    return redirect("surveys:questionnaire_edit", pk=network.pk, questionnaire_pk=questionnaire.pk)


# --- campaigns -------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "surveys/campaigns/campaign_list.html",
        {
            "network": network,
            "campaigns": selectors.campaign_list_for_network(user=request.user, network=network),
            "can_manage": _can_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request, pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_surveys")
    questionnaires = selectors.questionnaires_for_network(network)
    form = CampaignForm(
        request.POST or None,
        questionnaires=questionnaires,
        initial={"questionnaire": request.GET.get("questionnaire")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services_campaigns.campaign_create(
                network=network, campaign=form.save(commit=False)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The survey has been created. Check it and launch it when ready.")
            )
            return redirect("surveys:campaign_detail", pk=network.pk, campaign_pk=campaign.pk)
    return render(
        request, "surveys/campaigns/campaign_form.html", {"network": network, "form": form}
    )


def _general_link(request, campaign) -> str | None:
    try:
        return request.build_absolute_uri(reverse("answer:general", args=[campaign.public_token]))
    except NoReverseMatch:
        return None


@login_required
@require_GET
def campaign_detail(request, pk, campaign_pk):
    network = lsr_get_for_user(user=request.user, pk=pk)
    campaign = selectors.campaign_get_for_user(user=request.user, network=network, pk=campaign_pk)
    can_manage = _can_manage(request.user)
    return render(
        request,
        "surveys/campaigns/campaign_detail.html",
        {
            "network": network,
            "campaign": campaign,
            "can_manage": can_manage,
            "general_link": _general_link(request, campaign) if campaign.is_launched else None,
            "stats": selectors.invitation_stats(campaign),
            "invitations": selectors.invitations_of(campaign) if can_manage else None,
            "question_count": len((campaign.schema or {}).get("questions", [])),
            "is_open": campaign.is_open(),
        },
    )


@login_required
@require_POST
def campaign_launch(request, pk, campaign_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_surveys")
    campaign = selectors.campaign_get_for_user(user=request.user, network=network, pk=campaign_pk)
    try:
        services_campaigns.campaign_launch(campaign=campaign)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(
            request,
            _("The survey has been launched; its questionnaire is frozen from now on."),
        )
    return redirect("surveys:campaign_detail", pk=network.pk, campaign_pk=campaign.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitations_add(request, pk, campaign_pk):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_surveys")
    campaign = selectors.campaign_get_for_user(user=request.user, network=network, pk=campaign_pk)
    form = InvitationsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services_campaigns.invitations_add(
                campaign=campaign, text=form.cleaned_data["addresses"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Invitations added: %(added)s; skipped as already on the list: %(skipped)s.")
                % {"added": outcome.added, "skipped": outcome.skipped},
            )
            return redirect("surveys:campaign_detail", pk=network.pk, campaign_pk=campaign.pk)
    return render(
        request,
        "surveys/campaigns/invitations_add.html",
        {"network": network, "campaign": campaign, "form": form},
    )


def _dispatch(request, pk, campaign_pk, *, reminder: bool):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_surveys")
    campaign = selectors.campaign_get_for_user(user=request.user, network=network, pk=campaign_pk)
    try:
        due = services_campaigns.invitations_dispatch(
            campaign=campaign,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            reminder=reminder,
        )
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(
            request,
            (
                _("Reminders are being sent (%(n)s); refresh the page to follow the progress.")
                if reminder
                else _(
                    "Invitations are being sent (%(n)s); refresh the page to follow the progress."
                )
            )
            % {"n": due},
        )
    return redirect("surveys:campaign_detail", pk=network.pk, campaign_pk=campaign.pk)


@login_required
@require_POST
def invitations_send(request, pk, campaign_pk):
    return _dispatch(request, pk, campaign_pk, reminder=False)


@login_required
@require_POST
def invitations_remind(request, pk, campaign_pk):
    return _dispatch(request, pk, campaign_pk, reminder=True)


# --- paper / e-mail answers ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def response_enter(request, pk, campaign_pk):
    """The research team types in a questionnaire collected on paper or by e-mail."""
    network = lsr_get_for_user(user=request.user, pk=pk, capability="run_surveys")
    campaign = selectors.campaign_get_for_user(user=request.user, network=network, pk=campaign_pk)
    if not campaign.is_launched:
        messages.error(request, _("Launch the survey before entering answers."))
        return redirect("surveys:campaign_detail", pk=network.pk, campaign_pk=campaign.pk)
    form = ResponseEntryForm(request.POST or None)
    errors: dict = {}
    raw = request.POST if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                campaign=campaign,
                raw=request.POST,
                submission_key=form.cleaned_data["submission_key"],
                channel=form.cleaned_data["channel"],
                check_open=False,
            )
        except services.AlreadySubmitted:
            messages.warning(request, _("This questionnaire had already been saved."))
            return redirect("surveys:response_enter", pk=network.pk, campaign_pk=campaign.pk)
        except services.InvalidAnswers as exc:
            errors = exc.result.errors
            form.add_error(None, exc.messages[0])
        else:
            messages.success(
                request, _("The answers have been saved. You can enter the next questionnaire.")
            )
            return redirect("surveys:response_enter", pk=network.pk, campaign_pk=campaign.pk)
    return render(
        request,
        "surveys/campaigns/response_enter.html",
        {
            "network": network,
            "campaign": campaign,
            "form": form,
            "questions": schema_questions(campaign.schema, raw, errors),
        },
    )


urlpatterns = [
    path("ankiety/", campaign_list, name="campaign_list"),
    path("ankiety/nowa/", campaign_create, name="campaign_create"),
    path("ankiety/<int:campaign_pk>/", campaign_detail, name="campaign_detail"),
    path("ankiety/<int:campaign_pk>/uruchom/", campaign_launch, name="campaign_launch"),
    path("ankiety/<int:campaign_pk>/zaproszenia/", invitations_add, name="invitations_add"),
    path(
        "ankiety/<int:campaign_pk>/zaproszenia/wyslij/", invitations_send, name="invitations_send"
    ),
    path(
        "ankiety/<int:campaign_pk>/zaproszenia/przypomnij/",
        invitations_remind,
        name="invitations_remind",
    ),
    path("ankiety/<int:campaign_pk>/wprowadz/", response_enter, name="response_enter"),
    path("ankiety/kwestionariusze/", questionnaire_list, name="questionnaire_list"),
    path(
        "ankiety/kwestionariusze/<int:questionnaire_pk>/",
        questionnaire_edit,
        name="questionnaire_edit",
    ),
    path(
        "ankiety/kwestionariusze/<int:questionnaire_pk>/kopiuj/",
        questionnaire_copy,
        name="questionnaire_copy",
    ),
    path(
        "ankiety/kwestionariusze/<int:questionnaire_pk>/pytania/nowe/",
        question_add,
        name="question_add",
    ),
    path(
        "ankiety/kwestionariusze/<int:questionnaire_pk>/pytania/<int:question_pk>/",
        question_edit,
        name="question_edit",
    ),
    path(
        "ankiety/kwestionariusze/<int:questionnaire_pk>/pytania/<int:question_pk>/usun/",
        question_delete,
        name="question_delete",
    ),
    path(
        "ankiety/kwestionariusze/<int:questionnaire_pk>/pytania/<int:question_pk>/przesun/",
        question_move,
        name="question_move",
    ),
]
