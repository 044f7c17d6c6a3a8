"""Forms of the questionnaire builder, survey campaigns, invitations and paper entry."""

import secrets

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Audience, Campaign, Channel, Question, QuestionKind, Questionnaire
from ..services.campaigns import goto_problem

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTI}


# --- builder ---------------------------------------------------------------------------------


class QuestionnaireCopyForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the copy"),
        max_length=255,
        required=False,
        help_text=_("Empty: the title of the template."),
    )


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "introduction", "signature"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}


class QuestionKindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)


BRANCH_ACTIONS = [
    ("", _("nothing more")),
    ("goto", _("go to question…")),
    ("list", _("ask for a list of items")),
    ("text", _("ask for a text")),
]
BRANCH_LABELS = {"yes": _("If the answer is “yes”"), "no": _("If the answer is “no”")}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    """One question; only the fields of its kind are shown. Skip logic is entered as plain
    fields (per yes/no answer, per option of a single choice) and stored in Question.logic."""

    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=QuestionKind.choices,
        help_text=_("After changing the kind, save and fill in the fields of the new kind."),
    )
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)

    def __init__(
        self, *args, instance: Question | None = None, kind=None, numbers=(), number=None, **kwargs
    ):
        self.instance = instance
        self.number = instance.number if instance else number
        self.numbers = set(numbers)
        initial = kwargs.pop("initial", None) or {}
        if instance is not None:
            initial = {**self._initial_from(instance), **initial}
        super().__init__(*args, initial=initial, **kwargs)
        kind = (self.data.get("kind") if self.is_bound else None) or kind or initial.get("kind")
        self.kind = kind if kind in QuestionKind.values else QuestionKind.SHORT_TEXT
        self.fields["kind"].initial = self.kind
        self._add_kind_fields()

    # ---- building ----

    @staticmethod
    def _initial_from(q: Question) -> dict:
        initial = {
            "kind": q.kind,
            "text": q.text,
            "required": q.required,
            "options": "\n".join(q.options or []),
            "other_label": q.other_label,
            "list_size": q.list_size,
            "scale_min": q.scale_min,
            "scale_max": q.scale_max,
        }
        logic = q.logic or {}
        for answer in ("yes", "no"):
            spec = logic.get(answer) or {}
            if spec.get("goto") is not None:
                initial[f"{answer}_action"] = "goto"
                initial[f"{answer}_goto"] = spec["goto"]
            elif spec.get("followup"):
                followup = spec["followup"]
                initial[f"{answer}_action"] = "list" if followup.get("kind") == "list" else "text"
                initial[f"{answer}_size"] = followup.get("size", 3)
                initial[f"{answer}_prompt"] = followup.get("text", "")
        for i, option in enumerate(q.options or []):
            spec = logic.get(option) or {}
            initial[f"jump_{i}"] = spec.get("goto")
            initial[f"specify_{i}"] = bool(spec.get("specify"))
        return initial

    def _options_now(self) -> list[str]:
        if self.is_bound:
            return _lines(self.data.get("options", ""))
        return _lines(self.initial.get("options", ""))

    def _add_kind_fields(self) -> None:
        f = self.fields
        kind = self.kind
        if kind in CHOICE_KINDS:
            f["options"] = forms.CharField(
                label=_("Answer options"),
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("One option per line."),
            )
            f["other_label"] = forms.CharField(
                label=_("“Other – specify” field"),
                max_length=255,
                required=False,
                help_text=_("The label of a free-text field; empty: no such field."),
            )
            for i, option in enumerate(self._options_now()):
                if kind == QuestionKind.SINGLE:
                    f[f"jump_{i}"] = forms.IntegerField(
                        label=_("If “%(option)s” is chosen: go to question") % {"option": option},
                        required=False,
                        min_value=1,
                        help_text=_("Empty: the next question."),
                    )
                f[f"specify_{i}"] = forms.BooleanField(
                    label=_("“%(option)s” needs the “other – specify” field filled in")
                    % {"option": option},
                    required=False,
                )
        elif kind == QuestionKind.LIST:
            f["list_size"] = forms.IntegerField(
                label=_("Number of items"), min_value=1, max_value=20, initial=3
            )
        elif kind == QuestionKind.SCALE:
            f["scale_min"] = forms.IntegerField(label=_("Scale from"), initial=1)
            f["scale_max"] = forms.IntegerField(label=_("Scale to"), initial=5)
        elif kind == QuestionKind.YES_NO:
            for answer in ("yes", "no"):
                branch = BRANCH_LABELS[answer]
                f[f"{answer}_action"] = forms.ChoiceField(
                    label=branch, choices=BRANCH_ACTIONS, required=False
                )
                f[f"{answer}_goto"] = forms.IntegerField(
                    label=_("%(branch)s: go to question number") % {"branch": branch},
                    required=False,
                    min_value=1,
                )
                f[f"{answer}_size"] = forms.IntegerField(
                    label=_("%(branch)s: number of list items") % {"branch": branch},
                    required=False,
                    min_value=1,
                    max_value=20,
                    initial=3,
                )
                f[f"{answer}_prompt"] = forms.CharField(
                    label=_("%(branch)s: prompt of the follow-up") % {"branch": branch},
                    required=False,
                    max_length=500,
                )

    # ---- cleaning ----

    def _check_jump(self, name: str, target) -> None:
        if target is None:
            return
        problem = goto_problem(number=self.number, target=target, numbers=self.numbers)
        if problem:
            self.add_error(name, problem)

    def clean(self):
        data = super().clean()
        kind = self.kind
        values = {
            "kind": kind,
            "text": data.get("text", ""),
            "required": data.get("required", False),
            "options": [],
            "other_label": "",
            "logic": {},
        }
        logic: dict = {}
        if kind in CHOICE_KINDS:
            options = _lines(data.get("options", ""))
            if "options" in data:
                if len(options) < 2:
                    self.add_error("options", gettext("Give at least two options."))
                elif len(set(options)) != len(options):
                    self.add_error("options", gettext("Each option must be different."))
            values["options"] = options
            values["other_label"] = data.get("other_label", "")
            for i, option in enumerate(options):
                spec = {}
                target = data.get(f"jump_{i}") if kind == QuestionKind.SINGLE else None
                if target is not None:
                    spec["goto"] = target
                    self._check_jump(f"jump_{i}", target)
                if data.get(f"specify_{i}"):
                    if not values["other_label"]:
                        self.add_error(
                            f"specify_{i}",
                            gettext("Give the label of the “other – specify” field first."),
                        )
                    spec["specify"] = True
                if spec:
                    logic[option] = spec
        elif kind == QuestionKind.LIST:
            values["list_size"] = data.get("list_size") or 3
        elif kind == QuestionKind.SCALE:
            low, high = data.get("scale_min"), data.get("scale_max")
            if low is not None and high is not None and low >= high:
                self.add_error("scale_max", gettext("The scale must end above its start."))
            values["scale_min"], values["scale_max"] = low, high
        elif kind == QuestionKind.YES_NO:
            for answer in ("yes", "no"):
                action = data.get(f"{answer}_action")
                if action == "goto":
                    target = data.get(f"{answer}_goto")
                    if target is None:
                        self.add_error(f"{answer}_goto", gettext("Give the question number."))
                    else:
                        self._check_jump(f"{answer}_goto", target)
                        logic[answer] = {"goto": target}
                elif action in ("list", "text"):
                    prompt = (data.get(f"{answer}_prompt") or "").strip()
                    if not prompt:
                        self.add_error(
                            f"{answer}_prompt", gettext("Give the prompt of the follow-up.")
                        )
                    followup = {"kind": action, "text": prompt}
                    if action == "list":
                        followup["size"] = data.get(f"{answer}_size") or 3
                    logic[answer] = {"followup": followup}
        values["logic"] = logic
        self.values = values
        return data


