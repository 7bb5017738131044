"""Forms of the entry pages (新建户 / 修改户): the household in sections, its members as a formset.

Labels are the models' verbose names (Chinese), choices show their labels, and dates are accepted as
people write them: 2017-12-31, 2017/12/31 or 2017年12月31日. Each member's ID number is checked with
ID-1 (households.rules, the rules the API and the services use) in `MemberForm.clean`, whatever else
is missing in that row, so a mistyped number is always reported beside its field.
"""

import datetime
import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, DateField
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.regions import RegionLevel
from core.roles import Capability
from core.scope import restrict_to_scope
from core.ui import PageForm
from households import rules
from households.choices import IdType, PovertyCause
from households.models import Household, Member
from villages.models import Region, VillagerGroup

# The sections of the household form (分区录入): (title, fields).
HOUSEHOLD_SECTIONS = (
    (
        _("户基本信息"),
        (
            "village", "villager_group", "address", "phone", "identification_standard", "attribute",
            "main_cause", "other_causes", "stars", "bank_name", "bank_account",
        ),
    ),
    (
        _("生产生活条件"),
        (
            "cultivated_land", "irrigated_land", "forest_land", "returned_farmland", "road_type", "road_distance",
            "main_fuel", "production_electricity", "relocated", "relocation_mode", "relocation_placement",
            "relocation_site", "military_family", "only_child_family", "two_daughters_family",
        ),
    ),
)  # fmt: skip
HOUSEHOLD_FORM_FIELDS = tuple(name for _title, names in HOUSEHOLD_SECTIONS for name in names)

# A member's fields: the ones everybody fills on the row, the rest folded under "更多".
MEMBER_MAIN_FIELDS = (
    "name", "relation", "id_type", "id_number", "sex", "birth_date", "ethnicity", "education", "school_status",
    "health", "labour",
)  # fmt: skip
MEMBER_MORE_FIELDS = (
    "disability_category", "disability_grade", "dropout", "dropout_reason", "migrant_work", "migrant_months",
    "workplace", "welfare_post", "welfare_post_months", "medical_insurance", "employee_medical_insurance",
    "serious_illness_insurance", "serious_illness_assistance", "pension_insurance", "employee_pension_insurance",
    "commercial_insurance", "active_service", "receives_dibao", "receives_tekun", "joined_on", "join_reason",
    "left_on", "left_reason",
)  # fmt: skip
MEMBER_FORM_FIELDS = MEMBER_MAIN_FIELDS + MEMBER_MORE_FIELDS

DAY_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
_SPACES = re.compile(r"\s+")


