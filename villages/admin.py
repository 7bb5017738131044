from django.contrib import admin

from core.admin_base import ScopedModelAdmin
from core.roles import Capability
from villages.models import Region


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin):
    """Regions are reference data: everyone reads their subtree; only superusers change it."""

    read_capability = Capability.READ_FIGURES
    write_capability = None
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    readonly_fields = ("level", "parent", "version", "created_at", "updated_at")
