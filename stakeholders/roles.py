"""Roles and what each may do: written down once, here. README's table and the tests follow it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ANIMATOR = "animator", _("Animator")
    ROPS = "rops", _("ROPS coordinator")
    KSR = "ksr", _("KSR coordinator")
    PARTNER = "partner", _("Partner representative")
    ADMIN = "admin", _("Administrator")


# Where a role's reach ends (the scope); every capability applies only inside it.
ROLE_SCOPE = {
    Role.ANIMATOR: _("their gmina(s)"),
    Role.ROPS: _("their voivodeship"),
    Role.KSR: _("the whole country"),
    Role.PARTNER: _("their organisation"),
    Role.ADMIN: _("the whole country"),
}

# capability -> roles that have it (inside their scope).
CAPABILITIES: dict[str, frozenset[str]] = {
    "view_territory": frozenset({Role.ANIMATOR, Role.ROPS, Role.KSR, Role.ADMIN}),
    "view_networks": frozenset({Role.ANIMATOR, Role.ROPS, Role.KSR, Role.PARTNER, Role.ADMIN}),
    "manage_networks": frozenset({Role.ANIMATOR, Role.ADMIN}),
    "manage_organisations": frozenset({Role.ANIMATOR, Role.ADMIN}),
    "view_regional_dashboard": frozenset({Role.ROPS, Role.KSR, Role.ADMIN}),
    "view_national_dashboard": frozenset({Role.KSR, Role.ADMIN}),
    "work_own_tasks": frozenset({Role.ANIMATOR, Role.PARTNER}),
    "work_cards": frozenset({Role.ANIMATOR, Role.PARTNER, Role.ADMIN}),
    "post_needs": frozenset({Role.ANIMATOR, Role.ADMIN}),
    "run_meetings": frozenset({Role.ANIMATOR, Role.ADMIN}),
    "supply_monitoring": frozenset({Role.ANIMATOR, Role.PARTNER, Role.ADMIN}),
    "share_documents": frozenset({Role.ANIMATOR, Role.PARTNER, Role.ADMIN}),
    "manage_library": frozenset({Role.ANIMATOR, Role.ADMIN}),
    "run_surveys": frozenset({Role.ANIMATOR, Role.ADMIN}),
    "view_survey_results": frozenset({Role.ANIMATOR, Role.ROPS, Role.KSR, Role.ADMIN}),
    "run_interviews": frozenset({Role.ANIMATOR, Role.ADMIN}),
    "run_evaluations": frozenset({Role.ANIMATOR, Role.ADMIN}),
    "print_documents": frozenset({Role.ANIMATOR, Role.ADMIN}),
    "view_audit_history": frozenset({Role.ADMIN}),
    "manage_users": frozenset({Role.ADMIN}),
    "invite_users": frozenset({Role.ANIMATOR, Role.ROPS, Role.KSR, Role.ADMIN}),
    "submit_experience": frozenset({Role.ANIMATOR, Role.ROPS, Role.ADMIN}),
    "review_experience": frozenset({Role.ROPS, Role.ADMIN}),
    "compose_recommendations": frozenset({Role.KSR, Role.ADMIN}),
    "search_findings": frozenset({Role.ROPS, Role.KSR, Role.ADMIN}),
    "escalate_needs": frozenset({Role.ROPS, Role.KSR, Role.ADMIN}),
    "offer_resources": frozenset({Role.ROPS, Role.KSR, Role.PARTNER, Role.ADMIN}),
    "run_regional_network": frozenset({Role.ROPS, Role.ADMIN}),
    "run_national_network": frozenset({Role.KSR, Role.ADMIN}),
    "request_support": frozenset({Role.ANIMATOR, Role.ADMIN}),
    "give_support": frozenset({Role.ROPS, Role.ADMIN}),
}

CAPABILITY_LABELS = {
    "view_territory": _("Browse the TERYT register (voivodeships, counties, gminas)"),
    "view_networks": _("See networks (LSR/RSR/KSR) and their members"),
    "manage_networks": _("Found and run an LSR: members, partnerships, hub tasks"),
    "manage_organisations": _("Add and edit organisations and contact persons"),
    "view_regional_dashboard": _("Regional dashboard of LSRs"),
    "view_national_dashboard": _("National dashboard"),
    "work_own_tasks": _("My tasks: own procedure cards and needs addressed to me"),
    "work_cards": _("Work on procedure cards (a partner: its organisation's cards only)"),
    "post_needs": _("Post and close needs of the KIS/OPS"),
    "run_meetings": _("Record LSR meetings and set monitoring terms"),
    "supply_monitoring": _("Supply monitoring information (a partner: its organisation's only)"),
    "share_documents": _("Upload documents to the LSR library"),
    "manage_library": _("Delete documents from the LSR library"),
    "run_surveys": _("Build questionnaires, run survey campaigns, code answers"),
    "view_survey_results": _("Read survey results"),
    "run_interviews": _("Record interviews and see participants' names"),
    "run_evaluations": _("Write evaluations of an LSR"),
    "print_documents": _("Print agreements, cards and reports"),
    "view_audit_history": _("Audit history of changes"),
    "manage_users": _("Manage users and roles (Django admin)"),
    "invite_users": _("Invite people one tier down, never wider than one's own scope"),
    "submit_experience": _("Submit experience items of an LSR or an RSR to the KSR"),
    "review_experience": _("Review the region's experience items: forward, merge or return"),
    "compose_recommendations": _("Compose and adopt KSR recommendations"),
    "search_findings": _("Search evaluation findings and deficiencies of the LSRs by theme"),
    "escalate_needs": _(
        "Escalate an LSR's unmet need from the RSR to the KSR; record offers for member "
        "organisations"
    ),
    "offer_resources": _(
        "Offer a resource to a need escalated to the RSR/KSR (a partner: for its organisation)"
    ),
    "run_regional_network": _(
        "Run the RSR of their voivodeship (ROWR): members, meetings, library, partnerships"
    ),
    "run_national_network": _(
        "Run the KSR (national centre): members, meetings, library, partnerships"
    ),
    "request_support": _("Ask the RSR for support for the LSR (consultation, training, mediation)"),
    "give_support": _("Work the RSR's support queue and record trainings for KIS teams"),
}

# Who runs a network of each tier: the roles holding this capability. At an RSR or the KSR its
# runners have the network tools below instead of the animator; everything else (cards, needs,
# surveys, evaluations) stays the LSR's, so ROPS and KSR coordinators only read an LSR.
TIER_RUNNER_CAPABILITY = {
    "lsr": "manage_networks",
    "rsr": "run_regional_network",
    "ksr": "run_national_network",
}

# The tools every network has at every tier (members, organisations, meetings and monitoring,
# the library, task partnerships and their agreements).
NETWORK_CAPABILITIES = frozenset(
    {
        "manage_networks",
        "manage_organisations",
        "run_meetings",
        "supply_monitoring",
        "share_documents",
        "manage_library",
        "print_documents",
    }
)


def roles_with(capability: str) -> frozenset[str]:
    return CAPABILITIES[capability]


def roles_at_tier(capability: str, tier: str | None) -> frozenset[str]:
    """The roles that have a capability on a network of a tier: a network tool passes from the
    LSR's runners (the animator) to the tier's runners; a partner representative keeps what it
    has (for its own organisation, while that is a member). Other capabilities do not depend on
    the tier."""
    roles = CAPABILITIES[capability]
    if tier is None or tier == "lsr" or capability not in NETWORK_CAPABILITIES:
        return roles
    local_runners = CAPABILITIES[TIER_RUNNER_CAPABILITY["lsr"]]
    return (roles - local_runners) | CAPABILITIES[TIER_RUNNER_CAPABILITY[tier]]
