from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class _UserNameLengthMixin(AuthenticationForm):
    """Django's login form sets the user name's ``max_length`` after the field is built, so no
    validator holds it: an over-long name went on to the failed-login tracker (django-axes),
    whose column is shorter, and answered 500. Here it is a form error, like any other field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        max_length = getattr(field, "max_length", None)  # a CharField's, set by the form
        if max_length is not None:
            field.validators.append(MaxLengthValidator(max_length))


class PortalAuthenticationForm(_UserNameLengthMixin):
    error_messages = {
        "invalid_login": _(
            "Incorrect user name or password. Check both and try again (letter case matters)."
        ),
        "inactive": _("This account is inactive. Contact the portal administrator."),
    }


class PortalAdminAuthenticationForm(_UserNameLengthMixin, AdminAuthenticationForm):
    """The Django admin's own login page, with the same limit."""
