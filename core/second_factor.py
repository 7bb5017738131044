"""Second factor (第二重验证): a time-based one-time code (TOTP, django-otp) for the roles that decide.

County officers and superusers must enrol an authenticator app and give its 6-digit code at every
sign-in (JINGZHUN_SECOND_FACTOR_ROLES; JINGZHUN_SECOND_FACTOR=0 switches the requirement off, for a
demo on a machine without a phone). Others may enrol and then are asked too. Pages: the session is
verified by django-otp's `otp_login`; until then `SecondFactorMiddleware` sends the user to
`/account/second-factor/` (enrol or enter the code). API: `POST auth/token/` takes the code as `otp`.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from core.scope import user_grants

DEVICE_NAME = "authenticator"
# Whether the signed-in user had an enrolled device at sign-in (read once then: no query per page).
SESSION_ENROLLED = "jingzhun_second_factor_enrolled"


class SecondFactorRequired(DomainError):
    status = 401

    def __init__(self, detail=None):
        super().__init__(
            "second_factor_required",
            detail or _("此账号需要第二重验证：请在 otp 中填写验证器应用显示的 6 位验证码。"),
        )


class SecondFactorNotEnrolled(DomainError):
    status = 403

    def __init__(self):
        super().__init__(
            "second_factor_not_enrolled",
            _("此账号必须启用第二重验证：请先在网页上登录并绑定验证器应用，然后再申请令牌。"),
        )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def must_use_second_factor(user) -> bool:
    """Whether this user must give a code: a role that decides (or superuser), when the requirement is on."""
    if not getattr(settings, "JINGZHUN_SECOND_FACTOR", True) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = set(settings.JINGZHUN_SECOND_FACTOR_ROLES)
    return any(role in roles for role, _prefix in user_grants(user))


def asks_for_code(user) -> bool:
    """Whether signing in takes a code: required for the role, or enrolled by choice."""
    return must_use_second_factor(user) or confirmed_device(user) is not None


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (a new secret when there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def check_code(device: TOTPDevice | None, code: str) -> bool:
    code = (code or "").strip()
    return device is not None and len(code) == 6 and code.isascii() and code.isdigit() and device.verify_token(code)


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment address (otpauth://) as an SVG QR code, drawn on the server."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


def base32_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed by hand, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def check_token_request(user, code: str | None) -> None:
    """For `POST auth/token/`: refuse a user who must give a code and did not give a good one."""
    if not asks_for_code(user):
        return
    device = confirmed_device(user)
    if device is None:
        raise SecondFactorNotEnrolled()
    if not code:
        raise SecondFactorRequired()
    if not check_code(device, code):
        raise SecondFactorRequired(_("验证码不正确或已过期：请输入验证器应用当前显示的 6 位验证码。"))
