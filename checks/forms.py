"""The findings page's filter form: rule, severity, village (of the user's villages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from checks import catalog
from checks.choices import Severity
from core.ui import PageForm


class FindingFilterForm(PageForm):
    rule = forms.ChoiceField(label=_("规则"), required=False)
    severity = forms.ChoiceField(label=_("严重程度"), required=False)
    village = forms.ChoiceField(label=_("行政村"), required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["rule"].choices = everything + [(code, f"{code} {entry.title}") for code, entry in catalog.CODES.items()]
        self.fields["severity"].choices = everything + list(Severity.choices)
        self.fields["village"].choices = [("", _("全部行政村")), *villages]