# --- campaigns -------------------------------------------------------------------------------


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["questionnaire", "title", "audience", "opens_at", "closes_at", "anonymous"]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME}
        help_texts = {
            "anonymous": _("Answers are never linked to a person or an invitation."),
        }

    def __init__(self, *args, questionnaires=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = (
            questionnaires if questionnaires is not None else Questionnaire.objects.none()
        )
        self.fields["questionnaire"].label_from_instance = lambda q: (
            gettext("%(title)s (default template)") % {"title": q.title}
            if q.network_id is None
            else q.title
        )
        self.fields["audience"].initial = Audience.INSTITUTIONS
        self.fields["anonymous"].initial = True

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", gettext("The survey must close after it opens."))
        return data


class InvitationsForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One per line, or separated by commas. Addresses already invited are skipped."),
    )


class ResponseEntryForm(forms.Form):
    """The frame of a paper / e-mail response; the answers are the schema's own fields."""

    channel = forms.ChoiceField(
        label=_("How the answers were collected"),
        choices=[(Channel.PAPER, Channel.PAPER.label), (Channel.EMAIL, Channel.EMAIL.label)],
        initial=Channel.PAPER,
        widget=forms.RadioSelect,
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", secrets.token_urlsafe(24))


# --- rendering the questions of a frozen schema ----------------------------------------------

ANSWER_LABELS = {"yes": _("Yes"), "no": _("No")}


def _value(raw, name: str) -> str:
    if raw is None:
        return ""
    value = raw.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return value if isinstance(value, str) else str(value)


def _values(raw, name: str) -> list[str]:
    if raw is None:
        return []
    if hasattr(raw, "getlist"):
        return raw.getlist(name)
    value = raw.get(name, [])
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _branch_label(question: dict, answer: str) -> str:
    return str(ANSWER_LABELS.get(answer, answer)) if question["kind"] == "yes_no" else answer


def schema_questions(schema: dict, raw=None, errors=None) -> list[dict]:
    """The questions of a schema as plain dicts for ``surveys/campaigns/_question.html``, with
    the values typed (``raw``: request.POST or a dict) and the engine's errors per field."""
    errors = errors or {}
    rendered = []
    for q in sorted(schema.get("questions", []), key=lambda q: q["number"]):
        n, kind = q["number"], q["kind"]
        name = f"q{n}"
        logic = q.get("logic") or {}
        item = {
            "number": n,
            "kind": kind,
            "text": q["text"],
            "required": q.get("required", True),
            "name": name,
            "errors": errors.get(name, []),
            "value": _value(raw, name),
            "choices": [],
            "items": [],
            "other": None,
            "followups": [],
            "jumps": [],
        }
        if kind in ("choice_single", "choice_multi", "yes_no", "scale"):
            if kind == "yes_no":
                options = [("yes", ANSWER_LABELS["yes"]), ("no", ANSWER_LABELS["no"])]
            elif kind == "scale":
                low, high = q.get("scale_min", 1), q.get("scale_max", 5)
                options = [(str(v), str(v)) for v in range(low, high + 1)]
            else:
                options = [(o, o) for o in q.get("options", [])]
            chosen = set(_values(raw, name)) if kind == "choice_multi" else {item["value"]}
            item["choices"] = [
                {"value": value, "label": label, "id": f"id_{name}_{i}", "checked": value in chosen}
                for i, (value, label) in enumerate(options)
            ]
            item["input_type"] = "checkbox" if kind == "choice_multi" else "radio"
        if kind == "list":
            item["items"] = [
                {"name": f"{name}_{i}", "value": _value(raw, f"{name}_{i}"), "number": i}
                for i in range(1, int(q.get("list_size", 3)) + 1)
            ]
        if q.get("other_label"):
            item["other"] = {
                "name": f"{name}_other",
                "label": q["other_label"],
                "value": _value(raw, f"{name}_other"),
                "errors": errors.get(f"{name}_other", []),
            }
        # follow-ups sharing field names (e.g. a list after "yes" and after "no") are one group
        groups: dict[str, dict] = {}
        for answer, spec in logic.items():
            spec = spec or {}
            if spec.get("goto") is not None:
                item["jumps"].append(
                    {"answer": _branch_label(q, answer), "target": int(spec["goto"])}
                )
            followup = spec.get("followup")
            if not followup:
                continue
            fkind = "list" if followup.get("kind") == "list" else "text"
            group = groups.setdefault(
                fkind,
                {"kind": fkind, "prompts": [], "size": 0, "name": f"{name}_f", "items": []},
            )
            group["prompts"].append(
                {"answer": _branch_label(q, answer), "text": followup.get("text", "")}
            )
            if fkind == "list":
                group["size"] = max(group["size"], int(followup.get("size", 3)))
        for group in groups.values():
            group["errors"] = errors.get(f"{name}_f", [])
            if group["kind"] == "list":
                group["items"] = [
                    {"name": f"{name}_f{i}", "value": _value(raw, f"{name}_f{i}"), "number": i}
                    for i in range(1, group["size"] + 1)
                ]
            else:
                group["value"] = _value(raw, f"{name}_f")
            item["followups"].append(group)
        rendered.append(item)
    return rendered
