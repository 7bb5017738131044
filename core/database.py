"""The database settings: DATABASE_URL when set, otherwise the embedded PostgreSQL under var/pgdata.

Imported by the settings module, so it must not import Django models.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
# pgtrigger's triggers read the `pgtrigger.ignore` setting in an exception block; while it is unset
# every written row raises and catches an error, which makes bulk writes about ten times slower.
# An empty list as the session default ignores nothing and costs nothing.
CONNECTION_OPTIONS = {"options": "-c pgtrigger.ignore={}"}
EMBEDDED_DATABASE_NAME = "jingzhun"


def _redacted(url: str) -> str:
    """The URL with its password hidden, for error messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable>"
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def parse_database_url(url: str) -> dict:
    """Django's DATABASES entry for a postgres:// URL; any other URL is a configuration error."""
    import dj_database_url

    hint = "expected postgres://USER[:PASSWORD]@HOST[:PORT]/NAME"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a non-numeric port
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL={_redacted(url)!r} is malformed ({exc}); {hint}.") from exc
    if parts.scheme not in POSTGRES_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL={_redacted(url)!r} is not a PostgreSQL URL (Jingzhun runs on PostgreSQL only); {hint}."
        )
    if not parts.path.strip("/"):
        raise ImproperlyConfigured(f"DATABASE_URL={_redacted(url)!r} names no database; {hint}.")
    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL={_redacted(url)!r} is malformed ({exc}); {hint}.") from exc
    config["ENGINE"] = "django.db.backends.postgresql"
    config["OPTIONS"] = {**CONNECTION_OPTIONS, **config.get("OPTIONS", {})}
    return config


def embedded_database(base_dir: Path) -> dict:
    """Django's DATABASES entry for the embedded server; it starts on the first connection."""
    pgdata = Path(os.environ.get("JINGZHUN_PGDATA") or base_dir / "var" / "pgdata").expanduser().resolve()
    return {
        "ENGINE": "core.db_backends.embedded",
        "NAME": EMBEDDED_DATABASE_NAME,
        "USER": "postgres",
        "PGDATA": str(pgdata),
        "OPTIONS": dict(CONNECTION_OPTIONS),
    }


def database_from_environment(base_dir: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return parse_database_url(url)
    return embedded_database(base_dir)
