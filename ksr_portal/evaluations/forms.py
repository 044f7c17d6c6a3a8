"""Forms of an evaluation: the evaluation itself, its findings and its deficiencies."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from .models import Deficiency, Evaluation, Finding

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = [
            "title",
            "period_start",
            "period_end",
            "method",
            "evaluators",
            "aim",
            "campaigns",
            "interviews",
            "conclusion",
            "completed_on",
        ]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "completed_on": DATE,
            "method": forms.RadioSelect,
            "evaluators": forms.Textarea(attrs={"rows": 2}),
            "aim": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 6}),
            "campaigns": forms.CheckboxSelectMultiple,
            "interviews": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, campaigns, interviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = _("E.g. Evaluation of the LSR 2017.")
        self.fields["campaigns"].queryset = campaigns
        self.fields["campaigns"].label_from_instance = lambda c: (
            f"{c.title} – {c.get_audience_display()} ({c.response_count})"
        )
        self.fields["campaigns"].help_text = _(
            "The surveys whose results the report shows, one per respondent group "
            "(number of responses in brackets)."
        )
        self.fields["interviews"].queryset = interviews
        self.fields["interviews"].label_from_instance = lambda i: (
            f"{i.kind} {i.held_on:%d.%m.%Y}"
            + (f" – {i.organisation.label}" if i.organisation_id else "")
            + f" ({i.participant_count})"
        )
        self.fields["interviews"].help_text = _(
            "The report quotes their summaries and notes with the participants' profile only, "
            "never a name."
        )
        self.fields["conclusion"].help_text = _("The summary (reasumpcja) closing the report.")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class FindingForm(forms.ModelForm):
    share = forms.DecimalField(
        label=_("share of indications (%)"),
        required=False,
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.1"}),
    )

    class Meta:
        model = Finding
        fields = ["kind", "audience", "text", "share", "band_low", "band_high"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        low, high = data.get("band_low"), data.get("band_high")
        if (low is None) != (high is None):
            self.add_error("band_high", _("Give both ends of the band, or neither."))
        elif low is not None and not low <= high <= 100:
            self.add_error(
                "band_high", _("The band runs from a lower to a higher share, at most 100%.")
            )
        return data


class DeficiencyForm(forms.ModelForm):
    class Meta:
        model = Deficiency
        fields = ["text", "obliged", "deadline", "removed_on", "notes"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 1}),
            "deadline": DATE,
            "removed_on": DATE,
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["obliged"]
        field.queryset = organisations
        field.help_text = _("An active member of the LSR.")
        self.fields["removed_on"].help_text = _("Fill in when the deficiency has been removed.")
        if self.instance.pk and self.instance.obliged_id:
            # a partner that has left since stays valid on its existing deficiency
            field.queryset = (
                organisations | organisations.model.objects.filter(pk=self.instance.obliged_id)
            ).distinct()


class DeficiencyFormSet(BaseInlineFormSet):
    def __init__(self, *args, organisations=None, **kwargs):
        self.organisations = organisations
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "organisations": self.organisations}


def finding_formset_class(extra: int = 3):
    return inlineformset_factory(
        Evaluation, Finding, form=FindingForm, extra=extra, can_delete=True
    )


def deficiency_formset_class(extra: int = 2):
    return inlineformset_factory(
        Evaluation,
        Deficiency,
        form=DeficiencyForm,
        formset=DeficiencyFormSet,
        extra=extra,
        can_delete=True,
    )
