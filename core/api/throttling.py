"""Rate limits per API token (访问频率限制), said up front (docs/api.md, Rate limits).

Each token may make `ApiToken.rate_limit` requests (JINGZHUN_API_RATE_LIMIT when empty) in each fixed window of
JINGZHUN_API_RATE_WINDOW seconds. The request is counted in the query that authenticates the token (a counter row
per token in PostgreSQL, shared by every worker; core.api.authentication), so counting costs no query. Every answer
to a token request carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the window
ends); past the limit the answer is 429 `throttled` in the error format with `Retry-After`.
"""

import math
import time

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from core.api import deprecation
from core.models import ApiToken


class TokenRateThrottle(BaseThrottle):
    """Refuse a token's request past its limit in the current window; note the limits for the answer's headers.
    Requests without a token (a page session on the browsable API) are not limited here."""

    def allow_request(self, request, view):
        token = request.auth
        hits = getattr(token, "rate_hits", None)
        if not isinstance(token, ApiToken) or hits is None:
            return True
        limit = token.rate_limit or settings.JINGZHUN_API_RATE_LIMIT
        reset = max(1, math.ceil(token.rate_window_start + settings.JINGZHUN_API_RATE_WINDOW - time.time()))
        request._request.jz_rate_limit = (limit, max(0, limit - hits), reset)
        self.reset = reset
        return hits <= limit

    def wait(self):
        return self.reset


class RateLimitHeadersMiddleware:
    """RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset on every answer to a token request under /api/
    (200, 304 and errors alike), as the throttle noted them; and the deprecation of a route, if it is announced
    (core.api.deprecation)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.jz_deprecation = deprecation.announced(request)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        noted = getattr(request, "jz_rate_limit", None)
        if noted is not None:
            limit, remaining, reset = noted
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(remaining)
            response["RateLimit-Reset"] = str(reset)
        announced = getattr(request, "jz_deprecation", None)
        if announced is not None:
            for header, value in announced.headers().items():
                response[header] = value
        return response
