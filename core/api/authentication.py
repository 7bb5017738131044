"""API authentication: `Authorization: Token <token>` checked against the stored digests of ApiToken."""

import time

from django.conf import settings
from django.db.models import BigIntegerField, Func, IntegerField, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from core import tokens
from core.models import ApiToken


def rate_window_start(now: float | None = None) -> int:
    """The start (seconds since the epoch) of the rate-limit window holding this moment."""
    window = settings.JINGZHUN_API_RATE_WINDOW
    now = time.time() if now is None else now
    return int(now // window) * window


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header parsing, our table: the token is looked up by its SHA-256; expired tokens are refused.

    One query for the token and its user, as before (the pinned query counts of the API tests rely on it); the same
    query counts the request in the token's rate-limit window (`rate_hits`, core_rate_hit(), core.api.throttling).
    """

    model = ApiToken

    def authenticate_credentials(self, key):
        window_start = rate_window_start()
        token = (
            ApiToken.objects.select_related("user")
            .annotate(
                rate_hits=Func(
                    "id", Value(window_start, output_field=BigIntegerField()), function="core_rate_hit",
                    output_field=IntegerField(),
                )
            )  # fmt: skip
            .filter(digest=tokens.digest(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("令牌无效。"))
        if token.expires_at <= timezone.now():
            raise AuthenticationFailed(_("令牌已过期，请重新获取令牌（POST /api/v1/auth/token/）。"))
        token.rate_window_start = window_start
        return token.user, token
