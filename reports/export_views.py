"""Starting a household export as a job from a page (the dashboard's 导出户信息（Excel）): POST region and day, then
/jobs/ follows it (reports.jobs writes the file; its starter downloads it there)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import jobs
from core.regions import RegionCodeError, level_of
from core.roles import Capability
from core.scope import has_capability
from households.choices import CODES_NATIONAL, CODES_SLUGS
from reports import exports
from reports.jobs import HOUSEHOLDS_XLSX


class ExportJobForm(forms.Form):
    region = forms.CharField(min_length=12, max_length=12)
    as_of = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    codes = forms.ChoiceField(choices=[(CODES_SLUGS, CODES_SLUGS), (CODES_NATIONAL, CODES_NATIONAL)], required=False)

    def clean_region(self):
        code = self.cleaned_data["region"]
        try:
            level_of(code)
        except RegionCodeError as exc:
            raise forms.ValidationError(_("区划代码应为 12 位数字")) from exc
        return code


@login_required
@require_POST
def export_households_job(request):
    """Queue the XLSX export of a region in the caller's scope; 404 for any other region."""
    if not has_capability(request.user, Capability.READ_REGISTER):
        raise PermissionDenied
    form = ExportJobForm(request.POST)
    if not form.is_valid():
        raise BadRequest("; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
    region = form.cleaned_data["region"]
    if not exports.region_exportable(user=request.user, region_code=region):
        raise Http404
    day = form.cleaned_data.get("as_of") or timezone.localdate()
    jobs.job_start(
        kind=HOUSEHOLDS_XLSX, user=request.user, region=region,
        params={"region": region, "as_of": day.isoformat(), "codes": form.cleaned_data.get("codes") or CODES_SLUGS},
    )  # fmt: skip
    messages.success(request, _("导出已开始，完成后可在这里下载。"))
    return redirect("jobs")
