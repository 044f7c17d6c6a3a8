"""The request a portal view receives, for type checking.

Views behind ``login_required`` see a signed-in portal user, and django-htmx's middleware adds
``request.htmx``; Django's own ``HttpRequest`` type knows neither.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class PortalRequest(HttpRequest):
    user: User  # narrower than HttpRequest's: these views require a login
    htmx: HtmxDetails
