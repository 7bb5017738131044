"""The second-factor page: enrol an authenticator app, or give its code after the password."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from core import second_factor
from core.ui import PageForm


class CodeForm(PageForm):
    code = forms.CharField(
        label=_("验证码"),
        max_length=6,
        min_length=6,
        help_text=_("验证器应用（如腾讯身份验证器、Google Authenticator）显示的 6 位数字"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"]
        allowed, _why = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("错误次数过多：请等候几秒后再输入新的验证码。"))
        if not second_factor.check_code(self.device, code):
            raise forms.ValidationError(_("验证码不正确或已过期：请输入应用当前显示的 6 位验证码。"))
        return code


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return "/"
    return target


@login_required
def second_factor_page(request):
    """Verify with the enrolled device, or enrol one (the QR code and the secret, then a first code)."""
    device = second_factor.confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device = second_factor.pending_device(request.user)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(_next(request))
    context = {
        "form": form,
        "enrolling": enrolling,
        "required": second_factor.must_use_second_factor(request.user),
        "next": _next(request),
    }
    if enrolling:
        context.update(qr=second_factor.qr_svg(device), secret=second_factor.base32_secret(device))
    return render(request, "core/second_factor.html", context)
