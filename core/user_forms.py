"""Forms of the accounts page (用户管理): create an account with a role, reset a password."""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.ui import PageForm, StyledBoundField

# The roles a county office hands out on this page (an API client is a machine: its tokens are made elsewhere).
GRANTABLE = [(role.value, role.label) for role in (Role.VILLAGE_TEAM, Role.TOWNSHIP_REVIEWER, Role.COUNTY_OFFICER, Role.INSPECTOR)]


class UserCreateForm(PageForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput(render_value=True), help_text=_("首次登录时须修改")
    )
    role = forms.ChoiceField(label=_("角色"), choices=GRANTABLE)
    region = forms.ChoiceField(label=_("区划"))

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]


class PasswordResetForm(PageForm):
    password = forms.CharField(
        label=_("临时密码"), widget=forms.PasswordInput(render_value=True), help_text=_("用户下次登录时须修改")
    )


class PagePasswordChangeForm(DjangoPasswordChangeForm):
    """Django's password change form with the page's field styling."""

    bound_field_class = StyledBoundField
