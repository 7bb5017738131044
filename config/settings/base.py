"""Settings read from the environment.

| variable        | meaning                                                        | default                  |
|-----------------|----------------------------------------------------------------|--------------------------|
| DATABASE_URL    | postgres://user:password@host:port/name                        | embedded PostgreSQL      |
| JINGZHUN_PGDATA | data folder of the embedded PostgreSQL (when no DATABASE_URL)  | var/pgdata               |
| SECRET_KEY      | Django's secret key (required in production)                   | a development-only key   |
| DEBUG           | "1"/"true"/"yes" turns debug on                                | off                      |
| ALLOWED_HOSTS   | comma-separated host names                                     | 127.0.0.1,localhost      |
| JINGZHUN_NUM_PROXIES | proxies in front of the app that append to X-Forwarded-For | 0 (REMOTE_ADDR only)     |
| JINGZHUN_TOKEN_DAYS  | lifetime of an API token for people                       | 30                       |
| JINGZHUN_API_CLIENT_TOKEN_DAYS | lifetime for users whose only role is api_client | 365                      |
| JINGZHUN_SESSION_IDLE_MINUTES  | a page session ends after this idle time           | 30                       |
| JINGZHUN_SESSION_HOURS         | a page session ends this long after sign-in        | 12                       |
| JINGZHUN_LOG_FORMAT            | "text" or "json" (one JSON object a line)          | text; json in production |
| JINGZHUN_REQUEST_LOG           | "1": one log line per request (INFO)               | off                      |
| JINGZHUN_BACKUP_KEY            | encrypts `make backup`'s dumps (openssl AES-256)   | unset: not encrypted     |
| JINGZHUN_PERSONAL_READS_PER_DAY | full personal records one user may read a day before the county office is alerted | 200 |
| JINGZHUN_JOB_STALE_SECONDS     | a running job without a heartbeat this long is marked failed (its worker died) | 60 |
| JINGZHUN_MEDIA_ROOT            | where jobs write their files (exports/ under it)   | var/media                |
| JINGZHUN_RETENTION_YEARS       | years after leaving before a person's personal fields are minimised | 10        |
| JINGZHUN_IMPORT_STAGING_DAYS   | days a validated, uncommitted import keeps its staged plan (ImportRow) | 7       |
| DATABASE_REPLICA_URL           | a streaming standby for GET requests' reads (core/replica.py)       | unset: primary only |
| JINGZHUN_REPLICA_MAX_LAG       | seconds a standby may lag and still serve reads                     | 5         |
| JINGZHUN_REPLICA_CHECK_SECONDS | how often a process checks the standby's health and lag             | 5         |
| JINGZHUN_REPLICA_PIN_SECONDS   | after a write, the client reads from the primary this long          | 30        |
"""

