"""Programs, benefits, cooperatives and pairing-unit projects in the admin: scoped like the API, saved by the services.

Each form first runs its service in a savepoint that is rolled back (a dry run), so the service's errors
appear beside the fields and nothing the API would refuse can be stored; the save then calls the service
for real. A refusal only the real save can see (a race) is shown as a message and nothing is saved.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit
from core.admin_base import ServiceAdmin as BaseServiceAdmin
from core.admin_base import ServiceForm, pick
from core.roles import Capability
from core.scope import restrict_to_scope
from households.models import Household
from programs import selectors, services
from programs.models import Benefit, Cooperative, CooperativeMembership, Dividend, PairingProject, Program
from villages.admin import RegionListFilter


class ServiceAdmin(BaseServiceAdmin):
    """Programs admins write as the county office does; benefits say otherwise."""

    write_capability = Capability.COUNTY_ADMINISTRATION


@admin.register(Program)
class ProgramAdmin(ServiceAdmin):
    """帮扶项目: the county office sets them up; everyone working inside a program's region sees it."""

    read_capability = Capability.READ_FIGURES
    list_display = ("name", "category", "subtype", "start_year", "end_year", "region", "funding_source", "budget")
    list_filter = ("category", "funding_source", "targeting_rule", "start_year")
    search_fields = ("name",)
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    fields = (
        "name", ("category", "subtype"), ("start_year", "end_year"), "region", ("funding_source", "budget"),
        ("unit", "people_basis"), "targeting_rule", "description", "reach",
    )  # fmt: skip
    readonly_fields = ("reach",)

    def get_queryset(self, request):
        return selectors.programs_visible(user=request.user, capability=self.read_capability)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request)
        return selectors.program_visible_to(request.user, obj, self.read_capability)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = restrict_to_scope(
                db_field.related_model.objects.all(), request.user, Capability.COUNTY_ADMINISTRATION
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("受益情况"))
    def reach(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        figures = selectors.program_beneficiaries(program=obj)
        return _("受益户 %(households)s 户，受益人口 %(people)s 人，金额 %(amount)s 元") % {
            "households": figures["beneficiary_households"],
            "people": figures["beneficiary_people"],
            "amount": figures["benefit_amount"],
        }

    def service(self, request, obj, data, change):
        values = pick(data, services.PROGRAM_FIELDS)
        if obj is None:
            return lambda: services.program_create(user=request.user, data=values)
        return lambda: services.program_update(user=request.user, program=obj, data=values)


@admin.register(Benefit)
class BenefitAdmin(ServiceAdmin):
    """帮扶记录: recorded by whoever records activity in the household's village."""

    read_capability = Capability.READ_REGISTER
    write_capability = Capability.RECORD_ACTIVITY
    list_display = ("date", "program", "household", "member", "amount", "quantity", "recorded_by")
    list_filter = (RegionListFilter, "program__category", "program__funding_source")
    search_fields = ("=household__number", "program__name")
    list_select_related = ("program", "household", "member", "recorded_by")
    raw_id_fields = ("household", "member")
    fields = ("program", "household", "member", "date", ("amount", "quantity"), "note", "recorded_by")
    readonly_fields = ("recorded_by",)
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["program", "household"]  # a benefit stays with its program and household
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            kwargs["queryset"] = selectors.programs_visible(user=request.user, capability=Capability.RECORD_ACTIVITY)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service(self, request, obj, data, change):
        if obj is None:
            return lambda: services.benefit_create(
                user=request.user,
                program=data.get("program"),
                household=data.get("household"),
                member=data.get("member"),
                date=data.get("date"),
                amount=data.get("amount"),
                quantity=data.get("quantity", 1),
                note=data.get("note", ""),
            )
        return lambda: services.benefit_update(user=request.user, benefit=obj, data=pick(data, services.BENEFIT_FIELDS))


@admin.register(Cooperative)
class CooperativeAdmin(ServiceAdmin):
    """合作社: registered by the county office in a village."""

    read_capability = Capability.READ_FIGURES
    list_display = ("name", "village", "kind", "founded")
    list_filter = (RegionListFilter, "kind")
    search_fields = ("name",)
    list_select_related = ("village",)
    autocomplete_fields = ("village",)
    fields = ("name", "village", "kind", "founded")

    def service(self, request, obj, data, change):
        values = pick(data, services.COOPERATIVE_FIELDS)
        if obj is None:
            return lambda: services.cooperative_create(user=request.user, data=values)
        return lambda: services.cooperative_update(user=request.user, cooperative=obj, data=values)


@admin.register(CooperativeMembership)
class CooperativeMembershipAdmin(ServiceAdmin):
    """合作社成员: a household's membership (no overlap with its other memberships of the same cooperative)."""

    read_capability = Capability.READ_REGISTER
    list_display = ("cooperative", "household", "joined", "left", "shares")
    list_filter = (RegionListFilter,)
    search_fields = ("=household__number", "cooperative__name")
    list_select_related = ("cooperative", "household")
    raw_id_fields = ("household",)
    fields = ("cooperative", "household", "joined", "left", "shares")

    def get_readonly_fields(self, request, obj=None):
        return ("cooperative", "household") if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cooperative":
            kwargs["queryset"] = selectors.cooperatives_in_scope(user=request.user, capability=Capability.READ_FIGURES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service(self, request, obj, data, change):
        if obj is None:
            return lambda: services.membership_create(
                user=request.user,
                cooperative=data.get("cooperative"),
                household=data.get("household"),
                joined=data.get("joined"),
                left=data.get("left"),
                shares=data.get("shares"),
            )
        return lambda: services.membership_update(
            user=request.user, membership=obj, data=pick(data, services.MEMBERSHIP_FIELDS)
        )


@admin.register(Dividend)
class DividendAdmin(ServiceAdmin):
    """分红: one per membership and year."""

    read_capability = Capability.READ_REGISTER
    list_display = ("membership", "year", "amount")
    list_filter = ("year",)
    search_fields = ("=membership__household__number", "membership__cooperative__name")
    list_select_related = ("membership",)
    raw_id_fields = ("membership",)
    fields = ("membership", "year", "amount")

    def get_readonly_fields(self, request, obj=None):
        return ("membership",) if obj is not None else ()

    def service(self, request, obj, data, change):
        if obj is None:
            return lambda: services.dividend_create(
                user=request.user, membership=data.get("membership"), year=data.get("year"), amount=data.get("amount")
            )
        return lambda: services.dividend_update(user=request.user, dividend=obj, data=pick(data, ("year", "amount")))


class ProjectForm(ServiceForm):
    """A project with its beneficiary households given by their numbers (户编号), one per line or comma-separated."""

    beneficiary_numbers = forms.CharField(
        label=_("受益户编号"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行或用逗号分隔一个户编号；须是项目村的户"),
    )

    class Meta:
        model = PairingProject
        fields = ("unit", "village", "name", "year", "funds_invested", "funds_coordinated", "trainings")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            numbers = self.instance.beneficiaries.order_by("number").values_list("number", flat=True)
            self.fields["beneficiary_numbers"].initial = "\n".join(numbers)

    def clean_beneficiary_numbers(self):
        text = self.cleaned_data.get("beneficiary_numbers") or ""
        numbers = [n for n in text.replace(",", " ").replace("，", " ").split() if n]
        households = list(Household.objects.filter(number__in=numbers))
        unknown = sorted(set(numbers) - {h.number for h in households})
        if unknown:
            raise ValidationError(_("没有这些户编号：%(numbers)s") % {"numbers": "、".join(unknown[:10])})
        return households


@admin.register(PairingProject)
class PairingProjectAdmin(ServiceAdmin):
    """帮扶单位项目: a pairing unit's project in a village, with the households it benefited."""

    form = ProjectForm
    read_capability = Capability.READ_FIGURES
    list_display = ("name", "unit", "village", "year", "funds_invested", "funds_coordinated", "trainings")
    list_filter = (RegionListFilter, "year")
    search_fields = ("name", "unit__name")
    list_select_related = ("unit", "village")
    autocomplete_fields = ("village",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.order_by("name")  # a unit from any level may help the county
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service(self, request, obj, data, change):
        values = pick(data, services.PROJECT_FIELDS)
        households = data.get("beneficiary_numbers")
        if obj is None:
            return lambda: services.project_create(user=request.user, data=values, beneficiaries=households)
        return lambda: services.project_update(user=request.user, project=obj, data=values, beneficiaries=households)
