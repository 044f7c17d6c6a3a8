"""Settings of `make bench`: the production settings, served over plain HTTP on loopback.

prod.py hard-codes secure-only cookies (a login over http://127.0.0.1 could not keep its session)
and redirects to HTTPS; the benchmark turns exactly those off and nothing else.
"""

import os

from ksr_portal.settings.prod import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

# The survey benchmark sends hundreds of answers from one loopback address.
SURVEY_RATE_LIMIT = int(os.environ.get("SURVEY_RATE_LIMIT", "30"))
