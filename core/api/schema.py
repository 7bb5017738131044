"""OpenAPI generation: every operation documents the error responses it can really give."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny

from core.api.errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    400: "invalid: bad input (field errors under `errors`)",
    401: "not_authenticated: no or bad credentials",
    403: "permission_denied: the role may not do this",
    404: "not_found: no such object in your scope",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict: a business rule or state refuses",
    412: "precondition_failed: If-Match does not match the current ETag",
    415: "unsupported_media_type",
    429: "throttled or account_locked",
}


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


class JingzhunAutoSchema(AutoSchema):
    def _error_statuses(self) -> list[int]:
        method = self.method.upper()
        statuses = [400, 405, 406, 429]
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            statuses += [401, 403]
        if "{" in self.path or method != "GET":
            statuses.append(404)
        if method in {"POST", "PUT", "PATCH", "DELETE"}:
            statuses += [409, 415]
        if method in {"PUT", "PATCH", "DELETE"}:
            statuses.append(412)
        return sorted(set(statuses))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        for status_code in self._error_statuses():
            key = str(status_code)
            if key not in responses:
                body = self._get_response_for_code(ErrorSerializer, key, direction=direction)
                body["description"] = ERROR_DESCRIPTIONS[status_code]
                responses[key] = body
        return responses

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
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