class DayField(forms.DateField):
    """A day as people write it: 2017-12-31, 2017/12/31, 2017.12.31 or 2017年12月31日 (spaces ignored)."""

    input_formats = DAY_FORMATS
    default_error_messages = {"invalid": _("请按 2017-12-31、2017/12/31 或 2017年12月31日 填写日期")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(format="%Y-%m-%d", attrs={"placeholder": "2017-12-31"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = _SPACES.sub("", value)
        return super().to_python(value)


def _formfield(model_field, **kwargs):
    """The page's form field for a model field: days as people write them, yes/no/未填 for unknown flags."""
    if isinstance(model_field, DateField):
        return model_field.formfield(form_class=DayField, **kwargs)
    if isinstance(model_field, BooleanField) and model_field.null:
        widget = forms.NullBooleanSelect()
        widget.choices = [("unknown", _("未填")), ("true", _("是")), ("false", _("否"))]
        return forms.NullBooleanField(label=model_field.verbose_name, required=False, widget=widget)
    if model_field.name == "other_causes":
        return forms.MultipleChoiceField(
            label=model_field.verbose_name,
            choices=PovertyCause.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            help_text=_("最多两项，不含主要致贫原因"),
        )
    return model_field.formfield(**kwargs)


class HouseholdForm(PageForm):
    """The household's own facts (户), in two sections; the village only when the household is new."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        for name, field in forms.fields_for_model(
            Household, fields=HOUSEHOLD_FORM_FIELDS, formfield_callback=_formfield
        ).items():
            self.fields[name] = field
        if household is None:
            villages = restrict_to_scope(
                Region.objects.filter(level=RegionLevel.VILLAGE), user, Capability.EDIT_REGISTER
            ).order_by("code")
            self.fields["village"] = forms.ModelChoiceField(
                label=Household._meta.get_field("village").verbose_name, queryset=villages, empty_label=None
            )
            self.fields["village"].label_from_instance = lambda region: region.name
            groups = VillagerGroup.objects.filter(village__in=villages)
        else:
            del self.fields["village"]
            groups = VillagerGroup.objects.filter(village_id=household.village_id)
        self.fields["villager_group"].queryset = groups.order_by("village_id", "pk")
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["bank_account"].widget.attrs.update(inputmode="numeric")

    def sections(self):
        """[(title, [bound fields])] for the template, in the order of the county's form."""
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in HOUSEHOLD_SECTIONS]

    def clean_other_causes(self):
        return list(self.cleaned_data.get("other_causes") or [])


class MemberForm(PageForm):
    """One member (家庭成员) of the formset; `id` and `version` are hidden for members already registered."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults = {}
        for name, field in forms.fields_for_model(Member, fields=MEMBER_FORM_FIELDS, formfield_callback=_formfield).items():
            self.fields[name] = field
            model_field = Member._meta.get_field(name)
            if model_field.has_default() and field.required:
                # Left blank, a field with a default (民族 汉族, 务工 无 …) takes it, as in the API.
                field.required = False
                self.defaults[name] = model_field.get_default()
        number = self.fields["id_number"]
        number.widget.attrs.update(
            {"class": "js-id-number", "autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        )
        number.widget.attrs.update(
            {
                # The server's word (ID-1) as typed; static/js/household-entry.js answers at once before it.
                "hx-post": reverse_lazy("households:id-check"),
                "hx-trigger": "change, keyup changed delay:600ms",
                "hx-target": f"#{self.auto_id % self.add_prefix('id_number')}_check",
                "hx-swap": "innerHTML",
                "hx-vals": json.dumps({"row": self.prefix}),
                "hx-sync": "this:replace",
                "aria-describedby": f"{self.auto_id % self.add_prefix('id_number')}_check",
            }
        )
        self.fields["id_type"].widget.attrs["class"] = "js-id-type"
        self.fields["sex"].widget.attrs["class"] = "js-sex"
        self.fields["birth_date"].widget.attrs["class"] = "js-birth-date"

    @property
    def is_registered(self) -> bool:
        """A member already in the register (edit page): leaving is a date and a reason, never a removal."""
        return bool(self.initial.get("id") or (self.is_bound and self.data.get(self.add_prefix("id"))))

    @property
    def more_open(self) -> bool:
        """Unfold "更多" when one of its fields has an error or a value beyond the defaults."""
        return any(name in self.errors for name in MEMBER_MORE_FIELDS)

    def main_fields(self):
        return [self[name] for name in MEMBER_MAIN_FIELDS]

    def more_fields(self):
        return [self[name] for name in MEMBER_MORE_FIELDS]

    def clean_id_number(self):
        return (self.cleaned_data.get("id_number") or "").strip().upper()

    def clean(self):
        """ID-1 on the number as typed, even when another field of the row is missing (then without it)."""
        data = super().clean()
        for name, default in self.defaults.items():
            if name in data and data[name] in (None, ""):
                data[name] = default
        number = data.get("id_number")
        if number and "id_number" not in self.errors:
            try:
                rules.check_identity(
                    id_type=data.get("id_type") or IdType.RESIDENT_ID,
                    id_number=number,
                    sex=data.get("sex") or None,
                    birth_date=data.get("birth_date"),
                    today=timezone.localdate(),
                )
            except rules.IdNumberError as exc:
                field = {"sex": "sex", "birth_date_mismatch": "birth_date"}.get(exc.part, "id_number")
                if field not in self.errors:
                    self.add_error(field, ValidationError(exc.message, code=rules.ID_NUMBER_CODE))
        return data

    def member_data(self) -> dict:
        """The member as the services take it (without the hidden id and version)."""
        return {name: self.cleaned_data.get(name) for name in MEMBER_FORM_FIELDS if name in self.cleaned_data}


class BaseMemberFormSet(forms.BaseFormSet):
    """Members of the household: rows added without reloading (htmx), new rows removed by their toggle."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("移除此行")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input js-remove-member"

    def kept_forms(self):
        """The rows that stay: not removed, and not a blank row added and left untouched."""
        return [
            form
            for index, form in enumerate(self.forms)
            if not self._should_delete_form(form) and (index < self.initial_form_count() or form.has_changed())
        ]

    def _should_delete_form(self, form):
        # A member already registered leaves with a date and a reason; the toggle only drops new rows.
        return super()._should_delete_form(form) and not form.is_registered

    def row(self, index: int) -> MemberForm:
        """A blank row at `index` (the "添加成员" button fetches it), with its removal toggle."""
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix(index),
            empty_permitted=True,
            use_required_attribute=False,
            renderer=self.renderer,
        )
        self.add_fields(form, index)
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.kept_forms():
            raise ValidationError(_("户至少要有一名成员"), code="invalid")


MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=0, can_delete=True, max_num=30, validate_max=True, absolute_max=30
)
MEMBER_PREFIX = "members"


def parse_day(value: str) -> datetime.date | None:
    """A day typed in any of the accepted ways, or None."""
    try:
        return DayField(required=False).clean(value)
    except ValidationError:
        return None
