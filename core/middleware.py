"""Request plumbing: the audit context for database history, API response headers, the language."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from pghistory.middleware import HistoryMiddleware

from core import second_factor
from core.api.errors import json_error
from core.api.params import control_character_errors
from core.logs import REQUEST_ID
from core.models import AccountState

request_logger = logging.getLogger("jingzhun.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class AuditContextMiddleware(HistoryMiddleware):
    """Attach who acts and which request to every change the history triggers record.

    pghistory's middleware opens a context for writes (its user follows DRF's token
    authentication too); we add the request id, which the response echoes in X-Request-ID, and
    the method. API responses carry `Cache-Control: no-store` unless the view chose otherwise:
    an answer may name people, and no cache should keep it.
    """

    def get_context(self, request):
        context = super().get_context(request)
        context["request_id"] = request.request_id
        context["method"] = request.method
        return context

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = REQUEST_ID.set(request.request_id)
        started = time.perf_counter()
        try:
            response = super().__call__(request)
            user = getattr(request, "user", None)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
        finally:
            REQUEST_ID.reset(token)
        response["X-Request-ID"] = request.request_id
        if request.path.startswith("/api/") and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True)
        return response


class QueryParameterMiddleware:
    """Refuse a query string holding a control or bidi character before any view or FilterSet reads it.

    PostgreSQL cannot take a NUL in a string (psycopg raises ValueError: a 500), and no parameter
    has a use for the others. The API answers 400 `invalid` naming the parameters; pages, 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        errors = control_character_errors(request.GET)
        if errors:
            from core.views import bad_request

            if request.path.startswith("/api/"):
                return json_error(400, _("查询参数含有控制字符：%(names)s") % {"names": ", ".join(errors)}, errors=errors)
            return bad_request(request)
        return self.get_response(request)


class LanguageMiddleware(LocaleMiddleware):
    """Pages speak Chinese unless the user picked English in the language menu (a cookie).

    County staff often work on browsers set to English; the interface should not follow the
    browser. API clients do choose by Accept-Language (detail sentences of errors).
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestLimitsMiddleware:
    """Refuse an over-long URL or header ourselves, so that the client gets the documented error format.

    gunicorn refuses a request line or header field over 8190 bytes with its own plain-text answer
    (config/gunicorn_conf.py); our limits are lower, so every request gunicorn lets through and we
    find too large gets 414 `uri_too_long` or 431 `header_too_large` as JSON on API paths.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        uri_length = len(request.META.get("PATH_INFO", "")) + len(request.META.get("QUERY_STRING", ""))
        if uri_length > settings.MAX_URI_LENGTH:
            return _refusal(request, 414, _("请求地址过长。请缩短查询条件后重试。"))
        if any(len(str(value)) > settings.MAX_HEADER_LENGTH for key, value in request.META.items() if key.startswith("HTTP_")):
            return _refusal(request, 431, _("请求头过大。请清除本站的 Cookie 后重试。"))
        return self.get_response(request)


def _refusal(request, status: int, detail: str):
    if request.path.startswith("/api/"):
        return json_error(status, detail)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


SESSION_STARTED = "jingzhun_started"
SESSION_SEEN = "jingzhun_seen"
_SEEN_GRANULARITY = 60  # seconds: the last-seen time is written at most once a minute (one UPDATE)


MUST_CHANGE_PASSWORD = "jingzhun_must_change_password"  # noqa: S105 - a session key, not a password


def mark_session_start(sender, request, user, **kwargs) -> None:
    """At sign-in: the session's start and last activity, and whether the county office's reset demands a
    new password first (connected to user_logged_in in CoreConfig; one query, at sign-in only)."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
    if AccountState.objects.filter(user=user, must_change_password=True).exists():
        request.session[MUST_CHANGE_PASSWORD] = True
    request.session[second_factor.SESSION_ENROLLED] = second_factor.confirmed_device(user) is not None


class SessionLimitsMiddleware:
    """Sign out a page session idle for JINGZHUN_SESSION_IDLE_MINUTES (30) or older than
    JINGZHUN_SESSION_HOURS (12), whatever the cookie says. The API's tokens have their own expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session") and "HTTP_AUTHORIZATION" not in request.META:
            refusal = self._check(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        now = int(time.time())
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None or seen is None:  # a session from before these limits
            session[SESSION_STARTED] = started or now
            session[SESSION_SEEN] = now
            return None
        idle = now - seen > settings.JINGZHUN_SESSION_IDLE_MINUTES * 60
        old = now - started > settings.JINGZHUN_SESSION_HOURS * 3600
        if idle or old:
            logout(request)
            reason = _("长时间未操作，已自动退出。请重新登录。") if idle else _("登录已超过时限，已自动退出。请重新登录。")
            if request.path.startswith("/api/"):
                return json_error(401, reason)
            messages.info(request, reason)
            return redirect_to_login(request.get_full_path())
        if now - seen >= _SEEN_GRANULARITY:
            session[SESSION_SEEN] = now
        return None


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every answer: no page here needs a camera, microphone, location or payment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SecondFactorMiddleware:
    """A page session of a user who must give a second factor (core/second_factor.py) reaches only the
    second-factor page, sign-out and the language switch until it is verified. The API's tokens are
    issued only with the code, so token requests pass."""

    ALLOWED_PREFIXES = ("/account/second-factor/", "/logout/", "/i18n/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not user.is_verified()
            and (second_factor.must_use_second_factor(user) or request.session.get(second_factor.SESSION_ENROLLED))
        ):
            if request.path.startswith("/api/"):
                return json_error(403, _("请先在网页上完成第二重验证。"))
            return redirect_to_login(request.get_full_path(), login_url=reverse("second-factor"))
        return self.get_response(request)


class PasswordChangeMiddleware:
    """After the county office created the account or reset its password (core.services), the user reaches
    only the password change page (after the second factor), sign-out and the language switch until the
    password is changed. The demand is read once at sign-in into the session, so it costs no query here."""

    ALLOWED_PREFIXES = ("/password/", "/account/second-factor/", "/logout/", "/i18n/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(MUST_CHANGE_PASSWORD)
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return json_error(403, _("请先在网页上修改密码。"))
            messages.info(request, _("县扶贫办为您设置了临时密码：请先修改密码。"))
            return redirect(reverse("password_change"))
        return self.get_response(request)
