"""The one error format of the API: {"code": "<stable_code>", "detail": "<sentence>", "errors": {...}}.

`exception_handler` serves DRF views; `json_error` serves Django's own 400/403/404/500 handlers
and the CSRF failure view on API paths, so every error under /api/ has this shape.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import SPECIFIC_CODES, STATUS_CODES, DomainError


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object has changed since you read it (If-Match does not match its ETag); read it again."
    default_code = "precondition_failed"


class ErrorSerializer(serializers.Serializer):
    """Documents the error body in the schema."""

    code = serializers.CharField(help_text="Stable machine-readable code, e.g. not_found, invalid_id_number.")
    detail = serializers.CharField(help_text="A sentence for people.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        required=False,
        help_text='Field errors: {"field": [{"code", "detail"}]}; nested fields are joined with dots.',
    )


def _flatten(detail, prefix: str = "") -> dict[str, list[dict]]:
    """DRF's nested error detail as {"a.0.b": [{"code", "detail"}]}."""
    out: dict[str, list[dict]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            key = "non_field_errors" if key == NON_FIELD_ERRORS else key
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):  # ErrorDetail is a str
            items = [{"code": getattr(item, "code", "invalid"), "detail": str(item)} for item in detail]
            if items:
                out.setdefault(prefix or "non_field_errors", []).extend(items)
        else:
            for index, value in enumerate(detail):
                if value:
                    out.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out.setdefault(prefix or "non_field_errors", []).append(
            {"code": getattr(detail, "code", "invalid"), "detail": str(detail)}
        )
    return out


def _validation_body(detail) -> dict:
    errors = _flatten(detail)
    items = [item for field_items in errors.values() for item in field_items]
    specific = {item["code"] for item in items if item["code"] in SPECIFIC_CODES}
    code = specific.pop() if len(specific) == 1 else STATUS_CODES[400]
    if len(items) == 1:
        sentence = items[0]["detail"]
        field = next(iter(errors))
        if field != "non_field_errors":
            sentence = f"{field}: {sentence}"
    else:
        sentence = _("请求有 %(count)d 处错误：%(fields)s。") % {"count": len(items), "fields": ", ".join(errors)}
    return {"code": code, "detail": sentence, "errors": errors}


def error_body(status_code: int, detail, code: str | None = None, errors: dict | None = None) -> dict:
    body = {"code": code or STATUS_CODES.get(status_code, "error"), "detail": str(detail)}
    if errors:
        body["errors"] = errors
    return body


def exception_handler(exc, context):
    """DRF's handler, then reshaped: every error response carries code, detail and maybe errors."""
    if isinstance(exc, DomainError):
        errors = _flatten(exc.errors) if exc.errors else None
        response = Response(error_body(exc.status, exc.detail, exc.code, errors), status=exc.status)
        until = getattr(exc, "until", None)
        if until is not None:
            response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
        return response
    if isinstance(exc, DjangoValidationError):
        # Keep each message's code (invalid_id_number, duplicate_id_number …), not only its text.
        detail = get_error_detail(exc)
        if isinstance(detail, list):
            if getattr(exc, "code", None) == "conflict":
                return Response(error_body(409, detail[0], "conflict"), status=409)
            detail = {"non_field_errors": detail}
        exc = exceptions.ValidationError(detail)
    if isinstance(exc, ValueError) and "NUL (0x00)" in str(exc):
        # psycopg2 refuses a NUL in a string parameter before sending it: an input the parsers and the
        # query-parameter middleware did not see (a form field, a URL segment) is still the client's error.
        return Response(error_body(400, _("输入不能含有 NUL 字符。")), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        response.data = error_body(response.status_code, exc.detail, "invalid")
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else exc
        if isinstance(detail, (list, dict)):
            detail = _("请求无法处理。")
        response.data = error_body(response.status_code, detail)
    return response


def json_error(status_code: int, detail: str, errors: dict[str, list[str]] | None = None) -> JsonResponse:
    """An error response outside DRF; `errors` as {"field": ["message"]} (each gets the code `invalid`)."""
    coded = {field: [{"code": "invalid", "detail": str(m)} for m in messages] for field, messages in (errors or {}).items()}
    body = error_body(status_code, detail, errors=coded)
    response = JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response
