"""Explicit hooks for apps above this layer (procedure cards) to follow membership changes.

networks must not import procedures; procedures subscribes here in its AppConfig.ready().
Listeners run inside the service's transaction, so a failure rolls the whole change back.
"""

from collections.abc import Callable

NETWORK_CHANGED = "network_changed"  # kwargs: network

_listeners: dict[str, list[Callable]] = {}


def subscribe(event: str, listener: Callable) -> None:
    if listener not in _listeners.setdefault(event, []):
        _listeners[event].append(listener)


def publish(event: str, **kwargs) -> None:
    for listener in _listeners.get(event, []):
        listener(**kwargs)
