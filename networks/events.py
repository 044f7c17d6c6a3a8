"""Explicit hooks for apps above this layer (procedure cards) to follow membership changes.

networks must not import procedures; procedures subscribes here in its AppConfig.ready().
Listeners run inside the service's transaction, so a failure rolls the whole change back.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

NETWORK_CHANGED = "network_changed"  # kwargs: network
# Published by every service that changes a figure of the dashboards (members, agreements, cards,
# activities, meetings, monitoring, survey responses), after its writes; the dashboards' summary
# rows of these LSRs are recomputed in the same transaction.
FIGURES_CHANGED = "figures_changed"  # kwargs: network_ids

_listeners: dict[str, list[Callable]] = {}


def subscribe(event: str, listener: Callable) -> None:
    if listener not in _listeners.setdefault(event, []):
        _listeners[event].append(listener)


_batch = threading.local()


def figures_changed(*network_ids: int) -> None:
    batch = getattr(_batch, "network_ids", None)
    if batch is not None:
        batch.update(network_ids)
        return
    publish(FIGURES_CHANGED, network_ids=list(network_ids))


@contextmanager
def figures_batched() -> Iterator[None]:
    """Inside the block, FIGURES_CHANGED is gathered and published once at its end, naming every
    LSR that changed: for loaders that call many services in one transaction (the demo: 320
    recomputations of the same few LSRs otherwise). Nothing is published when the block fails;
    an inner block joins the outer one."""
    if getattr(_batch, "network_ids", None) is not None:
        yield
        return
    gathered: set[int] = set()
    _batch.network_ids = gathered
    try:
        yield
    finally:
        _batch.network_ids = None
    if gathered:
        publish(FIGURES_CHANGED, network_ids=sorted(gathered))


def network_figures_changed(network) -> None:
    """After a change in a network of any tier: only an LSR has dashboard figures (an RSR's or
    the KSR's meetings and members are not summed as an LSR's)."""
    if network.tier == "lsr":
        figures_changed(network.pk)


def publish(event: str, **kwargs) -> None:
    for listener in _listeners.get(event, []):
        listener(**kwargs)
