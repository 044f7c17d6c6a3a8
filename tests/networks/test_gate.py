"""The one network gate (``networks.selectors.network_get_for_user`` / ``lsr_get_for_user``) and
the one rule of every capability (``networks.selectors.may``): role table + the user's reach."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from networks.models import MemberRole, Tier
from networks.selectors import (
    lsr_get_for_user,
    may,
    member_organisations,
    network_get_for_user,
)
from networks.services import networks as network_services
from stakeholders.roles import CAPABILITIES, Role
from surveys.selectors.interviews import idi_coverage, interview_organisations

from ..builders import make_org
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

# (url name, capability the page needs; None = a reading page)
LSR_PAGES = [
    ("procedures:card_list", None),
    ("procedures:need_list", None),
    ("procedures:need_create", "post_needs"),
    ("procedures:meeting_list", None),
    ("procedures:meeting_create", "run_meetings"),
    ("procedures:monitoring", None),
    ("procedures:monitoring_term_create", "run_meetings"),
    ("procedures:library", None),
    ("procedures:library_upload", "share_documents"),
    ("surveys:campaign_list", None),
    ("surveys:campaign_create", "run_surveys"),
    ("surveys:questionnaire_list", None),
    ("surveys:results_compare", "view_survey_results"),
    ("surveys:interview_list", None),
    ("surveys:interview_create", "run_interviews"),
    ("surveys:guide_list", None),
    ("evaluations:evaluation_list", None),
    ("evaluations:evaluation_create", "run_evaluations"),
    ("printing:documents", None),
    ("printing:agreement_pdf", "print_documents"),
]


@pytest.fixture
def member_user(full_lsr, kis):
    return UserFactory(username="kis-rep", role=Role.PARTNER, organisation=kis)


# meetings, monitoring and the library are tools of a network of every tier (test_tiers.py)
NETWORK_TOOLS = {"procedures:meeting", "procedures:monitoring", "procedures:library"}
LSR_ONLY_PAGES = [p for p in LSR_PAGES if not p[0].startswith(tuple(NETWORK_TOOLS))]


@pytest.mark.parametrize(("url_name", "capability"), LSR_ONLY_PAGES)
def test_an_rsr_on_an_lsr_page_is_404(client, personas, full_lsr, url_name, capability):
    rsr = full_lsr.parent
    assert rsr is not None and rsr.tier == Tier.RSR
    client.force_login(personas["admin"])  # sees every network: only the tier says no
    assert client.get(reverse(url_name, args=[rsr.pk])).status_code == 404


@pytest.mark.parametrize(("url_name", "capability"), LSR_PAGES)
def test_an_lsr_outside_the_scope_is_404(client, personas, full_lsr, url_name, capability):
    for name in ("other_animator", "other_rops", "partner"):
        client.force_login(personas[name])
        got = client.get(reverse(url_name, args=[full_lsr.pk])).status_code
        assert got == 404, (name, url_name, got)


@pytest.mark.parametrize(("url_name", "capability"), [p for p in LSR_PAGES if p[1]])
def test_a_missing_capability_is_403(client, personas, full_lsr, url_name, capability):
    for name in ("animator", "rops", "ksr", "admin"):
        user = personas[name]
        client.force_login(user)
        got = client.get(reverse(url_name, args=[full_lsr.pk])).status_code
        if user.role in CAPABILITIES[capability] or user.is_superuser:
            assert got != 403, (name, url_name, got)
        else:
            assert got == 403, (name, url_name, got)


def test_the_gate_checks_scope_then_tier_then_capability(personas, full_lsr):
    rsr = full_lsr.parent
    animator, rops = personas["animator"], personas["rops"]
    assert lsr_get_for_user(user=animator, pk=full_lsr.pk) == full_lsr
    assert network_get_for_user(user=rops, pk=rsr.pk, tier=Tier.RSR) == rsr
    with pytest.raises(Http404):
        lsr_get_for_user(user=rops, pk=rsr.pk)  # in scope, wrong tier
    with pytest.raises(Http404):  # outside the scope: 404 even for a capability it lacks
        lsr_get_for_user(user=personas["other_rops"], pk=full_lsr.pk, capability="run_surveys")
    with pytest.raises(PermissionDenied):
        lsr_get_for_user(user=rops, pk=full_lsr.pk, capability="run_surveys")


def test_territorial_pages_are_404_for_a_member_partner(member_user, full_lsr):
    """Interviews and evaluations are research material: a member's representative sees the LSR
    but not these pages."""
    assert lsr_get_for_user(user=member_user, pk=full_lsr.pk) == full_lsr
    with pytest.raises(Http404):
        lsr_get_for_user(user=member_user, pk=full_lsr.pk, territorial=True)


def test_one_rule_for_every_capability(personas, member_user, full_lsr, kis, territory):
    """The role has the capability, and uses it inside its reach: the territory for anything,
    a partner only for its own organisation while it is an active member."""
    culture = full_lsr.memberships.exclude(organisation=kis).first().organisation
    animator, rops = personas["animator"], personas["rops"]
    assert may(animator, "supply_monitoring", full_lsr, culture.pk)
    assert may(member_user, "supply_monitoring", full_lsr, kis.pk)
    assert not may(member_user, "supply_monitoring", full_lsr, culture.pk)
    assert not may(rops, "supply_monitoring", full_lsr, kis.pk)  # the role lacks it
    assert not may(personas["other_animator"], "run_meetings", full_lsr)  # outside the reach
    # the same rule in every tool: a member's representative shares documents, as it supplies
    # monitoring information, but runs no meeting and posts no need
    assert may(member_user, "share_documents", full_lsr)
    assert not may(member_user, "run_meetings", full_lsr)
    assert not may(member_user, "post_needs", full_lsr)
    membership = full_lsr.memberships.get(organisation=kis)
    network_services.membership_end(membership=membership, left_on=timezone.localdate())
    assert not may(member_user, "share_documents", full_lsr)  # a former member: out of reach


def test_active_members_mean_the_same_everywhere(full_lsr, territory, kis):
    """An organisation whose membership starts tomorrow is not an active member yet: not for the
    network, nor for interviews and their IDI coverage (which once counted open memberships)."""
    newcomer = make_org(territory["zmudz"], "C", name="Dołączy jutro")
    network_services.membership_add(
        network=full_lsr,
        organisation=newcomer,
        role=MemberRole.MEMBER,
        joined_on=timezone.localdate() + timedelta(days=1),
    )
    assert newcomer not in member_organisations(full_lsr)
    assert newcomer in member_organisations(full_lsr, on=timezone.localdate() + timedelta(days=1))
    assert newcomer not in interview_organisations(full_lsr)
    assert newcomer not in {row.organisation for row in idi_coverage(full_lsr)}
    assert kis in interview_organisations(full_lsr)
