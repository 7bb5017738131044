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
