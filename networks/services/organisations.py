"""Editing an organisation and its contact persons from a network's pages."""

from django.db import transaction

from stakeholders.models import ContactPerson, Organisation, User

from ..events import NETWORK_CHANGED, figures_changed, publish
from ..models import Membership, Network

# what decides a member's procedure cards and the critical conditions of its networks
CARD_FIELDS = ("stakeholder_type", "institution_kind", "sector")


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, changed: list[str], user: User | None = None
) -> Organisation:
    """Save an organisation validated by ``OrganisationForm`` (its history records the editor).
    A change of type, kind or sector re-syncs the cards of every network it is an active member
    of, and their dashboard figures, in the same transaction."""
    organisation.full_clean()
    if user is not None:
        organisation._history_user = user
    organisation.save()
    if set(changed) & set(CARD_FIELDS):
        ids = (
            Membership.objects.filter(organisation=organisation)
            .active()
            .values_list("network_id", flat=True)
        )
        networks = list(Network.objects.filter(pk__in=ids))
        for network in networks:
            publish(NETWORK_CHANGED, network=network)
        figures_changed(*[n.pk for n in networks])
    return organisation


@transaction.atomic
def contact_person_update(*, contact: ContactPerson) -> ContactPerson:
    """Save a contact person validated by ``ContactPersonForm`` (its organisation unchanged)."""
    contact.full_clean()
    contact.save()
    return contact
