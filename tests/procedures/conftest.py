"""Fixtures shared by the needs tests (test_needs, test_needs_escalation)."""

import pytest
from django.utils import translation

from stakeholders.models import Organisation
from stakeholders.roles import Role
from tests.builders import make_org
from tests.factories import UserFactory


@pytest.fixture
def english(settings):
    """Messages are checked by their English msgids, whatever the translation pass does."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _member(network, name):
    return Organisation.objects.get(memberships__network=network, name=name)


@pytest.fixture
def cast(full_lsr, personas, territory):
    """The LSR of Żmudź with its KIS, GOPS, culture centre and a firm; a partner user for each
    of the culture centre and the firm; a non-member organisation of the same gmina."""
    culture = _member(full_lsr, "Gminne Centrum Kultury")
    firm = _member(full_lsr, "Firma Lokalna")
    personas["partner"].organisation = culture
    personas["partner"].save()
    firm_user = UserFactory(username="firm1", role=Role.PARTNER, organisation=firm)
    return {
        "lsr": full_lsr,
        "kis": _member(full_lsr, "KIS w Żmudzi"),
        "ops": _member(full_lsr, "GOPS Żmudź"),
        "culture": culture,
        "firm": firm,
        "outsider": make_org(territory["zmudz"], "C", name="Biblioteka spoza LSR"),
        "culture_user": personas["partner"],
        "firm_user": firm_user,
    }
