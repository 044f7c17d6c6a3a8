from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Gmina, Organisation, Voivodeship
from stakeholders.roles import Role

from . import invitations


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    voivodeship: forms.ModelChoiceField[Voivodeship] = forms.ModelChoiceField(
        label=_("Voivodeship"), queryset=None, required=False
    )
    gminas: forms.ModelMultipleChoiceField[Gmina] = forms.ModelMultipleChoiceField(
        label=_("Gminas"),
        queryset=None,
        required=False,
        help_text=_("Hold Ctrl (Cmd) to choose several."),
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("A member of your LSR, the KIS among them (KIS staff)."),
    )

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        roles = invitations.invitable_roles(inviter)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
        needed = {
            Role.ROPS: "voivodeship",
            Role.ANIMATOR: "gminas",
            Role.PARTNER: "organisation",
        }
        kept = {needed[r] for r in roles if r in needed}
        for name in ("voivodeship", "gminas", "organisation"):
            if name not in kept:
                del self.fields[name]
        if "voivodeship" in self.fields:
            self.fields["voivodeship"].queryset = invitations.invitable_voivodeships(inviter)
        if "gminas" in self.fields:
            self.fields["gminas"].queryset = invitations.invitable_gminas(inviter)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = invitations.invitable_organisations(inviter)

    def target(self) -> invitations.Target:
        data = self.cleaned_data
        return invitations.Target(
            role=data["role"],
            voivodeship=data.get("voivodeship"),
            gminas=list(data.get("gminas") or []),
            organisation=data.get("organisation"),
        )


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: e-mail, first name, last name and scope (the TERYT code of the gmina or "
            "voivodeship, or the NIP or name of the organisation)."
        ),
    )


class AcceptForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            from django.contrib.auth import get_user_model

            probe = get_user_model()(
                username=self.email,
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        max_length=32,
        required=False,
        regex=r"^[0-9 +()\-]{6,32}$",
        error_messages={"invalid": _("Enter a phone number: digits, spaces, +, - and brackets.")},
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"))
