"""Forms of the register's pages: the ID-number lookup (by POST, never in a URL)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ui import PageForm
from households import rules


class IdLookupForm(PageForm):
    """找人: a person's household by the ID number (居民身份证号, or a disability certificate's 20 characters)."""

    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=20,
        help_text=_("输入身份证号（18位）或残疾人证号（20位），查找此人所在的户"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )

    def clean_id_number(self):
        number = "".join(self.cleaned_data["id_number"].split()).upper()
        if len(number) in (18, 20):
            # A resident ID (or the one a disability certificate starts with) is checked before searching, so a
            # mistyped digit is named instead of answered with "nobody".
            try:
                rules.parse_resident_id(number[:18], today=timezone.localdate())
            except rules.IdNumberError as exc:
                raise ValidationError(str(exc), code="invalid") from exc
        return number

    def person_number(self) -> str:
        number = self.cleaned_data["id_number"]
        return rules.person_number(id_type="disability_cert" if len(number) == 20 else "resident_id", id_number=number)
