from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import PotentialStakeholder

from ..models import SeminarParticipant


class SeminarParticipantForm(forms.ModelForm):
    class Meta:
        model = SeminarParticipant
        fields = ["name", "organisation", "role", "candidate"]
        help_texts = {
            "organisation": _("Leave empty for a resident."),
            "candidate": _("If the person represents an organisation on the LSR's list."),
        }

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = (
            candidates if candidates is not None else PotentialStakeholder.objects.none()
        )
        self.fields["candidate"].empty_label = _("— none —")
