from django import template
from django.template.context import Context

from ..selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: Context) -> int:
    """The unread count for the bell in the header (one query per page)."""
    request = context.get("request")
    return unread_count(getattr(request, "user", None))
