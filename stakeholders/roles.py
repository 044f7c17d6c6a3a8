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
    "request_support": _("Ask the RSR for support for the LSR (consultation, training, mediation)"),
    "give_support": _("Work the RSR's support queue and record trainings for KIS teams"),
}


def roles_with(capability: str) -> frozenset[str]:
    return CAPABILITIES[capability]
