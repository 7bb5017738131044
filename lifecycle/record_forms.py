"""The annual record's page form (年度信息): incomes and the 两不愁三保障 facts, labelled by the model."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from core.ui import PageForm
from households.entry_forms import _formfield
from households.models import AnnualRecord
from households.services import RECORD_INPUT_FIELDS

INCOME_FIELDS = (
    "wages", "business_income", "business_cost", "property_income", "dibao", "tekun", "pension",
    "eco_compensation", "family_planning", "other_transfer", "uncounted_income",
)  # fmt: skip
EXPENSE_FIELDS = ("medical_expense", "schooling_expense")
LIVING_FIELDS = tuple(name for name in RECORD_INPUT_FIELDS if name not in INCOME_FIELDS + EXPENSE_FIELDS)
SECTIONS = ((_("收入"), INCOME_FIELDS), (_("两不愁三保障"), LIVING_FIELDS), (_("刚性支出"), EXPENSE_FIELDS))


class AnnualRecordForm(PageForm):
    """One year's record; amounts left blank count as 0, facts left 未填 stay unknown."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in forms.fields_for_model(
            AnnualRecord, fields=RECORD_INPUT_FIELDS, formfield_callback=_formfield
        ).items():
            if name in INCOME_FIELDS:
                field.required = False
                field.initial = None  # blank, not "0.00" to type after; blank counts as 0
                field.widget.attrs.update(inputmode="decimal", min="0", placeholder="0")
                field.validators.append(MinValueValidator(0))
            self.fields[name] = field

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def record_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in RECORD_INPUT_FIELDS if name in self.cleaned_data}
        for name in INCOME_FIELDS:
            if data.get(name) is None:
                data[name] = AnnualRecord._meta.get_field(name).get_default()
        data["housing_grade"] = data.get("housing_grade") or ""
        data["relocation_done"] = bool(data.get("relocation_done"))
        return data
