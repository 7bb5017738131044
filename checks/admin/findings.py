"""Admin of findings (核查问题) and rule runs (规则校验).

Findings are listed in the user's scope with filters by rule, severity, status, source and region;
their facts are read-only, and an open one is closed on its page (status and resolution) through
checks.findings.finding_resolve, the same service as the API. Rule runs are read-only.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from checks import catalog
from checks.choices import FindingStatus
from checks.findings import finding_detail_for, finding_message, finding_resolve
from checks.models import Finding, RuleRun
from core.admin_base import ScopedModelAdmin, ServiceAdmin, ServiceForm
from core.roles import Capability
from villages.admin import RegionListFilter


class RuleListFilter(admin.SimpleListFilter):
    """Filter by finding code (规则), the catalogue's codes in its order."""

    title = _("规则")
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        return [(code, f"{code} {entry.title}") for code, entry in catalog.CODES.items()]

    def queryset(self, request, queryset):
        return queryset.filter(rule=self.value()) if self.value() else queryset


class FindingResolveForm(ServiceForm):
    """Closing an open finding: fixed, or confirmed correct after checking, with what was done."""

    status = forms.ChoiceField(
        label=_("状态"),
        choices=[
            (FindingStatus.FIXED, FindingStatus.FIXED.label),
            (FindingStatus.CONFIRMED_CORRECT, FindingStatus.CONFIRMED_CORRECT.label),
        ],
    )
    resolution = forms.CharField(label=_("整改说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    class Meta:
        model = Finding
        fields = ("status", "resolution")

    def clean(self):
        current = Finding.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
        if current != FindingStatus.OPEN:
            raise ValidationError(_("该问题已关闭，不能再次关闭"), code="transition_not_allowed")
        return super().clean()  # then the service's dry run (ServiceForm)

    def _post_clean(self):
        """The service validates and writes (finding_resolve); the instance stays as it was read."""


_FACTS = ("rule", "title", "severity", "source", "message", "village", "household", "member", "found_at", "facts")
_CLOSURE = ("resolved_at", "resolved_by", "run", "closed_by_run", "comparison", "verification")


@admin.register(Finding)
class FindingAdmin(ServiceAdmin):
    """核查问题: read in scope; an open one is closed (整改) by those who may edit the register of its village."""

    read_capability = Capability.READ_REGISTER
    write_capability = Capability.EDIT_REGISTER
    form = FindingResolveForm
    list_display = ("rule", "severity", "status", "household", "member", "message", "found_at", "resolved_by")
    list_filter = (RegionListFilter, RuleListFilter, "severity", "status", "source")
    list_select_related = ("household", "member", "resolved_by")  # number, name, who closed it
    search_fields = ("=household__number",)
    date_hierarchy = "found_at"
    actions = None

    # The message and the facts may quote a birth date read from an ID number: shown as the reader may read them
    # (checks.findings.finding_detail_for), per row in the list and per object on its page.

    def get_list_display(self, request):
        return [self._message_for(request) if name == "message" else name for name in super().get_list_display(request)]

    def _message_for(self, request):
        def message(obj):
            return finding_message(obj, user=request.user)

        message.short_description = _("问题")
        return message

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.reader = request.user  # for the read-only message and facts of its page
        return obj

    @admin.display(description=_("问题"))
    def message(self, obj):
        return finding_message(obj, user=getattr(obj, "reader", AnonymousUser()))

    @admin.display(description=_("规则名称"))
    def title(self, obj):
        entry = catalog.CODES.get(obj.rule)
        return entry.title if entry else obj.rule

    @admin.display(description=_("详情"))
    def facts(self, obj):
        detail = finding_detail_for(obj, user=getattr(obj, "reader", AnonymousUser()))
        return format_html_join("", "<div><code>{}</code>: {}</div>", sorted((detail or {}).items()))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != FindingStatus.OPEN:
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        return ((None, {"fields": _FACTS}), (_("整改"), {"fields": ("status", "resolution", *_CLOSURE)}))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            return (*_FACTS, *_CLOSURE)
        return (*_FACTS, "status", "resolution", *_CLOSURE)

    def service(self, request, obj, data, change):
        return lambda: finding_resolve(
            user=request.user, finding=obj, status=data["status"], resolution=data["resolution"]
        )  # closed or refused meanwhile, under the row lock: ServiceAdmin says so and nothing is saved


@admin.register(RuleRun)
class RuleRunAdmin(ScopedModelAdmin):
    """规则校验: the runs over regions in scope, read-only (runs are started by the API or the command)."""

    read_capability = Capability.READ_REGISTER
    write_capability = None
    list_display = ("started_at", "region", "household", "trigger", "rules", "finished_at", "started_by")
    list_filter = (RegionListFilter, "trigger")
    list_select_related = ("region", "started_by")  # region name, who started it
    readonly_fields = ("region", "household", "rules", "trigger", "started_at", "finished_at", "started_by", "counts")
    fields = readonly_fields
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
