"""The accounts page (用户管理, /users/) of the county office: the users of its county with their roles, last sign-in
and lock-out; create an account with a role in its own regions, reset a password, disable or enable an account.

Writes go through core.services (account_*); each is recorded by the history triggers of AccountState and RoleGrant
with the acting user (core.history). Users are those core.scope.users_in_scope gives: another county's are 404.
"""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import services
from core.middleware import MUST_CHANGE_PASSWORD
from core.models import AccountState, RoleGrant, SignInLock
from core.roles import Capability
from core.scope import has_capability, restrict_to_scope, users_in_scope
from core.ui import KeysetPage, ordered_page
from core.user_forms import PagePasswordChangeForm, PasswordResetForm, UserCreateForm

PER_PAGE = 50


def _administers(user) -> None:
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION):
        raise PermissionDenied


def _regions(user):
    """The regions where the user may grant roles (its county and everything under it)."""
    Region = apps.get_model("villages", "Region")
    return restrict_to_scope(Region.objects.exclude(level__in=["province", "city"]), user, Capability.COUNTY_ADMINISTRATION).order_by("code")


def _listing(request) -> KeysetPage:
    """A page of the accounts by user name (keyset: the same cost at any depth), each with its roles, lock-out and
    second factor read for the page's rows only."""
    grants = RoleGrant.objects.select_related("region").order_by("role", "region_id")  # the roles column
    page = ordered_page(
        request,
        users_in_scope(request.user)
        .select_related("account_state")
        .prefetch_related(Prefetch("role_grants", queryset=grants))
        .order_by("username"),
        size=PER_PAGE,
    )
    users = page.object_list
    now = timezone.now()
    locks = {}
    for name, until in SignInLock.objects.filter(
        username__in=[u.username for u in users], locked_until__gt=now
    ).exclude(address=SignInLock.ALL_ADDRESSES).values_list("username", "locked_until"):
        locks[name] = max(until, locks.get(name, until))
    enrolled = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
    for account in users:
        account.locked_until = locks.get(account.username)
        account.second_factor = account.pk in enrolled
        try:
            account.state = account.account_state
        except AccountState.DoesNotExist:
            account.state = None
    return page


@login_required
def users(request):
    """The accounts of the county office's regions, and the form to create one."""
    _administers(request.user)
    regions = list(_regions(request.user))
    form = UserCreateForm(regions=regions)
    if request.method == "POST":
        form = UserCreateForm(request.POST, regions=regions)
        if form.is_valid():
            data = form.cleaned_data
            region = next(r for r in regions if r.code == data["region"])
            try:
                services.account_create(
                    by=request.user, username=data["username"], password=data["password"], role=data["role"], region=region
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("password" if "密码" in message or "password" in message.lower() else "username", message)
            except ValueError:
                form.add_error("username", _("该用户名已被使用，请换一个。"))
            except PermissionError as exc:
                raise PermissionDenied from exc
            else:
                messages.success(request, _("已创建用户 %(name)s：首次登录时须修改密码。") % {"name": data["username"]})
                return redirect("users")
    return render(request, "core/users/list.html", {"page": _listing(request), "form": form})


def _account(request, pk):
    """An account the caller administers: another county's (or any, for a non-administrator) does not exist (404)."""
    account = get_object_or_404(users_in_scope(request.user), pk=pk)
    _administers(request.user)
    return account


@login_required
def user_reset_password(request, pk):
    account = _account(request, pk)
    form = PasswordResetForm()
    if request.method == "POST":
        form = PasswordResetForm(request.POST)
        if form.is_valid():
            try:
                services.account_reset_password(by=request.user, user=account, password=form.cleaned_data["password"])
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("password", message)
            else:
                messages.success(request, _("已重置 %(name)s 的密码：下次登录时须修改。") % {"name": account.username})
                return redirect("users")
    return render(request, "core/users/reset.html", {"account": account, "form": form})


@login_required
@require_POST
def user_set_active(request, pk):
    account = _account(request, pk)
    if account.pk == request.user.pk:
        messages.error(request, _("不能停用自己的账号。"))
        return redirect("users")
    active = request.POST.get("active") == "1"
    services.account_set_active(by=request.user, user=account, active=active)
    text = _("已启用 %(name)s。") if active else _("已停用 %(name)s：该账号不能再登录。")
    messages.success(request, text % {"name": account.username})
    return redirect("users")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, in the page shell; meeting a reset's demand to change the password."""

    form_class = PagePasswordChangeForm
    template_name = "core/users/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)
        self.request.session.pop(MUST_CHANGE_PASSWORD, None)
        messages.success(self.request, _("密码已修改。"))
        return response



