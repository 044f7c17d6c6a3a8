import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import ContactPerson, Gmina, Organisation
from .validators import digits_only


class OrganisationForm(forms.ModelForm):
    """Validates and normalises an organisation; used by the page form and by the import."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "stakeholder_type",
            "institution_kind",
            "sector",
            "legal_form",
            "operating_scope",
            "street",
            "postal_code",
            "city",
            "gmina",
            "nip",
            "regon",
            "krs",
            "email",
            "phone",
            "website",
        ]
        widgets = {"stakeholder_type": forms.RadioSelect}

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, gminas: QuerySet[Gmina] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = gminas if gminas is not None else Gmina.objects.all()
        gmina = self.fields["gmina"]
        assert isinstance(gmina, forms.ModelChoiceField)  # the model's foreign key
        gmina.queryset = qs.select_related("county")
        # Django documents replacing label_from_instance; its stub declares a method
        gmina.label_from_instance = lambda g: f"{g.name} – {g.county.name} ({g.code})"  # type: ignore[method-assign,assignment]

    def clean_nip(self) -> str:
        return digits_only(self.cleaned_data["nip"])

    def clean_regon(self) -> str:
        return digits_only(self.cleaned_data["regon"])

    def clean_krs(self) -> str:
        return digits_only(self.cleaned_data["krs"])

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and not re.fullmatch(r"\d{2}-\d{3}", value):
            raise forms.ValidationError(_("Postal code must look like 22-150."))
        return value


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "function", "email", "phone", "legal_basis", "consent_date"]
        widgets = {"consent_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
