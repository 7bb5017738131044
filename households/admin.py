"""The register in the admin: village teams enter a household with its members on one page.

Every save goes through households.services, and the forms run the same validation first, so the
admin shows the API's messages beside the fields and cannot store what the API would refuse.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.admin_base import ServiceAdmin, apply_service_errors, pick
from core.masking import masked_value
from core.models import PersonalDataAccess
from core.personal import PersonalDataPolicy, log_personal_read
from core.roles import Capability
from households import rules, services
from households.models import AnnualRecord, Household, Member, PolicyStandard
from households.selectors import household_list, household_timeline
from villages.admin import RegionListFilter


class MemberInlineForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = services.MEMBER_FIELDS

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        values = {field: data.get(field) for field in services.MEMBER_FIELDS if field in data}
        try:
            self.validated = services.validate_member(data=values)
        except ValidationError as exc:
            apply_service_errors(self, exc)
        return data

    def validate_unique(self):
        """ID-2 is checked over the whole household by the formset and the service."""

    def _post_clean(self):
        # Keep the model's field validation, skip its constraint checks (the service's, with better messages).
        opts = self._meta
        exclude = self._get_validation_exclusions()
        exclude |= {name for name, field in self.fields.items() if isinstance(field, forms.models.InlineForeignKeyField)}
        try:
            self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as e:
            self._update_errors(e)
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            self._update_errors(e)


class MemberFormSet(forms.BaseInlineFormSet):
    """HH-1 and ID-2 over all member forms together, as the household will be after saving."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        facts, numbers, existing = [], {}, []
        for index, form in enumerate(self.forms):
            if not getattr(form, "validated", None) and not form.has_changed() and form.instance.pk is None:
                continue
            values = getattr(form, "validated", None) or {
                f: getattr(form.instance, f) for f in (*services.MEMBER_FIELDS, "person_number")
            }
            if form.instance.pk:
                existing.append(form.instance.pk)
            if not values.get("left_on"):
                facts.append(rules.MemberFacts(key=str(index), relation=values["relation"], sex=values["sex"], active=True))
                numbers[str(index)] = values["person_number"]
        if facts:
            violations = rules.composition_violations(facts)
            for violation in violations:
                raise ValidationError(violation.message, code=violation.code)
        try:
            services.check_id_numbers_free(user=self.request_user, numbers=numbers, exclude_member_ids=existing)
        except ValidationError as exc:
            for key, errors in exc.error_dict.items():
                for error in errors:
                    self.forms[int(key)].add_error("id_number", error)


