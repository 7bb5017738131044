"""The help side (帮扶力量) in the admin: scoped like the API, and every save goes through cadres.services.

Each form first runs its service in a savepoint that is rolled back (a dry run), so the service's
errors appear beside the fields and nothing the API would refuse can be stored; the save then
calls the service for real. Team warnings are shown as messages after a save.
"""

from django.contrib import admin, messages

from cadres import services
from cadres.models import Cadre, Pairing, TeamMembership, Unit, Visit, WorkTeam
from core.admin_base import ReadOnlyInline, pick
from core.admin_base import ServiceAdmin as BaseServiceAdmin
from core.personal import log_personal_read
from core.roles import Capability
from core.scope import restrict_to_scope
from villages.admin import RegionListFilter


class ServiceAdmin(BaseServiceAdmin):
    """Cadres admins write as the county office does (units, cadres, teams, pairings); visits say otherwise."""

    write_capability = Capability.COUNTY_ADMINISTRATION


def _warn(request, warnings: list[dict]) -> None:
    for warning in warnings:
        messages.warning(request, warning["detail"])


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    """帮扶单位: the county office registers the units that help."""

    list_display = ("name", "level", "region")
    list_filter = ("level",)
    search_fields = ("name",)
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    fields = ("name", "level", "region")

    def service(self, request, obj, data, change):
        values = pick(data, services.UNIT_FIELDS)
        if change:
            return lambda: services.unit_update(user=request.user, unit=obj, data=values)
        return lambda: services.unit_create(user=request.user, data=values)


@admin.register(Cadre)
class CadreAdmin(ServiceAdmin):
    """干部: ID numbers masked for roles that may not see them; full reads on the change page are logged."""

    masked_fields = ("id_number",)
    list_display = ("name", "sex", "unit", "title", "region", "user")
    list_filter = ("sex",)
    search_fields = ("name", "=id_number")
    list_select_related = ("unit", "region", "user")
    autocomplete_fields = ("region",)
    raw_id_fields = ("user",)
    fields = ("name", "sex", "id_number", "phone", "unit", "title", "region", "user")

    def service(self, request, obj, data, change):
        values = pick(data, services.CADRE_FIELDS)
        if change:
            return lambda: services.cadre_update(user=request.user, cadre=obj, data=values)
        return lambda: services.cadre_create(user=request.user, data=values)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and object_id and getattr(response, "status_code", 0) == 200:
            original = (getattr(response, "context_data", None) or {}).get("original")
            if original is not None and original.id_number and not self._masks(request, original):
                log_personal_read(
                    request, model_label="cadres.cadre", object_ids=[original.pk], fields=["id_number"],
                    region=original.region_id,
                )  # fmt: skip
        return response


class MembershipInline(ReadOnlyInline):
    """The team's members, shown read-only: members are added and ended on the 工作队成员 page (through the service)."""

    model = TeamMembership
    fields = ("cadre", "role", "resident", "starts_on", "ends_on")


@admin.register(WorkTeam)
class WorkTeamAdmin(ServiceAdmin):
    """驻村工作队: the team's village, sending unit and term; its members below."""

    inlines = (MembershipInline,)
    list_display = ("village", "unit", "starts_on", "ends_on")
    list_filter = (RegionListFilter,)
    search_fields = ("village__name", "=village__code", "unit__name")
    list_select_related = ("village", "unit")
    autocomplete_fields = ("village",)
    fields = ("village", "unit", "starts_on", "ends_on")

    def get_readonly_fields(self, request, obj=None):
        return ("village",) if obj is not None else ()

    def service(self, request, obj, data, change):
        values = pick(data, services.TEAM_FIELDS)
        if change:
            values.pop("village", None)
            return lambda: services.work_team_update(user=request.user, team=obj, data=values)[0]
        return lambda: services.work_team_create(user=request.user, data=values)[0]

    def after_save(self, request, saved):
        _warn(request, services.team_warnings(team=saved))


@admin.register(TeamMembership)
class TeamMembershipAdmin(ServiceAdmin):
    """工作队成员: a cadre joins a team with a role and a period; ending is setting the end date."""

    list_display = ("team", "cadre", "role", "resident", "starts_on", "ends_on")
    list_filter = ("role", "resident")
    search_fields = ("cadre__name", "=team__village__code")
    list_select_related = ("team__village", "cadre")
    raw_id_fields = ("team", "cadre")
    fields = ("team", "cadre", "role", "resident", "starts_on", "ends_on")

    def get_readonly_fields(self, request, obj=None):
        return ("team", "cadre") if obj is not None else ()

    def service(self, request, obj, data, change):
        values = pick(data, services.MEMBERSHIP_FIELDS)
        if change:
            return lambda: services.team_member_update(user=request.user, membership=obj, data=values)[0]
        if values.get("ends_on") is None:
            values.pop("ends_on", None)  # left blank: the member serves to the team's end
        return lambda: services.team_member_add(user=request.user, team=data["team"], cadre=data["cadre"], data=values)[0]

    def after_save(self, request, saved):
        _warn(request, services.team_warnings(team=saved.team))


@admin.register(Pairing)
class PairingAdmin(ServiceAdmin):
    """结对帮扶: a cadre paired with a household; ending is setting the end date (handover: the API's one action)."""

    list_display = ("household", "cadre", "starts_on", "ends_on")
    list_filter = (RegionListFilter,)
    search_fields = ("=household__number", "cadre__name")
    list_select_related = ("household", "cadre")
    raw_id_fields = ("cadre", "household")
    fields = ("cadre", "household", "starts_on", "ends_on")

    def get_readonly_fields(self, request, obj=None):
        return ("cadre", "household", "starts_on") if obj is not None else ()

    def service(self, request, obj, data, change):
        if change:
            return lambda: services.pairing_update(user=request.user, pairing=obj, ends_on=data.get("ends_on"))
        return lambda: services.pairing_create(
            user=request.user,
            cadre=data["cadre"],
            household=data["household"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
        )


@admin.register(Visit)
class VisitAdmin(ServiceAdmin):
    """走访记录: recorded by whoever records activity in the household's village, for a paired cadre."""

    write_capability = Capability.RECORD_ACTIVITY
    list_display = ("household", "cadre", "date", "kind", "confirmed")
    list_filter = (RegionListFilter, "kind", "confirmed")
    search_fields = ("=household__number", "cadre__name")
    list_select_related = ("household", "cadre")
    raw_id_fields = ("cadre", "household")
    fields = ("cadre", "household", "date", "kind", "found", "agreed", "confirmed")

    def get_readonly_fields(self, request, obj=None):
        return ("cadre", "household") if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cadre":
            # Cadres paired with households where the caller records activity (a village team cannot see the
            # county's list of cadres, but can record its households' visitors).
            paired = restrict_to_scope(Pairing.objects.all(), request.user, Capability.RECORD_ACTIVITY)
            kwargs["queryset"] = Cadre.objects.filter(pk__in=paired.values("cadre_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service(self, request, obj, data, change):
        values = pick(data, services.VISIT_FIELDS)
        if change:
            return lambda: services.visit_update(user=request.user, visit=obj, data=values)
        return lambda: services.visit_create(user=request.user, cadre=data["cadre"], household=data["household"], data=values)

