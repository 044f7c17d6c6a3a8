"""The adopted KSR recommendations as a page section: the KSR network page (networks app, a lower
layer) shows them without importing this app."""

from typing import Any

from django import template

from ksr_portal.recommendations.selectors import adopted_recommendations

register = template.Library()


@register.inclusion_tag("recommendations/_adopted.html")
def adopted_recommendations_section(limit: int = 10) -> dict[str, Any]:
    return {"recommendations": list(adopted_recommendations()[:limit])}
