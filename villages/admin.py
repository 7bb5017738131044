from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import regions
from core.admin_base import ScopedModelAdmin
from core.roles import Capability
from core.scope import restrict_to_scope
from villages.models import Region, VillageProfile, VillagerGroup, VillageYear


class RegionListFilter(admin.SimpleListFilter):
    """Filter a scoped list by township or village (乡镇/村), offering only regions in the user's scope."""

    title = _("区划")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        scoped = restrict_to_scope(Region.objects.filter(level__in=["township", "village"]), request.user, model_admin.read_capability)
        townships = [r for r in scoped if r.level == "township"]
        shown = townships if len(townships) > 1 else scoped
        return [(r.code, f"{r.name}（{r.code}）") for r in shown]

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        try:
            prefix = regions.significant_prefix(code)
        except regions.RegionCodeError:
            return queryset.none()
        field = queryset.model.scope_field
        return queryset.filter(**{f"{field}__startswith": prefix})


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


@admin.register(VillageProfile)
class VillageProfileAdmin(ScopedModelAdmin):
    """村情: poverty-village status; the county office keeps it (village exit decisions come with procedures)."""

    read_capability = Capability.READ_FIGURES
    write_capability = Capability.COUNTY_ADMINISTRATION
    list_display = ("village", "poverty_status", "identified_year", "exit_year")
    list_filter = ("poverty_status", "identified_year", "exit_year")
    search_fields = ("village__code", "village__name")
    list_select_related = ("village",)
    autocomplete_fields = ("village",)


@admin.register(VillageYear)
class VillageYearAdmin(ScopedModelAdmin):
    """村年度数据: rural population, infrastructure and collective income per year."""

    read_capability = Capability.READ_FIGURES
    write_capability = Capability.COUNTY_ADMINISTRATION
    list_display = ("village", "year", "rural_population", "hardened_road", "safe_water", "clinic", "collective_income")
    list_filter = ("year", "clinic", "hardened_road")
    search_fields = ("village__code", "village__name")
    list_select_related = ("village",)
    autocomplete_fields = ("village",)


@admin.register(VillagerGroup)
class VillagerGroupAdmin(ScopedModelAdmin):
    """村民小组: village teams keep their villages' groups, used in addresses."""

    read_capability = Capability.READ_REGISTER
    write_capability = Capability.EDIT_REGISTER
    list_display = ("name", "village")
    search_fields = ("name", "village__name", "village__code")
    list_select_related = ("village",)
    autocomplete_fields = ("village",)
