"""The upload form of the import page (导入): a file and the region its households lie in."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions import RegionLevel
from core.roles import Capability
from core.scope import region_prefixes
from households.imports.reading import MAX_BYTES
from villages.models import Region


class ImportUploadForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("导入区划"), queryset=Region.objects.none(), empty_label=None,
        help_text=_("文件中的户都须在此区划内"),
    )  # fmt: skip
    file = forms.FileField(
        label=_("文件"),
        help_text=_("XLSX 或 CSV，导出格式或全国建档立卡格式，不超过 %(limit)s MB") % {"limit": MAX_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The regions where the user may edit the register: counties, townships and villages, by code.
        prefixes = region_prefixes(user, Capability.EDIT_REGISTER)
        regions = Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE])
        if prefixes is not None:
            within = Q(pk__in=[])
            for prefix in prefixes:
                within |= Q(code__startswith=prefix)
            regions = regions.filter(within)
        self.fields["region"].queryset = regions.order_by("code")
        self.fields["region"].label_from_instance = lambda region: f"{'　' * max(0, ['county', 'township', 'village'].index(region.level))}{region.name}"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("文件太大（%(size)s MB），上限 %(limit)s MB；请按乡镇或村分开导入")
                % {"size": upload.size // 1024 // 1024, "limit": MAX_BYTES // 1024 // 1024}
            )
        return upload
