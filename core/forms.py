"""Sign-in forms for the web pages and the admin: Django's forms, with Jingzhun's lock-out."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.roles import ADMIN_ROLES
from core.scope import is_unrestricted, user_grants
from core.services import sign_in


class SignInForm(AuthenticationForm):
    """The login page: failed attempts count toward the same lock-out as the token endpoint."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = sign_in(request=self.request, username=username, password=password)
            except DomainError as exc:
                raise forms.ValidationError(exc.detail, code=exc.code) from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminSignInForm(SignInForm, AdminAuthenticationForm):
    """The admin's login: any user holding a role that works in the admin, not only staff."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。"),
    }

    def confirm_login_allowed(self, user):
        AuthenticationForm.confirm_login_allowed(self, user)
        if not may_use_admin(user):
            raise forms.ValidationError(_("此账号没有可使用管理后台的角色。"), code="no_admin_role")


def may_use_admin(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return is_unrestricted(user) or user.is_staff or any(role in ADMIN_ROLES for role, _prefix in user_grants(user))
