"""OpenAPI generation: every operation documents the error responses it can really give."""

import copy

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from core.api.errors import ErrorSerializer
from core.api.pagination import PageNumberPagination

ERROR_DESCRIPTIONS = {
    400: "invalid: bad input (field errors under `errors`)",
    401: "not_authenticated: no or bad credentials",
    403: "permission_denied: the role may not do this",
    404: "not_found: no such object in your scope (or, in a list of numbered pages, a page past the last)",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict: a business rule or state refuses",
    412: "precondition_failed: If-Match does not match the current ETag",
    415: "unsupported_media_type",
    429: "throttled (past the token's rate limit: wait Retry-After seconds) or account_locked",
}

# Headers every answer to a token request carries (core.api.throttling), and those of a GET (core.api.conditional).
_INTEGER = {"type": "integer", "minimum": 0}
RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": {"schema": _INTEGER, "description": "Requests this token may make in the current window."},
    "RateLimit-Remaining": {"schema": _INTEGER, "description": "Requests left in the current window."},
    "RateLimit-Reset": {"schema": _INTEGER, "description": "Seconds until the current window ends."},
}
READ_HEADERS = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "A strong tag of this answer: send it back in If-None-Match to be answered 304 while the answer "
        "is the same (a detail's tag is the row's version, for If-Match too).",
    },
    "Cache-Control": {
        "schema": {"type": "string"},
        "description": "`no-store` for personal data; `private, no-cache` for figures (keep, ask again with "
        "If-None-Match); `private, max-age=86400` for figures of a published year.",
    },
}
RETRY_AFTER = {"Retry-After": {"schema": _INTEGER, "description": "Seconds to wait before asking again."}}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The API token scheme as clients see it (core.api.authentication.ApiTokenAuthentication)."""

    target_class = "core.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Authorization: Token <token>` with a token from `POST /api/v1/auth/token/`. A token expires "
                "(30 days for people, 365 for clients whose only role is api_client, by default), is revoked "
                "by `DELETE /api/v1/auth/token/` and, with every other token of its user, by a password change."
            ),
        }


# Query parameters that name an object in scope: out of scope (or unknown) they answer 404.
OBJECT_PARAMETERS = {"region", "village"}


def _model_field(field):
    """The model field a ModelSerializer field reads directly, or None."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source or field.source == "*":
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


class JingzhunAutoSchema(AutoSchema):
    def _error_statuses(self) -> list[int]:
        """By method: a path parameter or an object-naming query parameter can be 404 (or a read its view lists
        in `not_found_actions`); every write 400, 404, 409 and 415 (a read 409 when its view lists the action in
        `conflict_actions`); a write that honours
        If-Match (ConcurrencyMixin) 412."""
        method = self.method.upper()
        statuses = [400, 405, 406, 429]
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            statuses += [401, 403]
        names = {getattr(p, "name", None) for p in self.get_override_parameters()}
        names |= {p.get("name") for p in self._get_filter_parameters()}  # a FilterSet's `region` is one too
        action = getattr(self.view, "action", None)
        if "{" in self.path or method != "GET" or names & OBJECT_PARAMETERS:
            statuses.append(404)
        elif action in getattr(self.view, "not_found_actions", ()):
            statuses.append(404)  # a read about the caller that may find nothing (no cadre linked to the login)
        elif self._is_list_view() and isinstance(getattr(self.view, "paginator", None), PageNumberPagination):
            statuses.append(404)  # a page past the last (`?page=`)
        if method in {"POST", "PUT", "PATCH", "DELETE"}:
            statuses += [409, 415]
        elif action in getattr(self.view, "conflict_actions", ()):
            statuses.append(409)  # a read a state can refuse (a program without a targeting rule has no gaps)
        if method in {"PUT", "PATCH", "DELETE"} and hasattr(self.view, "get_object_for_write"):
            statuses.append(412)
        return sorted(set(statuses))

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A choice field over a model field that may be blank or null says so (`""`/null in its enum): a
        read-only one (a household's `monitoring_status`, an objection's `outcome`) is built without
        allow_blank, yet the response sends "" until the value is set."""
        model_field = _model_field(field)
        if isinstance(field, serializers.ChoiceField) and model_field is not None:
            blank = model_field.blank and not field.allow_blank
            null = model_field.null and not field.allow_null
            if blank or null:
                field = copy.copy(field)
                field.allow_blank = field.allow_blank or blank
                field.allow_null = field.allow_null or null
        return super()._map_serializer_field(field, direction, bypass_extensions=bypass_extensions)

    def get_response_serializers(self):
        """A write of the one write idiom (core.api.viewsets: POST, PATCH) answers with the detail, whatever
        serializer cleaned its input; extend_schema's `responses` still wins where a view gives them."""
        if getattr(self.view, "action", None) in {"create", "partial_update"} and hasattr(self.view, "detail_data"):
            detail = getattr(self.view, "detail_serializer_class", None) or getattr(self.view, "serializer_class", None)
            if detail is not None:
                return detail
        return super().get_response_serializers()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        for status_code in self._error_statuses():
            key = str(status_code)
            if key not in responses:
                body = self._get_response_for_code(ErrorSerializer, key, direction=direction)
                body["description"] = ERROR_DESCRIPTIONS[status_code]
                responses[key] = body
        if direction != "response":
            return responses
        read = self.method.upper() == "GET"
        if read:
            responses.setdefault(
                "304",
                {"description": "Not modified: If-None-Match named this answer's ETag; no body.", "headers": dict(READ_HEADERS)},
            )
        for key, body in responses.items():
            headers = body.setdefault("headers", {})
            if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
                headers.update(RATE_LIMIT_HEADERS)
            if read and key == "200":
                headers.update(READ_HEADERS)
            if key == "429":
                headers.update(RETRY_AFTER)
            if not headers:
                del body["headers"]
        return responses

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if self.method.upper() == "GET":
            params.append(
                OpenApiParameter(
                    "If-None-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=False,
                    description="The ETag of the answer you kept: 304 with no body while the answer is the same.",
                )
            )
        if self.method.upper() in {"PUT", "PATCH", "DELETE"} and hasattr(self.view, "get_object_for_write"):
            params.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=False,
                    description="The ETag you read; a stale one answers 412 and nothing is written.",
                )
            )
        return params
