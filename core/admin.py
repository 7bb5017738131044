"""Admin registrations of the core app (the site and the scoped base live in core.admin_base)."""

from django.contrib import admin
from django.contrib.auth.models import Group

from core.admin_base import ScopedModelAdmin
from core.models import RoleGrant
from core.roles import Capability
from core.scope import users_in_scope


@admin.register(RoleGrant)
class RoleGrantAdmin(ScopedModelAdmin):
    """County officers grant and revoke roles inside their county; superusers everywhere."""

    read_capability = Capability.COUNTY_ADMINISTRATION
    write_capability = Capability.COUNTY_ADMINISTRATION
    delete_capability = Capability.COUNTY_ADMINISTRATION
    list_display = ("user", "role", "region", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "region__name", "region__code")
    autocomplete_fields = ("region",)
    list_select_related = ("user", "region")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """The holder is chosen among the users in the officer's scope only (core.scope.users_in_scope)."""
        if db_field.name == "user":
            kwargs["queryset"] = users_in_scope(request.user, self.write_capability).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(Group)
