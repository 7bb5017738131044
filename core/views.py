"""Web shell pages (home, sign-in) and Django's error handlers, JSON on API paths."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from core import panels
from core.api.errors import json_error
from core.forms import SignInForm, may_use_admin
from core.middleware import MUST_CHANGE_PASSWORD
from core.models import RoleGrant
from core.roles import ROLE_CAPABILITIES, Capability


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


@login_required
def home(request):
    """My work queue 待办: what waits for me in my roles and regions (the apps above add their panels), and my roles.

    core imports none of those apps: each registers a `work_queue` panel (core.panels) in its ready(); every panel
    runs a fixed number of queries, so the page's count is pinned whatever the data.
    """
    grants = (
        RoleGrant.objects.filter(user=request.user).select_related("region", "region__parent").order_by("role", "region_id")
    )
    rows = [
        {
            "grant": grant,
            "capabilities": [Capability(c).label for c in Capability.values if c in ROLE_CAPABILITIES[grant.role]],
        }
        for grant in grants
    ]
    queue = panels.render_context("work_queue", request)
    return render(request, "core/home.html", {"rows": rows, "queue": queue, "may_use_admin": may_use_admin(request.user)})


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        """A password the county office set (core.services) is changed first (core.middleware)."""
        if self.request.session.get(MUST_CHANGE_PASSWORD):
            return reverse("password_change")
        return super().get_success_url()


@requires_csrf_token
def bad_request(request, exception=None):
    if _is_api(request):
        return json_error(400, _("请求无法解析。"))
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    if _is_api(request):
        return json_error(403, _("没有执行此操作的权限。"))
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    if _is_api(request):
        return json_error(404, _("未找到。"))
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    if _is_api(request):
        return json_error(500, _("服务器内部错误，已记录。"))
    # No request context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    if _is_api(request):
        return json_error(403, _("CSRF 校验失败：请重新加载页面，或使用令牌认证。"))
    return render(request, "403.html", {"reason": reason}, status=403)
