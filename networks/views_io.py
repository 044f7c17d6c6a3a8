"""Import of organisations and export of members (being written)."""

from django.http import Http404


def member_export(request, pk, fmt):
    raise Http404


def organisation_import(request, pk):
    raise Http404
