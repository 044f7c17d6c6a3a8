"""Forms of experience items and recommendations: they validate, the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExperienceItem, ItemStatus, Recommendation, Theme
from .selectors import EvidenceChoices


class _LabelledChoice(forms.ModelMultipleChoiceField):
    def __init__(self, *args, label_of, **kwargs):
        self._label_of = label_of
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self._label_of(obj)


def _short(text: str, n: int = 110) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class ExperienceItemForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Themes"),
        error_messages={"required": _("Choose at least one theme.")},
    )

    class Meta:
        model = ExperienceItem
        fields = ["kind", "title", "description", "themes", "tags"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, themes, evidence: EvidenceChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]
        self.fields["findings"] = _LabelledChoice(
            queryset=evidence.findings,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Evaluation findings"),
            label_of=lambda f: f"{f.evaluation.network.name}: {_short(f.text)}",
        )
        self.fields["deficiencies"] = _LabelledChoice(
            queryset=evidence.deficiencies,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Deficiencies"),
            label_of=lambda d: f"{d.evaluation.network.name}: {_short(d.text)}",
        )
        self.fields["cards"] = _LabelledChoice(
            queryset=evidence.cards,
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 6}),
            label=_("Procedure cards"),
            label_of=lambda c: " – ".join(
                str(p) for p in (f"{c.network.name}: {c}", c.organisation) if p
            ),
        )
        self.fields["documents"] = _LabelledChoice(
            queryset=evidence.documents,
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 4}),
            label=_("Library documents"),
            label_of=lambda d: f"{d.network.name}: {d.title}",
        )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=ExperienceItem.objects.none(),
        label=_("Merge into"),
        error_messages={"required": _("Choose the item to merge into.")},
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets
        self.fields["into"].label_from_instance = lambda i: f"{i.network.name}: {i.title}"


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the item is returned.")},
    )


class RecommendationForm(forms.ModelForm):
    items = forms.ModelMultipleChoiceField(
        queryset=ExperienceItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Experience items it rests on"),
        error_messages={
            "required": _("A recommendation rests on at least one experience item: choose one.")
        },
    )

    class Meta:
        model = Recommendation
        fields = ["title", "rationale", "addressee", "items"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items  # forwarded items stay forwarded
        self.fields["items"].label_from_instance = lambda i: (
            f"{i.network.name}: {i.title} ({i.get_kind_display()})"
        )


class ItemFilterForm(forms.Form):
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.none(), required=False, label=_("Theme"), empty_label=_("all")
    )
    status = forms.ChoiceField(
        choices=[("", _("all")), *ItemStatus.choices], required=False, label=_("Status")
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes


class FindingSearchForm(forms.Form):
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.none(), required=False, label=_("Theme"), empty_label=_("all")
    )
    q = forms.CharField(required=False, max_length=100, label=_("Text"))
    source = forms.ChoiceField(
        choices=[
            ("", _("findings and deficiencies")),
            ("finding", _("findings")),
            ("deficiency", _("deficiencies")),
        ],
        required=False,
        label=_("Show"),
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes
