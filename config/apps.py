from django.contrib.admin.apps import AdminConfig


class JingzhunAdminConfig(AdminConfig):
    """The Django admin with Jingzhun's role-aware site (see core.admin_base.JingzhunAdminSite)."""

    default_site = "core.admin_base.JingzhunAdminSite"
