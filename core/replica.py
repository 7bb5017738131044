"""Reads on a streaming-replication standby (只读副本), writes and read-your-writes on the primary.

With `DATABASE_REPLICA_URL` set, settings add the database alias "replica" and this router. A read goes to the
replica only when all of these hold, and to the primary ("default") otherwise:

- it happens inside `replica_reads()`: `ReplicaMiddleware` opens it for GET and HEAD requests, so summaries,
  reports, exports and lists read from the standby while forms, API writes, commands and jobs stay on the primary;
- the client has not written in the last `JINGZHUN_REPLICA_PIN_SECONDS`: a POST, PUT, PATCH or DELETE sets a cookie
  (browsers) and a cache entry under a hash of the Authorization header (API clients, which keep no cookies) that
  keep the client on the primary for that long, so nobody reads a lagging copy of their own write;
- the model is not one that decides who may do what or must be current for everyone: accounts, sessions, tokens,
  second factors, lock-outs, role grants and the cache table (throttle counters) are always read on the primary,
  so a revoked role or a disabled account takes effect at once;
- no transaction is open on the primary (a read inside `atomic()` must see that transaction's writes);
- the replica answered its health check within `JINGZHUN_REPLICA_CHECK_SECONDS` and lags no more than
  `JINGZHUN_REPLICA_MAX_LAG` seconds (`replica_lag` below); a replica that is down or lagging is left alone until
  the next check.

Writes (and `select_for_update`, `get_or_create`, which Django routes as writes) always go to the primary, and
migrations run on the primary only (the standby replays them).
"""

import contextlib
import contextvars
import hashlib
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "jz_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PRIMARY_APPS = frozenset({"auth", "sessions", "django_cache", "otp_totp", "otp_static", "django_otp"})
PRIMARY_MODELS = frozenset({("core", "apitoken"), ("core", "signinlock"), ("core", "accountstate"), ("core", "rolegrant")})

_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("jingzhun_replica_reads", default=False)

# Lag of a standby in seconds: 0 while it has replayed everything it received, else the age of the last replayed
# transaction (an idle primary sends nothing, so "age of the last replay" alone would grow without any lag).
LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN NULL
        WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
        ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
    END
"""


@contextlib.contextmanager
def replica_reads():
    """Reads within the block may be served by the replica (when the router finds it healthy)."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def lag_usable(lag: float | None, max_lag: float) -> bool:
    """A standby whose lag is known and within the limit serves reads; a server not in recovery (a promoted
    standby, a misconfigured URL) or an unknown lag does not."""
    return lag is not None and lag <= max_lag


def on_primary(model) -> bool:
    """Models always read on the primary (see the module's docstring)."""
    meta = model._meta
    return meta.app_label in PRIMARY_APPS or (meta.app_label, meta.model_name) in PRIMARY_MODELS


def pinned_until(cookie: str | None, now: float) -> bool:
    """Whether the pin cookie (the epoch second until which this client reads from the primary) is still on."""
    try:
        return cookie is not None and float(cookie) > now
    except ValueError:
        return False


class _Health:
    """The replica's last health check, shared by the threads of a process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.usable = False

    def usable_now(self) -> bool:
        now = time.monotonic()
        if now - self.checked_at < settings.JINGZHUN_REPLICA_CHECK_SECONDS:
            return self.usable
        with self.lock:
            if now - self.checked_at >= settings.JINGZHUN_REPLICA_CHECK_SECONDS:
                self.usable = self._check()
                self.checked_at = time.monotonic()
        return self.usable

    @staticmethod
    def _check() -> bool:
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute(LAG_SQL)
                lag = cursor.fetchone()[0]
        except OperationalError as exc:
            log.warning("replica unreachable, reads go to the primary: %s", exc)
            connections[REPLICA].close()
            return False
        usable = lag_usable(None if lag is None else float(lag), settings.JINGZHUN_REPLICA_MAX_LAG)
        if not usable:
            log.warning("replica not usable (lag %s s), reads go to the primary", lag)
        return usable

    def forget(self) -> None:
        """Check again on the next read (tests, and after a known failover)."""
        self.checked_at = float("-inf")


health = _Health()


class ReplicaRouter:
    """Database router: reads to "replica" when allowed and healthy, everything else to "default"."""

    def db_for_read(self, model, **hints):
        if not _replica_allowed.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block or on_primary(model):
            return DEFAULT_DB_ALIAS
        return REPLICA if health.usable_now() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _client_key(request) -> str | None:
    """The cache key of an API client's pin: a hash of its Authorization header (never the token itself)."""
    authorization = request.headers.get("Authorization")
    return "jz-pin:" + hashlib.sha256(authorization.encode()).hexdigest() if authorization else None


class ReplicaMiddleware:
    """GET and HEAD read from the replica unless this client wrote within the pin period; a write pins it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = time.time()
        safe = request.method in SAFE_METHODS
        key = _client_key(request)
        if safe and not pinned_until(request.COOKIES.get(PIN_COOKIE), now) and not (key and cache.get(key, 0) > now):
            with replica_reads():
                return self.get_response(request)
        response = self.get_response(request)
        if not safe:
            seconds = settings.JINGZHUN_REPLICA_PIN_SECONDS
            until = int(now + seconds) + 1
            response.set_cookie(PIN_COOKIE, str(until), max_age=seconds + 1, httponly=True, samesite="Lax", secure=request.is_secure())
            if key:
                cache.set(key, until, seconds + 1)
        return response
