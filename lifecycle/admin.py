"""Admin of the lifecycle: procedures and status changes, read-only (the services write them)."""

from django.contrib import admin

from core.admin_base import ReadOnlyInline, ScopedModelAdmin
from core.roles import Capability
from lifecycle.models import (
    Procedure,
    ProcedureStep,
    StatusChange,
    VillageExit,
    VillageExitObjection,
    VillageExitStep,
)
from villages.admin import RegionListFilter


class ProcedureStepInline(ReadOnlyInline):
    model = ProcedureStep
    fields = ("step", "decision", "date", "acted_by", "note", "data")


@admin.register(Procedure)
class ProcedureAdmin(ScopedModelAdmin):
    """程序: shown read-only; steps are taken through the API or the procedure pages, by the services."""

    write_capability = None
    inlines = (ProcedureStepInline,)
    list_display = ("household", "kind", "state", "opened_on", "decided_on")
    list_filter = (RegionListFilter, "kind", "state")
    search_fields = ("=household__number",)
    list_select_related = ("household",)
    readonly_fields = (
        "household", "kind", "state", "position", "opened_on", "decided_on", "reason", "monitoring_type", "rejection",
        "evaluation",
    )  # fmt: skip
    exclude = ()

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ScopedModelAdmin):
    """状态变更: the episodes, append-only (a correction is a new row written by the county office)."""

    write_capability = None
    list_display = ("household", "status", "returned", "effective_on", "procedure", "corrects", "recorded_at")
    list_filter = (RegionListFilter, "status", "returned")
    search_fields = ("=household__number",)
    list_select_related = ("household",)

    def has_change_permission(self, request, obj=None):
        return False


class VillageExitStepInline(ReadOnlyInline):
    model = VillageExitStep
    fields = ("step", "decision", "date", "acted_by", "note", "data")


class VillageExitObjectionInline(ReadOnlyInline):
    model = VillageExitObjection
    fields = ("lodged_on", "lodged_by", "content", "outcome", "resolved_on", "resolution")


@admin.register(VillageExit)
class VillageExitAdmin(ScopedModelAdmin):
    """贫困村出列程序: shown read-only; its steps are taken through the API, by the services."""

    read_capability = Capability.READ_REGISTER
    write_capability = None
    inlines = (VillageExitStepInline, VillageExitObjectionInline)
    list_display = ("village", "year", "state", "opened_on", "decided_on")
    list_filter = (RegionListFilter, "state", "year")
    search_fields = ("=village__code", "village__name")
    list_select_related = ("village",)
    readonly_fields = (
        "village", "year", "state", "position", "opened_on", "decided_on", "evaluation", "notice_start", "notice_end",
        "rejection",
    )  # fmt: skip

    def has_change_permission(self, request, obj=None):
        return False
