"""Production settings: the defaults plus HTTPS, secure cookies and a required secret key.

Use with DJANGO_SETTINGS_MODULE=config.settings.production; `python manage.py check --deploy`
gives no warning with these settings and a real SECRET_KEY.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_flag, env_list

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )

DEBUG = env_flag("DEBUG")
# Persistent connections (the development server's thread per request would waste them).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# The HTTPS origins that may post forms, e.g. https://fupin.zhenlai.gov.cn (behind a proxy).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Hashed file names, cached for a year by whitenoise (`make serve` runs collectstatic first).
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
# Logs as one JSON object a line (core/logs.py), unless JINGZHUN_LOG_FORMAT=text.
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("JINGZHUN_LOG_FORMAT", "json")  # noqa: F405
