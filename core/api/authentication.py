"""API authentication: `Authorization: Token <token>` checked against the stored digests of ApiToken."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from core import tokens
from core.models import ApiToken


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header parsing, our table: the token is looked up by its SHA-256; expired tokens are refused.

    One query for the token and its user, as before (the pinned query counts of the API tests rely on it).
    """

    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=tokens.digest(key)).first()
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("令牌无效。"))
        if token.expires_at <= timezone.now():
            raise AuthenticationFailed(_("令牌已过期，请重新获取令牌（POST /api/v1/auth/token/）。"))
        return token.user, token
