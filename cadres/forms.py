"""Forms of the help side's pages: a visit recorded in one tap (走访记录)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.choices import VisitKind
from core.ui import PageForm


class VisitForm(PageForm):
    """A visit to a paired household: the pairing is chosen from the list (a hidden field of its row), never typed."""

    pairing = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("走访方式"), choices=VisitKind.choices, initial=VisitKind.HOME)
    agreed = forms.CharField(label=_("帮扶措施"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    found = forms.CharField(label=_("情况记录"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, pairing=None, **kwargs):
        initial = {"date": timezone.localdate(), "kind": VisitKind.HOME}
        if pairing is not None:
            initial["pairing"] = pairing.pk
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if pairing is not None:
            # Each row's form has its own field ids, so a page of rows stays valid HTML.
            self.auto_id = f"id_visit{pairing.pk}_%s"


class CadreFilterForm(PageForm):
    """Filters of the cadre list: part of a name, a unit (from the units in scope)."""

    q = forms.CharField(label=_("姓名"), required=False, max_length=50)
    unit = forms.TypedChoiceField(label=_("所在单位"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("全部单位")), *((unit.pk, unit.name) for unit in units)]


class HandoverForm(PageForm):
    """A household handed over to another cadre (包保交接): the cadre is chosen from the search results, never typed."""

    to_cadre = forms.IntegerField(label=_("接手干部"), widget=forms.RadioSelect)
    on = forms.DateField(label=_("交接日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, candidates=(), **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["to_cadre"].widget = forms.RadioSelect(
            choices=[(cadre.pk, f"{cadre.name} · {cadre.unit.name}") for cadre in candidates]
        )
        self.fields["to_cadre"].error_messages["required"] = _("请先搜索并选中接手的干部。")
