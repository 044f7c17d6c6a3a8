"""A fixed-window rate limit of the public survey pages, counted in the database by one atomic
upsert per request (INSERT … ON CONFLICT DO UPDATE … RETURNING): parallel requests cannot all
read the same old count, whatever the number of web processes.

Settings (all optional):
  SURVEY_RATE_LIMIT        POSTs allowed per window (default 30)
  SURVEY_RATE_WINDOW       window length in seconds (default 600)
  SURVEY_CLIENT_IP_META    request.META key holding the client address when the portal runs
                           behind a reverse proxy that sets it (e.g. "HTTP_X_REAL_IP");
                           default REMOTE_ADDR.

What is counted: a general link's POSTs per client address and campaign; a personal invitation
link's POSTs per invitation (so the many respondents of one office behind one address are not
blocked by each other, and a leaked link cannot be hammered). The key is a keyed hash (with
SECRET_KEY) of the scope and the address or invitation: no address is stored, and the counter
keeps no record of who answered.
"""

import hashlib
import time

from django.conf import settings
from django.db import connection, transaction

from .models import RateLimitCounter

# One statement, so the count cannot be read and written by two requests in between (PostgreSQL;
# SQLite ≥ 3.35 for `make run`). The SET expressions see the row as it was before the update.
UPSERT = """
INSERT INTO surveys_ratelimitcounter (key_hash, window_start, hits) VALUES (%s, %s, 1)
ON CONFLICT (key_hash) DO UPDATE SET
  hits = CASE WHEN surveys_ratelimitcounter.window_start <= %s
    THEN 1 ELSE surveys_ratelimitcounter.hits + 1 END,
  window_start = CASE WHEN surveys_ratelimitcounter.window_start <= %s
    THEN excluded.window_start ELSE surveys_ratelimitcounter.window_start END
RETURNING hits
"""
DEFAULT_LIMIT = 30
DEFAULT_WINDOW = 600


def client_ip(request) -> str:
    meta_key = getattr(settings, "SURVEY_CLIENT_IP_META", None)
    value = request.META.get(meta_key, "") if meta_key else ""
    if value:
        # A proxy header may hold a chain "client, proxy1, proxy2": the first one is the client.
        value = value.split(",")[0].strip()
    return value or request.META.get("REMOTE_ADDR", "") or "unknown"


def _key_hash(scope: str, subject: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{subject}".encode()).hexdigest()


def count(key_hash: str, *, window: int, now: float | None = None) -> int:
    """Count one hit of ``key_hash`` and return the hits of its current window, atomically."""
    now_s = int(now if now is not None else time.time())
    expired = now_s - window
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(UPSERT, [key_hash, now_s, expired, expired])
        return int(cursor.fetchone()[0])


def hit(
    request,
    scope: str,
    *,
    subject: str | None = None,
    limit: int | None = None,
    window: int | None = None,
) -> bool:
    """Count one request in ``scope`` (per client address, or per ``subject`` such as an
    invitation); False once the limit of the window is exceeded."""
    limit = limit if limit is not None else getattr(settings, "SURVEY_RATE_LIMIT", DEFAULT_LIMIT)
    window = (
        window if window is not None else getattr(settings, "SURVEY_RATE_WINDOW", DEFAULT_WINDOW)
    )
    key = _key_hash(scope, subject if subject is not None else f"ip:{client_ip(request)}")
    return count(key, window=window) <= limit


def purge(*, window: int | None = None, now: float | None = None) -> int:
    """Delete the counters whose window has ended."""
    window = (
        window if window is not None else getattr(settings, "SURVEY_RATE_WINDOW", DEFAULT_WINDOW)
    )
    now_s = int(now if now is not None else time.time())
    deleted, _rows = RateLimitCounter.objects.filter(window_start__lte=now_s - window).delete()
    return deleted
