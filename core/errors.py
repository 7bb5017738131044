"""Stable error codes and the exception services raise when a business rule refuses.

The API turns these into {"code", "detail", "errors"} (see core.api.errors); the admin and the
forms show the same detail sentence.
"""

from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _

# Codes a client can rely on (docs/api.md, Errors): the generic ones by HTTP status, and the specific ones a
# rule raises. A field error raised with one of the specific codes also becomes the top-level
# code of a 400 answer.
STATUS_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    414: "uri_too_long",
    415: "unsupported_media_type",
    429: "throttled",
    431: "header_too_large",
    500: "server_error",
}
SPECIFIC_CODES = frozenset(
    {
        "invalid_id_number",
        "duplicate_id_number",
        "transition_not_allowed",
        "notice_not_ended",
        "notice_too_late",
        "objection_open",
        "objection_overdue",
        "eligibility_failed",
        "same_user_not_allowed",
        "invalid_credentials",
        "invalid_household_composition",
        "account_locked",
        "finding_open",
        "cannot_rotate",
        "not_assigned_team",
        "invalid_upload",
        "overlapping_period",
        "monitoring_type_not_allowed",
        "attribute_required",
    }
)


class DomainError(Exception):
    """A business rule or state refuses the request (409 unless said otherwise)."""

    status = 409

    def __init__(self, code: str, detail, *, status: int | None = None, errors: dict | None = None):
        super().__init__(str(detail))
        self.code = code
        self.detail = detail
        self.errors = errors
        if status is not None:
            self.status = status


class AccountLocked(DomainError):
    """Too many failed sign-ins: the account is locked until a moment."""

    status = 429

    def __init__(self, until):
        local = timezone.localtime(until)
        super().__init__(
            "account_locked",
            _("登录失败次数过多，账号已锁定至 %(time)s，请稍后再试。") % {"time": time_format(local, "H:i")},
        )
        self.until = until


class SignInThrottled(DomainError):
    """Too many failed sign-ins for a user name from all addresses together: wait a moment."""

    status = 429

    def __init__(self, until):
        super().__init__("throttled", _("此用户名的登录尝试过多，请稍后再试。"))
        self.until = until


class InvalidCredentials(DomainError):
    status = 400

    def __init__(self):
        super().__init__("invalid_credentials", _("用户名或密码不正确。"))