class MemberInline(admin.StackedInline):
    model = Member
    form = MemberInlineForm
    formset = MemberFormSet
    extra = 0
    can_delete = False  # people are never deleted once registered; they leave with a date and a reason
    fieldsets = (
        (None, {"fields": (("name", "relation", "sex", "birth_date"), ("id_type", "id_number", "ethnicity"))}),
        (
            _("健康、劳动与教育"),
            {
                "fields": (
                    ("health", "disability_category", "disability_grade"),
                    ("labour", "migrant_work", "migrant_months"),
                    ("education", "school_status", "dropout", "dropout_reason"),
                    ("workplace", "welfare_post", "welfare_post_months", "active_service"),
                )
            },
        ),
        (
            _("保险与救助"),
            {
                "fields": (
                    ("medical_insurance", "employee_medical_insurance", "serious_illness_insurance"),
                    ("pension_insurance", "employee_pension_insurance", "commercial_insurance"),
                    ("serious_illness_assistance", "receives_dibao", "receives_tekun"),
                )
            },
        ),
        (_("成员变动"), {"fields": (("joined_on", "join_reason"), ("left_on", "left_reason"))}),
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 0

    def has_add_permission(self, request, obj=None):
        return self.parent_admin.has_change_permission(request, obj) if obj else self.parent_admin.has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.parent_admin.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self.parent_admin.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    # Where the household's personal data is masked for the user, the ID number is masked and the birth
    # date cut to its year (the two together would give the number back).
    MASKED = {"id_number": "masked__id_number", "birth_date": "masked__birth_date"}

    def get_fieldsets(self, request, obj=None):
        if self.parent_admin._masks(request, obj):
            (name, opts), *rest = self.fieldsets
            first = tuple(tuple(self.MASKED.get(f, f) for f in row if f != "ethnicity") for row in opts["fields"])
            return ((name, {**opts, "fields": first}), *rest)
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        if self.parent_admin._masks(request, obj):
            return tuple(self.MASKED.values())
        return ()

    @admin.display(description=_("证件号码"))
    def masked__id_number(self, obj):
        return masked_value("id_number", obj.id_number)

    @admin.display(description=_("出生年份"))
    def masked__birth_date(self, obj):
        return masked_value("birth_date", obj.birth_date)

    @property
    def parent_admin(self):
        return self.admin_site._registry[Household]


class AnnualRecordInline(admin.StackedInline):
    model = AnnualRecord
    extra = 0
    can_delete = False
    classes = ("collapse",)
    fieldsets = (
        (None, {"fields": ("year",)}),
        (
            _("收入（元）"),
            {
                "fields": (
                    ("wages", "business_income", "business_cost", "property_income"),
                    ("dibao", "tekun", "pension", "eco_compensation", "family_planning", "other_transfer"),
                    "uncounted_income",
                    ("transfer_income", "net_income", "members_counted", "per_capita_income"),
                )
            },
        ),
        (
            _("两不愁三保障"),
            {
                "fields": (
                    ("food_secure", "clothing_secure"),
                    ("housing_grade", "renovation_year", "relocation_done", "house_area"),
                    ("water_safe", "water_access_ok", "electricity", "sanitary_toilet"),
                )
            },
        ),
        (_("刚性支出（元）"), {"fields": (("medical_expense", "schooling_expense"),)}),
    )
    readonly_fields = ("transfer_income", "net_income", "members_counted", "per_capita_income")

    def has_add_permission(self, request, obj=None):
        return obj is not None and self.admin_site._registry[Household].has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.admin_site._registry[Household].has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self.admin_site._registry[Household].has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class HouseholdAdminForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ("village", *services.HOUSEHOLD_FIELDS)

    def clean(self):
        data = super().clean()
        village = data.get("village") or getattr(self.instance, "village", None)
        if village is not None and not self.errors:
            try:
                services.validate_household_fields(village=village, data=data)
            except ValidationError as exc:
                apply_service_errors(self, exc)
        return data


@admin.register(Household)
class HouseholdAdmin(ServiceAdmin):
    """贫困户: the household's facts with its members and annual records on one page."""

    form = HouseholdAdminForm  # checks the household's own fields; the members are checked by their formset
    saves_with_inlines = True  # one service call writes the household with its members
    inlines = (MemberInline, AnnualRecordInline)
    masked_fields = ("bank_account",)
    list_display = ("number", "village", "head_name", "member_count", "attribute", "main_cause", "stars")
    list_filter = (RegionListFilter, "attribute", "main_cause", "stars", "identification_standard", "relocated")
    search_fields = ("=number", "^number", "members__name")
    list_select_related = ("village",)
    autocomplete_fields = ("village",)
    readonly_fields = ("number", "version", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": (("number", "village", "villager_group"), ("address", "phone"))}),
        (
            _("识别信息"),
            {"fields": (("identification_standard", "attribute", "stars"), ("main_cause", "other_causes"))},
        ),
        (_("易地扶贫搬迁"), {"fields": (("relocated", "relocation_mode", "relocation_placement", "relocation_site"),)}),
        (_("银行账户"), {"fields": (("bank_name", "bank_account"),)}),
        (
            _("生产生活条件"),
            {
                "fields": (
                    ("cultivated_land", "irrigated_land", "forest_land", "returned_farmland"),
                    ("road_type", "road_distance", "main_fuel", "production_electricity"),
                    ("military_family", "only_child_family", "two_daughters_family"),
                )
            },
        ),
        (_("记录"), {"classes": ("collapse",), "fields": (("version", "created_at", "updated_at"),)}),
    )

    def get_queryset(self, request):
        return household_list(user=request.user)

    @admin.display(description=_("户主"), ordering="head_name")
    def head_name(self, obj):
        return obj.head_name

    @admin.display(description=_("在册人数"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._masks(request, obj):
            return [
                (name, {**opts, "fields": tuple(self._substitute_row(row) for row in opts["fields"])})
                for name, opts in fieldsets
            ]
        return fieldsets

    def _substitute_row(self, row):
        if isinstance(row, (tuple, list)):
            return tuple(self._substitute(list(row)))
        return self._substitute([row])[0]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("village")  # a household does not change village by editing
        return readonly

    def save_with_inlines(self, request, form, formsets, change):
        data = pick(form.cleaned_data, services.HOUSEHOLD_FIELDS)
        member_formset = next(f for f in formsets if f.model is Member)
        record_formsets = [f for f in formsets if f.model is AnnualRecord]
        if not change:
            members = [
                form_.validated for form_ in member_formset.forms if getattr(form_, "validated", None) is not None
            ]
            household = services.household_create(
                user=request.user, village=form.cleaned_data["village"], data=data, members=members
            )
        else:
            household = services.household_update(user=request.user, household=form.instance, data=data)
            changed = {
                f.instance.pk: f.validated
                for f in member_formset.forms
                if f.instance.pk and f.has_changed() and getattr(f, "validated", None) is not None
            }
            added = [
                f.validated
                for f in member_formset.forms
                if not f.instance.pk and f.has_changed() and getattr(f, "validated", None) is not None
            ]
            if changed or added:
                services.household_members_save(user=request.user, household=household, changed=changed, added=added)
        for formset in record_formsets:
            for record_form in formset.forms:
                if record_form.has_changed() and record_form.is_valid():
                    values = {k: record_form.cleaned_data.get(k) for k in services.RECORD_INPUT_FIELDS}
                    services.annual_record_upsert(
                        user=request.user,
                        household=household,
                        year=record_form.cleaned_data["year"],
                        data={k: v for k, v in values.items() if v is not None or k in _NULLABLE_RECORD_FIELDS},
                    )
        form.instance.number = household.number
        return household

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # ServiceAdmin turns a refusal only the final write could see (another user registered the same
        # person a moment ago) into a message; nothing was saved.
        response = super().changeform_view(request, object_id, form_url, extra_context)
        self._log_personal_reads(request, response)
        return response

    def _log_personal_reads(self, request, response):
        """A change page shows full ID numbers and the account to those who may see them: log the read."""
        if request.method != "GET" or getattr(response, "status_code", 200) != 200:
            return
        household = (getattr(response, "context_data", None) or {}).get("original")
        if household is None or self._masks(request, household):
            return
        if household.bank_account:
            log_personal_read(
                request, model_label="households.household", object_ids=[household.pk], fields=["bank_account"],
                region=household.village_id,
            )  # fmt: skip
        member_ids = list(household.members.values_list("pk", flat=True))
        if member_ids:
            log_personal_read(
                request, model_label="households.member", object_ids=member_ids, fields=["id_number"],
                region=household.village_id,
            )  # fmt: skip

    def delete_model(self, request, obj):
        services.household_delete(user=request.user, household=obj)

    def history_view(self, request, object_id, extra_context=None):
        """The same timeline as the API's households/{id}/history/ (trigger-recorded, so complete)."""
        household = self.get_object(request, object_id)
        if household is None or not self.has_view_permission(request, household):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        policy = PersonalDataPolicy(request)
        entries = household_timeline(household=household, policy=policy)
        policy.log()
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(number)s 的变更记录") % {"number": household.number},
            "subtitle": None,
            "entries": entries,
            "object": household,
            "opts": self.opts,
            "module_name": str(self.opts.verbose_name_plural),
            "preserved_filters": self.get_preserved_filters(request),
        }
        return TemplateResponse(request, "admin/households/household/timeline.html", context)


_NULLABLE_RECORD_FIELDS = {
    f.name for f in AnnualRecord._meta.concrete_fields if f.null and f.name in services.RECORD_INPUT_FIELDS
}


@admin.register(PolicyStandard)
class PolicyStandardAdmin(ServiceAdmin):
    """政策标准: the county office sets its region's yearly parameters; nationwide rows by administrators."""

    read_capability = Capability.READ_FIGURES
    write_capability = Capability.COUNTY_ADMINISTRATION
    list_display = ("year", "region", "poverty_line", "monitoring_line", "village_exit_threshold", "notice_days")
    list_filter = ("year",)
    autocomplete_fields = ("region",)

    def get_queryset(self, request):
        return PolicyStandard.objects.select_related("region")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.region_id is None:
            return request.user.is_superuser
        return super().has_change_permission(request, obj)

    def service(self, request, obj, data, change):
        values = pick(data, services.STANDARD_FIELDS)
        if change:  # the year and the region name the row; the service keeps them
            return lambda: services.policy_standard_save(user=request.user, standard=obj, data=values)
        return lambda: services.policy_standard_save(
            user=request.user, year=data.get("year"), region=data.get("region"), data=values
        )


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Who read full ID numbers and bank accounts: the county office and administrators read it."""

    list_display = ("at", "user", "model", "fields", "path", "request_id")
    list_filter = ("model",)
    search_fields = ("user__username", "request_id")
    readonly_fields = ("at", "user", "model", "object_ids", "fields", "path", "request_id")

    def has_module_permission(self, request):
        # The log is not tied to regions yet, so only administrators read it (a county must not
        # learn who looked at another county's people).
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
