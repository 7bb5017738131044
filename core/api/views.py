"""Core API views: the token endpoint and the health check."""

from django.db import connection
from django.http import Http404, JsonResponse
from django_prometheus.exports import ExportToDjangoView
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from core import second_factor
from core.api.authentication import ApiTokenAuthentication
from core.api.errors import ErrorSerializer
from core.services import api_token_create, api_token_delete, sign_in


class TokenThrottle(AnonRateThrottle):
    """Requests to the token endpoint per client address (DEFAULT_THROTTLE_RATES['token']).

    The counters live in the default cache, PostgreSQL's cache table, so every worker process
    counts against one limit; the address is REMOTE_ADDR unless NUM_PROXIES trusts proxies of ours.
    """

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=6, required=False, allow_blank=True,
        help_text="The 6-digit code of the user's authenticator app: required for county officers and superusers "
        "(and anyone who enrolled one); without it the answer is 401 second_factor_required.",
    )  # fmt: skip


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(APIView):
    """Exchange a user name and password for an API token (登录令牌); DELETE it to log out."""

    throttle_classes = [TokenThrottle]

    def _logging_out(self) -> bool:
        # The schema generator asks before it has set a request.
        return getattr(getattr(self, "request", None), "method", None) == "DELETE"

    def get_authenticators(self):
        # Signing in takes no credentials (a stale token in the header must not refuse it); logging
        # out is done with the token itself, never with a session.
        return [ApiTokenAuthentication()] if self._logging_out() else []

    def get_permissions(self):
        return [IsAuthenticated()] if self._logging_out() else [AllowAny()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="invalid or invalid_credentials"),
            401: OpenApiResponse(
                ErrorSerializer, description="second_factor_required: the user must give its authenticator's code as otp"
            ),
            403: OpenApiResponse(
                ErrorSerializer, description="second_factor_not_enrolled: enrol an authenticator app on the web first"
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "throttled (the endpoint's rate limit per client address, or too many failures for this "
                    "user name from all addresses) or account_locked (too many failures for this user name "
                    "from this address); Retry-After gives the seconds to wait"
                ),
            ),
        },
        auth=[],
        description="A new token on every call, shown only in this answer (only its SHA-256 is stored).",
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = serializer.validated_data.pop("otp", "")
        user = sign_in(request=request._request, **serializer.validated_data)
        second_factor.check_token_request(user, code)
        _token, key = api_token_create(user=user)
        response = Response({"token": key})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="The token used for this request is deleted: it no longer authenticates."),
            401: OpenApiResponse(ErrorSerializer, description="not_authenticated: no, bad or expired token"),
        },
    )
    def delete(self, request):
        api_token_delete(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


def healthz(request):
    """200 when the application answers and its database does, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})



LOOPBACK = {"127.0.0.1", "::1"}


def metrics(request):
    """Prometheus metrics (django-prometheus) for a scraper on the same machine only: 404 to any other
    address, and to a request that came through a proxy (it carries X-Forwarded-For)."""
    if request.META.get("REMOTE_ADDR") not in LOOPBACK or "HTTP_X_FORWARDED_FOR" in request.META:
        raise Http404
    return ExportToDjangoView(request)
