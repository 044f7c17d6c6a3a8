"""The public legal pages: no login needed (linked from every page's footer)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import privacy_notice_current, statement_current


@require_GET
def accessibility(request):
    return render(request, "legal/accessibility.html", {"statement": statement_current()})


@require_GET
def privacy(request):
    return render(request, "legal/privacy.html", {"notice": privacy_notice_current()})