import contextlib
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.database import database_from_environment, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable; anything unrecognised is an error, not a silent default."""
    import os

    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value: use 1/0, true/false, yes/no or on/off.")


def env_list(name: str, default: str) -> list[str]:
    import os

    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """Read a whole-number environment variable; anything else is an error, not a silent default."""
    import os

    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number ≥ {minimum}.")
    return value


def _secret_key() -> str:
    import os

    return os.environ.get("SECRET_KEY") or "django-insecure-development-only-key-do-not-use-in-production"


SECRET_KEY = _secret_key()
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "config.apps.JingzhunAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    "django_filters",
    "django_htmx",
    "csp",
    "django_prometheus",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "django_tasks",
    "django_tasks_db",
    "core",
    "villages",
    "households",
    "lifecycle",
    "checks",
    "programs",
    "cadres",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "core.middleware.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "core.middleware.QueryParameterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.SessionLimitsMiddleware",
    "core.middleware.SecondFactorMiddleware",
    "core.middleware.PasswordChangeMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.AuditContextMiddleware",
    "core.api.throttling.RateLimitHeadersMiddleware",
    "core.api.conditional.ConditionalReadMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Requests longer than these are refused by RequestLimitsMiddleware in the documented error format;
# gunicorn's own hard limits (config/gunicorn_conf.py) sit above them.
MAX_URI_LENGTH = 4096
MAX_HEADER_LENGTH = 4096

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "core.ui.Renderer"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {"default": database_from_environment(BASE_DIR)}
# A streaming-replication standby for reads (core/replica.py, docs/scale.md): GET requests read there unless the
# client just wrote, the replica lags or is down; everything else stays on the primary.
JINGZHUN_REPLICA_MAX_LAG = env_int("JINGZHUN_REPLICA_MAX_LAG", 5)
JINGZHUN_REPLICA_CHECK_SECONDS = env_int("JINGZHUN_REPLICA_CHECK_SECONDS", 5)
JINGZHUN_REPLICA_PIN_SECONDS = env_int("JINGZHUN_REPLICA_PIN_SECONDS", 30)
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = parse_database_url(os.environ["DATABASE_REPLICA_URL"].strip())
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("core.middleware.RequestLimitsMiddleware") + 1, "core.replica.ReplicaMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins (web login and token endpoint) from one client address for one user name within
# the window before that name is locked for that address, and for how long. Locking per address
# keeps an attacker elsewhere from locking the owner out.
JINGZHUN_LOCKOUT_FAILURES = 5
JINGZHUN_LOCKOUT_WINDOW_MINUTES = 15
JINGZHUN_LOCKOUT_MINUTES = 15
# The backstop against guessing from many addresses: once a user name has this many failures from
# all addresses within the window, every further failure holds the name back for a short delay
# (429 throttled) instead of locking it.
JINGZHUN_SIGNIN_NAME_FAILURES = 20
JINGZHUN_SIGNIN_NAME_DELAY_SECONDS = 60

# API token lifetimes (days): people sign in again monthly; machine clients (only api_client roles)
# yearly.
# Page sessions (issue 19): signed out after this idle time, and at the latest after this lifetime.
JINGZHUN_SESSION_IDLE_MINUTES = env_int("JINGZHUN_SESSION_IDLE_MINUTES", 30, minimum=1)
JINGZHUN_SESSION_HOURS = env_int("JINGZHUN_SESSION_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = JINGZHUN_SESSION_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): no inline or outside script anywhere; styles may be inline
# (Bootstrap's and htmx's small style elements, the admin's style attributes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Second factor (TOTP, core/second_factor.py): required for these roles and for superusers.
JINGZHUN_SECOND_FACTOR = env_flag("JINGZHUN_SECOND_FACTOR", default=True)
JINGZHUN_SECOND_FACTOR_ROLES = env_list("JINGZHUN_SECOND_FACTOR_ROLES", "county_officer")
OTP_TOTP_ISSUER = "Jingzhun 精准"

JINGZHUN_TOKEN_DAYS = env_int("JINGZHUN_TOKEN_DAYS", 30, minimum=1)
JINGZHUN_API_CLIENT_TOKEN_DAYS = env_int("JINGZHUN_API_CLIENT_TOKEN_DAYS", 365, minimum=1)

# Figures about a year whose report the county has published may be reused this long by a client without asking
# again (Cache-Control: private, max-age); all other figures are asked again with If-None-Match (core.api.conditional).
JINGZHUN_PUBLISHED_MAX_AGE = env_int("JINGZHUN_PUBLISHED_MAX_AGE", 86400, minimum=0)

# Rate limits per API token (core.api.throttling): requests per fixed window of this many seconds; a token's own
# `rate_limit` (manage.py api_rate_limit) overrides the default.
JINGZHUN_API_RATE_WINDOW = env_int("JINGZHUN_API_RATE_WINDOW", 60, minimum=1)
JINGZHUN_API_RATE_LIMIT = env_int("JINGZHUN_API_RATE_LIMIT", 600, minimum=1)

# Personal-data duties (个人信息保护): the county office is alerted when one user reads more full records in a day than
# this; people who left their household more than JINGZHUN_RETENTION_YEARS ago have their personal fields minimised
# by `manage.py minimise_departed` (figures kept).
JINGZHUN_PERSONAL_READS_PER_DAY = env_int("JINGZHUN_PERSONAL_READS_PER_DAY", 200, minimum=1)
JINGZHUN_RETENTION_YEARS = env_int("JINGZHUN_RETENTION_YEARS", 10, minimum=1)

# A validated import left uncommitted this long loses its staged plan (households.ImportRow, a row a member) to
# `manage.py prune_import_staging` (nightly); its file and report stay, and a later commit validates the file again.
JINGZHUN_IMPORT_STAGING_DAYS = env_int("JINGZHUN_IMPORT_STAGING_DAYS", 7, minimum=1)

# The token endpoint's rate limit must be shared by every worker process, so its counters live in
# PostgreSQL (the table is created by core's migration 0004), not in each process's memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "jingzhun_cache",
        # Culling drops entries at random when full; keep room for many clients' counters.
        "OPTIONS": {"MAX_ENTRIES": 50000},
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Figures grouped by thousands where a page asks (config/formats: Django's Chinese sets no separator).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# whitenoise warns at every start when the folder is missing; collectstatic fills it for production.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Files written by jobs (large exports under exports/): never served as static files, only through the scoped
# download of their job (GET /api/v1/jobs/{id}/file/).
MEDIA_ROOT = Path(os.environ.get("JINGZHUN_MEDIA_ROOT") or BASE_DIR / "var" / "media").expanduser()

# The job queue (docs/architecture.md, "Jobs"): django-tasks' database backend, in our PostgreSQL; the jobs people
# follow are core.Job rows, run by `manage.py jobs_worker` (core.jobs).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JINGZHUN_JOB_HEARTBEAT_SECONDS = 1.0  # how often a running job's progress and heartbeat are written
JINGZHUN_JOB_STALE_SECONDS = env_int("JINGZHUN_JOB_STALE_SECONDS", 60, minimum=5)
JINGZHUN_JOB_SWEEP_SECONDS = 30  # how often a worker looks for jobs whose worker died

REST_FRAMEWORK = {
    # Token first: an unauthenticated API call then answers 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "core.api.permissions.RolePermission",
    ],
    # JSON nested too deep or holding control characters answers 400, not 500 (core/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ListCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.JingzhunAutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
    # Client addresses for throttling and lock-out: X-Forwarded-For is trusted only for this many
    # proxies of ours in front of the app; 0 ignores it (anyone can write that header).
    "NUM_PROXIES": env_int("JINGZHUN_NUM_PROXIES", 0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Jingzhun 精准 API",
    "DESCRIPTION": (
        "REST API of Jingzhun, the county register for targeted poverty alleviation (精准扶贫). "
        'Every error is {"code", "detail", "errors"}; objects outside the caller\'s scope answer 404.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "PovertyCauseEnum": "households.choices.PovertyCause",
        "DepartmentCategoryEnum": "checks.choices.DepartmentCategory",
        "CampaignKindEnum": "checks.choices.CampaignKind",
        "ProcedureKindEnum": "lifecycle.choices.ProcedureKind",
        "ProcedureStateEnum": "lifecycle.choices.ProcedureState",
        "ProcedureStepEnum": "lifecycle.choices.Step",
        "VillageExitStepEnum": "lifecycle.choices.VillageStep",
        "VisitKindEnum": "cadres.choices.VisitKind",
        "RegionLevelEnum": "core.regions.RegionLevel",
        "UnitLevelEnum": "cadres.choices.UnitLevel",
        "ProgramCategoryEnum": "programs.choices.Category",
        "FindingStatusEnum": "checks.choices.FindingStatus",
        "RegistryStatusEnum": "households.choices.RegistryStatus",
        "ImportStateEnum": "households.models.ImportState",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("JINGZHUN_LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    # One line per request (method, path, status, duration, user id) when JINGZHUN_REQUEST_LOG=1.
    "loggers": {"jingzhun.request": {"level": "INFO" if env_flag("JINGZHUN_REQUEST_LOG") else "WARNING"}},
}
