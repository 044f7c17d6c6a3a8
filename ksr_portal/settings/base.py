"""Settings shared by every mode. Each mode module (dev, test, prod) imports this one."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
RUN_DIR = BASE_DIR / ".run"

# Production mode: demo data is refused and the deploy checks apply.
PRODUCTION = False

SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-key-do-not-use-in-production-ksr-portal-0000")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "ksr_portal.apps.AxesConfig",  # axes, with a Polish name in the admin
    "csp",
    "django_tasks",
    "ksr_portal.apps.TasksDatabaseConfig",  # django_tasks_db, named in Polish
    "ksr_portal",
    "ksr_portal.evaluations",
    "ksr_portal.recommendations",
    "ksr_portal.printing",
    "ksr_portal.seed",
    "ksr_portal.backup",
    "ksr_portal.core.notifications",
    "ksr_portal.accounts",
    "ksr_portal.legal",
    "stakeholders",
    "networks",
    "procedures",
    "surveys",
    "ksr_portal.dashboards",  # last: its summary listener runs after the apps' own listeners
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ksr_portal.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
    # last: every other middleware wraps its 400, no view or form sees a control character
    "ksr_portal.core.middleware.RejectControlCharactersMiddleware",
]

ROOT_URLCONF = "ksr_portal.urls"
WSGI_APPLICATION = "ksr_portal.wsgi.application"
ASGI_APPLICATION = "ksr_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ksr_portal.home.context_processors.navigation",
            ],
            # |unlocalize and {% localize off %} in every template, for numbers in URLs and ids
            "builtins": ["django.templatetags.l10n"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{RUN_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The dashboards' aggregate queries are cheap to run but large to plan: PostgreSQL's JIT
    # compiler spends seconds on them for nothing, so it is off for the portal's connections.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every web worker (dashboard roll-ups, survey rate limits), kept in the
# portal's own database: no extra service to run.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ksr_cache"}
}
# The cards' "one per number and institution" constraint uses NULLS NOT DISTINCT, which PostgreSQL
# (production, tests) enforces; the embedded SQLite of `make run` cannot, and the service keeps the
# rule there.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

AUTH_USER_MODEL = "stakeholders.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed-login lockout (django-axes): 5 failures for one user name from one address lock it
# for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions and CSRF
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy: every asset is vendored, so nothing inline and nothing foreign.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Internationalisation: Polish first, English second.
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
# The portal's own catalogue first; then Polish labels third-party apps lack (simple-history,
# axes, django-tasks …), so that no English is left in the portal or its admin.
LOCALE_PATHS = [BASE_DIR / "ksr_portal" / "locale", BASE_DIR / "ksr_portal" / "locale_thirdparty"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
# One date format (01.12.2026, 01.12.2026 14:30) and grouped numbers (2 477, a no-break space)
# on every page, PDF and e-mail: ksr_portal/core/locale_formats/. Numbers inside URLs, ids, form
# values and data- attributes are written with |unlocalize (tests/ksr_portal/test_formats.py).
FORMAT_MODULE_PATH = ["ksr_portal.core.locale_formats"]
USE_THOUSAND_SEPARATOR = True
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
DECIMAL_SEPARATOR = ","
DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = Path(env_str("STATIC_ROOT", str(RUN_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(RUN_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Portal KSR <no-reply@ksr.localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The portal's address as people reach it: links in e-mails sent by the worker (no request there).
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000")
# Invitation links are valid for 7 days.
INVITATION_TIMEOUT_DAYS = env_int("INVITATION_TIMEOUT_DAYS", 7)

# Background work (django-tasks on the portal's own database; `manage.py db_worker` runs it)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Audit history (django-simple-history)
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
