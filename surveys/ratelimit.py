"""A small fixed-window rate limit on Django's cache (per client address and scope).

Settings (all optional):
  SURVEY_RATE_LIMIT        POSTs allowed per window (default 30)
  SURVEY_RATE_WINDOW       window length in seconds (default 600)
  SURVEY_CLIENT_IP_META    request.META key holding the client address when the portal runs
                           behind a reverse proxy that sets it (e.g. "HTTP_X_REAL_IP");
                           default REMOTE_ADDR.

The address is hashed before it becomes part of a cache key, and nothing is written anywhere
but the cache: the limit keeps no record of who answered.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = 30
DEFAULT_WINDOW = 600


def client_ip(request) -> str:
    meta_key = getattr(settings, "SURVEY_CLIENT_IP_META", None)
    value = request.META.get(meta_key, "") if meta_key else ""
    if value:
        # A proxy header may hold a chain "client, proxy1, proxy2": the first one is the client.
        value = value.split(",")[0].strip()
    return value or request.META.get("REMOTE_ADDR", "") or "unknown"


def _cache_key(scope: str, ip: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{ip}".encode()).hexdigest()
    return f"surveys:ratelimit:{digest}"


def hit(request, scope: str, *, limit: int | None = None, window: int | None = None) -> bool:
    """Count one request of this client in `scope`; False once the limit is exceeded."""
    limit = limit if limit is not None else getattr(settings, "SURVEY_RATE_LIMIT", DEFAULT_LIMIT)
    window = (
        window if window is not None else getattr(settings, "SURVEY_RATE_WINDOW", DEFAULT_WINDOW)
    )
    key = _cache_key(scope, client_ip(request))
    # add() only sets a missing key, so the window starts with the first request.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
