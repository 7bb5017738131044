from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.api.views import TokenView, healthz, metrics
from core.second_factor_views import second_factor_page
from core.views import SignInView, home

api_v1 = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("", include("core.api.urls")),
    path("", include("villages.api.urls")),
    path("", include("households.api.urls")),
    path("", include("lifecycle.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("checks.api.urls")),
    path("", include("cadres.api.urls")),
    path("", include("programs.api.urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("login/", SignInView.as_view(), name="login"),
    path("account/second-factor/", second_factor_page, name="second-factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("households/", include("households.urls")),
    path("", include("households.imports.urls")),
    path("", include("lifecycle.urls")),
    path("", include("checks.urls")),
    path("", include("reports.urls")),
    path("", include("cadres.urls")),
    path("", include("programs.urls")),
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
