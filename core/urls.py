"""Pages of core: the accounts of the county office (用户管理) and the password change."""

from django.urls import path

from core import job_views, user_views

urlpatterns = [
    path("users/", user_views.users, name="users"),
    path("users/<int:pk>/password/", user_views.user_reset_password, name="user-reset-password"),
    path("users/<int:pk>/active/", user_views.user_set_active, name="user-set-active"),
    path("password/", user_views.PasswordChangeView.as_view(), name="password_change"),
    path("jobs/", job_views.jobs_page, name="jobs"),
    path("jobs/<int:pk>/retry/", job_views.job_retry_page, name="jobs-retry"),
]
