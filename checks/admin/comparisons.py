"""Admin of department comparisons (数据比对): uploads read-only, a new upload through the service, veto settings.

An upload in the admin is the API's upload: the form hands the file to checks.comparisons.comparison_upload,
so the same checks refuse it (bad rows by line, the same file twice) and the same matching follows. A kept
comparison is never changed or deleted here.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from checks import comparisons as services
from checks.choices import FindingStatus
from checks.models import CategorySetting, Comparison
from checks.uploads import MAX_BYTES
from core.admin_base import ScopedModelAdmin, ServiceAdmin, ServiceForm, apply_service_errors
from core.errors import DomainError
from core.roles import Capability


class ComparisonUploadForm(forms.ModelForm):
    """Upload a department list; `clean` runs the service, so a refused file shows its problems here."""

    file = forms.FileField(
        label=_("文件"),
        help_text=_("CSV（UTF-8）或 XLSX，列为 证件号码、类别、说明；类别可填英文代码或中文名称。"),
    )
    request = None  # set by ComparisonAdmin.get_form

    class Meta:
        model = Comparison
        fields = ("region", "department")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        upload = data["file"]
        content = upload.read(MAX_BYTES + 1) if upload.size > MAX_BYTES else upload.read()
        try:
            self.result = services.comparison_upload(
                user=self.request.user, region=data["region"], department=data["department"], file_name=upload.name,
                content=content,
            )  # fmt: skip
        except DomainError as exc:
            self.add_error("file" if exc.code == "invalid_upload" else None, str(exc.detail))
            for key, problems in (exc.errors or {}).items():
                where = gettext("第 %(line)s 行") % {"line": key.split(".", 1)[1]} if key.startswith("rows.") else ""
                for problem in problems:
                    self.add_error("file", f"{where}：{problem}" if where else str(problem))
        except ValidationError as exc:
            apply_service_errors(self, exc)
        else:
            self.instance = self.result.comparison
        return data


@admin.register(Comparison)
class ComparisonAdmin(ScopedModelAdmin):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.COUNTY_ADMINISTRATION
    delete_capability = None
    actions = None
    list_display = ("id", "department", "file_name", "region", "rows", "matched", "uploaded_at", "uploaded_by")
    list_filter = ("department",)
    search_fields = ("department", "file_name")
    list_select_related = ("region", "uploaded_by")  # region, uploaded_by
    date_hierarchy = "uploaded_at"
    shown = ("region", "department", "file_name", "digest", "rows", "matched", "uploaded_at", "uploaded_by", "findings")

    def has_change_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return ["region", "department", "file"] if obj is None else list(self.shown)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.shown

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ComparisonUploadForm
            kwargs["fields"] = ["region", "department"]
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def save_model(self, request, obj, form, change):
        """The service kept the comparison while the form was cleaned; say what matching did."""
        result = getattr(form, "result", None)
        if result is None:
            return
        self.message_user(
            request,
            gettext("比中 %(matched)s 人，新开核查问题 %(opened)s 个，发起清退 %(removals)s 户") % {
                "matched": result.comparison.matched, "opened": result.opened, "removals": len(result.removals)},
            messages.SUCCESS,
        )  # fmt: skip

    def save_related(self, request, form, formsets, change):
        """Nothing related to save: the rows were written with COPY."""

    @admin.display(description=_("核查问题"))
    def findings(self, obj):
        counts = obj.findings.aggregate(
            total=Count("id"), open=Count("id", filter=Q(status=FindingStatus.OPEN)),
            errors=Count("id", filter=Q(severity="error")),
        )  # fmt: skip
        return gettext("%(total)s 个（错误 %(errors)s 个，待整改 %(open)s 个）") % counts


class CategorySettingForm(ServiceForm):
    class Meta:
        model = CategorySetting
        fields = ("region", "category", "veto")


@admin.register(CategorySetting)
class CategorySettingAdmin(ServiceAdmin):
    """一票否决 settings: saved by checks.comparisons.category_setting_save (one per region and category: saving
    a pair again changes it, as the API's POST does)."""

    read_capability = Capability.READ_REGISTER
    write_capability = Capability.COUNTY_ADMINISTRATION
    form = CategorySettingForm
    list_display = ("region", "category", "veto", "updated_at")
    list_filter = ("category", "veto")
    list_select_related = ("region",)  # region

    def get_readonly_fields(self, request, obj=None):
        return ("region", "category") if obj is not None else ()

    def service(self, request, obj, data, change):
        region, category = (obj.region, obj.category) if change else (data.get("region"), data.get("category"))
        veto = bool(data.get("veto"))
        return lambda: services.category_setting_save(user=request.user, region=region, category=category, veto=veto)[0]
