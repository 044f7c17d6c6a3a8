from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ..models import Interview, InterviewGuide, InterviewKind, Participant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def note_field_name(part_index: int, question_index: int) -> str:
    return f"note_{part_index}_{question_index}"


class InterviewSetupForm(forms.Form):
    """Before recording: the kind of interview and the guide whose questions the notes follow."""

    kind = forms.ChoiceField(label=_("Kind of interview"), choices=InterviewKind.choices)
    guide = forms.ModelChoiceField(label=_("Guide"), queryset=InterviewGuide.objects.none())

    def __init__(self, *args, guides=None, **kwargs):
        super().__init__(*args, **kwargs)
        if guides is not None:
            self.fields["guide"].queryset = guides


class InterviewForm(forms.ModelForm):
    """The interview itself plus one note field per question of its guide (fixed per interview)."""

    class Meta:
        model = Interview
        fields = [
            "kind",
            "guide",
            "organisation",
            "moderator",
            "held_on",
            "duration_minutes",
            "consent_recorded",
            "summary",
        ]
        widgets = {"held_on": DATE, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, guide: InterviewGuide, guides, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.guide = guide
        self.fields["guide"].queryset = guides
        self.fields["guide"].disabled = True
        self.fields["guide"].initial = guide.pk
        self.fields["guide"].help_text = _(
            "The notes below follow this guide; choose another one before you start recording."
        )
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].help_text = _(
            "For an IDI: the stakeholder (member organisation) the respondents represent."
        )
        self.fields["consent_recorded"].help_text = _(
            "Information is processed for research only and personal data are kept only in the "
            "study's archive. Without recorded consent, participants' names stay empty."
        )
        self.main_field_names = list(self.fields)
        notes = (self.instance.notes if self.instance.pk else None) or {}
        self.part_groups = []
        for p, part in enumerate(guide.parts):
            names = []
            for q, question in enumerate(part.get("questions") or []):
                name = note_field_name(p, q)
                self.fields[name] = forms.CharField(
                    label=question,
                    required=False,
                    initial=notes.get(f"{p}.{q}", ""),
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                names.append(name)
            self.part_groups.append((p, part, names))

    def main_fields(self):
        return [self[name] for name in self.main_field_names]

    def note_groups(self):
        """[(part, [bound note fields])] in the guide's order, parts without questions included."""
        return [(part, [self[name] for name in names]) for _p, part, names in self.part_groups]

    def notes(self) -> dict[str, str]:
        """The notes as stored on the interview: {"<part>.<question>": text}, empty ones left out."""
        return {
            f"{p}.{q}": self.cleaned_data[name].strip()
            for p, _part, names in self.part_groups
            for q, name in enumerate(names)
            if self.cleaned_data.get(name, "").strip()
        }


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "gender", "age_band", "position", "years_in_gmina", "role"]

    def __init__(self, *args, allow_names: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if allow_names:
            self.fields["name"].help_text = _("Only with the participant's consent.")
        else:
            del self.fields["name"]


def participant_formset_class(extra: int):
    return inlineformset_factory(
        Interview,
        Participant,
        form=ParticipantForm,
        extra=extra,
        can_delete=True,
    )
