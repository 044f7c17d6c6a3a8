from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class PortalAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Incorrect user name or password. Check both and try again (letter case matters)."
        ),
        "inactive": _("This account is inactive. Contact the portal administrator."),
    }
