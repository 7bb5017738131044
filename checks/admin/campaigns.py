"""Admin of cross-check campaigns: campaigns, rotation, samples and verifications, read-only and scoped.

Campaigns are created, assigned, verified and closed through the API (checks.campaigns services), so the
admin shows them and changes nothing: it cannot bypass the rotation, the assigned-team check or the close rule.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from checks.models import Campaign, CampaignAssignment, CampaignSample, Verification
from core.admin_base import ScopedModelAdmin
from core.roles import Capability
from villages.admin import RegionListFilter


class ReadOnlyScopedAdmin(ScopedModelAdmin):
    """Scoped to READ_REGISTER; nobody adds, changes or deletes here (the services are the way in)."""

    read_capability = Capability.READ_REGISTER
    write_capability = None
    delete_capability = None
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyScopedAdmin):
    list_display = ("name", "kind", "year", "region", "sample_rate", "starts_on", "ends_on", "state")
    list_filter = ("kind", "state", "year")
    search_fields = ("name",)
    list_select_related = ("region",)  # region
    readonly_fields = ("created_by",)


@admin.register(CampaignAssignment)
class CampaignAssignmentAdmin(ReadOnlyScopedAdmin):
    list_display = ("campaign", "village", "team_village")
    list_filter = (RegionListFilter, "campaign")
    list_select_related = ("campaign", "village", "team__village")  # campaign, village, team_village

    @admin.display(description=_("核查工作队驻村"))
    def team_village(self, obj):
        return obj.team.village


@admin.register(CampaignSample)
class CampaignSampleAdmin(ReadOnlyScopedAdmin):
    list_display = ("campaign", "household", "village", "group")
    list_filter = (RegionListFilter, "group", "campaign")
    search_fields = ("household__number",)
    list_select_related = ("campaign", "household", "village")  # campaign, household, village


@admin.register(Verification)
class VerificationAdmin(ReadOnlyScopedAdmin):
    list_display = ("sample", "verified_on", "accurate", "discrepancies", "approves", "recorded_by")
    list_filter = (RegionListFilter, "accurate", "approves", "sample__campaign")
    search_fields = ("sample__household__number",)
    list_select_related = ("sample", "recorded_by")  # sample, recorded_by
    date_hierarchy = "verified_on"
