"""The safety net of the summary rows: writes that bypass the services (the admin site, a shell,
a cascade of deletions) still reach the dashboards at the next request.

The services keep the rows fresh themselves, inside their transaction (FIGURES_CHANGED). Every
other write to a table the figures are computed from is noticed here by the model signals: the
LSRs it touched are noted, and when the transaction commits their rows are recomputed, except
those that a service of the same transaction has recomputed since (no double work on the
services' path). Deleting an LSR recomputes its voivodeship's roll-up row.

Bulk writes (``bulk_create``, ``QuerySet.update``) send no signal: the code that uses them
publishes FIGURES_CHANGED itself (the imports) or refreshes the rows (the national data set).
"""

import threading
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from networks.models import Membership, Network, Partnership, Tier
from procedures.models import Activity, Card, Meeting, MonitoringTerm
from stakeholders.models import Organisation
from surveys.models import Campaign, Response

from .summaries import regions_refresh, summaries_refresh


@dataclass
class _Pending:
    """What the open transaction changed outside the services, by the key the row has at hand
    (an activity knows its card, a response its campaign, an organisation its memberships):
    ``kind -> {key: generation}``. A service's refresh of an LSR serves the notes about it taken
    before that refresh (an earlier generation), not those taken after."""

    notes: dict[str, dict] = field(default_factory=dict)
    regions: set[str] = field(default_factory=set)
    refreshed: dict[int, int] = field(default_factory=dict)  # LSR id -> generation refreshed
    generation: int = 0
    callback: object = None
    position: int = 0  # of the callback in the connection's list when registered


_state = threading.local()


def _pending() -> _Pending:
    """This thread's notes for the open transaction; new ones (and their commit callback) when
    the last transaction committed or rolled back."""
    pending = getattr(_state, "pending", None)
    if pending is None or not _waiting(pending):
        pending = _state.pending = _Pending()

        def flush() -> None:
            if getattr(_state, "pending", None) is pending:
                _state.pending = None
            _flush(pending)

        pending.callback = flush
        pending.position = len(connection.run_on_commit)
        transaction.on_commit(flush)
    return pending


def _waiting(pending: _Pending) -> bool:
    """Is the notes' commit callback still registered (neither run nor rolled back)? Looked up
    where it was put first: a long transaction may hold many other callbacks."""
    callbacks = connection.run_on_commit
    at = pending.position
    if at < len(callbacks) and callbacks[at][1] is pending.callback:
        return True
    return any(entry[1] is pending.callback for entry in callbacks)


def forget_pending() -> None:
    """Drop this thread's notes (tests: their fixtures' writes wait for a commit of the test's
    outer transaction that never comes; the test's own writes then start a new set)."""
    _state.pending = None


def _note(kind: str, key) -> None:
    if not connection.in_atomic_block:  # autocommit: the write is in, refresh now
        _flush(_Pending(notes={kind: {key: 0}}))
        return
    pending = _pending()
    pending.notes.setdefault(kind, {})[key] = pending.generation


def _resolved(kind: str, keys) -> dict:
    """key -> LSR id, for the notes of one kind."""
    if kind == "networks":
        return {key: {key} for key in keys}
    if kind == "cards":
        rows = Card.objects.filter(pk__in=keys).values_list("pk", "network_id")
    elif kind == "campaigns":
        rows = Campaign.objects.filter(pk__in=keys).values_list("pk", "network_id")
    else:  # organisations: every network they are a member of
        rows = Membership.objects.filter(organisation__in=keys).values_list(
            "organisation_id", "network_id"
        )
    resolved: dict = {}
    for key, network_id in rows:
        resolved.setdefault(key, set()).add(network_id)
    return resolved


def _flush(pending: _Pending) -> None:
    ids: set[int] = set()
    for kind, notes in pending.notes.items():
        for key, network_ids in _resolved(kind, list(notes)).items():
            noted_at = notes[key]
            for network_id in network_ids:
                if pending.refreshed.get(network_id, -1) < noted_at:
                    ids.add(network_id)
    if not ids and not pending.regions:
        return
    with transaction.atomic():
        if ids:
            summaries_refresh(network_ids=ids)
        if pending.regions:
            regions_refresh(codes=pending.regions)


def on_figures_changed(*, network_ids, **_kwargs) -> None:
    """FIGURES_CHANGED listener: a service's writes, recomputed inside its transaction."""
    summaries_refresh(network_ids=network_ids)
    note_refreshed(network_ids)


def note_refreshed(network_ids) -> None:
    """A service recomputed these LSRs' rows in the open transaction: the notes taken so far
    about them are served."""
    pending = getattr(_state, "pending", None)
    if pending is None or not connection.in_atomic_block:
        return
    for network_id in network_ids:
        pending.refreshed[network_id] = pending.generation
    pending.generation += 1


def _noted(kind: str, key: str):
    def receiver(sender, instance, **kwargs) -> None:
        value = getattr(instance, key)
        if not kwargs.get("raw") and value is not None:  # not while loading fixtures as they are
            _note(kind, value)

    return receiver


def _network_saved(sender, instance: Network, **kwargs) -> None:
    if not kwargs.get("raw") and instance.tier == Tier.LSR:
        _note("networks", instance.pk)


def _network_deleted(sender, instance: Network, **kwargs) -> None:
    if instance.tier != Tier.LSR or not instance.teryt_code:
        return
    if connection.in_atomic_block:
        _pending().regions.add(instance.teryt_code[:2])
    else:
        regions_refresh(codes={instance.teryt_code[:2]})


WATCHED = (
    (Membership, "networks", "network_id"),
    (Partnership, "networks", "network_id"),
    (Card, "networks", "network_id"),
    (Meeting, "networks", "network_id"),
    (MonitoringTerm, "networks", "network_id"),
    (Activity, "cards", "card_id"),
    (Response, "campaigns", "campaign_id"),
    (Organisation, "organisations", "pk"),
)


def connect() -> None:
    """Called once, from the app's ready()."""
    post_save.connect(_network_saved, sender=Network, dispatch_uid="figures_network_saved")
    post_delete.connect(_network_deleted, sender=Network, dispatch_uid="figures_network_deleted")
    for model, attribute, key in WATCHED:
        receiver = _noted(attribute, key)
        for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                receiver,
                sender=model,
                weak=False,
                dispatch_uid=f"figures_{model._meta.label_lower}_{name}",
            )
